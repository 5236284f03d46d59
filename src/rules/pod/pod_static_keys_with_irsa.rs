use crate::rules::prelude::*;

declare_rule! {
    PodStaticKeysWithIrsa,
    code: "K007",
    name: "pod-static-keys-with-irsa",
    family: Pod,
    severity: Warning,
    summary: "a container sets static AWS access keys while its pod uses IRSA: the keys win over the web identity",
}

impl Rule for PodStaticKeysWithIrsa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let prefix = &world.settings.annotation_prefix.value;
        for pod in &world.pods {
            let sa = super::find_sa(world, &pod.owner.namespace, pod.service_account_name());
            let sa_role = sa
                .and_then(|s| s.annotation(prefix, "role-arn"))
                .filter(|e| e.value.as_str().is_some_and(|v| !v.is_empty()));
            for c in &pod.containers {
                // The SDKs read the process environment: `envFrom` a Secret or ConfigMap in
                // the inputs counts like inline `env`.
                let Some(key) = world.container_env(pod, c, "AWS_ACCESS_KEY_ID") else {
                    continue;
                };
                let inline = c.env_var("AWS_ACCESS_KEY_ID").is_some();
                let own = world.container_env(pod, c, "AWS_ROLE_ARN");
                let related = match (&own, sa_role) {
                    (Some(e), _) => (e.name_node.span, "AWS_ROLE_ARN set here".to_string()),
                    (None, Some(a)) => (
                        a.value.span,
                        format!(
                            "role-arn of ServiceAccount `{}`",
                            pod.service_account_name()
                        ),
                    ),
                    _ => continue,
                };
                // Through `envFrom` the pod's entry is what to change; the key is related.
                let (at, how) = if inline {
                    (key.name_node.span, "sets AWS_ACCESS_KEY_ID")
                } else {
                    (key.entry.span, "gets AWS_ACCESS_KEY_ID through envFrom")
                };
                let mut d = META
                    .diagnostic(
                        at,
                        format!(
                            "container `{}` of {} {how} although the pod uses IRSA: the SDKs take the static keys first and never assume the role",
                            c.name_str(),
                            pod.display()
                        ),
                    )
                    .label("static credentials")
                    .related(related.0, related.1);
                if !inline {
                    d = d.related(key.name_node.span, "AWS_ACCESS_KEY_ID defined here");
                }
                out.push(
                    d
                    .help("remove AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and the Secret behind them) and grant the permissions to the IRSA role")
                    .placed(world.placement_of(&pod.owner)).path(format!("{}.containers.{}.env", super::pod_path(pod), c.name_str())),
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
