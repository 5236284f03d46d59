//! Policy grammar rules: what IAM rejects or misreads in any policy document, trust or
//! permission.

pub mod policy_case_duplicate_key;
pub mod policy_duplicate_sid;
pub mod policy_empty_element;
pub mod policy_invalid_effect;
pub mod policy_missing_element;
pub mod policy_trust_resource;
pub mod policy_trust_size_quota;
pub mod policy_type_mismatch;
pub mod policy_unknown_element;
pub mod policy_version;
