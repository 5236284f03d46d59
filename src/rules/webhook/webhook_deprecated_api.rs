use crate::rules::prelude::*;

declare_rule! {
    WebhookDeprecatedApi,
    code: "W002",
    name: "webhook-deprecated-api",
    family: Webhook,
    severity: Error,
    summary: "the pod-identity webhook's configuration uses admissionregistration.k8s.io/v1beta1, removed in Kubernetes 1.22",
}

impl Rule for WebhookDeprecatedApi {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // Only the pod-identity webhook's configuration: other webhooks' API versions are
        // for a deprecation checker (pluto, kubent), not for this one's findings.
        for mwc in &world.webhook_configurations {
            let obj = &mwc.obj;
            if obj.api_version != "admissionregistration.k8s.io/v1beta1" {
                continue;
            }
            let Some(av) = obj.node.get("apiVersion") else {
                continue;
            };
            out.push(
                META.diagnostic(
                    av.span,
                    format!(
                        "the {} `{}` uses admissionregistration.k8s.io/v1beta1, which Kubernetes 1.22 and later no longer serve",
                        obj.kind,
                        obj.name_str()
                    ),
                )
                .label("removed API version")
                .help("use `apiVersion: admissionregistration.k8s.io/v1` and set the fields v1 requires: `sideEffects`, `admissionReviewVersions` (keep `[v1beta1]` for the pod-identity webhook up to v0.6.17); note that v1 defaults `failurePolicy` to Fail and `matchPolicy` to Equivalent")
                .path(format!("{}.apiVersion", obj.name_str())),
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
}
