use crate::rules::prelude::*;

declare_rule! {
    TrustOperatorTypo,
    code: "T010",
    name: "trust-operator-typo",
    family: Trust,
    severity: Error,
    summary: "a condition operator or qualifier in a trust policy is not one IAM knows (`StringEqual`, `StringEqualsIfExist`, `ForAllValue:`)",
}

impl Rule for TrustOperatorTypo {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
                    let Err(e) = &block.operator else { continue };
                    // A template placeholder, or an operator only apply knows (a module's
                    // `assume_role_condition_test` given a remote value): not a typo.
                    if block.raw.contains("${")
                        || block.raw.contains("{{")
                        || crate::terraform::hcl::is_unknown(&block.entry.key)
                    {
                        continue;
                    }
                    let mut d = META
                        .diagnostic(
                            block.entry.key.span,
                            format!("{}: IAM rejects the policy", e.message),
                        )
                        .label("not an IAM condition operator");
                    d = match &e.suggestion {
                        Some(s) => {
                            let text = &world.inputs.sources.get(block.entry.key.span.file).text();
                            if let Some(fix) = crate::edit::replace_scalar(&block.entry.key, text, s, format!("rename the operator to `{s}`")) {
                                d = d.fix(fix);
                            }
                            d.help(format!("did you mean `{s}`? operator names are case-sensitive"))
                        }
                        None => d.help("use one of IAM's condition operators, such as `StringEquals` or `StringLike`, optionally with `IfExists` or a `ForAllValues:`/`ForAnyValue:` qualifier"),
                    };
                    push_about(
                        out,
                        doc,
                        d.path(format!("Statement[{}].Condition.{}", stmt.index, block.raw)),
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
