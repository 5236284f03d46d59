//! Permission summary of a role: what its identity policies grant, per service, from the
//! embedded action catalogue and the facts the `perm-*` rules use ([`known_actions`],
//! [`resource_star`], perm-privilege-escalation's [`PRIMITIVES`]).

use std::collections::BTreeMap;

use super::{Permissions, ServiceAccess};
use crate::model::iam::catalog::{Access, LEVELS};
use crate::rules::perm::perm_privilege_escalation::PRIMITIVES;
use crate::rules::perm::{known_actions, resource_star};
use crate::world::PolicyDoc;

/// Access level names by catalogue bit, in [`LEVELS`] order.
const LEVEL_BITS: [(u8, &str); 5] = [
    (Access::PERMISSIONS, LEVELS[0]),
    (Access::WRITE, LEVELS[1]),
    (Access::TAGGING, LEVELS[2]),
    (Access::READ, LEVELS[3]),
    (Access::LIST, LEVELS[4]),
];

pub(super) fn summarize<'w, 'a: 'w>(docs: impl Iterator<Item = &'w PolicyDoc<'a>>) -> Permissions {
    #[derive(Default)]
    struct Acc {
        bits: u8,
        actions: std::collections::BTreeSet<String>,
        star_resource: bool,
        escalation: bool,
    }
    let mut services: BTreeMap<String, Acc> = BTreeMap::new();
    let mut out = Permissions::default();
    for doc in docs {
        for stmt in doc.policy.statements.iter().filter(|s| s.is_allow()) {
            let star_action = stmt
                .action
                .iter()
                .flat_map(|a| &a.values)
                .any(|v| !v.unresolved && (v.value == "*" || v.value == "*:*"));
            if star_action {
                out.all_actions = true;
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
                let service = full.split(':').next().unwrap_or("").to_string();
                let acc = services.entry(service).or_default();
                let access = a.access();
                for (bit, _) in LEVEL_BITS {
                    if access.has(bit) {
                        acc.bits |= bit;
                    }
                }
                if star && access.is_write() {
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
    out
}
