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
        // Applications name their own settings in lower case (`aws_region` beside
        // `tableName`; pydantic and Spring read them whatever their case): only an IRSA
        // variable in lower case is taken for a typo. Mixed case (`AWS_Region`) still is.
        let irsa = KNOWN[..4].contains(k);
        let lower = !name.bytes().any(|b| b.is_ascii_uppercase());
        return (irsa || !lower).then_some(*k);
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
        // Keys of ConfigMaps/Secrets taken through `envFrom`: one finding per key, at the key,
        // with every container that takes it.
        let mut from_keys: Vec<FromKey> = Vec::new();
        for pod in &world.pods {
            for c in &pod.containers {
                for env in &c.env {
                    let Some(k) = intended(env.name) else {
                        continue;
                    };
                    // `AWS_ROLE` next to a real `AWS_ROLE_ARN` is an app's own variable.
                    if world.container_env(pod, c, k).is_some() && env.name.trim() != k {
                        continue;
                    }
                    let shown = format!("{:?}", env.name);
                    let text = &world.inputs.sources.get(env.name_node.span.file).text();
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
                        .placed(world.placement_of(&pod.owner)).path(format!("{}.containers.{}.env", super::pod_path(pod), c.name_str()));
                    if let Some(fix) = fix {
                        d = d.fix(fix);
                    }
                    out.push(d);
                }
                for v in world.env_from(pod, c) {
                    // Inline `env` of the same name wins over `envFrom`.
                    if c.env_var(&v.name).is_some() {
                        continue;
                    }
                    let Some(k) = intended(&v.name) else {
                        continue;
                    };
                    if world.container_env(pod, c, k).is_some() && v.name.trim() != k {
                        continue;
                    }
                    let user = (pod.display(), c.name_str().to_string(), v.reference.span);
                    match from_keys
                        .iter_mut()
                        .find(|f| f.var.var.name_node.span == v.var.name_node.span)
                    {
                        Some(f) => f.users.push(user),
                        None => from_keys.push(FromKey {
                            var: v,
                            intended: k,
                            users: vec![user],
                        }),
                    }
                }
            }
        }
        for f in from_keys {
            out.push(from_key_finding(f));
        }
    }
}

/// A key taken as environment through `envFrom`, the variable it was meant to be, and who
/// takes it: (pod display, container name, the `envFrom` entry).
struct FromKey<'a> {
    var: crate::world::EnvFromVar<'a>,
    intended: &'static str,
    users: Vec<(String, String, Span)>,
}

fn from_key_finding(f: FromKey<'_>) -> Diagnostic {
    let k = f.intended;
    let obj = &f.var.object;
    let key = f.var.var.name;
    let (first_pod, first_container, _) = &f.users[0];
    let who = match f.users.len() {
        1 => format!("container `{first_container}` of {first_pod}"),
        n => format!(
            "container `{first_container}` of {first_pod} and {} more",
            n - 1
        ),
    };
    let shown = if f.var.prefix.is_empty() {
        format!("{key:?}")
    } else {
        format!("{key:?} (with the envFrom prefix: {:?})", f.var.name)
    };
    // The key to write: the intended name without the envFrom prefix, when it has it.
    let new_key = k.strip_prefix(f.var.prefix);
    let mut d = META
        .diagnostic(
            f.var.var.name_node.span,
            format!(
                "key {shown} of {}, which {who} takes as environment through envFrom, is not read by the AWS SDKs (did you mean `{k}`?)",
                obj.display()
            ),
        )
        .label(format!("did you mean `{k}`?"))
        .help(match new_key {
            Some(n) if !f.var.prefix.is_empty() => format!("rename the key to `{n}` (the envFrom prefix `{}` makes it `{k}`); the SDKs match variable names exactly", f.var.prefix),
            Some(_) => format!("rename the key to `{k}`; the SDKs match variable names exactly"),
            None => format!("the SDKs match variable names exactly: set `{k}` in the container's `env`, or rename the key and the envFrom prefix so that they make `{k}`"),
        })
        .path(format!(
            "{}/{}.{}",
            obj.namespace,
            obj.name_str(),
            key
        ));
    for (pod, container, span) in &f.users {
        d = d.related(
            *span,
            format!(
                "container `{container}` of {pod} takes {} through envFrom",
                obj.display()
            ),
        );
    }
    // No automatic fix: other consumers may read the key by name (`configMapKeyRef`, a
    // volume's `items`), and renaming it would break them.
    d
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
        assert_eq!(super::intended("AWS_Region"), Some("AWS_REGION"));
        assert_eq!(super::intended("aws_region"), None);
        assert_eq!(
            super::intended("aws_sts_regional_endpoints"),
            Some("AWS_STS_REGIONAL_ENDPOINTS")
        );
        assert_eq!(super::intended("ROLE_ARN"), None);
    }
}
