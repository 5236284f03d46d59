use super::AtPath;
use crate::model::webhook::DEFAULT_TOKEN_MOUNT_PATH;
use crate::render::webhook::{Mode, Outcome};
use crate::render::{self, Overrides, RenderMode};
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
        let mut settings = None;
        for pod in &world.pods {
            // Render's decision, once per pod: the webhook's token path is only mounted when
            // the webhook really mutates the pod with a web identity.
            let mut webhook: Option<Option<String>> = None;
            for c in &pod.containers {
                // Inline env, or envFrom when the webhook leaves the pod alone (when it
                // mutates, its injected value overrides envFrom's).
                let Some(env) =
                    super::web_identity_env(world, pod, c, "AWS_WEB_IDENTITY_TOKEN_FILE")
                else {
                    continue;
                };
                let from_env_from = c.env_var("AWS_WEB_IDENTITY_TOKEN_FILE").is_none();
                let Some(path) = super::literal(&env) else {
                    continue;
                };
                if !path.starts_with('/') {
                    continue;
                }
                let mut not_mounted_why = None;
                if path == webhook_file {
                    let why = webhook.get_or_insert_with(|| {
                        // A ServiceAccount outside the inputs may well have a role-arn: the
                        // decision is unknown, so the path counts as mounted.
                        world.service_account(&pod.owner.namespace, pod.service_account_name())?;
                        let settings = settings
                            .get_or_insert_with(|| render::settings(world, &Overrides::default()));
                        let view = render::pod_view(world, pod, RenderMode::Admission);
                        match render::decide(world, &view, settings) {
                            Ok(Outcome::Mutated(m)) if m.injected.mode == Mode::WebIdentity => None,
                            Ok(Outcome::Mutated(_)) => Some(
                                "the webhook injects EKS Pod Identity, not a web-identity token"
                                    .to_string(),
                            ),
                            Ok(Outcome::NotMutated(why)) => Some(why.to_string()),
                            Err(why) => Some(why),
                        }
                    });
                    match why {
                        None => continue,
                        Some(w) => not_mounted_why = Some(w.clone()),
                    }
                }
                let (msg, related) = match super::at_path(pod, c, path) {
                    AtPath::NotMounted => match &not_mounted_why {
                        Some(why) => (
                            format!("no volume is mounted there, and the webhook will not mount its token: {why}"),
                            None,
                        ),
                        None => ("no volume is mounted there".to_string(), None),
                    },
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
                if from_env_from {
                    d = d.related(env.entry.span, "the container's envFrom that sets it");
                }
                out.push(d.placed(world.placement_of(&pod.owner)).path(format!(
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
