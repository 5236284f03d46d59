use crate::rules::prelude::*;
use crate::source::ProblemKind;

declare_rule! {
    UnsupportedTemplate,
    code: "E003",
    name: "unsupported-template",
    family: Input,
    severity: Info,
    summary: "the file is a template (Helm/Go, Terraform, Jinja, envsubst or a script's placeholders), not plain YAML or JSON; lint the rendered output instead",
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
                // The loader's message names the template language; the way to render it
                // follows from that.
                let help = if p.message.contains("Terraform") {
                    "irsalint reads the Terraform that renders it: lint the directory with the `.tf` files (a `templatefile()` of this file with known variables is evaluated there), or lint the rendered text (`terraform console`, or the plan: `terraform show -json plan.out | irsalint lint -`)"
                } else if p.message.contains("invalid JSON") {
                    "render it first with the values it is deployed with: `envsubst < file.json | irsalint lint -`"
                } else if p.message.contains("envsubst") {
                    "render it first with the values it is deployed with: `envsubst < file.yaml | irsalint lint -`"
                } else if p.message.contains("Jinja") {
                    "lint the YAML the template renders to: for a documentation snippet the published page's text, for Ansible or cookiecutter the generated files"
                } else if p.message.contains("a script fills in") {
                    "render it first with the values it is deployed with (the script's own substitution, `sed 's/{TENANT_ID}/t1/g' file.yaml | irsalint lint -`), or exclude the file"
                } else {
                    "render it first: `helm template . | irsalint lint -`"
                };
                out.push(
                    META.diagnostic(p.span, p.message.clone())
                        .label("template markup")
                        .help(help),
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
