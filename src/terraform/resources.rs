//! The one mapping from Terraform resources (configuration, plan or modelled module, all in
//! plan JSON's shape, see [`crate::terraform`]) to the model the rules read: IAM roles and
//! their policies, OIDC providers, ServiceAccounts (written as `kubernetes_service_account`,
//! set by an EKS add-on, or annotated through a `helm_release`), pod templates and Pod
//! Identity associations.
//!
//! It runs in two steps because the model borrows its nodes: [`derive`] (at load time)
//! builds the nodes the resources imply but do not hold in that form (a policy document
//! decoded from its JSON text, a ServiceAccount object in Kubernetes' shape) and keeps them
//! in [`Derived`]; [`extract`] (in `World::build`) adds the typed views.
//!
//! Input contract: a JSON-document attribute (`assume_role_policy`, `policy`) is its JSON
//! text (plan JSON) or the decoded object (what `jsonencode(...)`, a heredoc of JSON or
//! `data.aws_iam_policy_document.x.json` gave, with spans into the HCL).
//!
//! A new resource type goes here: one arm in [`derive`] that turns its values into the
//! model's shape, nothing else.

/// foldhash, as in `hcl`: std's SipHash of each role's directory and address was a fifth of
/// `derive` (0.78 M instructions of the 1k corpus). No map here is iterated into output in
/// its hash order (std's order was random per run already).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

use super::hcl::dir_of;

use crate::source::file::{FileId, SourceMap, Span};
use crate::source::node::{map, Entry, Node, Value};

use super::{Mode, Origin, Resource};

/// A role a resource declares.
#[derive(Debug)]
pub struct TfRole {
    /// Index into `Inputs::terraform`.
    pub resource: usize,
    pub name: Option<Node>,
    pub path: Option<Node>,
    /// The ARN when the resource has one (a plan); else `None` (`${<address>.arn}`).
    pub arn: Option<Node>,
    pub managed_policy_arns: Vec<Node>,
    /// `permissions_boundary` as written (a modelled module's boundary input lands here).
    pub permissions_boundary: Option<Node>,
    /// The `aws_iam_policy` of the inputs that boundary names (index into
    /// `Inputs::terraform`): by reference in the role's module, or by a known ARN whose
    /// policy name exactly one `aws_iam_policy` of the inputs has.
    pub boundary_policy: Option<usize>,
}

/// A policy document a resource declares, with the role it belongs to.
#[derive(Debug)]
pub struct TfPolicy {
    pub resource: usize,
    /// A role's trust policy (else a permissions policy).
    pub trust: bool,
    doc: PolicyDoc,
    /// Index into [`Derived::roles`].
    pub role: Option<usize>,
    pub label: String,
}

/// Where a [`TfPolicy`]'s document is. A document written as a tree (`jsonencode`, a
/// rendered `aws_iam_policy_document`, a plan's decoded string) stays in its resource's
/// body and is found there again: a copy would hold every such document twice for the
/// whole run (8 MB of the 10k benchmark's Terraform roots).
#[derive(Debug, Clone)]
enum PolicyDoc {
    /// Decoded from JSON text: the body holds the string, so the tree is kept here.
    Owned(Node),
    /// The value of the body's attribute (`assume_role_policy`, `policy`).
    Attribute(&'static str),
    /// The `policy` of the body's `inline_policy` block at this index.
    Inline(usize),
}

impl TfPolicy {
    /// The policy document, from `resources` (the slice it was derived from). `None`
    /// only if the resource is no longer the one derived from.
    pub fn doc<'r>(&'r self, resources: &'r [Resource]) -> Option<&'r Node> {
        let body = || Some(&resources.get(self.resource)?.body);
        let found = match &self.doc {
            PolicyDoc::Owned(n) => return Some(n),
            PolicyDoc::Attribute(key) => body()?.get(key),
            PolicyDoc::Inline(i) => body()?
                .get("inline_policy")
                .and_then(|b| b.items().get(*i))
                .and_then(|p| p.get("policy")),
        };
        found.filter(|n| n.as_map().is_some())
    }
}

/// What the resources imply, in the model's shapes (built once, at load time).
#[derive(Debug, Default)]
pub struct Derived {
    pub roles: Vec<TfRole>,
    pub policies: Vec<TfPolicy>,
    /// Kubernetes objects in their own shape (ServiceAccounts, pod-template owners), with the
    /// file their text is in.
    pub objects: Vec<(FileId, Node)>,
    /// `{Url, ClientIDList}` of `aws_iam_openid_connect_provider`s.
    pub oidc_providers: Vec<Node>,
    pub pod_identity: Vec<TfAssociation>,
    /// The EKS clusters the Terraform roots (and plans) declare or read, one per root that
    /// names one, sorted by root directory (see [`EksCluster`]).
    pub eks_clusters: Vec<EksCluster>,
    /// The `data "aws_iam_role"` blocks that look a role up by `name`.
    pub role_lookups: Vec<TfRoleLookup>,
}

/// A `data "aws_iam_role"` that looks a role up by `name`: a reference to it
/// (`data.aws_iam_role.x.arn`) names the role of that name the inputs define, often in
/// another root (the cluster's root reads what the IAM root creates), when exactly one
/// has that name known ([`role_lookup`]).
#[derive(Debug)]
pub struct TfRoleLookup {
    /// The data source's address (`data.aws_iam_role.x`, under its call's in a module).
    pub address: String,
    /// The resource's file (see [`Resource::file`]): references are its module's.
    pub file: FileId,
    pub anchor: Span,
    /// The name looked up: a known string, or unknown.
    pub name: Node,
}

/// The name a lookup finds among the role names the inputs know (`names`: each known
/// name with how many roles have it): the name when exactly one role has it, `None` when
/// the name is unknown, or none or several roles have it.
pub fn role_lookup(lookup: &TfRoleLookup, count: impl Fn(&str) -> usize) -> Option<&str> {
    let name = lookup.name.as_str().filter(|_| !is_unknown(&lookup.name))?;
    (count(name) == 1).then_some(name)
}

/// An EKS cluster a Terraform root (or a plan's directory) declares or reads.
#[derive(Debug)]
pub struct EksCluster {
    /// The root's directory.
    pub root: String,
    /// The address that says so (`module.eks`, `aws_eks_cluster.main`).
    pub by: String,
    /// How many clusters the root names: more than one when it declares several
    /// (`aws_eks_cluster` instances, EKS module calls) or reads several without declaring.
    pub count: usize,
    /// Its OIDC issuer when a plan or state gives it (`identity[0].oidc[0].issuer`).
    pub issuer: Option<Node>,
}

/// An `aws_eks_pod_identity_association`.
#[derive(Debug)]
pub struct TfAssociation {
    pub namespace: Node,
    pub service_account: Node,
    pub role_arn: Option<Node>,
    /// The cluster it is for, as written (`cluster_name`): often a reference to the cluster
    /// its root creates (`module.eks.cluster_name`), unknown.
    pub cluster_name: Option<Node>,
    pub anchor: Span,
    /// The resource's file (see [`Resource::file`]): links by address compare it.
    pub file: FileId,
    pub label: String,
}

fn is_unknown(n: &Node) -> bool {
    super::hcl::is_unknown(n)
}

fn s(v: &str, span: Span) -> Node {
    Node::new(Value::Str(v.into()), span)
}

fn entry(k: &str, span: Span, value: Node) -> Entry {
    Entry {
        key: s(k, span),
        value,
    }
}

/// The first (only) block of a nested block list, as plan JSON gives it.
fn block<'n>(n: &'n Node, key: &str) -> Option<&'n Node> {
    match n.get(key)? {
        v @ Node {
            value: Value::Map(_),
            ..
        } => Some(v),
        v => v.as_seq()?.first(),
    }
}

/// Where a JSON-document attribute's tree is: the attribute itself (`at`) when given
/// decoded, or its JSON text decoded.
fn document_at(n: &Node, at: PolicyDoc) -> Option<PolicyDoc> {
    if is_unknown(n) && n.as_map().is_none() {
        return None;
    }
    match &n.value {
        Value::Map(_) => Some(at),
        Value::Str(_) => super::hcl::decode_text(n).map(PolicyDoc::Owned),
        _ => None,
    }
}

/// A JSON-document attribute as a tree: given decoded, or its JSON text decoded.
pub fn document(n: &Node) -> Option<Node> {
    if is_unknown(n) && n.as_map().is_none() {
        return None;
    }
    match &n.value {
        Value::Map(_) => Some(n.clone()),
        Value::Str(_) => super::hcl::decode_text(n),
        _ => None,
    }
}

/// The JSON policy document `data "aws_iam_policy_document"` renders from its blocks, each
/// element keeping the span of what the user wrote (`test`, `variable`, `values`, …).
/// `None` when it cannot be known (an unknown `dynamic` set of statements, unknown source
/// documents).
pub fn policy_document_json(body: &Node) -> Option<Node> {
    let span = body.span;
    let mut statements: Vec<Node> = Vec::new();
    for key in ["source_policy_documents", "source_json"] {
        if let Some(src) = body.get(key) {
            for d in src.items() {
                let doc = document(d)?;
                statements.extend(doc.get("Statement").map(Node::items)?.iter().cloned());
            }
        }
    }
    // Overrides replace statements by Sid: not modelled, so not known. An empty list (or
    // `null`) overrides nothing: eks-blueprints-addons writes
    // `override_policy_documents = lookup(var.x, "override_policy_documents", [])`.
    if ["override_policy_documents", "override_json"]
        .iter()
        .any(|k| body.get(k).is_some_and(|n| !n.items().is_empty()))
    {
        return None;
    }
    let stmts = body.get("statement");
    if stmts.is_some_and(is_unknown) {
        return None;
    }
    for st in stmts.map(Node::items).unwrap_or(&[]) {
        let sspan = st.span;
        // Each argument's entry (the last of its name, as `Node::entry` finds it) in one
        // pass over the block's: asked for by name, nine names were each compared with
        // every key. The statement's entries sized once from them (pushed one by one, they
        // grew twice and were copied again to be boxed).
        let mut found: [Option<&Entry>; 9] = [None; 9];
        for e in st.as_map().unwrap_or_default() {
            let i = match e.key.as_str() {
                Some("sid") => 0,
                Some("effect") => 1,
                Some("principals") => 2,
                Some("not_principals") => 3,
                Some("actions") => 4,
                Some("not_actions") => 5,
                Some("resources") => 6,
                Some("not_resources") => 7,
                Some("condition") => 8,
                _ => continue,
            };
            found[i] = Some(e);
        }
        let [sid, effect, principals, not_principals, actions, not_actions, resources, not_resources, condition] =
            found;
        let mut out = Vec::with_capacity(
            1 + found.iter().skip(2).flatten().count() + usize::from(sid.is_some()),
        );
        if let Some(sid) = sid {
            out.push(entry("Sid", sid.key.span, sid.value.clone()));
        }
        match effect {
            Some(e) => out.push(entry("Effect", e.key.span, e.value.clone())),
            None => out.push(entry("Effect", sspan, s("Allow", sspan))),
        }
        for (ps, name) in [(principals, "Principal"), (not_principals, "NotPrincipal")] {
            let Some(ps) = ps else { continue };
            if is_unknown(&ps.value) {
                return None;
            }
            let mut by_type: Vec<Entry> = Vec::new();
            let mut star = None;
            for p in ps.value.items() {
                let ty = p.get("type")?;
                let ids = p.get("identifiers")?;
                // `type = "*"` with `identifiers = ["*"]` renders as `"Principal": "*"`.
                if ty.as_str() == Some("*") {
                    star = Some(s("*", ty.span));
                    continue;
                }
                match by_type
                    .iter_mut()
                    .find(|e| e.key.as_str().is_some() && e.key.as_str() == ty.as_str())
                {
                    Some(e) => {
                        if let Value::Seq(v) = &mut e.value.value {
                            crate::source::node::extend(v, ids.items().iter().cloned());
                        }
                    }
                    None => by_type.push(Entry {
                        key: ty.clone(),
                        value: Node::new(Value::Seq(ids.items().to_vec().into()), ids.span),
                    }),
                }
            }
            let value = match star {
                Some(star) if by_type.is_empty() => star,
                _ => map(by_type, ps.value.span),
            };
            out.push(entry(name, ps.key.span, value));
        }
        for (e, name) in [
            (actions, "Action"),
            (not_actions, "NotAction"),
            (resources, "Resource"),
            (not_resources, "NotResource"),
        ] {
            if let Some(e) = e {
                out.push(entry(name, e.key.span, e.value.clone()));
            }
        }
        if let Some(cs) = condition {
            if is_unknown(&cs.value) {
                return None;
            }
            // Each operator's keys gathered in a vector, made a map once at the end (a map
            // grown key by key was copied each time).
            let mut ops: Vec<(Node, Span, Vec<Entry>)> = Vec::new();
            for c in cs.value.items() {
                let (test, var, vals) = (c.get("test")?, c.get("variable")?, c.get("values")?);
                let keys = match ops.iter().position(|(k, _, _)| k.as_str() == test.as_str()) {
                    Some(i) => &mut ops[i].2,
                    None => {
                        ops.push((test.clone(), c.span, Vec::new()));
                        &mut ops.last_mut()?.2
                    }
                };
                match keys.iter_mut().find(|e| {
                    e.key.as_str() == var.as_str() && e.key.tag == var.tag && !is_unknown(var)
                }) {
                    // Blocks with the same test and variable: their values are merged.
                    Some(k) => {
                        let mut items = k.value.items().to_vec();
                        items.extend(vals.items().iter().cloned());
                        k.value = Node::new(Value::Seq(items.into()), k.value.span);
                    }
                    None => keys.push(Entry {
                        key: var.clone(),
                        value: vals.clone(),
                    }),
                }
            }
            let ops = ops
                .into_iter()
                .map(|(key, span, keys)| Entry {
                    key,
                    value: map(keys, span),
                })
                .collect();
            out.push(entry("Condition", cs.key.span, map(ops, cs.value.span)));
        }
        let mut st = map(out, sspan);
        collapse_single(&mut st, 0);
        statements.push(st);
    }
    let version = body
        .get("version")
        .cloned()
        .unwrap_or_else(|| s("2012-10-17", span));
    Some(map(
        vec![
            entry("Version", version.span, version),
            entry(
                "Statement",
                stmts.map_or(span, |n| n.span),
                Node::new(
                    Value::Seq(statements.into()),
                    stmts.map_or(span, |n| n.span),
                ),
            ),
        ],
        span,
    ))
}

/// The provider renders a one-element list as its element (`"Action": "sts:…"`, a
/// condition's single value): so do we, since rules tell the forms apart.
fn collapse_single(n: &mut Node, depth: usize) {
    if depth > 4 {
        return;
    }
    if let Value::Map(entries) = &mut n.value {
        for e in entries {
            if let Value::Seq(items) = &mut e.value.value {
                if items.len() == 1 && items[0].as_map().is_none() && items[0].as_seq().is_none() {
                    // Moved out, not copied: the list is dropped right after.
                    let only = std::mem::replace(&mut items[0], Node::new(Value::Null, n.span));
                    e.value = only;
                    continue;
                }
            }
            collapse_single(&mut e.value, depth + 1);
        }
    }
}

/// Whether `s` is a Terraform reference (`module.irsa.iam_role_arn`, `aws_iam_role.x.arn`),
/// as an unknown's name is written, rather than a value.
pub fn is_reference(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && !s.contains(':')
        && s.contains('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-[]\"*".contains(c))
}

/// Whether `reference` (an unknown's name, `aws_iam_role.x.arn`, `module.irsa.iam_role_arn`)
/// names the role at `address`: the resource itself, or a role a module call generates.
pub fn refers_to(reference: &str, address: &str) -> bool {
    let (named, call) = referenced(reference);
    named == Some(address)
        || call.is_some_and(|c| {
            address
                .strip_prefix("module.")
                .and_then(|m| m.strip_prefix(c))
                .is_some_and(|rest| rest.starts_with('.'))
        })
}

/// What a reference names, split for lookups: the address before `.arn`/`.name`/`.id`/
/// `.unique_id` (`aws_iam_role.x.arn`), and the call of `module.<call>.<output>` when the
/// output is a role's (`module.irsa.iam_role_arn`, `.arn`, `.iam_role_name`).
fn referenced(reference: &str) -> (Option<&str>, Option<&str>) {
    let r = reference.trim();
    // As the model's text shows an unknown: `${aws_iam_role.x.arn}`.
    let r = r
        .strip_prefix("${")
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(r);
    let address = [".arn", ".name", ".id", ".unique_id"]
        .iter()
        .find_map(|s| r.strip_suffix(s));
    let call = module_path(r)
        .filter(|(_, output)| {
            // eks-pod-identity's `associations["k"].target_role_arn` is the role the
            // association's role assumes next, not the call's.
            (output.ends_with("role_arn") && !output.ends_with("target_role_arn"))
                || output.ends_with("role_name")
                || *output == "arn"
                || *output == "name"
                // eks-blueprints v4 helm-addon's `irsa_arn`/`irsa_name`.
                || *output == "irsa_arn"
                || *output == "irsa_name"
        })
        .map(|(call, _)| call);
    (address, call)
}

/// The module call path an address or reference starts with, without its first
/// `module.`, and what follows it: `module.irsa.iam_role_arn` → (`irsa`, `iam_role_arn`),
/// `module.platform.module.irsa["web"].aws_iam_role.this` → (`platform.module.irsa["web"]`,
/// `aws_iam_role.this`). `None` when it does not start with a call.
fn module_path(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_prefix("module.")?;
    let mut at = 0;
    loop {
        let r = &body[at..];
        let mut end = r.find(['.', '[']).unwrap_or(r.len());
        if r[end..].starts_with('[') {
            end += r[end..].find(']')? + 1;
        }
        let rest = r[end..].strip_prefix('.')?;
        let next = at + end;
        match rest.strip_prefix("module.") {
            // A nested call: its name follows.
            Some(more) if !more.is_empty() && !more.starts_with(['.', '[']) => {
                at = next + ".module.".len()
            }
            _ => return Some((&body[..next], rest)),
        }
    }
}

/// Every module call path a resource address is under, outermost first:
/// `module.a.module.b.aws_iam_role.this` → `a`, `a.module.b`.
fn module_paths(address: &str) -> Vec<&str> {
    let Some((path, _)) = module_path(address) else {
        return Vec::new();
    };
    let mut out: Vec<&str> = path
        .match_indices(".module.")
        .map(|(i, _)| &path[..i])
        .collect();
    out.push(path);
    out
}

/// The directories (Terraform roots, or a plan's) that declare or read an EKS cluster, with
/// the address that says so: `aws_eks_cluster` (resource or data source), a call of
/// terraform-aws-modules/eks, an `aws_eks_addon`.
fn eks_roots(resources: &[Resource], sources: &SourceMap) -> HashMap<String, String> {
    let mut out = HashMap::default();
    for r in resources {
        let eks = match r.kind.as_str() {
            "aws_eks_cluster" | "aws_eks_addon" => true,
            "module" => r
                .body
                .get("source")
                .and_then(Node::as_str)
                .is_some_and(|s| {
                    s.contains("terraform-aws-modules/eks/aws")
                        || s.contains("terraform-aws-modules/terraform-aws-eks")
                }),
            _ => false,
        };
        if eks {
            let dir = dir_of(&sources.get(r.file).path).to_string();
            out.entry(dir).or_insert_with(|| r.address.clone());
        }
    }
    out
}

/// The EKS cluster of each root in `roots` (see [`EksCluster`]).
fn eks_clusters(
    resources: &[Resource],
    sources: &SourceMap,
    roots: &HashMap<String, String>,
) -> Vec<EksCluster> {
    let mut out: Vec<EksCluster> = roots
        .iter()
        .map(|(root, by)| EksCluster {
            root: root.clone(),
            by: by.clone(),
            count: 0,
            issuer: None,
        })
        .collect();
    out.sort_by(|a, b| a.root.cmp(&b.root));
    // Per root: the names of the clusters it declares (`None`: not known) and of those it
    // reads.
    type Names = (Vec<Option<String>>, Vec<Option<String>>);
    let mut seen: HashMap<usize, Names> = HashMap::default();
    for r in resources {
        let dir = dir_of(&sources.get(r.file).path);
        let Some(at) = out.iter().position(|c| c.root == dir) else {
            continue;
        };
        let c = &mut out[at];
        let names = seen.entry(at).or_default();
        // The module's root declares a cluster; its submodules (`//modules/karpenter`,
        // `//modules/eks-managed-node-group`) add to one and declare none
        // (clowdhaus/eks-reference-architecture karpenter/karpenter.tf@d71a179).
        let eks_module = r.kind == "module"
            && r.body
                .get("source")
                .and_then(Node::as_str)
                .is_some_and(|s| {
                    (s.contains("terraform-aws-modules/eks/aws")
                        || s.contains("terraform-aws-modules/terraform-aws-eks"))
                        && !s.contains("//modules/")
                });
        let name = |key: &str| {
            r.body
                .get(key)
                .filter(|n| !is_unknown(n))
                .and_then(Node::as_str)
                .map(str::to_string)
        };
        match (r.kind.as_str(), r.mode) {
            ("aws_eks_cluster", Mode::Managed) => names.0.push(name("name")),
            ("aws_eks_cluster", Mode::Data) => names.1.push(name("name")),
            // terraform-aws-modules/eks: `cluster_name` (v20), `name` (v21).
            _ if eks_module => names.0.push(name("cluster_name").or_else(|| name("name"))),
            _ => continue,
        }
        if r.kind == "aws_eks_cluster" {
            let issuer = block(&r.body, "identity")
                .and_then(|i| block(i, "oidc"))
                .and_then(|o| o.get("issuer"))
                .filter(|i| i.as_str().is_some_and(|v| !v.is_empty()) && !is_unknown(i));
            if let Some(i) = issuer {
                c.issuer.get_or_insert_with(|| i.clone());
            }
        }
    }
    for (at, c) in out.iter_mut().enumerate() {
        let (declared, read) = seen.remove(&at).unwrap_or_default();
        // A read names another cluster only when its name is known and differs from every
        // declared one's, all known (`data "aws_eks_cluster"` usually reads back the one
        // the root declares, by a reference); reads alone name as many clusters as their
        // distinct names, an unknown name counting as one more; add-ons alone name one.
        let all_known = declared.iter().all(Option::is_some);
        let mut distinct: Vec<Option<String>> = Vec::new();
        for n in read {
            let other = match &n {
                Some(n) => all_known && !declared.iter().any(|d| d.as_deref() == Some(n)),
                None => declared.is_empty(),
            };
            if other && (n.is_none() || !distinct.contains(&n)) {
                distinct.push(n);
            }
        }
        c.count = (declared.len() + distinct.len()).max(1);
    }
    out
}

/// A resource as messages name it: a configuration's block (`aws_iam_policy.app`) for every
/// instance its `count`/`for_each` gives, so a problem in what the instances share is one
/// finding at its place, not one per instance (the place tells instances apart where their
/// values differ); a plan's or a module's resource by its full address.
fn shown(r: &Resource) -> String {
    // A local module's resource under its call's (instance keys left out, as above).
    // A root's resource (no `module.` prefix) has no call path: not copied to look for one.
    let dotted = if r.module.starts_with("module.") {
        [r.module.as_str(), "."].concat()
    } else {
        String::new()
    };
    let module = match module_path(&dotted) {
        Some((path, _)) => {
            let mut m = String::from("module.");
            let mut key = false;
            for c in path.chars() {
                match c {
                    '[' => key = true,
                    ']' => key = false,
                    _ if !key => m.push(c),
                    _ => {}
                }
            }
            m + "."
        }
        None => String::new(),
    };
    match (&r.origin, r.mode) {
        (Origin::Configuration, Mode::Managed) if r.kind == "module" => {
            [module.as_str(), "module.", &r.name].concat()
        }
        (Origin::Configuration, Mode::Managed) => [&module, &r.kind, ".", &r.name].concat(),
        (Origin::Configuration, Mode::Data) => [&module, "data.", &r.kind, ".", &r.name].concat(),
        _ => r.address.clone(),
    }
}

/// After [`derive`]: what of the resources' bodies nothing reads any more is dropped, to
/// free it before the World is built. Read later are only the policy documents a
/// [`TfPolicy`] finds in its resource's body (the attribute, or `inline_policy`) and the
/// bodies of what a modelled module generates (`modules::producer_policies`); everything
/// else the model needs, `derive` copied out (roles' names and ARNs, ServiceAccounts, pod
/// templates, associations). Data sources' bodies (a rendered `aws_iam_policy_document` is
/// in the body that refers to it) and every other attribute are dropped.
pub fn prune(resources: &mut [Resource], derived: &Derived) {
    let mut keep: Vec<Vec<&str>> = vec![Vec::new(); resources.len()];
    for p in &derived.policies {
        let key = match &p.doc {
            PolicyDoc::Owned(_) => continue,
            PolicyDoc::Attribute(key) => key,
            PolicyDoc::Inline(_) => "inline_policy",
        };
        if let Some(k) = keep.get_mut(p.resource) {
            k.push(key);
        }
    }
    // Each resource on its own, in parallel: freeing the dropped bodies was a serial stage
    // between the parallel evaluation and the World.
    use rayon::prelude::*;
    resources
        .par_iter_mut()
        .zip(keep)
        .with_min_len(64)
        .for_each(|(r, keep)| {
            if matches!(r.origin, Origin::Module { .. }) {
                return;
            }
            // A manifest only apply knows (`yaml_body = each.value` of fetched documents) is
            // kept, a tag and a name: `pod-sa-missing` asks whether a root applies objects
            // the inputs cannot show.
            let unread = match r.kind.as_str() {
                super::helm_values::KUBECTL_MANIFEST => Some("yaml_body"),
                "kubernetes_manifest" => Some("manifest"),
                _ => None,
            }
            .filter(|k| {
                r.body
                    .get(k)
                    .is_some_and(|n| n.tag.as_deref() == Some(super::UNKNOWN_TAG))
            });
            let kept_key = |k: &str| keep.contains(&k) || unread == Some(k);
            let Value::Map(entries) = &mut r.body.value else {
                return;
            };
            if entries.iter().all(|e| e.key.as_str().is_some_and(kept_key)) {
                return;
            }
            let kept: Vec<Entry> = std::mem::take(entries)
                .into_vec()
                .into_iter()
                .filter(|e| e.key.as_str().is_some_and(kept_key))
                .collect();
            *entries = kept.into();
        });
}

/// Before [`derive`], as each directory's evaluation ends: the bodies of its
/// `data "aws_iam_policy_document"`s are emptied, as [`prune`] would empty them later. Nothing
/// after the evaluation reads them: the document each renders is already in the body of every
/// resource that refers to it (`assume_role_policy = data.aws_iam_policy_document.x.json`),
/// and `derive` reads data sources only by name (`aws_iam_role`, `aws_eks_cluster`). Held
/// until `prune`, every directory's were in memory at once: at 10k apps with Terraform,
/// about 7.5 MB more memory touched (1,900 page faults), the most of any stage.
pub fn drop_rendered_documents(resources: &mut [Resource]) {
    for r in resources {
        if r.mode == Mode::Data && r.kind == "aws_iam_policy_document" {
            r.body.value = Value::Map(Box::default());
        }
    }
}

/// Links each role's `permissions_boundary` to the `aws_iam_policy` it names: a reference
/// (`aws_iam_policy.b.arn`, unknown until apply) to one of the role's module, or a known ARN
/// `arn:<partition>:iam::<account>:policy/<path><name>` whose name exactly one policy of the
/// inputs has (with that path, when the policy states one).
fn link_boundaries(d: &mut Derived, resources: &[Resource], dirs: &[&str]) {
    let mut by_address: HashMap<(&str, &str), usize> = HashMap::default();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, r) in resources.iter().enumerate() {
        if r.mode != Mode::Managed || r.kind != "aws_iam_policy" {
            continue;
        }
        by_address.entry((dirs[i], r.address.as_str())).or_insert(i);
        if let Some(name) = r
            .body
            .get("name")
            .filter(|n| !is_unknown(n))
            .and_then(Node::as_str)
        {
            by_name.entry(name).or_default().push(i);
        }
    }
    if by_address.is_empty() {
        return;
    }
    for role in &mut d.roles {
        let Some(b) = role.permissions_boundary.as_ref() else {
            continue;
        };
        let Some(text) = b.as_str() else { continue };
        role.boundary_policy = if is_unknown(b) {
            referenced(text)
                .0
                .and_then(|a| by_address.get(&(dirs[role.resource], a)).copied())
        } else {
            text.split_once(":policy")
                .filter(|(head, _)| {
                    head.starts_with("arn:")
                        && head.contains(":iam::")
                        && !head.ends_with(":iam::aws")
                })
                .and_then(|(_, path_name)| {
                    let name = path_name.rsplit('/').next()?;
                    let path = &path_name[..path_name.len() - name.len()];
                    match by_name.get(name).map(Vec::as_slice) {
                        Some(&[one]) => {
                            let stated = resources[one]
                                .body
                                .get("path")
                                .filter(|p| !is_unknown(p))
                                .and_then(Node::as_str);
                            stated.is_none_or(|p| p == path).then_some(one)
                        }
                        _ => None,
                    }
                })
        };
    }
}

/// Builds what the resources imply (see the module doc).
pub fn derive(resources: &[Resource], sources: &SourceMap) -> Derived {
    let mut d = Derived::default();
    let eks = eks_roots(resources, sources);
    d.eks_clusters = eks_clusters(resources, sources, &eks);
    let on_eks = |r: &Resource| -> Option<&String> { eks.get(dir_of(&sources.get(r.file).path)) };
    // The lists sized for a role each and a policy for each role (its trust policy) and
    // each policy resource, where most have one (grown push by push, the policies' list
    // of a large configuration was copied a dozen times).
    let managed = |kind: &str| {
        resources
            .iter()
            .filter(|r| r.mode == Mode::Managed && r.kind == kind)
            .count()
    };
    let n_roles = managed("aws_iam_role");
    d.roles.reserve_exact(n_roles);
    d.policies
        .reserve(n_roles + managed("aws_iam_role_policy") + managed("aws_iam_policy"));
    // Roles first: the policies and attachments below link to them.
    for (i, r) in resources.iter().enumerate() {
        if r.mode != Mode::Managed || r.kind != "aws_iam_role" {
            continue;
        }
        let b = &r.body;
        let idx = d.roles.len();
        d.roles.push(TfRole {
            resource: i,
            path: b.get("path").cloned(),
            arn: b.get("arn").cloned(),
            name: b.get("name").cloned(),
            managed_policy_arns: b
                .get("managed_policy_arns")
                .map(Node::items)
                .unwrap_or(&[])
                .to_vec(),
            permissions_boundary: b.get("permissions_boundary").cloned(),
            boundary_policy: None,
        });
        // Concatenated: `format!`'s machinery was 0.6 M instructions of the 1k corpus here.
        let label = ["role ", &shown(r)].concat();
        if let Some(doc) = b
            .get("assume_role_policy")
            .and_then(|n| document_at(n, PolicyDoc::Attribute("assume_role_policy")))
        {
            d.policies.push(TfPolicy {
                resource: i,
                trust: true,
                doc,
                role: Some(idx),
                label: ["trust policy of ", &label].concat(),
            });
        }
        for (k, p) in b
            .get("inline_policy")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(doc) = p
                .get("policy")
                .and_then(|n| document_at(n, PolicyDoc::Inline(k)))
            {
                let pname = p.get("name").and_then(Node::as_str).unwrap_or("?");
                d.policies.push(TfPolicy {
                    resource: i,
                    trust: false,
                    doc,
                    role: Some(idx),
                    label: format!("inline policy {pname} of {label}"),
                });
            }
        }
    }
    // `data "aws_iam_role"` by name: the role of that name, wherever it is defined.
    for r in resources {
        if r.mode != Mode::Data || r.kind != "aws_iam_role" {
            continue;
        }
        if let Some(name) = r.body.get("name") {
            d.role_lookups.push(TfRoleLookup {
                address: r.address.clone(),
                file: r.file,
                anchor: r.anchor,
                name: name.clone(),
            });
        }
    }
    // A reference names a resource of its own module: the directory of the file it is
    // written in (two roots that each declare `aws_iam_role.this` are two roles). Looked up
    // in indexes by (directory, address), not by comparing every reference with every role:
    // a monorepo of thousands of roots has thousands of `aws_iam_role.this`.
    let dirs: Vec<&str> = resources
        .iter()
        .map(|r| dir_of(&sources.get(r.file).path))
        .collect();
    let mut by_address: HashMap<(&str, &str), usize> = HashMap::default();
    let mut by_call: HashMap<(&str, &str), usize> = HashMap::default();
    let mut by_name: HashMap<&str, usize> = HashMap::default();
    // A name not fully known (`var.role_name`, `"${var.project}-ci"`): `aws_iam_role.x.name`
    // evaluates to that same expression or template, with no address left to look up, so
    // its text in the role's directory names the role.
    let mut by_template: HashMap<(&str, &str), usize> = HashMap::default();
    // Sized once (at most a key per role): grown insert by insert, they were rehashed a
    // dozen times over the roles of every root.
    by_address.reserve(d.roles.len());
    by_name.reserve(d.roles.len());
    for (idx, t) in d.roles.iter().enumerate() {
        let role = &resources[t.resource];
        let dir = dirs[t.resource];
        by_address
            .entry((dir, role.address.as_str()))
            .or_insert(idx);
        for call in module_paths(&role.address) {
            by_call.entry((dir, call)).or_insert(idx);
        }
        match role.body.get("name") {
            Some(x) if !is_unknown(x) => {
                if let Some(name) = x.as_str() {
                    by_name.entry(name).or_insert(idx);
                }
            }
            Some(x) => {
                if let Some(template) = x.as_str() {
                    by_template.entry((dir, template)).or_insert(idx);
                }
            }
            None => {}
        }
    }
    link_boundaries(&mut d, resources, &dirs);
    // Known role names with how many roles have each, and each lookup's one role.
    let mut name_count: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(by_name.len(), Default::default());
    for t in &d.roles {
        if let Some(n) = t
            .name
            .as_ref()
            .filter(|n| !is_unknown(n))
            .and_then(Node::as_str)
        {
            *name_count.entry(n).or_default() += 1;
        }
    }
    let mut by_lookup: HashMap<(&str, &str), usize> = HashMap::default();
    for l in &d.role_lookups {
        let dir = dir_of(&sources.get(l.file).path);
        let found = role_lookup(l, |n| name_count.get(n).copied().unwrap_or(0));
        if let Some(&idx) = found.and_then(|n| by_name.get(n)) {
            by_lookup.insert((dir, l.address.as_str()), idx);
        }
    }
    let role_of = |n: &Node, from: usize| -> Option<usize> {
        if is_unknown(n) {
            let (address, call) = referenced(n.as_str()?);
            let dir = dirs[from];
            let exact = address.and_then(|a| by_address.get(&(dir, a)).copied());
            let generated = call.and_then(|c| by_call.get(&(dir, c)).copied());
            // The first role either way, as a scan of the roles in order would find.
            return match (exact, generated) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (None, None) => by_template
                    .get(&(dir, n.as_str()?))
                    .or_else(|| by_lookup.get(&(dir, address?)))
                    .copied(),
                (a, b) => a.or(b),
            };
        }
        by_name.get(n.as_str()?).copied()
    };
    // Attachments by the policy they name: (directory, policy address or module call) →
    // (attachment, role node), in the resources' order.
    let mut attached: HashMap<(&str, &str), Vec<(usize, &Node)>> = HashMap::default();
    let mut attached_by_call: HashMap<(&str, &str), Vec<(usize, &Node)>> = HashMap::default();
    for (ai, a) in resources.iter().enumerate() {
        if a.mode != Mode::Managed {
            continue;
        }
        for (role, arn) in attachments(a) {
            let Some(p) = arn.as_str() else { continue };
            // A modelled module's `iam_policy_arn` output names one policy it generates.
            let (address, call) = match is_unknown(arn)
                .then(|| super::modules::policy_output(p, resources))
                .flatten()
            {
                Some(policy) => (Some(policy), None),
                None => referenced(p),
            };
            if let Some(address) = address {
                attached
                    .entry((dirs[ai], address))
                    .or_default()
                    .push((ai, role));
            }
            if let Some(call) = call {
                attached_by_call
                    .entry((dirs[ai], call))
                    .or_default()
                    .push((ai, role));
            }
        }
    }
    for (i, r) in resources.iter().enumerate() {
        if r.mode != Mode::Managed {
            continue;
        }
        let b = &r.body;
        match r.kind.as_str() {
            "aws_iam_role_policy" => {
                if let Some(doc) = b
                    .get("policy")
                    .and_then(|n| document_at(n, PolicyDoc::Attribute("policy")))
                {
                    let role = b.get("role").and_then(|n| role_of(n, i));
                    d.policies.push(TfPolicy {
                        resource: i,
                        trust: false,
                        doc,
                        role,
                        label: ["inline policy ", &shown(r)].concat(),
                    });
                }
            }
            "aws_iam_policy" => {
                if let Some(doc) = b
                    .get("policy")
                    .and_then(|n| document_at(n, PolicyDoc::Attribute("policy")))
                {
                    // Attached to the roles of the attachments naming this policy (one
                    // policy view per role, so each role's permissions hold it).
                    let mut roles: Vec<usize> = Vec::new();
                    let own = attached.get(&(dirs[i], r.address.as_str()));
                    let by_module = module_paths(&r.address)
                        .into_iter()
                        .filter_map(|call| attached_by_call.get(&(dirs[i], call)));
                    let mut naming: Vec<(usize, &Node)> = own
                        .into_iter()
                        .chain(by_module)
                        .flatten()
                        .copied()
                        .collect();
                    naming.sort_by_key(|(ai, _)| *ai);
                    for (ai, role) in naming {
                        if let Some(x) = role_of(role, ai).filter(|x| !roles.contains(x)) {
                            roles.push(x);
                        }
                    }
                    let label = ["policy ", &shown(r)].concat();
                    if roles.is_empty() {
                        roles.push(usize::MAX);
                    }
                    for role in roles {
                        d.policies.push(TfPolicy {
                            resource: i,
                            trust: false,
                            doc: doc.clone(),
                            role: (role != usize::MAX).then_some(role),
                            label: label.clone(),
                        });
                    }
                }
            }
            "aws_iam_role_policy_attachment"
            | "aws_iam_policy_attachment"
            | "aws_iam_role_policy_attachments_exclusive" => {
                // A managed policy ARN written out (AWS managed policies) joins the role's
                // list, where the perm rules look up the policies they know; also one whose
                // partition only apply knows (`arn:${data.aws_partition.current.partition}:
                // iam::aws:policy/AdministratorAccess`), as CloudFormation's
                // `${AWS::Partition}` does. An ARN known only as a whole (`aws_iam_policy.x.arn`)
                // is not written out.
                for (role, arn) in attachments(r) {
                    let whole_unknown = arn.tag.as_deref() == Some(super::UNKNOWN_TAG);
                    if let (Some(role), false) = (role_of(role, i), whole_unknown) {
                        d.roles[role].managed_policy_arns.push(arn.clone());
                    }
                }
            }
            "aws_iam_openid_connect_provider" => {
                if let (Some(url), Some(ids)) = (b.get("url"), b.entry("client_id_list")) {
                    d.oidc_providers.push(map(
                        vec![
                            entry("Url", url.span, url.clone()),
                            Entry {
                                key: s("ClientIDList", ids.key.span),
                                value: ids.value.clone(),
                            },
                        ],
                        r.anchor,
                    ));
                }
            }
            "aws_eks_pod_identity_association" => {
                let t = |k: &str| b.get(k).cloned();
                if let (Some(namespace), Some(service_account)) =
                    (t("namespace"), t("service_account"))
                {
                    d.pod_identity.push(TfAssociation {
                        file: r.file,
                        namespace,
                        service_account,
                        role_arn: t("role_arn"),
                        cluster_name: t("cluster_name"),
                        anchor: r.anchor,
                        label: format!("Terraform {}", shown(r)),
                    });
                }
            }
            "aws_eks_addon" => {
                let name = b.get("addon_name").and_then(Node::as_str);
                let known = name.and_then(crate::derived::eks_addons::service_account);
                let at = b.entry("addon_name").map_or(r.anchor, |e| e.value.span);
                // The add-on's namespace: its custom one (`namespace_config`), else the one
                // it is known to install into; `None` when the custom one is unknown.
                let namespace = match (b.get("namespace_config"), block(b, "namespace_config")) {
                    (_, Some(c)) => c
                        .get("namespace")
                        .filter(|n| n.as_str().is_some() && !is_unknown(n))
                        .cloned(),
                    (Some(c), None) if is_unknown(c) => None,
                    _ => known.map(|(ns, _)| s(ns, at)),
                };
                // `pod_identity_association { role_arn, service_account }` (provider v5.75.0+):
                // EKS creates the association for that ServiceAccount in the add-on's
                // namespace, as `aws_eks_pod_identity_association` would.
                let blocks = match b.get("pod_identity_association") {
                    Some(
                        v @ Node {
                            value: Value::Map(_),
                            ..
                        },
                    ) => std::slice::from_ref(v),
                    Some(v) => v.as_seq().unwrap_or(&[]),
                    None => &[],
                };
                for p in blocks {
                    if let (Some(namespace), Some(service_account)) =
                        (namespace.clone(), p.get("service_account"))
                    {
                        d.pod_identity.push(TfAssociation {
                            file: r.file,
                            namespace,
                            service_account: service_account.clone(),
                            role_arn: p.get("role_arn").cloned(),
                            cluster_name: b.get("cluster_name").cloned(),
                            anchor: p.entry("service_account").map_or(p.span, |e| e.value.span),
                            label: format!("Terraform {} pod_identity_association", shown(r)),
                        });
                    }
                }
                let role = b.get("service_account_role_arn");
                if let (Some(role), Some((_, sa)), Some(ns)) = (role, known, namespace) {
                    d.objects.push((
                        r.file,
                        on_eks_cluster(
                            service_account(
                                s(sa, at),
                                Some(ns),
                                vec![entry(ROLE_ARN, role.span, role.clone())],
                                at,
                                Some(&r.address),
                            ),
                            Some(&r.address),
                        ),
                    ));
                }
            }
            "kubernetes_service_account" | "kubernetes_service_account_v1" => {
                if let Some(sa) = block(b, "metadata")
                    .filter(|m| names_known(m))
                    .and_then(|m| {
                        Some(service_account(
                            m.get("name")?.clone(),
                            m.get("namespace").cloned(),
                            m.get("annotations")
                                .filter(|a| !is_unknown(a))
                                .map(|a| a.entries().to_vec())
                                .unwrap_or_default(),
                            r.anchor,
                            None,
                        ))
                    })
                {
                    d.objects.push((r.file, on_eks_cluster(sa, on_eks(r))));
                }
            }
            "helm_release" => {
                // The release's pods run as the accounts its values name, made here or
                // elsewhere: the release as the Flux HelmRelease it equals, whose
                // `serviceAccount.name` values `sa-irsa-unused` reads as a user.
                for name in super::charts::accounts_used(b) {
                    d.objects.push((
                        r.file,
                        release_user(name, b.get("namespace").cloned(), r.anchor, &r.address),
                    ));
                }
                match super::charts::accounts(b, ROLE_ARN) {
                    // A modelled chart: the accounts it creates, named as its templates do.
                    Some(accounts) => {
                        for a in accounts {
                            let ns = a.namespace.or_else(|| b.get("namespace").cloned());
                            d.objects.push((
                                r.file,
                                on_eks_cluster(
                                    service_account(
                                        a.name,
                                        ns,
                                        vec![entry(ROLE_ARN, a.role.span, a.role)],
                                        r.anchor,
                                        Some(&r.address),
                                    ),
                                    on_eks(r),
                                ),
                            ));
                        }
                    }
                    None => {
                        if let Some(sa) = helm_service_account(b, r.anchor, &r.address) {
                            d.objects.push((r.file, on_eks_cluster(sa, on_eks(r))));
                        }
                    }
                }
            }
            // A manifest written as an HCL object is the Kubernetes object itself, keys as in
            // YAML (hashicorp/terraform-provider-kubernetes docs/resources/manifest.md):
            // ServiceAccounts with their role-arn annotation and pod owners among them.
            "kubernetes_manifest" => {
                if let Some(m) = b.get("manifest").filter(|m| manifest_known(m)) {
                    let obj = m.clone();
                    let obj = if obj.get("kind").and_then(Node::as_str) == Some("ServiceAccount") {
                        on_eks_cluster(obj, on_eks(r))
                    } else {
                        obj
                    };
                    d.objects.push((r.file, obj));
                }
            }
            // The kubectl providers' manifest: one object written as YAML text, decoded
            // where the text is (`helm_values::decode`). A values file `file()` reads, or a
            // template without template syntax, stays a document of its own and is not read
            // twice; a template Terraform renders is not one, so it is read here.
            super::helm_values::KUBECTL_MANIFEST => {
                if let Some(m) = b.get("yaml_body").filter(|m| manifest_known(m)) {
                    let at = m.span.file;
                    if at == r.file
                        || crate::source::template::has_template_syntax(sources.get(at).text())
                    {
                        let obj = m.clone();
                        let obj =
                            if obj.get("kind").and_then(Node::as_str) == Some("ServiceAccount") {
                                on_eks_cluster(obj, on_eks(r))
                            } else {
                                obj
                            };
                        d.objects.push((r.file, obj));
                    }
                }
            }
            k if k.starts_with("kubernetes_") => {
                if let Some(obj) = pod_owner(k, b, r.anchor) {
                    d.objects.push((r.file, obj));
                }
            }
            _ => {}
        }
    }
    d
}

/// The (role, policy ARN) pairs a policy attachment resource makes:
/// `aws_iam_role_policy_attachment` (`role`, `policy_arn`), the plural
/// `aws_iam_policy_attachment` (every element of `roles`; its `users` and `groups` are not
/// roles) and `aws_iam_role_policy_attachments_exclusive` (`role_name`, every element of
/// `policy_arns`). Other resources make none.
fn attachments(r: &Resource) -> Vec<(&Node, &Node)> {
    let b = &r.body;
    let (roles, arns): (Vec<&Node>, Vec<&Node>) = match r.kind.as_str() {
        "aws_iam_role_policy_attachment" => (
            b.get("role").into_iter().collect(),
            b.get("policy_arn").into_iter().collect(),
        ),
        "aws_iam_policy_attachment" => (
            b.get("roles")
                .filter(|n| !is_unknown(n))
                .map(|n| n.items().iter().collect())
                .unwrap_or_default(),
            b.get("policy_arn").into_iter().collect(),
        ),
        "aws_iam_role_policy_attachments_exclusive" => (
            b.get("role_name").into_iter().collect(),
            b.get("policy_arns")
                .filter(|n| !is_unknown(n))
                .map(|n| n.items().iter().collect())
                .unwrap_or_default(),
        ),
        _ => return Vec::new(),
    };
    roles
        .iter()
        .flat_map(|role| arns.iter().map(move |arn| (*role, *arn)))
        .collect()
}

/// Whether a `kubernetes_manifest`'s object says what it is: its `apiVersion`, `kind` and
/// `metadata` known, and its name and namespace (when set) known.
fn manifest_known(m: &Node) -> bool {
    m.as_map().is_some()
        && !is_unknown(m)
        && ["apiVersion", "kind"].iter().all(|k| {
            m.get(k)
                .is_some_and(|v| v.as_str().is_some() && !is_unknown(v))
        })
        && m.get("metadata")
            .is_some_and(|meta| meta.as_map().is_some() && !is_unknown(meta) && names_known(meta))
}

/// Whether an object's `name` and `namespace` (when set) are known: an object whose identity
/// is unknown would be linked to the wrong namespace or name.
fn names_known(meta: &Node) -> bool {
    ["name", "namespace"]
        .iter()
        .all(|k| !meta.get(k).is_some_and(is_unknown))
}

/// A key of the `metadata` of a ServiceAccount that a chart or an add-on creates (its value:
/// the resource's address): their workloads are the chart's or the add-on's, never in the
/// inputs, so rules that look for the workloads beside a ServiceAccount skip it.
pub const CREATED_BY: &str = "irsalint/created-by";

/// A key of the `metadata` of a ServiceAccount created on an EKS cluster (its value: what
/// says so, `aws_eks_cluster.this`, `module.eks`, the add-on): EKS runs its webhook with
/// the default flags, so a self-hosted webhook's flags elsewhere in the inputs, another
/// cluster's, do not apply to it.
pub const ON_EKS: &str = "irsalint/on-eks";

/// `sa` marked [`ON_EKS`] when `by` says it is on an EKS cluster.
fn on_eks_cluster(mut sa: Node, by: Option<&String>) -> Node {
    let Some(by) = by else { return sa };
    if let Some(meta) = sa
        .entries()
        .iter()
        .position(|e| e.key.as_str() == Some("metadata"))
    {
        if let Value::Map(entries) = &mut sa.value {
            let at = entries[meta].value.span;
            if let Value::Map(m) = &mut entries[meta].value.value {
                crate::source::node::extend(m, [entry(ON_EKS, at, s(by, at))]);
            }
        }
    }
    sa
}

const ROLE_ARN: &str = "eks.amazonaws.com/role-arn";

/// A ServiceAccount object in Kubernetes' shape.
fn service_account(
    name: Node,
    namespace: Option<Node>,
    annotations: Vec<Entry>,
    at: Span,
    created_by: Option<&str>,
) -> Node {
    let mut meta = vec![entry("name", name.span, name)];
    if let Some(by) = created_by {
        meta.push(entry(CREATED_BY, at, s(by, at)));
    }
    if let Some(ns) = namespace {
        meta.push(entry("namespace", ns.span, ns));
    }
    if !annotations.is_empty() {
        meta.push(entry("annotations", at, map(annotations, at)));
    }
    map(
        vec![
            entry("apiVersion", at, s("v1", at)),
            entry("kind", at, s("ServiceAccount", at)),
            entry("metadata", at, map(meta, at)),
        ],
        at,
    )
}

/// A `helm_release` whose pods run as ServiceAccount `name`, as the Flux `HelmRelease` it
/// equals (`spec.values.serviceAccount.name`): what reads the inputs' HelmReleases reads it.
fn release_user(name: Node, namespace: Option<Node>, at: Span, address: &str) -> Node {
    let mut meta = vec![
        entry("name", at, s(address, at)),
        entry(CREATED_BY, at, s(address, at)),
    ];
    if let Some(ns) = namespace {
        meta.push(entry("namespace", ns.span, ns));
    }
    let sa = map(vec![entry("name", name.span, name)], at);
    let values = map(vec![entry("serviceAccount", at, sa)], at);
    map(
        vec![
            entry("apiVersion", at, s("helm.toolkit.fluxcd.io/v2", at)),
            entry("kind", at, s("HelmRelease", at)),
            entry("metadata", at, map(meta, at)),
            entry("spec", at, map(vec![entry("values", at, values)], at)),
        ],
        at,
    )
}

/// The ServiceAccount a `helm_release` names and annotates with a role, when both its name
/// and the role are in the release's values: `set` blocks (helm provider 2), `set = [...]`
/// (provider 3), or `values = [yamlencode({...})]`. Dots escaped in a `set` name
/// (`eks\.amazonaws\.com/role-arn`) are part of the key.
fn helm_service_account(b: &Node, at: Span, address: &str) -> Option<Node> {
    let mut name: Option<Node> = None;
    let mut role: Option<Node> = None;
    let mut sets: Vec<&Node> = Vec::new();
    if let Some(v) = b.get("set") {
        sets.extend(v.items().iter());
    }
    for it in sets {
        let (Some(path), Some(value)) = (it.get("name").and_then(Node::as_str), it.get("value"))
        else {
            continue;
        };
        let keys = helm_path(path);
        match keys.as_slice() {
            [.., a, k] if a == "annotations" && k == ROLE_ARN => role = Some(value.clone()),
            [.., sa, n] if sa == "serviceAccount" && n == "name" => name = Some(value.clone()),
            _ => {}
        }
    }
    for v in b.get("values").map(Node::items).unwrap_or(&[]) {
        if v.as_map().is_none() {
            continue;
        }
        v.walk(&mut |n| {
            if let Some(sa) = n.get("serviceAccount") {
                if let Some(r) = sa.get("annotations").and_then(|a| a.get(ROLE_ARN)) {
                    role.get_or_insert_with(|| r.clone());
                }
                if let Some(x) = sa.get("name") {
                    name.get_or_insert_with(|| x.clone());
                }
            }
        });
    }
    let (name, role) = (name?, role?);
    let ns = b.get("namespace").cloned();
    Some(service_account(
        name,
        ns,
        vec![entry(ROLE_ARN, role.span, role)],
        at,
        Some(address),
    ))
}

/// A helm `--set` path: dot-separated, `\.` is a dot inside a key.
pub fn helm_path(path: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("never empty").push(n);
                }
            }
            '.' => out.push(String::new()),
            c => out.last_mut().expect("never empty").push(c),
        }
    }
    out
}

/// A `kubernetes_deployment(_v1)`-style resource as the Kubernetes object it creates, with
/// the pod-spec fields the rules read (service account, containers and their env, host
/// network, automount).
fn pod_owner(kind: &str, b: &Node, at: Span) -> Option<Node> {
    let (api, k, path): (&str, &str, &[&str]) = match kind.trim_end_matches("_v1") {
        "kubernetes_deployment" => ("apps/v1", "Deployment", &["spec", "template"]),
        "kubernetes_daemonset" | "kubernetes_daemon_set" => {
            ("apps/v1", "DaemonSet", &["spec", "template"])
        }
        "kubernetes_stateful_set" => ("apps/v1", "StatefulSet", &["spec", "template"]),
        "kubernetes_job" => ("batch/v1", "Job", &["spec", "template"]),
        "kubernetes_pod" => ("v1", "Pod", &[]),
        _ => return None,
    };
    let meta = block(b, "metadata").filter(|m| names_known(m))?;
    let mut tpl = b;
    for p in path {
        tpl = block(tpl, p)?;
    }
    let (tmeta, tspec) = if path.is_empty() {
        (Some(meta), block(b, "spec")?)
    } else {
        (block(tpl, "metadata"), block(tpl, "spec")?)
    };
    // Which ServiceAccount the pods run as decides every pod rule: not known, not modelled.
    if tspec.get("service_account_name").is_some_and(is_unknown) {
        return None;
    }
    let mut spec = Vec::new();
    for (from, to) in [
        ("service_account_name", "serviceAccountName"),
        ("host_network", "hostNetwork"),
        (
            "automount_service_account_token",
            "automountServiceAccountToken",
        ),
    ] {
        if let Some(e) = tspec.entry(from) {
            spec.push(entry(to, e.key.span, e.value.clone()));
        }
    }
    let containers: Vec<Node> = tspec
        .get("container")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .map(|c| {
            let mut out = Vec::new();
            if let Some(e) = c.entry("name") {
                out.push(entry("name", e.key.span, e.value.clone()));
            }
            if let Some(e) = c.entry("image") {
                out.push(entry("image", e.key.span, e.value.clone()));
            }
            if let Some(env) = c.entry("env") {
                let vars: Vec<Node> = env
                    .value
                    .items()
                    .iter()
                    .map(|v| {
                        map(
                            v.entries()
                                .iter()
                                .filter(|e| matches!(e.key.as_str(), Some("name" | "value")))
                                .cloned()
                                .collect(),
                            v.span,
                        )
                    })
                    .collect();
                out.push(entry(
                    "env",
                    env.key.span,
                    Node::new(Value::Seq(vars.into()), env.value.span),
                ));
            }
            map(out, c.span)
        })
        .collect();
    spec.push(entry(
        "containers",
        tspec.span,
        Node::new(Value::Seq(containers.into()), tspec.span),
    ));
    let meta_of = |m: &Node| {
        map(
            m.entries()
                .iter()
                .filter(|e| {
                    matches!(
                        e.key.as_str(),
                        Some("name" | "namespace" | "labels" | "annotations")
                    ) && !is_unknown(&e.value)
                })
                .cloned()
                .collect(),
            m.span,
        )
    };
    let pod = |m: Option<&Node>| {
        let mut v = Vec::new();
        if let Some(m) = m {
            v.push(entry("metadata", m.span, meta_of(m)));
        }
        v.push(entry("spec", tspec.span, map(spec.clone(), tspec.span)));
        v
    };
    let mut root = vec![
        entry("apiVersion", at, s(api, at)),
        entry("kind", at, s(k, at)),
        entry("metadata", meta.span, meta_of(meta)),
    ];
    if path.is_empty() {
        root.extend(pod(None));
    } else {
        let template = map(pod(tmeta), tpl.span);
        let spec_node = map(vec![entry("template", tpl.span, template)], tpl.span);
        root.push(entry("spec", tpl.span, spec_node));
    }
    Some(map(root, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Limits;

    /// A statement block's arguments in any order, one written twice (the last counts, as
    /// `Node::entry` finds it): the document's elements in the provider's order, each from
    /// its own argument.
    #[test]
    fn a_statement_s_elements_come_each_from_its_last_argument_in_the_provider_s_order() {
        use crate::source::node::{entry, seq, str_node};
        let at = |i: usize| Span::new(0, i, i + 1);
        let list = |v: &str, i: usize| seq(vec![str_node(v, at(i)), str_node("x", at(i))], at(i));
        let principal = |ty: &str, i: usize| {
            map(
                vec![
                    entry("type", str_node(ty, at(i))),
                    entry("identifiers", list("p", i)),
                ],
                at(i),
            )
        };
        let condition = map(
            vec![
                entry("test", str_node("Bool", at(9))),
                entry("variable", str_node("aws:SecureTransport", at(9))),
                entry("values", list("true", 9)),
            ],
            at(9),
        );
        let statement = map(
            vec![
                entry("actions", list("s3:First", 0)),
                entry("condition", seq(vec![condition], at(9))),
                entry("not_resources", list("nr", 1)),
                entry("resources", list("r", 2)),
                entry("not_actions", list("na", 3)),
                entry("not_principals", seq(vec![principal("Service", 4)], at(4))),
                entry("principals", seq(vec![principal("AWS", 5)], at(5))),
                entry("effect", str_node("Deny", at(6))),
                entry("sid", str_node("S", at(7))),
                entry("actions", list("s3:Last", 8)),
                entry("other", str_node("o", at(10))),
            ],
            at(11),
        );
        let body = map(
            vec![entry("statement", seq(vec![statement], at(11)))],
            at(12),
        );
        let doc = policy_document_json(&body).expect("a document");
        let st = &doc.get("Statement").unwrap().items()[0];
        let shown: Vec<(&str, u32)> = st
            .as_map()
            .unwrap()
            .iter()
            .map(|e| (e.key.as_str().unwrap(), e.value.span.start))
            .collect();
        assert_eq!(
            shown,
            [
                ("Sid", 7),
                ("Effect", 6),
                ("Principal", 5),
                ("NotPrincipal", 4),
                ("Action", 8),
                ("NotAction", 3),
                ("Resource", 2),
                ("NotResource", 1),
                ("Condition", 9),
            ]
        );
        assert_eq!(
            st.get("Action").unwrap().items()[0].as_str(),
            Some("s3:Last")
        );
        let types = |k: &str| -> Vec<&str> {
            st.get(k)
                .unwrap()
                .as_map()
                .unwrap()
                .iter()
                .filter_map(|e| e.key.as_str())
                .collect()
        };
        assert_eq!(
            (types("Principal"), types("NotPrincipal")),
            (vec!["AWS"], vec!["Service"])
        );
    }

    /// A rendered document's `Condition`: the blocks of one `test` under one operator, in
    /// the order first written; two blocks of one known `variable` merge their values; a
    /// variable only apply knows is never merged (two such may differ).
    #[test]
    fn conditions_of_one_test_share_an_operator_and_one_variable_merges_its_values() {
        let cond = |test: &str, var: &str, value: &str| {
            format!(
                "    condition {{\n      test     = \"{test}\"\n      variable = \"{var}\"\n      values   = [\"{value}\"]\n    }}\n"
            )
        };
        let tf = [
            "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"sts:AssumeRoleWithWebIdentity\"]\n".to_string(),
            cond("StringEquals", "oidc:sub", "system:serviceaccount:a:x"),
            cond("StringEquals", "oidc:aud", "sts.amazonaws.com"),
            cond("StringEquals", "oidc:sub", "system:serviceaccount:a:y"),
            cond("StringLike", "oidc:sub", "system:serviceaccount:b:*"),
            cond("StringLike", "${var.issuer}:sub", "c"),
            cond("StringLike", "${var.issuer}:sub", "d"),
            "  }\n}\nvariable \"issuer\" {\n  type = string\n}\n".to_string(),
        ]
        .concat();
        let mut sources = SourceMap::new();
        let units = vec![(sources.add("m/main.tf", tf), None)];
        let (rs, problems) = super::super::hcl::evaluate(units, &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let body = &rs
            .iter()
            .find(|r| r.address == "data.aws_iam_policy_document.d")
            .expect("the data source")
            .body;
        let doc = policy_document_json(body).expect("a document");
        let statement = &doc.get("Statement").expect("statements").items()[0];
        let texts = |n: &Node| -> Vec<String> {
            match n.as_seq() {
                Some(items) => items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .map(String::from)
                    .collect(),
                None => n.as_str().map(String::from).into_iter().collect(),
            }
        };
        type Keys = Vec<(String, Vec<String>)>;
        let shown: Vec<(String, Keys)> = statement
            .get("Condition")
            .and_then(Node::as_map)
            .expect("a condition")
            .iter()
            .map(|op| {
                let keys = op.value.as_map().expect("keys");
                (
                    op.key.as_str().unwrap_or_default().to_string(),
                    keys.iter()
                        .map(|k| {
                            (
                                k.key.as_str().unwrap_or_default().to_string(),
                                texts(&k.value),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shown,
            [
                (
                    "StringEquals".to_string(),
                    vec![
                        (
                            "oidc:sub".to_string(),
                            owned(&["system:serviceaccount:a:x", "system:serviceaccount:a:y"])
                        ),
                        ("oidc:aud".to_string(), owned(&["sts.amazonaws.com"])),
                    ]
                ),
                (
                    "StringLike".to_string(),
                    vec![
                        (
                            "oidc:sub".to_string(),
                            owned(&["system:serviceaccount:b:*"])
                        ),
                        ("${var.issuer}:sub".to_string(), owned(&["c"])),
                        ("${var.issuer}:sub".to_string(), owned(&["d"])),
                    ]
                ),
            ]
        );
    }

    /// A policy attached to `data.aws_iam_role.x.name` belongs to the one role of that known
    /// name, in any root; with two roles of that name, or a name only apply knows, to none.
    #[test]
    fn a_role_looked_up_by_name_takes_its_policy_attachments() {
        let role =
            |name: &str| format!("resource \"aws_iam_role\" \"r\" {{\n  name = \"{name}\"\n}}\n");
        let lookup = |name: &str| {
            format!(
                "data \"aws_iam_role\" \"x\" {{\n  name = {name}\n}}\nresource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{Statement = [{{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"*\"}}]}})\n}}\nresource \"aws_iam_role_policy_attachment\" \"a\" {{\n  role       = data.aws_iam_role.x.name\n  policy_arn = aws_iam_policy.p.arn\n}}\nvariable \"n\" {{\n  type = string\n}}\n"
            )
        };
        let attached_to = |files: &[(&str, String)]| -> Vec<Option<String>> {
            let mut sources = SourceMap::new();
            let units: Vec<_> = files
                .iter()
                .map(|(path, text)| (sources.add(*path, text.clone()), None))
                .collect();
            let (rs, problems) = super::super::hcl::evaluate(units, &sources, &Limits::default());
            assert!(problems.is_empty(), "{problems:?}");
            let d = derive(&rs, &sources);
            assert_eq!(d.role_lookups.len(), 1);
            d.policies
                .iter()
                .filter(|p| !p.trust)
                .map(|p| {
                    p.role
                        .map(|r| sources.get(rs[d.roles[r].resource].file).path.clone())
                })
                .collect()
        };
        assert_eq!(
            attached_to(&[
                ("iam/main.tf", role("app")),
                ("other/main.tf", role("other")),
                ("k8s/main.tf", lookup("\"app\"")),
            ]),
            [Some("iam/main.tf".to_string())]
        );
        for files in [
            vec![
                ("iam/main.tf", role("app")),
                ("other/main.tf", role("app")),
                ("k8s/main.tf", lookup("\"app\"")),
            ],
            vec![
                ("iam/main.tf", role("app")),
                ("k8s/main.tf", lookup("var.n")),
            ],
            vec![
                ("iam/main.tf", role("app")),
                ("k8s/main.tf", lookup("\"none\"")),
            ],
        ] {
            assert_eq!(attached_to(&files), [None], "{files:?}");
        }
    }

    /// The `irsalint/on-eks` marks of the ServiceAccounts derived from `files`, by name.
    fn on_eks(files: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
        let mut sources = SourceMap::new();
        let mut units = Vec::new();
        for (path, text) in files {
            units.push((sources.add(*path, text.to_string()), None));
        }
        let (rs, problems) = super::super::hcl::evaluate(units, &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let mut out: Vec<_> = derive(&rs, &sources)
            .objects
            .iter()
            .map(|(_, o)| {
                let meta = o.get("metadata").unwrap();
                (
                    meta.get("name").and_then(Node::as_str).unwrap().to_string(),
                    meta.get(ON_EKS).and_then(Node::as_str).map(str::to_string),
                )
            })
            .collect();
        out.sort();
        out
    }

    const SA: &str = "resource \"kubernetes_service_account_v1\" \"s\" {\n  metadata {\n    name = \"NAME\"\n    namespace = \"shop\"\n  }\n}\n";

    /// `role = aws_iam_role.ci.name` where the name is partly known (or not at all) evaluates
    /// to the name's template (expression): it still names that role, in its own root only (scalable-ml-systems/
    /// ml-inference-triton-aws-eks modules/github_actions_oidc/main.tf@786b113c, trimmed: the
    /// AdministratorAccess attachment was lost).
    #[test]
    fn an_attachment_by_a_name_not_fully_known_joins_its_role() {
        let tf = |policy: &str| {
            format!("resource \"aws_iam_role\" \"ci\" {{\n  name = \"${{var.project}}-github-actions-oidc-role\"\n  assume_role_policy = data.template_file.ci_trust.rendered\n}}\nresource \"aws_iam_role_policy_attachment\" \"a\" {{\n  role = aws_iam_role.ci.name\n  policy_arn = \"arn:aws:iam::aws:policy/{policy}\"\n}}\n")
        };
        let mut sources = SourceMap::new();
        // A name not known at all (`var.role_name`), and one fully known.
        let var_name = tf("PowerUserAccess").replace(
            "\"${var.project}-github-actions-oidc-role\"",
            "var.role_name",
        );
        let known_name = tf("IAMFullAccess").replace("${var.project}-", "");
        let units = vec![
            (sources.add("gh/main.tf", tf("AdministratorAccess")), None),
            (sources.add("other/main.tf", tf("ReadOnlyAccess")), None),
            (sources.add("var/main.tf", var_name), None),
            (sources.add("known/main.tf", known_name), None),
        ];
        let (rs, problems) = super::super::hcl::evaluate(units, &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let d = derive(&rs, &sources);
        let mut attached: Vec<(String, Vec<String>)> = d
            .roles
            .iter()
            .map(|t| {
                (
                    sources.get(rs[t.resource].file).path.clone(),
                    t.managed_policy_arns
                        .iter()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect(),
                )
            })
            .collect();
        attached.sort();
        assert_eq!(
            attached,
            [
                (
                    "gh/main.tf".to_string(),
                    vec!["arn:aws:iam::aws:policy/AdministratorAccess".to_string()]
                ),
                (
                    "known/main.tf".to_string(),
                    vec!["arn:aws:iam::aws:policy/IAMFullAccess".to_string()]
                ),
                (
                    "other/main.tf".to_string(),
                    vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".to_string()]
                ),
                (
                    "var/main.tf".to_string(),
                    vec!["arn:aws:iam::aws:policy/PowerUserAccess".to_string()]
                ),
            ]
        );
    }

    #[test]
    fn pruning_keeps_every_policy_document_and_drops_the_rest() {
        let tf = "data \"aws_iam_policy_document\" \"t\" {\n  statement {\n    actions = [\"sts:AssumeRoleWithWebIdentity\"]\n    principals {\n      type = \"Federated\"\n      identifiers = [\"arn:aws:iam::1:oidc-provider/x\"]\n    }\n  }\n}\n\
                  resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = data.aws_iam_policy_document.t.json\n  inline_policy {\n    name = \"i\"\n    policy = jsonencode({ Version = \"2012-10-17\", Statement = [] })\n  }\n}\n\
                  resource \"aws_iam_role_policy\" \"p\" {\n  role = aws_iam_role.r.id\n  policy = \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": []}\"\n}\n";
        let mut sources = SourceMap::new();
        let units = vec![(sources.add("m/main.tf", tf.to_string()), None)];
        let (mut rs, problems) = super::super::hcl::evaluate(units, &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let d = derive(&rs, &sources);
        let docs = |rs: &[Resource]| {
            d.policies
                .iter()
                .map(|p| format!("{:?}", p.doc(rs)))
                .collect::<Vec<_>>()
        };
        let before = docs(&rs);
        assert_eq!(before.len(), 3);
        assert!(before.iter().all(|d| d.starts_with("Some(")));
        prune(&mut rs, &d);
        assert_eq!(docs(&rs), before);
        let keys = |address: &str| {
            let r = rs.iter().find(|r| r.address == address).unwrap();
            r.body
                .as_map()
                .unwrap()
                .iter()
                .map(|e| e.key.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert!(keys("data.aws_iam_policy_document.t").is_empty());
        assert_eq!(
            keys("aws_iam_role.r"),
            ["assume_role_policy", "inline_policy"]
        );
        // Its `role` goes: what it links to was found by `derive`.
        assert_eq!(keys("aws_iam_role_policy.p"), ["policy"]);
    }

    /// The load path's evaluation empties each `data "aws_iam_policy_document"` as its
    /// directory is done, and nothing `derive` finds changes: the rendered document is in
    /// the role's body, and the data sources `derive` reads by name keep their bodies.
    #[test]
    fn rendered_documents_are_emptied_at_evaluation_and_derive_finds_the_same() {
        let tf = "data \"aws_iam_policy_document\" \"t\" {\n  statement {\n    actions = [\"sts:AssumeRoleWithWebIdentity\"]\n    principals {\n      type = \"Federated\"\n      identifiers = [\"arn:aws:iam::1:oidc-provider/x\"]\n    }\n  }\n}\n\
                  data \"aws_iam_policy_document\" \"unused\" {\n  statement {\n    actions = [\"s3:*\"]\n    resources = [\"*\"]\n  }\n}\n\
                  data \"aws_iam_role\" \"other\" {\n  name = \"other\"\n}\n\
                  data \"aws_eks_cluster\" \"c\" {\n  name = \"prod\"\n}\n\
                  resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = data.aws_iam_policy_document.t.json\n}\n";
        let mut sources = SourceMap::new();
        let id = sources.add("m/main.tf", tf.to_string());
        let limits = Limits::default();
        let whole = super::super::hcl::evaluate_inputs(vec![(id, None)], &sources, &limits);
        let early =
            super::super::hcl::evaluate_loaded(vec![(id, None)], Vec::new(), &sources, &limits);
        let body = |rs: &[Resource], address: &str| {
            let r = rs.iter().find(|r| r.address.ends_with(address)).unwrap();
            r.body.as_map().unwrap().len()
        };
        for address in [
            "data.aws_iam_policy_document.t",
            "data.aws_iam_policy_document.unused",
        ] {
            assert!(body(&whole.resources, address) > 0, "{address}");
            assert_eq!(body(&early.resources, address), 0, "{address}");
        }
        for address in ["data.aws_iam_role.other", "data.aws_eks_cluster.c"] {
            assert_eq!(body(&early.resources, address), 1, "{address}");
        }
        let shown = |rs: &[Resource]| {
            let d = derive(rs, &sources);
            assert_eq!(d.roles.len(), 1);
            assert_eq!(d.role_lookups.len(), 1);
            let trust = d.policies[0].doc(rs).expect("the rendered trust");
            format!("{:?}", trust)
        };
        assert_eq!(shown(&early.resources), shown(&whole.resources));
        assert!(shown(&early.resources).contains("AssumeRoleWithWebIdentity"));
    }

    #[test]
    fn a_policy_written_as_a_tree_is_read_in_place_and_one_in_json_text_is_decoded() {
        let tf = "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = { Service = \"ec2.amazonaws.com\" } }] })\n  inline_policy {\n    name = \"a\"\n    policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"*\" }] })\n  }\n  inline_policy {\n    name = \"b\"\n    policy = \"{\\\"Statement\\\": [{\\\"Effect\\\": \\\"Deny\\\", \\\"Action\\\": \\\"s3:*\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n  }\n}\nresource \"aws_iam_role_policy\" \"p\" {\n  role = aws_iam_role.r.name\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"sqs:*\", Resource = \"*\" }] })\n}\n";
        let mut sources = SourceMap::new();
        let id = sources.add("m/main.tf", tf.to_string());
        let (rs, problems) =
            super::super::hcl::evaluate(vec![(id, None)], &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let d = derive(&rs, &sources);
        let action = |n: &Node| {
            n.get("Statement").unwrap().items()[0]
                .get("Action")
                .and_then(Node::as_str)
                .unwrap()
                .to_string()
        };
        let docs: Vec<(String, String)> = d
            .policies
            .iter()
            .map(|p| (p.label.clone(), action(p.doc(&rs).unwrap())))
            .collect();
        assert_eq!(
            docs,
            [
                (
                    "trust policy of role aws_iam_role.r".into(),
                    "sts:AssumeRole".into()
                ),
                (
                    "inline policy a of role aws_iam_role.r".into(),
                    "s3:GetObject".into()
                ),
                (
                    "inline policy b of role aws_iam_role.r".into(),
                    "s3:*".into()
                ),
                ("inline policy aws_iam_role_policy.p".into(), "sqs:*".into()),
            ]
        );
        // Trees are the resources' own nodes, not copies (a copy held every document twice).
        let role = &rs.iter().find(|r| r.kind == "aws_iam_role").unwrap().body;
        let same = |i: usize, n: &Node| std::ptr::eq(d.policies[i].doc(&rs).unwrap(), n);
        assert!(same(0, role.get("assume_role_policy").unwrap()));
        let inline = role.get("inline_policy").unwrap().items();
        assert!(same(1, inline[0].get("policy").unwrap()));
        // JSON text is decoded into a tree of its own, its spans within the string.
        let b = d.policies[2].doc(&rs).unwrap();
        assert!(b.as_map().is_some());
        let text_span = inline[1].get("policy").unwrap().span;
        assert!(b.span.start >= text_span.start && b.span.end <= text_span.end);
    }

    #[test]
    fn service_accounts_of_a_root_with_its_eks_cluster_are_on_eks() {
        let eks = "module \"eks\" {\n  source  = \"terraform-aws-modules/eks/aws\"\n  version = \"~> 20.0\"\n}\n";
        let addon = "resource \"aws_eks_addon\" \"ebs\" {\n  cluster_name = \"prod\"\n  addon_name = \"aws-ebs-csi-driver\"\n  service_account_role_arn = \"arn:aws:iam::111122223333:role/ebs\"\n}\n";
        let found = on_eks(&[
            ("prod/eks.tf", eks),
            ("prod/sa.tf", &SA.replace("NAME", "prod")),
            ("other/sa.tf", &SA.replace("NAME", "other")),
            ("addons/main.tf", addon),
            (
                "data/main.tf",
                &format!(
                    "data \"aws_eks_cluster\" \"c\" {{\n  name = \"x\"\n}}\n{}",
                    SA.replace("NAME", "data")
                ),
            ),
            (
                "sub/main.tf",
                &format!(
                    "module \"vpc\" {{\n  source = \"terraform-aws-modules/vpc/aws\"\n}}\n{}",
                    SA.replace("NAME", "sub")
                ),
            ),
        ]);
        assert_eq!(
            found,
            [
                (
                    "data".to_string(),
                    Some("data.aws_eks_cluster.c".to_string())
                ),
                (
                    "ebs-csi-controller-sa".to_string(),
                    Some("aws_eks_addon.ebs".to_string())
                ),
                ("other".to_string(), None),
                ("prod".to_string(), Some("module.eks".to_string())),
                ("sub".to_string(), None),
            ]
        );
    }
}

#[cfg(test)]
mod cluster_tests {
    use super::*;
    use crate::source::Limits;

    /// (root, clusters named) of each EKS root.
    fn clusters(files: &[(&str, &str)]) -> Vec<(String, usize)> {
        let mut sources = SourceMap::new();
        let units = files
            .iter()
            .map(|(p, t)| (sources.add(*p, t.to_string()), None))
            .collect();
        let (rs, problems) = super::super::hcl::evaluate(units, &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        derive(&rs, &sources)
            .eks_clusters
            .iter()
            .map(|c| (c.root.clone(), c.count))
            .collect()
    }

    #[test]
    fn each_root_counts_the_clusters_it_declares_or_reads() {
        let cluster =
            |n: &str| format!("resource \"aws_eks_cluster\" \"{n}\" {{\n  name = \"{n}\"\n}}\n");
        let data = |n: &str| format!("data \"aws_eks_cluster\" \"{n}\" {{\n  name = \"{n}\"\n}}\n");
        let addon = "resource \"aws_eks_addon\" \"a\" {\n  addon_name = \"vpc-cni\"\n}\n";
        let found = clusters(&[
            // Declares one and reads it back: one.
            ("one/main.tf", &(cluster("prod") + &data("prod"))),
            ("two/main.tf", &(cluster("blue") + &cluster("green"))),
            ("reads/main.tf", &(data("a") + &data("b") + &data("a"))),
            // Declares one, reads another by name: two.
            ("other/main.tf", &(cluster("prod") + &data("staging"))),
            // Reads by reference (unknown name): the declared one.
            (
                "ref/main.tf",
                &(cluster("prod")
                    + "data \"aws_eks_cluster\" \"this\" {\n  name = aws_eks_cluster.prod.id\n}\n"),
            ),
            ("addons/main.tf", addon),
            (
                "none/main.tf",
                "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n}\n",
            ),
            // terraform-aws-modules/eks, by registry or GitHub source: one cluster each.
            (
                "mods/main.tf",
                "module \"blue\" {\n  source = \"terraform-aws-modules/eks/aws\"\n  cluster_name = \"blue\"\n}\nmodule \"green\" {\n  source = \"git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.0.0\"\n  name = \"green\"\n}\nmodule \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n",
            ),
            // The module's cluster read back by its name: one.
            (
                "mod/main.tf",
                &("module \"eks\" {\n  source = \"terraform-aws-modules/eks/aws\"\n  cluster_name = \"prod\"\n}\n".to_string() + &data("prod")),
            ),
        ]);
        assert_eq!(
            found,
            [
                ("addons".to_string(), 1),
                ("mod".to_string(), 1),
                ("mods".to_string(), 2),
                ("one".to_string(), 1),
                ("other".to_string(), 2),
                ("reads".to_string(), 2),
                ("ref".to_string(), 1),
                ("two".to_string(), 2),
            ]
        );
    }
}

#[cfg(test)]
mod issuer_tests {
    use super::*;
    use crate::source::Limits;

    /// A cluster's issuer is taken when known, never when only apply will know it (a plan
    /// creating the cluster): an unknown is no issuer.
    #[test]
    fn a_clusters_issuer_is_taken_only_when_known() {
        let issuer = |value: &str| {
            let tf = format!("resource \"aws_eks_cluster\" \"c\" {{\n  name = \"prod\"\n  identity {{\n    oidc {{\n      issuer = {value}\n    }}\n  }}\n}}\n");
            let mut sources = SourceMap::new();
            let id = sources.add("m/main.tf", tf);
            let (rs, _) =
                super::super::hcl::evaluate(vec![(id, None)], &sources, &Limits::default());
            let d = derive(&rs, &sources);
            d.eks_clusters[0]
                .issuer
                .as_ref()
                .and_then(Node::as_str)
                .map(str::to_string)
        };
        assert_eq!(
            issuer("\"https://oidc.eks.eu-west-1.amazonaws.com/id/ABC\"").as_deref(),
            Some("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC")
        );
        assert_eq!(issuer("var.issuer"), None);
        assert_eq!(issuer("\"\""), None);
    }
}

#[cfg(test)]
mod addon_tests {
    use super::*;
    use crate::source::Limits;

    fn derived(tf: &str) -> Derived {
        let mut sources = SourceMap::new();
        let id = sources.add("m/main.tf", tf.to_string());
        let (rs, problems) =
            super::super::hcl::evaluate(vec![(id, None)], &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        derive(&rs, &sources)
    }

    const ADDON: &str = "resource \"aws_eks_addon\" \"a\" {\n  addon_name = \"NAME\"\n  EXTRA\n  service_account_role_arn = \"arn:aws:iam::111122223333:role/irsa\"\n  pod_identity_association {\n    role_arn = \"arn:aws:iam::111122223333:role/pi\"\n    service_account = \"sa-one\"\n  }\n  pod_identity_association {\n    role_arn = \"arn:aws:iam::111122223333:role/pi2\"\n    service_account = \"sa-two\"\n  }\n}\n";

    /// (namespace, ServiceAccount, role) of each association, and (namespace, name) of each
    /// ServiceAccount the add-on's role annotates.
    fn of(name: &str, extra: &str) -> (Vec<[String; 3]>, Vec<[String; 2]>) {
        let d = derived(&ADDON.replace("NAME", name).replace("EXTRA", extra));
        let txt = |n: &Node| n.as_str().unwrap_or("?").to_string();
        let assoc = d
            .pod_identity
            .iter()
            .map(|a| {
                [
                    txt(&a.namespace),
                    txt(&a.service_account),
                    a.role_arn.as_ref().map_or("-".into(), txt),
                ]
            })
            .collect();
        let sas = d
            .objects
            .iter()
            .map(|(_, o)| {
                let m = o.get("metadata").unwrap();
                [
                    txt(m.get("namespace").unwrap()),
                    txt(m.get("name").unwrap()),
                ]
            })
            .collect();
        (assoc, sas)
    }

    #[test]
    fn an_addon_association_is_in_the_addons_namespace() {
        let (assoc, sas) = of("aws-ebs-csi-driver", "");
        let r = |ns: &str, sa: &str, role: &str| [ns.to_string(), sa.to_string(), role.to_string()];
        assert_eq!(
            assoc,
            [
                r("kube-system", "sa-one", "arn:aws:iam::111122223333:role/pi"),
                r(
                    "kube-system",
                    "sa-two",
                    "arn:aws:iam::111122223333:role/pi2"
                ),
            ]
        );
        assert_eq!(
            sas,
            [[
                "kube-system".to_string(),
                "ebs-csi-controller-sa".to_string()
            ]]
        );
        let (assoc, _) = of("amazon-cloudwatch-observability", "");
        assert_eq!(assoc[0][0], "amazon-cloudwatch");
    }

    /// A custom namespace (`namespace_config`) wins; an unknown one, or an add-on whose
    /// namespace is not known, gives no association and no ServiceAccount.
    #[test]
    fn a_custom_or_unknown_namespace_is_taken_or_left_open() {
        let (assoc, sas) = of(
            "aws-ebs-csi-driver",
            "namespace_config {\n    namespace = \"storage\"\n  }",
        );
        assert_eq!(assoc.len(), 2);
        assert!(assoc.iter().all(|a| a[0] == "storage"), "{assoc:?}");
        assert_eq!(
            sas,
            [["storage".to_string(), "ebs-csi-controller-sa".to_string()]]
        );
        for extra in [
            "namespace_config {\n    namespace = var.ns\n  }",
            "dynamic \"namespace_config\" {\n    for_each = var.ns\n    content {\n      namespace = namespace_config.value\n    }\n  }",
        ] {
            let (assoc, sas) = of("aws-ebs-csi-driver", extra);
            assert!(assoc.is_empty() && sas.is_empty(), "{extra}: {assoc:?} {sas:?}");
        }
        let (assoc, sas) = of("adot", "");
        assert!(assoc.is_empty() && sas.is_empty());
    }
}

#[cfg(test)]
mod label_tests {
    use super::*;
    use crate::source::Limits;

    /// Every instance of a `for_each` policy is named by its block, so a problem the
    /// instances share is one finding at its place.
    #[test]
    fn instances_are_named_by_their_block() {
        let tf = "resource \"aws_iam_policy\" \"app\" {\n  for_each = toset([\"a\", \"b\"])\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"s3:*\", Resource = \"*\" }] })\n}\n";
        let mut sources = SourceMap::new();
        let id = sources.add("m/main.tf", tf.to_string());
        let (rs, problems) =
            super::super::hcl::evaluate(vec![(id, None)], &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let addresses: Vec<&str> = rs.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addresses,
            ["aws_iam_policy.app[\"a\"]", "aws_iam_policy.app[\"b\"]"]
        );
        let labels: Vec<String> = derive(&rs, &sources)
            .policies
            .iter()
            .map(|p| p.label.clone())
            .collect();
        assert_eq!(
            labels,
            ["policy aws_iam_policy.app", "policy aws_iam_policy.app"]
        );
    }

    #[test]
    fn module_paths_split_nested_calls_from_what_follows() {
        assert_eq!(
            module_path("module.irsa.iam_role_arn"),
            Some(("irsa", "iam_role_arn"))
        );
        assert_eq!(
            module_path("module.a[\"k.1\"].module.b.aws_iam_role.this[0].arn"),
            Some(("a[\"k.1\"].module.b", "aws_iam_role.this[0].arn"))
        );
        // A resource type named like a call is not one.
        assert_eq!(module_path("module.a.module"), Some(("a", "module")));
        assert_eq!(module_path("aws_iam_role.x.arn"), None);
        assert_eq!(module_path("module.a"), None);
        assert_eq!(
            module_paths("module.a.module.b[0].module.c.aws_iam_role.this"),
            ["a", "a.module.b[0]", "a.module.b[0].module.c"]
        );
        assert!(module_paths("aws_iam_role.this").is_empty());
        // The outputs that name a call's role: `*role_arn`, `*role_name`, `arn`, `name`
        // (terraform-aws-modules' `iam_role_arn`/`iam_role_name`, a local module's `arn`);
        // any other output names no role.
        for (reference, call) in [
            ("module.irsa.iam_role_arn", Some("irsa")),
            ("module.irsa.iam_role_name", Some("irsa")),
            ("module.irsa.arn", Some("irsa")),
            ("module.irsa.name", Some("irsa")),
            ("module.irsa.iam_policy_arn", None),
            // eks-pod-identity's `associations` output: each association's `role_arn` is
            // the call's role, its `target_role_arn` not.
            ("module.pi.associations[\"app\"].role_arn", Some("pi")),
            ("module.pi.associations[\"app\"].target_role_arn", None),
            ("module.irsa.role_names", None),
            ("module.irsa.arns", None),
            ("module.irsa.cluster_name", None),
        ] {
            assert_eq!(referenced(reference).1, call, "{reference}");
        }
        // A nested call's role output names that call, not the outer one.
        assert_eq!(
            referenced("module.a.module.irsa.iam_role_arn"),
            (None, Some("a.module.irsa"))
        );
        assert!(refers_to(
            "module.a.module.irsa.iam_role_arn",
            "module.a.module.irsa.aws_iam_role.this[0]"
        ));
        assert!(!refers_to(
            "module.a.module.irsa.iam_role_arn",
            "module.a.module.other.aws_iam_role.this[0]"
        ));
    }

    #[test]
    fn a_local_modules_resources_are_named_under_its_call() {
        let irsa = "variable \"n\" {}\nresource \"aws_iam_role\" \"this\" {\n  name = var.n\n  assume_role_policy = jsonencode({ Statement = [] })\n}\noutput \"arn\" {\n  value = aws_iam_role.this.arn\n}\n";
        let root = "module \"a\" {\n  source = \"./irsa\"\n  for_each = toset([\"x\", \"y\"])\n  n = each.key\n}\n\
            resource \"aws_iam_role_policy\" \"p\" {\n  role = module.a[\"y\"].arn\n  policy = jsonencode({ Statement = [] })\n}\n";
        let mut sources = SourceMap::new();
        let id = sources.add("r/main.tf", root.to_string());
        let m = sources.add("r/irsa/main.tf", irsa.to_string());
        let (rs, problems) =
            super::super::hcl::evaluate(vec![(id, None), (m, None)], &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let d = derive(&rs, &sources);
        let labels: Vec<&str> = d.policies.iter().map(|p| p.label.as_str()).collect();
        // Instance keys left out, as for a block's instances.
        assert_eq!(
            labels,
            [
                "trust policy of role module.a.aws_iam_role.this",
                "trust policy of role module.a.aws_iam_role.this",
                "inline policy aws_iam_role_policy.p"
            ]
        );
        // The inline policy is the `y` instance's role's.
        let role = d.policies[2].role.map(|r| &rs[d.roles[r].resource].address);
        assert_eq!(
            role.map(String::as_str),
            Some("module.a[\"y\"].aws_iam_role.this")
        );
    }
}
