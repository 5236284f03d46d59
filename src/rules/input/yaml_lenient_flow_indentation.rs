use crate::rules::prelude::*;
use crate::source::ProblemKind;

declare_rule! {
    YamlLenientFlowIndentation,
    code: "E010",
    name: "yaml-lenient-flow-indentation",
    family: Input,
    severity: Info,
    summary: "a flow collection's lines (often its closing `}` or `]`) or a quoted scalar's continuation lines are not indented more than the block around it: kubectl, PyYAML and CloudFormation read the file, YAML 1.2 parsers reject it",
}

impl Rule for YamlLenientFlowIndentation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        super::report_problems(world, ProblemKind::Lenient, &META, out);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
