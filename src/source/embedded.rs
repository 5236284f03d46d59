//! Text inside a string scalar (a JSON policy in a YAML block or in a JSON string, an INI
//! file in a Secret), parsed and mapped back to positions in the outer file.
//!
//! The loaders only keep a scalar's decoded value and its span. To map a position in the
//! value back to the file, the scalar's source text is decoded again here, recording for
//! every decoded byte where it came from. The result is trusted only when it equals the
//! loader's value; otherwise callers fall back to the scalar's span, which is coarse but
//! never wrong.

use std::ops::Range;

use super::file::{FileId, Span};
use super::json::parse_json_node;
use super::node::{Node, ScalarStyle, Value};
use super::{Limits, LoadProblem, ProblemKind};

/// The decoded content of a string scalar and, for each byte of it, the byte offset in the
/// file.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    pub text: String,
    /// File offset where each byte of `text` comes from.
    offsets: Vec<u32>,
    /// File offset just past the source of each byte: past the whole escape for an escaped
    /// character, past the line break for a line break or a folded space. A span that ends
    /// on an escaped quote then covers the whole `\"`.
    ends: Vec<u32>,
    /// File offset of the end of the content (before the closing quote, or after the last
    /// content character of a block).
    end: u32,
}

impl OffsetMap {
    /// File offset of a byte offset into `text` (offset == text.len() maps to the end).
    pub fn to_file(&self, inner: usize) -> usize {
        match self.offsets.get(inner) {
            Some(&at) => at as usize,
            None => self.end as usize,
        }
    }

    /// The file span of a range of `text`: from where its first byte comes from to just past
    /// the source of its last byte. An empty range maps to an empty span.
    pub fn span(&self, file: FileId, inner: Range<usize>) -> Span {
        let start = self.to_file(inner.start);
        let end = if inner.end > inner.start {
            match self.ends.get(inner.end - 1) {
                Some(&e) => e as usize,
                None => self.end as usize,
            }
        } else {
            start
        };
        Span::new(file, start, end.max(start))
    }
}

/// Collects decoded text together with its source offsets.
#[derive(Default)]
struct Builder {
    text: String,
    offsets: Vec<u32>,
    ends: Vec<u32>,
}

impl Builder {
    /// A character copied from the file at `at`: each of its bytes maps to itself.
    fn copy(&mut self, c: char, at: usize) {
        for k in 0..c.len_utf8() {
            self.offsets.push((at + k) as u32);
            self.ends.push((at + k + 1) as u32);
        }
        self.text.push(c);
    }

    /// A character produced by the source text `from..to` (an escape, a line break).
    fn produced(&mut self, c: char, from: usize, to: usize) {
        for _ in 0..c.len_utf8() {
            self.offsets.push(from as u32);
            self.ends.push(to as u32);
        }
        self.text.push(c);
    }

    fn finish(self, end: usize) -> OffsetMap {
        OffsetMap {
            text: self.text,
            offsets: self.offsets,
            ends: self.ends,
            end: end as u32,
        }
    }
}

/// Whether a string scalar may hold embedded JSON (the load stage parses those): trimmed, it
/// starts with `{` and ends with `}`.
#[inline]
pub fn may_hold_json(s: &str) -> bool {
    // Nearly every string starts with a character that is neither whitespace nor `{`:
    // decided on its first byte, without trimming it.
    if s.as_bytes()
        .first()
        .is_some_and(|&b| b != b'{' && b.is_ascii() && !char::from(b).is_whitespace())
    {
        return false;
    }
    let t = s.trim();
    t.len() >= 2 && t.starts_with('{') && t.ends_with('}')
}

/// Re-decodes the scalar's source text (`file_text[node.span]`) according to `node.style`
/// and returns the map, or `None` when the node is not a string, its span does not cover
/// exactly the scalar text, or the re-decoded text differs from the parser's value (then
/// callers fall back to the node's span).
///
/// Block scalar spans must start at the `|`/`>` indicator; the block's end is found from
/// the indentation, so the span's end does not matter for them. Quoted scalar spans include
/// the quotes. A leading tag or anchor (`!Sub "..."`) is skipped.
pub fn decode(file_text: &str, node: &Node) -> Option<OffsetMap> {
    let value = node.as_str()?;
    let start = node.span.start as usize;
    let src = file_text.get(start..node.span.end as usize)?;
    let (src, start) = skip_properties(src, start);
    let map = match node.style {
        ScalarStyle::Literal | ScalarStyle::Folded => {
            let indicator = if node.style == ScalarStyle::Literal {
                '|'
            } else {
                '>'
            };
            if !src.starts_with(indicator) {
                return None;
            }
            decode_block(file_text, start, node.style == ScalarStyle::Folded, value)?
        }
        ScalarStyle::Plain
        | ScalarStyle::SingleQuoted
        | ScalarStyle::DoubleQuoted
        | ScalarStyle::Json => decode_flow(src, start, node.style)?,
        ScalarStyle::None => return None,
    };
    (map.text == value).then_some(map)
}

/// Skips YAML node properties (`!tag`, `&anchor`) in front of the scalar, in case a loader's
/// span includes them.
fn skip_properties(mut src: &str, mut start: usize) -> (&str, usize) {
    while src.starts_with(['!', '&']) {
        let word = src.find(char::is_whitespace).unwrap_or(src.len());
        let rest = src[word..].trim_start();
        start += src.len() - rest.len();
        src = rest;
    }
    (src, start)
}

/// Where template markup `{{` makes the JSON a string holds invalid, as a span of the outer
/// file: the JSON parser fails at a `{{` where a key or value belongs (a Go or Jinja
/// template, or Python `str.format` text, which doubles the braces of the JSON it renders:
/// the AWS CLI's wizard definitions, `trust_policy: value: |` with `{{ "Version": … }}`, as
/// vendored in tecnicocefet/mini-curso-devops-na-nuvem@4a8ea9f0 kubernetes/aws/dist), or
/// inside a `{{ … }}` action whose quoted argument ends a JSON string. `None` when the text is
/// JSON or fails for another reason (a real parse error).
pub fn template_markup(
    file: FileId,
    file_text: &str,
    node: &Node,
    limits: &Limits,
) -> Option<Span> {
    let value = node.as_str()?;
    let map = decode(file_text, node);
    let text = map.as_ref().map_or(value, |m| m.text.as_str());
    let at = parse_json_node(file, text, limits).err()?.span.start as usize;
    let markup = super::template::json_template(text, at)
        .or_else(|| super::template::template_in_string(text, at))?;
    Some(match &map {
        Some(m) => m.span(file, markup..markup + 2),
        // Not re-decoded: the scalar as a whole, as other embedded problems are placed.
        None => node.span,
    })
}

/// Parses the JSON inside a string node; all spans of the returned Node (and of the
/// problem) are positions in the outer file.
///
/// When the scalar cannot be re-decoded (see [`decode`]), the node's value is parsed and
/// every span is the node's whole span.
pub fn parse_embedded_json(
    file: FileId,
    file_text: &str,
    node: &Node,
    limits: &Limits,
) -> Result<Node, LoadProblem> {
    let Some(value) = node.as_str() else {
        return Err(LoadProblem {
            kind: ProblemKind::Parse,
            span: node.span,
            message: format!(
                "expected a string holding JSON, found a {}",
                node.type_name()
            ),
        });
    };
    match decode(file_text, node) {
        Some(map) => match parse_json_node(file, &map.text, limits) {
            Ok(mut inner) => {
                remap(&mut inner, file, &map);
                Ok(inner)
            }
            Err(mut problem) => {
                problem.span = map.span(file, problem.span.range());
                Err(problem)
            }
        },
        None => match parse_json_node(file, value, limits) {
            Ok(mut inner) => {
                set_all_spans(&mut inner, node.span);
                Ok(inner)
            }
            Err(mut problem) => {
                problem.span = node.span;
                Err(problem)
            }
        },
    }
}

/// The YAML documents inside a string node (a kustomization's inline `patch: |`, a
/// CloudFormation template's `Manifest`), all spans positions in the outer file; `None` when
/// the scalar cannot be re-decoded exactly (its positions would be guesses) or its text has
/// a problem as YAML.
pub fn parse_embedded_yaml_documents(
    file: FileId,
    file_text: &str,
    node: &Node,
) -> Option<Vec<Node>> {
    let map = decode(file_text, node)?;
    let lines = super::file::LineIndex::new(&map.text);
    let loaded = super::yaml::load_yaml(file, &map.text, &lines, &Limits::default());
    if !loaded.problems.is_empty() {
        return None;
    }
    Some(
        loaded
            .documents
            .into_iter()
            .map(|d| {
                let mut root = d.root;
                remap(&mut root, file, &map);
                root
            })
            .collect(),
    )
}

/// [`parse_embedded_yaml_documents`] of a string that holds exactly one document.
pub fn parse_embedded_yaml(file: FileId, file_text: &str, node: &Node) -> Option<Node> {
    let docs = parse_embedded_yaml_documents(file, file_text, node)?;
    let [root] = <[Node; 1]>::try_from(docs).ok()?;
    Some(root)
}

/// Remaps every span in a tree parsed from `map.text`.
pub fn remap(node: &mut Node, file: FileId, map: &OffsetMap) {
    node.span = map.span(file, node.span.range());
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| remap(n, file, map)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            remap(&mut e.key, file, map);
            remap(&mut e.value, file, map);
        }),
        _ => {}
    }
}

fn set_all_spans(node: &mut Node, span: Span) {
    node.span = span;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| set_all_spans(n, span)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            set_all_spans(&mut e.key, span);
            set_all_spans(&mut e.value, span);
        }),
        _ => {}
    }
}

/// Length of the line break at the start of `s` (`\n`, `\r\n` or a lone `\r`), or 0.
fn break_len(s: &[u8]) -> usize {
    match s {
        [b'\r', b'\n', ..] => 2,
        [b'\n', ..] | [b'\r', ..] => 1,
        _ => 0,
    }
}

/// Flow scalars: plain, single- and double-quoted YAML, and JSON strings.
///
/// YAML folds line breaks in flow scalars: white space around a break is dropped, one break
/// becomes a space and each further (empty) line a newline. JSON strings have no folding.
fn decode_flow(src: &str, start: usize, style: ScalarStyle) -> Option<OffsetMap> {
    let (content, base) = match style {
        ScalarStyle::Plain => {
            if src.starts_with(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
                return None;
            }
            (src, start)
        }
        _ => {
            // The closing quote is found by decoding, so a span that runs past it (some
            // parsers include trailing blanks) still works.
            let quote = if style == ScalarStyle::SingleQuoted {
                '\''
            } else {
                '"'
            };
            if !src.starts_with(quote) {
                return None;
            }
            (&src[1..], start + 1)
        }
    };
    let quoted = style != ScalarStyle::Plain;
    let mut closed = false;
    let yaml = style != ScalarStyle::Json;
    let bytes = content.as_bytes();
    let mut out = Builder::default();
    // Literal white space seen since the last content character: kept only if more content
    // follows on the same line.
    let mut pending: Vec<(char, usize)> = Vec::new();
    let mut i = 0;
    while i < content.len() {
        let c = content[i..].chars().next()?;
        let brk = break_len(&bytes[i..]);
        if yaml && brk > 0 {
            pending.clear();
            let (first_break, first_end) = (base + i, base + i + brk);
            i += brk;
            let empties = skip_empty_lines(bytes, &mut i, base);
            if empties.is_empty() {
                out.produced(' ', first_break, first_end);
            } else {
                for (from, to) in empties {
                    out.produced('\n', from, to);
                }
            }
            continue;
        }
        if yaml && (c == ' ' || c == '\t') {
            pending.push((c, base + i));
            i += 1;
            continue;
        }
        if style == ScalarStyle::Plain && c == '#' && !pending.is_empty() {
            // a comment after a plain scalar, in case a span runs into it
            break;
        }
        // white space followed by content (a closing quote included) is content
        for (w, at) in pending.drain(..) {
            out.copy(w, at);
        }
        match (style, c) {
            (ScalarStyle::SingleQuoted, '\'') => {
                // the only escape: '' for a quote; a single one closes the scalar
                if bytes.get(i + 1) != Some(&b'\'') {
                    closed = true;
                    break;
                }
                out.produced('\'', base + i, base + i + 2);
                i += 2;
            }
            (ScalarStyle::DoubleQuoted | ScalarStyle::Json, '"') => {
                closed = true;
                break;
            }
            (ScalarStyle::DoubleQuoted, '\\') => {
                i = yaml_escape(content, i, base, &mut out)?;
            }
            (ScalarStyle::Json, '\\') => {
                i = json_escape(content, i, base, &mut out)?;
            }
            _ => {
                out.copy(c, base + i);
                i += c.len_utf8();
            }
        }
    }
    if quoted && !closed {
        return None;
    }
    // a plain scalar ends before white space left pending
    let end = pending.first().map_or(base + i, |&(_, at)| at);
    Some(out.finish(end))
}

/// After a line break at `*i`: skips the indentation of the following lines and returns the
/// breaks of the lines that are empty (white space only), leaving `*i` at the next content.
fn skip_empty_lines(bytes: &[u8], i: &mut usize, base: usize) -> Vec<(usize, usize)> {
    let mut empties = Vec::new();
    loop {
        while matches!(bytes.get(*i), Some(b' ' | b'\t')) {
            *i += 1;
        }
        let brk = break_len(&bytes[*i..]);
        if brk == 0 {
            return empties;
        }
        empties.push((base + *i, base + *i + brk));
        *i += brk;
    }
}

fn hex_value(s: &str, at: usize, digits: usize) -> Option<u32> {
    let hex = s.get(at..at + digits)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

/// A `\u` escape at `i` (the backslash), combining a surrogate pair written as two escapes.
/// Returns the character and the offset after the escape(s).
fn unicode_escape(s: &str, i: usize) -> Option<(char, usize)> {
    let first = hex_value(s, i + 2, 4)?;
    if (0xD800..0xDC00).contains(&first) {
        if s.get(i + 6..i + 8) != Some("\\u") {
            return None;
        }
        let second = hex_value(s, i + 8, 4)?;
        if !(0xDC00..0xE000).contains(&second) {
            return None;
        }
        let c = char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))?;
        return Some((c, i + 12));
    }
    Some((char::from_u32(first)?, i + 6))
}

/// A JSON escape at `i` (the backslash); every byte it produces maps to the backslash.
fn json_escape(s: &str, i: usize, base: usize, out: &mut Builder) -> Option<usize> {
    let e = *s.as_bytes().get(i + 1)?;
    let (c, next) = match e {
        b'"' => ('"', i + 2),
        b'\\' => ('\\', i + 2),
        b'/' => ('/', i + 2),
        b'b' => ('\u{8}', i + 2),
        b'f' => ('\u{c}', i + 2),
        b'n' => ('\n', i + 2),
        b'r' => ('\r', i + 2),
        b't' => ('\t', i + 2),
        b'u' => unicode_escape(s, i)?,
        _ => return None,
    };
    out.produced(c, base + i, base + next);
    Some(next)
}

/// A YAML double-quoted escape at `i` (the backslash), including the escaped line break.
fn yaml_escape(s: &str, i: usize, base: usize, out: &mut Builder) -> Option<usize> {
    let bytes = s.as_bytes();
    let brk = break_len(&bytes[(i + 1).min(bytes.len())..]);
    if brk > 0 {
        // An escaped line break joins the lines without a space; empty lines after it still
        // count as newlines and the next line's indentation is dropped.
        let mut next = i + 1 + brk;
        for (from, to) in skip_empty_lines(bytes, &mut next, base) {
            out.produced('\n', from, to);
        }
        return Some(next);
    }
    let e = s[i + 1..].chars().next()?;
    let (c, next) = match e {
        '0' => ('\0', i + 2),
        'a' => ('\u{7}', i + 2),
        'b' => ('\u{8}', i + 2),
        't' | '\t' => ('\t', i + 2),
        'n' => ('\n', i + 2),
        'v' => ('\u{b}', i + 2),
        'f' => ('\u{c}', i + 2),
        'r' => ('\r', i + 2),
        'e' => ('\u{1b}', i + 2),
        ' ' => (' ', i + 2),
        '"' => ('"', i + 2),
        '/' => ('/', i + 2),
        '\\' => ('\\', i + 2),
        'N' => ('\u{85}', i + 2),
        '_' => ('\u{a0}', i + 2),
        'L' => ('\u{2028}', i + 2),
        'P' => ('\u{2029}', i + 2),
        'x' => (char::from_u32(hex_value(s, i + 2, 2)?)?, i + 4),
        'u' => unicode_escape(s, i)?,
        'U' => (char::from_u32(hex_value(s, i + 2, 8)?)?, i + 10),
        _ => return None,
    };
    out.produced(c, base + i, base + next);
    Some(next)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LineKind {
    /// Only indentation (at most the block's indentation of spaces).
    Empty,
    /// Content starting with a non-blank character: folded with its neighbours.
    Text,
    /// Content starting with white space (more indented): never folded.
    Spaced,
}

struct BlockLine {
    kind: LineKind,
    /// Content after the block's indentation, as file offsets.
    content: Range<usize>,
    /// The line break, if the line has one (the last line of a file may not).
    brk: Option<Range<usize>>,
}

/// Block scalars (`|` literal, `>` folded) whose indicator is at `start`.
///
/// The header's indentation indicator is relative to the parent node's indentation, which
/// the node does not record; candidates are tried and the one reproducing `value` wins.
fn decode_block(file_text: &str, start: usize, folded: bool, value: &str) -> Option<OffsetMap> {
    let bytes = file_text.as_bytes();
    let mut chomp = Chomp::Clip;
    let mut explicit = None;
    let mut i = start + 1;
    for _ in 0..2 {
        match bytes.get(i) {
            Some(b'-') => chomp = Chomp::Strip,
            Some(b'+') => chomp = Chomp::Keep,
            Some(d @ b'1'..=b'9') => explicit = Some((d - b'0') as usize),
            _ => break,
        }
        i += 1;
    }
    // the rest of the header line is white space or a comment
    let content_start = match file_text[i..].find('\n') {
        Some(n) => i + n + 1,
        None => file_text.len(),
    };
    let line_start = file_text[..start].rfind('\n').map_or(0, |n| n + 1);
    let header_line = &file_text[line_start..start];
    let header_indent = header_line.len() - header_line.trim_start_matches(' ').len();
    // A block at the top level of a document (`--- |`) may have unindented content.
    let top_level = header_line.starts_with("---") || header_line.trim().is_empty();

    let candidates: Vec<usize> = match explicit {
        Some(d) => (0..=header_indent + 2).map(|k| k + d).collect(),
        None => {
            let first = first_content_indent(file_text, content_start);
            match first {
                Some(m) if m > header_indent || (top_level && m >= header_indent) => vec![m],
                // no content line: the block holds only empty lines
                _ => vec![usize::MAX],
            }
        }
    };
    for m in candidates {
        let lines = block_lines(file_text, content_start, m);
        for eof_break in [false, true] {
            let map = build_block(file_text, &lines, folded, chomp, eof_break, content_start);
            if map.text == value {
                return Some(map);
            }
        }
    }
    None
}

/// Indentation of the first line after `from` that has a non-space character.
fn first_content_indent(file_text: &str, from: usize) -> Option<usize> {
    file_text[from..]
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .find(|l| !l.trim_start_matches(' ').is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
}

/// The lines of a block with indentation `m`, up to the first less-indented content line.
fn block_lines(file_text: &str, from: usize, m: usize) -> Vec<BlockLine> {
    let bytes = file_text.as_bytes();
    let mut lines = Vec::new();
    let mut at = from;
    while at < file_text.len() {
        let rest = &file_text[at..];
        let (text_len, brk) = match rest.find(['\n', '\r']) {
            Some(n) => (n, Some(at + n..at + n + break_len(&bytes[at + n..]))),
            None => (rest.len(), None),
        };
        let line = &rest[..text_len];
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim_start_matches([' ', '\t']).is_empty();
        let kind = if blank && spaces <= m {
            LineKind::Empty
        } else if spaces < m || (m == 0 && (line.starts_with("---") || line.starts_with("..."))) {
            break;
        } else if line[m..].starts_with([' ', '\t']) {
            LineKind::Spaced
        } else {
            LineKind::Text
        };
        let content = if kind == LineKind::Empty {
            at + text_len..at + text_len
        } else {
            at + m..at + text_len
        };
        let next = brk.as_ref().map_or(file_text.len(), |b| b.end);
        lines.push(BlockLine { kind, content, brk });
        at = next;
    }
    lines
}

fn build_block(
    file_text: &str,
    lines: &[BlockLine],
    folded: bool,
    chomp: Chomp,
    eof_break: bool,
    content_start: usize,
) -> OffsetMap {
    let mut out = Builder::default();
    let newline = |out: &mut Builder, line: &BlockLine| match &line.brk {
        Some(b) => out.produced('\n', b.start, b.end),
        None if eof_break => out.produced('\n', line.content.end, line.content.end),
        None => {}
    };
    let content: Vec<usize> = (0..lines.len())
        .filter(|&n| lines[n].kind != LineKind::Empty)
        .collect();
    let (Some(&first), Some(&last)) = (content.first(), content.last()) else {
        if chomp == Chomp::Keep {
            lines.iter().for_each(|l| newline(&mut out, l));
        }
        return out.finish(content_start);
    };
    for line in &lines[..first] {
        newline(&mut out, line);
    }
    for (pos, &n) in content.iter().enumerate() {
        let line = &lines[n];
        for (k, c) in file_text[line.content.clone()].char_indices() {
            out.copy(c, line.content.start + k);
        }
        let Some(&next) = content.get(pos + 1) else {
            break;
        };
        let empties = &lines[n + 1..next];
        let fold = folded && line.kind == LineKind::Text && lines[next].kind == LineKind::Text;
        if fold && empties.is_empty() {
            let b = line
                .brk
                .clone()
                .unwrap_or(line.content.end..line.content.end);
            out.produced(' ', b.start, b.end);
        } else {
            if !fold {
                newline(&mut out, line);
            }
            empties.iter().for_each(|l| newline(&mut out, l));
        }
    }
    let end = lines[last].content.end;
    match chomp {
        Chomp::Strip => {}
        Chomp::Clip => newline(&mut out, &lines[last]),
        Chomp::Keep => lines[last..].iter().for_each(|l| newline(&mut out, l)),
    }
    out.finish(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::file::LineIndex;
    use crate::source::json::load_json;

    const FILE: FileId = 4;

    /// A string scalar as the YAML loader would produce it: `span_text` is the first
    /// occurrence of the scalar's source text in `text`.
    fn scalar(text: &str, span_text: &str, style: ScalarStyle, value: &str) -> Node {
        let start = text.find(span_text).expect("scalar text in file");
        let mut node = Node::new(
            Value::Str(value.into()),
            Span::new(FILE, start, start + span_text.len()),
        );
        node.style = style;
        node
    }

    fn line_col(text: &str, offset: u32) -> (usize, usize) {
        LineIndex::new(text).line_col(text, offset as usize)
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    fn embedded(text: &str, node: &Node) -> Result<Node, LoadProblem> {
        parse_embedded_json(FILE, text, node, &Limits::default())
    }

    /// Every byte of the decoded text maps to the file byte it was copied from, unless the
    /// test says otherwise: checks the map on ordinary characters.
    fn assert_copied_chars_map_to_themselves(text: &str, map: &OffsetMap, skip: &[char]) {
        for (k, c) in map.text.char_indices() {
            if c == '\n' || c == ' ' || skip.contains(&c) {
                continue;
            }
            let at = map.to_file(k);
            assert_eq!(
                text[at..].chars().next(),
                Some(c),
                "byte {k} of {:?}",
                map.text
            );
        }
    }

    const POLICY_BLOCK: &str = "\
apiVersion: v1
kind: ConfigMap
data:
  policy: |
    {
      \"Version\": \"2012-10-17\"
      \"Statement\": []
    }
  other: x
";

    #[test]
    fn literal_block_syntax_error_points_at_the_file_token() {
        let text = POLICY_BLOCK;
        let value = "{\n  \"Version\": \"2012-10-17\"\n  \"Statement\": []\n}\n";
        let node = scalar(text, "|\n    {\n", ScalarStyle::Literal, value);
        let p = embedded(text, &node).unwrap_err();
        assert_eq!(p.kind, ProblemKind::Parse);
        assert_eq!(p.message, "expected `,` or `}`");
        assert_eq!(slice(text, p.span), "\"Statement\"");
        assert_eq!(line_col(text, p.span.start), (7, 7));
    }

    #[test]
    fn literal_block_keys_map_to_their_line_and_column() {
        let text = POLICY_BLOCK.replace("2012-10-17\"\n", "2012-10-17\",\n");
        let value = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n";
        // the loader's span may end anywhere after the indicator
        let mut node = scalar(&text, "|", ScalarStyle::Literal, value);
        let map = decode(&text, &node).unwrap();
        assert_eq!(map.text, value);
        assert_copied_chars_map_to_themselves(&text, &map, &[]);
        node.tag = "!Sub".into();
        let root = embedded(&text, &node).unwrap();
        let key = &root.entry("Statement").unwrap().key;
        assert_eq!(slice(&text, key.span), "\"Statement\"");
        assert_eq!(line_col(&text, key.span.start), (7, 7));
        let object = slice(&text, root.span);
        assert!(
            object.starts_with('{') && object.ends_with('}'),
            "{object:?}"
        );
        assert_eq!(line_col(&text, root.span.end - 1), (8, 5));
    }

    #[test]
    fn json_string_inside_json_maps_through_escapes() {
        let text = r#"{
  "Resources": {
    "Policy": {
      "PolicyDocument": "{\n  \"Statement\": [{\"Effect\": \"Allow\", \"Sid\": \"caf\u00e9\"}]\n}"
    }
  }
}"#;
        let loaded = load_json(FILE, text, &LineIndex::new(text), &Limits::default());
        let outer = loaded.documents[0]
            .root
            .path(&["Resources", "Policy", "PolicyDocument"])
            .unwrap()
            .clone();
        assert_eq!(outer.style, ScalarStyle::Json);
        let map = decode(text, &outer).unwrap();
        assert_copied_chars_map_to_themselves(text, &map, &['"', 'é']);
        let inner = embedded(text, &outer).unwrap();
        let effect = inner.path(&["Statement"]).unwrap().items()[0]
            .entry("Effect")
            .unwrap();
        assert_eq!(slice(text, effect.key.span), r#"\"Effect\""#);
        assert_eq!(slice(text, effect.value.span), r#"\"Allow\""#);
        assert_eq!(line_col(text, effect.key.span.start), (4, 48));
        let sid = inner.path(&["Statement"]).unwrap().items()[0]
            .get("Sid")
            .unwrap();
        assert_eq!(sid.as_str(), Some("café"));
        assert_eq!(slice(text, sid.span), r#"\"caf\u00e9\""#);

        // and a syntax error in the inner text
        let broken = text.replace(r#"\"Effect\": \"Allow\","#, r#"\"Effect\": \"Allow\""#);
        let loaded = load_json(FILE, &broken, &LineIndex::new(&broken), &Limits::default());
        let outer = loaded.documents[0]
            .root
            .path(&["Resources", "Policy", "PolicyDocument"])
            .unwrap()
            .clone();
        let p = embedded(&broken, &outer).unwrap_err();
        assert_eq!(slice(&broken, p.span), r#"\"Sid\""#);
    }

    #[test]
    fn folded_block() {
        let text = "doc: >-\n  {\"Version\": \"2012-10-17\",\n  \"Statement\": [],\n\n  \"x\": 1}\nnext: 1\n";
        let value = "{\"Version\": \"2012-10-17\", \"Statement\": [],\n\"x\": 1}";
        let node = scalar(text, ">-", ScalarStyle::Folded, value);
        let map = decode(text, &node).unwrap();
        assert_copied_chars_map_to_themselves(text, &map, &[]);
        let root = embedded(text, &node).unwrap();
        let x = &root.entry("x").unwrap().key;
        assert_eq!(line_col(text, x.span.start), (5, 3));

        // more-indented lines keep their line breaks
        let text = "doc: >\n  a\n  b\n    c\n  d\n\n";
        let node = scalar(text, ">", ScalarStyle::Folded, "a b\n  c\nd\n");
        assert!(decode(text, &node).is_some());
    }

    #[test]
    fn literal_chomping_and_indentation_indicators() {
        let cases: &[(&str, &str)] = &[
            ("k: |\n  a\n\n  b\n\n\nn: 1\n", "a\n\nb\n"),
            ("k: |-\n  a\n  b\n\nn: 1\n", "a\nb"),
            ("k: |+\n  a\n  b\n\n\nn: 1\n", "a\nb\n\n\n"),
            ("k: |2\n    a\n  b\nn: 1\n", "  a\nb\n"),
            ("- |1-\n   a\n  b\n", "  a\n b"),
            (
                "k: | # comment\n  a\n   b\n  # not a comment\n# a comment\n",
                "a\n b\n# not a comment\n",
            ),
            ("k: |\n  a\n  b", "a\nb"),
            ("k: |\n  a\n  b", "a\nb\n"),
            ("k: |\n\n  a\n", "\na\n"),
            ("k: |\nn: 1\n", ""),
            ("--- |\nfoo\nbar\n...\n", "foo\nbar\n"),
        ];
        for (text, value) in cases {
            let node = scalar(text, "|", ScalarStyle::Literal, value);
            let map = decode(text, &node).unwrap_or_else(|| panic!("{text:?}"));
            assert_copied_chars_map_to_themselves(text, &map, &[]);
        }
        // a value the source does not produce: no map
        let node = scalar("k: |\n  a\n", "|", ScalarStyle::Literal, "b\n");
        assert!(decode("k: |\n  a\n", &node).is_none());
    }

    #[test]
    fn crlf_literal_block() {
        let text = POLICY_BLOCK
            .replace("2012-10-17\"\n", "2012-10-17\",\n")
            .replace('\n', "\r\n");
        let value = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n";
        let node = scalar(&text, "|", ScalarStyle::Literal, value);
        let root = embedded(&text, &node).unwrap();
        let key = &root.entry("Statement").unwrap().key;
        assert_eq!(slice(&text, key.span), "\"Statement\"");
        assert_eq!(line_col(&text, key.span.start), (7, 7));
        // the newline after the last content line covers the whole CRLF
        let map = decode(&text, &node).unwrap();
        let last = map.span(FILE, value.len() - 1..value.len());
        assert_eq!(slice(&text, last), "\r\n");
    }

    #[test]
    fn plain_and_single_quoted_multi_line() {
        let text = "k: foo  bar\n   baz  \n\n   qux\nn: 1\n";
        let node = scalar(
            text,
            "foo  bar\n   baz  \n\n   qux",
            ScalarStyle::Plain,
            "foo  bar baz\nqux",
        );
        let map = decode(text, &node).unwrap();
        assert_copied_chars_map_to_themselves(text, &map, &[]);
        assert_eq!(
            line_col(text, map.to_file(map.text.find("qux").unwrap()) as u32),
            (4, 4)
        );

        let text = "k: '{\"Version\": ''2012'',\r\n    \"Statement\": []}'\r\n";
        let node = scalar(
            text,
            "'{\"Version\": ''2012'',\r\n    \"Statement\": []}'",
            ScalarStyle::SingleQuoted,
            "{\"Version\": '2012', \"Statement\": []}",
        );
        let map = decode(text, &node).unwrap();
        assert_copied_chars_map_to_themselves(text, &map, &['\'']);
        let span = map.span(FILE, 12..18);
        assert_eq!(slice(text, span), "''2012''");
        let p = embedded(text, &node).unwrap_err();
        assert_eq!(slice(text, p.span), "''");
        assert_eq!(line_col(text, p.span.start), (1, 17));
    }

    #[test]
    fn double_quoted_yaml_escapes_and_folding() {
        let src = r#""{\"a\": \"\u00e9\x41\U0001F600\/\\\\\" ,
     \"b\":  \
   1,\n \"c\": \"\"}""#;
        let text = format!("k: {src}\nn: 1\n");
        let value = "{\"a\": \"éA😀/\\\\\" , \"b\":  1,\n \"c\": \"\"}";
        let node = scalar(&text, src, ScalarStyle::DoubleQuoted, value);
        let map = decode(&text, &node).unwrap();
        assert_eq!(map.text, value);
        let root = embedded(&text, &node).unwrap();
        let b = root.entry("b").unwrap();
        assert_eq!(slice(&text, b.key.span), r#"\"b\""#);
        assert_eq!(line_col(&text, b.key.span.start), (2, 6));
        assert_eq!(line_col(&text, b.value.span.start), (3, 4));
        let a = root.get("a").unwrap();
        assert_eq!(slice(&text, a.span), r#"\"\u00e9\x41\U0001F600\/\\\\\""#);
        assert_eq!(a.as_str(), Some("éA😀/\\"));
        let c = root.entry("c").unwrap();
        assert_eq!(line_col(&text, c.key.span.start), (3, 9));
        // empty lines in a double-quoted scalar are newlines
        let text = "k: \"a\n\n  b\"\n";
        let node = scalar(text, "\"a\n\n  b\"", ScalarStyle::DoubleQuoted, "a\nb");
        assert!(decode(text, &node).is_some());
    }

    #[test]
    fn mismatch_falls_back_to_the_node_span() {
        let text = "k: |\n  {\"a\": [1, 2]}\n";
        // a value that does not come from this text: spans fall back to the scalar's span
        let node = scalar(
            text,
            "|\n  {\"a\": [1, 2]}\n",
            ScalarStyle::Literal,
            "{\"b\": 1}",
        );
        assert!(decode(text, &node).is_none());
        let root = embedded(text, &node).unwrap();
        assert_eq!(root.entry("b").unwrap().key.span, node.span);
        let node = scalar(
            text,
            "|\n  {\"a\": [1, 2]}\n",
            ScalarStyle::Literal,
            "{\"b\" 1}",
        );
        assert_eq!(embedded(text, &node).unwrap_err().span, node.span);
        // a span that does not start at the scalar
        let node = scalar(text, " |", ScalarStyle::Literal, "{\"a\": [1, 2]}\n");
        assert!(decode(text, &node).is_none());
        // not a string
        let mut node = node;
        node.value = Value::Int(1);
        assert!(decode(text, &node).is_none());
        assert_eq!(embedded(text, &node).unwrap_err().kind, ProblemKind::Parse);
    }

    #[test]
    fn quoted_span_running_past_the_closing_quote() {
        let text = "k: \"CREATE\" # comment\nl: 'a''b'  \nm: plain  # comment\n";
        let node = scalar(text, "plain  # comment", ScalarStyle::Plain, "plain");
        let map = decode(text, &node).unwrap();
        assert_eq!(map.to_file(5), text.find("plain").unwrap() + 5);
        let node = scalar(
            text,
            "\"CREATE\" # comment",
            ScalarStyle::DoubleQuoted,
            "CREATE",
        );
        let map = decode(text, &node).unwrap();
        assert_eq!(map.to_file(map.text.len()), text.find("\" #").unwrap());
        let node = scalar(text, "'a''b'  ", ScalarStyle::SingleQuoted, "a'b");
        assert!(decode(text, &node).is_some());
        // but not an unterminated one
        let node = scalar(text, "'a''", ScalarStyle::SingleQuoted, "a'");
        assert!(decode(&text[..text.find("b'").unwrap()], &node).is_none());
    }

    #[test]
    fn tag_in_span_is_skipped() {
        let text = "k: !Sub '{}'\n";
        let node = scalar(text, "!Sub '{}'", ScalarStyle::SingleQuoted, "{}");
        let root = embedded(text, &node).unwrap();
        assert_eq!(slice(text, root.span), "{}");
    }

    #[test]
    fn embedded_depth_limit() {
        let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
        let text = format!("k: '{deep}'\n");
        let node = scalar(
            &text,
            &format!("'{deep}'"),
            ScalarStyle::SingleQuoted,
            &deep,
        );
        let p = embedded(&text, &node).unwrap_err();
        assert_eq!(p.kind, ProblemKind::Limit);
        assert_eq!(p.span.start, 4 + 256);
    }

    #[test]
    fn empty_ranges_and_end() {
        let text = "k: \"ab\"\n";
        let node = scalar(text, "\"ab\"", ScalarStyle::DoubleQuoted, "ab");
        let map = decode(text, &node).unwrap();
        assert_eq!(map.to_file(2), 6);
        assert_eq!(map.span(FILE, 2..2), Span::empty(FILE, 6));
        assert_eq!(map.span(FILE, 0..2), Span::new(FILE, 4, 6));
    }

    #[test]
    fn never_panics_on_any_span_or_style() {
        let texts = [
            "k: |2-\n  {\"a\": \"\\u00e9\"}\r\n  x\n",
            "k: >+\n  a\n\n   b\n",
            "k: \"a\\\n  b\\x4\\uD800\\u12\"\n",
            "k: 'a''\n\n  b'\n",
            "{\"k\": \"a\\ud83d\\ude00\\\"é\\n\"}",
        ];
        let styles = [
            ScalarStyle::Plain,
            ScalarStyle::SingleQuoted,
            ScalarStyle::DoubleQuoted,
            ScalarStyle::Literal,
            ScalarStyle::Folded,
            ScalarStyle::Json,
        ];
        for text in texts {
            for start in 0..=text.len() {
                for end in start..=text.len() {
                    for style in styles {
                        let mut node =
                            Node::new(Value::Str("{\"a\": 1}".into()), Span::new(FILE, start, end));
                        node.style = style;
                        let _ = decode(text, &node);
                        let _ = embedded(text, &node);
                    }
                }
            }
        }
    }

    /// Cross-check against the YAML parser the loader uses: every multi-line or escaped
    /// string scalar it produces must be re-decoded to the same value.
    #[test]
    fn agrees_with_saphyr_parser() {
        let yaml = "\
a: |
  {\"Version\": \"2012-10-17\",
     \"x\": [1]}

b: >
  folded
  text

    more indented
  back
c: |-
  strip\r
d: |+
  keep

e: 'single ''quoted''
  over

  lines  '
f: \"double \\\"q\\\" \\u00e9 \\x41
  folded \\
  escaped\\tbreak\\n
  \"
g: plain text
  continued

  after blank
h: |2
    two more
  base
i:
  - >-
    in a
    sequence
  - !Sub |
    tagged ${X}
j: \"  lead and trail  \"
k: \"trail \\t
  x\"
m: \"esc \\
  \t
  next\"
n: plain   # comment
o: ' '' '
l: |

  leading blank
";
        let mut checked = 0;
        for text in [
            yaml.to_string(),
            yaml.replace('\n', "\r\n"),
            yaml.trim_end().to_string(),
        ] {
            let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let byte = |c: usize| chars.get(c).copied().unwrap_or(text.len());
            for event in saphyr_parser::Parser::new_from_str(&text) {
                let (event, span) = event.expect("valid YAML");
                let saphyr_parser::Event::Scalar(value, style, _, tag) = event else {
                    continue;
                };
                use saphyr_parser::ScalarStyle as S;
                let style = match style {
                    S::Plain => ScalarStyle::Plain,
                    S::SingleQuoted => ScalarStyle::SingleQuoted,
                    S::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    S::Literal => ScalarStyle::Literal,
                    S::Folded => ScalarStyle::Folded,
                };
                let (mut start, end) = (byte(span.start.index()), byte(span.end.index()));
                // saphyr's block scalar spans start at the content (or at a tag); the loader
                // moves them to the indicator
                if let Some(indicator) = match style {
                    ScalarStyle::Literal => Some('|'),
                    ScalarStyle::Folded => Some('>'),
                    _ => None,
                } {
                    if !text[start..].starts_with([indicator, '!', '&']) {
                        start = text[..start].rfind(indicator).unwrap();
                    }
                }
                let mut node = Node::new(Value::Str((&*value).into()), Span::new(FILE, start, end));
                node.style = style;
                node.tag = tag.map_or(crate::source::node::Tag::NONE, |t| t.suffix.as_str().into());
                let decoded = decode(&text, &node);
                assert!(
                    decoded.is_some(),
                    "{style:?} {value:?} from {:?}",
                    &text[start..end]
                );
                checked += 1;
            }
        }
        assert!(checked > 50, "{checked}");
    }

    /// `template_markup`: the `{{` a template of a policy has where JSON has a key (Python
    /// `str.format`'s doubled braces, tecnicocefet/mini-curso-devops-na-nuvem@4a8ea9f0's
    /// vendored AWS CLI wizards) or a value (a Go action), at its place in the outer file; a
    /// broken policy without markup, valid JSON, `{{` inside a JSON string and a non-string
    /// give none.
    #[test]
    fn template_markup_is_the_braces_where_json_fails() {
        let at = |text: &str, span_text: &str, style: ScalarStyle, value: &str| {
            let node = scalar(text, span_text, style, value);
            template_markup(FILE, text, &node, &Limits::default())
                .map(|s| (line_col(text, s.start), slice(text, s).to_string()))
        };
        let text = "value: |\n  {{\n    \"Version\": \"2012-10-17\"\n  }}\n";
        assert_eq!(
            at(
                text,
                "|",
                ScalarStyle::Literal,
                "{{\n  \"Version\": \"2012-10-17\"\n}}\n"
            ),
            Some(((2, 3), "{{".to_string()))
        );
        let text = "value: '{\"Statement\": {{ toJson .Values.s }}}'\n";
        assert_eq!(
            at(
                text,
                "'{\"Statement\": {{ toJson .Values.s }}}'",
                ScalarStyle::SingleQuoted,
                "{\"Statement\": {{ toJson .Values.s }}}"
            ),
            Some(((1, 23), "{{".to_string()))
        );
        // A missing comma: a parse error, not a template.
        let text = "value: '{\"Version\": \"2012-10-17\" \"Statement\": []}'\n";
        let broken = "{\"Version\": \"2012-10-17\" \"Statement\": []}";
        let quoted = format!("'{broken}'");
        assert_eq!(at(text, &quoted, ScalarStyle::SingleQuoted, broken), None);
        // Valid JSON, even with `{{` in a string.
        let text = "value: '{\"Resource\": \"{{ .Values.arn }}\"}'\n";
        let valid = "{\"Resource\": \"{{ .Values.arn }}\"}";
        let quoted = format!("'{valid}'");
        assert_eq!(at(text, &quoted, ScalarStyle::SingleQuoted, valid), None);
        let mut number = scalar(text, &quoted, ScalarStyle::SingleQuoted, valid);
        number.value = Value::Int(1);
        assert_eq!(
            template_markup(FILE, text, &number, &Limits::default()),
            None
        );
    }
}
