//! Suppressions: inline `# irsalint: ignore[rule-name] reason` comments in YAML, and
//! baselines (`--write-baseline` / `--baseline`) keyed by rule, file and a line-independent
//! fingerprint. Unused and malformed inline suppressions are findings themselves
//! (`unused-suppression` E007, `invalid-suppression` E008), reported at the directive.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Fix};
use crate::load::{Format, Inputs};
use crate::rules::input::{invalid_suppression, unused_suppression};
use crate::rules::rule_selector::Selection;
use crate::rules::{rule_selector as selector, RuleMeta};
use crate::source::file::{SourceFile, Span};

/// One rule named in a directive.
#[derive(Debug)]
struct Entry {
    text: String,
    span: Span,
    rule: Option<&'static RuleMeta>,
    used: bool,
}

/// One `# irsalint: ignore[...] reason` comment.
#[derive(Debug)]
struct Directive {
    /// The line (1-based) whose findings it hides.
    target_line: usize,
    entries: Vec<Entry>,
    /// What `--fix` deletes when nothing in it is used.
    removal: Span,
}

pub use crate::source::comments::MARKER;

/// Parses the directives of one YAML file from its real comments (`comments`: offsets of
/// their `#`, see [`crate::source::comments`]); malformed ones become `invalid-suppression`.
fn parse_file(f: &SourceFile, comments: &[u32], out: &mut Vec<Diagnostic>) -> Vec<Directive> {
    let text = &f.text();
    let lines = &f.lines();
    let mut directives = Vec::new();
    for &c in comments {
        let hash = c as usize;
        let Some(after) = text.get(hash + 1..) else {
            continue;
        };
        let lead = after.len() - after.trim_start_matches([' ', '\t']).len();
        if !after[lead..].starts_with(MARKER) {
            continue;
        }
        let (line_no, _) = f.line_col(hash);
        let line_start = lines.line_start(line_no);
        let newline = text[hash..].find('\n').map(|i| hash + i);
        // The comment ends before the line break (`\r\n` included: a CRLF line keeps it).
        let end = newline.unwrap_or(text.len());
        let end = if text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        let before = text[line_start..hash].trim_start_matches('\u{feff}');
        let comment_only = before.trim().is_empty();
        let body = &text[hash + 1 + lead + MARKER.len()..end];
        let body_at = hash + 1 + lead + MARKER.len();
        let comment = Span::new(f.id, hash, end);
        let removal = if comment_only {
            // The whole line, its line break included; a BOM in front of it stays.
            let from = line_start + (text[line_start..hash].len() - before.len());
            Span::new(f.id, from, newline.map_or(text.len(), |n| n + 1))
        } else {
            // The comment and the blanks before it; the line break stays as it was.
            let ws = text[line_start..hash].trim_end_matches([' ', '\t']).len();
            Span::new(f.id, line_start + ws, end)
        };
        let target_line = if comment_only {
            next_code_line(f, comments, line_no)
        } else {
            line_no
        };
        match parse_body(body, body_at, f.id) {
            Err(msg) => out.push(
                invalid_suppression::META
                    .diagnostic(comment, msg)
                    .help("write `# irsalint: ignore[rule-name] why this is acceptable`"),
            ),
            Ok((entries, reason)) => {
                for e in entries.iter().filter(|e| e.rule.is_none()) {
                    out.push(
                        invalid_suppression::META
                            .diagnostic(
                                e.span,
                                format!(
                                    "suppression of an {}",
                                    selector::unknown_rule_message(&e.text)
                                ),
                            )
                            .help("use a rule name or code from `irsalint rules`"),
                    );
                }
                if reason.is_empty() {
                    let names: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
                    out.push(
                        invalid_suppression::META
                            .diagnostic(
                                comment,
                                format!("suppression of {} gives no reason", names.join(", ")),
                            )
                            .help("write after the brackets why the finding is acceptable"),
                    );
                }
                directives.push(Directive {
                    target_line,
                    entries,
                    removal,
                });
            }
        }
    }
    directives
}

/// The first line after `line` that holds something other than blanks and a comment (the
/// line a standalone directive covers); 0 when there is none.
fn next_code_line(f: &SourceFile, comments: &[u32], line: usize) -> usize {
    let text = &f.text();
    for l in line + 1..=f.lines().line_count() {
        let start = f.lines().line_start(l);
        if start >= text.len() && l > 1 {
            break;
        }
        let rest = &text[start..];
        let first = start + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        match text.as_bytes().get(first) {
            None | Some(b'\n' | b'\r') => continue,
            _ if comments.binary_search(&(first as u32)).is_ok() => continue,
            _ => return l,
        }
    }
    0
}

/// `ignore[a, b] reason` → entries and reason.
fn parse_body(body: &str, at: usize, file: u32) -> Result<(Vec<Entry>, String), String> {
    let lead = body.len() - body.trim_start().len();
    let rest = &body[lead..];
    let Some(list) = rest.strip_prefix("ignore[") else {
        return Err(format!(
            "unknown irsalint directive \"{}\"",
            rest.split_whitespace().next().unwrap_or("")
        ));
    };
    let Some(close) = list.find(']') else {
        return Err("suppression lacks the closing `]`".into());
    };
    let list_at = at + lead + "ignore[".len();
    let mut entries = Vec::new();
    let mut off = 0;
    for part in list[..close].split(',') {
        let t = part.trim();
        if !t.is_empty() {
            let start = list_at + off + (part.len() - part.trim_start().len());
            entries.push(Entry {
                text: t.to_string(),
                span: Span::new(file, start, start + t.len()),
                rule: selector::find_rule(t),
                used: false,
            });
        }
        off += part.len() + 1;
    }
    if entries.is_empty() {
        return Err("suppression names no rule".into());
    }
    Ok((entries, list[close + 1..].trim().to_string()))
}

/// Hides the findings inline suppressions cover and reports unused or malformed
/// directives. Returns how many findings were hidden.
pub fn apply_inline(
    diagnostics: &mut Vec<Diagnostic>,
    inputs: &Inputs,
    selection: &Selection,
) -> usize {
    let mut extra = Vec::new();
    let mut by_file: HashMap<u32, Vec<Directive>> = HashMap::new();
    for file in &inputs.files {
        // YAML and HCL `#` comments; JSON has none.
        if file.format == Format::Json {
            continue;
        }
        if file.comments.is_empty() {
            continue;
        }
        let src = inputs.sources.get(file.id);
        let ds = parse_file(src, &file.comments, &mut extra);
        if !ds.is_empty() {
            by_file.insert(file.id, ds);
        }
    }
    let before = diagnostics.len();
    if !by_file.is_empty() {
        diagnostics.retain(|d| {
            let Some(ds) = by_file.get_mut(&d.primary.file) else {
                return true;
            };
            let line = inputs
                .sources
                .get(d.primary.file)
                .line_col(d.primary.start as usize)
                .0;
            let mut hidden = false;
            for dir in ds.iter_mut().filter(|dir| dir.target_line == line) {
                for e in &mut dir.entries {
                    if e.rule.is_some_and(|r| std::ptr::eq(r, d.rule)) {
                        e.used = true;
                        hidden = true;
                    }
                }
            }
            !hidden
        });
    }
    let hidden = before - diagnostics.len();
    for dir in by_file.values().flatten() {
        let known: Vec<&Entry> = dir.entries.iter().filter(|e| e.rule.is_some()).collect();
        let all_unused = dir.entries.iter().all(|e| !e.used);
        for e in known.iter().filter(|e| !e.used) {
            let rule = e.rule.expect("filtered");
            // A disabled rule cannot be judged: its finding would not show anyway.
            if !selection.enabled(rule) {
                continue;
            }
            let mut d = unused_suppression::META
                .diagnostic(
                    e.span,
                    format!(
                        "unused suppression: {} reports nothing on line {}",
                        rule.name, dir.target_line
                    ),
                )
                .help("delete the suppression, or move it to the line of the finding");
            if all_unused && known.len() == dir.entries.len() && known.len() == 1 {
                d = d.fix(Fix {
                    description: "delete the unused suppression".into(),
                    edits: vec![(dir.removal, String::new())],
                });
            }
            extra.push(d);
        }
    }
    extra.retain(|d| selection.enabled(d.rule));
    diagnostics.extend(extra);
    hidden
}

/// One entry of a baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct BaselineEntry {
    pub rule: String,
    pub file: String,
    pub fingerprint: String,
    /// For the reader of the file; not part of the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

/// Known findings, keyed by rule, file and fingerprint (with multiplicity).
#[derive(Debug, Default)]
pub struct Baseline {
    counts: HashMap<(String, String, String), usize>,
    /// The baseline file's directory and the current directory: entries name files
    /// relative to the baseline, so it works from any working directory.
    base: Option<(std::path::PathBuf, std::path::PathBuf)>,
}

impl Baseline {
    pub fn load(path: &std::path::Path, shown: &str) -> Result<Baseline, String> {
        let limit = crate::source::Limits::default().max_file_size;
        let text = crate::load::read_text_file(path, limit).map_err(|e| format!("{shown}: {e}"))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("{shown}:{}:{}: not a baseline: {e}", e.line(), e.column()))?;
        if file.version != 1 {
            return Err(format!(
                "{shown}: baseline version {} is not supported (expected 1)",
                file.version
            ));
        }
        let mut counts = HashMap::new();
        for e in file.findings {
            *counts.entry((e.rule, e.file, e.fingerprint)).or_insert(0) += 1;
        }
        Ok(Baseline {
            counts,
            base: base_of(path),
        })
    }

    /// Removes baselined findings; returns how many.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>, inputs: &Inputs) -> usize {
        let mut left = self.counts.clone();
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let file = entry_path(inputs, d, self.base.as_ref());
            let key = (
                d.rule.name.to_string(),
                file.clone(),
                crate::report::fingerprint_at(d, &file),
            );
            match left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - diagnostics.len()
    }
}

/// The directory of a baseline file and the current directory.
fn base_of(baseline: &std::path::Path) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let cwd = std::env::current_dir().ok()?;
    let dir = baseline.parent().unwrap_or(std::path::Path::new(""));
    Some((dir.to_path_buf(), cwd))
}

/// The file of a finding as a baseline names it: relative to the baseline's directory.
fn entry_path(
    inputs: &Inputs,
    d: &Diagnostic,
    base: Option<&(std::path::PathBuf, std::path::PathBuf)>,
) -> String {
    let shown = &inputs.sources.get(d.primary.file).path;
    match base {
        Some((dir, cwd)) => crate::source::discover::rebase(shown, cwd, dir),
        None => shown.clone(),
    }
}

/// The baseline file, written to `target`, for the findings of a run; its entries name
/// files relative to `target`'s directory.
pub fn baseline_json(
    diagnostics: &[Diagnostic],
    inputs: &Inputs,
    target: &std::path::Path,
) -> String {
    let base = base_of(target);
    let findings = diagnostics
        .iter()
        .map(|d| {
            let file = entry_path(inputs, d, base.as_ref());
            BaselineEntry {
                rule: d.rule.name.to_string(),
                fingerprint: crate::report::fingerprint_at(d, &file),
                file,
                message: Some(d.message.clone()),
            }
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&BaselineFile {
        version: 1,
        findings,
    })
    .unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<Directive>, Vec<Diagnostic>) {
        let f = SourceFile::new(0, "a.yaml", text);
        let loaded = crate::source::yaml::load_yaml(0, text, f.lines(), &Default::default());
        let comments =
            crate::source::comments::comment_starts(text, &loaded.documents, &loaded.problems);
        let mut out = Vec::new();
        let d = parse_file(&f, &comments, &mut out);
        (d, out)
    }

    #[test]
    fn directives_cover_their_line_or_the_next_code_line() {
        let (d, bad) = parse(
            "a: 1 # irsalint: ignore[E002] dup on purpose\n# irsalint: ignore[sa-role-not-trusted, T005] known\n\n# other comment\nb: 2\nc: '# irsalint: ignore[x]'\n",
        );
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].target_line, 1);
        assert_eq!(d[1].target_line, 5);
        assert_eq!(d[1].entries.len(), 2);
        assert!(d[1].entries.iter().all(|e| e.rule.is_some()));
    }

    #[test]
    fn malformed_directives_are_findings() {
        let (_, bad) = parse("# irsalint: ignore[sa-role-not-trustd] typo\na: 1\n");
        assert_eq!(bad.len(), 1);
        assert!(bad[0]
            .message
            .contains("did you mean \"sa-role-not-trusted\""));
        let (_, bad) = parse("a: 1 # irsalint: ignore[T005]\n");
        assert_eq!(bad[0].message, "suppression of T005 gives no reason");
        let (_, bad) = parse("a: 1 # irsalint: ignroe[T005] x\n");
        assert!(bad[0].message.starts_with("unknown irsalint directive"));
        let (_, bad) = parse("a: 1 # irsalint: ignore[T005 x\n");
        assert_eq!(bad.len(), 1);
    }

    #[test]
    fn only_real_comments_are_directives() {
        // In a quoted scalar, in a block scalar: text, not directives.
        let (d, bad) = parse(
            "a: \"x # irsalint: ignore[S001] r\"\nrun.sh: |\n  # irsalint: ignore[T001] r\n  echo\nb: 1\n",
        );
        assert!(d.is_empty() && bad.is_empty(), "{d:?} {bad:?}");
        // A real comment after a value holding ` # `; one after a BOM on line 1.
        let (d, _) = parse("a: \"x # y\" # irsalint: ignore[S001] known\n");
        assert_eq!((d.len(), d[0].target_line), (1, 1));
        let (d, _) = parse("\u{feff}# irsalint: ignore[S001] known\na: 1\n");
        assert_eq!((d.len(), d[0].target_line), (1, 2));
        // A line of a block scalar starting with `#` is the code line a directive covers.
        let (d, _) = parse("# irsalint: ignore[S001] known\nk: |\n  x\n");
        assert_eq!(d[0].target_line, 2);
    }

    #[test]
    fn removals_keep_line_endings() {
        let text = "a: 1 # irsalint: ignore[S001] known\r\n# irsalint: ignore[S002] k\r\nb: 2\r\n";
        let (d, _) = parse(text);
        assert_eq!(
            &text[d[0].removal.range()],
            " # irsalint: ignore[S001] known"
        );
        assert_eq!(
            &text[d[1].removal.range()],
            "# irsalint: ignore[S002] k\r\n"
        );
        assert_eq!(d[1].target_line, 3);
    }
}
