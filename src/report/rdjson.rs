//! `--format rdjson`: the Reviewdog Diagnostic Format, so reviewdog posts each finding as a
//! review comment on its line of the pull request (`reviewdog -f=rdjson -reporter=github-pr-review`),
//! with fixes as suggested changes. Columns are 1-based UTF-8 byte counts, as the format
//! defines them (reviewdog/reviewdog proto/rdf/reviewdog.proto, `Position`).

use serde_json::{json, Value};

use super::Report;
use crate::diagnostic::Severity;
use crate::load::Inputs;
use crate::source::file::Span;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

/// Line and UTF-8 byte column (both 1-based) of a byte offset.
fn byte_position(inputs: &Inputs, file: crate::source::file::FileId, offset: u32) -> Value {
    let f = inputs.sources.get(file);
    let offset = (offset as usize).min(f.text().len());
    let (line, _) = f.line_col(offset);
    let start = f.lines().line_start(line);
    json!({"line": line, "column": offset.saturating_sub(start) + 1})
}

fn range(inputs: &Inputs, span: Span) -> Value {
    json!({
        "start": byte_position(inputs, span.file, span.start),
        "end": byte_position(inputs, span.file, span.end),
    })
}

pub fn render(report: &Report, inputs: &Inputs) -> String {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!("\n\nhelp: {h}"));
            }
            let mut v = json!({
                "message": message,
                "location": {
                    "path": inputs.sources.get(d.primary.file).path,
                    "range": range(inputs, d.primary),
                },
                "severity": severity(d.severity),
                "code": {"value": format!("{} {}", d.rule.code, d.rule.name), "url": d.rule.doc_url()},
            });
            // Suggestions are applied in the primary file only; an edit elsewhere would
            // be shown on the wrong file's diff.
            if let Some(fix) = &d.fix {
                let suggestions: Vec<Value> = fix
                    .edits
                    .iter()
                    .filter(|(span, _)| span.file == d.primary.file)
                    .map(|(span, text)| json!({"range": range(inputs, *span), "text": text}))
                    .collect();
                if !suggestions.is_empty() {
                    v["suggestions"] = Value::Array(suggestions);
                }
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .map(|r| {
                    json!({
                        "message": r.message,
                        "location": {
                            "path": inputs.sources.get(r.span.file).path,
                            "range": range(inputs, r.span),
                        },
                    })
                })
                .collect();
            if !related.is_empty() {
                v["related_locations"] = Value::Array(related);
            }
            v
        })
        .collect();
    let v = json!({
        "source": {"name": "irsalint", "url": crate::rules::DOCS_URI},
        "diagnostics": diagnostics,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
