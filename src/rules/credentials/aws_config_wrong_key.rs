use crate::rules::prelude::*;
use crate::rules::rule_selector::did_you_mean;

declare_rule! {
    AwsConfigWrongKey,
    code: "C001",
    name: "aws-config-wrong-key",
    family: Credentials,
    severity: Warning,
    summary: "an AWS shared config or credentials file has a key the AWS SDKs do not know",
}

/// Profile settings the AWS SDKs and CLI read.
const KNOWN: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_account_id",
    "aws_security_token",
    "region",
    "output",
    "role_arn",
    "role_session_name",
    "source_profile",
    "credential_source",
    "credential_process",
    "external_id",
    "mfa_serial",
    "duration_seconds",
    "web_identity_token_file",
    "sso_session",
    "sso_account_id",
    "sso_role_name",
    "sso_region",
    "sso_start_url",
    "sso_registration_scopes",
    "ca_bundle",
    "cli_pager",
    "cli_timestamp_format",
    "cli_auto_prompt",
    "cli_binary_format",
    "cli_history",
    "cli_follow_urlparam",
    "max_attempts",
    "retry_mode",
    "parameter_validation",
    "tcp_keepalive",
    "use_dualstack_endpoint",
    "use_fips_endpoint",
    "endpoint_url",
    "ignore_configured_endpoint_urls",
    "endpoint_discovery_enabled",
    "services",
    "sts_regional_endpoints",
    "s3",
    "metadata_service_timeout",
    "metadata_service_num_attempts",
    "ec2_metadata_service_endpoint",
    "ec2_metadata_service_endpoint_mode",
    "ec2_metadata_v1_disabled",
    "defaults_mode",
    "account_id_endpoint_mode",
    "request_checksum_calculation",
    "response_checksum_validation",
    "sigv4a_signing_region_set",
    "disable_request_compression",
    "request_min_compression_size_bytes",
    "auth_scheme_preference",
    "sdk_ua_app_id",
    "login_session",
    "api_versions",
    "imds_use_ipv6",
    "s3_use_arn_region",
    "s3_disable_multiregion_access_points",
    "dynamodb",
];

/// Keys people write instead of a real one.
const MISSPELLINGS: &[(&str, &str)] = &[
    ("role_name", "role_arn"),
    ("web_identity_token_path", "web_identity_token_file"),
    ("web_identity_token", "web_identity_token_file"),
    ("token_file", "web_identity_token_file"),
    ("aws_role_arn", "role_arn"),
    ("aws_web_identity_token_file", "web_identity_token_file"),
    ("session_name", "role_session_name"),
    ("aws_region", "region"),
    // Legacy spellings (boto 2, old docs) without the `aws_` prefix: current SDKs ignore them.
    ("access_key_id", "aws_access_key_id"),
    ("secret_access_key", "aws_secret_access_key"),
    ("session_token", "aws_session_token"),
];

fn suggestion(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    if let Some((_, k)) = MISSPELLINGS.iter().find(|(m, _)| *m == lower) {
        return Some(k);
    }
    if let Some(k) = KNOWN.iter().find(|k| **k == lower) {
        return Some(k);
    }
    did_you_mean(key, KNOWN.iter().copied())
}

impl Rule for AwsConfigWrongKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for cfg in &world.aws_configs {
            for section in &cfg.ini.sections {
                // `[services x]` and `[sso-session x]` have keys of their own.
                if section.name.starts_with("services ") || section.name.starts_with("sso-session ")
                {
                    continue;
                }
                for e in &section.entries {
                    if e.key.contains('.') || KNOWN.contains(&e.key.as_str()) {
                        continue;
                    }
                    let Some(best) = suggestion(&e.key) else {
                        continue;
                    };
                    let mut d = META
                        .diagnostic(
                            e.key_span,
                            format!(
                                "`{}` in profile `[{}]` is not a setting the AWS SDKs read (did you mean `{best}`?)",
                                e.key, section.name
                            ),
                        )
                        .label(format!("did you mean `{best}`?"))
                        .help(format!("rename the key to `{best}`; unknown keys are silently ignored, so the profile lacks that setting"));
                    if let Some(secret) = &cfg.secret {
                        d = d.related(
                            secret.anchor(),
                            format!(
                                "{} `{}/{}`",
                                secret.kind,
                                secret.namespace,
                                secret.name_str()
                            ),
                        );
                        d = d.path(format!(
                            "{}/{}.{}",
                            secret.namespace,
                            secret.name_str(),
                            cfg.key.and_then(|k| k.as_str()).unwrap_or("credentials")
                        ));
                    }
                    out.push(d);
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

    #[test]
    fn suggestions() {
        assert_eq!(super::suggestion("role_name"), Some("role_arn"));
        assert_eq!(
            super::suggestion("web_identity_token_path"),
            Some("web_identity_token_file")
        );
        assert_eq!(super::suggestion("role_arm"), Some("role_arn"));
        assert_eq!(
            super::suggestion("secret_access_key"),
            Some("aws_secret_access_key")
        );
        assert_eq!(
            super::suggestion("access_key_id"),
            Some("aws_access_key_id")
        );
        assert_eq!(
            super::suggestion("session_token"),
            Some("aws_session_token")
        );
    }
}
