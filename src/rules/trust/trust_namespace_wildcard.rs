use super::sub_pattern::{
    instances, matches_everything, split_sub, statement_admits_all, sub_values, wild,
};
use crate::rules::prelude::*;

declare_rule! {
    TrustNamespaceWildcard,
    code: "T014",
    name: "trust-namespace-wildcard",
    family: Trust,
    severity: Warning,
    summary: "a `StringLike` `sub` pattern leaves the namespace open (`system:serviceaccount:*:name`, `team-*:name`): whoever can create a matching namespace gets the role",
}

impl Rule for TrustNamespaceWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for s in sub_values(world) {
            if !s.like || matches_everything(&s.value.value) {
                continue;
            }
            let Some((ns, name)) = split_sub(&s.value.value) else {
                continue;
            };
            if !wild(ns) {
                continue;
            }
            // Another condition of the statement may already pin the namespace.
            if !statement_admits_all(s.stmt, s.key, &instances(&s.value.value)) {
                continue;
            }
            out.push(
                META.diagnostic(
                    s.part_span(world, false),
                    format!(
                        "`{}` matches service account `{name}` in any namespace matching `{ns}` of issuer `{}`",
                        s.value.value, s.issuer
                    ),
                )
                .label("namespace wildcard")
                .related(s.provider.span, "the OIDC provider this statement trusts")
                .help("list each namespace explicitly (`system:serviceaccount:<namespace>:<name>` under `StringEquals`): namespace names are chosen by whoever can create namespaces")
                .path(format!("Statement[{}].Condition.{}.{}", s.stmt.index, s.block.raw, s.key.name.value))
                .instance(s.instance.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    /// A local module that builds the subject from its caller's namespace and name: the
    /// finding is at the namespace the caller passes in, not at the module's template.
    #[test]
    fn terraform_local_module_caller_input() {
        crate::testing::assert_world_expectations(&super::META, "terraform-local-module");
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
