use crate::render::webhook::{Mode, Outcome};
use crate::render::{self, Overrides, RenderMode};
use crate::rules::prelude::*;
use crate::source::node::Node;

declare_rule! {
    PodWindowsTokenPath,
    code: "K021",
    name: "pod-windows-token-path",
    family: Pod,
    severity: Warning,
    summary: "a Windows workload chosen by node affinity or spec.os only gets the webhook's Linux token path, because the webhook detects Windows from nodeSelector alone",
}

const OS_KEYS: [&str; 2] = ["kubernetes.io/os", "beta.kubernetes.io/os"];

impl Rule for PodWindowsTokenPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let mut settings = None;
        for pod in &world.pods {
            // What the webhook looks at: nodeSelector, exactly (webhook-semantics.md §7).
            let selector_says_windows = OS_KEYS.iter().any(|k| {
                pod.spec
                    .get("nodeSelector")
                    .and_then(|s| s.get(k))
                    .and_then(Node::as_str)
                    == Some("windows")
            });
            if selector_says_windows {
                continue;
            }
            let Some((windows, how)) = windows_elsewhere(pod.spec) else {
                continue;
            };
            let settings =
                settings.get_or_insert_with(|| render::settings(world, &Overrides::default()));
            let view = render::pod_view(world, pod, RenderMode::Admission);
            let Ok(Outcome::Mutated(m)) = render::decide(world, &view, settings) else {
                continue;
            };
            let var = match m.injected.mode {
                Mode::WebIdentity => "AWS_WEB_IDENTITY_TOKEN_FILE",
                Mode::PodIdentity => "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            };
            let path = &m.injected.token_env.value;
            out.push(
                META.diagnostic(
                    windows.span,
                    format!(
                        "{how} puts {} on Windows, but the webhook looks only at nodeSelector: it sets {var}={path}, a Linux path, instead of `C:{}`, and the SDK cannot read the token",
                        pod.display(),
                        path.replace('/', "\\")
                    ),
                )
                .label("Windows, unseen by the webhook")
                .help("add `nodeSelector: {kubernetes.io/os: windows}` to the pod spec (the webhook then writes the Windows path); affinity alone is not supported by the webhook")
                .placed(world.placement_of(&pod.owner)).path(format!("{}.spec", super::pod_path(pod))),
            );
        }
    }
}

/// The node saying "windows" in `spec.os.name` or a required node-affinity term, and how.
fn windows_elsewhere(spec: &Node) -> Option<(&Node, &'static str)> {
    if let Some(os) = spec
        .get("os")
        .and_then(|o| o.get("name"))
        .filter(|n| n.as_str() == Some("windows"))
    {
        return Some((os, "`spec.os.name`"));
    }
    let terms = spec
        .get("affinity")?
        .get("nodeAffinity")?
        .get("requiredDuringSchedulingIgnoredDuringExecution")?
        .get("nodeSelectorTerms")?
        .items();
    // Every term must require Windows: the scheduler may pick any term.
    let mut found = None;
    for term in terms {
        let windows = term
            .get("matchExpressions")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .find_map(|e| {
                let key = e.get("key").and_then(Node::as_str)?;
                let values = e.get("values")?.items();
                (OS_KEYS.contains(&key)
                    && e.get("operator").and_then(Node::as_str) == Some("In")
                    && !values.is_empty()
                    && values.iter().all(|v| v.as_str() == Some("windows")))
                .then(|| &values[0])
            });
        match windows {
            Some(w) => found = found.or(Some(w)),
            None => return None,
        }
    }
    found.map(|w| (w, "node affinity"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
