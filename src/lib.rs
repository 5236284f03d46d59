//! irsalint: an offline static analyser for pods that assume AWS IAM roles through a
//! projected service-account token (EKS IRSA, OpenShift STS, OIDC federation, Pod Identity).
#![forbid(unsafe_code)]

pub mod model;
pub mod source;
