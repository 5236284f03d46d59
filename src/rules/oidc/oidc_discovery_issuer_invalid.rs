use super::oidc_discovery_issuer_mismatch::providers;
use crate::model::iam::arn::is_placeholder;
use crate::model::oidc::{issuer_key, split_url};
use crate::rules::prelude::*;

declare_rule! {
    OidcDiscoveryIssuerInvalid,
    code: "O002",
    name: "oidc-discovery-issuer-invalid",
    family: Oidc,
    severity: Error,
    summary: "an OIDC discovery document's issuer is not an https URL without query, fragment or user info (errors), or has a port, which IAM says it should not (warning)",
}

impl Rule for OidcDiscoveryIssuerInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let known = providers(world);
        for doc in &world.discovery_documents {
            let Some(raw) = doc.issuer.as_str() else {
                continue;
            };
            if is_placeholder(raw) {
                continue;
            }
            let u = split_url(raw.trim());
            let mut problems: Vec<String> = Vec::new();
            match u.scheme.as_deref() {
                Some("https") => {}
                // oidc-discovery-issuer-mismatch already names the scheme when the issuer is
                // otherwise the provider's.
                _ if known.iter().any(|(k, _, _)| *k == issuer_key(raw)) => {}
                Some(s) => problems.push(format!("uses `{s}` instead of `https`")),
                None => problems.push("has no `https://` scheme".to_string()),
            }
            if let Some(q) = u.query {
                problems.push(format!("has a query (`?{q}`)"));
            }
            if let Some(f) = u.fragment {
                problems.push(format!("has a fragment (`#{f}`)"));
            }
            if u.userinfo.is_some() {
                problems.push("has user info before `@`".to_string());
            }
            if u.host.is_empty() {
                problems.push("has no host".to_string());
            }
            // OIDC Discovery allows a port; IAM only says the provider URL should not have
            // one. Alone it is a warning; beside an error it is listed with it.
            let port_only = problems.is_empty();
            match (u.port, port_only) {
                (None, true) => continue,
                (Some(p), true) => problems.push(format!(
                    "has a port (`:{p}`), which IAM says an OIDC provider URL should not contain"
                )),
                (Some(p), false) => problems.push(format!("has a port (`:{p}`)")),
                (None, false) => {}
            }
            let fixed = format!("https://{}{}", u.host, u.path.trim_end_matches('/'));
            out.push(
                META.diagnostic(
                    doc.issuer.span,
                    format!("discovery document issuer `{raw}` {}", problems.join(", ")),
                )
                .severity(if port_only { Severity::Warning } else { Severity::Error })
                .label("issuer served to STS")
                .help(format!(
                    "serve an issuer of the form `{fixed}` (https, host and optional path only) and use the same URL for the API server's --service-account-issuer and the IAM OIDC provider"
                ))
                .path("issuer"),
            );
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
