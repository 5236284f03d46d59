use crate::model::iam::catalog::catalog;
use crate::model::iam::glob::has_wildcard;
use crate::rules::prelude::*;

declare_rule! {
    PermWildcardMatchesNothing,
    code: "P008",
    name: "perm-wildcard-matches-nothing",
    family: Perm,
    severity: Warning,
    summary: "an action wildcard in an identity policy matches no AWS action",
}

impl Rule for PermWildcardMatchesNothing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let cat = catalog();
        for (doc, stmt) in super::identity_statements(world) {
            for (element, v) in super::action_and_not_action(stmt) {
                if v.unresolved || !has_wildcard(&v.value) || !v.value.contains(':') {
                    continue;
                }
                if !cat.expand(&v.value).is_empty() {
                    continue;
                }
                let svc = v.value.split_once(':').map(|(s, _)| s).unwrap_or("");
                let help = if !has_wildcard(svc) && cat.service(svc).is_none() {
                    match cat.suggest(&v.value) {
                        Some(s) => {
                            format!("`{svc}` is not an AWS service prefix; did you mean `{s}`?")
                        }
                        None => format!("`{svc}` is not an AWS service prefix"),
                    }
                } else {
                    "fix the pattern so that it matches the intended actions (names are `service:VerbNoun`, e.g. `ec2:Describe*`)".to_string()
                };
                push_about(
                    out,
                    doc,
                    META.diagnostic(v.span, format!("`{}` matches no AWS action", v.value))
                        .label("matches nothing")
                        .help(help)
                        .path(format!("Statement[{}].{element}", stmt.index)),
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
