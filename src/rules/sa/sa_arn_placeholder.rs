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
            // A value known only at apply time (a Terraform reference) is not text to judge.
            if crate::terraform::hcl::is_unknown(&entry.value) {
                continue;
            }
            // A value only apply will know (an ARN eksctl or Terraform generates) is no
            // template left unfilled.
            if entry.value.tag.as_deref() == Some(crate::terraform::UNKNOWN_TAG)
                || !arn::is_placeholder(value)
            {
                continue;
            }
            // A documentation snippet may leave `metadata.name` out: name what is there.
            let whose = if sa.name().is_empty() {
                format!(
                    "a ServiceAccount without a name in namespace `{}`",
                    sa.namespace()
                )
            } else {
                format!("`{}`", sa.subject())
            };
            out.push(
                META.diagnostic(
                    entry.value.span,
                    format!("role-arn of {whose} is the placeholder `{value}`"),
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

    /// A snippet without `metadata.name` (cert-manager's Route53 docs) is named as such, not
    /// as `system:serviceaccount:default:`.
    #[test]
    fn a_nameless_service_account_is_named_as_such() {
        let report = crate::testing::lint_text(
            "sa.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::${AWS_ACCOUNT_ID}:role/cert-manager\n",
            &super::META,
        );
        let messages: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["role-arn of a ServiceAccount without a name in namespace `default` is the placeholder `arn:aws:iam::${AWS_ACCOUNT_ID}:role/cert-manager`"]
        );
    }
}
