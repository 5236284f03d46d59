use super::{provider_claim, trusted_issuers};
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
struct Declared {
    value: String,
    span: Option<Span>,
    what: &'static str,
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
        });
    }
    for wh in &world.webhook_deployments {
        if let Some(f) = wh.flag("token-audience") {
            if let Some(v) = &f.value {
                out.push(Declared {
                    value: v.clone(),
                    span: Some(f.span),
                    what: "the webhook's --token-audience",
                });
            }
        }
    }
    for a in &world.cluster.audiences {
        out.push(Declared {
            value: a.clone(),
            span: None,
            what: "[cluster].audiences in irsalint.toml",
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
                });
            }
        }
    }
    for pod in &world.pods {
        for t in pod.volumes.iter().flat_map(|v| &v.tokens) {
            if let Some(a) = t.audience.and_then(|a| a.as_str().map(|s| (s, a.span))) {
                out.push(Declared {
                    value: a.0.to_string(),
                    span: Some(a.1),
                    what: "a hand-projected token audience",
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
        });
    }
    out
}

/// Whether the statement is about Kubernetes service-account tokens: an EKS issuer, or `sub`
/// values naming service accounts. Other issuers (CI systems, custom IdPs) choose their own
/// audiences.
fn kubernetes_issuer(issuer: &str, stmt: &crate::model::iam::policy::Statement<'_>) -> bool {
    issuer.starts_with("oidc.eks.")
        || stmt.condition.iter().flat_map(|c| c.keys()).any(|(_, k)| {
            provider_claim(&k.name.value).is_some_and(|(_, c)| c == "sub")
                && k.values
                    .iter()
                    .any(|v| v.value.starts_with("system:serviceaccount:"))
        })
}

impl Rule for TrustWrongAud {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let mut declared: Option<Vec<Declared>> = None;
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let Some((issuer, provider)) = trusted_issuers(stmt).into_iter().next() else {
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
                    let accepted = declared.get_or_insert_with(|| accepted(world));
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
                    if !decidable
                        || key.values.is_empty()
                        || key.values.iter().any(|v| fits(&v.value))
                    {
                        continue;
                    }
                    let mut names: Vec<&str> = Vec::new();
                    for a in accepted.iter() {
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
                                    "`{}` is not an audience the tokens of issuer `{issuer}` carry (in scope: {list})",
                                    v.value
                                ),
                            )
                            .label("audience no token carries")
                            .related(provider.span, "the OIDC provider this statement trusts");
                        for a in accepted.iter() {
                            if let Some(s) = a.span {
                                d = d.related(s, format!("{} `{}`", a.what, a.value));
                            }
                        }
                        out.push(
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
}
