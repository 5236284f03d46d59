//! How a workload gets a role's credentials, and the name of that link: `irsalint map` draws
//! it as an edge and `lint --explain` names the same edge, so both read it from here.

/// How a ServiceAccount (or a pod running as it) gets a role's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mechanism {
    /// The `<prefix>/role-arn` annotation, injected by the pod-identity webhook.
    Irsa,
    /// An EKS Pod Identity association for the ServiceAccount.
    PodIdentity,
    /// A credentials file (`role_arn` + `web_identity_token_file`): the Secret written for an
    /// OpenShift CredentialsRequest, or a Secret or ConfigMap a pod mounts.
    CredentialsFile,
    /// `AWS_ROLE_ARN` set by hand in a container's env.
    Env,
}

impl Mechanism {
    pub fn as_str(self) -> &'static str {
        match self {
            Mechanism::Irsa => "irsa",
            Mechanism::PodIdentity => "pod-identity",
            Mechanism::CredentialsFile => "credentials-file",
            Mechanism::Env => "env",
        }
    }
}

/// `payments/payments-api -> arn:aws:iam::111122223333:role/payments (irsa)`.
pub fn edge_id(sa: &str, role: &str, mechanism: Mechanism) -> String {
    format!("{sa} -> {role} ({})", mechanism.as_str())
}
