//! Credentials rules: AWS shared config files and OpenShift CredentialsRequests.

pub mod aws_config_wrong_key;
pub mod credreq_no_service_accounts;
pub mod credreq_role_not_trusted;
