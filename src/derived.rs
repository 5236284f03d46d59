//! Policies that other documents carry in their own shape, rewritten as IAM policy
//! documents whose nodes keep the spans of the text they come from: the load stage stores
//! them (`InputFile::derived`) so the policy rules read them like any policy.

use crate::source::node::Node;

pub mod cfn_addons;
pub mod cfn_k8s;
pub mod crossplane;
pub mod eks_addons;
pub mod eksctl;
pub mod helm_release;
pub mod kustomize;

/// The Pod Identity trust statement's entries, as eksctl and the Terraform modules write them:
/// `sts:AssumeRole` and `sts:TagSession` for the `pods.eks.amazonaws.com` service.
pub(crate) fn pod_identity_entries(
    at: crate::source::file::Span,
) -> Vec<crate::source::node::Entry> {
    use crate::source::node::{entry, map, seq, str_node};
    vec![
        entry("Effect", str_node("Allow", at)),
        entry(
            "Action",
            seq(
                vec![
                    str_node("sts:AssumeRole", at),
                    str_node("sts:TagSession", at),
                ],
                at,
            ),
        ),
        entry(
            "Principal",
            map(
                vec![entry("Service", str_node("pods.eks.amazonaws.com", at))],
                at,
            ),
        ),
    ]
}

/// A CloudFormation `Fn::GetAtt` as written (`!GetAtt Logical.Attribute`,
/// `!GetAtt [Logical, Attribute]`, or `{"Fn::GetAtt": ...}` of either as the only key), as
/// (logical id, attribute). For every reader of templates (a role's `PermissionsBoundary`, an
/// add-on's `ServiceAccountRoleArn`).
pub fn cfn_get_att(node: &Node) -> Option<(&str, &str)> {
    use crate::source::node::Value;
    fn parts(v: &Node) -> Option<(&str, &str)> {
        match &v.value {
            Value::Str(s) => s.split_once('.'),
            Value::Seq(items) => match &items[..] {
                [l, a] => Some((l.as_str()?, a.as_str()?)),
                _ => None,
            },
            _ => None,
        }
    }
    match (&node.value, node.tag.as_deref()) {
        (_, Some("!GetAtt")) => parts(node),
        (Value::Map(entries), None)
            if entries.len() == 1 && entries[0].key.as_str() == Some("Fn::GetAtt") =>
        {
            parts(&entries[0].value)
        }
        _ => None,
    }
}

/// The IAM policy ccoctl (or the cloud-credential-operator) creates from a
/// CredentialsRequest's `statementEntries`: `{"Version": "2012-10-17", "Statement": [...]}`
/// with `effect`, `action`, `resource` and `policyCondition` under their IAM names. Keys and
/// values keep their own spans, so findings point into the CredentialsRequest; the
/// `Version` the tools write has no text and an empty span at the list. `None` when
/// `statementEntries` is not a list.
pub fn statement_entries_policy(entries: &Node) -> Option<Node> {
    use crate::source::file::Span;
    use crate::source::node::{Entry, Value};
    let items = entries.as_seq()?;
    let statements = items
        .iter()
        .map(|item| {
            let Some(fields) = item.as_map() else {
                return item.clone();
            };
            let renamed = fields
                .iter()
                .map(|e| {
                    let mut key = e.key.clone();
                    let iam = match e.key.as_str() {
                        Some("effect") => Some("Effect"),
                        Some("action") => Some("Action"),
                        Some("resource") => Some("Resource"),
                        Some("policyCondition") => Some("Condition"),
                        _ => None,
                    };
                    if let Some(name) = iam {
                        key.value = Value::Str(name.into());
                    }
                    Entry {
                        key,
                        value: e.value.clone(),
                    }
                })
                .collect();
            Node::new(Value::Map(renamed), item.span)
        })
        .collect();
    let at = Span::empty(entries.span.file, entries.span.start as usize);
    let text = |s: &str| Node::new(Value::Str(s.into()), at);
    Some(Node::new(
        Value::Map(
            vec![
                Entry {
                    key: text("Version"),
                    value: text("2012-10-17"),
                },
                Entry {
                    key: text("Statement"),
                    value: Node::new(Value::Seq(statements), entries.span),
                },
            ]
            .into(),
        ),
        entries.span,
    ))
}

#[cfg(test)]
mod statement_entries_tests {
    use crate::source::file::LineIndex;
    use crate::source::Limits;

    #[test]
    fn entries_become_an_iam_policy_with_their_own_spans() {
        let text = "statementEntries:\n- effect: Allow\n  action: [s3:GetObject]\n  resource: \"*\"\n  policyCondition: {Bool: {aws:SecureTransport: \"true\"}}\n  extra: 1\n";
        let lines = LineIndex::new(text);
        let loaded = crate::source::yaml::load_yaml(0, text, &lines, &Limits::default());
        let entries = loaded.documents[0].root.get("statementEntries").unwrap();
        let policy = super::statement_entries_policy(entries).unwrap();
        assert_eq!(
            policy.get("Version").and_then(|v| v.as_str()),
            Some("2012-10-17")
        );
        let stmt = &policy.get("Statement").unwrap().items()[0];
        let keys: Vec<_> = stmt
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_str().unwrap())
            .collect();
        assert_eq!(keys, ["Effect", "Action", "Resource", "Condition", "extra"]);
        // The renamed key still points at `action` in the file.
        let action = stmt.entry("Action").unwrap();
        assert_eq!(&text[action.key.span.range()], "action");
        assert_eq!(&text[action.value.items()[0].span.range()], "s3:GetObject");
        assert!(super::statement_entries_policy(&stmt.entry("Effect").unwrap().value).is_none());
    }
}
