use crate::rules::prelude::*;
use crate::rules::rule_selector::did_you_mean;

declare_rule! {
    PodSaMissing,
    code: "K001",
    name: "pod-sa-missing",
    family: Pod,
    severity: Warning,
    summary: "a workload's serviceAccountName names no ServiceAccount in the inputs while IRSA is in use there",
}

impl Rule for PodSaMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let prefix = &world.settings.annotation_prefix.value;
        for pod in &world.pods {
            let Some(node) = pod.service_account else {
                continue;
            };
            let name = pod.service_account_name();
            let ns = pod.owner.namespace.as_str();
            if name == "default" || super::find_sa(world, ns, name).is_some() {
                continue;
            }
            // IRSA is clearly in use: annotated SAs in the same namespace, or the pod's own
            // AWS variables or hand-projected token.
            let annotated: Vec<&str> = world
                .service_accounts
                .iter()
                .filter(|s| s.namespace() == ns && s.annotation(prefix, "role-arn").is_some())
                .map(|s| s.name())
                .collect();
            // Inline `env` or `envFrom` a ConfigMap/Secret in the inputs: either shows the
            // pod means to use a web identity.
            let own_irsa = pod.containers.iter().any(|c| {
                world.container_env(pod, c, "AWS_ROLE_ARN").is_some()
                    || world
                        .container_env(pod, c, "AWS_WEB_IDENTITY_TOKEN_FILE")
                        .is_some()
            });
            if annotated.is_empty() && !own_irsa {
                continue;
            }
            let same_ns: Vec<&str> = world
                .service_accounts
                .iter()
                .filter(|s| s.namespace() == ns)
                .map(|s| s.name())
                .collect();
            let why = if annotated.is_empty() {
                "its containers set AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE".to_string()
            } else {
                format!(
                    "namespace `{ns}` has IRSA ServiceAccounts ({})",
                    annotated
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let mut d = META
                .diagnostic(
                    node.span,
                    format!(
                        "serviceAccountName `{name}` of {} names no ServiceAccount in the inputs, while {why}",
                        pod.display()
                    ),
                )
                .label("no such ServiceAccount");
            if let Some(best) = did_you_mean(name, same_ns.iter().copied()) {
                d = d.help(format!("did you mean `{best}`? Point `serviceAccountName` at the annotated ServiceAccount, or add `{name}` with its role-arn annotation"));
                if let Some(sa) = super::find_sa(world, ns, best) {
                    d = d.related(sa.obj.anchor(), format!("ServiceAccount `{ns}/{best}`"));
                }
            } else {
                d = d.help(format!("add the ServiceAccount `{ns}/{name}` (with its role-arn annotation) to the inputs, or point `serviceAccountName` at the one that carries the role; without it the pod is not admitted"));
            }
            out.push(d.path(format!("{}.spec.serviceAccountName", super::pod_path(pod))));
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
