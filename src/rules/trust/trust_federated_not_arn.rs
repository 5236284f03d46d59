use super::provider_claim;
use crate::model::iam::federated::not_a_provider;
use crate::rules::prelude::*;

declare_rule! {
    TrustFederatedNotArn,
    code: "T025",
    name: "trust-federated-not-arn",
    family: Trust,
    severity: Error,
    summary: "a web-identity trust's `Federated` principal is an issuer host or URL (or another ARN) instead of an IAM OIDC provider ARN, so IAM rejects the trust and no token is accepted",
}

/// An issuer as the provider ARN ends in: without scheme and trailing slash. `None` when
/// that is not known: a template whose unknown part carries the scheme
/// (`https://${module.eks.cluster_oidc_issuer_url}`), or nothing left.
fn arn_issuer(i: &str) -> Option<String> {
    let l = i.to_ascii_lowercase();
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|s| l.starts_with(s))
        .map_or(0, str::len);
    let rest = i[scheme..].trim_end_matches('/');
    // The scheme taken off a template: its unknown part may carry another one.
    let scheme_in_unknown = scheme > 0 && rest.contains("${");
    if rest.is_empty() || scheme_in_unknown {
        return None;
    }
    Some(rest.to_string())
}

/// `module.<name>` when `written` is terraform-aws-modules/eks's issuer output of that module
/// call (`module.eks.oidc_provider`, `module.eks.cluster_oidc_issuer_url`), written alone.
fn eks_module_output(written: &str) -> Option<&str> {
    let rest = written.trim().strip_prefix("module.")?;
    let (name, output) = rest.split_once('.')?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (valid && matches!(output, "oidc_provider" | "cluster_oidc_issuer_url"))
        .then(|| &written.trim()[..7 + name.len()])
}

impl Rule for TrustFederatedNotArn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                if !stmt.is_allow() || !stmt.is_web_identity() {
                    continue;
                }
                let Some(principal) = &stmt.principal else {
                    continue;
                };
                for t in principal.federated() {
                    let Some(what) = not_a_provider(t) else {
                        wrapped_provider_arn(world, doc, stmt.index, t, out);
                        continue;
                    };
                    // The issuer the condition keys name, else the one the value spells.
                    let issuer = stmt
                        .condition
                        .iter()
                        .flat_map(|c| c.keys())
                        .find_map(|(_, k)| provider_claim(&k.name.value).map(|(i, _)| i))
                        .and_then(arn_issuer)
                        .or_else(|| {
                            (!t.value.starts_with("arn:"))
                                .then(|| arn_issuer(&t.value))
                                .flatten()
                        })
                        .unwrap_or_else(|| "<issuer>".to_string());
                    let shown = super::written(world, t);
                    // terraform-aws-modules/eks outputs the ARN beside the issuer.
                    let help = match eks_module_output(&shown) {
                        Some(module) => format!(
                            "pass the provider's ARN, `{module}.oidc_provider_arn`, not its issuer"
                        ),
                        None => format!(
                            "name the IAM OIDC provider by its ARN: `arn:aws:iam::<account>:oidc-provider/{issuer}` (the issuer without `https://`)"
                        ),
                    };
                    push_about(
                        out,
                        doc,
                        META.diagnostic(
                            t.span,
                            format!(
                                "`Federated` principal {}is {what}: IAM accepts only a provider ARN here (`Invalid federated principal syntax`), so no token can assume the role",
                                super::shown_value(&shown)
                            ),
                        )
                        .label("not an OIDC provider ARN")
                        .help(help)
                        .path(format!("Statement[{}].Principal.Federated", stmt.index)),
                    );
                }
            }
        }
    }
}

/// A provider ARN built around a value that is itself the provider's ARN
/// (`arn:aws:iam::${AWS::AccountId}:oidc-provider/${OidcProvider}` where `OidcProvider` is the
/// template's `AWS::IAM::OIDCProvider`, whose `Ref` is its ARN; `.../oidc-provider/${module.eks.oidc_provider_arn}`):
/// no provider has that ARN, so IAM rejects the trust.
fn wrapped_provider_arn(
    world: &World<'_>,
    doc: &crate::world::PolicyDoc<'_>,
    index: usize,
    t: &crate::model::value::Text,
    out: &mut Vec<Diagnostic>,
) {
    let Some((_, inner)) = t.value.split_once(":oidc-provider/") else {
        return;
    };
    use super::trust_key_is_provider_arn::ProviderArn;
    let help = match super::provider_arn_issuer(world, doc, inner) {
        Some(ProviderArn::CloudFormation(logical)) => {
            format!("use the provider's ARN alone: `!Ref {logical}` (or `!GetAtt {logical}.Arn`)")
        }
        Some(ProviderArn::Terraform { reference, .. }) => {
            format!("use the provider's ARN alone: `{reference}`")
        }
        Some(ProviderArn::Literal(_)) => {
            "use the provider's ARN alone: `arn:aws:iam::<account>:oidc-provider/<issuer>`".into()
        }
        None => return,
    };
    push_about(
        out,
        doc,
        META.diagnostic(
            t.span,
            format!(
                "`Federated` principal `{}` wraps the provider's ARN in another ARN (`{inner}` is already `arn:...:oidc-provider/<issuer>`): no IAM OIDC provider has this ARN, so IAM rejects the trust and no token can assume the role",
                super::written(world, t).trim_matches('\'')
            ),
        )
        .label("not an OIDC provider ARN")
        .help(help)
        .path(format!("Statement[{index}].Principal.Federated")),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// The issuer a provider ARN ends in: no scheme, no trailing slash; unknown when the
    /// scheme was taken off a template (its unknown part may carry one) or nothing is left.
    #[test]
    fn issuers_for_the_arn() {
        use super::arn_issuer;
        assert_eq!(
            arn_issuer("https://oidc.example.com/tenant/").as_deref(),
            Some("oidc.example.com/tenant")
        );
        assert_eq!(
            arn_issuer("HTTP://oidc.example.com").as_deref(),
            Some("oidc.example.com")
        );
        assert_eq!(
            arn_issuer("${module.eks.oidc_provider}").as_deref(),
            Some("${module.eks.oidc_provider}")
        );
        assert_eq!(
            arn_issuer("https://${module.eks.cluster_oidc_issuer_url}"),
            None
        );
        assert_eq!(arn_issuer("https://"), None);
        assert_eq!(arn_issuer("/"), None);
    }

    #[test]
    fn terraform_eks_outputs() {
        use super::eks_module_output;
        assert_eq!(
            eks_module_output("module.eks.oidc_provider"),
            Some("module.eks")
        );
        assert_eq!(
            eks_module_output("module.my-eks_2.cluster_oidc_issuer_url"),
            Some("module.my-eks_2")
        );
        for other in [
            "module.eks.oidc_provider_arn",
            "module..oidc_provider",
            "module.eks[0].oidc_provider",
            "var.eks.oidc_provider",
            "module.eks",
            "oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        ] {
            assert_eq!(eks_module_output(other), None, "{other}");
        }
    }

    /// Only `Allow` statements that may allow `AssumeRoleWithWebIdentity` are judged: a
    /// `Deny`, or a SAML federation (its own rules' to judge), is not.
    #[test]
    fn only_allowed_web_identity_statements() {
        let lint = |effect: &str, action: &str| {
            let doc = serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": effect,
                    "Principal": {"Federated": "oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
                    "Action": action,
                }],
            });
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("trust.json"), doc.to_string()).unwrap();
            let (_, report) = crate::testing::lint_only(dir.path(), &super::META);
            report.diagnostics.len()
        };
        assert_eq!(lint("Allow", "sts:AssumeRoleWithWebIdentity"), 1);
        assert_eq!(lint("Allow", "sts:*"), 1);
        assert_eq!(lint("Deny", "sts:AssumeRoleWithWebIdentity"), 0);
        assert_eq!(lint("Allow", "sts:AssumeRoleWithSAML"), 0);
    }
}
