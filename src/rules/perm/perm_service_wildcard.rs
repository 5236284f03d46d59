use super::{
    action_values, allow_statements, boundary_allows_some, boundary_noted, grant_summary,
    statement_resources,
};
use crate::model::iam::catalog::catalog;
use crate::model::iam::eval::Tri;
use crate::rules::prelude::*;

declare_rule! {
    PermServiceWildcard,
    code: "P002",
    name: "perm-service-wildcard",
    family: Perm,
    severity: Warning,
    summary: "an identity policy allows every action of a service (`s3:*`); `iam:*`, `sts:*` and `kms:*` are errors",
}

/// Services whose full wildcard lets the holder widen its own access or read every key.
const CRITICAL: &[&str] = &["iam", "sts", "kms"];

impl Rule for PermServiceWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            for v in action_values(stmt) {
                let Some((svc, act)) = v.value.split_once(':') else {
                    continue;
                };
                if svc.contains(['*', '?']) || act.is_empty() || !act.chars().all(|c| c == '*') {
                    continue;
                }
                let actions = catalog().expand(&v.value);
                if actions.is_empty() {
                    continue; // unknown service: another rule's business
                }
                // Every action of the service, on some resource of the statement's, must be
                // allowed by the role's permissions boundary too.
                let boundary = world.boundary_of(doc);
                let verdict =
                    boundary_allows_some(world, boundary, &v.value, &statement_resources(stmt));
                if verdict == Tri::False {
                    continue;
                }
                let svc_l = svc.to_ascii_lowercase();
                let critical = CRITICAL.contains(&svc_l.as_str());
                let mut d = META
                    .diagnostic(
                        v.span,
                        format!(
                            "`{}` in {} allows every {svc_l} action, including {}",
                            v.value,
                            doc.source.label,
                            if critical {
                                "ones that widen the role's own access"
                            } else {
                                "deletes and configuration changes"
                            }
                        ),
                    )
                    .label(format!("{} {svc_l} actions", actions.len()))
                    .help(format!(
                        "list only the {svc_l} actions the workload calls; `{}` {}",
                        v.value,
                        grant_summary(&actions)
                    ))
                    .path(format!("Statement[{}].Action", stmt.index));
                if critical {
                    d = d.severity(Severity::Error);
                }
                push_about(out, doc, boundary_noted(boundary, verdict, d));
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

    /// A policy file Terraform reads with `file()` is one policy, not two: the finding comes
    /// once, named after the Terraform resource that attaches it to its role.
    #[test]
    fn a_policy_file_terraform_reads_is_reported_once() {
        crate::testing::assert_world_expectations(&super::META, "terraform-file");
        let report = crate::testing::lint_fixture_world(&super::META, "terraform-file");
        let messages: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains("inline policy aws_iam_role_policy.sample"),
            "{messages:?}"
        );
    }
}
