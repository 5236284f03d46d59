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
                .help(match &s.module {
                    // A modelled module writes the subjects from its own input.
                    Some(m) => format!("list each namespace explicitly in {} (`{}`): namespace names are chosen by whoever can create namespaces", m.subjects, m.form),
                    None => "list each namespace explicitly (`system:serviceaccount:<namespace>:<name>` under `StringEquals`): namespace names are chosen by whoever can create namespaces".into(),
                })
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

    /// A modelled module writes the subjects from its own input: the help names it, in the
    /// form written there (a public call's shape, under `assume_role_condition_test =
    /// "StringLike"`); a trust written out keeps the full subject.
    #[test]
    fn help_names_the_module_input() {
        let help = |path: &str, text: &str| crate::testing::only_help(path, text, &super::META);
        let module = "module \"irsa\" {\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n  version = \"5.21.0\"\n  role_name = \"r\"\n  assume_role_condition_test = \"StringLike\"\n  oidc_providers = {\n    main = {\n      provider_arn               = \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC\"\n      namespace_service_accounts = [\"SUB\"]\n    }\n  }\n}\n";
        assert_eq!(help("main.tf", &module.replace("SUB", "*:awssm")), "list each namespace explicitly in `namespace_service_accounts` (`<namespace>:<name>`): namespace names are chosen by whoever can create namespaces");
        let written = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"StringLike": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:*:awssm"}}}]}"#;
        assert!(
            help("trust.json", written).contains("`system:serviceaccount:"),
            "{}",
            help("trust.json", written)
        );
    }
}
