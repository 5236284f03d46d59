use std::collections::BTreeMap;

use crate::model::iam::arn;
use crate::model::k8s::ServiceAccount;
use crate::rules::prelude::*;
use crate::source::node::Entry;

declare_rule! {
    SaRoleSharedAcrossNamespaces,
    code: "S010",
    name: "sa-role-shared-across-namespaces",
    family: Sa,
    severity: Info,
    summary: "the same role-arn is annotated on ServiceAccounts of several namespaces: one role serves several applications or environments",
}

impl Rule for SaRoleSharedAcrossNamespaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // Sorted by ARN so the findings come out in a stable order.
        let mut by_role: BTreeMap<&str, Vec<(&ServiceAccount<'_>, &Entry)>> = BTreeMap::new();
        for (sa, e) in super::annotated(world, "role-arn") {
            // A ServiceAccount without a namespace gets one at apply time (`-n`, kustomize):
            // kustomize bases would otherwise all land in `default`.
            if sa.obj.namespace_node.is_none() && sa.namespace() == "default" {
                continue;
            }
            let Some(v) = e.value.as_str().map(str::trim) else {
                continue;
            };
            if arn::is_placeholder(v) || arn::role_arn_problem(v).is_some() {
                continue;
            }
            by_role.entry(v).or_default().push((sa, e));
        }
        for (role, users) in by_role {
            let mut namespaces: Vec<&str> = users.iter().map(|(sa, _)| sa.namespace()).collect();
            namespaces.sort_unstable();
            namespaces.dedup();
            if namespaces.len() < 2 {
                continue;
            }
            for (sa, e) in &users {
                let others: Vec<String> = namespaces
                    .iter()
                    .filter(|ns| **ns != sa.namespace())
                    .map(|ns| format!("`{ns}`"))
                    .collect();
                let mut d = META
                    .diagnostic(
                        e.value.span,
                        format!(
                            "role `{role}` of `{}` is also annotated on ServiceAccounts of namespace{} {}: the workloads of all these namespaces share one set of AWS permissions",
                            sa.subject(),
                            if others.len() == 1 { "" } else { "s" },
                            others.join(", ")
                        ),
                    )
                    .label("role shared across namespaces");
                for (other, oe) in &users {
                    if other.namespace() != sa.namespace() {
                        d = d.related(
                            oe.value.span,
                            format!("also annotated on `{}/{}`", other.namespace(), other.name()),
                        );
                    }
                }
                out.push(
                    d.help("give each application and environment its own role, trusted by its own ServiceAccount only; if the sharing is intended, suppress this finding with the reason")
                        .path(super::annotations_path(sa)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
