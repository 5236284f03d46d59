//! Test support: each rule is linted alone against its fixtures, as ruff and oxc do.
//!
//! `testdata/rules/<name>/bad/` must give at least one finding, all of this rule; the human
//! and JSON renderings are snapshots in `testdata/rules/<name>/snapshots/`.
//! `testdata/rules/<name>/good/` (near misses) must give none.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::load::{self, Inputs};
use crate::report;
use crate::rules::selector::Selector;
use crate::rules::RuleMeta;
use crate::source::Limits;
use crate::{Report, Selection};

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules")
        .join(name)
}

/// Lints `dir` as one world with only `meta` enabled; paths are shown relative to `dir`.
pub fn lint_only(dir: &Path, meta: &'static RuleMeta) -> (Inputs, Report) {
    lint_dir(dir, meta, &Config::default())
}

pub fn lint_dir(dir: &Path, meta: &'static RuleMeta, config: &Config) -> (Inputs, Report) {
    let inputs = load::load_paths(
        &[dir.to_string_lossy().into_owned()],
        dir,
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("fixture {} does not load: {e}", dir.display()));
    let selection = Selection {
        select: vec![Selector::Rule(meta)],
        ..Selection::default()
    };
    let report = crate::lint(&inputs, config, &selection);
    (inputs, report)
}

/// The human report without colour, at a fixed width.
pub fn human(inputs: &Inputs, report: &Report) -> String {
    report::human::render(
        report,
        inputs,
        &report::human::HumanOptions {
            color: false,
            width: 100,
            explain: false,
        },
    )
}

/// The findings of the JSON report (the summary's counts are in the human snapshot).
pub fn json_findings(inputs: &Inputs, report: &Report) -> String {
    let v: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| report::json::finding(d, inputs))
        .collect();
    serde_json::to_string_pretty(&v).unwrap()
}

/// Lints `testdata/rules/<name>/<world>` (an extra world beside `bad/` and `good/`, for a
/// case that needs inputs the others must not share) with only `meta` enabled.
pub fn lint_fixture_world(meta: &'static RuleMeta, world: &str) -> Report {
    lint_only(&fixture_dir(meta.name).join(world), meta).1
}

/// Checks a rule against `testdata/rules/<name>/{bad,good}` and its snapshots.
pub fn assert_rule_fixtures(meta: &'static RuleMeta) {
    let dir = fixture_dir(meta.name);
    let bad = dir.join("bad");
    let good = dir.join("good");
    assert!(
        bad.is_dir(),
        "{} has no fixtures at {}",
        meta.name,
        bad.display()
    );
    assert!(
        good.is_dir(),
        "{} has no near-miss fixtures at {}",
        meta.name,
        good.display()
    );

    let (inputs, report) = lint_only(&bad, meta);
    assert!(
        !report.diagnostics.is_empty(),
        "{}: bad/ gives no finding",
        meta.name
    );
    for d in &report.diagnostics {
        assert_eq!(
            d.rule.name, meta.name,
            "bad/ gives a finding of another rule: {}",
            d.message
        );
        let first = d.message.chars().next().unwrap_or('a');
        assert!(
            !first.is_uppercase() || d.message.starts_with("AWS_"),
            "message must start lower-case: {}",
            d.message
        );
        assert!(
            !d.message.ends_with('.'),
            "message must not end with a period: {}",
            d.message
        );
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir.join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        insta::assert_snapshot!("bad", human(&inputs, &report));
        insta::assert_snapshot!("bad.json", json_findings(&inputs, &report));
    });

    let (inputs, report) = lint_only(&good, meta);
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| report::json::finding(d, &inputs).to_string())
        .collect();
    assert!(
        found.is_empty(),
        "{}: good/ must be silent, got {found:#?}",
        meta.name
    );
}
