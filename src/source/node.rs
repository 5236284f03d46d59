//! The span-preserving tree every loader produces (YAML, JSON, embedded text).
//!
//! Maps keep insertion order and duplicate keys; lookups take the last value, as Kubernetes
//! and most JSON readers do, and the `duplicate-key` rule reports the earlier ones.

use super::file::Span;

/// How a scalar was written. Rules use it to tell `"true"` from `true` and to map text
/// embedded in a string back to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    /// Not a scalar (sequence or mapping), or a scalar synthesised by the loader.
    None,
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    /// A JSON string (double-quoted, JSON escapes).
    Json,
}

/// A string scalar's text. Nearly every key and most values are short (`name`, `v1`,
/// `app-00042`): up to 24 bytes are stored inline, with no allocation of their own.
pub type Str = compact_str::CompactString;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Str),
    /// Boxed slices rather than `Vec`s: a collection never grows once loaded, and without a
    /// capacity word `Value` fits in the 24 bytes of a `Str` (whose spare last byte tells the
    /// variants apart), so a node is 48 bytes instead of 56 (a monorepo's trees hold millions
    /// of nodes). Build them from a `Vec` with `.into()`.
    Seq(Box<[Node]>),
    Map(Box<[Entry]>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

/// A YAML tag as written (`!Sub`, `!!str`), or one the loaders give (`!Unknown`). Boxed
/// twice: nearly no node has a tag, and a thin pointer makes every node 8 bytes smaller
/// than `Option<Box<str>>` would (a monorepo's trees hold millions of nodes). It reads as a `str` (`node.tag.as_deref() == Some("!Sub")`).
#[derive(Clone, PartialEq, Eq)]
pub struct Tag(Box<Box<str>>);

impl std::ops::Deref for Tag {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self.0, f)
    }
}

impl From<&str> for Tag {
    fn from(s: &str) -> Tag {
        Tag(Box::new(s.into()))
    }
}

impl From<String> for Tag {
    fn from(s: String) -> Tag {
        Tag(Box::new(s.into_boxed_str()))
    }
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Node>() == 48);

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// The node's own text: for a scalar, its quotes or block header included; for a
    /// collection, from its first to its last character.
    pub span: Span,
    /// A YAML tag as written, e.g. `!Sub`, `!!str`, `!GetAtt`.
    pub tag: Option<Tag>,
    pub style: ScalarStyle,
}

impl Node {
    pub fn new(value: Value, span: Span) -> Node {
        Node {
            value,
            span,
            tag: None,
            style: ScalarStyle::None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The text of any scalar: strings as they are, other scalars as YAML/JSON would print
    /// them. `None` for collections.
    pub fn scalar_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Bool(b) => Some(Cow::Owned(b.to_string())),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::Float(f) => Some(Cow::Owned(f.to_string())),
            Value::Null => Some(Cow::Borrowed("")),
            _ => None,
        }
    }

    /// The last entry whose key is the string `key` (exact match).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .rev()
            .find(|e| e.key.as_str() == Some(key))
    }

    /// The value of the last entry whose key is the string `key` (exact match).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The last entry whose key equals `key` ignoring ASCII case (IAM element names are
    /// case-sensitive, but condition keys are not).
    pub fn entry_ignore_case(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .rev()
            .find(|e| e.key.as_str().is_some_and(|k| k.eq_ignore_ascii_case(key)))
    }

    /// Follows a path of map keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut n = self;
        for k in keys {
            n = n.get(k)?;
        }
        Some(n)
    }

    /// The string at a path of map keys.
    pub fn str_at(&self, keys: &[&str]) -> Option<&str> {
        self.path(keys)?.as_str()
    }

    /// Map entries, or an empty slice for anything else.
    pub fn entries(&self) -> &[Entry] {
        self.as_map().unwrap_or(&[])
    }

    /// Sequence items; a scalar or map counts as a one-element list (IAM's "string or
    /// array" elements), null as none.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(s) => s,
            Value::Null => &[],
            _ => std::slice::from_ref(self),
        }
    }

    /// A short description of the node's type for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
        }
    }

    /// Visits this node and every descendant, keys included, depth-first. Generic rather
    /// than `dyn`: the walks of every tree (embedded JSON, duplicate keys) call `f` once per
    /// node, and an inlined closure costs a fraction of an indirect call.
    pub fn walk<'a, F: FnMut(&'a Node)>(&'a self, f: &mut F) {
        f(self);
        match &self.value {
            Value::Seq(items) => items.iter().for_each(|n| n.walk(f)),
            Value::Map(entries) => entries.iter().for_each(|e| {
                e.key.walk(f);
                e.value.walk(f);
            }),
            _ => {}
        }
    }
}

/// Appends to a loaded collection's items (a boxed slice: see [`Value`]). Rare: only
/// Terraform's evaluation builds some collections piece by piece.
pub fn extend<T>(items: &mut Box<[T]>, more: impl IntoIterator<Item = T>) {
    let mut v = std::mem::take(items).into_vec();
    v.extend(more);
    *items = v.into_boxed_slice();
}

/// One YAML document or one JSON file.
#[derive(Debug, Clone)]
pub struct Document {
    pub root: Node,
    /// 0-based position of the document in its stream.
    pub index: usize,
}
