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
            // A Terraform template (`*.tftpl`, the extension Terraform's `templatefile()` docs
            // recommend) is rendered before it is applied: its `${...}` interpolations are
            // filled then (sz9751210/terraform@c4cac4a aws/asg/modules/files/asg.yaml.tftpl,
            // applied by `kubectl apply` after `templatefile()`); `$${` stays a literal `${`.
            let path = world.inputs.sources.get(sa.obj.file).path.as_str();
            if terraform_fills(path, value) {
                continue;
            }
            // So is any template a `templatefile()` of the inputs' Terraform renders, whatever
            // its extension, where evaluation does not read the call
            // (chronno4/exemplo-addon-eks@8784f4d templates/service_account.yaml.tpl, rendered
            // into a `local_file` that kubectl_manifest applies: its `${role_arn}` is the
            // role's ARN). (One it reads is no document of its own: its rendering is judged.)
            let rendered = &world.inputs.terraform_rendered;
            if only_interpolations(value) && rendered.binary_search(&sa.obj.file).is_ok() {
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

/// Whether `value`, in the file at `path`, is a Terraform template's text whose placeholders
/// are all interpolations `templatefile()` fills: a `*.tftpl` file, `${` without the `$${`
/// escape, and nothing else that looks like a placeholder once they are filled.
fn terraform_fills(path: &str, value: &str) -> bool {
    let is_template = path
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("tftpl"));
    is_template && only_interpolations(value)
}

/// `${` interpolations only, no `$${` escape, and nothing else that looks like a placeholder
/// once they are filled.
fn only_interpolations(value: &str) -> bool {
    if !value.contains("${") || value.contains("$${") {
        return false;
    }
    // Each interpolation as a plain word, so that the rest is judged alone.
    let mut filled = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find("${") {
        filled.push_str(&rest[..at]);
        let Some(end) = rest[at..].find('}') else {
            return false;
        };
        filled.push_str("filled");
        rest = &rest[at + end + 1..];
    }
    filled.push_str(rest);
    !arn::is_placeholder(&filled)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A `*.tftpl` manifest's `${...}` interpolations are Terraform's to fill; its literal
    /// `$${`, an unclosed `${`, another file's `${`, and a placeholder of another kind beside
    /// them are still placeholders.
    /// chronno4/exemplo-addon-eks@8784f4d: a `.yaml.tpl` ServiceAccount that a
    /// `templatefile()` of the directory's Terraform renders (into a `local_file`) has its
    /// `${role_arn}` filled by Terraform; another template beside it that no call renders
    /// keeps its finding.
    #[test]
    fn a_template_terraform_renders_is_filled() {
        crate::testing::assert_world_expectations(&super::META, "terraform-local-file-template");
    }

    #[test]
    fn terraform_template_interpolations_are_filled() {
        use super::terraform_fills;
        let arn =
            "arn:aws:iam::${account_id}:role/${cluster_name}-AWSServiceRoleForClusterAutoScaler";
        assert!(terraform_fills("aws/asg/modules/files/asg.yaml.tftpl", arn));
        assert!(terraform_fills("sa.TFTPL", "${role_arn}"));
        assert!(!terraform_fills("asg.yaml", arn));
        assert!(!terraform_fills("tftpl", arn));
        assert!(!terraform_fills(
            "sa.tftpl",
            "arn:aws:iam::$${ACCOUNT_ID}:role/x"
        ));
        assert!(!terraform_fills("sa.tftpl", "arn:aws:iam::${account_id"));
        assert!(!terraform_fills(
            "sa.tftpl",
            "arn:aws:iam::<ACCOUNT_ID>:role/${name}"
        ));
        assert!(!terraform_fills(
            "sa.tftpl",
            "arn:aws:iam::${account}:role/REPLACE_ME"
        ));
        assert!(!terraform_fills(
            "sa.tftpl",
            "arn:aws:iam::111122223333:role/<NAME>"
        ));
        // Nothing to fill: not Terraform's to substitute.
        assert!(!terraform_fills(
            "sa.tftpl",
            "arn:aws:iam::111122223333:role/plain"
        ));
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
