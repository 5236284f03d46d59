use crate::rules::prelude::*;

declare_rule! {
    PodIrsaEnvConflict,
    code: "K008",
    name: "pod-irsa-env-conflict",
    family: Pod,
    severity: Error,
    summary: "a container hand-sets half of the AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE pair, or an AWS_ROLE_ARN other than its ServiceAccount's role-arn",
}

const ROLE: &str = "AWS_ROLE_ARN";
const FILE: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";

impl Rule for PodIrsaEnvConflict {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let prefix = &world.settings.annotation_prefix.value;
        for pod in &world.pods {
            let sa_name = pod.service_account_name();
            let Some(annotation) = super::find_sa(world, &pod.owner.namespace, sa_name)
                .and_then(|s| s.annotation(prefix, "role-arn"))
                .filter(|e| e.value.as_str().is_some_and(|v| !v.is_empty()))
            else {
                continue;
            };
            let sa_role = annotation.value.as_str().unwrap_or("");
            for c in &pod.containers {
                // Inline `env` only, as the webhook sees it (reference/webhook-semantics.md
                // §6): it injects both variables inline over whatever `envFrom` sets, so a
                // half pair or another role through `envFrom` is overridden, not a conflict.
                let role = c.env_var(ROLE);
                let file = c.env_var(FILE);
                let d = match (role, file) {
                    (Some(e), None) | (None, Some(e)) => {
                        let missing = if e.name == ROLE { FILE } else { ROLE };
                        META.diagnostic(
                            e.name_node.span,
                            format!(
                                "container `{}` of {} sets {} but not {missing}: the webhook does not complete a half-set pair, so the container gets no {missing}",
                                c.name_str(),
                                pod.display(),
                                e.name
                            ),
                        )
                        .label(format!("{missing} is never injected"))
                        .help(format!("remove {} and let the webhook inject both variables, or set {missing} too", e.name))
                    }
                    (Some(e), Some(_)) => {
                        let Some(v) = super::literal(e) else { continue };
                        if crate::model::iam::arn::is_placeholder(sa_role)
                            || v.trim() == sa_role.trim()
                        {
                            continue;
                        }
                        let Some(value) = e.value else { continue };
                        META.diagnostic(
                            value.span,
                            format!(
                                "container `{}` of {} sets AWS_ROLE_ARN `{v}`, but its ServiceAccount `{sa_name}` is annotated with `{sa_role}`: the webhook keeps the container's value",
                                c.name_str(),
                                pod.display()
                            ),
                        )
                        .label("overrides the ServiceAccount's role")
                        .help("remove the hand-set AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, or make them agree with the annotation")
                    }
                    (None, None) => continue,
                };
                out.push(
                    d.related(
                        annotation.value.span,
                        format!("role-arn of ServiceAccount `{sa_name}`"),
                    )
                    .placed(world.placement_of(&pod.owner))
                    .path(format!(
                        "{}.containers.{}.env",
                        super::pod_path(pod),
                        c.name_str()
                    )),
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
