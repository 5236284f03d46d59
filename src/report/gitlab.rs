//! `--format gitlab`: a GitLab Code Quality report (the Code Climate issue subset GitLab
//! reads), shown in merge request widgets and diffs: a JSON array of issues with
//! `description`, `check_name`, `fingerprint`, `severity` and `location.path` +
//! `location.lines.begin` (the required fields), plus `location.positions` for the columns.
//! https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format

use serde_json::{json, Value};

use super::json::positions;
use super::Report;
use crate::diagnostic::Severity;
use crate::load::Inputs;

/// GitLab's severities are `info`, `minor`, `major`, `critical`, `blocker`.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn render(report: &Report, inputs: &Inputs) -> String {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let issues: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let (line, col, end_line, end_col) = positions(d.primary, inputs);
            // Fingerprints must be unique in a report: the line-independent one, and a
            // counter for a second finding with the same identity.
            let base = super::fingerprint(d, inputs);
            let n = seen.entry(base.clone()).or_insert(0);
            let fingerprint = if *n == 0 { base } else { format!("{base}-{n}") };
            *n += 1;
            let mut description = format!("{} ({}): {}", d.rule.name, d.rule.code, d.message);
            if let Some(h) = &d.help {
                description.push_str(&format!(" (help: {h})"));
            }
            json!({
                "type": "issue",
                "description": description,
                "check_name": d.rule.name,
                "categories": ["Security"],
                "fingerprint": fingerprint,
                "severity": severity(d.severity),
                "location": {
                    "path": inputs.sources.get(d.primary.file).path,
                    "lines": {"begin": line, "end": end_line},
                    "positions": {
                        "begin": {"line": line, "column": col},
                        "end": {"line": end_line, "column": end_col},
                    },
                },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    s.push('\n');
    s
}
