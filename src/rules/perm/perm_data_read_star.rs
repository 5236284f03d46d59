use super::{allow_statements, explicit_grants, narrowing_condition, resource_star};
use crate::rules::prelude::*;

declare_rule! {
    PermDataReadStar,
    code: "P013",
    name: "perm-data-read-star",
    family: Perm,
    severity: Warning,
    summary: "an identity policy allows secret or data reads (`secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `kms:Decrypt`, `s3:GetObject`) on `Resource: \"*\"`",
}

const READS: &[&str] = &[
    "kms:Decrypt",
    "s3:GetObject",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
];

impl Rule for PermDataReadStar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            let Some(star) = resource_star(stmt) else {
                continue;
            };
            if narrowing_condition(stmt) {
                continue;
            }
            for (v, hit) in explicit_grants(stmt, READS) {
                out.push(
                    META.diagnostic(
                        v.span,
                        format!(
                            "`{}` on `*` in {} lets the workload read every secret or object of the account it can reach{}",
                            v.value,
                            doc.source.label,
                            super::covered(&v.value, &hit)
                        ),
                    )
                    .label("reads everything")
                    .related(star.span, "every resource")
                    .help("scope `Resource` to the secrets, parameters, keys or bucket paths the workload reads")
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
