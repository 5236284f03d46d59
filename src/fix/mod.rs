//! The fix engine: applies the text edits of findings' fixes (`Diagnostic.fix`) by byte
//! span, so YAML comments and formatting stay as they are. [`converge`] applies them round
//! after round until nothing is left to fix, checking each result by loading and linting it
//! again; [`write`] puts the result on disk safely; [`diff`] renders it for `--diff`.
//! Overlapping fixes in one round: the first (in report order) wins, the other is fixed in
//! the next round.

pub mod converge;
pub mod diff;
pub mod write;

use std::collections::BTreeMap;
use std::ops::Range;

pub use diff::unified_diff;
pub use write::write_atomic;

use crate::diagnostic::Diagnostic;
use crate::load::Inputs;
use crate::source::file::FileId;

/// The accepted edits of one file.
#[derive(Debug)]
pub struct FilePlan {
    pub file: FileId,
    pub path: String,
    pub edits: Vec<(Range<usize>, String)>,
    /// Indices (in the report) of the findings these edits fix.
    pub fixed: Vec<usize>,
}

/// Chooses the edits to apply: every fix whose edits all lie in files read from disk and
/// overlap no edit already chosen.
pub fn plan(diagnostics: &[Diagnostic], inputs: &Inputs) -> Vec<FilePlan> {
    plan_some(diagnostics, inputs, &|_| true)
}

/// [`plan`] for the findings whose index `wanted` accepts.
pub fn plan_some(
    diagnostics: &[Diagnostic],
    inputs: &Inputs,
    wanted: &dyn Fn(usize) -> bool,
) -> Vec<FilePlan> {
    let mut plans: BTreeMap<FileId, FilePlan> = BTreeMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if !wanted(i) {
            continue;
        }
        let Some(fix) = &d.fix else { continue };
        if fix.edits.is_empty() {
            continue;
        }
        let ok = fix.edits.iter().all(|(span, text)| {
            let src = inputs.sources.get(span.file);
            let in_bounds = span.end as usize <= src.text().len()
                && src.text().is_char_boundary(span.start as usize)
                && src.text().is_char_boundary(span.end as usize);
            // The very edit another finding's fix already makes fixes this one too (two
            // findings on one operator name).
            let free = plans.get(&span.file).is_none_or(|p| {
                p.edits
                    .iter()
                    .all(|(r, t)| !overlaps(r, &span.range()) || (*r == span.range() && t == text))
            });
            in_bounds && free
        });
        // Two edits of the same fix must not overlap each other either.
        let mut own: Vec<_> = fix.edits.iter().map(|(s, _)| (s.file, s.range())).collect();
        own.sort_by_key(|(f, r)| (*f, r.start));
        let self_ok = own
            .windows(2)
            .all(|w| w[0].0 != w[1].0 || !overlaps(&w[0].1, &w[1].1));
        if !(ok && self_ok) {
            continue;
        }
        for (span, text) in &fix.edits {
            let p = plans.entry(span.file).or_insert_with(|| FilePlan {
                file: span.file,
                path: inputs.sources.get(span.file).path.clone(),
                edits: Vec::new(),
                fixed: Vec::new(),
            });
            if !p.edits.iter().any(|(r, t)| *r == span.range() && t == text) {
                p.edits.push((span.range(), text.clone()));
            }
            if !p.fixed.contains(&i) {
                p.fixed.push(i);
            }
        }
    }
    let mut out: Vec<FilePlan> = plans.into_values().collect();
    for p in &mut out {
        p.edits.sort_by_key(|(r, _)| (r.start, r.end));
    }
    out
}

/// Two ranges conflict when they share a byte, or are the same insertion point.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start && (a.is_empty() || b.is_empty()))
}

/// The text with the (sorted, disjoint) edits applied.
pub fn apply(text: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, new) in edits {
        out.push_str(&text[at..r.start]);
        out.push_str(new);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_by_span_and_keep_everything_else() {
        let text = "a: 1 # keep me\nb:   \"StringEqual\"\n";
        let at = text.find("StringEqual").unwrap();
        let edits = vec![(at..at + 11, "StringEquals".to_string())];
        assert_eq!(
            apply(text, &edits),
            "a: 1 # keep me\nb:   \"StringEquals\"\n"
        );
        let d = unified_diff("x.yaml", text, &edits);
        assert_eq!(
            d,
            "--- a/x.yaml\n+++ b/x.yaml\n@@ -1,2 +1,2 @@\n a: 1 # keep me\n-b:   \"StringEqual\"\n+b:   \"StringEquals\"\n"
        );
    }

    #[test]
    fn diff_of_a_deleted_line_and_far_apart_hunks() {
        let text: String = (1..=20).map(|i| format!("l{i}\n")).collect();
        let s2 = text.find("l2\n").unwrap();
        let s18 = text.find("l18\n").unwrap();
        let edits = vec![(s2..s2 + 3, String::new()), (s18..s18 + 3, "L18".into())];
        let d = unified_diff("f", &text, &edits);
        assert!(d.contains("@@ -1,5 +1,4 @@\n l1\n-l2\n l3\n"), "{d}");
        assert!(
            d.contains("@@ -15,6 +14,6 @@\n l15\n l16\n l17\n-l18\n+L18\n"),
            "{d}"
        );
    }
}
