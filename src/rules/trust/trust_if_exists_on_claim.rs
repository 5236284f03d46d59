use super::{provider_claim, trusted_issuers};
use crate::rules::prelude::*;

declare_rule! {
    TrustIfExistsOnClaim,
    code: "T013",
    name: "trust-if-exists-on-claim",
    family: Trust,
    severity: Warning,
    summary: "`...IfExists` on `sub` or `aud` in an Allow web-identity statement passes when the key is missing",
}

impl Rule for TrustIfExistsOnClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                if trusted_issuers(stmt).is_empty() {
                    continue;
                }
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                for (block, key) in conds.keys() {
                    let Ok(op) = &block.operator else { continue };
                    if !op.if_exists {
                        continue;
                    }
                    let Some((_, claim)) = provider_claim(&key.name.value) else {
                        continue;
                    };
                    if claim != "sub" && claim != "aud" {
                        continue;
                    }
                    let plain = crate::model::iam::operator::Operator {
                        if_exists: false,
                        ..*op
                    };
                    push_about(out, doc,
                        META.diagnostic(
                            block.entry.key.span,
                            format!(
                                "`{}` on `{}`: the condition passes when the key is missing (a token of another issuer, a mistyped key)",
                                block.raw, key.name.value
                            ),
                        )
                        .label("true when the key is absent")
                        .related(key.entry.key.span, "claim the token always carries")
                        .help(format!("use `{plain}`: `{claim}` is always present in the provider's tokens"))
                        .path(format!("Statement[{}].Condition.{}.{}", stmt.index, block.raw, key.name.value)),
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
