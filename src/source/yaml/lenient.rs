//! The lenient reading of flow collections that the YAML readers people deploy with accept:
//! a `{`/`[` whose continuation lines (typically the closing `}` or `]`) sit at or left of the
//! indentation of the block it is in.
//!
//! ```yaml
//! Properties:
//!   KeyPolicy: {
//!     "Version": "2012-10-17"
//!   }                       # at the column of `KeyPolicy`
//! ```
//!
//! YAML 1.2 requires flow content to be indented more than the enclosing block (§7.4 and
//! the `s-separate(n,c)` lines of §6.5), and saphyr enforces it. libyaml (PyYAML, Ruby),
//! go-yaml (kubectl, Helm) and CloudFormation do not check indentation inside a flow
//! collection at all, so such files deploy. irsalint reads them the same way: when a
//! document fails only with saphyr's indentation error, it is parsed again from a copy in
//! which every line break inside a flow collection (outside scalars) is a space and every
//! comment there is blanked. The copy has the same length in bytes and the same bytes
//! everywhere else, so every span of the retry is a span of the original file. The file
//! keeps a `ProblemKind::Lenient` note at the place the strict parse failed.
//!
//! A line break inside a multi-line plain scalar (`{a: one\n two}`, folded to `one two`) is
//! left as it is, and so is everything inside quoted scalars: the copy means the same
//! values. A document the retry cannot read either keeps its original `parse-error`.
//!
//! The same readers accept a multi-line quoted scalar whose continuation lines sit at the
//! indentation of its key, as older controller-gen wrote CRD descriptions (fluxcd/flagger's
//! `crd.yaml`; kubectl applies them):
//!
//! ```yaml
//! apiVersion:
//!   description: 'APIVersion defines the versioned schema of this representation
//!   of an object.'
//! ```
//!
//! A same-length copy cannot indent those lines, so for a document that fails with saphyr's
//! quoted-scalar indentation error the copy has every line break of its multi-line quoted
//! scalars blanked instead (the document parses, spans stay the file's), and each such
//! scalar's value is then read again on its own, indented, so it is the folded value YAML
//! gives, not the blanked text.

use std::ops::Range;

use super::super::file::{FileId, LineIndex};
use super::super::node::{Node, ScalarStyle, Str, Value};
use super::super::{Limits, LoadProblem, Loaded, ProblemKind};
use super::documents::split_documents;

/// saphyr's messages for content at or left of the enclosing block's indentation (the
/// scanner's check before each token, and its check before a plain scalar in a flow
/// collection). The loader keeps these messages as saphyr words them (no bracket is named).
pub(super) const INDENTATION_ERRORS: &[&str] = &[
    "invalid indentation",
    "invalid indentation in flow construct",
    QUOTED_INDENTATION_ERROR,
];

/// saphyr's message for a quoted scalar's continuation line at or left of the block's
/// indentation (its scanner's check at the start of each line of the scalar).
const QUOTED_INDENTATION_ERROR: &str = "invalid indentation in quoted scalar";

fn is_indentation_error(p: &LoadProblem) -> bool {
    p.kind == ProblemKind::Parse && INDENTATION_ERRORS.contains(&p.message.as_str())
}

/// `loaded` (the strict reading of `text`), or the lenient one when it reads every document
/// whose strict reading failed with an indentation error and adds no problem.
pub(super) fn retry(
    file: FileId,
    text: &str,
    lines: &LineIndex,
    limits: &Limits,
    loaded: Loaded,
    load: impl Fn(FileId, &str, &LineIndex, &Limits) -> Loaded,
) -> Loaded {
    if !loaded.problems.iter().any(is_indentation_error) {
        return loaded;
    }
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut copy = text.as_bytes().to_vec();
    let mut changed = false;
    // The multi-line quoted scalars whose line breaks the copy blanks.
    let mut quoted: Vec<Range<usize>> = Vec::new();
    for chunk in split_documents(text, lines, body_start) {
        let in_chunk =
            |p: &&LoadProblem| (chunk.start..=chunk.end).contains(&(p.span.start as usize));
        let failed = loaded
            .problems
            .iter()
            .filter(in_chunk)
            .any(is_indentation_error);
        let quoted_failed = loaded
            .problems
            .iter()
            .filter(in_chunk)
            .any(|p| p.kind == ProblemKind::Parse && p.message == QUOTED_INDENTATION_ERROR);
        if failed {
            let also_quoted = quoted_failed.then_some(&mut quoted);
            changed |= join_flow_lines(text, chunk, &mut copy, also_quoted);
        }
    }
    if !changed {
        return loaded;
    }
    // Only ASCII spaces replaced whole UTF-8 sequences or ASCII bytes: still UTF-8.
    let Ok(copy) = String::from_utf8(copy) else {
        return loaded;
    };
    let copy_lines = LineIndex::new(&copy);
    let mut again = load(file, &copy, &copy_lines, limits);
    let kept = |p: &LoadProblem| loaded.problems.contains(p);
    if again.problems.len() >= loaded.problems.len() || !again.problems.iter().all(kept) {
        return with_flow_errors(loaded, &again, text, lines, &copy, &copy_lines);
    }
    for r in &quoted {
        let Some(value) = quoted_value(file, &text[r.clone()], limits, &load) else {
            return loaded;
        };
        for doc in &mut again.documents {
            set_quoted_value(&mut doc.root, r.start, &value);
        }
    }
    let gone: Vec<&LoadProblem> = loaded
        .problems
        .iter()
        .filter(|p| !again.problems.contains(p))
        .collect();
    for p in gone {
        // saphyr reports a quoted scalar's error at its opening quote.
        let what = match text.as_bytes().get(p.span.start as usize) {
            _ if p.message == QUOTED_INDENTATION_ERROR => {
                "a continuation line of this quoted scalar"
            }
            Some(b'}') => "the closing `}` of this flow mapping",
            Some(b']') => "the closing `]` of this flow sequence",
            _ => "this line of a flow collection",
        };
        again.problems.push(LoadProblem {
            kind: ProblemKind::Lenient,
            span: p.span,
            message: format!(
                "{what} is not indented more than the block it is in: YAML 1.2 parsers reject the document; kubectl (go-yaml), PyYAML and CloudFormation read it, and so does irsalint"
            ),
        });
    }
    again.problems.sort_by_key(|p| p.span.start);
    // Quoted scalars were given new values above.
    again.no_json_strings = false;
    again
}

/// `loaded` (whose lenient reading failed too) with each indentation error inside a flow
/// collection replaced by the error the lenient reading found in its document, when that one
/// names the open `[`/`{`. The strict error sits on a line the flow collection swallowed
/// (`invalid indentation in flow construct`), which says nothing a user can act on, while the
/// readers the lenient reading follows (go-yaml, libyaml) ignore that indentation and fail
/// at the real mistake: the bracket never closed, or the token it cannot hold. The copy has
/// the file's offsets but not its lines, so a line named in the message is the file's again.
fn with_flow_errors(
    mut loaded: Loaded,
    again: &Loaded,
    text: &str,
    lines: &LineIndex,
    copy: &str,
    copy_lines: &LineIndex,
) -> Loaded {
    const INSIDE: &str = " (inside the `";
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let chunks = split_documents(text, lines, body_start);
    let chunk_of = |at: usize| chunks.iter().find(|c| (c.start..=c.end).contains(&at));
    for p in &mut loaded.problems {
        if !is_indentation_error(p) || p.message == QUOTED_INDENTATION_ERROR {
            continue;
        }
        let Some(chunk) = chunk_of(p.span.start as usize) else {
            continue;
        };
        let Some(found) = again.problems.iter().find(|q| {
            q.kind == ProblemKind::Parse
                && (chunk.start..=chunk.end).contains(&(q.span.start as usize))
                && (q.message.contains("` is never closed: ") || q.message.contains(INSIDE))
        }) else {
            continue;
        };
        let mut message = found.message.clone();
        // `… (inside the `[` opened at line L, column C)`: L and C are the copy's.
        if let Some(i) = message.rfind(INSIDE) {
            let place = message[i..]
                .split_once("opened at line ")
                .and_then(|(_, rest)| rest.trim_end_matches(')').split_once(", column "))
                .and_then(|(l, c)| Some((l.parse::<usize>().ok()?, c.parse::<usize>().ok()?)));
            let Some((line, col)) = place else {
                continue;
            };
            let open = copy_lines.offset(copy, line, col.saturating_sub(1));
            let (line, col) = lines.line_col(text, open);
            let bracket = &message[i + INSIDE.len()..i + INSIDE.len() + 1];
            message = format!(
                "{} (inside the `{bracket}` opened at line {line}, column {col})",
                &message[..i]
            );
        }
        p.span = found.span;
        p.message = message;
    }
    loaded.problems.sort_by_key(|p| p.span.start);
    loaded
}

/// The value YAML gives the quoted scalar `scalar` (its text, quotes included), read on its
/// own with every continuation line indented: indentation before a continuation line is
/// never part of a quoted scalar's value, so this is the value libyaml and go-yaml read.
fn quoted_value(
    file: FileId,
    scalar: &str,
    limits: &Limits,
    load: &impl Fn(FileId, &str, &LineIndex, &Limits) -> Loaded,
) -> Option<Str> {
    let alone = format!("- {}\n", scalar.replace('\n', "\n  "));
    let loaded = load(file, &alone, &LineIndex::new(&alone), limits);
    if !loaded.problems.is_empty() {
        return None;
    }
    match &loaded.documents.first()?.root.items().first()?.value {
        Value::Str(s) => Some(s.clone()),
        _ => None,
    }
}

/// Gives the quoted scalar that starts at byte `start` (its opening quote) the value `value`.
fn set_quoted_value(node: &mut Node, start: usize, value: &Str) {
    match &mut node.value {
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|n| set_quoted_value(n, start, value)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            set_quoted_value(&mut e.key, start, value);
            set_quoted_value(&mut e.value, start, value);
        }),
        _ if node.span.start as usize == start
            && matches!(
                node.style,
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
            ) =>
        {
            node.value = Value::Str(value.clone());
        }
        _ => {}
    }
}

/// Blanks, in `out`, the line breaks and comments inside the flow collections of
/// `text[chunk]` that may be blanked without changing a value; with `quoted`, also the line
/// breaks of every multi-line quoted scalar, whose ranges it records (their values change:
/// the caller reads them again). True when something was blanked.
fn join_flow_lines(
    text: &str,
    chunk: Range<usize>,
    out: &mut [u8],
    mut quoted: Option<&mut Vec<Range<usize>>>,
) -> bool {
    let b = text.as_bytes();
    let end = chunk.end.min(b.len());
    let mut i = chunk.start;
    let mut changed = false;
    // Flow nesting depth.
    let mut depth = 0usize;
    // Inside a quoted scalar, and its quote.
    let mut quote: Option<u8> = None;
    // Where the current quoted scalar starts (its opening quote).
    let mut quote_start = chunk.start;
    let mut comment = false;
    // Inside a plain scalar (block or flow).
    let mut plain = false;
    // In block context: the next non-blank character starts a node.
    let mut token_start = true;
    // Block context: a block scalar's lines are those indented more than this.
    let mut block_scalar: Option<usize> = None;
    // Block context: the column of the first node of the current line.
    let mut line_node: Option<usize> = None;
    let mut line_start = chunk.start;
    // Line breaks inside a flow collection since its last token: joined when the next token
    // shows they are not inside a plain scalar.
    let mut pending: Vec<Range<usize>> = Vec::new();
    let blank = |out: &mut [u8], r: Range<usize>| {
        for x in &mut out[r] {
            *x = b' ';
        }
    };
    let ws_or_end = |j: usize| j >= end || matches!(b[j], b' ' | b'\t' | b'\r' | b'\n');
    while i < end {
        let c = b[i];
        if c == b'\n' {
            comment = false;
            if depth > 0 && quote.is_none() {
                let from = if i > chunk.start && b[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                pending.push(from..i + 1);
            }
            i += 1;
            line_start = i;
            if depth == 0 && quote.is_none() {
                plain = false;
                token_start = true;
                line_node = None;
                let indent = b[i..end].iter().take_while(|&&x| x == b' ').count();
                let rest = &b[i + indent..end];
                let blank_line = rest
                    .iter()
                    .take_while(|&&x| x != b'\n')
                    .all(|&x| x == b' ' || x == b'\t' || x == b'\r');
                if let Some(t) = block_scalar {
                    if blank_line || indent > t {
                        // A block scalar's line: skip it whole.
                        let next = rest.iter().position(|&x| x == b'\n');
                        i = next.map_or(end, |n| i + indent + n);
                        continue;
                    }
                    block_scalar = None;
                }
            }
            continue;
        }
        if comment {
            if depth > 0 {
                out[i] = b' ';
                changed = true;
            }
            i += 1;
            continue;
        }
        if let Some(q) = quote {
            match c {
                b'\\' if q == b'"' => i += 1,
                b'\'' if q == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
                _ if c == q => {
                    quote = None;
                    let scalar = quote_start..i + 1;
                    if let Some(list) = quoted.as_deref_mut() {
                        if b[scalar.clone()].contains(&b'\n') {
                            for j in scalar.clone() {
                                if matches!(b[j], b'\n' | b'\r') {
                                    out[j] = b' ';
                                }
                            }
                            list.push(scalar);
                            changed = true;
                        }
                    }
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        let after_blank = i == line_start || matches!(b[i - 1], b' ' | b'\t');
        if depth == 0 {
            let col = i - line_start;
            match c {
                b' ' | b'\t' | b'\r' => {}
                b'#' if after_blank => comment = true,
                _ if plain => {
                    if c == b':' && ws_or_end(i + 1) {
                        plain = false;
                        token_start = true;
                    }
                }
                b'-' | b'?' | b':' if ws_or_end(i + 1) => {
                    token_start = true;
                    if c == b'-' {
                        line_node.get_or_insert(col);
                    }
                }
                _ if !token_start => {}
                b'!' | b'&' | b'*' => {
                    line_node.get_or_insert(col);
                    // A tag, anchor or alias: up to the next blank.
                    while i + 1 < end && !matches!(b[i + 1], b' ' | b'\t' | b'\r' | b'\n') {
                        i += 1;
                    }
                }
                b'|' | b'>' => {
                    block_scalar = Some(line_node.unwrap_or(col));
                    // The header, up to the line break (a comment at most).
                    comment = true;
                }
                b'"' | b'\'' => {
                    line_node.get_or_insert(col);
                    quote = Some(c);
                    quote_start = i;
                    token_start = false;
                }
                b'{' | b'[' => {
                    line_node.get_or_insert(col);
                    depth = 1;
                    plain = false;
                }
                _ => {
                    line_node.get_or_insert(col);
                    plain = true;
                    token_start = false;
                }
            }
            i += 1;
            continue;
        }
        // Inside a flow collection.
        let indicator = match c {
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' if after_blank => {
                comment = true;
                out[i] = b' ';
                changed = true;
                plain = false;
                i += 1;
                continue;
            }
            b'{' | b'[' | b'}' | b']' | b',' => true,
            b':' => {
                !plain || ws_or_end(i + 1) || matches!(b[i + 1], b',' | b'[' | b']' | b'{' | b'}')
            }
            b'?' => !plain && ws_or_end(i + 1),
            _ => false,
        };
        if !indicator && plain {
            // The plain scalar goes on, here or on a later line: its line breaks are part of
            // its value.
            pending.clear();
        } else {
            for r in pending.drain(..) {
                blank(out, r);
                changed = true;
            }
        }
        if indicator {
            plain = false;
            match c {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        // Back in block context, after a node.
                        token_start = false;
                    }
                }
                _ => {}
            }
        } else if !plain {
            match c {
                b'"' | b'\'' => {
                    quote = Some(c);
                    quote_start = i;
                }
                b'!' | b'&' | b'*' => {
                    while i + 1 < end
                        && !matches!(b[i + 1], b' ' | b'\t' | b'\r' | b'\n' | b',' | b'}' | b']')
                    {
                        i += 1;
                    }
                }
                _ => plain = true,
            }
        }
        i += 1;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(text: &str) -> String {
        let mut out = text.as_bytes().to_vec();
        join_flow_lines(text, 0..text.len(), &mut out, None);
        String::from_utf8(out).unwrap()
    }

    /// A quoted scalar continued at its key's indentation (older controller-gen CRDs,
    /// fluxcd/flagger artifacts/flagger/crd.yaml @15bd6ad5): read as go-yaml reads it, with
    /// the folded value, spans in the file, and a note at the scalar.
    #[test]
    fn quoted_scalars_continued_at_the_key_indentation_fold_as_go_yaml_reads_them() {
        let text = "a:\n  description: 'one two\n  three ''four''\n\n  five'\n  arn: \"x:\\\n  y\n  z\"\n  type: string\n";
        let lines = LineIndex::new(text);
        let loaded = super::super::load_yaml(0, text, &lines, &Limits::default());
        let a = loaded.documents[0].root.get("a").unwrap();
        assert_eq!(
            a.str_at(&["description"]),
            Some("one two three 'four'\nfive")
        );
        // An escaped line break joins without a space; a plain one folds to a space.
        assert_eq!(a.str_at(&["arn"]), Some("x:y z"));
        assert_eq!(a.str_at(&["type"]), Some("string"));
        let d = a.get("description").unwrap();
        assert_eq!(
            &text[d.span.start as usize..d.span.end as usize],
            "'one two\n  three ''four''\n\n  five'"
        );
        let kinds: Vec<_> = loaded
            .problems
            .iter()
            .map(|p| (p.kind, p.span.start))
            .collect();
        // saphyr stops at the first error of a document: one note.
        assert_eq!(kinds, [(ProblemKind::Lenient, 18)]);
        assert!(loaded.problems[0]
            .message
            .starts_with("a continuation line of this quoted scalar"));
        // A flow-only failure leaves multi-line quoted scalars alone (their text is the value).
        let mut out = text.as_bytes().to_vec();
        let mut quoted = Vec::new();
        join_flow_lines(text, 0..text.len(), &mut out, Some(&mut quoted));
        assert_eq!(quoted, [18..52, 60..73]);
        assert_eq!(joined(text), text);
    }

    #[test]
    fn line_breaks_and_comments_in_flow_collections_become_spaces() {
        let text = "a:\n  b: { # note\n    \"x\": [1,\n 2],\n  }\n  c: 'q'\n";
        let out = joined(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(out, "a:\n  b: {            \"x\": [1,  2],   }\n  c: 'q'\n");
    }

    #[test]
    fn scalars_keep_their_line_breaks() {
        // A multi-line plain scalar and a quoted one: their breaks are part of the value.
        let text = "b: {x: one\n two, y: \"three\n four\"\n}\n";
        assert_eq!(joined(text), "b: {x: one\n two, y: \"three\n four\" }\n");
        // Block scalars, quoted block scalars and flow indicators inside block plain scalars
        // are not flow collections.
        let text = "a: |\n  {x\n  y\nb: it's {x\n   y}\nc: \"{\n\"\n";
        assert_eq!(joined(text), text);
    }

    #[test]
    fn tags_and_sequence_entries_start_nodes() {
        let text = "- !Sub [\n  x,\n  {v: 1}\n]\n";
        assert_eq!(joined(text), "- !Sub [   x,   {v: 1} ]\n");
    }
}
