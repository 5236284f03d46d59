use super::{
    conditioned_issuer, kubernetes_issuer, normalize_issuer, provider_claim, trusted_issuers,
};
use crate::model::iam::arn::is_placeholder;
use crate::model::iam::glob::glob_match;
use crate::rules::prelude::*;

declare_rule! {
    TrustWrongAud,
    code: "T004",
    name: "trust-wrong-aud",
    family: Trust,
    severity: Error,
    summary: "the trust policy requires an `aud` value that no token in scope carries, so STS rejects the tokens",
}

/// An audience some input says tokens carry, and where it says so.
#[derive(Clone)]
struct Declared {
    value: String,
    span: Option<Span>,
    what: &'static str,
    /// Whether it counts as evidence that a token carries this audience, shown "in scope"
    /// and enough to blame a trust. The webhook's default `sts.amazonaws.com` outside EKS with
    /// no webhook in the inputs is not: it still silences (a webhook elsewhere may use it),
    /// but nothing shows a token carrying it.
    evidence: bool,
    /// For a hand-projected token: the subject of the pod's ServiceAccount. A trust that names
    /// it is judged against that token by pod-token-audience-mismatch, at the pod.
    subject: Option<String>,
}

/// Every audience the world says tokens may carry: the webhook's `--token-audience` (or its
/// default `sts.amazonaws.com`), `[cluster].audiences`, ServiceAccount audience annotations,
/// hand-projected tokens, and `openshift` for OpenShift/ccoctl setups.
fn accepted(world: &World<'_>) -> Vec<Declared> {
    let mut out = Vec::new();
    // `sts.amazonaws.com` is what the webhook and EKS use unless told otherwise; only an
    // explicit `[cluster].audiences` without it rules it out (one webhook flag does not: the
    // inputs may hold several clusters, and ServiceAccounts may override it).
    let configured = &world.cluster.audiences;
    if configured.is_empty()
        || configured
            .iter()
            .any(|a| a == crate::model::webhook::DEFAULT_TOKEN_AUDIENCE)
    {
        out.push(Declared {
            value: crate::model::webhook::DEFAULT_TOKEN_AUDIENCE.into(),
            span: None,
            what: "the default token audience",
            // Refined per statement: EKS issuers have the managed webhook.
            evidence: !world.webhook_deployments.is_empty(),
            subject: None,
        });
    }
    for wh in &world.webhook_deployments {
        if let Some(f) = wh.flag("token-audience") {
            if let Some(v) = &f.value {
                out.push(Declared {
                    value: v.clone(),
                    span: Some(f.span),
                    what: "the webhook's --token-audience",
                    evidence: true,
                    subject: None,
                });
            }
        }
    }
    for a in &world.cluster.audiences {
        out.push(Declared {
            value: a.clone(),
            span: None,
            what: "[cluster].audiences in irsalint.toml",
            evidence: true,
            subject: None,
        });
    }
    let prefix = &world.settings.annotation_prefix.value;
    for sa in &world.service_accounts {
        if let Some(e) = sa.annotation(prefix, "audience") {
            if let Some(v) = e.value.as_str() {
                out.push(Declared {
                    value: v.to_string(),
                    span: Some(e.value.span),
                    what: "a ServiceAccount audience annotation",
                    evidence: true,
                    subject: None,
                });
            }
        }
    }
    for pod in &world.pods {
        let subject = format!(
            "system:serviceaccount:{}:{}",
            pod.owner.namespace,
            pod.service_account_name()
        );
        for t in pod.volumes.iter().flat_map(|v| &v.tokens) {
            if let Some(a) = t.audience.and_then(|a| a.as_str().map(|s| (s, a.span))) {
                out.push(Declared {
                    value: a.0.to_string(),
                    span: Some(a.1),
                    what: "a hand-projected token audience",
                    evidence: true,
                    subject: Some(subject.clone()),
                });
            }
        }
    }
    let openshift = !world.credentials_requests.is_empty()
        || world.trust_policies().any(|d| {
            d.policy.statements.iter().any(|s| {
                trusted_issuers(s).iter().any(|(i, _)| {
                    let i = i.to_ascii_lowercase();
                    i.contains("openshift") || i.contains("rh-oidc") || i.contains("%{")
                }) || s.condition.iter().flat_map(|c| c.keys()).any(|(_, k)| {
                    k.values
                        .iter()
                        .any(|v| v.value.starts_with("system:serviceaccount:openshift-"))
                })
            })
        });
    if openshift {
        out.push(Declared {
            value: "openshift".into(),
            span: None,
            what: "OpenShift (ccoctl) projected tokens",
            evidence: true,
            subject: None,
        });
    }
    out
}

/// The audiences in scope for one statement trusting `issuer`: the world's, plus the client
/// IDs of the IAM OIDC provider for the issuer (STS accepts only those, so a trust `aud` among
/// them is consistent with the provider). The default audience is evidence for an EKS issuer
/// (the managed webhook); the hand-projected tokens of the ServiceAccounts the statement names
/// are not evidence against it: when such a token's audience is wrong, the pod is the one to
/// fix and pod-token-audience-mismatch reports it there, once.
fn in_scope(
    world: &World<'_>,
    global: &[Declared],
    issuer: &str,
    stmt: &crate::model::iam::policy::Statement<'_>,
) -> Vec<Declared> {
    let eks = super::eks_issuer(issuer);
    let named = |subject: &str| {
        stmt.condition.iter().flat_map(|c| c.keys()).any(|(b, k)| {
            let Ok(op) = &b.operator else { return false };
            !op.base.is_negated()
                && op.base.family() == crate::model::iam::operator::Family::String
                && provider_claim(&k.name.value).is_some_and(|(_, c)| c == "sub")
                && k.values.iter().any(|v| {
                    if op.base.uses_wildcards() {
                        glob_match(&v.value, subject, op.base.ignores_case())
                    } else {
                        v.value == subject
                    }
                })
        })
    };
    let mut out: Vec<Declared> = global
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if d.span.is_none() && d.value == crate::model::webhook::DEFAULT_TOKEN_AUDIENCE {
                d.evidence |= eks;
            }
            if d.subject.as_deref().is_some_and(named) {
                d.evidence = false;
            }
            d
        })
        .collect();
    let key = normalize_issuer(issuer);
    for p in &world.iam_oidc_providers {
        if p.issuer_key().map(|k| normalize_issuer(&k)) != Some(key.clone()) {
            continue;
        }
        for n in p.client_ids.value.items() {
            if let Some(v) = n.as_str().filter(|v| !v.is_empty() && !v.contains("${")) {
                out.push(Declared {
                    value: v.to_string(),
                    span: Some(n.span),
                    what: "a client ID of the IAM OIDC provider",
                    evidence: true,
                    subject: None,
                });
            }
        }
    }
    out
}

impl Rule for TrustWrongAud {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let mut declared: Option<Vec<Declared>> = None;
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let Some((issuer, provider)) = conditioned_issuer(stmt) else {
                    continue;
                };
                if !kubernetes_issuer(&issuer, stmt) {
                    continue;
                }
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                for (block, key) in conds.keys() {
                    let Ok(op) = &block.operator else { continue };
                    if op.base.is_negated()
                        || op.base.family() != crate::model::iam::operator::Family::String
                    {
                        continue;
                    }
                    if provider_claim(&key.name.value).is_none_or(|(_, c)| c != "aud") {
                        continue;
                    }
                    let global = declared.get_or_insert_with(|| accepted(world));
                    let accepted = &in_scope(world, global, &issuer, stmt);
                    let fits = |v: &str| {
                        accepted.iter().any(|a| {
                            if op.base.uses_wildcards() {
                                glob_match(v, &a.value, op.base.ignores_case())
                            } else if op.base.ignores_case() {
                                v.eq_ignore_ascii_case(&a.value)
                            } else {
                                v == a.value
                            }
                        })
                    };
                    // Values of one key are ORed: one right audience is enough.
                    let decidable = key
                        .values
                        .iter()
                        .all(|v| !v.unresolved && !is_placeholder(&v.value));
                    // Only audiences the inputs show a token carrying can blame the trust;
                    // with none (a self-managed issuer, no webhook, no provider in the
                    // inputs, or only the pods this statement names, whose tokens
                    // pod-token-audience-mismatch judges at the pod) the inputs do not decide.
                    if !decidable
                        || key.values.is_empty()
                        || key.values.iter().any(|v| fits(&v.value))
                        || !accepted.iter().any(|a| a.evidence)
                    {
                        continue;
                    }
                    let mut names: Vec<&str> = Vec::new();
                    for a in accepted.iter().filter(|a| a.evidence) {
                        if !names.contains(&a.value.as_str()) {
                            names.push(&a.value);
                        }
                    }
                    let list = names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    for v in &key.values {
                        let mut d = META
                            .diagnostic(
                                v.span,
                                format!(
                                    "`{}` is not an audience the tokens of issuer `{}` carry (in scope: {list})",
                                    v.value,
                                    super::shown_issuer(world, stmt, &issuer)
                                ),
                            )
                            .label("audience no token carries")
                            .related(provider.span, "the OIDC provider this statement trusts");
                        for a in accepted.iter().filter(|a| a.evidence) {
                            if let Some(s) = a.span {
                                d = d.related(s, format!("{} `{}`", a.what, a.value));
                            }
                        }
                        push_about(out, doc,
                            d.help(if crate::model::iam::glob::has_wildcard(&v.value) {
                                format!("require the audience the tokens carry (`{}`)", names[0])
                            } else {
                                format!(
                                    "require the audience the tokens carry (`{}`), or set the token audience (webhook --token-audience, `{}/audience` annotation) to `{}`",
                                    names[0], world.settings.annotation_prefix.value, v.value
                                )
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

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A self-managed issuer with no webhook in the inputs: the default `sts.amazonaws.com`
    /// is not "in scope"; the provider's client ID is, and is what the help suggests.
    #[test]
    fn no_webhook_no_default_audience_in_scope() {
        let report = crate::testing::lint_fixture_world(&super::META, "bad");
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.message.contains("cluster1-irssa"))
            .expect("the misspelt self-managed audience is reported");
        assert!(
            d.message.ends_with("(in scope: `cluster1-irsa`)"),
            "{}",
            d.message
        );
        let help = d.help.as_deref().unwrap_or("");
        assert!(
            help.starts_with("require the audience the tokens carry (`cluster1-irsa`)"),
            "{help}"
        );
    }

    /// Trust and pod disagree with nothing else in the inputs: the pod's token is judged at
    /// the pod (pod-token-audience-mismatch), the trust is not blamed.
    #[test]
    fn pod_token_of_the_named_service_account_does_not_blame_the_trust() {
        crate::testing::assert_world_expectations(&super::META, "self-managed-no-provider");
    }
}
