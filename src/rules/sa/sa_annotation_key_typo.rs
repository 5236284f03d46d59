use crate::model::k8s::WEBHOOK_SA_ANNOTATIONS as SUFFIXES;
use crate::rules::prelude::*;
use crate::rules::rule_selector::did_you_mean;

declare_rule! {
    SaAnnotationKeyTypo,
    code: "S005",
    name: "sa-annotation-key-typo",
    family: Sa,
    severity: Warning,
    summary: "a ServiceAccount annotation looks like an IRSA annotation but is not one the webhook reads (misspelt key or kiam's iam.amazonaws.com/role)",
}

impl Rule for SaAnnotationKeyTypo {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for sa in &world.service_accounts {
            let prefix = world.annotation_prefix_of(sa);
            for e in sa.obj.annotations() {
                let Some(key) = e.key.as_str() else { continue };
                let (msg, want) = if key == "iam.amazonaws.com/role" {
                    if sa.annotation(prefix, "role-arn").is_some() {
                        continue;
                    }
                    (
                        format!("`{key}` on `{}` is kiam's pod annotation: neither kiam (on a ServiceAccount) nor the IRSA webhook reads it; the webhook reads `{prefix}/role-arn`", sa.subject()),
                        format!("{prefix}/role-arn"),
                    )
                } else if let Some(suffix) =
                    key.strip_prefix(prefix).and_then(|s| s.strip_prefix('/'))
                {
                    if SUFFIXES.contains(&suffix) {
                        continue;
                    }
                    let norm = suffix.to_ascii_lowercase().replace('_', "-");
                    let best = SUFFIXES
                        .iter()
                        .find(|s| {
                            **s == norm
                                || (norm == "role" || norm == "rolearn" || norm == "role-name")
                                    && **s == "role-arn"
                        })
                        .copied()
                        .or_else(|| did_you_mean(suffix, SUFFIXES.iter().copied()));
                    let Some(best) = best else { continue };
                    let want = format!("{prefix}/{best}");
                    if sa.annotation(prefix, best).is_some() {
                        continue;
                    }
                    (
                        format!("`{key}` on `{}` is not an annotation the webhook reads (did you mean `{want}`?)", sa.subject()),
                        want,
                    )
                } else {
                    continue;
                };
                out.push(
                    META.diagnostic(e.key.span, msg)
                        .label(format!("did you mean `{want}`?"))
                        .help(format!(
                            "rename the annotation to `{want}`; the webhook matches keys exactly"
                        ))
                        .path(super::annotations_path(sa)),
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
