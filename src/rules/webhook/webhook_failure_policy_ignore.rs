use crate::rules::prelude::*;
use crate::source::node::Node;

declare_rule! {
    WebhookFailurePolicyIgnore,
    code: "W001",
    name: "webhook-failure-policy-ignore",
    family: Webhook,
    severity: Warning,
    summary: "the pod-identity MutatingWebhookConfiguration has failurePolicy Ignore: pods start without credentials when the webhook is down",
}

impl Rule for WebhookFailurePolicyIgnore {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for mwc in &world.webhook_configurations {
            let v1beta1 = mwc.obj.api_version.ends_with("/v1beta1");
            for wh in &mwc.webhooks {
                let name = wh.get("name").and_then(Node::as_str).unwrap_or("");
                let span = match wh.entry("failurePolicy") {
                    Some(e) if e.value.as_str() == Some("Ignore") => e.value.span,
                    Some(_) => continue,
                    // v1beta1 defaults to Ignore, v1 to Fail.
                    None if v1beta1 => wh
                        .entry("name")
                        .map(|e| e.key.span)
                        .unwrap_or(mwc.obj.anchor()),
                    None => continue,
                };
                let how = if v1beta1 && wh.get("failurePolicy").is_none() {
                    " (the v1beta1 default)"
                } else {
                    ""
                };
                out.push(
                    META.diagnostic(
                        span,
                        format!(
                            "webhook `{name}` of {} `{}` has failurePolicy Ignore{how}: while the webhook is unreachable, pods are created without AWS credentials and fall back to the node role or fail later",
                            mwc.obj.kind,
                            mwc.obj.name_str()
                        ),
                    )
                    .label("pods admitted unmutated on webhook errors")
                    .help("set `failurePolicy: Fail` (with a PodDisruptionBudget and several webhook replicas), or make sure workloads fail fast when AWS_ROLE_ARN is missing")
                    .path(format!("{}.webhooks.{name}", mwc.obj.name_str())),
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
}
