//! The `Condition` element: operator blocks, their keys and values.
//!
//! Part of the policy model ([`super::policy`]); split out to keep files small.

use crate::model::value::{text, Substitutions, Text};
use crate::source::node::{Entry, Node, Str};

use super::operator::{parse_operator, Operator, OperatorError};
use super::policy::{texts, Malformed};

#[derive(Debug)]
pub struct Conditions<'a> {
    /// The `Condition` entry.
    pub entry: &'a Entry,
    pub blocks: Vec<ConditionBlock<'a>>,
    /// `Condition` is not a mapping.
    pub malformed: bool,
    /// `Condition` is a CloudFormation intrinsic (`Fn::If`, `!Ref`, …): its blocks are not
    /// known from the files.
    pub unresolved: bool,
}

#[derive(Debug)]
pub struct ConditionBlock<'a> {
    /// The operator entry (`"StringEquals": {...}`).
    pub entry: &'a Entry,
    pub operator: Result<Operator, OperatorError>,
    pub raw: String,
    pub keys: Vec<ConditionKey<'a>>,
    /// The block's value is not a mapping of keys.
    pub malformed: bool,
    /// The block's value is a CloudFormation intrinsic that yields its keys at deploy time:
    /// AWS CDK's `eks.ServiceAccount` writes `StringEquals: {Fn::GetAtt: [<CfnJson>, Value]}`
    /// (aws/aws-cdk packages/aws-cdk-lib/aws-eks/lib/service-account.ts@07a95783), a
    /// custom resource's output holding the `:aud` and `:sub` keys. No keys are read from it.
    pub unresolved: bool,
}

#[derive(Debug)]
pub struct ConditionKey<'a> {
    pub entry: &'a Entry,
    pub name: Text,
    /// A string or a list; numbers and booleans as text.
    pub values: Vec<Text>,
    /// Items that are not scalars.
    pub invalid: Vec<&'a Node>,
}

impl<'a> Conditions<'a> {
    pub(super) fn parse(
        entry: &'a Entry,
        subs: &Substitutions,
        malformed: &mut Vec<Malformed<'a>>,
    ) -> Conditions<'a> {
        if is_intrinsic(&entry.value) {
            return Conditions {
                entry,
                blocks: Vec::new(),
                malformed: false,
                unresolved: true,
            };
        }
        let Some(blocks) = entry.value.as_map() else {
            malformed.push(Malformed {
                node: &entry.value,
                element: "Condition",
                expected: "a mapping of operators",
            });
            return Conditions {
                entry,
                blocks: Vec::new(),
                malformed: true,
                unresolved: false,
            };
        };
        let blocks = blocks
            .iter()
            .map(|b| ConditionBlock::parse(b, subs, malformed))
            .collect();
        Conditions {
            entry,
            blocks,
            malformed: false,
            unresolved: false,
        }
    }

    /// Whether some of the conditions are known only at deploy time (an intrinsic in place of
    /// `Condition` or of an operator block's keys): which keys they hold is unknown.
    pub fn has_unresolved(&self) -> bool {
        self.unresolved || self.blocks.iter().any(|b| b.unresolved)
    }

    /// Every (block, key) pair, in document order.
    pub fn keys(&self) -> impl Iterator<Item = (&ConditionBlock<'a>, &ConditionKey<'a>)> {
        self.blocks
            .iter()
            .flat_map(|b| b.keys.iter().map(move |k| (b, k)))
    }

    /// Keys for `claim` (`sub`, `aud`, ...) of an OIDC issuer, whatever the issuer.
    pub fn claim_keys<'s>(
        &'s self,
        claim: &'s str,
    ) -> impl Iterator<Item = (&'s ConditionBlock<'a>, &'s ConditionKey<'a>)> + 's {
        self.keys().filter(move |(_, k)| {
            k.issuer_claim()
                .is_some_and(|(_, c)| c.eq_ignore_ascii_case(claim))
        })
    }
}

impl<'a> ConditionBlock<'a> {
    fn parse(
        entry: &'a Entry,
        subs: &Substitutions,
        malformed: &mut Vec<Malformed<'a>>,
    ) -> ConditionBlock<'a> {
        let raw = entry.key.scalar_text().unwrap_or_default().into_owned();
        let operator = parse_operator(&raw);
        if is_intrinsic(&entry.value) {
            return ConditionBlock {
                entry,
                operator,
                raw,
                keys: Vec::new(),
                malformed: false,
                unresolved: true,
            };
        }
        let keys: Vec<_> = entry
            .value
            .entries()
            .iter()
            .map(|k| ConditionKey::parse(k, subs, malformed))
            .collect();
        let is_map = entry.value.as_map().is_some();
        if !is_map {
            malformed.push(Malformed {
                node: &entry.value,
                element: "Condition",
                expected: "a mapping of condition keys",
            });
        }
        ConditionBlock {
            entry,
            operator,
            raw,
            keys,
            malformed: !is_map,
            unresolved: false,
        }
    }
}

/// A CloudFormation intrinsic function in place of a mapping: `{"Fn::GetAtt": […]}`,
/// `{"Ref": …}`, or a YAML short form (`!GetAtt`, `!If`, …). No condition key or operator
/// is named `Ref` or starts with `Fn::`, so a one-entry mapping so named is never a block.
fn is_intrinsic(node: &Node) -> bool {
    if let Some(tag) = node.tag.as_deref() {
        if matches!(
            tag,
            "!Ref"
                | "!GetAtt"
                | "!If"
                | "!Sub"
                | "!Join"
                | "!Select"
                | "!ImportValue"
                | "!FindInMap"
                | "!Transform"
        ) {
            return true;
        }
    }
    match node.as_map() {
        Some([e]) => e
            .key
            .as_str()
            .is_some_and(|k| k == "Ref" || k.starts_with("Fn::")),
        _ => false,
    }
}

impl<'a> ConditionKey<'a> {
    fn parse(
        entry: &'a Entry,
        subs: &Substitutions,
        malformed: &mut Vec<Malformed<'a>>,
    ) -> ConditionKey<'a> {
        let name = text(&entry.key, subs).unwrap_or_else(|| Text {
            value: Str::default(),
            span: entry.key.span,
            unresolved: false,
        });
        let (values, invalid) = texts(&entry.value, subs);
        for node in &invalid {
            malformed.push(Malformed {
                node,
                element: "Condition",
                expected: "a string, number, boolean or a list of them",
            });
        }
        ConditionKey {
            entry,
            name,
            values,
            invalid,
        }
    }

    /// `(issuer, claim)` of an identity-provider key such as
    /// `oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub`; see [`split_issuer_key`].
    pub fn issuer_claim(&self) -> Option<(&str, &str)> {
        split_issuer_key(&self.name.value)
    }

    /// Whether the key's name is `name` (condition key names ignore case).
    pub fn is(&self, name: &str) -> bool {
        self.name.value.eq_ignore_ascii_case(name)
    }
}

/// Splits a condition key at its LAST `:` into issuer and claim: the issuer part
/// (`host/path`) never holds a colon in IAM keys, while a scheme (`https://...:sub`) would
/// add one, and splitting at the last colon keeps that visible in the issuer for the
/// issuer-key rules. `None` without a colon or with an empty side.
pub fn split_issuer_key(name: &str) -> Option<(&str, &str)> {
    let (issuer, claim) = name.rsplit_once(':')?;
    (!issuer.is_empty() && !claim.is_empty()).then_some((issuer, claim))
}
