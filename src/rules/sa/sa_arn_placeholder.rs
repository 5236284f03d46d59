use crate::model::iam::arn;
use crate::rules::prelude::*;

declare_rule! {
    SaArnPlaceholder,
    code: "S003",
    name: "sa-arn-placeholder",
    family: Sa,
    severity: Info,
    summary: "a ServiceAccount's role-arn annotation is an unfilled template placeholder",
}

impl Rule for SaArnPlaceholder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (sa, entry) in super::annotated(world, "role-arn") {
            let Some(value) = entry.value.as_str() else {
                continue;
            };
            // A value only apply will know (an ARN eksctl or Terraform generates) is no
            // template left unfilled.
            if entry.value.tag.as_deref() == Some(crate::terraform::UNKNOWN_TAG)
                || !arn::is_placeholder(value)
            {
                continue;
            }
            out.push(
                META.diagnostic(
                    entry.value.span,
                    format!("role-arn of `{}` is the placeholder `{value}`", sa.subject()),
                )
                .label("substituted before apply?")
                .help("make sure the placeholder is substituted (envsubst, kustomize, Helm) before the manifest is applied: the webhook injects the value verbatim and STS rejects it")
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
