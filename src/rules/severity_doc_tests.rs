//! Meta-test: a finding's severity is its rule's documented default, unless the rule's
//! documentation states the variant (and why). Severity is a contract: `--fail-on warning`
//! must fail on what the docs call a warning.

use std::path::Path;

use crate::diagnostic::Severity;
use crate::rules::RULES;

/// Whether `doc` states that a finding may have `sev`: a sentence such as "the finding is
/// info", "reported as a warning", "are errors" outside the header line (which gives the
/// default).
fn documents_variant(doc: &str, sev: Severity) -> bool {
    let body: String = doc.lines().skip(3).collect::<Vec<_>>().join("\n");
    let word = sev.as_str();
    let re = regex::Regex::new(&format!(
        r"(?i)(\b(is|are|as|becomes|gives|be|otherwise)\s+(an?\s+)?|\()`?{word}s?`?\b"
    ))
    .unwrap();
    re.is_match(&body)
}

/// Every fixture world of a rule except its near misses.
fn worlds(name: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules")
        .join(name);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("good" | "snapshots")
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn severities_other_than_the_default_are_documented() {
    let mut undocumented = Vec::new();
    for rule in RULES.iter() {
        let meta = rule.meta();
        for world in worlds(meta.name) {
            let (_, report) = crate::testing::lint_only(&world, meta);
            for d in report
                .diagnostics
                .iter()
                .filter(|d| d.rule.name == meta.name)
            {
                if d.severity != meta.default_severity && !documents_variant(meta.doc, d.severity) {
                    undocumented.push(format!(
                        "{} ({}): emitted as {} in {}: {}",
                        meta.name,
                        meta.default_severity.as_str(),
                        d.severity.as_str(),
                        world.display(),
                        d.message
                    ));
                }
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "severity variants the rule docs do not state:\n{}",
        undocumented.join("\n")
    );
}

#[test]
fn variant_sentences_are_recognised() {
    assert!(documents_variant(
        "h\n\nh\nthe finding is `info`: ccoctl",
        Severity::Info
    ));
    assert!(documents_variant(
        "h\n\nh\nit is reported as a warning",
        Severity::Warning
    ));
    assert!(documents_variant(
        "h\n\nh\nany other `*FullAccess` (warnings)",
        Severity::Warning
    ));
    assert!(!documents_variant(
        "h\n\nh\nthe API server returns an error",
        Severity::Error
    ));
    // The header line gives the default and does not count.
    assert!(!documents_variant(
        "# r\n\nFamily: x · Default severity: warning\n",
        Severity::Warning
    ));
}
