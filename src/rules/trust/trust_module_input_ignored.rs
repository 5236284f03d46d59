use crate::rules::prelude::*;
use crate::terraform::modules::Affects;

declare_rule! {
    TrustModuleInputIgnored,
    code: "T023",
    name: "trust-module-input-ignored",
    family: Trust,
    severity: Warning,
    summary: "a key inside a Terraform IRSA module's `oidc_providers` entry, or a Pod Identity module's trust statement, that the module never reads, so what it says does not reach the trust policy",
}

impl Rule for TrustModuleInputIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // Keys meant for a permission policy or an association are other rules'.
        let trust = world
            .inputs
            .terraform_ignored
            .iter()
            .filter(|i| i.affects == Affects::Trust);
        for i in trust {
            // The input the key is inside: `oidc_providers`, `trust_policy_statements`.
            let container = i.input.split(['.', '[']).next().unwrap_or("");
            out.push(crate::rules::ignored_module_input(
                &META,
                i,
                "the trust policy it writes ignores what it says",
                &format!("each `{container}` entry is"),
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
