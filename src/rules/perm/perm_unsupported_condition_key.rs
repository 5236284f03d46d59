use crate::model::iam::catalog::catalog;
use crate::model::iam::eval::never_applies_key;
use crate::rules::prelude::*;

declare_rule! {
    PermUnsupportedConditionKey,
    code: "P014",
    name: "perm-unsupported-condition-key",
    family: Perm,
    severity: Warning,
    summary: "a condition key is in no request the statement is evaluated for (a service key none of its actions supports, a web identity claim STS does not keep in the session), so the condition never applies as intended",
}

/// Cross-service condition keys: global keys with a service's prefix, set in the request
/// context of every service's actions (IAM User Guide, "AWS global condition context keys").
const CROSS_SERVICE: &[&str] = &[
    "ec2:SourceInstanceArn",
    "glue:RoleAssumedBy",
    "glue:CredentialIssuingService",
    "lambda:SourceFunctionArn",
    "ssm:SourceInstanceArn",
    "identitystore:UserId",
];

impl Rule for PermUnsupportedConditionKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let cat = catalog();
        for (doc, stmt) in super::identity_statements(world) {
            let Some(cond) = &stmt.condition else {
                continue;
            };
            if let Some((block, k)) = never_applies_key(Some(cond)) {
                let effect = if stmt.is_allow() {
                    ": nothing it allows is granted"
                } else if stmt.is_deny() {
                    ": it denies nothing"
                } else {
                    ""
                };
                push_about(out, doc,
                    META.diagnostic(
                        k.entry.key.span,
                        format!(
                            "condition key `{}` is in no request an identity policy is evaluated for (STS keeps only the `amr`, `aud`, `sub` and `id` claims of a web identity token in the session), so under `{}` the statement never applies{effect}",
                            k.name.value, block.raw
                        ),
                    )
                    .label("never in the request")
                    .help("test the token's claims in the role's trust policy (`sts:AssumeRoleWithWebIdentity`); an identity policy of the session can test only the provider's `sub`, `aud`, `amr` and `id` keys")
                    .path(format!("Statement[{}].Condition", stmt.index)),
                );
            }
            let Some(expanded) = super::known_actions(stmt) else {
                continue;
            };
            for (_, k) in cond.keys() {
                let key = &k.name.value;
                if k.name.unresolved {
                    continue;
                }
                let Some((prefix, _)) = key.split_once(':') else {
                    continue;
                };
                if prefix.eq_ignore_ascii_case("aws")
                    || cat.service(prefix).is_none()
                    || CROSS_SERVICE.iter().any(|c| c.eq_ignore_ascii_case(key))
                {
                    continue;
                }
                if expanded.iter().any(|a| a.supports_condition_key(key)) {
                    continue;
                }
                let names: Vec<String> = expanded.iter().take(3).map(|a| a.full_name()).collect();
                push_about(out, doc,
                        META.diagnostic(
                            k.entry.key.span,
                            format!(
                                "condition key `{key}` is not supported by any action of the statement ({}{})",
                                names.join(", "),
                                if expanded.len() > 3 { ", ..." } else { "" }
                            ),
                        )
                        .label("unsupported key")
                        .help(format!(
                            "use a key the actions document (see the Service Authorization Reference for `{}`), or move the condition to the statement whose actions support it; with an unsupported key the condition compares a missing value",
                            prefix.to_ascii_lowercase()
                        ))
                        .path(format!("Statement[{}].Condition", stmt.index)),
                    );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Keys of a prefix that is no service (an identity provider's claims) and global
    /// cross-service keys are left alone; a service key no action supports is reported.
    #[test]
    fn unknown_prefixes_and_cross_service_keys_are_left_alone() {
        let lint = |key: &str| {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {{"StringEquals": {{"{key}": "x"}}}}}}]}}"#
            );
            crate::testing::lint_text("policy.json", &text, &super::META)
                .diagnostics
                .len()
        };
        assert_eq!(lint("token.actions.githubusercontent.com:sub"), 0);
        assert_eq!(lint("ec2:SourceInstanceARN"), 0);
        assert_eq!(lint("aws:PrincipalTag/team"), 0);
        assert_eq!(lint("ec2:ResourceTag/team"), 1);
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
