use super::provider_claim;
use crate::model::iam::operator::Qualifier;
use crate::rules::prelude::*;

declare_rule! {
    TrustForAnyValueMisuse,
    code: "T011",
    name: "trust-for-any-value-misuse",
    family: Trust,
    severity: Warning,
    summary: "`ForAllValues:` or `ForAnyValue:` on the single-valued `sub` or `aud` claim (`ForAllValues:` is true when the key is absent)",
}

impl Rule for TrustForAnyValueMisuse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                for (block, key) in conds.keys() {
                    let Ok(op) = &block.operator else { continue };
                    let Some(q) = op.qualifier else { continue };
                    let Some((_, claim)) = provider_claim(&key.name.value) else {
                        continue;
                    };
                    if claim != "sub" && claim != "aud" {
                        continue;
                    }
                    let plain = crate::model::iam::operator::Operator {
                        qualifier: None,
                        ..*op
                    };
                    let (why, severity) = match q {
                        Qualifier::ForAllValues => (
                            "it is true when the key is absent, so a token without the claim (or of another issuer) passes",
                            Severity::Error,
                        ),
                        Qualifier::ForAnyValue => (
                            "it is meant for multi-valued keys; use the plain operator",
                            Severity::Warning,
                        ),
                    };
                    out.push(
                        META.diagnostic(
                            block.entry.key.span,
                            format!(
                                "`{}` on the single-valued claim `{}`: {why}",
                                block.raw, key.name.value
                            ),
                        )
                        .label(format!("set qualifier on `{claim}`"))
                        .related(key.entry.key.span, "single-valued claim")
                        .help(format!("use `{plain}` for `{}`", key.name.value))
                        .severity(severity)
                        .path(format!(
                            "Statement[{}].Condition.{}.{}",
                            stmt.index, block.raw, key.name.value
                        )),
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
