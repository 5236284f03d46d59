use crate::model::k8s::ContainerKind;
use crate::model::webhook::FIRST_KEEPING_RESTART_POLICY;
use crate::render::webhook::Outcome;
use crate::render::{self, Overrides, RenderMode};
use crate::rules::prelude::*;
use crate::source::node::Node;

declare_rule! {
    WebhookDropsNativeSidecar,
    code: "W011",
    name: "webhook-drops-native-sidecar",
    family: Webhook,
    severity: Error,
    summary: "the pod-identity webhook image predates v0.5.3 and strips `restartPolicy` from the init containers of the pods it mutates, so a native sidecar becomes an init container that never ends",
}

impl Rule for WebhookDropsNativeSidecar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // Only a known old release decides it; an unknown tag stays silent.
        let Some(image) = world
            .webhook_deployments
            .iter()
            .find_map(|d| (d.version()? < FIRST_KEEPING_RESTART_POLICY).then_some(d.image()?))
        else {
            return;
        };
        let settings = render::settings(world, &Overrides::default());
        for t in &world.pods {
            let sidecars: Vec<(&str, &Node)> = t
                .containers
                .iter()
                .filter(|c| c.kind == ContainerKind::Init)
                .filter_map(|c| Some((c.name_str(), &c.node.entry("restartPolicy")?.key)))
                .collect();
            if sidecars.is_empty() {
                continue;
            }
            // The webhook re-serialises every init container of a pod it mutates, and only those.
            let view = render::pod_view(world, t, RenderMode::Admission);
            if !matches!(
                render::decide(world, &view, &settings),
                Ok(Outcome::Mutated(_))
            ) {
                continue;
            }
            for (name, key) in sidecars {
                out.push(
                    META.diagnostic(
                        key.span,
                        format!(
                            "init container `{name}` of {} is a native sidecar, but the webhook image `{}` rewrites the pod's init containers without `restartPolicy`: the sidecar becomes an ordinary init container that never exits, and the pod hangs in Init",
                            t.display(),
                            image.as_str().unwrap_or(""),
                        ),
                    )
                    .label("removed by the webhook")
                    .related(image.span, "webhook image older than v0.5.3")
                    .help("upgrade the pod-identity webhook to v0.5.3 or later (its Kubernetes types then know native sidecars)")
                    .path(format!("{}.initContainers.{name}.restartPolicy", t.display())),
                );
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

    /// The bad world with the webhook at v0.5.3, the first release that keeps the field.
    #[test]
    fn v0_5_3_keeps_restart_policy() {
        let report = crate::testing::lint_fixture_world(&super::META, "current-image");
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    }
}
