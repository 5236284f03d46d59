use super::{action_values, allow_statements, boundary_allows, boundary_noted};
use crate::model::iam::eval::{Resources, Tri};
use crate::model::iam::policy::wildcard_match;
use crate::rules::prelude::*;

declare_rule! {
    PermPassroleStar,
    code: "P005",
    name: "perm-passrole-star",
    family: Perm,
    severity: Error,
    summary: "`iam:PassRole` is allowed on `*` or a wildcard role path: the workload can hand any role to a service it launches",
}

/// A resource that stands for many roles: `*`, `arn:aws:iam::111122223333:role/*`.
fn wildcard_role(v: &str) -> bool {
    if v == "*" {
        return true;
    }
    let Some((_, rest)) = v.split_once(":iam::") else {
        return v.starts_with("arn:") && v.contains(['*', '?']) && !v.contains(":iam:");
    };
    let Some((_, res)) = rest.split_once(':') else {
        return false;
    };
    res.contains(['*', '?']) && (res.starts_with("role/") || res.starts_with('*'))
}

impl Rule for PermPassroleStar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (doc, stmt) in allow_statements(world) {
            // `*` alone is perm-admin-star's.
            let Some(action) = action_values(stmt).find(|v| {
                v.value != "*"
                    && v.value != "*:*"
                    && wildcard_match(v, "iam:PassRole", true).is_true()
            }) else {
                continue;
            };
            let Some(res) = stmt
                .resource
                .iter()
                .flat_map(|r| r.values.iter())
                .find(|v| !v.unresolved && wildcard_role(&v.value))
            else {
                continue;
            };
            // The boundary must allow passing some role the value matches.
            let boundary = world.boundary_of(doc);
            let verdict =
                boundary_allows(world, boundary, "iam:PassRole", Resources::Some(&res.value));
            if verdict == Tri::False {
                continue;
            }
            let to_service = stmt
                .condition
                .iter()
                .flat_map(|c| c.keys())
                .any(|(_, k)| k.name.value.eq_ignore_ascii_case("iam:PassedToService"));
            let mut d = META
                .diagnostic(
                    res.span,
                    format!(
                        "`iam:PassRole` on `{}` in {} lets the workload pass any matching role, and so act with its permissions",
                        res.value, doc.source.label
                    ),
                )
                .label("any role")
                .related(action.span, "grants iam:PassRole")
                .help("name the one role the workload passes (`arn:aws:iam::<account>:role/<name>`) and add `\"StringEquals\": {\"iam:PassedToService\": \"<service>.amazonaws.com\"}`")
                .path(format!("Statement[{}].Resource", stmt.index));
            if to_service {
                d = d.severity(Severity::Warning);
            }
            push_about(out, doc, boundary_noted(boundary, verdict, d));
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
