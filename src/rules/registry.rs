//! Every rule, sorted by code. Tests check the order, uniqueness, docs and fixtures.

use super::Rule;
use super::{credentials, input, oidc, perm, pod, policy, sa, trust, webhook};

pub static RULES: &[&dyn Rule] = &[
    &input::parse_error::ParseError,
    &input::duplicate_key::DuplicateKey,
    &input::unsupported_template::UnsupportedTemplate,
    &input::input_limit::InputLimit,
    &input::input_not_text::InputNotText,
    &input::internal_error::InternalError,
    &input::unused_suppression::UnusedSuppression,
    &input::invalid_suppression::InvalidSuppression,
    &input::unresolved_include::UnresolvedInclude,
    &input::yaml_lenient_flow_indentation::YamlLenientFlowIndentation,
    &policy::policy_invalid_effect::PolicyInvalidEffect,
    &policy::policy_version::PolicyVersion,
    &policy::policy_duplicate_sid::PolicyDuplicateSid,
    &policy::policy_trust_resource::PolicyTrustResource,
    &policy::policy_unknown_element::PolicyUnknownElement,
    &policy::policy_case_duplicate_key::PolicyCaseDuplicateKey,
    &policy::policy_empty_element::PolicyEmptyElement,
    &policy::policy_type_mismatch::PolicyTypeMismatch,
    &policy::policy_trust_size_quota::PolicyTrustSizeQuota,
    &policy::policy_missing_element::PolicyMissingElement,
    &trust::trust_no_sub_condition::TrustNoSubCondition,
    &trust::trust_broad_stringlike::TrustBroadStringLike,
    &trust::trust_missing_aud::TrustMissingAud,
    &trust::trust_wrong_aud::TrustWrongAud,
    &trust::trust_wildcard_in_stringequals::TrustWildcardInStringEquals,
    &trust::trust_key_issuer_mismatch::TrustKeyIssuerMismatch,
    &trust::trust_key_has_scheme::TrustKeyHasScheme,
    &trust::trust_principal_not_oidc::TrustPrincipalNotOidc,
    &trust::trust_wrong_action::TrustWrongAction,
    &trust::trust_operator_typo::TrustOperatorTypo,
    &trust::trust_for_any_value_misuse::TrustForAnyValueMisuse,
    &trust::trust_negated_only_claim::TrustNegatedOnlyClaim,
    &trust::trust_if_exists_on_claim::TrustIfExistsOnClaim,
    &trust::trust_namespace_wildcard::TrustNamespaceWildcard,
    &trust::trust_namespace_any_sa::TrustNamespaceAnySa,
    &trust::trust_malformed_sub::TrustMalformedSub,
    &trust::trust_unsupported_claim::TrustUnsupportedClaim,
    &trust::trust_public_principal::TrustPublicPrincipal,
    &trust::trust_pod_identity_no_tag_session::TrustPodIdentityNoTagSession,
    &trust::trust_broad_aws_principal::TrustBroadAwsPrincipal,
    &trust::trust_provider_account_mismatch::TrustProviderAccountMismatch,
    &trust::trust_multiple_providers::TrustMultipleProviders,
    &trust::trust_module_input_ignored::TrustModuleInputIgnored,
    &trust::trust_policy_unlinked::TrustPolicyUnlinked,
    &trust::trust_federated_not_arn::TrustFederatedNotArn,
    &trust::trust_key_is_provider_arn::TrustKeyIsProviderArn,
    &perm::perm_admin_star::PermAdminStar,
    &perm::perm_service_wildcard::PermServiceWildcard,
    &perm::perm_write_on_star_resource::PermWriteOnStarResource,
    &perm::perm_notaction_allow::PermNotactionAllow,
    &perm::perm_passrole_star::PermPassroleStar,
    &perm::perm_broad_managed_policy::PermBroadManagedPolicy,
    &perm::perm_unknown_action::PermUnknownAction,
    &perm::perm_wildcard_matches_nothing::PermWildcardMatchesNothing,
    &perm::perm_privilege_escalation::PermPrivilegeEscalation,
    &perm::perm_eks_access_pivot::PermEksAccessPivot,
    &perm::perm_assumerole_star::PermAssumeroleStar,
    &perm::perm_notresource_allow::PermNotresourceAllow,
    &perm::perm_data_read_star::PermDataReadStar,
    &perm::perm_unsupported_condition_key::PermUnsupportedConditionKey,
    &perm::perm_resource_type_mismatch::PermResourceTypeMismatch,
    &perm::perm_module_input_ignored::PermModuleInputIgnored,
    &sa::sa_role_not_trusted::SaRoleNotTrusted,
    &sa::sa_arn_malformed::SaArnMalformed,
    &sa::sa_arn_placeholder::SaArnPlaceholder,
    &sa::sa_annotation_prefix_mismatch::SaAnnotationPrefixMismatch,
    &sa::sa_annotation_key_typo::SaAnnotationKeyTypo,
    &sa::sa_role_on_default_sa::SaRoleOnDefaultSa,
    &sa::sa_audience_empty::SaAudienceEmpty,
    &sa::sa_role_arn_mismatch::SaRoleArnMismatch,
    &sa::sa_sts_regional_endpoints_invalid::SaStsRegionalEndpointsInvalid,
    &sa::sa_role_shared_across_namespaces::SaRoleSharedAcrossNamespaces,
    &sa::sa_irsa_unused::SaIrsaUnused,
    &sa::sa_role_arn_with_pod_identity::SaRoleArnWithPodIdentity,
    &sa::sa_association_input_ignored::SaAssociationInputIgnored,
    &pod::pod_sa_missing::PodSaMissing,
    &pod::pod_env_typo::PodEnvTypo,
    &pod::pod_token_path_not_mounted::PodTokenPathNotMounted,
    &pod::pod_token_audience_mismatch::PodTokenAudienceMismatch,
    &pod::token_expiration_out_of_range::TokenExpirationOutOfRange,
    &pod::pod_irsa_annotation_on_pod::PodIrsaAnnotationOnPod,
    &pod::pod_static_keys_with_irsa::PodStaticKeysWithIrsa,
    &pod::pod_irsa_env_conflict::PodIrsaEnvConflict,
    &pod::pod_skip_containers_unknown::PodSkipContainersUnknown,
    &pod::pod_host_network_irsa::PodHostNetworkIrsa,
    &pod::pod_webhook_skip_label::PodWebhookSkipLabel,
    &pod::pod_windows_token_path::PodWindowsTokenPath,
    &webhook::webhook_failure_policy_ignore::WebhookFailurePolicyIgnore,
    &webhook::webhook_deprecated_api::WebhookDeprecatedApi,
    &webhook::webhook_configmap_key_malformed::WebhookConfigmapKeyMalformed,
    &webhook::webhook_admission_review_v1::WebhookAdmissionReviewV1,
    &webhook::webhook_drops_native_sidecar::WebhookDropsNativeSidecar,
    &webhook::webhook_configmap_entry_incomplete::WebhookConfigmapEntryIncomplete,
    &webhook::webhook_selector_excludes_irsa::WebhookSelectorExcludesIrsa,
    &credentials::aws_config_wrong_key::AwsConfigWrongKey,
    &credentials::credreq_no_service_accounts::CredreqNoServiceAccounts,
    &credentials::credreq_role_not_trusted::CredreqRoleNotTrusted,
    &credentials::credreq_token_file_mismatch::CredreqTokenFileMismatch,
    &credentials::credreq_audience_not_openshift::CredreqAudienceNotOpenshift,
    &credentials::aws_config_role_not_trusted::AwsConfigRoleNotTrusted,
    &oidc::oidc_discovery_issuer_mismatch::OidcDiscoveryIssuerMismatch,
    &oidc::oidc_discovery_issuer_invalid::OidcDiscoveryIssuerInvalid,
    &oidc::oidc_jwks_uri_invalid::OidcJwksUriInvalid,
    &oidc::oidc_provider_missing_client_id::OidcProviderMissingClientId,
];

#[cfg(test)]
mod tests {
    //! Catalogue meta-tests: conventions enforced by tests, not by review.
    use std::path::Path;

    use super::RULES;
    use crate::rules::{Family, RuleMeta};

    fn metas() -> Vec<&'static RuleMeta> {
        RULES.iter().map(|r| r.meta()).collect()
    }

    /// Rules whose findings are made by the engine, not from fixtures.
    #[test]
    fn codes_and_names_are_unique_well_formed_and_sorted() {
        let code_re = regex::Regex::new(r"^[EGTPSKWCO]\d{3}$").unwrap();
        let name_re = regex::Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
        let mut codes = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for m in metas() {
            assert!(code_re.is_match(m.code), "bad code {}", m.code);
            assert!(name_re.is_match(m.name), "bad name {}", m.name);
            assert!(
                m.code.starts_with(m.family.letter()),
                "{} is not in family {:?}",
                m.code,
                m.family
            );
            if m.family != Family::Input {
                let prefixes: &[&str] = match m.family {
                    Family::Policy => &["policy-"],
                    Family::Trust => &["trust-"],
                    Family::Perm => &["perm-"],
                    Family::Sa => &["sa-"],
                    Family::Pod => &["pod-", "token-"],
                    Family::Webhook => &["webhook-"],
                    Family::Credentials => &["aws-config-", "credreq-"],
                    Family::Oidc => &["oidc-"],
                    Family::Input => &[],
                };
                assert!(
                    prefixes.iter().any(|p| m.name.starts_with(p)),
                    "{} lacks its family prefix",
                    m.name
                );
            }
            assert!(codes.insert(m.code), "duplicate code {}", m.code);
            assert!(names.insert(m.name), "duplicate name {}", m.name);
            assert!(
                !m.summary.ends_with('.'),
                "summary of {} ends with a period",
                m.name
            );
        }
        let order: Vec<(usize, &str)> = metas()
            .iter()
            .map(|m| {
                (
                    Family::ALL.iter().position(|f| *f == m.family).unwrap(),
                    m.code,
                )
            })
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted, "RULES must be sorted by family, then code");
    }

    #[test]
    fn docs_have_the_header_and_sections_in_order() {
        for m in metas() {
            let first = m.doc.lines().next().unwrap_or("");
            assert_eq!(
                first,
                format!("# {} ({})", m.name, m.code),
                "title of rules/{}.md",
                m.name
            );
            let header = m.doc.lines().nth(2).unwrap_or("");
            let expected = format!(
                "Family: {} · Default severity: {} · Since: 0.1.0 · Summary: {}",
                m.family.name(),
                m.default_severity.as_str(),
                m.summary
            );
            assert_eq!(header, expected, "header line of rules/{}.md", m.name);
            let mut at = 0;
            for h in [
                "What it does",
                "Why it matters",
                "Example",
                "How to fix",
                "References",
            ] {
                let pos = m.doc[at..].find(&format!("\n## {h}\n")).unwrap_or_else(|| {
                    panic!("rules/{}.md lacks '## {h}' (or it is out of order)", m.name)
                });
                at += pos + 1;
            }
        }
    }

    #[test]
    fn every_rule_has_fixtures_and_every_fixture_or_doc_a_rule() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let names: Vec<&str> = metas().iter().map(|m| m.name).collect();
        for m in metas() {
            for sub in ["bad", "good", "snapshots"] {
                let p = root.join("testdata/rules").join(m.name).join(sub);
                assert!(p.is_dir(), "{} lacks {}", m.name, p.display());
            }
        }
        for entry in std::fs::read_dir(root.join("testdata/rules")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                names.contains(&name.as_str()),
                "testdata/rules/{name} belongs to no rule"
            );
        }
        for entry in std::fs::read_dir(root.join("rules")).unwrap() {
            let file = entry.unwrap().file_name().into_string().unwrap();
            let name = file.strip_suffix(".md").unwrap_or(&file);
            assert!(names.contains(&name), "rules/{file} belongs to no rule");
        }
    }

    /// Every registered rule (not only those whose file remembers to call it) passes its
    /// fixtures: stated expectations, snapshots and a silent good/.
    #[test]
    fn every_rule_passes_its_fixtures() {
        let mut checked = 0;
        for m in metas() {
            crate::testing::assert_rule_fixtures(m);
            checked += 1;
        }
        assert_eq!(checked, metas().len());
    }

    #[test]
    fn readme_rule_table_matches_the_catalogue() {
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
                .unwrap();
        let start = readme
            .find("<!-- rules-table:start -->\n")
            .expect("README has the rules table markers")
            + "<!-- rules-table:start -->\n".len();
        let end = readme.find("<!-- rules-table:end -->").unwrap();
        let table = crate::cli::rules_listing(crate::cli::RulesFormat::Markdown);
        assert_eq!(
            &readme[start..end],
            table,
            "README rules table is stale: replace it with `irsalint rules --format markdown`"
        );
    }
}
