use super::sub_pattern::{sub_values, PREFIX};
use crate::rules::prelude::*;

declare_rule! {
    TrustMalformedSub,
    code: "T016",
    name: "trust-malformed-sub",
    family: Trust,
    severity: Error,
    summary: "a `sub` value is not `system:serviceaccount:<namespace>:<name>` with valid Kubernetes names, so no token ever matches it",
}

/// Characters of namespace and service-account names (DNS-1123), plus IAM wildcards.
fn name_problem(part: &str, what: &str) -> Option<String> {
    if part.is_empty() {
        return Some(format!("the {what} is empty"));
    }
    if let Some(c) = part.chars().find(|c| {
        !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '*' | '?'))
    }) {
        return Some(format!(
            "the {what} `{part}` contains {c:?}, which Kubernetes names never do"
        ));
    }
    None
}

fn problem(v: &str, eks: bool) -> Option<String> {
    let Some(rest) = v.strip_prefix(PREFIX) else {
        if v.to_ascii_lowercase().starts_with(PREFIX) {
            return Some("the `system:serviceaccount:` prefix has the wrong letter case".into());
        }
        if v.contains("serviceaccount") || v.starts_with("system:") {
            return Some("it does not start with `system:serviceaccount:`".into());
        }
        // Other issuers (CI systems, IdPs) have their own subjects; an EKS issuer only
        // mints service-account tokens.
        return eks.then(|| {
            "an EKS issuer's tokens carry `system:serviceaccount:<namespace>:<name>`".into()
        });
    };
    if rest == "*" {
        return None;
    }
    let parts: Vec<&str> = rest.split(':').collect();
    if parts.len() != 2 {
        let wildcard_spans = parts.len() < 2 && rest.contains('*');
        return (!wildcard_spans).then(|| {
            format!(
                "it has {} colon-separated parts after the prefix, expected `<namespace>:<name>`",
                parts.len()
            )
        });
    }
    name_problem(parts[0], "namespace").or_else(|| name_problem(parts[1], "service account name"))
}

impl Rule for TrustMalformedSub {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for s in sub_values(world) {
            let eks = s.issuer.starts_with("oidc.eks.");
            let Some(why) = problem(&s.value.value, eks) else {
                continue;
            };
            out.push(
                META.diagnostic(
                    s.value.span,
                    format!("`sub` value `{}` never matches a service-account token: {why}", s.value.value),
                )
                .label("malformed service-account subject")
                .related(s.provider.span, "the OIDC provider this statement trusts")
                .help("write `system:serviceaccount:<namespace>:<name>` with the lower-case names of the namespace and the service account")
                .path(format!("Statement[{}].Condition.{}.{}", s.stmt.index, s.block.raw, s.key.name.value)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// Only the plain `StringEquals`/`StringLike` values are read as subjects: under a
    /// `ForAnyValue:` qualifier or another operator, trust-for-any-value-misuse and the
    /// operator rules speak, not this one.
    #[test]
    fn qualified_and_other_operators_are_not_read() {
        let count = |operator: &str| {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
  "Principal": {{"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC"}},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {{"{operator}": {{"oidc.example.com/id/ABC:sub": "system:serviceaccount:Team:app"}}}}}}]}}"#
            );
            crate::testing::lint_text("trust.json", &text, &super::META)
                .diagnostics
                .len()
        };
        // An upper-case namespace never matches: reported under the plain operators.
        assert_eq!(count("StringEquals"), 1);
        assert_eq!(count("StringLike"), 1);
        assert_eq!(count("ForAnyValue:StringEquals"), 0);
        assert_eq!(count("ForAllValues:StringLike"), 0);
        assert_eq!(count("StringNotEquals"), 0);
    }
}
