//! The world: every input of a run, linked. Built once after loading (each file's views in
//! parallel, appended in file order; the links across files sequentially); rules read it
//! and nothing else.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostic::Instance;
use crate::load::Inputs;
use crate::model::aws_config::{self, AwsConfig};
use crate::model::cluster::ClusterConfig;
use crate::model::iam::policy::Policy;
use crate::model::k8s::{objects_of, Object, PodTemplate, ServiceAccount};
use crate::model::oidc::{DiscoveryDocument, IamOidcProvider, Jwks};
use crate::model::openshift::CredentialsRequest;
use crate::model::pod_identity::{self, PodIdentityAssociation};
use crate::model::role::{self, Extracted, PolicyKind, PolicySource, Role, RoleSource};
use crate::model::value::Text;
use crate::model::webhook::{
    self, ConfigMapEntry, WebhookConfigMap, WebhookConfiguration, WebhookDeployment,
};
use crate::source::file::{FileId, Span};
use crate::source::node::{Node, Str};

mod credentials;
pub use credentials::{CredentialsFileUse, CredentialsVia};

/// A variable a container gets through `envFrom` (see [`World::env_from`]).
#[derive(Debug, Clone)]
pub struct EnvFromVar<'a> {
    /// The variable's name in the process: the source's `prefix` and the key.
    pub name: String,
    pub prefix: &'a str,
    /// The ConfigMap or Secret holding the key.
    pub object: Object<'a>,
    /// The `envFrom` entry.
    pub source: &'a Node,
    /// Its `configMapRef`/`secretRef` `name`, where to point at the entry.
    pub reference: &'a Node,
    /// The key as a variable: `name`/`name_node` are the key as written in the object.
    pub var: crate::model::k8s::EnvVar<'a>,
}

/// Where an effective setting came from, for messages and `--explain`.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// The webhook's built-in default.
    Default,
    /// A webhook Deployment flag at this span.
    Flag(Span),
    /// `irsalint.toml` `[cluster]`.
    Config,
}

#[derive(Debug, Clone)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    pub fn span(&self) -> Option<Span> {
        match self.origin {
            Origin::Flag(s) => Some(s),
            _ => None,
        }
    }
}

/// Cluster-wide settings of the webhook as the inputs (or the config) define them.
#[derive(Debug, Clone)]
pub struct Settings {
    pub annotation_prefix: Setting<String>,
    pub token_audience: Setting<String>,
}

/// A policy file a CloudFormation include directive names for a role (see
/// `World::included_documents`).
#[derive(Debug, Clone)]
struct IncludedDocument {
    /// Index into `World::policy_includes` (once every file's are added).
    include: usize,
    /// Index into `World::roles` (once every file's are added).
    role: usize,
    kind: PolicyKind,
    label: String,
    at: Span,
    /// Later includes of the same trust policy file by other roles: (include, role, where).
    also: Vec<(usize, usize, Span)>,
}

/// How a bare trust policy whose file does not name its role got one, or why it has none
/// (`trust-policy-unlinked`, `lint --explain`).
#[derive(Debug, Clone)]
pub struct TrustFileLink {
    /// Index into `World::policies`.
    pub policy: usize,
    /// The role it was linked to (index into `World::roles`).
    pub role: Option<usize>,
    pub how: TrustLinkHow,
}

#[derive(Debug, Clone)]
pub enum TrustLinkHow {
    /// `[roles]` of `irsalint.toml` names its file.
    Config,
    /// A CloudFormation template includes its file as the role's `AssumeRolePolicyDocument`
    /// (`!Rain::Include ./trust.json`, `Fn::Transform: AWS::Include`, ...), written at `at`.
    Included { at: Span },
    /// The only such trust policy and the only role ARN referenced but not defined under
    /// `scope` (see `model::link::infer_trust_links`); `references` are where the ARN is
    /// named.
    Inferred {
        scope: String,
        references: Vec<Span>,
    },
    /// No link: under `scope`, `trusts` such trust policies and these referenced ARNs (each
    /// with the first place it is named) leave more than one choice.
    Ambiguous {
        scope: String,
        trusts: usize,
        candidates: Vec<(String, Span)>,
    },
}

impl TrustLinkHow {
    /// `the only web-identity trust policy whose file names no role and the only role ARN
    /// referenced but not defined under `apps/`` (for messages).
    pub fn scope_text(scope: &str) -> String {
        if scope.is_empty() {
            "among the inputs".to_string()
        } else {
            format!("under `{scope}/`")
        }
    }
}

/// A policy document, parsed, with what it belongs to.
#[derive(Debug)]
pub struct PolicyDoc<'a> {
    pub source: PolicySource<'a>,
    pub kind: PolicyKind,
    pub policy: Policy<'a>,
}

impl PolicyDoc<'_> {
    /// The local module call instance that evaluated this document, for the findings about
    /// it ([`Diagnostic::instance`](crate::diagnostic::Diagnostic::instance)).
    pub fn instance(&self) -> Option<Instance> {
        self.source.instance.clone()
    }
}

/// The only cluster the inputs know (see [`World::one_cluster`]): the ServiceAccounts of
/// manifests and Terraform roots that name no cluster are taken to run in it.
#[derive(Debug, Clone)]
pub struct OneCluster {
    /// For messages: `Terraform root clusters/prod (module.eks)`, `eksctl ClusterConfig prod`.
    pub label: String,
    /// Its name when an eksctl `ClusterConfig` declares it.
    pub eksctl: Option<String>,
    /// Its OIDC issuer (host and path) when the inputs give it: a plan's or state's
    /// `aws_eks_cluster` `identity[0].oidc[0].issuer`.
    pub issuer: Option<String>,
}

pub struct World<'a> {
    pub inputs: &'a Inputs,
    /// What the user states about the cluster (`[cluster]` in `irsalint.toml`).
    pub cluster: &'a ClusterConfig,
    pub objects: Vec<Object<'a>>,
    pub service_accounts: Vec<ServiceAccount<'a>>,
    pub pods: Vec<PodTemplate<'a>>,
    pub webhook_deployments: Vec<WebhookDeployment<'a>>,
    pub webhook_configurations: Vec<WebhookConfiguration<'a>>,
    pub webhook_configmaps: Vec<WebhookConfigMap<'a>>,
    pub aws_configs: Vec<AwsConfig<'a>>,
    /// Which containers read which of `aws_configs` (mounted from its Secret or ConfigMap);
    /// see [`CredentialsFileUse`].
    pub credentials_files: Vec<CredentialsFileUse<'a>>,
    pub credentials_requests: Vec<CredentialsRequest<'a>>,
    pub discovery_documents: Vec<DiscoveryDocument<'a>>,
    pub jwks: Vec<Jwks<'a>>,
    pub roles: Vec<Role<'a>>,
    pub policies: Vec<PolicyDoc<'a>>,
    /// CloudFormation `AWS::IAM::OIDCProvider` resources.
    pub cfn_oidc_providers: Vec<&'a Node>,
    /// EKS Pod Identity associations (CloudFormation, eksctl, ACK, Crossplane).
    pub pod_identity_associations: Vec<PodIdentityAssociation>,
    /// IAM OIDC providers with their client IDs (provider JSON documents and CloudFormation).
    pub iam_oidc_providers: Vec<IamOidcProvider<'a>>,
    /// The one cluster the inputs know, when they know exactly one (see [`OneCluster`]).
    pub one_cluster: Option<OneCluster>,
    pub settings: Settings,
    /// Policies a generator writes from a switch the user sets (eksctl's
    /// `wellKnownPolicies`, a Terraform module's `attach_*_policy`): their spans (every node
    /// of such a policy lies inside) and who owns their content, for messages. The user
    /// cannot change what they grant, only whether to use them, so the `perm-*` findings on
    /// them are info (`rules::perm::shipped`).
    pub producer_owned: Vec<(Span, String)>,
    /// The trust documents a modelled Terraform module generates (`terraform::modules`):
    /// the document, the module call's address (`module.irsa`) and the model followed, so
    /// that a finding on it can name the module input to set rather than a block the user
    /// never wrote.
    pub module_trusts: Vec<(&'a Node, String, String)>,
    /// CloudFormation policy documents included from other files (`rules::input::unresolved_include`).
    pub policy_includes: Vec<role::PolicyInclude>,
    /// Bare trust policies linked to a role by `[roles]` or by inference, and those whose
    /// file names no role and that could not be linked.
    pub trust_file_links: Vec<TrustFileLink>,
    /// What the kustomizations among the inputs build (`model::kustomize`): each file's
    /// namespaces and the kustomizations that put it there (`placement_of`, `lint --explain`).
    pub kustomize: crate::model::kustomize::Built,
    /// Bare web-identity trust policies whose file names no role and that `[roles]` does
    /// not link (indexes into `policies`): linked by inference after every file is read.
    generic_trusts: Vec<usize>,
    /// Include directives linked so far: index into `policy_includes` → index into
    /// `policies` (see `included_documents`).
    include_links: HashMap<usize, usize>,
    /// Trust policies a second role includes too: (role, index into `policies`); the
    /// document's own `role` is the first includer's.
    shared_trusts: Vec<(usize, usize)>,
    /// Where the policy documents that Terraform resources read from other input files
    /// (`file("${path.module}/policy.json")`, `templatefile(...)`) are: the bare documents
    /// of those files are these policies, added once, by `add_terraform`.
    terraform_reads: Vec<Span>,
    /// Roles by name (the last path segment of their ARN).
    roles_by_name: HashMap<String, Vec<usize>>,
    /// ServiceAccounts by (namespace, name); the last definition wins.
    /// By namespace, then name: looked up by `&str`s without building an owned key (a
    /// lookup per pod and per rule that asks).
    service_accounts_by_name: HashMap<String, HashMap<String, usize>>,
    /// Roles whose ARN the inputs cannot know, by the text that stands for it in the
    /// annotations of the ServiceAccounts created with them (eksctl).
    roles_by_reference: HashMap<String, usize>,
    /// The trust policy documents of each role (indexes into `policies`, in order): every
    /// ServiceAccount's trust check asks for its role's, and a scan of all policies per
    /// ServiceAccount made a 100k-app run quadratic.
    trust_by_role: Vec<Vec<usize>>,
}

/// Whether `a` is the `pod_identity_association` of an add-on other than `addon`, the
/// Terraform add-on (instance keys left out) that made the ServiceAccount. Both are compared
/// without instance keys: an association's label keeps them for what a modelled module
/// generates (`module.eks.aws_eks_addon.this["aws-ebs-csi-driver"]`). Two add-on
/// resources that make one ServiceAccount install one add-on, and a cluster has one add-on
/// of a name (EKS `CreateAddon` answers `ResourceInUseException`): the other one's
/// association is another cluster's (aws-observability/terraform-aws-observability-accelerator
/// @4c39cde: an archived module and the current one both install
/// amazon-cloudwatch-observability, with IRSA and with Pod Identity).
fn another_addons(a: &PodIdentityAssociation, addon: Option<&str>) -> bool {
    let Some(addon) = addon else { return false };
    a.label
        .strip_prefix("Terraform ")
        .and_then(|l| l.strip_suffix(" pod_identity_association"))
        .is_some_and(|by| without_instance_keys(by) != addon)
}

/// `module.m["k"].aws_eks_addon.x[0]` as `module.m.aws_eks_addon.x`.
fn without_instance_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

impl<'a> World<'a> {
    /// The namespace an object is judged in when it is one of several instances of a
    /// kustomize base (its file built into more than one namespace, and no namespace of its
    /// own): rules mark their findings on it with this (`Diagnostic::placed`), and `lint`
    /// reports one finding per place and problem across the instances. `None` for an object
    /// that exists once.
    pub fn placement_of(&self, obj: &Object<'_>) -> Option<String> {
        if obj.namespace_node.is_some() {
            return None;
        }
        let placed = self.kustomize.namespaces.get(&obj.file)?;
        (placed.len() > 1).then(|| obj.namespace.to_string())
    }

    /// The ServiceAccounts Crossplane creates (`derived::crossplane`), in its namespace when
    /// the inputs show it (`model::k8s::crossplane_namespace`).
    fn place_crossplane_accounts(&mut self) {
        let unplaced = |ns: &str| ns == crate::derived::crossplane::NAMESPACE;
        if !self
            .service_accounts
            .iter()
            .any(|sa| unplaced(sa.namespace()))
        {
            return;
        }
        let Some(ns) = crate::model::k8s::crossplane_namespace(
            &self.pods,
            &self.objects,
            &self.inputs.terraform_crossplane,
        ) else {
            return;
        };
        for o in self.objects.iter_mut().filter(|o| unplaced(&o.namespace)) {
            o.namespace = ns.as_str().into();
        }
        for sa in self
            .service_accounts
            .iter_mut()
            .filter(|sa| unplaced(&sa.obj.namespace))
        {
            sa.obj.namespace = ns.as_str().into();
        }
    }

    /// `cluster` is a `Config` or its `ClusterConfig`: the World reads only the latter.
    pub fn build(inputs: &'a Inputs, cluster: &'a impl AsRef<ClusterConfig>) -> World<'a> {
        let cluster = cluster.as_ref();
        let mut w = World {
            inputs,
            cluster,
            objects: Vec::new(),
            service_accounts: Vec::new(),
            pods: Vec::new(),
            webhook_deployments: Vec::new(),
            webhook_configurations: Vec::new(),
            webhook_configmaps: Vec::new(),
            aws_configs: Vec::new(),
            credentials_files: Vec::new(),
            credentials_requests: Vec::new(),
            discovery_documents: Vec::new(),
            kustomize: Default::default(),
            jwks: Vec::new(),
            roles: Vec::new(),
            policies: Vec::new(),
            cfn_oidc_providers: Vec::new(),
            pod_identity_associations: Vec::new(),
            iam_oidc_providers: Vec::new(),
            one_cluster: None,
            settings: Settings {
                annotation_prefix: Setting {
                    value: webhook::DEFAULT_ANNOTATION_PREFIX.into(),
                    origin: Origin::Default,
                },
                token_audience: Setting {
                    value: webhook::DEFAULT_TOKEN_AUDIENCE.into(),
                    origin: Origin::Default,
                },
            },
            roles_by_name: HashMap::new(),
            service_accounts_by_name: HashMap::new(),
            roles_by_reference: HashMap::new(),
            trust_by_role: Vec::new(),
            producer_owned: Vec::new(),
            module_trusts: Vec::new(),
            policy_includes: Vec::new(),
            trust_file_links: Vec::new(),
            generic_trusts: Vec::new(),
            include_links: HashMap::new(),
            shared_trusts: Vec::new(),
            terraform_reads: Vec::new(),
        };
        // Nearly every document is one object: sized once rather than doubled (each doubling
        // copies the views, and the abandoned copies stay in the process's memory).
        w.objects
            .reserve(inputs.files.iter().map(|f| f.documents.len()).sum());
        // So are the ServiceAccounts and pod templates, from the documents' kinds (a hint:
        // eksctl's and Terraform's add a few more): grown by doubling, their lists kept
        // room for 6,384 views each at 10k apps, 2 MB of the heap at its peak.
        let (sas, pods) = sa_and_pod_hint(inputs);
        w.service_accounts.reserve_exact(sas);
        w.pods.reserve_exact(pods);
        // Each file's views are found in parallel (they read only that file), a batch of
        // files at a time so that the per-file vectors never hold more than a batch's views
        // beside the World's; they are appended in file order, so the World is the same as
        // a sequential build. What each file says of roles and policies (its policies
        // parsed in parallel too) is added once every file is read: a template's include
        // directive decides the role of a policy file read before it.
        let mut extractions: Vec<Extraction<'a>> = Vec::new();
        let kustomized = crate::model::kustomize::build(inputs);
        for batch in inputs.files.chunks(256) {
            let views: Vec<FileViews<'a>> = batch
                .par_iter()
                .map(|file| FileViews::of(inputs, file, &kustomized))
                .collect();
            for v in views {
                w.discovery_documents.extend(v.discovery_documents);
                w.jwks.extend(v.jwks);
                w.iam_oidc_providers.extend(v.iam_oidc_providers);
                w.pod_identity_associations
                    .extend(v.pod_identity_associations);
                w.aws_configs.extend(v.aws_configs);
                w.credentials_requests.extend(v.credentials_requests);
                w.webhook_configurations.extend(v.webhook_configurations);
                w.webhook_configmaps.extend(v.webhook_configmaps);
                w.service_accounts.extend(v.service_accounts);
                w.webhook_deployments.extend(v.webhook_deployments);
                w.pods.extend(v.pods);
                w.objects.extend(v.objects);
                if !v.extracted.is_empty() {
                    extractions.push((v.extracted, v.policies, v.display));
                }
            }
        }
        w.kustomize = kustomized;
        resolve_includes(inputs, &mut extractions);
        w.terraform_reads = inputs
            .terraform_derived
            .policies
            .iter()
            .filter_map(|p| Some((p.resource, p.doc(&inputs.terraform)?.span)))
            .filter(|(r, span)| span.file != inputs.terraform[*r].file)
            .map(|(_, span)| span)
            .collect();
        let included = w.included_documents(&extractions);
        // Every file's roles first, in file order, so that the role indices
        // `included_documents` computed hold when a policy file comes before its template
        // (the roles a bare trust policy's file name makes are added after all of them).
        let bases: Vec<usize> = extractions
            .iter_mut()
            .map(|(extracted, _, _)| w.add_roles(extracted))
            .collect();
        for ((extracted, policies, display), base) in extractions.into_iter().zip(bases) {
            w.add_parsed(extracted, policies, display, &included, base);
        }
        for (&include, &policy) in &w.include_links {
            w.policy_includes[include].linked = Some(policy);
        }
        w.add_terraform(inputs);
        w.place_crossplane_accounts();
        w.one_cluster = w.find_one_cluster();
        if let Some(one) = &w.one_cluster {
            // Manifests and roots that name no cluster belong to the only one there is.
            for sa in &mut w.service_accounts {
                sa.eks = true;
                if sa.cluster.is_none() {
                    sa.cluster.clone_from(&one.eksctl);
                }
            }
        }
        // The views live until the rules are done: lists grown by doubling (roles and
        // policies file by file, then Terraform's; eksctl's and Terraform's ServiceAccounts
        // past the hint) moved into allocations of their length (`source::fit`).
        crate::source::fit(&mut w.service_accounts);
        crate::source::fit(&mut w.pods);
        crate::source::fit(&mut w.objects);
        crate::source::fit(&mut w.roles);
        crate::source::fit(&mut w.policies);
        crate::source::fit(&mut w.module_trusts);
        crate::source::fit(&mut w.iam_oidc_providers);
        w.settings = w.derive_settings();
        w.trust_by_role = vec![Vec::new(); w.roles.len()];
        for (i, p) in w.policies.iter().enumerate() {
            if p.kind == PolicyKind::Trust {
                if let Some(by_role) = p.source.role.and_then(|r| w.trust_by_role.get_mut(r)) {
                    by_role.push(i);
                }
            }
        }
        for &(role, policy) in &w.shared_trusts {
            w.trust_by_role[role].push(policy);
        }
        // Nearly every role has one trust policy: a push keeps room for four.
        w.trust_by_role.iter_mut().for_each(crate::source::fit);
        for (i, sa) in w.service_accounts.iter().enumerate() {
            w.service_accounts_by_name
                .entry(sa.namespace().to_string())
                .or_default()
                .insert(sa.name().to_string(), i);
        }
        for (i, r) in w.roles.iter().enumerate() {
            if let Some(name) = &r.name {
                w.roles_by_name
                    .entry(name.value.to_string())
                    .or_default()
                    .push(i);
            }
        }
        w.roles_by_name.values_mut().for_each(crate::source::fit);
        w.link_generic_trusts();
        w.link_boundaries();
        w.credentials_files = credentials::uses(&w);
        w
    }

    /// Links each role's permissions boundary document to its policy view (the first whose
    /// node it is); one the World holds no view of is not shown.
    fn link_boundaries(&mut self) {
        if !self.roles.iter().any(|r| {
            matches!(
                r.boundary.as_ref().map(|b| b.policy),
                Some(role::BoundaryPolicy::Document(_))
            )
        }) {
            return;
        }
        let mut by_node: HashMap<*const Node, usize> = HashMap::new();
        for (i, p) in self.policies.iter().enumerate() {
            if matches!(p.kind, PolicyKind::Identity | PolicyKind::Boundary) {
                by_node
                    .entry(std::ptr::from_ref(p.source.node))
                    .or_insert(i);
            }
        }
        for b in self.roles.iter_mut().filter_map(|r| r.boundary.as_mut()) {
            if let role::BoundaryPolicy::Document(n) = b.policy {
                b.policy = match by_node.get(&std::ptr::from_ref(n)) {
                    Some(&i) => role::BoundaryPolicy::Linked(i),
                    None => role::BoundaryPolicy::NotShown,
                };
            }
        }
    }

    /// The permissions boundary of the role policy `doc` belongs to, if it has one.
    pub fn boundary_of(&self, doc: &PolicyDoc<'a>) -> Option<&role::Boundary<'a>> {
        self.roles.get(doc.source.role?)?.boundary.as_ref()
    }

    /// Links each bare web-identity trust policy whose file names no role to the one role
    /// ARN the inputs reference but do not define, when its scope leaves one choice
    /// (`model::link::infer_trust_links`), in rounds: a linked trust policy and its ARN
    /// leave the next round, which may leave one choice where there were two. Records the
    /// rest as ambiguous.
    fn link_generic_trusts(&mut self) {
        use crate::source::discover::lexical;
        if self.generic_trusts.is_empty() {
            return;
        }
        let mut references: Vec<(String, Span, String)> = self
            .undefined_role_references()
            .into_iter()
            .map(|(arn, span)| {
                let path = lexical(self.path_of(span));
                (arn, span, path)
            })
            .collect();
        let mut trusts: Vec<(usize, String)> = self
            .generic_trusts
            .iter()
            .map(|&p| {
                let file = self.policies[p].source.file;
                (p, lexical(&self.inputs.sources.get(file).path))
            })
            .collect();
        loop {
            let paths: Vec<&str> = trusts.iter().map(|(_, p)| p.as_str()).collect();
            let refs: Vec<(&str, &str)> = references
                .iter()
                .map(|(a, _, p)| (a.as_str(), p.as_str()))
                .collect();
            let scopes = crate::model::link::infer_trust_links(&paths, &refs);
            let linked: Vec<(usize, String, String)> = scopes
                .iter()
                .filter_map(|s| {
                    s.linked()
                        .map(|a| (trusts[s.trust].0, a.to_string(), s.scope.clone()))
                })
                .collect();
            if linked.is_empty() {
                for scope in scopes {
                    // Every ARN of a scope is one of `references`.
                    let candidates = scope
                        .arns
                        .iter()
                        .filter_map(|a| {
                            let (_, span, _) = references.iter().find(|(r, _, _)| r == a)?;
                            Some((a.clone(), *span))
                        })
                        .collect();
                    self.trust_file_links.push(TrustFileLink {
                        policy: trusts[scope.trust].0,
                        role: None,
                        how: TrustLinkHow::Ambiguous {
                            scope: scope.scope,
                            trusts: scope.trusts,
                            candidates,
                        },
                    });
                }
                return;
            }
            for (policy, arn, scope) in linked {
                // Out of the next round whatever happens here: every round shrinks.
                trusts.retain(|(p, _)| *p != policy);
                let named: Vec<Span> = references
                    .iter()
                    .filter(|(a, _, _)| *a == arn)
                    .map(|(_, s, _)| *s)
                    .collect();
                references.retain(|(a, _, _)| *a != arn);
                let Some(name) = crate::model::iam::arn::parse(&arn)
                    .and_then(|a| crate::model::iam::arn::role_path_and_name(a.resource))
                    .map(|(_, n)| n.to_string())
                else {
                    continue;
                };
                // `build` indexed the roles by name already: this one joins the index here.
                let idx = self.roles.len();
                self.roles_by_name
                    .entry(name.clone())
                    .or_default()
                    .push(idx);
                let role = self.link_bare_trust(policy, Some(arn.clone()), name);
                // And its trust joins the index by role (`trust_of`).
                self.trust_by_role.resize(self.roles.len(), Vec::new());
                self.trust_by_role[role].push(policy);
                self.trust_file_links.push(TrustFileLink {
                    policy,
                    role: Some(role),
                    how: TrustLinkHow::Inferred {
                        scope,
                        references: named,
                    },
                });
            }
        }
    }

    /// Makes policy `policy` (a bare trust policy) the trust of a new role `name` (`arn` when
    /// known), as a trust policy file named after its role is; returns the role's index (not
    /// indexed by name: the caller does when `build` has indexed the others already).
    fn link_bare_trust(&mut self, policy: usize, arn: Option<String>, name: String) -> usize {
        let src = &self.policies[policy].source;
        let file = src.file;
        let anchor = src
            .node
            .entry("Statement")
            .map(|e| e.key.span)
            .unwrap_or(src.node.span);
        let text = |value: String| Text {
            value: value.into(),
            span: Span::empty(file, 0),
            unresolved: false,
        };
        let idx = self.roles.len();
        self.roles.push(Role {
            file,
            source: RoleSource::BareTrust,
            arn: arn.map(text),
            name: Some(text(name)),
            path: None,
            anchor,
            logical_id: None,
            managed_policy_arns: Vec::new(),
            boundary: None,
        });
        self.policies[policy].source.role = Some(idx);
        idx
    }

    /// Role ARNs the inputs reference and no role of the inputs defines (no role of that
    /// name), each with where it is named: ServiceAccount role-arn annotations, `AWS_ROLE_ARN`
    /// in containers, `role_arn` in AWS config files (credentials Secrets) and the webhook
    /// ConfigMap's `RoleARN`s: the ways a pod assumes a role with a web-identity token. (A
    /// Pod Identity association's role is assumed by the EKS service, not with a token:
    /// no candidate for a web-identity trust policy.) Placeholders and malformed ARNs are not
    /// references.
    fn undefined_role_references(&self) -> Vec<(String, Span)> {
        use crate::model::iam::arn;
        let mut found: Vec<(String, Span)> = Vec::new();
        let mut add = |value: &str, span: Span| {
            let value = value.trim();
            if arn::is_placeholder(value) || arn::role_arn_problem(value).is_some() {
                return;
            }
            found.push((value.to_string(), span));
        };
        let prefix = &self.settings.annotation_prefix.value;
        for sa in &self.service_accounts {
            if let Some(e) = sa.annotation(prefix, "role-arn") {
                if let Some(v) = e.value.as_str() {
                    add(v, e.value.span);
                }
            }
        }
        for pod in &self.pods {
            for c in &pod.containers {
                if let Some(v) = c.env_var("AWS_ROLE_ARN").and_then(|e| e.value) {
                    if let Some(s) = v.as_str() {
                        add(s, v.span);
                    }
                }
            }
        }
        for cfg in &self.aws_configs {
            for section in &cfg.ini.sections {
                if let Some(e) = section.get("role_arn") {
                    add(&e.value, e.value_span);
                }
            }
        }
        for cm in &self.webhook_configmaps {
            for e in &cm.entries {
                if let Some(v) = e.value.get("RoleARN").and_then(Node::as_str) {
                    add(v, e.value.span);
                }
            }
        }
        found.retain(|(value, _)| {
            let name = arn::parse(value)
                .and_then(|a| arn::role_path_and_name(a.resource))
                .map(|(_, n)| n);
            name.is_some_and(|n| self.roles_named(n).next().is_none())
        });
        found
    }

    /// The input files that CloudFormation include directives of `extractions` name for a
    /// role's trust policy or inline policy: file → (index into `World::policy_includes`
    /// once they are added, index into `World::roles` once the roles are added). The first
    /// include of a file wins; a file included twice is linked to the first role only.
    fn included_documents(
        &self,
        extractions: &[Extraction<'a>],
    ) -> HashMap<FileId, IncludedDocument> {
        let mut found = HashMap::new();
        let (mut roles, mut includes) = (self.roles.len(), self.policy_includes.len());
        for (ex, _, _) in extractions {
            for (i, inc) in ex.includes.iter().enumerate() {
                let Some(role) = inc.role else { continue };
                if let Some(file) = inc.file {
                    match found.entry(file) {
                        Entry::Vacant(v) => {
                            v.insert(IncludedDocument {
                                include: includes + i,
                                role: roles + role,
                                kind: inc.kind,
                                label: inc.label.clone(),
                                at: inc.span,
                                also: Vec::new(),
                            });
                        }
                        // Roles that share a trust policy file share its document.
                        Entry::Occupied(mut o)
                            if o.get().kind == PolicyKind::Trust
                                && inc.kind == PolicyKind::Trust =>
                        {
                            o.get_mut()
                                .also
                                .push((includes + i, roles + role, inc.span));
                        }
                        Entry::Occupied(_) => {}
                    }
                }
            }
            roles += ex.roles.len();
            includes += ex.includes.len();
        }
        found
    }

    fn add_extracted(
        &mut self,
        mut ex: Extracted<'a>,
        display: &str,
        included: &HashMap<FileId, IncludedDocument>,
    ) {
        let policies = ex
            .policies
            .iter()
            .map(|src| Policy::parse(src.node, &src.subs))
            .collect();
        let base = self.add_roles(&mut ex);
        self.add_parsed(ex, policies, display, included, base);
    }

    /// Adds what `ex` says besides its policies (roles, references, includes, OIDC
    /// providers), leaving `ex.policies`; returns the index of its first role.
    fn add_roles(&mut self, ex: &mut Extracted<'a>) -> usize {
        let base = self.roles.len();
        self.producer_owned.append(&mut ex.producer_owned);
        self.policy_includes
            .extend(ex.includes.drain(..).map(|mut inc| {
                inc.role = inc.role.map(|r| r + base);
                inc
            }));
        for (reference, i) in ex.references.drain(..) {
            self.roles_by_reference.insert(reference, base + i);
        }
        self.roles.append(&mut ex.roles);
        self.iam_oidc_providers.extend(
            ex.oidc_providers
                .iter()
                .filter_map(|n| IamOidcProvider::from_cfn(n)),
        );
        self.cfn_oidc_providers.append(&mut ex.oidc_providers);
        base
    }

    /// `ex.policies`, already parsed (`policies`, in order), after [`World::add_roles`]
    /// added its roles from `base` on.
    fn add_parsed(
        &mut self,
        ex: Extracted<'a>,
        policies: Vec<Policy<'a>>,
        display: &str,
        included: &HashMap<FileId, IncludedDocument>,
        base: usize,
    ) {
        // Sized for the batch (amortised like a push): the Terraform roots' thousands of
        // policies come as one, and doubling past them kept up to half the list unused.
        self.policies.reserve(policies.len());
        for (mut src, policy) in ex.policies.into_iter().zip(policies) {
            // A document a Terraform resource reads is that resource's policy: judged once,
            // under the resource's name and with its role (the same positions either way).
            if src.role.is_none() && src.kind.is_none() && self.read_by_terraform(&src) {
                continue;
            }
            src.role = src.role.map(|r| r + base);
            let kind = src.kind.unwrap_or(if policy.is_trust_policy() {
                PolicyKind::Trust
            } else if policy.is_resource_policy() {
                PolicyKind::Resource
            } else {
                PolicyKind::Identity
            });
            // A bare document a template includes (`!Rain::Include ./trust.json`) is that
            // role's trust policy or inline policy, whatever its file is called.
            let include = (src.role.is_none() && src.kind.is_none())
                .then(|| included.get(&src.file))
                .flatten()
                .filter(|inc| inc.kind == kind && !self.include_links.contains_key(&inc.include));
            if let Some(inc) = include {
                let index = self.policies.len();
                // `policy_includes[inc.include]` may belong to a file added later.
                self.include_links.insert(inc.include, index);
                src.role = Some(inc.role);
                src.label = inc.label.clone();
                if kind == PolicyKind::Trust {
                    self.trust_file_links.push(TrustFileLink {
                        policy: index,
                        role: Some(inc.role),
                        how: TrustLinkHow::Included { at: inc.at },
                    });
                    for &(include, role, at) in &inc.also {
                        self.include_links.insert(include, index);
                        self.shared_trusts.push((role, index));
                        self.trust_file_links.push(TrustFileLink {
                            policy: index,
                            role: Some(role),
                            how: TrustLinkHow::Included { at },
                        });
                    }
                }
                self.policies.push(PolicyDoc {
                    source: src,
                    kind,
                    policy,
                });
                continue;
            }
            // A bare trust policy stands for the role `[roles]` maps its file to, else the
            // role its file is named after; a web-identity one whose file names no role is
            // linked by inference once every file is read (`link_generic_trusts`).
            let configured =
                (src.role.is_none() && kind == PolicyKind::Trust && !display.is_empty())
                    .then(|| {
                        let shown = crate::source::discover::lexical(display);
                        self.cluster.role_files.iter().find(|r| r.path == shown)
                    })
                    .flatten();
            if let Some(rf) = configured {
                let index = self.policies.len();
                let (arn, name) = (rf.arn.clone(), rf.name.clone());
                self.policies.push(PolicyDoc {
                    source: src,
                    kind,
                    policy,
                });
                let role = self.link_bare_trust(index, arn, name);
                self.trust_file_links.push(TrustFileLink {
                    policy: index,
                    role: Some(role),
                    how: TrustLinkHow::Config,
                });
                continue;
            }
            if src.role.is_none()
                && kind == PolicyKind::Trust
                && !display.is_empty()
                && role::role_name_from_path(display).is_none()
                && is_web_identity(&policy)
            {
                self.generic_trusts.push(self.policies.len());
            }
            if src.role.is_none() && kind == PolicyKind::Trust {
                if let Some(name) = role::role_name_from_path(display) {
                    src.role = Some(self.roles.len());
                    self.roles.push(Role {
                        file: src.file,
                        source: RoleSource::BareTrust,
                        arn: None,
                        name: Some(Text {
                            value: name.into(),
                            span: Span::empty(src.file, 0),
                            unresolved: false,
                        }),
                        path: None,
                        anchor: src
                            .node
                            .entry("Statement")
                            .map(|e| e.key.span)
                            .unwrap_or(src.node.span),
                        logical_id: None,
                        managed_policy_arns: Vec::new(),
                        boundary: None,
                    });
                }
            }
            self.policies.push(PolicyDoc {
                source: src,
                kind,
                policy,
            });
        }
    }

    /// The model's views of what Terraform resources imply (`terraform::resources::derive`,
    /// built at load time): roles, policies, OIDC providers, Pod Identity associations and
    /// Kubernetes objects.
    fn add_terraform(&mut self, inputs: &'a Inputs) {
        let d = &inputs.terraform_derived;
        let resources = &inputs.terraform;
        let subs = crate::model::value::Substitutions::none();
        let t = |n: &Node| crate::model::value::text(n, subs);
        let mut ex = Extracted::default();
        // The documents of the `aws_iam_policy`s roles name as their boundaries.
        let mut boundary_docs: HashMap<usize, &'a Node> = HashMap::new();
        for r in d.roles.iter().filter_map(|r| r.boundary_policy) {
            if let Some(node) = d
                .policies
                .iter()
                .find(|p| p.resource == r && !p.trust)
                .and_then(|p| p.doc(resources))
            {
                boundary_docs.insert(r, node);
            }
        }
        // Sized once: grown push by push, these lists of every root's roles and policies
        // were copied a dozen times (0.3 M instructions of the 1k corpus).
        ex.roles.reserve_exact(d.roles.len());
        ex.policies.reserve_exact(d.policies.len());
        for r in &d.roles {
            let res = &resources[r.resource];
            ex.roles.push(Role {
                file: res.file,
                source: RoleSource::Terraform,
                arn: Some(r.arn.as_ref().and_then(t).unwrap_or_else(|| Text {
                    value: ["${", res.address.as_str(), ".arn}"].concat().into(),
                    span: res.anchor,
                    unresolved: true,
                })),
                name: r.name.as_ref().and_then(t),
                path: r.path.as_ref().and_then(t),
                anchor: res.anchor,
                logical_id: Some(res.address.as_str()),
                managed_policy_arns: r.managed_policy_arns.iter().filter_map(t).collect(),
                boundary: role::boundary_of(
                    r.permissions_boundary.as_ref(),
                    subs,
                    r.boundary_policy
                        .and_then(|p| boundary_docs.get(&p).copied()),
                ),
            });
        }
        for p in &d.policies {
            let Some(node) = p.doc(resources) else {
                continue;
            };
            let res = &resources[p.resource];
            if let (true, crate::terraform::Origin::Module { model }) = (p.trust, &res.origin) {
                self.module_trusts
                    .push((node, res.module.clone(), model.clone()));
            }
            ex.policies.push(PolicySource {
                file: res.file,
                node,
                kind: Some(if p.trust {
                    PolicyKind::Trust
                } else if inputs
                    .terraform_boundaries
                    .binary_search(&p.resource)
                    .is_ok()
                {
                    PolicyKind::Boundary
                } else {
                    PolicyKind::Identity
                }),
                role: p.role,
                label: p.label.clone(),
                subs: Default::default(),
                instance: resources[p.resource].call.map(|call| Instance {
                    address: resources[p.resource].module.clone(),
                    call,
                }),
            });
        }
        self.add_extracted(ex, "", &HashMap::new());
        self.iam_oidc_providers.extend(
            d.oidc_providers
                .iter()
                .filter_map(IamOidcProvider::from_root),
        );
        // The cluster a Terraform root creates (an `aws_eks_cluster`, an EKS module call):
        // its associations and ServiceAccounts are that cluster's, not another root's. A
        // root that only reads a cluster or adds to one (a data source, an `aws_eks_addon`)
        // may target any, as may a root that names none.
        let created = |file: FileId| -> Option<String> {
            let dir = crate::terraform::hcl::dir_of(&inputs.sources.get(file).path);
            d.eks_clusters
                .iter()
                .find(|c| {
                    // `aws_eks_cluster.x` (also under a call), or the EKS module's call
                    // `module.eks`; not `data.aws_eks_cluster.x` nor `aws_eks_addon.x`.
                    let last_call = c.by.rsplit("module.").next().unwrap_or("");
                    c.root == dir
                        && c.count == 1
                        && ((c.by.contains("aws_eks_cluster.")
                            && !c.by.contains("data.aws_eks_cluster."))
                            || (c.by.starts_with("module.") && !last_call.contains('.')))
                })
                .map(|c| format!("{} of Terraform root {}", c.by, c.root))
        };
        for a in &d.pod_identity {
            if let (Some(namespace), Some(service_account)) =
                (t(&a.namespace), t(&a.service_account))
            {
                self.pod_identity_associations.push(PodIdentityAssociation {
                    namespace,
                    service_account,
                    role_arn: a.role_arn.as_ref().and_then(t),
                    anchor: a.anchor,
                    file: a.file,
                    label: a.label.clone(),
                    cluster: created(a.file).or_else(|| {
                        let path = &inputs.sources.get(a.file).path;
                        a.cluster_name.as_ref().and_then(|n| {
                            referenced_cluster(n, crate::terraform::hcl::dir_of(path))
                        })
                    }),
                });
            }
        }
        for (file, node) in &d.objects {
            for obj in objects_of(*file, std::iter::once(node)) {
                if obj.kind == "ServiceAccount" {
                    let eks = node
                        .get("metadata")
                        .is_some_and(|m| m.get(crate::terraform::resources::ON_EKS).is_some());
                    self.service_accounts.push(ServiceAccount {
                        obj: obj.clone(),
                        cluster: created(*file),
                        eks,
                    });
                }
                if let Some(pod) = PodTemplate::from_object(&obj) {
                    self.pods.push(pod);
                }
                self.objects.push(obj);
            }
        }
    }

    /// Whether `file` is a policy file a Terraform resource reads with `file()` or
    /// `templatefile()`: its `${…}` values are what Terraform rendered into it.
    pub(crate) fn rendered_by_terraform(&self, file: FileId) -> bool {
        self.terraform_reads.iter().any(|r| r.file == file)
    }

    /// Whether a Terraform resource reads the bare document `src` as its policy: a file
    /// `file()`/`templatefile()` reads is one JSON document, the resource's.
    fn read_by_terraform(&self, src: &PolicySource<'_>) -> bool {
        self.terraform_reads
            .iter()
            .any(|r| r.file == src.node.span.file)
    }

    /// The roles a Terraform reference names (`aws_iam_role.x.arn`,
    /// `module.irsa.iam_role_arn`): linked by address even when the ARN is unknown.
    ///
    /// A reference is the module's own: `from`, the file it is written in, limits the roles
    /// to those of that directory (two roots that each declare `aws_iam_role.app` are two
    /// roles, and each root's references name its own). `None`: any directory.
    ///
    /// A `data "aws_iam_role"` looked up by name names the role of that name (see
    /// [`World::role_lookup`]).
    ///
    /// A CloudFormation `${Role.Arn}` (a `!Sub` manifest's placeholder) names the role of
    /// that logical id in the template `from` ([`World::cloudformation_roles`]).
    pub fn roles_by_address(&self, reference: &str, from: Option<FileId>) -> Vec<usize> {
        if let Some(logical) = reference
            .strip_prefix("${")
            .and_then(|r| r.strip_suffix(".Arn}"))
        {
            return self.cloudformation_roles(logical, from);
        }
        let dir = |f: FileId| crate::terraform::hcl::dir_of(&self.inputs.sources.get(f).path);
        let direct: Vec<usize> = self
            .roles
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.source == RoleSource::Terraform
                    && r.logical_id
                        .is_some_and(|a| crate::terraform::resources::refers_to(reference, a))
                    && from.is_none_or(|f| dir(f) == dir(r.file))
            })
            .map(|(i, _)| i)
            .collect();
        if !direct.is_empty() {
            return direct;
        }
        if let Some(found) = self.dependency_roles(reference, from) {
            return found;
        }
        self.role_lookup(reference, from)
            .map(|(role, _)| vec![role])
            .unwrap_or_default()
    }

    /// The roles a Terragrunt unit's `dependency.<x>.outputs.<output>` (`from`, its
    /// `terragrunt.hcl`) names: `module.terragrunt.<output>` of the unit the dependency's
    /// `config_path` names (bee7ch7/eks-setups@58c28e96: ServiceAccounts annotated with
    /// `dependency.role.outputs.iam_role_arn` of the unit that makes the role). `None`: not
    /// such a reference, or no such unit among the inputs.
    fn dependency_roles(&self, reference: &str, from: Option<FileId>) -> Option<Vec<usize>> {
        use crate::terraform::terragrunt;
        let (name, output) = terragrunt::dependency_output(reference)?;
        let from = from?;
        let file = self.inputs.sources.get(from);
        if !terragrunt::is_terragrunt(&file.path) {
            return None;
        }
        let config = terragrunt::dependency_path(from, file.text(), name)?;
        let dir = crate::terraform::hcl::dir_of(&file.path);
        let target = crate::source::discover::lexical(&match dir {
            "" => format!("{config}/terragrunt.hcl"),
            _ => format!("{dir}/{config}/terragrunt.hcl"),
        });
        let unit = self
            .inputs
            .sources
            .files()
            .iter()
            .find(|f| crate::source::discover::lexical(&f.path) == target)?;
        let call = format!("module.{}.{output}", terragrunt::CALL);
        Some(self.roles_by_address(&call, Some(unit.id)))
    }

    /// The roles of logical id `logical` in the CloudFormation template `from`: what a
    /// `!Sub` placeholder written there names (`${Role.Arn}` its ARN, `${Role}` its name).
    pub fn cloudformation_roles(&self, logical: &str, from: Option<FileId>) -> Vec<usize> {
        self.roles
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.source == RoleSource::CloudFormation
                    && r.logical_id == Some(logical)
                    && from == Some(r.file)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The role a reference to a `data "aws_iam_role"` written in `from`'s directory names
    /// (`data.aws_iam_role.argocd.arn`), with that data source: the one Terraform role of
    /// the inputs, in any root, whose known name is the one looked up. `None` when the
    /// name is unknown, or no role or several (of any source) have it.
    pub fn role_lookup(
        &self,
        reference: &str,
        from: Option<FileId>,
    ) -> Option<(usize, &crate::terraform::resources::TfRoleLookup)> {
        let dir = |f: FileId| crate::terraform::hcl::dir_of(&self.inputs.sources.get(f).path);
        let lookup = self
            .inputs
            .terraform_derived
            .role_lookups
            .iter()
            .find(|l| {
                crate::terraform::resources::refers_to(reference, &l.address)
                    && from.is_none_or(|f| dir(f) == dir(l.file))
            })?;
        self.lookup_target(lookup).ok().map(|i| (i, lookup))
    }

    /// The role a `data "aws_iam_role"` finds by name (see [`World::role_lookup`]), or
    /// how many roles have that known name when that is not one Terraform role (`0` when
    /// the name is unknown).
    pub fn lookup_target(
        &self,
        lookup: &crate::terraform::resources::TfRoleLookup,
    ) -> Result<usize, usize> {
        let named = |n: &str| {
            self.roles_named(n)
                .filter(|(_, r)| r.name.as_ref().is_some_and(|t| !t.unresolved))
                .collect::<Vec<_>>()
        };
        let Some(name) = crate::terraform::resources::role_lookup(lookup, |n| named(n).len())
        else {
            // An unknown name's text (`var.role_name`) is no role's known name: 0.
            return Err(lookup.name.as_str().map_or(0, |n| named(n).len()));
        };
        match named(name).first() {
            Some(&(i, role)) if role.source == RoleSource::Terraform => Ok(i),
            _ => Err(1),
        }
    }

    /// The annotation prefix the webhook serving `sa` reads: the effective setting, except
    /// that a self-hosted webhook's `--annotation-prefix` does not apply to a ServiceAccount
    /// on EKS (see [`ServiceAccount::eks`]), whose webhook reads the default.
    pub fn annotation_prefix_of(&self, sa: &ServiceAccount<'_>) -> &str {
        match self.settings.annotation_prefix.origin {
            Origin::Flag(_) if sa.eks => webhook::DEFAULT_ANNOTATION_PREFIX,
            _ => &self.settings.annotation_prefix.value,
        }
    }

    /// The one EKS cluster the inputs know: one Terraform root (or plan) that declares or
    /// reads one EKS cluster, or one eksctl `ClusterConfig`, and nothing that shows another
    /// cluster (a self-hosted webhook, which EKS does not need: its Deployment,
    /// MutatingWebhookConfiguration or ConfigMap; an OpenShift CredentialsRequest; a
    /// `[cluster]` annotation prefix or audience, which EKS's webhook does not take). `None`
    /// otherwise: manifests then name no cluster.
    fn find_one_cluster(&self) -> Option<OneCluster> {
        let other = !self.webhook_deployments.is_empty()
            || !self.webhook_configurations.is_empty()
            || !self.webhook_configmaps.is_empty()
            || !self.credentials_requests.is_empty()
            || self
                .cluster
                .annotation_prefix
                .as_ref()
                .is_some_and(|p| p != webhook::DEFAULT_ANNOTATION_PREFIX)
            || self
                .cluster
                .audiences
                .iter()
                .any(|a| a != webhook::DEFAULT_TOKEN_AUDIENCE);
        if other {
            return None;
        }
        let eksctl: Vec<&Object<'a>> = self
            .objects
            .iter()
            .filter(|o| o.kind == "ClusterConfig" && o.api_version.starts_with("eksctl.io/"))
            .collect();
        let roots = &self.inputs.terraform_derived.eks_clusters;
        let count = eksctl.len() + roots.iter().map(|c| c.count).sum::<usize>();
        if count != 1 {
            return None;
        }
        Some(match (eksctl.first(), roots.first()) {
            (Some(c), _) => OneCluster {
                label: format!("eksctl ClusterConfig {}", c.name_str()),
                eksctl: Some(c.name_str().to_string()),
                issuer: None,
            },
            (None, Some(r)) => {
                let root = if r.root.is_empty() { "." } else { &r.root };
                OneCluster {
                    label: format!("Terraform root {root} ({})", r.by),
                    eksctl: None,
                    issuer: r
                        .issuer
                        .as_ref()
                        .and_then(Node::as_str)
                        .map(crate::model::oidc::issuer_key),
                }
            }
            (None, None) => return None,
        })
    }

    /// The issuers of the cluster the ServiceAccounts run in: `[cluster].issuers`, else the
    /// one cluster's when the inputs give it (see [`OneCluster`]); with where they come from.
    pub fn cluster_issuers(&self) -> (Vec<String>, String) {
        if !self.cluster.issuers.is_empty() {
            return (
                self.cluster.issuers.clone(),
                "[cluster] issuers".to_string(),
            );
        }
        match &self.one_cluster {
            Some(OneCluster {
                issuer: Some(i),
                label,
                ..
            }) => (
                vec![i.clone()],
                format!("the only cluster in the inputs, {label}"),
            ),
            _ => (Vec::new(), String::new()),
        }
    }

    fn derive_settings(&self) -> Settings {
        let mut s = self.settings.clone();
        if let Some(prefix) = &self.cluster.annotation_prefix {
            s.annotation_prefix = Setting {
                value: prefix.clone(),
                origin: Origin::Config,
            };
        }
        if let Some(aud) = self.cluster.audiences.first() {
            s.token_audience = Setting {
                value: aud.clone(),
                origin: Origin::Config,
            };
        }
        // The webhook's own flags win over the config: they are what the cluster runs.
        if let [wh] = self.webhook_deployments.as_slice() {
            if let Some(f) = wh.flag("annotation-prefix") {
                if let Some(v) = &f.value {
                    s.annotation_prefix = Setting {
                        value: v.clone(),
                        origin: Origin::Flag(f.span),
                    };
                }
            }
            if let Some(f) = wh.flag("token-audience") {
                if let Some(v) = &f.value {
                    s.token_audience = Setting {
                        value: v.clone(),
                        origin: Origin::Flag(f.span),
                    };
                }
            }
        }
        s
    }

    /// The environment variable `name` a container's process sees: its inline `env` (which
    /// wins), else an `envFrom` source (`configMapRef`, `secretRef`, with its `prefix`; the
    /// last source holding the key wins) whose ConfigMap or Secret is among the inputs, in
    /// the pod's namespace. From a ConfigMap's `data` or a Secret's `stringData` the value is
    /// the literal (positions in that object); from a Secret's base64 `data` it has no
    /// literal (`value` is `None`, `value_from` the `envFrom` entry). `name` of the result
    /// is the key as written in the ConfigMap/Secret.
    ///
    /// The SDKs read this environment, so the rules about what a process does with it use
    /// this; the pod-identity webhook only inspects inline `env` (reference/
    /// webhook-semantics.md §6), so render and the rules about its decisions do not.
    pub fn container_env(
        &self,
        pod: &PodTemplate<'a>,
        c: &crate::model::k8s::Container<'a>,
        name: &str,
    ) -> Option<crate::model::k8s::EnvVar<'a>> {
        if let Some(e) = c.env_var(name) {
            return Some(e.clone());
        }
        // Later sources win, and within a Secret `stringData` (listed first) over `data`.
        let all = self.env_from(pod, c);
        let last_source = all
            .iter()
            .rev()
            .find(|v| v.name == name)
            .map(|v| v.source.span);
        all.into_iter()
            .find(|v| v.name == name && Some(v.source.span) == last_source)
            .map(|v| v.var)
    }

    /// Every variable a container gets through `envFrom` from a ConfigMap or Secret among the
    /// inputs (in the pod's namespace), in source order; a Secret's `stringData` keys before
    /// its `data` keys. See [`World::container_env`] for what `var` holds.
    pub fn env_from(
        &self,
        pod: &PodTemplate<'a>,
        c: &crate::model::k8s::Container<'a>,
    ) -> Vec<EnvFromVar<'a>> {
        let mut out = Vec::new();
        let sources = c.node.get("envFrom").map(Node::items).unwrap_or(&[]);
        for src in sources {
            let prefix = src.get("prefix").and_then(Node::as_str).unwrap_or("");
            let (kind, reference) = match (src.get("configMapRef"), src.get("secretRef")) {
                (Some(r), _) => ("ConfigMap", r),
                (None, Some(r)) => ("Secret", r),
                _ => continue,
            };
            let Some(name_node) = reference.get("name") else {
                continue;
            };
            let Some(obj_name) = name_node.as_str() else {
                continue;
            };
            let Some(obj) = self.objects.iter().rev().find(|o| {
                o.kind == kind && o.name_str() == obj_name && o.namespace == pod.owner.namespace
            }) else {
                continue;
            };
            let sections: &[&str] = if kind == "ConfigMap" {
                &["data"]
            } else {
                // `stringData` is merged over `data` when the Secret is written.
                &["stringData", "data"]
            };
            let mut seen: Vec<&str> = Vec::new();
            for section in sections {
                let entries = obj.node.get(section).map(Node::entries).unwrap_or(&[]);
                // The last of duplicate keys is the one the API server keeps.
                for e in entries.iter().rev() {
                    let Some(key) = e.key.as_str() else { continue };
                    if seen.contains(&key) {
                        continue;
                    }
                    seen.push(key);
                    let encoded = kind == "Secret" && *section == "data";
                    out.push(EnvFromVar {
                        name: format!("{prefix}{key}"),
                        prefix,
                        object: obj.clone(),
                        source: src,
                        reference: name_node,
                        var: crate::model::k8s::EnvVar {
                            entry: src,
                            name_node: &e.key,
                            name: key,
                            value: (!encoded).then_some(&e.value),
                            value_from: encoded.then_some(src),
                        },
                    });
                }
            }
        }
        out
    }

    /// The ServiceAccount `name` in namespace `ns` (the last one when defined twice).
    pub fn service_account(&self, ns: &str, name: &str) -> Option<&ServiceAccount<'a>> {
        self.service_accounts_by_name
            .get(ns)?
            .get(name)
            .map(|&i| &self.service_accounts[i])
    }

    /// Roles whose name is `name`.
    pub fn roles_named(&self, name: &str) -> impl Iterator<Item = (usize, &Role<'a>)> {
        self.roles_by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(move |&i| (i, &self.roles[i]))
    }

    /// The EKS Pod Identity association that applies to `sa` (its namespace and name known
    /// and equal, and not another cluster's): the webhook then injects container credentials
    /// and ignores the role-arn annotation, so the annotation's role is never assumed.
    /// `sa-role-arn-with-pod-identity` reports the annotation; the rules that judge the
    /// annotation's role as if it were used, and the map's IRSA edge, step aside.
    pub fn pod_identity_association_of(
        &self,
        sa: &ServiceAccount<'_>,
    ) -> Option<&PodIdentityAssociation> {
        // The Terraform add-on that made the account (`aws_eks_addon.x[0]`), by the name
        // associations give it (instance keys left out).
        let addon = sa
            .obj
            .metadata
            .and_then(|m| m.get(crate::terraform::resources::CREATED_BY))
            .and_then(Node::as_str)
            .filter(|by| by.contains("aws_eks_addon."))
            .map(without_instance_keys);
        self.pod_identity_associations.iter().find(|a| {
            a.applies_to(sa.namespace(), sa.name())
                && a.same_cluster(sa.cluster.as_deref())
                && !another_addons(a, addon.as_deref())
        })
    }

    /// The role whose unknown ARN `reference` stands for (see [`Extracted::references`]).
    pub fn role_by_reference(&self, reference: &str) -> Option<usize> {
        self.roles_by_reference.get(reference).copied()
    }

    /// `role <name or ARN>` for messages; for a role whose trust policy file does not name
    /// it, also how it was linked (`lint --explain` shows it as the finding's evidence).
    pub fn role_label(&self, role: usize) -> String {
        let r = &self.roles[role];
        match self.trust_file_links.iter().find(|l| l.role == Some(role)) {
            Some(link) => format!("role {} ({})", r.display(), self.describe_link(link)),
            None => format!("role {}", r.display()),
        }
    }

    /// How a bare trust policy was linked, for messages and `lint --explain`.
    pub fn describe_link(&self, link: &TrustFileLink) -> String {
        match &link.how {
            TrustLinkHow::Config => {
                "its trust policy's file is mapped to it in [roles] of irsalint.toml".to_string()
            }
            TrustLinkHow::Included { at } => {
                let (l, c) = self.line_col(*at);
                let file = self.policies[link.policy].source.file;
                format!(
                    "its trust policy is `{}`, which its template includes at {}:{l}:{c}",
                    self.inputs.sources.get(file).path,
                    self.path_of(*at)
                )
            }
            TrustLinkHow::Inferred { scope, references } => {
                let at: Vec<String> = references
                    .iter()
                    .take(3)
                    .map(|s| {
                        let (l, c) = self.line_col(*s);
                        format!("{}:{l}:{c}", self.path_of(*s))
                    })
                    .collect();
                format!(
                    "linked by inference: the only web-identity trust policy whose file names no role and the only role ARN referenced but not defined {}, at {}",
                    TrustLinkHow::scope_text(scope),
                    at.join(", ")
                )
            }
            TrustLinkHow::Ambiguous { .. } => "not linked: more than one choice".to_string(),
        }
    }

    /// The trust policy documents of role `role`.
    pub fn trust_of(&self, role: usize) -> impl Iterator<Item = &PolicyDoc<'a>> {
        self.trust_by_role
            .get(role)
            .into_iter()
            .flatten()
            .map(|&i| &self.policies[i])
    }

    pub fn trust_policies(&self) -> impl Iterator<Item = &PolicyDoc<'a>> {
        self.policies.iter().filter(|p| p.kind == PolicyKind::Trust)
    }

    /// The module call (its address) and the model of a trust document a modelled Terraform
    /// module generated (see [`World::module_trusts`]).
    pub fn module_trust(&self, doc: &Node) -> Option<(&str, &str)> {
        self.module_trusts
            .iter()
            .find(|(n, _, _)| std::ptr::eq(*n, doc))
            .map(|(_, module, model)| (module.as_str(), model.as_str()))
    }

    /// 1-based line and column of a span's start.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        self.inputs
            .sources
            .get(span.file)
            .line_col(span.start as usize)
    }

    pub fn path_of(&self, span: Span) -> &str {
        &self.inputs.sources.get(span.file).path
    }

    /// `file:line` for messages that name another place.
    pub fn location(&self, span: Span) -> String {
        let (l, _) = self.line_col(span);
        format!("{}:{l}", self.path_of(span))
    }
}

/// What a file says of roles and policies: its extraction, its policies parsed (in order),
/// its display path.
type Extraction<'a> = (Extracted<'a>, Vec<Policy<'a>>, &'a str);

/// What one file contributes to the [`World`] before roles and policies are linked across
/// files (see `World::build`).
struct FileViews<'a> {
    display: &'a str,
    objects: Vec<Object<'a>>,
    service_accounts: Vec<ServiceAccount<'a>>,
    pods: Vec<PodTemplate<'a>>,
    webhook_deployments: Vec<WebhookDeployment<'a>>,
    webhook_configurations: Vec<WebhookConfiguration<'a>>,
    webhook_configmaps: Vec<WebhookConfigMap<'a>>,
    aws_configs: Vec<AwsConfig<'a>>,
    credentials_requests: Vec<CredentialsRequest<'a>>,
    discovery_documents: Vec<DiscoveryDocument<'a>>,
    jwks: Vec<Jwks<'a>>,
    pod_identity_associations: Vec<PodIdentityAssociation>,
    iam_oidc_providers: Vec<IamOidcProvider<'a>>,
    extracted: Extracted<'a>,
    /// `extracted.policies` parsed, in the same order.
    policies: Vec<Policy<'a>>,
}

/// How many ServiceAccounts and pod templates the inputs' documents and Terraform's
/// Kubernetes-shaped objects declare by their `kind` (what [`World::build`] sizes its lists
/// with; the views decide, this only counts).
fn sa_and_pod_hint(inputs: &Inputs) -> (usize, usize) {
    let roots = inputs
        .files
        .iter()
        .flat_map(|f| f.documents.iter().map(|d| &d.root))
        .chain(inputs.terraform_derived.objects.iter().map(|(_, n)| n));
    let (mut sas, mut pods) = (0, 0);
    for root in roots {
        match root.get("kind").and_then(Node::as_str) {
            Some("ServiceAccount") => sas += 1,
            Some(kind) if crate::model::k8s::pod_spec_path(kind).is_some() => pods += 1,
            _ => {}
        }
    }
    (sas, pods)
}

impl<'a> FileViews<'a> {
    /// `built`: what the kustomizations of the inputs build (`model::kustomize`): the
    /// namespaces they build this file's objects into (`None`, the file's own reading), for
    /// those without one of their own. The first is the one every view is read in; the
    /// ServiceAccounts, pod templates and objects of the file exist once more in each further
    /// namespace (a base two overlays build into `dev` and `prod`), everything else (roles,
    /// policies, CredentialsRequests) once. A ServiceAccount instance whose annotations an
    /// overlay's patch sets is seen without the base's annotations (a strategic-merge patch
    /// file among the inputs is its own view in that namespace).
    fn of(
        inputs: &'a Inputs,
        file: &'a crate::load::InputFile,
        built: &crate::model::kustomize::Built,
    ) -> FileViews<'a> {
        let kustomized = built.namespaces.get(&file.id);
        let mut w = FileViews {
            display: &inputs.sources.get(file.id).path,
            objects: Vec::new(),
            service_accounts: Vec::new(),
            pods: Vec::new(),
            webhook_deployments: Vec::new(),
            webhook_configurations: Vec::new(),
            webhook_configmaps: Vec::new(),
            aws_configs: Vec::new(),
            credentials_requests: Vec::new(),
            discovery_documents: Vec::new(),
            jwks: Vec::new(),
            pod_identity_associations: Vec::new(),
            iam_oidc_providers: Vec::new(),
            extracted: Extracted::default(),
            policies: Vec::new(),
        };
        let display = w.display;
        // Read (again, when the load stage let it go) only for a Secret's AWS config.
        let source = inputs.sources.get(file.id);
        let mut objects = objects_of(file.id, file.documents.iter().map(|d| &d.root));
        // What a CloudFormation template applies (`AWSQS::Kubernetes::Resource`), as a
        // manifest's objects in the namespace the resource gives (no kustomization builds a
        // template).
        // What a Flux HelmRelease's chart creates: ServiceAccounts with their role, each in
        // the release's namespace (written: kustomize does not place them).
        if !file.derived.is_empty() {
            for doc in &file.documents {
                objects.extend(crate::model::k8s::helm_release_objects(file, &doc.root));
                // What Crossplane creates for a package runtime: its ServiceAccount, in
                // Crossplane's namespace (written, not kustomize's).
                objects.extend(crate::model::k8s::crossplane_objects(file, &doc.root));
            }
        }
        let cfn_start = objects.len();
        if kustomized.is_none() && !file.derived.is_empty() {
            for doc in &file.documents {
                objects.extend(crate::model::k8s::cloudformation_objects(file, &doc.root));
            }
        }
        let (first_placement, more) = match kustomized.map(Vec::as_slice) {
            Some([first, more @ ..]) => (Some(first), more),
            _ => (None, &[][..]),
        };
        let first = first_placement.and_then(Option::as_ref);
        // The file's own reading of each object's namespace, for the instances a root
        // without `namespace:` builds.
        let own: Vec<Str> = if more.is_empty() {
            Vec::new()
        } else {
            objects.iter().map(|o| o.namespace.clone()).collect()
        };
        if let Some(ns) = first {
            for o in objects.iter_mut().filter(|o| o.namespace_node.is_none()) {
                o.namespace = ns.as_str().into();
            }
        }
        let mut extracted = Extracted::default();
        for doc in &file.documents {
            let root = &doc.root;
            if root.get("apiVersion").is_some() && root.get("kind").is_some() {
                continue;
            }
            if let Some(d) = DiscoveryDocument::from_root(file.id, root) {
                w.discovery_documents.push(d);
            } else if let Some(j) = Jwks::from_root(file.id, root) {
                w.jwks.push(j);
            } else if let Some(p) = IamOidcProvider::from_root(root) {
                w.iam_oidc_providers.push(p);
            } else {
                role::from_document(file, display, root, &mut extracted);
                if root.get("Resources").is_some() {
                    w.pod_identity_associations
                        .extend(pod_identity::from_cloudformation(
                            root,
                            &role::cfn_substitutions(root),
                        ));
                }
            }
        }
        let mut generated_sas = Vec::new();
        // The cluster of each generated ServiceAccount: its ClusterConfig's name.
        let mut generated_clusters = Vec::new();
        for (i, obj) in objects.iter().enumerate() {
            role::from_object(file, obj, &mut extracted);
            crate::model::eksctl::extract(file, obj, &mut extracted, &mut generated_sas);
            generated_clusters.resize(generated_sas.len(), obj.name_str().to_string());
            w.aws_configs.extend(aws_config::from_secret(obj, source));
            w.pod_identity_associations
                .extend(pod_identity::from_object(obj));
            if let Some(cr) = CredentialsRequest::from_object(obj) {
                // The permissions ccoctl turns into the role's policy.
                if let Some(doc) = cr
                    .provider_spec
                    .and_then(|p| p.get("statementEntries"))
                    .and_then(|e| file.derived_of(e))
                {
                    extracted.policies.push(PolicySource {
                        file: file.id,
                        node: doc,
                        kind: Some(PolicyKind::Identity),
                        role: None,
                        label: format!("the permissions of CredentialsRequest {}", cr.display()),
                        subs: Default::default(),
                        instance: None,
                    });
                }
                w.credentials_requests.push(cr);
            }
            if let Some(mwc) = WebhookConfiguration::from_object(obj) {
                w.webhook_configurations.push(mwc);
            }
            if let Some(cm) = webhook_configmap(file, obj) {
                w.webhook_configmaps.push(cm);
            }
            if obj.kind == "ServiceAccount" && obj.api_version == "v1" {
                w.service_accounts.push(ServiceAccount {
                    obj: obj.clone(),
                    cluster: None,
                    // The registry type applies manifests to EKS clusters only.
                    eks: i >= cfn_start,
                });
            }
            if let Some(pod) = PodTemplate::from_object(obj) {
                if let Some(wh) = WebhookDeployment::from_template(&pod) {
                    w.webhook_deployments.push(wh);
                }
                w.pods.push(pod);
            }
        }
        // An instance an overlay patches: the base's annotations are not its own. They are
        // the ones an inline patch gives, when it alone decides every webhook annotation the
        // base has (a base's `audience` beside a patched `role-arn` would be merged, an order
        // not followed here): else none, and the rules stay silent on it.
        let patch_file = built.patch_files.contains(&file.id);
        let unpatched = |sa: &mut ServiceAccount<'a>, ns: &Option<String>| {
            if patch_file || !built.is_patched(ns, sa.name()) {
                return;
            }
            let given = built
                .patch_metadata
                .get(&(ns.clone(), sa.name().to_string()))
                .and_then(|&(f, at)| inputs.file(f).derived.get(&at));
            sa.obj.metadata = given.filter(|m| {
                let set = crate::model::k8s::metadata_map(Some(*m), "annotations");
                sa.obj.annotations().iter().all(|base| {
                    !base
                        .key
                        .as_str()
                        .is_some_and(crate::model::k8s::is_webhook_annotation)
                        || set.iter().any(|e| e.key.as_str() == base.key.as_str())
                })
            });
        };
        // The same objects as the further kustomizations build them: the views whose
        // namespace the file leaves to kustomize, once more per namespace.
        let (file_sas, file_pods) = (w.service_accounts.len(), w.pods.len());
        for ns in more {
            let ns_of = |o: &Object<'a>, i: usize| -> Str {
                match ns {
                    Some(ns) => ns.as_str().into(),
                    None => own.get(i).cloned().unwrap_or_else(|| o.namespace.clone()),
                }
            };
            for i in 0..file_sas {
                let sa = &w.service_accounts[i];
                if sa.obj.namespace_node.is_none() {
                    let mut copy = sa.clone();
                    let at = objects
                        .iter()
                        .position(|o| std::ptr::eq(o.node, sa.obj.node));
                    copy.obj.namespace = ns_of(&sa.obj, at.unwrap_or(usize::MAX));
                    unpatched(&mut copy, ns);
                    w.service_accounts.push(copy);
                }
            }
            for i in 0..file_pods {
                let pod = &w.pods[i];
                if pod.owner.namespace_node.is_none() {
                    let mut copy = pod.clone();
                    let at = objects
                        .iter()
                        .position(|o| std::ptr::eq(o.node, pod.owner.node));
                    copy.owner.namespace = ns_of(&pod.owner, at.unwrap_or(usize::MAX));
                    w.pods.push(copy);
                }
            }
        }
        // The instances an overlay patches: the base's annotations are not theirs. A patch
        // targets its ServiceAccount by name, whatever namespace the file writes.
        if let Some(ns) = first_placement {
            for sa in &mut w.service_accounts[..file_sas] {
                unpatched(sa, ns);
            }
        }
        let file_objects = objects.len();
        for ns in more {
            for i in 0..file_objects {
                if objects[i].namespace_node.is_none() {
                    let mut copy = objects[i].clone();
                    copy.namespace = match ns {
                        Some(ns) => ns.as_str().into(),
                        None => own[i].clone(),
                    };
                    objects.push(copy);
                }
            }
        }
        // ServiceAccounts a generator (eksctl) creates from what the file says.
        for (node, cluster) in generated_sas.into_iter().zip(generated_clusters) {
            for sa in objects_of(file.id, std::iter::once(node)) {
                w.service_accounts.push(ServiceAccount {
                    obj: sa,
                    cluster: Some(cluster.clone()),
                    eks: true,
                });
            }
        }
        w.objects = objects;
        w.policies = extracted
            .policies
            .iter()
            .map(|src| Policy::parse(src.node, &src.subs))
            .collect();
        w.extracted = extracted;
        w
    }
}

fn webhook_configmap<'a>(
    file: &'a crate::load::InputFile,
    obj: &Object<'a>,
) -> Option<WebhookConfigMap<'a>> {
    if obj.kind != "ConfigMap" || obj.name_str() != "pod-identity-webhook" {
        return None;
    }
    let config = obj.node.path(&["data", "config"])?;
    let parsed = file.embedded_json(config);
    let entries = parsed
        .map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .map(|e| ConfigMapEntry {
            key: &e.key,
            value: &e.value,
        })
        .collect();
    Some(WebhookConfigMap {
        obj: obj.clone(),
        config,
        parsed,
        entries,
    })
}

/// A trust policy with an `Allow` statement that may grant `sts:AssumeRoleWithWebIdentity`.
fn is_web_identity(policy: &Policy<'_>) -> bool {
    policy
        .statements
        .iter()
        .any(|s| s.is_allow() && s.is_web_identity())
}

/// Sets the input file each include directive of `extractions` names (see
/// [`included_input`]), finding files by their lexical path through one index.
fn resolve_includes(inputs: &Inputs, extractions: &mut [Extraction<'_>]) {
    use crate::source::discover::lexical;
    if extractions.iter().all(|(ex, _, _)| ex.includes.is_empty()) {
        return;
    }
    let by_path: HashMap<String, FileId> = inputs
        .sources
        .files()
        .iter()
        .map(|f| (lexical(&f.path), f.id))
        .collect();
    for (ex, _, display) in extractions {
        for inc in &mut ex.includes {
            inc.file = included_input(&by_path, display, inc);
        }
    }
}

/// The input file an include directive of template `template` (its display path) names,
/// `by_path` indexing the inputs by lexical path: resolved against the template's
/// directory, as rain, `aws cloudformation package` and cfn-include do. A `{file: ...}`
/// mapping is loaded by a script (yq's `load(.file)`) from its working directory, so it is
/// also tried against the template's parent directories, nearest first (eks-workshop-v2's
/// `cd lab && yq 'load(.file)' iam/iam-role-cfn.yaml` reads `./iam/policies/iam.yaml` from
/// `lab/`). Never an S3 location or a path with an unresolved `${}`.
fn included_input(
    by_path: &HashMap<String, FileId>,
    template: &str,
    include: &role::PolicyInclude,
) -> Option<FileId> {
    use crate::source::discover::lexical;
    let from_cwd = include.via == "file:";
    let include = include.path.as_str();
    if include.contains("://") || include.contains("${") {
        return None;
    }
    let find = |wanted: String| by_path.get(&wanted).copied();
    if include.starts_with('/') {
        return find(lexical(include));
    }
    let mut dir = template.rsplit_once('/').map_or("", |(d, _)| d);
    loop {
        let wanted = if dir.is_empty() {
            lexical(include)
        } else {
            lexical(&format!("{dir}/{include}"))
        };
        if let Some(found) = find(wanted) {
            return Some(found);
        }
        if dir.is_empty() || !from_cwd {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
}

/// The cluster a Terraform association's `cluster_name` names by reference within its own
/// root, when that root creates none (`module.eks.cluster_name`, `aws_eks_cluster.main.name`):
/// a reference names an object of the directory it is written in, so the association is for
/// that root's cluster, never for the one another root creates (rainwnssystem/study@93927bb:
/// a directory of snippets associating `wsi/dynamodb` with `module.eks.cluster_name`, beside
/// a root that creates its own `module.eks` and gives that account an IRSA role). Named as
/// `add_terraform`'s created clusters are (`module.eks of Terraform root snippets`). A data
/// source, a variable or a literal name may be any cluster: `None`.
fn referenced_cluster(cluster_name: &Node, root: &str) -> Option<String> {
    if cluster_name.tag.as_deref() != Some(crate::terraform::UNKNOWN_TAG) {
        return None;
    }
    let text = cluster_name.as_str()?;
    // A reference alone (`module.eks[0].cluster_name`), not an expression built from one.
    let reference = text
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'[' | b']' | b'"'));
    if !reference {
        return None;
    }
    let (kind, rest) = ["module.", "aws_eks_cluster."]
        .into_iter()
        .find_map(|k| text.strip_prefix(k).map(|rest| (k, rest)))?;
    let name = rest.split(['.', '[']).next()?;
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
    // `module.eks` alone is not an attribute of the cluster.
    (plain && rest.len() > name.len()).then(|| format!("{kind}{name} of Terraform root {root}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load, RawInput};

    const TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"StringEquals": {"oidc.example.com:sub": "system:serviceaccount:a:b"}}}]}"#;

    /// An association's `cluster_name` that references its root's own cluster names that
    /// root's cluster; other references, literals and data sources name none.
    #[test]
    fn clusters_referenced_by_associations() {
        let span = crate::source::file::Span::default();
        let unknown = |name: &str| crate::terraform::hcl::unknown(name, span);
        let of = |n: &Node| referenced_cluster(n, "envs/prod");
        assert_eq!(
            of(&unknown("module.eks.cluster_name")).as_deref(),
            Some("module.eks of Terraform root envs/prod")
        );
        assert_eq!(
            of(&unknown("module.eks[0].cluster_name")).as_deref(),
            Some("module.eks of Terraform root envs/prod")
        );
        assert_eq!(
            of(&unknown("aws_eks_cluster.main.name")).as_deref(),
            Some("aws_eks_cluster.main of Terraform root envs/prod")
        );
        for other in [
            "data.aws_eks_cluster.main.name",
            "var.cluster_name",
            "local.cluster",
            "module.eks",
            "module..x",
            "aws_eks_cluster_auth.x.id",
            "module.eks.cluster_name != null ? x : y",
        ] {
            assert_eq!(of(&unknown(other)), None, "{other}");
        }
        // A name known as written is any cluster of that name.
        let literal = Node::new(
            crate::source::node::Value::Str("module.eks.cluster_name".into()),
            span,
        );
        assert_eq!(of(&literal), None);
    }

    /// An add-on's address as associations name it: every instance key left out, a `]` or
    /// `[` inside a quoted key included.
    #[test]
    fn addresses_without_instance_keys() {
        assert_eq!(
            without_instance_keys(r#"module.m["a]b[c"].aws_eks_addon.x[0]"#),
            "module.m.aws_eks_addon.x"
        );
        assert_eq!(
            without_instance_keys("aws_eks_addon.cloudwatch_agent"),
            "aws_eks_addon.cloudwatch_agent"
        );
        // A stray `]` outside any key is kept, not taken as closing one; so is a quote,
        // which opens no key.
        assert_eq!(without_instance_keys("a]b[1]c"), "a]bc");
        assert_eq!(without_instance_keys(r#"a"b[1]c"#), r#"a"bc"#);
    }

    fn inputs(files: &[(&str, &str)]) -> Inputs {
        let raw = files
            .iter()
            .map(|(p, t)| RawInput {
                display: p.to_string(),
                bytes: t.as_bytes().to_vec(),
                read_error: None,
            })
            .collect();
        load(raw, &crate::source::Limits::default())
    }

    /// (trust policy's file, linked role's display or `None`) of every link.
    fn links(files: &[(&str, &str)], cluster: &ClusterConfig) -> Vec<(String, Option<String>)> {
        let inputs = inputs(files);
        let w = World::build(&inputs, cluster);
        w.trust_file_links
            .iter()
            .map(|l| {
                let file = w.policies[l.policy].source.file;
                (
                    w.inputs.sources.get(file).path.clone(),
                    l.role.map(|r| w.roles[r].display()),
                )
            })
            .collect()
    }

    const ARN: &str = "arn:aws:iam::111122223333:role/app";

    /// Every kind of reference counts: `AWS_ROLE_ARN` in a container, `role_arn` in a
    /// credentials Secret, the webhook ConfigMap's `RoleARN`.
    #[test]
    fn each_kind_of_reference_links_a_generic_trust_policy() {
        let pod = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: a}}\nspec:\n  containers:\n    - name: c\n      env:\n        - name: AWS_ROLE_ARN\n          value: {ARN}\n");
        let secret = format!("apiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: a}}\nstringData:\n  credentials: |\n    [default]\n    role_arn = {ARN}\n    web_identity_token_file = /var/run/secrets/openshift/serviceaccount/token\n");
        let cm = format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: pod-identity-webhook, namespace: kube-system}}\ndata:\n  config: '{{\"a/b\": {{\"RoleARN\": \"{ARN}\", \"Audience\": \"sts.amazonaws.com\"}}}}'\n");
        let linked = vec![("x/trust.json".to_string(), Some(ARN.to_string()))];
        for other in [&pod, &secret, &cm] {
            let files = [
                ("x/trust.json", TRUST),
                ("x/k8s/other.yaml", other.as_str()),
            ];
            assert_eq!(links(&files, &ClusterConfig::default()), linked, "{other}");
            let loaded = inputs(&files);
            let cluster = ClusterConfig::default();
            let w = World::build(&loaded, &cluster);
            assert_eq!(w.roles_named("app").count(), 1);
        }
    }

    /// What a CloudFormation template applies with `AWSQS::Kubernetes::Resource` is read as a
    /// manifest's objects: in the resource's `Namespace` (a parameter's default resolved),
    /// on EKS, with `${Role.Arn}` naming the role of that logical id in the same template
    /// only; an object whose namespace the template leaves open is not read.
    #[test]
    fn objects_a_cloudformation_template_applies() {
        let template = "Parameters:\n  Ns: {Type: String, Default: jobs}\n  Open: {Type: String}\nResources:\n  R:\n    Type: AWS::IAM::Role\n  Sa:\n    Type: AWSQS::Kubernetes::Resource\n    Properties:\n      Namespace: !Ref Ns\n      Manifest: !Sub |\n        apiVersion: v1\n        kind: ServiceAccount\n        metadata:\n          name: runner\n          annotations:\n            eks.amazonaws.com/role-arn: ${R.Arn}\n        ---\n        apiVersion: batch/v1\n        kind: Job\n        metadata: {name: run}\n        spec:\n          template:\n            spec:\n              serviceAccountName: runner\n              containers: [{name: c, image: busybox}]\n  Elsewhere:\n    Type: AWSQS::Kubernetes::Resource\n    Properties:\n      Namespace: !Ref Open\n      Manifest: 'apiVersion: v1\n\n        kind: ServiceAccount\n\n        metadata: {name: lost}'\n";
        let manifest = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: plain}\n";
        let loaded = inputs(&[("stack.yaml", template), ("sa.yaml", manifest)]);
        // Both manifests are read; the second one's account is in no known namespace.
        assert_eq!(loaded.files[0].derived.values().count(), 2);
        let cluster = ClusterConfig::default();
        let w = World::build(&loaded, &cluster);
        let sas: Vec<(&str, &str, bool)> = w
            .service_accounts
            .iter()
            .map(|sa| (sa.namespace(), sa.name(), sa.eks))
            .collect();
        assert_eq!(sas, [("jobs", "runner", true), ("default", "plain", false)]);
        assert_eq!(w.pods.len(), 1);
        assert_eq!(w.pods[0].owner.display(), "Job jobs/run");
        let role_arn = w.service_accounts[0]
            .obj
            .annotations()
            .iter()
            .find(|e| e.key.as_str() == Some("eks.amazonaws.com/role-arn"))
            .unwrap();
        let at = role_arn.value.span;
        assert_eq!(&template[at.range()], "${R.Arn}");
        assert_eq!(w.roles_by_address("${R.Arn}", Some(at.file)).len(), 1);
        assert_eq!(
            w.roles[w.roles_by_address("${R.Arn}", Some(at.file))[0]].logical_id,
            Some("R")
        );
        // Another file's `${R.Arn}`, another logical id, `${R}` (its name): no role.
        assert!(w.roles_by_address("${R.Arn}", Some(at.file + 1)).is_empty());
        assert!(w.roles_by_address("${Q.Arn}", Some(at.file)).is_empty());
        assert!(w.roles_by_address("${R}", Some(at.file)).is_empty());
        // A template a kustomization lists (which kustomize cannot build) is not read so.
        let kustomization = "resources: [stack.yaml]\nnamespace: other\n";
        let loaded = inputs(&[
            ("stack.yaml", template),
            ("kustomization.yaml", kustomization),
        ]);
        let w = World::build(&loaded, &cluster);
        assert!(w.service_accounts.is_empty());
    }

    fn sa(arn: &str) -> String {
        format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n  namespace: a\n  annotations:\n    eks.amazonaws.com/role-arn: {arn}\n")
    }

    /// Only a web-identity trust policy is linked by inference: not an identity policy, not
    /// a trust policy for a service, not one whose only web-identity statement is a `Deny`.
    #[test]
    fn only_web_identity_trust_policies_are_inferred() {
        let reference = sa(ARN);
        let service = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
        let deny = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
  {"Effect": "Deny", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com"},
   "Action": "sts:AssumeRoleWithWebIdentity"}]}"#;
        let identity = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Action": "s3:GetObject", "Resource": "*"}]}"#;
        for policy in [service, deny, identity] {
            let files = [("x/trust.json", policy), ("x/sa.yaml", reference.as_str())];
            assert!(
                links(&files, &ClusterConfig::default()).is_empty(),
                "{policy}"
            );
        }
        // `[roles]` maps trust policies only: an identity policy in a listed file gets no role.
        let cluster = ClusterConfig {
            role_files: vec![crate::model::cluster::RoleFile {
                arn: None,
                name: "other".into(),
                path: "x/perm.json".into(),
            }],
            ..ClusterConfig::default()
        };
        let loaded = inputs(&[("x/perm.json", identity)]);
        let w = World::build(&loaded, &cluster);
        assert!(w.trust_file_links.is_empty() && w.roles.is_empty());
        // Nor a role's own trust policy, in a template listed there.
        let cfn = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: mine\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Federated: arn:aws:iam::111122223333:oidc-provider/oidc.example.com}\n            Action: sts:AssumeRoleWithWebIdentity\n";
        let cluster = ClusterConfig {
            role_files: vec![crate::model::cluster::RoleFile {
                arn: None,
                name: "other".into(),
                path: "x/trust.yaml".into(),
            }],
            ..ClusterConfig::default()
        };
        let loaded = inputs(&[("x/trust.yaml", cfn), ("x/sa.yaml", reference.as_str())]);
        let w = World::build(&loaded, &cluster);
        assert!(w.trust_file_links.is_empty());
        assert_eq!(w.roles_named("other").count(), 0);
        assert_eq!(w.roles_named("mine").count(), 1);
    }

    /// A link leaves the next round with its ARN: the trust policy left over then has one
    /// choice. The explanation names the scope and where the ARN is referenced, and the
    /// role's label in findings carries it.
    #[test]
    fn rounds_and_the_explanation_of_a_link() {
        let a = sa(ARN);
        let b = sa("arn:aws:iam::111122223333:role/top").replace("name: b", "name: c");
        let files = [
            ("x/a/trust.json", TRUST),
            ("x/a/sa.yaml", a.as_str()),
            ("x/b/trust.json", TRUST),
            ("x/sa.yaml", b.as_str()),
        ];
        assert_eq!(
            links(&files, &ClusterConfig::default()),
            [
                ("x/a/trust.json".to_string(), Some(ARN.to_string())),
                (
                    "x/b/trust.json".to_string(),
                    Some("arn:aws:iam::111122223333:role/top".to_string())
                ),
            ]
        );
        let loaded = inputs(&files);
        let cluster = ClusterConfig::default();
        let w = World::build(&loaded, &cluster);
        let (i, _) = w.roles_named("app").next().unwrap();
        assert_eq!(
            w.role_label(i),
            format!("role {ARN} (linked by inference: the only web-identity trust policy whose file names no role and the only role ARN referenced but not defined under `x/a/`, at x/a/sa.yaml:7:33)")
        );
        let (top, _) = w.roles_named("top").next().unwrap();
        assert!(w
            .role_label(top)
            .ends_with("defined under `x/`, at x/sa.yaml:7:33)"));
        // A role linked by its file name has a plain label.
        let loaded = inputs(&[("x/app.json", TRUST)]);
        let w = World::build(&loaded, &cluster);
        assert_eq!(w.role_label(0), "role app");
    }

    /// A placeholder, or a role the inputs define, is no candidate: nothing to link to, and
    /// no note either. A trust policy named after its role is not inferred at all.
    #[test]
    fn placeholders_and_defined_roles_are_not_candidates() {
        // Well-formed but a placeholder.
        let placeholder = sa("arn:aws:iam::111122223333:role/REPLACE_ME");
        let files = [("x/trust.json", TRUST), ("x/sa.yaml", placeholder.as_str())];
        assert!(links(&files, &ClusterConfig::default()).is_empty());
        let sa = |arn: &str| {
            format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n  namespace: a\n  annotations:\n    eks.amazonaws.com/role-arn: {arn}\n")
        };
        let placeholder = sa("arn:aws:iam::${ACCOUNT_ID}:role/app");
        let files = [("x/trust.json", TRUST), ("x/sa.yaml", placeholder.as_str())];
        assert!(links(&files, &ClusterConfig::default()).is_empty());
        let defined = sa(ARN);
        let files = [
            ("x/trust.json", TRUST),
            ("x/app.json", TRUST),
            ("x/sa.yaml", defined.as_str()),
        ];
        assert!(links(&files, &ClusterConfig::default()).is_empty());
        // Two undefined ones: ambiguous.
        let two = format!(
            "{}---\n{}",
            sa(ARN),
            sa("arn:aws:iam::111122223333:role/other").replace("name: b", "name: c")
        );
        let files = [("x/trust.json", TRUST), ("x/sa.yaml", two.as_str())];
        assert_eq!(
            links(&files, &ClusterConfig::default()),
            [("x/trust.json".to_string(), None)]
        );
        // `[roles]` decides it, for a generic file or one named after another role.
        let cluster = ClusterConfig {
            role_files: vec![crate::model::cluster::RoleFile {
                arn: None,
                name: "other".into(),
                path: "x/trust.json".into(),
            }],
            ..ClusterConfig::default()
        };
        let files = [("./x/trust.json", TRUST), ("x/sa.yaml", two.as_str())];
        let loaded = inputs(&files);
        assert_eq!(
            World::build(&loaded, &cluster).roles_named("other").count(),
            1
        );
        assert_eq!(
            links(&files, &cluster),
            [("./x/trust.json".to_string(), Some("other".to_string()))]
        );
    }
}
