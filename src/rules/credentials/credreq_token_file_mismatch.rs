use super::tokens_at;
use crate::model::iam::arn::is_placeholder;
use crate::model::openshift::{self, DEFAULT_TOKEN_PATH};
use crate::rules::prelude::*;

declare_rule! {
    CredreqTokenFileMismatch,
    code: "C004",
    name: "credreq-token-file-mismatch",
    family: Credentials,
    severity: Error,
    summary: "a credentials Secret's `web_identity_token_file` is not where the CredentialsRequest's token is mounted (`cloudTokenPath`, by default /var/run/secrets/openshift/serviceaccount/token)",
}

impl Rule for CredreqTokenFileMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for cfg in &world.aws_configs {
            let Some(secret) = &cfg.secret else { continue };
            let Some(cr) = openshift::for_secret(
                &world.credentials_requests,
                &secret.namespace,
                secret.name_str(),
            ) else {
                continue;
            };
            if !cr.is_aws() {
                continue;
            }
            let Some(profile) = cfg.default_profile() else {
                continue;
            };
            let expected = cr.token_path();
            if expected.contains("${") || expected.contains("{{") {
                continue;
            }
            let origin = match cr.cloud_token_path {
                Some(_) => "its `cloudTokenPath`".to_string(),
                None => "OpenShift's default; it sets no `cloudTokenPath`".to_string(),
            };
            let path = format!(
                "{}/{}.{}",
                secret.namespace,
                secret.name_str(),
                cfg.key.and_then(|k| k.as_str()).unwrap_or("credentials")
            );
            let Some(entry) = profile.get("web_identity_token_file") else {
                // A web-identity profile without its token: only when nothing else supplies
                // credentials.
                let other = [
                    "source_profile",
                    "credential_source",
                    "credential_process",
                    "aws_access_key_id",
                ];
                if profile.get("role_arn").is_none()
                    || other.iter().any(|k| profile.get(k).is_some())
                {
                    continue;
                }
                let mut d = META
                    .diagnostic(
                        profile.span,
                        format!(
                            "profile `[{}]` has a `role_arn` but no `web_identity_token_file`: the SDKs cannot assume the role with the token of CredentialsRequest `{}`",
                            profile.name,
                            cr.display()
                        ),
                    )
                    .label("no web_identity_token_file")
                    .help(format!("add `web_identity_token_file = {expected}` to the profile"));
                d = match cr.cloud_token_path {
                    Some(n) => d.related(
                        n.span,
                        "where the CredentialsRequest says the token is mounted",
                    ),
                    None => d.related(
                        cr.secret_ref_anchor(),
                        format!(
                            "CredentialsRequest {} that this Secret serves",
                            cr.display()
                        ),
                    ),
                };
                out.push(d.path(path));
                continue;
            };
            let value = entry.value.as_str();
            if value == expected || value.contains("${") || is_placeholder(value) {
                continue;
            }
            // The pods of the request's service accounts, if in the inputs, have the last word.
            if !value.is_empty() && !tokens_at(world, cr, value).is_empty() {
                continue;
            }
            let shown = if value.is_empty() {
                "empty".to_string()
            } else {
                format!("`{value}`")
            };
            let mut d = META
                .diagnostic(
                    if value.is_empty() { entry.key_span } else { entry.value_span },
                    format!(
                        "`web_identity_token_file` is {shown}, but the token of CredentialsRequest `{}` is mounted at `{expected}` ({origin})",
                        cr.display()
                    ),
                )
                .label("token file the SDK reads")
                .help(format!(
                    "set `web_identity_token_file = {expected}`{}",
                    if cr.cloud_token_path.is_some() && expected != DEFAULT_TOKEN_PATH {
                        " (ccoctl always writes OpenShift's default path for AWS: edit the generated Secret, or mount the token at the default path and drop `cloudTokenPath`)"
                    } else {
                        ""
                    }
                ));
            d = match cr.cloud_token_path {
                Some(n) => d.related(
                    n.span,
                    "where the CredentialsRequest says the token is mounted",
                ),
                None => d.related(
                    cr.secret_ref_anchor(),
                    format!(
                        "CredentialsRequest {} that this Secret serves",
                        cr.display()
                    ),
                ),
            };
            out.push(d.path(path));
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
