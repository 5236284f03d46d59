use super::{allow_statements, explicit_grants};
use crate::rules::prelude::*;

declare_rule! {
    PermPrivilegeEscalation,
    code: "P009",
    name: "perm-privilege-escalation",
    family: Perm,
    severity: Error,
    summary: "an identity policy allows an IAM privilege-escalation primitive (`iam:CreatePolicyVersion`, `iam:AttachRolePolicy`, `iam:UpdateAssumeRolePolicy`, ...)",
}

/// Actions that let the holder widen its own or another principal's permissions.
pub const PRIMITIVES: &[&str] = &[
    "iam:AddUserToGroup",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreatePolicyVersion",
    "iam:PutGroupPolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:PutUserPermissionsBoundary",
    "iam:PutUserPolicy",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateLoginProfile",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
];

impl Rule for PermPrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            // Limited to named policies or a permissions boundary: the documented mitigation.
            let limited = stmt.condition.iter().flat_map(|c| c.keys()).any(|(_, k)| {
                let n = k.name.value.to_ascii_lowercase();
                n == "iam:policyarn" || n == "iam:permissionsboundary"
            });
            if limited {
                continue;
            }
            for (v, hit) in explicit_grants(stmt, PRIMITIVES) {
                out.push(
                    META.diagnostic(
                        v.span,
                        format!(
                            "`{}` in {} allows privilege escalation{}",
                            v.value,
                            doc.source.label,
                            super::covered(&v.value, &hit)
                        ),
                    )
                    .label("can widen permissions")
                    .help("remove the action: a workload should not change IAM policies, trust or credentials; if it must, scope `Resource` to the exact ARNs and add a permissions boundary")
                    .path(format!("Statement[{}].Action", stmt.index)),
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
