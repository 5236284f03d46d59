use crate::rules::prelude::*;
use crate::world::Origin;

declare_rule! {
    SaAnnotationPrefixMismatch,
    code: "S004",
    name: "sa-annotation-prefix-mismatch",
    family: Sa,
    severity: Error,
    summary: "a ServiceAccount's role-arn annotation uses a domain other than the webhook's --annotation-prefix",
}

impl Rule for SaAnnotationPrefixMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let setting = &world.settings.annotation_prefix;
        // Without a webhook Deployment or a configured prefix there is nothing to compare to.
        if setting.origin == Origin::Default && world.webhook_deployments.len() != 1 {
            return;
        }
        let prefix = &setting.value;
        let source = match setting.origin {
            Origin::Flag(_) => format!("the webhook runs with `--annotation-prefix={prefix}`"),
            Origin::Config => format!("`[cluster].annotation-prefix` is `{prefix}`"),
            Origin::Default => format!(
                "the webhook runs without `--annotation-prefix`, so it reads `{prefix}/role-arn`"
            ),
        };
        for sa in &world.service_accounts {
            // On EKS, EKS's webhook reads the default prefix: the flag is another cluster's.
            if sa.annotation(prefix, "role-arn").is_some()
                || (sa.eks && matches!(setting.origin, Origin::Flag(_)))
            {
                continue;
            }
            for e in sa.obj.annotations() {
                let Some(key) = e.key.as_str() else { continue };
                let Some(domain) = key.strip_suffix("/role-arn") else {
                    continue;
                };
                if domain == prefix.as_str() || domain.contains('/') {
                    continue;
                }
                let mut d = META
                    .diagnostic(
                        e.key.span,
                        format!(
                            "`{key}` on `{}` is never read: {source}",
                            sa.subject()
                        ),
                    )
                    .label(format!("the webhook reads `{prefix}/role-arn`"))
                    .help(format!(
                        "rename the annotation to `{prefix}/role-arn` (and any other `{domain}/` IRSA annotation), or change the webhook's `--annotation-prefix`"
                    ));
                if let Some(span) = setting.span() {
                    d = d.related(span, "the webhook's annotation prefix");
                } else if let [wh] = world.webhook_deployments.as_slice() {
                    d = d.related(
                        wh.container.span,
                        "webhook container without `--annotation-prefix`",
                    );
                }
                out.push(d.path(super::annotations_path(sa)));
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

    /// A self-hosted webhook's prefix is another cluster's for the ServiceAccounts of a
    /// Terraform root that reads its EKS cluster; a root that names no cluster is judged
    /// like a manifest.
    #[test]
    fn eks_terraform_roots_beside_a_self_hosted_webhook() {
        crate::testing::assert_world_expectations(&super::META, "terraform-eks-beside-kops");
    }
}
