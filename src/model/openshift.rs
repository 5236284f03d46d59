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
