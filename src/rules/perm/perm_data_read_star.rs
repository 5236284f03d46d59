use super::{
    allow_statements, boundary_allows, boundary_noted, explicit_grants, keep_allowed,
    narrowing_condition, resource_everything,
};
use crate::model::iam::eval::Resources;
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
            let Some(star) = resource_everything(stmt) else {
                continue;
            };
            if narrowing_condition(stmt) {
                continue;
            }
            // An ARN covering a whole service only matters for that service's reads.
            let reads: Vec<&'static str> = READS
                .iter()
                .copied()
                .filter(|r| star.covers_service(r.split(':').next().unwrap_or("")))
                .collect();
            let boundary = world.boundary_of(doc);
            for (v, hit) in explicit_grants(stmt, &reads) {
                // The reads the role's permissions boundary allows on all of it too.
                let (hit, verdict) = keep_allowed(hit, |a| {
                    boundary_allows(world, boundary, a, Resources::Every(&star.value.value))
                });
                if hit.is_empty() {
                    continue;
                }
                let what = match star.service {
                    None => format!(
                        "`{}` on `*` in {} lets the workload read every secret or object of the account it can reach{}",
                        v.value,
                        doc.source.label,
                        super::covered(&v.value, &hit)
                    ),
                    Some(_) => format!(
                        "`{}` on `{}` in {} lets the workload read {} it can reach, as on `*`{}",
                        v.value,
                        star.value.value,
                        doc.source.label,
                        star.noun,
                        super::covered(&v.value, &hit)
                    ),
                };
                push_about(out, doc, boundary_noted(boundary, verdict,
                    META.diagnostic(v.span, what)
                    .label("reads everything")
                    .related(star.value.span, star.noun.clone())
                    .help("scope `Resource` to the secrets, parameters, keys or bucket paths the workload reads")
                    .path(format!("Statement[{}].Action", stmt.index))),
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
