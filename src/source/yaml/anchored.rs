//! Documents with anchors or aliases: built into an arena of slots first, so that an alias is
//! a reference until the tree is built and its expansion is counted against the budget before
//! anything is copied.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::Event;

use super::super::file::Span;
use super::super::node::{Document, Entry, Node, ScalarStyle, Tag as NodeTag, Value};
use super::super::ProblemKind;
use super::events::Events;
use super::merge::apply_merge_keys;
use super::scalar::{convert_style, scalar_value, tag_text};
use super::spans::skip_properties;
use super::{Abandon, Stream};

impl<'a> Stream<'a> {
    pub(super) fn load_chunk_arena(&mut self, chunk: Range<usize>, skip: usize) {
        let text = self.text;
        let base = self.chunk_base(&chunk);
        // Documents before the first anchor were loaded already by the direct pass.
        let mut skip = skip;
        let mut parser = Events::new(&text[chunk.clone()], self.limits.max_flow_run);
        let mut doc: Option<DocBuilder> = None;
        loop {
            let next = parser.next_event();
            if let Some(stopped) = parser.stopped() {
                let at = doc.as_ref().map_or(chunk.start, |d| d.start);
                let abandon = self.flow_run(base, stopped);
                self.abandon(abandon, at);
                return;
            }
            let (event, span) = match next {
                None => break,
                Some(Ok(next)) => next,
                Some(Err(error)) => {
                    let at = doc.as_ref().map_or(chunk.start, |d| d.start);
                    let open = doc.as_ref().and_then(|d| {
                        let f = d.frames.iter().rev().find(|f| f.flow)?;
                        Some(d.arena[f.slot as usize].span.start as usize)
                    });
                    let abandon = self.scan_error(base, &error, open, chunk.end);
                    self.abandon(abandon, at);
                    return;
                }
            };
            let start = self.offset(base, span.start);
            let end = self.offset(base, span.end).max(start);
            match event {
                Event::StreamStart | Event::Nothing => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    // About one node per 16 bytes of YAML: spares most arena regrowth.
                    doc = Some(DocBuilder::with_capacity(start, chunk.len() / 16))
                }
                Event::DocumentEnd => {
                    if let Some(d) = doc.take() {
                        if skip > 0 {
                            skip -= 1;
                            continue;
                        }
                        self.finish_document(d);
                        if self.stop {
                            return;
                        }
                    }
                }
                event => {
                    let Some(d) = doc.as_mut() else { continue };
                    if let Err(abandon) = self.feed(d, event, start, end) {
                        let at = d.start;
                        self.abandon(abandon, at);
                        return;
                    }
                }
            }
        }
    }

    fn finish_document(&mut self, mut d: DocBuilder) {
        let Some(root) = d.root else { return };
        // An empty document (`---` alone, or comments) parses as an empty plain scalar.
        let slot = &d.arena[root as usize];
        if matches!(slot.proto, Proto::Scalar(_)) && slot.tag.is_none() && slot.span.is_empty() {
            return;
        }
        let Some(index) = self.next_index(d.start) else {
            return;
        };
        let root = build_tree(&mut d.arena, root);
        self.loaded.documents.push(Document { root, index });
    }

    fn feed(
        &mut self,
        d: &mut DocBuilder,
        event: Event<'_>,
        start: usize,
        end: usize,
    ) -> Result<(), Abandon> {
        match event {
            Event::Scalar(raw, style, anchor, tag) => {
                let has_props = anchor > 0 || tag.is_some();
                let span = self.scalar_span(start, end, has_props, style, &raw);
                let style = convert_style(style);
                let value = scalar_value(tag.as_deref(), style, &raw);
                let idx = d.push(Slot {
                    proto: Proto::Scalar(value),
                    span,
                    tag: tag.as_deref().map_or(NodeTag::NONE, |t| tag_text(t).into()),
                    style,
                    size: 1,
                    height: 0,
                    anchored: anchor > 0,
                });
                d.attach(idx, span.end as usize);
                if anchor > 0 {
                    d.anchors.insert(anchor, idx);
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if d.frames.len() >= self.limits.max_depth {
                    return Err(self.depth_limit(start));
                }
                let has_props = anchor > 0 || tag.is_some();
                let start = if has_props {
                    skip_properties(self.text, start, end)
                } else {
                    start
                };
                let flow = matches!(self.text.as_bytes().get(start), Some(b'[' | b'{'));
                let is_seq = matches!(event, Event::SequenceStart(..));
                let start = if is_seq && !flow && !has_props {
                    self.indentless_start(d, start)
                } else {
                    start
                };
                let idx = d.push(Slot {
                    proto: if is_seq {
                        Proto::Seq(Vec::new())
                    } else {
                        Proto::Map(Vec::new())
                    },
                    span: Span::empty(self.file, start),
                    tag: tag.as_deref().map_or(NodeTag::NONE, |t| tag_text(t).into()),
                    style: ScalarStyle::None,
                    size: 1,
                    height: 1,
                    anchored: anchor > 0,
                });
                d.frames.push(Frame {
                    slot: idx,
                    anchor,
                    flow,
                    pending_key: None,
                    last_end: start,
                    size: 0,
                    height: 0,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = d.frames.pop() else {
                    return Ok(());
                };
                // Block collections end with their last child; saphyr's block-end event sits
                // wherever the next token is.
                let end = if frame.flow { end } else { frame.last_end };
                let slot = &mut d.arena[frame.slot as usize];
                let start = slot.span.start as usize;
                slot.span = Span::new(self.file, start, end.max(start));
                slot.size = frame.size.saturating_add(1);
                slot.height = frame.height + 1;
                if let (Proto::Map(entries), Some(key)) = (&mut slot.proto, frame.pending_key) {
                    // Cannot happen with saphyr's events, but keep the key rather than lose it.
                    entries.push((key, key));
                }
                d.attach(frame.slot, end);
                if frame.anchor > 0 {
                    d.anchors.insert(frame.anchor, frame.slot);
                }
            }
            Event::Alias(id) => {
                let span = Span::new(self.file, start, end);
                let Some(&target) = d.anchors.get(&id) else {
                    let recursive = d.frames.iter().any(|f| f.anchor == id);
                    return Err(Abandon {
                        kind: ProblemKind::Parse,
                        span,
                        message: if recursive {
                            "found an alias inside the node it refers to (recursive alias)"
                        } else {
                            "found an alias to an anchor of another document"
                        }
                        .into(),
                    });
                };
                let (size, height) = {
                    let t = &d.arena[target as usize];
                    (t.size, t.height)
                };
                self.alias_nodes = self.alias_nodes.saturating_add(size);
                if self.alias_nodes > self.limits.max_alias_nodes as u64 {
                    return Err(Abandon {
                        kind: ProblemKind::Limit,
                        span,
                        message: format!(
                            "alias expansion exceeds the limit of {} nodes (possible billion laughs)",
                            self.limits.max_alias_nodes
                        ),
                    });
                }
                if d.frames.len() + height > self.limits.max_depth {
                    return Err(self.depth_limit(start));
                }
                let idx = d.push(Slot {
                    proto: Proto::Alias(target),
                    span,
                    tag: NodeTag::NONE,
                    style: ScalarStyle::None,
                    size,
                    height,
                    anchored: false,
                });
                d.attach(idx, end);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
        }
        Ok(())
    }

    /// saphyr starts an indentless sequence (`key:\n- a`, the `-` in the key's column) after
    /// its first `- `; move the start back to that `-`.
    fn indentless_start(&self, d: &DocBuilder, start: usize) -> usize {
        let Some(parent) = d.frames.last() else {
            return start;
        };
        let parent_slot = &d.arena[parent.slot as usize];
        self.indentless_start_of(
            start,
            parent.flow,
            matches!(parent_slot.proto, Proto::Map(_)) && parent.pending_key.is_some(),
            parent_slot.span.start as usize,
        )
    }
}

/// The nodes of one document while it is being parsed. Children are arena indexes, so that an
/// alias is a reference until the tree is built, and anchored nodes are never copied early.
struct DocBuilder {
    /// Where the document starts (its `---`, or its first token).
    start: usize,
    arena: Vec<Slot>,
    frames: Vec<Frame>,
    /// saphyr anchor id → arena index of the completed anchored node.
    anchors: HashMap<usize, u32>,
    root: Option<u32>,
}

enum Proto {
    Scalar(Value),
    Seq(Vec<u32>),
    /// Key and value indexes.
    Map(Vec<(u32, u32)>),
    /// The arena index of the anchored node.
    Alias(u32),
}

struct Slot {
    proto: Proto,
    span: Span,
    tag: NodeTag,
    style: ScalarStyle,
    /// Nodes in the expanded subtree (what copying it costs).
    size: u64,
    /// Collection levels in the expanded subtree (0 for a scalar).
    height: usize,
    /// Referenced by aliases: its subtree is copied, not moved, into the tree.
    anchored: bool,
}

/// An open sequence or mapping.
struct Frame {
    slot: u32,
    anchor: usize,
    flow: bool,
    pending_key: Option<u32>,
    /// End of the last child as written here (for an alias, the alias itself).
    last_end: usize,
    size: u64,
    height: usize,
}

impl DocBuilder {
    fn with_capacity(start: usize, nodes: usize) -> DocBuilder {
        DocBuilder {
            start,
            arena: Vec::with_capacity(nodes),
            frames: Vec::new(),
            anchors: HashMap::new(),
            root: None,
        }
    }

    fn push(&mut self, slot: Slot) -> u32 {
        self.arena.push(slot);
        (self.arena.len() - 1) as u32
    }

    /// Adds a completed node to the open collection, or makes it the root.
    fn attach(&mut self, idx: u32, end: usize) {
        let (size, height) = {
            let s = &self.arena[idx as usize];
            (s.size, s.height)
        };
        let Some(frame) = self.frames.last_mut() else {
            self.root = Some(idx);
            return;
        };
        frame.size = frame.size.saturating_add(size);
        frame.height = frame.height.max(height);
        frame.last_end = frame.last_end.max(end);
        match &mut self.arena[frame.slot as usize].proto {
            Proto::Seq(items) => items.push(idx),
            Proto::Map(entries) => match frame.pending_key.take() {
                Some(key) => entries.push((key, idx)),
                None => frame.pending_key = Some(idx),
            },
            Proto::Scalar(_) | Proto::Alias(_) => {}
        }
    }
}

/// Builds the [`Node`] tree of a document from its arena, expanding aliases and merge keys.
/// Iterative: the depth was bounded while parsing, but the Rust stack is not used per level.
fn build_tree(arena: &mut [Slot], root: u32) -> Node {
    enum Work {
        Enter { idx: u32, shared: bool },
        Seq { idx: u32, len: usize },
        Map { idx: u32, len: usize },
    }
    let mut work = vec![Work::Enter {
        idx: root,
        shared: false,
    }];
    let mut out: Vec<Node> = Vec::new();
    while let Some(item) = work.pop() {
        match item {
            Work::Enter { idx, shared } => {
                let (idx, shared) = match arena[idx as usize].proto {
                    Proto::Alias(target) => (target, true),
                    _ => (idx, shared),
                };
                // Nodes reachable from an anchor may be visited again: copy them, move the rest.
                let shared = shared || arena[idx as usize].anchored;
                let slot = &mut arena[idx as usize];
                match &mut slot.proto {
                    Proto::Scalar(value) => {
                        let value = if shared {
                            value.clone()
                        } else {
                            std::mem::replace(value, Value::Null)
                        };
                        let tag = if shared { slot.tag } else { slot.tag.take() };
                        out.push(Node {
                            value,
                            span: slot.span,
                            tag,
                            style: slot.style,
                        });
                    }
                    Proto::Seq(items) => {
                        work.push(Work::Seq {
                            idx,
                            len: items.len(),
                        });
                        for &child in items.iter().rev() {
                            work.push(Work::Enter { idx: child, shared });
                        }
                    }
                    Proto::Map(entries) => {
                        work.push(Work::Map {
                            idx,
                            len: entries.len(),
                        });
                        for &(key, value) in entries.iter().rev() {
                            work.push(Work::Enter { idx: value, shared });
                            work.push(Work::Enter { idx: key, shared });
                        }
                    }
                    // An anchor is never on an alias, so a target is never an alias.
                    Proto::Alias(_) => out.push(Node::new(Value::Null, slot.span)),
                }
            }
            Work::Seq { idx, len } => {
                let items = out.split_off(out.len() - len);
                out.push(collection(&arena[idx as usize], Value::Seq(items.into())));
            }
            Work::Map { idx, len } => {
                let mut flat = out.split_off(out.len() - 2 * len).into_iter();
                let mut entries = Vec::with_capacity(len);
                while let (Some(key), Some(value)) = (flat.next(), flat.next()) {
                    entries.push(Entry { key, value });
                }
                let entries = apply_merge_keys(entries);
                out.push(collection(&arena[idx as usize], Value::Map(entries.into())));
            }
        }
    }
    out.pop()
        .unwrap_or_else(|| Node::new(Value::Null, arena[root as usize].span))
}

fn collection(slot: &Slot, value: Value) -> Node {
    Node {
        value,
        span: slot.span,
        tag: slot.tag,
        style: ScalarStyle::None,
    }
}
