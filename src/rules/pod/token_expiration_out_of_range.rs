use crate::model::k8s::annotation;
use crate::rules::prelude::*;
use crate::source::node::Entry;

declare_rule! {
    TokenExpirationOutOfRange,
    code: "K005",
    name: "token-expiration-out-of-range",
    family: Pod,
    severity: Warning,
    summary: "a token expiration (expirationSeconds, token-expiration annotation, webhook ConfigMap or flag) is below 600 seconds, above 2^32 or not a number",
}

const MIN: i64 = 600;
const MAX: i64 = 1 << 32;

/// Go's `strconv.ParseInt(s, 10, 64)`, as the webhook model in `render` reads it.
use crate::render::webhook::parse_int as parse_go_int;

impl Rule for TokenExpirationOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let prefix = &world.settings.annotation_prefix.value;
        // Projected tokens: Kubernetes validation.
        for pod in &world.pods {
            for v in &pod.volumes {
                for t in &v.tokens {
                    let Some(n) = t.expiration else { continue };
                    let Some(secs) = n.as_i64() else { continue };
                    if (MIN..=MAX).contains(&secs) {
                        continue;
                    }
                    out.push(
                        META.diagnostic(
                            n.span,
                            format!(
                                "expirationSeconds {secs} of a projected token in {} is outside 600..=4294967296: the API server rejects the pod",
                                pod.display()
                            ),
                        )
                        .severity(Severity::Error)
                        .label("rejected by the API server")
                        .help("use a value between 600 and 4294967296 seconds; 3600 or 86400 are usual")
                        .path(format!("{}.volumes", crate::rules::pod::pod_path(pod))),
                    );
                }
            }
            check_annotation(world, pod.annotations(), prefix, &pod.display(), out);
        }
        for sa in &world.service_accounts {
            check_annotation(world, sa.obj.annotations(), prefix, &sa.obj.display(), out);
        }
        // The webhook ConfigMap: non-zero values are used without the 600 clamp.
        for cm in &world.webhook_configmaps {
            for e in &cm.entries {
                let Some(field) = e.value.entry_ignore_case("TokenExpiration") else {
                    continue;
                };
                let Some(secs) = field.value.as_i64() else {
                    continue;
                };
                if secs == 0 || (MIN..=MAX).contains(&secs) {
                    continue;
                }
                out.push(
                    META.diagnostic(
                        field.value.span,
                        format!(
                            "webhook ConfigMap entry `{}` has TokenExpiration {secs}, outside 600..=4294967296: the webhook uses it unclamped and the API server rejects the pods",
                            e.key.as_str().unwrap_or("")
                        ),
                    )
                    .severity(Severity::Error)
                    .label("reaches the pod spec as is")
                    .help("use a value between 600 and 4294967296, or remove it to use the webhook's --token-expiration")
                    .path(format!("{}/{}.data.config", cm.obj.namespace, cm.obj.name_str())),
                );
            }
        }
        // The webhook flag: raised to 600 at start-up.
        for wh in &world.webhook_deployments {
            let Some(f) = wh.flag("token-expiration") else {
                continue;
            };
            let Some(v) = &f.value else { continue };
            let span = f.value_span.unwrap_or(f.span);
            let msg = match parse_go_int(v) {
                None => format!("--token-expiration `{v}` is not an integer: the webhook fails to start"),
                Some(s) if s < MIN => format!("--token-expiration {s} is below 600: the webhook raises it to 600"),
                Some(s) if s > MAX => format!("--token-expiration {s} is above 4294967296: the API server rejects every mutated pod"),
                Some(_) => continue,
            };
            out.push(
                META.diagnostic(span, msg)
                    .label("token expiration")
                    .help("use a value between 600 and 4294967296 seconds (default 86400)")
                    .path(format!("{}.args", wh.template.display())),
            );
        }
    }
}

fn check_annotation(
    _world: &World<'_>,
    annotations: &[Entry],
    prefix: &str,
    owner: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(e) = annotation(annotations, prefix, "token-expiration") else {
        return;
    };
    let text = e.value.scalar_text().unwrap_or_default();
    let (msg, sev) = match parse_go_int(&text) {
        None => (
            format!("{prefix}/token-expiration `{text}` on {owner} is not a decimal integer: the webhook ignores it and uses its --token-expiration"),
            Severity::Warning,
        ),
        Some(s) if s < MIN => (
            format!("{prefix}/token-expiration {s} on {owner} is below 600: the webhook raises it to 600"),
            Severity::Warning,
        ),
        Some(s) if s > MAX => (
            format!("{prefix}/token-expiration {s} on {owner} is above 4294967296: the webhook passes it on and the API server rejects the pod"),
            Severity::Error,
        ),
        Some(_) => return,
    };
    out.push(
        META.diagnostic(e.value.span, msg)
            .severity(sev)
            .label("token expiration in seconds")
            .help("write a plain number of seconds between 600 and 4294967296, e.g. \"3600\"")
            .path(owner.to_string()),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
