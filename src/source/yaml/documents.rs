//! Splitting a stream into documents at `---` lines, before any parsing.

use std::ops::Range;

use super::super::file::LineIndex;

/// Byte ranges of the documents of a stream: each starts at a `---` line (or at the start of
/// the text), with the `%` directive lines just before its `---` line.
pub(super) fn split_documents(
    text: &str,
    lines: &LineIndex,
    body_start: usize,
) -> Vec<Range<usize>> {
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
        // Nearly every line starts with neither `-` nor a BOM.
        if !matches!(s.as_bytes().first(), Some(b'-' | 0xEF)) {
            continue;
        }
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
pub(super) fn is_blank_chunk(chunk: &str) -> bool {
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
