use crate::render::webhook::parse_bool;
use crate::rules::prelude::*;
use crate::source::node::{ScalarStyle, Value};

declare_rule! {
    SaStsRegionalEndpointsInvalid,
    code: "S009",
    name: "sa-sts-regional-endpoints-invalid",
    family: Sa,
    severity: Warning,
    summary: "a ServiceAccount's sts-regional-endpoints annotation is not a boolean the webhook reads, so it is ignored",
}

impl Rule for SaStsRegionalEndpointsInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let (fallback, effective, flag_span) = fallback(world);
        for (sa, e) in super::annotated(world, "sts-regional-endpoints") {
            let key = format!("{}/sts-regional-endpoints", world.annotation_prefix_of(sa));
            let subject = sa.subject();
            let (message, label, help, ignored) = match &e.value.value {
                // Kubernetes decodes annotations as strings only: `true` unquoted is a YAML
                // boolean and the whole object is rejected.
                Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                    let text = e.value.scalar_text().unwrap_or_default();
                    (
                        format!("`{key}` of `{subject}` is the YAML {} `{text}`, not a string: Kubernetes rejects the ServiceAccount, annotation values must be strings", e.value.type_name()),
                        "not a string".to_string(),
                        format!("quote the value: `{key}: \"{text}\"`"),
                        false,
                    )
                }
                // Kubernetes' YAML decoder (go-yaml v2) follows YAML 1.1, where plain `yes`,
                // `on`, `n`... are booleans too.
                Value::Str(v) if e.value.style == ScalarStyle::Plain && is_yaml11_bool(v) => (
                    format!("`{key}: {v}` of `{subject}` is a boolean for Kubernetes' YAML 1.1 decoder, not a string: Kubernetes rejects the ServiceAccount, annotation values must be strings"),
                    "not a string".to_string(),
                    format!("write `{key}: \"{}\"`", intent(v).unwrap_or(true)),
                    false,
                ),
                Value::Str(v) => {
                    // Empty is how templates leave it unset: the webhook's default applies,
                    // which is what an empty value asks for.
                    if v.is_empty() || parse_bool(v).is_some() {
                        continue;
                    }
                    let meant = intent(v);
                    let help = match meant {
                        Some(b) => format!("write `\"{b}\"`: the webhook reads the value with Go's strconv.ParseBool (`true`, `false`, `1`, `0`, `t`, `f`, `TRUE`, `True`, ...)"),
                        None => "write `\"true\"` to inject AWS_STS_REGIONAL_ENDPOINTS=regional, or `\"false\"` not to (even when the webhook's --sts-regional-endpoint is set)".to_string(),
                    };
                    let opposite = match (meant, effective) {
                        (Some(m), Some(e)) if m != e => ", the opposite of what the annotation says",
                        _ => "",
                    };
                    (
                        format!("`{key}: {v:?}` of `{subject}` is not a boolean Go's strconv.ParseBool accepts: the webhook ignores it and uses {fallback}{opposite}"),
                        "ignored by the webhook".to_string(),
                        help,
                        true,
                    )
                }
                _ => continue,
            };
            let mut d = META.diagnostic(e.value.span, message).label(label);
            if let Some(span) = flag_span.filter(|_| ignored) {
                d = d.related(span, "the webhook's --sts-regional-endpoint flag");
            }
            out.push(d.help(help).path(super::annotations_path(sa)));
        }
    }
}

/// What the webhook uses instead: its `--sts-regional-endpoint` flag when the inputs hold
/// the one webhook Deployment, else the flag in general; its value when known.
fn fallback(world: &World<'_>) -> (String, Option<bool>, Option<Span>) {
    if let [wh] = world.webhook_deployments.as_slice() {
        return match wh.flag("sts-regional-endpoint") {
            Some(f) => {
                let v = match &f.value {
                    None => Some(true),
                    Some(v) => parse_bool(v),
                };
                match v {
                    Some(b) => (
                        format!("its --sts-regional-endpoint flag, `{b}` here"),
                        Some(b),
                        Some(f.span),
                    ),
                    None => (
                        "its --sts-regional-endpoint flag".to_string(),
                        None,
                        Some(f.span),
                    ),
                }
            }
            None => (
                "its --sts-regional-endpoint default, `false`".to_string(),
                Some(false),
                None,
            ),
        };
    }
    (
        "its --sts-regional-endpoint flag (`false` unless set)".to_string(),
        None,
        None,
    )
}

fn is_yaml11_bool(v: &str) -> bool {
    matches!(
        v,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// What a value the webhook ignores most likely means.
fn intent(v: &str) -> Option<bool> {
    let t = v.trim().to_ascii_lowercase();
    if let Some(b) = parse_bool(&t) {
        return Some(b);
    }
    match t.as_str() {
        "yes" | "y" | "on" | "enable" | "enabled" | "regional" => Some(true),
        "no" | "n" | "off" | "disable" | "disabled" | "legacy" | "global" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// The webhook's fallback (`--sts-regional-endpoint`, false in bad/) is called "the
    /// opposite" only where the value meant the other thing: `"yes"` (meant true) is,
    /// `"legacy"` (meant false) is not.
    #[test]
    fn opposite_only_when_the_fallback_differs_from_the_intent() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules")
            .join(super::META.name)
            .join("bad");
        let (_, report) = crate::testing::lint_only(&dir, &super::META);
        let message = |sa: &str| {
            report
                .diagnostics
                .iter()
                .find(|d| d.message.contains(sa))
                .map(|d| d.message.clone())
                .unwrap_or_default()
        };
        let yes = message("billing:invoice-export");
        assert!(yes.contains("`false` here, the opposite of what"), "{yes}");
        let legacy = message("archive:archiver");
        assert!(
            legacy.contains("`false` here") && !legacy.contains("opposite"),
            "{legacy}"
        );
    }

    #[test]
    fn intent_of_ignored_values() {
        use super::intent;
        assert_eq!(intent("yes"), Some(true));
        assert_eq!(intent(" True "), Some(true));
        assert_eq!(intent("regional"), Some(true));
        assert_eq!(intent("Legacy"), Some(false));
        assert_eq!(intent("maybe"), None);
    }
}
