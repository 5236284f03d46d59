use crate::model::k8s::annotation;
use crate::rules::prelude::*;
use crate::source::node::Entry;

declare_rule! {
    TokenExpirationOutOfRange,
    code: "K005",
    name: "token-expiration-out-of-range",
    family: Pod,
    severity: Warning,
    summary: "a token expiration (expirationSeconds, token-expiration annotation, webhook ConfigMap or flag) is below 600 seconds (3600 for the webhook up to v0.5.2), above 2^32 or not a number",
}

const MIN: i64 = 600;
const MAX: i64 = 1 << 32;

/// The webhook's own minimum, to which it raises annotation and flag values: 3600 up to
/// v0.5.2, 600 from v0.5.3 (`pkg.MinTokenExpiration`).
fn webhook_min(version: Option<crate::model::webhook::Version>) -> i64 {
    match version {
        Some(v) if v <= (0, 5, 2) => 3600,
        _ => MIN,
    }
}

/// The minimum of the webhook the inputs run: an image up to v0.5.2 anywhere raises to 3600.
fn world_min(world: &World<'_>) -> i64 {
    world
        .webhook_deployments
        .iter()
        .map(|d| webhook_min(d.version()))
        .max()
        .unwrap_or(MIN)
}

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
                        .placed(world.placement_of(&pod.owner)).path(format!("{}.volumes", crate::rules::pod::pod_path(pod))),
                    );
                }
            }
            check_annotation(
                world_min(world),
                pod.annotations(),
                prefix,
                &pod.display(),
                out,
            );
        }
        for sa in &world.service_accounts {
            let min = world_min(world);
            check_annotation(min, sa.obj.annotations(), prefix, &sa.obj.display(), out);
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
        // The webhook flag: raised to the release's minimum at start-up.
        for wh in &world.webhook_deployments {
            let min = webhook_min(wh.version());
            let Some(f) = wh.flag("token-expiration") else {
                continue;
            };
            let Some(v) = &f.value else { continue };
            let span = f.value_span.unwrap_or(f.span);
            let msg = match parse_go_int(v) {
                None => format!("--token-expiration `{v}` is not an integer: the webhook fails to start"),
                Some(s) if s < min => format!("--token-expiration {s} is below {min}: the webhook raises it to {min}"),
                Some(s) if s > MAX => format!("--token-expiration {s} is above 4294967296: the API server rejects every mutated pod"),
                Some(_) => continue,
            };
            out.push(
                META.diagnostic(span, msg)
                    .label("token expiration")
                    .help(format!(
                        "use a value between {min} and 4294967296 seconds (default 86400)"
                    ))
                    .path(format!("{}.args", wh.template.display())),
            );
        }
    }
}

fn check_annotation(
    min: i64,
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
        Some(s) if s < min => (
            format!("{prefix}/token-expiration {s} on {owner} is below {min}: the webhook raises it to {min}"),
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
            .help(format!(
                "write a plain number of seconds between {min} and 4294967296, e.g. \"3600\""
            ))
            .path(owner.to_string()),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// Up to webhook v0.5.2 the webhook raises annotation and flag values to 3600, not 600.
    #[test]
    fn webhook_up_to_v0_5_2_raises_to_3600() {
        crate::testing::assert_world_expectations(&super::META, "webhook-v0.5.2");
    }

    /// From v0.5.3 the minimum is 600: the same values are fine.
    #[test]
    fn webhook_from_v0_5_3_raises_to_600() {
        crate::testing::assert_world_expectations(&super::META, "webhook-v0.5.3");
    }

    /// The messages for a webhook Deployment of `image` run with `--token-expiration=value`.
    fn flag_findings(image: &str, value: &str) -> Vec<String> {
        let yaml = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pod-identity-webhook\n  namespace: kube-system\nspec:\n  template:\n    spec:\n      containers:\n        - name: pod-identity-webhook\n          image: {image}\n          command: [/webhook, --token-expiration={value}]\n"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("webhook.yaml"), yaml).unwrap();
        let (_, report) = crate::testing::lint_only(dir.path(), &super::META);
        report.diagnostics.into_iter().map(|d| d.message).collect()
    }

    /// The flag's bounds: the release's minimum and 2^32 are kept, one past either is not.
    #[test]
    fn flag_boundaries() {
        let new = "amazon/amazon-eks-pod-identity-webhook:v0.6.17";
        let old = "amazon/amazon-eks-pod-identity-webhook:v0.5.2";
        for (image, value) in [(new, "600"), (old, "3600"), (new, "4294967296")] {
            assert_eq!(
                flag_findings(image, value),
                Vec::<String>::new(),
                "{image} {value}"
            );
        }
        let m = flag_findings(new, "599");
        assert_eq!(
            m,
            ["--token-expiration 599 is below 600: the webhook raises it to 600"]
        );
        let m = flag_findings(old, "3599");
        assert_eq!(
            m,
            ["--token-expiration 3599 is below 3600: the webhook raises it to 3600"]
        );
        let m = flag_findings(new, "4294967297");
        assert_eq!(
            m,
            ["--token-expiration 4294967297 is above 4294967296: the API server rejects every mutated pod"]
        );
        let m = flag_findings(new, "1d");
        assert_eq!(
            m,
            ["--token-expiration `1d` is not an integer: the webhook fails to start"]
        );
    }

    #[test]
    fn minimum_per_release() {
        assert_eq!(super::webhook_min(Some((0, 5, 2))), 3600);
        assert_eq!(super::webhook_min(Some((0, 4, 0))), 3600);
        assert_eq!(super::webhook_min(Some((0, 5, 3))), 600);
        assert_eq!(super::webhook_min(Some((0, 6, 17))), 600);
        assert_eq!(super::webhook_min(None), 600);
    }
}
