//! The rule framework: metadata, the `Rule` trait, the registry and rule selection.
//!
//! A rule is one file under a family folder, declared with [`declare_rule!`], which embeds
//! `rules/<name>.md` so that a rule without its documentation does not compile.

#[macro_use]
mod macros;
pub mod registry;
pub mod selector;

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

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::file::Span;
use crate::world::World;

pub use registry::RULES;

/// Rule families; the letter starts every code of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Input,
    Policy,
    Trust,
    Perm,
    Sa,
    Pod,
    Webhook,
    Credentials,
    Oidc,
}

impl Family {
    pub const ALL: [Family; 9] = [
        Family::Input,
        Family::Policy,
        Family::Trust,
        Family::Perm,
        Family::Sa,
        Family::Pod,
        Family::Webhook,
        Family::Credentials,
        Family::Oidc,
    ];

    pub fn letter(self) -> char {
        match self {
            Family::Input => 'E',
            Family::Policy => 'G',
            Family::Trust => 'T',
            Family::Perm => 'P',
            Family::Sa => 'S',
            Family::Pod => 'K',
            Family::Webhook => 'W',
            Family::Credentials => 'C',
            Family::Oidc => 'O',
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Input => "input",
            Family::Policy => "policy",
            Family::Trust => "trust",
            Family::Perm => "perm",
            Family::Sa => "sa",
            Family::Pod => "pod",
            Family::Webhook => "webhook",
            Family::Credentials => "credentials",
            Family::Oidc => "oidc",
        }
    }
}

/// Everything about a rule that does not depend on the inputs.
#[derive(Debug)]
pub struct RuleMeta {
    /// Family letter and three digits, e.g. `T005`. Never changes once released.
    pub code: &'static str,
    /// Kebab-case stable identifier, e.g. `trust-wildcard-in-stringequals`.
    pub name: &'static str,
    pub family: Family,
    pub default_severity: Severity,
    /// One line, shown by `rules` and as SARIF `shortDescription`.
    pub summary: &'static str,
    /// The whole of `rules/<name>.md`.
    pub doc: &'static str,
    /// `file#Lline` of the declaration.
    pub source: &'static str,
}

impl RuleMeta {
    /// Starts a finding of this rule at `span`.
    pub fn diagnostic(&'static self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self, span, message)
    }

    /// Where the rule's documentation is published (the `rules/<name>.md` this binary embeds).
    pub fn doc_url(&self) -> String {
        format!("{DOCS_URI}/blob/main/rules/{}.md", self.name)
    }

    /// The text of one `## Heading` section of the rule's doc, without the heading.
    pub fn doc_section(&self, heading: &str) -> Option<&'static str> {
        doc_section(self.doc, heading)
    }
}

/// The project's home; rule docs live under `rules/` there.
pub const DOCS_URI: &str = "https://github.com/irsalint/irsalint";

pub(crate) fn doc_section<'d>(doc: &'d str, heading: &str) -> Option<&'d str> {
    let marker = format!("\n## {heading}\n");
    let start = doc.find(&marker)? + marker.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

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
