use std::collections::BTreeMap;

use crate::model::k8s::{Object, ServiceAccount};
use crate::model::label_selector::{self, Known};
use crate::rules::prelude::*;
use crate::source::node::{Entry, Node};

declare_rule! {
    WebhookSelectorExcludesIrsa,
    code: "W013",
    name: "webhook-selector-excludes-irsa",
    family: Webhook,
    severity: Error,
    summary: "the pod-identity MutatingWebhookConfiguration is never called for pod creation, or its namespaceSelector or objectSelector leaves out namespaces or pods that use IRSA",
}

/// The opt-out label; excluding labelled pods is the selector's purpose, reported (when it
/// contradicts a role) by pod-webhook-skip-label.
const SKIP_LABEL: &str = "eks.amazonaws.com/skip-pod-identity-webhook";

impl Rule for WebhookSelectorExcludesIrsa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        if world.webhook_configurations.is_empty() {
            return;
        }
        let prefix = &world.settings.annotation_prefix.value;
        // Namespaces holding ServiceAccounts with a role, with the first such annotation.
        let mut irsa: BTreeMap<&str, (&ServiceAccount<'_>, &Entry)> = BTreeMap::new();
        // Crossplane's namespace is not in the files: no selector can be judged for it.
        for sa in world
            .service_accounts
            .iter()
            .filter(|sa| sa.namespace_known())
        {
            let Some(e) = sa
                .annotation(prefix, "role-arn")
                .filter(|e| e.value.as_str().is_some_and(|v| !v.trim().is_empty()))
            else {
                continue;
            };
            irsa.entry(sa.namespace()).or_insert((sa, e));
        }
        if irsa.is_empty() {
            return;
        }
        for mwc in &world.webhook_configurations {
            for wh in &mwc.webhooks {
                let name = wh.get("name").and_then(Node::as_str).unwrap_or("");
                let path = format!("{}.webhooks.{name}", mwc.obj.name_str());
                let first_sa = irsa.values().next().map(|(_, e)| e.value.span);
                if let Some(d) = pod_create(mwc.obj.anchor(), wh, name) {
                    let d = match first_sa {
                        Some(s) => d.related(s, "a ServiceAccount whose pods need the webhook"),
                        None => d,
                    };
                    out.push(d.path(path));
                    continue;
                }
                if let Some(sel) = wh.get("namespaceSelector") {
                    namespaces(world, sel, name, &irsa, &path, out);
                }
                if let Some(sel) = wh.get("objectSelector") {
                    pods(world, sel, name, &path, out);
                }
            }
        }
    }
}

/// A finding when no rule of the webhook selects `CREATE` of core `v1` `pods`.
fn pod_create(anchor: Span, wh: &Node, name: &str) -> Option<Diagnostic> {
    let Some(rules) = wh.entry("rules") else {
        let at = wh.entry("name").map_or(anchor, |e| e.key.span);
        return Some(
            META.diagnostic(at, format!("webhook `{name}` has no `rules`, so the API server never calls it: no pod gets credentials"))
                .label("no rules")
                .help("add `rules: [{operations: [CREATE], apiGroups: [\"\"], apiVersions: [v1], resources: [pods]}]`"),
        );
    };
    let has = |rule: &Node, key: &str, want: &[&str]| {
        rule.get(key)
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .any(|v| v.as_str().is_some_and(|s| want.contains(&s)))
    };
    let selects = rules.value.items().iter().any(|r| {
        has(r, "operations", &["CREATE", "*"])
            && has(r, "apiGroups", &["", "*"])
            && has(r, "apiVersions", &["v1", "*"])
            && has(r, "resources", &["pods", "*", "*/*"])
            && r.get("scope")
                .and_then(Node::as_str)
                .is_none_or(|s| s != "Cluster")
    });
    (!selects).then(|| {
        META.diagnostic(
            rules.key.span,
            format!("no rule of webhook `{name}` selects the creation of pods (operations CREATE, apiGroups \"\", apiVersions v1, resources pods): the webhook is never called when pods are created, so none gets credentials"),
        )
        .label("does not select pod CREATE")
        .help("use the webhook's own rule: `{operations: [CREATE], apiGroups: [\"\"], apiVersions: [v1], resources: [pods]}`")
    })
}

/// Namespaces with IRSA ServiceAccounts that the namespaceSelector surely leaves out. A
/// namespace's labels are known from its `Namespace` object; without one only the automatic
/// `kubernetes.io/metadata.name` label is.
fn namespaces(
    world: &World<'_>,
    sel: &Node,
    name: &str,
    irsa: &BTreeMap<&str, (&ServiceAccount<'_>, &Entry)>,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let mut excluded = Vec::new();
    let mut failing = None;
    for (&ns, (sa, annotation)) in irsa {
        let object: Option<&Object<'_>> = world
            .objects
            .iter()
            .find(|o| o.kind == "Namespace" && o.api_version == "v1" && o.name_str() == ns);
        let label = |k: &str| -> Known<'_> {
            if k == "kubernetes.io/metadata.name" {
                return Some(Some(ns));
            }
            let o = object?;
            Some(
                o.labels()
                    .iter()
                    .rev()
                    .find(|e| e.key.as_str() == Some(k))
                    .and_then(|e| e.value.as_str()),
            )
        };
        if let Err(m) = label_selector::evaluate(sel, label) {
            failing.get_or_insert(m.node.span);
            excluded.push((ns, *sa, *annotation, m.requirement, object));
        }
    }
    let Some(at) = failing else { return };
    let list = excluded
        .iter()
        .map(|(ns, _, _, req, _)| format!("`{ns}` (fails {req})"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut d = META
        .diagnostic(
            at,
            format!("the namespaceSelector of webhook `{name}` leaves out namespaces with IRSA ServiceAccounts: {list}; their pods are created without credentials"),
        )
        .label("excludes IRSA namespaces");
    for (_, sa, annotation, _, object) in excluded.iter().take(3) {
        d = d.related(
            annotation.value.span,
            format!("role of ServiceAccount {}", sa.subject()),
        );
        if let Some(o) = object {
            let labels = o
                .node
                .get("metadata")
                .and_then(|m| m.entry("labels"))
                .map_or(o.anchor(), |e| e.key.span);
            d = d.related(labels, format!("labels of Namespace {}", o.name_str()));
        }
    }
    out.push(
        d.help("label those namespaces so that the selector matches them, or widen the selector (the webhook's own manifest has no namespaceSelector)")
            .path(format!("{path}.namespaceSelector")),
    );
}

/// IRSA workloads whose pod labels the objectSelector surely leaves out, the opt-out label
/// aside.
fn pods(world: &World<'_>, sel: &Node, name: &str, path: &str, out: &mut Vec<Diagnostic>) {
    let prefix = &world.settings.annotation_prefix.value;
    let mut excluded = Vec::new();
    let mut failing = None;
    for pod in &world.pods {
        let has_role = world
            .service_account(&pod.owner.namespace, pod.service_account_name())
            .and_then(|sa| sa.annotation(prefix, "role-arn"))
            .is_some_and(|e| e.value.as_str().is_some_and(|v| !v.trim().is_empty()));
        if !has_role {
            continue;
        }
        let labels = pod.labels();
        let label = |k: &str| -> Known<'_> {
            if k == SKIP_LABEL {
                return Some(None);
            }
            Some(
                labels
                    .iter()
                    .rev()
                    .find(|e| e.key.as_str() == Some(k))
                    .and_then(|e| e.value.as_str()),
            )
        };
        if let Err(m) = label_selector::evaluate(sel, label) {
            failing.get_or_insert(m.node.span);
            excluded.push((pod, m.requirement));
        }
    }
    let Some(at) = failing else { return };
    let list = excluded
        .iter()
        .take(5)
        .map(|(p, req)| format!("{} (fails {req})", p.display()))
        .collect::<Vec<_>>()
        .join(", ");
    let more = if excluded.len() > 5 {
        format!(" and {} more", excluded.len() - 5)
    } else {
        String::new()
    };
    let mut d = META
        .diagnostic(
            at,
            format!("the objectSelector of webhook `{name}` leaves out IRSA workloads: {list}{more}; their pods are created without credentials"),
        )
        .label("excludes IRSA pods");
    for (p, _) in excluded.iter().take(3) {
        let span = p.metadata.map_or(p.owner.anchor(), |m| m.span);
        d = d.related(span, format!("pod labels of {}", p.display()));
    }
    out.push(
        d.help("label those pod templates so that the selector matches them, or keep the objectSelector to the opt-out label (`eks.amazonaws.com/skip-pod-identity-webhook DoesNotExist`)")
            .path(format!("{path}.objectSelector")),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// The ServiceAccount Crossplane creates is in a namespace the files do not say: a
    /// selector on the namespace's name is not judged for it.
    #[test]
    fn crossplanes_namespace_is_not_judged() {
        crate::testing::assert_world_expectations(&super::META, "crossplane");
    }
}
