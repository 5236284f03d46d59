use super::{allow_statements, boundary_allows, boundary_noted, explicit_grants, resource_star};
use crate::model::iam::eval::{Resources, Tri};
use crate::rules::prelude::*;

declare_rule! {
    PermAssumeroleStar,
    code: "P011",
    name: "perm-assumerole-star",
    family: Perm,
    severity: Warning,
    summary: "an identity policy allows `sts:AssumeRole` on `Resource: \"*\"`: the workload can chain into every role that trusts its account",
}

impl Rule for PermAssumeroleStar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            let Some(star) = resource_star(stmt) else {
                continue;
            };
            let boundary = world.boundary_of(doc);
            let verdict = boundary_allows(world, boundary, "sts:AssumeRole", Resources::Every("*"));
            if verdict == Tri::False {
                continue;
            }
            for (v, _) in explicit_grants(stmt, &["sts:AssumeRole"]) {
                push_about(out, doc, boundary_noted(boundary, verdict,
                    META.diagnostic(
                        star.span,
                        format!(
                            "`sts:AssumeRole` on `*` in {} lets the workload assume every role whose trust policy allows its account",
                            doc.source.label
                        ),
                    )
                    .label("every role")
                    .related(v.span, "grants sts:AssumeRole")
                    .help("list the role ARNs the workload assumes in `Resource`")
                    .path(format!("Statement[{}].Resource", stmt.index))),
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
