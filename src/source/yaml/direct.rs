//! The common path: [`Node`]s built straight from the events, for documents without anchors
//! or aliases.

use std::ops::Range;

use saphyr_parser::Event;

use super::super::embedded::may_hold_json;
use super::super::file::Span;
use super::super::node::{Document, Entry, Node, ScalarStyle, Tag as NodeTag, Value};
use super::events::Events;
use super::merge::apply_merge_keys;
use super::scalar::{convert_style, scalar_value, tag_text};
use super::spans::skip_properties;
use super::{Abandon, Stream};

impl<'a> Stream<'a> {
    /// Builds [`Node`]s as the events come, with no intermediate arena: a collection's items
    /// are moved into it when it ends. Stops at the first anchor or alias.
    pub(super) fn load_chunk_direct(&mut self, chunk: Range<usize>) -> Result<(), Restart> {
        let text = self.text;
        let base = self.chunk_base(&chunk);
        let mut parser = Events::new(&text[chunk.clone()], self.limits.max_flow_run);
        let mut doc: Option<TreeBuilder> = None;
        let mut finished = 0;
        loop {
            let next = parser.next_event();
            if let Some(stopped) = parser.stopped() {
                let at = doc.as_ref().map_or(chunk.start, |d| d.start);
                let abandon = self.flow_run(base, stopped);
                self.abandon(abandon, at);
                return Ok(());
            }
            let (event, span) = match next {
                None => break,
                Some(Ok(next)) => next,
                Some(Err(error)) => {
                    let at = doc.as_ref().map_or(chunk.start, |d| d.start);
                    let open = doc
                        .as_ref()
                        .and_then(|d| d.frames.iter().rev().find(|f| f.flow))
                        .map(|f| f.start);
                    let abandon = self.scan_error(base, &error, open, chunk.end);
                    self.abandon(abandon, at);
                    return Ok(());
                }
            };
            let start = self.offset(base, span.start);
            let end = self.offset(base, span.end).max(start);
            match event {
                Event::StreamStart | Event::Nothing => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => doc = Some(TreeBuilder::new(start)),
                Event::DocumentEnd => {
                    if let Some(d) = doc.take() {
                        finished += 1;
                        self.finish_tree(d);
                        if self.stop {
                            return Ok(());
                        }
                    }
                }
                Event::Alias(_)
                | Event::Scalar(_, _, 1.., _)
                | Event::SequenceStart(1.., _)
                | Event::MappingStart(1.., _) => return Err(Restart { finished }),
                event => {
                    let Some(d) = doc.as_mut() else { continue };
                    if let Err(abandon) = self.feed_direct(d, event, start, end) {
                        let at = d.start;
                        self.abandon(abandon, at);
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }

    fn finish_tree(&mut self, d: TreeBuilder) {
        let Some(root) = d.root else { return };
        // An empty document (`---` alone, or comments) parses as an empty plain scalar.
        if !matches!(root.value, Value::Seq(_) | Value::Map(_))
            && root.tag.is_none()
            && root.span.is_empty()
        {
            return;
        }
        let Some(index) = self.next_index(d.start) else {
            return;
        };
        self.loaded.documents.push(Document { root, index });
    }

    fn feed_direct(
        &mut self,
        d: &mut TreeBuilder,
        event: Event<'_>,
        start: usize,
        end: usize,
    ) -> Result<(), Abandon> {
        match event {
            Event::Scalar(raw, style, _, tag) => {
                let span = self.scalar_span(start, end, tag.is_some(), style, &raw);
                let style = convert_style(style);
                let value = scalar_value(tag.as_deref(), style, &raw);
                if let Value::Str(s) = &value {
                    self.json_strings |= may_hold_json(s);
                }
                let node = Node {
                    value,
                    span,
                    tag: tag.as_deref().map_or(NodeTag::NONE, |t| tag_text(t).into()),
                    style,
                };
                d.attach(node);
            }
            Event::SequenceStart(_, ref tag) | Event::MappingStart(_, ref tag) => {
                if d.frames.len() >= self.limits.max_depth {
                    return Err(self.depth_limit(start));
                }
                let start = if tag.is_some() {
                    skip_properties(self.text, start, end)
                } else {
                    start
                };
                let flow = matches!(self.text.as_bytes().get(start), Some(b'[' | b'{'));
                let is_seq = matches!(event, Event::SequenceStart(..));
                let start = match d.frames.last() {
                    Some(parent) if is_seq && !flow && tag.is_none() => self.indentless_start_of(
                        start,
                        parent.flow,
                        parent.is_map && d.awaits_value(parent),
                        parent.start,
                    ),
                    _ => start,
                };
                d.frames.push(TreeFrame {
                    start,
                    tag: tag.as_deref().map_or(NodeTag::NONE, |t| tag_text(t).into()),
                    is_map: !is_seq,
                    flow,
                    base: d.items.len(),
                    last_end: start,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = d.frames.pop() else {
                    return Ok(());
                };
                // Block collections end with their last child; saphyr's block-end event sits
                // wherever the next token is.
                let end = if frame.flow { end } else { frame.last_end };
                let span = Span::new(self.file, frame.start, end.max(frame.start));
                let value = if frame.is_map {
                    if d.awaits_value(&frame) {
                        // Cannot happen with saphyr's events, but keep the key rather than
                        // lose it.
                        let key = d.items[d.items.len() - 1].clone();
                        d.items.push(key);
                    }
                    let entries = d.take_entries(frame.base);
                    if self.merge_keys {
                        Value::Map(apply_merge_keys(entries).into())
                    } else {
                        Value::Map(entries.into())
                    }
                } else {
                    // Collected into a `Vec` of exactly the items' length.
                    Value::Seq(d.items.drain(frame.base..).collect())
                };
                d.attach(Node {
                    value,
                    span,
                    tag: frame.tag,
                    style: ScalarStyle::None,
                });
            }
            Event::Alias(_)
            | Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
        }
        Ok(())
    }
}

/// A document with anchors or aliases: the chunk is loaded again through the arena, after the
/// `finished` documents the direct pass already loaded.
pub(super) struct Restart {
    pub(super) finished: usize,
}

/// The open collections of one document built directly from the events.
struct TreeBuilder {
    /// Where the document starts (its `---`, or its first token).
    start: usize,
    frames: Vec<TreeFrame>,
    /// The finished children of every open collection, innermost last (a mapping's keys and
    /// values alternate). One stack for the document: a collection's items are moved out
    /// into a `Vec` of their exact length when it ends, so no collection grows by doubling
    /// (copying itself each time, and keeping up to half its capacity unused for the rest of
    /// the run) and a mapping's items are not copied twice (items, then entries).
    items: Vec<Node>,
    root: Option<Node>,
}

/// An open sequence or mapping.
struct TreeFrame {
    start: usize,
    tag: NodeTag,
    is_map: bool,
    flow: bool,
    /// Where its items start in [`TreeBuilder::items`].
    base: usize,
    /// End of the last child as written here.
    last_end: usize,
}

impl TreeBuilder {
    fn new(start: usize) -> TreeBuilder {
        TreeBuilder {
            start,
            frames: Vec::new(),
            items: Vec::with_capacity(64),
            root: None,
        }
    }

    /// Whether `frame` (a mapping) holds a key still waiting for its value.
    fn awaits_value(&self, frame: &TreeFrame) -> bool {
        (self.items.len() - frame.base) % 2 == 1
    }

    /// Adds a completed node to the open collection, or makes it the root.
    fn attach(&mut self, node: Node) {
        let Some(frame) = self.frames.last_mut() else {
            self.root = Some(node);
            return;
        };
        frame.last_end = frame.last_end.max(node.span.end as usize);
        self.items.push(node);
    }

    /// The keys and values from `base` on, paired up as entries (an even count).
    fn take_entries(&mut self, base: usize) -> Vec<Entry> {
        let mut flat = self.items.drain(base..);
        let mut entries = Vec::with_capacity(flat.len() / 2);
        while let (Some(key), Some(value)) = (flat.next(), flat.next()) {
            entries.push(Entry { key, value });
        }
        entries
    }
}
