use std::collections::{HashMap, HashSet};

use crate::model::iam::arn;
use crate::model::role::Role;
use crate::rules::prelude::*;
use crate::rules::sa::sa_role_not_trusted::{role_mismatch, RoleMismatch};
use crate::rules::trust::oidc_providers;

declare_rule! {
    SaRoleArnMismatch,
    code: "S008",
    name: "sa-role-arn-mismatch",
    family: Sa,
    severity: Error,
    summary: "a ServiceAccount's role-arn names a role of the inputs by name, but not by its real ARN (path, account or partition differ)",
}

impl Rule for SaRoleArnMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let accounts = Accounts::of(world);
        for (sa, entry) in super::annotated(world, "role-arn") {
            let Some(value) = entry.value.as_str().map(str::trim) else {
                continue;
            };
            // Malformed values and placeholders have rules of their own (surrounding
            // whitespace too, but the ARN inside can still be the wrong one).
            if arn::is_placeholder(value) || arn::role_arn_problem(value).is_some() {
                continue;
            }
            // Ignored for a Pod Identity association: sa-role-arn-with-pod-identity names
            // the role the pods get instead; fixing this ARN would change nothing.
            if world.pod_identity_association_of(sa).is_some() {
                continue;
            }
            let Some(parsed) = arn::parse(value) else {
                continue;
            };
            let Some((path, name)) = arn::role_path_and_name(parsed.resource) else {
                continue;
            };
            let mut first: Option<(&Role<'_>, RoleMismatch)> = None;
            let mut any_match = false;
            for (_, role) in world.roles_named(name) {
                match role_mismatch(role, Some(parsed.partition), parsed.account, &path) {
                    None => any_match = true,
                    Some(m) => {
                        if first.is_none() {
                            first = Some((role, m));
                        }
                    }
                }
            }
            // A role of that name that fits (or that the inputs know too little about) is
            // the one the annotation means: sa-role-not-trusted follows it.
            if any_match {
                continue;
            }
            let Some((role, mismatch)) = first else {
                continue;
            };
            if matches!(mismatch, RoleMismatch::Account(_)) && accounts.in_use(parsed.account) {
                continue;
            }
            let subject = sa.subject();
            let expected = expected_arn(role, &parsed, name, &mismatch);
            let (message, label) = match &mismatch {
                RoleMismatch::Path(p) if path == "/" => (
                    format!("role-arn `{value}` of `{subject}` leaves out the path of role `{name}`: the role's path is `{p}`, so its ARN is `{expected}`"),
                    format!("path `{p}` missing"),
                ),
                RoleMismatch::Path(p) => (
                    format!("role-arn `{value}` of `{subject}` gives role `{name}` the path `{path}`, but the role's path is `{p}`: its ARN is `{expected}`"),
                    format!("path `{path}` instead of `{p}`"),
                ),
                RoleMismatch::Account(a) => (
                    format!("role-arn `{value}` of `{subject}` names account `{}`, but role `{name}` in the inputs is `{expected}`", parsed.account),
                    format!("account `{}` instead of `{a}`", parsed.account),
                ),
                RoleMismatch::Partition(p) => (
                    format!("role-arn `{value}` of `{subject}` names partition `{}`, but role `{name}` in the inputs is `{expected}`", parsed.partition),
                    format!("partition `{}` instead of `{p}`", parsed.partition),
                ),
            };
            let mut d = META
                .diagnostic(entry.value.span, message)
                .label(label)
                .related(role.anchor, format!("role {}", role.display()));
            if let RoleMismatch::Path(_) = mismatch {
                if let Some(p) = role.path.as_ref().filter(|p| p.span != role.anchor) {
                    d = d.related(p.span, format!("path of role `{name}`"));
                }
            }
            let help = match mismatch {
                RoleMismatch::Path(_) => format!("annotate the ServiceAccount with the role's full ARN `{expected}`: a role's ARN includes its path, and STS rejects the ARN of a role that does not exist"),
                _ => format!("annotate the ServiceAccount with the role's ARN `{expected}`, or, if it is meant to use a role of that name elsewhere, make sure that role exists and trusts this cluster"),
            };
            out.push(
                d.help(help)
                    .path(super::annotations_path(sa))
                    .placed(world.placement_of(&sa.obj)),
            );
        }
    }
}

/// The AWS accounts the inputs use: an annotation naming a role of the same name in one of
/// them is more likely another environment's role (dev and prod accounts, one role name)
/// than a slip, so only an account that appears nowhere else is reported.
struct Accounts {
    /// Accounts of roles with a known ARN and of trusted OIDC providers.
    elsewhere: HashSet<String>,
    /// How many role-arn annotations name each account.
    annotations: HashMap<String, usize>,
}

impl Accounts {
    fn of(world: &World<'_>) -> Accounts {
        let mut elsewhere = HashSet::new();
        for role in &world.roles {
            if let Some(a) = role.arn.as_ref().filter(|a| !a.unresolved) {
                if let Some(p) = arn::parse(&a.value) {
                    elsewhere.insert(p.account.to_string());
                }
            }
        }
        for trust in world.trust_policies() {
            for stmt in &trust.policy.statements {
                for (p, _) in oidc_providers(stmt) {
                    elsewhere.insert(p.account);
                }
            }
        }
        let mut annotations: HashMap<String, usize> = HashMap::new();
        for (_, e) in super::annotated(world, "role-arn") {
            if let Some(p) = e.value.as_str().and_then(|v| arn::parse(v.trim())) {
                *annotations.entry(p.account.to_string()).or_default() += 1;
            }
        }
        Accounts {
            elsewhere,
            annotations,
        }
    }

    /// Whether `account` appears in the inputs other than in the one annotation at hand.
    fn in_use(&self, account: &str) -> bool {
        self.elsewhere.contains(account) || self.annotations.get(account).is_some_and(|n| *n > 1)
    }
}

/// The ARN of `role`: its own when the inputs give it, else the annotation's partition and
/// account (which the inputs leave open) with the role's path.
fn expected_arn(role: &Role<'_>, ann: &arn::Arn<'_>, name: &str, m: &RoleMismatch) -> String {
    if let Some(a) = role.arn.as_ref().filter(|a| !a.unresolved) {
        return a.value.to_string();
    }
    let path = match m {
        RoleMismatch::Path(p) => p.as_str(),
        _ => "/",
    };
    format!(
        "arn:{}:iam::{}:role{path}{name}",
        ann.partition, ann.account
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// An account that holds another role of the inputs (known by its ARN) is in use: the
    /// annotation naming a same-named role there is not reported.
    #[test]
    fn an_account_with_a_known_role_is_in_use() {
        crate::testing::assert_world_expectations(&super::META, "account-in-use");
    }
}
