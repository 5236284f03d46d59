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

    /// A template a program fills before it creates the request, not a manifest ccoctl or
    /// `oc apply` reads as it is: its `secretRef` namespace is a placeholder (`${NAMESPACE}`,
    /// which no namespace can be). An OLM operator creates such a request itself at run time
    /// and sets the STS fields then (openshift/aws-efs-csi-driver-operator
    /// `assets/credentials.yaml`, filled by `pkg/operator/starter.go` `replaceNamespaceFunc`
    /// and `stsCredentialsRequestHook`).
    pub fn is_program_template(&self) -> bool {
        self.target_namespace()
            .is_some_and(crate::model::iam::arn::is_placeholder)
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
