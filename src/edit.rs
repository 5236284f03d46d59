//! The text edits a rule's fix is made of, built from the nodes it points at: replace a
//! scalar's text, insert a mapping entry. Rules build them; the fix engine (`crate::fix`)
//! applies, checks and writes them, and knows no rule.

/// A fix that replaces the text of a scalar (a key or a value) with `new`, keeping its
/// quotes, comments and everything around it. `None` when the scalar is written with escapes
/// or folding (its source text is not its value), so the edit could not be exact.
pub fn replace_scalar(
    node: &crate::source::node::Node,
    file_text: &str,
    new: &str,
    description: impl Into<String>,
) -> Option<crate::diagnostic::Fix> {
    use crate::source::node::ScalarStyle;
    let value = node.as_str()?;
    let src = file_text.get(node.span.range())?;
    let inner = match node.style {
        ScalarStyle::Plain => node.span,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted | ScalarStyle::Json
            if src.len() >= 2 =>
        {
            crate::source::file::Span::new(
                node.span.file,
                node.span.start as usize + 1,
                node.span.end as usize - 1,
            )
        }
        _ => return None,
    };
    // Only when the source is the value itself, and the new text needs no quoting or
    // escaping in any style (IAM names and variable names never do).
    let safe = new
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-.:/".contains(c));
    if file_text.get(inner.range())? != value || !safe {
        return None;
    }
    Some(crate::diagnostic::Fix {
        description: description.into(),
        edits: vec![(inner, new.to_string())],
    })
}

/// A fix that adds the entry `key: value` to the mapping `map`, just before its existing
/// entry `before`, in the mapping's own syntax: `"key": value,` in a JSON or YAML flow
/// mapping, `key: value` on its own line in a YAML block mapping, indented like `before`.
/// `value` must be valid in both JSON and YAML (a double-quoted string, a number).
/// `None` when the text around `before` is not what its node says (escaped JSON in a
/// string) or `before` does not start its line in a block mapping.
pub fn insert_entry_before(
    map: &crate::source::node::Node,
    before: &crate::source::node::Node,
    file_text: &str,
    key: &str,
    value: &str,
    description: impl Into<String>,
) -> Option<crate::diagnostic::Fix> {
    let at = before.span.start as usize;
    let name = before.as_str()?;
    let src = file_text.get(before.span.range())?;
    if src != name && src.get(1..src.len().checked_sub(1)?) != Some(name) {
        return None;
    }
    let line_start = file_text[..at].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &file_text[line_start..at];
    // The new line ends like the line of `before` (a CRLF file stays CRLF).
    let line_end = file_text[at..]
        .find('\n')
        .map_or(file_text.len(), |i| at + i);
    let nl = if file_text[..line_end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let flow = file_text[map.span.start as usize..].starts_with('{');
    // An HCL object (`jsonencode({ Statement = [...] })` in a `.tf`): its entries are
    // `key = value`, and a JSON-style entry among them, though HCL accepts `:`, is not what
    // the user writes (Innfi/devops-tools Terraform/iam_group_cloudwatch/main.tf@eca8158).
    let after_key = &file_text[before.span.end as usize..];
    let hcl = after_key.trim_start_matches([' ', '\t']).starts_with('=');
    let text = if flow && hcl {
        if prefix.trim().is_empty() {
            format!("{key} = {value}{nl}{prefix}")
        } else {
            format!("{key} = {value}, ")
        }
    } else if flow {
        if prefix.trim().is_empty() {
            // `before` starts its line: the new entry gets a line of its own.
            format!("\"{key}\": {value},{nl}{prefix}")
        } else {
            format!("\"{key}\": {value}, ")
        }
    } else {
        // A block mapping: only indentation, or the `- ` of a sequence item, before the key.
        if !prefix.chars().all(|c| c == ' ' || c == '-') {
            return None;
        }
        let indent = " ".repeat(prefix.chars().count());
        format!("{key}: {value}{nl}{indent}")
    };
    Some(crate::diagnostic::Fix {
        description: description.into(),
        edits: vec![(crate::source::file::Span::empty(before.span.file, at), text)],
    })
}

#[cfg(test)]
mod insert_tests {
    use crate::load::{load, RawInput};
    use crate::source::node::Value;
    use crate::source::Limits;

    /// Inserts `Version` before `Statement` in `text` (a file named `name`) and returns
    /// the new text, after checking that it still parses and now has the entry.
    fn insert(name: &str, text: &str) -> Option<String> {
        let inputs = load(
            vec![RawInput {
                display: name.into(),
                bytes: text.as_bytes().to_vec(),
                read_error: None,
            }],
            &Limits::default(),
        );
        let file = &inputs.files[0];
        let mut map = &file.documents[0].root;
        // The policy may sit under a CloudFormation-like `PolicyDocument` key.
        if let Some(inner) = map.get("PolicyDocument") {
            map = inner;
        }
        let before = &map.entry("Statement")?.key;
        let fix =
            super::insert_entry_before(map, before, text, "Version", "\"2012-10-17\"", "add")?;
        let edits: Vec<_> = fix
            .edits
            .iter()
            .map(|(s, t)| (s.range(), t.clone()))
            .collect();
        let new = crate::fix::apply(text, &edits);
        let again = load(
            vec![RawInput {
                display: name.into(),
                bytes: new.as_bytes().to_vec(),
                read_error: None,
            }],
            &Limits::default(),
        );
        assert!(
            again.files[0].problems.is_empty(),
            "{new}\n{:?}",
            again.files[0].problems
        );
        let mut root = &again.files[0].documents[0].root;
        if let Some(inner) = root.get("PolicyDocument") {
            root = inner;
        }
        assert_eq!(
            root.get("Version").map(|v| &v.value),
            Some(&Value::Str("2012-10-17".into())),
            "{new}"
        );
        assert!(root.get("Statement").is_some(), "{new}");
        Some(new)
    }

    #[test]
    fn pretty_json() {
        let text = "{\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}\n";
        assert_eq!(
            insert("p.json", text).unwrap(),
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}\n"
        );
    }

    #[test]
    fn minified_json_after_another_key() {
        let text = r#"{"Id":"x","Statement":[]}"#;
        assert_eq!(
            insert("p.json", text).unwrap(),
            r#"{"Id":"x","Version": "2012-10-17", "Statement":[]}"#
        );
    }

    #[test]
    fn yaml_block_and_sequence_item() {
        let text = "PolicyDocument:\n  # reads\n  Statement:\n    - Effect: Allow\n";
        assert_eq!(
            insert("p.yaml", text).unwrap(),
            "PolicyDocument:\n  # reads\n  Version: \"2012-10-17\"\n  Statement:\n    - Effect: Allow\n"
        );
        let text = "- Statement:\n    - Effect: Allow\n";
        let inputs_text = insert_first_item(text);
        assert_eq!(
            inputs_text,
            "- Version: \"2012-10-17\"\n  Statement:\n    - Effect: Allow\n"
        );
    }

    /// The sequence-item case, where the mapping is the first item of the document.
    fn insert_first_item(text: &str) -> String {
        let inputs = load(
            vec![RawInput {
                display: "p.yaml".into(),
                bytes: text.as_bytes().to_vec(),
                read_error: None,
            }],
            &Limits::default(),
        );
        let map = &inputs.files[0].documents[0].root.items()[0];
        let before = &map.entry("Statement").unwrap().key;
        let fix = super::insert_entry_before(map, before, text, "Version", "\"2012-10-17\"", "add")
            .unwrap();
        let edits: Vec<_> = fix
            .edits
            .iter()
            .map(|(s, t)| (s.range(), t.clone()))
            .collect();
        crate::fix::apply(text, &edits)
    }

    #[test]
    fn yaml_flow_mapping() {
        assert_eq!(
            insert("p.yaml", "{Statement: []}\n").unwrap(),
            "{\"Version\": \"2012-10-17\", Statement: []}\n"
        );
    }

    /// `jsonencode()` of an HCL object in a `.tf` (Innfi/devops-tools
    /// Terraform/iam_group_cloudwatch/main.tf@eca8158): the entry is written as its
    /// neighbours are, `key = value`, on a line of its own or before `Statement` on one line.
    #[test]
    fn hcl_object_in_terraform() {
        let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Statement = [\n      {\n        Effect = \"Allow\",\n        Action = \"logs:GetLogEvents\"\n        Resource = \"*\",\n      },\n    ]\n  })\n}\n";
        assert_eq!(
            insert_tf(text),
            "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n      {\n        Effect = \"Allow\",\n        Action = \"logs:GetLogEvents\"\n        Resource = \"*\",\n      },\n    ]\n  })\n}\n"
        );
        let text =
            "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Statement = [] })\n}\n";
        assert_eq!(
            insert_tf(text),
            "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [] })\n}\n"
        );
        // `:` separators (HCL takes them too) keep the JSON style.
        let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    \"Statement\": []\n  })\n}\n";
        assert_eq!(
            insert_tf(text),
            "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    \"Version\": \"2012-10-17\",\n    \"Statement\": []\n  })\n}\n"
        );
    }

    /// Inserts `Version` before the `Statement` key of the object that starts at the first
    /// `({` of the Terraform text (nodes built by hand at the spans the HCL reader gives: the
    /// object from its `{`, the key's name).
    fn insert_tf(text: &str) -> String {
        use crate::source::file::Span;
        use crate::source::node::Node;
        let open = text.find("({").unwrap() + 1;
        let close = text.rfind('}').unwrap();
        let map = Node::new(Value::Map(Vec::new().into()), Span::new(0, open, close));
        let key_at = text.find("Statement").unwrap();
        let quoted = text[..key_at].ends_with('"');
        let (start, end) = if quoted {
            (key_at - 1, key_at + "Statement".len() + 1)
        } else {
            (key_at, key_at + "Statement".len())
        };
        let before = Node::new(Value::Str("Statement".into()), Span::new(0, start, end));
        let fix =
            super::insert_entry_before(&map, &before, text, "Version", "\"2012-10-17\"", "add")
                .unwrap();
        let edits: Vec<_> = fix
            .edits
            .iter()
            .map(|(s, t)| (s.range(), t.clone()))
            .collect();
        crate::fix::apply(text, &edits)
    }

    #[test]
    fn no_fix_when_the_key_is_not_at_the_start_of_a_block_line() {
        // `? Statement` (an explicit key) has text before the key that is not indentation.
        assert_eq!(insert("p.yaml", "? Statement\n: []\n"), None);
    }
}

#[cfg(test)]
mod replace_tests {
    use super::replace_scalar;
    use crate::source::file::Span;
    use crate::source::node::{Node, ScalarStyle, Value};

    fn node(text: &str, needle: &str, value: &str, style: ScalarStyle) -> Node {
        let start = text.find(needle).unwrap();
        let mut n = Node::new(
            Value::Str(value.into()),
            Span::new(0, start, start + needle.len()),
        );
        n.style = style;
        n
    }

    #[test]
    fn replaces_inside_quotes_and_refuses_escapes() {
        let text = r#"{"Effect": "allow"}"#;
        let n = node(text, "\"allow\"", "allow", ScalarStyle::Json);
        let fix = replace_scalar(&n, text, "Allow", "x").unwrap();
        assert_eq!(
            crate::fix::apply(text, &[(fix.edits[0].0.range(), fix.edits[0].1.clone())]),
            r#"{"Effect": "Allow"}"#
        );

        let text = "- name: AWS_ARN_ROLE # typo\n";
        let n = node(text, "AWS_ARN_ROLE", "AWS_ARN_ROLE", ScalarStyle::Plain);
        let fix = replace_scalar(&n, text, "AWS_ROLE_ARN", "x").unwrap();
        assert_eq!(
            crate::fix::apply(text, &[(fix.edits[0].0.range(), fix.edits[0].1.clone())]),
            "- name: AWS_ROLE_ARN # typo\n"
        );

        let text = r#"{"a": "x\u0041"}"#;
        let n = node(text, r#""x\u0041""#, "xA", ScalarStyle::Json);
        assert!(
            replace_scalar(&n, text, "y", "x").is_none(),
            "escapes: not exact"
        );
    }
}
