use crate::rules::prelude::*;

declare_rule! {
    PermBroadManagedPolicy,
    code: "P006",
    name: "perm-broad-managed-policy",
    family: Perm,
    severity: Error,
    summary: "a role has a broad AWS-managed policy attached (`AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess`, `*FullAccess`)",
}

/// The name of an AWS-managed policy ARN, any partition (`arn:aws-cn:`, `arn:${AWS::Partition}:`).
fn aws_managed_name(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (_, after) = rest.split_once(":iam::aws:policy/")?;
    after.rsplit('/').next().filter(|n| !n.is_empty())
}

/// Severity for a managed policy name, `None` if it is not broad.
fn broadness(name: &str) -> Option<Severity> {
    if name.starts_with("AdministratorAccess")
        || name == "PowerUserAccess"
        || name == "IAMFullAccess"
    {
        Some(Severity::Error)
    } else if name.ends_with("FullAccess") {
        Some(Severity::Warning)
    } else {
        None
    }
}

impl Rule for PermBroadManagedPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for role in &world.roles {
            for arn in &role.managed_policy_arns {
                let Some(name) = aws_managed_name(&arn.value) else {
                    continue;
                };
                if name.contains("${") {
                    continue;
                }
                let Some(sev) = broadness(name) else {
                    continue;
                };
                let what = match name {
                    n if n.starts_with("AdministratorAccess") => "full administrator access",
                    "PowerUserAccess" => "every action except most of IAM and Organizations",
                    "IAMFullAccess" => "full IAM access, enough to grant itself anything",
                    _ => "every action of a service",
                };
                out.push(
                    META.diagnostic(
                        arn.span,
                        format!(
                            "role {} has the AWS-managed policy `{name}` attached: {what}",
                            role.display()
                        ),
                    )
                    .label(format!("`{name}`"))
                    .related(role.anchor, "the role")
                    .help("replace it with a customer-managed or inline policy listing the actions and resources the workload needs")
                    .severity(sev)
                    .path("ManagedPolicyArns".to_string()),
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

    /// Terraform's plural `aws_iam_policy_attachment` and
    /// `aws_iam_role_policy_attachments_exclusive` attach to every role they list.
    #[test]
    fn terraform_attachments() {
        crate::testing::assert_world_expectations(&super::META, "terraform");
    }

    /// terraform-aws-modules/eks-pod-identity's `additional_policy_arns` attach to the role
    /// the module creates.
    #[test]
    fn terraform_pod_identity_module() {
        crate::testing::assert_world_expectations(&super::META, "terraform-pod-identity");
    }
}
