use super::{provider_claim, SHARED_IDENTITY_PROVIDERS};
use crate::model::iam::arn;
use crate::model::iam::policy::{ConditionKey, Statement};
use crate::rules::prelude::*;

declare_rule! {
    TrustPublicPrincipal,
    code: "T018",
    name: "trust-public-principal",
    family: Trust,
    severity: Error,
    summary: "the role trusts everyone (`Principal: \"*\"`, `{\"AWS\": \"*\"}`) or a shared public identity provider (Cognito, Google, Facebook, Amazon) without an `aud` condition",
}

impl Rule for TrustPublicPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                if !stmt.is_allow() {
                    continue;
                }
                let Some(principal) = &stmt.principal else {
                    continue;
                };
                if principal.is_any() && !narrows_principal(stmt) {
                    push_about(out, doc,
                        META.diagnostic(principal.entry.key.span, "the statement trusts every principal (`*`): anyone with AWS credentials can try to assume the role")
                            .label("any principal")
                            .help("name the principals that may assume the role (an OIDC provider under `Federated`, a role ARN under `AWS`), or narrow `*` with a condition on `aws:PrincipalArn`, `aws:PrincipalAccount` or `aws:PrincipalOrgID`")
                            .path(format!("Statement[{}].Principal", stmt.index)),
                    );
                    continue;
                }
                for t in principal.federated() {
                    if !SHARED_IDENTITY_PROVIDERS.contains(&t.value.as_str()) {
                        continue;
                    }
                    let has_aud = stmt.condition.iter().flat_map(|c| c.keys()).any(|(b, k)| {
                        b.operator
                            .as_ref()
                            .is_ok_and(|o| !o.base.is_negated() && !o.if_exists)
                            && provider_claim(&k.name.value).is_some_and(|(i, c)| {
                                i.eq_ignore_ascii_case(&t.value) && (c == "aud" || c == "oaud")
                            })
                    });
                    if has_aud || pins_subject(stmt, &t.value) {
                        continue;
                    }
                    push_about(out, doc,
                        META.diagnostic(
                            t.span,
                            format!(
                                "`{}` is a shared identity provider and no condition pins `{}:aud`: identities of any application or identity pool can assume the role",
                                t.value, t.value
                            ),
                        )
                        .label("shared provider without an audience pin")
                        .help(format!("add `\"StringEquals\": {{\"{}:aud\": \"<your identity pool or client id>\"}}`", t.value))
                        .path(format!("Statement[{}].Principal.Federated", stmt.index)),
                    );
                }
            }
        }
    }
}

/// Whether a positive condition of `stmt` on a key that identifies the caller (its ARN,
/// account, organization, unique id) names specific principals, so `*` means "those
/// principals": the `ExplicitSelfRoleAssumption` statement that terraform-aws-modules'
/// `allow_self_assume_role` writes and Argo CD's EKS docs teach (`{"AWS": "*"}` with
/// `ArnLike` `aws:PrincipalArn` = the role itself). A key whose values are all wildcards in
/// the part that names the account or organization (`arn:aws:iam::*:role/x`) narrows
/// nothing; an unresolved value (a parameter, a placeholder) is taken as the user's
/// specific one, since the files do not say otherwise.
fn narrows_principal(stmt: &Statement<'_>) -> bool {
    required_conditions(stmt).any(|(op, k)| {
        let wild = |s: &str| op.base.uses_wildcards() && s.contains(['*', '?']);
        let name = k.name.value.to_ascii_lowercase();
        k.values.iter().all(|v| {
            v.unresolved
                || match name.as_str() {
                    "aws:principalarn" => arn::parse(&v.value)
                        .is_some_and(|a| !a.account.is_empty() && !wild(a.account)),
                    // `o-…/r-…/ou-…/*`: the organization, then a path in it.
                    "aws:principalorgpaths" => first_part(&v.value, '/', &wild),
                    // `AROA…:*`: the role's unique id, then any session name.
                    "aws:userid" => first_part(&v.value, ':', &wild),
                    "aws:principalaccount" | "aws:principalorgid" => {
                        !v.value.is_empty() && !wild(&v.value)
                    }
                    _ => false,
                }
        })
    })
}

/// Whether a positive condition of `stmt` pins `<provider>:sub` to specific subjects, for the
/// shared providers whose `sub` is one identity everywhere: a Google account's unique numeric
/// id (`accounts.google.com`; Google Cloud Storage Transfer Service's documented trust names
/// its service account so, without `aud`) or a Cognito identity id
/// (`cognito-identity.amazonaws.com`, `<region>:<uuid>`). Only that identity's tokens then
/// pass, whatever application they were issued for. An unresolved value is taken as the
/// user's specific one, as in [`narrows_principal`].
fn pins_subject(stmt: &Statement<'_>, provider: &str) -> bool {
    let global_sub = ["accounts.google.com", "cognito-identity.amazonaws.com"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(provider));
    global_sub
        && required_conditions(stmt).any(|(op, k)| {
            provider_claim(&k.name.value)
                .is_some_and(|(i, c)| i.eq_ignore_ascii_case(provider) && c == "sub")
                && k.values.iter().all(|v| {
                    let wild = op.base.uses_wildcards() && v.value.contains(['*', '?']);
                    v.unresolved || !(v.value.is_empty() || wild)
                })
        })
}

/// The condition keys of `stmt` that a request must carry with one of the listed values:
/// with their operator. Not those under a negated operator (it admits every other value),
/// `IfExists` (passes without the key), `ForAllValues:` (true when the key is missing), an
/// operator IAM does not know, or with no values.
fn required_conditions<'s>(
    stmt: &'s Statement<'_>,
) -> impl Iterator<
    Item = (
        &'s crate::model::iam::operator::Operator,
        &'s ConditionKey<'s>,
    ),
> + 's {
    stmt.condition
        .iter()
        .flat_map(|c| c.keys())
        .filter_map(|(b, k)| {
            let op = b.operator.as_ref().ok()?;
            let open = op.base.is_negated()
                || op.if_exists
                || op.qualifier == Some(crate::model::iam::operator::Qualifier::ForAllValues)
                || k.values.is_empty();
            (!open).then_some((op, k))
        })
}

/// Whether the part of `value` before the first `sep` is there and has no wildcard.
fn first_part(value: &str, sep: char, wild: &impl Fn(&str) -> bool) -> bool {
    let first = value.split(sep).next().unwrap_or("");
    !first.is_empty() && !wild(first)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
