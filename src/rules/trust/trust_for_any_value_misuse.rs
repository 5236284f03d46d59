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
                    // Safe to drop the qualifier only when the block holds nothing but `sub`/`aud`
                    // (no other key changes meaning) and no sibling block already uses the plain
                    // name (renaming would make a duplicate key, and one block would be lost).
                    let only_claims = block.keys.iter().all(|k| {
                        provider_claim(&k.name.value).is_some_and(|(_, c)| c == "sub" || c == "aud")
                    });
                    let plain_name = plain.to_string();
                    // A sibling that is, or would become, the plain operator: either way the
                    // two blocks would end up under one key and one would be lost.
                    let clash = conds.blocks.iter().any(|b| {
                        b.entry.key.span != block.entry.key.span
                            && (b.raw == plain_name
                                || b.operator.as_ref().is_ok_and(|o| {
                                    let bare = crate::model::iam::operator::Operator {
                                        qualifier: None,
                                        ..*o
                                    };
                                    bare.to_string() == plain_name
                                }))
                    });
                    let fix = (only_claims && !clash)
                        .then(|| {
                            let text = &world.inputs.sources.get(block.entry.key.span.file).text();
                            crate::edit::replace_scalar(
                                &block.entry.key,
                                text,
                                &plain_name,
                                format!("use `{plain_name}`"),
                            )
                        })
                        .flatten();
                    let mut d = META
                        .diagnostic(
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
                        ));
                    if let Some(fix) = fix {
                        d = d.fix(fix);
                    }
                    push_about(out, doc, d);
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
