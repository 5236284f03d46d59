//! Output formats. Rules produce spans; line and column are computed here only.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
pub mod statistics;

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Inputs;

/// The findings of one run, sorted by file, line, column and rule.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Findings hidden by inline suppressions, per-file ignores and the baseline.
    pub suppressed: usize,
}

/// Counts for the summary line and the JSON `summary`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(report: &Report) -> Counts {
        let mut c = Counts::default();
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

/// Is `c` a character a terminal acts on rather than prints: a C0 control other than tab and
/// line feed, DEL, or a C1 control (U+0080–U+009F; U+009B is CSI to some terminals)? Input
/// files are untrusted: an `ESC [ 2 J` or an OSC title sequence in a value, echoed into a
/// message or a snippet, would clear the screen or hide findings.
fn acts_on_terminal(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// `s` with every control character a terminal acts on written as its escape (`\u{1b}`):
/// for messages, labels, help and paths, which have no byte offsets to keep.
/// An unknown's `}` ([`crate::source::CLOSE_BRACE_IN_NAME`]) is written back as `}`.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let s = crate::source::shown(s);
    if !s.chars().any(acts_on_terminal) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts_on_terminal(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Source text with every control character a terminal acts on replaced by `?` byte for byte
/// (a C1 control is two bytes, so two `?`), so that spans and line starts stay the file's; a
/// carriage return before a line feed is a line ending and stays. `None` when there is none.
pub fn terminal_safe_source(text: &str) -> Option<String> {
    let unsafe_at = |(i, c): (usize, char)| {
        acts_on_terminal(c) && !(c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n'))
    };
    if !text.char_indices().any(unsafe_at) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if unsafe_at((i, c)) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// What the directory walk skipped, counted by reason: `3 skipped (2 symlinks not followed
/// (use --follow-links), 1 not a regular file)`; `None` when nothing was.
pub fn skipped_summary(inputs: &Inputs) -> Option<String> {
    use crate::source::discover::SkipReason;
    if inputs.skipped.is_empty() {
        return None;
    }
    let mut counts: std::collections::BTreeMap<SkipReason, usize> = Default::default();
    for s in &inputs.skipped {
        *counts.entry(s.why).or_insert(0) += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(why, n)| match why {
            SkipReason::Symlink => format!(
                "{n} symlink{} not followed (use --follow-links)",
                if *n == 1 { "" } else { "s" }
            ),
            other => format!("{n} {}", other.as_str()),
        })
        .collect();
    Some(format!(
        "{} skipped ({})",
        inputs.skipped.len(),
        parts.join(", ")
    ))
}

/// A line-independent identity of a finding: rule, file, logical path and message, hashed
/// (FNV-1a, 64 bits, hex). Used by SARIF `partialFingerprints` and by baselines, so moving
/// lines around neither creates new alerts nor revives baselined findings: positions a
/// message mentions (`the value at line 4`) are left out.
pub fn fingerprint(d: &Diagnostic, inputs: &Inputs) -> String {
    fingerprint_at(d, &inputs.sources.get(d.primary.file).path)
}

/// [`fingerprint`] with the finding's file named `file` (a path relative to a baseline's
/// directory rather than to the current directory).
pub fn fingerprint_at(d: &Diagnostic, file: &str) -> String {
    fingerprint_of(
        d.rule.name,
        file,
        d.logical_path.as_deref().unwrap_or(""),
        &without_positions(d.message_without_calls()),
    )
}

/// The message with the number after each `line`/`column` word taken out.
fn without_positions(message: &str) -> std::borrow::Cow<'_, str> {
    if !message.contains("line ") && !message.contains("column ") {
        return std::borrow::Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        let (before, after) = rest.split_at(i);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(before);
        if before.ends_with("line ") || before.ends_with("column ") {
            out.push('#');
        } else {
            out.push_str(&after[..digits]);
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

pub fn fingerprint_of(rule: &str, file: &str, logical_path: &str, message: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule, file, logical_path, message] {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprints_are_stable_and_separate_their_parts() {
        let a = super::fingerprint_of("r", "f.yaml", "a.b", "msg");
        assert_eq!(a, super::fingerprint_of("r", "f.yaml", "a.b", "msg"));
        assert_ne!(a, super::fingerprint_of("r", "f.yam", "la.b", "msg"));
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn positions_in_messages_are_not_part_of_the_identity() {
        assert_eq!(
            super::without_positions("key `a` is defined twice; the value at line 12 is replaced"),
            "key `a` is defined twice; the value at line # is replaced"
        );
        assert_eq!(
            super::without_positions("reports nothing on line 3, column 40 of 2 files"),
            "reports nothing on line #, column # of 2 files"
        );
    }
}

#[cfg(test)]
mod terminal_tests {
    use super::{terminal_safe, terminal_safe_source};

    #[test]
    fn messages_escape_what_a_terminal_acts_on() {
        assert_eq!(terminal_safe("plain\ttext\n"), "plain\ttext\n");
        assert!(matches!(terminal_safe("x"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(terminal_safe("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            terminal_safe("t\u{9b}31m\u{7f}\r"),
            "t\\u{9b}31m\\u{7f}\\u{d}"
        );
    }

    #[test]
    fn source_keeps_its_offsets_and_line_endings() {
        assert_eq!(terminal_safe_source("a: 1\r\nb: 2\n\tc"), None);
        let text = "a: \"x\u{1b}]0;t\u{7}\"\r\nb: \u{9b}1\rc\n";
        let clean = terminal_safe_source(text).unwrap();
        assert_eq!(clean, "a: \"x?]0;t?\"\r\nb: ??1?c\n");
        assert_eq!(clean.len(), text.len());
    }
}
