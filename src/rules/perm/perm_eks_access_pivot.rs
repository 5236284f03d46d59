use super::{
    allow_statements, boundary_allows_some, boundary_noted, explicit_grants, keep_allowed,
    statement_resources,
};
use crate::rules::prelude::*;

declare_rule! {
    PermEksAccessPivot,
    code: "P010",
    name: "perm-eks-access-pivot",
    family: Perm,
    severity: Error,
    summary: "an identity policy allows EKS access-entry changes (`eks:CreateAccessEntry`, `eks:AssociateAccessPolicy`): a pod can make itself cluster admin",
}

pub(crate) const PIVOTS: &[&str] = &[
    "eks:AssociateAccessPolicy",
    "eks:CreateAccessEntry",
    "eks:UpdateAccessEntry",
    "eks:UpdateClusterConfig",
];

impl Rule for PermEksAccessPivot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            let boundary = world.boundary_of(doc);
            let resources = statement_resources(stmt);
            for (v, hit) in explicit_grants(stmt, PIVOTS) {
                // The actions the role's permissions boundary allows too, on some resource.
                let (hit, verdict) = keep_allowed(hit, |a| {
                    boundary_allows_some(world, boundary, a, &resources)
                });
                if hit.is_empty() {
                    continue;
                }
                push_about(out, doc, boundary_noted(boundary, verdict,
                    META.diagnostic(
                        v.span,
                        format!(
                            "`{}` in {} lets the workload change who may access the cluster{}",
                            v.value,
                            doc.source.label,
                            super::covered(&v.value, &hit)
                        ),
                    )
                    .label("control-plane pivot")
                    .help("remove the action from workload roles; manage access entries from a deployment pipeline role")
                    .path(format!("Statement[{}].Action", stmt.index))),
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
