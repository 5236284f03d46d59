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

/// The parts of an absolute URL, as written (no decoding, no normalisation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts<'s> {
    /// Lower-cased scheme; `None` when the text has no `scheme://`.
    pub scheme: Option<String>,
    pub userinfo: Option<&'s str>,
    pub host: &'s str,
    pub port: Option<&'s str>,
    pub path: &'s str,
    pub query: Option<&'s str>,
    pub fragment: Option<&'s str>,
}

/// Splits `scheme://[userinfo@]host[:port][/path][?query][#fragment]`. Text without
/// `://` is read as starting at the host.
pub fn split_url(url: &str) -> UrlParts<'_> {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r))
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (Some(s.to_ascii_lowercase()), r)
        }
        _ => (None, url),
    };
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    // `[v6]:port`: the port follows the closing bracket.
    let (host, port) = match hostport.rfind(':') {
        Some(i) if !hostport[i..].contains(']') => (&hostport[..i], Some(&hostport[i + 1..])),
        _ => (hostport, None),
    };
    UrlParts {
        scheme,
        userinfo,
        host,
        port,
        path,
        query,
        fragment,
    }
}

/// An IAM OIDC identity provider with its client IDs (audiences): `aws iam
/// get-open-id-connect-provider` output, `create-open-id-connect-provider --cli-input-json`
/// input (ccoctl's `04-iam-identity-provider.json`), or a CloudFormation
/// `AWS::IAM::OIDCProvider`.
#[derive(Debug, Clone)]
pub struct IamOidcProvider<'a> {
    /// The `Url` value: `https://host/path` or `host/path`.
    pub url: &'a Node,
    /// The `ClientIDList` / `ClientIdList` entry.
    pub client_ids: &'a crate::source::node::Entry,
}

impl<'a> IamOidcProvider<'a> {
    /// The provider of a JSON document with `Url` and `ClientIDList` at its root.
    pub fn from_root(node: &'a Node) -> Option<IamOidcProvider<'a>> {
        let url = node.get("Url").filter(|u| u.as_str().is_some())?;
        let client_ids = node.entry("ClientIDList")?;
        Some(IamOidcProvider { url, client_ids })
    }

    /// A CloudFormation `AWS::IAM::OIDCProvider` resource with `Url` and `ClientIdList`.
    pub fn from_cfn(resource: &'a Node) -> Option<IamOidcProvider<'a>> {
        let props = resource.get("Properties")?;
        let url = props.get("Url")?;
        let client_ids = props.entry("ClientIdList")?;
        Some(IamOidcProvider { url, client_ids })
    }

    /// The issuer as IAM keys spell it, when the URL is a literal.
    pub fn issuer_key(&self) -> Option<String> {
        let url = self.url.as_str()?;
        (!url.contains("${") && self.url.tag.is_none()).then(|| issuer_key(url))
    }

    /// The client IDs when every one is a literal string; `None` when any is not (a
    /// parameter, an intrinsic function), since the list is then unknown.
    pub fn literal_client_ids(&self) -> Option<Vec<&'a str>> {
        let node = &self.client_ids.value;
        if node.tag.is_some() {
            return None;
        }
        let items = node.as_seq()?;
        items
            .iter()
            .map(|n| {
                n.as_str()
                    .filter(|s| !s.contains("${"))
                    .filter(|_| n.tag.is_none())
            })
            .collect()
    }
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

    #[test]
    fn provider_documents_give_issuer_and_literal_client_ids() {
        use crate::model::iam::testutil::node;
        use serde_json::json;
        let doc = node(&json!({
            "Url": "https://demo-oidc.s3.us-east-1.amazonaws.com/",
            "ClientIDList": ["openshift", "sts.amazonaws.com"],
            "ThumbprintList": ["A9D5"]
        }));
        let p = super::IamOidcProvider::from_root(&doc).expect("a provider document");
        assert_eq!(
            p.issuer_key().as_deref(),
            Some("demo-oidc.s3.us-east-1.amazonaws.com")
        );
        assert_eq!(
            p.literal_client_ids(),
            Some(vec!["openshift", "sts.amazonaws.com"])
        );
        // A CloudFormation parameter or intrinsic: the list is unknown.
        let cfn = node(&json!({"Properties": {
            "Url": "https://oidc.example.com",
            "ClientIdList": {"!Ref": "ClientIds"}
        }}));
        let p = super::IamOidcProvider::from_cfn(&cfn).expect("a CloudFormation provider");
        assert_eq!(p.literal_client_ids(), None);
        let cfn = node(&json!({"Properties": {
            "Url": {"!Sub": "https://${Issuer}"},
            "ClientIdList": ["sts.amazonaws.com", "${Audience}"]
        }}));
        let p = super::IamOidcProvider::from_cfn(&cfn).expect("a CloudFormation provider");
        assert_eq!(p.issuer_key(), None);
        assert_eq!(p.literal_client_ids(), None);
        // Not a provider: no client IDs.
        assert!(super::IamOidcProvider::from_root(&node(&json!({"Url": "https://x"}))).is_none());
    }

    #[test]
    fn urls_split_into_parts() {
        let u = super::split_url("HTTPS://user@oidc.example.com:8443/id/X?a=1#frag");
        assert_eq!(u.scheme.as_deref(), Some("https"));
        assert_eq!(u.userinfo, Some("user"));
        assert_eq!(u.host, "oidc.example.com");
        assert_eq!(u.port, Some("8443"));
        assert_eq!(u.path, "/id/X");
        assert_eq!(u.query, Some("a=1"));
        assert_eq!(u.fragment, Some("frag"));
        let u = super::split_url("https://oidc.example.com");
        assert_eq!((u.host, u.port, u.path), ("oidc.example.com", None, ""));
        let u = super::split_url("oidc.example.com/x");
        assert_eq!((u.scheme, u.host, u.path), (None, "oidc.example.com", "/x"));
        let u = super::split_url("https://[::1]/x");
        assert_eq!((u.host, u.port), ("[::1]", None));
    }
}
