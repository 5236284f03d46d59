use super::{normalize_issuer, provider_claim};
use crate::model::iam::arn::OidcProvider;
use crate::rules::prelude::*;

declare_rule! {
    TrustMultipleProviders,
    code: "T022",
    name: "trust-multiple-providers",
    family: Trust,
    severity: Warning,
    summary: "one statement trusts several OIDC providers but its conditions name only some of them, so the others' tokens never match (or are not constrained)",
}

impl Rule for TrustMultipleProviders {
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
                let providers: Vec<_> = principal
                    .federated()
                    .filter(|t| !t.unresolved)
                    .filter_map(|t| OidcProvider::parse(&t.value).map(|p| (p, t)))
                    .collect();
                if providers.len() < 2 {
                    continue;
                }
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                let named: Vec<String> = conds
                    .keys()
                    .filter(|(_, k)| !k.name.unresolved)
                    .filter_map(|(_, k)| {
                        provider_claim(&k.name.value).map(|(i, _)| normalize_issuer(i))
                    })
                    .collect();
                if named.is_empty() {
                    continue;
                }
                for (p, t) in &providers {
                    if named.contains(&normalize_issuer(&p.issuer)) {
                        continue;
                    }
                    push_about(out, doc,
                        META.diagnostic(
                            t.span,
                            format!(
                                "provider `{}` shares a statement with other providers, but no condition names its issuer `{}`",
                                t.value, p.issuer
                            ),
                        )
                        .label("provider without its own conditions")
                        .related(conds.entry.key.span, "conditions that name only the other providers")
                        .help(format!("give each provider its own statement with `{}:sub` and `{}:aud` conditions", p.issuer, p.issuer))
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
