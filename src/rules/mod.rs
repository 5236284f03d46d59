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

#[cfg(test)]
mod doc_section_tests {
    /// `explain`, SARIF `fullDescription` and the human report's fix hint read one section of
    /// a rule doc: its text without the heading, up to the next `## `, trimmed.
    #[test]
    fn a_section_is_the_text_under_its_heading() {
        let doc =
            "# r (E000)\n\n## What it does\n\nReports x.\n\n## How to fix\n\nDo y.\nThen z.\n";
        assert_eq!(super::doc_section(doc, "What it does"), Some("Reports x."));
        assert_eq!(
            super::doc_section(doc, "How to fix"),
            Some("Do y.\nThen z.")
        );
        assert_eq!(super::doc_section(doc, "Why it matters"), None);
        // A heading must be a whole line: a prefix of a heading is not one.
        assert_eq!(super::doc_section(doc, "How to"), None);
        let meta = &crate::rules::sa::sa_role_on_default_sa::META;
        assert!(meta
            .doc_section("What it does")
            .is_some_and(|s| !s.is_empty() && !s.contains("## ")));
    }
}
