//! The `Condition` element: operator blocks, their keys and values.
//!
//! Part of the policy model ([`super::policy`]); split out to keep files small.

use crate::model::value::{text, Substitutions, Text};
use crate::source::node::{Entry, Node};

use super::operator::{parse_operator, Operator, OperatorError};
use super::policy::{texts, Malformed};

#[derive(Debug)]
pub struct Conditions<'a> {
    /// The `Condition` entry.
    pub entry: &'a Entry,
    pub blocks: Vec<ConditionBlock<'a>>,
    /// `Condition` is not a mapping.
    pub malformed: bool,
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
        }
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
        }
    }
}

impl<'a> ConditionKey<'a> {
    fn parse(
        entry: &'a Entry,
        subs: &Substitutions,
        malformed: &mut Vec<Malformed<'a>>,
    ) -> ConditionKey<'a> {
        let name = text(&entry.key, subs).unwrap_or_else(|| Text {
            value: String::new(),
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
