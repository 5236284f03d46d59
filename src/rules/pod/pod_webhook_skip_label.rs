use crate::rules::prelude::*;
use crate::source::node::Node;

declare_rule! {
    PodWebhookSkipLabel,
    code: "K020",
    name: "pod-webhook-skip-label",
    family: Pod,
    severity: Warning,
    summary: "a workload whose ServiceAccount has a role-arn carries the eks.amazonaws.com/skip-pod-identity-webhook label set to `false` (or empty), which skips the webhook all the same",
}

/// The label of the webhook's objectSelector (`DoesNotExist`): hard-coded, not derived from
/// `--annotation-prefix` (webhook-semantics.md §12).
const SKIP_LABEL: &str = "eks.amazonaws.com/skip-pod-identity-webhook";

impl Rule for PodWebhookSkipLabel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // The label works through the objectSelector: the webhook's own manifest and EKS's
        // configuration have it; a configuration in the inputs without it ignores the label.
        // A self-managed webhook (its Deployment in the inputs) without its configuration may
        // have been installed without the selector (kops' add-on template has none): unknown.
        let honoured = if world.webhook_configurations.is_empty() {
            world.webhook_deployments.is_empty()
        } else {
            world.webhook_configurations.iter().any(|c| {
                c.webhooks.iter().any(|w| {
                    w.get("objectSelector")
                        .and_then(|s| s.get("matchExpressions"))
                        .map(Node::items)
                        .unwrap_or(&[])
                        .iter()
                        .any(|e| e.get("key").and_then(Node::as_str) == Some(SKIP_LABEL))
                })
            })
        };
        if !honoured {
            return;
        }
        let prefix = &world.settings.annotation_prefix.value;
        for pod in &world.pods {
            let Some(label) = pod
                .labels()
                .iter()
                .find(|e| e.key.as_str() == Some(SKIP_LABEL))
            else {
                continue;
            };
            let sa_name = pod.service_account_name();
            let Some(role) = super::find_sa(world, &pod.owner.namespace, sa_name)
                .and_then(|s| s.annotation(prefix, "role-arn"))
                .filter(|e| e.value.as_str().is_some_and(|v| !v.trim().is_empty()))
            else {
                continue;
            };
            // Opting out and wiring the web identity by hand is a deliberate setup; the
            // webhook skips the pod, so `envFrom` values reach the SDK as they are.
            let hand_wired = pod.containers.iter().any(|c| {
                world.container_env(pod, c, "AWS_ROLE_ARN").is_some()
                    && world
                        .container_env(pod, c, "AWS_WEB_IDENTITY_TOKEN_FILE")
                        .is_some()
            });
            if hand_wired {
                continue;
            }
            // Opting a pod out with a true value is a correct setup (the workload may use
            // other credentials); a value that reads as "do not skip" is a mistake, because
            // the selector tests only that the label exists.
            let value = label.value.scalar_text().unwrap_or_default();
            if !matches!(
                value.trim().to_ascii_lowercase().as_str(),
                "" | "false" | "no" | "off" | "0" | "disabled"
            ) {
                continue;
            }
            let even = if value.is_empty() {
                " with an empty value (the selector tests only that the label exists, so it skips too)".to_string()
            } else {
                format!(" with value `{value}` (the selector tests only that the label exists, so it skips too)")
            };
            out.push(
                META.diagnostic(
                    label.key.span,
                    format!(
                        "the label `{SKIP_LABEL}` on {}{even} keeps its pods from the webhook, but its ServiceAccount `{}/{sa_name}` has role-arn `{}`: the webhook injects neither AWS_ROLE_ARN nor the token, and the SDKs fall back to the node's role",
                        pod.display(),
                        pod.owner.namespace,
                        role.value.as_str().unwrap_or("").trim()
                    ),
                )
                .label("pods skipped by the webhook")
                .related(role.value.span, "the role the workload was meant to get")
                .help("remove the label, or, if the workload really opts out, remove the role-arn from its ServiceAccount (or set AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE with a projected token yourself)")
                .placed(world.placement_of(&pod.owner)).path(format!("{}.metadata.labels", super::pod_path(pod))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A self-managed webhook whose configuration is not in the inputs may not honour the
    /// label (kops' add-on template has no objectSelector): silent.
    #[test]
    fn self_managed_webhook_without_its_configuration() {
        crate::testing::assert_world_expectations(&super::META, "self-managed-no-configuration");
    }

    /// A webhook configuration without the label's objectSelector sends labelled pods too.
    #[test]
    fn label_ignored_without_the_selector() {
        let report = crate::testing::lint_fixture_world(&super::META, "selector-without-label");
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    }
}
