//! YAML streams → span-preserving [`Node`] trees, built from saphyr-parser events.
//!
//! - The stream is split into documents at `---` lines before parsing, and each document is
//!   parsed on its own, so one broken document does not hide the others (a `---` line at
//!   column 0 always ends the previous document in YAML, block scalars included).
//! - Markers are line/column based and converted to file-global byte offsets with the file's
//!   [`LineIndex`] semantics (saphyr's `index` counts characters, not bytes).
//! - The tree is built iteratively into an arena, then converted to [`Node`]s with an explicit
//!   work stack: hostile nesting never recurses on the Rust stack, and aliases are expanded
//!   against a node budget that is checked before anything is copied.
//!
//! `Document::index` counts the documents of the stream that are not empty, broken ones
//! included: empty and comment-only documents take no index, a document that fails to parse
//! takes one (so the indexes of the documents after it do not move when it is fixed).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle as SaphyrStyle, ScanError, Tag};

use super::file::{FileId, LineIndex, Span};
use super::node::{Document, Entry, Node, ScalarStyle, Value};
use super::{Limits, LoadProblem, Loaded, ProblemKind};

/// saphyr-parser keeps its flow nesting level in a `u8` and fails with this message beyond 255.
const SAPHYR_RECURSION_MESSAGE: &str = "recursion limit exceeded";
const SAPHYR_FLOW_LIMIT: usize = 255;
const PARSER_PANIC_MESSAGE: &str = "the YAML parser failed on this document";

/// Loads a YAML stream. Never panics; problems are returned next to the documents that did load.
pub fn load_yaml(file: FileId, text: &str, lines: &LineIndex, limits: &Limits) -> Loaded {
    let mut stream = Stream {
        file,
        text,
        limits,
        pos: Positions::new(text, lines),
        alias_nodes: 0,
        documents: 0,
        stop: false,
        loaded: Loaded::default(),
    };
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for chunk in split_documents(text, lines, body_start) {
        if is_blank_chunk(&text[chunk.clone()]) {
            continue;
        }
        let start = chunk.start;
        // Last-resort guard: a panic inside the parser must not take the run down.
        let outcome = catch_unwind(AssertUnwindSafe(|| stream.load_chunk(chunk)));
        if outcome.is_err() {
            let span = stream.char_span(start);
            stream.problem(ProblemKind::Parse, span, PARSER_PANIC_MESSAGE);
        }
        if stream.stop {
            break;
        }
    }
    stream.loaded
}

/// Byte ranges of the documents of a stream: each starts at a `---` line (or at the start of
/// the text), with the `%` directive lines just before its `---` line.
fn split_documents(text: &str, lines: &LineIndex, body_start: usize) -> Vec<Range<usize>> {
    let line_text = |line: usize| {
        let start = if line == 1 {
            body_start
        } else {
            lines.line_start(line)
        };
        let end = if line < lines.line_count() {
            lines.line_start(line + 1)
        } else {
            text.len()
        };
        (start, &text[start.min(end)..end])
    };
    let mut starts = vec![body_start];
    let mut previous_marker_line = 0;
    for line in 1..=lines.line_count() {
        let (start, s) = line_text(line);
        // Concatenated files may carry a BOM before their `---`.
        if !is_marker_line(s.trim_start_matches('\u{feff}'), "---") {
            continue;
        }
        // Directives belong to the document their `---` opens; comments and blank lines may
        // sit between them.
        let mut boundary = start;
        let mut back = line - 1;
        while back > previous_marker_line {
            let (back_start, b) = line_text(back);
            let t = b.trim();
            if b.starts_with('%') {
                boundary = back_start;
            } else if !(t.is_empty() || t.starts_with('#')) {
                break;
            }
            back -= 1;
        }
        previous_marker_line = line;
        if boundary > body_start {
            starts.push(boundary);
        }
    }
    starts.dedup();
    let mut chunks = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        chunks.push(start..end);
    }
    chunks
}

/// A `---` or `...` marker at column 0, followed by a blank or the end of the line.
fn is_marker_line(line: &str, marker: &str) -> bool {
    line.starts_with(marker)
        && matches!(
            line.as_bytes().get(3),
            None | Some(b' ' | b'\t' | b'\n' | b'\r')
        )
}

/// Whitespace, comments, document markers and directives only: no document at all.
fn is_blank_chunk(chunk: &str) -> bool {
    chunk.lines().all(|line| {
        let line = line.trim_start_matches('\u{feff}');
        let rest = if is_marker_line(line, "---") || is_marker_line(line, "...") {
            &line[3..]
        } else if line.starts_with('%') {
            ""
        } else {
            line
        };
        let rest = rest.trim();
        rest.is_empty() || rest.starts_with('#')
    })
}

/// Converts saphyr markers (1-based line, 0-based character column) to byte offsets, with the
/// semantics of [`LineIndex::offset`], remembering the last position so that a long line is
/// not re-walked for every node on it.
struct Positions<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    /// In ASCII text a character index is a byte offset, so saphyr's marker index gives the
    /// position directly, without walking the line.
    ascii: bool,
    /// (line, column, byte) of the last conversion.
    last: (usize, usize, usize),
}

impl<'a> Positions<'a> {
    fn new(text: &'a str, lines: &'a LineIndex) -> Positions<'a> {
        Positions {
            text,
            lines,
            ascii: text.is_ascii(),
            last: (usize::MAX, 0, 0),
        }
    }

    fn offset(&mut self, line: usize, col: usize) -> usize {
        let (last_line, last_col, last_byte) = self.last;
        let (mut byte, mut c) = if last_line == line && last_col <= col {
            (last_byte, last_col)
        } else {
            (self.lines.line_start(line), 0)
        };
        while c < col {
            match self.text[byte..].chars().next() {
                None | Some('\n') => break,
                Some(ch) => {
                    byte += ch.len_utf8();
                    c += 1;
                }
            }
        }
        self.last = (line, c, byte);
        byte
    }
}

/// State of one stream: the output and what the limits count across documents.
struct Stream<'a> {
    file: FileId,
    text: &'a str,
    limits: &'a Limits,
    pos: Positions<'a>,
    /// Nodes copied by alias expansion so far in this file.
    alias_nodes: u64,
    /// Non-empty documents seen so far, broken ones included.
    documents: usize,
    stop: bool,
    loaded: Loaded,
}

/// Where a chunk sits in the file, to turn chunk-relative markers into file positions.
#[derive(Clone, Copy)]
struct ChunkBase {
    /// Byte offset of the chunk in the file.
    start: usize,
    line: usize,
    /// Characters between the start of the chunk's first line and the chunk (the BOM).
    col: usize,
}

/// Why a document was abandoned.
struct Abandon {
    kind: ProblemKind,
    span: Span,
    message: String,
}

impl<'a> Stream<'a> {
    fn problem(&mut self, kind: ProblemKind, span: Span, message: impl Into<String>) {
        self.loaded.problems.push(LoadProblem {
            kind,
            span,
            message: message.into(),
        });
    }

    /// A one-character span at `at` (empty at a line end or the end of the text).
    fn char_span(&self, at: usize) -> Span {
        let end = match self.text[at..].chars().next() {
            None | Some('\n' | '\r') => at,
            Some(c) => at + c.len_utf8(),
        };
        Span::new(self.file, at, end)
    }

    /// Takes the next document index, or reports the document limit and stops the stream.
    fn next_index(&mut self, at: usize) -> Option<usize> {
        if self.documents >= self.limits.max_documents {
            let span = self.char_span(at);
            let message = format!(
                "more than {} documents in the stream",
                self.limits.max_documents
            );
            self.problem(ProblemKind::Limit, span, message);
            self.stop = true;
            return None;
        }
        self.documents += 1;
        Some(self.documents - 1)
    }

    /// Loads the documents of one chunk. Nodes are built directly from the events; a document
    /// with anchors or aliases is loaded again through the arena, which expands aliases
    /// against a budget (few documents have any).
    fn load_chunk(&mut self, chunk: Range<usize>) {
        if let Err(Restart { finished }) = self.load_chunk_direct(chunk.clone()) {
            self.load_chunk_arena(chunk, finished);
        }
    }

    fn chunk_base(&self, chunk: &Range<usize>) -> ChunkBase {
        let (line, col) = self.pos.lines.line_col(self.text, chunk.start);
        ChunkBase {
            start: chunk.start,
            line,
            col: col - 1,
        }
    }

    /// Builds [`Node`]s as the events come, with no intermediate arena: a collection's items
    /// are moved into it when it ends. Stops at the first anchor or alias.
    fn load_chunk_direct(&mut self, chunk: Range<usize>) -> Result<(), Restart> {
        let text = self.text;
        let base = self.chunk_base(&chunk);
        let mut parser = Parser::new_from_str(&text[chunk.clone()]).keep_tags(true);
        let mut doc: Option<TreeBuilder> = None;
        let mut finished = 0;
        loop {
            let (event, span) = match parser.next_event() {
                None => break,
                Some(Ok(next)) => next,
                Some(Err(error)) => {
                    let at = doc.as_ref().map_or(chunk.start, |d| d.start);
                    let abandon = self.scan_error(base, &error);
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
                let value = match &tag {
                    Some(tag) => resolve_tagged(tag, &raw),
                    None if style == ScalarStyle::Plain => resolve_plain(&raw),
                    None => Value::Str(raw.into_owned()),
                };
                let node = Node {
                    value,
                    span,
                    tag: tag.as_deref().map(|t| tag_text(t).into()),
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
                        parent.is_map && parent.pending_key.is_some(),
                        parent.start,
                    ),
                    _ => start,
                };
                d.frames.push(TreeFrame {
                    start,
                    tag: tag.as_deref().map(|t| tag_text(t).into()),
                    is_map: !is_seq,
                    flow,
                    items: Chunked::default(),
                    pending_key: None,
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
                let mut items = frame.items.finish();
                let value = if frame.is_map {
                    if let Some(key) = frame.pending_key {
                        // Cannot happen with saphyr's events, but keep the key rather than
                        // lose it.
                        items.push(key.clone());
                        items.push(key);
                    }
                    Value::Map(apply_merge_keys(pair_up(items)))
                } else {
                    Value::Seq(items)
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

    fn load_chunk_arena(&mut self, chunk: Range<usize>, skip: usize) {
        let text = self.text;
        let base = self.chunk_base(&chunk);
        // Documents before the first anchor were loaded already by the direct pass.
        let mut skip = skip;
        let mut parser = Parser::new_from_str(&text[chunk.clone()]).keep_tags(true);
        let mut doc: Option<DocBuilder> = None;
        loop {
            let (event, span) = match parser.next_event() {
                None => break,
                Some(Ok(next)) => next,
                Some(Err(error)) => {
                    let at = doc.as_ref().map_or(chunk.start, |d| d.start);
                    let abandon = self.scan_error(base, &error);
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

    /// Reports why a document was dropped; the document still takes its index.
    fn abandon(&mut self, abandon: Abandon, at: usize) {
        if self.next_index(at).is_some() {
            self.problem(abandon.kind, abandon.span, abandon.message);
        }
    }

    fn offset(&mut self, base: ChunkBase, m: Marker) -> usize {
        if self.pos.ascii {
            let at = (base.start + m.index()).min(self.text.len());
            // Past the last line (the end of the stream) the line walk clamps to the last
            // line's start; the index is the true end.
            #[cfg(debug_assertions)]
            if base.line + m.line().saturating_sub(1) <= self.pos.lines.line_count() {
                assert_eq!(at, self.offset_by_line(base, m), "marker {m:?}");
            }
            return at;
        }
        self.offset_by_line(base, m)
    }

    fn offset_by_line(&mut self, base: ChunkBase, m: Marker) -> usize {
        let line = base.line + m.line().saturating_sub(1);
        let col = if m.line() <= 1 {
            base.col + m.col()
        } else {
            m.col()
        };
        self.pos.offset(line, col)
    }

    fn scan_error(&mut self, base: ChunkBase, error: &ScanError) -> Abandon {
        let at = self.offset(base, *error.marker());
        let span = self.char_span(at);
        if error.info() == SAPHYR_RECURSION_MESSAGE {
            return Abandon {
                kind: ProblemKind::Limit,
                span,
                message: depth_message(self.limits.max_depth.min(SAPHYR_FLOW_LIMIT)),
            };
        }
        Abandon {
            kind: ProblemKind::Parse,
            span,
            message: error_message(error.info()),
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
                let value = match &tag {
                    Some(tag) => resolve_tagged(tag, &raw),
                    None if style == ScalarStyle::Plain => resolve_plain(&raw),
                    None => Value::Str(raw.into_owned()),
                };
                let idx = d.push(Slot {
                    proto: Proto::Scalar(value),
                    span,
                    tag: tag.as_deref().map(|t| tag_text(t).into()),
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
                    tag: tag.as_deref().map(|t| tag_text(t).into()),
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
                    tag: None,
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

    /// [`Stream::indentless_start`] given the parent collection: whether it is a flow
    /// collection, whether it is a mapping waiting for the value of a key, and its start.
    fn indentless_start_of(
        &self,
        start: usize,
        parent_flow: bool,
        parent_awaits_value: bool,
        parent_start: usize,
    ) -> usize {
        if parent_flow || !parent_awaits_value {
            return start;
        }
        let before = self.text[..start].trim_end_matches([' ', '\t']);
        if !before.ends_with('-') {
            return start;
        }
        let dash = before.len() - 1;
        let column = |at: usize| {
            let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
            self.text[line_start..at].chars().count()
        };
        if column(dash) == column(parent_start) {
            dash
        } else {
            start
        }
    }

    fn depth_limit(&self, at: usize) -> Abandon {
        Abandon {
            kind: ProblemKind::Limit,
            span: self.char_span(at),
            message: depth_message(self.limits.max_depth),
        }
    }

    /// The scalar's own text: quotes included, block scalars from their indicator to the end
    /// of their content, without the tag or anchor in front of it.
    fn scalar_span(
        &self,
        start: usize,
        end: usize,
        has_props: bool,
        style: SaphyrStyle,
        raw: &str,
    ) -> Span {
        let text = self.text;
        let mut start = if has_props {
            skip_properties(text, start, end)
        } else {
            start
        };
        let mut end = end.max(start);
        match style {
            SaphyrStyle::Plain if raw.is_empty() => {
                // An implicit null: saphyr places it at the `:` before it, or at the next token.
                start = if has_props {
                    end
                } else if text[start..].starts_with(':') {
                    start + 1
                } else {
                    start
                };
                end = start;
            }
            SaphyrStyle::Literal | SaphyrStyle::Folded => {
                // saphyr's block scalar span starts at the first content line (at the
                // indicator only when there is no content before the end of the input).
                let at_indicator = matches!(text.as_bytes().get(start), Some(b'|' | b'>'))
                    && (has_props || raw.bytes().all(|b| b == b'\n'));
                if !at_indicator {
                    if let Some(indicator) = find_block_indicator(text, start) {
                        start = indicator;
                    }
                }
                // saphyr's span also covers the blank lines after the content.
                let trimmed = text[..end].trim_end_matches([' ', '\t', '\r', '\n']).len();
                let first_char_end = start + text[start..].chars().next().map_or(0, char::len_utf8);
                end = trimmed.max(first_char_end).min(end);
            }
            // saphyr's span of a quoted scalar followed by a comment runs to the comment's
            // end (`"1h" # note`): it ends at the closing quote.
            SaphyrStyle::SingleQuoted | SaphyrStyle::DoubleQuoted => {
                if let Some(close) = closing_quote(text, start, end) {
                    end = close + 1;
                }
            }
            _ => {}
        }
        Span::new(self.file, start, end)
    }
}

/// The byte offset of the quote that closes the quoted scalar opening at `start`, looked for
/// before `end`: `\"` is escaped in double quotes, `''` in single quotes.
fn closing_quote(text: &str, start: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(start)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let mut i = start + 1;
    while i < end.min(bytes.len()) {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn depth_message(limit: usize) -> String {
    format!("nesting deeper than {limit} levels")
}

/// saphyr's error text as our messages want it: lower-case start, no final period.
fn error_message(info: &str) -> String {
    let info = info.trim().trim_end_matches('.');
    let mut chars = info.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid YAML".into(),
    }
}

/// Skips tags, anchors, blanks and comments in front of a node's content.
fn skip_properties(text: &str, start: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    loop {
        while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'#') => {
                while !matches!(bytes.get(i), None | Some(b'\n')) {
                    i += 1;
                }
            }
            Some(b'!') if bytes.get(i + 1) == Some(&b'<') => {
                while !matches!(bytes.get(i), None | Some(b'>' | b'\n')) {
                    i += 1;
                }
                if bytes.get(i) == Some(&b'>') {
                    i += 1;
                }
            }
            Some(b'!' | b'&') => {
                while !matches!(
                    bytes.get(i),
                    None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}')
                ) {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    // `i` only stepped over ASCII bytes or to an ASCII delimiter, so it is a char boundary
    // unless a tag ran to a multi-byte character at `limit`; be safe either way.
    let mut i = i.min(limit.max(start));
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The block scalar indicator (`|`, `>-`, ...) of a block scalar whose content starts at
/// `content`: on the last non-blank line before it.
fn find_block_indicator(text: &str, content: usize) -> Option<usize> {
    let mut line_start = text[..content].rfind('\n').map_or(0, |i| i + 1);
    while line_start > 0 {
        let prev_end = line_start - 1;
        let prev_start = text[..prev_end].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[prev_start..prev_end];
        if line.trim().is_empty() {
            line_start = prev_start;
            continue;
        }
        return header_indicator(line).map(|i| prev_start + i);
    }
    None
}

/// Position of a block scalar header (`|`, `>`, with chomping and indentation indicators)
/// that ends `line`, possibly followed by a comment.
fn header_indicator(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len()).find(|&i| {
        if !matches!(bytes[i], b'|' | b'>') || (i > 0 && !matches!(bytes[i - 1], b' ' | b'\t')) {
            return false;
        }
        let mut j = i + 1;
        while matches!(bytes.get(j), Some(b'-' | b'+' | b'0'..=b'9')) {
            j += 1;
        }
        while matches!(bytes.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        matches!(bytes.get(j), None | Some(b'\r' | b'#'))
    })
}

fn convert_style(style: SaphyrStyle) -> ScalarStyle {
    match style {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

/// A tag as written: `!Sub`, `!!str`, `!`, `!<verbatim>`, or a `%TAG` prefix and suffix.
fn tag_text(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else if tag.handle.is_empty() {
        if tag.suffix == "!" {
            "!".into()
        } else {
            format!("!<{}>", tag.suffix)
        }
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// A plain scalar under the YAML 1.2 core schema.
fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    // Numbers start with a digit, a sign or a dot; most scalars are words, so skip the
    // number parsers for them.
    if !matches!(s.as_bytes()[0], b'0'..=b'9' | b'-' | b'+' | b'.') {
        return Value::Str(s.to_owned());
    }
    parse_int(s)
        .or_else(|| parse_float(s).map(Value::Float))
        .unwrap_or_else(|| Value::Str(s.to_owned()))
}

/// A tagged scalar: core-schema tags convert when they can; any other tag (`!Sub`, `!Ref`,
/// the non-specific `!`) keeps the text as a string.
fn resolve_tagged(tag: &Tag, s: &str) -> Value {
    if !tag.is_yaml_core_schema() {
        return Value::Str(s.to_owned());
    }
    let converted = match tag.suffix.as_str() {
        "null" => Some(Value::Null),
        "bool" => match resolve_plain(s) {
            v @ Value::Bool(_) => Some(v),
            _ => None,
        },
        "int" => parse_int(s),
        "float" => parse_float(s)
            .or_else(|| match parse_int(s) {
                Some(Value::Int(i)) => Some(i as f64),
                _ => None,
            })
            .map(Value::Float),
        _ => None,
    };
    converted.unwrap_or_else(|| Value::Str(s.to_owned()))
}

/// Core-schema integers: decimal with an optional sign, `0o` octal, `0x` hex. Decimals too
/// large for i64 become floats; octal and hex ones stay strings.
fn parse_int(s: &str) -> Option<Value> {
    if let Some(digits) = s.strip_prefix("0o") {
        if !digits.is_empty() && digits.bytes().all(|b| matches!(b, b'0'..=b'7')) {
            return Some(
                i64::from_str_radix(digits, 8).map_or_else(|_| Value::Str(s.into()), Value::Int),
            );
        }
        return None;
    }
    if let Some(digits) = s.strip_prefix("0x") {
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(
                i64::from_str_radix(digits, 16).map_or_else(|_| Value::Str(s.into()), Value::Int),
            );
        }
        return None;
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match s.parse::<i64>() {
        Ok(i) => Value::Int(i),
        Err(_) => s
            .parse::<f64>()
            .map_or_else(|_| Value::Str(s.into()), Value::Float),
    })
}

/// Core-schema floats: `[-+]? (\.[0-9]+ | [0-9]+ (\.[0-9]*)?) ([eE][-+]?[0-9]+)?`, `.inf`,
/// `.nan`.
fn parse_float(s: &str) -> Option<f64> {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let negative = s.starts_with('-');
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            return Some(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        }
        ".nan" | ".NaN" | ".NAN" if unsigned.len() == s.len() => return Some(f64::NAN),
        _ => {}
    }
    let b = unsigned.as_bytes();
    let digits = |mut i: usize| {
        let from = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i, i - from)
    };
    let (mut i, int_digits) = digits(0);
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        (i, frac_digits) = digits(i + 1);
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let (j, exp_digits) = digits(i);
        if exp_digits == 0 {
            return None;
        }
        i = j;
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok()
}

/// A document with anchors or aliases: the chunk is loaded again through the arena, after the
/// `finished` documents the direct pass already loaded.
struct Restart {
    finished: usize,
}

/// The open collections of one document built directly from the events.
struct TreeBuilder {
    /// Where the document starts (its `---`, or its first token).
    start: usize,
    frames: Vec<TreeFrame>,
    root: Option<Node>,
}

/// An open sequence or mapping (a mapping's keys and values alternate in `items`).
struct TreeFrame {
    start: usize,
    tag: Option<Box<str>>,
    is_map: bool,
    flow: bool,
    items: Chunked<Node>,
    pending_key: Option<Node>,
    /// End of the last child as written here.
    last_end: usize,
}

impl TreeBuilder {
    fn new(start: usize) -> TreeBuilder {
        TreeBuilder {
            start,
            frames: Vec::new(),
            root: None,
        }
    }

    /// Adds a completed node to the open collection, or makes it the root.
    fn attach(&mut self, node: Node) {
        let Some(frame) = self.frames.last_mut() else {
            self.root = Some(node);
            return;
        };
        frame.last_end = frame.last_end.max(node.span.end as usize);
        if !frame.is_map {
            frame.items.push(node);
        } else if let Some(key) = frame.pending_key.take() {
            frame.items.push(key);
            frame.items.push(node);
        } else {
            frame.pending_key = Some(node);
        }
    }
}

/// Keys and values, alternating, as entries.
fn pair_up(flat: Vec<Node>) -> Vec<Entry> {
    let mut entries = Vec::with_capacity(flat.len() / 2);
    let mut flat = flat.into_iter();
    while let (Some(key), Some(value)) = (flat.next(), flat.next()) {
        entries.push(Entry { key, value });
    }
    entries
}

/// A growing list stored in bounded chunks, moved into one exactly sized `Vec` at the end:
/// a sequence of millions of items never goes through the doubling reallocations of one
/// `Vec` (each copying the whole list, with up to half its capacity unused).
struct Chunked<T> {
    full: Vec<Vec<T>>,
    last: Vec<T>,
}

/// Items per chunk once the first chunk is full (small collections stay in one `Vec`).
const CHUNK: usize = 1 << 14;

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            full: Vec::new(),
            last: Vec::new(),
        }
    }
}

impl<T> Chunked<T> {
    fn push(&mut self, item: T) {
        if self.last.len() == CHUNK {
            let next = Vec::with_capacity(CHUNK);
            self.full.push(std::mem::replace(&mut self.last, next));
        }
        self.last.push(item);
    }

    fn finish(self) -> Vec<T> {
        if self.full.is_empty() {
            return self.last;
        }
        let total = self.full.len() * CHUNK + self.last.len();
        let mut out = Vec::with_capacity(total);
        // Each chunk is freed as soon as it is moved.
        for chunk in self.full {
            out.extend(chunk);
        }
        out.extend(self.last);
        out
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
    tag: Option<Box<str>>,
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
                        let tag = if shared {
                            slot.tag.clone()
                        } else {
                            slot.tag.take()
                        };
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
                out.push(collection(&arena[idx as usize], Value::Seq(items)));
            }
            Work::Map { idx, len } => {
                let mut flat = out.split_off(out.len() - 2 * len).into_iter();
                let mut entries = Vec::with_capacity(len);
                while let (Some(key), Some(value)) = (flat.next(), flat.next()) {
                    entries.push(Entry { key, value });
                }
                let entries = apply_merge_keys(entries);
                out.push(collection(&arena[idx as usize], Value::Map(entries)));
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
        tag: slot.tag.clone(),
        style: ScalarStyle::None,
    }
}

/// `<<: *base` / `<<: [*a, *b]` / `<<: {..}`: the merged mappings' entries whose keys the
/// mapping does not define itself are inserted where the merge key was (earlier sources win
/// over later ones), as Kubernetes' YAML library does. A `<<` whose value is not a mapping or
/// a list of mappings stays an ordinary entry.
fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries.iter().any(is_merge) {
        return entries;
    }
    let mut defined: HashSet<(u8, String)> = entries
        .iter()
        .filter(|e| !is_merge(e))
        .filter_map(|e| key_identity(&e.key))
        .collect();
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        if !is_merge(&entry) {
            out.push(entry);
            continue;
        }
        let sources: Vec<Vec<Entry>> = match entry.value.value {
            Value::Map(m) => vec![m],
            Value::Seq(items) => items
                .into_iter()
                .filter_map(|n| match n.value {
                    Value::Map(m) => Some(m),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for source in sources {
            let mut from_this = Vec::new();
            for e in source {
                match key_identity(&e.key) {
                    Some(id) if defined.contains(&id) => {}
                    Some(id) => {
                        from_this.push(id);
                        out.push(e);
                    }
                    None => out.push(e),
                }
            }
            defined.extend(from_this);
        }
    }
    out
}

fn is_merge(entry: &Entry) -> bool {
    let key = &entry.key;
    key.style == ScalarStyle::Plain
        && key.as_str() == Some("<<")
        && key.tag.as_deref().is_none_or(|t| t == "!!merge")
        && match &entry.value.value {
            Value::Map(_) => true,
            Value::Seq(items) => items.iter().all(|n| n.as_map().is_some()),
            _ => false,
        }
}

/// A scalar key's type and text, to compare keys; collection keys are never equal.
fn key_identity(key: &Node) -> Option<(u8, String)> {
    let kind = match key.value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Int(_) => 2,
        Value::Float(_) => 3,
        Value::Str(_) => 4,
        Value::Seq(_) | Value::Map(_) => return None,
    };
    Some((kind, key.scalar_text()?.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with(text: &str, limits: &Limits) -> Loaded {
        load_yaml(7, text, &LineIndex::new(text), limits)
    }

    fn load(text: &str) -> Loaded {
        load_with(text, &Limits::default())
    }

    /// (line, column, spanned text) of a span, as reports will show it.
    fn at(text: &str, span: Span) -> (usize, usize, &str) {
        assert_eq!(span.file, 7);
        let (line, col) = LineIndex::new(text).line_col(text, span.start as usize);
        (line, col, &text[span.range()])
    }

    /// The value node of a top-level key of a document.
    fn get<'a>(doc: &'a Document, key: &str) -> &'a Node {
        doc.root.get(key).unwrap_or_else(|| panic!("no key {key}"))
    }

    #[test]
    fn block_map_keys_and_values_have_exact_spans() {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let doc = &loaded.documents[0];
        assert_eq!(doc.index, 0);
        let root = &doc.root;
        assert_eq!(at(text, root.span), (1, 1, text.trim_end()));
        let kind = root.entry("kind").unwrap();
        assert_eq!(at(text, kind.key.span), (2, 1, "kind"));
        assert_eq!(at(text, kind.value.span), (2, 7, "ServiceAccount"));
        assert_eq!(kind.value.style, ScalarStyle::Plain);
        let metadata = root.get("metadata").unwrap();
        assert_eq!(
            at(text, metadata.span),
            (4, 3, &text[text.find("name: app").unwrap()..text.len() - 1])
        );
        let annotation = metadata
            .path(&["annotations"])
            .unwrap()
            .entry("eks.amazonaws.com/role-arn")
            .unwrap();
        assert_eq!(
            at(text, annotation.key.span),
            (6, 5, "eks.amazonaws.com/role-arn")
        );
        assert_eq!(
            at(text, annotation.value.span),
            (6, 33, "arn:aws:iam::111122223333:role/app")
        );
    }

    #[test]
    fn third_document_positions_are_file_global() {
        let text = "a: 1\n---\nb: 2\n---\n# third\nc:\n  d: [x, y]\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty());
        assert_eq!(loaded.documents.len(), 3);
        let third = &loaded.documents[2];
        assert_eq!(third.index, 2);
        let d = third.root.path(&["c", "d"]).unwrap();
        assert_eq!(at(text, d.span), (7, 6, "[x, y]"));
        assert_eq!(at(text, d.items()[1].span), (7, 10, "y"));
    }

    #[test]
    fn quoted_scalars_end_at_their_closing_quote_before_a_comment() {
        let text = "a: \"1h\" # note\nb: 'it''s' # more\nc: \"x\\\"y\"  # q\n";
        let lines = LineIndex::new(text);
        let loaded = load_yaml(0, text, &lines, &Limits::default());
        let root = &loaded.documents[0].root;
        let span_of = |k: &str| {
            let n = root.get(k).unwrap();
            &text[n.span.start as usize..n.span.end as usize]
        };
        assert_eq!(span_of("a"), "\"1h\"");
        assert_eq!(span_of("b"), "'it''s'");
        assert_eq!(span_of("c"), "\"x\\\"y\"");
    }

    #[test]
    fn flow_collections_and_quoted_scalars() {
        let text =
            "m: {a: 'x', \"b\": [1, \"two\", {c: ~}], d: []}\ns: ['it''s', \"\\u00e9\\n\"]\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let doc = &loaded.documents[0];
        let m = get(doc, "m");
        assert_eq!(at(text, m.span), (1, 4, &text[3..text.find('\n').unwrap()]));
        let a = m.get("a").unwrap();
        assert_eq!(at(text, a.span), (1, 8, "'x'"));
        assert_eq!(a.style, ScalarStyle::SingleQuoted);
        let b = m.entry("b").unwrap();
        assert_eq!(at(text, b.key.span), (1, 13, "\"b\""));
        assert_eq!(b.key.style, ScalarStyle::DoubleQuoted);
        assert_eq!(at(text, b.value.span), (1, 18, "[1, \"two\", {c: ~}]"));
        assert_eq!(at(text, b.value.items()[1].span), (1, 22, "\"two\""));
        assert_eq!(at(text, b.value.items()[2].span), (1, 29, "{c: ~}"));
        assert!(b.value.items()[2].get("c").unwrap().is_null());
        assert_eq!(at(text, m.get("d").unwrap().span), (1, 41, "[]"));
        let s = get(doc, "s");
        assert_eq!(s.items()[0].as_str(), Some("it's"));
        assert_eq!(at(text, s.items()[0].span), (2, 5, "'it''s'"));
        assert_eq!(s.items()[1].as_str(), Some("é\n"));
        assert_eq!(at(text, s.items()[1].span), (2, 14, "\"\\u00e9\\n\""));
    }

    #[test]
    fn block_scalars_span_from_indicator_to_end_of_content() {
        let text = "a: |\n  line one\n  line two\n\nb: >-  # folded\n\n  x\n  y\nc: &s |2\n   z\nd:\n  - |+\n    kept\n\n  - end\ne: |\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let doc = &loaded.documents[0];
        let a = get(doc, "a");
        assert_eq!(a.as_str(), Some("line one\nline two\n"));
        assert_eq!(a.style, ScalarStyle::Literal);
        assert_eq!(at(text, a.span), (1, 4, "|\n  line one\n  line two"));
        let b = get(doc, "b");
        assert_eq!(b.as_str(), Some("\nx y"));
        assert_eq!(b.style, ScalarStyle::Folded);
        assert_eq!(at(text, b.span), (5, 4, ">-  # folded\n\n  x\n  y"));
        assert_eq!(at(text, get(doc, "c").span), (9, 7, "|2\n   z"));
        let d = get(doc, "d");
        assert_eq!(at(text, d.span), (12, 3, "- |+\n    kept\n\n  - end"));
        assert_eq!(d.items()[0].as_str(), Some("kept\n\n"));
        assert_eq!(at(text, d.items()[0].span), (12, 5, "|+\n    kept"));
        let e = get(doc, "e");
        assert_eq!((e.as_str(), at(text, e.span)), (Some(""), (16, 4, "|")));
    }

    #[test]
    fn tags_are_kept_as_written_and_values_untransformed() {
        let text = "Resources:\n  Role:\n    Properties:\n      A: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"\n      B: !GetAtt Provider.Arn\n      C: !Ref Param\n      D: !Join [ \":\", [ a, !Ref B ] ]\n      E: !Sub\n        - \"${X}\"\n        - { X: !Ref Y }\n      F: !!str 123\n      G: !Sub |\n        ${X}\n      H: !!int \"7\"\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let p = loaded.documents[0]
            .root
            .path(&["Resources", "Role", "Properties"])
            .unwrap();
        let node = |k: &str| p.get(k).unwrap();
        let a = node("A");
        assert_eq!(a.tag.as_deref(), Some("!Sub"));
        assert_eq!(
            a.as_str(),
            Some("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
        );
        assert_eq!(
            at(text, a.span),
            (
                4,
                15,
                "\"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\""
            )
        );
        assert_eq!(node("B").tag.as_deref(), Some("!GetAtt"));
        assert_eq!(at(text, node("B").span), (5, 18, "Provider.Arn"));
        assert_eq!(node("C").tag.as_deref(), Some("!Ref"));
        assert_eq!(node("C").as_str(), Some("Param"));
        let d = node("D");
        assert_eq!(d.tag.as_deref(), Some("!Join"));
        assert_eq!(at(text, d.span), (7, 16, "[ \":\", [ a, !Ref B ] ]"));
        let inner = &d.items()[1].items()[1];
        assert_eq!(inner.tag.as_deref(), Some("!Ref"));
        assert_eq!(at(text, inner.span), (7, 33, "B"));
        let e = node("E");
        assert_eq!(e.tag.as_deref(), Some("!Sub"));
        assert_eq!(at(text, e.span).0, 9);
        assert_eq!(e.items()[1].get("X").unwrap().tag.as_deref(), Some("!Ref"));
        assert_eq!(node("F").tag.as_deref(), Some("!!str"));
        assert_eq!(node("F").value, Value::Str("123".into()));
        let g = node("G");
        assert_eq!(
            (g.tag.as_deref(), g.as_str()),
            (Some("!Sub"), Some("${X}\n"))
        );
        assert_eq!(at(text, g.span), (12, 15, "|\n        ${X}"));
        assert_eq!(node("H").value, Value::Int(7));
    }

    #[test]
    fn crlf_positions() {
        let text = "a: 1\r\nb:\r\n  c: \"x\"\r\n---\r\nd: |\r\n  t\r\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let c = loaded.documents[0].root.path(&["b", "c"]).unwrap();
        assert_eq!(at(text, c.span), (3, 6, "\"x\""));
        assert_eq!(
            at(text, loaded.documents[0].root.span),
            (1, 1, "a: 1\r\nb:\r\n  c: \"x\"")
        );
        let d = loaded.documents[1].root.get("d").unwrap();
        assert_eq!(d.as_str(), Some("t\n"));
        assert_eq!(at(text, d.span), (5, 4, "|\r\n  t"));
    }

    #[test]
    fn bom_is_skipped_and_positions_stay_right() {
        let text = "\u{feff}a: x\nb: y\n---\nc: z\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let a = loaded.documents[0].root.entry("a").unwrap();
        assert_eq!(a.key.as_str(), Some("a"));
        // The BOM is a character of line 1: `a` is in column 2.
        assert_eq!(at(text, a.key.span), (1, 2, "a"));
        assert_eq!(at(text, a.value.span), (1, 5, "x"));
        assert_eq!(
            at(text, loaded.documents[1].root.get("c").unwrap().span),
            (4, 4, "z")
        );
        assert!(load("\u{feff}").documents.is_empty());
        assert!(load("\u{feff}").problems.is_empty());
    }

    #[test]
    fn duplicate_keys_are_kept_in_order() {
        let text = "a: 1\nb: 2\na: 3\n";
        let loaded = load(text);
        let entries = loaded.documents[0].root.entries();
        let keys: Vec<_> = entries.iter().map(|e| at(text, e.key.span)).collect();
        assert_eq!(keys, [(1, 1, "a"), (2, 1, "b"), (3, 1, "a")]);
        assert_eq!(loaded.documents[0].root.get("a").unwrap().as_i64(), Some(3));
        assert!(loaded.problems.is_empty());
    }

    #[test]
    fn aliases_copy_the_anchored_node_with_its_spans() {
        let text = "labels: &l {app: web}\nselector: *l\nname: &n api\nother: *n\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty());
        let doc = &loaded.documents[0];
        assert_eq!(get(doc, "selector"), get(doc, "labels"));
        assert_eq!(at(text, get(doc, "selector").span), (1, 12, "{app: web}"));
        assert_eq!(get(doc, "other").as_str(), Some("api"));
        assert_eq!(at(text, get(doc, "other").span), (3, 10, "api"));
        // The root ends at the alias, not at the anchor it copies.
        assert_eq!(at(text, doc.root.span).2, text.trim_end());
    }

    #[test]
    fn merge_keys_insert_entries_not_defined_explicitly() {
        let text = "base: &base\n  a: 1\n  b: 2\nmore: &more {b: 20, c: 30}\nx:\n  <<: *base\n  b: 3\ny:\n  <<: [*more, *base]\n  d: 4\nz: {<<: {e: 5}, f: 6}\nw:\n  <<: 1\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let doc = &loaded.documents[0];
        let pairs = |n: &Node| -> Vec<(String, i64)> {
            n.entries()
                .iter()
                .map(|e| {
                    (
                        e.key.as_str().unwrap().to_string(),
                        e.value.as_i64().unwrap(),
                    )
                })
                .collect()
        };
        let owned = |v: &[(&str, i64)]| -> Vec<(String, i64)> {
            v.iter().map(|(k, i)| (k.to_string(), *i)).collect()
        };
        assert_eq!(pairs(get(doc, "x")), owned(&[("a", 1), ("b", 3)]));
        assert_eq!(
            pairs(get(doc, "y")),
            owned(&[("b", 20), ("c", 30), ("a", 1), ("d", 4)])
        );
        assert_eq!(pairs(get(doc, "z")), owned(&[("e", 5), ("f", 6)]));
        // Merged entries keep the anchor's spans.
        let a = get(doc, "x").entry("a").unwrap();
        assert_eq!(at(text, a.key.span), (2, 3, "a"));
        // Not a mapping: an ordinary entry.
        assert_eq!(get(doc, "w").get("<<").unwrap().as_i64(), Some(1));
    }

    #[test]
    fn alias_bomb_hits_the_limit_quickly() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
            .windows(2)
            .map(|w| (w[0], w[1]))
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        text.push_str("---\nok: 1\n");
        let loaded = load(&text);
        assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
        let p = &loaded.problems[0];
        assert_eq!(p.kind, ProblemKind::Limit);
        assert_eq!(
            p.message,
            "alias expansion exceeds the limit of 100000 nodes (possible billion laughs)"
        );
        let (line, _, spanned) = at(&text, p.span);
        assert_eq!((line, spanned), (6, "*e"));
        // The bomb is dropped; the next document still loads, with the next index.
        assert_eq!(loaded.documents.len(), 1);
        assert_eq!(loaded.documents[0].index, 1);

        let small = Limits {
            max_alias_nodes: 3,
            ..Limits::default()
        };
        let loaded = load_with("a: &a [1, 2]\nb: *a\nc: *a\n", &small);
        assert_eq!(loaded.problems[0].kind, ProblemKind::Limit);
        assert_eq!(
            at("a: &a [1, 2]\nb: *a\nc: *a\n", loaded.problems[0].span),
            (3, 4, "*a")
        );
        assert!(loaded.documents.is_empty());
    }

    #[test]
    fn deep_nesting_is_a_limit_not_a_stack_overflow() {
        let text = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let loaded = load(&text);
        assert!(loaded.documents.is_empty());
        assert_eq!(loaded.problems.len(), 1);
        let p = &loaded.problems[0];
        assert_eq!(p.kind, ProblemKind::Limit);
        // saphyr stops flow nesting at 255 levels, before our own limit of 256.
        assert_eq!(p.message, "nesting deeper than 255 levels");
        assert_eq!(at(&text, p.span), (1, 259, "["));

        let text = "- ".repeat(10_000) + "x\n";
        let loaded = load(&text);
        assert_eq!(loaded.problems[0].message, "nesting deeper than 256 levels");
        assert_eq!(at(&text, loaded.problems[0].span).1, 2 * 256 + 1);

        let text: String = (0..5_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let loaded = load(&text);
        assert_eq!(loaded.problems[0].kind, ProblemKind::Limit);
        assert_eq!(at(&text, loaded.problems[0].span).0, 257);

        // Exactly at the limit is fine, and aliases cannot smuggle in extra depth.
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        assert!(load_with("a: {b: [1]}\n", &limits).problems.is_empty());
        let loaded = load_with("a: &x {b: [1]}\nc: [*x]\n", &limits);
        assert_eq!(loaded.problems[0].message, "nesting deeper than 3 levels");
        assert_eq!(
            at("a: &x {b: [1]}\nc: [*x]\n", loaded.problems[0].span).2,
            "*"
        );
    }

    #[test]
    fn broken_document_does_not_stop_the_others() {
        let text = "kind: A\n---\nkind: B\n  bad: indent\n---\nkind: C\n";
        let loaded = load(text);
        let kinds: Vec<_> = loaded
            .documents
            .iter()
            .map(|d| (d.index, d.root.str_at(&["kind"]).unwrap()))
            .collect();
        assert_eq!(kinds, [(0, "A"), (2, "C")]);
        assert_eq!(loaded.problems.len(), 1);
        let p = &loaded.problems[0];
        assert_eq!(p.kind, ProblemKind::Parse);
        assert_eq!(p.message, "mapping values are not allowed in this context");
        assert_eq!(at(text, p.span), (4, 6, ":"));

        let text = "a: [1, 2\n---\nb: \"open\n";
        let loaded = load(text);
        assert!(loaded.documents.is_empty());
        let found: Vec<_> = loaded
            .problems
            .iter()
            .map(|p| (p.kind, at(text, p.span).0))
            .collect();
        assert_eq!(found, [(ProblemKind::Parse, 2), (ProblemKind::Parse, 3)]);
        for p in &loaded.problems {
            assert!(!p.message.ends_with('.'));
            assert!(!p.message.starts_with(char::is_uppercase));
        }

        let loaded = load("a: *nope\n");
        assert_eq!(loaded.problems[0].kind, ProblemKind::Parse);
        assert_eq!(at("a: *nope\n", loaded.problems[0].span).1, 4);
        let loaded = load("a: &x [*x]\n");
        assert_eq!(loaded.problems[0].kind, ProblemKind::Parse);
        assert!(loaded.problems[0].message.contains("recursive alias"));
    }

    #[test]
    fn empty_documents_produce_nothing() {
        for text in [
            "",
            "\n\n",
            "---",
            "---\n",
            "---\n---\n...\n",
            "# only a comment\n",
            "--- # comment\n# more\n---\n",
            "%YAML 1.2\n---\n",
        ] {
            let loaded = load(text);
            assert!(loaded.documents.is_empty(), "{text:?}");
            assert!(
                loaded.problems.is_empty(),
                "{text:?}: {:?}",
                loaded.problems
            );
        }
        let text = "# header\n---\n---\n# nothing\n---\na: 1\n---\n";
        let loaded = load(text);
        assert_eq!(loaded.documents.len(), 1);
        assert_eq!(loaded.documents[0].index, 0);
        assert_eq!(at(text, loaded.documents[0].root.span), (6, 1, "a: 1"));
        // An explicit null is a document.
        assert_eq!(load("--- ~\n").documents.len(), 1);
        assert_eq!(load("--- null\n").documents[0].root.value, Value::Null);
    }

    #[test]
    fn directives_and_document_end_markers() {
        let text = "a: 1\n...\n%YAML 1.2\n%TAG !e! tag:example.com,2000:\n---\nb: !e!x 2\n...\n---\nc: 3\n...\nd: 4\n";
        let loaded = load(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let docs: Vec<_> = loaded
            .documents
            .iter()
            .map(|d| (d.index, d.root.entries()[0].key.as_str().unwrap()))
            .collect();
        assert_eq!(docs, [(0, "a"), (1, "b"), (2, "c"), (3, "d")]);
        let b = loaded.documents[1].root.get("b").unwrap();
        assert_eq!(b.tag.as_deref(), Some("tag:example.com,2000:x"));
        assert_eq!(at(text, b.span), (6, 9, "2"));
        assert_eq!(at(text, loaded.documents[3].root.span), (11, 1, "d: 4"));
    }

    #[test]
    fn too_many_documents() {
        let limits = Limits {
            max_documents: 2,
            ..Limits::default()
        };
        let text = "a: 1\n---\n---\nb: 2\n---\nc: 3\n---\nd: 4\n";
        let loaded = load_with(text, &limits);
        assert_eq!(loaded.documents.len(), 2);
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].kind, ProblemKind::Limit);
        assert_eq!(
            loaded.problems[0].message,
            "more than 2 documents in the stream"
        );
        assert_eq!(at(text, loaded.problems[0].span), (5, 1, "-"));
    }

    #[test]
    fn core_schema_resolution() {
        let text = "[~, null, Null, NULL, !!null , true, True, TRUE, false, FALSE, yes, 12, -3, +4, 0o17, 0x1F, 0xFFFFFFFFFFFFFFFFF, 99999999999999999999, 1.5, 1e3, -.5, .inf, -.Inf, .NaN, 1_000, 0o, '1', \"true\", !!str 1, !!int 0x10, !!float 2, !!bool true, !!null x, !!int zz, !Ref 5]";
        let loaded = load(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let values: Vec<_> = loaded.documents[0]
            .root
            .items()
            .iter()
            .map(|n| match &n.value {
                Value::Float(f) if f.is_nan() => "NaN".to_string(),
                v => format!("{v:?}"),
            })
            .collect();
        let expected = [
            "Null",
            "Null",
            "Null",
            "Null",
            "Null",
            "Bool(true)",
            "Bool(true)",
            "Bool(true)",
            "Bool(false)",
            "Bool(false)",
            "Str(\"yes\")",
            "Int(12)",
            "Int(-3)",
            "Int(4)",
            "Int(15)",
            "Int(31)",
            "Str(\"0xFFFFFFFFFFFFFFFFF\")",
            "Float(1e20)",
            "Float(1.5)",
            "Float(1000.0)",
            "Float(-0.5)",
            "Float(inf)",
            "Float(-inf)",
            "NaN",
            "Str(\"1_000\")",
            "Str(\"0o\")",
            "Str(\"1\")",
            "Str(\"true\")",
            "Str(\"1\")",
            "Int(16)",
            "Float(2.0)",
            "Bool(true)",
            "Null",
            "Str(\"zz\")",
            "Str(\"5\")",
        ];
        assert_eq!(values, expected);
    }

    #[test]
    fn positions_match_line_index_offset() {
        let text = "é: [ünï, cödé]\r\nb: x\n";
        let lines = LineIndex::new(text);
        let mut pos = Positions::new(text, &lines);
        for (line, col) in [
            (1, 0),
            (1, 3),
            (1, 9),
            (1, 30),
            (2, 0),
            (1, 5),
            (2, 3),
            (3, 0),
            (9, 2),
        ] {
            assert_eq!(
                pos.offset(line, col),
                lines.offset(text, line, col),
                "{line}:{col}"
            );
        }
    }

    const MANIFEST: &str = "# service account
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: prod
  annotations:
    eks.amazonaws.com/role-arn: \"arn:aws:iam::111122223333:role/app\"
    eks.amazonaws.com/audience: 'sts.amazonaws.com'
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: &labels {app: web, tier: front}}
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels:
        <<: *labels
        extra: \"yes\"
    spec:
      serviceAccountName: app
      containers:
        - name: web
          image: nginx:1.27
          env:
            - {name: AWS_REGION, value: eu-west-1}
          command: [\"sh\", \"-c\"]
          args:
            - |
              echo hello
              exec nginx
---
AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub |
        {\"Version\": \"2012-10-17\", \"Statement\": []}
      Arn: !GetAtt Provider.Arn
      Tags: !Join [\":\", [a, !Ref B]]
...
";

    /// Every span lies in the text, on character boundaries, start before end.
    fn check_spans(text: &str, node: &Node) {
        let mut check = |n: &Node| {
            assert!(n.span.start <= n.span.end);
            assert!(n.span.end as usize <= text.len());
            assert!(text.is_char_boundary(n.span.start as usize));
            assert!(text.is_char_boundary(n.span.end as usize));
        };
        node.walk(&mut check);
    }

    #[test]
    fn manifest_fixture_loads() {
        let loaded = load(MANIFEST);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        assert_eq!(loaded.documents.len(), 3);
        let labels = loaded.documents[1]
            .root
            .path(&["spec", "template", "metadata", "labels"])
            .unwrap();
        let keys: Vec<_> = labels
            .entries()
            .iter()
            .map(|e| e.key.as_str().unwrap())
            .collect();
        assert_eq!(keys, ["app", "tier", "extra"]);
        let script = loaded.documents[1]
            .root
            .path(&["spec", "template", "spec", "containers"])
            .unwrap()
            .items()[0]
            .get("args")
            .unwrap()
            .items()[0]
            .clone();
        assert_eq!(
            at(MANIFEST, script.span).2,
            "|\n              echo hello\n              exec nginx"
        );
        for d in &loaded.documents {
            check_spans(MANIFEST, &d.root);
        }
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 as usize
        }
    }

    #[test]
    fn mutated_input_never_panics() {
        const PIECES: &[&str] = &[
            "[",
            "]",
            "{",
            "}",
            ":",
            ": ",
            "- ",
            "---\n",
            "...\n",
            "\n",
            " ",
            "  ",
            "\t",
            "'",
            "\"",
            "&a ",
            "*a",
            "*labels",
            "!Sub ",
            "!!str ",
            "|",
            ">-",
            "#",
            "%YAML 1.2\n",
            "<<: ",
            "é",
            "\r\n",
            "\\",
            "? ",
            ",",
            "\u{feff}",
            "0x",
            "!<",
            "&",
            "*",
            "!",
        ];
        let limits = Limits {
            max_alias_nodes: 1000,
            max_depth: 64,
            ..Limits::default()
        };
        let seed = std::env::var("YAML_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok());
        let mut rng = Rng(seed.unwrap_or(0x9e37_79b9_7f4a_7c15));
        let rounds = std::env::var("YAML_FUZZ_ROUNDS")
            .ok()
            .and_then(|s| s.parse().ok());
        for _ in 0..rounds.unwrap_or(1500) {
            let mut text = MANIFEST.to_string();
            for _ in 0..(1 + rng.next() % 4) {
                let mut at = rng.next() % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match rng.next() % 5 {
                    0 => text.truncate(at),
                    1 => {
                        let mut end = (at + rng.next() % 40).min(text.len());
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        text.replace_range(at..end, "");
                    }
                    _ => text.insert_str(at, PIECES[rng.next() % PIECES.len()]),
                }
            }
            let loaded = load_with(&text, &limits);
            for d in &loaded.documents {
                check_spans(&text, &d.root);
            }
            for p in &loaded.problems {
                assert!(p.span.start <= p.span.end && p.span.end as usize <= text.len());
                assert!(!p.message.is_empty());
                // The panic guard must stay a last resort.
                assert_ne!(p.message, PARSER_PANIC_MESSAGE, "{text:?}");
            }
        }
    }
}
