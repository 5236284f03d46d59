use super::{provider_claim, SHARED_IDENTITY_PROVIDERS};
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
                if principal.is_any() {
                    out.push(
                        META.diagnostic(principal.entry.key.span, "the statement trusts every principal (`*`): anyone with AWS credentials can try to assume the role")
                            .label("any principal")
                            .help("name the principals that may assume the role (an OIDC provider under `Federated`, a role ARN under `AWS`)")
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
                    if has_aud {
                        continue;
                    }
                    out.push(
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

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
