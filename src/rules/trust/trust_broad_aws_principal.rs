use super::conditioned_issuer;
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
            let Some((issuer, provider)) =
                doc.policy.statements.iter().find_map(conditioned_issuer)
            else {
                continue;
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
                        "(the stack's own account)"
                    } else if v.unresolved || arn::is_placeholder(account) {
                        continue;
                    } else {
                        account
                    };
                    out.push(
                        META.diagnostic(
                            v.span,
                            format!(
                                "`{}` lets any principal of account {account} with `sts:AssumeRole` permission assume this role, which pods of issuer `{issuer}` also use",
                                v.value
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
}
