use crate::model::iam::policy::Effect;
use crate::rules::prelude::*;

declare_rule! {
    PolicyInvalidEffect,
    code: "G001",
    name: "policy-invalid-effect",
    family: Policy,
    severity: Error,
    summary: "a statement's `Effect` is not exactly `Allow` or `Deny` (IAM is case-sensitive here), or is missing",
}

impl Rule for PolicyInvalidEffect {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in &world.policies {
            for stmt in &doc.policy.statements {
                match &stmt.effect {
                    Some((entry, Effect::Invalid(raw))) => {
                        if raw.contains("${") || raw.contains("{{") {
                            continue;
                        }
                        let lower = raw.trim().to_ascii_lowercase();
                        let fix = match lower.as_str() {
                            "allow" | "allowed" | "alow" | "permit" => Some("Allow"),
                            "deny" | "denied" | "dney" => Some("Deny"),
                            _ => None,
                        };
                        let mut d = META
                            .diagnostic(
                                entry.value.span,
                                format!("`Effect` is `{raw}`: IAM accepts only `Allow` or `Deny` and rejects the policy"),
                            )
                            .label("not `Allow` or `Deny`");
                        d = match fix {
                            Some(f) => {
                                let text = &world.inputs.sources.get(entry.value.span.file).text();
                                if let Some(fix) = crate::edit::replace_scalar(
                                    &entry.value,
                                    text,
                                    f,
                                    format!("write `{f}`"),
                                ) {
                                    d = d.fix(fix);
                                }
                                d.help(format!(
                                    "write `\"Effect\": \"{f}\"` (the value is case-sensitive)"
                                ))
                            }
                            None => {
                                d.help("write `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`")
                            }
                        };
                        push_about(
                            out,
                            doc,
                            d.path(format!("Statement[{}].Effect", stmt.index)),
                        );
                    }
                    None => {
                        let anchor = stmt
                            .principal
                            .as_ref()
                            .map(|p| p.entry.key.span)
                            .or_else(|| stmt.action.as_ref().map(|a| a.entry.key.span))
                            .unwrap_or(stmt.node.span);
                        push_about(
                            out,
                            doc,
                            META.diagnostic(
                                anchor,
                                "the statement has no `Effect`: IAM rejects the policy",
                            )
                            .label("statement without `Effect`")
                            .help("add `\"Effect\": \"Allow\"` (or `\"Deny\"`)")
                            .path(format!("Statement[{}]", stmt.index)),
                        );
                    }
                    _ => {}
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
