use super::{action_values, allow_statements, boundary_allows, boundary_noted, resource_star};
use crate::model::iam::eval::{Resources, Tri};
use crate::rules::prelude::*;

declare_rule! {
    PermAdminStar,
    code: "P001",
    name: "perm-admin-star",
    family: Perm,
    severity: Error,
    summary: "an identity policy allows every action (`\"*\"`) on every resource: full administrator access",
}

impl Rule for PermAdminStar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            let Some(star) = resource_star(stmt) else {
                continue;
            };
            for v in action_values(stmt) {
                if v.value != "*" && v.value != "*:*" {
                    continue;
                }
                // A permissions boundary that does not allow everything caps it.
                let boundary = world.boundary_of(doc);
                let verdict = boundary_allows(world, boundary, "*", Resources::Every("*"));
                if verdict == Tri::False {
                    continue;
                }
                push_about(out, doc, boundary_noted(boundary, verdict,
                    META.diagnostic(
                        v.span,
                        format!(
                            "`{}` on `Resource: \"*\"` in {} grants full administrator access",
                            v.value, doc.source.label
                        ),
                    )
                    .label("every action of every AWS service")
                    .related(star.span, "on every resource")
                    .help("list the actions the workload calls (`s3:GetObject`, ...) and scope `Resource` to its ARNs")
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
