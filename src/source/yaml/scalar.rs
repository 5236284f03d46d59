//! Scalars under the YAML 1.2 core schema: styles, tags as written, typed values.

use saphyr_parser::{ScalarStyle as SaphyrStyle, Tag};

use super::super::node::{ScalarStyle, Value};

pub(super) fn convert_style(style: SaphyrStyle) -> ScalarStyle {
    match style {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

/// A tag as written: `!Sub`, `!!str`, `!`, `!<verbatim>`, or a `%TAG` prefix and suffix.
pub(super) fn tag_text(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else if tag.handle.is_empty() {
        if tag.suffix == "!" {
            "!".into()
        } else {
            format!("!<{}>", tag.suffix)
        }
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// A scalar event's value, as both tree builders (`direct`, `anchored`) resolve it: an explicit
/// tag decides, else a plain scalar follows the core schema, else it is a string.
pub(super) fn scalar_value(tag: Option<&Tag>, style: ScalarStyle, raw: &str) -> Value {
    match tag {
        Some(tag) => resolve_tagged(tag, raw),
        None if style == ScalarStyle::Plain => resolve_plain(raw),
        None => Value::Str(raw.into()),
    }
}

/// A plain scalar under the YAML 1.2 core schema.
pub(super) fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    // Numbers start with a digit, a sign or a dot; most scalars are words, so skip the
    // number parsers for them.
    if !matches!(s.as_bytes()[0], b'0'..=b'9' | b'-' | b'+' | b'.') {
        return Value::Str(s.into());
    }
    parse_int(s)
        .or_else(|| parse_float(s).map(Value::Float))
        .unwrap_or_else(|| Value::Str(s.into()))
}

/// A tagged scalar: core-schema tags convert when they can; any other tag (`!Sub`, `!Ref`,
/// the non-specific `!`) keeps the text as a string.
pub(super) fn resolve_tagged(tag: &Tag, s: &str) -> Value {
    if !tag.is_yaml_core_schema() {
        return Value::Str(s.into());
    }
    let converted = match tag.suffix.as_str() {
        "null" => Some(Value::Null),
        "bool" => match resolve_plain(s) {
            v @ Value::Bool(_) => Some(v),
            _ => None,
        },
        "int" => parse_int(s),
        "float" => parse_float(s)
            .or_else(|| match parse_int(s) {
                Some(Value::Int(i)) => Some(i as f64),
                _ => None,
            })
            .map(Value::Float),
        _ => None,
    };
    converted.unwrap_or_else(|| Value::Str(s.into()))
}

/// Core-schema integers: decimal with an optional sign, `0o` octal, `0x` hex. Decimals too
/// large for i64 become floats; octal and hex ones stay strings.
fn parse_int(s: &str) -> Option<Value> {
    if let Some(digits) = s.strip_prefix("0o") {
        if !digits.is_empty() && digits.bytes().all(|b| matches!(b, b'0'..=b'7')) {
            return Some(
                i64::from_str_radix(digits, 8).map_or_else(|_| Value::Str(s.into()), Value::Int),
            );
        }
        return None;
    }
    if let Some(digits) = s.strip_prefix("0x") {
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(
                i64::from_str_radix(digits, 16).map_or_else(|_| Value::Str(s.into()), Value::Int),
            );
        }
        return None;
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match s.parse::<i64>() {
        Ok(i) => Value::Int(i),
        Err(_) => s
            .parse::<f64>()
            .map_or_else(|_| Value::Str(s.into()), Value::Float),
    })
}

/// Core-schema floats: `[-+]? (\.[0-9]+ | [0-9]+ (\.[0-9]*)?) ([eE][-+]?[0-9]+)?`, `.inf`,
/// `.nan`.
fn parse_float(s: &str) -> Option<f64> {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let negative = s.starts_with('-');
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            return Some(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        }
        ".nan" | ".NaN" | ".NAN" if unsigned.len() == s.len() => return Some(f64::NAN),
        _ => {}
    }
    let b = unsigned.as_bytes();
    let digits = |mut i: usize| {
        let from = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i, i - from)
    };
    let (mut i, int_digits) = digits(0);
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        (i, frac_digits) = digits(i + 1);
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let (j, exp_digits) = digits(i);
        if exp_digits == 0 {
            return None;
        }
        i = j;
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok()
}
