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
use crate::world::World;

// The metadata lives with `Diagnostic` (the layer below the rules); rules name it from here.
pub use crate::diagnostic::{Family, RuleMeta, DOCS_URI};
pub use registry::RULES;

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Pure function of the world: no I/O, no global state.
    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>);
}

/// What rules import.
pub mod prelude {
    pub use super::{Family, Rule, RuleMeta};
    pub use crate::diagnostic::{Diagnostic, Severity};
    pub use crate::source::file::Span;
    pub use crate::world::World;
}
