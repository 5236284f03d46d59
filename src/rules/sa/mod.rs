//! ServiceAccount rules: the role-arn annotation and what it points at.

pub mod sa_role_not_trusted;
