//! `perm-*`: least-privilege checks of identity (permission) policies, backed by the
//! embedded AWS action catalogue ([`crate::model::iam::catalog`]).

pub mod perm_admin_star;
pub mod perm_assumerole_star;
pub mod perm_broad_managed_policy;
pub mod perm_data_read_star;
pub mod perm_eks_access_pivot;
pub mod perm_notaction_allow;
pub mod perm_notresource_allow;
pub mod perm_passrole_star;
pub mod perm_privilege_escalation;
pub mod perm_resource_type_mismatch;
pub mod perm_service_wildcard;
pub mod perm_unknown_action;
pub mod perm_unsupported_condition_key;
pub mod perm_wildcard_matches_nothing;
pub mod perm_write_on_star_resource;

use crate::model::iam::catalog::{self, Action};
use crate::model::iam::policy::Statement;
use crate::model::role::PolicyKind;
use crate::model::value::Text;
use crate::world::{PolicyDoc, World};

/// Every statement of the identity (permission) policies, with its policy.
pub(crate) fn identity_statements<'w, 'a>(
    world: &'w World<'a>,
) -> impl Iterator<Item = (&'w PolicyDoc<'a>, &'w Statement<'a>)> {
    world
        .policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Identity)
        .flat_map(|p| p.policy.statements.iter().map(move |s| (p, s)))
}

/// `Allow` statements of identity policies, with their policy.
pub(crate) fn allow_statements<'w, 'a>(
    world: &'w World<'a>,
) -> impl Iterator<Item = (&'w PolicyDoc<'a>, &'w Statement<'a>)> {
    identity_statements(world).filter(|(_, s)| s.is_allow())
}

/// Every value of a statement's `Action` and `NotAction`, with the element's name.
pub(crate) fn action_and_not_action<'s>(
    stmt: &'s Statement<'_>,
) -> impl Iterator<Item = (&'static str, &'s Text)> {
    [("Action", &stmt.action), ("NotAction", &stmt.not_action)]
        .into_iter()
        .flat_map(|(element, list)| {
            list.iter()
                .flat_map(|l| l.values.iter())
                .map(move |v| (element, v))
        })
}

/// The catalogue actions a statement's `Action` grants, when the inputs decide them: every
/// value resolved, valid, of a named service (`*` and `*:*` fit anything) and known to the
/// catalogue. `None` otherwise, so that rules comparing resources or condition keys with
/// the actions stay silent; unknown actions are perm-unknown-action's business.
pub(crate) fn known_actions(stmt: &Statement<'_>) -> Option<Vec<Action>> {
    let actions = stmt.action.as_ref()?;
    if actions.values.iter().any(|v| v.unresolved) || !actions.invalid.is_empty() {
        return None;
    }
    if actions.values.iter().any(|v| {
        v.value
            .split_once(':')
            .is_none_or(|(svc, _)| crate::model::iam::glob::has_wildcard(svc))
    }) {
        return None;
    }
    let cat = catalog::catalog();
    let mut expanded = Vec::new();
    for v in &actions.values {
        let e = cat.expand(&v.value);
        if e.is_empty() {
            return None;
        }
        expanded.extend(e);
    }
    (!expanded.is_empty()).then_some(expanded)
}

/// The `Resource` value `"*"`, when the statement lists it.
pub(crate) fn resource_star<'s>(stmt: &'s Statement<'_>) -> Option<&'s Text> {
    stmt.resource
        .as_ref()?
        .values
        .iter()
        .find(|v| !v.unresolved && v.value == "*")
}

/// The resolved `Action` values of a statement.
pub(crate) fn action_values<'s>(stmt: &'s Statement<'_>) -> impl Iterator<Item = &'s Text> {
    stmt.action
        .iter()
        .flat_map(|a| a.values.iter())
        .filter(|v| !v.unresolved)
}

/// A condition that limits which resources the statement applies to: resource or request
/// tags, resource account/organisation, or any service-specific key
/// (`autoscaling:ResourceTag/...`, `ec2:CreateAction`, `iam:PassedToService`).
pub(crate) fn narrowing_condition(stmt: &Statement<'_>) -> bool {
    stmt.condition.iter().flat_map(|c| c.keys()).any(|(_, k)| {
        let key = k.name.value.to_ascii_lowercase();
        let Some((prefix, rest)) = key.split_once(':') else {
            return false;
        };
        if prefix != "aws" {
            return true;
        }
        rest.starts_with("resourcetag/")
            || rest.starts_with("requesttag/")
            || matches!(
                rest,
                "resourceaccount" | "resourceorgid" | "resourceorgpaths" | "sourcearn"
            )
    })
}

/// For `help`: "grants 212 actions: 150 List, 62 Read (Write: ec2:A, ec2:B, ...)".
pub(crate) fn grant_summary(actions: &[Action]) -> String {
    let mut s = format!("grants {}", catalog::summarize(actions));
    for level in ["Permissions management", "Write"] {
        let ex = catalog::examples(actions, level, 5);
        if !ex.is_empty() {
            s.push_str(&format!("; {level}: {ex}"));
        }
    }
    s
}

/// Resolved `Action` values other than `*`/`*:*`/`service:*` (left to the wildcard rules)
/// that cover one of `targets`, with the targets they cover.
pub(crate) fn explicit_grants<'s>(
    stmt: &'s Statement<'_>,
    targets: &[&'static str],
) -> Vec<(&'s Text, Vec<&'static str>)> {
    action_values(stmt)
        .filter(|v| {
            let act = v.value.split_once(':').map(|(_, a)| a).unwrap_or("*");
            !act.chars().all(|c| c == '*')
        })
        .filter_map(|v| {
            let hit: Vec<&'static str> = targets
                .iter()
                .copied()
                .filter(|t| crate::model::iam::glob::glob_match(&v.value, t, true))
                .collect();
            (!hit.is_empty()).then_some((v, hit))
        })
        .collect()
}

/// ` (iam:AttachGroupPolicy, iam:AttachRolePolicy)` for a wildcard, empty when the value
/// names the one action it covers.
pub(crate) fn covered(value: &str, hit: &[&str]) -> String {
    if hit.len() == 1 && hit[0].eq_ignore_ascii_case(value) {
        String::new()
    } else {
        format!(" ({})", hit.join(", "))
    }
}
