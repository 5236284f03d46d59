//! Webhook rules: the pod-identity webhook's registration, flags and ConfigMap.

pub mod webhook_admission_review_v1;
pub mod webhook_configmap_entry_incomplete;
pub mod webhook_configmap_key_malformed;
pub mod webhook_deprecated_api;
pub mod webhook_drops_native_sidecar;
pub mod webhook_failure_policy_ignore;
pub mod webhook_selector_excludes_irsa;
