use super::sub_pattern::{instances, split_sub, statement_admits_all, sub_values, wild};
use crate::rules::prelude::*;

declare_rule! {
    TrustNamespaceAnySa,
    code: "T015",
    name: "trust-namespace-any-sa",
    family: Trust,
    severity: Warning,
    summary: "a `StringLike` `sub` of `system:serviceaccount:<namespace>:*` lets every service account of the namespace, `default` included, assume the role",
}

impl Rule for TrustNamespaceAnySa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for s in sub_values(world) {
            if !s.like {
                continue;
            }
            let Some((ns, name)) = split_sub(&s.value.value) else {
                continue;
            };
            if wild(ns) || name != "*" {
                continue;
            }
            // Another condition of the statement may already pin the service account.
            if !statement_admits_all(s.stmt, s.key, &instances(&s.value.value)) {
                continue;
            }
            out.push(
                META.diagnostic(
                    s.part_span(world, true),
                    format!(
                        "`{}` lets every service account of namespace `{ns}` (including `default` and future ones) assume the role",
                        s.value.value
                    ),
                )
                .label("any service account of the namespace")
                .related(s.provider.span, "the OIDC provider this statement trusts")
                .help(format!("name the service accounts (`system:serviceaccount:{ns}:<name>`), or use a name prefix such as `system:serviceaccount:{ns}:app-*`"))
                .path(format!("Statement[{}].Condition.{}.{}", s.stmt.index, s.block.raw, s.key.name.value))
                .instance(s.instance.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    /// A local module that builds the subject from its caller's namespace and name: the
    /// finding is at the name the caller passes in, not at the module's template.
    #[test]
    fn terraform_local_module_caller_input() {
        crate::testing::assert_world_expectations(&super::META, "terraform-local-module");
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
