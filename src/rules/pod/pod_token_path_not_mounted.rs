use super::AtPath;
use crate::model::webhook::DEFAULT_TOKEN_MOUNT_PATH;
use crate::rules::prelude::*;

declare_rule! {
    PodTokenPathNotMounted,
    code: "K003",
    name: "pod-token-path-not-mounted",
    family: Pod,
    severity: Error,
    summary: "AWS_WEB_IDENTITY_TOKEN_FILE points where no projected service-account token is mounted in that container",
}

/// Where the webhook mounts its own token (it adds that mount itself).
fn webhook_token_file(world: &World<'_>) -> String {
    let mount = match world.webhook_deployments.as_slice() {
        [wh] => wh
            .flag("token-mount-path")
            .and_then(|f| f.value.clone())
            .unwrap_or_else(|| DEFAULT_TOKEN_MOUNT_PATH.to_string()),
        _ => DEFAULT_TOKEN_MOUNT_PATH.to_string(),
    };
    format!("{}/token", mount.trim_end_matches('/'))
}

impl Rule for PodTokenPathNotMounted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let webhook_file = webhook_token_file(world);
        for pod in &world.pods {
            for c in &pod.containers {
                let Some(env) = c.env_var("AWS_WEB_IDENTITY_TOKEN_FILE") else {
                    continue;
                };
                let Some(path) = super::literal(env) else {
                    continue;
                };
                if !path.starts_with('/') || path == webhook_file {
                    continue;
                }
                let (msg, related) = match super::at_path(pod, c, path) {
                    AtPath::NotMounted => ("no volume is mounted there".to_string(), None),
                    AtPath::NoSuchToken(mount) => (
                        "the projected volume mounted above it has no token at that path"
                            .to_string(),
                        Some(mount),
                    ),
                    AtPath::Token(_) | AtPath::Unknown => continue,
                };
                let Some(value) = env.value else { continue };
                let mut d = META
                    .diagnostic(
                        value.span,
                        format!(
                            "AWS_WEB_IDENTITY_TOKEN_FILE of container `{}` in {} is `{path}`, but {msg}",
                            c.name_str(),
                            pod.display()
                        ),
                    )
                    .label("no token here")
                    .help("mount a projected volume with a `serviceAccountToken` source so that `mountPath` + `/` + its `path` is this file, or point the variable at the token that is mounted");
                if let Some(m) = related {
                    d = d.related(m.span, "volume mount that covers the path");
                }
                out.push(d.path(format!(
                    "{}.containers.{}.env",
                    super::pod_path(pod),
                    c.name_str()
                )));
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
