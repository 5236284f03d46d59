use super::{file_bindings, tokens_at, FileBinding, OTHER_SOURCES};
use crate::model::iam::arn::is_placeholder;
use crate::model::openshift::{CredentialsRequest, DEFAULT_TOKEN_PATH};
use crate::model::webhook::DEFAULT_TOKEN_MOUNT_PATH;
use crate::rules::pod::{at_path, AtPath};
use crate::rules::prelude::*;
use crate::source::ini::{IniEntry, IniSection};
use crate::world::CredentialsVia;

declare_rule! {
    CredreqTokenFileMismatch,
    code: "C004",
    name: "credreq-token-file-mismatch",
    family: Credentials,
    severity: Error,
    summary: "a credentials file's `web_identity_token_file` is not where the token is mounted: the CredentialsRequest's `cloudTokenPath` (by default /var/run/secrets/openshift/serviceaccount/token), or no token in the containers that read the file",
}

impl Rule for CredreqTokenFileMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let bindings = file_bindings(world);
        for (i, cfg) in world.aws_configs.iter().enumerate() {
            let Some(secret) = &cfg.secret else { continue };
            let path = format!(
                "{}/{}.{}",
                secret.namespace,
                secret.name_str(),
                cfg.key.and_then(|k| k.as_str()).unwrap_or("credentials")
            );
            let cr = world.credentials_request_of(i).filter(|cr| cr.is_aws());
            if let (Some(cr), Some(profile)) = (cr, cfg.default_profile()) {
                let entry = profile.get("web_identity_token_file");
                if let Some(d) = against_request(world, cr, profile, entry) {
                    out.push(d.path(path));
                    continue;
                }
            }
            let mine: Vec<&FileBinding> = bindings.iter().filter(|b| b.file.config == i).collect();
            if let Some(d) = against_pods(&mine) {
                out.push(d.path(path));
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

/// The file's token path against the containers that read it: a container that reads it but
/// has no projected service-account token at that path.
fn against_pods(bindings: &[&FileBinding<'_, '_>]) -> Option<Diagnostic> {
    for b in bindings {
        let value = b.token_file.value.as_str();
        // The pod-identity webhook adds its own token mount there for IRSA service accounts.
        let webhook_file = format!("{DEFAULT_TOKEN_MOUNT_PATH}/token");
        if !value.starts_with('/') || value == webhook_file || is_placeholder(value) {
            continue;
        }
        let (pod, c) = (b.pod, b.container);
        let what = match at_path(pod, c, value) {
            AtPath::NotMounted => "nothing is mounted there",
            AtPath::NoSuchToken(_) => {
                "the projected volume mounted above it has no token at that path"
            }
            AtPath::Token(_) | AtPath::Unknown => continue,
        };
        let kind = b.config.secret.as_ref().map_or("Secret", |o| o.kind);
        let mut d = META
            .diagnostic(
                b.token_file.value_span,
                format!(
                    "`web_identity_token_file` is `{value}`, but in container `{}` of {}, which reads this file at `{}`, {what}",
                    c.name_str(),
                    pod.display(),
                    b.file.path
                ),
            )
            .label("token file the SDK reads")
            .related(b.file.reference.span, format!("{} mounts the credentials {kind}", pod.display()))
            .help("project the service-account token in that pod where the file says (OpenShift's operators use a `bound-sa-token` volume: `serviceAccountToken` with audience `openshift`, path `token`, mounted at /var/run/secrets/openshift/serviceaccount), or point `web_identity_token_file` at the token the pod mounts");
        if let CredentialsVia::Env(e) = &b.file.via {
            d = d.related(
                e.value.map_or(e.name_node.span, |v| v.span),
                format!("{} points the SDK at the file", e.name),
            );
        }
        return Some(d);
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
