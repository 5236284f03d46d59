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
    /// variants apart), so `Value` is 8 bytes smaller (a monorepo's trees hold millions
    /// of nodes). Build them from a `Vec` with `.into()`.
    Seq(Box<[Node]>),
    Map(Box<[Entry]>),
}

/// A string node at `span`: what models and derived documents build (the text they generate
/// placed where the input that gave it is written).
pub fn str_node(s: impl Into<String>, span: Span) -> Node {
    let s: String = s.into();
    Node::new(Value::Str(s.into()), span)
}

/// A map entry whose key is placed where its value is.
pub fn entry(key: &str, value: Node) -> Entry {
    Entry {
        key: str_node(key, value.span),
        value,
    }
}

/// A map node of `entries` at `span`.
pub fn map(entries: Vec<Entry>, span: Span) -> Node {
    Node::new(Value::Map(entries.into()), span)
}

/// A sequence node of `items` at `span`.
pub fn seq(items: Vec<Node>, span: Span) -> Node {
    Node::new(Value::Seq(items.into()), span)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

/// A node's YAML tag as written (`!Sub`, `!!str`), one the loaders give (`!Unknown`), or none.
/// Three bytes: an index into a process-wide table of the distinct tag texts, 0 for none.
/// With the one-byte style beside it and the 12-byte span, a node is 40 bytes instead of the
/// 48 a pointer to the tag's text would make it (a monorepo's trees hold millions of nodes,
/// and nearly none has a tag). It reads like the `Option<&str>` it stands for
/// (`node.tag.as_deref() == Some("!Sub")`, `node.tag.is_none()`); equal texts are one index,
/// so tags compare as their texts do.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Tag([u8; 3]);

impl Tag {
    /// No tag.
    pub const NONE: Tag = Tag([0; 3]);

    fn index(self) -> usize {
        let [a, b, c] = self.0;
        u32::from_le_bytes([a, b, c, 0]) as usize
    }

    /// The tag's text, `None` without a tag.
    pub fn as_deref(&self) -> Option<&'static str> {
        match self.index() {
            0 => None,
            i => Some(tags::text(i)),
        }
    }

    pub fn is_some(&self) -> bool {
        self.index() != 0
    }

    pub fn is_none(&self) -> bool {
        self.index() == 0
    }

    /// The tag, leaving none in its place.
    pub fn take(&mut self) -> Tag {
        std::mem::take(self)
    }
}

impl std::fmt::Debug for Tag {
    /// As the `Option<&str>` it stands for.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.as_deref(), f)
    }
}

impl From<&str> for Tag {
    fn from(s: &str) -> Tag {
        let [a, b, c, _] = (tags::intern(s) as u32).to_le_bytes();
        Tag([a, b, c])
    }
}

impl From<String> for Tag {
    fn from(s: String) -> Tag {
        Tag::from(s.as_str())
    }
}

/// The process-wide table of tag texts behind [`Tag`]. Each distinct text is stored once
/// and kept for the whole run (a run meets a handful: `!Sub`, `!Ref`, `!Unknown`, ...).
mod tags {
    use std::collections::HashMap;
    use std::sync::{LazyLock, PoisonError, RwLock};

    /// Indexes fit in three bytes; 0 is no tag.
    const MAX: usize = (1 << 24) - 1;
    /// What the tags after the first `MAX - 1` distinct ones read as: only a hostile input
    /// of more than 16 million distinct tags reaches it, and none of the tags the models
    /// read is among them (they are met, so stored, long before).
    const OVERFLOW: &str = "!irsalint-too-many-distinct-tags";

    /// The tags Terraform's evaluation gives (`terraform::UNKNOWN_TAG`, `hcl::PARTIAL_TAG`)
    /// and CloudFormation's commonest: indexes 1 to `PRESET.len()`, read and interned
    /// without the table's lock (a Terraform configuration's values are full of unknowns,
    /// and every `is_unknown` reads its node's tag).
    const PRESET: [&str; 4] = ["!Unknown", "!Sub", "!Ref", "!GetAtt"];

    struct Table {
        index: HashMap<&'static str, usize>,
        /// `texts[i - 1]` is the text of index `i` (the presets first).
        texts: Vec<&'static str>,
    }

    static TABLE: LazyLock<RwLock<Table>> = LazyLock::new(|| {
        RwLock::new(Table {
            index: PRESET
                .iter()
                .enumerate()
                .map(|(i, t)| (*t, i + 1))
                .collect(),
            texts: PRESET.to_vec(),
        })
    });

    pub(super) fn text(i: usize) -> &'static str {
        if let Some(t) = PRESET.get(i.wrapping_sub(1)) {
            return t;
        }
        let table = TABLE.read().unwrap_or_else(PoisonError::into_inner);
        table.texts.get(i - 1).copied().unwrap_or(OVERFLOW)
    }

    pub(super) fn intern(s: &str) -> usize {
        if let Some(i) = PRESET.iter().position(|t| *t == s) {
            return i + 1;
        }
        if let Some(&i) = TABLE
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .index
            .get(s)
        {
            return i;
        }
        let mut table = TABLE.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(&i) = table.index.get(s) {
            return i;
        }
        if table.texts.len() + 1 >= MAX {
            return MAX;
        }
        let text: &'static str = Box::leak(s.into());
        table.texts.push(text);
        let i = table.texts.len();
        table.index.insert(text, i);
        i
    }
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Node>() == 40);

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// The node's own text: for a scalar, its quotes or block header included; for a
    /// collection, from its first to its last character.
    pub span: Span,
    /// A YAML tag as written, e.g. `!Sub`, `!!str`, `!GetAtt`.
    pub tag: Tag,
    pub style: ScalarStyle,
}

impl Node {
    pub fn new(value: Value, span: Span) -> Node {
        Node {
            value,
            span,
            tag: Tag::NONE,
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

/// Nodes by a byte offset of their file (the JSON parsed out of a string scalar, a policy
/// derived from a node). Most files have none: an empty one is a null pointer rather than
/// the 48 bytes of an empty `HashMap` (a file record holds two).
#[derive(Debug, Default, Clone)]
#[allow(clippy::box_collection)] // The box is the point: one pointer when empty.
pub struct NodesAt(Option<Box<std::collections::HashMap<u32, Node>>>);

impl NodesAt {
    pub fn get(&self, at: &u32) -> Option<&Node> {
        self.0.as_ref()?.get(at)
    }

    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|m| m.is_empty())
    }

    pub fn clear(&mut self) {
        self.0 = None;
    }

    pub fn values(&self) -> impl Iterator<Item = &Node> {
        self.0.iter().flat_map(|m| m.values())
    }
}

impl Extend<(u32, Node)> for NodesAt {
    fn extend<I: IntoIterator<Item = (u32, Node)>>(&mut self, items: I) {
        let mut items = items.into_iter().peekable();
        if items.peek().is_some() {
            self.0.get_or_insert_with(Default::default).extend(items);
        }
    }
}

/// One YAML document or one JSON file.
#[derive(Debug, Clone)]
pub struct Document {
    pub root: Node,
    /// 0-based position of the document in its stream.
    pub index: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_at_allocate_only_when_given_nodes() {
        let node = |at: usize| Node::new(Value::Int(at as i64), Span::new(0, at, at + 1));
        let mut m = NodesAt::default();
        m.extend(std::iter::empty());
        assert!(m.0.is_none() && m.is_empty());
        assert_eq!(m.get(&3), None);
        assert_eq!(m.values().count(), 0);
        m.extend([(3, node(3)), (7, node(7))]);
        assert!(!m.is_empty());
        assert_eq!(m.get(&3), Some(&node(3)));
        assert_eq!(m.get(&7), Some(&node(7)));
        assert_eq!(m.get(&4), None);
        m.extend([(3, node(30))]);
        assert_eq!(
            m.get(&3),
            Some(&node(30)),
            "a later node at the same offset wins"
        );
        let mut values: Vec<_> = m.values().map(|n| n.span.start).collect();
        values.sort();
        assert_eq!(values, [7, 30]);
        m.clear();
        assert!(m.0.is_none() && m.is_empty() && m.get(&7).is_none());
        // A file record holds two: one pointer each.
        assert_eq!(std::mem::size_of::<NodesAt>(), 8);
    }

    #[test]
    fn tags_read_and_compare_as_their_texts() {
        let sub = Tag::from("!Sub");
        assert_eq!(sub.as_deref(), Some("!Sub"));
        assert_eq!(Tag::from(String::from("!Sub")), sub);
        assert_ne!(Tag::from("!Ref"), sub);
        assert_eq!(Tag::from("!Ref").as_deref(), Some("!Ref"));
        // The preset tags and the others (stored when first met) alike.
        for t in [
            "!Unknown", "!Sub", "!Ref", "!GetAtt", "!Join", "!Custom", "!!str",
        ] {
            assert_eq!(Tag::from(t).as_deref(), Some(t));
            assert_eq!(Tag::from(t), Tag::from(t.to_string()));
        }
        assert_ne!(Tag::from("!Join"), Tag::from("!GetAtt"));
        assert_ne!(Tag::from("!Join"), Tag::from("!Unknown"));
        assert!(sub.is_some() && !sub.is_none());
        assert_eq!(Tag::NONE.as_deref(), None);
        assert!(Tag::NONE.is_none());
        assert_eq!(format!("{sub:?} {:?}", Tag::NONE), "Some(\"!Sub\") None");
        let mut node = Node::new(Value::Null, Span::default());
        node.tag = sub;
        assert_eq!(node.tag.take(), sub);
        assert!(node.tag.is_none());
    }
}
