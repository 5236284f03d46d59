//! `--format sarif`: SARIF 2.1.0 (DESIGN.md §5), valid against the OASIS schema (tests
//! validate it) and shaped for GitHub code scanning: every rule with its doc as help,
//! relative artifact URIs, full regions, related locations, line-independent fingerprints.

use serde_json::{json, Value};

use super::json::positions;
use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Inputs;
use crate::rules::{Rule, RULES};
use crate::source::file::Span;

const INFORMATION_URI: &str = crate::rules::DOCS_URI;

/// GitHub code scanning ranks alerts by `security-severity` (CVSS-like, 0.0-10.0): above 7.0
/// is high, above 4.0 medium, below that low. A rule's default severity decides its rank.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(report: &Report, inputs: &Inputs) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r: &&dyn Rule| {
            let m = r.meta();
            let full = m
                .doc_section("What it does")
                .unwrap_or(m.summary)
                .replace('\n', " ");
            json!({
                "id": m.name,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": full},
                "help": {"text": m.doc, "markdown": m.doc},
                "helpUri": m.doc_url(),
                "defaultConfiguration": {"level": level(m.default_severity)},
                "properties": {
                    "code": m.code,
                    "tags": ["security", m.family.name()],
                    "security-severity": security_severity(m.default_severity),
                },
            })
        })
        .collect();
    let index_of = |name: &str| RULES.iter().position(|r| r.meta().name == name);
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(d, inputs, index_of(d.rule.name)))
        .collect();
    let c = super::Counts::of(report);
    let v = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "irsalint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the directory irsalint ran in"}}},
            "results": results,
            "properties": {"summary": {
                "files": inputs.files.len(),
                "documents": inputs.document_count(),
                "errors": c.errors,
                "warnings": c.warnings,
                "infos": c.infos,
                "suppressed": report.suppressed,
            }},
        }],
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

fn result(d: &Diagnostic, inputs: &Inputs, rule_index: Option<usize>) -> Value {
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut loc = location(r.span, inputs);
            loc["id"] = json!(i + 1);
            loc["message"] = json!({"text": r.message});
            loc
        })
        .collect();
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    let mut v = json!({
        "ruleId": d.rule.name,
        "level": level(d.severity),
        "message": {"text": message},
        "locations": [location(d.primary, inputs)],
        "partialFingerprints": {"irsalint/v1": super::fingerprint(d, inputs)},
        "properties": {"code": d.rule.code},
    });
    if let Some(i) = rule_index {
        v["ruleIndex"] = json!(i);
    }
    if !related.is_empty() {
        v["relatedLocations"] = json!(related);
    }
    if let Some(fix) = &d.fix {
        let mut changes: Vec<Value> = Vec::new();
        for (span, text) in &fix.edits {
            let (l, c, el, ec) = positions(*span, inputs);
            changes.push(json!({
                "artifactLocation": artifact(span.file, inputs),
                "replacements": [{
                    "deletedRegion": {"startLine": l, "startColumn": c, "endLine": el, "endColumn": ec},
                    "insertedContent": {"text": text},
                }],
            }));
        }
        v["fixes"] =
            json!([{"description": {"text": fix.description}, "artifactChanges": changes}]);
    }
    v
}

fn artifact(file: u32, inputs: &Inputs) -> Value {
    let path = &inputs.sources.get(file).path;
    if path.starts_with('/') {
        json!({"uri": format!("file://{}", uri_escape(path))})
    } else {
        json!({"uri": uri_escape(path), "uriBaseId": "%SRCROOT%"})
    }
}

fn location(span: Span, inputs: &Inputs) -> Value {
    let (l, c, el, ec) = positions(span, inputs);
    json!({"physicalLocation": {
        "artifactLocation": artifact(span.file, inputs),
        "region": {"startLine": l, "startColumn": c, "endLine": el, "endColumn": ec.max(1)},
    }})
}

/// Percent-encodes what may not appear raw in a URI path.
fn uri_escape(path: &str) -> String {
    let mut o = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+=@".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}
