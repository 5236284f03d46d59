use crate::model::role::PolicyKind;
use crate::rules::prelude::*;

declare_rule! {
    PolicyMissingElement,
    code: "G010",
    name: "policy-missing-element",
    family: Policy,
    severity: Error,
    summary: "a statement lacks a required element: `Action`/`NotAction`, a trust statement's `Principal`, an identity statement's `Resource`",
}

impl Rule for PolicyMissingElement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in &world.policies {
            for stmt in &doc.policy.statements {
                let anchor = stmt
                    .effect
                    .as_ref()
                    .map(|(e, _)| e.key.span)
                    .unwrap_or(stmt.node.span);
                let mut missing = Vec::new();
                if stmt.action.is_none() && stmt.not_action.is_none() {
                    missing.push((
                        "`Action` (or `NotAction`)",
                        "so it grants or denies nothing",
                    ));
                }
                match doc.kind {
                    PolicyKind::Trust
                        if stmt.principal.is_none() && stmt.not_principal.is_none() =>
                    {
                        missing.push(("`Principal`", "so nobody is trusted by it"))
                    }
                    PolicyKind::Identity | PolicyKind::Boundary
                        if stmt.resource.is_none() && stmt.not_resource.is_none() =>
                    {
                        missing.push((
                            "`Resource` (or `NotResource`)",
                            "which an identity policy requires",
                        ))
                    }
                    _ => {}
                }
                for (what, why) in missing {
                    push_about(out, doc,
                        META.diagnostic(
                            anchor,
                            format!("statement {} of the {} has no {what}, {why}: IAM rejects the policy", stmt.index + 1, doc.source.label),
                        )
                        .label(format!("statement without {what}"))
                        .help(format!("add {what} to the statement"))
                        .path(format!("Statement[{}]", stmt.index)),
                    );
                }
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
