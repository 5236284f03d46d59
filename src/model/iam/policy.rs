//! The IAM policy grammar model: a read-only view over a policy document's `Node`, keeping
//! the entries and spans rules point at.
//!
//! Element names (`Effect`, `Principal`, ...) are matched exactly, as IAM does; a misspelt
//! element is simply absent here and left to the unknown-element rule. Shapes IAM would
//! reject (a string `Statement`, a list `Condition`) never panic: they are recorded in
//! [`Policy::malformed`] and the element is kept as absent or marked `malformed`.

use crate::model::value::{text, Substitutions, Text};
use crate::source::node::{Entry, Node, Value};

pub use super::condition::{split_issuer_key, ConditionBlock, ConditionKey, Conditions};
use super::glob::{self, glob_match};
use super::tri::Tri;

/// A node whose shape IAM would reject.
#[derive(Debug, Clone, Copy)]
pub struct Malformed<'a> {
    pub node: &'a Node,
    /// The element it belongs to: "policy", "Statement", "Principal", "Condition", ...
    pub element: &'static str,
    /// What IAM expects there, e.g. "a mapping".
    pub expected: &'static str,
}

#[derive(Debug)]
pub struct Policy<'a> {
    pub node: &'a Node,
    pub version: Option<&'a Entry>,
    /// The `Statement` entry itself (absent: no statements).
    pub statement_entry: Option<&'a Entry>,
    /// Statements that are mappings. `Statement` may be one mapping or a list of them.
    pub statements: Vec<Statement<'a>>,
    pub malformed: Vec<Malformed<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    /// Anything but exactly `Allow`/`Deny` (IAM is case-sensitive here), as written.
    Invalid(String),
}

#[derive(Debug)]
pub struct Statement<'a> {
    /// Position in the `Statement` list (0 for a single mapping).
    pub index: usize,
    pub node: &'a Node,
    pub sid: Option<&'a Entry>,
    pub effect: Option<(&'a Entry, Effect)>,
    pub principal: Option<Principal<'a>>,
    /// Boxed, as `not_action` and `not_resource`: nearly always absent, and a statement's
    /// view without them inline is 272 bytes instead of 400 (a policy view per policy
    /// document of the run).
    pub not_principal: Option<Box<Principal<'a>>>,
    pub action: Option<ValueList<'a>>,
    pub not_action: Option<Box<ValueList<'a>>>,
    pub resource: Option<ValueList<'a>>,
    pub not_resource: Option<Box<ValueList<'a>>>,
    pub condition: Option<Conditions<'a>>,
}

/// A "string or list of strings" element (`Action`, `Resource`, principal lists).
#[derive(Debug)]
pub struct ValueList<'a> {
    pub entry: &'a Entry,
    pub values: Vec<Text>,
    /// Items that are not strings (nested lists or mappings).
    pub invalid: Vec<&'a Node>,
}

pub type ActionList<'a> = ValueList<'a>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalType {
    Aws,
    Federated,
    Service,
    CanonicalUser,
    /// Any other key, as written (IAM rejects it).
    Other(String),
}

impl PrincipalType {
    fn from_key(k: &str) -> PrincipalType {
        match k {
            "AWS" => PrincipalType::Aws,
            "Federated" => PrincipalType::Federated,
            "Service" => PrincipalType::Service,
            "CanonicalUser" => PrincipalType::CanonicalUser,
            other => PrincipalType::Other(other.to_string()),
        }
    }
}

#[derive(Debug)]
pub struct Principal<'a> {
    pub entry: &'a Entry,
    /// The string form `"Principal": "*"`.
    pub star: bool,
    pub by_type: Vec<(PrincipalType, &'a Entry, Vec<Text>)>,
    /// Neither `"*"` nor a mapping of types (or a type's value is not strings).
    pub malformed: bool,
}

impl<'a> Policy<'a> {
    /// Builds the model of a policy document (the mapping with `Version`/`Statement`).
    pub fn parse(node: &'a Node, subs: &Substitutions) -> Policy<'a> {
        let mut malformed = Vec::new();
        if node.as_map().is_none() {
            malformed.push(Malformed {
                node,
                element: "policy",
                expected: "a mapping",
            });
        }
        let statement_entry = node.entry("Statement");
        let mut statements = Vec::new();
        if let Some(e) = statement_entry {
            let items: &[Node] = match &e.value.value {
                Value::Map(_) => std::slice::from_ref(&e.value),
                Value::Seq(items) => items,
                _ => {
                    malformed.push(Malformed {
                        node: &e.value,
                        element: "Statement",
                        expected: "a mapping or a list of mappings",
                    });
                    &[]
                }
            };
            // Sized once: a statement's view is about 400 bytes and most policies have one
            // or two, so growing from nothing would keep room for four (1.6 KB per policy,
            // 12 MB of the 10k benchmark's Terraform roots).
            statements.reserve_exact(items.len());
            for (index, item) in items.iter().enumerate() {
                if item.as_map().is_some() {
                    statements.push(Statement::parse(index, item, subs, &mut malformed));
                } else {
                    malformed.push(Malformed {
                        node: item,
                        element: "Statement",
                        expected: "a mapping",
                    });
                }
            }
        }
        Policy {
            node,
            version: node.entry("Version"),
            statement_entry,
            statements,
            malformed,
        }
    }

    /// A trust (role assumption) policy: some statement names a principal and either
    /// allows an `sts:` action or has no `Resource` while its actions could be a role's
    /// (resource policies such as S3 bucket policies name principals too, but always a
    /// resource); or allows an `sts:` action with neither principal nor resource (a trust
    /// policy missing its `Principal`). Identity policies never name a principal and always
    /// name a resource, even when they allow `sts:AssumeRole`. An ECR repository policy names
    /// a principal and no resource, but its actions are `ecr:` ones: it is a resource policy
    /// ([`Policy::is_resource_policy`]), not a role's trust.
    pub fn is_trust_policy(&self) -> bool {
        self.statements.iter().any(|s| {
            let names_principal = s.principal.is_some() || s.not_principal.is_some();
            let sts_action = s.action.as_ref().is_some_and(|a| {
                a.values.iter().any(|v| {
                    v.value
                        .get(..4)
                        .is_some_and(|p| p.eq_ignore_ascii_case("sts:"))
                })
            });
            let has_resource = s.resource.is_some() || s.not_resource.is_some();
            (names_principal && (sts_action || (!has_resource && may_allow_sts(s))))
                || (sts_action && !has_resource)
        })
    }

    /// A resource-based policy of another service (an S3 bucket, ECR repository, SQS queue
    /// or KMS key policy): some statement names a principal, yet the document is not a trust
    /// policy. It is neither a role's trust nor a role's permissions, so neither the trust
    /// nor the permission rules judge it.
    pub fn is_resource_policy(&self) -> bool {
        !self.is_trust_policy()
            && self
                .statements
                .iter()
                .any(|s| s.principal.is_some() || s.not_principal.is_some())
    }
}

/// Could this statement's actions include a role's trust actions (`sts:AssumeRole*`,
/// `sts:TagSession`, …)? Yes without an `Action` (a `NotAction`, or a statement missing
/// both, which `policy-missing-element` reports), or when some value's service is `sts` or
/// a wildcard (`*`, `s*:*`); no when every value names another service (`ecr:BatchGetImage`).
fn may_allow_sts(s: &Statement<'_>) -> bool {
    let Some(action) = &s.action else {
        return true;
    };
    action.values.is_empty()
        || action.values.iter().any(|v| {
            // A value the files do not fix (a CloudFormation parameter) may be anything.
            v.unresolved
                || match v.value.split_once(':') {
                    Some((service, _)) => {
                        service.eq_ignore_ascii_case("sts") || service.contains(['*', '?'])
                    }
                    None => true,
                }
        })
}

// A view per statement of every policy document of the run (see `not_principal`).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Statement<'_>>() <= 272);

impl<'a> Statement<'a> {
    fn parse(
        index: usize,
        node: &'a Node,
        subs: &Substitutions,
        malformed: &mut Vec<Malformed<'a>>,
    ) -> Statement<'a> {
        // Each element's entry (the last of its key, as `Node::entry` finds it) in one pass
        // over the statement's keys: asked for one by one, nine element names were each
        // compared with every key (most of this function's cost, once per statement of
        // every policy document of the run).
        let mut found: [Option<&'a Entry>; 9] = [None; 9];
        for e in node.as_map().unwrap_or_default() {
            let i = match e.key.as_str() {
                Some("Sid") => 0,
                Some("Effect") => 1,
                Some("Principal") => 2,
                Some("NotPrincipal") => 3,
                Some("Action") => 4,
                Some("NotAction") => 5,
                Some("Resource") => 6,
                Some("NotResource") => 7,
                Some("Condition") => 8,
                _ => continue,
            };
            found[i] = Some(e);
        }
        let [sid, effect, principal_entry, not_principal, action, not_action, resource, not_resource, condition] =
            found;
        let list = |e: Option<&'a Entry>| e.map(|e| ValueList::parse(e, subs));
        let principal = |e: Option<&'a Entry>, k: &'static str, m: &mut Vec<Malformed<'a>>| {
            e.map(|e| Principal::parse(e, k, subs, m))
        };
        Statement {
            index,
            node,
            sid,
            effect: effect.map(|e| {
                let effect = match e.value.as_str() {
                    Some("Allow") => Effect::Allow,
                    Some("Deny") => Effect::Deny,
                    _ => Effect::Invalid(e.value.scalar_text().unwrap_or_default().into_owned()),
                };
                (e, effect)
            }),
            principal: principal(principal_entry, "Principal", malformed),
            not_principal: principal(not_principal, "NotPrincipal", malformed).map(Box::new),
            action: list(action),
            not_action: list(not_action).map(Box::new),
            resource: list(resource),
            not_resource: list(not_resource).map(Box::new),
            condition: condition.map(|e| Conditions::parse(e, subs, malformed)),
        }
    }

    /// Whether the statement covers `action` (case-insensitive, with wildcards), honouring
    /// `NotAction`. Neither element: `False` (IAM rejects such a statement).
    pub fn actions_match(&self, action: &str) -> Tri {
        let listed = |l: &ValueList| l.matches(action, true);
        match (&self.action, &self.not_action) {
            (Some(a), None) => listed(a),
            (None, Some(n)) => !listed(n),
            (Some(a), Some(n)) => listed(a).and(!listed(n)),
            (None, None) => Tri::False,
        }
    }

    /// Whether the statement could cover `sts:AssumeRoleWithWebIdentity`.
    pub fn is_web_identity(&self) -> bool {
        self.actions_match("sts:AssumeRoleWithWebIdentity").maybe()
    }

    pub fn is_allow(&self) -> bool {
        matches!(self.effect, Some((_, Effect::Allow)))
    }

    pub fn is_deny(&self) -> bool {
        matches!(self.effect, Some((_, Effect::Deny)))
    }
}

/// Items of a "string or list" element. A tagged sequence (`!Sub [..]`, `!Join [..]`) is one
/// value, not a list.
fn list_items(node: &Node) -> &[Node] {
    if node.tag.as_deref().is_some_and(|t| !t.starts_with("!!")) {
        std::slice::from_ref(node)
    } else {
        node.items()
    }
}

/// The texts of a "string or list" value, and the items that are not strings.
pub(super) fn texts<'a>(node: &'a Node, subs: &Substitutions) -> (Vec<Text>, Vec<&'a Node>) {
    let items = list_items(node);
    // Sized once (most lists hold one or two values; growing would keep room for four).
    let mut values = Vec::with_capacity(items.len());
    let mut invalid = Vec::new();
    for item in items {
        match text(item, subs) {
            Some(t) => values.push(t),
            None => invalid.push(item),
        }
    }
    (values, invalid)
}

impl<'a> ValueList<'a> {
    fn parse(entry: &'a Entry, subs: &Substitutions) -> ValueList<'a> {
        let (values, invalid) = texts(&entry.value, subs);
        ValueList {
            entry,
            values,
            invalid,
        }
    }

    /// Whether any listed value, read as an IAM wildcard, matches `name`. An unresolved
    /// value is `Unknown` when its literal parts fit and `False` when they cannot.
    pub fn matches(&self, name: &str, ignore_case: bool) -> Tri {
        let invalid = self.invalid.iter().map(|_| Tri::Unknown);
        Tri::any(
            self.values
                .iter()
                .map(|v| wildcard_match(v, name, ignore_case))
                .chain(invalid),
        )
    }
}

/// IAM wildcard match of a policy value against `name`, `Unknown` for unresolved values that
/// could match.
pub(crate) fn wildcard_match(v: &Text, name: &str, ignore_case: bool) -> Tri {
    if !v.unresolved {
        return glob_match(&v.value, name, ignore_case).into();
    }
    let (p, n) = if ignore_case {
        (v.value.as_str().to_lowercase(), name.to_lowercase())
    } else {
        (v.value.to_string(), name.to_string())
    };
    if glob::match_tokens(&glob::placeholder_tokens(&p, true), &n) {
        Tri::Unknown
    } else {
        Tri::False
    }
}

impl<'a> Principal<'a> {
    fn parse(
        entry: &'a Entry,
        element: &'static str,
        subs: &Substitutions,
        malformed: &mut Vec<Malformed<'a>>,
    ) -> Principal<'a> {
        let mut p = Principal {
            entry,
            star: false,
            by_type: Vec::new(),
            malformed: false,
        };
        match &entry.value.value {
            Value::Str(s) if s == "*" => p.star = true,
            Value::Map(entries) => {
                p.by_type.reserve_exact(entries.len());
                for e in entries {
                    let (values, invalid) = texts(&e.value, subs);
                    for node in invalid {
                        p.malformed = true;
                        malformed.push(Malformed {
                            node,
                            element,
                            expected: "a string or a list of strings",
                        });
                    }
                    let key = e.key.scalar_text().unwrap_or_default();
                    p.by_type.push((PrincipalType::from_key(&key), e, values));
                }
            }
            _ => {
                p.malformed = true;
                malformed.push(Malformed {
                    node: &entry.value,
                    element,
                    expected: "\"*\" or a mapping of principal types",
                });
            }
        }
        p
    }

    /// Values listed under one principal type.
    pub fn of_type<'s>(&'s self, ty: &'s PrincipalType) -> impl Iterator<Item = &'s Text> + 's {
        self.by_type
            .iter()
            .filter(move |(t, _, _)| t == ty)
            .flat_map(|(_, _, v)| v.iter())
    }

    /// The `Federated` values (OIDC/SAML provider ARNs, or hosts such as `accounts.google.com`).
    pub fn federated(&self) -> impl Iterator<Item = &Text> + '_ {
        self.by_type
            .iter()
            .filter(|(t, _, _)| *t == PrincipalType::Federated)
            .flat_map(|(_, _, v)| v.iter())
    }

    /// Everyone: `"*"` or `{"AWS": "*"}` (IAM treats them alike).
    pub fn is_any(&self) -> bool {
        self.star || self.of_type(&PrincipalType::Aws).any(|t| t.value == "*")
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
