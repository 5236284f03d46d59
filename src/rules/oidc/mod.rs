//! OIDC rules: the cluster's issuer, its discovery document and the IAM OIDC provider.

pub mod oidc_discovery_issuer_invalid;
pub mod oidc_discovery_issuer_mismatch;
pub mod oidc_jwks_uri_invalid;
pub mod oidc_provider_missing_client_id;
