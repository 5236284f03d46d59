//! The fast path's oracle: hcl-edit. Every file the fast path reads must give exactly the tree
//! `ast::from_body` makes of hcl-edit's parse (values and spans); every file hcl-edit
//! rejects, the fast path must bail on.

use std::path::{Path, PathBuf};

use super::ast::{from_body, Arena, Body};
use super::fast::{parse, parse_body};

/// Whether the fast path read `text` (whole or block by block); panics when what it read
/// differs from hcl-edit's tree, or it read a text hcl-edit rejects.
fn assert_same(name: &str, text: &str) -> bool {
    same_bytes(name, text).is_some()
}

/// [`assert_same`]: how many bytes of `text` the fast path read (not hcl-edit), if it read it.
fn same_bytes(name: &str, text: &str) -> Option<usize> {
    let arena = Arena::new();
    let whole = parse_body(&arena, text);
    let by_blocks = parse(&arena, text);
    if let (Some(w), Some((b, 0))) = (&whole, &by_blocks) {
        assert_eq!(w, b, "{name}");
    }
    let fast_bytes = by_blocks.as_ref().map(|(_, slow)| text.len() - slow);
    let fast = by_blocks.map(|(b, _)| b);
    let slow: Option<Body> = hcl_edit::parser::parse_body(text)
        .ok()
        .map(|b| from_body(&arena, &b));
    match (fast, slow) {
        (None, _) => None,
        (Some(_), None) => panic!("{name}: the fast path read a text hcl-edit rejects:\n{text}"),
        (Some(f), Some(s)) => {
            if f != s {
                let (f, s) = (format!("{f:#?}"), format!("{s:#?}"));
                let line = f
                    .lines()
                    .zip(s.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                let around = |t: &str| {
                    t.lines()
                        .skip(line.saturating_sub(3))
                        .take(6)
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                panic!(
                    "{name}: the fast path differs from hcl-edit at line {line} of the trees\n--- fast\n{}\n--- hcl-edit\n{}\n--- text\n{text}",
                    around(&f),
                    around(&s)
                );
            }
            fast_bytes
        }
    }
}

fn hcl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            hcl_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "tf" || x == "tfvars" || x == "hcl")
        {
            out.push(p);
        }
    }
}

#[test]
fn fast_path_reads_every_hcl_file_of_the_repository_as_hcl_edit_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["testdata", "examples"] {
        hcl_files(&root.join(dir), &mut files);
    }
    files.sort();
    let own = files.len();
    hcl_files(&root.join("../shared/corpus/real"), &mut files);
    // FAST_HCL_DIRS=a:b adds directories (a generated monorepo, checked-out repositories).
    if let Some(dirs) = std::env::var_os("FAST_HCL_DIRS") {
        for dir in std::env::split_paths(&dirs) {
            hcl_files(&dir, &mut files);
        }
    }
    let (mut read, mut read_own, mut bytes, mut bytes_read, mut by_blocks) = (0, 0, 0, 0, 0);
    for (i, path) in files.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let fast = same_bytes(&path.display().to_string(), &text);
        let ok = fast == Some(text.len());
        // FAST_HCL_BAILS=1 lists every file the fast path left to hcl-edit.
        if !ok && std::env::var_os("FAST_HCL_BAILS").is_some() {
            eprintln!("bail {}", path.display());
        }
        read += usize::from(ok);
        if i < own {
            read_own += usize::from(ok);
        }
        bytes += text.len();
        bytes_read += fast.unwrap_or(0);
        by_blocks += usize::from(fast.is_some() && !ok);
    }
    eprintln!(
        "fast path: {read} of {} files whole, {by_blocks} block by block ({bytes_read} of {bytes} bytes); {read_own} of {own} of the repository's own whole",
        files.len()
    );
    // The repository's own fixtures hold well over a hundred files in the subset: a fast path
    // that reads none of them proves nothing.
    assert!(
        read_own * 2 > own,
        "the fast path read only {read_own} of {own} files"
    );
}

/// A text the fast path reads, as hcl-edit reads it.
fn reads(text: &str) {
    assert!(
        assert_same("case", text),
        "the fast path bailed on:\n{text}"
    );
}

/// A text the fast path leaves to hcl-edit.
fn bails(text: &str) {
    assert!(
        parse_body(&Arena::new(), text).is_none(),
        "the fast path read:\n{text}"
    );
}

#[test]
fn fast_path_reads_the_common_subset() {
    reads("");
    reads("\n\n# only a comment\n// another\n/* and a\nblock one */\n");
    reads("a = 1\nb = \"x\"\nc = true\nd = null\ne = false\n");
    reads("resource \"aws_iam_role\" \"r\" {\n  name = \"x\" # why\n  tags = {}\n}\n");
    reads("locals {\n  a = [1, 2.5, 1e3, 18446744073709551616, 007,]\n}");
    reads("x = {\n  a = 1, \"b\" : [\n    2\n  ]\n  c = { d = var.x } // c\n  e = 1 # e\n}\n");
    reads("x = var.a.b[0].c[\"k\"][*].d.*.e.0\n");
    reads("x = f(a, g(), [b],\n  c,\n)\n");
    reads("x = \"a\\\"b\\n\\t\\\\\\u00e9\\U0001F600 $${not} %%{no} é ${var.x} y${ z }\"\n");
    // Every escape decoded, in a plain string and in a template's pieces (each decoded into
    // the arena, the text itself borrowed where none is met).
    reads("x = \"\\r\\n\\t\\\"\\\\\"\ny = \"a\\r${b}c\\r$${d}\"\n");
    reads("x = <<EOF\n{\n  \"a\": \"${var.b}\"\n}\nEOF\ny = 2\n");
    reads("x = <<-EOT\n    a\n      b ${c}\n    d\n    EOT\n");
    reads("x = <<EOF\n${a}\nEOF\n");
    reads("b { }\nc {}\nd { a = 1 }\ne \"l\" m {\n}\n");
    reads("a = 1 /* c */ # d\nb = [ # c\n  1, # d\n  2 /* e */ ,\n]\n");
    reads("a = \"multi\nline\"\n");
    // Operators by precedence, left to right; conditionals nest to the right.
    reads("a = 1 + 2 * 3 - 4 / 5 % 6\nb = x == y && z != w || !v\nc = p < q || p <= q || p > q || p >= q\n");
    reads("a = var.create ? 1 : 0\nb = x ? y ? 1 : 2 : z ? 3 : 4\nc = a + b ? [1] : {}\n");
    reads("a = -1\nb = -2.5e3\nc = -var.x[0]\nd = !var.b\ne = (var.a + 1) * 2\nf = (a).b\n");
    reads("a = {\n  \"${local.p}:sub\" = 1\n  \"${local.p}:aud\" : 2\n}\n");
    reads("a = {\n  format(\"%s:sub\", var.u) = 3\n}\n");
    reads("a = {\n  (var.k) = 4\n}\n");
    reads("a = {\n  var.x.y = 5\n}\n");
    reads("a = [for x in var.l : x]\nb = [ for x in y : upper(x) if x != \"\" ]\n");
    reads("a = {for k, v in var.m : k => v.arn if v.enabled}\nb = {\n  for i, x in l :\n  x.name => i\n}\n");
    reads("a = length(var.l) > 0 ? var.l[0] : \"${var.p}-x\"\n");
    // Runs of blanks of every length around eight (skipped eight bytes at a time), as
    // indentation, between tokens and as the blanked-out blocks of the scanner's way.
    for n in 1..=25 {
        let sp = " ".repeat(n);
        reads(&format!(
            "{sp}\n{sp}b {sp}{{\n{sp}a{sp}={sp}[{sp}1,{sp}2{sp}]{sp}\n{sp}}}{sp}\n{sp}c = 1\n"
        ));
    }
}

/// A chain of one operator is reduced as it is read, so its length, not the operands kept,
/// decides: 16 operators are read, 17 left to hcl-edit, which refuses more than 128; a chain of
/// 300,000 once made a tree so deep that dropping it overflowed the stack.
#[test]
fn long_operator_chains_are_hcl_edits() {
    let chain = |n: usize| format!("x = {}\n", vec!["1"; n + 1].join(" + "));
    reads(&chain(16));
    bails(&chain(17));
    bails(&chain(300_000));
    assert!(hcl_edit::parser::parse_body(&chain(300_000)).is_err());
}

/// An attribute written twice in one body, or a key in one object, is hcl-edit's to refuse
/// (an object's, Terraform keeps the last: `hcl::parse` reads it again), however many come
/// before it: past 16 the names are kept in a set (a search of the list for each made a
/// generated `locals` of 60,000 entries quadratic), which must still find the second one,
/// whether it repeats a name from before or after the set was made.
#[test]
fn names_written_twice_bail_in_long_bodies_and_objects() {
    let body = |n: usize, extra: &str| {
        let mut t = String::from("locals {\n");
        for i in 0..n {
            t.push_str(&format!("  k{i} = \"v${{var.x}}\"\n"));
        }
        t.push_str(extra);
        t.push_str("}\n");
        t
    };
    for n in [3, 16, 17, 40] {
        reads(&body(n, ""));
        // The first name again, and the last one.
        bails(&body(n, "  k0 = 1\n"));
        bails(&body(n, &format!("  k{} = 1\n", n - 1)));
        // A name written twice after the set was made.
        bails(&body(n, "  z = 1\n  z = 2\n"));
        reads(&body(n, "  z = 1\n  y = 2\n"));
    }
    // A block's name is no attribute's.
    reads(&body(20, "  k3 {\n  }\n"));
    // An object's keys alike, quoted or not; a nested object's keys are its own.
    let object = |n: usize, extra: &str| {
        let mut t = String::from("a = {\n");
        for i in 0..n {
            t.push_str(&format!("  k{i} = {i}\n"));
        }
        t.push_str(extra);
        t.push_str("}\n");
        t
    };
    for n in [3, 16, 17, 40] {
        reads(&object(n, ""));
        bails(&object(n, "  k0 = 1\n"));
        bails(&object(n, &format!("  \"k{}\" = 1\n", n - 1)));
        bails(&object(n, "  z = 1\n  z = 2\n"));
        reads(&object(n, "  z = { k0 = 1, z = 2 }\n"));
    }
}

#[test]
fn fast_path_bails_outside_its_subset() {
    // CR line ends.
    bails("a = 1\r\n");
    // Operators, conditionals, unary minus, parentheses: where an expression ends and how it
    // groups are hcl-edit's to decide.
    bails("a = 1 /* c */ + 2\n");
    bails("a = 1 +\n  2\n");
    bails("a = b\n  ? 1 : 0\n");
    bails("a = b ? 1\n  : 0\n");
    bails("a = b & c\n");
    bails("a = ! b\n");
    bails("a = - b\n");
    bails("a = b <<EOF\nx\nEOF\n");
    bails("a = [\n  b\n  [0]\n]\n");
    // `for` expressions and template directives.
    bails("a = {for k, v in y : k => v...}\n");
    bails("a = [for x inx : x]\n");
    bails("a = \"%{ if b }c%{ endif }\"\n");
    bails("a = \"${~ b ~}\"\n");
    // Blanks before a traversal step or a call's parenthesis, `...`, namespaces.
    bails("a = b .c\n");
    bails("a = f (1)\n");
    bails("a = f(b...)\n");
    bails("a = provider::x::f(1)\n");
    // Non-ASCII identifiers, keywords as object keys, computed keys.
    bails("é = 1\n");
    bails("a = { true = 1 }\n");
    // Keys hcl-edit may hold equal: a template's with the same literal pieces, any other
    // expression's with the same text but for blanks, or with a comment.
    bails("a = { \"${k}:sub\" = 1, \"${ j }:sub\" = 2 }\n");
    bails("a = { f(x) = 1, f( x ) = 2 }\n");
    bails("a = { f(/* c */ x) = 1 }\n");
    // Keys and attributes written twice (hcl-edit refuses them; `hcl::parse_checked`
    // renames and retries).
    bails("a = { b = 1, b = 2 }\n");
    bails("a = { b = 1, \"b\" = 2 }\n");
    bails("a = 1\na = 2\n");
    // An empty heredoc, and nesting at the depth limit.
    bails("a = <<EOF\nEOF\n");
    // Block by block too: hcl-edit reads this heredoc on to the `EOF` of `c`.
    assert!(parse(
        &Arena::new(),
        "b {\n  a = <<EOF\nEOF\n}\nc {\n  d = <<EOF\nx\nEOF\n  e = 1 + 1\n}\n"
    )
    .is_none());
    bails(&format!("a = {}1{}\n", "[".repeat(30), "]".repeat(30)));
    // Malformed text: hcl-edit reports it.
    bails("a = \n");
    bails("a = 1 b = 2\n");
    bails("a = \"unterminated\n");
    bails("a = \"\\q\"\n");
    bails("a = 1.\n");
    bails("a = 1e\n");
    bails("b {\n  a = 1 }\n");
    bails("a = <<EOF\nno end\n");
    bails("x \"${y}\" {\n}\n");
}

/// A small deterministic generator of HCL-like text (xorshift): blocks with labels,
/// attributes, nested objects with `=` and `:`, strings with escapes and `${}`/`%{}`
/// templates, `$${`, heredocs, comments of every kind, traversals and splats, function calls,
/// `for` expressions, conditionals, operators, numbers, unicode.
struct Gen {
    rng: crate::testing::XorShift,
    out: String,
}

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

    fn pick<'a>(&mut self, of: &[&'a str]) -> &'a str {
        of[(self.next() % of.len() as u64) as usize]
    }

    fn chance(&mut self, n: u64) -> bool {
        self.next() % n == 0
    }

    fn file(mut self) -> String {
        for _ in 0..(1 + self.next() % 6) {
            self.structure(0);
        }
        self.out
    }

    fn blank(&mut self) {
        let b = self.pick(&["", "", " ", "  ", "\t", " /* c */ "]);
        self.out.push_str(b);
    }

    fn comment_line(&mut self) {
        let c = self.pick(&["# c é", "// c", "/* c\n */", "#", ""]);
        self.out.push_str(c);
    }

    fn name(&mut self) -> &'static str {
        self.pick(&[
            "a", "b", "name", "role_arn", "x-y", "_k", "for_each", "count", "value", "a", "b", "c",
            "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "é",
        ])
    }

    fn structure(&mut self, depth: usize) {
        if self.chance(5) {
            self.comment_line();
            self.out.push('\n');
        }
        let indent = "  ".repeat(depth);
        self.out.push_str(&indent);
        let n = self.name();
        self.out.push_str(n);
        if depth < 3 && self.chance(3) {
            for _ in 0..(self.next() % 3) {
                self.out.push(' ');
                if self.chance(2) {
                    self.out.push('"');
                    let l = self.pick(&["aws_iam_role", "r", "a\\\"b", "${x}", "é"]);
                    self.out.push_str(l);
                    self.out.push('"');
                } else {
                    let l = self.name();
                    self.out.push_str(l);
                }
            }
            self.out.push_str(" {");
            if self.chance(6) {
                if self.chance(2) {
                    self.out.push_str(" a = 1");
                }
                self.out.push_str(" }\n");
                return;
            }
            self.blank();
            if self.chance(4) {
                self.comment_line();
            }
            self.out.push('\n');
            for _ in 0..(self.next() % 4) {
                self.structure(depth + 1);
            }
            self.out.push_str(&indent);
            self.out.push_str("}\n");
        } else {
            self.blank();
            self.out.push('=');
            self.blank();
            self.expr(depth);
            self.blank();
            if self.chance(4) {
                self.comment_line();
            }
            self.out.push('\n');
        }
    }

    fn expr(&mut self, depth: usize) {
        let k = if depth > 4 {
            self.next() % 6
        } else {
            self.next() % 24
        };
        match k {
            0 => {
                let n = self.pick(&[
                    "1",
                    "0",
                    "42",
                    "1.5",
                    "1e3",
                    "2E-2",
                    "007",
                    "1.",
                    "99999999999999999999",
                ]);
                self.out.push_str(n);
            }
            1 => {
                let w = self.pick(&["true", "false", "null", "var.a", "local.b"]);
                self.out.push_str(w);
            }
            2 | 3 => self.string(depth),
            4 => {
                let t = self.pick(&[
                    "var.a.b",
                    "aws_iam_role.r[0].arn",
                    "x[\"k\"]",
                    "a.*.b",
                    "a[*].b",
                    "a.0.b",
                    "module.m.out",
                    "each.value",
                    "a .b",
                    "a[ 1 ]",
                ]);
                self.out.push_str(t);
            }
            5 => {
                let op = self.pick(&[
                    " + ", " == ", " && ", "-", " ? 1 : ", " / ", " % ", " >= ", " * ", " || ",
                    " < ", " != ", " ? ", " : ", "  -  ",
                ]);
                self.expr(depth + 1);
                self.out.push_str(op);
                self.expr(depth + 1);
                if self.chance(3) {
                    let op = self.pick(&[" * ", " + ", " ? x : ", " || ", " == "]);
                    self.out.push_str(op);
                    self.expr(depth + 1);
                }
            }
            6 | 7 => {
                self.out.push('[');
                for i in 0..(self.next() % 4) {
                    if i > 0 {
                        let s = self.pick(&[", ", ",\n", " , ", ",\n  # c\n"]);
                        self.out.push_str(s);
                    }
                    self.expr(depth + 1);
                }
                if self.chance(3) {
                    self.out.push(',');
                }
                self.out.push(']');
            }
            8 | 9 => {
                self.out.push('{');
                let multi = self.chance(2);
                for i in 0..(self.next() % 4) {
                    if i > 0 || multi {
                        let s = if multi { "\n" } else { ", " };
                        self.out.push_str(s);
                    }
                    if self.chance(6) {
                        let k = self.pick(&[
                            "\"${local.p}:sub\"",
                            "\"${ local.p }:sub\"",
                            "\"${local.p}:aud\"",
                            "format(\"%s:sub\", x)",
                            "format( \"%s:sub\" , x )",
                            "(k)",
                            "var.k",
                            "true",
                        ]);
                        self.out.push_str(k);
                    } else if self.chance(3) {
                        self.out.push('"');
                        let k = self.name();
                        self.out.push_str(k);
                        self.out.push('"');
                    } else {
                        let k = self.name();
                        self.out.push_str(k);
                    }
                    let a = self.pick(&[" = ", ": ", "=", " :", " == "]);
                    self.out.push_str(a);
                    self.expr(depth + 1);
                    if multi && self.chance(4) {
                        self.out.push_str(" # c");
                    }
                }
                if multi {
                    self.out.push('\n');
                }
                self.out.push('}');
            }
            10 => {
                let f = self.pick(&["jsonencode", "replace", "merge", "f", "provider::p::f"]);
                self.out.push_str(f);
                self.out.push('(');
                for i in 0..(self.next() % 3) {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(depth + 1);
                }
                let t = self.pick(&["", "", ",", "...", "\n"]);
                self.out.push_str(t);
                self.out.push(')');
            }
            11 => self.heredoc(depth),
            12 => {
                let f = self.pick(&[
                    "[for x in var.l : x]",
                    "{ for k, v in var.m : k => v }",
                    "[for x in y : x if x]",
                    "(var.a)",
                    "!var.b",
                    "-1",
                    "-var.x[0]",
                    "- 1",
                    "-2.5e3",
                    "( a + b ) * c",
                    "(a).b",
                    "!!a",
                ]);
                self.out.push_str(f);
            }
            13 if self.chance(2) => {
                self.out.push_str("{}");
            }
            13 => {
                let object = self.chance(2);
                self.out.push_str(if object { "{" } else { "[" });
                let intro =
                    self.pick(&["for x in ", " for k, v in ", "for x in\n", "for  i ,x in "]);
                self.out.push_str(intro);
                self.expr(depth + 1);
                let colon = self.pick(&[" : ", ":", "\n: ", " :\n  "]);
                self.out.push_str(colon);
                self.expr(depth + 1);
                if object {
                    let arrow = self.pick(&[" => ", "=>", " =>\n"]);
                    self.out.push_str(arrow);
                    self.expr(depth + 1);
                }
                if self.chance(2) {
                    let cond = self.pick(&[" if ", "\nif ", " if"]);
                    self.out.push_str(cond);
                    self.expr(depth + 1);
                }
                if self.chance(8) {
                    self.out.push_str("...");
                }
                self.out.push_str(if object { "}" } else { "]" });
            }
            _ => {
                let n = self.name();
                self.out.push_str(n);
            }
        }
    }

    fn string(&mut self, depth: usize) {
        self.out.push('"');
        for _ in 0..(self.next() % 4) {
            match self.next() % 8 {
                0 => {
                    let e = self.pick(&[
                        "\\\"",
                        "\\n",
                        "\\\\",
                        "\\u00e9",
                        "\\t",
                        "\\x",
                        "\\U0001F600",
                    ]);
                    self.out.push_str(e);
                }
                1 if depth < 4 => {
                    self.out.push_str("${");
                    self.expr(depth + 1);
                    self.out.push('}');
                }
                2 => {
                    let d = self.pick(&[
                        "$${x}",
                        "%%{x}",
                        "%{ if a }b%{ endif }",
                        "$",
                        "%",
                        "${~ a ~}",
                    ]);
                    self.out.push_str(d);
                }
                _ => {
                    let t =
                        self.pick(&["arn:aws:iam::", "system:serviceaccount:", "é ü", " ", "a:b"]);
                    self.out.push_str(t);
                }
            }
        }
        self.out.push('"');
    }

    fn heredoc(&mut self, depth: usize) {
        let indented = self.chance(2);
        let d = self.pick(&["EOF", "EOT", "POLICY"]);
        self.out.push_str(if indented { "<<-" } else { "<<" });
        self.out.push_str(d);
        self.out.push('\n');
        for _ in 0..(self.next() % 4) {
            let ind = self.pick(&["", "  ", "    ", "\t"]);
            self.out.push_str(ind);
            match self.next() % 4 {
                0 if depth < 4 => {
                    self.out.push_str("${");
                    self.expr(depth + 1);
                    self.out.push('}');
                }
                1 => {
                    let t = self.pick(&["$${x}", "%{ if a }b%{ endif }", "EOFX", "\"k\": 1,"]);
                    self.out.push_str(t);
                }
                _ => {
                    let t = self.pick(&["{", "}", "\"Effect\": \"Allow\"", "é"]);
                    self.out.push_str(t);
                }
            }
            self.out.push('\n');
        }
        let ind = self.pick(&["", "  "]);
        self.out.push_str(ind);
        self.out.push_str(d);
    }
}

/// `text` with a few one-character edits (insertions of syntax, deletions) at `edits`.
fn mutate(text: &str, edits: &[(usize, u8)]) -> String {
    const INSERT: &[&str] = &[
        " ", "\n", "=", ":", "#", "\"", "{", "}", "[", "]", ",", ".", "$", "{", "%", "\\", "é",
        "\r\n", "<<", "/*", "//", "(", ")", "-", "~",
    ];
    crate::testing::mutate(text, edits, INSERT)
}

#[test]
fn generated_hcl_is_often_in_the_subset() {
    let (mut read, mut all, mut valid) = (0, 0, 0);
    // FAST_HCL_SEEDS=N runs N seeds, each also mutated, for a longer local search.
    let seeds = std::env::var("FAST_HCL_SEEDS").map_or(400, |n| n.parse().unwrap_or(400));
    for seed in 0..seeds {
        let text = Gen::new(seed).file();
        let r = assert_same(&format!("seed {seed}"), &text);
        if seeds > 400 {
            let edits = [
                (seed as usize * 7919, seed as u8),
                (seed as usize * 104_729, (seed >> 8) as u8),
            ];
            assert_same(&format!("seed {seed} mutated"), &mutate(&text, &edits));
        }
        if seed < 400 {
            read += usize::from(r);
            all += 1;
            valid += usize::from(hcl_edit::parser::parse_body(&text).is_ok());
        }
    }
    // The generator writes many bail cases on purpose, but enough of its files are in the
    // subset for the property below to compare real fast-path output, not only bails.
    assert!(
        read * 2 > valid,
        "the fast path read only {read} of the {valid} files hcl-edit reads ({all} in all)"
    );
    eprintln!(
        "generated: the fast path read {read} of the {valid} files hcl-edit reads ({all} in all)"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, .. Default::default() })]

    /// Whatever the fast path reads is hcl-edit's tree, and it never panics.
    #[test]
    fn fast_path_equals_hcl_edit_on_generated_hcl(
        seed in proptest::prelude::any::<u64>(),
        edits in proptest::collection::vec((proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>()), 0..3),
    ) {
        let text = mutate(&Gen::new(seed).file(), &edits);
        assert_same("generated", &text);
    }
}
