//! YAML streams → span-preserving [`Node`](super::node::Node) trees, built from saphyr-parser events.
//!
//! - Each document in the common subset (block collections, plain and quoted scalars, block
//!   scalars, one-line flow collections, local tags) is read byte by byte straight into nodes by `fast`, which
//!   gives exactly what the saphyr path below gives or bails, leaving the whole document to
//!   it (`Limits::fast_yaml`; `fast_tests` holds the fast path to the saphyr path).
//! - The stream is split into documents at `---` lines before parsing (`documents`), and each
//!   document is parsed on its own, so one broken document does not hide the others (a `---`
//!   line at column 0 always ends the previous document in YAML, block scalars included).
//! - Markers are line/column based and converted to file-global byte offsets with the file's
//!   [`LineIndex`] semantics (`positions`: saphyr's `index` counts characters, not bytes), then
//!   corrected to each node's own text (`spans`).
//! - Most documents are built straight from the events (`direct`); a document with anchors or
//!   aliases is built into an arena first (`anchored`) and converted to [`Node`](super::node::Node)s with an
//!   explicit work stack: hostile nesting never recurses on the Rust stack, and aliases are
//!   expanded against a node budget that is checked before anything is copied.
//! - Scalars are typed under the core schema (`scalar`); merge keys are applied when a mapping
//!   ends (`merge`).
//!
//! `Document::index` counts the documents of the stream that are not empty, broken ones
//! included: empty and comment-only documents take no index, a document that fails to parse
//! takes one (so the indexes of the documents after it do not move when it is fixed).

mod anchored;
mod direct;
mod documents;
mod events;
mod fast;
#[cfg(test)]
mod fast_tests;
mod lenient;
mod merge;
mod positions;
mod scalar;
mod spans;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};

use saphyr_parser::{Marker, ScanError};

use super::file::{FileId, LineIndex, Span};
use super::node::Document;
use super::{Limits, LoadProblem, Loaded, ProblemKind};
use direct::Restart;
use documents::{is_blank_chunk, split_documents};
use positions::Positions;

/// saphyr-parser keeps its flow nesting level in a `u8` and fails with this message beyond 255.
const SAPHYR_RECURSION_MESSAGE: &str = "recursion limit exceeded";
const SAPHYR_FLOW_LIMIT: usize = 255;
const PARSER_PANIC_MESSAGE: &str = "the YAML parser failed on this document";

/// A merge key (`<<`, plain) is written as itself.
static MERGE_KEY: super::file::Needle = super::file::Needle::new("<<");

/// Loads a YAML stream. Never panics; problems are returned next to the documents that did load.
/// A document that fails only because a flow collection's lines sit at or left of the
/// enclosing block's indentation is read as libyaml and go-yaml read it (`lenient`).
pub fn load_yaml(file: FileId, text: &str, lines: &LineIndex, limits: &Limits) -> Loaded {
    let loaded = load_stream(file, text, lines, limits);
    lenient::retry(file, text, lines, limits, loaded, load_stream)
}

/// The strict reading of a YAML stream.
fn load_stream(file: FileId, text: &str, lines: &LineIndex, limits: &Limits) -> Loaded {
    let mut stream = Stream {
        file,
        text,
        limits,
        pos: Positions::new(text, lines),
        alias_nodes: 0,
        json_strings: false,
        merge_keys: MERGE_KEY.in_text(text),
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
        if limits.fast_yaml && body_start == 0 && stream.load_chunk_fast(chunk.clone()) {
            if stream.stop {
                break;
            }
            continue;
        }
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
    stream.loaded.no_json_strings = !stream.json_strings;
    stream.loaded
}

/// State of one stream: the output and what the limits count across documents.
struct Stream<'a> {
    file: FileId,
    text: &'a str,
    limits: &'a Limits,
    pos: Positions<'a>,
    /// Nodes copied by alias expansion so far in this file.
    alias_nodes: u64,
    /// Whether a string scalar may hold embedded JSON ([`Loaded::no_json_strings`]): set by
    /// the direct loader as it makes each string, and by the arena loader for any document.
    json_strings: bool,
    /// Whether the text holds `<<` at all: without it no mapping has a merge key, and the
    /// direct loader does not look for one in each mapping it ends.
    merge_keys: bool,
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
            // The arena's strings are not looked at one by one.
            self.json_strings = true;
            self.load_chunk_arena(chunk, finished);
        }
    }

    /// Reads the chunk with the fast path when it is within its subset: whether it did.
    fn load_chunk_fast(&mut self, chunk: Range<usize>) -> bool {
        // The document limit is reported by the saphyr path.
        if self.documents >= self.limits.max_documents {
            return false;
        }
        let (text, file, limits) = (self.text, self.file, self.limits);
        // A panic there would be a bug of the fast path: the saphyr path reads the chunk.
        let read = catch_unwind(|| {
            fast::read_chunk(
                file,
                text,
                chunk.start,
                chunk.end,
                limits.max_depth,
                limits.max_flow_run,
            )
        });
        let Ok(Ok(doc)) = read else { return false };
        let Some(index) = self.next_index(chunk.start) else {
            return false;
        };
        self.json_strings |= doc.json_strings;
        self.loaded.documents.push(Document {
            root: doc.root,
            index,
        });
        true
    }

    fn chunk_base(&self, chunk: &Range<usize>) -> ChunkBase {
        let (line, col) = self.pos.lines.line_col(self.text, chunk.start);
        ChunkBase {
            start: chunk.start,
            line,
            col: col - 1,
        }
    }

    /// Reports why a document was dropped; the document still takes its index.
    fn abandon(&mut self, abandon: Abandon, at: usize) {
        if self.next_index(at).is_some() {
            self.problem(abandon.kind, abandon.span, abandon.message);
        }
    }

    // Twice per event: kept inline in the event loop whatever the compiler's partitioning.
    #[inline]
    fn offset(&mut self, base: ChunkBase, m: Marker) -> usize {
        if self.pos.ascii {
            let at = (base.start + m.index()).min(self.text.len());
            // Past the last line (the end of the stream) the line walk clamps to the last
            // line's start; the index is the true end.
            // A lone CR breaks lines for saphyr but not for the line index, so the two
            // positions differ there; the index is the true one.
            #[cfg(debug_assertions)]
            if base.line + m.line().saturating_sub(1) <= self.pos.lines.line_count()
                && !self.pos.lone_cr
            {
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

    /// The guard of [`events`] ended the input at `at` (in the chunk).
    fn flow_run(&self, base: ChunkBase, at: usize) -> Abandon {
        Abandon {
            kind: ProblemKind::Limit,
            span: self.char_span(base.start + at),
            message: format!(
                "more than {} flow collection entries before the next node; not parsed (the YAML parser would hold them all in memory at once)",
                self.limits.max_flow_run
            ),
        }
    }

    /// A syntax error of the chunk that ends at `end`. `open_flow`: where the innermost flow
    /// collection still open at the error starts (its `[` or `{`).
    fn scan_error(
        &mut self,
        base: ChunkBase,
        error: &ScanError,
        open_flow: Option<usize>,
        end: usize,
    ) -> Abandon {
        let at = self.offset(base, *error.marker());
        let span = self.char_span(at);
        if error.info() == SAPHYR_RECURSION_MESSAGE {
            return Abandon {
                kind: ProblemKind::Limit,
                span,
                message: depth_message(self.limits.max_depth.min(SAPHYR_FLOW_LIMIT)),
            };
        }
        let message = error_message(error.info());
        // The lenient reading recognises the indentation errors by their text and position.
        let open_flow =
            open_flow.filter(|_| !lenient::INDENTATION_ERRORS.contains(&message.as_str()));
        let Some(open) = open_flow else {
            // saphyr notices a key without its `:` on a later line than the key: the key is
            // what to fix (xawei/EKSaC@c6f5f7c eksac-cluster01: a base64 value wrapped at
            // column 1 was reported at the line after its first broken line).
            if message == STALE_KEY_ERROR {
                if let Some((key, text)) = stale_key(self.text, at) {
                    // `state:latest` (Innfi/devops-tools@eca8158 es-docker.yaml): a `:` without a
                    // space after it is part of the key.
                    let glued = text
                        .split_once(':')
                        .filter(|(_, after)| after.starts_with(|c: char| c.is_alphanumeric()));
                    let message = match glued {
                        Some((before, after)) => format!(
                            "`{text}` is read as a mapping key, but no `:` follows it on its line: a `:` ends a key only before a space (`{before}: {after}`?)"
                        ),
                        None => format!(
                            "`{text}` is read as a mapping key, but no `:` follows it on its line (a forgotten `:`, or a continuation of the value above, which must be indented more than that value's key)"
                        ),
                    };
                    return Abandon {
                        kind: ProblemKind::Parse,
                        span: self.char_span(key),
                        message,
                    };
                }
            }
            return Abandon {
                kind: ProblemKind::Parse,
                span,
                message,
            };
        };
        let bracket = &self.text[open..open + 1];
        // An unclosed `[`/`{` makes saphyr read on to the end of the document and fail
        // there, a place that says nothing: the bracket is what to fix.
        if self
            .text
            .get(at..end)
            .is_some_and(|rest| rest.trim().is_empty())
        {
            return Abandon {
                kind: ProblemKind::Parse,
                span: self.char_span(open),
                message: format!(
                    "this `{bracket}` is never closed: {message} before the end of the document"
                ),
            };
        }
        // Elsewhere the error is where saphyr stopped (often the first line the open
        // collection swallowed); the bracket is named too.
        let (line, col) = self.pos.lines.line_col(self.text, open);
        Abandon {
            kind: ProblemKind::Parse,
            span,
            message: format!(
                "{message} (inside the `{bracket}` opened at line {line}, column {col})"
            ),
        }
    }

    fn depth_limit(&self, at: usize) -> Abandon {
        Abandon {
            kind: ProblemKind::Limit,
            span: self.char_span(at),
            message: depth_message(self.limits.max_depth),
        }
    }
}

/// saphyr's message for a possible mapping key still without its `:` when the scanner
/// reaches a later line.
const STALE_KEY_ERROR: &str = "simple key expect ':'";

/// The key saphyr's [`STALE_KEY_ERROR`] at `at` is about: the last line before `at`'s with
/// content (blank and comment-only lines hold no token), from its first character after the
/// indentation and any `- ` sequence indicators; with its text, cut to 40 characters.
fn stale_key(text: &str, at: usize) -> Option<(usize, String)> {
    let line_start = |i: usize| text[..i].rfind('\n').map_or(0, |n| n + 1);
    let mut end = line_start(at.min(text.len()));
    while end > 0 {
        let start = line_start(end - 1);
        let line = &text[start..end - 1];
        // Past the indentation and the sequence indicators (`- `) before the key.
        let mut key = line.trim_start_matches([' ', '\t']);
        while let Some(rest) = key.strip_prefix("- ").or_else(|| key.strip_prefix("-\t")) {
            key = rest.trim_start_matches([' ', '\t']);
        }
        let content = key.trim_end_matches(['\r', ' ', '\t']);
        if !content.is_empty() && !content.starts_with('#') {
            let shown = match content.char_indices().nth(40) {
                Some((i, _)) => format!("{}…", &content[..i]),
                None => content.to_string(),
            };
            return Some((start + line.len() - key.len(), shown));
        }
        end = start;
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
