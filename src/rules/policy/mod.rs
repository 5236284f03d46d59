//! Policy grammar rules: what IAM rejects or misreads in any policy document, trust or
//! permission.

pub mod policy_invalid_effect;
