//! Static evaluation of trust policies: does this trust let subject S with audience A in?
//!
//! Results are three-valued ([`Tri`]): `Unknown` when the answer depends on something the
//! files do not fix (an unresolved CloudFormation parameter, a request key whose value we
//! cannot know). The semantics follow IAM exactly:
//!
//! - statements are ORed, and a `Deny` that applies overrides every `Allow`;
//! - blocks (operators) in a `Condition` are ANDed, keys in a block ANDed, values of one key
//!   ORed — for a negated operator the request value must match none of them;
//! - an absent key makes plain operators false, negated operators, `...IfExists` and
//!   `ForAllValues:` true, `ForAnyValue:` false; `Null: true` holds iff the key is absent;
//! - key names ignore case, values do not (except `...IgnoreCase`).

use std::collections::HashMap;

use super::arn::OidcProvider;
use super::compare::compare;
use super::glob;
use super::operator::{BaseOp, Operator, Qualifier};
pub use super::policy::split_issuer_key;
use super::policy::{
    wildcard_match, ConditionBlock, ConditionKey, Conditions, Effect, Policy, Principal, Statement,
    ValueList,
};
pub use super::tri::Tri;
use crate::model::value::Text;

/// What the request carries for one condition key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CtxValue {
    Absent,
    /// One value for single-valued keys, several for multi-valued ones.
    Known(Vec<String>),
    /// Present or not, with a value we cannot know.
    Unknown,
}

/// The request context: condition key (any case) → value.
#[derive(Debug, Clone)]
pub struct Context {
    values: HashMap<String, CtxValue>,
    /// For keys of an identity provider (`<host/path>:<claim>`) that were not set.
    claim_default: CtxValue,
    /// For every other key that was not set (`aws:SourceIp`, `sts:RoleSessionName`, ...).
    default: CtxValue,
}

impl Context {
    /// A context where every key not set has the value `default`.
    pub fn new(default: CtxValue) -> Context {
        Context {
            values: HashMap::new(),
            claim_default: default.clone(),
            default,
        }
    }

    /// A web-identity request (`AssumeRoleWithWebIdentity`) with a token from `issuer`
    /// (host+path, no scheme) carrying `sub` and `aud`. STS sets only the token issuer's
    /// keys, so any other claim key (another issuer's, or `azp`/`amr`, which Kubernetes
    /// tokens lack) is absent; global keys (`aws:*`, `sts:*`) are `Unknown`.
    pub fn web_identity(issuer: &str, sub: &str, aud: &str) -> Context {
        let mut ctx = Context::new(CtxValue::Unknown);
        ctx.claim_default = CtxValue::Absent;
        ctx.set(
            &format!("{issuer}:sub"),
            CtxValue::Known(vec![sub.to_string()]),
        );
        ctx.set(
            &format!("{issuer}:aud"),
            CtxValue::Known(vec![aud.to_string()]),
        );
        ctx
    }

    pub fn set(&mut self, key: &str, value: CtxValue) -> &mut Context {
        self.values.insert(key.to_lowercase(), value);
        self
    }

    /// Sets a single known value.
    pub fn set_str(&mut self, key: &str, value: &str) -> &mut Context {
        self.set(key, CtxValue::Known(vec![value.to_string()]))
    }

    /// The default for unset keys of identity providers (`<host/path>:<claim>`).
    pub fn set_claim_default(&mut self, value: CtxValue) -> &mut Context {
        self.claim_default = value;
        self
    }

    /// Whether `key` was set (not a default).
    pub fn is_set(&self, key: &str) -> bool {
        self.values.contains_key(&key.to_lowercase())
    }

    pub fn get(&self, key: &str) -> &CtxValue {
        if let Some(v) = self.values.get(&key.to_lowercase()) {
            return v;
        }
        // Identity-provider keys are `<host[/path]>:<claim>`; global keys are
        // `<service>:<name>` with no dot or slash before the colon.
        let provider_key = split_issuer_key(key).is_some_and(|(i, _)| i.contains(['.', '/']));
        if provider_key {
            &self.claim_default
        } else {
            &self.default
        }
    }
}

/// One operator applied to one key of its block — the unit IAM ANDs within a block.
pub fn eval_block(op: &Operator, key: &ConditionKey, ctx: &Context) -> Tri {
    // An unresolved key is unknown, unless it is written exactly as a key the request sets:
    // the same expression as the issuer of the provider the request is evaluated for
    // (eksctl's `oidc.eks.<region>.amazonaws.com/id/${EKSCTL_CLUSTER_OIDC_ID}:sub` beside its
    // provider ARN with the same placeholder, a Terraform `${module.eks.oidc_provider}:sub`
    // beside `module.eks.oidc_provider_arn`'s issuer): one expression has one value.
    if key.name.unresolved && !ctx.is_set(&key.name.value) {
        return Tri::Unknown;
    }
    let actual = match ctx.get(&key.name.value) {
        CtxValue::Unknown => return Tri::Unknown,
        CtxValue::Absent => None,
        CtxValue::Known(v) if v.is_empty() => None,
        CtxValue::Known(v) => Some(v),
    };
    // Items IAM would reject could be anything.
    let invalid = key.invalid.iter().map(|_| Tri::Unknown);
    if op.base == BaseOp::Null {
        let present = actual.is_some();
        return Tri::any(
            key.values
                .iter()
                .map(|v| null_matches(v, present))
                .chain(invalid),
        );
    }
    let Some(actual) = actual else {
        return absent(op).into();
    };
    let positive = op.base.positive();
    let per_value = |a: &String| {
        let m = Tri::any(
            key.values
                .iter()
                .map(|p| compare(positive, p, a))
                .chain(invalid.clone()),
        );
        if op.base.is_negated() {
            !m
        } else {
            m
        }
    };
    match op.qualifier {
        // Every request value must satisfy the operator.
        Some(Qualifier::ForAllValues) => Tri::all(actual.iter().map(per_value)),
        // Some request value must; without a qualifier a multi-valued key behaves alike and a
        // single-valued key has one value anyway.
        Some(Qualifier::ForAnyValue) | None => Tri::any(actual.iter().map(per_value)),
    }
}

/// The result for an absent key.
fn absent(op: &Operator) -> bool {
    if op.if_exists {
        return true;
    }
    match op.qualifier {
        // Vacuous truth: "every value of the (empty) set matches".
        Some(Qualifier::ForAllValues) => true,
        Some(Qualifier::ForAnyValue) => false,
        None => op.base.is_negated(),
    }
}

/// `Null: true` holds iff the key is absent, `Null: false` iff present.
fn null_matches(v: &Text, present: bool) -> Tri {
    if v.unresolved {
        return Tri::Unknown;
    }
    match v.value.to_ascii_lowercase().as_str() {
        "true" => (!present).into(),
        "false" => present.into(),
        _ => Tri::False,
    }
}

/// One block: every key must hold. An unknown operator (IAM would reject the policy) or a
/// malformed block is `Unknown`.
pub fn eval_condition_block(block: &ConditionBlock, ctx: &Context) -> Tri {
    let Ok(op) = &block.operator else {
        return Tri::Unknown;
    };
    if block.malformed || block.unresolved {
        return Tri::Unknown;
    }
    Tri::all(block.keys.iter().map(|k| eval_block(op, k, ctx)))
}

/// A statement's whole `Condition` (none: true).
pub fn eval_conditions(conds: Option<&Conditions>, ctx: &Context) -> Tri {
    match conds {
        None => Tri::True,
        Some(c) if c.malformed || c.unresolved => Tri::Unknown,
        Some(c) => Tri::all(c.blocks.iter().map(|b| eval_condition_block(b, ctx))),
    }
}

/// The result of one key, for explanations.
#[derive(Debug, Clone, Copy)]
pub struct KeyVerdict<'p> {
    pub block: &'p ConditionBlock<'p>,
    pub key: &'p ConditionKey<'p>,
    pub result: Tri,
}

/// One statement's evaluation, part by part.
#[derive(Debug, Clone)]
pub struct StatementVerdict<'p> {
    pub index: usize,
    pub action: Tri,
    pub principal: Tri,
    pub conditions: Tri,
    /// Action ∧ principal ∧ conditions: the statement applies to the request (its effect
    /// aside).
    pub applies: Tri,
    /// Every key of every block with a known operator, in document order.
    pub keys: Vec<KeyVerdict<'p>>,
}

impl<'p> StatementVerdict<'p> {
    /// Keys that evaluated to false.
    pub fn failed(&self) -> impl Iterator<Item = &'p ConditionKey<'p>> + '_ {
        self.keys
            .iter()
            .filter(|k| k.result == Tri::False)
            .map(|k| k.key)
    }
}

/// Evaluates one statement against the request, ignoring its effect.
pub fn eval_statement<'p>(
    stmt: &'p Statement<'p>,
    action: &str,
    federated_issuer: &str,
    ctx: &Context,
) -> StatementVerdict<'p> {
    let action = stmt.actions_match(action);
    let principal = match (&stmt.principal, &stmt.not_principal) {
        (Some(p), _) => principal_admits(p, federated_issuer),
        (None, Some(np)) => !principal_admits(np, federated_issuer),
        (None, None) => Tri::False,
    };
    let conditions = eval_conditions(stmt.condition.as_ref(), ctx);
    let mut keys = Vec::new();
    if let Some(c) = &stmt.condition {
        for block in &c.blocks {
            if let Ok(op) = &block.operator {
                for key in &block.keys {
                    let result = eval_block(op, key, ctx);
                    keys.push(KeyVerdict { block, key, result });
                }
            }
        }
    }
    StatementVerdict {
        index: stmt.index,
        action,
        principal,
        conditions,
        applies: action.and(principal).and(conditions),
        keys,
    }
}

/// Whether an Allow statement admits a web-identity request: it covers `action`, its
/// principal is `*` or a `Federated` provider for `federated_issuer` (host+path, no scheme),
/// and its conditions hold. Deny statements and statements with an invalid effect: False.
pub fn statement_admits(
    stmt: &Statement,
    action: &str,
    federated_issuer: &str,
    ctx: &Context,
) -> Tri {
    if !stmt.is_allow() {
        return Tri::False;
    }
    eval_statement(stmt, action, federated_issuer, ctx).applies
}

/// Whether a principal covers tokens of `issuer`.
fn principal_admits(p: &Principal, issuer: &str) -> Tri {
    if p.is_any() {
        return Tri::True;
    }
    let listed = Tri::any(p.federated().map(|v| provider_matches(v, issuer)));
    if p.malformed {
        listed.or(Tri::Unknown)
    } else {
        listed
    }
}

/// A `Federated` value against a token issuer: an `oidc-provider/<issuer>` ARN, or the bare
/// host IAM uses for shared providers (`accounts.google.com`). Placeholders in the partition
/// or account do not matter; in the issuer they make the answer `Unknown` if the literal
/// parts fit.
fn provider_matches(v: &Text, issuer: &str) -> Tri {
    let provider_issuer = match OidcProvider::parse(&v.value) {
        Some(p) => p.issuer,
        None if v.value.starts_with("arn:") => return Tri::False,
        None if v.unresolved && v.value.starts_with("${") => {
            // The whole ARN is a parameter (`!Ref ProviderArn`, `!GetAtt Provider.Arn`).
            return Tri::Unknown;
        }
        None => v.value.to_string(),
    };
    // The same expression as the issuer asked about (a placeholder the trust and the
    // cluster share, as eksctl writes both): the same value.
    if v.unresolved && provider_issuer.contains("${") && provider_issuer != issuer {
        let toks = glob::placeholder_tokens(&provider_issuer, false);
        return if glob::match_tokens(&toks, issuer) {
            Tri::Unknown
        } else {
            Tri::False
        };
    }
    (provider_issuer == issuer).into()
}

/// The outcome of a whole trust policy for one request.
#[derive(Debug, Clone)]
pub struct Verdict<'p> {
    pub result: Tri,
    /// The statement that decided: the Deny that applied, the Allow that admitted, or for
    /// `Unknown` the first statement that might apply. `None` when nothing could apply.
    pub statement: Option<usize>,
    /// For `False`: the condition keys that failed in the Allow statements whose action and
    /// principal did match — e.g. the `sub` condition that names another service account.
    pub failed: Vec<&'p ConditionKey<'p>>,
    /// Every statement's evaluation, in document order.
    pub statements: Vec<StatementVerdict<'p>>,
}

/// Combines statements as IAM does: an applying Deny wins, then an applying Allow.
pub fn trust_admits<'p>(
    policy: &'p Policy<'p>,
    action: &str,
    issuer: &str,
    ctx: &Context,
) -> Verdict<'p> {
    let verdicts: Vec<_> = policy
        .statements
        .iter()
        .map(|s| (s, eval_statement(s, action, issuer, ctx)))
        .collect();
    let find = |effect: Option<&Effect>, want: Tri| {
        verdicts
            .iter()
            .find(|(s, v)| s.effect.as_ref().map(|(_, e)| e) == effect && v.applies == want)
            .map(|(s, _)| s.index)
    };
    let deny_true = find(Some(&Effect::Deny), Tri::True);
    let allow_true = find(Some(&Effect::Allow), Tri::True);
    // A statement with a missing or invalid effect makes IAM reject the policy; if it could
    // apply, the outcome is unknown.
    let maybe = verdicts
        .iter()
        .find(|(s, v)| {
            v.applies == Tri::Unknown && !s.is_allow()
                || v.applies.maybe() && !s.is_allow() && !s.is_deny()
        })
        .map(|(s, _)| s.index);
    let allow_unknown = find(Some(&Effect::Allow), Tri::Unknown);
    let (result, statement) = if deny_true.is_some() {
        (Tri::False, deny_true)
    } else if allow_true.is_some() && maybe.is_none() {
        (Tri::True, allow_true)
    } else if allow_true.is_some() || allow_unknown.is_some() {
        (Tri::Unknown, maybe.or(allow_unknown).or(allow_true))
    } else {
        (Tri::False, None)
    };
    let failed = if result == Tri::False && deny_true.is_none() {
        verdicts
            .iter()
            .filter(|(s, v)| s.is_allow() && v.action.maybe() && v.principal.maybe())
            .flat_map(|(_, v)| v.failed())
            .collect()
    } else {
        Vec::new()
    };
    Verdict {
        result,
        statement,
        failed,
        statements: verdicts.into_iter().map(|(_, v)| v).collect(),
    }
}

/// The web-identity claims whose condition keys STS keeps in the session it issues, so that
/// they are in the request context of every request made with its credentials (IAM User
/// Guide, "Cross-service AWS web identity federation context keys": `amr`, `aud`, `id`,
/// `sub`; `id` is the family of Facebook's and Login with Amazon's `app_id`, `id`,
/// `user_id`). "No other web identity based federation condition keys are available for use
/// after ... the initial AssumeRoleWithWebIdentity operation."
const SESSION_CLAIMS: &[&str] = &["amr", "aud", "sub", "id", "app_id", "user_id"];

/// Whether `key` is an identity provider's claim key (`<provider>:<claim>`, the provider a
/// host name, with a dot, and an optional path: `oidc.eks.<region>.amazonaws.com/id/<ID>:azp`,
/// `accounts.google.com:oaud`, `token.actions.githubusercontent.com:repository`) whose claim
/// STS does not keep in the session ([`SESSION_CLAIMS`]): it is in the request context of the
/// `AssumeRoleWithWebIdentity` call only, never in a request a permission policy is evaluated
/// for (that call needs no credentials, so no identity policy or boundary judges it).
pub fn claim_absent_from_sessions(key: &str) -> bool {
    let Some((provider, claim)) = key.split_once(':') else {
        return false;
    };
    let host = provider.split('/').next().unwrap_or_default();
    host.contains('.')
        && !claim.is_empty()
        && !claim.contains([':', '/'])
        && !SESSION_CLAIMS.iter().any(|c| c.eq_ignore_ascii_case(claim))
}

/// The condition key (with its block) that keeps a permission policy statement (identity policy, permissions
/// boundary) from ever applying, if there is one: a key [`claim_absent_from_sessions`] says no
/// request the policy judges carries, under an operator that is false on a missing key
/// (`StringEquals`, `ForAnyValue:...`, `Null: "false"`; not `...IfExists`, a negated operator
/// or `ForAllValues:...`, which are true). Blocks and their keys are ANDed, so one such key
/// decides. `None` without one, and for a malformed `Condition`, an unknown operator, a
/// malformed or unresolved block or a key whose name the files do not fix.
pub fn never_applies_key<'c>(
    conds: Option<&'c Conditions<'c>>,
) -> Option<(&'c ConditionBlock<'c>, &'c ConditionKey<'c>)> {
    // A malformed or unresolved `Condition` or block has no keys.
    let ctx = Context::new(CtxValue::Absent);
    conds?.blocks.iter().find_map(|b| {
        let op = b.operator.as_ref().ok()?;
        let key = b.keys.iter().find(|k| {
            !k.name.unresolved
                && claim_absent_from_sessions(&k.name.value)
                && eval_block(op, k, &ctx) == Tri::False
        })?;
        Some((b, key))
    })
}

/// Which resources a permission question is about (see [`permission_allows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resources<'r> {
    /// All that the value stands for, read as a policy value (`*` is every resource,
    /// `arn:aws:s3:::b/*` every object of `b`).
    Every(&'r str),
    /// At least one of what the value stands for.
    Some(&'r str),
}

/// Whether a permission policy (a role's permissions boundary) allows `action` on
/// `resources`, read as IAM reads it: an applying `Deny` wins, else an applying `Allow`
/// allows. `action` and a resource value stand for all they match, so `s3:*` asks whether
/// the policy allows every action of S3: `s3:*` or `*` cover it, `s3:Get*` does not, and a
/// `NotAction` covers it when none of its values can meet it (`iam:*` cannot, `*` can). A
/// `Deny` applies when it covers everything asked about; an `Allow` when it covers it, or for
/// [`Resources::Some`] when its resources meet some of the value's. A statement's conditions
/// are unknown (the request is not known) unless they can never hold
/// ([`never_applies_key`]: then it never applies), and so is a statement IAM would reject (no
/// `Resource`, a principal, an effect other than `Allow`/`Deny`) or a malformed policy.
pub fn permission_allows(policy: &Policy<'_>, action: &str, resources: Resources<'_>) -> Tri {
    if !policy.malformed.is_empty() {
        return Tri::Unknown;
    }
    let ctx = Context::new(CtxValue::Unknown);
    let (name, some) = match resources {
        Resources::Every(n) => (n, false),
        Resources::Some(n) => (n, true),
    };
    let mut allow = Tri::False;
    let mut deny = Tri::False;
    for stmt in &policy.statements {
        let valid = if stmt.principal.is_some() || stmt.not_principal.is_some() {
            Tri::Unknown
        } else {
            Tri::True
        };
        let actions = covers(
            stmt.action.as_ref(),
            stmt.not_action.as_deref(),
            action,
            true,
        );
        let conditions = match never_applies_key(stmt.condition.as_ref()) {
            Some(_) => Tri::False,
            None => eval_conditions(stmt.condition.as_ref(), &ctx),
        };
        let base = actions.and(conditions).and(valid);
        let (res, not_res) = (stmt.resource.as_ref(), stmt.not_resource.as_deref());
        let all = covers(res, not_res, name, false);
        match stmt.effect.as_ref().map(|(_, e)| e) {
            Some(Effect::Deny) => deny = deny.or(base.and(all)),
            Some(Effect::Allow) if some => {
                allow = allow.or(base.and(all.or(meets_some(res, not_res, name))));
            }
            Some(Effect::Allow) => allow = allow.or(base.and(all)),
            _ => allow = allow.or(base.and(Tri::Unknown)),
        }
    }
    allow.and(!deny)
}

/// Whether an element (`Action`/`NotAction`, `Resource`/`NotResource`) covers all that
/// `name` stands for. Neither or both: `Unknown` (IAM rejects the statement).
fn covers(pos: Option<&ValueList<'_>>, neg: Option<&ValueList<'_>>, name: &str, ic: bool) -> Tri {
    match (pos, neg) {
        (Some(p), None) => p.matches(name, ic),
        (None, Some(n)) => !meets(n, name, ic),
        _ => Tri::Unknown,
    }
}

/// Whether an element covers some of what `name` stands for.
fn meets_some(pos: Option<&ValueList<'_>>, neg: Option<&ValueList<'_>>, name: &str) -> Tri {
    match (pos, neg) {
        (Some(p), None) => meets(p, name, false),
        (None, Some(n)) => !n.matches(name, false),
        _ => Tri::Unknown,
    }
}

/// Whether some value of the list and `name` match a common string.
fn meets(list: &ValueList<'_>, name: &str, ic: bool) -> Tri {
    let invalid = list.invalid.iter().map(|_| Tri::Unknown);
    Tri::any(
        list.values
            .iter()
            .map(|v| match v.unresolved {
                true => wildcard_match(v, name, ic).or(Tri::Unknown),
                false => patterns_meet(&v.value, name, ic),
            })
            .chain(invalid),
    )
}

/// Whether two IAM wildcard patterns match a common string: exactly when one has no
/// wildcard, or one is a literal followed by a lone `*` and the other's first wildcard is
/// `*`; `False` when their literal prefixes differ; `Unknown` otherwise.
pub fn patterns_meet(a: &str, b: &str, ic: bool) -> Tri {
    if !glob::has_wildcard(b) {
        return glob::glob_match(a, b, ic).into();
    }
    if !glob::has_wildcard(a) {
        return glob::glob_match(b, a, ic).into();
    }
    // (literal prefix, as compared; the first wildcard; whether it is the last character)
    let prefix = |s: &str| {
        let at = s.find(['*', '?']).unwrap_or(s.len());
        let p = &s[..at];
        let lower = if ic { p.to_lowercase() } else { p.to_string() };
        (lower, s[at..].chars().next(), at + 1 == s.len())
    };
    let ((pa, wa, last_a), (pb, wb, last_b)) = (prefix(a), prefix(b));
    if !pa.starts_with(&pb) && !pb.starts_with(&pa) {
        return Tri::False;
    }
    if (last_a || last_b) && wa == Some('*') && wb == Some('*') {
        Tri::True
    } else {
        Tri::Unknown
    }
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
