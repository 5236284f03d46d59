use super::{conditioned_issuer, kubernetes_issuer};
use crate::model::iam::arn;
use crate::model::iam::policy::PrincipalType;
use crate::rules::prelude::*;

declare_rule! {
    TrustBroadAwsPrincipal,
    code: "T020",
    name: "trust-broad-aws-principal",
    family: Trust,
    severity: Warning,
    summary: "a web-identity role also trusts a whole AWS account (`arn:aws:iam::<account>:root` or an account id) without conditions",
}

/// The account of an account-wide `AWS` principal: `arn:<p>:iam::<account>:root` or a bare
/// 12-digit account id.
fn account_wide(v: &str) -> Option<&str> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v);
    }
    let a = arn::parse(v)?;
    (a.service == "iam" && a.resource == "root").then_some(a.account)
}

impl Rule for TrustBroadAwsPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            let Some((issuer, provider, web_identity)) =
                doc.policy.statements.iter().find_map(|s| {
                    conditioned_issuer(s).map(|(issuer, provider)| (issuer, provider, s))
                })
            else {
                continue;
            };
            // A CI system's or other IdP's tokens (GitHub Actions) are not pods'.
            let holders = if kubernetes_issuer(&issuer, web_identity) {
                "pods"
            } else {
                "web-identity tokens"
            };
            for stmt in &doc.policy.statements {
                if !stmt.is_allow()
                    || stmt
                        .condition
                        .as_ref()
                        .is_some_and(|c| !c.blocks.is_empty())
                {
                    continue;
                }
                let Some(principal) = &stmt.principal else {
                    continue;
                };
                for v in principal.of_type(&PrincipalType::Aws) {
                    // `arn:...:iam::${AWS::AccountId}:root` is an account root whatever the
                    // account; other placeholders are undecidable.
                    let Some(account) = account_wide(&v.value) else {
                        continue;
                    };
                    let account = if account == "${AWS::AccountId}" {
                        "the stack's own account".to_string()
                    } else if v.unresolved || arn::is_placeholder(account) {
                        continue;
                    } else {
                        format!("account {account}")
                    };
                    push_about(out, doc,
                        META.diagnostic(
                            v.span,
                            format!(
                                "`{}` lets any principal of {account} with `sts:AssumeRole` permission assume this role, which {holders} of issuer `{}` also use",
                                v.value,
                                super::shown_issuer(world, web_identity, &issuer)
                            ),
                        )
                        .label("whole account, no condition")
                        .related(provider.span, "the OIDC provider the role is meant for")
                        .help("trust the specific role ARNs that need the role, or add conditions (`aws:PrincipalArn`), or remove the statement")
                        .path(format!("Statement[{}].Principal.AWS", stmt.index)),
                    );
                }
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

    /// The message names who the role is meant for: pods for a Kubernetes issuer, tokens for
    /// another IdP (GitHub Actions in github-oidc-role.yaml).
    #[test]
    fn names_pods_only_for_kubernetes_issuers() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules")
            .join(super::META.name)
            .join("bad");
        let (inputs, report) = crate::testing::lint_only(&dir, &super::META);
        let by_file = |name: &str| -> Vec<String> {
            report
                .diagnostics
                .iter()
                .filter(|d| inputs.sources.get(d.primary.file).path.ends_with(name))
                .map(|d| d.message.clone())
                .collect()
        };
        let gha = by_file("github-oidc-role.yaml");
        let irsa = by_file("irsa-plus-root-trust.json");
        assert!(!gha.is_empty() && !irsa.is_empty());
        assert!(
            gha.iter().all(|m| m.contains(
                "which web-identity tokens of issuer `token.actions.githubusercontent.com`"
            )),
            "{gha:?}"
        );
        assert!(
            irsa.iter()
                .all(|m| m.contains("which pods of issuer `oidc.eks.")),
            "{irsa:?}"
        );
    }
}
