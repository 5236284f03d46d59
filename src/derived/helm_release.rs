//! The ServiceAccounts a Flux `HelmRelease` (helm.toolkit.fluxcd.io) has its chart create with
//! a role-arn annotation from its `spec.values`, as ServiceAccount objects at the values'
//! positions: the same reading as a Terraform `helm_release` (`terraform::charts`), with
//! Flux's release name and namespace.
//!
//! Flux (helm-controller `api/v2/helmrelease_types.go`): the release is installed in
//! `spec.targetNamespace`, else the HelmRelease's namespace; its name is `spec.releaseName`,
//! else `[<targetNamespace>-]<metadata.name>` (shortened with a hash past 53 characters: then
//! not known here). `spec.valuesFrom` and the chart's `valuesFiles` merge values the files
//! do not show: every value is then unknown, and nothing is derived. A release without a
//! known namespace (neither `targetNamespace` nor `metadata.namespace`) derives nothing.

use crate::source::file::Span;
use crate::source::node::{entry, map, str_node, Node, Value};

const ROLE_ARN: &str = "eks.amazonaws.com/role-arn";

/// Whether `root` is a Flux HelmRelease.
pub fn is_helm_release(root: &Node) -> bool {
    root.get("kind").and_then(Node::as_str) == Some("HelmRelease")
        && root
            .get("apiVersion")
            .and_then(Node::as_str)
            .is_some_and(|v| v.starts_with("helm.toolkit.fluxcd.io/"))
}

/// A non-empty string node.
fn text(n: Option<&Node>) -> Option<&Node> {
    n.filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
}

/// The release as a Terraform `helm_release` body (`name`, `chart`, `namespace`, `values`), the
/// shape `terraform::charts` reads, or `None` when its namespace or name is not known.
fn as_release(root: &Node) -> Option<Node> {
    let spec = root.get("spec")?;
    let meta = root.get("metadata")?;
    let name = text(meta.get("name"))?;
    let target = text(spec.get("targetNamespace"));
    let namespace = target.or(text(meta.get("namespace")))?;
    let release = match text(spec.get("releaseName")) {
        Some(r) => r.clone(),
        None => {
            let full = match target {
                Some(t) => format!("{}-{}", t.as_str()?, name.as_str()?),
                None => name.as_str()?.to_string(),
            };
            if full.len() > 53 {
                return None;
            }
            str_node(full, name.span)
        }
    };
    let chart_spec = spec.path(&["chart", "spec"]);
    let chart = text(chart_spec.and_then(|c| c.get("chart")));
    let more_values = spec
        .get("valuesFrom")
        .is_some_and(|v| !v.items().is_empty())
        || chart_spec
            .and_then(|c| c.get("valuesFiles"))
            .is_some_and(|v| !v.items().is_empty());
    let values = if more_values {
        let mut n = str_node("spec.valuesFrom", spec.span);
        n.tag = crate::terraform::UNKNOWN_TAG.into();
        n
    } else {
        let docs: Vec<Node> = spec
            .get("values")
            .filter(|v| v.as_map().is_some())
            .cloned()
            .into_iter()
            .collect();
        Node::new(Value::Seq(docs.into()), spec.span)
    };
    let mut body = vec![
        entry("name", release),
        entry("namespace", namespace.clone()),
        entry("values", values),
    ];
    if let Some(c) = chart {
        body.push(entry("chart", c.clone()));
    }
    // The chart's pinned version (a semver range picks one the files do not say), which
    // decides the layout of an older chart's values (`terraform::charts`).
    if let Some(v) = text(chart_spec.and_then(|c| c.get("version"))) {
        body.push(entry("version", v.clone()));
    }
    Some(map(body, spec.span))
}

/// A ServiceAccount object named `name` in `namespace`, annotated with `role`, marked as made
/// by the release (`sa-irsa-unused` leaves a chart's accounts to its workloads).
fn service_account(name: Node, namespace: Node, role: Node, by: &str, at: Span) -> Node {
    let name_at = name.span;
    let metadata = map(
        vec![
            entry("name", name),
            entry("namespace", namespace),
            entry(crate::terraform::resources::CREATED_BY, str_node(by, at)),
            entry("annotations", map(vec![entry(ROLE_ARN, role)], at)),
        ],
        at,
    );
    super::eksctl::service_account_object(at, name_at, metadata)
}

/// The role-annotated ServiceAccounts the release's chart creates, as a `v1` `List`, or `None`
/// when there are none the files decide. A chart irsalint models (`terraform::charts`) is
/// read as its templates name its accounts; another one only through `serviceAccount.name`
/// and `serviceAccount.annotations` at the top of its values, when `serviceAccount.create` is
/// not off.
pub fn service_accounts(root: &Node) -> Option<Node> {
    if !is_helm_release(root) {
        return None;
    }
    let release = as_release(root)?;
    let ns = release.get("namespace")?.clone();
    let at = root.get("spec")?.span;
    let by = format!(
        "HelmRelease {}",
        root.path(&["metadata", "name"]).and_then(Node::as_str)?
    );
    let mut out = Vec::new();
    match crate::terraform::charts::accounts(&release, ROLE_ARN) {
        Some(accounts) => {
            for a in accounts {
                let namespace = a.namespace.unwrap_or_else(|| ns.clone());
                out.push(service_account(a.name, namespace, a.role, &by, at));
            }
        }
        None => {
            let sa = release
                .get("values")
                .and_then(|v| v.items().first())
                .and_then(|v| v.get("serviceAccount"));
            let created = sa
                .and_then(|s| s.get("create"))
                .is_none_or(|c| c.as_bool() != Some(false) && c.as_str() != Some("false"));
            let name = text(sa.and_then(|s| s.get("name")));
            let role = sa.and_then(|s| s.path(&["annotations", ROLE_ARN]));
            if let (true, Some(name), Some(role)) = (created, name, role) {
                out.push(service_account(name.clone(), ns, role.clone(), &by, at));
            }
        }
    }
    if out.is_empty() {
        return None;
    }
    Some(map(
        vec![
            entry("apiVersion", str_node("v1", at)),
            entry("kind", str_node("List", at)),
            entry("items", Node::new(Value::Seq(out.into()), at)),
        ],
        at,
    ))
}

#[cfg(test)]
mod tests {
    use crate::source::node::Node;

    /// The (namespace, name, role) of the accounts the HelmRelease `yaml` derives.
    fn accounts(yaml: &str) -> Vec<(String, String, String)> {
        let inputs = crate::load::load(
            vec![crate::load::RawInput {
                display: "hr.yaml".into(),
                bytes: yaml.as_bytes().to_vec(),
                read_error: None,
            }],
            &crate::source::Limits::default(),
        );
        let root = &inputs.files[0].documents[0].root;
        let Some(list) = super::service_accounts(root) else {
            return Vec::new();
        };
        list.get("items")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .map(|sa| {
                let m = sa.get("metadata").expect("metadata");
                let t = |n: Option<&Node>| n.and_then(Node::as_str).unwrap_or("?").to_string();
                (
                    t(m.get("namespace")),
                    t(m.get("name")),
                    t(m.path(&["annotations", "eks.amazonaws.com/role-arn"])),
                )
            })
            .collect()
    }

    const ALB: &str = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: alb\n  namespace: flux-system\nspec:\n  targetNamespace: kube-system\n  chart:\n    spec:\n      chart: aws-load-balancer-controller\n  values:\n    serviceAccount:\n      annotations:\n        eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/alb\n";

    #[test]
    fn flux_names_the_release_after_the_target_namespace() {
        // `kube-system-alb` does not contain the chart's name: `<release>-<chart>`.
        assert_eq!(
            accounts(ALB),
            vec![(
                "kube-system".into(),
                "kube-system-alb-aws-load-balancer-controller".into(),
                "arn:aws:iam::111122223333:role/alb".into()
            )]
        );
        let named = ALB.replacen(
            "spec:\n",
            "spec:\n  releaseName: aws-load-balancer-controller\n",
            1,
        );
        assert_eq!(accounts(&named)[0].1, "aws-load-balancer-controller");
        let own_ns = ALB.replace("  targetNamespace: kube-system\n", "");
        assert_eq!(
            accounts(&own_ns)[0],
            (
                "flux-system".into(),
                "alb-aws-load-balancer-controller".into(),
                "arn:aws:iam::111122223333:role/alb".into()
            )
        );
    }

    #[test]
    fn what_the_files_do_not_decide_derives_nothing() {
        // No namespace at all (kustomize may place it).
        let no_ns = ALB
            .replace("  namespace: flux-system\n", "")
            .replace("  targetNamespace: kube-system\n", "");
        assert!(accounts(&no_ns).is_empty());
        // Values merged from elsewhere.
        let from = ALB.replace(
            "  values:\n",
            "  valuesFrom:\n    - kind: ConfigMap\n      name: x\n  values:\n",
        );
        assert!(accounts(&from).is_empty());
        let files = ALB.replace(
            "      chart: aws-load-balancer-controller\n",
            "      chart: aws-load-balancer-controller\n      valuesFiles:\n        - values-prod.yaml\n",
        );
        assert!(accounts(&files).is_empty());
        // A composed release name Flux would shorten with a hash: past 53 characters
        // (`kube-system-` and 42 more), not at 53.
        let long = ALB.replace("name: alb\n", &format!("name: {}\n", "a".repeat(42)));
        assert!(accounts(&long).is_empty());
        let longest = ALB.replace("name: alb\n", &format!("name: {}\n", "a".repeat(41)));
        assert_eq!(accounts(&longest).len(), 1);
        // Not a Flux HelmRelease.
        assert!(accounts(&ALB.replace("helm.toolkit.fluxcd.io/v2", "example.com/v1")).is_empty());
    }

    /// The chart's pinned version reaches the chart model: aws-ebs-csi-driver before 2.0.0
    /// reads `serviceAccount.controller`, from 2.0.0 `controller.serviceAccount`.
    #[test]
    fn the_pinned_chart_version_decides_an_older_charts_values() {
        let ebs = |version: &str| {
            format!("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ebs\n  namespace: kube-system\nspec:\n  chart:\n    spec:\n      chart: aws-ebs-csi-driver\n      {version}\n  values:\n    serviceAccount:\n      controller:\n        annotations:\n          eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/ebs\n")
        };
        let controller = vec![(
            "kube-system".to_string(),
            "ebs-csi-controller-sa".to_string(),
            "arn:aws:iam::111122223333:role/ebs".to_string(),
        )];
        assert_eq!(accounts(&ebs("version: 1.2.4")), controller);
        assert_eq!(accounts(&ebs("version: 2.30.0")), Vec::new());
        // A range, or none: the current chart, which reads other values.
        assert_eq!(accounts(&ebs("version: \"1.x\"")), Vec::new());
        assert_eq!(accounts(&ebs("interval: 1h")), Vec::new());
    }

    #[test]
    fn another_chart_only_through_its_top_level_service_account() {
        let eso = "apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata:\n  name: eso\n  namespace: external-secrets\nspec:\n  chart:\n    spec:\n      chart: external-secrets\n  values:\n    serviceAccount:\n      name: eso-sa\n      annotations:\n        eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/eso\n";
        assert_eq!(
            accounts(eso),
            vec![(
                "external-secrets".into(),
                "eso-sa".into(),
                "arn:aws:iam::111122223333:role/eso".into()
            )]
        );
        assert!(accounts(&eso.replace(
            "    serviceAccount:\n",
            "    serviceAccount:\n      create: false\n"
        ))
        .is_empty());
        // Unnamed: the chart's own default when irsalint models the chart (external-secrets'
        // helm create fullname of the release `eso`), nothing for a chart it does not model.
        let unnamed = eso.replace("      name: eso-sa\n", "");
        assert_eq!(
            accounts(&unnamed),
            vec![(
                "external-secrets".into(),
                "eso-external-secrets".into(),
                "arn:aws:iam::111122223333:role/eso".into()
            )]
        );
        assert!(accounts(&unnamed.replace("chart: external-secrets", "chart: velero")).is_empty());
    }
}
