//! OIDC discovery documents (`/.well-known/openid-configuration`) and JWKS files.

use crate::source::file::FileId;
use crate::source::node::Node;

#[derive(Debug, Clone)]
pub struct DiscoveryDocument<'a> {
    pub file: FileId,
    pub node: &'a Node,
    pub issuer: &'a Node,
    pub jwks_uri: Option<&'a Node>,
}

impl<'a> DiscoveryDocument<'a> {
    pub fn from_root(file: FileId, node: &'a Node) -> Option<DiscoveryDocument<'a>> {
        let issuer = node.get("issuer")?;
        issuer.as_str()?;
        node.get("jwks_uri")?;
        Some(DiscoveryDocument {
            file,
            node,
            issuer,
            jwks_uri: node.get("jwks_uri"),
        })
    }

    /// The issuer as IAM condition keys spell it: host and path, no scheme, no trailing `/`.
    pub fn issuer_key(&self) -> Option<String> {
        self.issuer.as_str().map(issuer_key)
    }
}

/// `https://oidc.eks.eu-west-1.amazonaws.com/id/ABC/` → `oidc.eks.eu-west-1.amazonaws.com/id/ABC`.
pub fn issuer_key(url: &str) -> String {
    let s = url.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    s.trim_end_matches('/').to_string()
}

/// A JSON Web Key Set (`keys` with `kty`).
#[derive(Debug, Clone)]
pub struct Jwks<'a> {
    pub file: FileId,
    pub node: &'a Node,
    pub keys: &'a [Node],
}

impl<'a> Jwks<'a> {
    pub fn from_root(file: FileId, node: &'a Node) -> Option<Jwks<'a>> {
        let keys = node.get("keys")?.as_seq()?;
        keys.iter()
            .any(|k| k.get("kty").is_some())
            .then_some(Jwks { file, node, keys })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn issuer_keys_drop_scheme_and_trailing_slash() {
        assert_eq!(
            super::issuer_key("https://oidc.example.com/id/X/"),
            "oidc.example.com/id/X"
        );
        assert_eq!(super::issuer_key("oidc.example.com"), "oidc.example.com");
    }
}
