//! The fast path's oracle: the saphyr path. Every chunk the fast path reads must load exactly
//! as the saphyr path loads it (documents, spans, styles, indexes, problems, flags).

use std::path::{Path, PathBuf};

use super::super::file::LineIndex;
use super::super::node::{Node, ScalarStyle, Value};
use super::super::{Limits, Loaded, ProblemKind};
use super::documents::{is_blank_chunk, split_documents};
use super::{fast, load_yaml};

fn load(text: &str, fast_yaml: bool) -> Loaded {
    let limits = Limits {
        fast_yaml,
        ..Limits::default()
    };
    load_yaml(3, text, &LineIndex::new(text), &limits)
}

/// (chunks the fast path reads, chunks with a document) of `text`.
fn fast_chunks(text: &str) -> (usize, usize) {
    let lines = LineIndex::new(text);
    if text.starts_with('\u{feff}') {
        return (0, 0);
    }
    let limits = Limits::default();
    let mut read = 0;
    let mut all = 0;
    for chunk in split_documents(text, &lines, 0) {
        if is_blank_chunk(&text[chunk.clone()]) {
            continue;
        }
        all += 1;
        let doc = fast::read_chunk(
            3,
            text,
            chunk.start,
            chunk.end,
            limits.max_depth,
            limits.max_flow_run,
        );
        read += usize::from(doc.is_ok());
    }
    (read, all)
}

/// Asserts that the fast path changes nothing in the loading of `text`; returns the chunks it
/// read and all chunks.
fn assert_same(name: &str, text: &str) -> (usize, usize) {
    let fast = load(text, true);
    let slow = load(text, false);
    // As text: a `.nan` is not equal to itself as a value.
    let (f, s) = (
        format!("{:#?}", fast.documents),
        format!("{:#?}", slow.documents),
    );
    if f != s {
        let line = f
            .lines()
            .zip(s.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let window = |t: &str| {
            t.lines()
                .skip(line.saturating_sub(12))
                .take(16)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!("{name}: documents differ at line {line} of their dump\ntext:\n{text}\nfast:\n{}\nsaphyr:\n{}", window(&f), window(&s));
    }
    assert_eq!(fast.problems, slow.problems, "{name}: problems differ");
    assert_eq!(
        fast.no_json_strings, slow.no_json_strings,
        "{name}: no_json_strings differs"
    );
    fast_chunks(text)
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn fast_path_loads_every_yaml_file_of_the_repository_as_saphyr_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["testdata", "examples", "../shared/corpus/real"] {
        yaml_files(&root.join(dir), &mut files);
    }
    files.sort();
    // FAST_YAML_DIRS=a:b adds directories (a generated monorepo, checked-out repositories).
    if let Some(dirs) = std::env::var_os("FAST_YAML_DIRS") {
        for dir in std::env::split_paths(&dirs) {
            yaml_files(&dir, &mut files);
        }
    }
    let (mut read, mut all) = (0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let (r, a) = assert_same(&path.display().to_string(), &text);
        // FAST_YAML_BAILS=1 lists every file with the chunks the fast path read.
        if std::env::var_os("FAST_YAML_BAILS").is_some() {
            eprintln!("chunks {} {r}/{a}", path.display());
        }
        read += r;
        all += a;
    }
    eprintln!("fast path: {read} of {all} chunks in {} files", files.len());
    // The repository's own fixtures alone hold hundreds of chunks in the subset: a fast path
    // that reads none of them proves nothing.
    assert!(
        read * 2 > all,
        "the fast path read only {read} of {all} chunks"
    );
}

/// A small deterministic generator of YAML-like text (xorshift): nested block mappings and
/// sequences in every layout the fast path reads (compact `- k: v`, `- - a`, indentless
/// sequences, odd indentation steps), every scalar style, one-line flow collections,
/// comments, blank lines, trailing blanks, several documents, and scalars that look like
/// other types or hold `: ` and ` #`.
struct Gen {
    rng: crate::testing::XorShift,
    out: String,
}

const PLAIN: &[&str] = &[
    "app",
    "on",
    "null",
    "Null",
    "~",
    "0x1f",
    "0o17",
    "1e3",
    "-1",
    "+2",
    "1.5",
    ".inf",
    "-.inf",
    ".nan",
    "true",
    "FALSE",
    "007",
    "99999999999999999999",
    "a b",
    "x:y",
    "h#i",
    "a #b",
    "-dash",
    "--flag",
    "é",
    "日本語",
    "{json}",
    "a,b",
    "[x",
    "x]",
    "arn:aws:iam::1:role/r",
    "v1",
    "0.",
    "1_000",
    "2001-01-01",
    "x ",
    "-1e-3",
    "0x",
    "0o8",
    "0o",
    "+",
    ".",
    "1e",
];

/// Plain scalars that are not plain scalars, or not the fast path's (`?x` and `:x` are its
/// in block context, not in a flow collection).
const RARE: &[&str] = &[
    "a: b", "-", "?x", ":x", "a\tb", "<<", "...", "---x", "%x", "@x", "`x", "!x", "&a", "*a", "k:",
    "? k",
];

const QUOTED: &[&str] = &[
    "\"\"",
    "''",
    "\"a b\"",
    "'a''b'",
    "'it s'",
    "\"a\\\"b\"",
    "\"a\\\\b\"",
    "\"\\n\\t\\r\"",
    "\"\\u00e9\\x41\\U0001F600\"",
    "\"\\/\\0\\a\\b\\e\\f\\v\\ \\N\\_\\L\\P\"",
    "\"a # b\"",
    "'a: b'",
    "\"{\\\"a\\\": 1}\"",
    "' {x} '",
    "\"é\"",
    "'#'",
    "\"'\"",
    "'\"'",
];

/// Quoted scalars the fast path leaves to saphyr (or that are errors).
const RARE_QUOTED: &[&str] = &[
    "\"\\q\"",
    "\"\\ud800\"",
    "\"unterminated",
    "'x' y",
    "\"\\x4\"",
];

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen {
            rng: crate::testing::XorShift::new(seed),
            out: String::new(),
        }
    }

    fn next(&mut self) -> u64 {
        self.rng.next_u64()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[self.below(from.len())]
    }

    fn stream(mut self) -> String {
        let docs = 1 + self.below(3);
        for d in 0..docs {
            if d > 0 || self.chance(30) {
                let marker = match self.below(4) {
                    0 => "--- # doc\n",
                    1 => "--- \n",
                    _ => "---\n",
                };
                self.out.push_str(marker);
            }
            if self.chance(20) {
                self.out.push_str("# leading comment\n\n");
            }
            let indent = if self.chance(10) { 2 } else { 0 };
            if self.chance(70) {
                self.map(indent, 0);
            } else {
                self.seq(indent, 0);
            }
        }
        self.out
    }

    fn spaces(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(' ', n));
    }

    fn scalar(&mut self, flow: bool) -> String {
        // CloudFormation's short forms and tags the fast path leaves to saphyr.
        if self.chance(3) {
            // Mostly what the fast path reads, now and then what it leaves to saphyr.
            let tag = if self.chance(80) {
                self.pick(&["!Ref ", "!Sub  ", "!GetAtt ", "!Rain::Embed "])
            } else {
                self.pick(&["!!str ", "!", "!If\n", "!<x> ", "!x%21 "])
            };
            // A tag alone: an empty tagged value, or the tag of what the next lines hold.
            if self.chance(15) {
                return tag.trim_end().to_string();
            }
            return format!("{tag}{}", self.scalar(flow));
        }
        match self.below(if flow { 2 } else { 3 }) {
            0 if self.chance(3) => self.pick(RARE).to_string(),
            0 => self.pick(PLAIN).to_string(),
            1 if self.chance(3) => self.pick(RARE_QUOTED).to_string(),
            1 => self.pick(QUOTED).to_string(),
            _ => self.flow(0),
        }
    }

    fn flow(&mut self, depth: usize) -> String {
        let map = self.chance(50);
        let n = self.below(4);
        let mut s = String::from(if map { "{" } else { "[" });
        if self.chance(20) {
            s.push(' ');
        }
        for i in 0..n {
            if i > 0 {
                s.push_str(if self.chance(80) { ", " } else { " ,  " });
            }
            if map {
                let k = self.scalar(true);
                s.push_str(&k);
                s.push_str(if self.chance(97) { ": " } else { ":" });
            }
            if depth < 2 && self.chance(20) {
                let inner = self.flow(depth + 1);
                s.push_str(&inner);
            } else {
                let v = self.scalar(true);
                s.push_str(&v);
            }
        }
        if self.chance(3) {
            s.push(',');
        }
        if self.chance(20) {
            s.push(' ');
        }
        s.push(if map { '}' } else { ']' });
        s
    }

    /// The end of a line holding a node: maybe trailing blanks, a comment, blank lines.
    fn eol(&mut self) {
        if self.chance(10) {
            let n = 1 + self.below(2);
            self.spaces(n);
        }
        if self.chance(10) {
            self.out.push_str(" # note: a #b");
        }
        self.out.push('\n');
        if self.chance(8) {
            self.out.push('\n');
        }
        if self.chance(5) {
            let n = self.below(6);
            self.spaces(n);
            self.out.push_str("# comment\n");
        }
    }

    /// A plain or quoted scalar over several lines, after `key: ` or `- ` in a collection at
    /// column `indent`: its continuation lines mostly more indented, now and then not, with
    /// empty lines, blanks at their ends, indicators and escaped line breaks in them.
    fn multi_line(&mut self, indent: usize) {
        let quote = self.pick(&["", "", "'", "\""]);
        self.out.push_str(quote);
        let first = self.pick(&["text", ":x", "a b", "1", "it''s"]);
        self.out.push_str(first);
        for _ in 0..1 + self.below(3) {
            if quote == "\"" && self.chance(20) {
                self.out.push('\\');
            } else if self.chance(20) {
                self.out.push(' ');
            }
            self.out.push('\n');
            if self.chance(15) {
                self.out.push('\n');
            }
            let n = if self.chance(90) {
                indent + 1 + self.below(3)
            } else {
                indent
            };
            self.spaces(n);
            let word = self.pick(&[
                "more", "- x", "[a] {b}", "#c", "a #c", "k: v", "é", "\\t", "''",
            ]);
            self.out.push_str(word);
        }
        self.out.push_str(quote);
        self.eol();
    }

    fn step(&mut self) -> usize {
        match self.below(10) {
            0 => 1,
            1 => 4,
            2 => 3,
            _ => 2,
        }
    }

    fn block_scalar(&mut self, indent: usize) {
        let header = if self.chance(5) {
            self.pick(&["|2", ">-1", "|+#"])
        } else {
            self.pick(&["|", "|-", "|+", ">", ">-", ">+", "| # c", ">+ "])
        };
        self.out.push_str(header);
        self.out.push('\n');
        let n = indent + self.step();
        let lines = 1 + self.below(4);
        for _ in 0..lines {
            match self.below(12) {
                0 => {}
                1 => self.spaces(n + 2),
                _ => {
                    let more = usize::from(self.chance(5));
                    self.spaces(n + more);
                    let word = self.pick(&["text", "# not a comment", "a: b", "x  ", "é"]);
                    self.out.push_str(word);
                }
            }
            self.out.push('\n');
        }
        if self.chance(30) {
            self.out.push('\n');
        }
    }

    /// A value after `key:` (on the same line or on the next ones).
    fn value(&mut self, indent: usize, depth: usize) {
        let nested = depth < 4;
        match self.below(10) {
            0 if nested => {
                self.out.push('\n');
                let step = self.step();
                self.map(indent + step, depth + 1);
            }
            1 if nested => {
                self.out.push('\n');
                let step = if self.chance(50) { 0 } else { self.step() };
                self.seq(indent + step, depth + 1);
            }
            2 => {
                self.out.push(' ');
                self.block_scalar(indent);
            }
            3 => self.eol(),
            4 if self.chance(30) => {
                self.out.push(' ');
                self.multi_line(indent);
            }
            _ => {
                self.out.push(' ');
                let s = self.scalar(false);
                self.out.push_str(&s);
                self.eol();
            }
        }
    }

    fn map(&mut self, indent: usize, depth: usize) {
        let n = 1 + self.below(4);
        for i in 0..n {
            if i > 0 || !self.out.ends_with("- ") {
                self.spaces(indent);
            }
            let key = if self.chance(85) {
                self.pick(&[
                    "name", "on", "null", "~", "1", "0x1", "a b", "é", "k-1", "x",
                ])
                .to_string()
            } else {
                self.scalar(true)
            };
            self.out.push_str(&key);
            self.out.push(':');
            if self.chance(3) {
                self.out.push(' ');
            }
            self.value(indent, depth);
        }
    }

    fn seq(&mut self, indent: usize, depth: usize) {
        let n = 1 + self.below(4);
        for i in 0..n {
            if i > 0 || !self.out.ends_with("- ") {
                self.spaces(indent);
            }
            self.out.push('-');
            let nested = depth < 4;
            match self.below(10) {
                0 if nested => {
                    // `- key: v` with the mapping at the column after `- ` (or further).
                    let extra = self.below(3);
                    self.spaces(1 + extra);
                    self.map(indent + 2 + extra, depth + 1);
                }
                1 if nested => {
                    self.out.push(' ');
                    self.seq(indent + 2, depth + 1);
                }
                2 if nested => {
                    self.out.push('\n');
                    let step = self.step();
                    self.map(indent + step, depth + 1);
                }
                3 => {
                    self.out.push(' ');
                    self.block_scalar(indent);
                }
                4 => self.eol(),
                5 if self.chance(30) => {
                    self.out.push(' ');
                    self.multi_line(indent);
                }
                _ => {
                    self.out.push(' ');
                    let s = self.scalar(false);
                    self.out.push_str(&s);
                    self.eol();
                }
            }
        }
    }
}

/// `text` with a few bytes inserted or removed (at character boundaries).
fn mutate(text: &str, edits: &[(usize, u8)]) -> String {
    const INSERT: &[&str] = &[
        " ", "\n", "-", ":", "#", "'", "\"", "|", "\t", "&", "*", "!", "[", "]", "{", "}", ",",
        "\r\n", "  ", "- ", ": ", " #", "\\", "é", "\u{85}", "\u{feff}", "...", "?",
    ];
    crate::testing::mutate(text, edits, INSERT)
}

#[test]
fn generated_yaml_is_mostly_in_the_subset() {
    let (mut read, mut all) = (0, 0);
    // FAST_YAML_SEEDS=N runs N seeds, each also mutated, for a longer local search.
    let seeds = std::env::var("FAST_YAML_SEEDS").map_or(400, |n| n.parse().unwrap_or(400));
    for seed in 0..seeds {
        let text = Gen::new(seed).stream();
        let (r, a) = assert_same(&format!("seed {seed}"), &text);
        if seeds > 400 {
            let edits = [
                (seed as usize * 7919, seed as u8),
                (seed as usize * 104_729, (seed >> 8) as u8),
            ];
            assert_same(&format!("seed {seed} mutated"), &mutate(&text, &edits));
        }
        if seed < 400 {
            read += r;
            all += a;
        }
    }
    // The generator writes many bail cases on purpose, but most of its documents are in the
    // subset: the property below compares real fast-path output, not only bails.
    assert!(
        read * 2 > all,
        "the fast path read only {read} of {all} chunks"
    );
    eprintln!("generated: the fast path read {read} of {all} chunks");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, .. Default::default() })]

    /// Whatever the fast path reads loads exactly as through saphyr, and it never panics
    /// (`fast_chunks` calls it without the loader's guard).
    #[test]
    fn fast_path_equals_saphyr_on_generated_yaml(
        seed in proptest::prelude::any::<u64>(),
        edits in proptest::collection::vec((proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>()), 0..3),
    ) {
        let text = mutate(&Gen::new(seed).stream(), &edits);
        assert_same("generated", &text);
    }
}

/// Whether the fast path reads every chunk of `text` that holds a document.
fn read_fast(text: &str) -> bool {
    let (read, all) = fast_chunks(text);
    read == all && all > 0
}

/// The problems of `loaded` as (kind, message).
fn problems(loaded: &Loaded) -> Vec<(ProblemKind, &str)> {
    loaded
        .problems
        .iter()
        .map(|p| (p.kind, p.message.as_str()))
        .collect()
}

#[test]
fn fast_path_bails_outside_its_subset_and_the_result_is_saphyrs() {
    // (why, text, documents loaded, problem kinds): what the loader gives whatever path.
    use ProblemKind::{Lenient, Parse};
    let long_key = format!("{}: v\n", "k".repeat(1100));
    let deep = format!("a: {}{}\n", "[".repeat(70), "]".repeat(70));
    let cases: &[(&str, &str, usize, &[ProblemKind])] = &[
        ("tab in indentation", "a:\n\tb: 1\n", 0, &[Parse]),
        ("tab in a value", "a: b\tc\n", 1, &[]),
        ("CRLF", "a: 1\r\nb: 2\r\n", 1, &[]),
        ("BOM", "\u{feff}a: 1\n", 1, &[]),
        ("NEL", "a: x\u{85}y\n", 1, &[]),
        ("directive", "%YAML 1.2\n---\na: 1\n", 1, &[]),
        ("document end marker", "a: 1\n...\n", 1, &[]),
        ("explicit key", "? a\n: 1\n", 1, &[]),
        ("anchor and alias", "a: &x 1\nb: *x\n", 1, &[]),
        ("core-schema tag", "a: !!str 1\n", 1, &[]),
        ("verbatim tag", "a: !<x> y\n", 1, &[]),
        ("tag with a handle", "a: !e!x y\n", 0, &[Parse]),
        ("two tags", "a: [!Sub !Ref x]\n", 0, &[Parse]),
        ("tag alone in a flow mapping", "a: {b: !Ref}\n", 1, &[]),
        ("non-specific tag", "a: ! x\n", 1, &[]),
        // `!` is the text's last byte: nothing after it to read.
        ("`!` at the end of the text", "a: !", 1, &[]),
        (
            "a `#` run into a tagged flow collection",
            "a: !Join [x]#c\n",
            0,
            &[Parse],
        ),
        (
            "non-specific tag on a block collection",
            "a: !\n  - x\n",
            1,
            &[],
        ),
        (
            "tag run into a flow collection",
            "a: !Join[a]\n",
            0,
            &[Parse],
        ),
        ("tag on a key", "!Ref a: b\n", 1, &[]),
        ("tag alone in a flow collection", "a: [!Ref , b]\n", 1, &[]),
        ("merge key", "base:\n  x: 1\nc:\n  <<: {y: 2}\n", 1, &[]),
        ("tag alone in a flow sequence", "a: [!GetAZs]\n", 1, &[]),
        ("tag from a `-`", "a: !-x y\n", 1, &[]),
        ("tag with a `%` escape", "a: !x%21 y\n", 1, &[]),
        (
            "plain scalar from `:` in a flow collection",
            "a: [:x]\n",
            1,
            &[],
        ),
        (
            "multi-line plain scalar from the line after its key",
            "a:\n  one\n  two\n",
            1,
            &[],
        ),
        (
            "comment line inside a multi-line plain scalar",
            "a: one\n  # c\n  two\n",
            0,
            &[Parse],
        ),
        (
            "comment before a plain scalar's continuation",
            "a: one # c\n  two\n",
            0,
            &[Parse],
        ),
        ("multi-line implicit key", "a: one\n  two: 2\n", 0, &[Parse]),
        ("multi-line quoted key", "- 'a\n  b': c\n", 0, &[Parse]),
        (
            "quoted scalar's continuation at the block's column",
            "a: 'one\ntwo'\n",
            1,
            &[Lenient],
        ),
        (
            "unterminated multi-line quoted scalar",
            "a: 'one\n\n",
            0,
            &[Parse],
        ),
        (
            "multi-line quoted scalar in a flow collection",
            "a: ['x\n  y']\n",
            1,
            &[],
        ),
        ("multi-line flow collection", "a: [1,\n  2]\n", 1, &[]),
        ("indentation indicator", "a: |2\n   x\n", 1, &[]),
        (
            "leading empty line in a block scalar",
            "a: |\n\n  x\n",
            1,
            &[],
        ),
        ("more-indented folded line", "a: >\n  x\n    y\n", 1, &[]),
        (
            "block scalar at the end without a line break",
            "a: |\n  x",
            1,
            &[],
        ),
        // YAML limits implicit keys to 1024 characters; saphyr enforces it.
        ("key over 1000 bytes", &long_key, 0, &[Parse]),
        ("nesting deeper than the fast path reads", &deep, 1, &[]),
        (
            "trailing comma in a flow collection",
            "a: [1, 2, ]\n",
            1,
            &[],
        ),
        ("colon in a flow scalar", "a: {url: http://x}\n", 1, &[]),
        ("mapping value in a value", "a: b: c\n", 0, &[Parse]),
        ("root scalar", "just text\n", 1, &[]),
        ("`---` with content", "--- {a: 1}\n", 1, &[]),
        (
            "indentless sequence of a flow collection",
            "k:\n- [a]\n",
            1,
            &[],
        ),
        (
            "indentless sequence whose first `-` has a comment",
            "k:\n- # c\n  x: 1\n",
            1,
            &[],
        ),
        (
            "seq entry after a value at the key's column",
            "a: 1\n- b\n",
            0,
            &[Parse],
        ),
        ("unknown escape", "a: \"\\q\"\n", 0, &[Parse]),
        ("escape of a surrogate", "a: \"\\ud800\"\n", 0, &[Parse]),
    ];
    for &(why, text, documents, kinds) in cases {
        assert!(!read_fast(text), "{why}: the fast path read {text:?}");
        let loaded = load(text, true);
        assert_same(why, text);
        assert_eq!(loaded.documents.len(), documents, "{why}: {loaded:?}");
        let got: Vec<ProblemKind> = loaded.problems.iter().map(|p| p.kind).collect();
        assert_eq!(got, kinds, "{why}: {:?}", problems(&loaded));
    }
}

#[test]
fn limits_are_reported_by_the_saphyr_path() {
    let limits = |max_depth, max_documents| Limits {
        max_depth,
        max_documents,
        ..Limits::default()
    };
    let text = "a:\n  b:\n    c: 1\n";
    for fast_yaml in [true, false] {
        let shallow = Limits {
            fast_yaml,
            ..limits(2, 10)
        };
        let loaded = load_yaml(3, text, &LineIndex::new(text), &shallow);
        assert!(loaded.documents.is_empty());
        assert_eq!(
            problems(&loaded),
            [(ProblemKind::Limit, "nesting deeper than 2 levels")]
        );
        let stream = "a: 1\n---\nb: 2\n";
        let one = Limits {
            fast_yaml,
            ..limits(256, 1)
        };
        let loaded = load_yaml(3, stream, &LineIndex::new(stream), &one);
        assert_eq!(loaded.documents.len(), 1);
        assert_eq!(
            problems(&loaded),
            [(ProblemKind::Limit, "more than 1 documents in the stream")]
        );
        assert_eq!(loaded.problems[0].span.start, 5);
    }
}

/// The text of each node of `doc`, depth first (keys before values), as `kind text`.
fn spans(text: &str, loaded: &Loaded) -> Vec<String> {
    fn walk(text: &str, n: &Node, out: &mut Vec<String>) {
        let kind = match &n.value {
            Value::Map(_) => "map",
            Value::Seq(_) => "seq",
            Value::Null => "null",
            _ => "scalar",
        };
        out.push(format!("{kind} {:?}", &text[n.span.range()]));
        match &n.value {
            Value::Seq(items) => items.iter().for_each(|i| walk(text, i, out)),
            Value::Map(entries) => entries.iter().for_each(|e| {
                walk(text, &e.key, out);
                walk(text, &e.value, out);
            }),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for d in &loaded.documents {
        walk(text, &d.root, &mut out);
    }
    out
}

#[test]
fn fast_path_spans_written_by_hand() {
    let text = "--- # first\nk:\n- a\n- b: c\n  d: 'it''s'\nz: [x, \"y\"]  # note\nn:\ns: |-\n  one  \n  two\n\nt:\n  -   \n  - {}\n";
    assert!(read_fast(text));
    let loaded = load(text, true);
    assert_eq!(
        spans(text, &loaded),
        [
            // A block mapping runs from its first key to the end of its last value.
            "map \"k:\\n- a\\n- b: c\\n  d: 'it''s'\\nz: [x, \\\"y\\\"]  # note\\nn:\\ns: |-\\n  one  \\n  two\\n\\nt:\\n  -   \\n  - {}\"",
            "scalar \"k\"",
            // An indentless sequence starts at its first `-`.
            "seq \"- a\\n- b: c\\n  d: 'it''s'\"",
            "scalar \"a\"",
            // A compact mapping starts at its first key.
            "map \"b: c\\n  d: 'it''s'\"",
            "scalar \"b\"",
            "scalar \"c\"",
            "scalar \"d\"",
            "scalar \"'it''s'\"",
            "scalar \"z\"",
            // A flow collection's span runs over the blanks and comment after it.
            "seq \"[x, \\\"y\\\"]  # note\"",
            "scalar \"x\"",
            "scalar \"\\\"y\\\"\"",
            "scalar \"n\"",
            // An implicit null sits just after its `:`.
            "null \"\"",
            "scalar \"s\"",
            // A block scalar: from its indicator to its last non-blank character.
            "scalar \"|-\\n  one  \\n  two\"",
            "scalar \"t\"",
            "seq \"-   \\n  - {}\"",
            "null \"\"",
            "map \"{}\"",
        ]
    );
    let root = &loaded.documents[0].root;
    let null = |key: &str| root.get(key).unwrap().span.start as usize;
    assert_eq!(null("n"), text.find("n:").unwrap() + 2);
    assert_eq!(root.get("s").unwrap().as_str(), Some("one  \ntwo"));
    assert_eq!(
        root.path(&["k"]).unwrap().as_seq().unwrap()[1]
            .get("d")
            .unwrap()
            .as_str(),
        Some("it's")
    );
    // An empty `-` entry sits after the blanks that follow its `-`.
    let t = root.get("t").unwrap().as_seq().unwrap();
    assert_eq!(t[0].span.start as usize, text.find("-   \n").unwrap() + 4);
}

#[test]
fn fast_path_types_scalars_as_the_core_schema() {
    let text = "- on\n- null\n- ~\n- 0x1f\n- 1e3\n- -1\n- 'true'\n- \"\\u00e9\\x41\\t\"\n- {\"a\": [1, .5]}\n- >\n  a\n  b\n\n  c\n";
    assert!(read_fast(text));
    let loaded = load(text, true);
    let items = loaded.documents[0].root.as_seq().unwrap();
    let values: Vec<&Value> = items.iter().map(|n| &n.value).collect();
    assert_eq!(values[0], &Value::Str("on".into()));
    assert_eq!(values[1], &Value::Null);
    assert_eq!(values[2], &Value::Null);
    assert_eq!(values[3], &Value::Int(31));
    assert_eq!(values[4], &Value::Float(1000.0));
    assert_eq!(values[5], &Value::Int(-1));
    assert_eq!(values[6], &Value::Str("true".into()));
    assert_eq!(values[7], &Value::Str("éA\t".into()));
    assert_eq!(
        items[8].get("a").unwrap().as_seq().unwrap()[1].value,
        Value::Float(0.5)
    );
    assert_eq!(values[9], &Value::Str("a b\nc\n".into()));
    assert_eq!(items[9].style, ScalarStyle::Folded);
    assert_same("scalars", text);
}

/// CloudFormation's short forms on one line, as templates write them on most lines: read by
/// the fast path, each node's span without its tag, the tag kept as written, a tagged
/// scalar's text a string whatever it looks like.
#[test]
fn fast_path_reads_local_tags_on_one_line_values() {
    let text = "A: !Sub \"arn:${AWS::Partition}:s3:::${B}\"\nB: !GetAtt Provider.Arn  # c\nC: !Ref 123\nD: !Join [ \":\", [ a, !Ref B, !Sub '${X}' ] ]\nE:\n  - !If [C, {X: !Ref Y}, !Ref NoValue]\n  - !ImportValue   true\n";
    assert!(read_fast(text));
    let loaded = load(text, true);
    assert_eq!(
        spans(text, &loaded),
        [
            "map \"A: !Sub \\\"arn:${AWS::Partition}:s3:::${B}\\\"\\nB: !GetAtt Provider.Arn  # c\\nC: !Ref 123\\nD: !Join [ \\\":\\\", [ a, !Ref B, !Sub '${X}' ] ]\\nE:\\n  - !If [C, {X: !Ref Y}, !Ref NoValue]\\n  - !ImportValue   true\"",
            "scalar \"A\"",
            "scalar \"\\\"arn:${AWS::Partition}:s3:::${B}\\\"\"",
            "scalar \"B\"",
            "scalar \"Provider.Arn\"",
            "scalar \"C\"",
            "scalar \"123\"",
            "scalar \"D\"",
            "seq \"[ \\\":\\\", [ a, !Ref B, !Sub '${X}' ] ]\"",
            "scalar \"\\\":\\\"\"",
            // A flow collection's span runs over the blanks after it (saphyr's).
            "seq \"[ a, !Ref B, !Sub '${X}' ] \"",
            "scalar \"a\"",
            "scalar \"B\"",
            "scalar \"'${X}'\"",
            "scalar \"E\"",
            "seq \"- !If [C, {X: !Ref Y}, !Ref NoValue]\\n  - !ImportValue   true\"",
            "seq \"[C, {X: !Ref Y}, !Ref NoValue]\"",
            "scalar \"C\"",
            "map \"{X: !Ref Y}\"",
            "scalar \"X\"",
            "scalar \"Y\"",
            "scalar \"NoValue\"",
            "scalar \"true\"",
        ]
    );
    let root = &loaded.documents[0].root;
    let tag = |n: &Node| n.tag.as_deref();
    assert_eq!(tag(root.get("A").unwrap()), Some("!Sub"));
    assert_eq!(tag(root.get("B").unwrap()), Some("!GetAtt"));
    assert_eq!(root.get("C").unwrap().value, Value::Str("123".into()));
    assert_eq!(tag(root.get("D").unwrap()), Some("!Join"));
    let inner = &root.get("D").unwrap().as_seq().unwrap()[1]
        .as_seq()
        .unwrap()[1];
    assert_eq!((tag(inner), inner.as_str()), (Some("!Ref"), Some("B")));
    let e = root.get("E").unwrap().as_seq().unwrap();
    assert_eq!(tag(&e[0]), Some("!If"));
    assert_eq!(
        (tag(&e[1]), &e[1].value),
        (Some("!ImportValue"), &Value::Str("true".into()))
    );
    assert_same("short forms", text);
}

/// A tagged flow collection followed by blanks and a comment, or by blanks alone: read, as
/// an untagged one is (its span runs over the blanks, saphyr's).
#[test]
fn fast_path_reads_a_comment_after_a_tagged_flow_collection() {
    for text in [
        "a: !Join [x, y]  # c\n",
        "- !If [x, y] # c\n",
        "a: !Sub {b: c}   \nd: 1\n",
    ] {
        assert!(read_fast(text), "{text:?}");
        assert_same("tagged flow collection and comment", text);
    }
}

/// `!Sub |` with its lines, as templates write UserData: the block scalar's span from its
/// indicator, without the tag, its text a string.
#[test]
fn fast_path_reads_a_tagged_block_scalar() {
    let text = "UserData:\n  Fn::Base64: !Sub |\n    #!/bin/bash\n    echo ${AWS::Region}\n  X: !Sub >-\n    a\n    b\nY:\n  - !Sub |\n    1\n";
    assert!(read_fast(text));
    let loaded = load(text, true);
    let root = &loaded.documents[0].root;
    let data = root.path(&["UserData", "Fn::Base64"]).unwrap();
    assert_eq!(
        (data.tag.as_deref(), data.as_str()),
        (Some("!Sub"), Some("#!/bin/bash\necho ${AWS::Region}\n"))
    );
    assert_eq!(
        &text[data.span.range()],
        "|\n    #!/bin/bash\n    echo ${AWS::Region}"
    );
    let x = root.path(&["UserData", "X"]).unwrap();
    assert_eq!((x.tag.as_deref(), x.as_str()), (Some("!Sub"), Some("a b")));
    let y = &root.get("Y").unwrap().as_seq().unwrap()[0];
    assert_eq!((y.tag.as_deref(), y.as_str()), (Some("!Sub"), Some("1\n")));
    assert_same("tagged block scalars", text);
}

/// A short form whose arguments are a block collection on the next lines, as CloudFormation
/// writes `!Sub` with a map of variables or `!Join` of a long list: the collection's span
/// from its first entry, without the tag.
#[test]
fn fast_path_reads_local_tags_on_block_collections() {
    let text = "A: !Sub\n  - \"${X}-${Y}\"\n  - X: !Ref P\n    Y: b\nB:\n  - !Join\n    - ''\n    - - a\n      - !Ref C\nD: !If  \n- x\nE: !GetAZs\n  R: r\n";
    assert!(read_fast(text));
    let loaded = load(text, true);
    let root = &loaded.documents[0].root;
    let a = root.get("A").unwrap();
    assert_eq!(a.tag.as_deref(), Some("!Sub"));
    assert_eq!(
        &text[a.span.range()],
        "- \"${X}-${Y}\"\n  - X: !Ref P\n    Y: b"
    );
    assert_eq!(
        a.as_seq().unwrap()[1].get("X").unwrap().tag.as_deref(),
        Some("!Ref")
    );
    let join = &root.get("B").unwrap().as_seq().unwrap()[0];
    assert_eq!(join.tag.as_deref(), Some("!Join"));
    assert_eq!(&text[join.span.range()], "- ''\n    - - a\n      - !Ref C");
    assert_eq!(join.as_seq().unwrap()[1].as_seq().unwrap().len(), 2);
    // An indentless sequence after the tag, and a tagged mapping.
    let d = root.get("D").unwrap();
    assert_eq!(
        (d.tag.as_deref(), d.as_seq().map(<[_]>::len)),
        (Some("!If"), Some(1))
    );
    let e = root.get("E").unwrap();
    assert_eq!(
        (e.tag.as_deref(), &text[e.span.range()]),
        (Some("!GetAZs"), "R: r")
    );
    assert_same("block short forms", text);
}

/// A tag with nothing after it on its line and nothing more indented below (CloudFormation's
/// `AvailabilityZones: !GetAZs`): an empty string, tagged, its span empty at the tag's end,
/// as saphyr places it (after a comment, at the end of the text too). A tag in Rain's form
/// (`!Rain::Embed`) is read as any local tag.
#[test]
fn fast_path_reads_a_tagged_empty_value() {
    let text = "A: !GetAZs\nB:\n  - !GetAZs  # c\n  - x\nC: !Rain::Embed handler.py\nE: !Rain::S3 # c\n  Run: r\nD: !GetAZs";
    assert!(read_fast(text));
    let loaded = load(text, true);
    let root = &loaded.documents[0].root;
    let a = root.get("A").unwrap();
    assert_eq!(
        (a.tag.as_deref(), &a.value, a.span.range()),
        (Some("!GetAZs"), &Value::Str("".into()), 10..10)
    );
    let b = root.get("B").unwrap().as_seq().unwrap();
    assert_eq!(b.len(), 2);
    assert_eq!(
        (b[0].tag.as_deref(), b[0].as_str(), b[0].span.range()),
        (Some("!GetAZs"), Some(""), 25..25)
    );
    // The sequence ends where its last entry does.
    assert_eq!(
        &text[root.get("B").unwrap().span.range()],
        "- !GetAZs  # c\n  - x"
    );
    let c = root.get("C").unwrap();
    assert_eq!(
        (c.tag.as_deref(), c.as_str(), &text[c.span.range()]),
        (Some("!Rain::Embed"), Some("handler.py"), "handler.py")
    );
    let e = root.get("E").unwrap();
    assert_eq!(
        (e.tag.as_deref(), &text[e.span.range()]),
        (Some("!Rain::S3"), "Run: r")
    );
    let d = root.get("D").unwrap();
    assert_eq!(
        (d.tag.as_deref(), d.as_str(), d.span.range()),
        (Some("!GetAZs"), Some(""), text.len()..text.len())
    );
    assert_same("tagged empty values", text);
    for text in [
        "a: !a.b-c/d?e:f@g&h=i+j$k_l~m*n'o(p)q;r#s x\n",
        "- !GetAZs\n- - !GetAZs\n  - y\n",
        "a: !X  \n\n\nb: 1\n",
        // A quote is a tag character: the tag is `!Ref'x'`, its value empty.
        "a: !Ref'x'\n",
    ] {
        assert!(read_fast(text), "{text:?}");
        assert_same("tags", text);
    }
}

/// A plain scalar may start with `:` or `?` before a non-blank in block context (an
/// ARN's piece in a `!Join`: `- :lambda:path/...`), as a value or a key.
#[test]
fn fast_path_reads_plain_scalars_from_a_colon() {
    let text = "k:\n  - :lambda:path\n  - :*\n  - ?x\n:q: ?r\n:: 1\n";
    assert!(read_fast(text));
    let loaded = load(text, true);
    assert_eq!(
        spans(text, &loaded),
        [
            "map \"k:\\n  - :lambda:path\\n  - :*\\n  - ?x\\n:q: ?r\\n:: 1\"",
            "scalar \"k\"",
            "seq \"- :lambda:path\\n  - :*\\n  - ?x\"",
            "scalar \":lambda:path\"",
            "scalar \":*\"",
            "scalar \"?x\"",
            "scalar \":q\"",
            "scalar \"?r\"",
            "scalar \":\"",
            "scalar \"1\"",
        ]
    );
    assert_same("plain scalars from `:`", text);
}

/// A plain scalar continued on more-indented lines (a CRD's `description:`), folded as YAML
/// folds it: one space between lines, a line break for each empty line, each line's blanks
/// dropped; its span from its first character to its last. Indicators inside it are text.
#[test]
fn fast_path_reads_multi_line_plain_scalars() {
    let text = "d: Configuration for the  \n   model training\n\n   - with [ML] 'specific' a#x\nn:\n- a\n  b # c\n- 1\n  2\n";
    assert!(read_fast(text));
    let loaded = load(text, true);
    let root = &loaded.documents[0].root;
    let d = root.get("d").unwrap();
    assert_eq!(
        d.as_str(),
        Some("Configuration for the model training\n- with [ML] 'specific' a#x")
    );
    assert_eq!(
        &text[d.span.range()],
        "Configuration for the  \n   model training\n\n   - with [ML] 'specific' a#x"
    );
    let n = root.get("n").unwrap().as_seq().unwrap();
    assert_eq!(
        (n[0].as_str(), &text[n[0].span.range()]),
        (Some("a b"), "a\n  b")
    );
    // Folded first, typed after: `1 2` is a string.
    assert_eq!(n[1].value, Value::Str("1 2".into()));
    assert_eq!(n[1].style, ScalarStyle::Plain);
    assert_same("multi-line plain scalars", text);
}

/// Quoted scalars over several lines (older CRDs' `description: '...'`, a shell script in
/// a `"..."` with `\` line joins): folded as saphyr folds them, their span from the opening
/// quote to the closing one.
#[test]
fn fast_path_reads_multi_line_quoted_scalars() {
    let text = "a: 'it''s  \n    a\n\n    b'  # c\nb: \"x \\\n   y\\\n\n   z\\t\n   \"\nc:\n  - !Sub \"${A}\n    -b\"\n";
    assert!(read_fast(text));
    let loaded = load(text, true);
    let root = &loaded.documents[0].root;
    let a = root.get("a").unwrap();
    assert_eq!(
        (a.as_str(), a.style),
        (Some("it's a\nb"), ScalarStyle::SingleQuoted)
    );
    assert_eq!(&text[a.span.range()], "'it''s  \n    a\n\n    b'");
    let b = root.get("b").unwrap();
    assert_eq!(
        (b.as_str(), b.style),
        (Some("x y\nz\t "), ScalarStyle::DoubleQuoted)
    );
    assert_eq!(&text[b.span.range()], "\"x \\\n   y\\\n\n   z\\t\n   \"");
    let c = &root.get("c").unwrap().as_seq().unwrap()[0];
    assert_eq!(
        (c.tag.as_deref(), c.as_str(), &text[c.span.range()]),
        (Some("!Sub"), Some("${A} -b"), "\"${A}\n    -b\"")
    );
    assert_same("multi-line quoted scalars", text);
}

#[test]
fn a_string_that_may_hold_json_is_seen_by_the_fast_path() {
    let with = "a: '{\"Version\": \"2012-10-17\"}'\n";
    let without = "a: b\n";
    assert!(read_fast(with) && read_fast(without));
    assert!(!load(with, true).no_json_strings);
    assert!(load(without, true).no_json_strings);
}

#[test]
fn every_control_byte_at_every_place_of_a_word_bails() {
    // The fast path's check of the text goes eight bytes at a time: a control character
    // (or DEL) anywhere in a word, beside a `\n` or not, must still be seen.
    let base = "key: abcdefgh\nk2: abcdefghijklmnop\n";
    assert!(read_fast(base));
    for at in 5..base.len() - 1 {
        for c in (0u8..0x20).chain([0x7f]) {
            if c == b'\n' {
                continue;
            }
            let mut bytes = base.as_bytes().to_vec();
            bytes[at] = c;
            let text = String::from_utf8(bytes).unwrap();
            assert!(!read_fast(&text), "{c:#x} at {at} was read: {text:?}");
        }
    }
    // The same words without the control character are read.
    assert!(read_fast("key: a\n\nb: ~~~~~~~~ ~\n  \n"));
}

#[test]
fn indicators_inside_plain_scalars_load_as_saphyr_loads_them() {
    // Found by the generator: saphyr ends a plain scalar of a flow collection at ` -` before
    // a flow indicator (`[0x1f -]` is an error to it), so the fast path must not read it.
    for text in [
        "- [0x1f -]\n",
        "- [x - y]\n",
        "- [x -y]\n",
        "- {a: x -}\n",
        "- [x ?]\n",
        "- [x ?y]\n",
        "- [x -, y]\n",
        "a: x -\n",
        "a: x - y\n",
        "a: x ?\n",
        "a: x -- y\n",
        "- x -\n",
        "- x - y\n",
    ] {
        assert_same(text, text);
    }
}
