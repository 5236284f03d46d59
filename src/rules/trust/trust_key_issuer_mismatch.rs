use super::{normalize_issuer, provider_claim};
use crate::model::iam::arn::OidcProvider;
use crate::rules::prelude::*;

declare_rule! {
    TrustKeyIssuerMismatch,
    code: "T006",
    name: "trust-key-issuer-mismatch",
    family: Trust,
    severity: Error,
    summary: "a condition key names an issuer other than the statement's `Federated` OIDC provider, so the key is absent from every request",
}

impl Rule for TrustKeyIssuerMismatch {
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
                let federated: Vec<_> = principal.federated().collect();
                // Every provider must be a resolved OIDC provider ARN: otherwise we cannot
                // tell which issuers the keys may name.
                let mut providers = Vec::new();
                for t in &federated {
                    match OidcProvider::parse(&t.value) {
                        Some(p) if !t.unresolved || !p.issuer.contains("${") => {
                            providers.push((normalize_issuer(&p.issuer), p.issuer, *t));
                        }
                        _ => {}
                    }
                }
                if providers.is_empty() || providers.len() != federated.len() {
                    continue;
                }
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                for (block, key) in conds.keys() {
                    if key.name.unresolved || key.name.value.contains("${") {
                        continue;
                    }
                    let Some((issuer, claim)) = provider_claim(&key.name.value) else {
                        continue;
                    };
                    let norm = normalize_issuer(issuer);
                    if providers.iter().any(|(n, _, _)| *n == norm) {
                        continue;
                    }
                    // The provider's ARN as the key's issuer: trust-key-is-provider-arn's.
                    if super::provider_arn_issuer(world, doc, issuer).is_some() {
                        continue;
                    }
                    // Every provider of the statement: the key may name any one of them.
                    let shown = providers
                        .iter()
                        .map(|(_, p, _)| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(" and ");
                    let lower = issuer.to_ascii_lowercase();
                    let start = if lower.starts_with("https://") {
                        8
                    } else if lower.starts_with("http://") {
                        7
                    } else {
                        0
                    };
                    let named = issuer[start..].trim_end_matches('/');
                    let hint = if providers.len() == 1 {
                        format!("`{}:{claim}`", providers[0].1)
                    } else {
                        "a key of one of the statement's providers".to_string()
                    };
                    // A key a local module composed: at the issuer the caller passed in.
                    let span = world.inputs.terraform_origins.span_at(
                        doc.source.instance.as_ref().map(|i| i.call),
                        key.entry.key.span,
                        &key.name.value,
                        start..start + named.len().max(1),
                    );
                    push_about(out, doc,
                        META.diagnostic(
                            span,
                            format!(
                                "condition key `{}` names issuer `{named}`, but the statement trusts {shown}: tokens of {} never carry this key",
                                key.name.value,
                                if providers.len() == 1 { "that provider" } else { "these providers" }
                            ),
                        )
                        .label("issuer differs from the Federated provider")
                        .related(providers[0].2.span, "the OIDC provider this statement trusts")
                        .help(format!("use {hint} (the issuer of the `Federated` provider, without `https://`)"))
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

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A value a local module composes from what its caller passes: at the caller's text.
    #[test]
    fn terraform_local_module_caller_input() {
        crate::testing::assert_world_expectations(&super::META, "terraform-local-module");
    }
}
