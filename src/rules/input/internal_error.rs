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

    fn check(&self, _world: &World<'_>, _out: &mut Vec<Diagnostic>) {}
}
