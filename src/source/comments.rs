//! Where the comments of a YAML file are. saphyr-parser emits no comment events, but the
//! loaded trees know the full extent of every scalar (quoted, plain and block scalars, keys
//! included): a `#` that starts a comment lies outside all of them, at the start of a line
//! or after whitespace. Text whose scalars are unknown (a document the loader dropped after
//! a syntax error or a limit) has no comments, so text inside a broken document can never be
//! mistaken for one. JSON has no comments.

use std::ops::Range;

use super::node::{Document, Node, ScalarStyle, Value};
use super::{LoadProblem, ProblemKind};

/// What starts an irsalint comment (`# irsalint: ignore[...]`); the loader looks for
/// comments only in files that contain it.
pub const MARKER: &str = "irsalint:";

/// Byte offsets of the `#` of every comment in `text`, in order. `documents` and `problems`
/// are what the YAML loader made of `text` (before embedded text was parsed).
pub fn comment_starts(text: &str, documents: &[Document], problems: &[LoadProblem]) -> Vec<u32> {
    let mut scalars: Vec<Range<usize>> = Vec::new();
    for doc in documents {
        doc.root.walk(&mut |n| {
            if let Some(r) = scalar_text(text, n) {
                scalars.push(r);
            }
        });
    }
    scalars.extend(unknown_regions(text, documents, problems));
    scalars.sort_by_key(|r| (r.start, r.end));
    let merged = merge(scalars);

    let bytes = text.as_bytes();
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut out = Vec::new();
    let mut next_region = 0;
    let mut pos = body_start;
    while let Some(i) = text[pos..].find('#') {
        let at = pos + i;
        while next_region < merged.len() && merged[next_region].end <= at {
            next_region += 1;
        }
        if let Some(r) = merged.get(next_region).filter(|r| r.start <= at) {
            // Inside a scalar (or unknown text): go on after it.
            pos = r.end;
            continue;
        }
        let starts_comment =
            at == body_start || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r');
        if !starts_comment {
            pos = at + 1;
            continue;
        }
        out.push(at as u32);
        // The rest of the line is the comment.
        pos = text[at..].find('\n').map_or(text.len(), |j| at + j + 1);
    }
    out
}

/// The bytes a scalar's value is written in. A block scalar's header line (`|-  # note`)
/// holds no content: its content starts on the next line.
fn scalar_text(text: &str, n: &Node) -> Option<Range<usize>> {
    if matches!(n.value, Value::Seq(_) | Value::Map(_)) || n.span.is_empty() {
        return None;
    }
    let r = n.span.range();
    if r.end > text.len() {
        return None;
    }
    match n.style {
        ScalarStyle::Literal | ScalarStyle::Folded => {
            let nl = text[r.clone()].find('\n')?;
            Some(r.start + nl + 1..r.end)
        }
        // saphyr's span of a quoted scalar in block context runs on to the end of its line
        // (over a comment after it): the scalar ends at its closing quote.
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            Some(r.start..quoted_end(text, r.start).unwrap_or(r.end))
        }
        _ => Some(r),
    }
}

/// The offset just after the closing quote of the quoted scalar starting at `start`.
fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(start)?;
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Text whose scalars the trees do not describe: from the end of the last document loaded
/// before a problem to the start of the next document loaded after it (or the end).
fn unknown_regions(
    text: &str,
    documents: &[Document],
    problems: &[LoadProblem],
) -> Vec<Range<usize>> {
    let len = text.len();
    problems
        .iter()
        // A lenient reading loaded the whole document: its scalars are known.
        .filter(|p| p.kind != ProblemKind::Lenient)
        .map(|p| {
            let at = p.span.start as usize;
            let prev_end = documents
                .iter()
                .map(|d| d.root.span.end as usize)
                .filter(|&e| e <= at)
                .max()
                .unwrap_or(0);
            // The broken document starts at the last `---` line before the problem.
            let from =
                last_marker_line(&text[prev_end..at.min(len)]).map_or(prev_end, |i| prev_end + i);
            let to = documents
                .iter()
                .map(|d| d.root.span.start as usize)
                .filter(|&s| s > at)
                .min()
                .unwrap_or(len);
            from..to.max(from)
        })
        .collect()
}

/// Offset of the start of the last `---` document marker line in `text`.
fn last_marker_line(text: &str) -> Option<usize> {
    let mut found = None;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            if rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']) {
                found = Some(start);
            }
        }
        start += line.len();
    }
    found
}

fn merge(sorted: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::source::file::LineIndex;
    use crate::source::Limits;

    /// The comments of a YAML text, as the text from `#` to the line end.
    fn comments(text: &str) -> Vec<&str> {
        let lines = LineIndex::new(text);
        let loaded = crate::source::yaml::load_yaml(0, text, &lines, &Limits::default());
        super::comment_starts(text, &loaded.documents, &loaded.problems)
            .into_iter()
            .map(|at| {
                let at = at as usize;
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                text[at..end].trim_end_matches('\r')
            })
            .collect()
    }

    #[test]
    fn comments_outside_scalars_only() {
        let text = "# top\na: \"x # y\" # real\nb: 'p #q' #r\nc: plain#not # yes\nd: |  # header\n  # content\n  more\n# after\ne: [1, # flow\n  2]\n";
        assert_eq!(
            comments(text),
            ["# top", "# real", "#r", "# yes", "# header", "# after", "# flow"]
        );
    }

    #[test]
    fn multi_line_quoted_and_folded_scalars_hide_their_hashes() {
        let text = "a: \"one\n  # two\"\nb: >\n  # three\n\n  four\nc: 1 # five\r\n";
        assert_eq!(comments(text), ["# five"]);
    }

    #[test]
    fn a_bom_on_line_one_and_keys() {
        let text = "\u{feff}# first\n\"k # x\": 1 # second\n";
        assert_eq!(comments(text), ["# first", "# second"]);
    }

    #[test]
    fn a_broken_document_has_no_comments() {
        let text = "a: 1 # ok\n---\nb: \"x # y\n  c: [\n---\nd: 2 # also ok\n";
        assert_eq!(comments(text), ["# ok", "# also ok"]);
    }
}
