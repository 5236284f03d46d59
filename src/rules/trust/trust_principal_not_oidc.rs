use super::provider_claim;
use crate::model::iam::policy::PrincipalType;
use crate::rules::prelude::*;

declare_rule! {
    TrustPrincipalNotOidc,
    code: "T008",
    name: "trust-principal-not-oidc",
    family: Trust,
    severity: Error,
    summary: "`sts:AssumeRoleWithWebIdentity` with OIDC conditions, but the principal is an `AWS` or `Service` principal instead of a `Federated` OIDC provider",
}

impl Rule for TrustPrincipalNotOidc {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                if !stmt.is_allow() {
                    continue;
                }
                let names_web_identity = stmt.action.as_ref().is_some_and(|a| {
                    a.values.iter().any(|v| {
                        v.value
                            .eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity")
                    })
                });
                let Some(principal) = &stmt.principal else {
                    continue;
                };
                if !names_web_identity || principal.star || principal.federated().next().is_some() {
                    continue;
                }
                let oidc_key = stmt.condition.iter().flat_map(|c| c.keys()).find(|(_, k)| {
                    provider_claim(&k.name.value)
                        .is_some_and(|(_, c)| matches!(c.as_str(), "sub" | "aud" | "azp" | "amr"))
                });
                let Some((_, key)) = oidc_key else { continue };
                let Some((ty, entry, values)) = principal
                    .by_type
                    .iter()
                    .find(|(t, _, _)| matches!(t, PrincipalType::Aws | PrincipalType::Service))
                else {
                    continue;
                };
                let ty_name = if *ty == PrincipalType::Aws {
                    "AWS"
                } else {
                    "Service"
                };
                let shown = values.first().map(|v| v.value.as_str()).unwrap_or("");
                out.push(
                    META.diagnostic(
                        entry.key.span,
                        format!(
                            "`{ty_name}` principal `{shown}` cannot call `sts:AssumeRoleWithWebIdentity`: web-identity tokens are trusted through a `Federated` OIDC provider"
                        ),
                    )
                    .label(format!("`{ty_name}`, not `Federated`"))
                    .related(key.entry.key.span, "OIDC condition key of the intended provider")
                    .help("use `\"Principal\": {\"Federated\": \"arn:aws:iam::<account>:oidc-provider/<issuer>\"}` for the issuer named in the condition keys")
                    .path(format!("Statement[{}].Principal.{ty_name}", stmt.index)),
                );
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
