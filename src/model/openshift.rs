//! OpenShift's CredentialsRequest (cloud-credential-operator), which ccoctl turns into IAM
//! roles trusted for the listed service accounts.

use super::k8s::Object;
use crate::source::node::Node;

#[derive(Debug, Clone)]
pub struct CredentialsRequest<'a> {
    pub obj: Object<'a>,
    pub provider_spec: Option<&'a Node>,
    /// `spec.serviceAccountNames` items.
    pub service_accounts: Vec<&'a Node>,
    pub secret_ref: Option<&'a Node>,
    /// `spec.cloudTokenPath`, where the projected token is expected.
    pub cloud_token_path: Option<&'a Node>,
}

impl<'a> CredentialsRequest<'a> {
    pub fn from_object(obj: &Object<'a>) -> Option<CredentialsRequest<'a>> {
        if obj.kind != "CredentialsRequest" {
            return None;
        }
        let spec = obj.node.get("spec");
        Some(CredentialsRequest {
            obj: obj.clone(),
            provider_spec: spec.and_then(|s| s.get("providerSpec")),
            service_accounts: spec
                .and_then(|s| s.get("serviceAccountNames"))
                .map(|n| n.items().iter().collect())
                .unwrap_or_default(),
            secret_ref: spec.and_then(|s| s.get("secretRef")),
            cloud_token_path: spec.and_then(|s| s.get("cloudTokenPath")),
        })
    }

    /// The namespace of the Secret the credentials are written to (the pods' namespace).
    pub fn target_namespace(&self) -> Option<&'a str> {
        self.secret_ref?.get("namespace")?.as_str()
    }
}

/// Where OpenShift mounts the bound service-account token for its operators and where
/// ccoctl points `web_identity_token_file` (cloud-credential-operator
/// `pkg/cmd/provisioning` `OidcTokenPath`); the path CCO uses when `cloudTokenPath` is unset.
pub const DEFAULT_TOKEN_PATH: &str = "/var/run/secrets/openshift/serviceaccount/token";

/// The audience of the `bound-sa-token` OpenShift's operators project, one of the client IDs
/// ccoctl registers on the IAM OIDC provider (with `sts.amazonaws.com`).
pub const OPENSHIFT_AUDIENCE: &str = "openshift";

impl<'a> CredentialsRequest<'a> {
    /// `spec.providerSpec.kind` (`AWSProviderSpec`, `GCPProviderSpec`, ...).
    pub fn provider_kind(&self) -> Option<&'a str> {
        self.provider_spec?.get("kind")?.as_str()
    }

    /// An AWS request (`providerSpec.kind: AWSProviderSpec`).
    pub fn is_aws(&self) -> bool {
        self.provider_kind() == Some("AWSProviderSpec")
    }

    /// `spec.secretRef.name`.
    pub fn secret_name(&self) -> Option<&'a str> {
        self.secret_ref?.get("name")?.as_str()
    }

    /// `system:serviceaccount:<secretRef.namespace>:<name>` for every service account name
    /// (ccoctl's trust `sub` values), with the list item.
    pub fn subjects(&self) -> Vec<(String, &'a Node)> {
        let Some(ns) = self.target_namespace() else {
            return Vec::new();
        };
        self.service_accounts
            .iter()
            .filter_map(|n| {
                n.as_str()
                    .map(|sa| (format!("system:serviceaccount:{ns}:{sa}"), *n))
            })
            .collect()
    }

    /// The token path the credentials must name: `cloudTokenPath`, else the default.
    pub fn token_path(&self) -> &'a str {
        self.cloud_token_path
            .and_then(Node::as_str)
            .unwrap_or(DEFAULT_TOKEN_PATH)
    }

    /// `namespace/name` of the request, for messages.
    pub fn display(&self) -> String {
        format!("{}/{}", self.obj.namespace, self.obj.name_str())
    }
}

/// The CredentialsRequest whose `secretRef` names the Secret `namespace/name`.
pub fn for_secret<'w, 'a>(
    requests: &'w [CredentialsRequest<'a>],
    namespace: &str,
    name: &str,
) -> Option<&'w CredentialsRequest<'a>> {
    requests
        .iter()
        .find(|r| r.target_namespace() == Some(namespace) && r.secret_name() == Some(name))
}

impl CredentialsRequest<'_> {
    /// The `secretRef` key (else the object's name), where to point for the request's link
    /// to its Secret.
    pub fn secret_ref_anchor(&self) -> crate::source::file::Span {
        self.obj
            .node
            .get("spec")
            .and_then(|s| s.entry("secretRef"))
            .map(|e| e.key.span)
            .unwrap_or(self.obj.anchor())
    }
}

/// The IAM policy ccoctl (or the cloud-credential-operator) creates from a
/// CredentialsRequest's `statementEntries`: `{"Version": "2012-10-17", "Statement": [...]}`
/// with `effect`, `action`, `resource` and `policyCondition` under their IAM names. Keys and
/// values keep their own spans, so findings point into the CredentialsRequest; the
/// `Version` the tools write has no text and an empty span at the list. `None` when
/// `statementEntries` is not a list.
pub fn statement_entries_policy(entries: &Node) -> Option<Node> {
    use crate::source::file::Span;
    use crate::source::node::{Entry, Value};
    let items = entries.as_seq()?;
    let statements = items
        .iter()
        .map(|item| {
            let Some(fields) = item.as_map() else {
                return item.clone();
            };
            let renamed = fields
                .iter()
                .map(|e| {
                    let mut key = e.key.clone();
                    let iam = match e.key.as_str() {
                        Some("effect") => Some("Effect"),
                        Some("action") => Some("Action"),
                        Some("resource") => Some("Resource"),
                        Some("policyCondition") => Some("Condition"),
                        _ => None,
                    };
                    if let Some(name) = iam {
                        key.value = Value::Str(name.into());
                    }
                    Entry {
                        key,
                        value: e.value.clone(),
                    }
                })
                .collect();
            Node::new(Value::Map(renamed), item.span)
        })
        .collect();
    let at = Span::empty(entries.span.file, entries.span.start as usize);
    let text = |s: &str| Node::new(Value::Str(s.into()), at);
    Some(Node::new(
        Value::Map(vec![
            Entry {
                key: text("Version"),
                value: text("2012-10-17"),
            },
            Entry {
                key: text("Statement"),
                value: Node::new(Value::Seq(statements), entries.span),
            },
        ]),
        entries.span,
    ))
}

#[cfg(test)]
mod statement_entries_tests {
    use crate::source::file::LineIndex;
    use crate::source::Limits;

    #[test]
    fn entries_become_an_iam_policy_with_their_own_spans() {
        let text = "statementEntries:\n- effect: Allow\n  action: [s3:GetObject]\n  resource: \"*\"\n  policyCondition: {Bool: {aws:SecureTransport: \"true\"}}\n  extra: 1\n";
        let lines = LineIndex::new(text);
        let loaded = crate::source::yaml::load_yaml(0, text, &lines, &Limits::default());
        let entries = loaded.documents[0].root.get("statementEntries").unwrap();
        let policy = super::statement_entries_policy(entries).unwrap();
        assert_eq!(
            policy.get("Version").and_then(|v| v.as_str()),
            Some("2012-10-17")
        );
        let stmt = &policy.get("Statement").unwrap().items()[0];
        let keys: Vec<_> = stmt
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_str().unwrap())
            .collect();
        assert_eq!(keys, ["Effect", "Action", "Resource", "Condition", "extra"]);
        // The renamed key still points at `action` in the file.
        let action = stmt.entry("Action").unwrap();
        assert_eq!(&text[action.key.span.range()], "action");
        assert_eq!(&text[action.value.items()[0].span.range()], "s3:GetObject");
        assert!(super::statement_entries_policy(&stmt.entry("Effect").unwrap().value).is_none());
    }
}
