//! Test support: each rule is linted alone against its fixtures, as ruff and oxc do.
//!
//! `testdata/rules/<name>/bad/` must give at least one finding, all of this rule; the human
//! and JSON renderings are snapshots in `testdata/rules/<name>/snapshots/`.
//! `testdata/rules/<name>/good/` (near misses) must give none.
//!
//! Besides the snapshots, `bad/` states by hand what it expects, so that a snapshot blessed
//! from a wrong rule still fails (see [`expectations`]):
//! - `# expect: rule-name` at the end of a YAML line: a finding of that rule starts on the line;
//! - `expected.txt` in any folder, one `rule:line:col` per line for the only other file of the
//!   folder, or `rule:path:line:col` with `path` relative to the folder (JSON files, block
//!   scalars and files without comments). `#` starts a comment line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::load::{self, Inputs};
use crate::report;
use crate::rules::rule_selector::Selector;
use crate::rules::RuleMeta;
use crate::source::Limits;
use crate::{Report, Selection};

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules")
        .join(name)
}

/// Loads `dir` as one world, as `lint` does; paths are shown relative to `dir`.
fn load_dir(dir: &Path) -> Inputs {
    load::load_paths(&[dir.to_string_lossy().into_owned()], dir, &Limits::lint())
        .unwrap_or_else(|e| panic!("fixture {} does not load: {e}", dir.display()))
}

/// The inputs of the extra world `testdata/rules/<name>/<world>`, for a test that reads the
/// model built from them.
pub fn fixture_world_inputs(meta: &'static RuleMeta, world: &str) -> Inputs {
    load_dir(&fixture_dir(meta.name).join(world))
}

/// Lints `dir` as one world with only `meta` enabled; paths are shown relative to `dir`.
pub fn lint_only(dir: &Path, meta: &'static RuleMeta) -> (Inputs, Report) {
    lint_dir(dir, meta, &Config::default())
}

pub fn lint_dir(dir: &Path, meta: &'static RuleMeta, config: &Config) -> (Inputs, Report) {
    lint_selected(dir, &[meta], config)
}

/// Lints `dir` as one world with only the rules `metas` enabled.
pub fn lint_selected(dir: &Path, metas: &[&'static RuleMeta], config: &Config) -> (Inputs, Report) {
    let inputs = load_dir(dir);
    let selection = Selection {
        select: metas.iter().map(|m| Selector::Rule(m)).collect(),
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

/// Lints the extra world `testdata/rules/<name>/<world>` and checks its findings against the
/// expectations it states (none stated: it must be silent).
pub fn assert_world_expectations(meta: &'static RuleMeta, world: &str) {
    assert_world_expectations_with(meta, &[], world);
}

/// [`assert_world_expectations`] with `others` enabled beside `meta`, for a world whose
/// point is which of several rules reports a problem (every one of them stated).
pub fn assert_world_expectations_with(
    meta: &'static RuleMeta,
    others: &[&'static RuleMeta],
    world: &str,
) {
    let dir = fixture_dir(meta.name).join(world);
    let metas: Vec<&'static RuleMeta> = std::iter::once(meta)
        .chain(others.iter().copied())
        .collect();
    let (inputs, report) = lint_selected(&dir, &metas, &Config::default());
    let expected = expectations(&dir);
    let found = found_positions(&inputs, &report, &expected);
    let missing: Vec<_> = expected.difference(&found).collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "{} {world}/: findings differ from the stated expectations\n  expected, not found: {missing:#?}\n  found, not expected: {unexpected:#?}",
        meta.name
    );
}

/// The rules that run beside `meta` on its fixtures: `unused-suppression` judges the findings
/// of others and can only call a suppression unused when its rule runs. Their findings count as
/// findings of another rule: in `bad/` and `good/` they must all be suppressed.
fn companions(meta: &'static RuleMeta) -> Vec<&'static RuleMeta> {
    use crate::rules::{input, sa};
    let mut metas = vec![meta];
    if std::ptr::eq(meta, &input::unused_suppression::META) {
        metas.extend([
            &sa::sa_role_on_default_sa::META,
            &input::duplicate_key::META,
        ]);
    }
    metas
}

/// Checks a rule against `testdata/rules/<name>/{bad,good}` and its snapshots.
pub fn assert_rule_fixtures(meta: &'static RuleMeta) {
    let metas = companions(meta);
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

    let (inputs, report) = lint_selected(&bad, &metas, &Config::default());
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
    let expected = expectations(&bad);
    assert!(
        !expected.is_empty(),
        "{}: bad/ states no expectation (`# expect: {}` or expected.txt)",
        meta.name,
        meta.name
    );
    let found = found_positions(&inputs, &report, &expected);
    let missing: Vec<_> = expected.difference(&found).collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "{}: bad/ findings differ from the stated expectations\n  expected, not found: {missing:#?}\n  found, not expected: {unexpected:#?}",
        meta.name
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir.join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        insta::assert_snapshot!("bad", human(&inputs, &report));
        insta::assert_snapshot!("bad.json", json_findings(&inputs, &report));
    });

    let (inputs, report) = lint_selected(&good, &metas, &Config::default());
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

/// Lints one in-memory file with only `meta` enabled (for inputs generated by a test).
pub fn lint_text(path: &str, text: &str, meta: &'static RuleMeta) -> Report {
    let inputs = load::load(
        vec![load::RawInput {
            display: path.into(),
            bytes: text.as_bytes().to_vec(),
            read_error: None,
        }],
        &Limits::lint(),
    );
    let selection = Selection {
        select: vec![Selector::Rule(meta)],
        ..Selection::default()
    };
    crate::lint(&inputs, &Config::default(), &selection)
}

/// The help of the one finding `meta` makes on one in-memory file (panics unless there is
/// exactly one): for tests of what a rule advises where.
pub fn only_help(path: &str, text: &str, meta: &'static RuleMeta) -> String {
    let report = lint_text(path, text, meta);
    assert_eq!(
        report.diagnostics.len(),
        1,
        "{path}: {:#?}",
        report.diagnostics
    );
    report.diagnostics[0].help.clone().unwrap_or_default()
}

/// One stated expectation: file (relative to `bad/`, `/`-separated), rule, line and, when the
/// expectation names it, column.
pub type Expectation = (String, String, usize, Option<usize>);

/// The expectations stated in the files under `dir` (markers and `expected.txt`).
pub fn expectations(dir: &Path) -> BTreeSet<Expectation> {
    let mut out = BTreeSet::new();
    let mut files = Vec::new();
    walk(dir, &mut files);
    for path in &files {
        let rel = relative(dir, path);
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if path.file_name().is_some_and(|n| n == "expected.txt") {
            let folder = path.parent().unwrap_or(dir);
            let siblings: Vec<&PathBuf> = files
                .iter()
                .filter(|f| f.parent() == Some(folder) && *f != path)
                .collect();
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let parts: Vec<&str> = line.split(':').collect();
                let (rule, file, l, c) = match parts.as_slice() {
                    [rule, l, c] => {
                        assert_eq!(
                            siblings.len(),
                            1,
                            "{rel}:{}: `rule:line:col` needs exactly one other file in the folder",
                            i + 1
                        );
                        (*rule, relative(dir, siblings[0]), *l, *c)
                    }
                    [rule, file, l, c] => (*rule, relative(dir, &folder.join(file)), *l, *c),
                    _ => panic!(
                        "{rel}:{}: expected `rule:line:col` or `rule:path:line:col`",
                        i + 1
                    ),
                };
                let num = |s: &str| {
                    s.trim()
                        .parse::<usize>()
                        .unwrap_or_else(|_| panic!("{rel}:{}: `{s}` is not a number", i + 1))
                };
                out.insert((file, rule.trim().to_string(), num(l), Some(num(c))));
            }
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            let Some((_, rules)) = line.split_once("# expect:") else {
                continue;
            };
            for rule in rules.split([',', ' ']).filter(|r| !r.is_empty()) {
                out.insert((rel.clone(), rule.to_string(), i + 1, None));
            }
        }
    }
    out
}

/// The findings as expectations, with the column only where the matching expectation (same
/// file, rule and line) states one.
fn found_positions(
    inputs: &Inputs,
    report: &Report,
    expected: &BTreeSet<Expectation>,
) -> BTreeSet<Expectation> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let f = report::json::finding(d, inputs);
            let file = f["file"].as_str().unwrap_or("").replace('\\', "/");
            let line = f["line"].as_u64().unwrap_or(0) as usize;
            let col = f["column"].as_u64().unwrap_or(0) as usize;
            let rule = d.rule.name.to_string();
            let with_col = expected
                .iter()
                .any(|(ef, er, el, ec)| *ef == file && *er == rule && *el == line && ec.is_some());
            (file, rule, line, with_col.then_some(col))
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn relative(base: &Path, path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.strip_prefix(base).unwrap_or(path).components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// The seeded pseudo-random numbers of the grammar-based generators that hold the fast
/// readers (`source::yaml::fast`, `terraform::fast`) to their oracles: xorshift64, so a failing
/// seed reproduces the same text anywhere.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> XorShift {
        XorShift(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// `text` with random edits, for the fast readers' generators: each `(at, what)` deletes the
/// character at `at` (modulo the length, moved back to a character boundary) or inserts one
/// of `insert` there, the syntax a reader is likeliest to get wrong.
pub fn mutate(text: &str, edits: &[(usize, u8)], insert: &[&str]) -> String {
    let mut s = text.to_string();
    for &(at, what) in edits {
        if s.is_empty() {
            break;
        }
        let mut at = at % s.len();
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match what as usize % (insert.len() + 1) {
            0 => {
                let len = s[at..].chars().next().map_or(0, char::len_utf8);
                s.replace_range(at..at + len, "");
            }
            i => s.insert_str(at, insert[i - 1]),
        }
    }
    s
}
