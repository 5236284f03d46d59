//! Property-based tests: the loaders never panic and every span they produce lies inside
//! the text on character boundaries; IAM glob matching agrees with a reference matcher.

use irsalint::model::iam::glob::glob_match;
use irsalint::source::file::{LineIndex, Span};
use irsalint::source::node::{Node, Value};
use irsalint::source::{json, yaml, Limits, Loaded};
use proptest::prelude::*;

fn check_span(text: &str, span: Span) {
    let (s, e) = (span.start as usize, span.end as usize);
    assert!(
        s <= e && e <= text.len(),
        "span {s}..{e} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(s) && text.is_char_boundary(e),
        "span {s}..{e} splits a character"
    );
}

fn check_node(text: &str, n: &Node) {
    check_span(text, n.span);
    match &n.value {
        Value::Seq(items) => items.iter().for_each(|i| check_node(text, i)),
        Value::Map(entries) => entries.iter().for_each(|e| {
            check_node(text, &e.key);
            check_node(text, &e.value);
        }),
        _ => {}
    }
}

fn check_loaded(text: &str, loaded: &Loaded) {
    for d in &loaded.documents {
        check_node(text, &d.root);
    }
    for p in &loaded.problems {
        check_span(text, p.span);
    }
}

/// YAML-ish text: the characters that matter to the grammar, plus some others.
fn yamlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("\n".to_string()),
            Just("  ".to_string()),
            Just("- ".to_string()),
            Just(": ".to_string()),
            Just("---\n".to_string()),
            Just("&a ".to_string()),
            Just("*a".to_string()),
            Just("!Sub ".to_string()),
            Just("|\n".to_string()),
            Just(">-\n".to_string()),
            Just("<<: ".to_string()),
            "[\\[\\]{},:#'\"\\\\ é\t\r]".prop_map(|s| s.to_string()),
            "[a-z0-9]{1,6}",
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

/// A JSON value of a policy-like shape, with strings that need escaping and non-ASCII text.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i32>().prop_map(J::from),
        Just(serde_json::json!(-1.5e3)),
        "[a-zA-Z0-9:/*?é\"\\\n\t ]{0,12}".prop_map(J::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(J::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("Statement".to_string()),
                        Just("Effect".to_string()),
                        Just("Condition".to_string()),
                        "[a-zA-Z:/é]{1,8}"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| J::Object(kv.into_iter().collect())),
        ]
    })
}

/// JSON text: about half valid documents (compact or pretty), the rest the same documents cut
/// short or with one character inserted, so the loader sees both well-formed and broken input
/// of realistic shape (not ~1 % valid, as random characters give).
fn jsonish() -> impl Strategy<Value = String> {
    (
        json_value(),
        any::<bool>(),
        0usize..4,
        any::<proptest::sample::Index>(),
        prop_oneof![
            Just(','),
            Just('}'),
            Just('"'),
            Just('['),
            Just('\\'),
            Just('é')
        ],
    )
        .prop_map(|(v, pretty, damage, at, c)| {
            let text = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                serde_json::to_string(&v).unwrap()
            };
            let cut = |t: &str| {
                let mut i = at.index(t.len() + 1);
                while !t.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            match damage {
                0 | 1 => text,
                2 => text[..cut(&text)].to_string(),
                _ => {
                    let mut t = text.clone();
                    t.insert(cut(&text), c);
                    t
                }
            }
        })
}

/// A straightforward exponential-time reference for IAM wildcards.
fn reference(p: &[char], t: &[char]) -> bool {
    match (p.first(), t.first()) {
        (None, None) => true,
        (Some('*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
        (Some('?'), Some(_)) => reference(&p[1..], &t[1..]),
        (Some(a), Some(b)) if a == b => reference(&p[1..], &t[1..]),
        _ => false,
    }
}

/// HCL-ish text: fragments of the shapes real configurations use (heredocs, templates,
/// objects with `:`, `dynamic` blocks, function calls), shuffled and cut anywhere.
fn hclish() -> impl Strategy<Value = String> {
    let fragments = prop_oneof![
        Just("resource \"aws_iam_role\" \"r\" {\n"),
        Just("data \"aws_iam_policy_document\" \"d\" {\n"),
        Just("statement {\n"),
        Just("condition {\n test = \"StringEquals\"\n variable = \"${local.i}:sub\"\n values = [var.v]\n}\n"),
        Just("dynamic \"condition\" {\n for_each = var.l\n content {\n test = condition.value\n }\n}\n"),
        Just("assume_role_policy = jsonencode({ Statement = [{ Effect: \"Allow\" }] })\n"),
        Just("assume_role_policy = data.aws_iam_policy_document.d.json\n"),
        Just("policy = <<-EOF\n  {\"Statement\": [{\"Action\": \"${var.a}\"}]}\n  EOF\n"),
        Just("locals {\n i = replace(module.eks.cluster_oidc_issuer_url, \"https://\", \"\")\n}\n"),
        Just("variable \"v\" {\n default = \"x\"\n}\n"),
        Just("variable \"l\" {\n default = [\"a\", \"b\"]\n}\n"),
        Just("x = format(\"%s-%d\", var.v, 3)\n"),
        Just("y = [for k, v in {a = 1} : \"${k}${v}\" if v > 0]\n"),
        Just("z = merge(local.m, { \"k\" = local.m })\n"),
        Just("locals {\n m = { a = local.m }\n}\n"),
        Just("}\n"),
        Just("\"${"),
        Just("%{ if true }x%{ endif }"),
        Just("é\n"),
    ];
    (proptest::collection::vec(fragments, 0..24), any::<usize>()).prop_map(|(f, cut)| {
        let t: String = f.concat();
        let mut at = if t.is_empty() { 0 } else { cut % (t.len() + 1) };
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        if cut % 3 == 0 {
            t[..at].to_string()
        } else {
            t
        }
    })
}

/// `.tf.json` configurations (always valid JSON) whose strings mix templates, escapes,
/// stray braces and quotes, non-ASCII text and JSON documents.
fn tfjsonish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("${var.v}"),
        Just("${"),
        Just("}"),
        Just("\""),
        Just("\\"),
        Just("\n"),
        Just("$${x}"),
        Just("%{ if true }a%{ endif }"),
        Just("${replace(module.eks.cluster_oidc_issuer_url, \"https://\", \"\")}:sub"),
        Just("${jsonencode({a = \"${local.b}\"})}"),
        Just("{\"Statement\": [{\"Action\": \"s3:*\"}]}"),
        Just("é€"),
        Just("plain"),
    ];
    let string = proptest::collection::vec(piece, 0..5).prop_map(|v| v.concat());
    proptest::collection::vec(string, 6).prop_map(|s| {
        serde_json::json!({
            "variable": {"v": {"default": s[0]}},
            "locals": {"b": s[1]},
            "data": {"aws_iam_policy_document": {"d": {"statement": [{
                "actions": [s[2]],
                "condition": [{"test": "StringEquals", "variable": s[3], "values": [s[4]]}]
            }]}}},
            "resource": {
                "aws_iam_role": {"r": {"name": s[5], "assume_role_policy": s[4]}},
                "helm_release": {"h": {"values": [s[2]], "set": [{"name": s[3], "value": s[5]}]}}
            }
        })
        .to_string()
    })
}

fn check_tree(inputs: &irsalint::load::Inputs, n: &Node) {
    let text = &inputs.sources.get(n.span.file).text();
    check_span(text, n.span);
    match &n.value {
        Value::Seq(items) => items.iter().for_each(|i| check_tree(inputs, i)),
        Value::Map(entries) => entries.iter().for_each(|e| {
            check_tree(inputs, &e.key);
            check_tree(inputs, &e.value);
        }),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    /// Loading, evaluating and mapping a Terraform module never panics, and every value's
    /// span stays inside its file.
    #[test]
    fn terraform_never_panics_and_spans_stay_inside(main in hclish(), vars in hclish()) {
        let raw = |display: &str, text: &str| irsalint::load::RawInput {
            display: display.into(),
            bytes: text.as_bytes().to_vec(),
            read_error: None,
        };
        let inputs = irsalint::load::load(
            vec![raw("m/main.tf", &main), raw("m/vars.tf", &vars)],
            &Limits::default(),
        );
        for r in &inputs.terraform {
            check_tree(&inputs, &r.body);
        }
        for p in &inputs.terraform_derived.policies {
            let doc = p.doc(&inputs.terraform);
            prop_assert!(doc.is_some(), "a derived policy's document is not found: {p:?}");
            check_tree(&inputs, doc.unwrap());
        }
        let config = irsalint::config::Config::default();
        let _ = irsalint::lint(&inputs, &config, &irsalint::Selection::default());
    }

    #[test]
    fn tf_json_never_panics_and_spans_stay_inside(main in tfjsonish()) {
        let inputs = irsalint::load::load(
            vec![irsalint::load::RawInput {
                display: "m/main.tf.json".into(),
                bytes: main.as_bytes().to_vec(),
                read_error: None,
            }],
            &Limits::default(),
        );
        for r in &inputs.terraform {
            check_tree(&inputs, &r.body);
        }
        for f in &inputs.files {
            for p in &f.problems {
                check_span(inputs.sources.get(p.span.file).text(), p.span);
            }
        }
        let config = irsalint::config::Config::default();
        let _ = irsalint::lint(&inputs, &config, &irsalint::Selection::default());
    }

    #[test]
    fn yaml_loader_never_panics_and_spans_stay_inside(text in yamlish()) {
        let lines = LineIndex::new(&text);
        let loaded = yaml::load_yaml(0, &text, &lines, &Limits::default());
        check_loaded(&text, &loaded);
    }

    #[test]
    fn json_loader_never_panics_and_spans_stay_inside(text in jsonish()) {
        let lines = LineIndex::new(&text);
        let loaded = json::load_json(0, &text, &lines, &Limits::default());
        check_loaded(&text, &loaded);
        // It agrees with serde_json on what is valid: valid text loads as one document
        // without problems, invalid text gives a problem.
        let valid = serde_json::from_str::<serde_json::Value>(&text).is_ok();
        prop_assert_eq!(
            loaded.problems.is_empty() && loaded.documents.len() == 1,
            valid,
            "{:?}: {:?}", text, loaded.problems.iter().map(|p| &p.message).collect::<Vec<_>>()
        );
    }

    /// The generator does what it is for: a good share of its texts are valid JSON.
    #[test]
    fn jsonish_yields_valid_json_often(texts in proptest::collection::vec(jsonish(), 64)) {
        let valid = texts
            .iter()
            .filter(|t| serde_json::from_str::<serde_json::Value>(t).is_ok())
            .count();
        prop_assert!(valid >= 16, "{} of 64 valid", valid);
    }

    #[test]
    fn glob_matches_like_the_reference(p in "[ab*?:/]{0,8}", t in "[ab:/é]{0,10}") {
        let pc: Vec<char> = p.chars().collect();
        let tc: Vec<char> = t.chars().collect();
        prop_assert_eq!(glob_match(&p, &t, false), reference(&pc, &tc));
        // Case-insensitive matching (Action values) through the byte and the char paths.
        prop_assert_eq!(glob_match(&p, &t.to_uppercase(), true), reference(&pc, &tc));
    }

    #[test]
    fn glob_without_wildcards_is_equality(t in "[a-zA-Z:/.-]{0,12}", u in "[a-zA-Z:/.-]{0,12}") {
        prop_assert!(glob_match(&t, &t, false));
        prop_assert_eq!(glob_match(&t, &u, false), t == u);
        prop_assert_eq!(glob_match(&t, &u, true), t.to_lowercase() == u.to_lowercase());
    }
}

/// With exponential backtracking this would not finish; the matcher is linear-ish.
#[test]
fn glob_terminates_on_adversarial_patterns() {
    let text = "a".repeat(20_000);
    let pattern = "*a".repeat(50) + "b";
    assert!(!glob_match(&pattern, &text, false));
    assert!(glob_match(&("*a".repeat(50) + "*"), &text, false));
}
