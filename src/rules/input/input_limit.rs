use crate::rules::prelude::*;
use crate::source::ProblemKind;

declare_rule! {
    InputLimit,
    code: "E004",
    name: "input-limit",
    family: Input,
    severity: Warning,
    summary: "a file exceeds a safety limit (size, nesting depth, alias expansion, documents) and was not fully read",
}

impl Rule for InputLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        super::report_problems(world, ProblemKind::Limit, &META, out);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
