use crate::rules::prelude::*;
use crate::terraform::modules::Affects;

declare_rule! {
    SaAssociationInputIgnored,
    code: "S013",
    name: "sa-association-input-ignored",
    family: Sa,
    severity: Warning,
    summary: "a key of a Terraform Pod Identity module's `associations` entry that the module never reads, above all `role_arn`: the association gets the module's own role, not the one written",
}

impl Rule for SaAssociationInputIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for i in &world.inputs.terraform_ignored {
            let Affects::Association { role, written } = &i.affects else {
                continue;
            };
            let container = match i.input.split('.').next() {
                Some("association_defaults") => "`association_defaults` is".to_string(),
                other => format!("each `{}` entry is", other.unwrap_or("")),
            };
            let d = match (role, written) {
                (Some(role), written) => {
                    let written = written
                        .as_deref()
                        .filter(|w| !w.is_empty())
                        .map_or(String::new(), |w| format!(", not `{w}`"));
                    META.diagnostic(
                        i.span,
                        format!(
                            "`{}` is never read by {}: the association always gets the module's own role `{role}`{written}",
                            i.input, i.model
                        ),
                    )
                    .label("not read: the association's role is the module's")
                    .help(format!(
                        "remove `role_arn` and give the module's role the permissions meant (`additional_policy_arns`, `policy_statements` with `attach_custom_policy = true`); to associate an existing role, write an `aws_eks_pod_identity_association` resource with that `role_arn` instead; {container} read for {} only",
                        i.expected
                    ))
                }
                (None, _) => crate::rules::ignored_module_input(
                    &META,
                    i,
                    "the Pod Identity association it creates ignores what it says",
                    &container,
                ),
            };
            out.push(d.path(i.input.clone()));
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
