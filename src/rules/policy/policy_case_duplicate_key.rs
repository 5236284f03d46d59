use crate::rules::prelude::*;

declare_rule! {
    PolicyCaseDuplicateKey,
    code: "G006",
    name: "policy-case-duplicate-key",
    family: Policy,
    severity: Error,
    summary: "one condition block names the same condition key twice in different letter case; key names are case-insensitive, so the two entries name one key and IAM Access Analyzer reports the policy",
}

impl Rule for PolicyCaseDuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in &world.policies {
            for stmt in &doc.policy.statements {
                for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
                    for (i, key) in block.keys.iter().enumerate() {
                        // Exact duplicates are the duplicate-key rule's.
                        let first = block.keys[..i].iter().find(|k| {
                            k.name.value != key.name.value
                                && k.name.value.eq_ignore_ascii_case(&key.name.value)
                        });
                        let Some(first) = first else { continue };
                        push_about(out, doc,
                            META.diagnostic(
                                key.entry.key.span,
                                format!(
                                    "condition key `{}` repeats `{}` in another letter case under `{}`: key names are case-insensitive",
                                    key.name.value, first.name.value, block.raw
                                ),
                            )
                            .label("same key, other case")
                            .related(first.entry.key.span, "first spelling of the key")
                            .help("merge the values into one key (a list of values is ORed)")
                            .path(format!("Statement[{}].Condition.{}.{}", stmt.index, block.raw, key.name.value)),
                        );
                    }
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
