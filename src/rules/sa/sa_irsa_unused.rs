use crate::model::iam::arn;
use std::collections::{HashMap, HashSet};

use crate::model::k8s::{Object, PodTemplate};
use crate::rules::prelude::*;
use crate::rules::rule_selector::did_you_mean;
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
        // Indexes built once, on first need: a monorepo has thousands of ServiceAccounts,
        // pods and objects, and per-SA scans of all of them would be quadratic.
        let mut index: Option<(Workloads, Users)> = None;
        for (sa, e) in super::annotated(world, "role-arn") {
            let Some(role) = e.value.as_str().map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            if arn::is_placeholder(role) {
                continue;
            }
            if !explicit_namespace(&sa.obj) {
                continue;
            }
            // Created by a Helm chart or an EKS add-on (Terraform): its workloads are theirs.
            if sa
                .obj
                .metadata
                .is_some_and(|m| m.get(crate::terraform::resources::CREATED_BY).is_some())
            {
                continue;
            }
            // On `default`, sa-role-on-default-sa gives the one answer.
            if sa.name() == "default" {
                continue;
            }
            let (by_dir, users) = index.get_or_insert_with(|| (workloads(world), users(world)));
            let ns = sa.namespace();
            let dir = parent(world.path_of(sa.obj.anchor()));
            let Some(workloads) = by_dir.get(&(ns, dir)) else {
                continue;
            };
            if users.uses(ns, sa.name()) {
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
            out.push(
                d.help(help)
                    .path(super::annotations_path(sa))
                    .placed(world.placement_of(&sa.obj)),
            );
        }
    }
}

/// The directory of a displayed path: the same application's manifests sit together.
/// Workloads with an explicit namespace, by (namespace, directory of their file).
type Workloads<'w, 'a> = HashMap<(&'w str, &'w str), Vec<&'w PodTemplate<'a>>>;

fn workloads<'w, 'a>(world: &'w World<'a>) -> Workloads<'w, 'a> {
    let mut by_dir: Workloads<'w, 'a> = HashMap::new();
    for p in world.pods.iter().filter(|p| explicit_namespace(&p.owner)) {
        let dir = parent(world.path_of(p.owner.anchor()));
        by_dir
            .entry((p.owner.namespace.as_str(), dir))
            .or_default()
            .push(p);
    }
    by_dir
}

/// The ServiceAccounts something in the inputs runs as or refers to: `(namespace, name)`,
/// and names used from objects without a namespace (they may live in any namespace).
#[derive(Default)]
struct Users<'w> {
    exact: HashSet<(&'w str, &'w str)>,
    any_namespace: HashSet<&'w str>,
}

impl<'w> Users<'w> {
    fn uses(&self, ns: &str, name: &str) -> bool {
        self.exact.contains(&(ns, name)) || self.any_namespace.contains(name)
    }

    fn add(&mut self, ns: Option<&'w str>, name: &'w str) {
        match ns {
            Some(ns) => {
                self.exact.insert((ns, name));
            }
            None => {
                self.any_namespace.insert(name);
            }
        }
    }
}

fn users<'w>(world: &'w World<'_>) -> Users<'w> {
    let mut users = Users::default();
    for p in &world.pods {
        let ns = explicit_namespace(&p.owner).then_some(p.owner.namespace.as_str());
        users.add(ns, p.service_account_name());
    }
    for obj in &world.objects {
        // Bindings name ServiceAccounts to grant them rights, not to run as them; workloads
        // were counted above from their pod templates.
        if matches!(
            obj.kind,
            "ServiceAccount" | "RoleBinding" | "ClusterRoleBinding"
        ) || crate::model::k8s::pod_spec_path(obj.kind).is_some()
        {
            continue;
        }
        let ns = explicit_namespace(obj).then_some(obj.namespace.as_str());
        collect(obj.node, ns, &mut users, 0);
    }
    users
}

/// References under keys that name a service account (`serviceAccountName`,
/// `serviceAccountRef`, `service_account`): a name, or a `{name, namespace}` mapping.
fn collect<'w>(node: &'w Node, ns: Option<&'w str>, users: &mut Users<'w>, depth: usize) {
    if depth > 32 {
        return;
    }
    if let Some(entries) = node.as_map() {
        for e in entries {
            let names_sa = e
                .key
                .as_str()
                .is_some_and(crate::load::names_service_account);
            if names_sa {
                reference(&e.value, ns, users);
            }
            collect(&e.value, ns, users, depth + 1);
        }
    } else if let Some(items) = node.as_seq() {
        for i in items {
            collect(i, ns, users, depth + 1);
        }
    }
}

fn reference<'w>(v: &'w Node, ns: Option<&'w str>, users: &mut Users<'w>) {
    if let Some(s) = v.as_str() {
        users.add(ns, s);
        return;
    }
    let field = |key: &str| {
        v.get(key)
            .or_else(|| v.get("metadata").and_then(|m| m.get(key)))
            .and_then(Node::as_str)
    };
    if let Some(name) = field("name") {
        users.add(field("namespace").or(ns), name);
    }
}

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
#[cfg(test)]
mod tests {
    #[test]
    fn service_account_keys() {
        for k in [
            "serviceAccountName",
            "service_account",
            "ServiceAccountRef",
            "k8s-service-account",
        ] {
            assert!(crate::load::names_service_account(k), "{k}");
        }
        for k in ["serviceName", "account", "service", "accountService"] {
            assert!(!crate::load::names_service_account(k), "{k}");
        }
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
