//! Findings of this rule are made by the engine, not by `check`: a rule that panics is
//! caught and its panic reported here, so one bug never stops the run.
use crate::rules::prelude::*;

declare_rule! {
    InternalError,
    code: "E006",
    name: "internal-error",
    family: Input,
    severity: Error,
    summary: "a rule failed on this input; the other rules still ran (please report it)",
}

impl Rule for InternalError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _world: &World<'_>, _out: &mut Vec<Diagnostic>) {
        // No input makes a correct rule fail, so no fixture can produce this finding on its
        // own: in unit tests a planted marker makes this rule fail, and its fixtures check
        // what the engine turns the panic into (rule, message, position) on real files.
        #[cfg(test)]
        tests::panic_on_marker(_world);
    }
}

#[cfg(test)]
mod tests {
    use crate::world::World;

    /// A line holding this in a fixture makes the rule panic (unit tests only).
    const MARKER: &str = "irsalint-test: panic";

    pub(super) fn panic_on_marker(world: &World<'_>) {
        for file in &world.inputs.files {
            let src = world.inputs.sources.get(file.id);
            // Only the file name of this rule's fixture is looked into: every other file's
            // text would be read again from disk (`SourceFile::text`), which the tests of
            // what a run reads again forbid.
            if src.path.ends_with("serviceaccount.yaml") && src.text().contains(MARKER) {
                panic!("planted panic in {}", src.path);
            }
        }
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
