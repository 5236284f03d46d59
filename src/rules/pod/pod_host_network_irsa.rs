use crate::rules::prelude::*;

declare_rule! {
    PodHostNetworkIrsa,
    code: "K010",
    name: "pod-host-network-irsa",
    family: Pod,
    severity: Warning,
    summary: "an IRSA workload runs with hostNetwork: it can reach the instance metadata service and the node's role",
}

impl Rule for PodHostNetworkIrsa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let prefix = &world.settings.annotation_prefix.value;
        for pod in &world.pods {
            let Some(host) = pod
                .spec
                .get("hostNetwork")
                .filter(|n| n.as_bool() == Some(true))
            else {
                continue;
            };
            let sa_name = pod.service_account_name();
            let role = super::find_sa(world, &pod.owner.namespace, sa_name)
                .and_then(|s| s.annotation(prefix, "role-arn"))
                .filter(|e| e.value.as_str().is_some_and(|v| !v.is_empty()))
                .map(|e| {
                    (
                        e.value.span,
                        format!("role-arn of ServiceAccount `{sa_name}`"),
                    )
                })
                .or_else(|| {
                    // Inline `env`, or `envFrom` a ConfigMap/Secret in the inputs (the span
                    // is then the key in that object).
                    pod.containers.iter().find_map(|c| {
                        world.container_env(pod, c, "AWS_ROLE_ARN").map(|e| {
                            let from = if c.env_var("AWS_ROLE_ARN").is_some() {
                                String::new()
                            } else {
                                " (through envFrom)".to_string()
                            };
                            (
                                e.name_node.span,
                                format!("AWS_ROLE_ARN of container `{}`{from}", c.name_str()),
                            )
                        })
                    })
                });
            let Some((span, label)) = role else { continue };
            out.push(
                META.diagnostic(
                    host.span,
                    format!(
                        "the IRSA workload {} runs with hostNetwork: its containers can reach the instance metadata service and the node's role, and fall back to it silently when IRSA fails",
                        pod.display()
                    ),
                )
                .label("host network namespace")
                .related(span, label)
                .help("drop `hostNetwork: true` if the workload does not need it; otherwise block IMDS for the node role (hop limit does not help on the host network) and keep the node role minimal")
                .placed(world.placement_of(&pod.owner)).path(format!("{}.spec.hostNetwork", super::pod_path(pod))),
            );
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
