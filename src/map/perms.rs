//! Permission summary of a role: what its identity policies grant, per service, from the
//! embedded action catalogue and the facts the `perm-*` rules use ([`known_actions`],
//! [`resource_star`], perm-privilege-escalation's [`PRIMITIVES`]), capped by the role's
//! permissions boundary as the rules cap them ([`boundary_allows`]).

use std::collections::BTreeMap;

use super::{Permissions, ServiceAccess};
use crate::model::iam::catalog::{Access, LEVELS};
use crate::model::iam::eval::{never_applies_key, Resources, Tri};
use crate::model::iam::policy::Statement;
use crate::model::role::{Boundary, BoundaryPolicy};
use crate::rules::perm::perm_privilege_escalation::PRIMITIVES;
use crate::rules::perm::{boundary_allows, known_actions, resource_star};
use crate::world::{PolicyDoc, World};

/// Access level names by catalogue bit, in [`LEVELS`] order.
const LEVEL_BITS: [(u8, &str); 5] = [
    (Access::PERMISSIONS, LEVELS[0]),
    (Access::WRITE, LEVELS[1]),
    (Access::TAGGING, LEVELS[2]),
    (Access::READ, LEVELS[3]),
    (Access::LIST, LEVELS[4]),
];

/// What `docs` grant under `boundary` (the role's, if any): an action the boundary does not
/// allow on any resource is left out, a write counts as on `*` only when the boundary allows
/// it there too, and `Action: "*"` under a boundary the inputs show that does not allow
/// everything grants what the boundary allows.
pub(super) fn summarize<'w, 'a: 'w>(
    world: &'w World<'a>,
    boundary: Option<&Boundary<'a>>,
    docs: impl Iterator<Item = &'w PolicyDoc<'a>>,
) -> Permissions {
    let allows = |action: &str, r: Resources<'_>| boundary_allows(world, boundary, action, r);
    let mut docs: Vec<&PolicyDoc<'a>> = docs.collect();
    let mut boundary_added = false;
    #[derive(Default)]
    struct Acc {
        bits: u8,
        actions: std::collections::BTreeSet<String>,
        star_resource: bool,
        escalation: bool,
    }
    let mut services: BTreeMap<String, Acc> = BTreeMap::new();
    let mut out = Permissions::default();
    let mut next = 0;
    while let Some(&doc) = docs.get(next) {
        next += 1;
        // A statement whose conditions can never hold grants nothing, as the rules judge it.
        let applies =
            |s: &&Statement<'_>| s.is_allow() && never_applies_key(s.condition.as_ref()).is_none();
        for stmt in doc.policy.statements.iter().filter(applies) {
            let star_action = stmt
                .action
                .iter()
                .flat_map(|a| &a.values)
                .any(|v| !v.unresolved && (v.value == "*" || v.value == "*:*"));
            if star_action {
                match (
                    allows("*", Resources::Every("*")),
                    boundary.map(|b| b.policy),
                ) {
                    (Tri::False, Some(BoundaryPolicy::Linked(i))) if !boundary_added => {
                        // `*` capped by the boundary: what the boundary allows.
                        boundary_added = true;
                        docs.extend(world.policies.get(i));
                    }
                    (Tri::False, _) => {}
                    _ => out.all_actions = true,
                }
                continue;
            }
            let Some(actions) = known_actions(stmt) else {
                if stmt.action.is_some() || stmt.not_action.is_some() {
                    out.undecided_statements += 1;
                }
                continue;
            };
            let star = resource_star(stmt).is_some();
            // perm-privilege-escalation's mitigation: limited to named policies or a boundary.
            let limited = stmt.condition.iter().flat_map(|c| c.keys()).any(|(_, k)| {
                let n = k.name.value.to_ascii_lowercase();
                n == "iam:policyarn" || n == "iam:permissionsboundary"
            });
            for a in actions {
                let full = a.full_name();
                if allows(&full, Resources::Some("*")) == Tri::False {
                    continue;
                }
                let service = full.split(':').next().unwrap_or("").to_string();
                let acc = services.entry(service).or_default();
                let access = a.access();
                for (bit, _) in LEVEL_BITS {
                    if access.has(bit) {
                        acc.bits |= bit;
                    }
                }
                if star && access.is_write() && allows(&full, Resources::Every("*")) != Tri::False {
                    acc.star_resource = true;
                }
                if !limited && PRIMITIVES.iter().any(|p| p.eq_ignore_ascii_case(&full)) {
                    acc.escalation = true;
                }
                acc.actions.insert(full);
            }
        }
    }
    out.services = services
        .into_iter()
        .map(|(service, acc)| ServiceAccess {
            service,
            levels: LEVEL_BITS
                .iter()
                .filter(|(b, _)| acc.bits & b != 0)
                .map(|(_, n)| *n)
                .collect(),
            actions: acc.actions.len(),
            star_resource: acc.star_resource,
            privilege_escalation: acc.escalation,
        })
        .collect();
    out.boundary = boundary.map(|b| {
        // An expression only apply evaluates is shown as written (`var.boundary_arn`).
        let shown = if b.arn.unresolved {
            crate::rules::trust::expression_shown(&b.arn.value)
        } else {
            b.arn.value.to_string()
        };
        match b.policy {
            // It may even give none (`try(…, null)`).
            BoundaryPolicy::NotShown | BoundaryPolicy::Document(_) if b.arn.unresolved => {
                format!("{shown} (known only at apply)")
            }
            BoundaryPolicy::NotShown | BoundaryPolicy::Document(_) => {
                format!("{shown} (not in the inputs)")
            }
            _ => shown,
        }
    });
    out
}
