use crate::model::iam::arn;
use crate::rules::prelude::*;

declare_rule! {
    SaArnMalformed,
    code: "S002",
    name: "sa-arn-malformed",
    family: Sa,
    severity: Error,
    summary: "a ServiceAccount's role-arn annotation is not a valid IAM role ARN",
}

impl Rule for SaArnMalformed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let compose = super::compose_role_arn(world);
        for (sa, entry) in super::annotated(world, "role-arn") {
            let Some(value) = entry.value.as_str() else {
                continue;
            };
            // Present-but-empty means "no role" to the webhook (Helm charts render it so).
            if value.is_empty() || arn::is_placeholder(value) {
                continue;
            }
            if compose && !value.starts_with("arn:") {
                continue;
            }
            let Some(problem) = arn::role_arn_problem(value) else {
                continue;
            };
            out.push(
                META.diagnostic(
                    entry.value.span,
                    format!("role-arn `{}` of `{}` is malformed: it {problem}", value.escape_debug(), sa.subject()),
                )
                .label("not a valid IAM role ARN")
                .help("use the role's ARN as `aws iam get-role` prints it: `arn:aws:iam::<12-digit account>:role/<path/>name`, with nothing around it")
                .path(super::annotations_path(sa)),
            );
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
