//! Typed, read-only views built from [`crate::source::node::Node`] trees; each keeps its spans.

pub mod iam;
pub mod value;
