//! Trust-policy rules: who may assume a role with a web-identity token.

pub mod trust_no_sub_condition;
pub mod trust_wildcard_in_stringequals;

use crate::model::iam::arn::OidcProvider;
use crate::model::iam::policy::{Effect, Statement};
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
