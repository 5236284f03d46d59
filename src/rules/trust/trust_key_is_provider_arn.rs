use crate::model::iam::operator::BaseOp;
use crate::model::iam::policy::split_issuer_key;
use crate::rules::prelude::*;

declare_rule! {
    TrustKeyIsProviderArn,
    code: "T026",
    name: "trust-key-is-provider-arn",
    family: Trust,
    severity: Error,
    summary: "a condition key is named after the OIDC provider's ARN (`${module.eks.oidc_provider_arn}:sub`); IAM names web-identity keys after the provider's URL",
}

impl Rule for TrustKeyIsProviderArn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                for (block, key) in conds.keys() {
                    let Some((issuer, claim)) = split_issuer_key(&key.name.value) else {
                        continue;
                    };
                    let Some(arn) = super::provider_arn_issuer(world, doc, issuer) else {
                        continue;
                    };
                    let (shown, help) = match &arn {
                        ProviderArn::Literal(url) => (
                            "the provider's ARN".to_string(),
                            format!("write the key as `{url}:{claim}`"),
                        ),
                        ProviderArn::Terraform { reference, url } => (
                            format!("`{reference}`, the provider's ARN"),
                            match url {
                                Some(url) => format!("write the key as `\"${{{url}}}:{claim}\"` (the provider's URL, which the AWS provider stores without `https://`)"),
                                None => format!("write the key as `\"${{replace({reference}, \"/^(.*provider/)/\", \"\")}}:{claim}\"` (the issuer the ARN ends with), or use the issuer URL without `https://`"),
                            },
                        ),
                        ProviderArn::CloudFormation(logical) => (
                            format!("`{issuer}`, which is the ARN of the template's AWS::IAM::OIDCProvider `{logical}` (its `Ref` and its `Arn` attribute are its ARN)"),
                            format!("name the key after the provider's URL without `https://` (`oidc.eks.<region>.amazonaws.com/id/<id>:{claim}`: a parameter holding it, or `!Select [1, !Split [\"oidc-provider/\", !Ref {logical}]]` in a `Fn::Sub` variable), not after `{logical}`"),
                        ),
                    };
                    let span = world.inputs.terraform_origins.span_at(
                        doc.source.instance.as_ref().map(|i| i.call),
                        key.entry.key.span,
                        &key.name.value,
                        0..issuer.len(),
                    );
                    push_about(
                        out,
                        doc,
                        META.diagnostic(
                            span,
                            format!(
                                "condition key `{}` is named after {shown}: IAM names web-identity keys after the provider's URL without `https://` (`oidc.eks.<region>.amazonaws.com/id/<id>:{claim}`), so no request carries this key{}",
                                super::written(world, &key.name).trim_matches('\''),
                                // A positive operator on an absent key is false, so the
                                // statement never applies (a qualifier or `IfExists` may
                                // make it true instead: then only the key is said wrong).
                                match block.operator.as_ref() {
                                    Ok(o) if o.qualifier.is_none()
                                        && !o.if_exists
                                        && matches!(o.base, BaseOp::StringEquals | BaseOp::StringLike | BaseOp::StringEqualsIgnoreCase) =>
                                        ": the statement never applies",
                                    _ => "",
                                }
                            ),
                        )
                        .label("not a key IAM sets")
                        .help(help)
                        .path(format!(
                            "Statement[{}].Condition.{}.{}",
                            stmt.index, block.raw, key.name.value
                        )),
                    );
                }
            }
        }
    }
}

/// What a condition key's issuer part is when it is an OIDC provider's ARN.
pub(crate) enum ProviderArn {
    /// An ARN written out (`arn:aws:iam::111122223333:oidc-provider/oidc.eks…`), with the
    /// provider's URL it ends with.
    Literal(String),
    /// A Terraform reference whose value is a provider ARN (`module.eks.oidc_provider_arn`,
    /// `aws_iam_openid_connect_provider.eks.arn`), with the reference to the same provider's
    /// URL when there is one (`aws_iam_openid_connect_provider.eks.url`).
    Terraform {
        reference: String,
        url: Option<String>,
    },
    /// `${X}` or `${X.Arn}` of a CloudFormation template's `AWS::IAM::OIDCProvider` `X`.
    CloudFormation(String),
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// One problem once: the rules that would judge such a key as a real `sub`/`aud` key
    /// (the missing `aud` beside it, its issuer against `Federated`, its namespace-wide
    /// `sub` value) leave it to this rule, whose help they would contradict.
    #[test]
    fn other_trust_rules_leave_the_key_alone() {
        use crate::rules::trust::*;
        crate::testing::assert_world_expectations_with(
            &super::META,
            &[
                &trust_missing_aud::META,
                &trust_key_issuer_mismatch::META,
                &trust_namespace_any_sa::META,
                &trust_key_has_scheme::META,
            ],
            "bad",
        );
        crate::testing::assert_world_expectations_with(
            &super::META,
            &[&trust_missing_aud::META],
            "terraform",
        );
    }

    /// Terraform: the EKS module's ARN output, a provider resource's and data source's
    /// `arn`, in `jsonencode` and policy-document conditions; their URLs and the
    /// `replace()` of an ARN to its issuer are right.
    #[test]
    fn terraform_keys() {
        crate::testing::assert_world_expectations(&super::META, "terraform");
        crate::testing::assert_world_expectations(&super::META, "terraform-good");
        let report = crate::testing::lint_fixture_world(&super::META, "terraform");
        let helps: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| d.help.clone().unwrap_or_default())
            .collect();
        assert!(
            helps.contains(&"write the key as `\"${replace(module.eks.oidc_provider_arn, \"/^(.*provider/)/\", \"\")}:sub\"` (the issuer the ARN ends with), or use the issuer URL without `https://`".to_string()),
            "{helps:#?}"
        );
        assert!(
            helps.contains(&"write the key as `\"${aws_iam_openid_connect_provider.eks.url}:aud\"` (the provider's URL, which the AWS provider stores without `https://`)".to_string()),
            "{helps:#?}"
        );
    }
}
