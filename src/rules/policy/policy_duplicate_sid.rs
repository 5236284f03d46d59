use crate::rules::prelude::*;

declare_rule! {
    PolicyDuplicateSid,
    code: "G003",
    name: "policy-duplicate-sid",
    family: Policy,
    severity: Warning,
    summary: "two statements of one policy share a `Sid`, or a `Sid` has characters IAM rejects (only ASCII letters and digits)",
}

impl Rule for PolicyDuplicateSid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in &world.policies {
            let mut seen: Vec<(String, Span)> = Vec::new();
            for stmt in &doc.policy.statements {
                let Some(e) = stmt.sid else { continue };
                let Some(sid) = e.value.scalar_text() else {
                    continue;
                };
                // Empty Sids are common (Terraform's `Sid = ""`) and accepted.
                if sid.is_empty() || sid.contains("${") || sid.contains("{{") {
                    continue;
                }
                if let Some((_, first)) = seen.iter().find(|(s, _)| *s == sid) {
                    push_about(
                        out,
                        doc,
                        META.diagnostic(
                            e.value.span,
                            format!(
                                "`Sid` `{sid}` is used by an earlier statement of the same policy"
                            ),
                        )
                        .label("duplicate `Sid`")
                        .related(*first, "first statement with this `Sid`")
                        .help("give every statement a unique `Sid`")
                        .path(format!("Statement[{}].Sid", stmt.index)),
                    );
                } else {
                    seen.push((sid.to_string(), e.value.span));
                }
                // The character set is IAM's, for identity and role policies; a resource
                // policy of another service follows that service (KMS's default key policy
                // has `"Sid": "Enable IAM User Permissions"`: rainwnssystem/study
                // aws/cloudfront/cloudfront_kms_policy.json@93927bb).
                let iam = doc.kind != crate::model::role::PolicyKind::Resource;
                if let Some(c) = sid
                    .chars()
                    .find(|c| !c.is_ascii_alphanumeric())
                    .filter(|_| iam)
                {
                    push_about(out, doc,
                        META.diagnostic(e.value.span, format!("`Sid` `{sid}` contains {c:?}: IAM accepts only ASCII letters and digits in role and identity policies"))
                            .label("invalid `Sid` character")
                            .help("use only `A-Z`, `a-z` and `0-9` in the `Sid`")
                            .path(format!("Statement[{}].Sid", stmt.index)),
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
