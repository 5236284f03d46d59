use super::tokens_at;
use crate::model::iam::arn::is_placeholder;
use crate::model::k8s::Object;
use crate::model::openshift::{self, CredentialsRequest, DEFAULT_TOKEN_PATH};
use crate::model::webhook::DEFAULT_TOKEN_MOUNT_PATH;
use crate::rules::pod::{at_path, AtPath};
use crate::rules::prelude::*;
use crate::source::ini::{IniEntry, IniSection};
use crate::source::node::Node;

declare_rule! {
    CredreqTokenFileMismatch,
    code: "C004",
    name: "credreq-token-file-mismatch",
    family: Credentials,
    severity: Error,
    summary: "a credentials Secret's `web_identity_token_file` is not where the token is mounted: the CredentialsRequest's `cloudTokenPath` (by default /var/run/secrets/openshift/serviceaccount/token), or no token in the pods that mount the Secret",
}

/// Profile keys that supply credentials without a web-identity token.
const OTHER_SOURCES: &[&str] = &[
    "source_profile",
    "credential_source",
    "credential_process",
    "aws_access_key_id",
];

impl Rule for CredreqTokenFileMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for cfg in &world.aws_configs {
            let Some(secret) = &cfg.secret else { continue };
            let Some(profile) = cfg.default_profile() else {
                continue;
            };
            let path = format!(
                "{}/{}.{}",
                secret.namespace,
                secret.name_str(),
                cfg.key.and_then(|k| k.as_str()).unwrap_or("credentials")
            );
            let cr = openshift::for_secret(
                &world.credentials_requests,
                &secret.namespace,
                secret.name_str(),
            )
            .filter(|cr| cr.is_aws());
            let entry = profile.get("web_identity_token_file");
            if let Some(cr) = cr {
                if let Some(d) = against_request(world, cr, profile, entry) {
                    out.push(d.path(path));
                    continue;
                }
            }
            if let Some(entry) = entry {
                if let Some(d) = against_pods(world, secret, entry) {
                    out.push(d.path(path));
                }
            }
        }
    }
}

/// Where the request says the token is, as a related location.
fn request_related(d: Diagnostic, cr: &CredentialsRequest<'_>) -> Diagnostic {
    match cr.cloud_token_path {
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
    }
}

/// The Secret's token file against the request's `cloudTokenPath` or the default.
fn against_request(
    world: &World<'_>,
    cr: &CredentialsRequest<'_>,
    profile: &IniSection,
    entry: Option<&IniEntry>,
) -> Option<Diagnostic> {
    let expected = cr.token_path();
    if expected.contains("${") || expected.contains("{{") {
        return None;
    }
    let Some(entry) = entry else {
        // A web-identity profile without its token: only when nothing else supplies
        // credentials.
        if profile.get("role_arn").is_none()
            || OTHER_SOURCES.iter().any(|k| profile.get(k).is_some())
        {
            return None;
        }
        let d = META
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
        return Some(request_related(d, cr));
    };
    let value = entry.value.as_str();
    if value == expected || value.contains("${") || is_placeholder(value) {
        return None;
    }
    // The pods of the request's service accounts, if in the inputs, have the last word.
    if !value.is_empty() && !tokens_at(world, cr, value).is_empty() {
        return None;
    }
    let shown = if value.is_empty() {
        "empty".to_string()
    } else {
        format!("`{value}`")
    };
    let origin = match cr.cloud_token_path {
        Some(_) => "its `cloudTokenPath`",
        None => "OpenShift's default; it sets no `cloudTokenPath`",
    };
    let d = META
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
    Some(request_related(d, cr))
}

/// The Secret's token file against the pods that mount the Secret: a container that mounts
/// it but has no projected service-account token at that path.
fn against_pods(world: &World<'_>, secret: &Object<'_>, entry: &IniEntry) -> Option<Diagnostic> {
    let value = entry.value.as_str();
    // The pod-identity webhook adds its own token mount there for IRSA service accounts.
    let webhook_file = format!("{DEFAULT_TOKEN_MOUNT_PATH}/token");
    if !value.starts_with('/') || value == webhook_file || is_placeholder(value) {
        return None;
    }
    for pod in &world.pods {
        if pod.owner.namespace != secret.namespace {
            continue;
        }
        for vol in &pod.volumes {
            let Some(secret_name) = vol.node.path(&["secret", "secretName"]) else {
                continue;
            };
            if secret_name.as_str() != Some(secret.name_str()) {
                continue;
            }
            let vname = vol.name.and_then(Node::as_str);
            for c in &pod.containers {
                let mounts_secret = c
                    .volume_mounts
                    .iter()
                    .any(|m| m.get("name").and_then(Node::as_str) == vname);
                if !mounts_secret {
                    continue;
                }
                let what = match at_path(pod, c, value) {
                    AtPath::NotMounted => "nothing is mounted there",
                    AtPath::NoSuchToken(_) => {
                        "the projected volume mounted above it has no token at that path"
                    }
                    AtPath::Token(_) | AtPath::Unknown => continue,
                };
                return Some(
                    META.diagnostic(
                        entry.value_span,
                        format!(
                            "`web_identity_token_file` is `{value}`, but in container `{}` of {}, which mounts this Secret, {what}",
                            c.name_str(),
                            pod.display()
                        ),
                    )
                    .label("token file the SDK reads")
                    .related(secret_name.span, format!("{} mounts the credentials Secret", pod.display()))
                    .help("project the service-account token in that pod where the Secret says (OpenShift's operators use a `bound-sa-token` volume: `serviceAccountToken` with audience `openshift`, path `token`, mounted at /var/run/secrets/openshift/serviceaccount), or point `web_identity_token_file` at the token the pod mounts"),
                );
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
