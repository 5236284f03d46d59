//! Where a node's own text is: saphyr's event spans corrected to the scalar's quotes, a block
//! scalar's header, an indentless sequence's first `-`, without tags and anchors.

use saphyr_parser::ScalarStyle as SaphyrStyle;

use super::super::file::Span;
use super::Stream;

impl<'a> Stream<'a> {
    /// [`Stream::indentless_start`] given the parent collection: whether it is a flow
    /// collection, whether it is a mapping waiting for the value of a key, and its start.
    pub(super) fn indentless_start_of(
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

    /// The scalar's own text: quotes included, block scalars from their indicator to the end
    /// of their content, without the tag or anchor in front of it.
    pub(super) fn scalar_span(
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

/// Skips tags, anchors, blanks and comments in front of a node's content.
pub(super) fn skip_properties(text: &str, start: usize, limit: usize) -> usize {
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
