//! Trust-policy rules: who may assume a role with a web-identity token.

pub(crate) mod aud_in_scope;
pub(crate) mod sub_pattern;
pub mod trust_broad_aws_principal;
pub mod trust_broad_stringlike;
pub mod trust_federated_not_arn;
pub mod trust_for_any_value_misuse;
pub mod trust_if_exists_on_claim;
pub mod trust_key_has_scheme;
pub mod trust_key_is_provider_arn;
pub mod trust_key_issuer_mismatch;
pub mod trust_malformed_sub;
pub mod trust_missing_aud;
pub mod trust_module_input_ignored;
pub mod trust_multiple_providers;
pub mod trust_namespace_any_sa;
pub mod trust_namespace_wildcard;
pub mod trust_negated_only_claim;
pub mod trust_no_sub_condition;
pub mod trust_operator_typo;
pub mod trust_pod_identity_no_tag_session;
pub mod trust_policy_unlinked;
pub mod trust_principal_not_oidc;
pub mod trust_provider_account_mismatch;
pub mod trust_public_principal;
pub mod trust_unsupported_claim;
pub mod trust_wildcard_in_stringequals;
pub mod trust_wrong_action;
pub mod trust_wrong_aud;

use crate::model::iam::arn::{self, OidcProvider};
pub(crate) use crate::model::iam::federated::{eks_issuer, SHARED_IDENTITY_PROVIDERS};
use crate::model::iam::policy::{split_issuer_key, Effect, Statement};
use crate::model::value::Text;

/// The OIDC providers (`Federated: arn:...:oidc-provider/<issuer>`) of an `Allow`
/// web-identity statement, with the text they were parsed from.
pub(crate) fn oidc_providers<'s>(stmt: &'s Statement<'_>) -> Vec<(OidcProvider, &'s Text)> {
    if !matches!(stmt.effect, Some((_, Effect::Allow))) || !stmt.is_web_identity() {
        return Vec::new();
    }
    stmt.principal
        .as_ref()
        .map(|p| {
            p.federated()
                .filter_map(|t| OidcProvider::parse(&t.value).map(|o| (o, t)))
                .collect()
        })
        .unwrap_or_default()
}

/// The cluster issuers an `Allow` web-identity statement trusts, as shown in messages:
/// from `oidc-provider/<issuer>` ARNs, or, when the provider is a template placeholder
/// (`%{oidc_provider_arn}`, `${ProviderArn}`), from the statement's condition keys.
pub(crate) fn trusted_issuers<'s>(stmt: &'s Statement<'_>) -> Vec<(String, &'s Text)> {
    if !matches!(stmt.effect, Some((_, Effect::Allow))) || !stmt.is_web_identity() {
        return Vec::new();
    }
    let Some(principal) = &stmt.principal else {
        return Vec::new();
    };
    let key_issuer = || {
        stmt.condition
            .iter()
            .flat_map(|c| c.blocks.iter())
            .flat_map(|b| b.keys.iter())
            // A provider's key only: a global key's prefix (`aws:RequestedRegion`) is no issuer.
            .find_map(|k| provider_claim(&k.name.value).map(|(i, _)| i.to_string()))
    };
    principal
        .federated()
        .filter(|t| !SHARED_IDENTITY_PROVIDERS.contains(&t.value.as_str()))
        .filter_map(|t| {
            if let Some(p) = OidcProvider::parse(&t.value) {
                return Some((p.issuer, t));
            }
            let placeholder = arn::is_placeholder(&t.value)
                || (t.unresolved && !t.value.contains("oidc-provider"));
            // A principal only apply will know, in a statement keyed on `SAML:` (`SAML:aud`):
            // a SAML provider's federation, not an OIDC one's.
            let saml = || {
                stmt.condition
                    .iter()
                    .flat_map(|c| c.blocks.iter())
                    .flat_map(|b| b.keys.iter())
                    .any(|k| {
                        k.name
                            .value
                            .get(..5)
                            .is_some_and(|p| p.eq_ignore_ascii_case("saml:"))
                    })
            };
            (placeholder && !(t.unresolved && saml()))
                .then(|| (key_issuer().unwrap_or_else(|| t.value.to_string()), t))
        })
        .collect()
}

/// An issuer as a message shows it. A literal issuer is itself. One only apply will know (a
/// Terraform expression, which the model writes `${expr}`) is shown as the user wrote it:
/// the expression in the condition key or provider ARN it comes from
/// (`trimprefix(module.eks.cluster_oidc_issuer_url, "https://")`), or, for a template with
/// literal parts, that template in quotes; never as a `${...}` string that looks like a value.
pub(crate) fn shown_issuer(
    world: &crate::world::World<'_>,
    stmt: &Statement<'_>,
    issuer: &str,
) -> String {
    // Only Terraform writes unknowns so: a CloudFormation `${Param}` is shown as it is.
    let terraform = |t: &Text| {
        let path = &world.inputs.sources.get(t.span.file).path;
        path.ends_with(".tf") || crate::terraform::json_config::is_json_config(path)
    };
    // A policy file `templatefile()` renders holds Terraform's unknowns too (its
    // `${oidc_provider}` rendered as `${var.oidc_provider_uri}`), but its text names the
    // template's variables, not the expressions: shown from the value, never the text.
    let rendered = |t: &Text| world.rendered_by_terraform(t.span.file);
    let from_terraform = stmt
        .principal
        .as_ref()
        .is_some_and(|p| p.federated().any(|t| terraform(t) || rendered(t)))
        || stmt
            .condition
            .iter()
            .flat_map(|c| c.keys())
            .any(|(_, k)| terraform(&k.name) || rendered(&k.name));
    if !issuer.contains("${") || !from_terraform {
        return issuer.to_string();
    }
    let written = |t: &Text| written(world, t);
    // From the condition key that names the issuer: `"${expr}:sub"` as written.
    let from_key = stmt
        .condition
        .iter()
        .flat_map(|c| c.blocks.iter())
        .flat_map(|b| b.keys.iter())
        .filter_map(|k| {
            split_issuer_key(&k.name.value)
                .filter(|(i, _)| *i == issuer)
                .map(|(_, claim)| (k, claim))
        })
        .find_map(|(k, claim)| {
            // Only a key written as such (a module builds its keys from other inputs), in
            // Terraform's syntax: a template file's `${cluster_url}` names a variable of the
            // template, not the expression that gave it.
            if !terraform(&k.name) {
                return None;
            }
            let w = written(&k.name);
            let i = w.strip_suffix(claim)?.strip_suffix(':')?;
            i.contains("${").then(|| expression_shown(i))
        });
    if let Some(s) = from_key {
        return s;
    }
    // From the provider ARN: `"arn:aws:iam::…:oidc-provider/${expr}"` as written.
    let from_provider = stmt.principal.as_ref().and_then(|p| {
        p.federated().filter(|t| terraform(t)).find_map(|t| {
            let w = written(t);
            let (_, i) = w.split_once("oidc-provider/")?;
            i.contains("${").then(|| expression_shown(i))
        })
    });
    from_provider.unwrap_or_else(|| expression_shown(issuer))
}

/// The text a value was written as (a Terraform string without its quotes, escaped quotes
/// of a `.tf.json` string unescaped).
pub(crate) fn written(world: &crate::world::World<'_>, t: &Text) -> String {
    let f = world.inputs.sources.get(t.span.file);
    let raw = f.slice(t.span).trim().replace("\\\"", "\"");
    raw.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(&raw)
        .to_string()
}

/// A value [`written`] as the messages name it, before the next word: in backticks with a
/// space, and nothing for an empty one (a message saying "principal `` is ..." reads as a
/// rendering fault).
pub(crate) fn shown_value(shown: &str) -> String {
    if shown.is_empty() {
        String::new()
    } else {
        format!("`{shown}` ")
    }
}

/// `${expr}` alone as `expr`; the known fact `https://${…cluster_oidc_issuer_url}` as the
/// expression (the scheme is its value's); anything else as a quoted template.
pub(crate) fn expression_shown(s: &str) -> String {
    // `${...}` whose `}` closes the opening `${` (nested templates inside are the expression's).
    let whole = |x: &str| {
        let inner = x.strip_prefix("${")?;
        let mut depth = 1usize;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return (i + 1 == inner.len()).then(|| inner[..i].to_string());
                    }
                }
                _ => {}
            }
        }
        // The name of an unknown value holds no `}` (the evaluator writes a `}` inside it as
        // `)`, `hcl::sanitize`), so a nested template in it leaves a `${` unclosed: one `}`,
        // the last byte, still closes the opening `${`.
        let body = inner.strip_suffix('}')?;
        (!body.contains('}')).then(|| body.to_string())
    };
    if let Some(e) = whole(s).or_else(|| s.strip_prefix("https://").and_then(whole)) {
        return e;
    }
    format!("\"{s}\"")
}

/// The trusted issuer a statement's conditions speak about. A token carries only its own
/// issuer's condition keys, so when `Federated` lists several providers, the provider named
/// by the identity-provider keys (`<issuer>:sub`, `<issuer>:aud`) is the one whose tokens the
/// conditions judge, wherever it stands in the list; the first provider when no key names
/// a trusted one.
pub(crate) fn conditioned_issuer<'s>(stmt: &'s Statement<'_>) -> Option<(String, &'s Text)> {
    let mut issuers = trusted_issuers(stmt);
    let keyed: Vec<String> = stmt
        .condition
        .iter()
        .flat_map(|c| c.keys())
        .filter_map(|(_, k)| provider_claim(&k.name.value).map(|(i, _)| normalize_issuer(i)))
        .collect();
    let at = issuers
        .iter()
        .position(|(i, _)| keyed.contains(&normalize_issuer(i)))
        .unwrap_or(0);
    (at < issuers.len()).then(|| issuers.swap_remove(at))
}

/// Whether the statement is about Kubernetes service-account tokens: an EKS issuer, or `sub`
/// values naming service accounts. Other issuers (CI systems, custom IdPs) choose their own
/// audiences.
pub(crate) fn kubernetes_issuer(
    issuer: &str,
    stmt: &crate::model::iam::policy::Statement<'_>,
) -> bool {
    eks_issuer(issuer)
        || stmt.condition.iter().flat_map(|c| c.keys()).any(|(_, k)| {
            provider_claim(&k.name.value).is_some_and(|(_, c)| c == "sub")
                && k.values
                    .iter()
                    .any(|v| v.value.starts_with("system:serviceaccount:"))
        })
}

/// A CI service whose one OIDC issuer every customer shares: the tokens of every
/// repository's or organisation's pipelines carry it. Without a `sub` condition a role that
/// trusts it is open to all of them, not to a cluster's service accounts ("Without any
/// condition, any GitHub user or repository could potentially assume the role":
/// aws-actions/configure-aws-credentials README.md).
pub(crate) struct SharedCi {
    /// Who holds such tokens: `any GitHub Actions workflow of any repository`.
    pub who: &'static str,
    /// The `sub` its tokens carry, as its documentation writes it.
    pub sub: &'static str,
}

/// The shared CI service `issuer` belongs to, if any. Issuers that are already one
/// organisation's (CircleCI's `oidc.circleci.com/org/<id>`, a GitHub Enterprise `*.ghe.com`)
/// are not listed.
pub(crate) fn shared_ci_provider(issuer: &str) -> Option<SharedCi> {
    let (who, sub) = match normalize_issuer(issuer).as_str() {
        // docs.github.com: about-security-hardening-with-openid-connect, "Example subject claims".
        "token.actions.githubusercontent.com" => (
            "any GitHub Actions workflow of any repository",
            "repo:<owner>/<repository>:ref:refs/heads/<branch>",
        ),
        // docs.gitlab.com: ci/secrets/id_token_authentication, `sub`.
        "gitlab.com" => (
            "any GitLab CI/CD pipeline of any project on gitlab.com",
            "project_path:<group>/<project>:ref_type:branch:ref:<branch>",
        ),
        // developer.hashicorp.com: terraform/cloud-docs/workspaces/dynamic-provider-credentials.
        "app.terraform.io" => (
            "any HCP Terraform run of any organisation",
            "organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>",
        ),
        // buildkite.com/docs/agent/v3/cli-oidc, `sub`.
        "agent.buildkite.com" => (
            "any Buildkite pipeline of any organisation",
            "organization:<org>:pipeline:<pipeline>:ref:<ref>:commit:<commit>:step:<step>",
        ),
        _ => return None,
    };
    Some(SharedCi { who, sub })
}

/// A CI service's issuer that is one organisation's: its tokens are that organisation's
/// pipelines', so a trust without `sub` is open to all of them, not to a cluster's service
/// accounts. Returns who holds such tokens and the `sub` they carry.
pub(crate) fn one_org_ci_provider(issuer: &str) -> Option<(String, &'static str)> {
    // Compared lower-cased, shown as written: `normalize_issuer` only lower-cases ASCII and
    // trims, so its byte offsets hold in the text it came from.
    let norm = normalize_issuer(issuer);
    let trimmed = issuer.trim_end_matches('/');
    let written = &trimmed[trimmed.len() - norm.len()..];
    let issuer = norm.as_str();
    // circleci.com/docs/openid-connect-tokens: issuer `https://oidc.circleci.com/org/<org-id>`,
    // `sub` `org/<org-id>/project/<project-id>/user/<user-id>`.
    const CIRCLECI: &str = "oidc.circleci.com/org/";
    if issuer.starts_with(CIRCLECI) && issuer.len() > CIRCLECI.len() {
        let org = &written[CIRCLECI.len()..];
        return Some((
            format!("any CircleCI pipeline of organisation `{org}`"),
            "org/<organization-id>/project/<project-id>/user/<user-id>",
        ));
    }
    // docs.github.com (GitHub Enterprise Cloud with data residency): issuer
    // `https://token.actions.<subdomain>.ghe.com`, GitHub's `sub` format.
    let enterprise = issuer
        .strip_prefix("token.actions.")
        .and_then(|rest| rest.strip_suffix(".ghe.com"))
        .filter(|e| !e.is_empty() && !e.contains('/'))
        .map(|e| &written["token.actions.".len().."token.actions.".len() + e.len()])?;
    Some((
        format!("any GitHub Actions workflow of enterprise `{enterprise}`"),
        "repo:<owner>/<repository>:ref:refs/heads/<branch>",
    ))
}

/// The claim of an identity-provider condition key (`<host/path>:<claim>`), lower-cased;
/// `None` for global keys such as `aws:SourceIp` or `sts:RoleSessionName`. Template
/// placeholders for the issuer (`%{issuer_url}:sub`) count as provider keys.
pub(crate) fn provider_claim(key: &str) -> Option<(&str, String)> {
    let (issuer, claim) = split_issuer_key(key)?;
    issuer
        .contains(['.', '/', '{'])
        .then(|| (issuer, claim.to_ascii_lowercase()))
}

/// Whether a condition key of the statement may be any claim's: a key only apply will know
/// whose claim cannot be read (`(var.condition_variable) = [...]`, as
/// lablabs/terraform-aws-eks-universal-addon modules/addon-oidc writes its trust), or an
/// empty one (that variable's default `""`, a placeholder IAM does not accept). Such a key
/// may be `<issuer>:sub` or `:aud`: what is missing is undecided.
pub(crate) fn has_undecided_key(stmt: &Statement<'_>) -> bool {
    stmt.condition.iter().flat_map(|c| c.keys()).any(|(_, k)| {
        let name = &k.name.value;
        name.trim().is_empty()
            || (k.name.unresolved
                && split_issuer_key(name).is_none_or(|(_, claim)| claim.contains(['$', '{', '}'])))
    })
}

/// An issuer as IAM writes it in condition keys: without scheme and trailing slash,
/// lower-cased for comparison (key names ignore case).
pub(crate) fn normalize_issuer(issuer: &str) -> String {
    let lower = issuer.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    rest.trim_end_matches('/').to_string()
}

/// Whether a condition key's issuer part (`issuer` of `<issuer>:sub`, in a policy of `file`)
/// is an OIDC provider's ARN rather than its URL, as the files show: an ARN written out, a
/// Terraform reference whose value is a provider ARN (an `aws_iam_openid_connect_provider`'s
/// `arn`, resource or data source, or a module's `oidc_provider_arn` output, which
/// terraform-aws-modules/eks and aws-ia eks-blueprints name so; a variable or local may hold
/// anything), or a CloudFormation `${X}`/`${X.Arn}` of the template's own
/// `AWS::IAM::OIDCProvider` `X` (its `Ref` is its ARN). Never in a trust a modelled module
/// generates (`World::module_trust`): the modules take the issuer from the provider ARN they
/// are given (`replace(provider_arn, "/^(.*provider/)/", "")`), and the models name that
/// unknown issuer by the input.
pub(crate) fn provider_arn_issuer(
    world: &crate::world::World<'_>,
    doc: &crate::world::PolicyDoc<'_>,
    issuer: &str,
) -> Option<trust_key_is_provider_arn::ProviderArn> {
    use trust_key_is_provider_arn::ProviderArn;
    if world.module_trust(doc.source.node).is_some() {
        return None;
    }
    let file = doc.source.file;
    let lower = issuer.to_ascii_lowercase();
    if lower.starts_with("arn:") {
        let (_, url) = issuer.split_once(":oidc-provider/")?;
        return (!url.is_empty()).then(|| ProviderArn::Literal(url.to_string()));
    }
    let inner = issuer.strip_prefix("${")?.strip_suffix('}')?;
    let compact: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains(['{', '}', '(', '?', '$', ' ']) {
        return None;
    }
    // Terraform: a reference's last attribute, on a provider resource or the module output.
    let provider = compact
        .strip_prefix("data.")
        .unwrap_or(&compact)
        .strip_prefix("aws_iam_openid_connect_provider.")
        .and_then(|r| r.strip_suffix(".arn"));
    if let Some(name) = provider.filter(|n| !n.contains('.')) {
        let url = (!compact.starts_with("data."))
            .then(|| format!("aws_iam_openid_connect_provider.{name}.url"));
        return Some(ProviderArn::Terraform {
            reference: compact.clone(),
            url,
        });
    }
    if compact.starts_with("module.") && compact.ends_with(".oidc_provider_arn") {
        return Some(ProviderArn::Terraform {
            reference: compact,
            url: None,
        });
    }
    // CloudFormation: the template's own provider resource.
    let logical = compact.strip_suffix(".Arn").unwrap_or(&compact);
    if logical.contains(['.', '[', ':']) || logical.is_empty() {
        return None;
    }
    let roots = world.inputs.file(file).documents.iter().map(|d| &d.root);
    for root in roots {
        let is_parameter = root
            .get("Parameters")
            .is_some_and(|p| p.get(logical).is_some());
        let resource = root.get("Resources").and_then(|r| r.get(logical));
        if !is_parameter
            && resource.is_some_and(|r| {
                r.get("Type").and_then(crate::source::node::Node::as_str)
                    == Some("AWS::IAM::OIDCProvider")
            })
        {
            return Some(ProviderArn::CloudFormation(logical.to_string()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::model::iam::policy::Policy;
    use crate::model::iam::testutil::node;
    use crate::model::value::Substitutions;
    use serde_json::json;

    /// Shared CI issuers are recognised as IAM compares issuers (scheme, trailing slash and
    /// case aside); one organisation's issuer and a cluster's are not shared.
    #[test]
    fn shared_ci_issuers() {
        let who = |i: &str| super::shared_ci_provider(i).map(|c| c.who);
        assert_eq!(
            who("https://Token.Actions.GitHubUserContent.com/"),
            Some("any GitHub Actions workflow of any repository")
        );
        assert!(who("gitlab.com").is_some_and(|w| w.contains("GitLab")));
        assert!(who("app.terraform.io").is_some_and(|w| w.contains("HCP Terraform")));
        assert!(who("agent.buildkite.com").is_some_and(|w| w.contains("Buildkite")));
        assert_eq!(who("oidc.circleci.com/org/0f5b7a2c"), None);
        assert_eq!(who("token.actions.acme.ghe.com"), None);
        assert_eq!(who("gitlab.example.com"), None);
        assert_eq!(who("oidc.eks.eu-west-1.amazonaws.com/id/ABC"), None);
    }

    /// One organisation's CI issuers name that organisation; a cluster's, a shared CI
    /// service's and look-alikes are not one.
    #[test]
    fn one_organisation_ci_issuers() {
        let who = |i: &str| super::one_org_ci_provider(i).map(|c| c.0);
        assert_eq!(
            who("https://oidc.circleci.com/org/0f5b7a2c/"),
            Some("any CircleCI pipeline of organisation `0f5b7a2c`".to_string())
        );
        assert_eq!(
            who("token.actions.acme.ghe.com"),
            Some("any GitHub Actions workflow of enterprise `acme`".to_string())
        );
        assert_eq!(
            who("https://OIDC.circleci.com/org/<CIRCLECI_ORG_UUID>"),
            Some("any CircleCI pipeline of organisation `<CIRCLECI_ORG_UUID>`".to_string())
        );
        assert_eq!(
            who("token.actions.Acme.ghe.com/"),
            Some("any GitHub Actions workflow of enterprise `Acme`".to_string())
        );
        assert_eq!(who("oidc.circleci.com/org/"), None);
        assert_eq!(who("token.actions.ghe.com"), None);
        assert_eq!(who("token.actions.githubusercontent.com"), None);
        assert_eq!(who("oidc.circleci.com"), None);
        assert_eq!(who("oidc.eks.eu-west-1.amazonaws.com/id/ABC"), None);
    }

    /// EKS issuers: `oidc.eks.*`, and the EKS cluster's issuer outputs Terraform knows only
    /// at apply time, written whole; not a variable, a local, another output or expression.
    #[test]
    fn eks_issuers_known_only_at_apply_time() {
        use super::eks_issuer;
        for eks in [
            "oidc.eks.eu-west-1.amazonaws.com/id/ABC",
            "${aws_eks_cluster.eks.identity[0].oidc[0].issuer}",
            "https://${aws_eks_cluster.eks.identity[0].oidc[0].issuer}",
            "${data.aws_eks_cluster.this.identity.0.oidc.0.issuer}",
            "${module.eks.cluster_oidc_issuer_url}",
            "${module.eks.oidc_provider}",
            // The scheme trimmed, named by the call that trims it.
            "${replace(module.eks.cluster_oidc_issuer_url, \"https://\", \"\")}",
            "${trimprefix(aws_eks_cluster.eks.identity[0].oidc[0].issuer, \"https://\")}",
            // The issuer of the EKS module's provider ARN.
            "${replace(module.eks.oidc_provider_arn, \"/^(.*provider/)/\", \"\")}",
        ] {
            assert!(eks_issuer(eks), "{eks}");
        }
        for other in [
            "token.actions.githubusercontent.com",
            "${var.issuer}",
            "${var.eks.cluster_oidc_issuer_url}",
            "${local.eks.identity[0].oidc[0].issuer}",
            "${aws_iam_openid_connect_provider.eks.url}",
            "${var.oidc_provider}",
            "${replace(var.issuer_url, \"https://\", \"\")}",
            "${module.eks.cluster_name}",
            "${data.terraform_remote_state.eks.outputs.oidc_provider}",
            "${replace(module.eks.cluster_oidc_issuer_url, \"http://\", \"\")}",
            "${replace(var.oidc_provider_arn, \"/^(.*provider/)/\", \"\")}",
            "${replace(module.eks.oidc_provider_arn, \"/^(.*oidc/)/\", \"\")}",
            "${replace(module.eks.cluster_arn, \"/^(.*provider/)/\", \"\")}",
            "${replace(module.eks[var.on ? 0 : 1].oidc_provider_arn, \"/^(.*provider/)/\", \"\")}",
            "${trimprefix(module.eks.cluster_oidc_issuer_url, \"oidc.\")}",
            "${var.on ? module.eks.cluster_oidc_issuer_url : \"\"}",
            "${module.eks.cluster_oidc_issuer_url}/x",
            "oidc.eks",
        ] {
            assert!(!eks_issuer(other), "{other}");
        }
    }

    /// Terraform expressions as messages show them: the expression itself, the issuer URL
    /// fact without its modelled scheme, a template with literal parts in quotes.
    #[test]
    fn expressions_are_shown_as_written() {
        use super::expression_shown;
        assert_eq!(expression_shown("${var.issuer}"), "var.issuer");
        assert_eq!(
            expression_shown("${trimprefix(var.arn, \"arn:aws:iam::${local.a}:oidc-provider/\")}"),
            "trimprefix(var.arn, \"arn:aws:iam::${local.a}:oidc-provider/\")"
        );
        assert_eq!(
            expression_shown("https://${module.eks.cluster_oidc_issuer_url}"),
            "module.eks.cluster_oidc_issuer_url"
        );
        assert_eq!(
            expression_shown("oidc.eks.${var.region}.amazonaws.com/id/${var.id}"),
            "\"oidc.eks.${var.region}.amazonaws.com/id/${var.id}\""
        );
        assert_eq!(expression_shown("${a}/${b}"), "\"${a}/${b}\"");
        // An unknown's name, whose nested template's `}` the evaluator wrote as `)`
        // (AwesomeCICD/ceratf-module-helm-istio data.tf@fadce69):
        assert_eq!(
            expression_shown("${trimprefix(var.arn, \"arn:aws:iam::${var.acct):oidc-provider/\")}"),
            "trimprefix(var.arn, \"arn:aws:iam::${var.acct):oidc-provider/\")"
        );
        assert_eq!(expression_shown("${a}x"), "\"${a}x\"");
    }

    const PROVIDER: &str =
        "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C3D";

    fn statement(effect: &str, action: &str) -> serde_json::Value {
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": effect,
                "Principal": {"Federated": PROVIDER},
                "Action": action,
            }]
        })
    }

    /// Only an `Allow` of `sts:AssumeRoleWithWebIdentity` trusts a provider's tokens: a
    /// `Deny` of it, or an `Allow` of another action naming the provider, trusts none.
    #[test]
    fn only_allowed_web_identity_statements_trust_a_provider() {
        for (effect, action, trusts) in [
            ("Allow", "sts:AssumeRoleWithWebIdentity", true),
            ("Deny", "sts:AssumeRoleWithWebIdentity", false),
            ("Allow", "sts:AssumeRole", false),
            ("Deny", "sts:AssumeRole", false),
        ] {
            let n = node(&statement(effect, action));
            let p = Policy::parse(&n, Substitutions::none());
            let stmt = &p.statements[0];
            let providers: Vec<String> = super::oidc_providers(stmt)
                .into_iter()
                .map(|(p, _)| p.issuer)
                .collect();
            let issuers: Vec<String> = super::trusted_issuers(stmt)
                .into_iter()
                .map(|(i, _)| i)
                .collect();
            let expected: Vec<String> = if trusts {
                vec!["oidc.eks.eu-west-1.amazonaws.com/id/5C3D".to_string()]
            } else {
                Vec::new()
            };
            assert_eq!(providers, expected, "{effect} {action}");
            assert_eq!(issuers, expected, "{effect} {action}");
        }
    }

    /// With several providers in `Federated`, the conditions' keys pick the provider they
    /// judge, first or last in the list; without a provider key, the first provider.
    #[test]
    fn the_conditioned_issuer_is_the_one_the_keys_name() {
        let a = "oidc.eks.eu-west-1.amazonaws.com/id/AAAA";
        let b = "oidc.eks.eu-west-1.amazonaws.com/id/BBBB";
        let arn = |i: &str| format!("arn:aws:iam::111122223333:oidc-provider/{i}");
        for (federated, condition, expected) in [
            (
                vec![arn(a), arn(b)],
                json!({"StringEquals": {format!("{b}:sub"): "system:serviceaccount:x:y"}}),
                b,
            ),
            (
                vec![arn(b), arn(a)],
                json!({"StringEquals": {format!("{b}:aud"): "sts.amazonaws.com"}}),
                b,
            ),
            (
                vec![arn(a), arn(b)],
                json!({"StringEquals": {format!("{}:sub", a.to_uppercase()): "system:serviceaccount:x:y"}}),
                a,
            ),
            (
                vec![arn(b), arn(a)],
                json!({"StringEquals": {"aws:SourceIp": "10.0.0.1"}}),
                b,
            ),
            (vec![arn(a), arn(b)], json!({}), a),
        ] {
            let n = node(&json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Federated": federated},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": condition,
                }]
            }));
            let p = Policy::parse(&n, Substitutions::none());
            let got = super::conditioned_issuer(&p.statements[0]).map(|(i, _)| i);
            assert_eq!(got.as_deref(), Some(expected), "{federated:?} {condition}");
        }
    }
}
