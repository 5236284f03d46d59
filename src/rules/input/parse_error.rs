use crate::rules::prelude::*;
use crate::source::ProblemKind;

declare_rule! {
    ParseError,
    code: "E001",
    name: "parse-error",
    family: Input,
    severity: Error,
    summary: "the file (or a document in it, or JSON embedded in a string) is not valid YAML or JSON",
}

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        super::report_problems(world, ProblemKind::Parse, &META, out);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
