//! AWS shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`, the
//! `credentials` key of an OpenShift Secret), with spans.
//!
//! The format follows the AWS SDKs' shared profile file rules:
//! - `[default]`, `[profile name]`, `[sso-session name]`, `[services name]` headers; the
//!   name is kept as written between the brackets, trimmed (`profile name`).
//! - `key = value` or `key=value`; keys and values are trimmed.
//! - Lines starting with `#` or `;` are comments; in a value, `#` or `;` after white space
//!   starts a comment too.
//! - A property with an empty value followed by indented `key = value` lines (`s3 =` then
//!   `  max_concurrent_requests = 10`) has sub-properties: each becomes an entry keyed
//!   `s3.max_concurrent_requests`; the parent entry is kept with an empty value.
//! - An indented line after a property with a value continues that value (joined with a
//!   line break).
//!
//! A malformed line is a `parse-error` problem; parsing goes on with the next line.

use super::embedded::{decode, OffsetMap};
use super::file::{FileId, Span};
use super::node::Node;
use super::{LoadProblem, ProblemKind};

#[derive(Debug, Clone, PartialEq)]
pub struct IniFile {
    pub sections: Vec<IniSection>,
    pub problems: Vec<LoadProblem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IniSection {
    /// The header's text between the brackets, trimmed: `default`, `profile dev`,
    /// `sso-session my-sso`. Empty for keys before any header.
    pub name: String,
    /// The `[name]` header or, for keys before any header, an empty span at the start.
    pub span: Span,
    pub entries: Vec<IniEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IniEntry {
    /// Trimmed; `parent.child` for sub-properties.
    pub key: String,
    pub key_span: Span,
    /// Trimmed, without a trailing comment.
    pub value: String,
    /// The value's text; an empty span just after `=` when the value is empty.
    pub value_span: Span,
}

impl IniFile {
    /// The first section with this exact name (`default`, `profile dev`).
    pub fn section(&self, name: &str) -> Option<&IniSection> {
        self.sections.iter().find(|s| s.name == name)
    }
}

impl IniSection {
    /// The last entry with this key, as the SDKs take the last value.
    pub fn get(&self, key: &str) -> Option<&IniEntry> {
        self.entries.iter().rev().find(|e| e.key == key)
    }
}

/// What an indented line means after the previous property.
enum Indented {
    /// No property yet in this section: an indented line is read as a normal line.
    Nothing,
    /// The last property had a value: indented lines continue it.
    Continue,
    /// The last property had an empty value: indented lines are its sub-properties.
    SubProperties(String),
}

/// Parses an AWS shared config or credentials file; spans are relative to `text`.
pub fn parse_ini(file: FileId, text: &str) -> IniFile {
    let mut ini = IniFile {
        sections: Vec::new(),
        problems: Vec::new(),
    };
    let mut after = Indented::Nothing;
    let mut at = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        let next = (line_end + 1).min(text.len());
        let line = text[at..line_end]
            .strip_suffix('\r')
            .unwrap_or(&text[at..line_end]);
        parse_line(file, &mut ini, &mut after, line, at);
        at = next;
    }
    ini
}

fn parse_line(file: FileId, ini: &mut IniFile, after: &mut Indented, line: &str, at: usize) {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
        return;
    }
    // offset of the trimmed text in the file
    let start = at + (line.len() - line.trim_start().len());
    let indented = start > at;

    if !indented || matches!(after, Indented::Nothing) {
        *after = Indented::Nothing;
        if trimmed.starts_with('[') {
            header(file, ini, trimmed, start);
            return;
        }
    }

    if indented {
        if let Indented::Continue = after {
            // a continuation line: part of the previous value
            if let Some(entry) = ini.sections.last_mut().and_then(|s| s.entries.last_mut()) {
                let (text, offset) = strip_comment(trimmed, start);
                if !text.is_empty() {
                    entry.value.push('\n');
                    entry.value.push_str(text);
                    entry.value_span =
                        entry
                            .value_span
                            .to(Span::new(file, offset, offset + text.len()));
                }
            }
            return;
        }
    }

    let Some(eq) = trimmed.find('=') else {
        ini.problems.push(LoadProblem {
            kind: ProblemKind::Parse,
            span: Span::new(file, start, start + trimmed.len()),
            message: format!(
                "expected `key = value` or a `[section]` header, found `{}`",
                shorten(trimmed)
            ),
        });
        return;
    };
    let raw_key = trimmed[..eq].trim_end();
    if raw_key.is_empty() {
        ini.problems.push(LoadProblem {
            kind: ProblemKind::Parse,
            span: Span::new(file, start, start + eq + 1),
            message: "missing key before `=`".to_string(),
        });
        return;
    }
    let after_eq = &trimmed[eq + 1..];
    let value_start = start + eq + 1 + (after_eq.len() - after_eq.trim_start().len());
    let (value, value_start) = strip_comment(after_eq.trim(), value_start);

    let key = match after {
        Indented::SubProperties(parent) if indented => format!("{parent}.{raw_key}"),
        _ => {
            *after = if value.is_empty() {
                Indented::SubProperties(raw_key.to_string())
            } else {
                Indented::Continue
            };
            raw_key.to_string()
        }
    };
    if ini.sections.is_empty() {
        // keys before any header
        ini.sections.push(IniSection {
            name: String::new(),
            span: Span::empty(file, 0),
            entries: Vec::new(),
        });
    }
    let section = ini.sections.last_mut().expect("a section was just ensured");
    section.entries.push(IniEntry {
        key,
        key_span: Span::new(file, start, start + raw_key.len()),
        value: value.to_string(),
        value_span: Span::new(file, value_start, value_start + value.len()),
    });
}

/// A `[name]` header line, `trimmed` starting at `start`.
fn header(file: FileId, ini: &mut IniFile, trimmed: &str, start: usize) {
    let Some(close) = trimmed.find(']') else {
        ini.problems.push(LoadProblem {
            kind: ProblemKind::Parse,
            span: Span::new(file, start, start + trimmed.len()),
            message: format!("unterminated section header `{}`", shorten(trimmed)),
        });
        return;
    };
    let name = trimmed[1..close].trim();
    let span = Span::new(file, start, start + close + 1);
    let rest = trimmed[close + 1..].trim_start();
    if !rest.is_empty() && !rest.starts_with(['#', ';']) {
        ini.problems.push(LoadProblem {
            kind: ProblemKind::Parse,
            span: Span::new(
                file,
                start + trimmed.len() - rest.len(),
                start + trimmed.len(),
            ),
            message: format!("unexpected text after section header: `{}`", shorten(rest)),
        });
    }
    if name.is_empty() {
        ini.problems.push(LoadProblem {
            kind: ProblemKind::Parse,
            span,
            message: "empty section name".to_string(),
        });
    }
    // The section is kept even when the header is odd, so that its keys are not
    // attributed to the previous section.
    ini.sections.push(IniSection {
        name: name.to_string(),
        span,
        entries: Vec::new(),
    });
}

/// Cuts a trailing comment (`#` or `;` after white space) from a trimmed value starting at
/// file offset `start`; returns the value and its start.
fn strip_comment(value: &str, start: usize) -> (&str, usize) {
    if value.starts_with(['#', ';']) {
        return ("", start);
    }
    let bytes = value.as_bytes();
    let cut = (1..bytes.len())
        .find(|&i| matches!(bytes[i], b'#' | b';') && matches!(bytes[i - 1], b' ' | b'\t'))
        .unwrap_or(bytes.len());
    (value[..cut].trim_end(), start)
}

/// At most 40 characters of a line, for messages.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

/// Parses an INI file held in a string scalar; spans are positions in the outer file.
///
/// When the scalar cannot be re-decoded (see [`decode`]), every span is the node's span.
/// A node that is not a string parses as an empty file.
pub fn parse_embedded_ini(file: FileId, file_text: &str, node: &Node) -> IniFile {
    match decode(file_text, node) {
        Some(map) => {
            let mut ini = parse_ini(file, &map.text);
            remap(&mut ini, |span| map_span(&map, file, span));
            ini
        }
        None => {
            let mut ini = parse_ini(file, node.as_str().unwrap_or(""));
            remap(&mut ini, |_| node.span);
            ini
        }
    }
}

fn map_span(map: &OffsetMap, file: FileId, span: Span) -> Span {
    map.span(file, span.range())
}

fn remap(ini: &mut IniFile, f: impl Fn(Span) -> Span) {
    for section in &mut ini.sections {
        section.span = f(section.span);
        for entry in &mut section.entries {
            entry.key_span = f(entry.key_span);
            entry.value_span = f(entry.value_span);
        }
    }
    for problem in &mut ini.problems {
        problem.span = f(problem.span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::file::LineIndex;
    use crate::source::node::{ScalarStyle, Value};

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    const CONFIG: &str = "\
# shared config
[default]
region = eu-west-1
output=json

[profile dev]   ; trailing comment
role_arn = arn:aws:iam::123456789012:role/dev # the role
web_identity_token_file=/var/run/secrets/eks.amazonaws.com/serviceaccount/token
s3 =
  max_concurrent_requests = 20
  addressing_style = path
region = us-east-1
  continued

[sso-session my-sso]
sso_start_url = https://example.awsapps.com/start
[services my-services]
dynamodb =
  endpoint_url = http://localhost:8000
";

    #[test]
    fn sections_entries_and_spans() {
        let ini = parse_ini(2, CONFIG);
        assert!(ini.problems.is_empty(), "{:?}", ini.problems);
        let names: Vec<_> = ini.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "default",
                "profile dev",
                "sso-session my-sso",
                "services my-services"
            ]
        );
        let default = ini.section("default").unwrap();
        assert_eq!(slice(CONFIG, default.span), "[default]");
        assert_eq!(default.get("output").unwrap().value, "json");
        let dev = ini.section("profile dev").unwrap();
        assert_eq!(slice(CONFIG, dev.span), "[profile dev]");
        let role = dev.get("role_arn").unwrap();
        assert_eq!(role.value, "arn:aws:iam::123456789012:role/dev");
        assert_eq!(slice(CONFIG, role.key_span), "role_arn");
        assert_eq!(slice(CONFIG, role.value_span), role.value);
        let token = dev.get("web_identity_token_file").unwrap();
        assert_eq!(slice(CONFIG, token.value_span), token.value);
        let keys: Vec<_> = dev.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "role_arn",
                "web_identity_token_file",
                "s3",
                "s3.max_concurrent_requests",
                "s3.addressing_style",
                "region"
            ]
        );
        let sub = dev.get("s3.max_concurrent_requests").unwrap();
        assert_eq!(sub.value, "20");
        assert_eq!(slice(CONFIG, sub.key_span), "max_concurrent_requests");
        assert!(dev.get("s3").unwrap().value_span.is_empty());
        let region = dev.get("region").unwrap();
        assert_eq!(region.value, "us-east-1\ncontinued");
        assert_eq!(slice(CONFIG, region.value_span), "us-east-1\n  continued");
        let services = ini.section("services my-services").unwrap();
        assert_eq!(
            services.get("dynamodb.endpoint_url").unwrap().value,
            "http://localhost:8000"
        );
    }

    #[test]
    fn malformed_lines_are_reported_and_skipped() {
        let text = "[default]\r\nregion = x\r\nthis is not a pair\r\n[broken\r\n= v\r\n[ok] junk\r\n[]\r\nk = v\r\n";
        let ini = parse_ini(0, text);
        let found: Vec<_> = ini.problems.iter().map(|p| slice(text, p.span)).collect();
        assert_eq!(found, ["this is not a pair", "[broken", "=", "junk", "[]"]);
        assert!(ini.problems.iter().all(|p| p.kind == ProblemKind::Parse));
        assert_eq!(
            ini.problems[0].message,
            "expected `key = value` or a `[section]` header, found `this is not a pair`"
        );
        let lines = LineIndex::new(text);
        assert_eq!(
            lines.line_col(text, ini.problems[0].span.start as usize),
            (3, 1)
        );
        assert_eq!(
            ini.section("default").unwrap().get("region").unwrap().value,
            "x"
        );
        assert_eq!(ini.sections.last().unwrap().get("k").unwrap().value, "v");
    }

    #[test]
    fn keys_before_any_header_and_bom() {
        let text = "\u{feff}aws_access_key_id = AKIA\n[default]\n";
        let ini = parse_ini(0, text);
        assert_eq!(ini.sections[0].name, "");
        assert_eq!(ini.sections[0].span, Span::empty(0, 0));
        assert_eq!(
            slice(text, ini.sections[0].entries[0].key_span),
            "aws_access_key_id"
        );
        assert!(parse_ini(0, "").sections.is_empty());
    }

    #[test]
    fn embedded_in_a_literal_block() {
        let text = "\
kind: Secret
stringData:
  credentials: |
    [default]
    role_arn = arn:aws:iam::123456789012:role/x
    web_identity_token_file = /var/run/secrets/openshift/serviceaccount/token
    oops
";
        let value = "[default]\nrole_arn = arn:aws:iam::123456789012:role/x\nweb_identity_token_file = /var/run/secrets/openshift/serviceaccount/token\noops\n";
        let start = text.find('|').unwrap();
        let mut node = Node::new(Value::Str(value.into()), Span::new(1, start, text.len()));
        node.style = ScalarStyle::Literal;
        let ini = parse_embedded_ini(1, text, &node);
        let lines = LineIndex::new(text);
        let role = ini.section("default").unwrap().get("role_arn").unwrap();
        assert_eq!(
            slice(text, role.value_span),
            "arn:aws:iam::123456789012:role/x"
        );
        assert_eq!(lines.line_col(text, role.key_span.start as usize), (5, 5));
        assert_eq!(slice(text, ini.sections[0].span), "[default]");
        assert_eq!(
            lines.line_col(text, ini.problems[0].span.start as usize),
            (7, 5)
        );

        // a value the text does not produce: everything at the node's span
        node.value = Value::Str("[x]\nk = v\n".into());
        let ini = parse_embedded_ini(1, text, &node);
        assert_eq!(ini.sections[0].entries[0].key_span, node.span);
    }

    #[test]
    fn never_panics_on_truncations() {
        let text = format!("{CONFIG}\u{e9}[x\r\n  = ;\n\tk\t=\tv # c\n[é]\nα = β ;c");
        for end in 0..=text.len() {
            if let Some(t) = text.get(..end) {
                let ini = parse_ini(0, t);
                for s in &ini.sections {
                    for e in &s.entries {
                        assert!(t.get(e.key_span.range()).is_some());
                        assert!(t.get(e.value_span.range()).is_some());
                    }
                }
                for p in &ini.problems {
                    assert!(t.get(p.span.range()).is_some());
                }
            }
            if let Some(t) = text.get(end..) {
                parse_ini(0, t);
            }
        }
    }
}
