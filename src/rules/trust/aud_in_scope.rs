//! The audience a trust statement's tokens actually carry, as the inputs show it: for the
//! advice of trust-missing-aud, so it suggests what is in use rather than a default.

use super::sub_pattern::split_sub;
use super::{normalize_issuer, provider_claim};
use crate::model::iam::glob::has_wildcard;
use crate::model::iam::operator::BaseOp;
use crate::model::iam::policy::Statement;
use crate::source::file::Span;
use crate::world::World;

/// An audience seen in the inputs, with where.
pub(crate) struct SeenAudience {
    pub value: String,
    pub span: Span,
    pub what: String,
    /// From the webhook's `--token-audience` (cluster-wide, not about this statement).
    pub from_webhook: bool,
}

/// The service accounts a statement's `StringEquals` `sub` values name exactly.
fn subjects(stmt: &Statement<'_>) -> Vec<(String, String)> {
    stmt.condition
        .iter()
        .flat_map(|c| c.keys())
        .filter(|(b, k)| {
            b.operator
                .as_ref()
                .is_ok_and(|o| o.base == BaseOp::StringEquals && o.qualifier.is_none())
                && provider_claim(&k.name.value).is_some_and(|(_, c)| c == "sub")
        })
        .flat_map(|(_, k)| k.values.iter())
        .filter(|v| !v.unresolved && !has_wildcard(&v.value))
        .filter_map(|v| split_sub(&v.value).map(|(ns, n)| (ns.to_string(), n.to_string())))
        .collect()
}

/// Audiences in scope for a statement trusting `issuer`, most specific first: the
/// ServiceAccount audience annotations and hand-projected token audiences of the service
/// accounts it names, the webhook's `--token-audience`, then the client IDs of the IAM OIDC
/// provider for the issuer. Empty when the inputs show none.
pub(crate) fn audiences_in_scope(
    world: &World<'_>,
    stmt: &Statement<'_>,
    issuer: &str,
) -> Vec<SeenAudience> {
    let mut out = Vec::new();
    let subjects = subjects(stmt);
    let prefix = &world.settings.annotation_prefix.value;
    for (ns, name) in &subjects {
        if let Some(sa) = world.service_account(ns, name) {
            if let Some(e) = sa.annotation(prefix, "audience") {
                if let Some(v) = e.value.as_str().filter(|v| !v.is_empty()) {
                    out.push(SeenAudience {
                        value: v.to_string(),
                        span: e.value.span,
                        what: format!("the audience annotation of ServiceAccount `{ns}/{name}`"),
                        from_webhook: false,
                    });
                }
            }
        }
    }
    for pod in &world.pods {
        let sa = pod.service_account_name();
        if !subjects
            .iter()
            .any(|(ns, n)| *ns == pod.owner.namespace && n == sa)
        {
            continue;
        }
        for t in pod.volumes.iter().flat_map(|v| &v.tokens) {
            if let Some(a) = t.audience {
                if let Some(v) = a.as_str().filter(|v| !v.is_empty()) {
                    out.push(SeenAudience {
                        value: v.to_string(),
                        span: a.span,
                        what: format!("the projected token of {}", pod.display()),
                        from_webhook: false,
                    });
                }
            }
        }
    }
    for wh in &world.webhook_deployments {
        if let Some(f) = wh.flag("token-audience") {
            if let Some(v) = f.value.as_ref().filter(|v| !v.is_empty()) {
                out.push(SeenAudience {
                    value: v.clone(),
                    span: f.value_span.unwrap_or(f.span),
                    what: "the webhook's --token-audience".to_string(),
                    from_webhook: true,
                });
            }
        }
    }
    let issuer = normalize_issuer(issuer);
    for p in &world.iam_oidc_providers {
        if p.issuer_key().map(|k| normalize_issuer(&k)) != Some(issuer.clone()) {
            continue;
        }
        for n in p.client_ids.value.items() {
            if let Some(v) = n.as_str().filter(|v| !v.is_empty() && !v.contains("${")) {
                out.push(SeenAudience {
                    value: v.to_string(),
                    span: n.span,
                    what: "a client ID of the IAM OIDC provider".to_string(),
                    from_webhook: false,
                });
            }
        }
    }
    out
}
