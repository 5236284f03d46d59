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

/// The finding about a key a modelled Terraform module never reads
/// ([`crate::terraform::modules::IgnoredInput`]), for the rules of what the key was meant to
/// shape: `lost` says what the module's output misses for it, `container` names where the key
/// sits ("each `oidc_providers` entry is").
pub(crate) fn ignored_module_input(
    meta: &'static RuleMeta,
    i: &crate::terraform::modules::IgnoredInput,
    lost: &str,
    container: &str,
) -> Diagnostic {
    meta.diagnostic(
        i.span,
        format!(
            "`{}` is never read by {}{}: the module drops it without an error, and {lost}",
            i.input,
            i.model,
            // The model cites the release it follows; the user's pin may be another.
            i.pinned
                .as_ref()
                .map(|p| format!(" (the release modelled; the call asks for `{p}`)"))
                .unwrap_or_default()
        ),
    )
    .label("not an input of the module")
    .help(format!(
        "{container} read for {} only: rename the key to the one meant, or remove it",
        i.expected
    ))
    .path(i.input.clone())
}

/// What rules import.
pub mod prelude {
    pub use super::{push_about, Family, Rule, RuleMeta};
    pub use crate::diagnostic::{Diagnostic, Severity};
    pub use crate::source::file::Span;
    pub use crate::world::World;
}

#[cfg(test)]
mod push_about_tests {
    /// Every rule that judges policy documents reports through [`super::push_about`] (or, for
    /// `sub_values`, names the value's instance): a finding pushed directly carries no call
    /// instance, and one problem of a module's code called twice would be reported twice.
    #[test]
    fn rules_that_judge_documents_name_the_call_instance() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let mut checked = 0;
        // The `sa` and `oidc` rules read trusts too, but their findings are about a
        // ServiceAccount or a provider, at its own place.
        for family in ["trust", "policy", "perm"] {
            for entry in std::fs::read_dir(root.join(family)).unwrap() {
                let path = entry.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                let judges_documents = ["world.policies", "trust_policies()", "_statements(world)"]
                    .iter()
                    .any(|s| code.contains(s));
                if code.contains("sub_values(world)") {
                    checked += 1;
                    assert!(
                        code.contains(".instance(s.instance.clone())"),
                        "{}: a finding about a sub value names no instance",
                        path.display()
                    );
                }
                if !judges_documents {
                    continue;
                }
                checked += 1;
                for push in code.split("out.push(").skip(1) {
                    // What helpers collect (not findings) is a struct literal.
                    let pushed = push.trim_start();
                    let literal = pushed
                        .split_once(|c: char| !c.is_alphanumeric() && c != '_')
                        .is_some_and(|(name, rest)| {
                            name.starts_with(char::is_uppercase)
                                && rest.trim_start().starts_with('{')
                        });
                    assert!(
                        literal,
                        "{}: a finding pushed without push_about: out.push({}",
                        path.display(),
                        &pushed[..pushed.len().min(60)]
                    );
                }
            }
        }
        assert!(checked > 40, "{checked}");
    }
}
