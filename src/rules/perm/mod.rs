//! `perm-*`: least-privilege checks of identity (permission) policies, backed by the
//! embedded AWS action catalogue ([`crate::model::iam::catalog`]).

pub mod perm_admin_star;
pub mod perm_assumerole_star;
pub mod perm_broad_managed_policy;
pub mod perm_data_read_star;
pub mod perm_eks_access_pivot;
pub mod perm_module_input_ignored;
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
pub mod shipped;

use crate::diagnostic::Diagnostic;
use crate::model::iam::catalog::{self, Action};
use crate::model::iam::eval::{never_applies_key, permission_allows, Resources, Tri};
use crate::model::iam::policy::Statement;
use crate::model::role::PolicyKind;
use crate::model::role::{Boundary, BoundaryPolicy};
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

/// `Allow` statements of identity policies that may apply, with their policy: what the
/// rules about what a policy grants judge. A statement whose conditions can never hold in a
/// request an identity policy is evaluated for ([`never_applies_key`]: a web-identity claim
/// STS does not keep in the session, under `StringEquals`) grants nothing;
/// perm-unsupported-condition-key reports it.
pub(crate) fn allow_statements<'w, 'a>(
    world: &'w World<'a>,
) -> impl Iterator<Item = (&'w PolicyDoc<'a>, &'w Statement<'a>)> {
    identity_statements(world)
        .filter(|(_, s)| s.is_allow() && never_applies_key(s.condition.as_ref()).is_none())
}

/// The resource values a statement's grant is about, for [`boundary_allows`]: its resolved
/// `Resource` values, or `*` for `NotResource`, an unresolved value or none.
pub(crate) fn statement_resources<'s>(stmt: &'s Statement<'_>) -> Vec<&'s str> {
    match (&stmt.resource, &stmt.not_resource) {
        (Some(r), None) if !r.values.is_empty() && r.values.iter().all(|v| !v.unresolved) => {
            r.values.iter().map(|v| v.value.as_str()).collect()
        }
        _ => vec!["*"],
    }
}

/// Whether the boundary allows `action` on some resource of `resources` (the statement's):
/// any of them.
pub(crate) fn boundary_allows_some(
    world: &World<'_>,
    boundary: Option<&Boundary<'_>>,
    action: &str,
    resources: &[&str],
) -> Tri {
    Tri::any(
        resources
            .iter()
            .map(|r| boundary_allows(world, boundary, action, Resources::Some(r))),
    )
}

/// The items a finding names that a permissions boundary does not exclude (`allows` is not
/// `False`), with the verdict its note reports: `True` only when the boundary allows all of
/// them.
pub(crate) fn keep_allowed<T>(items: Vec<T>, allows: impl Fn(&T) -> Tri) -> (Vec<T>, Tri) {
    let mut verdict = Tri::True;
    let kept = items
        .into_iter()
        .filter(|item| match allows(item) {
            Tri::False => false,
            Tri::True => true,
            Tri::Unknown => {
                verdict = Tri::Unknown;
                true
            }
        })
        .collect();
    (kept, verdict)
}

/// Whether the permissions boundary of the role `doc` belongs to allows `action` on
/// `resources` ([`permission_allows`]): `True` without a boundary (a policy of no role, a
/// role without one) or with one allowing everything, `Unknown` when the inputs do not
/// show its document. A finding about what a policy grants stays silent on `False`: IAM
/// grants a role's session only what its policies and its boundary both allow.
pub(crate) fn boundary_allows(
    world: &World<'_>,
    boundary: Option<&Boundary<'_>>,
    action: &str,
    resources: Resources<'_>,
) -> Tri {
    match boundary.map(|b| b.policy) {
        None | Some(BoundaryPolicy::AllowsAll) => Tri::True,
        Some(BoundaryPolicy::NotShown | BoundaryPolicy::Document(_)) => Tri::Unknown,
        Some(BoundaryPolicy::Linked(i)) => world.policies.get(i).map_or(Tri::Unknown, |b| {
            permission_allows(&b.policy, action, resources)
        }),
    }
}

/// A finding kept under a permissions boundary that may limit it (`verdict`, what
/// [`boundary_allows`] said of what the finding names, is not `True`): the message says so
/// and points at the boundary.
pub(crate) fn boundary_noted(
    boundary: Option<&Boundary<'_>>,
    verdict: Tri,
    mut d: Diagnostic,
) -> Diagnostic {
    let Some(b) = boundary.filter(|_| verdict != Tri::True) else {
        return d;
    };
    let arn = if b.arn.unresolved {
        crate::rules::trust::expression_shown(&b.arn.value)
    } else {
        b.arn.value.to_string()
    };
    let (note, label) = match b.policy {
        BoundaryPolicy::Linked(_) => (
            format!("; the role's permissions boundary `{arn}` may limit this (conditions, values or resources the files leave open)"),
            "permissions boundary: may limit this",
        ),
        _ if b.arn.unresolved => (
            format!("; the role's permissions boundary, `{arn}`, is known only at apply, and may limit this"),
            "permissions boundary known only at apply",
        ),
        _ => (
            format!("; a permissions boundary `{arn}` applies to the role, which the inputs do not show, and may limit this"),
            "permissions boundary not in the inputs",
        ),
    };
    d.message.push_str(&note);
    d.related(b.arn.span, label)
}

/// Every value of a statement's `Action` and `NotAction`, with the element's name.
pub(crate) fn action_and_not_action<'s>(
    stmt: &'s Statement<'_>,
) -> impl Iterator<Item = (&'static str, &'s Text)> {
    [
        ("Action", stmt.action.as_ref()),
        ("NotAction", stmt.not_action.as_deref()),
    ]
    .into_iter()
    .flat_map(|(element, list)| {
        list.into_iter()
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

/// A `Resource` value that stands for every resource of its kind, with what it covers in
/// words: `*` ("every resource"), or an ARN whose region and account are `*` (or empty, as
/// in S3) and whose resource part is only wildcards after an optional resource type:
/// `arn:aws:s3:::*/*` ("every object"), `arn:aws:secretsmanager:*:*:secret:*` ("every
/// secret"). IAM's `*` crosses `/` and `:`, so these match as much as `*` does for the
/// service's actions.
pub(crate) struct Everything<'s> {
    pub value: &'s Text,
    /// `None` for `*`; the ARN's service otherwise (actions of other services do not apply).
    pub service: Option<String>,
    pub noun: String,
}

impl Everything<'_> {
    /// Whether an action of `service` (its prefix) acts on what this value covers.
    pub fn covers_service(&self, service: &str) -> bool {
        self.service
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case(service))
    }

    /// `*`, or an ARN of S3, Secrets Manager, SSM or KMS: where data and secrets live.
    pub fn is_star_or_data_store(&self) -> bool {
        self.service
            .as_deref()
            .is_none_or(|s| matches!(s, "s3" | "secretsmanager" | "ssm" | "kms"))
    }

    /// `every resource`, or `every secret (`arn:...`)`.
    pub fn describe(&self) -> String {
        match self.service {
            None => self.noun.clone(),
            Some(_) => format!("{} (`{}`)", self.noun, self.value.value),
        }
    }
}

pub(crate) fn resource_everything<'s>(stmt: &'s Statement<'_>) -> Option<Everything<'s>> {
    let values = || {
        stmt.resource
            .iter()
            .flat_map(|r| r.values.iter())
            .filter(|v| !v.unresolved)
    };
    if let Some(star) = values().find(|v| v.value == "*") {
        return Some(Everything {
            value: star,
            service: None,
            noun: "every resource".to_string(),
        });
    }
    values().find_map(|v| {
        let (service, noun) = arn_everything(&v.value)?;
        Some(Everything {
            value: v,
            service: Some(service),
            noun,
        })
    })
}

/// `(service, "every <thing>")` when an ARN covers every resource of its service or type.
fn arn_everything(v: &str) -> Option<(String, String)> {
    let mut parts = v.splitn(6, ':');
    let (arn, _partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let open = |s: &str| s.is_empty() || s == "*";
    if arn != "arn" || service.is_empty() || service.contains(['*', '?']) {
        return None;
    }
    if !open(region) || !open(account) {
        return None;
    }
    // Wildcards around at most one separator (`*`, `*/*`, `*:*`): what lies outside a `*` must
    // match literally, so `//*` (a bucket named `` from an empty variable,
    // ManagedKube/kubernetes-ops@9de00817 terraform-modules/aws/ssm/ec2-role/main.tf:
    // `arn:aws:s3:::${var.s3_bucket_name}/${var.s3_bucket_prefix}/*` with both defaults `""`)
    // matches only resources that begin with `//`, which no bucket or object does.
    let all_wild = |s: &str| {
        s.starts_with('*')
            && s.ends_with('*')
            && s.chars().all(|c| matches!(c, '*' | '/' | ':'))
            && s.chars().filter(|c| *c != '*').count() <= 1
    };
    if all_wild(resource) {
        let noun = if service == "s3" {
            "every bucket and object".to_string()
        } else {
            format!("every {service} resource")
        };
        let noun = if service == "s3" && resource.contains('/') {
            "every object".to_string()
        } else {
            noun
        };
        return Some((service.to_string(), noun));
    }
    // S3 has no resource type: `bucket/key`, so a named bucket is a scope.
    if service == "s3" {
        return None;
    }
    let cut = resource.find([':', '/'])?;
    let (ty, rest) = (&resource[..cut], &resource[cut + 1..]);
    if ty.is_empty() || ty.contains(['*', '?']) || !all_wild(rest) {
        return None;
    }
    Some((
        service.to_string(),
        format!("every {}", ty.replace('-', " ")),
    ))
}

#[cfg(test)]
mod everything_tests {
    use super::arn_everything;

    #[test]
    fn arns_that_cover_everything() {
        let noun = |v: &str| arn_everything(v).map(|(_, n)| n);
        assert_eq!(noun("arn:aws:s3:::*/*").as_deref(), Some("every object"));
        assert_eq!(
            noun("arn:aws:s3:::*").as_deref(),
            Some("every bucket and object")
        );
        assert_eq!(
            noun("arn:aws:secretsmanager:*:*:secret:*").as_deref(),
            Some("every secret")
        );
        assert_eq!(
            noun("arn:aws:ssm:*:*:parameter/*").as_deref(),
            Some("every parameter")
        );
        assert_eq!(noun("arn:aws:kms:*:*:key/*").as_deref(), Some("every key"));
        // Scoped: a bucket, a region or account, a name prefix.
        assert_eq!(noun("arn:aws:s3:::my-bucket/*"), None);
        assert_eq!(
            noun("arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"),
            None
        );
        // One of region and account scoped is a scope too.
        assert_eq!(noun("arn:aws:secretsmanager:eu-west-1:*:secret:*"), None);
        assert_eq!(noun("arn:aws:secretsmanager:*:111122223333:secret:*"), None);
        assert_eq!(
            noun("arn:aws:secretsmanager:::secret:*").as_deref(),
            Some("every secret")
        );
        assert_eq!(noun("arn:aws:secretsmanager:*:*:secret:app/*"), None);
        assert_eq!(noun("arn:aws:s3:::logs-*/*"), None);
        // Separators outside the wildcards match literally: an empty bucket name
        // (`arn:aws:s3:::${var.bucket}/*` with `bucket = ""`) or key prefix names no object.
        assert_eq!(noun("arn:aws:s3::://*"), None);
        assert_eq!(noun("arn:aws:s3:::/*"), None);
        assert_eq!(noun("arn:aws:s3:::*/"), None);
        assert_eq!(noun("arn:aws:s3:::*//*"), None);
        assert_eq!(noun("arn:aws:ssm:*:*:parameter//*"), None);
        assert_eq!(
            noun("arn:aws:kms:*:*:*").as_deref(),
            Some("every kms resource")
        );
        assert_eq!(
            noun("arn:aws:s3:::**").as_deref(),
            Some("every bucket and object")
        );
        assert_eq!(noun("arn:aws:*:*:*:*"), None);
        assert_eq!(noun("not-an-arn"), None);
    }
}
