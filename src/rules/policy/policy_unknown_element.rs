use crate::rules::prelude::*;

declare_rule! {
    PolicyUnknownElement,
    code: "G005",
    name: "policy-unknown-element",
    family: Policy,
    severity: Error,
    summary: "a policy or statement element IAM does not know (`Principals`, `Actions`, `Conditions`, `effect`)",
}

const TOP: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// The element probably meant: same letters in another case, or a plural.
fn suggestion(key: &str, known: &[&str]) -> Option<&'static str> {
    let k = key.to_ascii_lowercase();
    let singular = k.strip_suffix('s').unwrap_or(&k).to_string();
    known
        .iter()
        .find(|n| {
            let n = n.to_ascii_lowercase();
            n == k || n == singular || format!("{n}s") == k
        })
        .map(|n| -> &'static str {
            match *n {
                "Version" => "Version",
                "Id" => "Id",
                "Statement" => "Statement",
                "Sid" => "Sid",
                "Effect" => "Effect",
                "Principal" => "Principal",
                "NotPrincipal" => "NotPrincipal",
                "Action" => "Action",
                "NotAction" => "NotAction",
                "Resource" => "Resource",
                "NotResource" => "NotResource",
                _ => "Condition",
            }
        })
}

impl Rule for PolicyUnknownElement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in &world.policies {
            let mut check = |entries: &[crate::source::node::Entry],
                             known: &[&str],
                             what: &str,
                             path: String| {
                for e in entries {
                    let Some(k) = e.key.as_str() else { continue };
                    if known.contains(&k) || k.contains("${") || k.contains("{{") {
                        continue;
                    }
                    let mut d = META
                        .diagnostic(
                            e.key.span,
                            format!(
                                "`{k}` is not a {what} element IAM knows: IAM rejects the policy"
                            ),
                        )
                        .label("unknown element");
                    d = match suggestion(k, known) {
                        Some(s) => d.help(format!(
                            "did you mean `{s}`? element names are case-sensitive and singular"
                        )),
                        None => d.help(format!(
                            "remove it; {what} elements are {}",
                            known.join(", ")
                        )),
                    };
                    push_about(out, doc, d.path(format!("{path}{k}")));
                }
            };
            check(doc.policy.node.entries(), TOP, "policy", String::new());
            for stmt in &doc.policy.statements {
                check(
                    stmt.node.entries(),
                    STATEMENT,
                    "statement",
                    format!("Statement[{}].", stmt.index),
                );
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
