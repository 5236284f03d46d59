//! The fast path: the common subset of YAML read byte by byte straight into [`Node`]s, for
//! a whole chunk (one document) or not at all.
//!
//! A monorepo's manifests are nearly all block mappings and sequences of one-line scalars.
//! Pulling them through saphyr-parser's event loop (a scanner that queues tokens, owned
//! strings in every event, then our own pass over the events) costs more than everything the
//! rules do; this reader makes each node once, from the bytes, with no token or event in
//! between. It reads only what it is sure of and *bails* — the chunk is then loaded by the
//! saphyr path as if the fast path did not exist — the moment it meets anything else:
//! tabs, CR, control or special characters (NEL, LS, PS, BOM), directives, `...`, anchors,
//! aliases, tags other than a local `!Name` on a scalar, a block scalar, a flow collection,
//! a block collection or nothing (what CloudFormation's short forms are), `?` keys, merge
//! keys, multi-line keys, a multi-line scalar that does not start on its key's or `-`'s line
//! or whose continuation lines are not more indented than its collection, multi-line flow
//! collections, block scalars with an indentation indicator, leading empty lines or
//! more-indented folded lines, a key longer than [`MAX_KEY`], nesting at the depth limit,
//! and any text that saphyr would reject. It never reports a problem itself.
//!
//! What it gives is exactly what the saphyr path gives for the same chunk: the same values
//! (`scalar_value`), styles, spans after the saphyr path's corrections (`spans`,
//! `indentless_start_of`, block collections ending at their last child, a flow collection's
//! span running over the blanks and the comment after its closing bracket, as saphyr's
//! does), document indexes and `no_json_strings`. The oracle is the saphyr path itself:
//! `fast_tests` loads every YAML text of the repository (and the real corpus when present)
//! and property-generated YAML both ways and asserts equality for every chunk read here.

use super::super::embedded::may_hold_json;
use super::super::file::{FileId, Span};
use super::super::node::{Entry, Node, ScalarStyle, Str, Tag, Value};
use super::scalar::{resolve_plain, scalar_value};

/// The chunk is left to the saphyr path.
#[derive(Debug)]
pub(super) struct Bail;

type R<T> = Result<T, Bail>;

/// Deepest nesting read here (the Rust stack holds one frame per level); deeper documents,
/// and those at `Limits::max_depth`, go to the saphyr path, which reports the limit.
const MAX_FAST_DEPTH: usize = 64;

/// YAML limits an implicit key to 1024 characters; longer keys are left to saphyr.
const MAX_KEY: usize = 1000;

/// The root of the one document of `text[start..end]`, read with the fast path.
pub(super) struct FastDoc {
    pub(super) root: Node,
    /// Whether a string of the document may hold embedded JSON (`may_hold_json`).
    pub(super) json_strings: bool,
}

pub(super) fn read_chunk(
    file: FileId,
    text: &str,
    start: usize,
    end: usize,
    max_depth: usize,
    max_flow_run: usize,
) -> R<FastDoc> {
    let mut fast = Fast {
        text,
        b: text.as_bytes(),
        end,
        file,
        max_depth: max_depth.min(MAX_FAST_DEPTH),
        depth: 0,
        json: false,
        flow_budget: max_flow_run,
        items: Vec::with_capacity(64),
    };
    fast.prescan(start)?;
    let root = fast.document(start)?;
    Ok(FastDoc {
        root,
        json_strings: fast.json,
    })
}

/// The next line holding content: its start and indentation.
#[derive(Clone, Copy)]
struct Next {
    line: usize,
    indent: usize,
}

impl Next {
    fn at(self) -> usize {
        self.line + self.indent
    }
}

/// Where a node written on the current line sits.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    /// After `- `: it may be a compact mapping (`- key: v`) or sequence (`- - a`).
    SeqItem,
    /// After `key: `.
    MapValue,
}

/// Why a plain scalar in block context ended.
#[derive(Clone, Copy, PartialEq)]
enum PlainEnd {
    /// At the end of the line (the offset of the `\n` or of the chunk end).
    Eol(usize),
    /// At a comment's `#`.
    Comment(usize),
    /// At a `:` followed by a blank: the scalar is a key.
    Colon(usize),
}

struct Fast<'a> {
    text: &'a str,
    b: &'a [u8],
    /// End of the chunk.
    end: usize,
    file: FileId,
    max_depth: usize,
    /// Collections open around the current position.
    depth: usize,
    json: bool,
    /// Flow indicators still allowed (`Limits::max_flow_run`: beyond it the saphyr path
    /// reports a limit).
    flow_budget: usize,
    /// The finished children of every open collection, innermost last, as `direct` keeps
    /// them: each collection is moved out into a slice of its exact length when it ends.
    items: Vec<Node>,
}

impl<'a> Fast<'a> {
    /// Bails on bytes the subset does not take anywhere: control characters (tab and CR
    /// included), DEL, and the characters that are line breaks or a BOM to some readers
    /// (NEL, LS, PS, U+FEFF) or not printable in YAML (C1 controls, U+FFFE, U+FFFF).
    fn prescan(&self, start: usize) -> R<()> {
        let b = &self.b[start..self.end];
        let mut i = 0;
        while i < b.len() {
            // Eight bytes at a time while all are printable ASCII or `\n` (nearly always).
            // Each step below is exact per byte (no carry crosses a byte).
            if let Some(word) = b.get(i..i + 8) {
                const ONES: u64 = 0x0101_0101_0101_0101;
                const LOW7: u64 = ONES * 0x7f;
                const HIGH: u64 = ONES * 0x80;
                let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
                // 0x80 in each `\n` byte, which then becomes `*` (0x2a).
                let v = x ^ (ONES * u64::from(b'\n'));
                let newlines = !(((v & LOW7) + LOW7) | v | LOW7);
                let y = x | (newlines >> 2);
                let y7 = y & LOW7;
                // 0x80 in each byte from 0x20 on, and in each from 0x7f on.
                let from_space = (y7 + ONES * 0x60) & HIGH;
                let from_del = ((y7 + ONES) | y) & HIGH;
                if from_space == HIGH && from_del == 0 {
                    i += 8;
                    continue;
                }
            }
            let c = b[i];
            if c < 0x80 {
                if (c < 0x20 && c != b'\n') || c == 0x7f {
                    return Err(Bail);
                }
                i += 1;
                continue;
            }
            let ch = self.text[start + i..].chars().next().ok_or(Bail)?;
            if matches!(
                ch,
                '\u{80}'
                    ..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            ) {
                return Err(Bail);
            }
            i += ch.len_utf8();
        }
        Ok(())
    }

    /// The chunk's one document: an optional `---` line, then a block mapping or sequence
    /// that takes every remaining content line.
    fn document(&mut self, start: usize) -> R<Node> {
        let mut next = self.next_content(start)?.ok_or(Bail)?;
        if next.indent == 0 && self.b[next.line] == b'-' && self.b[next.line..].starts_with(b"---")
        {
            let after = next.line + 3;
            if !matches!(self.b.get(after), Some(b' ' | b'\n')) && after != self.end {
                return Err(Bail);
            }
            // `---` alone or with a comment; content after it (`--- |`, `--- !tag`) bails.
            let line_end = self.rest_of_line(after, after == self.end)?;
            next = self.next_content(line_end)?.ok_or(Bail)?;
        }
        let (root, after) = self.block_node(next)?;
        if after.is_some() {
            return Err(Bail);
        }
        Ok(root)
    }

    fn line_end(&self, from: usize) -> usize {
        match memchr_nl(&self.b[from..self.end]) {
            Some(i) => from + i,
            None => self.end,
        }
    }

    /// Offset after the line holding `at` (the chunk end on the last line).
    fn next_line(&self, at: usize) -> usize {
        let e = self.line_end(at);
        if e < self.end {
            e + 1
        } else {
            e
        }
    }

    /// The first line from `p` (a line start) that holds more than blanks and a comment.
    /// Bails on a document end marker (`...`).
    fn next_content(&self, mut p: usize) -> R<Option<Next>> {
        let b = self.b;
        loop {
            if p >= self.end {
                return Ok(None);
            }
            let mut q = p;
            while q < self.end && b[q] == b' ' {
                q += 1;
            }
            if q == self.end {
                return Ok(None);
            }
            match b[q] {
                b'\n' => p = q + 1,
                b'#' => p = self.next_line(q),
                b'.' if q == p && b[q..self.end].starts_with(b"...") => return Err(Bail),
                _ => {
                    return Ok(Some(Next {
                        line: p,
                        indent: q - p,
                    }))
                }
            }
        }
    }

    /// After a node that ends at `at` on its line: blanks, then the end of the line or a
    /// comment after at least one blank. The start of the next line. `spaced` says whether
    /// a blank precedes `at`.
    fn rest_of_line(&self, at: usize, spaced: bool) -> R<usize> {
        let b = self.b;
        let mut i = at;
        while i < self.end && b[i] == b' ' {
            i += 1;
        }
        if i == self.end {
            return Ok(i);
        }
        match b[i] {
            b'\n' => Ok(i + 1),
            b'#' if i > at || spaced => Ok(self.next_line(i)),
            _ => Err(Bail),
        }
    }

    /// `-` followed by a blank or the end of the line: a block sequence entry.
    fn is_dash(&self, p: usize) -> bool {
        self.b[p] == b'-' && (p + 1 == self.end || matches!(self.b[p + 1], b' ' | b'\n'))
    }

    fn open(&mut self) -> R<()> {
        if self.depth >= self.max_depth {
            return Err(Bail);
        }
        self.depth += 1;
        Ok(())
    }

    // Inlined into `inline_node` for every one-line plain value: out of line it costs a
    // call and an outlined slice check per value (about 1 M instructions on the 1k apps).
    #[inline(always)]
    fn scalar(&mut self, value: Value, start: usize, end: usize, style: ScalarStyle) -> Node {
        if let Value::Str(s) = &value {
            self.json |= may_hold_json(s);
        }
        Node {
            value,
            span: Span::new(self.file, start, end),
            tag: Tag::NONE,
            style,
        }
    }

    fn null(&self, at: usize) -> Node {
        Node {
            value: Value::Null,
            span: Span::new(self.file, at, at),
            tag: Tag::NONE,
            style: ScalarStyle::Plain,
        }
    }

    fn collection(&mut self, base: usize, start: usize, end: usize, map: bool) -> Node {
        let value = if map {
            let mut flat = self.items.drain(base..);
            let mut entries = Vec::with_capacity(flat.len() / 2);
            while let (Some(key), Some(value)) = (flat.next(), flat.next()) {
                entries.push(Entry { key, value });
            }
            Value::Map(entries.into())
        } else {
            Value::Seq(self.items.drain(base..).collect())
        };
        self.depth -= 1;
        Node {
            value,
            span: Span::new(self.file, start, end),
            tag: Tag::NONE,
            style: ScalarStyle::None,
        }
    }

    /// A block collection whose first line is `next`.
    fn block_node(&mut self, next: Next) -> R<(Node, Option<Next>)> {
        let p = next.at();
        if self.is_dash(p) {
            self.block_seq(next.indent, p, false)
        } else {
            self.block_map(next.indent, p)
        }
    }

    /// A block sequence whose entries' dashes are at column `col`, the first at `first`.
    /// `indentless` when it is a mapping's value at the mapping's column.
    fn block_seq(&mut self, col: usize, first: usize, indentless: bool) -> R<(Node, Option<Next>)> {
        self.open()?;
        let base = self.items.len();
        let mut last_end = first;
        let mut dash = first;
        let after = loop {
            let mut q = dash + 1;
            while q < self.end && self.b[q] == b' ' {
                q += 1;
            }
            let (item, after) = if q == self.end || matches!(self.b[q], b'\n' | b'#') {
                // `-` alone (or with a comment): the entry is on the next lines, or null.
                // The saphyr path starts an indentless sequence whose first `-` has a comment
                // after the comment (its start event is there, not at a `-`).
                if indentless && dash == first && q < self.end && self.b[q] == b'#' {
                    return Err(Bail);
                }
                let after = self.next_content(self.next_line(dash))?;
                match after {
                    Some(n) if n.indent > col => self.block_node(n)?,
                    // saphyr places an empty entry after the blanks that follow its `-`.
                    _ if q == self.end || self.b[q] == b'\n' => (self.null(q), after),
                    _ => return Err(Bail),
                }
            } else {
                // The saphyr path takes an indentless sequence whose first entry is a flow
                // collection for a flow sequence (its start event is at the `[`): its span
                // starts there and runs to the next token. Left to it.
                if indentless && dash == first && matches!(self.b[q], b'[' | b'{') {
                    return Err(Bail);
                }
                let line = dash - col;
                self.inline_node(q, q - line, col, Ctx::SeqItem)?
            };
            last_end = last_end.max(item.span.end as usize);
            self.items.push(item);
            match after {
                Some(n) if n.indent == col && self.is_dash(n.at()) => dash = n.at(),
                Some(n) if n.indent > col => return Err(Bail),
                _ => break after,
            }
        };
        Ok((self.collection(base, first, last_end, false), after))
    }

    /// A block mapping whose keys are at column `col`, the first at `first`.
    fn block_map(&mut self, col: usize, first: usize) -> R<(Node, Option<Next>)> {
        self.open()?;
        let base = self.items.len();
        let mut last_end = first;
        let mut p = first;
        let after = loop {
            let (key, colon) = self.key(p)?;
            last_end = last_end.max(key.span.end as usize);
            self.items.push(key);
            let mut q = colon + 1;
            while q < self.end && self.b[q] == b' ' {
                q += 1;
            }
            let (value, after) = if q == self.end || matches!(self.b[q], b'\n' | b'#') {
                let after = self.next_content(self.next_line(colon))?;
                match after {
                    Some(n) if n.indent > col => self.block_node(n)?,
                    // An indentless sequence: `key:` then `- a` at the key's column.
                    Some(n) if n.indent == col && self.is_dash(n.at()) => {
                        self.block_seq(col, n.at(), true)?
                    }
                    // An implicit null sits just after its `:`.
                    _ => (self.null(colon + 1), after),
                }
            } else {
                let line = p - col;
                self.inline_node(q, q - line, col, Ctx::MapValue)?
            };
            last_end = last_end.max(value.span.end as usize);
            self.items.push(value);
            match after {
                Some(n) if n.indent == col && !self.is_dash(n.at()) => p = n.at(),
                Some(n) if n.indent >= col => return Err(Bail),
                _ => break after,
            }
        };
        Ok((self.collection(base, first, last_end, true), after))
    }

    /// A key at `p` (plain or quoted, on one line, followed by `:` and a blank): the key and
    /// the offset of its `:`.
    fn key(&mut self, p: usize) -> R<(Node, usize)> {
        let b = self.b;
        match b[p] {
            b'"' | b'\'' => {
                let (node, close_end) = self.quoted(p, None)?;
                if b.get(close_end) != Some(&b':') || !self.blank_after(close_end + 1) {
                    return Err(Bail);
                }
                if close_end - p > MAX_KEY {
                    return Err(Bail);
                }
                Ok((node, close_end))
            }
            _ => {
                if !self.plain_may_start(p) {
                    return Err(Bail);
                }
                let (end, stop) = self.plain_block(p);
                let PlainEnd::Colon(colon) = stop else {
                    return Err(Bail);
                };
                let raw = &self.text[p..end];
                if end - p > MAX_KEY || raw == "<<" {
                    return Err(Bail);
                }
                let node = self.scalar(resolve_plain(raw), p, end, ScalarStyle::Plain);
                Ok((node, colon))
            }
        }
    }

    /// A blank, a line end or the chunk end at `i`.
    fn blank_after(&self, i: usize) -> bool {
        i >= self.end || matches!(self.b[i], b' ' | b'\n')
    }

    /// Whether a plain scalar may start at `p` (block context): not at an indicator, and
    /// not at `-`, `?`, `:` followed by a blank.
    fn plain_may_start(&self, p: usize) -> bool {
        match self.b[p] {
            // `:lambda:path`, `:*`, `?x`: plain, as YAML 1.2 reads them in block context.
            b'-' | b'?' | b':' => !self.blank_after(p + 1),
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
            _ => true,
        }
    }

    /// The end of a one-line plain scalar starting at `p` in block context (trailing blanks
    /// excluded), and what ended it.
    fn plain_block(&self, p: usize) -> (usize, PlainEnd) {
        let b = self.b;
        let mut i = p;
        let stop = loop {
            if i >= self.end || b[i] == b'\n' {
                break PlainEnd::Eol(i);
            }
            match b[i] {
                b':' if self.blank_after(i + 1) => break PlainEnd::Colon(i),
                b'#' if b[i - 1] == b' ' => break PlainEnd::Comment(i),
                _ => i += 1,
            }
        };
        let mut end = i;
        while end > p && b[end - 1] == b' ' {
            end -= 1;
        }
        (end, stop)
    }

    /// The node written at `q` on the current line, after `- ` or `key: ` (`col` is `q`'s
    /// column; `parent` that of the collection it is in).
    fn inline_node(
        &mut self,
        q: usize,
        col: usize,
        parent: usize,
        ctx: Ctx,
    ) -> R<(Node, Option<Next>)> {
        let b = self.b;
        match b[q] {
            b'"' | b'\'' => {
                let (node, close_end) = self.quoted(q, Some(parent))?;
                if b.get(close_end) == Some(&b':') {
                    // `- "key": v` (a compact mapping) or an error after `key: `.
                    if ctx == Ctx::SeqItem && self.blank_after(close_end + 1) {
                        // Read again as the mapping's first key.
                        drop(node);
                        return self.block_map(col, q);
                    }
                    return Err(Bail);
                }
                let line_end = self.rest_of_line(close_end, false)?;
                Ok((node, self.next_content(line_end)?))
            }
            b'[' | b'{' => {
                let (node, end) = self.flow(q, true)?;
                let line_end = self.rest_of_line(end, end > q && b[end - 1] == b' ')?;
                Ok((node, self.next_content(line_end)?))
            }
            b'|' | b'>' => self.block_scalar(q, parent),
            b'!' => self.tagged_inline(q, parent, ctx),
            b'-' if self.is_dash(q) => {
                if ctx == Ctx::SeqItem {
                    self.block_seq(col, q, false)
                } else {
                    Err(Bail)
                }
            }
            _ => {
                if !self.plain_may_start(q) {
                    return Err(Bail);
                }
                let (end, stop) = self.plain_block(q);
                let line_end = match stop {
                    PlainEnd::Colon(_) if ctx == Ctx::SeqItem => return self.block_map(col, q),
                    _ => self.plain_line_end(stop)?,
                };
                let after = self.next_content(line_end)?;
                // A more-indented line after the scalar's own continues it (a CRD's long
                // `description:`); one comparison here, the lines read only then.
                if let (PlainEnd::Eol(_), Some(n)) = (stop, after) {
                    if n.indent > parent {
                        return self.plain_lines(q, end, line_end, parent);
                    }
                }
                let node = self.scalar(
                    resolve_plain(&self.text[q..end]),
                    q,
                    end,
                    ScalarStyle::Plain,
                );
                Ok((node, after))
            }
        }
    }

    /// A plain scalar in block context whose first line, from `q`, ends at `first_end`, and
    /// whose continuation lines start at `line`: the lines more indented than `parent` (the
    /// column of the collection it is in) up to a less indented one, a comment line or a
    /// comment after the text. As YAML folds them: each line's text without its blanks, one
    /// space between two lines, a line break for each empty line between them; its span from
    /// `q` to where its text ends. The node and the next content after it. A `: ` on a continuation line
    /// (a multi-line implicit key, an error to saphyr) bails.
    // Out of line: `inline_node` runs for every value of every file, this for few of them.
    #[cold]
    #[inline(never)]
    fn plain_lines(
        &mut self,
        q: usize,
        first_end: usize,
        mut line: usize,
        parent: usize,
    ) -> R<(Node, Option<Next>)> {
        let b = self.b;
        let mut value = String::from(&self.text[q..first_end]);
        let mut end = first_end;
        // Empty lines since the last text.
        let mut empty = 0;
        let stop = loop {
            let at = self.skip_spaces(line);
            if at >= self.end {
                break line;
            }
            if b[at] == b'\n' {
                empty += 1;
                line = at + 1;
                continue;
            }
            if at - line <= parent || b[at] == b'#' {
                break line;
            }
            let (e, stop) = self.plain_block(at);
            if empty == 0 {
                value.push(' ');
            }
            for _ in 0..empty {
                value.push('\n');
            }
            empty = 0;
            value.push_str(&self.text[at..e]);
            end = e;
            match stop {
                PlainEnd::Eol(x) if x < self.end => line = x + 1,
                PlainEnd::Eol(x) => break x,
                PlainEnd::Comment(h) => break self.next_line(h),
                PlainEnd::Colon(_) => return Err(Bail),
            }
        };
        let node = self.scalar(resolve_plain(&value), q, end, ScalarStyle::Plain);
        Ok((node, self.next_content(stop)?))
    }

    /// Where the next line starts after a one-line plain scalar in block context that
    /// `stop` ended; a `:` after it (a mapping where a value was expected) bails.
    fn plain_line_end(&self, stop: PlainEnd) -> R<usize> {
        match stop {
            PlainEnd::Colon(_) => Err(Bail),
            PlainEnd::Eol(e) => Ok(if e < self.end { e + 1 } else { e }),
            PlainEnd::Comment(h) => Ok(self.next_line(h)),
        }
    }

    /// A local tag `!Name` at `p` (CloudFormation's short forms: `!Ref`, `!Sub`, `!GetAtt`,
    /// ...) and the blanks after it: the tag and the offset of what it tags. Any other tag
    /// (`!!str`, `!<...>`, `!e!x`, `!` alone) and a tag that ends its line (a tagged block
    /// collection or block scalar on the next lines) bail.
    fn local_tag(&self, p: usize) -> R<(Tag, usize)> {
        let b = self.b;
        let j = self.tag_end(p).ok_or(Bail)?;
        if j >= self.end || b[j] != b' ' {
            return Err(Bail);
        }
        let q = self.skip_spaces(j);
        if q >= self.end || matches!(b[q], b'\n' | b'#') {
            return Err(Bail);
        }
        Ok((Tag::from(&self.text[p..j]), q))
    }

    /// The end of a local tag's name at `p`, if one is there: `!`, an ASCII letter or digit,
    /// then the characters YAML allows in a tag (as Rain's `!Rain::Embed` writes one). `%`
    /// (an escape saphyr decodes or rejects), `!` (a named handle), `<` and the flow
    /// indicators end it, and the tag then bails unless a blank follows.
    fn tag_end(&self, p: usize) -> Option<usize> {
        let b = self.b;
        if p + 1 >= self.end || !b[p + 1].is_ascii_alphanumeric() {
            return None;
        }
        let mut j = p + 2;
        while j < self.end && is_tag_char(b[j]) {
            j += 1;
        }
        Some(j)
    }

    /// A local tag at `p` alone on the rest of its line, or with a comment after it
    /// (`Value: !Sub` or `- !Join`, the tagged node on the next lines, as CloudFormation writes
    /// a function of several arguments; `AvailabilityZones: !GetAZs`, an empty tagged value):
    /// the tag and the offset of its end.
    fn tag_alone(&self, p: usize) -> Option<(Tag, usize)> {
        let b = self.b;
        let j = self.tag_end(p)?;
        let k = self.skip_spaces(j);
        let alone = k == self.end || b[k] == b'\n' || (b[k] == b'#' && k > j);
        alone.then(|| (Tag::from(&self.text[p..j]), j))
    }

    /// A tagged node on the rest of the line, after `key: ` or `- ` (CloudFormation templates
    /// write one on most lines: `!Ref X`, `!Sub "..."`, `!GetAtt A.Arn`, `!Join [...]`). As
    /// the saphyr path gives it: the node's span is what the tag tags, without the tag, and
    /// a tagged scalar keeps its text as a string (only core-schema tags convert, and those
    /// bail in `local_tag`); a tag alone tags the block collection on the next lines or an empty
    /// string.
    fn tagged_inline(&mut self, p: usize, parent: usize, ctx: Ctx) -> R<(Node, Option<Next>)> {
        let b = self.b;
        if let Some((tag, tag_end)) = self.tag_alone(p) {
            // The tagged block collection on the next lines, more indented than the
            // collection it is in (or a mapping value's indentless sequence); here, not in
            // `block_map`/`block_seq`, whose loops every entry of every file goes through.
            let after = self.next_content(self.next_line(p))?;
            let (mut node, after) = match after {
                Some(n) if n.indent > parent => self.block_node(n)?,
                Some(n) if ctx == Ctx::MapValue && n.indent == parent && self.is_dash(n.at()) => {
                    self.block_seq(parent, n.at(), true)?
                }
                // Nothing more indented: the tag tags an empty plain scalar, a string (only
                // core-schema tags convert), which saphyr places at the tag's end.
                _ => {
                    let empty = Value::Str(Str::from(""));
                    let node = self.scalar(empty, tag_end, tag_end, ScalarStyle::Plain);
                    (node, after)
                }
            };
            node.tag = tag;
            return Ok((node, after));
        }
        let (tag, q) = self.local_tag(p)?;
        let (mut node, line_end) = match b[q] {
            b'"' | b'\'' => {
                let (node, close_end) = self.quoted(q, Some(parent))?;
                if b.get(close_end) == Some(&b':') {
                    return Err(Bail);
                }
                (node, self.rest_of_line(close_end, false)?)
            }
            b'[' | b'{' => {
                let (node, end) = self.flow(q, true)?;
                (node, self.rest_of_line(end, end > q && b[end - 1] == b' ')?)
            }
            // `!Sub |` and its lines (a template's UserData): the block scalar's own reading
            // gives what follows it.
            b'|' | b'>' => {
                let (mut node, after) = self.block_scalar(q, parent)?;
                node.tag = tag;
                return Ok((node, after));
            }
            _ => {
                if !self.plain_may_start(q) {
                    return Err(Bail);
                }
                let (end, stop) = self.plain_block(q);
                let line_end = self.plain_line_end(stop)?;
                let raw = Value::Str(self.text[q..end].into());
                (self.scalar(raw, q, end, ScalarStyle::Plain), line_end)
            }
        };
        node.tag = tag;
        Ok((node, self.next_content(line_end)?))
    }

    /// A one-line quoted scalar at `p`: the node and the offset after its closing quote.
    fn quoted(&mut self, p: usize, lines: Option<usize>) -> R<(Node, usize)> {
        let b = self.b;
        let quote = b[p];
        let mut i = p + 1;
        let mut owned: Option<String> = None;
        let mut from = i;
        loop {
            if i >= self.end {
                return Err(Bail);
            }
            if b[i] == b'\n' {
                let parent = lines.ok_or(Bail)?;
                let s = owned.get_or_insert_with(String::new);
                // The line's blanks before its break are dropped (an escape's are not: they
                // were pushed with it).
                s.push_str(self.text[from..i].trim_end_matches(' '));
                i = self.fold_break(i, parent, false, s)?;
                from = i;
                continue;
            }
            let c = b[i];
            if c == quote {
                if quote == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[from..=i]);
                    i += 2;
                    from = i;
                    continue;
                }
                break;
            }
            if c == b'\\' && quote == b'"' {
                let s = owned.get_or_insert_with(String::new);
                s.push_str(&self.text[from..i]);
                i = match (b.get(i + 1), lines) {
                    // `\` at the end of a line joins the next one without a blank.
                    (Some(b'\n'), Some(parent)) => self.fold_break(i + 1, parent, true, s)?,
                    _ => self.escape(i + 1, s)?,
                };
                from = i;
                continue;
            }
            i += 1;
        }
        let value: Str = match owned {
            Some(mut s) => {
                s.push_str(&self.text[from..i]);
                s.into()
            }
            None => Str::from(&self.text[from..i]),
        };
        let style = if quote == b'"' {
            ScalarStyle::DoubleQuoted
        } else {
            ScalarStyle::SingleQuoted
        };
        Ok((self.scalar(Value::Str(value), p, i + 1, style), i + 1))
    }

    /// The line break at `nl` inside a quoted scalar in a collection at column `parent`, as
    /// saphyr folds it into `out`: one space, or a line break for each empty line after it
    /// (only those after an escaped break, `escaped`); the offset of the next line's text.
    /// A continuation line at or left of `parent` (saphyr's own bound is looser) and the
    /// end of the chunk bail.
    // Out of line: `quoted` runs for every quoted scalar, this for few of them.
    #[cold]
    #[inline(never)]
    fn fold_break(
        &self,
        mut nl: usize,
        parent: usize,
        escaped: bool,
        out: &mut String,
    ) -> R<usize> {
        let b = self.b;
        let mut empty = 0;
        loop {
            let line = nl + 1;
            let at = self.skip_spaces(line);
            if at >= self.end {
                return Err(Bail);
            }
            if b[at] != b'\n' {
                if at - line <= parent {
                    return Err(Bail);
                }
                if empty == 0 && !escaped {
                    out.push(' ');
                }
                for _ in 0..empty {
                    out.push('\n');
                }
                return Ok(at);
            }
            empty += 1;
            nl = at;
        }
    }

    /// The escape after a `\` at `i - 1` in a double-quoted scalar, appended to `out`: the
    /// offset after it. Bails on escapes YAML does not define, on a line break, and on code
    /// points that are not characters.
    fn escape(&self, i: usize, out: &mut String) -> R<usize> {
        let b = self.b;
        if i >= self.end {
            return Err(Bail);
        }
        let simple = match b[i] {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'e' => '\u{1b}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' | b'u' | b'U' => {
                let digits = match b[i] {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = self.b.get(i + 1..i + 1 + digits).ok_or(Bail)?;
                if i + 1 + digits > self.end || !hex.iter().all(u8::is_ascii_hexdigit) {
                    return Err(Bail);
                }
                let code = u32::from_str_radix(std::str::from_utf8(hex).map_err(|_| Bail)?, 16)
                    .map_err(|_| Bail)?;
                out.push(char::from_u32(code).ok_or(Bail)?);
                return Ok(i + 1 + digits);
            }
            _ => return Err(Bail),
        };
        out.push(simple);
        Ok(i + 1)
    }

    /// A block scalar whose header is at `q`, in a collection at column `parent`.
    fn block_scalar(&mut self, q: usize, parent: usize) -> R<(Node, Option<Next>)> {
        let b = self.b;
        let literal = b[q] == b'|';
        let mut h = q + 1;
        let chomp = match b.get(h) {
            Some(b'-') => {
                h += 1;
                b'-'
            }
            Some(b'+') => {
                h += 1;
                b'+'
            }
            _ => b' ',
        };
        // An indentation indicator (`|2`), or a chomping one after it, bails here.
        let mut line = self.rest_of_line(h, false)?;
        if line >= self.end {
            return Err(Bail);
        }
        // The first content line sets the indentation; leading empty lines bail.
        let mut n = 0;
        while line + n < self.end && b[line + n] == b' ' {
            n += 1;
        }
        if line + n >= self.end || b[line + n] == b'\n' || n <= parent {
            return Err(Bail);
        }
        let mut value = String::new();
        let mut last_content_end = 0;
        // Empty lines since the last content line.
        let mut empty = 0;
        let mut seen_content = false;
        let stop = loop {
            if line >= self.end {
                break None;
            }
            let mut s = 0;
            while line + s < self.end && b[line + s] == b' ' {
                s += 1;
            }
            let at = line + s;
            if at >= self.end {
                // Blanks without a line break at the end of the chunk.
                return Err(Bail);
            }
            if b[at] == b'\n' {
                if s > n {
                    return Err(Bail);
                }
                empty += 1;
                line = at + 1;
                continue;
            }
            if s < n {
                break Some(line);
            }
            if s > n && !literal {
                return Err(Bail);
            }
            let e = self.line_end(at);
            if e >= self.end {
                // saphyr gives a final line break the text does not have.
                return Err(Bail);
            }
            if seen_content {
                if literal {
                    value.push('\n');
                    for _ in 0..empty {
                        value.push('\n');
                    }
                } else if empty == 0 {
                    value.push(' ');
                } else {
                    for _ in 0..empty {
                        value.push('\n');
                    }
                }
            }
            value.push_str(&self.text[line + n..e]);
            seen_content = true;
            empty = 0;
            last_content_end = e;
            line = e + 1;
        };
        match chomp {
            b'-' => {}
            b'+' => {
                value.push('\n');
                for _ in 0..empty {
                    value.push('\n');
                }
            }
            _ => value.push('\n'),
        }
        let mut end = last_content_end;
        while b[end - 1] == b' ' {
            end -= 1;
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        let node = self.scalar(scalar_value(None, style, &value), q, end, style);
        let after = match stop {
            Some(line) => self.next_content(line)?,
            None => None,
        };
        Ok((node, after))
    }

    /// A flow collection on one line at `p`: the node and where its span ends (after the
    /// blanks that follow its closing bracket and, at the `top` level, a comment after them,
    /// as saphyr's end event does).
    fn flow(&mut self, p: usize, top: bool) -> R<(Node, usize)> {
        self.open()?;
        self.flow_budget = self.flow_budget.checked_sub(1).ok_or(Bail)?;
        let b = self.b;
        let map = b[p] == b'{';
        let close = if map { b'}' } else { b']' };
        let base = self.items.len();
        let mut i = self.skip_spaces(p + 1);
        if self.byte(i) != close {
            loop {
                if map {
                    let (key, after) = self.flow_scalar(i, true)?;
                    self.items.push(key);
                    // `key: ` then the value.
                    if self.byte(after) != b':' || self.byte(after + 1) != b' ' {
                        return Err(Bail);
                    }
                    i = self.skip_spaces(after + 1);
                }
                let after = match self.byte(i) {
                    b'[' | b'{' => {
                        let (node, end) = self.flow(i, false)?;
                        self.items.push(node);
                        end
                    }
                    _ => {
                        let (node, after) = self.flow_scalar(i, false)?;
                        self.items.push(node);
                        after
                    }
                };
                i = self.skip_spaces(after);
                match self.byte(i) {
                    b',' => {
                        self.flow_budget = self.flow_budget.checked_sub(1).ok_or(Bail)?;
                        i = self.skip_spaces(i + 1);
                        // A trailing comma, or an empty entry, is left to saphyr.
                        if matches!(self.byte(i), b',' | b']' | b'}') {
                            return Err(Bail);
                        }
                    }
                    c if c == close => break,
                    _ => return Err(Bail),
                }
            }
        }
        let mut end = self.skip_spaces(i + 1);
        if top && end > i + 1 && self.byte(end) == b'#' {
            end = self.line_end(end);
        }
        Ok((self.collection(base, p, end, map), end))
    }

    /// The byte at `i`, or a line break at the chunk end.
    fn byte(&self, i: usize) -> u8 {
        if i < self.end {
            self.b[i]
        } else {
            b'\n'
        }
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while i < self.end && self.b[i] == b' ' {
            i += 1;
        }
        i
    }

    /// A scalar inside a flow collection at `i` (a mapping's key when `key`): the node and
    /// the offset after it. A plain scalar ends at a flow indicator; `:` in a plain scalar
    /// (a pair in a sequence, `a:b`), a comment and a line end bail.
    fn flow_scalar(&mut self, i: usize, key: bool) -> R<(Node, usize)> {
        let b = self.b;
        if !key && self.byte(i) == b'!' {
            // `[ a, !Ref B ]`, `{ X: !GetAtt A.Arn }`: as in `tagged_inline`.
            let (tag, q) = self.local_tag(i)?;
            let (mut node, after) = match self.byte(q) {
                // Two tags on one node.
                b'!' => return Err(Bail),
                b'[' | b'{' => self.flow(q, false)?,
                b'"' | b'\'' => self.flow_scalar(q, false)?,
                _ => {
                    let (mut node, end) = self.flow_scalar(q, false)?;
                    node.value = Value::Str(self.text[q..end].into());
                    (node, end)
                }
            };
            node.tag = tag;
            return Ok((node, after));
        }
        match self.byte(i) {
            b'"' | b'\'' => {
                let (node, after) = self.quoted(i, None)?;
                // `["a": b]` is a pair.
                if !key && self.byte(self.skip_spaces(after)) == b':' {
                    return Err(Bail);
                }
                Ok((node, after))
            }
            c => {
                let next = self.byte(i + 1);
                if matches!(
                    c,
                    b'?' | b':'
                        | b','
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b'#'
                        | b'&'
                        | b'*'
                        | b'!'
                        | b'|'
                        | b'>'
                        | b'%'
                        | b'@'
                        | b'`'
                        | b' '
                        | b'\n'
                ) || (c == b'-'
                    && matches!(next, b' ' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'))
                {
                    return Err(Bail);
                }
                let mut j = i;
                let stop = loop {
                    if j >= self.end {
                        return Err(Bail);
                    }
                    match b[j] {
                        b',' | b']' | b'}' => break j,
                        b':' if key => break j,
                        b'\n' | b'[' | b'{' | b':' => return Err(Bail),
                        b'#' if b[j - 1] == b' ' => return Err(Bail),
                        // saphyr ends the scalar at ` -` or ` ?` before a flow indicator
                        // (`[a -]` is an error to it); left to it wherever they are.
                        b'-' | b'?' if b[j - 1] == b' ' => return Err(Bail),
                        _ => j += 1,
                    }
                };
                let mut end = stop;
                while b[end - 1] == b' ' {
                    end -= 1;
                }
                let raw = &self.text[i..end];
                if key && (end - i > MAX_KEY || raw == "<<") {
                    return Err(Bail);
                }
                let node = self.scalar(resolve_plain(raw), i, end, ScalarStyle::Plain);
                Ok((node, end))
            }
        }
    }
}

/// A character YAML allows in a tag's suffix after its first (`ns-tag-char`, less `%`).
fn is_tag_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-#;/?:@&=+$_.~*'()".contains(&c)
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}
