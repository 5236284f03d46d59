use super::sub_pattern::statement_admits_all;
use super::{provider_claim, trusted_issuers};
use crate::model::iam::glob::glob_match;
use crate::model::iam::operator::BaseOp;
use crate::rules::prelude::*;

declare_rule! {
    TrustBroadStringLike,
    code: "T002",
    name: "trust-broad-stringlike",
    family: Trust,
    severity: Error,
    summary: "a `StringLike` `sub` pattern matches every service account in every namespace",
}

/// Two unrelated service accounts in different namespaces: a pattern that matches both
/// (and any namespace) matches every service account of the cluster.
const PROBES: &[&str] = &[
    "system:serviceaccount:kube-system:default",
    "system:serviceaccount:zz9-probe:q7-probe-sa",
];

impl Rule for TrustBroadStringLike {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let Some((issuer, provider)) = trusted_issuers(stmt).into_iter().next() else {
                    continue;
                };
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                for (block, key) in conds.keys() {
                    let Ok(op) = &block.operator else { continue };
                    if op.base != BaseOp::StringLike || op.qualifier.is_some() {
                        continue;
                    }
                    if provider_claim(&key.name.value).is_none_or(|(_, c)| c != "sub") {
                        continue;
                    }
                    for v in key.values.iter().filter(|v| !v.unresolved) {
                        if !PROBES.iter().all(|p| glob_match(&v.value, p, false)) {
                            continue;
                        }
                        // IAM ANDs the blocks: another `sub` condition may narrow the pattern.
                        let probes: Vec<String> = PROBES.iter().map(|p| p.to_string()).collect();
                        if !statement_admits_all(stmt, key, &probes) {
                            continue;
                        }
                        // A value a local module composed: at the first wildcard, where the
                        // caller wrote it when it passed it in (its namespace, `*`).
                        let at = v.value.find(['*', '?']).unwrap_or(0);
                        let span = world.inputs.terraform_origins.span_at(
                            doc.source.instance.as_ref().map(|i| i.call),
                            v.span,
                            &v.value,
                            at..at + 1,
                        );
                        push_about(out, doc,
                            META.diagnostic(
                                span,
                                format!(
                                    "`{}` matches every service account in every namespace of the cluster with {}",
                                    v.value,
                                    issuer_named(&super::shown_issuer(world, stmt, &issuer), &issuer, provider)
                                ),
                            )
                            .label("matches any namespace and any service account")
                            .related(provider.span, "the OIDC provider this statement trusts")
                            .help(match world.module_trust(doc.source.node).and_then(|(_, model)| crate::terraform::modules::subject_inputs(model)) {
                                // A modelled module writes the subjects from its own input.
                                Some(m) => format!("name the service account exactly in {} (`{}`), or at most a pattern inside one fixed namespace", m.subjects, m.form),
                                None => "name the service account exactly (`system:serviceaccount:<namespace>:<name>` under `StringEquals`), or at most a pattern inside one fixed namespace".into(),
                            })
                            .path(format!(
                                "Statement[{}].Condition.{}.{}",
                                stmt.index, block.raw, key.name.value
                            )),
                        );
                    }
                }
            }
        }
    }
}

/// How the message names the cluster's issuer: `issuer `…``, or, when the statement's keys
/// are built from a provider ARN known only as an expression (a module's
/// `provider_arn = module.eks.oidc_provider_arn`, the keys `${module.eks.oidc_provider_arn}:sub`:
/// terraform-aws-modules strips the ARN to its issuer), what that expression is: the OIDC
/// provider's ARN, whose issuer it is.
fn issuer_named(shown: &str, issuer: &str, provider: &crate::model::value::Text) -> String {
    let expr = |s: &str| {
        s.strip_prefix("${")
            .and_then(|e| e.strip_suffix('}'))
            .unwrap_or(s)
            .to_string()
    };
    if provider.unresolved && !provider.value.is_empty() && expr(issuer) == expr(&provider.value) {
        format!("the issuer of the OIDC provider whose ARN is `{shown}`")
    } else {
        format!("issuer `{shown}`")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A modelled module writes the subjects from its own input: the help names it
    /// (a public call's shape: `namespace_service_accounts = ["*:*"]` under
    /// `assume_role_condition_test = "StringLike"`).
    #[test]
    fn help_names_the_module_input() {
        let text = "module \"irsa_agent\" {\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n  version = \"5.34.0\"\n  assume_role_condition_test = \"StringLike\"\n  role_name = \"agent\"\n  oidc_providers = {\n    main = {\n      provider_arn               = module.eks[0].oidc_provider_arn\n      namespace_service_accounts = [\"*:*\"]\n    }\n  }\n}\n";
        assert_eq!(
            crate::testing::only_help("main.tf", text, &super::META),
            "name the service account exactly in `namespace_service_accounts` (`<namespace>:<name>`), or at most a pattern inside one fixed namespace"
        );
    }

    /// The keys a module builds from a provider ARN known only as an expression: the message
    /// says the expression is the provider's ARN, not an issuer; a literal issuer, or an
    /// issuer expression of its own (`replace(…url, "https://", "")`), is the issuer.
    #[test]
    fn message_names_a_provider_arn_expression_as_such() {
        let module = |provider: &str| {
            format!("module \"irsa_agent\" {{\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n  version = \"5.34.0\"\n  assume_role_condition_test = \"StringLike\"\n  role_name = \"agent\"\n  oidc_providers = {{\n    main = {{\n      provider_arn               = {provider}\n      namespace_service_accounts = [\"*:*\"]\n    }}\n  }}\n}}\n")
        };
        let message = |text: &str| {
            let report = crate::testing::lint_text("main.tf", text, &super::META);
            assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
            report.diagnostics[0].message.clone()
        };
        assert_eq!(
            message(&module("module.eks.oidc_provider_arn")),
            "`system:serviceaccount:*:*` matches every service account in every namespace of the cluster with the issuer of the OIDC provider whose ARN is `module.eks.oidc_provider_arn`"
        );
        assert_eq!(
            message(&module("\"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC\"")),
            "`system:serviceaccount:*:*` matches every service account in every namespace of the cluster with issuer `oidc.eks.eu-west-1.amazonaws.com/id/ABC`"
        );
        let raw = "resource \"aws_iam_role\" \"agent\" {\n  name = \"agent\"\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect    = \"Allow\"\n      Action    = \"sts:AssumeRoleWithWebIdentity\"\n      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }\n      Condition = {\n        StringLike = {\n          \"${replace(aws_iam_openid_connect_provider.eks.url, \"https://\", \"\")}:sub\" = \"system:serviceaccount:*:*\"\n        }\n      }\n    }]\n  })\n}\n";
        let m = message(raw);
        assert!(m.ends_with("with issuer `replace(aws_iam_openid_connect_provider.eks.url, \"https://\", \"\")`"), "{m}");
    }

    /// A value a local module composes from what its caller passes: at the caller's text.
    #[test]
    fn terraform_local_module_caller_input() {
        crate::testing::assert_world_expectations(&super::META, "terraform-local-module");
    }
}
