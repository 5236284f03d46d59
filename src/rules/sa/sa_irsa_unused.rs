use crate::model::iam::arn;
use crate::model::k8s::{Object, ServiceAccount};
use crate::rules::prelude::*;
use crate::rules::selector::did_you_mean;
use crate::source::node::Node;

declare_rule! {
    SaIrsaUnused,
    code: "S011",
    name: "sa-irsa-unused",
    family: Sa,
    severity: Info,
    summary: "an annotated ServiceAccount is used by none of the workloads of its namespace in the same directory",
}

impl Rule for SaIrsaUnused {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (sa, e) in super::annotated(world, "role-arn") {
            let Some(role) = e.value.as_str().map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            // Placeholders are samples and templates, not grants yet.
            if arn::is_placeholder(role) {
                continue;
            }
            // An object without `metadata.namespace` (and no Namespace object in its file)
            // gets its namespace when applied: it may be any.
            if !explicit_namespace(&sa.obj) {
                continue;
            }
            let ns = sa.namespace();
            let dir = parent(world.path_of(sa.obj.anchor()));
            let workloads: Vec<_> = world
                .pods
                .iter()
                .filter(|p| {
                    explicit_namespace(&p.owner)
                        && p.owner.namespace == ns
                        && parent(world.path_of(p.owner.anchor())) == dir
                })
                .collect();
            // Without workloads of that namespace next to it (a ServiceAccount linted on its
            // own, a pre-commit run on one file, manifests of unrelated applications that
            // happen to share `default`) there is nothing to compare with.
            if workloads.is_empty() {
                continue;
            }
            let may_use = |o: &Object<'_>| o.namespace == ns || !explicit_namespace(o);
            if world
                .pods
                .iter()
                .any(|p| may_use(&p.owner) && p.service_account_name() == sa.name())
                || world.objects.iter().any(|o| references(o, sa))
            {
                continue;
            }
            let mut used: Vec<&str> = workloads.iter().map(|p| p.service_account_name()).collect();
            used.sort_unstable();
            used.dedup();
            let list = used
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut d = META
                .diagnostic(
                    e.value.span,
                    format!(
                        "`{}` carries role `{role}` but no workload of the inputs runs as it: the workloads of namespace `{ns}` next to it run as {list}",
                        sa.subject()
                    ),
                )
                .label("role granted to no workload");
            for p in workloads.iter().take(3) {
                let span = p.service_account.map_or(p.owner.anchor(), |n| n.span);
                d = d.related(
                    span,
                    format!("{} runs as `{}`", p.display(), p.service_account_name()),
                );
            }
            let help = match did_you_mean(sa.name(), used.iter().copied()) {
                Some(near) => format!("if `serviceAccountName: {near}` is a typo for `{}`, correct it (that workload runs without the role now); otherwise remove the ServiceAccount or its role-arn, and the role's trust for `{}`", sa.name(), sa.subject()),
                None => format!("remove the ServiceAccount (or its role-arn) if nothing uses it any more, and the role's trust for `{}`; if a workload outside these files uses it, ignore this finding", sa.subject()),
            };
            out.push(d.help(help).path(super::annotations_path(sa)));
        }
    }
}

/// The directory of a displayed path: the same application's manifests sit together.
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn explicit_namespace(obj: &Object<'_>) -> bool {
    obj.namespace_node.is_some() || obj.namespace != "default"
}

/// Whether `obj` (a custom resource such as an Argo Workflow, a SparkApplication, an
/// external-secrets SecretStore, a Crossplane runtime config) names `sa` under a key that
/// mentions a service account: `serviceAccountName: x`, `serviceAccount: x`,
/// `serviceAccountRef: {name: x, namespace: y}`, `serviceAccountTemplate: {metadata: {name: x}}`,
/// a token Secret's `kubernetes.io/service-account.name: x` annotation.
fn references(obj: &Object<'_>, sa: &ServiceAccount<'_>) -> bool {
    if matches!(
        obj.kind,
        "ServiceAccount" | "RoleBinding" | "ClusterRoleBinding"
    ) {
        return false;
    }
    // An object without a namespace may be applied to the ServiceAccount's.
    let ns = if explicit_namespace(obj) {
        obj.namespace.as_str()
    } else {
        sa.namespace()
    };
    walk(obj.node, ns, sa, 0)
}

fn walk(node: &Node, ns: &str, sa: &ServiceAccount<'_>, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    match node.as_map() {
        Some(entries) => entries.iter().any(|e| {
            let names_sa = e.key.as_str().is_some_and(|k| {
                k.to_ascii_lowercase()
                    .replace(['-', '_'], "")
                    .contains("serviceaccount")
            });
            (names_sa && names(&e.value, ns, sa)) || walk(&e.value, ns, sa, depth + 1)
        }),
        None => node
            .as_seq()
            .is_some_and(|items| items.iter().any(|i| walk(i, ns, sa, depth + 1))),
    }
}

/// The value under a service-account key names `sa`.
fn names(v: &Node, ns: &str, sa: &ServiceAccount<'_>) -> bool {
    if let Some(s) = v.as_str() {
        return s == sa.name() && ns == sa.namespace();
    }
    let name = v
        .get("name")
        .or_else(|| v.get("metadata").and_then(|m| m.get("name")))
        .and_then(Node::as_str);
    let ref_ns = v
        .get("namespace")
        .or_else(|| v.get("metadata").and_then(|m| m.get("namespace")))
        .and_then(Node::as_str)
        .unwrap_or(ns);
    name == Some(sa.name()) && ref_ns == sa.namespace()
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
