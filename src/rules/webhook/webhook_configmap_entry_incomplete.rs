use crate::rules::prelude::*;

declare_rule! {
    WebhookConfigmapEntryIncomplete,
    code: "W012",
    name: "webhook-configmap-entry-incomplete",
    family: Webhook,
    severity: Error,
    summary: "a pod-identity-webhook ConfigMap entry has no `Audience` (the token then carries the API server's audience, which STS rejects) or no `RoleARN` (the entry is ignored)",
}

impl Rule for WebhookConfigmapEntryIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for cm in &world.webhook_configmaps {
            for e in &cm.entries {
                let Some(key) = e.key.as_str() else { continue };
                if e.value.as_map().is_none() {
                    continue;
                }
                // Go's encoding/json matches field names case-insensitively.
                let field = |name: &str| e.value.entry_ignore_case(name);
                let text = |entry: Option<&crate::source::node::Entry>| {
                    entry
                        .and_then(|f| f.value.as_str())
                        .unwrap_or("")
                        .to_string()
                };
                let path = format!(
                    "{}/{}.data.config.{key}",
                    cm.obj.namespace,
                    cm.obj.name_str()
                );
                let role = field("RoleARN");
                if text(role).trim().is_empty() {
                    let (span, how) = match role {
                        Some(r) => (r.value.span, "an empty RoleARN"),
                        None => (e.key.span, "no RoleARN"),
                    };
                    out.push(
                        META.diagnostic(
                            span,
                            format!("webhook ConfigMap entry `{key}` has {how}: the webhook only uses an entry with a role, so pods of `{key}` get no credentials from it"),
                        )
                        .severity(Severity::Warning)
                        .label("no role")
                        .help("set `\"RoleARN\": \"arn:aws:iam::<account>:role/<name>\"`, or delete the entry")
                        .path(path),
                    );
                    continue;
                }
                let audience = field("Audience");
                if !text(audience).is_empty() {
                    continue;
                }
                let (span, how) = match audience {
                    Some(a) => (a.value.span, "an empty Audience"),
                    None => (e.key.span, "no Audience"),
                };
                let flag = &world.settings.token_audience.value;
                out.push(
                    META.diagnostic(
                        span,
                        format!("webhook ConfigMap entry `{key}` has {how}: unlike the role-arn annotation it does not fall back to --token-audience (`{flag}`), so the projected token has no audience of its own and carries the API server's, which STS rejects"),
                    )
                    .label("token without an STS audience")
                    .help(format!("add `\"Audience\": \"{flag}\"` (or the audience the role's trust requires)"))
                    .path(path),
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
