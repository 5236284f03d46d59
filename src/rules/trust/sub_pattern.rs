//! Reading `sub` patterns: `system:serviceaccount:<namespace>:<name>`.

use super::{conditioned_issuer, provider_claim};
use crate::model::iam::arn::is_placeholder;
use crate::model::iam::eval::{eval_conditions, Context, CtxValue};
use crate::model::iam::glob::{glob_match, has_wildcard};
use crate::model::iam::operator::BaseOp;
use crate::model::iam::policy::{ConditionBlock, ConditionKey, Statement};
use crate::model::value::Text;
use crate::world::World;

pub(crate) const PREFIX: &str = "system:serviceaccount:";

/// A positive `sub` value of an Allow web-identity statement, with its context.
pub(crate) struct SubValue<'w> {
    pub stmt: &'w Statement<'w>,
    pub block: &'w ConditionBlock<'w>,
    pub key: &'w ConditionKey<'w>,
    pub value: &'w Text,
    pub issuer: String,
    pub provider: &'w Text,
    pub like: bool,
    /// The module call instance that evaluated the document (see [`crate::rules::push_about`]).
    pub instance: Option<crate::diagnostic::Instance>,
    /// How the modelled module that generated the trust writes its subjects, for help
    /// that names the module's input.
    pub module: Option<crate::terraform::modules::SubjectInputs>,
}

impl SubValue<'_> {
    /// Where the namespace (`name` false) or the name of the value was written: the caller's
    /// text when a local module composed the value from what its caller passed in (see
    /// [`crate::terraform::Origins`]), else the value's.
    pub(crate) fn part_span(&self, world: &World<'_>, name: bool) -> crate::source::file::Span {
        let v = &self.value.value;
        let Some((ns, _)) = split_sub(v) else {
            return self.value.span;
        };
        let start = PREFIX.len();
        let range = match name {
            true => start + ns.len() + 1..v.len(),
            false => start..start + ns.len(),
        };
        world.inputs.terraform_origins.span_at(
            self.instance.as_ref().map(|i| i.call),
            self.value.span,
            v,
            range,
        )
    }
}

/// Every resolved `sub` value under `StringEquals`/`StringLike` (no qualifier).
pub(crate) fn sub_values<'w>(world: &'w World<'_>) -> Vec<SubValue<'w>> {
    let mut out = Vec::new();
    for doc in world.trust_policies() {
        for stmt in &doc.policy.statements {
            let Some((issuer, provider)) = conditioned_issuer(stmt) else {
                continue;
            };
            let Some(conds) = &stmt.condition else {
                continue;
            };
            for (block, key) in conds.keys() {
                let Ok(op) = &block.operator else { continue };
                if op.qualifier.is_some()
                    || !matches!(op.base, BaseOp::StringEquals | BaseOp::StringLike)
                {
                    continue;
                }
                let Some((key_issuer, claim)) = provider_claim(&key.name.value) else {
                    continue;
                };
                // A key named after the provider's ARN is never set: its values admit no one
                // (trust-key-is-provider-arn reports the key).
                if claim != "sub" || super::provider_arn_issuer(world, doc, key_issuer).is_some() {
                    continue;
                }
                for v in &key.values {
                    if v.unresolved || is_placeholder(&v.value) {
                        continue;
                    }
                    out.push(SubValue {
                        stmt,
                        block,
                        key,
                        value: v,
                        issuer: issuer.clone(),
                        provider,
                        like: op.base == BaseOp::StringLike,
                        instance: doc.instance(),
                        module: world.module_trust(doc.source.node).and_then(|(_, model)| {
                            crate::terraform::modules::subject_inputs(model)
                        }),
                    });
                }
            }
        }
    }
    out
}

/// `(namespace, name)` of a `system:serviceaccount:` value, split at the first colon after the
/// prefix.
pub(crate) fn split_sub(v: &str) -> Option<(&str, &str)> {
    v.strip_prefix(PREFIX)?.split_once(':')
}

/// Matches every service account of every namespace (trust-broad-stringlike's case).
pub(crate) fn matches_everything(pattern: &str) -> bool {
    [
        "system:serviceaccount:kube-system:default",
        "system:serviceaccount:zz9-probe:q7-probe-sa",
    ]
    .iter()
    .all(|p| glob_match(pattern, p, false))
}

pub(crate) fn wild(s: &str) -> bool {
    has_wildcard(s)
}

/// Whether the whole statement still admits every one of `subjects` (full `sub` values) for
/// the issuer of `key`: IAM ANDs all condition blocks, so a broad `StringLike` pattern is
/// no breadth when another block (a `StringEquals` on the same `sub`, a second pattern)
/// already narrows it. `aud` and global keys are unknown, so only a definite rejection
/// counts; a subject that may get in keeps the finding.
pub(crate) fn statement_admits_all(
    stmt: &Statement<'_>,
    key: &ConditionKey<'_>,
    subjects: &[String],
) -> bool {
    let Some((issuer, _)) = key.issuer_claim() else {
        return true;
    };
    subjects.iter().all(|sub| {
        let mut ctx = Context::web_identity(issuer, sub, "");
        ctx.set(&format!("{issuer}:aud"), CtxValue::Unknown);
        !eval_conditions(stmt.condition.as_ref(), &ctx).is_false()
    })
}

/// Two concrete values a glob admits that differ wherever the glob has a wildcard: `*` is
/// filled with `zz9probe`/`q7other`, `?` with `z`/`q`. Used as probes for
/// [`statement_admits_all`].
pub(crate) fn instances(pattern: &str) -> [String; 2] {
    let fill = |star: &str, one: &str| -> String {
        pattern
            .chars()
            .map(|c| match c {
                '*' => star.to_string(),
                '?' => one.to_string(),
                c => c.to_string(),
            })
            .collect()
    };
    [fill("zz9probe", "z"), fill("q7other", "q")]
}
