use super::allow_statements;
use crate::model::iam::catalog::{catalog, summarize};
use crate::rules::prelude::*;

declare_rule! {
    PermNotactionAllow,
    code: "P004",
    name: "perm-notaction-allow",
    family: Perm,
    severity: Warning,
    summary: "an `Allow` statement uses `NotAction`: it grants every other action, including those of services added later",
}

impl Rule for PermNotactionAllow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            let Some(not) = &stmt.not_action else {
                continue;
            };
            let granted: Vec<_> = catalog()
                .expand("*")
                .into_iter()
                .filter(|a| {
                    let name = a.full_name();
                    !not.values
                        .iter()
                        .any(|v| crate::model::iam::policy::wildcard_match(v, &name, true).maybe())
                })
                .collect();
            push_about(out, doc,
                META.diagnostic(
                    not.entry.key.span,
                    format!(
                        "`Allow` with `NotAction` in {} grants every action not listed",
                        doc.source.label
                    ),
                )
                .label(format!("allows {} known actions", granted.len()))
                .help(format!(
                    "use `Action` with the actions the workload needs (keep `NotAction` for `Deny` guardrails); this statement grants {}",
                    summarize(&granted)
                ))
                .path(format!("Statement[{}].NotAction", stmt.index)),
            );
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
