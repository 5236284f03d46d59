//! Pod rules: workloads' service accounts, AWS environment variables and projected tokens.

pub mod pod_env_typo;
pub mod pod_host_network_irsa;
pub mod pod_irsa_annotation_on_pod;
pub mod pod_irsa_env_conflict;
pub mod pod_sa_missing;
pub mod pod_skip_containers_unknown;
pub mod pod_static_keys_with_irsa;
pub mod pod_token_audience_mismatch;
pub mod pod_token_path_not_mounted;
pub mod pod_webhook_skip_label;
pub mod pod_windows_token_path;
pub mod token_expiration_out_of_range;

use crate::model::k8s::{Container, EnvVar, PodTemplate, ProjectedToken, ServiceAccount};
use crate::source::node::Node;
use crate::world::World;

/// The ServiceAccount `name` in namespace `ns`, if the inputs hold it.
pub(crate) fn find_sa<'w, 'a>(
    world: &'w World<'a>,
    ns: &str,
    name: &str,
) -> Option<&'w ServiceAccount<'a>> {
    world.service_account(ns, name)
}

/// A web-identity variable (`AWS_ROLE_ARN`, `AWS_WEB_IDENTITY_TOKEN_FILE`) as the container's
/// SDK reads it: inline `env`, else `envFrom` (see `World::container_env`). The webhook only
/// inspects inline `env`: when it mutates the pod with a web identity, its injected `env`
/// overrides what `envFrom` sets, so an `envFrom` value counts only when render's decision
/// says the webhook leaves the pod alone or never sees it (a ServiceAccount outside the
/// inputs: unknown, so not counted).
pub(crate) fn web_identity_env<'a>(
    world: &World<'a>,
    pod: &PodTemplate<'a>,
    c: &Container<'a>,
    name: &str,
) -> Option<EnvVar<'a>> {
    if let Some(e) = c.env_var(name) {
        return Some(e.clone());
    }
    let e = world.container_env(pod, c, name)?;
    world.service_account(&pod.owner.namespace, pod.service_account_name())?;
    let settings = crate::render::settings(world, &crate::render::Overrides::default());
    let view = crate::render::pod_view(world, pod, crate::render::RenderMode::Admission);
    match crate::render::decide(world, &view, &settings) {
        // Left alone, or never sent to the webhook (its selectors skip the pod).
        Ok(crate::render::webhook::Outcome::NotMutated(_)) | Err(_) => Some(e),
        Ok(crate::render::webhook::Outcome::Mutated(_)) => None,
    }
}

/// A literal env value: set with `value:`, no `$(VAR)` expansion, no placeholder.
pub(crate) fn literal<'a>(env: &EnvVar<'a>) -> Option<&'a str> {
    if env.value_from.is_some() {
        return None;
    }
    let v = env.value?.as_str()?;
    (!v.contains("$(") && !crate::model::iam::arn::is_placeholder(v)).then_some(v)
}

/// What a container finds at a file path.
pub(crate) enum AtPath<'a> {
    /// A projected `serviceAccountToken` of this volume mount.
    Token(&'a ProjectedToken<'a>),
    /// Nothing is mounted at or above the path.
    NotMounted,
    /// A projected volume of only service-account tokens is mounted above it, but none at
    /// that path.
    NoSuchToken(&'a Node),
    /// Something irsalint cannot see into (a secret, an emptyDir, a subPath...).
    Unknown,
}

pub(crate) fn at_path<'a>(pod: &'a PodTemplate<'a>, c: &Container<'a>, path: &str) -> AtPath<'a> {
    let mut best: Option<(&'a Node, &str, usize)> = None;
    for m in &c.volume_mounts {
        let Some(mp) = m.get("mountPath").and_then(Node::as_str) else {
            continue;
        };
        let mp_trim = mp.trim_end_matches('/');
        let covers = path == mp_trim
            || (path.starts_with(mp_trim) && path[mp_trim.len()..].starts_with('/'));
        if covers && best.is_none_or(|(_, b, _)| mp_trim.len() > b.len()) {
            best = Some((m, mp_trim, mp_trim.len()));
        }
    }
    let Some((mount, mp, _)) = best else {
        return AtPath::NotMounted;
    };
    if mount.get("subPath").is_some() || mount.get("subPathExpr").is_some() {
        return AtPath::Unknown;
    }
    let rest = path[mp.len()..].trim_start_matches('/');
    let Some(vname) = mount.get("name").and_then(Node::as_str) else {
        return AtPath::Unknown;
    };
    let Some(vol) = pod
        .volumes
        .iter()
        .find(|v| v.name.and_then(Node::as_str) == Some(vname))
    else {
        return AtPath::Unknown;
    };
    let sources = vol
        .node
        .path(&["projected", "sources"])
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    for t in &vol.tokens {
        if t.path.and_then(Node::as_str).map(|p| p.trim_matches('/')) == Some(rest) {
            return AtPath::Token(t);
        }
    }
    if !vol.tokens.is_empty() && vol.tokens.len() == sources.len() {
        return AtPath::NoSuchToken(mount);
    }
    AtPath::Unknown
}

/// `ns/owner` for finding paths.
pub(crate) fn pod_path(pod: &PodTemplate<'_>) -> String {
    format!("{}/{}", pod.owner.namespace, pod.owner.name_str())
}

#[cfg(test)]
mod tests {
    /// A pod finding's logical path (what baselines fingerprint) names the pod's namespace
    /// and owner: the same mistake on same-named pods of two namespaces is two entries.
    #[test]
    fn finding_paths_name_the_namespace_and_owner() {
        let pod = |ns: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: aws-cli-debug\n  namespace: {ns}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/invoice-export\nspec:\n  containers:\n    - name: cli\n      image: amazon/aws-cli:2.15.0\n"
            )
        };
        let text = format!("{}---\n{}", pod("billing"), pod("payments"));
        let report =
            crate::testing::lint_text("pods.yaml", &text, &super::pod_irsa_annotation_on_pod::META);
        let mut paths: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| d.logical_path.clone().unwrap_or_default())
            .collect();
        paths.sort();
        assert_eq!(
            paths,
            [
                "billing/aws-cli-debug.metadata.annotations",
                "payments/aws-cli-debug.metadata.annotations"
            ]
        );
    }
}
