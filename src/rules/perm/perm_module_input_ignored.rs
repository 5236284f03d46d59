use crate::rules::prelude::*;
use crate::terraform::modules::Affects;

declare_rule! {
    PermModuleInputIgnored,
    code: "P016",
    name: "perm-module-input-ignored",
    family: Perm,
    severity: Warning,
    summary: "a key inside a Terraform module's `policy_statements` element that the module never reads, so the permission policy it writes ignores what it says (a dropped condition grants without it)",
}

impl Rule for PermModuleInputIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let policy = world
            .inputs
            .terraform_ignored
            .iter()
            .filter(|i| i.affects == Affects::Policy);
        for i in policy {
            let key = i.input.rsplit('.').next().unwrap_or("");
            // A condition written under the other major's key: the statement is granted
            // without it, which is what matters most.
            let consequence = if key.starts_with("condition") {
                "the statement is granted without its conditions"
            } else {
                "the permission policy it writes ignores what it says"
            };
            out.push(crate::rules::ignored_module_input(
                &META,
                i,
                consequence,
                "each `policy_statements` element is",
            ));
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
