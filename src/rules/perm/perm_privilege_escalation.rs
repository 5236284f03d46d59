use super::{
    allow_statements, boundary_allows_some, boundary_noted, explicit_grants, keep_allowed,
    statement_resources,
};
use crate::model::iam::policy::Statement;
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

/// Primitives that give the holder credentials of the user they act on: on the caller's own
/// user (`user/${aws:username}`) they give credentials with the permissions the caller
/// already has, so they widen nothing (AWS's "manage your own credentials" policy).
const OWN_CREDENTIALS: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
];

/// Whether every `Resource` is the caller's own IAM user: `user/${aws:username}` under any
/// path (`user/*/${aws:username}`: a user name is unique in an account whatever its path).
/// The partition and account may be unknown: IAM acts on users of the caller's own account.
fn own_user_only(stmt: &Statement<'_>) -> bool {
    let Some(resource) = &stmt.resource else {
        return false;
    };
    stmt.not_resource.is_none()
        && !resource.values.is_empty()
        && resource.values.iter().all(|v| {
            let v = v.value.as_str();
            v.starts_with("arn:")
                && v.rsplit_once(":user/").is_some_and(|(arn, tail)| {
                    arn.split(':').nth(2) == Some("iam")
                        && ["${aws:username}", "${!aws:username}"]
                            .iter()
                            .any(|me| tail == *me || tail.ends_with(&format!("/{me}")))
                })
        })
}

/// What a statement's `Resource` lets the primitives act on.
enum Scope {
    /// `*`, wildcards, `NotResource` or values we cannot read: any principal.
    Broad,
    /// Only named principals (no wildcard), listed for the message.
    Named(String),
    /// Only service-linked roles (`role/aws-service-role/...`), whose policies and trust
    /// IAM lets no one change: no escalation at all.
    ServiceLinkedOnly,
}

fn resource_scope(stmt: &Statement<'_>) -> Scope {
    let Some(resource) = &stmt.resource else {
        return Scope::Broad;
    };
    // A service-linked role's ARN: IAM refuses to change such a role's policies. Its
    // partition or account may be known only at apply (`arn:${local.partition}:iam::*:role/
    // aws-service-role/…`, terraform-aws-eks-pod-identity's FSx for Lustre policy): the
    // path decides.
    let service_linked = |v: &str| {
        let parts: Vec<&str> = v.splitn(6, ':').collect();
        parts.len() == 6
            && parts[0] == "arn"
            && parts[2] == "iam"
            && parts[5].starts_with("role/aws-service-role/")
    };
    if stmt.not_resource.is_some()
        || resource.values.is_empty()
        || resource
            .values
            .iter()
            .any(|v| v.unresolved && !service_linked(&v.value))
    {
        return Scope::Broad;
    }
    let others: Vec<&str> = resource
        .values
        .iter()
        .map(|v| v.value.as_str())
        .filter(|v| !service_linked(v))
        .collect();
    if others.is_empty() {
        return Scope::ServiceLinkedOnly;
    }
    // A policy variable (`${aws:username}`) names one principal per caller.
    let wildcard = |v: &str| {
        let bare: String = v
            .split("${")
            .map(|p| p.split_once('}').map_or(p, |(_, r)| r))
            .collect();
        bare.contains(['*', '?'])
    };
    if others.iter().any(|v| wildcard(v) || !v.starts_with("arn:")) {
        return Scope::Broad;
    }
    Scope::Named(
        others
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

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
            let scope = match resource_scope(stmt) {
                Scope::ServiceLinkedOnly => continue,
                scope => scope,
            };
            let own_user = own_user_only(stmt);
            let boundary = world.boundary_of(doc);
            let resources = statement_resources(stmt);
            for (v, hit) in explicit_grants(stmt, PRIMITIVES) {
                // The primitives the role's permissions boundary allows too, on some resource.
                let (hit, verdict) = keep_allowed(hit, |a| {
                    boundary_allows_some(world, boundary, a, &resources)
                });
                if hit.is_empty() {
                    continue;
                }
                if own_user && hit.iter().all(|a| OWN_CREDENTIALS.contains(a)) {
                    continue;
                }
                let (message, help) = match &scope {
                    Scope::Named(names) => (
                        format!(
                            "`{}` in {} allows privilege escalation through {} only{}: weaker than on `*`, but whoever uses {} gets what is attached",
                            v.value,
                            doc.source.label,
                            names,
                            super::covered(&v.value, &hit),
                            if names.contains(", ") { "these principals" } else { "it" }
                        ),
                        "remove the action if the workload does not manage these principals' policies; otherwise add a condition on `iam:PolicyARN` naming the policies it may attach, or a permissions boundary",
                    ),
                    _ => (
                        format!(
                            "`{}` in {} allows privilege escalation{}",
                            v.value,
                            doc.source.label,
                            super::covered(&v.value, &hit)
                        ),
                        "remove the action: a workload should not change IAM policies, trust or credentials; if it must, scope `Resource` to the exact ARNs and add a permissions boundary",
                    ),
                };
                push_about(
                    out,
                    doc,
                    boundary_noted(
                        boundary,
                        verdict,
                        META.diagnostic(v.span, message)
                            .label("can widen permissions")
                            .help(help)
                            .path(format!("Statement[{}].Action", stmt.index)),
                    ),
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

    /// The messages for one statement granting `iam:PutRolePolicy` with `rest` (its
    /// `Resource`, `NotResource`, `Condition`).
    fn messages(rest: &str) -> Vec<String> {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "iam:PutRolePolicy", {rest}}}]}}"#
        );
        crate::testing::lint_text("policy.json", &text, &super::META)
            .diagnostics
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    fn broad(rest: &str) -> bool {
        let m = messages(rest);
        assert_eq!(m.len(), 1, "{rest}: {m:?}");
        !m[0].contains(" only")
    }

    /// Credentials for the caller's own user widen nothing; a policy on it, or credentials
    /// for any other user, do.
    #[test]
    fn own_credentials_are_not_escalation() {
        let lint = |action: &str, resource: &str| {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "{action}", "Resource": {resource}}}]}}"#
            );
            crate::testing::lint_text("policy.json", &text, &super::META)
                .diagnostics
                .len()
        };
        let own = r#"["arn:aws:iam::111122223333:user/${aws:username}", "arn:aws:iam::111122223333:user/*/${aws:username}"]"#;
        assert_eq!(lint("iam:CreateAccessKey", own), 0);
        assert_eq!(lint("iam:*LoginProfile", own), 0);
        // Attaching a policy to oneself is the escalation itself.
        assert_eq!(lint("iam:PutUserPolicy", own), 1);
        assert_eq!(lint("iam:Create*", own), 1);
        // Another user, every user, a name that only ends like the variable, or a role.
        for other in [
            r#""arn:aws:iam::111122223333:user/admin""#,
            r#""arn:aws:iam::111122223333:user/*""#,
            r#""arn:aws:iam::111122223333:user/x${aws:username}""#,
            r#""arn:aws:iam::111122223333:role/${aws:username}""#,
            r#"["arn:aws:iam::111122223333:user/${aws:username}", "*"]"#,
        ] {
            assert_eq!(lint("iam:CreateAccessKey", other), 1, "{other}");
        }
    }

    #[test]
    fn resource_scopes() {
        // One named role: reported, as the weaker case.
        assert!(!broad(
            r#""Resource": "arn:aws:iam::111122223333:role/app""#
        ));
        // Every one of these makes the grant as broad as `*`.
        for rest in [
            r#""Resource": "*""#,
            r#""Resource": "arn:aws:iam::111122223333:role/*""#,
            r#""Resource": "arn:aws:iam::111122223333:role/app-?""#,
            r#""Resource": "app""#,
            r#""Resource": []"#,
            r#""Resource": "arn:aws:iam::111122223333:role/app", "NotResource": "arn:aws:iam::111122223333:role/x""#,
            r#""Resource": ["arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/*"]"#,
        ] {
            assert!(broad(rest), "{rest}");
        }
        // A policy variable names one principal per caller: still named.
        assert!(!broad(
            r#""Resource": "arn:aws:iam::111122223333:role/${aws:username}""#
        ));
        // Service-linked roles only: no escalation.
        assert!(messages(
            r#""Resource": "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS""#
        )
        .is_empty());
    }

    #[test]
    fn only_the_documented_mitigations_silence_it() {
        for key in ["iam:PolicyARN", "iam:PermissionsBoundary"] {
            let rest = format!(
                r#""Resource": "*", "Condition": {{"ArnEquals": {{"{key}": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}}"#
            );
            assert!(messages(&rest).is_empty(), "{key}");
        }
        // Any other condition leaves the escalation in place.
        assert!(broad(
            r#""Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#
        ));
    }
}
