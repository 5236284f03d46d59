//! Why a trust policy turns a token away (the `reasons` of a `not-trusted` edge), and the
//! verdict of a Pod Identity association.

use std::collections::BTreeMap;

use super::Verdict;
use crate::model::iam::eval::{self, CtxValue};
use crate::model::iam::glob::{glob_match, has_wildcard};
use crate::model::iam::operator::Family;
use crate::model::iam::policy::{split_issuer_key, PrincipalType};
use crate::model::iam::tri::Tri;
use crate::rules::sa::sa_role_not_trusted::{
    context, roles_for_arn, trusted_providers, TrustCheck, WEB_IDENTITY,
};
use crate::world::World;

/// The reasons of a rejected [`TrustCheck`], re-reading the same evaluation the rule made:
/// `issuer` (no statement for an OIDC provider, or none for the declared issuers), `deny`
/// (a Deny statement applies), `operator` (a condition that would match under the
/// wildcard operator, or an operator IAM does not know), `sub`, `aud`, `condition` (another
/// key); `policy` when nothing more precise applies.
pub(super) fn rejected(
    world: &World<'_>,
    subject: &str,
    audience: Option<&str>,
    check: &TrustCheck<'_, '_>,
) -> Vec<&'static str> {
    let Some(r) = &check.rejection else {
        return Vec::new();
    };
    if r.no_provider {
        return vec!["issuer"];
    }
    let mut out = Vec::new();
    let policy = &check.trust.policy;
    for p in trusted_providers(world, check.trust) {
        let ctx = context(subject, audience, &p.issuer);
        let v = eval::trust_admits(policy, WEB_IDENTITY, &p.issuer, &ctx);
        if v.statement
            .and_then(|i| policy.statements.iter().find(|s| s.index == i))
            .is_some_and(|s| s.is_deny())
        {
            out.push("deny");
            continue;
        }
        for (stmt, sv) in policy.statements.iter().zip(&v.statements) {
            if !stmt.is_allow() || !sv.action.maybe() || !sv.principal.maybe() {
                continue;
            }
            if stmt
                .condition
                .iter()
                .flat_map(|c| &c.blocks)
                .any(|b| b.operator.is_err())
            {
                out.push("operator");
            }
            for kv in sv.keys.iter().filter(|k| k.result == Tri::False) {
                let claim = split_issuer_key(&kv.key.name.value)
                    .map(|(_, c)| c.to_ascii_lowercase())
                    .unwrap_or_default();
                let known = match ctx.get(&kv.key.name.value) {
                    CtxValue::Known(v) => v.clone(),
                    _ => Vec::new(),
                };
                let wildcard_miss = kv.block.operator.as_ref().is_ok_and(|op| {
                    op.base.family() == Family::String
                        && !op.base.uses_wildcards()
                        && !op.base.is_negated()
                        && kv.key.values.iter().any(|pat| {
                            has_wildcard(&pat.value)
                                && known.iter().any(|k| glob_match(&pat.value, k, false))
                        })
                });
                out.push(if wildcard_miss {
                    "operator"
                } else if claim == "sub" {
                    "sub"
                } else if claim == "aud" {
                    "aud"
                } else {
                    "condition"
                });
            }
        }
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        out.push("policy");
    }
    out
}

const POD_IDENTITY_SERVICE: &str = "pods.eks.amazonaws.com";

/// The verdict of a Pod Identity association per role node: the EKS Pod Identity agent
/// assumes the role as `pods.eks.amazonaws.com` with `sts:AssumeRole` and `sts:TagSession`
/// (both needed; trust-pod-identity-no-tag-session reports a trust that lacks the second).
pub(super) fn pod_identity(
    world: &World<'_>,
    ids: &[String],
    role_arn: &str,
    from: Option<crate::source::file::FileId>,
) -> Vec<(String, Verdict, Vec<&'static str>, String)> {
    let idxs = roles_for_arn(world, role_arn, from);
    if idxs.is_empty() {
        let (reason, detail) = if crate::model::iam::arn::is_placeholder(role_arn) {
            ("placeholder", "the role ARN is a placeholder")
        } else {
            ("not-in-inputs", "the role is not in the inputs")
        };
        return vec![(
            role_arn.to_string(),
            Verdict::Unknown,
            vec![reason],
            detail.into(),
        )];
    }
    let mut by_role: BTreeMap<String, Vec<Tri>> = BTreeMap::new();
    for i in idxs {
        let entry = by_role.entry(ids[i].clone()).or_default();
        for trust in world.trust_of(i) {
            let admits = Tri::any(trust.policy.statements.iter().map(|s| {
                let service = s.principal.as_ref().is_some_and(|p| {
                    p.of_type(&PrincipalType::Service)
                        .any(|t| t.value == POD_IDENTITY_SERVICE)
                });
                if !s.is_allow() || !service {
                    return Tri::False;
                }
                let actions = s
                    .actions_match("sts:AssumeRole")
                    .and(s.actions_match("sts:TagSession"));
                // Conditions on a service principal depend on the request (source account,
                // cluster ARN): the inputs do not decide them.
                if s.condition.is_some() {
                    actions.and(Tri::Unknown)
                } else {
                    actions
                }
            }));
            entry.push(admits);
        }
    }
    by_role
        .into_iter()
        .map(|(role, verdicts)| {
            if verdicts.is_empty() {
                (role, Verdict::Unknown, vec!["no-trust-policy"], "the role's trust policy is not in the inputs".into())
            } else if verdicts.contains(&Tri::True) {
                (role, Verdict::Assumable, Vec::new(), String::new())
            } else if verdicts.iter().all(|v| *v == Tri::False) {
                (
                    role.clone(),
                    Verdict::NotTrusted,
                    vec!["principal"],
                    format!("role `{role}` does not let `{POD_IDENTITY_SERVICE}` assume it with `sts:AssumeRole` and `sts:TagSession`"),
                )
            } else {
                (role, Verdict::Unknown, vec!["undecided"], "the trust policy's conditions depend on the request".into())
            }
        })
        .collect()
}
