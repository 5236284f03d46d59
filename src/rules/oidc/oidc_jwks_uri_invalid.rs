use crate::model::iam::arn::is_placeholder;
use crate::model::oidc::split_url;
use crate::rules::prelude::*;

declare_rule! {
    OidcJwksUriInvalid,
    code: "O003",
    name: "oidc-jwks-uri-invalid",
    family: Oidc,
    severity: Warning,
    summary: "an OIDC discovery document's `jwks_uri` is not https or is on another host than the issuer, so STS may not fetch or trust the signing keys",
}

impl Rule for OidcJwksUriInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in &world.discovery_documents {
            let Some(node) = doc.jwks_uri else { continue };
            let Some(raw) = node.as_str() else { continue };
            if is_placeholder(raw) {
                continue;
            }
            let jwks = split_url(raw.trim());
            let issuer_raw = doc.issuer.as_str().unwrap_or("");
            let issuer = split_url(issuer_raw.trim());
            let issuer_known = !is_placeholder(issuer_raw) && !issuer.host.is_empty();
            let (message, help) = match jwks.scheme.as_deref() {
                Some("https") => {
                    if !issuer_known
                        || jwks.host.is_empty()
                        || jwks.host.eq_ignore_ascii_case(issuer.host)
                    {
                        continue;
                    }
                    (
                        format!(
                            "`jwks_uri` `{raw}` is on host `{}`, not on the issuer's host `{}`",
                            jwks.host, issuer.host
                        ),
                        format!(
                            "serve the keys from the issuer's public host (`https://{}{}/keys.json` or `/openid/v1/jwks`); STS fetches them from `jwks_uri`, and IAM checks that host's TLS certificate against the provider's thumbprints, usually taken from the issuer's host",
                            issuer.host,
                            issuer.path.trim_end_matches('/')
                        ),
                    )
                }
                other => (
                    format!(
                        "`jwks_uri` `{raw}` {}: STS fetches signing keys over https only",
                        match other {
                            Some(s) => format!("uses `{s}`"),
                            None => "has no `https://` scheme".to_string(),
                        }
                    ),
                    "serve the keys over https from the issuer's host and write the full `https://` URL in `jwks_uri`".to_string(),
                ),
            };
            out.push(
                META.diagnostic(node.span, message)
                    .label("where STS fetches the signing keys")
                    .related(doc.issuer.span, "the issuer")
                    .help(help)
                    .path("jwks_uri"),
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
