use std::net::IpAddr;

use crate::model::iam::arn::is_placeholder;
use crate::model::oidc::split_url;
use crate::rules::prelude::*;

declare_rule! {
    OidcJwksUriInvalid,
    code: "O003",
    name: "oidc-jwks-uri-invalid",
    family: Oidc,
    severity: Warning,
    summary: "an OIDC discovery document's `jwks_uri` is not https, has a non-default port or names a cluster-internal or private host, so STS cannot fetch the signing keys",
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
            // A host other than the issuer's is fine: IAM takes the thumbprint's host from
            // `jwks_uri`, and its own example serves keys from another host than the issuer.
            let problem = match jwks.scheme.as_deref() {
                Some("https") => {
                    if let Some(p) = jwks.port.filter(|p| *p != "443") {
                        format!("has the port `:{p}`: STS fetches signing keys from the default https port")
                    } else if let Some(why) = unreachable_host(jwks.host) {
                        format!(
                            "names {why} `{}`, which STS cannot reach from the internet",
                            jwks.host
                        )
                    } else {
                        continue;
                    }
                }
                Some(s) => format!("uses `{s}`: STS fetches signing keys over https only"),
                None => {
                    "has no `https://` scheme: STS fetches signing keys over https only".to_string()
                }
            };
            out.push(
                META.diagnostic(node.span, format!("`jwks_uri` `{raw}` {problem}"))
                    .label("where STS fetches the signing keys")
                    .related(doc.issuer.span, "the issuer")
                    .help("serve the keys from a public https host on the default port (the issuer's host or another one) and write that full `https://` URL in `jwks_uri`; the provider's thumbprint is taken from that host")
                    .path("jwks_uri"),
            );
        }
    }
}

/// Why STS, on the internet, cannot reach `host`: a cluster-internal name or a private,
/// loopback or link-local address. `None` for any other host.
fn unreachable_host(host: &str) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        let private = match ip {
            IpAddr::V4(v4) => v4.is_private() || v4.is_loopback() || v4.is_link_local(),
            // fc00::/7 (unique local) and fe80::/10 (link-local).
            IpAddr::V6(v6) => {
                v6.is_loopback()
                    || (v6.segments()[0] & 0xfe00) == 0xfc00
                    || (v6.segments()[0] & 0xffc0) == 0xfe80
            }
        };
        return private.then_some("the private address");
    }
    let internal = host == "localhost"
        || !host.contains('.')
        || [
            ".svc",
            ".cluster.local",
            ".local",
            ".internal",
            ".localhost",
        ]
        .iter()
        .any(|s| host.ends_with(s));
    internal.then_some("the cluster-internal host")
}

#[cfg(test)]
mod tests {
    use super::unreachable_host;

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    #[test]
    fn internal_and_private_hosts() {
        for host in [
            "localhost",
            "kubernetes",
            "kubernetes.default.svc",
            "api.kube-system.svc.cluster.local",
            "oidc.corp.internal",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "[fd00::1]",
            "[fe80::1]",
            "[::1]",
        ] {
            assert!(unreachable_host(host).is_some(), "{host}");
        }
        for host in [
            "oidc.example.com",
            "keys.example.com.",
            "172.32.0.1",
            "11.0.0.1",
            "8.8.8.8",
            "[2001:db8::1]",
            "internal.example.com",
            "svc.example.com",
        ] {
            assert!(unreachable_host(host).is_none(), "{host}");
        }
    }
}
