//! Property test of `--fix`: real fixtures, mutated (typos fixes exist for, directives in
//! and out of scalars, CRLF, lines moved), go through load → lint → fix → re-load. The fixed
//! files still parse, fixing adds no finding, a second fix changes nothing, and the result
//! is what a fresh lint of the fixed files says. A modest case count keeps it to seconds.

use std::path::{Path, PathBuf};

use irsalint::config::Config;
use irsalint::fix::converge::{converge, Converged};
use irsalint::load::{Inputs, RawInput, RawWorld};
use irsalint::source::{Limits, ProblemKind};
use irsalint::{Report, Selection};
use proptest::prelude::*;

/// Every rule fixture directory (a world of its `bad` and `good` files).
fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn world_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for sub in ["bad", "good"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !["yaml", "yml", "json"].contains(&ext) {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(&p) {
                let name = format!("{sub}/{}", p.file_name().unwrap().to_string_lossy());
                out.push((name, text));
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    /// A standalone directive above line `n`, indented like it.
    DirectiveAbove(usize, &'static str),
    /// A directive at the end of line `n`.
    DirectiveAfter(usize, &'static str),
    /// A directive-like text inside a new quoted value.
    QuotedDirective(&'static str),
    /// The `k`-th word that a fix exists for, misspelt.
    Typo(usize),
    DuplicateLine(usize),
    DeleteLine(usize),
    Crlf,
}

const RULES: &[&str] = &[
    "S001",
    "T001",
    "trust-operator-typo",
    "unused-suppression",
    "P001",
];
const TYPOS: &[(&str, &str)] = &[
    ("\"StringEquals\"", "\"STRINGEQUALS\""),
    ("StringEquals:", "StringEqual:"),
    ("\"Allow\"", "\"allow\""),
    ("Effect: Allow", "Effect: allow"),
    ("ForAllValues:", "ForAllValue:"),
    ("AWS_ROLE_ARN", "AWS_ARN_ROLE"),
    ("\"Version\": \"2012-10-17\",", ""),
    ("Version: \"2012-10-17\"", ""),
    ("StringLike", "stringlike"),
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0usize..60, prop::sample::select(RULES)).prop_map(|(n, r)| Mutation::DirectiveAbove(n, r)),
        (0usize..60, prop::sample::select(RULES)).prop_map(|(n, r)| Mutation::DirectiveAfter(n, r)),
        prop::sample::select(RULES).prop_map(Mutation::QuotedDirective),
        (0usize..TYPOS.len() * 4).prop_map(Mutation::Typo),
        (0usize..60).prop_map(Mutation::DuplicateLine),
        (0usize..60).prop_map(Mutation::DeleteLine),
        Just(Mutation::Crlf),
    ]
}

fn mutate(text: &str, m: &Mutation) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.is_empty() {
        return text.to_string();
    }
    let pick = |n: usize| n % lines.len();
    let with = |i: usize, new: String| -> String {
        let mut v: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        v[i] = new;
        v.concat()
    };
    match m {
        Mutation::DirectiveAbove(n, r) => {
            let i = pick(*n);
            let indent: String = lines[i].chars().take_while(|c| *c == ' ').collect();
            with(
                i,
                format!("{indent}# irsalint: ignore[{r}] known\n{}", lines[i]),
            )
        }
        Mutation::DirectiveAfter(n, r) => {
            let i = pick(*n);
            let l = lines[i];
            let body = l.trim_end_matches(['\n', '\r']);
            with(
                i,
                format!("{body} # irsalint: ignore[{r}] known{}", &l[body.len()..]),
            )
        }
        Mutation::QuotedDirective(r) => {
            format!("{text}\n---\nkind: ConfigMap\ndata:\n  k: \"x # irsalint: ignore[{r}] r\"\n")
        }
        Mutation::Typo(k) => {
            let (from, to) = TYPOS[k % TYPOS.len()];
            let nth = k / TYPOS.len();
            match text
                .match_indices(from)
                .nth(nth)
                .or(text.match_indices(from).next())
            {
                Some((at, _)) => format!("{}{to}{}", &text[..at], &text[at + from.len()..]),
                None => text.to_string(),
            }
        }
        Mutation::DuplicateLine(n) => {
            let i = pick(*n);
            with(i, format!("{}{}", lines[i], lines[i]))
        }
        Mutation::DeleteLine(n) => with(pick(*n), String::new()),
        Mutation::Crlf => text.replace("\r\n", "\n").replace('\n', "\r\n"),
    }
}

fn raw_world(files: &[(String, String)]) -> RawWorld {
    RawWorld {
        raws: files
            .iter()
            .map(|(name, text)| RawInput {
                display: name.clone(),
                bytes: text.as_bytes().to_vec(),
                read_error: None,
            })
            .collect(),
        // Never written: converge only computes the new texts.
        paths: files.iter().map(|(n, _)| Some(PathBuf::from(n))).collect(),
        skipped: Vec::new(),
    }
}

fn lint(inputs: &Inputs) -> Report {
    irsalint::lint(inputs, &Config::default(), &Selection::default())
}

type Key = (String, String, String);

fn keys(report: &Report, inputs: &Inputs) -> Vec<Key> {
    let mut v: Vec<Key> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.name.to_string(),
                inputs.sources.get(d.primary.file).path.clone(),
                irsalint::report::fingerprint(d, inputs),
            )
        })
        .collect();
    v.sort();
    v
}

fn positions(report: &Report, inputs: &Inputs) -> Vec<(String, String, usize, usize, String)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let f = inputs.sources.get(d.primary.file);
            let (l, c) = f.line_col(d.primary.start as usize);
            (
                d.rule.name.to_string(),
                f.path.clone(),
                l,
                c,
                d.message.clone(),
            )
        })
        .collect()
}

fn parse_problems(inputs: &Inputs, i: usize) -> usize {
    inputs.files[i]
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Parse)
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn fix_never_breaks_a_file_and_reaches_a_fixed_point(
        dir in 0usize..1000,
        file in 0usize..100,
        ms in prop::collection::vec(mutation(), 1..4),
    ) {
        let dirs = fixture_dirs();
        let mut files = world_files(&dirs[dir % dirs.len()]);
        prop_assume!(!files.is_empty());
        let target = file % files.len();
        for m in &ms {
            files[target].1 = mutate(&files[target].1, m);
        }
        let world = raw_world(&files);
        let limits = Limits::default();
        let before = world.load_with(&[], &limits);
        let before_report = lint(&before);
        let Converged { texts, .. } = converge(&world, &limits, &lint);

        let fixed_files: Vec<(String, String)> = files
            .iter()
            .zip(&texts)
            .map(|((n, t), new)| (n.clone(), new.clone().unwrap_or_else(|| t.clone())))
            .collect();
        let fresh_world = raw_world(&fixed_files);
        let after = fresh_world.load_with(&[], &limits);
        let after_report = lint(&after);

        // Fixed files parse as well as before.
        for i in 0..files.len() {
            prop_assert!(
                parse_problems(&after, i) <= parse_problems(&before, i),
                "{} no longer parses:\n{}", files[i].0, fixed_files[i].1
            );
        }
        // Fixing adds no finding: what is left was there before.
        let mut left = keys(&before_report, &before);
        for k in keys(&after_report, &after) {
            match left.iter().position(|x| *x == k) {
                Some(p) => { left.remove(p); }
                None => prop_assert!(false, "fixing added {k:?}"),
            }
        }
        // The world fixed in place reports what a fresh lint of the fixed files reports.
        let in_place = world.load_with(&texts, &limits);
        prop_assert_eq!(positions(&lint(&in_place), &in_place), positions(&after_report, &after));
        // A second fix changes no byte.
        let again = converge(&fresh_world, &limits, &lint);
        for (i, t) in again.texts.iter().enumerate() {
            if let Some(t) = t {
                prop_assert_eq!(t, &fixed_files[i].1, "second fix changed {}", files[i].0);
            }
        }
    }
}
