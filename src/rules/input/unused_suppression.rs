//! Findings of this rule are made by the engine (`crate::suppress`), which sees the inline
//! suppressions and the findings they hide; `check` has nothing to do.
use crate::rules::prelude::*;

declare_rule! {
    UnusedSuppression,
    code: "E007",
    name: "unused-suppression",
    family: Input,
    severity: Info,
    summary: "an inline irsalint suppression matches no finding on its line",
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _world: &World<'_>, _out: &mut Vec<Diagnostic>) {}
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        // sa-role-on-default-sa and duplicate-key run beside it (crate::testing::companions).
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
