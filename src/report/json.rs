//! `--format json`: one stable object (DESIGN.md §5). Fields are added, never renamed.

use serde_json::{json, Value};

use super::Counts;
use super::Report;
use crate::diagnostic::Diagnostic;
use crate::load::Inputs;
use crate::source::file::Span;

pub fn render(report: &Report, inputs: &Inputs) -> String {
    let c = Counts::of(report);
    let findings: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| finding(d, inputs))
        .collect();
    let skipped: Vec<Value> = inputs
        .skipped
        .iter()
        .map(|s| json!({"path": s.display, "reason": s.why.as_str()}))
        .collect();
    let mut v = json!({
        "version": 1,
        "tool": {"name": "irsalint", "version": env!("CARGO_PKG_VERSION")},
        "summary": {
            "files": inputs.files.len(),
            "documents": inputs.document_count(),
            "errors": c.errors,
            "warnings": c.warnings,
            "infos": c.infos,
            "suppressed": report.suppressed,
        },
        "findings": findings,
    });
    // Only when the walk skipped something: the object stays as it was otherwise.
    if !skipped.is_empty() {
        v["summary"]["skipped"] = json!(skipped.len());
        v["skipped"] = Value::Array(skipped);
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// Start and end positions (1-based, columns in characters; the end is exclusive).
pub fn positions(span: Span, inputs: &Inputs) -> (usize, usize, usize, usize) {
    let f = inputs.sources.get(span.file);
    let (l, c) = f.line_col(span.start as usize);
    let (el, ec) = f.line_col(span.end as usize);
    (l, c, el, ec)
}

pub fn finding(d: &Diagnostic, inputs: &Inputs) -> Value {
    let (line, column, end_line, end_column) = positions(d.primary, inputs);
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| {
            let (l, c, _, _) = positions(r.span, inputs);
            json!({"file": inputs.sources.get(r.span.file).path, "line": l, "column": c, "message": r.message})
        })
        .collect();
    json!({
        "code": d.rule.code,
        "rule": d.rule.name,
        "url": d.rule.doc_url(),
        "severity": d.severity.as_str(),
        "message": d.message,
        "file": inputs.sources.get(d.primary.file).path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "related": related,
        "help": d.help,
        "fix": d.fix.as_ref().map(|f| {
            let edits: Vec<Value> = f
                .edits
                .iter()
                .map(|(span, text)| {
                    let (l, c, el, ec) = positions(*span, inputs);
                    json!({
                        "file": inputs.sources.get(span.file).path,
                        "line": l, "column": c, "end_line": el, "end_column": ec,
                        "replacement": text,
                    })
                })
                .collect();
            // Every fix irsalint offers is safe: `--fix` applies it without asking.
            json!({"description": f.description, "applicability": "safe", "edits": edits})
        }),
    })
}
