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
        let from = out.len();
        super::report_problems(world, ProblemKind::Encoding, &META, out);
        // An input that could not be read at all was not checked: that fails the gate even
        // with `--fail-on error` (content that is merely not text stays a warning).
        for d in &mut out[from..] {
            if d.message.starts_with(crate::load::READ_ERROR_PREFIX) {
                d.severity = Severity::Error;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
