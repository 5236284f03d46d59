//! String values as rules see them: a plain scalar, or a CloudFormation intrinsic (`!Sub`,
//! `Fn::Sub`, `!Join`, `!Ref`, `!GetAtt`) evaluated as far as the files allow.
//!
//! Unresolvable parts (pseudo parameters such as `${AWS::AccountId}`, `!GetAtt`, parameters
//! without a default) stay in the text as `${...}` and mark the value `unresolved`, so rules
//! can treat them as "could be anything" instead of guessing.

use std::collections::HashMap;

use crate::source::file::Span;
use crate::source::node::{Node, Str, Value};

/// A string value with the span of the node that produced it.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub value: Str,
    pub span: Span,
    /// True when part of the value is a `${...}` placeholder we could not evaluate.
    pub unresolved: bool,
}

/// Known values for `${Name}` substitutions: CloudFormation parameter defaults, and
/// pseudo parameters when a caller knows them.
#[derive(Debug, Default, Clone)]
pub struct Substitutions {
    pub known: HashMap<String, String>,
    /// Plain strings are `Fn::Sub` templates: the policy document was written as
    /// `!Sub |` / `Fn::Sub:` JSON text, so `${Param}` in its values is substituted.
    pub template: bool,
}

impl Substitutions {
    pub fn none() -> &'static Substitutions {
        static EMPTY: std::sync::OnceLock<Substitutions> = std::sync::OnceLock::new();
        EMPTY.get_or_init(Substitutions::default)
    }
}

/// The text of a node: strings, other scalars as text, and CloudFormation intrinsics.
pub fn text(node: &Node, subs: &Substitutions) -> Option<Text> {
    text_depth(node, subs, 0)
}

fn text_depth(node: &Node, subs: &Substitutions, depth: usize) -> Option<Text> {
    if depth > 16 {
        return None;
    }
    let tag = node.tag.as_deref();
    match (&node.value, tag) {
        (Value::Str(s), Some("!Sub")) => Some(sub(s, node.span, subs)),
        (Value::Seq(items), Some("!Sub")) => sub_with_vars(items, node.span, subs, depth),
        (Value::Seq(items), Some("!Join")) => join(items, node.span, subs, depth),
        (Value::Str(s), Some("!Ref")) => Some(reference(s, node.span, subs)),
        (Value::Str(s), None) if subs.template => Some(sub(s, node.span, subs)),
        // A Terraform value the inputs do not fix (see `crate::terraform`): its reference,
        // shown as `${aws_iam_role.x.arn}`. The ARN of a role eksctl creates is already a
        // template with its unknowns marked (`arn:${AWS::Partition}:...:role/${eksctl-...}`):
        // wrapping it again made render write `${arn:${AWS::Partition}...}` as the pod's
        // `AWS_ROLE_ARN`.
        (Value::Str(s), Some(crate::terraform::UNKNOWN_TAG)) => Some(Text {
            value: if s.starts_with("arn:") {
                s.clone()
            } else {
                // Concatenated: `format!`'s machinery was most of this case's cost (a
                // Terraform policy's every unknown value comes through here).
                ["${", s.as_str(), "}"].concat().into()
            },
            span: node.span,
            unresolved: true,
        }),
        (_, Some("!GetAtt")) => Some(Text {
            value: format!("${{{}}}", node.scalar_text().unwrap_or_default()).into(),
            span: node.span,
            unresolved: true,
        }),
        (Value::Str(s), _) => Some(Text {
            value: s.clone(),
            span: node.span,
            unresolved: false,
        }),
        (Value::Map(entries), _) if entries.len() == 1 => {
            let e = &entries[0];
            match e.key.as_str()? {
                "Fn::Sub" => match &e.value.value {
                    Value::Str(s) => Some(sub(s, node.span, subs)),
                    Value::Seq(items) => sub_with_vars(items, node.span, subs, depth),
                    _ => None,
                },
                "Fn::Join" => join(e.value.as_seq()?, node.span, subs, depth),
                "Ref" => Some(reference(e.value.as_str()?, node.span, subs)),
                "Fn::GetAtt" => Some(Text {
                    value: "${GetAtt}".into(),
                    span: node.span,
                    unresolved: true,
                }),
                _ => None,
            }
        }
        (Value::Seq(_) | Value::Map(_), _) => None,
        _ => Some(Text {
            value: node.scalar_text()?.into_owned().into(),
            span: node.span,
            unresolved: false,
        }),
    }
}

fn reference(name: &str, span: Span, subs: &Substitutions) -> Text {
    match subs.known.get(name) {
        Some(v) => Text {
            value: v.clone().into(),
            span,
            unresolved: false,
        },
        None => Text {
            value: format!("${{{name}}}").into(),
            span,
            unresolved: true,
        },
    }
}

/// `Fn::Sub` string form: `${Name}` replaced when known, `${!Literal}` unescaped.
fn sub(template: &str, span: Span, subs: &Substitutions) -> Text {
    sub_vars(template, span, subs, &HashMap::new())
}

fn sub_vars(template: &str, span: Span, subs: &Substitutions, vars: &HashMap<&str, Text>) -> Text {
    let mut out = String::with_capacity(template.len());
    let mut unresolved = false;
    let mut rest = template;
    // `${` found by its `$` (`str::find` of a two-byte pattern set up a substring searcher
    // per call: about a thousand instructions per string of every Terraform policy).
    let interpolation = |s: &str| {
        let b = s.as_bytes();
        memchr::memchr_iter(b'$', b).find(|&i| b.get(i + 1) == Some(&b'{'))
    };
    while let Some(i) = interpolation(rest) {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let name = &after[..close];
        if let Some(lit) = name.strip_prefix('!') {
            out.push_str("${");
            out.push_str(lit);
            out.push('}');
        } else if let Some(v) = vars.get(name) {
            unresolved |= v.unresolved;
            out.push_str(&v.value);
        } else if let Some(v) = subs.known.get(name) {
            out.push_str(v);
        } else {
            unresolved = true;
            out.push_str("${");
            out.push_str(name);
            out.push('}');
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Text {
        value: out.into(),
        span,
        unresolved,
    }
}

fn sub_with_vars(items: &[Node], span: Span, subs: &Substitutions, depth: usize) -> Option<Text> {
    let template = items.first()?.as_str()?;
    let mut vars = HashMap::new();
    if let Some(map) = items.get(1).and_then(Node::as_map) {
        for e in map {
            if let (Some(k), Some(v)) = (e.key.as_str(), text_depth(&e.value, subs, depth + 1)) {
                vars.insert(k, v);
            }
        }
    }
    Some(sub_vars(template, span, subs, &vars))
}

fn join(items: &[Node], span: Span, subs: &Substitutions, depth: usize) -> Option<Text> {
    let sep = items.first()?.scalar_text()?;
    let parts = items.get(1)?.as_seq()?;
    let mut value = String::new();
    let mut unresolved = false;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            value.push_str(&sep);
        }
        let t = text_depth(p, subs, depth + 1)?;
        unresolved |= t.unresolved;
        value.push_str(&t.value);
    }
    Some(Text {
        value: value.into(),
        span,
        unresolved,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::node::Entry;

    fn s(v: &str) -> Node {
        Node::new(Value::Str(v.into()), Span::default())
    }

    #[test]
    fn sub_keeps_unknown_pseudo_parameters_and_unescapes_literals() {
        let mut n = s("arn:${AWS::Partition}:iam::${Acct}:role/${!aws:username}");
        n.tag = "!Sub".into();
        let mut subs = Substitutions::default();
        subs.known.insert("Acct".into(), "111122223333".into());
        let t = text(&n, &subs).unwrap();
        assert_eq!(
            t.value,
            "arn:${AWS::Partition}:iam::111122223333:role/${aws:username}"
        );
        assert!(t.unresolved);
    }

    #[test]
    fn sub_finds_each_interpolation_by_its_dollar_and_brace() {
        // A `$` not followed by `{` is text, wherever it stands; `${` without `}` too.
        for (template, value, unresolved) in [
            ("$", "$", false),
            ("a$b$", "a$b$", false),
            ("$${Acct}", "$111122223333", false),
            ("${Acct}$", "111122223333$", false),
            ("x${Acct}y${Other}z", "x111122223333y${Other}z", true),
            ("{$}${Acct", "{$}${Acct", false),
            ("$ {Acct}", "$ {Acct}", false),
        ] {
            let mut n = s(template);
            n.tag = "!Sub".into();
            let mut subs = Substitutions::default();
            subs.known.insert("Acct".into(), "111122223333".into());
            let t = text(&n, &subs).unwrap();
            assert_eq!(
                (t.value.as_str(), t.unresolved),
                (value, unresolved),
                "{template}"
            );
        }
    }

    #[test]
    fn a_sub_variable_the_inputs_do_not_fix_leaves_the_text_unresolved() {
        // `!Sub ["${A}-${B}", {A: !Ref Known, B: !Ref Other}]`: `B` is not known.
        let var = |k: &str, r: &str| {
            let mut v = s(r);
            v.tag = "!Ref".into();
            Entry {
                key: s(k),
                value: v,
            }
        };
        let vars = |b: &str| {
            Node::new(
                Value::Map(vec![var("A", "Known"), var("B", b)].into()),
                Span::default(),
            )
        };
        let mut subs = Substitutions::default();
        subs.known.insert("Known".into(), "k".into());
        for (b, value, unresolved) in [("Known", "k-k", false), ("Other", "k-${Other}", true)] {
            let mut n = Node::new(
                Value::Seq(vec![s("${A}-${B}"), vars(b)].into()),
                Span::default(),
            );
            n.tag = "!Sub".into();
            let t = text(&n, &subs).unwrap();
            assert_eq!((t.value.as_str(), t.unresolved), (value, unresolved));
        }
    }

    #[test]
    fn fn_join_and_ref_in_json_form() {
        let join = Node::new(
            Value::Seq(
                vec![
                    s(":"),
                    Node::new(
                        Value::Seq(
                            vec![
                                s("arn"),
                                Node::new(
                                    Value::Map(
                                        vec![Entry {
                                            key: s("Ref"),
                                            value: s("AWS::Partition"),
                                        }]
                                        .into(),
                                    ),
                                    Span::default(),
                                ),
                            ]
                            .into(),
                        ),
                        Span::default(),
                    ),
                ]
                .into(),
            ),
            Span::default(),
        );
        let n = Node::new(
            Value::Map(
                vec![Entry {
                    key: s("Fn::Join"),
                    value: join,
                }]
                .into(),
            ),
            Span::default(),
        );
        let t = text(&n, Substitutions::none()).unwrap();
        assert_eq!(t.value, "arn:${AWS::Partition}");
        assert!(t.unresolved);
    }
}
