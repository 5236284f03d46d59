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
//! the namespace (the role's trust for the account's subject, the namespaces a role is
//! shared across, a webhook's namespace selector) stays silent on it
//! ([`crate::model::k8s::ServiceAccount::namespace_known`]). What the annotation says on its
//! own (a malformed or placeholder ARN, a typo in its key) is still checked.

use crate::source::node::{entry, map, str_node, Node};

/// The namespace of a ServiceAccount Crossplane creates: Crossplane's own, not in the
/// files. Not a valid namespace name (`<`, spaces), so it equals none the files write.
pub const NAMESPACE: &str = "<Crossplane's namespace>";

/// The name of the ServiceAccount when the configuration names none: the package
/// revision's, `<package name>-<hash>`, which only the cluster knows.
pub const REVISION_NAME: &str = "<package revision>";

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
}
