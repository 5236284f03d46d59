//! IAM policies: grammar model, ARNs, wildcard matching and condition evaluation.
//!
//! - [`glob`]: IAM wildcard matching (`*`, `?`, nothing else).
//! - [`arn`]: ARN parsing, role-ARN validation, OIDC provider ARNs, placeholders.
//! - [`operator`]: condition operator names (`ForAnyValue:StringLikeIfExists`), with
//!   did-you-mean suggestions for typos.
//! - [`federated`]: what IAM accepts as a web-identity `Federated` principal.
//! - [`policy`]: the grammar model, a span-keeping view over a policy document's `Node`.
//! - [`eval`]: three-valued evaluation of conditions and trust statements ("does this trust
//!   let subject S with audience A in?").

pub mod arn;
pub mod catalog;
mod compare;
mod condition;
pub mod eval;
pub mod federated;
pub mod glob;
pub mod operator;
pub mod policy;
#[cfg(test)]
pub(crate) mod testutil;
pub mod tri;

pub use tri::Tri;
