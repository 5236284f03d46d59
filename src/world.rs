//! The world: every input of a run, linked. Built once, single-threaded, after parallel
//! loading; rules read it and nothing else.

use std::collections::HashMap;

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
use crate::source::file::Span;
use crate::source::node::Node;

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

/// A policy document, parsed, with what it belongs to.
#[derive(Debug)]
pub struct PolicyDoc<'a> {
    pub source: PolicySource<'a>,
    pub kind: PolicyKind,
    pub policy: Policy<'a>,
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
    pub settings: Settings,
    /// Policies a generator writes from a switch the user sets (eksctl's
    /// `wellKnownPolicies`, a Terraform module's `attach_*_policy`): their spans (every node
    /// of such a policy lies inside) and who owns their content, for messages. The user
    /// cannot change what they grant, only whether to use them, so the `perm-*` findings on
    /// them are info (`rules::perm::shipped`).
    pub producer_owned: Vec<(Span, String)>,
    /// CloudFormation policy documents included from other files (`rules::input::unresolved_include`).
    pub policy_includes: Vec<role::PolicyInclude>,
    /// Roles by name (the last path segment of their ARN).
    roles_by_name: HashMap<String, Vec<usize>>,
    /// ServiceAccounts by (namespace, name); the last definition wins.
    service_accounts_by_name: HashMap<(String, String), usize>,
    /// Roles whose ARN the inputs cannot know, by the text that stands for it in the
    /// annotations of the ServiceAccounts created with them (eksctl).
    roles_by_reference: HashMap<String, usize>,
    /// The trust policy documents of each role (indexes into `policies`, in order): every
    /// ServiceAccount's trust check asks for its role's, and a scan of all policies per
    /// ServiceAccount made a 100k-app run quadratic.
    trust_by_role: Vec<Vec<usize>>,
}

impl<'a> World<'a> {
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
            jwks: Vec::new(),
            roles: Vec::new(),
            policies: Vec::new(),
            cfn_oidc_providers: Vec::new(),
            pod_identity_associations: Vec::new(),
            iam_oidc_providers: Vec::new(),
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
            policy_includes: Vec::new(),
        };
        // Nearly every document is one object: sized once rather than doubled (each doubling
        // copies the views, and the abandoned copies stay in the process's memory).
        w.objects.reserve(inputs.document_count());
        for file in &inputs.files {
            let display = &inputs.sources.get(file.id).path;
            let text = &inputs.sources.get(file.id).text;
            let objects = objects_of(file.id, file.documents.iter().map(|d| &d.root));
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
            for obj in &objects {
                role::from_object(file, obj, &mut extracted);
                crate::model::eksctl::extract(file, obj, &mut extracted, &mut generated_sas);
                generated_clusters.resize(generated_sas.len(), obj.name_str().to_string());
                w.aws_configs
                    .extend(aws_config::from_secret(obj, file.id, text));
                w.pod_identity_associations
                    .extend(pod_identity::from_object(obj));
                if let Some(cr) = CredentialsRequest::from_object(obj) {
                    // The permissions ccoctl turns into the role's policy.
                    if let Some(doc) = cr
                        .provider_spec
                        .and_then(|p| p.get("statementEntries"))
                        .and_then(|e| file.derived_policy(e))
                    {
                        extracted.policies.push(PolicySource {
                            file: file.id,
                            node: doc,
                            kind: Some(PolicyKind::Identity),
                            role: None,
                            label: format!(
                                "the permissions of CredentialsRequest {}",
                                cr.display()
                            ),
                            subs: Default::default(),
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
                    });
                }
                if let Some(pod) = PodTemplate::from_object(obj) {
                    if let Some(wh) = WebhookDeployment::from_template(&pod) {
                        w.webhook_deployments.push(wh);
                    }
                    w.pods.push(pod);
                }
            }
            // ServiceAccounts a generator (eksctl) creates from what the file says.
            for (node, cluster) in generated_sas.into_iter().zip(generated_clusters) {
                for sa in objects_of(file.id, std::iter::once(node)) {
                    w.service_accounts.push(ServiceAccount {
                        obj: sa,
                        cluster: Some(cluster.clone()),
                    });
                }
            }
            w.objects.extend(objects);
            w.add_extracted(extracted, display);
        }
        w.add_terraform(inputs);
        w.settings = w.derive_settings();
        w.trust_by_role = vec![Vec::new(); w.roles.len()];
        for (i, p) in w.policies.iter().enumerate() {
            if p.kind == PolicyKind::Trust {
                if let Some(by_role) = p.source.role.and_then(|r| w.trust_by_role.get_mut(r)) {
                    by_role.push(i);
                }
            }
        }
        for (i, sa) in w.service_accounts.iter().enumerate() {
            let key = (sa.namespace().to_string(), sa.name().to_string());
            w.service_accounts_by_name.insert(key, i);
        }
        for (i, r) in w.roles.iter().enumerate() {
            if let Some(name) = &r.name {
                w.roles_by_name
                    .entry(name.value.clone())
                    .or_default()
                    .push(i);
            }
        }
        w.credentials_files = credentials::uses(&w);
        w
    }

    fn add_extracted(&mut self, ex: Extracted<'a>, display: &str) {
        let base = self.roles.len();
        self.producer_owned.extend(ex.producer_owned);
        self.policy_includes.extend(ex.includes);
        for (reference, i) in ex.references {
            self.roles_by_reference.insert(reference, base + i);
        }
        self.roles.extend(ex.roles);
        self.iam_oidc_providers.extend(
            ex.oidc_providers
                .iter()
                .filter_map(|n| IamOidcProvider::from_cfn(n)),
        );
        self.cfn_oidc_providers.extend(ex.oidc_providers);
        for mut src in ex.policies {
            src.role = src.role.map(|r| r + base);
            let policy = Policy::parse(src.node, &src.subs);
            let kind = src.kind.unwrap_or(if policy.is_trust_policy() {
                PolicyKind::Trust
            } else {
                PolicyKind::Identity
            });
            // A bare trust policy stands for the role its file is named after.
            if src.role.is_none() && kind == PolicyKind::Trust {
                if let Some(name) = role::role_name_from_path(display) {
                    src.role = Some(self.roles.len());
                    self.roles.push(Role {
                        file: src.file,
                        source: RoleSource::BareTrust,
                        arn: None,
                        name: Some(Text {
                            value: name,
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
        for r in &d.roles {
            let res = &resources[r.resource];
            ex.roles.push(Role {
                file: res.file,
                source: RoleSource::Terraform,
                arn: Some(r.arn.as_ref().and_then(t).unwrap_or_else(|| Text {
                    value: format!("${{{}.arn}}", res.address),
                    span: res.anchor,
                    unresolved: true,
                })),
                name: r.name.as_ref().and_then(t),
                path: r.path.as_ref().and_then(t),
                anchor: res.anchor,
                logical_id: Some(res.address.as_str()),
                managed_policy_arns: r.managed_policy_arns.iter().filter_map(t).collect(),
            });
        }
        for p in &d.policies {
            ex.policies.push(PolicySource {
                file: resources[p.resource].file,
                node: &p.doc,
                kind: Some(if p.trust {
                    PolicyKind::Trust
                } else {
                    PolicyKind::Identity
                }),
                role: p.role,
                label: p.label.clone(),
                subs: Default::default(),
            });
        }
        self.add_extracted(ex, "");
        self.iam_oidc_providers.extend(
            d.oidc_providers
                .iter()
                .filter_map(IamOidcProvider::from_root),
        );
        for a in &d.pod_identity {
            if let (Some(namespace), Some(service_account)) =
                (t(&a.namespace), t(&a.service_account))
            {
                self.pod_identity_associations.push(PodIdentityAssociation {
                    namespace,
                    service_account,
                    role_arn: a.role_arn.as_ref().and_then(t),
                    anchor: a.anchor,
                    label: a.label.clone(),
                    // Which cluster a Terraform configuration targets is not in its files.
                    cluster: None,
                });
            }
        }
        for (file, node) in &d.objects {
            for obj in objects_of(*file, std::iter::once(node)) {
                if obj.kind == "ServiceAccount" {
                    self.service_accounts.push(ServiceAccount {
                        obj: obj.clone(),
                        cluster: None,
                    });
                }
                if let Some(pod) = PodTemplate::from_object(&obj) {
                    self.pods.push(pod);
                }
                self.objects.push(obj);
            }
        }
    }

    /// The roles a Terraform reference names (`aws_iam_role.x.arn`,
    /// `module.irsa.iam_role_arn`): linked by address even when the ARN is unknown.
    pub fn roles_by_address(&self, reference: &str) -> Vec<usize> {
        self.roles
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.source == RoleSource::Terraform
                    && r.logical_id
                        .is_some_and(|a| crate::terraform::resources::refers_to(reference, a))
            })
            .map(|(i, _)| i)
            .collect()
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
            .get(&(ns.to_string(), name.to_string()))
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

    /// The role whose unknown ARN `reference` stands for (see [`Extracted::references`]).
    pub fn role_by_reference(&self, reference: &str) -> Option<usize> {
        self.roles_by_reference.get(reference).copied()
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
