use super::provider_claim;
use crate::model::iam::policy::PrincipalType;
use crate::rules::prelude::*;

declare_rule! {
    TrustPrincipalNotOidc,
    code: "T008",
    name: "trust-principal-not-oidc",
    family: Trust,
    severity: Error,
    summary: "`sts:AssumeRoleWithWebIdentity` is allowed to an `AWS` or `Service` principal instead of a `Federated` OIDC provider, so it can never be called",
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
                // No OIDC condition is needed: an `AWS` or `Service` principal can never
                // call the action, whatever the conditions say.
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
                let mut d = META
                    .diagnostic(
                        entry.key.span,
                        format!(
                            "`{ty_name}` principal `{shown}` cannot call `sts:AssumeRoleWithWebIdentity`: web-identity tokens are trusted through a `Federated` OIDC provider"
                        ),
                    )
                    .label(format!("`{ty_name}`, not `Federated`"));
                d = match oidc_key {
                    Some((_, key)) => d
                        .related(key.entry.key.span, "OIDC condition key of the intended provider")
                        .help("use `\"Principal\": {\"Federated\": \"arn:aws:iam::<account>:oidc-provider/<issuer>\"}` for the issuer named in the condition keys"),
                    None => d.help("for pods, use `\"Principal\": {\"Federated\": \"arn:aws:iam::<account>:oidc-provider/<issuer>\"}` with `<issuer>:sub` and `<issuer>:aud` conditions; for an AWS principal, allow `sts:AssumeRole` instead"),
                };
                push_about(
                    out,
                    doc,
                    d.path(format!("Statement[{}].Principal.{ty_name}", stmt.index)),
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
