use crate::model::k8s::{annotation, ContainerKind};
use crate::rules::prelude::*;
use crate::rules::rule_selector::did_you_mean;

declare_rule! {
    PodSkipContainersUnknown,
    code: "K009",
    name: "pod-skip-containers-unknown",
    family: Pod,
    severity: Warning,
    summary: "the skip-containers annotation names a container the pod does not have (or with a space after a comma)",
}

impl Rule for PodSkipContainersUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let prefix = &world.settings.annotation_prefix.value;
        for pod in &world.pods {
            let Some(e) = annotation(pod.annotations(), prefix, "skip-containers") else {
                continue;
            };
            let Some(value) = e.value.as_str() else {
                continue;
            };
            // Read exactly as the webhook does (Go's encoding/csv, first record): the
            // render model is the one source of truth for it.
            let items = crate::render::webhook::parse_csv_first_record(value);
            if items.is_empty() {
                continue;
            }
            let names: Vec<&str> = pod
                .containers
                .iter()
                .filter(|c| c.kind != ContainerKind::Ephemeral)
                .map(|c| c.name_str())
                .collect();
            for item in items.iter().map(String::as_str) {
                if names.contains(&item) {
                    continue;
                }
                let trimmed = item.trim();
                let (msg, help) = if names.contains(&trimmed) {
                    (
                        format!("skip-containers of {} lists {item:?} with surrounding spaces: the webhook compares names exactly and still mutates `{trimmed}`", pod.display()),
                        format!("remove the spaces: `{}`", items.iter().map(|i| i.trim()).collect::<Vec<_>>().join(",")),
                    )
                } else {
                    let hint = did_you_mean(trimmed, names.iter().copied())
                        .map(|b| format!(" (did you mean `{b}`?)"))
                        .unwrap_or_default();
                    (
                        format!("skip-containers of {} names `{trimmed}`, which is not a container of the pod{hint}", pod.display()),
                        format!("list only names of the pod's containers or init containers: {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
                    )
                };
                out.push(
                    META.diagnostic(e.value.span, msg)
                        .label("containers to leave unmutated")
                        .help(help)
                        .placed(world.placement_of(&pod.owner))
                        .path(format!("{}.metadata.annotations", super::pod_path(pod))),
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
