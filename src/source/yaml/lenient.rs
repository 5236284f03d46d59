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

use std::ops::Range;

use super::super::file::{FileId, LineIndex};
use super::super::{Limits, LoadProblem, Loaded, ProblemKind};
use super::documents::split_documents;

/// saphyr's messages for content at or left of the enclosing block's indentation (the
/// scanner's check before each token, and its check before a plain scalar in a flow
/// collection).
const INDENTATION_ERRORS: &[&str] = &[
    "invalid indentation",
    "invalid indentation in flow construct",
];

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
    for chunk in split_documents(text, lines, body_start) {
        let failed = loaded.problems.iter().any(|p| {
            is_indentation_error(p) && (chunk.start..=chunk.end).contains(&(p.span.start as usize))
        });
        if failed {
            changed |= join_flow_lines(text, chunk, &mut copy);
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
        return loaded;
    }
    let gone: Vec<&LoadProblem> = loaded
        .problems
        .iter()
        .filter(|p| !again.problems.contains(p))
        .collect();
    for p in gone {
        let what = match text.as_bytes().get(p.span.start as usize) {
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
    again
}

/// Blanks, in `out`, the line breaks and comments inside the flow collections of
/// `text[chunk]` that may be blanked without changing a value. True when one was.
fn join_flow_lines(text: &str, chunk: Range<usize>, out: &mut [u8]) -> bool {
    let b = text.as_bytes();
    let end = chunk.end.min(b.len());
    let mut i = chunk.start;
    let mut changed = false;
    // Flow nesting depth.
    let mut depth = 0usize;
    // Inside a quoted scalar, and its quote.
    let mut quote: Option<u8> = None;
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
                _ if c == q => quote = None,
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
                b'"' | b'\'' => quote = Some(c),
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
        join_flow_lines(text, 0..text.len(), &mut out);
        String::from_utf8(out).unwrap()
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
