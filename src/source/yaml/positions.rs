//! saphyr's markers (line, character column) → byte offsets.

use super::super::file::LineIndex;

/// Converts saphyr markers (1-based line, 0-based character column) to byte offsets, with the
/// semantics of [`LineIndex::offset`], remembering the last position so that a long line is
/// not re-walked for every node on it.
pub(super) struct Positions<'a> {
    text: &'a str,
    pub(super) lines: &'a LineIndex,
    /// In ASCII text a character index is a byte offset, so saphyr's marker index gives the
    /// position directly, without walking the line.
    pub(super) ascii: bool,
    /// (line, column, byte) of the last conversion.
    last: (usize, usize, usize),
    /// Whether the text holds a CR that is not before a LF (old Mac line ends): saphyr
    /// breaks lines there, the line index does not. Only the debug check of the ASCII
    /// shortcut reads it.
    #[cfg(debug_assertions)]
    pub(super) lone_cr: bool,
}

impl<'a> Positions<'a> {
    pub(super) fn new(text: &'a str, lines: &'a LineIndex) -> Positions<'a> {
        Positions {
            text,
            lines,
            ascii: text.is_ascii(),
            last: (usize::MAX, 0, 0),
            #[cfg(debug_assertions)]
            lone_cr: text.ends_with('\r')
                || text
                    .as_bytes()
                    .windows(2)
                    .any(|w| w[0] == b'\r' && w[1] != b'\n'),
        }
    }

    pub(super) fn offset(&mut self, line: usize, col: usize) -> usize {
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
