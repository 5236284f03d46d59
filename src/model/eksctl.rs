//! eksctl `ClusterConfig` (`apiVersion: eksctl.io/v1alpha5`): the IAM roles, policies and
//! ServiceAccounts eksctl creates from `iam.serviceAccounts[]` and `addons[]`, modelled from
//! eksctl's source (eksctl-io/eksctl@v0.230.0):
//!
//! - the trust: `pkg/cfn/builder/iam.go` `makeAssumeRolePolicyDocument` and
//!   `pkg/iam/oidc/api.go`: `sts:AssumeRoleWithWebIdentity` for the cluster's OIDC provider,
//!   `StringEquals` on `<issuer>:sub` = `system:serviceaccount:<ns>:<name>` and `<issuer>:aud`
//!   = `sts.amazonaws.com` (with `subjectPattern`: `StringLike` on `sub` with that pattern);
//!   without a service account location (every add-on but vpc-cni,
//!   `pkg/actions/addon/create.go` `getKnownServiceAccountLocation`) only the `aud` condition;
//! - permissions: `attachPolicyARNs` (managed), `attachPolicy` (an inline document, read as
//!   written), `wellKnownPolicies` (`pkg/cfn/builder/iam_helper.go`
//!   `createWellKnownPolicies`, `statement.go`; kept in `data/eksctl-well-known-policies.json`);
//!   for add-ons only the first of `attachPolicyARNs`, `wellKnownPolicies`, `attachPolicy`
//!   counts (`createRoleResourceSet`);
//! - service accounts: `iam.serviceAccounts[]` without `roleOnly: true` become ServiceAccounts
//!   annotated with their role (namespace `default` when not given, `defaults.go`);
//!   `attachRoleARN` annotates with that role and creates none; an add-on whose
//!   ServiceAccount is known (`derived::eks_addons::service_account`) and that gets a
//!   role (`serviceAccountRoleARN`, or one eksctl creates) has that ServiceAccount
//!   annotated with it, as EKS does; `iam.podIdentityAssociations[]` with
//!   `createServiceAccount: true` become ServiceAccounts without annotations;
//! - Pod Identity roles: an association (`iam.podIdentityAssociations[]`,
//!   `addons[].podIdentityAssociations[]`) without `roleARN` has eksctl create a role trusting
//!   `pods.eks.amazonaws.com` (`sts:AssumeRole`, `sts:TagSession`) with all of its
//!   `permissionPolicyARNs`, `wellKnownPolicies` and `permissionPolicy`
//!   (`NewIAMRoleResourceSetForPodIdentity`); the association is not linked to it (its ARN is
//!   unknown until eksctl runs);
//! - Karpenter: `karpenter:` with a `version` (`validateKarpenterConfig`; not with
//!   `iam.withOIDC: false`) has eksctl create an IRSA role for `karpenter/karpenter` as for an
//!   `iam.serviceAccounts[]` entry with `roleName: eksctl-<cluster>-iamservice-role` and
//!   `attachPolicyARNs: [eksctl-KarpenterControllerPolicy-<cluster>]`
//!   (`pkg/actions/karpenter/create.go`): the same trust, that policy's statements
//!   (`pkg/cfn/builder/karpenter.go`: one on `*`, and the interruption queue's SQS actions
//!   with `withSpotInterruptionQueue`), producer-owned like `wellKnownPolicies`, and the
//!   ServiceAccount annotated with the role: eksctl's, or with `createServiceAccount: true` the
//!   chart's, given the same annotation (`pkg/karpenter/karpenter.go`). All at the `karpenter`
//!   key.
//!
//! The OIDC issuer is the cluster's and not in the file: the trust names it
//! `oidc.eks.<region>.amazonaws.com/id/${EKSCTL_CLUSTER_OIDC_ID}`, consistently in the
//! provider ARN (unresolved) and in the condition keys, so a token's subject can still be
//! judged. Generated policies are derived nodes ([`crate::load::InputFile::derived`]) whose
//! spans point at what the user wrote: the service account's `metadata.name`, the add-on's
//! `name`, the `wellKnownPolicies` flag.

use crate::derived::eksctl::{
    addon_permissions, addon_role_reference, is_cluster_config, karpenter, karpenter_role_name,
    karpenter_role_reference, partition, pod_identity_creates_role, pod_identity_items,
    role_reference, well_known_managed, KARPENTER,
};
use crate::load::InputFile;
use crate::model::k8s::Object;
use crate::model::role::{
    boundary_of, Boundary, Extracted, PolicyKind, PolicySource, Role, RoleSource,
};
use crate::model::value::{text, Substitutions, Text};
use crate::source::file::Span;
use crate::source::node::Node;

/// The roles and policies of one ClusterConfig object, from the derived nodes of `file`;
/// the ServiceAccounts eksctl creates go to `service_accounts`, and each created role's
/// reference text (what its ServiceAccount's annotation says) to `out.references`.
pub fn extract<'a>(
    file: &'a InputFile,
    obj: &Object<'a>,
    out: &mut Extracted<'a>,
    service_accounts: &mut Vec<&'a Node>,
) {
    if !is_cluster_config(obj.node) {
        return;
    }
    let root = obj.node;
    let cluster = obj.name_str();
    let subs = Substitutions::default();
    let texts = |n: Option<&'a Node>| -> Vec<Text> {
        n.map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| text(n, &subs))
            .collect()
    };
    for item in root
        .path(&["iam", "serviceAccounts"])
        .map(Node::items)
        .unwrap_or(&[])
    {
        if let Some(sa) = file.derived.get(&item.span.end) {
            service_accounts.push(sa);
        }
        let Some(trust) = file.derived.get(&item.span.start) else {
            continue;
        };
        let name = item
            .path(&["metadata", "name"])
            .and_then(Node::as_str)
            .unwrap_or("");
        let ns = item
            .path(&["metadata", "namespace"])
            .and_then(Node::as_str)
            .unwrap_or("default");
        let label = format!(
            "role eksctl creates for service account {ns}/{name} (ClusterConfig {cluster})"
        );
        let mut managed = texts(item.get("attachPolicyARNs"));
        managed.extend(well_known_managed_texts(item, partition(root)));
        let role_name = item
            .get("roleName")
            .and_then(|n| text(n, &subs))
            .unwrap_or_else(|| {
                generated_name(cluster, &format!("iamserviceaccount-{ns}-{name}"), item)
            });
        let anchor = item
            .path(&["metadata", "name"])
            .map_or(item.span, |n| n.span);
        let idx = push_created_role(file, trust, role_name, anchor, managed, &label, out);
        out.roles[idx].boundary = boundary(item.get("permissionsBoundary"));
        out.references.push((role_reference(root, item), idx));
        push_well_known(file, item, idx, &label, out);
        push_inline(file, item, idx, &label, out);
    }
    for item in root
        .path(&["iam", "podIdentityAssociations"])
        .map(Node::items)
        .unwrap_or(&[])
    {
        if let Some(sa) = file.derived.get(&item.span.end) {
            service_accounts.push(sa);
        }
    }
    if let Some((key, block)) = karpenter(root) {
        if let Some(sa) = file.derived.get(&block.span.end) {
            service_accounts.push(sa);
        }
        if let Some(trust) = file.derived.get(&block.span.start) {
            let label = format!(
                "role eksctl creates for Karpenter's service account {KARPENTER}/{KARPENTER} (ClusterConfig {cluster})"
            );
            let name = Text {
                value: karpenter_role_name(root).into(),
                span: key.span,
                unresolved: false,
            };
            let idx = push_created_role(file, trust, name, key.span, Vec::new(), &label, out);
            out.references.push((karpenter_role_reference(root), idx));
            let policy = format!("eksctl-KarpenterControllerPolicy-{cluster}");
            out.producer_owned.push((
                key.span,
                format!(
                    "eksctl's Karpenter controller policy `{policy}` (modelled from eksctl-io/eksctl@v0.230.0)"
                ),
            ));
            if let Some(doc) = file.derived.get(&key.span.start) {
                out.policies.push(PolicySource {
                    file: file.id,
                    node: doc,
                    kind: Some(PolicyKind::Identity),
                    role: Some(idx),
                    label: format!("eksctl's managed policy {policy} of the {label}"),
                    subs: Substitutions::default(),
                    instance: None,
                });
            }
        }
    }
    for item in pod_identity_items(root) {
        let Some(trust) = file
            .derived
            .get(&item.span.start)
            .filter(|_| pod_identity_creates_role(item))
        else {
            continue;
        };
        let ns = item.get("namespace").and_then(Node::as_str).unwrap_or("");
        let sa = item
            .get("serviceAccountName")
            .and_then(Node::as_str)
            .unwrap_or("");
        let label = format!(
            "role eksctl creates for Pod Identity association {ns}/{sa} (ClusterConfig {cluster})"
        );
        let mut managed = texts(item.get("permissionPolicyARNs"));
        managed.extend(well_known_managed_texts(item, partition(root)));
        let role_name = item
            .get("roleName")
            .and_then(|n| text(n, &subs))
            .unwrap_or_else(|| {
                // The stack `eksctl-<cluster>-podidentityrole-<ns>-<sa>` names it.
                Text {
                    value: format!(
                        "eksctl-{cluster}-podidentityrole-{ns}-{sa}-Role1-${{RandomSuffix}}"
                    )
                    .into(),
                    span: item.span,
                    unresolved: true,
                }
            });
        let anchor = item.get("serviceAccountName").map_or(item.span, |n| n.span);
        let idx = push_created_role(file, trust, role_name, anchor, managed, &label, out);
        out.roles[idx].boundary = boundary(item.get("permissionsBoundaryARN"));
        push_well_known(file, item, idx, &label, out);
        push_inline_document(file, item, "permissionPolicy", idx, &label, out);
    }
    for addon in root.get("addons").map(Node::items).unwrap_or(&[]) {
        if let Some(sa) = file.derived.get(&addon.span.end) {
            service_accounts.push(sa);
        }
        let Some(trust) = file.derived.get(&addon.span.start) else {
            continue;
        };
        let name = addon.get("name").and_then(Node::as_str).unwrap_or("");
        let label = format!("role eksctl creates for add-on {name} (ClusterConfig {cluster})");
        let role_name = generated_name(cluster, name, addon);
        let managed = match addon_permissions(addon) {
            Some("attachPolicyARNs") => texts(addon.get("attachPolicyARNs")),
            Some("wellKnownPolicies") => well_known_managed_texts(addon, partition(root)),
            _ => Vec::new(),
        };
        let anchor = addon.get("name").map_or(addon.span, |n| n.span);
        let idx = push_created_role(file, trust, role_name, anchor, managed, &label, out);
        out.roles[idx].boundary = boundary(addon.get("permissionsBoundary"));
        out.references
            .push((addon_role_reference(root, addon), idx));
        match addon_permissions(addon) {
            Some("wellKnownPolicies") => push_well_known(file, addon, idx, &label, out),
            Some("attachPolicy") => push_inline(file, addon, idx, &label, out),
            _ => {}
        }
    }
}

/// The permissions boundary eksctl gives a role it creates: the ARN written in the
/// ServiceAccount's or add-on's `permissionsBoundary`, a Pod Identity association's
/// `permissionsBoundaryARN` (eksctl's `api.ClusterIAMServiceAccount`, `api.Addon`,
/// `api.PodIdentityAssociation`; none by default). Its document is never in a ClusterConfig.
fn boundary<'a>(n: Option<&Node>) -> Option<Boundary<'a>> {
    boundary_of(n, &Substitutions::default(), None)
}

/// A role eksctl creates (for a ServiceAccount, a Pod Identity association or an add-on)
/// with the trust it generates for it; its index in `out.roles`.
fn push_created_role<'a>(
    file: &'a InputFile,
    trust: &'a Node,
    name: Text,
    anchor: Span,
    managed_policy_arns: Vec<Text>,
    label: &str,
    out: &mut Extracted<'a>,
) -> usize {
    let idx = out.roles.len();
    out.roles.push(Role {
        file: file.id,
        source: RoleSource::Eksctl,
        arn: None,
        name: Some(name),
        path: None,
        anchor,
        logical_id: None,
        managed_policy_arns,
        boundary: None,
    });
    out.policies.push(PolicySource {
        file: file.id,
        node: trust,
        kind: Some(PolicyKind::Trust),
        role: Some(idx),
        label: format!("trust policy of the {label}"),
        subs: Substitutions::default(),
        instance: None,
    });
    idx
}

fn push_inline<'a>(
    file: &'a InputFile,
    item: &'a Node,
    idx: usize,
    label: &str,
    out: &mut Extracted<'a>,
) {
    push_inline_document(file, item, "attachPolicy", idx, label, out);
}

/// The inline policy document `item` gives under `key` (`attachPolicy`, or a Pod Identity
/// association's `permissionPolicy`), read as written.
fn push_inline_document<'a>(
    file: &'a InputFile,
    item: &'a Node,
    key: &str,
    idx: usize,
    label: &str,
    out: &mut Extracted<'a>,
) {
    if let Some(doc) = item.get(key).filter(|d| d.as_map().is_some()) {
        out.policies.push(PolicySource {
            file: file.id,
            node: doc,
            kind: Some(PolicyKind::Identity),
            role: Some(idx),
            label: format!("{key} of the {label}"),
            subs: Substitutions::default(),
            instance: None,
        });
    }
}

fn push_well_known<'a>(
    file: &'a InputFile,
    item: &'a Node,
    idx: usize,
    label: &str,
    out: &mut Extracted<'a>,
) {
    for e in item
        .get("wellKnownPolicies")
        .map(Node::entries)
        .unwrap_or(&[])
    {
        if e.value.as_bool() != Some(true) {
            continue;
        }
        out.producer_owned.push((
            e.key.span,
            format!(
                "eksctl's `wellKnownPolicies.{}` (modelled from eksctl-io/eksctl@v0.230.0)",
                e.key.as_str().unwrap_or("")
            ),
        ));
        if let Some(doc) = file.derived.get(&e.key.span.start) {
            out.policies.push(PolicySource {
                file: file.id,
                node: doc,
                kind: Some(PolicyKind::Identity),
                role: Some(idx),
                label: format!(
                    "eksctl's wellKnownPolicies.{} of the {label}",
                    e.key.as_str().unwrap_or("")
                ),
                subs: Substitutions::default(),
                instance: None,
            });
        }
    }
}

/// The name CloudFormation gives a role eksctl creates without `roleName`:
/// `eksctl-<cluster>-addon-<what>-Role1-<random suffix>`, the suffix unknown.
fn generated_name(cluster: &str, what: &str, at: &Node) -> Text {
    Text {
        value: format!("eksctl-{cluster}-addon-{what}-Role1-${{RandomSuffix}}").into(),
        span: at.span,
        unresolved: true,
    }
}

/// The managed policies of the `wellKnownPolicies` flags set on `item`, pointing at the flag.
fn well_known_managed_texts(item: &Node, partition: Option<&str>) -> Vec<Text> {
    let mut out = Vec::new();
    for e in item
        .get("wellKnownPolicies")
        .map(Node::entries)
        .unwrap_or(&[])
    {
        if e.value.as_bool() != Some(true) {
            continue;
        }
        for arn in well_known_managed(e.key.as_str().unwrap_or(""), partition) {
            out.push(Text {
                unresolved: arn.contains("${"),
                value: arn.into(),
                span: e.key.span,
            });
        }
    }
    out
}
