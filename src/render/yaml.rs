//! Block-style YAML for rendered objects, in the objects' own key order (kubectl style:
//! sequence items at their parent key's indentation).

use serde_json::Value;

pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(m, 0, &mut out),
        Value::Array(a) if !a.is_empty() => write_seq(a, 0, &mut out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn write_map(m: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    for (k, v) in m {
        out.push_str(&" ".repeat(indent));
        write_key(k, indent, out);
        write_value(v, indent, out);
    }
}

/// YAML 1.1 readers (libyaml, hence kubectl's go-yaml) refuse an implicit key longer than
/// 1024 characters; keys of that many bytes as written (quotes and escapes included) are
/// written as explicit keys (`? key`, then `:` on the next line at the same indentation).
const MAX_IMPLICIT_KEY: usize = 1024;

/// Writes `key:` (or `? key` and `:` for a long key), the cursor already at `indent`.
fn write_key(k: &str, indent: usize, out: &mut String) {
    let k = key(k);
    if k.len() >= MAX_IMPLICIT_KEY {
        out.push_str("? ");
        out.push_str(&k);
        out.push('\n');
        out.push_str(&" ".repeat(indent));
    } else {
        out.push_str(&k);
    }
    out.push(':');
}

fn write_seq(a: &[Value], indent: usize, out: &mut String) {
    for v in a {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match v {
            Value::Object(m) if !m.is_empty() => {
                // First key on the dash's line, the rest aligned under it.
                let mut first = true;
                for (k, x) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        out.push_str(&" ".repeat(indent + 2));
                    }
                    write_key(k, indent + 2, out);
                    write_value(x, indent + 2, out);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(inner, indent + 2, out);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn write_value(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(m, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(a, indent, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn key(k: &str) -> String {
    quote(k)
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string plain when a YAML 1.1 or 1.2 reader gives it back as the same string,
/// single-quoted otherwise, double-quoted with escapes when it holds a character that must
/// not appear as is (see [`must_escape`]).
fn quote(s: &str) -> String {
    if s.chars().any(must_escape) {
        return double_quoted(s);
    }
    if needs_quotes(s) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    s.to_string()
}

/// Characters written only as escapes: those outside YAML's printable set (C0 and C1
/// controls, DEL, U+FFFE, U+FFFF), tab and the line breaks (a YAML 1.1 reader such as libyaml
/// takes U+0085, U+2028 and U+2029 for line breaks and folds them away), and the byte-order
/// mark, which libyaml refuses inside a document.
fn must_escape(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

/// A double-quoted scalar with JSON-style escapes (`\n`, `\t`, `\u0085`), which YAML 1.1
/// and 1.2 readers both understand; every other character is written as is.
fn double_quoted(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if must_escape(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".nan", ".inf", "-.inf",
        "+.inf",
    ]
    .contains(&lower.as_str())
    {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "?:,[]{}#&*!|>'\"%@`".contains(first) || s == "-" || s.starts_with("- ") {
        return true;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return true;
    }
    // Anything that looks like a number (incl. octal, hex, 1e3, 1_000, sexagesimal).
    let t = s.trim_start_matches(['+', '-']);
    if t.parse::<f64>().is_ok()
        || t.starts_with("0x")
        || t.starts_with("0o")
        || (t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '_' || c == ':' || c == '.')
            && t.chars().any(|c| c.is_ascii_digit()))
    {
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Line breaks a YAML 1.1 reader folds (U+0085, U+2028, U+2029), other non-printables and
    /// the byte-order mark are escaped; printable non-ASCII text stays as it is.
    #[test]
    fn non_printables_are_escaped() {
        let v = json!({"a": "x\u{85}y", "b": "l\u{2028}p\u{2029}", "c": "\u{feff}\u{7f}\u{9f}\u{fffe}",
            "d": "tab\tq\"b\\", "e": "é ü ✓ \u{a0}x", "f\u{2028}": 1});
        assert_eq!(
            to_yaml(&v),
            "a: \"x\\u0085y\"\nb: \"l\\u2028p\\u2029\"\nc: \"\\ufeff\\u007f\\u009f\\ufffe\"\nd: \"tab\\tq\\\"b\\\\\"\ne: é ü ✓ \u{a0}x\n\"f\\u2028\": 1\n"
        );
    }

    /// libyaml refuses implicit keys of more than 1024 characters: from 1024 bytes on, keys
    /// are explicit (`? `), in mappings and in mappings that are sequence items.
    #[test]
    fn long_keys_are_explicit() {
        let short = "k".repeat(1023);
        let long = "k".repeat(1024);
        let v = json!({ short.clone(): 1, long.clone(): {"x": [1]}, "s": [{ long.clone(): "v", "w": 2 }]});
        assert_eq!(
            to_yaml(&v),
            format!("{short}: 1\n? {long}\n:\n  x:\n  - 1\ns:\n- ? {long}\n  : v\n  w: 2\n")
        );
    }

    #[test]
    fn block_style() {
        let v = json!({"a": {"b": [ {"c": "1", "d": true}, "x" ], "e": []}, "f": "true", "g": ""});
        assert_eq!(
            to_yaml(&v),
            "a:\n  b:\n  - c: '1'\n    d: true\n  - x\n  e: []\nf: 'true'\ng: ''\n"
        );
    }
}
