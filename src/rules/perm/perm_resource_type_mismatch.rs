use crate::model::iam::catalog::key_matches;
use crate::model::iam::glob::has_wildcard;
use crate::rules::prelude::*;

declare_rule! {
    PermResourceTypeMismatch,
    code: "P015",
    name: "perm-resource-type-mismatch",
    family: Perm,
    severity: Warning,
    summary: "a `Resource` ARN fits none of the resource types of the statement's actions, so it grants nothing",
}

/// The service field of an ARN (`arn:aws:s3:::b` → `s3`).
fn arn_service(arn: &str) -> Option<&str> {
    let mut f = arn.splitn(4, ':');
    (f.next()? == "arn").then_some(())?;
    f.next()?;
    f.next()
}

impl Rule for PermResourceTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in super::identity_statements(world) {
            let Some(resources) = &stmt.resource else {
                continue;
            };
            // Actions without resource types take `*` only and AWS ignores the ARN.
            let Some(expanded) =
                super::known_actions(stmt).filter(|e| e.iter().all(|a| a.has_resource_types()))
            else {
                continue;
            };
            let formats: Vec<&str> = expanded
                .iter()
                .flat_map(|a| a.resource_arns().map(|(_, arn)| arn))
                .collect();
            if formats.is_empty() {
                continue;
            }
            for r in &resources.values {
                if r.unresolved || r.value == "*" || r.value.contains("${") {
                    continue;
                }
                let Some(svc) = arn_service(&r.value) else {
                    continue; // malformed ARNs are another rule's business
                };
                if has_wildcard(svc) {
                    continue;
                }
                let fits = if has_wildcard(&r.value) {
                    formats
                        .iter()
                        .any(|f| arn_service(f).is_some_and(|s| s.eq_ignore_ascii_case(svc)))
                } else {
                    formats.iter().any(|f| key_matches(f, &r.value))
                };
                if fits {
                    continue;
                }
                let mut names: Vec<String> =
                    expanded.iter().take(3).map(|a| a.full_name()).collect();
                if expanded.len() > 3 {
                    names.push("...".into());
                }
                let mut shown: Vec<&str> = formats.clone();
                shown.sort_unstable();
                shown.dedup();
                let more = shown.len() > 3;
                shown.truncate(3);
                push_about(
                    out,
                    doc,
                    META.diagnostic(
                        r.span,
                        format!(
                            "`{}` fits none of the resource types of {}",
                            r.value,
                            names.join(", ")
                        ),
                    )
                    .label("matches no resource type")
                    .help(format!(
                        "use an ARN of the form {}{}",
                        shown
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        if more { ", ..." } else { "" }
                    ))
                    .path(format!("Statement[{}].Resource", stmt.index)),
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
