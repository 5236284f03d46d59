use crate::model::k8s::annotation;
use crate::rules::prelude::*;

declare_rule! {
    PodIrsaAnnotationOnPod,
    code: "K006",
    name: "pod-irsa-annotation-on-pod",
    family: Pod,
    severity: Error,
    summary: "role-arn, audience or sts-regional-endpoints annotations are set on a pod, where the webhook ignores them",
}

impl Rule for PodIrsaAnnotationOnPod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let prefix = &world.settings.annotation_prefix.value;
        for pod in &world.pods {
            for suffix in ["role-arn", "audience", "sts-regional-endpoints"] {
                let Some(e) = annotation(pod.annotations(), prefix, suffix) else {
                    continue;
                };
                let sa = pod.service_account_name();
                out.push(
                    META.diagnostic(
                        e.key.span,
                        format!(
                            "`{prefix}/{suffix}` on {} is ignored: the webhook reads it only from the ServiceAccount (`{}/{sa}`)",
                            // A bare Pod has no template.
                            if pod.owner.kind == "Pod" {
                                pod.display()
                            } else {
                                format!("the pod template of {}", pod.display())
                            },
                            pod.owner.namespace
                        ),
                    )
                    .label("not read on pods")
                    .help(if sa == "default" {
                        // Not to `default`: sa-role-on-default-sa would then object.
                        "move the annotation to a ServiceAccount of the workload's own (not `default`, which every pod of the namespace uses) and set `serviceAccountName` on the pod".to_string()
                    } else {
                        format!("move the annotation to the ServiceAccount `{sa}`")
                    })
                    .placed(world.placement_of(&pod.owner)).path(format!("{}.metadata.annotations", super::pod_path(pod))),
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
