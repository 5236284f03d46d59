//! Findings of this rule are made by the engine (`crate::suppress`), which sees the inline
//! suppressions and the findings they hide; `check` has nothing to do.
use crate::rules::prelude::*;

declare_rule! {
    InvalidSuppression,
    code: "E008",
    name: "invalid-suppression",
    family: Input,
    severity: Warning,
    summary: "an inline irsalint suppression names an unknown rule or gives no reason",
}

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _world: &World<'_>, _out: &mut Vec<Diagnostic>) {}
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
