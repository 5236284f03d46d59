use super::{boundary_allows, boundary_noted};
use crate::model::iam::catalog::catalog;
use crate::model::iam::eval::{Resources, Tri};
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

/// What the policy `name` grants, as the action and resources a role's permissions boundary
/// must allow for the finding to hold: everything for `AdministratorAccess` and
/// `PowerUserAccess` (a boundary that allows less makes them less than the finding says),
/// every IAM action for `IAMFullAccess`, and for `<Amazon|AWS><Service>FullAccess` every
/// action of the service when the catalogue knows its prefix (`AmazonS3FullAccess`: `s3:*`).
/// `None`: the files cannot tell which service.
fn grant_of(name: &str) -> Option<(String, Resources<'static>)> {
    if name.starts_with("AdministratorAccess") || name == "PowerUserAccess" {
        return Some(("*".into(), Resources::Every("*")));
    }
    let service = name
        .strip_prefix("Amazon")
        .or_else(|| name.strip_prefix("AWS"))
        .unwrap_or(name)
        .strip_suffix("FullAccess")?
        .trim_end_matches('_')
        .to_ascii_lowercase();
    let action = format!("{service}:*");
    (!service.is_empty() && !catalog().expand(&action).is_empty())
        .then_some((action, Resources::Some("*")))
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
                // A permissions boundary that does not allow what the policy grants caps it.
                let boundary = role.boundary.as_ref();
                let verdict = match grant_of(name) {
                    Some((action, resources)) => {
                        boundary_allows(world, boundary, &action, resources)
                    }
                    // Which service: unknown (without a boundary the note adds nothing).
                    None => Tri::Unknown,
                };
                if verdict == Tri::False {
                    continue;
                }
                let what = match name {
                    n if n.starts_with("AdministratorAccess") => "full administrator access",
                    "PowerUserAccess" => "every action except most of IAM and Organizations",
                    "IAMFullAccess" => "full IAM access, enough to grant itself anything",
                    _ => "every action of a service",
                };
                out.push(boundary_noted(boundary, verdict,
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
                    .path("ManagedPolicyArns".to_string())),
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
