use crate::rules::prelude::*;
use crate::source::ProblemKind;

declare_rule! {
    InputNotText,
    code: "E005",
    name: "input-not-text",
    family: Input,
    severity: Warning,
    summary: "a file given as input is not UTF-8 text (binary content, another encoding)",
}

impl Rule for InputNotText {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        super::report_problems(world, ProblemKind::Encoding, &META, out);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
