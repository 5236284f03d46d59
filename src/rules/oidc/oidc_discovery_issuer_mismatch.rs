use crate::model::oidc::issuer_key;
use crate::model::value::{text, Substitutions};
use crate::rules::prelude::*;
use crate::rules::trust::oidc_providers;

declare_rule! {
    OidcDiscoveryIssuerMismatch,
    code: "O001",
    name: "oidc-discovery-issuer-mismatch",
    family: Oidc,
    severity: Error,
    summary: "an OIDC discovery document's issuer differs from the issuer of the IAM OIDC provider that trusts it",
}

/// The IAM providers' issuers (`host/path`) the inputs name, with where they are written.
pub(crate) fn providers(world: &World<'_>) -> Vec<(String, Option<Span>, &'static str)> {
    let mut out: Vec<(String, Option<Span>, &'static str)> = Vec::new();
    for trust in world.trust_policies() {
        for stmt in &trust.policy.statements {
            for (p, t) in oidc_providers(stmt) {
                if !out.iter().any(|(i, _, _)| *i == p.issuer) {
                    out.push((p.issuer, Some(t.span), "IAM OIDC provider trusted here"));
                }
            }
        }
    }
    for node in &world.cfn_oidc_providers {
        if let Some(url) = node
            .path(&["Properties", "Url"])
            .and_then(|n| text(n, Substitutions::none()))
            .filter(|t| !t.unresolved)
        {
            let key = issuer_key(&url.value);
            if !out.iter().any(|(i, _, _)| *i == key) {
                out.push((key, Some(url.span), "AWS::IAM::OIDCProvider Url"));
            }
        }
    }
    // Provider documents (`get-open-id-connect-provider` output, ccoctl's
    // `04-iam-identity-provider.json`); CloudFormation ones were taken above.
    for p in &world.iam_oidc_providers {
        if let Some(key) = p.issuer_key() {
            if !out.iter().any(|(i, _, _)| *i == key) {
                out.push((key, Some(p.url.span), "IAM OIDC provider Url"));
            }
        }
    }
    for i in &world.cluster.issuers {
        let key = issuer_key(i);
        if !out.iter().any(|(k, _, _)| *k == key) {
            out.push((key, None, "[cluster].issuers"));
        }
    }
    out
}

fn split(key: &str) -> (&str, &str) {
    key.split_once('/').unwrap_or((key, ""))
}

impl Rule for OidcDiscoveryIssuerMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let known = providers(world);
        if known.is_empty() {
            return;
        }
        for doc in &world.discovery_documents {
            let Some(raw) = doc.issuer.as_str() else {
                continue;
            };
            let key = issuer_key(raw);
            let exact = known.iter().find(|(k, _, _)| *k == key);
            let (message, provider) = if let Some(p) = exact {
                let expected = format!("https://{}", p.0);
                if raw == expected {
                    continue;
                }
                let what = if !raw.starts_with("https://") {
                    "an issuer must be an https URL"
                } else if raw.ends_with('/') {
                    "the trailing `/` makes the tokens' `iss` differ from the provider URL"
                } else {
                    "it is not written exactly as the provider URL"
                };
                (
                    format!("discovery document issuer `{raw}` is not `{expected}`: {what}"),
                    p,
                )
            } else {
                let (host, path) = split(&key);
                let Some(p) = known.iter().find(|(k, _, _)| {
                    let (h, pa) = split(k);
                    (h == host && pa != path) || (h != host && pa == path && !pa.is_empty())
                }) else {
                    continue;
                };
                (
                    format!(
                        "discovery document issuer `{raw}` does not match the IAM OIDC provider `{}`",
                        p.0
                    ),
                    p,
                )
            };
            let mut d = META
                .diagnostic(doc.issuer.span, message)
                .label("issuer served to STS")
                .help(format!(
                    "serve `\"issuer\": \"https://{}\"` exactly as the API server's --service-account-issuer and the IAM provider URL spell it; STS compares them character by character",
                    provider.0
                ));
            if let Some(s) = provider.1 {
                d = d.related(s, provider.2);
            }
            out.push(d.path("issuer"));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A trust for two clusters under one host: a document matches the first provider or the
    /// last one, and a near miss is judged against the provider its issuer names.
    #[test]
    fn the_matching_provider_may_be_the_first_or_the_last() {
        crate::testing::assert_world_expectations(&super::META, "two-clusters");
        let report = crate::testing::lint_fixture_world(&super::META, "two-clusters");
        assert!(
            report.diagnostics[0]
                .message
                .ends_with("is not `https://irsa.example.com/clusters/green`: the trailing `/` makes the tokens' `iss` differ from the provider URL"),
            "{}",
            report.diagnostics[0].message
        );
    }

    /// A discovery document is judged against the CloudFormation provider with its URL, and
    /// the finding points there, even when a role's trust names another issuer on the same
    /// host first.
    #[test]
    fn a_cloudformation_provider_matches_among_others() {
        crate::testing::assert_world_expectations(&super::META, "cfn-provider");
        let report = crate::testing::lint_fixture_world(&super::META, "cfn-provider");
        let d = &report.diagnostics[0];
        assert!(
            d.message
                .contains("is not `https://oidc-issuers.s3.eu-west-1.amazonaws.com/prod`"),
            "{}",
            d.message
        );
        let related: Vec<_> = d.related.iter().map(|r| r.message.as_str()).collect();
        assert_eq!(related, ["AWS::IAM::OIDCProvider Url"]);
    }
}
