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
            // A value known only at apply time (a Terraform reference) is not text to judge.
            if crate::terraform::hcl::is_unknown(&entry.value) {
                continue;
            }
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
                    format!("role-arn `{}` of `{}` is malformed: {} {problem}", value.escape_debug(), sa.subject(), subject_for(&problem)),
                )
                .label("not a valid IAM role ARN")
                .help("use the role's ARN as `aws iam get-role` prints it: `arn:aws:iam::<12-digit account>:role/<path/>name`, with nothing around it")
                .path(super::annotations_path(sa)),
            );
        }
    }
}

/// `it` before a verb phrase ("it has 5 colon-separated parts"), `its` before a noun
/// phrase ("its account `12` is not a 12-digit account id").
fn subject_for(problem: &str) -> &'static str {
    let verb = ["is ", "has ", "contains ", "does ", "names "]
        .iter()
        .any(|v| problem.starts_with(v));
    if verb {
        "it"
    } else {
        "its"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn problems_read_as_sentences() {
        let msg = |v: &str| {
            let p = crate::model::iam::arn::role_arn_problem(v).unwrap();
            format!("{} {p}", super::subject_for(&p))
        };
        assert_eq!(
            msg("arn:aws:iam::12:role/app"),
            "its account `12` is not a 12-digit account id"
        );
        assert_eq!(
            msg("arn:aws:iam:123456789012:role/app"),
            "it has 5 colon-separated parts, expected 6 (arn:partition:iam::account:role/name)"
        );
        assert_eq!(
            msg("arn:aws-mars:iam::123456789012:role/app"),
            "its partition `aws-mars` is unknown"
        );
        assert_eq!(
            msg("arn:aws:iam::123456789012:role/"),
            "its role name is empty"
        );
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
