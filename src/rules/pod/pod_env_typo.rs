use crate::rules::prelude::*;

declare_rule! {
    PodEnvTypo,
    code: "K002",
    name: "pod-env-typo",
    family: Pod,
    severity: Warning,
    summary: "a container sets a misspelt AWS SDK environment variable",
}

/// Variables the AWS SDKs and CLI read (the IRSA-relevant ones first).
const KNOWN: &[&str] = &[
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_SESSION_NAME",
    "AWS_STS_REGIONAL_ENDPOINTS",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_SDK_LOAD_CONFIG",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_V1_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "AWS_METADATA_SERVICE_TIMEOUT",
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
    "AWS_ENDPOINT_URL",
    "AWS_CA_BUNDLE",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_DEFAULT_OUTPUT",
    "AWS_PAGER",
    "AWS_DEFAULTS_MODE",
    "AWS_ACCOUNT_ID",
    "AWS_NODEJS_CONNECTION_REUSE_ENABLED",
];

/// Names people write for the IRSA pair.
const MISSPELLINGS: &[(&str, &str)] = &[
    ("AWS_ARN_ROLE", "AWS_ROLE_ARN"),
    ("AWS_IAM_ROLE_ARN", "AWS_ROLE_ARN"),
    ("AWS_ROLE", "AWS_ROLE_ARN"),
    ("AWS_WEB_IDENTITY_TOKEN_PATH", "AWS_WEB_IDENTITY_TOKEN_FILE"),
    ("AWS_WEB_IDENTITY_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE"),
    ("AWS_WEB_IDENTITY_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE"),
    ("AWS_WEBIDENTITY_TOKEN_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE"),
    ("AWS_TOKEN_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE"),
    ("AWS_STS_REGIONAL_ENDPOINT", "AWS_STS_REGIONAL_ENDPOINTS"),
];

/// The variable `name` was meant to be, when it is a likely misspelling of one.
fn intended(name: &str) -> Option<&'static str> {
    if KNOWN.contains(&name) {
        return None;
    }
    let norm = name.trim().to_ascii_uppercase().replace('-', "_");
    if let Some(k) = KNOWN.iter().find(|k| **k == norm) {
        return Some(k);
    }
    if let Some((_, k)) = MISSPELLINGS.iter().find(|(m, _)| *m == norm) {
        return Some(k);
    }
    if !norm.starts_with("AWS") {
        return None;
    }
    // The IRSA variables, one or two letters off.
    KNOWN[..4]
        .iter()
        .find(|k| strsim::levenshtein(&norm, k) <= 2)
        .copied()
}

impl Rule for PodEnvTypo {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for pod in &world.pods {
            for c in &pod.containers {
                for env in &c.env {
                    let Some(k) = intended(env.name) else {
                        continue;
                    };
                    // `AWS_ROLE` next to a real `AWS_ROLE_ARN` is an app's own variable.
                    if c.env_var(k).is_some() && env.name.trim() != k {
                        continue;
                    }
                    let shown = format!("{:?}", env.name);
                    let text = &world.inputs.sources.get(env.name_node.span.file).text;
                    let fix = crate::edit::replace_scalar(
                        env.name_node,
                        text,
                        k,
                        format!("rename it to `{k}`"),
                    );
                    let mut d = META.diagnostic(
                            env.name_node.span,
                            format!(
                                "environment variable {shown} of container `{}` in {} is not read by the AWS SDKs (did you mean `{k}`?)",
                                c.name_str(),
                                pod.display()
                            ),
                        )
                        .label(format!("did you mean `{k}`?"))
                        .help(format!("rename it to `{k}`; the SDKs match variable names exactly"))
                        .path(format!("{}.containers.{}.env", super::pod_path(pod), c.name_str()));
                    if let Some(fix) = fix {
                        d = d.fix(fix);
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
    fn typos() {
        assert_eq!(super::intended("AWS_ARN_ROLE"), Some("AWS_ROLE_ARN"));
        assert_eq!(super::intended("AWS_ROLE_ARN "), Some("AWS_ROLE_ARN"));
        assert_eq!(super::intended("aws_role_arn"), Some("AWS_ROLE_ARN"));
        assert_eq!(super::intended("AWS_ROLE_ARM"), Some("AWS_ROLE_ARN"));
        assert_eq!(super::intended("AWS_S3_BUCKET"), None);
        assert_eq!(super::intended("AWS_REGION"), None);
        assert_eq!(super::intended("ROLE_ARN"), None);
    }
}
