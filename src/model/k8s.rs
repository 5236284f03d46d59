//! Kubernetes objects as typed views: every object of every document (also inside `List`s),
//! ServiceAccounts, and the pod spec of every Pod and pod-template owner, at any nesting.

use crate::source::file::{FileId, Span};
use crate::source::node::{Entry, Node, Str};

/// Any object with `apiVersion` and `kind`.
#[derive(Debug, Clone)]
pub struct Object<'a> {
    pub file: FileId,
    pub node: &'a Node,
    pub api_version: &'a str,
    pub kind: &'a str,
    pub kind_node: &'a Node,
    pub name: Option<&'a Node>,
    pub metadata: Option<&'a Node>,
    /// `metadata.namespace`, else the namespace the kustomizations of the inputs build the
    /// file into (`model::kustomize`, set by `World::build`), else the namespace of the only
    /// `Namespace` object in the same file, else `default`.
    /// Inline up to 15 bytes: every object's view holds one (and every pod template's and
    /// ServiceAccount's a copy).
    pub namespace: Str,
    pub namespace_node: Option<&'a Node>,
}

impl<'a> Object<'a> {
    pub fn name_str(&self) -> &'a str {
        self.name.and_then(Node::as_str).unwrap_or("")
    }

    /// `metadata.annotations` entries.
    pub fn annotations(&self) -> &'a [Entry] {
        metadata_map(self.metadata, "annotations")
    }

    pub fn labels(&self) -> &'a [Entry] {
        metadata_map(self.metadata, "labels")
    }

    /// `Kind/namespace/name`, for messages.
    pub fn display(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.shown_name())
    }

    /// The name to show: `metadata.name`, else the `metadata.generateName` prefix the API
    /// server completes, as `<prefix>*` (a Job written for `kubectl create` has no name of its
    /// own: cykubed/cykubed-agent scripts/k8test/job.yaml@412b0a3 was shown as `Job cykubed/`).
    pub fn shown_name(&self) -> String {
        let name = self.name_str();
        if !name.is_empty() {
            return name.to_string();
        }
        match self
            .metadata
            .and_then(|m| m.get("generateName"))
            .and_then(Node::as_str)
        {
            Some(prefix) if !prefix.is_empty() => format!("{prefix}*"),
            _ => String::new(),
        }
    }

    /// Where to point when the finding is about the object as a whole.
    pub fn anchor(&self) -> Span {
        self.name.map(|n| n.span).unwrap_or(self.kind_node.span)
    }
}

/// The entries of `metadata.<key>` (annotations, labels), or none.
pub fn metadata_map<'a>(metadata: Option<&'a Node>, key: &str) -> &'a [Entry] {
    metadata
        .and_then(|m| m.get(key))
        .map(Node::entries)
        .unwrap_or(&[])
}

/// Collects the objects of one file's documents, descending into `List`s.
pub fn objects_of<'a>(file: FileId, roots: impl Iterator<Item = &'a Node>) -> Vec<Object<'a>> {
    let mut raw = Vec::new();
    for root in roots {
        collect(file, root, &mut raw, 0);
    }
    // A lone Namespace object in the file gives its name to objects without a namespace
    // (what `kubectl apply -n` users and kustomize outputs expect).
    let namespaces: Vec<&str> = raw
        .iter()
        .filter(|o| o.kind == "Namespace" && o.api_version == "v1")
        .map(|o| o.name_str())
        .collect();
    let file_ns = (namespaces.len() == 1).then(|| namespaces[0].to_string());
    for o in &mut raw {
        if o.namespace_node.is_none() {
            if let Some(ns) = &file_ns {
                o.namespace = ns.as_str().into();
            }
        }
    }
    raw
}

fn collect<'a>(file: FileId, node: &'a Node, out: &mut Vec<Object<'a>>, depth: usize) {
    let (Some(api_version), Some(kind_node)) = (
        node.get("apiVersion").and_then(Node::as_str),
        node.get("kind"),
    ) else {
        return;
    };
    let Some(kind) = kind_node.as_str() else {
        return;
    };
    if kind == "List" || (kind.ends_with("List") && node.get("items").is_some()) {
        if depth < 4 {
            for item in node.get("items").map(Node::items).unwrap_or(&[]) {
                collect(file, item, out, depth + 1);
            }
        }
        return;
    }
    let metadata = node.get("metadata");
    let namespace_node = metadata
        .and_then(|m| m.get("namespace"))
        .filter(|n| n.as_str().is_some());
    out.push(Object {
        file,
        node,
        api_version,
        kind,
        kind_node,
        name: metadata.and_then(|m| m.get("name")),
        metadata,
        namespace: namespace_node
            .and_then(Node::as_str)
            .unwrap_or("default")
            .into(),
        namespace_node,
    });
}

/// Where the pod spec lives for each pod-template owner.
pub fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &["spec"],
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => &["spec", "template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "PodTemplate" => &["template", "spec"],
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

#[derive(Debug, Clone)]
pub struct EnvVar<'a> {
    pub entry: &'a Node,
    pub name_node: &'a Node,
    pub name: &'a str,
    pub value: Option<&'a Node>,
    pub value_from: Option<&'a Node>,
}

#[derive(Debug, Clone)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub kind: ContainerKind,
    pub name: Option<&'a Node>,
    pub env: Vec<EnvVar<'a>>,
    pub volume_mounts: Vec<&'a Node>,
}

impl<'a> Container<'a> {
    pub fn name_str(&self) -> &'a str {
        self.name.and_then(Node::as_str).unwrap_or("")
    }

    pub fn env_var(&self, name: &str) -> Option<&EnvVar<'a>> {
        self.env.iter().rev().find(|e| e.name == name)
    }
}

/// A `serviceAccountToken` source of a projected volume.
#[derive(Debug, Clone)]
pub struct ProjectedToken<'a> {
    pub node: &'a Node,
    pub audience: Option<&'a Node>,
    pub expiration: Option<&'a Node>,
    pub path: Option<&'a Node>,
}

#[derive(Debug, Clone)]
pub struct Volume<'a> {
    pub node: &'a Node,
    pub name: Option<&'a Node>,
    pub tokens: Vec<ProjectedToken<'a>>,
}

/// A pod spec: a Pod's own, or the template of a Deployment, CronJob, ...
#[derive(Debug, Clone)]
pub struct PodTemplate<'a> {
    /// The object that holds the template (the Pod itself for a Pod).
    pub owner: Object<'a>,
    pub spec: &'a Node,
    /// The template's own metadata (the object's for a Pod).
    pub metadata: Option<&'a Node>,
    /// `serviceAccountName` (or the deprecated `serviceAccount`).
    pub service_account: Option<&'a Node>,
    pub containers: Vec<Container<'a>>,
    pub volumes: Vec<Volume<'a>>,
}

impl<'a> PodTemplate<'a> {
    pub fn from_object(obj: &Object<'a>) -> Option<PodTemplate<'a>> {
        let path = pod_spec_path(obj.kind)?;
        let spec = obj.node.path(path)?;
        spec.as_map()?;
        let metadata = if obj.kind == "Pod" {
            obj.metadata
        } else {
            let parent = obj.node.path(&path[..path.len() - 1])?;
            parent.get("metadata")
        };
        const CONTAINERS: [(&str, ContainerKind); 3] = [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::Regular),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ];
        let lists = CONTAINERS.map(|(key, kind)| {
            let list = spec.get(key).and_then(Node::as_seq).unwrap_or(&[]);
            (list, kind)
        });
        // Sized once: nearly every pod has one container, and growing from nothing keeps
        // room for four (216 bytes more per pod template, 2 MB at 10k apps).
        let mut containers = Vec::with_capacity(
            lists
                .iter()
                .flat_map(|(list, _)| list.iter())
                .filter(|c| c.as_map().is_some())
                .count(),
        );
        for (list, kind) in lists {
            for c in list {
                if c.as_map().is_some() {
                    containers.push(container(c, kind));
                }
            }
        }
        let volumes = spec
            .get("volumes")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter(|v| v.as_map().is_some())
            .map(volume)
            .collect();
        Some(PodTemplate {
            owner: obj.clone(),
            spec,
            metadata,
            service_account: spec
                .get("serviceAccountName")
                .or_else(|| spec.get("serviceAccount"))
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty())),
            containers,
            volumes,
        })
    }

    /// The ServiceAccount the pod runs as (`default` when unset).
    pub fn service_account_name(&self) -> &'a str {
        self.service_account
            .and_then(Node::as_str)
            .unwrap_or("default")
    }

    pub fn annotations(&self) -> &'a [Entry] {
        metadata_map(self.metadata, "annotations")
    }

    pub fn labels(&self) -> &'a [Entry] {
        metadata_map(self.metadata, "labels")
    }

    /// Kind and name of the owner and, for templates, where the pod spec sits.
    pub fn display(&self) -> String {
        self.owner.display()
    }
}

fn container(node: &Node, kind: ContainerKind) -> Container<'_> {
    let env = node
        .get("env")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            let name_node = e.get("name")?;
            Some(EnvVar {
                entry: e,
                name_node,
                name: name_node.as_str()?,
                value: e.get("value"),
                value_from: e.get("valueFrom"),
            })
        })
        .collect();
    Container {
        node,
        kind,
        name: node.get("name"),
        env,
        volume_mounts: node
            .get("volumeMounts")
            .and_then(Node::as_seq)
            .map(|s| s.iter().collect())
            .unwrap_or_default(),
    }
}

fn volume(node: &Node) -> Volume<'_> {
    let tokens = node
        .path(&["projected", "sources"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|s| s.get("serviceAccountToken"))
        .map(|t| ProjectedToken {
            node: t,
            audience: t.get("audience"),
            expiration: t.get("expirationSeconds"),
            path: t.get("path"),
        })
        .collect();
    Volume {
        node,
        name: node.get("name"),
        tokens,
    }
}

/// A ServiceAccount and its annotations.
#[derive(Debug, Clone)]
pub struct ServiceAccount<'a> {
    pub obj: Object<'a>,
    /// The cluster it is created in when the file says (the eksctl ClusterConfig that
    /// creates it, the Terraform root that creates its cluster); `None` for manifests, which
    /// can be applied to any cluster.
    pub cluster: Option<String>,
    /// Created on an EKS cluster, whose webhook EKS runs with the default flags: by eksctl,
    /// as an EKS add-on's, or by a Terraform root that declares or reads its EKS cluster. A
    /// self-hosted webhook Deployment among the inputs serves another cluster, so its flags
    /// (`--annotation-prefix`, `--token-audience`) do not apply to it.
    pub eks: bool,
}

impl<'a> ServiceAccount<'a> {
    pub fn name(&self) -> &'a str {
        self.obj.name_str()
    }

    pub fn namespace(&self) -> &str {
        &self.obj.namespace
    }

    /// Whether the files say which namespace the ServiceAccount is in: not for one Crossplane
    /// creates in its own namespace (`derived::crossplane`) when the inputs do not show where
    /// Crossplane is installed ([`crossplane_namespace`]), nor for a namespace written as an
    /// expression another tool fills in (`${ parameters.namespace }`). Checks whose verdict depends on the
    /// namespace (the namespaces a role is shared across) stay silent without it; the role's
    /// trust is judged with an unknown `sub`.
    pub fn namespace_known(&self) -> bool {
        self.namespace_unknown_because().is_none()
    }

    /// Why the namespace is not known, for messages: Crossplane's, not in the files, or an
    /// expression another tool fills in (Spinnaker's `${ parameters.namespace }`).
    pub fn namespace_unknown_because(&self) -> Option<String> {
        let ns = self.namespace();
        if ns == crate::derived::crossplane::NAMESPACE {
            Some("the ServiceAccount is created in Crossplane's namespace, which the files do not say".into())
        } else if crate::derived::crossplane::is_unresolved_name(ns) {
            Some(format!(
                "the ServiceAccount's namespace `{ns}` is an expression the files do not resolve"
            ))
        } else {
            None
        }
    }

    /// Whether EKS made the account for one of its add-ons (an `aws_eks_addon`, a
    /// CloudFormation `AWS::EKS::Addon` or an eksctl ClusterConfig's `addons` entry, marked
    /// `irsalint/created-by` by what derived it): the add-on's, not one the user writes.
    pub fn made_by_eks_addon(&self) -> bool {
        self.obj
            .metadata
            .and_then(|m| m.get(crate::terraform::resources::CREATED_BY))
            .and_then(crate::source::node::Node::as_str)
            .is_some_and(is_eks_addon_maker)
    }

    /// `system:serviceaccount:<ns>:<name>`, the `sub` claim of its tokens.
    pub fn subject(&self) -> String {
        format!(
            "system:serviceaccount:{}:{}",
            self.obj.namespace,
            self.name()
        )
    }

    /// The annotation `<prefix>/<suffix>`, last one wins.
    pub fn annotation(&self, prefix: &str, suffix: &str) -> Option<&'a Entry> {
        annotation(self.obj.annotations(), prefix, suffix)
    }
}

/// The annotations the pod identity webhook reads on a ServiceAccount, after its prefix
/// (`eks.amazonaws.com/` unless `--annotation-prefix` says otherwise).
pub const WEBHOOK_SA_ANNOTATIONS: &[&str] = &[
    "role-arn",
    "audience",
    "sts-regional-endpoints",
    "token-expiration",
];

/// Whether `key` is an annotation the webhook reads on a ServiceAccount
/// ([`WEBHOOK_SA_ANNOTATIONS`]), under any prefix.
pub fn is_webhook_annotation(key: &str) -> bool {
    key.rsplit_once('/')
        .is_some_and(|(_, suffix)| WEBHOOK_SA_ANNOTATIONS.contains(&suffix))
}

/// The entry `<prefix>/<suffix>` among annotations (the webhook builds keys the same way,
/// so a prefix with a trailing `/` finds nothing, as it does in the webhook).
pub fn annotation<'a>(annotations: &'a [Entry], prefix: &str, suffix: &str) -> Option<&'a Entry> {
    annotations.iter().rev().find(|e| {
        e.key.as_str().is_some_and(|k| {
            k.len() == prefix.len() + 1 + suffix.len()
                && k.starts_with(prefix)
                && k[prefix.len()..].starts_with('/')
                && k.ends_with(suffix)
        })
    })
}

/// Whether `text` is a Helm release as `helm template` prints it: its documents carry the
/// `# Source: <chart>/templates/<file>` comments Helm writes before each one. Such a file
/// holds every object its release creates, and nothing that another release creates.
pub fn is_helm_render(text: &str) -> bool {
    text.match_indices("# Source: ").any(|(i, _)| {
        (i == 0 || text.as_bytes()[i - 1] == b'\n')
            && text[i..]
                .lines()
                .next()
                .is_some_and(|l| l.contains("/templates/"))
    })
}

/// The ServiceAccounts a Flux HelmRelease's chart creates with a role
/// (`derived::helm_release`), as objects of the release's file; none for another document.
pub fn helm_release_objects<'a>(
    file: &'a crate::load::InputFile,
    root: &'a Node,
) -> Vec<Object<'a>> {
    if !crate::derived::helm_release::is_helm_release(root) {
        return Vec::new();
    }
    match root.get("spec").and_then(|spec| file.derived_of(spec)) {
        Some(list) => objects_of(file.id, std::iter::once(list)),
        None => Vec::new(),
    }
}

/// The ServiceAccount Crossplane creates from the runtime configuration `root` of `file`
/// (a `DeploymentRuntimeConfig` or `ControllerConfig`, `derived::crossplane`), with the
/// annotations given there, in [`crate::derived::crossplane::NAMESPACE`].
pub fn crossplane_objects<'a>(file: &'a crate::load::InputFile, root: &'a Node) -> Vec<Object<'a>> {
    crate::derived::crossplane::key(root)
        .and_then(|at| file.derived.get(&at))
        .map_or_else(Vec::new, |sa| objects_of(file.id, std::iter::once(sa)))
}

/// The namespace Crossplane runs in, and so creates its packages' ServiceAccounts in
/// (`derived::crossplane`), when the inputs show its installs and they agree on one: the
/// `crossplane` chart's releases (Terraform `helm_release`s, `terraform`, read by the load
/// stage; Flux HelmReleases, Argo CD Applications) and Crossplane's core container in a pod template whose namespace the files
/// fix (written, or set by a kustomization or the file's lone Namespace; not the `default` a
/// manifest without one is read in: `kubectl apply -n` may put it anywhere). `None` when
/// there is no install, one has a namespace the files do not fix, or two differ.
pub fn crossplane_namespace(
    pods: &[PodTemplate<'_>],
    objects: &[Object<'_>],
    terraform: &[crate::derived::crossplane::Install],
) -> Option<String> {
    use crate::derived::crossplane::{core_container_install, one_namespace, release_install};
    let documents = objects.iter().filter_map(|o| release_install(o.node));
    let cores = pods.iter().flat_map(|p| {
        let owner = &p.owner;
        let ns = (owner.namespace_node.is_some() || owner.namespace != "default")
            .then_some(owner.namespace.as_str());
        p.containers
            .iter()
            .filter(|c| c.kind == ContainerKind::Regular)
            .filter_map(move |c| core_container_install(c.node, ns))
    });
    one_namespace(terraform.iter().cloned().chain(documents).chain(cores))
}

/// The objects a CloudFormation template `root` of `file` creates with
/// `AWSQS::Kubernetes::Resource` (each `Manifest` as the load stage parsed it,
/// `derived::cfn_k8s`), read like a manifest file's. The provider applies a manifest with
/// `kubectl create -n <Namespace>`: the resource's `Namespace` (a parameter's default
/// resolved) is the namespace of its objects that write none; when the template leaves it
/// open (a parameter without default), those objects are not read, and neither is an object
/// whose name or namespace is a `!Sub` template the stack fills. Also the ServiceAccount
/// each `AWS::EKS::Addon` with a `ServiceAccountRoleArn` runs as (`derived::cfn_addons`).
pub fn cloudformation_objects<'a>(
    file: &'a crate::load::InputFile,
    root: &'a Node,
) -> Vec<Object<'a>> {
    use crate::terraform::hcl::is_unknown;
    let mut out = Vec::new();
    // The ServiceAccounts EKS add-ons run as, with their role (`derived::cfn_addons`): in
    // the namespace the add-on installs into, written.
    for (_, props) in crate::derived::cfn_addons::addons(root) {
        let derived = props
            .get("ServiceAccountRoleArn")
            .and_then(|role| file.derived_of(role));
        if let Some(sa) = derived {
            out.extend(objects_of(file.id, std::iter::once(sa)));
        }
    }
    let manifests = crate::derived::cfn_k8s::manifests(root);
    if manifests.is_empty() {
        return out;
    }
    let subs = crate::model::role::cfn_substitutions(root);
    for m in manifests {
        let Some(docs) = file.derived_of(m.text) else {
            continue;
        };
        let namespace = m
            .properties
            .get("Namespace")
            .map(|n| crate::model::value::text(n, &subs).filter(|t| !t.unresolved));
        for mut o in objects_of(file.id, docs.items().iter()) {
            if [o.name, o.namespace_node]
                .into_iter()
                .flatten()
                .any(is_unknown)
            {
                continue;
            }
            if o.namespace_node.is_none() {
                match &namespace {
                    Some(Some(ns)) => o.namespace = ns.value.as_str().into(),
                    Some(None) => continue,
                    None => {}
                }
            }
            out.push(o);
        }
    }
    out
}

/// Whether an `irsalint/created-by` mark names an EKS add-on: a Terraform `aws_eks_addon`
/// (also inside a module: `module.eks.aws_eks_addon.this["vpc-cni"]`), a CloudFormation
/// `AWS::EKS::Addon`, an eksctl ClusterConfig's `addons` entry.
pub fn is_eks_addon_maker(by: &str) -> bool {
    is_terraform_addon_maker(by)
        || by.contains("AWS::EKS::Addon")
        || by.starts_with(crate::derived::eksctl::ADDON_MAKER)
}

/// Whether an `irsalint/created-by` mark names a Terraform `aws_eks_addon`, written in the
/// root or made by a module (`module.eks.aws_eks_addon.this["vpc-cni"]`).
pub fn is_terraform_addon_maker(by: &str) -> bool {
    by.starts_with("aws_eks_addon.") || by.contains(".aws_eks_addon.")
}

#[cfg(test)]
mod addon_maker_tests {
    use super::is_eks_addon_maker;

    #[test]
    fn add_on_makers_are_told_from_charts_and_resources() {
        assert!(is_eks_addon_maker("aws_eks_addon.ebs"));
        assert!(is_eks_addon_maker(
            "module.eks.aws_eks_addon.this[\"aws-ebs-csi-driver\"]"
        ));
        assert!(is_eks_addon_maker("CloudFormation AWS::EKS::Addon EbsCsi"));
        assert!(is_eks_addon_maker(
            "eksctl ClusterConfig addon aws-ebs-csi-driver"
        ));
        // A Helm release, a ServiceAccount resource, a Crossplane runtime: the user's.
        assert!(!is_eks_addon_maker(
            "helm_release.aws_load_balancer_controller"
        ));
        assert!(!is_eks_addon_maker("module.addons.helm_release.this[0]"));
        assert!(!is_eks_addon_maker("kubernetes_service_account_v1.x"));
        assert!(!is_eks_addon_maker("my_aws_eks_addon.x"));
    }
}

#[cfg(test)]
mod pod_template_tests {
    use super::*;

    /// A pod's containers of every kind, in order, in a list of their number (grown from
    /// nothing, one container kept room for four).
    #[test]
    fn containers_are_read_in_order_into_a_list_of_their_number() {
        let text = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}, x]\n  initContainers: [{name: i}]\n  ephemeralContainers: [{name: e}]\n";
        let lines = crate::source::file::LineIndex::new(text);
        let loaded =
            crate::source::yaml::load_yaml(0, text, &lines, &crate::source::Limits::default());
        let root = &loaded.documents[0].root;
        let obj = Object {
            file: 0,
            node: root,
            api_version: "v1",
            kind: "Pod",
            kind_node: root.get("kind").unwrap(),
            name: None,
            metadata: root.get("metadata"),
            namespace: "default".into(),
            namespace_node: None,
        };
        let pod = PodTemplate::from_object(&obj).unwrap();
        let names: Vec<_> = pod
            .containers
            .iter()
            .map(|c| (c.name_str(), c.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("i", ContainerKind::Init),
                ("a", ContainerKind::Regular),
                ("e", ContainerKind::Ephemeral)
            ]
        );
        assert_eq!(pod.containers.capacity(), 3);
    }
}

#[cfg(test)]
mod helm_render_tests {
    use super::is_helm_render;

    #[test]
    fn helm_source_comments_mark_a_render() {
        assert!(is_helm_render(
            "# Source: runner/templates/sa.yaml\napiVersion: v1\n"
        ));
        assert!(is_helm_render(
            "---\n# Source: runner/charts/sub/templates/a.yaml\nkind: Pod\n"
        ));
        // Not at the start of a line, or not a chart's template.
        assert!(!is_helm_render("a: b # Source: runner/templates/sa.yaml\n"));
        assert!(!is_helm_render("# Source: https://example.com/app.yaml\n"));
        assert!(!is_helm_render("# Source: x\n# see runner/templates/\n"));
        assert!(!is_helm_render("apiVersion: v1\n"));
    }
}

#[cfg(test)]
mod crossplane_namespace_tests {
    use crate::derived::crossplane::NAMESPACE;
    use std::path::Path;

    /// The namespace of the ServiceAccount Crossplane creates, linted as `lint` loads.
    fn namespace_in(dir: &Path) -> String {
        let inputs = crate::load::load_paths(
            &[dir.to_string_lossy().into_owned()],
            dir,
            &crate::source::Limits::lint(),
        )
        .unwrap();
        let config = crate::config::Config::default();
        let world = crate::world::World::build(&inputs, &config);
        let sa = world
            .service_accounts
            .iter()
            .find(|sa| sa.name() == "provider-aws")
            .unwrap();
        assert_eq!(sa.namespace_known(), sa.namespace() != NAMESPACE);
        // The object view agrees with the ServiceAccount's.
        let obj = world
            .objects
            .iter()
            .find(|o| o.kind == "ServiceAccount" && o.name_str() == "provider-aws")
            .unwrap();
        assert_eq!(obj.namespace, sa.namespace());
        sa.namespace().to_string()
    }

    fn world(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted")
            .join(name)
    }

    /// Each way the inputs show Crossplane's install places the account there; none leaves
    /// it in the sentinel namespace.
    #[test]
    fn crossplanes_accounts_are_placed_in_the_namespace_of_its_one_install() {
        assert_eq!(namespace_in(&world("crossplane")), NAMESPACE);
        assert_eq!(
            namespace_in(&world("crossplane-helm-release")),
            "crossplane-system"
        );
        assert_eq!(
            namespace_in(&world("crossplane-installed-elsewhere")),
            "upbound-system"
        );
        assert_eq!(namespace_in(&world("crossplane-rendered")), "crossplane");
    }

    /// Two installs in different namespaces (two clusters, a migration): which one creates
    /// the account is not known. Two that agree decide.
    #[test]
    fn installs_that_disagree_leave_the_namespace_unknown() {
        let d = tempfile::tempdir().unwrap();
        let copy = |from: &str, file: &str, to: &str| {
            std::fs::copy(world(from).join(file), d.path().join(to)).unwrap();
        };
        copy("crossplane-helm-release", "main.tf", "main.tf");
        copy(
            "crossplane-installed-elsewhere",
            "crossplane.yaml",
            "flux.yaml",
        );
        assert_eq!(namespace_in(d.path()), NAMESPACE);
        // The rendered chart in crossplane-system agrees with the Terraform release.
        std::fs::remove_file(d.path().join("flux.yaml")).unwrap();
        let rendered =
            std::fs::read_to_string(world("crossplane-rendered").join("crossplane.yaml"))
                .unwrap()
                .replace("namespace: crossplane\n", "namespace: crossplane-system\n");
        std::fs::write(d.path().join("rendered.yaml"), rendered).unwrap();
        assert_eq!(namespace_in(d.path()), "crossplane-system");
        // A manifest without a namespace, applied anywhere: not an install the files place.
        let unplaced = std::fs::read_to_string(d.path().join("rendered.yaml"))
            .unwrap()
            .replace("  namespace: crossplane-system\n", "");
        std::fs::write(d.path().join("rendered.yaml"), &unplaced).unwrap();
        assert_eq!(namespace_in(d.path()), NAMESPACE);
        // Alone, too; but the file's lone Namespace places it.
        std::fs::remove_file(d.path().join("main.tf")).unwrap();
        assert_eq!(namespace_in(d.path()), NAMESPACE);
        let with_namespace =
            format!("{unplaced}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: xp\n");
        std::fs::write(d.path().join("rendered.yaml"), with_namespace).unwrap();
        assert_eq!(namespace_in(d.path()), "xp");
        // `default` written is a namespace like any other.
        let written_default = unplaced.replacen(
            "  name: crossplane\n",
            "  name: crossplane\n  namespace: default\n",
            1,
        );
        std::fs::write(d.path().join("rendered.yaml"), written_default).unwrap();
        assert_eq!(namespace_in(d.path()), "default");
    }
}
