use crate::rules::prelude::*;

declare_rule! {
    PolicyVersion,
    code: "G002",
    name: "policy-version",
    family: Policy,
    severity: Warning,
    summary: "a policy's `Version` is missing or not `2012-10-17` (policy variables are then literal text)",
}

impl Rule for PolicyVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in &world.policies {
            let p = &doc.policy;
            if p.node.as_map().is_none() || p.statement_entry.is_none() {
                continue;
            }
            match p.version {
                None => {
                    let anchor = p.statement_entry.map_or(p.node.span, |e| e.key.span);
                    // The 2008 language only differs for this policy if it uses policy
                    // variables: then they are literal text and the policy is wrong.
                    let (msg, sev) = match policy_variable(p.node) {
                        Some(var) => (format!("the policy has no `Version`: IAM reads it as the 2008-10-17 language, where the policy variable `{var}` is literal text"), Severity::Warning),
                        None => ("the policy has no `Version`: IAM reads it as the 2008-10-17 language; it uses no policy variables, so nothing changes today, but a `${aws:username}` added later would be literal text".to_string(), Severity::Info),
                    };
                    let mut d = META
                        .diagnostic(anchor, msg)
                        .label("policy without `Version`")
                        .severity(sev)
                        .help("add `\"Version\": \"2012-10-17\"` at the top of the policy")
                        .path("Version");
                    if let Some(stmt) = p.statement_entry {
                        let text = &world.inputs.sources.get(stmt.key.span.file).text();
                        if let Some(fix) = crate::edit::insert_entry_before(
                            p.node,
                            &stmt.key,
                            text,
                            "Version",
                            "\"2012-10-17\"",
                            "add `Version: 2012-10-17` before `Statement`",
                        ) {
                            d = d.fix(fix);
                        }
                    }
                    push_about(out, doc, d);
                }
                Some(e) => {
                    let Some(v) = e.value.scalar_text() else {
                        continue;
                    };
                    if v == "2012-10-17" || v.contains("${") || v.contains("{{") {
                        continue;
                    }
                    let (msg, sev) = if v == "2008-10-17" {
                        ("`Version` is the old `2008-10-17` language: policy variables are literal text and newer features are missing".to_string(), Severity::Info)
                    } else {
                        (format!("`Version` is `{v}`: IAM accepts only `2012-10-17` (or the old `2008-10-17`) and rejects the policy"), Severity::Error)
                    };
                    let mut d = META
                        .diagnostic(e.value.span, msg)
                        .label("not `2012-10-17`")
                        .severity(sev)
                        .help("use `\"Version\": \"2012-10-17\"` (a date, not today's date)")
                        .path("Version");
                    // IAM rejects any other value, so the current language is the only
                    // meaning it can have had; `2008-10-17` is valid and stays as written.
                    if sev == Severity::Error {
                        let text = &world.inputs.sources.get(e.value.span.file).text();
                        if let Some(fix) = crate::edit::replace_scalar(
                            &e.value,
                            text,
                            "2012-10-17",
                            "write `2012-10-17`",
                        ) {
                            d = d.fix(fix);
                        }
                    }
                    push_about(out, doc, d);
                }
            }
        }
    }
}

/// The first IAM policy variable in the policy's values: `${aws:username}`,
/// `${aws:PrincipalTag/team}`, `${*}`; not CloudFormation's `${AWS::AccountId}` or a
/// template's `${Param}` (no single `service:key` colon).
fn policy_variable(policy: &crate::source::node::Node) -> Option<String> {
    let mut found = None;
    policy.walk(&mut |n| {
        if found.is_some() {
            return;
        }
        let Some(s) = n.as_str() else { return };
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            let after = &rest[i + 2..];
            let Some(end) = after.find('}') else { break };
            let inner = &after[..end];
            let special = matches!(inner, "*" | "?" | "$");
            let var = inner.split_once(':').is_some_and(|(svc, key)| {
                !svc.is_empty()
                    && !key.is_empty()
                    && !key.starts_with(':')
                    && svc.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
            if special || var {
                found = Some(format!("${{{inner}}}"));
                return;
            }
            rest = &after[end..];
        }
    });
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
