use crate::model::iam::glob::wildcard_outside_placeholders;
use crate::model::iam::operator::{BaseOp, Operator};
use crate::model::iam::policy::split_issuer_key;
use crate::rules::prelude::*;

declare_rule! {
    TrustWildcardInStringEquals,
    code: "T005",
    name: "trust-wildcard-in-stringequals",
    family: Trust,
    severity: Error,
    summary: "a `*` or `?` under `StringEquals` (or another literal string operator) is compared literally and never matches",
}

/// Operators that compare strings literally, and the `Like` operator the author probably
/// meant. `ArnEquals`/`ArnNotEquals` are not here: IAM documents that they "behave
/// identically" to `ArnLike`/`ArnNotLike`, wildcards included.
fn like_operator(op: &Operator) -> Option<Operator> {
    let base = match op.base {
        BaseOp::StringEquals | BaseOp::StringEqualsIgnoreCase => BaseOp::StringLike,
        BaseOp::StringNotEquals | BaseOp::StringNotEqualsIgnoreCase => BaseOp::StringNotLike,
        _ => return None,
    };
    Some(Operator { base, ..*op })
}

impl Rule for TrustWildcardInStringEquals {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // Every policy: a literal wildcard is as wrong in a permission policy's condition
        // as in a trust policy's, though it hurts most on a `sub`.
        for doc in &world.policies {
            let module_inputs = world
                .module_trust(doc.source.node)
                .and_then(|(_, model)| crate::terraform::modules::subject_inputs(model));
            for stmt in &doc.policy.statements {
                for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
                    let Ok(op) = &block.operator else { continue };
                    let Some(like) = like_operator(op) else {
                        continue;
                    };
                    for key in &block.keys {
                        let sub_issuer = split_issuer_key(&key.name.value)
                            .filter(|(_, c)| c.eq_ignore_ascii_case("sub"))
                            .map(|(i, _)| i);
                        let is_sub = sub_issuer.is_some();
                        // A CI service's `sub` names pipelines, not service accounts
                        // (`repo:<owner>/<repository>:*` under `StringEquals`).
                        let ci_sub = sub_issuer.and_then(|i| {
                            super::shared_ci_provider(i)
                                .map(|ci| ci.sub)
                                .or_else(|| super::one_org_ci_provider(i).map(|(_, sub)| sub))
                        });
                        // An unresolved value's `${...}` parts are expressions the inputs
                        // leave open, not text IAM compares.
                        let wildcard = |v: &crate::model::value::Text| {
                            if v.unresolved {
                                wildcard_outside_placeholders(&v.value)
                            } else {
                                v.value.find(['*', '?'])
                            }
                        };
                        for (v, at) in key.values.iter().filter_map(|v| Some((v, wildcard(v)?))) {
                            // A value a local module composed: the piece with the wildcard,
                            // where the caller wrote it when it passed it in.
                            let span = world.inputs.terraform_origins.span_at(
                                doc.source.instance.as_ref().map(|i| i.call),
                                v.span,
                                &v.value,
                                at..at + 1,
                            );
                            let consequence = if op.base.is_negated() {
                                "the exclusion never applies"
                            } else if ci_sub.is_some() {
                                "no pipeline's token matches it"
                            } else if is_sub {
                                "no service account matches it"
                            } else {
                                "it only matches that exact text"
                            };
                            push_about(out, doc,
                                META.diagnostic(
                                    span,
                                    format!("`{}` is compared literally under `{}`: {consequence}", v.value, block.raw),
                                )
                                .label(format!("wildcard under {}", block.raw))
                                .related(block.entry.key.span, "operator that does not expand wildcards")
                                .help(if let Some(sub) = ci_sub {
                                    format!("use `{like}` for a pattern (the tokens' `sub` reads `{sub}`), or list each subject under `{}`", block.raw)
                                } else if let (true, Some(m)) = (is_sub && !op.base.is_negated(), module_inputs) {
                                    // A modelled module writes the operator from its own input.
                                    match m.pattern {
                                        Some(pattern) => format!("for a pattern, {pattern} (keep it within one namespace), or list each service account in {}", m.subjects),
                                        None => format!("list each service account in {}", m.subjects),
                                    }
                                } else if is_sub {
                                    format!("use `{like}` for a pattern (keep it within one namespace), or list each service account under `{}`", block.raw)
                                } else {
                                    format!("use `{like}` for a pattern, or write the exact value")
                                })
                                .path(format!("Statement[{}].Condition.{}.{}", stmt.index, block.raw, key.name.value)),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// A wildcard subject reaching a `dynamic "condition"` block from a variable default.
    #[test]
    fn terraform_dynamic_condition() {
        crate::testing::assert_world_expectations(&super::META, "terraform");
    }

    /// A pattern a caller passes into a local module, which builds the subject in its own
    /// template or writes a modelled module's `namespace:name` element from it: reported at
    /// the caller's string, not in the module's code.
    #[test]
    fn terraform_local_module_caller_input() {
        crate::testing::assert_world_expectations(&super::META, "terraform-local-module");
    }

    /// The same through a local module written as `main.tf.json`, called from `.tf` and
    /// `.tf.json` files: the caller's pieces are mapped back to the JSON text like every
    /// other span of a JSON configuration.
    #[test]
    fn terraform_json_module_caller_input() {
        crate::testing::assert_world_expectations_with(
            &super::META,
            &[&crate::rules::trust::trust_key_has_scheme::META],
            "terraform-json-module",
        );
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A modelled module writes the operator from its own input: the help names that input
    /// (a `StringLike` nobody writes in a module call helps nobody). Calls trimmed from public
    /// repositories' shapes (a v5 call with a `thanos-*` subject, a v6 call, an
    /// iam-assumable-role-with-oidc call with a wildcard in its fully qualified subjects).
    #[test]
    fn help_names_the_module_input_that_makes_a_pattern() {
        let help = |text: &str| crate::testing::only_help("main.tf", text, &super::META);
        let v5 = "module \"thanos\" {\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n  version = \"5.48.0\"\n  role_name = \"thanos\"\n  oidc_providers = {\n    this = {\n      provider_arn               = var.oidc_provider_arn\n      namespace_service_accounts = [\"observability:thanos-*\"]\n    }\n  }\n}\n";
        assert_eq!(
            help(v5),
            "for a pattern, set `assume_role_condition_test = \"StringLike\"` on the module call (keep it within one namespace), or list each service account in `namespace_service_accounts`"
        );
        let v6 = v5
            .replace(
                "iam-role-for-service-accounts-eks",
                "iam-role-for-service-accounts",
            )
            .replace("5.48.0", "6.2.1")
            .replace("role_name", "name");
        assert!(
            help(&v6).starts_with("for a pattern, set `trust_condition_test = \"StringLike\"`"),
            "{}",
            help(&v6)
        );
        let oidc = "module \"irsa\" {\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc\"\n  version = \"5.39.0\"\n  create_role = true\n  role_name = \"crossplane\"\n  provider_url = \"oidc.eks.eu-west-1.amazonaws.com/id/ABC\"\n  oidc_fully_qualified_subjects = [\"system:serviceaccount:crossplane-system:provider-aws-*\"]\n}\n";
        assert_eq!(
            help(oidc),
            "for a pattern, list it in `oidc_subjects_with_wildcards` instead (keep it within one namespace), or list each service account in `oidc_fully_qualified_subjects`"
        );
        let addon = "module \"karpenter\" {\n  source  = \"aws-ia/eks-blueprints-addon/aws\"\n  version = \"1.1.1\"\n  chart = \"karpenter\"\n  namespace = \"karpenter\"\n  create_role = true\n  role_name = \"karpenter\"\n  oidc_providers = {\n    this = {\n      provider_arn    = var.oidc_provider_arn\n      service_account = \"karpenter-*\"\n    }\n  }\n}\n";
        assert_eq!(
            help(addon),
            "for a pattern, set `assume_role_condition_test = \"StringLike\"` on the module call (keep it within one namespace), or list each service account in the `oidc_providers` entry's `service_account` (and `namespace`)"
        );
        // iam-eks-role: the subjects are each cluster's list.
        let eks_role = "module \"eso\" {\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-eks-role\"\n  version = \"5.46.0\"\n  role_name = \"eso\"\n  cluster_service_accounts = {\n    \"pop-platform\" = [\"*:awssm\"]\n  }\n}\n";
        assert_eq!(
            help(eks_role),
            "for a pattern, set `assume_role_condition_test = \"StringLike\"` on the module call (keep it within one namespace), or list each service account in `cluster_service_accounts`"
        );
        // A trust written out keeps the operator advice.
        let written = "data \"aws_iam_policy_document\" \"t\" {\n  statement {\n    actions = [\"sts:AssumeRoleWithWebIdentity\"]\n    principals {\n      type        = \"Federated\"\n      identifiers = [\"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC\"]\n    }\n    condition {\n      test     = \"StringEquals\"\n      variable = \"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub\"\n      values   = [\"system:serviceaccount:observability:thanos-*\"]\n    }\n  }\n}\nresource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = data.aws_iam_policy_document.t.json\n}\n";
        assert!(
            help(written).starts_with("use `StringLike` for a pattern"),
            "{}",
            help(written)
        );
    }
}
