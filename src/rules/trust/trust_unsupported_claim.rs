use super::provider_claim;
use super::sub_pattern::PREFIX;
use crate::model::iam::arn::OidcProvider;
use crate::rules::prelude::*;

declare_rule! {
    TrustUnsupportedClaim,
    code: "T017",
    name: "trust-unsupported-claim",
    family: Trust,
    severity: Error,
    summary: "a condition names a claim IAM does not expose for a Kubernetes OIDC issuer (only `aud`, `sub`, `azp`, `amr` exist), so the key is always absent",
}

const EXPOSED: &[&str] = &["aud", "sub", "azp", "amr"];

impl Rule for TrustUnsupportedClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let Some(principal) = &stmt.principal else {
                    continue;
                };
                if !stmt.is_allow() || !stmt.is_web_identity() {
                    continue;
                }
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                // Only cluster issuers: an EKS provider, or a statement whose `sub` values
                // are service accounts. Shared providers (Google, Cognito, GitHub) document
                // other keys.
                let eks = principal.federated().any(|t| {
                    OidcProvider::parse(&t.value).is_some_and(|p| p.issuer.starts_with("oidc.eks."))
                });
                let k8s = eks
                    || conds.keys().any(|(_, k)| {
                        provider_claim(&k.name.value).is_some_and(|(_, c)| c == "sub")
                            && k.values.iter().any(|v| v.value.starts_with(PREFIX))
                    });
                if !k8s {
                    continue;
                }
                for (block, key) in conds.keys() {
                    if key.name.unresolved {
                        continue;
                    }
                    let Some((issuer, claim)) = provider_claim(&key.name.value) else {
                        continue;
                    };
                    if EXPOSED.contains(&claim.as_str()) || issuer.contains('{') {
                        continue;
                    }
                    push_about(out, doc,
                        META.diagnostic(
                            key.entry.key.span,
                            format!(
                                "claim `{claim}` of issuer `{issuer}` is not exposed by IAM: `{}` is absent from every request",
                                key.name.value
                            ),
                        )
                        .label("claim IAM does not pass to conditions")
                        .help("constrain `sub` instead (`system:serviceaccount:<namespace>:<name>` names the namespace and the service account); IAM exposes only `aud`, `sub`, `azp` and `amr` of generic OIDC issuers")
                        .path(format!("Statement[{}].Condition.{}.{}", stmt.index, block.raw, key.name.value)),
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
