use super::allow_statements;
use crate::rules::prelude::*;

declare_rule! {
    PermNotresourceAllow,
    code: "P012",
    name: "perm-notresource-allow",
    family: Perm,
    severity: Warning,
    summary: "an `Allow` statement uses `NotResource`: it grants its actions on every resource not listed, including ones created later",
}

impl Rule for PermNotresourceAllow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            let Some(not) = &stmt.not_resource else {
                continue;
            };
            push_about(out, doc,
                META.diagnostic(
                    not.entry.key.span,
                    format!(
                        "`Allow` with `NotResource` in {} grants its actions on every resource not listed",
                        doc.source.label
                    ),
                )
                .label("every other resource")
                .help("list the resources the workload uses in `Resource`; keep `NotResource` for `Deny` statements")
                .path(format!("Statement[{}].NotResource", stmt.index)),
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
