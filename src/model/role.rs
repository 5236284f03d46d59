//! IAM roles and the policy documents attached to them, from every source irsalint reads:
//! `aws iam get-role` / `get-account-authorization-details` output, CloudFormation
//! (`AWS::IAM::Role`, `::Policy`, `::ManagedPolicy`), bare policy files, and the Crossplane
//! and ACK custom resources that carry policies as JSON strings.

use crate::load::InputFile;
use crate::model::k8s::Object;
use crate::model::value::{text, Substitutions, Text};
use crate::source::file::{FileId, Span};
use crate::source::node::{Node, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleSource {
    GetRole,
    CloudFormation,
    /// A bare trust policy file; the role name comes from the file name.
    BareTrust,
    /// A Crossplane or ACK `Role` object.
    Kubernetes,
    /// A Terraform `aws_iam_role` (configuration, plan or modelled module); `logical_id` is
    /// its address.
    Terraform,
    /// A role eksctl creates for an `iam.serviceAccounts[]` entry or an add-on.
    Eksctl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    Trust,
    Identity,
    /// A resource-based policy of another service (S3 bucket, ECR repository, SQS queue):
    /// it names a principal but is no role's trust; decided by content for bare documents
    /// ([`crate::model::iam::policy::Policy::is_resource_policy`]). Only the grammar rules
    /// read it.
    Resource,
    /// A managed policy the configuration uses only as a role's permissions boundary (a
    /// Terraform `aws_iam_policy` every reference of which is a `permissions_boundary*`
    /// argument): it caps the role's permissions and grants none, so the perm rules, which
    /// judge what a policy grants, do not read it; the grammar rules do.
    Boundary,
}

/// A policy document before grammar parsing: where it is and what it belongs to.
#[derive(Debug, Clone)]
pub struct PolicySource<'a> {
    pub file: FileId,
    pub node: &'a Node,
    /// Decided by position (a role's trust) or, for bare documents, by content.
    pub kind: Option<PolicyKind>,
    /// Index into the roles of the same extraction, when attached to one.
    pub role: Option<usize>,
    /// For messages: `role payments (CloudFormation PaymentsRole)`, `inline policy s3-read`.
    pub label: String,
    pub subs: Substitutions,
    /// The local module call instance that evaluated the document (Terraform module code
    /// judged once per call instance), for its findings' [`Diagnostic::instance`].
    ///
    /// [`Diagnostic::instance`]: crate::diagnostic::Diagnostic::instance
    pub instance: Option<crate::diagnostic::Instance>,
}

#[derive(Debug, Clone)]
pub struct Role<'a> {
    pub file: FileId,
    pub source: RoleSource,
    pub arn: Option<Text>,
    pub name: Option<Text>,
    /// `/` unless set; always starts and ends with `/`.
    pub path: Option<Text>,
    /// Where to point when talking about the role as a whole.
    pub anchor: Span,
    /// CloudFormation logical id, for `!Ref`/`Roles:` links.
    pub logical_id: Option<&'a str>,
    pub managed_policy_arns: Vec<Text>,
    /// The role's permissions boundary, when it has one: IAM grants a session of the role
    /// only what its policies allow and the boundary allows too.
    pub boundary: Option<Boundary<'a>>,
}

/// A role's permissions boundary: the managed policy as written (an ARN, or the expression
/// standing for it, with its span) and its document when the inputs hold it.
#[derive(Debug, Clone)]
pub struct Boundary<'a> {
    pub arn: Text,
    pub policy: BoundaryPolicy<'a>,
}

/// What a permissions boundary allows, as far as the inputs show it.
#[derive(Debug, Clone, Copy)]
pub enum BoundaryPolicy<'a> {
    /// Not in the inputs (an ARN they do not define, a value known only at apply).
    NotShown,
    /// An AWS managed policy that allows every action on every resource
    /// (`AdministratorAccess`): it limits nothing.
    AllowsAll,
    /// The document, found where the role's extraction read it; the World links it to its
    /// policy view ([`BoundaryPolicy::Linked`]), or makes it `NotShown` when it has none.
    Document(&'a Node),
    /// The document's view: an index into `World::policies`.
    Linked(usize),
}

impl<'a> Boundary<'a> {
    /// A boundary given by `arn` (a known ARN or an unresolved expression) whose document
    /// is `doc` when the inputs hold it; an AWS managed policy irsalint knows by name is
    /// resolved here.
    pub fn new(arn: Text, doc: Option<&'a Node>) -> Boundary<'a> {
        let policy = match doc {
            Some(n) => BoundaryPolicy::Document(n),
            None if allows_all(&arn) => BoundaryPolicy::AllowsAll,
            None => BoundaryPolicy::NotShown,
        };
        Boundary { arn, policy }
    }
}

/// Whether a boundary ARN is the AWS managed `AdministratorAccess` (any partition, the
/// partition possibly a placeholder), which allows `*` on `*`.
fn allows_all(arn: &Text) -> bool {
    arn.value
        .strip_prefix("arn:")
        .and_then(|rest| rest.split_once(":iam::aws:policy/"))
        .is_some_and(|(partition, name)| {
            name == "AdministratorAccess"
                && (!partition.contains(':') || partition.starts_with("${"))
        })
}

/// The boundary a role's property gives (`node`), read as text; `doc` its document when
/// the inputs hold it. An empty value (`""`, eksctl's default) is no boundary.
pub fn boundary_of<'a>(
    node: Option<&Node>,
    subs: &Substitutions,
    doc: Option<&'a Node>,
) -> Option<Boundary<'a>> {
    let arn = text(node?, subs)?;
    (!arn.value.is_empty()).then(|| Boundary::new(arn, doc))
}

impl Role<'_> {
    /// `arn:...:role/path/name` when the ARN is known, else the name.
    pub fn display(&self) -> String {
        if let Some(a) = self.arn.as_ref().filter(|a| !a.unresolved) {
            return a.value.to_string();
        }
        // An empty name (a Terraform role named by `name_prefix` only, known at apply
        // time) says nothing: its address does; so does a Terraform name that is one whole
        // unknown expression beyond a reference (`${try(var.x, true) ? null : local.name}`),
        // where `${var.name}` or a partly known `${var.env}-irsa` still reads well.
        let whole_expression = |n: &Text| {
            self.source == RoleSource::Terraform
                && n.unresolved
                && n.value.starts_with("${")
                && n.value.ends_with('}')
                && n.value.matches("${").count() == 1
                && n.value.contains([' ', '('])
        };
        let says_nothing =
            |n: &Text| n.value.is_empty() || (whole_expression(n) && self.logical_id.is_some());
        match self.name.as_ref().filter(|n| !says_nothing(n)) {
            Some(n) => n.value.to_string(),
            None => self.logical_id.unwrap_or("unnamed role").to_string(),
        }
    }
}

/// Roles and policy documents found in one input file.
#[derive(Debug, Default)]
pub struct Extracted<'a> {
    pub roles: Vec<Role<'a>>,
    pub policies: Vec<PolicySource<'a>>,
    /// CloudFormation `AWS::IAM::OIDCProvider` resources.
    pub oidc_providers: Vec<&'a Node>,
    /// Roles whose ARN cannot be known, by the text that stands for it where a
    /// ServiceAccount names them (index into `roles`).
    pub references: Vec<(String, usize)>,
    /// Policies a generator owns (see `World::producer_owned`).
    pub producer_owned: Vec<(Span, String)>,
    /// CloudFormation policy documents included from another file by a packaging tool.
    pub includes: Vec<PolicyInclude>,
}

impl Extracted<'_> {
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
            && self.policies.is_empty()
            && self.oidc_providers.is_empty()
            && self.references.is_empty()
            && self.producer_owned.is_empty()
            && self.includes.is_empty()
    }
}

/// A CloudFormation policy document that a packaging tool includes from another file
/// (`!Rain::Include ./trust.json`, `Fn::Transform: {Name: AWS::Include, ...}`): the template
/// as written holds no policy, so nothing is checked where it is used.
#[derive(Debug, Clone)]
pub struct PolicyInclude {
    /// The path or location as written (`./trust.json`, `s3://bucket/trust.json`).
    pub path: String,
    /// Where it is written.
    pub span: Span,
    /// The directive, for messages (`!Rain::Include`).
    pub via: &'static str,
    /// `trust policy of ReportsRole`, `inline policy s3-read of ReportsRole`.
    pub label: String,
    /// The role the included document belongs to (index into the roles of the same
    /// extraction): a role's `AssumeRolePolicyDocument` or one of its `Policies`.
    pub role: Option<usize>,
    /// What the included document must be to stand in its place.
    pub kind: PolicyKind,
    /// The input file it names, when it is among the inputs (resolved by the World).
    pub file: Option<FileId>,
    /// The document the World linked in its place (index into `World::policies`), when the
    /// included file is among the inputs and holds one policy of `kind`.
    pub linked: Option<usize>,
}

/// An include directive of a packaging tool standing where a policy document is expected:
/// rain's `!Rain::Include`/`!Rain::Embed` (short or long form), cfn-include's `Fn::Include`,
/// CloudFormation's `Fn::Transform` with `AWS::Include` (whose local `Location` `aws
/// cloudformation package` uploads), and a `{file: ./x.json}` mapping.
pub fn cfn_include(n: &Node) -> Option<(String, Span, &'static str)> {
    const TAGS: &[(&str, &str)] = &[
        ("!Rain::Include", "!Rain::Include"),
        ("!Rain::Embed", "!Rain::Embed"),
    ];
    if let Some(tag) = n.tag.as_deref() {
        let via = TAGS.iter().find(|(t, _)| *t == tag)?.1;
        return n.as_str().map(|p| (p.to_string(), n.span, via));
    }
    let entries = n.as_map().filter(|e| e.len() == 1)?;
    let (key, value) = (entries[0].key.as_str()?, &entries[0].value);
    let via = match key {
        "Rain::Include" => "Rain::Include",
        "Rain::Embed" => "Rain::Embed",
        "file" => "file:",
        "Fn::Include" => "Fn::Include",
        "Fn::Transform" => {
            if value.get("Name").and_then(Node::as_str) != Some("AWS::Include") {
                return None;
            }
            let loc = value.get("Parameters").and_then(|p| p.get("Location"))?;
            return loc
                .as_str()
                .map(|p| (p.to_string(), loc.span, "AWS::Include"));
        }
        _ => return None,
    };
    // cfn-include also takes `{location: ./x.json}`.
    let target = value.get("location").unwrap_or(value);
    target.as_str().map(|p| (p.to_string(), target.span, via))
}

/// A CloudFormation policy property (`AssumeRolePolicyDocument`, an inline policy's
/// `PolicyDocument`, a policy resource's): the file a packaging tool includes in its place, or
/// the document written there.
fn cfn_policy<'a>(
    file: &'a InputFile,
    n: Option<&'a Node>,
    subs: &Substitutions,
    (role, kind): (Option<usize>, PolicyKind),
    label: impl Fn() -> String,
    out: &mut Extracted<'a>,
) {
    if let Some((path, span, via)) = n.and_then(cfn_include) {
        out.includes.push(PolicyInclude {
            path,
            span,
            via,
            label: label(),
            role,
            kind,
            file: None,
            linked: None,
        });
    }
    if let Some((node, doc_subs)) = n.and_then(|n| cfn_policy_node(file, n, subs)) {
        out.policies.push(PolicySource {
            file: file.id,
            node,
            kind: Some(kind),
            role,
            label: label(),
            subs: doc_subs,
            instance: None,
        });
    }
}

/// The node of a policy document: a mapping, or JSON text inside a string scalar.
pub fn policy_node<'a>(file: &'a InputFile, n: &'a Node) -> Option<&'a Node> {
    if n.as_map().is_some() {
        return Some(n);
    }
    file.embedded_json(n).filter(|d| d.as_map().is_some())
}

/// A CloudFormation policy document with the substitutions that apply inside it: a
/// mapping, or JSON text given as `!Sub |`, `Fn::Sub: |` or the list form
/// `!Sub [template, {Var: value}]` / `Fn::Sub: [template, {...}]`, whose `${Param}`
/// references (parameter defaults, the list's variables) are substituted in every value.
pub fn cfn_policy_node<'a>(
    file: &'a InputFile,
    n: &'a Node,
    subs: &Substitutions,
) -> Option<(&'a Node, Substitutions)> {
    let (template, vars) = match (&n.value, n.tag.as_deref()) {
        (Value::Str(_), Some("!Sub")) => (n, None),
        (Value::Seq(items), Some("!Sub")) => (items.first()?, items.get(1)),
        (Value::Map(entries), _)
            if entries.len() == 1 && entries[0].key.as_str() == Some("Fn::Sub") =>
        {
            match &entries[0].value.value {
                Value::Str(_) => (&entries[0].value, None),
                Value::Seq(items) => (items.first()?, items.get(1)),
                _ => return None,
            }
        }
        // An include resolved by a packaging tool: not a policy here (see `cfn_include`).
        _ if cfn_include(n).is_some() => return None,
        _ => return policy_node(file, n).map(|d| (d, subs.clone())),
    };
    let doc = file
        .embedded_json(template)
        .filter(|d| d.as_map().is_some())?;
    let mut inner = subs.clone();
    inner.template = true;
    for e in vars.and_then(Node::as_map).unwrap_or(&[]) {
        if let (Some(k), Some(v)) = (e.key.as_str(), text(&e.value, subs)) {
            // An unresolved variable stays `${Var}` and unresolved.
            if !v.unresolved {
                inner.known.insert(k.to_string(), v.value.into());
            }
        }
    }
    Some((doc, inner))
}

/// Extracts roles and policies from a document that is not a Kubernetes object.
pub fn from_document<'a>(
    file: &'a InputFile,
    display_path: &str,
    root: &'a Node,
    out: &mut Extracted<'a>,
) {
    if let Some(role) = root
        .get("Role")
        .filter(|r| r.get("Arn").is_some() || r.get("RoleName").is_some())
    {
        get_role(file, role, out);
    } else if root.get("RoleName").is_some() && root.get("AssumeRolePolicyDocument").is_some() {
        // `aws iam create-role --cli-input-json` input, as `ccoctl --dry-run` writes it
        // (`05-<n>-<name>-role.json`, the trust policy as a JSON string).
        get_role(file, root, out);
    } else if let Some(list) = root.get("RoleDetailList").and_then(Node::as_seq) {
        for role in list {
            get_role(file, role, out);
        }
    } else if let Some(list) = root.get("Roles").and_then(Node::as_seq).filter(|l| {
        l.iter()
            .all(|r| r.get("RoleName").is_some() && r.get("Arn").is_some())
    }) {
        // `aws iam list-roles` output: the roles with their (decoded) trust policies.
        for role in list {
            get_role(file, role, out);
        }
    } else if let Some(list) = root
        .as_seq()
        .filter(|l| !l.is_empty() && l.iter().all(|r| r.get("Role").is_some()))
    {
        // Several `aws iam get-role` outputs collected into one JSON array.
        for role in list.iter().filter_map(|r| r.get("Role")) {
            get_role(file, role, out);
        }
    } else if is_cloudformation(root) {
        cloudformation(file, root, out);
    } else if root.get("Statement").is_some() {
        bare(file, display_path, root, out);
    }
}

fn is_cloudformation(root: &Node) -> bool {
    root.get("AWSTemplateFormatVersion").is_some()
        || root.get("Resources").is_some_and(|r| {
            r.entries().iter().any(|e| {
                e.value
                    .get("Type")
                    .and_then(Node::as_str)
                    .is_some_and(|t| t.starts_with("AWS::"))
            })
        })
}

fn get_role<'a>(file: &'a InputFile, role: &'a Node, out: &mut Extracted<'a>) {
    let subs = Substitutions::default();
    let t = |k: &str| role.get(k).and_then(|n| text(n, &subs));
    let idx = out.roles.len();
    let name = t("RoleName");
    let label = format!(
        "role {}",
        name.as_ref().map(|n| n.value.as_str()).unwrap_or("?")
    );
    out.roles.push(Role {
        file: file.id,
        source: RoleSource::GetRole,
        arn: t("Arn"),
        path: t("Path"),
        anchor: role
            .get("Arn")
            .or(role.get("RoleName"))
            .map(|n| n.span)
            .unwrap_or(role.span),
        name,
        logical_id: None,
        managed_policy_arns: role
            .get("AttachedManagedPolicies")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|p| p.get("PolicyArn").and_then(|n| text(n, &subs)))
            .collect(),
        // `get-role`'s `{PermissionsBoundaryType, PermissionsBoundaryArn}`; `create-role`
        // input's plain ARN.
        boundary: boundary_of(
            role.get("PermissionsBoundary")
                .map(|b| b.get("PermissionsBoundaryArn").unwrap_or(b)),
            &subs,
            None,
        ),
    });
    if let Some(doc) = role
        .get("AssumeRolePolicyDocument")
        .and_then(|n| policy_node(file, n))
    {
        out.policies.push(PolicySource {
            file: file.id,
            node: doc,
            kind: Some(PolicyKind::Trust),
            role: Some(idx),
            label: format!("trust policy of {label}"),
            subs: subs.clone(),
            instance: None,
        });
    }
    for p in role.get("RolePolicyList").map(Node::items).unwrap_or(&[]) {
        if let Some(doc) = p.get("PolicyDocument").and_then(|n| policy_node(file, n)) {
            let pname = p.get("PolicyName").and_then(Node::as_str).unwrap_or("?");
            out.policies.push(PolicySource {
                file: file.id,
                node: doc,
                kind: Some(PolicyKind::Identity),
                role: Some(idx),
                label: format!("inline policy {pname} of {label}"),
                subs: subs.clone(),
                instance: None,
            });
        }
    }
}

/// Parameter defaults are the values a stack gets when nobody overrides them; pseudo
/// parameters stay unresolved.
pub(crate) fn cfn_substitutions(root: &Node) -> Substitutions {
    let mut subs = Substitutions::default();
    for e in root.get("Parameters").map(Node::entries).unwrap_or(&[]) {
        if let (Some(k), Some(v)) = (
            e.key.as_str(),
            e.value.get("Default").and_then(Node::scalar_text),
        ) {
            subs.known.insert(k.to_string(), v.into_owned());
        }
    }
    subs.known
        .insert("AWS::URLSuffix".into(), "amazonaws.com".into());
    subs
}

fn cloudformation<'a>(file: &'a InputFile, root: &'a Node, out: &mut Extracted<'a>) {
    let subs = cfn_substitutions(root);
    let resources = root.get("Resources").map(Node::entries).unwrap_or(&[]);
    let first_role = out.roles.len();
    for e in resources {
        let Some(logical) = e.key.as_str() else {
            continue;
        };
        let ty = e.value.get("Type").and_then(Node::as_str).unwrap_or("");
        let props = e.value.get("Properties");
        let prop = |k: &str| props.and_then(|p| p.get(k));
        match ty {
            "AWS::IAM::Role" => {
                let idx = out.roles.len();
                let name = prop("RoleName").and_then(|n| text(n, &subs));
                let path = prop("Path").and_then(|n| text(n, &subs));
                let arn = name.as_ref().map(|n| Text {
                    value: format!(
                        "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role{}{}",
                        path.as_ref().map(|p| p.value.as_str()).unwrap_or("/"),
                        n.value
                    )
                    .into(),
                    span: n.span,
                    unresolved: true,
                });
                out.roles.push(Role {
                    file: file.id,
                    source: RoleSource::CloudFormation,
                    arn,
                    name,
                    path,
                    anchor: e.key.span,
                    logical_id: Some(logical),
                    managed_policy_arns: prop("ManagedPolicyArns")
                        .map(Node::items)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|n| text(n, &subs))
                        .collect(),
                    boundary: boundary_of(
                        prop("PermissionsBoundary"),
                        &subs,
                        prop("PermissionsBoundary")
                            .and_then(|b| cfn_managed_policy(file, resources, b, &subs)),
                    ),
                });
                cfn_policy(
                    file,
                    prop("AssumeRolePolicyDocument"),
                    &subs,
                    (Some(idx), PolicyKind::Trust),
                    || format!("trust policy of {logical}"),
                    out,
                );
                for p in prop("Policies").map(Node::items).unwrap_or(&[]) {
                    cfn_policy(
                        file,
                        p.get("PolicyDocument"),
                        &subs,
                        (Some(idx), PolicyKind::Identity),
                        || {
                            let pname = p.get("PolicyName").and_then(|n| text(n, &subs));
                            format!(
                                "inline policy {} of {logical}",
                                pname.as_ref().map_or("?", |t| t.value.as_str())
                            )
                        },
                        out,
                    );
                }
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                // The first role of `Roles` (a `!Ref` to a role of this template defined
                // above) holds the policy, written here or included from a file.
                let role = prop("Roles")
                    .map(Node::items)
                    .unwrap_or(&[])
                    .iter()
                    .find_map(ref_target)
                    .and_then(|target| {
                        out.roles[first_role..]
                            .iter()
                            .position(|r| r.logical_id == Some(target.as_str()))
                    })
                    .map(|i| first_role + i);
                // A managed policy attached to nobody that the template names only as roles'
                // permissions boundaries grants nothing (see `PolicyKind::Boundary`).
                let kind = if ty == "AWS::IAM::ManagedPolicy"
                    && ["Roles", "Groups", "Users"]
                        .iter()
                        .all(|k| prop(k).is_none())
                    && only_boundary(root, logical)
                {
                    PolicyKind::Boundary
                } else {
                    PolicyKind::Identity
                };
                cfn_policy(
                    file,
                    prop("PolicyDocument"),
                    &subs,
                    (role, kind),
                    || format!("policy {logical}"),
                    out,
                );
            }
            "AWS::IAM::OIDCProvider" => out.oidc_providers.push(&e.value),
            _ => {}
        }
    }
}

/// Whether the template names the resource `logical` at least once, and each time inside a
/// `PermissionsBoundary` property (`!Ref X`, `{"Ref": "X"}`, `!GetAtt X.PolicyArn`,
/// `!Sub "${X}"`, whatever the form). Any other mention (a role's `ManagedPolicyArns`, an
/// output, a `DependsOn`) may grant what it allows: then it is not only a boundary.
fn only_boundary(root: &Node, logical: &str) -> bool {
    fn mentions(s: &str, logical: &str) -> bool {
        s == logical
            || s.strip_prefix(logical)
                .is_some_and(|rest| rest.starts_with('.'))
            || s.match_indices("${").any(|(i, _)| {
                let rest = &s[i + 2..];
                rest.strip_prefix(logical)
                    .is_some_and(|r| r.starts_with('}') || r.starts_with('.'))
            })
    }
    // (boundary uses, other uses) under `node`.
    fn walk(node: &Node, logical: &str, in_boundary: bool, uses: &mut (usize, usize)) {
        match &node.value {
            Value::Str(s) if mentions(s, logical) => {
                if in_boundary {
                    uses.0 += 1;
                } else {
                    uses.1 += 1;
                }
            }
            Value::Seq(items) => items
                .iter()
                .for_each(|i| walk(i, logical, in_boundary, uses)),
            Value::Map(entries) => {
                for e in entries.iter() {
                    let boundary = in_boundary || e.key.as_str() == Some("PermissionsBoundary");
                    walk(&e.value, logical, boundary, uses);
                }
            }
            _ => {}
        }
    }
    let mut uses = (0, 0);
    walk(root, logical, false, &mut uses);
    uses.0 > 0 && uses.1 == 0
}

/// The document of the `AWS::IAM::ManagedPolicy` of this template a role's
/// `PermissionsBoundary` names (`!Ref B`, `{Ref: B}`, `!GetAtt B.PolicyArn`,
/// `{Fn::GetAtt: [B, PolicyArn]}`, `!Sub '${B}'`).
fn cfn_managed_policy<'a>(
    file: &'a InputFile,
    resources: &'a [crate::source::node::Entry],
    boundary: &Node,
    subs: &Substitutions,
) -> Option<&'a Node> {
    let target = ref_target(boundary).or_else(|| {
        if let Some((logical, attr)) = crate::derived::cfn_get_att(boundary) {
            return (attr == "PolicyArn").then(|| logical.to_string());
        }
        let sub = match boundary.tag.as_deref() {
            Some("!Sub") => boundary.as_str(),
            _ => boundary.get("Fn::Sub").and_then(Node::as_str),
        }?;
        sub.strip_prefix("${")
            .and_then(|r| r.strip_suffix('}'))
            .filter(|l| !l.contains(['$', '{', '}', '.', ':']))
            .map(str::to_string)
    })?;
    let policy = resources
        .iter()
        .find(|e| e.key.as_str() == Some(target.as_str()))?;
    if policy.value.get("Type").and_then(Node::as_str) != Some("AWS::IAM::ManagedPolicy") {
        return None;
    }
    let doc = policy.value.get("Properties")?.get("PolicyDocument")?;
    cfn_policy_node(file, doc, subs).map(|(d, _)| d)
}

/// The logical id in `!Ref X` / `{"Ref": "X"}`.
fn ref_target(n: &Node) -> Option<String> {
    if n.tag.as_deref() == Some("!Ref") {
        return n.as_str().map(str::to_string);
    }
    n.get("Ref").and_then(Node::as_str).map(str::to_string)
}

/// A bare policy document. A trust policy becomes a role named after its file, so that
/// `eks.amazonaws.com/role-arn` annotations can find it: `payments.json`,
/// `payments-trust.json`, `payments.trust-policy.json`, kops' `aws_iam_role_<name>_policy`.
fn bare<'a>(file: &'a InputFile, display_path: &str, root: &'a Node, out: &mut Extracted<'a>) {
    out.policies.push(PolicySource {
        file: file.id,
        node: root,
        kind: None,
        role: None,
        label: format!("policy {display_path}"),
        subs: Substitutions::default(),
        instance: None,
    });
}

/// File names (without their extension and the suffixes [`role_name_from_path`] strips,
/// `-`/`_` alike, any case) that say what the file is, not which role it belongs to, as the
/// vendors' guides name them (`trust-policy.json`, `trust.json`,
/// `assume-role-policy.json`, `TrustPolicy.json`): such a file names no role.
const GENERIC_NAMES: &[&str] = &[
    "trust",
    "trustpolicy",
    "trust-relationship",
    "trust-relationships",
    "trust-document",
    "assume-role",
    "assumerole",
    "assumerolepolicy",
    "assume-role-document",
    "assume-role-policy-document",
    "role",
    "role-trust",
    "iam-role",
    "iam-trust",
    "iam",
    "irsa",
    "irsa-role",
    "oidc",
    "oidc-trust",
    "web-identity",
    "policy",
];

/// The role name a bare trust policy file stands for; `None` for a name that says what the
/// file is rather than whose it is ([`GENERIC_NAMES`]).
pub fn role_name_from_path(path: &str) -> Option<String> {
    let name = role_name_from_file_name(path)?;
    let generic = name.to_ascii_lowercase().replace('_', "-");
    (!GENERIC_NAMES.contains(&generic.as_str())).then_some(name)
}

fn role_name_from_file_name(path: &str) -> Option<String> {
    let stem = path.rsplit('/').next()?;
    let mut s = stem.to_string();
    for ext in [".json", ".yaml", ".yml"] {
        if let Some(x) = s.strip_suffix(ext) {
            s = x.to_string();
            break;
        }
    }
    // kops writes `aws_iam_role_<name>_policy` (also inside longer, flattened paths).
    if let Some(i) = s.find("aws_iam_role_") {
        s = s[i + "aws_iam_role_".len()..].to_string();
    }
    for suffix in [
        "-assume-role-policy",
        "_assume_role_policy",
        "-trust-policy",
        "_trust_policy",
        ".trust-policy",
        "-trust",
        "_trust",
        ".trust",
        "_policy",
        "-policy",
    ] {
        if let Some(x) = s.strip_suffix(suffix) {
            s = x.to_string();
            break;
        }
    }
    (!s.is_empty()).then_some(s)
}

/// Crossplane (`iam.aws.crossplane.io`, `iam.aws.upbound.io`) and ACK
/// (`iam.services.k8s.aws`) roles and policies, whose documents are JSON strings.
pub fn from_object<'a>(file: &'a InputFile, obj: &Object<'a>, out: &mut Extracted<'a>) {
    if !obj.api_version.contains("iam.") {
        return;
    }
    let spec = obj.node.get("spec");
    let provider = spec.and_then(|s| s.get("forProvider"));
    let field = |names: &[&str]| -> Option<&'a Node> {
        names.iter().find_map(|k| {
            provider
                .and_then(|p| p.get(k))
                .or_else(|| spec.and_then(|s| s.get(k)))
        })
    };
    let subs = Substitutions::default();
    match obj.kind {
        "Role" => {
            let idx = out.roles.len();
            let external = obj
                .annotations()
                .iter()
                .find(|e| e.key.as_str() == Some("crossplane.io/external-name"))
                .map(|e| &e.value);
            let name_node = field(&["name", "roleName"]).or(external).or(obj.name);
            let name = name_node.and_then(|n| text(n, &subs));
            out.roles.push(Role {
                file: file.id,
                source: RoleSource::Kubernetes,
                arn: None,
                name,
                path: field(&["path"]).and_then(|n| text(n, &subs)),
                anchor: obj.anchor(),
                logical_id: None,
                managed_policy_arns: field(&["policies", "managedPolicyArns"])
                    .map(Node::items)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|n| text(n, &subs))
                    .collect(),
                boundary: boundary_of(field(&["permissionsBoundary"]), &subs, None),
            });
            if let Some(doc) = field(&["assumeRolePolicyDocument", "assumeRolePolicy"])
                .and_then(|n| policy_node(file, n))
            {
                out.policies.push(PolicySource {
                    file: file.id,
                    node: doc,
                    kind: Some(PolicyKind::Trust),
                    role: Some(idx),
                    label: format!("trust policy of {}", obj.display()),
                    subs: subs.clone(),
                    instance: None,
                });
            }
            for e in field(&["inlinePolicies"]).map(Node::entries).unwrap_or(&[]) {
                if let Some(doc) = policy_node(file, &e.value) {
                    out.policies.push(PolicySource {
                        file: file.id,
                        node: doc,
                        kind: Some(PolicyKind::Identity),
                        role: Some(idx),
                        label: format!("inline policy of {}", obj.display()),
                        subs: subs.clone(),
                        instance: None,
                    });
                }
            }
        }
        "Policy" => {
            if let Some(doc) =
                field(&["document", "policy", "policyDocument"]).and_then(|n| policy_node(file, n))
            {
                out.policies.push(PolicySource {
                    file: file.id,
                    node: doc,
                    kind: Some(PolicyKind::Identity),
                    role: None,
                    label: format!("policy {}", obj.display()),
                    subs,
                    instance: None,
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod display_tests {
    use super::*;
    use crate::source::file::Span;

    fn role(name: Option<&str>, logical_id: Option<&'static str>) -> Role<'static> {
        Role {
            file: 0,
            source: RoleSource::Terraform,
            arn: None,
            name: name.map(|n| Text {
                value: n.into(),
                span: Span::empty(0, 0),
                unresolved: false,
            }),
            path: None,
            anchor: Span::empty(0, 0),
            logical_id,
            managed_policy_arns: Vec::new(),
            boundary: None,
        }
    }

    #[test]
    fn an_empty_name_gives_way_to_the_address() {
        let address = Some("module.irsa.aws_iam_role.this[0]");
        assert_eq!(
            role(Some(""), address).display(),
            "module.irsa.aws_iam_role.this[0]"
        );
        assert_eq!(role(Some("app"), address).display(), "app");
        assert_eq!(role(None, None).display(), "unnamed role");
    }

    /// An unknown name that is a whole expression says less than the address; a reference
    /// or a partly known name says more.
    #[test]
    fn an_unknown_expression_name_gives_way_to_the_address() {
        let address = Some("aws_iam_role.karpenter[0]");
        let unknown = |value: &str| {
            let mut r = role(Some(value), address);
            if let Some(n) = r.name.as_mut() {
                n.unresolved = true;
            }
            r
        };
        let expr = "${try(var.karpenter_node.iam_role_use_name_prefix, true) ? null : local.name}";
        assert_eq!(unknown(expr).display(), "aws_iam_role.karpenter[0]");
        assert_eq!(unknown("${var.name}").display(), "${var.name}");
        assert_eq!(unknown("${var.env}-irsa").display(), "${var.env}-irsa");
        assert_eq!(unknown("${var.a} ${var.b}").display(), "${var.a} ${var.b}");
        // Written as is, the same text is the name (a CloudFormation name keeps its `${}`).
        assert_eq!(role(Some(expr), address).display(), expr);
        let mut cfn = unknown(expr);
        cfn.source = RoleSource::CloudFormation;
        assert_eq!(cfn.display(), expr);
        let mut no_address = unknown(expr);
        no_address.logical_id = None;
        assert_eq!(no_address.display(), expr);
    }
}

#[cfg(test)]
mod cfn_tests {
    use super::*;
    use crate::load::{load, RawInput};
    use crate::source::Limits;

    /// A policy's label, its known substitutions (sorted) and whether its strings are
    /// `Fn::Sub` templates.
    type Read = (String, Vec<(String, String)>, bool);

    /// The policy documents of a CloudFormation template.
    fn policies(text: &str) -> Vec<Read> {
        let inputs = load(
            vec![RawInput {
                display: "t.yaml".into(),
                bytes: text.as_bytes().to_vec(),
                read_error: None,
            }],
            &Limits::lint(),
        );
        let file = &inputs.files[0];
        let mut out = Extracted::default();
        from_document(file, "t.yaml", &file.documents[0].root, &mut out);
        out.policies
            .iter()
            .map(|p| {
                let mut known: Vec<(String, String)> = p
                    .subs
                    .known
                    .iter()
                    .filter(|(k, _)| !k.starts_with("AWS::"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                known.sort();
                (p.label.clone(), known, p.subs.template)
            })
            .collect()
    }

    #[test]
    fn a_managed_policy_named_only_as_permissions_boundaries_is_a_boundary() {
        // The kinds of the policies of a template with managed policy `B` (with `own`
        // properties besides its document) and the resources `uses`.
        let kinds = |own: &str, uses: &str| {
            let text = format!(
                "Resources:\n  B:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n{own}      PolicyDocument: {{Statement: [{{Effect: Allow, Action: '*', Resource: '*'}}]}}\n{uses}"
            );
            let inputs = load(
                vec![RawInput {
                    display: "t.yaml".into(),
                    bytes: text.into_bytes(),
                    read_error: None,
                }],
                &Limits::lint(),
            );
            let file = &inputs.files[0];
            let mut out = Extracted::default();
            from_document(file, "t.yaml", &file.documents[0].root, &mut out);
            out.policies.iter().map(|p| p.kind).collect::<Vec<_>>()
        };
        let boundary = Some(PolicyKind::Boundary);
        let identity = Some(PolicyKind::Identity);
        let role =
            |props: &str| format!("  R:\n    Type: AWS::IAM::Role\n    Properties:\n{props}");
        for (uses, want) in [
            (role("      PermissionsBoundary: !Ref B\n"), boundary),
            (role("      PermissionsBoundary: {Ref: B}\n"), boundary),
            (
                role("      PermissionsBoundary: !GetAtt B.PolicyArn\n"),
                boundary,
            ),
            (
                role("      PermissionsBoundary: {'Fn::GetAtt': [B, PolicyArn]}\n"),
                boundary,
            ),
            // Never named: nothing says it is a boundary.
            (String::new(), identity),
            // Also attached, or named anywhere else: it may grant.
            (
                role("      PermissionsBoundary: !Ref B\n      ManagedPolicyArns: [!Ref B]\n"),
                identity,
            ),
            (
                role("      PermissionsBoundary: !Ref B\n")
                    + "Outputs:\n  Arn: {Value: !Sub '${B}'}\n",
                identity,
            ),
            (
                role("      ManagedPolicyArns: [!GetAtt B.PolicyArn]\n"),
                identity,
            ),
        ] {
            assert_eq!(kinds("", &uses), [want], "{uses}");
        }
        // Attached by its own `Roles` (or `Groups`, `Users`): it grants.
        let uses = role("      PermissionsBoundary: !Ref B\n");
        for own in ["Roles", "Groups", "Users"] {
            let own = format!("      {own}: [x]\n");
            assert_eq!(kinds(&own, &uses), [identity], "{own}");
        }
    }

    #[test]
    fn sub_policies_are_templates_with_the_list_forms_variables() {
        let text = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Bucket: {Type: String, Default: logs}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub |
        {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]}
      Policies:
        - PolicyName: list
          PolicyDocument: !Sub
            - '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${Name}/*"}]}'
            - {Name: data}
        - PolicyName: fnsub
          PolicyDocument:
            Fn::Sub:
              - '{"Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::${Name}/*"}]}'
              - {Name: out}
        - PolicyName: plain
          PolicyDocument:
            Statement: [{Effect: Allow, Action: "s3:ListBucket", Resource: "*"}]
"#;
        let bucket = ("Bucket".to_string(), "logs".to_string());
        let with = |n: &str| vec![bucket.clone(), ("Name".to_string(), n.to_string())];
        assert_eq!(
            policies(text),
            [
                (
                    "trust policy of Role".to_string(),
                    vec![bucket.clone()],
                    true
                ),
                ("inline policy list of Role".to_string(), with("data"), true),
                ("inline policy fnsub of Role".to_string(), with("out"), true),
                (
                    "inline policy plain of Role".to_string(),
                    vec![bucket],
                    false
                ),
            ]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::role_name_from_path;

    #[test]
    fn role_names_from_file_names() {
        assert_eq!(
            role_name_from_path("iam/payments-trust.json").as_deref(),
            Some("payments")
        );
        assert_eq!(
            role_name_from_path("payments.json").as_deref(),
            Some("payments")
        );
        assert_eq!(
            role_name_from_path(
                "x/data__aws_iam_role_dns-controller.kube-system.sa.minimal.example.com_policy"
            )
            .as_deref(),
            Some("dns-controller.kube-system.sa.minimal.example.com")
        );
        assert_eq!(
            role_name_from_path("aws_iam_role_ebs.kube-system.sa.c_policy").as_deref(),
            Some("ebs.kube-system.sa.c")
        );
    }

    /// The names vendors' guides give a trust policy file name no role.
    #[test]
    fn generic_file_names_name_no_role() {
        for p in [
            "trust-policy.json",
            "iam/trust.json",
            "assume-role-policy.json",
            "assume_role_policy.json",
            "TrustPolicy.json",
            "trust-relationship.json",
            "irsa-trust-policy.json",
            "policy.json",
            "role-trust-policy.yaml",
        ] {
            assert_eq!(role_name_from_path(p), None, "{p}");
        }
        // A role named like part of a generic name is still a role.
        assert_eq!(
            role_name_from_path("trusty-trust.json").as_deref(),
            Some("trusty")
        );
        assert_eq!(
            role_name_from_path("iam/assume-role-payments.json").as_deref(),
            Some("assume-role-payments")
        );
    }
}
