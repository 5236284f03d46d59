use crate::rules::prelude::*;
use crate::source::ProblemKind;

declare_rule! {
    UnsupportedTemplate,
    code: "E003",
    name: "unsupported-template",
    family: Input,
    severity: Info,
    summary: "the file is a Helm/Go template, not plain YAML; lint the rendered output instead",
}

impl Rule for UnsupportedTemplate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for file in &world.inputs.files {
            for p in file
                .problems
                .iter()
                .filter(|p| p.kind == ProblemKind::Template)
            {
                out.push(
                    META.diagnostic(p.span, p.message.clone())
                        .label("template markup")
                        .help("render it first: `helm template . | irsalint lint -`"),
                );
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
