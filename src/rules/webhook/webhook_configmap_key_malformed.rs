use crate::rules::prelude::*;

declare_rule! {
    WebhookConfigmapKeyMalformed,
    code: "W003",
    name: "webhook-configmap-key-malformed",
    family: Webhook,
    severity: Error,
    summary: "a pod-identity-webhook ConfigMap key is not namespace/serviceaccount (a key without / crashes the webhook; test-* is no glob)",
}

impl Rule for WebhookConfigmapKeyMalformed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for cm in &world.webhook_configmaps {
            for e in &cm.entries {
                let Some(key) = e.key.as_str() else { continue };
                let d = match key.split_once('/') {
                    None => META
                        .diagnostic(
                            e.key.span,
                            format!("webhook ConfigMap key `{key}` has no `/`: the webhook's informer indexes past the end and the webhook process panics"),
                        )
                        .label("expected `namespace/serviceaccount`")
                        .help("write the key as `<namespace>/<serviceaccount>` (or `*/<serviceaccount>` for every namespace)"),
                    Some((ns, sa)) if ns != "*" && ns.contains('*') => META
                        .diagnostic(
                            e.key.span,
                            format!("webhook ConfigMap key `{key}`: namespace `{ns}` is not a glob, only a literal `*` matches every namespace"),
                        )
                        .severity(Severity::Warning)
                        .label("matches only a namespace literally named so")
                        .help(format!("list each namespace as its own key, or use `*/{sa}`")),
                    Some(_) => continue,
                };
                out.push(d.path(format!(
                    "{}/{}.data.config",
                    cm.obj.namespace,
                    cm.obj.name_str()
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
