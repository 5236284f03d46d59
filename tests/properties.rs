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

fn jsonish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[\\[\\]{},:\" \n\\\\]".prop_map(|s| s.to_string()),
            Just("\"Statement\"".to_string()),
            Just("true".to_string()),
            Just("-1.5e3".to_string()),
            Just("\\u00e9".to_string()),
            "[a-z0-9é]{1,5}",
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

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
