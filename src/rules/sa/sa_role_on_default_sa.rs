use crate::rules::prelude::*;

declare_rule! {
    SaRoleOnDefaultSa,
    code: "S006",
    name: "sa-role-on-default-sa",
    family: Sa,
    severity: Warning,
    summary: "the namespace's default ServiceAccount carries a role-arn: every pod there that names no ServiceAccount gets the role",
}

impl Rule for SaRoleOnDefaultSa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (sa, e) in super::annotated(world, "role-arn") {
            if sa.name() != "default" {
                continue;
            }
            let Some(v) = e.value.as_str().filter(|v| !v.is_empty()) else {
                continue;
            };
            out.push(
                META.diagnostic(
                    e.value.span,
                    format!("the default ServiceAccount of namespace `{}` is annotated with role `{v}`: every pod of the namespace without its own serviceAccountName assumes it", sa.namespace()),
                )
                .label("role for every pod of the namespace")
                .help("create a dedicated ServiceAccount for the workload that needs the role, annotate that one and set `serviceAccountName`; remove the annotation from `default`")
                .path(super::annotations_path(sa)),
            );
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
