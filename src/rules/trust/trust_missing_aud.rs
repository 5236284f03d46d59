use super::aud_in_scope::audiences_in_scope;
use super::{conditioned_issuer, provider_claim};
use crate::model::iam::operator::BaseOp;
use crate::rules::prelude::*;
use crate::source::node::Value;

declare_rule! {
    TrustMissingAud,
    code: "T003",
    name: "trust-missing-aud",
    family: Trust,
    severity: Warning,
    summary: "a web-identity trust statement pins `sub` but has no `<issuer>:aud` condition",
}

impl Rule for TrustMissingAud {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let Some((issuer, provider)) = conditioned_issuer(stmt) else {
                    continue;
                };
                // No condition or no `sub` at all: trust-no-sub-condition reports the
                // statement for the bigger problem.
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                // Keys only deploy time knows (an intrinsic in place of a block) may hold `aud`.
                if conds.has_unresolved() || super::has_undecided_key(stmt) {
                    continue;
                }
                let claims: Vec<_> = conds
                    .keys()
                    .filter_map(|(b, k)| provider_claim(&k.name.value).map(|(_, c)| (b, k, c)))
                    .collect();
                if !claims.iter().any(|(_, _, c)| c == "sub")
                    || claims.iter().any(|(_, _, c)| c == "aud")
                {
                    continue;
                }
                // A `sub` keyed on the provider's ARN pins nothing: trust-key-is-provider-arn
                // reports the key, and an `aud` key added beside it would be as wrong.
                if claims.iter().any(|(_, k, c)| {
                    c == "sub"
                        && provider_claim(&k.name.value).is_some_and(|(i, _)| {
                            super::provider_arn_issuer(world, doc, i).is_some()
                        })
                }) {
                    continue;
                }
                // A trust a modelled module generated: the `aud` condition is one of its
                // inputs away (and ccoctl did not write it). The call is named as its block is
                // written (`module "irsa"`): inside a local module, the address
                // (`module.app.module.irsa["x"]`) is not what the user edits.
                let module = world
                    .module_trust(doc.source.node)
                    .and_then(|(call, model)| {
                        let label = call.rsplit("module.").next().unwrap_or(call);
                        let label = label.split('[').next().unwrap_or(label);
                        crate::terraform::modules::audience_input(model).map(|input| {
                            // A call pinned before the release that has the input: upgrade
                            // first (`version = "3.6.0"` has no such argument).
                            let set = match crate::terraform::modules::audience_input_since(model) {
                                Some(since) => format!("raise `version` to {since} or later (the first release with `{input}`) and set `{input}"),
                                None => format!("set `{input}"),
                            };
                            (format!("module \"{label}\""), set)
                        })
                    });
                // ccoctl (OpenShift STS) writes `StringEquals` with a list of `sub` values and
                // no `aud` by design (its provider lists the client IDs `openshift` and
                // `sts.amazonaws.com`, and the `sub` list pins the subjects); the ROSA templates
                // do the same. A `sub` list alone is every hand-written trust for two
                // ServiceAccounts too: it is ccoctl's shape only when the issuer is not an EKS
                // cluster's (liatrio/lead-terraform@46fc7166 stages/cloud-provider/aws/lead/iam.tf
                // trusts `module.eks`'s provider with a list, and was told to require
                // `openshift`).
                let shown = super::shown_issuer(world, stmt, &issuer);
                let eks = eks_issuer(&shown);
                let ccoctl_shaped = module.is_none()
                    && claims.iter().any(|(b, k, c)| {
                        c == "sub"
                            && b.operator
                                .as_ref()
                                .is_ok_and(|o| o.base == BaseOp::StringEquals)
                            && ((!eks && matches!(k.entry.value.value, Value::Seq(_)))
                                || k.values.iter().any(|v| {
                                    v.value.starts_with("system:serviceaccount:openshift-")
                                }))
                    });
                // The key to add, as the user writes it: for an issuer only apply knows, the
                // `sub` key's own text with `aud` for `sub` (`"${openid_url}:aud"` in a
                // template a `templatefile()` fills with a `trimprefix()`ed URL), since the
                // evaluated name may be the untrimmed URL's expression, which carries
                // `https://` and is not what the file can write.
                let aud_key = claims
                    .iter()
                    .filter(|(_, k, c)| c == "sub" && k.name.unresolved)
                    .find_map(|(_, k, _)| {
                        let w = super::written(world, &k.name);
                        let at = w.len().checked_sub(4)?;
                        let prefix = w.get(..at)?;
                        (w.get(at..)?.eq_ignore_ascii_case(":sub")
                            && prefix.contains("${")
                            && !prefix.contains('\n'))
                        .then(|| format!("{prefix}:aud"))
                    })
                    .unwrap_or_else(|| format!("{issuer}:aud"));
                let mut d = META
                    .diagnostic(
                        conds.entry.key.span,
                        format!("no `aud` condition: tokens of issuer `{shown}` for any audience are accepted"),
                    )
                    .label(format!("conditions without `{aud_key}`"))
                    .related(provider.span, "the OIDC provider this statement trusts")
                    .path(format!("Statement[{}].Condition", stmt.index));
                // Suggest the audience the inputs show in use, and say where; the usual
                // default only when they show none.
                // A ccoctl-shaped trust is for OpenShift operators' `openshift` tokens: the
                // pod-identity webhook's audience says nothing about them.
                let seen: Vec<_> = audiences_in_scope(world, stmt, &issuer)
                    .into_iter()
                    .filter(|a| !(ccoctl_shaped && a.from_webhook))
                    .collect();
                d = match seen.first() {
                    Some(a) => {
                        let others: Vec<String> = seen
                            .iter()
                            .map(|s| s.value.clone())
                            .filter(|v| *v != a.value)
                            .fold(Vec::new(), |mut acc, v| {
                                if !acc.contains(&v) {
                                    acc.push(v);
                                }
                                acc
                            });
                        let also = if others.is_empty() {
                            String::new()
                        } else {
                            format!(" (the inputs also show `{}`)", others.join("`, `"))
                        };
                        let d = d.related(a.span, format!("audience `{}` in use: {}", a.value, a.what));
                        match module {
                            Some((call, set)) => d.help(format!(
                                "{set} = [\"{}\"]` in the `{call}` block (the module writes the `aud` condition from it): the audience seen in {}{also}",
                                a.value, a.what
                            )),
                            None => d.help(format!(
                                "add `\"{aud_key}\": \"{}\"` to the `StringEquals` block: the audience seen in {}{also}",
                                a.value, a.what
                            )),
                        }
                    }
                    None => match module {
                        Some((call, set)) => d.help(format!(
                            "{set} = [\"sts.amazonaws.com\"]` (or the audience your tokens carry) in the `{call}` block: the module writes the `aud` condition from it"
                        )),
                        None => d.help(format!(
                            "add `\"{aud_key}\": \"{aud}\"` (or the audience your tokens carry) to the `StringEquals` block",
                            aud = if ccoctl_shaped { "openshift" } else { "sts.amazonaws.com" }
                        )),
                    },
                };
                // eks-blueprints v4 modules/irsa before v4.3.0: no input writes `aud`, the
                // release from v4.3.0 on does.
                if let Some((call, model)) = world.module_trust(doc.source.node).filter(|(_, m)| {
                    crate::terraform::modules::blueprints_irsa_v4::writes_no_aud(m)
                }) {
                    // Through a helm-addon call: its block's `?ref=` picks the irsa release.
                    let call = crate::terraform::modules::blueprints_helm_addon_v4::written_call(
                        call, model,
                    );
                    let label = call.rsplit("module.").next().unwrap_or(call);
                    let label = label.split('[').next().unwrap_or(label);
                    d = d.help(format!(
                        "raise the `?ref=` of the `module \"{label}\"` source to v4.3.0 or later: eks-blueprints' modules/irsa writes the `aud` condition (`sts.amazonaws.com`) from v4.3.0, and no input adds it before"
                    ));
                }
                // terraform-aws-modules' iam-eks-role: no input writes `aud` in any release,
                // and the module is gone from v6 (its upgrade guide points to
                // iam-role-for-service-accounts, which writes `aud`).
                if let Some((call, _)) = world
                    .module_trust(doc.source.node)
                    .filter(|(_, m)| crate::terraform::modules::iam_eks_role_v5::writes_no_aud(m))
                {
                    let label = call.rsplit("module.").next().unwrap_or(call);
                    let label = label.split('[').next().unwrap_or(label);
                    d = d.help(format!(
                        "the `module \"{label}\"` source (iam-eks-role) writes no `aud` condition and has no input for one: move the call to `iam-role-for-service-accounts-eks` (v5) or `iam-role-for-service-accounts` (v6, which removed iam-eks-role), whose trusts pin `aud` to `sts.amazonaws.com`"
                    ));
                }
                if ccoctl_shaped {
                    d = d.severity(Severity::Info);
                }
                push_about(out, doc, d);
            }
        }
    }
}

/// Is the issuer, as shown, an EKS cluster's: the `oidc.eks.<region>.amazonaws.com/id/<ID>`
/// host, or an expression only apply resolves that names EKS (`module.eks.…`,
/// `aws_eks_cluster.this.identity[0].oidc[0].issuer`, `var.eks_oidc_url`)? ccoctl's issuer is
/// an S3 bucket or CloudFront host and ROSA's `rh-oidc…`/`oidc.op1.openshiftapps.com`: neither
/// has `eks` as a word.
fn eks_issuer(shown: &str) -> bool {
    shown
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("eks"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn eks_issuer_is_told_by_an_eks_word() {
        use super::eks_issuer;
        assert!(eks_issuer("oidc.eks.eu-west-1.amazonaws.com/id/ABC"));
        assert!(eks_issuer(
            "replace(module.eks.aws_iam_openid_connect_provider_url, \"https://\", \"\")"
        ));
        assert!(eks_issuer(
            "trimprefix(aws_eks_cluster.this.identity[0].oidc[0].issuer, \"https://\")"
        ));
        assert!(eks_issuer("var.EKS_oidc_url"));
        // ccoctl's S3 issuer, ROSA's, and words that merely contain the letters.
        assert!(!eks_issuer("mycluster-oidc.s3.us-east-1.amazonaws.com"));
        assert!(!eks_issuer("rh-oidc.s3.us-east-1.amazonaws.com/1abc"));
        assert!(!eks_issuer("var.rh_oidc_provider_url"));
        assert!(!eks_issuer("var.geeks_url"));
        assert!(!eks_issuer(""));
    }

    /// liatrio/lead-terraform@46fc7166 stages/cloud-provider/aws/lead/iam.tf: an EKS module's
    /// provider trusted with a `sub` list is no ccoctl trust: a warning suggesting
    /// `sts.amazonaws.com`, not an info suggesting `openshift`. A ccoctl trust on its S3
    /// issuer, the same list, stays an info suggesting `openshift`.
    #[test]
    fn a_sub_list_on_an_eks_issuer_is_not_ccoctl_shaped() {
        use crate::diagnostic::Severity;
        let report = crate::testing::lint_fixture_world(&super::META, "bad/terraform-eks-sub-list");
        assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
        let d = &report.diagnostics[0];
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(
            d.help.as_deref(),
            Some("add `\"${replace(module.eks.aws_iam_openid_connect_provider_url, \"https://\", \"\")}:aud\": \"sts.amazonaws.com\"` (or the audience your tokens carry) to the `StringEquals` block")
        );
        let trust = |issuer: &str| {
            format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
  "Principal": {{"Federated": "arn:aws:iam::111122223333:oidc-provider/{issuer}"}},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {{"StringEquals": {{"{issuer}:sub": [
    "system:serviceaccount:billing:invoice-export", "system:serviceaccount:billing:invoice-import"]}}}}}}]}}"#
            )
        };
        let ccoctl = crate::testing::lint_text(
            "trust.json",
            &trust("mycluster-oidc.s3.us-east-1.amazonaws.com"),
            &super::META,
        );
        assert_eq!(ccoctl.diagnostics.len(), 1, "{:#?}", ccoctl.diagnostics);
        assert_eq!(ccoctl.diagnostics[0].severity, Severity::Info);
        assert!(
            ccoctl.diagnostics[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains(":aud\": \"openshift\"")),
            "{:?}",
            ccoctl.diagnostics[0].help
        );
        let eks = crate::testing::lint_text(
            "trust.json",
            &trust("oidc.eks.eu-west-1.amazonaws.com/id/ABC"),
            &super::META,
        );
        assert_eq!(eks.diagnostics.len(), 1, "{:#?}", eks.diagnostics);
        assert_eq!(eks.diagnostics[0].severity, Severity::Warning);
        assert!(
            eks.diagnostics[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains(":aud\": \"sts.amazonaws.com\"")),
            "{:?}",
            eks.diagnostics[0].help
        );
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// The audience suggested is the one projected by pods of the trusted subject's namespace
    /// and ServiceAccount; a pod of the same ServiceAccount name in another namespace is not
    /// the trusted subject.
    #[test]
    fn audience_in_use_is_taken_from_the_trusted_namespace_only() {
        let report = crate::testing::lint_fixture_world(&super::META, "audience-by-namespace");
        assert_eq!(report.diagnostics.len(), 1);
        let d = &report.diagnostics[0];
        let help = d.help.as_deref().unwrap_or("");
        assert!(
            help.contains(":aud\": \"sts.billing.example.com\"")
                && help.contains("projected token of")
                && !help.contains("sts.dev.example.com"),
            "{help}"
        );
        assert_eq!(d.related.len(), 2, "{:#?}", d.related);
    }

    /// A trust iam-assumable-role-with-oidc generated (with three subjects in one
    /// `StringEquals` list, which alone would look like ccoctl's): the help names the module
    /// input that writes the `aud` condition and the call to set it in, and the finding is a
    /// warning suggesting `sts.amazonaws.com`, not ccoctl's `openshift`. The same statement in
    /// a JSON trust policy keeps the help about the `StringEquals` block.
    #[test]
    fn a_module_generated_trust_names_the_audience_input() {
        let tf = r#"module "thanos_role" {
  source                        = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  create_role                   = var.create_role
  provider_url                  = var.issuer
  oidc_fully_qualified_subjects = [
    "system:serviceaccount:thanos:thanos-bucketweb",
    "system:serviceaccount:thanos:thanos-storegateway",
    "system:serviceaccount:thanos:thanos-compactor",
  ]
}
"#;
        let report = crate::testing::lint_text("main.tf", tf, &super::META);
        assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
        let d = &report.diagnostics[0];
        assert_eq!(d.severity, crate::diagnostic::Severity::Warning);
        assert_eq!(
            d.help.as_deref(),
            Some("set `oidc_fully_qualified_audiences = [\"sts.amazonaws.com\"]` (or the audience your tokens carry) in the `module \"thanos_role\"` block: the module writes the `aud` condition from it")
        );
        let json = r#"{"Statement": [{"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": [
    "system:serviceaccount:thanos:thanos-bucketweb", "system:serviceaccount:thanos:thanos-compactor"]}}}]}"#;
        let report = crate::testing::lint_text("trust.json", json, &super::META);
        assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
        let help = report.diagnostics[0].help.as_deref().unwrap_or("");
        assert!(help.ends_with("to the `StringEquals` block"), "{help}");
    }

    /// terraform-aws-modules' iam-eks-role writes no `aud` and has no input for one (a public
    /// call's shape, `cluster_service_accounts` keyed by a cluster name only apply resolves):
    /// the finding is at the cluster's entry and the help names the modules that write one,
    /// not an input or a block the user cannot write.
    #[test]
    fn iam_eks_role_points_to_the_modules_that_write_aud() {
        let tf = r#"module "iam_eks_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-eks-role"
  version = "~> 5.32"

  role_name_prefix = "${var.github_repo}-"
  cluster_service_accounts = {
    (var.cluster_name) = ["default:runner"]
  }
}
"#;
        let report = crate::testing::lint_text("main.tf", tf, &super::META);
        assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
        let d = &report.diagnostics[0];
        let before = &tf[..d.primary.start as usize];
        let line = before.matches('\n').count() + 1;
        let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        // At the cluster's key, the expression inside its parentheses.
        assert_eq!((line, col), (7, 6));
        assert_eq!(
            d.help.as_deref(),
            Some("the `module \"iam_eks_role\"` source (iam-eks-role) writes no `aud` condition and has no input for one: move the call to `iam-role-for-service-accounts-eks` (v5) or `iam-role-for-service-accounts` (v6, which removed iam-eks-role), whose trusts pin `aud` to `sts.amazonaws.com`")
        );
    }

    /// KaushalRai12/DevOps: a trust template filled by `templatefile()` with
    /// `openid_url = trimprefix(var.openid_url, "https://")`, the provider's URL being the
    /// cluster's issuer URL. The evaluated key is named by the untrimmed URL's expression
    /// (`${aws_eks_cluster.eks.identity[0].oidc[0].issuer}`, a URL with `https://`): the help
    /// suggests the key the template writes for `sub`, with `aud`.
    #[test]
    fn a_template_key_is_suggested_as_written() {
        crate::testing::assert_world_expectations(&super::META, "templatefile-trimmed-issuer");
        let report =
            crate::testing::lint_fixture_world(&super::META, "templatefile-trimmed-issuer");
        let found: Vec<(Option<&str>, Option<&str>)> = report
            .diagnostics
            .iter()
            .map(|d| (d.help.as_deref(), d.label.as_deref()))
            .collect();
        let help = |key: &str| {
            format!("add `\"{key}\": \"sts.amazonaws.com\"` (or the audience your tokens carry) to the `StringEquals` block")
        };
        let label = |key: &str| format!("conditions without `{key}`");
        // main.tf first: a key written `"${local.issuer}:${local.claim}"` is not
        // `<template>:sub` as written, and keeps the evaluated issuer's name.
        let expected = ["${var.oidc_host}:aud", "${openid_url}:aud"].map(|k| (help(k), label(k)));
        let expected: Vec<(Option<&str>, Option<&str>)> = expected
            .iter()
            .map(|(h, l)| (Some(h.as_str()), Some(l.as_str())))
            .collect();
        assert_eq!(found, expected);
        // The issuer a template file was rendered with is shown as the expression, as for a
        // trust written in `.tf`, never as a `${…}` string (its text names the template's
        // variable, `${openid_url}`, not the expression).
        let messages: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "no `aud` condition: tokens of issuer `var.oidc_host` for any audience are accepted",
                "no `aud` condition: tokens of issuer `trimprefix(aws_eks_cluster.eks.identity[0].oidc[0].issuer, \"https://\")` for any audience are accepted",
            ]
        );
    }

    /// A bare trust policy's placeholder issuer (envsubst, CloudFormation) is shown as written:
    /// only what Terraform renders is named by an expression.
    #[test]
    fn a_placeholder_issuer_outside_terraform_is_shown_as_written() {
        let text = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/${OIDC_PROVIDER}"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {"${OIDC_PROVIDER}:sub": "system:serviceaccount:apps:api"}}
  }]
}"#;
        let report = crate::testing::lint_text("trust.json", text, &super::META);
        let messages: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["no `aud` condition: tokens of issuer `${OIDC_PROVIDER}` for any audience are accepted"]
        );
    }

    /// Two providers in `Federated`, the conditions keyed on the second: the message names
    /// the issuer the conditions judge, not the first one listed.
    #[test]
    fn names_the_issuer_the_conditions_are_keyed_on() {
        let text = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": [
      "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AAAA",
      "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/BBBB"
    ]},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {
      "oidc.eks.eu-west-1.amazonaws.com/id/BBBB:sub": "system:serviceaccount:billing:invoice-export"
    }}
  }]
}"#;
        let report = crate::testing::lint_text("trust-policy.json", text, &super::META);
        assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
        let d = &report.diagnostics[0];
        assert!(d.message.contains("/id/BBBB`"), "{}", d.message);
        let provider = d
            .related
            .iter()
            .find(|r| r.message.contains("OIDC provider"))
            .expect("the provider is related");
        let at = &text[provider.span.start as usize..provider.span.end as usize];
        assert!(at.contains("/id/BBBB"), "{at}");
    }
}
