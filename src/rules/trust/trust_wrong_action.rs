use super::SHARED_IDENTITY_PROVIDERS;
use crate::model::iam::arn::OidcProvider;
use crate::model::iam::glob::has_wildcard;
use crate::rules::prelude::*;

declare_rule! {
    TrustWrongAction,
    code: "T009",
    name: "trust-wrong-action",
    family: Trust,
    severity: Error,
    summary: "an OIDC `Federated` principal is allowed an action other than `sts:AssumeRoleWithWebIdentity` (such as `sts:AssumeRole`), which it can never call",
}

/// Actions a web-identity principal may be granted in a trust policy.
const WEB_IDENTITY_ACTIONS: &[&str] = &[
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
];

impl Rule for TrustWrongAction {
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
                // Only statements whose principals are all web-identity providers: a mixed
                // statement may list `sts:AssumeRole` for its `AWS` principal.
                if principal.star || principal.by_type.len() != 1 {
                    continue;
                }
                let federated: Vec<_> = principal.federated().collect();
                let oidc = |v: &str| {
                    OidcProvider::parse(v).is_some() || SHARED_IDENTITY_PROVIDERS.contains(&v)
                };
                let Some(provider) = federated.first() else {
                    continue;
                };
                if !federated.iter().all(|t| oidc(&t.value)) {
                    continue;
                }
                let Some(actions) = &stmt.action else {
                    continue;
                };
                for a in &actions.values {
                    if a.unresolved
                        || has_wildcard(&a.value)
                        || WEB_IDENTITY_ACTIONS
                            .iter()
                            .any(|w| w.eq_ignore_ascii_case(&a.value))
                    {
                        continue;
                    }
                    push_about(out, doc,
                        META.diagnostic(
                            a.span,
                            format!(
                                "`{}` is not an action a web-identity provider can call: `{}` tokens are exchanged with `sts:AssumeRoleWithWebIdentity`",
                                a.value, provider.value
                            ),
                        )
                        .label("action the Federated principal never calls")
                        .related(provider.span, "the web-identity provider of this statement")
                        .help("use `sts:AssumeRoleWithWebIdentity` (plus `sts:TagSession` if the provider passes session tags)")
                        .path(format!("Statement[{}].Action", stmt.index)),
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
