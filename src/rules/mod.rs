//! The rule framework: metadata, the `Rule` trait, the registry and rule selection.
//!
//! A rule is one file under a family folder, declared with [`declare_rule!`], which embeds
//! `rules/<name>.md` so that a rule without its documentation does not compile.

#[macro_use]
mod macros;
pub mod registry;
pub mod rule_selector;

pub mod credentials;
pub mod input;
pub mod oidc;
pub mod perm;
pub mod pod;
pub mod policy;
pub mod sa;
pub mod trust;
pub mod webhook;

#[cfg(test)]
mod severity_doc_tests;

use crate::diagnostic::Diagnostic;
use crate::world::{PolicyDoc, World};

// The metadata lives with `Diagnostic` (the layer below the rules); rules name it from here.
pub use crate::diagnostic::{Family, RuleMeta, DOCS_URI};
pub use registry::RULES;

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Pure function of the world: no I/O, no global state.
    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>);
}

/// Pushes a finding about a policy document, naming the Terraform module call instance that
/// evaluated the document (see [`Diagnostic::instance`]): a local module's code is judged
/// once per call instance, and `lint` reports the same problem found by several instances
/// once, with their callers. Every rule that judges a document reports through this.
pub fn push_about(out: &mut Vec<Diagnostic>, doc: &PolicyDoc<'_>, d: Diagnostic) {
    out.push(d.instance(doc.instance()));
}

/// What rules import.
pub mod prelude {
    pub use super::{push_about, Family, Rule, RuleMeta};
    pub use crate::diagnostic::{Diagnostic, Severity};
    pub use crate::source::file::Span;
    pub use crate::world::World;
}
