use crate::model::iam::policy::split_issuer_key;
use crate::rules::prelude::*;

declare_rule! {
    TrustKeyHasScheme,
    code: "T007",
    name: "trust-key-has-scheme",
    family: Trust,
    severity: Error,
    summary: "a condition key is written with `https://` or a trailing slash; IAM keys use the issuer's host and path only",
}

impl Rule for TrustKeyHasScheme {
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
                    let Some((issuer, claim)) = split_issuer_key(&key.name.value) else {
                        continue;
                    };
                    let lower = issuer.to_ascii_lowercase();
                    let scheme = ["https://", "http://"]
                        .into_iter()
                        .find(|s| lower.starts_with(s));
                    let trailing = issuer.ends_with('/');
                    if scheme.is_none() && !trailing {
                        continue;
                    }
                    let bare = issuer[scheme.map_or(0, str::len)..].trim_end_matches('/');
                    let what = match (scheme, trailing) {
                        (Some(s), true) => format!("the scheme `{s}` and a trailing slash"),
                        (Some(s), false) => format!("the scheme `{s}`"),
                        _ => "a trailing slash".to_string(),
                    };
                    out.push(
                        META.diagnostic(
                            key.entry.key.span,
                            format!(
                                "condition key `{}` has {what}: no request carries this key, IAM names it `{bare}:{claim}`",
                                key.name.value
                            ),
                        )
                        .label("not the key IAM sets")
                        .help(format!("write the key as `{bare}:{claim}`"))
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
