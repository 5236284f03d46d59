//! AWS shared config / credentials files: bare INI files and INI text inside Kubernetes
//! Secrets (OpenShift's `credentials` key, written by ccoctl and the cloud-credential-operator)
//! and ConfigMaps (a web-identity profile holds no secret, so people keep it in a ConfigMap).

use base64::Engine;

use super::k8s::Object;
use crate::source::file::SourceFile;
use crate::source::ini::{self, IniFile};
use crate::source::node::Node;

#[derive(Debug)]
pub struct AwsConfig<'a> {
    /// The Secret (or ConfigMap: `kind` tells) holding it, `None` for a bare file.
    pub secret: Option<Object<'a>>,
    /// The Secret's or ConfigMap's data key (`credentials`, `config`).
    pub key: Option<&'a Node>,
    /// True when read from base64 `data`: positions inside are the value's span.
    pub base64: bool,
    pub ini: IniFile,
}

fn looks_like_aws_ini(s: &str) -> bool {
    s.contains('[')
        && [
            "role_arn",
            "web_identity_token",
            // Also the legacy `access_key_id` / `secret_access_key` without `aws_`.
            "access_key_id",
            "secret_access_key",
            "credential_source",
            "source_profile",
        ]
        .iter()
        .any(|k| s.contains(k))
}

/// AWS INI files inside a Secret's `stringData` and `data`, or a ConfigMap's `data`.
pub fn from_secret<'a>(obj: &Object<'a>, source: &SourceFile) -> Vec<AwsConfig<'a>> {
    let file = source.id;
    let mut out = Vec::new();
    let plain = match (obj.kind, obj.api_version) {
        ("Secret", _) => "stringData",
        ("ConfigMap", "v1") => "data",
        _ => return out,
    };
    for e in obj.node.get(plain).map(Node::entries).unwrap_or(&[]) {
        if let Some(s) = e.value.as_str() {
            if looks_like_aws_ini(s) {
                out.push(AwsConfig {
                    secret: Some(obj.clone()),
                    key: Some(&e.key),
                    base64: false,
                    ini: ini::parse_embedded_ini(file, source.text(), &e.value),
                });
            }
        }
    }
    // A ConfigMap's `data` is plain text (read above); only a Secret's is base64.
    let encoded = if obj.kind == "Secret" { "data" } else { "" };
    for e in obj.node.get(encoded).map(Node::entries).unwrap_or(&[]) {
        let Some(s) = e.value.as_str() else { continue };
        let compact: String = s.split_whitespace().collect();
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) else {
            continue;
        };
        let Ok(decoded) = String::from_utf8(bytes) else {
            continue;
        };
        if looks_like_aws_ini(&decoded) {
            // Decoded text has no place in the file: every position is the value's.
            let mut parsed = ini::parse_ini(file, &decoded);
            relocate(&mut parsed, e.value.span);
            out.push(AwsConfig {
                secret: Some(obj.clone()),
                key: Some(&e.key),
                base64: true,
                ini: parsed,
            });
        }
    }
    out
}

/// Points every span of an INI parsed from decoded text at `span` (the base64 value).
fn relocate(ini: &mut IniFile, span: crate::source::file::Span) {
    for s in &mut ini.sections {
        s.span = span;
        for e in &mut s.entries {
            e.key_span = span;
            e.value_span = span;
        }
    }
    for p in &mut ini.problems {
        p.span = span;
    }
}

impl<'a> AwsConfig<'a> {
    /// The object holding the file when it is a Secret (a CredentialsRequest's `secretRef`
    /// names a Secret, never a ConfigMap).
    pub fn in_secret(&self) -> Option<&Object<'a>> {
        self.secret.as_ref().filter(|o| o.kind == "Secret")
    }

    /// The profile the SDKs use when nothing selects another: `[default]`, else the only
    /// section (credentials Secrets of OpenShift hold one `[default]` profile).
    pub fn default_profile(&self) -> Option<&ini::IniSection> {
        self.ini
            .section("default")
            .or(match self.ini.sections.as_slice() {
                [only] => Some(only),
                _ => None,
            })
    }
}
