use super::{conditioned_issuer, provider_claim};
use crate::rules::prelude::*;

declare_rule! {
    TrustNegatedOnlyClaim,
    code: "T012",
    name: "trust-negated-only-claim",
    family: Trust,
    severity: Error,
    summary: "the only constraint on `sub` or `aud` is a negated operator (`StringNotEquals`, `StringNotLike`), which lets every other value in and is true when the key is absent",
}

impl Rule for TrustNegatedOnlyClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let Some((issuer, provider)) = conditioned_issuer(stmt) else {
                    continue;
                };
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                for claim in ["sub", "aud"] {
                    let keys: Vec<_> = conds
                        .keys()
                        .filter(|(_, k)| {
                            provider_claim(&k.name.value).is_some_and(|(_, c)| c == claim)
                        })
                        .collect();
                    let negated = |b: &crate::model::iam::policy::ConditionBlock| {
                        b.operator.as_ref().is_ok_and(|o| o.base.is_negated())
                    };
                    if keys.is_empty() || !keys.iter().all(|(b, _)| negated(b)) {
                        continue;
                    }
                    let (block, key) = keys[0];
                    push_about(out, doc,
                        META.diagnostic(
                            block.entry.key.span,
                            format!(
                                "`{claim}` is only constrained by `{}`: every other {what} of issuer `{}` is let in",
                                block.raw,
                                super::shown_issuer(world, stmt, &issuer),
                                what = if claim == "sub" { "service account" } else { "audience" }
                            ),
                        )
                        .label(format!("negated operator, the only `{claim}` condition"))
                        .related(key.entry.key.span, "the key it excludes values of")
                        .related(provider.span, "the OIDC provider this statement trusts")
                        .help(format!("allow-list the expected values with `StringEquals` on `{}` (keep the exclusion only in addition to it)", key.name.value))
                        .path(format!("Statement[{}].Condition.{}", stmt.index, block.raw)),
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
