//! The ServiceAccount Crossplane creates for a package's runtime (a provider's or a
//! function's Deployment) from its runtime configuration, with the annotations the user gave
//! it there: an annotated ServiceAccount (`eks.amazonaws.com/role-arn`) whose annotation
//! values point at what the user wrote. From Crossplane's released code:
//!
//! - `DeploymentRuntimeConfig` (`pkg.crossplane.io/v1beta1`,
//!   crossplane/crossplane internal/controller/pkg/runtime/runtime.go@v2.3.4
//!   `DeploymentRuntimeBuilder.ServiceAccount` and runtime_defaults.go
//!   `serviceAccountFromRuntimeConfig`): `spec.serviceAccountTemplate.metadata`'s `name`
//!   (else the package revision's name, `<package>-<hash>`: `ServiceAccountWithOptionalName`)
//!   and its `annotations` and `labels`, in Crossplane's own namespace
//!   (`ServiceAccountWithNamespace(b.namespace)`, the namespace Crossplane runs in). The
//!   account is created only when the runtime Deployment runs as it (runtime_provider.go
//!   `Post`: `if sa.Name == d.Spec.Template.Spec.ServiceAccountName`): a
//!   `deploymentTemplate.spec.template.spec.serviceAccountName` naming another account means
//!   the user manages that one, and the template's annotations reach nothing.
//! - `ControllerConfig` (`pkg.crossplane.io/v1alpha1`, deprecated, gone in v2;
//!   internal/controller/pkg/revision/runtime_override_options.go@v1.20.11
//!   `ServiceAccountWithControllerConfig`): the ControllerConfig's own `metadata.annotations`
//!   and `labels`, the name `spec.serviceAccountName` when given (else the revision's), in
//!   Crossplane's namespace.
//!
//! That namespace (`crossplane-system` in Crossplane's install guide, `upbound-system` for
//! UXP, anything with `helm install -n`) is not in the file: the view's namespace is
//! [`NAMESPACE`], which no real namespace can equal, and every check whose verdict depends on
//! the namespace (the namespaces a role is shared across, a webhook's namespace selector)
//! stays silent on it ([`crate::model::k8s::ServiceAccount::namespace_known`]). The role's
//! trust is judged with the subject's `sub` unknown ([`in_unknown_namespace`]): what refuses
//! the account in any namespace (the audience its template gives the tokens, a trust without
//! a web-identity statement) is reported, a `sub` condition decides nothing. What the
//! annotation says on its own (a malformed or placeholder ARN, a typo in its key) is checked
//! too.
//!
//! When the inputs show where Crossplane is installed, that namespace replaces [`NAMESPACE`]
//! (`model::k8s::crossplane_namespace`, applied by `World::build`). Crossplane's core takes
//! it from `--namespace`/`-n`, else `POD_NAMESPACE`, else `crossplane-system`
//! (cmd/crossplane/core/core.go@v2.3.4 c2670a7, the same in v1.20.0:
//! `Namespace string default:"crossplane-system" env:"POD_NAMESPACE" short:"n"`), and its chart
//! sets `POD_NAMESPACE` from the pod's own `metadata.namespace`, the release's
//! (cluster/charts/crossplane/templates/deployment.yaml@v2.3.4: `namespace:
//! {{ .Release.Namespace }}`, the `crossplane` container's `args: [core, start]`). What says
//! so here: a release of the `crossplane` chart (a Terraform `helm_release`'s `namespace`, a
//! Flux HelmRelease's, an Argo CD Application's destination, [`release_install`] and
//! [`terraform_install`]), or the core container itself in a rendered or written Deployment
//! ([`core_container_install`]).

use crate::source::node::{entry, map, str_node, Node};

/// The namespace of a ServiceAccount Crossplane creates: Crossplane's own, not in the
/// files. Not a valid namespace name (`<`, spaces), so it equals none the files write.
pub const NAMESPACE: &str = "<Crossplane's namespace>";

/// Whether a namespace or name as written is an expression another tool fills in before it
/// reaches the cluster (Spinnaker's SpEL `${ parameters.namespace }`, envsubst's `${NS}`, a
/// Helm or Jinja `{{ … }}`): no Kubernetes name can hold `${` or `{{`.
pub fn is_unresolved_name(text: &str) -> bool {
    text.contains("${") || text.contains("{{")
}

/// Whether `subject` (`system:serviceaccount:<ns>:<name>`) is of an account whose namespace
/// the files do not say ([`NAMESPACE`]) or whose namespace or name is an unresolved
/// expression ([`is_unresolved_name`]): its tokens' `sub` is not known.
pub fn in_unknown_namespace(subject: &str) -> bool {
    subject
        .strip_prefix("system:serviceaccount:")
        .is_some_and(|rest| {
            rest.strip_prefix(NAMESPACE)
                .is_some_and(|r| r.starts_with(':'))
                || is_unresolved_name(rest)
        })
}

/// The name of the ServiceAccount when the configuration names none: the package
/// revision's, `<package name>-<hash>`, which only the cluster knows.
pub const REVISION_NAME: &str = "<package revision>";

/// The name of Crossplane's Helm chart (charts.crossplane.io/stable, cluster/charts/crossplane).
pub const CHART: &str = "crossplane";

/// Where one Crossplane install found in the inputs runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Install {
    /// In this namespace.
    In(String),
    /// In a namespace the files do not fix (an unresolved value, a release without one).
    Unknown,
}

/// A namespace as written: unknown when empty or a template the files do not fill
/// (`${NAMESPACE}`, `{{ .Release.Namespace }}`).
fn named(ns: &str) -> Install {
    if ns.is_empty() || ns.contains("${") || ns.contains("{{") {
        Install::Unknown
    } else {
        Install::In(ns.to_string())
    }
}

/// A written namespace node, else [`Install::Unknown`] (also for a Terraform value only
/// apply knows).
fn install_in(namespace: Option<&Node>) -> Install {
    match namespace {
        Some(n) if !crate::terraform::hcl::is_unknown(n) => {
            n.as_str().map_or(Install::Unknown, named)
        }
        _ => Install::Unknown,
    }
}

/// The install a Terraform `helm_release` body makes when its chart is Crossplane's: in its
/// `namespace`, `default` when it writes none (the helm provider's default).
pub fn terraform_install(body: &Node) -> Option<Install> {
    let chart = body.get("chart")?;
    if crate::terraform::hcl::is_unknown(chart)
        || crate::terraform::charts::chart_name(chart.as_str()?) != CHART
    {
        return None;
    }
    Some(match body.get("namespace") {
        None => Install::In("default".into()),
        Some(ns) => install_in(Some(ns)),
    })
}

/// The install a Flux HelmRelease (in `spec.targetNamespace`, else its own namespace) or an
/// Argo CD Application (in `spec.destination.namespace`) of Crossplane's chart makes.
pub fn release_install(root: &Node) -> Option<Install> {
    let api = root.get("apiVersion").and_then(Node::as_str)?;
    let kind = root.get("kind").and_then(Node::as_str)?;
    let spec = root.get("spec")?;
    let is_chart = |c: Option<&Node>| {
        c.and_then(Node::as_str)
            .is_some_and(|c| crate::terraform::charts::chart_name(c) == CHART)
    };
    if api.starts_with("helm.toolkit.fluxcd.io/") && kind == "HelmRelease" {
        if !is_chart(spec.path(&["chart", "spec", "chart"])) {
            return None;
        }
        let target = spec
            .get("targetNamespace")
            .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()));
        return Some(install_in(target.or(root.path(&["metadata", "namespace"]))));
    }
    if api.starts_with("argoproj.io/") && kind == "Application" {
        let sources = spec
            .get("source")
            .into_iter()
            .chain(spec.get("sources").map_or(&[][..], Node::items));
        if !sources.into_iter().any(|s| is_chart(s.get("chart"))) {
            return None;
        }
        return Some(install_in(spec.path(&["destination", "namespace"])));
    }
    None
}

/// The install a container of a pod in `pod_namespace` (`None`: the files do not fix it)
/// makes when it is Crossplane's core (`args: [core, start, ...]`, an image whose last path
/// segment is `crossplane`): `--namespace`/`-n`, else `POD_NAMESPACE` (a value, or the
/// pod's namespace by `fieldRef`), else `crossplane-system`.
pub fn core_container_install(container: &Node, pod_namespace: Option<&str>) -> Option<Install> {
    let args = container.get("args")?.as_seq()?;
    let arg = |i: usize| args.get(i).and_then(Node::as_str);
    if arg(0) != Some("core") || arg(1) != Some("start") {
        return None;
    }
    let image = container.get("image").and_then(Node::as_str)?;
    let repository = image.split('@').next().unwrap_or(image);
    let last = repository.rsplit('/').next().unwrap_or(repository);
    if last.split(':').next() != Some("crossplane") {
        return None;
    }
    // The flag wins over the variable (kong).
    for (i, a) in args.iter().enumerate().skip(2) {
        let Some(a) = a.as_str() else {
            return Some(Install::Unknown);
        };
        if let Some(ns) = a.strip_prefix("--namespace=") {
            return Some(named(ns));
        }
        if a == "--namespace" || a == "-n" {
            return Some(install_in(args.get(i + 1)));
        }
        if a.starts_with("-n") && !a.starts_with("--") {
            return Some(Install::Unknown);
        }
    }
    let env = container.get("env").map_or(&[][..], Node::items);
    let var = env
        .iter()
        .rev()
        .find(|e| e.get("name").and_then(Node::as_str) == Some("POD_NAMESPACE"));
    Some(match var {
        Some(v) => match (
            v.get("value"),
            v.path(&["valueFrom", "fieldRef", "fieldPath"]),
        ) {
            (Some(value), _) => install_in(Some(value)),
            (None, Some(p)) if p.as_str() == Some("metadata.namespace") => {
                pod_namespace.map_or(Install::Unknown, named)
            }
            _ => Install::Unknown,
        },
        // `envFrom` may set it.
        None if container
            .get("envFrom")
            .is_some_and(|e| !e.items().is_empty()) =>
        {
            Install::Unknown
        }
        None => Install::In("crossplane-system".into()),
    })
}

/// The one namespace the installs agree on; `None` when there is none, one is unknown, or
/// they differ (several clusters, several installs: which one creates an account is not
/// known).
pub fn one_namespace(installs: impl IntoIterator<Item = Install>) -> Option<String> {
    let mut found: Option<String> = None;
    for i in installs {
        match i {
            Install::Unknown => return None,
            Install::In(ns) => match &found {
                Some(f) if *f != ns => return None,
                _ => found = Some(ns),
            },
        }
    }
    found
}

/// Whether `root` is a Crossplane runtime configuration of the kind `kind`.
fn is(root: &Node, kind: &str, version: &str) -> bool {
    root.get("kind").and_then(Node::as_str) == Some(kind)
        && root
            .get("apiVersion")
            .and_then(Node::as_str)
            .is_some_and(|v| v == format!("pkg.crossplane.io/{version}"))
}

/// The ServiceAccount Crossplane creates from the runtime configuration `root`, when it is
/// one and gives the account annotations, keyed by where those annotations start (the key
/// [`crate::model::k8s::crossplane_service_account`] reads it back by).
pub fn service_accounts(root: &Node) -> Vec<(u32, Node)> {
    let (metadata, name, labels, annotations) = if is(root, "DeploymentRuntimeConfig", "v1beta1") {
        let Some(meta) = root.path(&["spec", "serviceAccountTemplate", "metadata"]) else {
            return Vec::new();
        };
        let name = meta.get("name").filter(|n| n.as_str().is_some());
        // The Deployment runs as another account, which Crossplane then does not create.
        let runs_as = root
            .path(&[
                "spec",
                "deploymentTemplate",
                "spec",
                "template",
                "spec",
                "serviceAccountName",
            ])
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty());
        if runs_as.is_some_and(|r| Some(r) != name.and_then(Node::as_str)) {
            return Vec::new();
        }
        (meta, name, meta.get("labels"), meta.get("annotations"))
    } else if is(root, "ControllerConfig", "v1alpha1") {
        let Some(meta) = root.get("metadata") else {
            return Vec::new();
        };
        let name = root
            .path(&["spec", "serviceAccountName"])
            .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()));
        (meta, name, meta.get("labels"), meta.get("annotations"))
    } else {
        return Vec::new();
    };
    let Some(annotations) = annotations.filter(|a| !a.entries().is_empty()) else {
        return Vec::new();
    };
    let at = metadata.span;
    let name = name
        .cloned()
        .unwrap_or_else(|| str_node(REVISION_NAME, root.get("kind").map_or(at, |k| k.span)));
    let by = format!(
        "Crossplane {} {}",
        root.get("kind").and_then(Node::as_str).unwrap_or(""),
        root.path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("?")
    );
    let mut fields = vec![
        entry("name", name.clone()),
        entry("namespace", str_node(NAMESPACE, at)),
    ];
    if let Some(l) = labels {
        fields.push(entry("labels", l.clone()));
    }
    fields.push(entry("annotations", annotations.clone()));
    fields.push(entry(
        crate::terraform::resources::CREATED_BY,
        str_node(by, at),
    ));
    let sa = super::eksctl::service_account_object(root.span, name.span, map(fields, at));
    vec![(annotations.span.start, sa)]
}

/// The annotations node [`service_accounts`] keys the ServiceAccount of `root` by.
pub fn key(root: &Node) -> Option<u32> {
    let annotations = if is(root, "DeploymentRuntimeConfig", "v1beta1") {
        root.path(&["spec", "serviceAccountTemplate", "metadata", "annotations"])
    } else if is(root, "ControllerConfig", "v1alpha1") {
        root.path(&["metadata", "annotations"])
    } else {
        None
    };
    annotations.map(|a| a.span.start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{yaml, Limits};

    fn root(text: &str) -> Node {
        let lines = crate::source::file::LineIndex::new(text);
        let loaded = yaml::load_yaml(0, text, &lines, &Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        loaded.documents.into_iter().next().unwrap().root
    }

    /// (name, namespace, role-arn, key) of the one ServiceAccount, or `None`.
    fn account(text: &str) -> Option<(String, String, String, u32)> {
        let r = root(text);
        let found = service_accounts(&r);
        assert!(found.len() <= 1);
        let (at, sa) = found.into_iter().next()?;
        assert_eq!(Some(at), key(&r), "keyed where `key` looks");
        let meta = sa.get("metadata").unwrap();
        let s = |n: Option<&Node>| n.and_then(Node::as_str).unwrap_or("").to_string();
        Some((
            s(meta.get("name")),
            s(meta.get("namespace")),
            s(meta.path(&["annotations", "eks.amazonaws.com/role-arn"])),
            at,
        ))
    }

    const DRC: &str = "apiVersion: pkg.crossplane.io/v1beta1\nkind: DeploymentRuntimeConfig\nmetadata:\n  name: irsa\nspec:\n  serviceAccountTemplate:\n    metadata:\n      NAME\n      annotations:\n        eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/crossplane\n";

    #[test]
    fn a_runtime_config_names_its_account_or_leaves_the_revisions() {
        let (name, ns, arn, at) = account(&DRC.replace("NAME", "name: provider-aws")).unwrap();
        assert_eq!(
            (name.as_str(), ns.as_str(), arn.as_str()),
            (
                "provider-aws",
                NAMESPACE,
                "arn:aws:iam::111122223333:role/crossplane"
            )
        );
        // The annotations' own place in the file.
        assert_eq!(
            at as usize,
            DRC.replace("NAME", "name: provider-aws")
                .find("eks.amazonaws.com/role-arn")
                .unwrap()
        );
        let (name, ..) = account(&DRC.replace("NAME", "labels: {a: b}")).unwrap();
        assert_eq!(name, REVISION_NAME);
    }

    /// A Deployment that runs as another account: Crossplane creates none, the template's
    /// annotations reach nothing. The same name: it is created.
    #[test]
    fn a_deployment_running_as_another_account_gets_no_created_one() {
        let runs_as = |sa: &str| {
            format!(
                "{}  deploymentTemplate:\n    spec:\n      selector: {{}}\n      template:\n        spec:\n          serviceAccountName: {sa}\n          containers: []\n",
                DRC.replace("NAME", "name: provider-aws")
            )
        };
        assert_eq!(account(&runs_as("my-own-sa")), None);
        assert_eq!(account(&runs_as("provider-aws")).unwrap().0, "provider-aws");
        // Unnamed template: the revision's name, which is not the Deployment's account.
        let unnamed = runs_as("x").replace("      name: provider-aws\n", "");
        assert_eq!(account(&unnamed), None);
    }

    #[test]
    fn a_controller_config_gives_its_own_annotations_and_service_account_name() {
        let cc = "apiVersion: pkg.crossplane.io/v1alpha1\nkind: ControllerConfig\nmetadata:\n  name: aws-config\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/crossplane\nspec:\n  SPEC\n";
        let (name, ns, arn, _) =
            account(&cc.replace("SPEC", "serviceAccountName: provider-aws")).unwrap();
        assert_eq!(
            (name.as_str(), ns.as_str(), arn.as_str()),
            (
                "provider-aws",
                NAMESPACE,
                "arn:aws:iam::111122223333:role/crossplane"
            )
        );
        let (name, ..) =
            account(&cc.replace("SPEC", "podSecurityContext: {fsGroup: 2000}")).unwrap();
        assert_eq!(name, REVISION_NAME);
    }

    /// Only these kinds at these versions, and only with annotations to give.
    #[test]
    fn other_kinds_versions_and_no_annotations_give_nothing() {
        let named = DRC.replace("NAME", "name: provider-aws");
        assert!(account(&named.replace("v1beta1", "v1alpha1")).is_none());
        assert!(account(&named.replace("pkg.crossplane.io", "pkg.example.io")).is_none());
        assert!(account(&named.replace("DeploymentRuntimeConfig", "Provider")).is_none());
        let bare = "apiVersion: pkg.crossplane.io/v1beta1\nkind: DeploymentRuntimeConfig\nmetadata:\n  name: irsa\nspec:\n  serviceAccountTemplate:\n    metadata:\n      name: provider-aws\n      annotations: {}\n";
        assert!(account(bare).is_none());
        let cc = "apiVersion: pkg.crossplane.io/v1alpha1\nkind: ControllerConfig\nmetadata:\n  name: debug-config\nspec:\n  args: [--debug]\n";
        assert!(account(cc).is_none());
    }

    fn install(text: &str) -> Option<Install> {
        release_install(&root(text))
    }

    const FLUX: &str = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: crossplane\n  NS\nspec:\n  interval: 30m\n  TARGET\n  chart:\n    spec:\n      chart: CHART\n      version: \"2.3.4\"\n      sourceRef:\n        kind: HelmRepository\n        name: crossplane-stable\n";

    fn flux(ns: &str, target: &str, chart: &str) -> String {
        FLUX.replace("NS", ns)
            .replace("TARGET", target)
            .replace("CHART", chart)
    }

    /// Flux installs in `spec.targetNamespace`, else the HelmRelease's own namespace.
    #[test]
    fn a_flux_release_of_the_chart_installs_in_its_target_or_own_namespace() {
        let ns = |n: &str| Some(Install::In(n.to_string()));
        assert_eq!(
            install(&flux(
                "namespace: flux-system",
                "targetNamespace: upbound-system",
                "crossplane"
            )),
            ns("upbound-system")
        );
        assert_eq!(
            install(&flux(
                "namespace: crossplane-system",
                "suspend: false",
                "crossplane"
            )),
            ns("crossplane-system")
        );
        // Neither: applied with `-n`, anywhere.
        assert_eq!(
            install(&flux("labels: {}", "suspend: false", "crossplane")),
            Some(Install::Unknown)
        );
        assert_eq!(
            install(&flux(
                "namespace: flux-system",
                "targetNamespace: \"\"",
                "crossplane"
            )),
            ns("flux-system")
        );
        // Another chart, another kind.
        assert_eq!(
            install(&flux(
                "namespace: x",
                "suspend: false",
                "crossplane-contrib"
            )),
            None
        );
        assert_eq!(
            install(
                &flux("namespace: x", "suspend: false", "crossplane")
                    .replace("HelmRelease", "HelmChart")
            ),
            None
        );
    }

    /// Argo CD installs in `spec.destination.namespace`, the chart in `source` or `sources`.
    #[test]
    fn an_argo_application_of_the_chart_installs_in_its_destination() {
        let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: crossplane\n  namespace: argocd\nspec:\n  project: default\n  SOURCE\n  destination:\n    server: https://kubernetes.default.svc\n    DEST\n";
        let src = "source:\n    repoURL: https://charts.crossplane.io/stable\n    chart: crossplane\n    targetRevision: 1.20.1";
        let app = |source: &str, dest: &str| app.replace("SOURCE", source).replace("DEST", dest);
        assert_eq!(
            install(&app(src, "namespace: crossplane-system")),
            Some(Install::In("crossplane-system".into()))
        );
        let multi = "sources:\n  - repoURL: https://github.com/example/values\n    ref: values\n  - repoURL: https://charts.crossplane.io/stable\n    chart: crossplane";
        assert_eq!(
            install(&app(multi, "namespace: xp")),
            Some(Install::In("xp".into()))
        );
        assert_eq!(
            install(&app(src, "name: in-cluster")),
            Some(Install::Unknown)
        );
        assert_eq!(
            install(&app(
                &src.replace("chart: crossplane", "chart: argo-cd"),
                "namespace: x"
            )),
            None
        );
        assert_eq!(
            install(&app(src, "namespace: x").replace("argoproj.io", "example.io")),
            None
        );
    }

    fn tf_body(text: &str) -> Node {
        use crate::source::file::SourceMap;
        let mut sources = SourceMap::new();
        let id = sources.add("m/main.tf", text.to_string());
        let (rs, problems) =
            crate::terraform::hcl::evaluate(vec![(id, None)], &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        rs.into_iter()
            .find(|r| r.kind == "helm_release")
            .unwrap()
            .body
    }

    /// A Terraform release: its `namespace`, the provider's `default` without one; a value
    /// only apply knows is unknown.
    #[test]
    fn a_terraform_release_of_the_chart_installs_in_its_namespace() {
        let release = |attrs: &str| {
            tf_body(&format!(
                "variable \"ns\" {{}}\nresource \"helm_release\" \"crossplane\" {{\n  name       = \"crossplane\"\n  repository = \"https://charts.crossplane.io/stable\"\n{attrs}}}\n"
            ))
        };
        assert_eq!(
            terraform_install(&release(
                "  chart = \"crossplane\"\n  namespace = \"crossplane-system\"\n"
            )),
            Some(Install::In("crossplane-system".into()))
        );
        assert_eq!(
            terraform_install(&release("  chart = \"crossplane-stable/crossplane\"\n")),
            Some(Install::In("default".into()))
        );
        assert_eq!(
            terraform_install(&release("  chart = \"crossplane\"\n  namespace = var.ns\n")),
            Some(Install::Unknown)
        );
        assert_eq!(
            terraform_install(&release(
                "  chart = \"external-dns\"\n  namespace = \"x\"\n"
            )),
            None
        );
        assert_eq!(terraform_install(&release("  chart = var.ns\n")), None);
    }

    /// The `crossplane` container of the chart's Deployment (templates/deployment.yaml@v2.3.4).
    const CORE: &str = "name: crossplane\nimage: xpkg.crossplane.io/crossplane/crossplane:v2.3.4\nargs:\n- core\n- start\nARGS\nimagePullPolicy: IfNotPresent\nENV\n";
    const FIELD_REF: &str = "env:\n- name: GOMAXPROCS\n  value: \"1\"\n- name: POD_NAMESPACE\n  valueFrom:\n    fieldRef:\n      fieldPath: metadata.namespace\n";

    fn core(args: &str, env: &str, ns: Option<&str>) -> Option<Install> {
        core_container_install(&root(&CORE.replace("ARGS", args).replace("ENV", env)), ns)
    }

    #[test]
    fn crossplanes_core_runs_in_its_flag_variable_or_default_namespace() {
        let ns = |n: &str| Some(Install::In(n.to_string()));
        // The chart's: the pod's own namespace, when the files fix it.
        assert_eq!(core("- --debug", FIELD_REF, Some("xp")), ns("xp"));
        assert_eq!(core("- --debug", FIELD_REF, None), Some(Install::Unknown));
        assert_eq!(
            core(
                "- --debug",
                "env:\n- name: POD_NAMESPACE\n  value: upbound-system\n",
                None
            ),
            ns("upbound-system")
        );
        assert_eq!(
            core("- --debug", "env:\n- name: POD_NAMESPACE\n  valueFrom:\n    configMapKeyRef: {name: c, key: k}\n", Some("xp")),
            Some(Install::Unknown)
        );
        // No variable: core.go's default, unless `envFrom` may set it.
        assert_eq!(
            core("- --debug", "env: []", Some("xp")),
            ns("crossplane-system")
        );
        assert_eq!(
            core(
                "- --debug",
                "envFrom:\n- configMapRef: {name: crossplane-env}\n",
                Some("xp")
            ),
            Some(Install::Unknown)
        );
        // The flag wins.
        assert_eq!(
            core("- --namespace=flagged", FIELD_REF, Some("xp")),
            ns("flagged")
        );
        assert_eq!(
            core("- --namespace\n- flagged", FIELD_REF, Some("xp")),
            ns("flagged")
        );
        assert_eq!(
            core("- -n\n- flagged", FIELD_REF, Some("xp")),
            ns("flagged")
        );
        assert_eq!(
            core("- -nflagged", FIELD_REF, Some("xp")),
            Some(Install::Unknown)
        );
        assert_eq!(
            core("- --namespace=${NS}", FIELD_REF, Some("xp")),
            Some(Install::Unknown)
        );
        assert_eq!(
            core("- --enable-usages\n- --debug", FIELD_REF, Some("xp")),
            ns("xp")
        );
        // A flag without its value, an empty one, an argument that is no string: not known.
        let unknown = Some(Install::Unknown);
        assert_eq!(core("- --namespace", FIELD_REF, Some("xp")), unknown);
        assert_eq!(core("- --namespace=", FIELD_REF, Some("xp")), unknown);
        assert_eq!(core("- 8080", FIELD_REF, Some("xp")), unknown);
        let empty = "env:\n- name: POD_NAMESPACE\n  value: \"\"\n";
        assert_eq!(core("- --debug", empty, Some("xp")), unknown);
        // Another field of the pod is not its namespace.
        let other_field = FIELD_REF.replace("metadata.namespace", "metadata.name");
        assert_eq!(core("- --debug", &other_field, Some("xp")), unknown);
        // Short flags other than `-n` (`-d`, debug) say nothing of the namespace.
        assert_eq!(core("- -d", FIELD_REF, Some("xp")), ns("xp"));
    }

    #[test]
    fn only_crossplanes_core_start_is_an_install() {
        // The init container, `core init`, runs beside it and says the same.
        let init = CORE
            .replace("- start", "- init")
            .replace("ARGS", "- --debug")
            .replace("ENV", FIELD_REF);
        assert_eq!(core_container_install(&root(&init), Some("xp")), None);
        let other = CORE
            .replace("crossplane/crossplane:", "example/operator:")
            .replace("ARGS", "- --debug")
            .replace("ENV", FIELD_REF);
        assert_eq!(core_container_install(&root(&other), Some("xp")), None);
        // Docker Hub's name, a digest.
        let hub = CORE
            .replace(
                "xpkg.crossplane.io/crossplane/crossplane:v2.3.4",
                "crossplane/crossplane@sha256:0123",
            )
            .replace("ARGS", "- --debug")
            .replace("ENV", FIELD_REF);
        assert_eq!(
            core_container_install(&root(&hub), Some("xp")),
            Some(Install::In("xp".into()))
        );
        let no_args = "name: crossplane\nimage: crossplane/crossplane:v1.20.0\n";
        assert_eq!(core_container_install(&root(no_args), Some("xp")), None);
    }

    #[test]
    fn installs_decide_only_when_they_agree_on_a_known_namespace() {
        let i = |n: &str| Install::In(n.to_string());
        assert_eq!(one_namespace([]), None);
        assert_eq!(one_namespace([i("a")]), Some("a".into()));
        assert_eq!(one_namespace([i("a"), i("a")]), Some("a".into()));
        assert_eq!(one_namespace([i("a"), i("b")]), None);
        assert_eq!(one_namespace([i("a"), Install::Unknown]), None);
        assert_eq!(one_namespace([Install::Unknown, i("a")]), None);
    }

    #[test]
    fn subjects_in_an_unknown_or_unresolved_namespace_have_an_unknown_sub() {
        let sub = |ns: &str, name: &str| format!("system:serviceaccount:{ns}:{name}");
        assert!(in_unknown_namespace(&sub(NAMESPACE, "provider-aws")));
        assert!(in_unknown_namespace(&sub(
            "${ parameters.namespace }",
            "app"
        )));
        assert!(in_unknown_namespace(&sub(
            "{{ .Release.Namespace }}",
            "app"
        )));
        assert!(in_unknown_namespace(&sub("prod", "${NAME}")));
        assert!(!in_unknown_namespace(&sub("prod", "app")));
        // The placeholder only as the whole namespace.
        assert!(!in_unknown_namespace(&sub(&format!("{NAMESPACE}x"), "app")));
        assert!(!in_unknown_namespace("system:serviceaccounts:prod"));
        assert!(!in_unknown_namespace(&format!("{NAMESPACE}:app")));
        assert!(is_unresolved_name("${NS}") && is_unresolved_name("{{ x }}"));
        assert!(!is_unresolved_name("$ns") && !is_unresolved_name("prod"));
    }
}
