//! The loader's tests: exact positions, limits, schema resolution, and a mutation run.

use super::super::node::{Document, Node, ScalarStyle, Value};
use super::*;

fn load_with(text: &str, limits: &Limits) -> Loaded {
    load_yaml(7, text, &LineIndex::new(text), limits)
}

fn load(text: &str) -> Loaded {
    load_with(text, &Limits::default())
}

/// (line, column, spanned text) of a span, as reports will show it.
fn at(text: &str, span: Span) -> (usize, usize, &str) {
    assert_eq!(span.file, 7);
    let (line, col) = LineIndex::new(text).line_col(text, span.start as usize);
    (line, col, &text[span.range()])
}

/// The value node of a top-level key of a document.
fn get<'a>(doc: &'a Document, key: &str) -> &'a Node {
    doc.root.get(key).unwrap_or_else(|| panic!("no key {key}"))
}

#[test]
fn block_map_keys_and_values_have_exact_spans() {
    let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let doc = &loaded.documents[0];
    assert_eq!(doc.index, 0);
    let root = &doc.root;
    assert_eq!(at(text, root.span), (1, 1, text.trim_end()));
    let kind = root.entry("kind").unwrap();
    assert_eq!(at(text, kind.key.span), (2, 1, "kind"));
    assert_eq!(at(text, kind.value.span), (2, 7, "ServiceAccount"));
    assert_eq!(kind.value.style, ScalarStyle::Plain);
    let metadata = root.get("metadata").unwrap();
    assert_eq!(
        at(text, metadata.span),
        (4, 3, &text[text.find("name: app").unwrap()..text.len() - 1])
    );
    let annotation = metadata
        .path(&["annotations"])
        .unwrap()
        .entry("eks.amazonaws.com/role-arn")
        .unwrap();
    assert_eq!(
        at(text, annotation.key.span),
        (6, 5, "eks.amazonaws.com/role-arn")
    );
    assert_eq!(
        at(text, annotation.value.span),
        (6, 33, "arn:aws:iam::111122223333:role/app")
    );
}

#[test]
fn third_document_positions_are_file_global() {
    let text = "a: 1\n---\nb: 2\n---\n# third\nc:\n  d: [x, y]\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty());
    assert_eq!(loaded.documents.len(), 3);
    let third = &loaded.documents[2];
    assert_eq!(third.index, 2);
    let d = third.root.path(&["c", "d"]).unwrap();
    assert_eq!(at(text, d.span), (7, 6, "[x, y]"));
    assert_eq!(at(text, d.items()[1].span), (7, 10, "y"));
}

#[test]
fn quoted_scalars_end_at_their_closing_quote_before_a_comment() {
    let text = "a: \"1h\" # note\nb: 'it''s' # more\nc: \"x\\\"y\"  # q\n";
    let lines = LineIndex::new(text);
    let loaded = load_yaml(0, text, &lines, &Limits::default());
    let root = &loaded.documents[0].root;
    let span_of = |k: &str| {
        let n = root.get(k).unwrap();
        &text[n.span.start as usize..n.span.end as usize]
    };
    assert_eq!(span_of("a"), "\"1h\"");
    assert_eq!(span_of("b"), "'it''s'");
    assert_eq!(span_of("c"), "\"x\\\"y\"");
}

#[test]
fn flow_collections_and_quoted_scalars() {
    let text = "m: {a: 'x', \"b\": [1, \"two\", {c: ~}], d: []}\ns: ['it''s', \"\\u00e9\\n\"]\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let doc = &loaded.documents[0];
    let m = get(doc, "m");
    assert_eq!(at(text, m.span), (1, 4, &text[3..text.find('\n').unwrap()]));
    let a = m.get("a").unwrap();
    assert_eq!(at(text, a.span), (1, 8, "'x'"));
    assert_eq!(a.style, ScalarStyle::SingleQuoted);
    let b = m.entry("b").unwrap();
    assert_eq!(at(text, b.key.span), (1, 13, "\"b\""));
    assert_eq!(b.key.style, ScalarStyle::DoubleQuoted);
    assert_eq!(at(text, b.value.span), (1, 18, "[1, \"two\", {c: ~}]"));
    assert_eq!(at(text, b.value.items()[1].span), (1, 22, "\"two\""));
    assert_eq!(at(text, b.value.items()[2].span), (1, 29, "{c: ~}"));
    assert!(b.value.items()[2].get("c").unwrap().is_null());
    assert_eq!(at(text, m.get("d").unwrap().span), (1, 41, "[]"));
    let s = get(doc, "s");
    assert_eq!(s.items()[0].as_str(), Some("it's"));
    assert_eq!(at(text, s.items()[0].span), (2, 5, "'it''s'"));
    assert_eq!(s.items()[1].as_str(), Some("é\n"));
    assert_eq!(at(text, s.items()[1].span), (2, 14, "\"\\u00e9\\n\""));
}

#[test]
fn block_scalars_span_from_indicator_to_end_of_content() {
    let text = "a: |\n  line one\n  line two\n\nb: >-  # folded\n\n  x\n  y\nc: &s |2\n   z\nd:\n  - |+\n    kept\n\n  - end\ne: |\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let doc = &loaded.documents[0];
    let a = get(doc, "a");
    assert_eq!(a.as_str(), Some("line one\nline two\n"));
    assert_eq!(a.style, ScalarStyle::Literal);
    assert_eq!(at(text, a.span), (1, 4, "|\n  line one\n  line two"));
    let b = get(doc, "b");
    assert_eq!(b.as_str(), Some("\nx y"));
    assert_eq!(b.style, ScalarStyle::Folded);
    assert_eq!(at(text, b.span), (5, 4, ">-  # folded\n\n  x\n  y"));
    assert_eq!(at(text, get(doc, "c").span), (9, 7, "|2\n   z"));
    let d = get(doc, "d");
    assert_eq!(at(text, d.span), (12, 3, "- |+\n    kept\n\n  - end"));
    assert_eq!(d.items()[0].as_str(), Some("kept\n\n"));
    assert_eq!(at(text, d.items()[0].span), (12, 5, "|+\n    kept"));
    let e = get(doc, "e");
    assert_eq!((e.as_str(), at(text, e.span)), (Some(""), (16, 4, "|")));
}

#[test]
fn tags_are_kept_as_written_and_values_untransformed() {
    let text = "Resources:\n  Role:\n    Properties:\n      A: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"\n      B: !GetAtt Provider.Arn\n      C: !Ref Param\n      D: !Join [ \":\", [ a, !Ref B ] ]\n      E: !Sub\n        - \"${X}\"\n        - { X: !Ref Y }\n      F: !!str 123\n      G: !Sub |\n        ${X}\n      H: !!int \"7\"\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let p = loaded.documents[0]
        .root
        .path(&["Resources", "Role", "Properties"])
        .unwrap();
    let node = |k: &str| p.get(k).unwrap();
    let a = node("A");
    assert_eq!(a.tag.as_deref(), Some("!Sub"));
    assert_eq!(
        a.as_str(),
        Some("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
    );
    assert_eq!(
        at(text, a.span),
        (
            4,
            15,
            "\"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\""
        )
    );
    assert_eq!(node("B").tag.as_deref(), Some("!GetAtt"));
    assert_eq!(at(text, node("B").span), (5, 18, "Provider.Arn"));
    assert_eq!(node("C").tag.as_deref(), Some("!Ref"));
    assert_eq!(node("C").as_str(), Some("Param"));
    let d = node("D");
    assert_eq!(d.tag.as_deref(), Some("!Join"));
    assert_eq!(at(text, d.span), (7, 16, "[ \":\", [ a, !Ref B ] ]"));
    let inner = &d.items()[1].items()[1];
    assert_eq!(inner.tag.as_deref(), Some("!Ref"));
    assert_eq!(at(text, inner.span), (7, 33, "B"));
    let e = node("E");
    assert_eq!(e.tag.as_deref(), Some("!Sub"));
    assert_eq!(at(text, e.span).0, 9);
    assert_eq!(e.items()[1].get("X").unwrap().tag.as_deref(), Some("!Ref"));
    assert_eq!(node("F").tag.as_deref(), Some("!!str"));
    assert_eq!(node("F").value, Value::Str("123".into()));
    let g = node("G");
    assert_eq!(
        (g.tag.as_deref(), g.as_str()),
        (Some("!Sub"), Some("${X}\n"))
    );
    assert_eq!(at(text, g.span), (12, 15, "|\n        ${X}"));
    assert_eq!(node("H").value, Value::Int(7));
}

#[test]
fn crlf_positions() {
    let text = "a: 1\r\nb:\r\n  c: \"x\"\r\n---\r\nd: |\r\n  t\r\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let c = loaded.documents[0].root.path(&["b", "c"]).unwrap();
    assert_eq!(at(text, c.span), (3, 6, "\"x\""));
    assert_eq!(
        at(text, loaded.documents[0].root.span),
        (1, 1, "a: 1\r\nb:\r\n  c: \"x\"")
    );
    let d = loaded.documents[1].root.get("d").unwrap();
    assert_eq!(d.as_str(), Some("t\n"));
    assert_eq!(at(text, d.span), (5, 4, "|\r\n  t"));
}

#[test]
fn bom_is_skipped_and_positions_stay_right() {
    let text = "\u{feff}a: x\nb: y\n---\nc: z\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let a = loaded.documents[0].root.entry("a").unwrap();
    assert_eq!(a.key.as_str(), Some("a"));
    // The BOM is a character of line 1: `a` is in column 2.
    assert_eq!(at(text, a.key.span), (1, 2, "a"));
    assert_eq!(at(text, a.value.span), (1, 5, "x"));
    assert_eq!(
        at(text, loaded.documents[1].root.get("c").unwrap().span),
        (4, 4, "z")
    );
    assert!(load("\u{feff}").documents.is_empty());
    assert!(load("\u{feff}").problems.is_empty());
}

#[test]
fn duplicate_keys_are_kept_in_order() {
    let text = "a: 1\nb: 2\na: 3\n";
    let loaded = load(text);
    let entries = loaded.documents[0].root.entries();
    let keys: Vec<_> = entries.iter().map(|e| at(text, e.key.span)).collect();
    assert_eq!(keys, [(1, 1, "a"), (2, 1, "b"), (3, 1, "a")]);
    assert_eq!(loaded.documents[0].root.get("a").unwrap().as_i64(), Some(3));
    assert!(loaded.problems.is_empty());
}

#[test]
fn aliases_copy_the_anchored_node_with_its_spans() {
    let text = "labels: &l {app: web}\nselector: *l\nname: &n api\nother: *n\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty());
    let doc = &loaded.documents[0];
    assert_eq!(get(doc, "selector"), get(doc, "labels"));
    assert_eq!(at(text, get(doc, "selector").span), (1, 12, "{app: web}"));
    assert_eq!(get(doc, "other").as_str(), Some("api"));
    assert_eq!(at(text, get(doc, "other").span), (3, 10, "api"));
    // The root ends at the alias, not at the anchor it copies.
    assert_eq!(at(text, doc.root.span).2, text.trim_end());
}

#[test]
fn merge_keys_without_anchors_are_merged_by_the_direct_loader() {
    // No anchor or alias: built straight from the events (`direct`), which looks for merge
    // keys only when the text holds `<<`.
    let text = "z: {<<: {e: 5}, f: 6}\ny:\n  <<:\n    g: 7\n  h: 8\n  '<<': {i: 9}\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let doc = &loaded.documents[0];
    let keys = |n: &Node| -> Vec<String> {
        n.entries()
            .iter()
            .map(|e| e.key.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(keys(get(doc, "z")), ["e", "f"]);
    // A quoted `<<` is an ordinary key.
    assert_eq!(keys(get(doc, "y")), ["g", "h", "<<"]);
}

#[test]
fn merge_keys_insert_entries_not_defined_explicitly() {
    let text = "base: &base\n  a: 1\n  b: 2\nmore: &more {b: 20, c: 30}\nx:\n  <<: *base\n  b: 3\ny:\n  <<: [*more, *base]\n  d: 4\nz: {<<: {e: 5}, f: 6}\nw:\n  <<: 1\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let doc = &loaded.documents[0];
    let pairs = |n: &Node| -> Vec<(String, i64)> {
        n.entries()
            .iter()
            .map(|e| {
                (
                    e.key.as_str().unwrap().to_string(),
                    e.value.as_i64().unwrap(),
                )
            })
            .collect()
    };
    let owned = |v: &[(&str, i64)]| -> Vec<(String, i64)> {
        v.iter().map(|(k, i)| (k.to_string(), *i)).collect()
    };
    assert_eq!(pairs(get(doc, "x")), owned(&[("a", 1), ("b", 3)]));
    assert_eq!(
        pairs(get(doc, "y")),
        owned(&[("b", 20), ("c", 30), ("a", 1), ("d", 4)])
    );
    assert_eq!(pairs(get(doc, "z")), owned(&[("e", 5), ("f", 6)]));
    // Merged entries keep the anchor's spans.
    let a = get(doc, "x").entry("a").unwrap();
    assert_eq!(at(text, a.key.span), (2, 3, "a"));
    // Not a mapping: an ordinary entry.
    assert_eq!(get(doc, "w").get("<<").unwrap().as_i64(), Some(1));
}

#[test]
fn alias_bomb_hits_the_limit_quickly() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        .windows(2)
        .map(|w| (w[0], w[1]))
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text.push_str("---\nok: 1\n");
    let loaded = load(&text);
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
    let p = &loaded.problems[0];
    assert_eq!(p.kind, ProblemKind::Limit);
    assert_eq!(
        p.message,
        "alias expansion exceeds the limit of 100000 nodes (possible billion laughs)"
    );
    let (line, _, spanned) = at(&text, p.span);
    assert_eq!((line, spanned), (6, "*e"));
    // The bomb is dropped; the next document still loads, with the next index.
    assert_eq!(loaded.documents.len(), 1);
    assert_eq!(loaded.documents[0].index, 1);

    let small = Limits {
        max_alias_nodes: 3,
        ..Limits::default()
    };
    let loaded = load_with("a: &a [1, 2]\nb: *a\nc: *a\n", &small);
    assert_eq!(loaded.problems[0].kind, ProblemKind::Limit);
    assert_eq!(
        at("a: &a [1, 2]\nb: *a\nc: *a\n", loaded.problems[0].span),
        (3, 4, "*a")
    );
    assert!(loaded.documents.is_empty());
}

#[test]
fn deep_nesting_is_a_limit_not_a_stack_overflow() {
    let text = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let loaded = load(&text);
    assert!(loaded.documents.is_empty());
    assert_eq!(loaded.problems.len(), 1);
    let p = &loaded.problems[0];
    assert_eq!(p.kind, ProblemKind::Limit);
    // saphyr stops flow nesting at 255 levels, before our own limit of 256.
    assert_eq!(p.message, "nesting deeper than 255 levels");
    assert_eq!(at(&text, p.span), (1, 259, "["));

    let text = "- ".repeat(10_000) + "x\n";
    let loaded = load(&text);
    assert_eq!(loaded.problems[0].message, "nesting deeper than 256 levels");
    assert_eq!(at(&text, loaded.problems[0].span).1, 2 * 256 + 1);

    let text: String = (0..5_000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let loaded = load(&text);
    assert_eq!(loaded.problems[0].kind, ProblemKind::Limit);
    assert_eq!(at(&text, loaded.problems[0].span).0, 257);

    // Exactly at the limit is fine, and aliases cannot smuggle in extra depth.
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    assert!(load_with("a: {b: [1]}\n", &limits).problems.is_empty());
    let loaded = load_with("a: &x {b: [1]}\nc: [*x]\n", &limits);
    assert_eq!(loaded.problems[0].message, "nesting deeper than 3 levels");
    assert_eq!(
        at("a: &x {b: [1]}\nc: [*x]\n", loaded.problems[0].span).2,
        "*"
    );
}

#[test]
fn broken_document_does_not_stop_the_others() {
    let text = "kind: A\n---\nkind: B\n  bad: indent\n---\nkind: C\n";
    let loaded = load(text);
    let kinds: Vec<_> = loaded
        .documents
        .iter()
        .map(|d| (d.index, d.root.str_at(&["kind"]).unwrap()))
        .collect();
    assert_eq!(kinds, [(0, "A"), (2, "C")]);
    assert_eq!(loaded.problems.len(), 1);
    let p = &loaded.problems[0];
    assert_eq!(p.kind, ProblemKind::Parse);
    assert_eq!(p.message, "mapping values are not allowed in this context");
    assert_eq!(at(text, p.span), (4, 6, ":"));

    let text = "a: [1, 2\n---\nb: \"open\n";
    let loaded = load(text);
    assert!(loaded.documents.is_empty());
    let found: Vec<_> = loaded
        .problems
        .iter()
        .map(|p| (p.kind, at(text, p.span).0))
        .collect();
    // The unclosed `[` is where the first document's error is, not the `---` that ends it.
    assert_eq!(found, [(ProblemKind::Parse, 1), (ProblemKind::Parse, 3)]);
    assert_eq!(at(text, loaded.problems[0].span), (1, 4, "["));
    assert_eq!(
        loaded.problems[0].message,
        "this `[` is never closed: while parsing a flow sequence, expected ',' or ']' before the end of the document"
    );
    for p in &loaded.problems {
        assert!(!p.message.ends_with('.'));
        assert!(!p.message.starts_with(char::is_uppercase));
    }

    let loaded = load("a: *nope\n");
    assert_eq!(loaded.problems[0].kind, ProblemKind::Parse);
    assert_eq!(at("a: *nope\n", loaded.problems[0].span).1, 4);
    let loaded = load("a: &x [*x]\n");
    assert_eq!(loaded.problems[0].kind, ProblemKind::Parse);
    assert!(loaded.problems[0].message.contains("recursive alias"));
}

#[test]
fn empty_documents_produce_nothing() {
    for text in [
        "",
        "\n\n",
        "---",
        "---\n",
        "---\n---\n...\n",
        "# only a comment\n",
        "--- # comment\n# more\n---\n",
        "%YAML 1.2\n---\n",
    ] {
        let loaded = load(text);
        assert!(loaded.documents.is_empty(), "{text:?}");
        assert!(
            loaded.problems.is_empty(),
            "{text:?}: {:?}",
            loaded.problems
        );
    }
    let text = "# header\n---\n---\n# nothing\n---\na: 1\n---\n";
    let loaded = load(text);
    assert_eq!(loaded.documents.len(), 1);
    assert_eq!(loaded.documents[0].index, 0);
    assert_eq!(at(text, loaded.documents[0].root.span), (6, 1, "a: 1"));
    // An explicit null is a document.
    assert_eq!(load("--- ~\n").documents.len(), 1);
    assert_eq!(load("--- null\n").documents[0].root.value, Value::Null);
}

#[test]
fn directives_and_document_end_markers() {
    let text = "a: 1\n...\n%YAML 1.2\n%TAG !e! tag:example.com,2000:\n---\nb: !e!x 2\n...\n---\nc: 3\n...\nd: 4\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let docs: Vec<_> = loaded
        .documents
        .iter()
        .map(|d| (d.index, d.root.entries()[0].key.as_str().unwrap()))
        .collect();
    assert_eq!(docs, [(0, "a"), (1, "b"), (2, "c"), (3, "d")]);
    let b = loaded.documents[1].root.get("b").unwrap();
    assert_eq!(b.tag.as_deref(), Some("tag:example.com,2000:x"));
    assert_eq!(at(text, b.span), (6, 9, "2"));
    assert_eq!(at(text, loaded.documents[3].root.span), (11, 1, "d: 4"));
}

#[test]
fn too_many_documents() {
    let limits = Limits {
        max_documents: 2,
        ..Limits::default()
    };
    let text = "a: 1\n---\n---\nb: 2\n---\nc: 3\n---\nd: 4\n";
    let loaded = load_with(text, &limits);
    assert_eq!(loaded.documents.len(), 2);
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].kind, ProblemKind::Limit);
    assert_eq!(
        loaded.problems[0].message,
        "more than 2 documents in the stream"
    );
    assert_eq!(at(text, loaded.problems[0].span), (5, 1, "-"));
}

#[test]
fn core_schema_resolution() {
    let text = "[~, null, Null, NULL, !!null , true, True, TRUE, false, FALSE, yes, 12, -3, +4, 0o17, 0x1F, 0xFFFFFFFFFFFFFFFFF, 99999999999999999999, 1.5, 1e3, -.5, .inf, -.Inf, .NaN, 1_000, 0o, '1', \"true\", !!str 1, !!int 0x10, !!float 2, !!bool true, !!null x, !!int zz, !Ref 5]";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let values: Vec<_> = loaded.documents[0]
        .root
        .items()
        .iter()
        .map(|n| match &n.value {
            Value::Float(f) if f.is_nan() => "NaN".to_string(),
            v => format!("{v:?}"),
        })
        .collect();
    let expected = [
        "Null",
        "Null",
        "Null",
        "Null",
        "Null",
        "Bool(true)",
        "Bool(true)",
        "Bool(true)",
        "Bool(false)",
        "Bool(false)",
        "Str(\"yes\")",
        "Int(12)",
        "Int(-3)",
        "Int(4)",
        "Int(15)",
        "Int(31)",
        "Str(\"0xFFFFFFFFFFFFFFFFF\")",
        "Float(1e20)",
        "Float(1.5)",
        "Float(1000.0)",
        "Float(-0.5)",
        "Float(inf)",
        "Float(-inf)",
        "NaN",
        "Str(\"1_000\")",
        "Str(\"0o\")",
        "Str(\"1\")",
        "Str(\"true\")",
        "Str(\"1\")",
        "Int(16)",
        "Float(2.0)",
        "Bool(true)",
        "Null",
        "Str(\"zz\")",
        "Str(\"5\")",
    ];
    assert_eq!(values, expected);
}

#[test]
fn positions_match_line_index_offset() {
    let text = "é: [ünï, cödé]\r\nb: x\n";
    let lines = LineIndex::new(text);
    let mut pos = Positions::new(text, &lines);
    for (line, col) in [
        (1, 0),
        (1, 3),
        (1, 9),
        (1, 30),
        (2, 0),
        (1, 5),
        (2, 3),
        (3, 0),
        (9, 2),
    ] {
        assert_eq!(
            pos.offset(line, col),
            lines.offset(text, line, col),
            "{line}:{col}"
        );
    }
}

const MANIFEST: &str = "# service account
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: prod
  annotations:
    eks.amazonaws.com/role-arn: \"arn:aws:iam::111122223333:role/app\"
    eks.amazonaws.com/audience: 'sts.amazonaws.com'
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: &labels {app: web, tier: front}}
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels:
        <<: *labels
        extra: \"yes\"
    spec:
      serviceAccountName: app
      containers:
        - name: web
          image: nginx:1.27
          env:
            - {name: AWS_REGION, value: eu-west-1}
          command: [\"sh\", \"-c\"]
          args:
            - |
              echo hello
              exec nginx
---
AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub |
        {\"Version\": \"2012-10-17\", \"Statement\": []}
      Arn: !GetAtt Provider.Arn
      Tags: !Join [\":\", [a, !Ref B]]
...
";

/// Every span lies in the text, on character boundaries, start before end.
fn check_spans(text: &str, node: &Node) {
    let mut check = |n: &Node| {
        assert!(n.span.start <= n.span.end);
        assert!(n.span.end as usize <= text.len());
        assert!(text.is_char_boundary(n.span.start as usize));
        assert!(text.is_char_boundary(n.span.end as usize));
    };
    node.walk(&mut check);
}

#[test]
fn manifest_fixture_loads() {
    let loaded = load(MANIFEST);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.documents.len(), 3);
    let labels = loaded.documents[1]
        .root
        .path(&["spec", "template", "metadata", "labels"])
        .unwrap();
    let keys: Vec<_> = labels
        .entries()
        .iter()
        .map(|e| e.key.as_str().unwrap())
        .collect();
    assert_eq!(keys, ["app", "tier", "extra"]);
    let script = loaded.documents[1]
        .root
        .path(&["spec", "template", "spec", "containers"])
        .unwrap()
        .items()[0]
        .get("args")
        .unwrap()
        .items()[0]
        .clone();
    assert_eq!(
        at(MANIFEST, script.span).2,
        "|\n              echo hello\n              exec nginx"
    );
    for d in &loaded.documents {
        check_spans(MANIFEST, &d.root);
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
}

#[test]
fn mutated_input_never_panics() {
    const PIECES: &[&str] = &[
        "[",
        "]",
        "{",
        "}",
        ":",
        ": ",
        "- ",
        "---\n",
        "...\n",
        "\n",
        " ",
        "  ",
        "\t",
        "'",
        "\"",
        "&a ",
        "*a",
        "*labels",
        "!Sub ",
        "!!str ",
        "|",
        ">-",
        "#",
        "%YAML 1.2\n",
        "<<: ",
        "é",
        "\r\n",
        "\\",
        "? ",
        ",",
        "\u{feff}",
        "0x",
        "!<",
        "&",
        "*",
        "!",
    ];
    let limits = Limits {
        max_alias_nodes: 1000,
        max_depth: 64,
        ..Limits::default()
    };
    let seed = std::env::var("YAML_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    let mut rng = Rng(seed.unwrap_or(0x9e37_79b9_7f4a_7c15));
    let rounds = std::env::var("YAML_FUZZ_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok());
    for _ in 0..rounds.unwrap_or(1500) {
        let mut text = MANIFEST.to_string();
        for _ in 0..(1 + rng.next() % 4) {
            let mut at = rng.next() % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match rng.next() % 5 {
                0 => text.truncate(at),
                1 => {
                    let mut end = (at + rng.next() % 40).min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.replace_range(at..end, "");
                }
                _ => text.insert_str(at, PIECES[rng.next() % PIECES.len()]),
            }
        }
        let loaded = load_with(&text, &limits);
        for d in &loaded.documents {
            check_spans(&text, &d.root);
        }
        for p in &loaded.problems {
            assert!(p.span.start <= p.span.end && p.span.end as usize <= text.len());
            assert!(!p.message.is_empty());
            // The panic guard must stay a last resort.
            assert_ne!(p.message, PARSER_PANIC_MESSAGE, "{text:?}");
        }
    }
}

#[test]
fn huge_flow_collection_is_a_limit_not_gigabytes() {
    // saphyr would tokenise the whole sequence before its first event.
    let limits = Limits {
        max_flow_run: 1000,
        ..Limits::default()
    };
    let text = format!("a: 1\n---\n[{}]\n---\nb: 2\n", vec!["1"; 1010].join(","));
    let loaded = load_with(&text, &limits);
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
    let p = &loaded.problems[0];
    assert_eq!(p.kind, ProblemKind::Limit);
    assert_eq!(
        p.message,
        "more than 1000 flow collection entries before the next node; not parsed (the YAML parser would hold them all in memory at once)"
    );
    // At the indicator past the limit: the `[` and 999 commas were read, 2 bytes each.
    assert_eq!(at(&text, p.span), (3, 2001, ","));
    // The documents around it load, with their indexes (the dropped one keeps index 1).
    let docs: Vec<_> = loaded.documents.iter().map(|d| d.index).collect();
    assert_eq!(docs, [0, 2]);
    assert_eq!(loaded.documents[1].root.get("b").unwrap().as_i64(), Some(2));

    // At the limit it parses, through the guarded input too (the chunk is longer than 1000).
    let text = format!("[{}]\n", vec!["1"; 1000].join(","));
    let loaded = load_with(&text, &limits);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.documents[0].root.items().len(), 1000);
    // Nested collections count too, and so does a flow mapping.
    let text = format!("- {{a: [{}]}}\n", vec!["[1]"; 600].join(","));
    assert_eq!(
        load_with(&text, &limits).problems[0].kind,
        ProblemKind::Limit
    );
    // A flow collection that is a block mapping's value is not held back: its events come
    // one by one, and it loads whatever its size.
    let text = format!("k: [{}]\n", vec!["1"; 3000].join(","));
    let loaded = load_with(&text, &limits);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(
        loaded.documents[0].root.get("k").unwrap().items().len(),
        3000
    );
    assert_eq!(Limits::default().max_flow_run, 1_000_000);
}

#[test]
fn guarded_input_gives_the_same_events_as_the_str_input() {
    use super::events::Events;
    let mut text = String::from("\u{e9}t\u{e9}: [x, \"y\\n\", {z: 1}]\n");
    for i in 0..300 {
        text.push_str(MANIFEST.split("...").next().unwrap());
        text.push_str(&format!("---\nk{i}: 'q''s' # c\nl: |\n  caf\u{e9}\n  x\n"));
    }
    let text = text.replace("\n---\n", "\n---\n# between\n");
    let events = |guard_from| {
        let mut events = Events::with_guard_from(&text, 1_000_000, guard_from);
        let mut out = Vec::new();
        while let Some(next) = events.next_event() {
            assert_eq!(events.stopped(), None);
            match next {
                Ok((event, span)) => out.push(format!("{event:?} {span:?}")),
                Err(e) => out.push(format!("{e:?}")),
            }
        }
        out
    };
    let plain = events(usize::MAX);
    assert!(plain.len() > 10_000);
    assert_eq!(plain, events(0));
}

/// A flow mapping closed at its key's column (and one whose content sits left of it), as
/// kubectl and CloudFormation read them: the documents load with file-global spans, also
/// after a non-ASCII comment the copy blanks, and the file keeps one lenient note per
/// document at the line the strict reading refused.
#[test]
fn flow_collections_left_of_their_block_are_read_leniently() {
    let text = "kind: A\n---\nRes:\n  Key:\n    Policy: {\n      \"Version\": \"2012-10-17\", # clé\n      \"Statement\": [ \"é\",\n    \"x\" ]\n    }\n    After: 1\n---\nb: [\n1\n]\n";
    let loaded = load(text);
    assert_eq!(loaded.documents.len(), 3, "{:?}", loaded.problems);
    let notes: Vec<_> = loaded
        .problems
        .iter()
        .map(|p| (p.kind, at(text, p.span).0, at(text, p.span).1))
        .collect();
    assert_eq!(
        notes,
        [(ProblemKind::Lenient, 8, 5), (ProblemKind::Lenient, 13, 1)]
    );
    assert!(loaded.problems[0]
        .message
        .starts_with("this line of a flow collection"));
    let key = loaded.documents[1].root.path(&["Res", "Key"]).unwrap();
    let policy = key.get("Policy").unwrap();
    let (l, c, s) = at(text, policy.span);
    assert_eq!((l, c), (5, 13));
    assert!(s.starts_with('{') && s.ends_with('}'), "{s}");
    let st = policy.get("Statement").unwrap().items();
    assert_eq!(at(text, st[0].span), (7, 22, "\"é\""));
    assert_eq!(st[0].as_str(), Some("é"));
    assert_eq!(at(text, st[1].span), (8, 5, "\"x\""));
    assert_eq!(at(text, key.get("After").unwrap().span), (10, 12, "1"));
    let b = loaded.documents[2].root.get("b").unwrap();
    assert_eq!(at(text, b.items()[0].span), (13, 1, "1"));

    // PyYAML rejects a missing comma whatever the indentation: still a parse error, at the
    // place the strict reading stopped.
    let text = "data: {\n  \"a\": 1\n  \"b\": 2\n}\n";
    let loaded = load(text);
    assert!(loaded.documents.is_empty());
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].kind, ProblemKind::Parse);
    // A multi-line plain scalar keeps its folded line break: not joined into one line.
    let text = "a:\n  b: {x: one\n two\n  }\n";
    let loaded = load(text);
    let b = loaded.documents[0].root.path(&["a", "b"]).unwrap();
    assert_eq!(b.get("x").and_then(Node::as_str), Some("one two"));
}

/// The load stage skips its walk for embedded JSON when the loader says no string may hold
/// any: the flag must be off whenever one does, keys, block scalars, leading blanks and
/// anchored documents included.
#[test]
fn no_json_strings_only_when_no_string_may_hold_json() {
    let none = "a: b\nc: [1, {d: e}]\nf: |\n  text {x}\n";
    assert!(load(none).no_json_strings);
    for text in [
        "a: '{\"Version\": \"2012-10-17\"}'\n",
        "'{\"k\": 1}': b\n",
        "a: |\n  {\"Statement\": []}\n",
        "a: \"  {}\"\n",
        "a: b\n---\nc: '{}'\n",
        // The arena path (an anchor) does not look at its strings.
        "a: &x b\nc: *x\n",
    ] {
        assert!(!load(text).no_json_strings, "{text:?}");
    }
}

#[test]
fn a_lone_cr_breaks_lines_as_saphyr_reads_them() {
    // Old Mac line ends: YAML breaks lines at a lone CR. The debug check of the ASCII
    // shortcut once panicked here (the line index does not break there), so debug builds
    // reported a parser failure where release builds read the document.
    let text = "a: b\rc: d\n";
    let loaded = load(text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let doc = &loaded.documents[0];
    assert_eq!(get(doc, "a").as_str(), Some("b"));
    let c = get(doc, "c");
    assert_eq!((c.as_str(), c.span.start), (Some("d"), 8));
}

/// A flow collection whose lines sit left of its block and that is broken besides (the
/// lenient reading fails too): saphyr's indentation error on a swallowed line is replaced by
/// the error of the lenient reading, which names the bracket, with the file's lines.
#[test]
fn a_broken_flow_collection_over_lines_names_its_bracket() {
    // Never closed: at the `[`.
    let text = "a: [\n  b,\nc: 1\n";
    let loaded = load(text);
    let p = &loaded.problems[..];
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(at(text, p[0].span), (1, 4, "["));
    assert!(
        p[0].message.starts_with("this `[` is never closed: "),
        "{}",
        p[0].message
    );
    // A token the collection cannot hold, after an earlier flow collection whose lines the
    // copy joined: the bracket's line is the file's, not the copy's.
    let text = "x: {\n  a: 1\n}\nlist: [a, b,\n  c: d\nother: 1\n";
    let loaded = load(text);
    let parse: Vec<_> = loaded
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Parse)
        .collect();
    assert_eq!(parse.len(), 1, "{:?}", loaded.problems);
    // `c: d other: 1` read as one flow pair: the second `:` is the first token that cannot
    // be there (the `[` lacks its `]` before `other`).
    assert_eq!(at(text, parse[0].span), (6, 6, ":"));
    assert_eq!(
        parse[0].message,
        "while parsing a flow mapping, did not find expected ',' or '}' (inside the `[` opened at line 4, column 7)"
    );
}

/// The lenient reading's error replaces the strict one only when it names the open bracket,
/// with the bracket's line and column the file's (an earlier flow collection's lines, which
/// the copy joins, shift the copy's lines).
#[test]
fn a_broken_flow_collection_keeps_the_files_lines() {
    let text = "x:\n  a: {\n    b: 1\n  }\n  list: [a, b,\n  c: d\nother: 1\n";
    let loaded = load(text);
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
    let p = &loaded.problems[0];
    assert_eq!(at(text, p.span), (7, 6, ":"));
    assert_eq!(
        p.message,
        "while parsing a flow mapping, did not find expected ',' or '}' (inside the `[` opened at line 5, column 9)"
    );
    // Closed, then a block error the lenient reading finds outside any flow collection:
    // the strict error stays.
    let text = "x:\n  a: [\n    b,\n  c]\n    d: e\n";
    let loaded = load(text);
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
    let p = &loaded.problems[0];
    assert_eq!(at(text, p.span), (4, 3, "c"));
    assert_eq!(p.message, "invalid indentation in flow construct");
}

/// An unclosed `[`/`{`: saphyr fails at the end of the document, so the problem is put at
/// the bracket (the innermost one left open), on both loaders (the direct one, and the arena
/// of a document with anchors); an error elsewhere inside an open flow collection keeps
/// saphyr's position and names the bracket.
#[test]
fn an_unclosed_flow_collection_is_reported_at_its_bracket() {
    for (text, line, col, bracket) in [
        ("a:\n  b: [1, {c: 2}, [3,\n\n", 2, 18, "["),
        ("a: &x 1\nb: {c: *x, d: [1, 2]\n# end\n", 2, 4, "{"),
        ("kind: A\n---\nb: [x, y\n---\nkind: C\n", 3, 4, "["),
    ] {
        let loaded = load(text);
        let problems: Vec<_> = loaded
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Parse)
            .collect();
        assert_eq!(problems.len(), 1, "{text:?}: {:?}", loaded.problems);
        assert_eq!(at(text, problems[0].span), (line, col, bracket), "{text:?}");
        assert!(
            problems[0]
                .message
                .starts_with(&format!("this `{bracket}` is never closed: ")),
            "{}",
            problems[0].message
        );
    }
    let text = "a: [x, y\nb: 1\n";
    let loaded = load(text);
    let p = &loaded.problems[0];
    assert_eq!(at(text, p.span).0, 2);
    assert!(
        p.message
            .ends_with("(inside the `[` opened at line 1, column 4)"),
        "{}",
        p.message
    );
}

/// A key without its `:` is reported at the key, not where saphyr notices it on a later line
/// (xawei/EKSaC@c6f5f7c eksac-cluster01: a base64 value wrapped at column 1), past blank and
/// comment lines, sequence indicators and the indentation; a long key shown cut.
#[test]
fn a_key_without_its_colon_is_reported_at_the_key() {
    let long = "JVeApFekFSQmdOVkJBTVRDbXQxWW1WeWJtVjBaWE13Z2dFaU1B";
    let cases = [
        ("a: 1\nb\nc: 2\n", (2, 1, "b"), "b".to_string()),
        ("a: 1\nb\n# comment\n\nc: 2\n", (2, 1, "b"), "b".to_string()),
        ("a: 1\nb\n", (2, 1, "b"), "b".to_string()),
        // Noticed mid-line (at `name`'s `:`).
        (
            "outer:\n  cert: abcdef\nghijkl\n  name: x\n",
            (3, 1, "g"),
            "ghijkl".to_string(),
        ),
        (
            &*format!("clusters:\n- cluster:\n    data: LS0t\n{long}\nZSWXZ\n    server: x\n"),
            (4, 1, "J"),
            format!("{}…", &long[..40]),
        ),
    ];
    // A `:` glued to what follows is part of the key (Innfi/devops-tools Ansible
    // playbook-docker-es/es-docker.yaml: `state:latest`).
    let text = "- name: x\n  apt:\n    name: y\n    state:latest\n\n- name: z\n";
    let p = &load(text).problems[0];
    assert_eq!(at(text, p.span).0, 4);
    assert_eq!(
        p.message,
        "`state:latest` is read as a mapping key, but no `:` follows it on its line: a `:` ends a key only before a space (`state: latest`?)"
    );
    for (text, (line, col, first), shown) in cases {
        let loaded = load(text);
        let p = loaded
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::Parse)
            .unwrap_or_else(|| panic!("{text}: {:?}", loaded.problems));
        let (l, c, spanned) = at(text, p.span);
        assert_eq!((l, c, &spanned[..1]), (line, col, first), "{text}");
        assert_eq!(
            p.message,
            format!("`{shown}` is read as a mapping key, but no `:` follows it on its line (a forgotten `:`, or a continuation of the value above, which must be indented more than that value's key)"),
            "{text}"
        );
    }
}
