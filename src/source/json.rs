//! JSON → [`Node`] with byte spans.
//!
//! jsonc-parser (in strict mode) builds the tree because it keeps every property, duplicate
//! keys included, with byte ranges. serde_json is the reference for what is valid JSON and
//! for the wording and position of syntax errors, so it is consulted when jsonc-parser
//! fails, and as a strictness check (jsonc-parser accepts raw control characters in
//! strings, for instance) when the document is shallow enough for serde_json's own
//! recursion limit of 128 not to produce false errors.

use jsonc_parser::ast;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::embedded::may_hold_json;
use super::file::{FileId, LineIndex, Span};
use super::node::{Document, Entry, Node, ScalarStyle, Value};
use super::{Limits, LoadProblem, Loaded, ProblemKind};

const BOM: &str = "\u{feff}";

/// serde_json refuses nesting of 128 levels and more; below that its verdict is exact.
const SERDE_MAX_DEPTH: usize = 127;

/// Loads a JSON file: one document (index 0), or one problem and no document.
///
/// A UTF-8 byte-order mark is skipped; an empty or whitespace-only file yields neither a
/// document nor a problem. `_lines` is accepted for symmetry with the other loaders; error
/// positions are computed from the text itself.
pub fn load_json(file: FileId, text: &str, _lines: &LineIndex, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    if text.len() > limits.max_file_size {
        loaded.problems.push(LoadProblem {
            kind: ProblemKind::Limit,
            span: Span::empty(file, 0),
            message: format!("file larger than {} bytes", limits.max_file_size),
        });
        return loaded;
    }
    let (body, base) = match text.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (text, 0),
    };
    if body.trim_matches(is_json_whitespace).is_empty() {
        return loaded;
    }
    match parse_at(file, body, base, limits) {
        Ok((root, strings)) => {
            loaded.documents.push(Document { root, index: 0 });
            loaded.no_json_strings = !strings;
        }
        Err(problem) => loaded.problems.push(problem),
    }
    loaded
}

/// JSON with comments or trailing commas (JSONC) that looks like none of irsalint's input
/// kinds: an editor's or another tool's configuration (`.devcontainer/devcontainer.json`,
/// VS Code's `settings.json`, `tsconfig.json`). Such a file is not broken, it is not JSON
/// meant for a JSON reader, and irsalint would not read it anyway: it is skipped without a
/// finding, as a file of another language is (the load stage decides, for whole files). An
/// IAM policy or a manifest with comments still gets its `parse-error` (IAM and kubectl
/// reject comments).
///
/// JSON5 (unquoted keys, single-quoted strings: a JavaScript object literal saved as
/// `.json`, such as lavagna's `project/misc/users.json` as P-Crommie/devops_projects vendors
/// it) is another tool's too,
/// unless it names a key of an input kind in any quoting (`'Statement'`, a Python dict
/// pasted as a policy), which stays a `parse-error`.
pub fn is_other_tools_jsonc(text: &str) -> bool {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let lenient = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        ..strict_options()
    };
    let parses = |options: &ParseOptions| {
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), options).is_ok()
    };
    let json5 = ParseOptions {
        allow_loose_object_property_names: true,
        allow_single_quoted_strings: true,
        allow_hexadecimal_numbers: true,
        allow_unary_plus_numbers: true,
        allow_bare_decimal_point_numbers: true,
        allow_non_finite_numbers: true,
        allow_extended_string_escapes: true,
        ..lenient
    };
    let names_input_key = [
        "Statement",
        "apiVersion",
        "AWSTemplateFormatVersion",
        "jwks_uri",
    ]
    .iter()
    .any(|k| text.contains(k));
    (parses(&lenient) || (!names_input_key && parses(&json5)))
        && !super::discover::sniff(text.as_bytes())
}

/// JSON as RFC 8259 defines it: every jsonc-parser extension off.
fn strict_options() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Parses JSON text that lives at `base` bytes into some file (used for embedded text).
///
/// Spans are relative to `text` and carry `file`; callers embedding the text remap them
/// (see [`super::embedded::remap`]). Empty text is an error here: an embedded string that
/// should hold JSON but is empty is worth reporting.
pub fn parse_json_node(file: FileId, text: &str, limits: &Limits) -> Result<Node, LoadProblem> {
    parse_at(file, text, 0, limits).map(|(root, _)| root)
}

fn is_json_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Parses `text`, whose first byte is at `base` in the file; with the tree, whether one of
/// its strings may hold embedded JSON ([`Loaded::no_json_strings`]).
fn parse_at(
    file: FileId,
    text: &str,
    base: usize,
    limits: &Limits,
) -> Result<(Node, bool), LoadProblem> {
    // jsonc-parser recurses once per nesting level, so hostile nesting is refused before it
    // runs; this also gives the limit one clear message instead of a parser error.
    let (depth, deepest_at) = max_depth(text, limits.max_depth);
    if depth > limits.max_depth {
        return Err(LoadProblem {
            kind: ProblemKind::Limit,
            span: Span::new(file, base + deepest_at, base + deepest_at + 1),
            message: format!("nesting deeper than {} levels", limits.max_depth),
        });
    }

    let options = strict_options();
    match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => {
            if depth <= SERDE_MAX_DEPTH {
                if let Some(problem) = serde_problem(file, text, base, false) {
                    return Err(problem);
                }
            }
            match result.value {
                Some(value) => {
                    let mut strings = false;
                    let root = convert(file, base, &value, &mut strings);
                    Ok((root, strings))
                }
                // Only comments or whitespace: strict mode refuses comments, so whitespace.
                None => Err(LoadProblem {
                    kind: ProblemKind::Parse,
                    span: Span::empty(file, base + text.len()),
                    message: "end of file while parsing a value".to_string(),
                }),
            }
        }
        Err(err) => {
            if matches!(err.kind(), ParseErrorKind::NestingDepthExceeded) {
                // jsonc-parser's own cap (512 ranges) when `max_depth` is set above it.
                let at = base + err.range().start;
                return Err(LoadProblem {
                    kind: ProblemKind::Limit,
                    span: Span::new(file, at, at),
                    message: "nesting too deep for the JSON parser".to_string(),
                });
            }
            if let Some(problem) = serde_problem(file, text, base, true) {
                if !problem.message.starts_with("recursion limit") {
                    return Err(problem);
                }
            }
            // serde_json accepted the text (e.g. a lone surrogate escape, which it does not
            // check when skipping a value) or hit its recursion limit: report jsonc-parser's
            // own error.
            let range = err.range();
            let start = base + range.start.min(text.len());
            let end = (base + range.end.min(text.len())).max(start);
            Err(LoadProblem {
                kind: ProblemKind::Parse,
                span: Span::new(file, start, end),
                message: tidy_message(&err.kind().to_string()),
            })
        }
    }
}

/// The offsets and bytes of the brackets (`[`, `{`, `]`, `}`) outside strings, in order. A
/// plain byte scan: no recursion.
fn brackets(text: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let at = i;
            i += 1;
            match bytes[at] {
                b'"' => {
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b @ (b'[' | b'{' | b']' | b'}') => return Some((at, b)),
                _ => {}
            }
        }
        None
    })
}

/// The deepest nesting of `[`/`{` outside strings and the offset of the bracket that first
/// went deeper than `limit` (or of the deepest one).
fn max_depth(text: &str, limit: usize) -> (usize, usize) {
    let (mut depth, mut max, mut at) = (0usize, 0usize, 0usize);
    for (i, b) in brackets(text) {
        if matches!(b, b'[' | b'{') {
            depth += 1;
            if depth > max {
                max = depth;
                at = i;
                if max > limit {
                    return (max, at);
                }
            }
        } else {
            depth = depth.saturating_sub(1);
        }
    }
    (max, at)
}

/// The offset of the innermost `[`/`{` (outside strings) that `text` leaves open; brackets
/// that do not match are serde_json's to report.
fn unclosed_bracket(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    for (i, b) in brackets(text) {
        if matches!(b, b'[' | b'{') {
            open.push(i);
        } else {
            open.pop();
        }
    }
    open.pop()
}

/// serde_json's verdict on `text`, as a problem positioned in the file.
///
/// `full_check` deserializes into `serde_json::Value`, which names more errors precisely
/// (`trailing comma` rather than `expected value`) and validates escapes; skipping into
/// `IgnoredAny` is cheaper and enough to confirm a text jsonc-parser accepted.
fn serde_problem(file: FileId, text: &str, base: usize, full_check: bool) -> Option<LoadProblem> {
    let err = if full_check {
        serde_json::from_str::<serde_json::Value>(text).err()?
    } else {
        serde_json::from_str::<serde::de::IgnoredAny>(text).err()?
    };
    let full = err.to_string();
    // serde_json appends " at line L column C"; the position is reported as a span instead.
    let raw = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    let message = tidy_message(raw);
    // Only for a text that ends inside an object or a list: one that ends inside a string or
    // after a `:` has its fault at its end.
    let unclosed = match message.as_str() {
        "end of file while parsing a list" => {
            unclosed_bracket(text).filter(|&at| text.as_bytes()[at] == b'[')
        }
        "end of file while parsing an object" => {
            unclosed_bracket(text).filter(|&at| text.as_bytes()[at] == b'{')
        }
        _ => None,
    };
    if let Some(at) = unclosed {
        // The text ends inside an object or list: the bracket left open is what to fix, not
        // the end of the file.
        return Some(LoadProblem {
            kind: ProblemKind::Parse,
            span: Span::new(file, base + at, base + at + 1),
            message: format!("this `{}` is never closed: {message}", &text[at..at + 1]),
        });
    }
    let span = if err.is_eof() {
        // serde_json points at the last byte; the missing text belongs after the last token.
        let end = text.trim_end_matches(is_json_whitespace).len();
        Span::empty(file, base + end)
    } else {
        let mut at = serde_offset(text, err.line(), err.column());
        if message.starts_with("control character") {
            // serde_json points at the byte before the control character
            at += text.as_bytes()[at..]
                .iter()
                .take_while(|&&b| b >= 0x20)
                .count();
            at = at.min(text.len());
        }
        let end = token_end(text, at);
        Span::new(file, base + at, base + end)
    };
    Some(LoadProblem {
        kind: ProblemKind::Parse,
        span,
        message,
    })
}

/// Byte offset of serde_json's position: `line` is 1-based, `column` is the 1-based byte
/// column of the offending byte (0 when the error is at a line's very start).
fn serde_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// End of the token starting at `at`: a whole string, a whole word or number, else one
/// character, so that the problem underlines what was found.
fn token_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes.get(at) {
        None => at,
        Some(b'"') => {
            let mut i = at + 1;
            while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            let end = (i + 1).min(bytes.len());
            // an escape at the very end may have stepped over a multi-byte character's start
            (end..=bytes.len())
                .find(|&e| text.is_char_boundary(e))
                .unwrap_or(bytes.len())
        }
        Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.' | b'_') => {
            at + bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.' | b'_'))
                .count()
        }
        Some(_) => at + text[at..].chars().next().map_or(0, char::len_utf8),
    }
}

/// Lower-case first letter, no final period, and no shouting `EOF`.
fn tidy_message(raw: &str) -> String {
    let raw = raw.trim().trim_end_matches('.');
    let raw = match raw.strip_prefix("EOF") {
        Some(rest) => format!("end of file{rest}"),
        None => raw.to_string(),
    };
    let mut chars = raw.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid JSON".to_string(),
    }
}

/// `strings` is set when a string (key or value) may hold embedded JSON.
fn convert(file: FileId, base: usize, value: &ast::Value<'_>, strings: &mut bool) -> Node {
    let span = |r: jsonc_parser::common::Range| Span::new(file, base + r.start, base + r.end);
    match value {
        ast::Value::StringLit(s) => string_node(file, base, s, strings),
        ast::Value::NumberLit(n) => Node::new(number(n.value), span(n.range)),
        ast::Value::BooleanLit(b) => Node::new(Value::Bool(b.value), span(b.range)),
        ast::Value::NullKeyword(n) => Node::new(Value::Null, span(n.range)),
        ast::Value::Array(a) => Node::new(
            Value::Seq(
                a.elements
                    .iter()
                    .map(|e| convert(file, base, e, strings))
                    .collect(),
            ),
            span(a.range),
        ),
        ast::Value::Object(o) => Node::new(
            Value::Map(
                o.properties
                    .iter()
                    .map(|p| Entry {
                        key: match &p.name {
                            ast::ObjectPropName::String(s) => string_node(file, base, s, strings),
                            // strict mode refuses bare words; kept total for safety
                            ast::ObjectPropName::Word(w) => {
                                *strings |= may_hold_json(w.value);
                                Node::new(Value::Str(w.value.into()), span(w.range))
                            }
                        },
                        value: convert(file, base, &p.value, strings),
                    })
                    .collect(),
            ),
            span(o.range),
        ),
    }
}

fn string_node(file: FileId, base: usize, s: &ast::StringLit<'_>, strings: &mut bool) -> Node {
    *strings |= may_hold_json(&s.value);
    let mut node = Node::new(
        Value::Str(s.value.as_ref().into()),
        Span::new(file, base + s.range.start, base + s.range.end),
    );
    node.style = ScalarStyle::Json;
    node
}

/// Integers that fit i64 are `Int`; anything written with a fraction or exponent, or too
/// large, is `Float` (JSON has one number type; IAM and Kubernetes care about the integers).
fn number(text: &str) -> Value {
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Int(i);
        }
    }
    Value::Float(text.parse::<f64>().unwrap_or(f64::NAN))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Loaded {
        load_json(7, text, &LineIndex::new(text), &Limits::default())
    }

    /// JSONC (comments, trailing commas) of another tool is told apart, so that the load stage
    /// skips it without a finding: thanos'
    /// .devcontainer/devcontainer.json@e103a81b and aws-for-fluent-bit's VS Code
    /// settings.json@cd557e03 (trimmed) were reported as broken JSON. An IAM policy or a
    /// manifest with a comment is still an error, and so is JSONC that is broken anyway.
    #[test]
    fn other_tools_jsonc_is_skipped() {
        for text in [
            "// For more details, see https://aka.ms/devcontainer.json.\n{\n  \"name\": \"Codespaces\",\n  \"build\": {\"context\": \"..\"}\n}\n",
            "{\n    //\"editor.formatOnSave\": true,\n    \"[cmake]\": {\"editor.tabSize\": 2},\n}\n",
            "{\"compilerOptions\": {/* strict */ \"strict\": true,},}",
            // A trailing comma alone, in a file of no known kind: another tool's JSONC too.
            "{\"a\": 1,}",
            // JSON5, a JavaScript object literal (lavagna's project/misc/users.json as
            // P-Crommie/devops_projects vendors it, trimmed).
            "[\n    {\n        provider : \"demo\",\n        enabled : true,\n        roles : ['ADMIN']\n    }\n]\n",
            // Each other JSON5 extension alone: hexadecimal, `+`, bare-decimal and
            // non-finite numbers, `\x` escapes.
            "{\"port\": 0x1F}",
            "{\"n\": +1}",
            "{\"n\": .5}",
            "{\"n\": Infinity}",
            "{\"s\": \"\\x41\"}",
        ] {
            assert_eq!(load(text).problems.len(), 1, "{text}");
            assert!(is_other_tools_jsonc(text), "{text}");
        }
        for text in [
            "{\n  // read-only\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n",
            "{\"apiVersion\": \"v1\", \"kind\": \"ServiceAccount\", // x\n \"metadata\": {}}",
            "// editor settings\n{\"a\": }",
            // A policy or manifest in JSON5 (a Python dict pasted as a policy): IAM and
            // kubectl reject it.
            "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow'}]}",
            "{apiVersion: 'v1', kind: 'ServiceAccount'}",
        ] {
            assert!(!is_other_tools_jsonc(text), "{text}");
        }
    }

    fn root(text: &str) -> Node {
        let l = load(text);
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.documents.len(), 1);
        assert_eq!(l.documents[0].index, 0);
        l.documents.into_iter().next().unwrap().root
    }

    fn problem(text: &str) -> LoadProblem {
        let l = load(text);
        assert!(l.documents.is_empty());
        assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
        l.problems.into_iter().next().unwrap()
    }

    fn line_col(text: &str, offset: u32) -> (usize, usize) {
        LineIndex::new(text).line_col(text, offset as usize)
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn values_and_spans() {
        let text = r#"{"s": "a\"b", "i": -12, "f": 1.5, "e": 1e3, "big": 12345678901234567890,
 "t": true, "n": null, "l": [1, "x"]}"#;
        let r = root(text);
        assert_eq!(r.span, Span::new(7, 0, text.len()));
        let s = r.get("s").unwrap();
        assert_eq!(s.as_str(), Some("a\"b"));
        assert_eq!(s.style, ScalarStyle::Json);
        assert_eq!(slice(text, s.span), r#""a\"b""#);
        assert_eq!(r.get("i").unwrap().value, Value::Int(-12));
        assert_eq!(r.get("f").unwrap().value, Value::Float(1.5));
        assert_eq!(r.get("e").unwrap().value, Value::Float(1000.0));
        assert!(matches!(r.get("big").unwrap().value, Value::Float(_)));
        assert_eq!(r.get("t").unwrap().value, Value::Bool(true));
        assert!(r.get("n").unwrap().is_null());
        let l = r.get("l").unwrap();
        assert_eq!(slice(text, l.span), r#"[1, "x"]"#);
        assert_eq!(slice(text, l.items()[1].span), r#""x""#);
        let key = &r.entry("t").unwrap().key;
        assert_eq!(slice(text, key.span), r#""t""#);
        assert_eq!(key.style, ScalarStyle::Json);
        assert_eq!(line_col(text, key.span.start), (2, 2));
    }

    #[test]
    fn duplicate_keys_kept_in_order() {
        let r = root(r#"{"a": 1, "b": 2, "a": 3}"#);
        let keys: Vec<_> = r
            .entries()
            .iter()
            .map(|e| e.key.as_str().unwrap())
            .collect();
        assert_eq!(keys, ["a", "b", "a"]);
        assert_eq!(r.get("a").unwrap().value, Value::Int(3));
    }

    #[test]
    fn spans_are_bytes_with_multibyte_text() {
        let text = "{\"é\": \"ü\", \"k\": 1}";
        let r = root(text);
        let k = &r.entry("k").unwrap().key;
        assert_eq!(slice(text, k.span), "\"k\"");
        assert_eq!(slice(text, r.get("é").unwrap().span), "\"ü\"");
    }

    #[test]
    fn bom_empty_and_whitespace() {
        let text = "\u{feff}{\"a\": 1}";
        let r = root(text);
        assert_eq!(r.span, Span::new(7, 3, text.len()));
        for empty in ["", "  \n\t\r\n", "\u{feff}", "\u{feff}\n"] {
            let l = load(empty);
            assert!(l.documents.is_empty() && l.problems.is_empty(), "{empty:?}");
        }
        let p = problem("\u{feff}{\"a\" 1}");
        assert_eq!(p.span.start, 3 + 5);
    }

    #[test]
    fn missing_comma_points_at_next_token() {
        let text = "{\n  \"Version\": \"2012-10-17\"\n  \"Statement\": []\n}";
        let p = problem(text);
        assert_eq!(p.kind, ProblemKind::Parse);
        assert_eq!(p.message, "expected `,` or `}`");
        assert_eq!(slice(text, p.span), "\"Statement\"");
        assert_eq!(line_col(text, p.span.start), (3, 3));
    }

    #[test]
    fn syntax_errors_messages_and_positions() {
        let cases: &[(&str, &str, &str)] = &[
            ("[1, 2,]", "trailing comma", "]"),
            ("{\"a\": 1,}", "trailing comma", "}"),
            ("{a: 1}", "key must be a string", "a"),
            ("[1] // c", "trailing characters", "/"),
            ("[1] [2]", "trailing characters", "["),
            ("{\"a\": tru}", "expected ident", "}"),
            ("[01]", "invalid number", "1"),
            (
                "[\"a\tb\"]",
                "control character (\\u0000-\\u001F) found while parsing a string",
                "\t",
            ),
            ("[\"\\q\"]", "invalid escape", "q"),
            ("{\"a\" 1}", "expected `:`", "1"),
        ];
        for (text, message, token) in cases {
            let p = problem(text);
            assert_eq!(p.kind, ProblemKind::Parse, "{text}");
            assert_eq!(&p.message, message, "{text}");
            assert!(
                slice(text, p.span).starts_with(token),
                "{text}: {:?}",
                p.span
            );
        }
    }

    /// A text that ends inside a list or an object: the bracket left open, the innermost
    /// one (brackets in strings and closed ones do not count); one that ends after a `:` or
    /// inside a string: its end, after the last token.
    #[test]
    fn eof_points_at_the_unclosed_bracket_or_after_the_last_token() {
        let text = "{\n  \"a\": [1, 2\n\n";
        let p = problem(text);
        assert_eq!(
            p.message,
            "this `[` is never closed: end of file while parsing a list"
        );
        assert_eq!(slice(text, p.span), "[");
        assert_eq!(line_col(text, p.span.start), (2, 8));
        let text = "{\"Statement\": [\n  {\"Action\": [\"s3:*\"], \"Sid\": \"[{\"\n\n";
        let p = problem(text);
        assert_eq!(
            p.message,
            "this `{` is never closed: end of file while parsing an object"
        );
        assert_eq!(line_col(text, p.span.start), (2, 3));
        for (text, message) in [
            ("{\"a\": \n", "end of file while parsing a value"),
            ("[\"abc", "end of file while parsing a string"),
        ] {
            let p = problem(text);
            assert_eq!(p.message, message);
            assert!(p.span.is_empty());
            let last = text.trim_end().len();
            assert_eq!(p.span.start as usize, last, "{text:?}");
        }
    }

    #[test]
    fn lone_surrogate_is_an_error() {
        let p = problem(r#"["\ud800"]"#);
        assert_eq!(p.kind, ProblemKind::Parse);
        assert_eq!(p.message, "unexpected end of hex escape");
    }

    #[test]
    fn crlf_positions() {
        let text = "{\r\n  \"a\": 1\r\n  \"b\": 2\r\n}\r\n";
        let p = problem(text);
        assert_eq!(line_col(text, p.span.start), (3, 3));
        let r = root("{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n");
        assert_eq!(r.get("b").unwrap().value, Value::Int(2));
    }

    #[test]
    fn depth_limits() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        // deeper than serde_json's recursion limit but within ours: loads
        let r = root(&deep(200));
        assert!(r.as_seq().is_some());
        let objects = format!("{}1{}", "{\"a\":".repeat(256), "}".repeat(256));
        root(&objects);
        let p = problem(&deep(257));
        assert_eq!(p.kind, ProblemKind::Limit);
        assert_eq!(p.message, "nesting deeper than 256 levels");
        assert_eq!(p.span.start, 256);
        // hostile input: no stack overflow, one limit problem
        let p = problem(&"[".repeat(10_000));
        assert_eq!(p.kind, ProblemKind::Limit);
        // brackets inside strings do not count
        root(&format!("[\"{}\"]", "[".repeat(1000)));
        // deep and broken below the limit: a parse error, not serde's recursion limit
        let p = problem(&format!("{}1,]{}", "[".repeat(200), "]".repeat(199)));
        assert_eq!(p.kind, ProblemKind::Parse);
        assert!(!p.message.contains("recursion"), "{}", p.message);
    }

    #[test]
    fn parse_json_node_spans_are_relative() {
        let n = parse_json_node(3, " {\"a\": 1}", &Limits::default()).unwrap();
        assert_eq!(n.span, Span::new(3, 1, 9));
        let p = parse_json_node(3, "", &Limits::default()).unwrap_err();
        assert_eq!(p.kind, ProblemKind::Parse);
        assert!(p.span.is_empty());
    }

    #[test]
    fn file_size_limit() {
        let limits = Limits {
            max_file_size: 4,
            ..Limits::default()
        };
        let l = load_json(0, "[1, 2]", &LineIndex::default(), &limits);
        assert_eq!(l.problems[0].kind, ProblemKind::Limit);
    }

    #[test]
    fn never_panics_on_truncations() {
        let text = "\u{feff}{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",\r\n \"Principal\": {\"Federated\": \"arn:aws:iam::1:oidc-provider/é\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {\"StringEquals\": {\"x\\u00e9\\ud83d\\ude00:sub\": [1.5e3, -0, true, null]}}}]}";
        for end in 0..=text.len() {
            if let Some(t) = text.get(..end) {
                let l = load(t);
                assert!(l.documents.len() + l.problems.len() <= 1);
                for p in &l.problems {
                    assert!(p.span.start <= p.span.end && p.span.end as usize <= t.len());
                    assert!(t.is_char_boundary(p.span.start as usize));
                    assert!(t.is_char_boundary(p.span.end as usize));
                }
            }
            if let Some(t) = text.get(end..) {
                let _ = load(t);
            }
        }
    }
}
