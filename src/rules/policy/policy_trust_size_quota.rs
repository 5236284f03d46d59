use crate::model::role::PolicyKind;
use crate::model::value::{text, Substitutions};
use crate::rules::prelude::*;
use crate::source::node::{Node, Value};

declare_rule! {
    PolicyTrustSizeQuota,
    code: "G009",
    name: "policy-trust-size-quota",
    family: Policy,
    severity: Warning,
    summary: "a role trust policy is longer than IAM's default quota of 2,048 characters, so IAM rejects it",
}

/// IAM's default "Role trust policy length" quota; it can be raised to 8,192 on request.
const QUOTA: usize = 2048;

/// Characters of the document as compact JSON, which is how IAM counts (whitespace outside
/// strings excluded). CloudFormation intrinsics count as the text they produce.
fn json_len(node: &Node, subs: &Substitutions) -> usize {
    if node.tag.is_some() {
        return text(node, subs).map_or(2, |t| quoted_len(&t.value));
    }
    match &node.value {
        Value::Null => 4,
        Value::Bool(b) => b.to_string().len(),
        Value::Int(i) => i.to_string().len(),
        Value::Float(f) => f.to_string().len(),
        Value::Str(s) => quoted_len(s),
        Value::Seq(items) => {
            2 + items.len().saturating_sub(1)
                + items.iter().map(|i| json_len(i, subs)).sum::<usize>()
        }
        Value::Map(entries) => {
            2 + entries.len().saturating_sub(1)
                + entries
                    .iter()
                    .map(|e| json_len(&e.key, subs) + 1 + json_len(&e.value, subs))
                    .sum::<usize>()
        }
    }
}

fn quoted_len(s: &str) -> usize {
    serde_json::to_string(s).map_or(s.len() + 2, |q| q.len())
}

impl Rule for PolicyTrustSizeQuota {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world
            .policies
            .iter()
            .filter(|p| p.kind == PolicyKind::Trust)
        {
            let len = json_len(doc.source.node, &doc.source.subs);
            if len <= QUOTA {
                continue;
            }
            let anchor = doc
                .source
                .node
                .entry("Statement")
                .map(|e| e.key.span)
                .unwrap_or(doc.source.node.span);
            push_about(
                out,
                doc,
                META.diagnostic(
                    anchor,
                    format!(
                        "the {} is {len} characters without whitespace, over IAM's default trust-policy quota of {QUOTA}",
                        doc.source.label
                    ),
                )
                .label(format!("{len} characters"))
                .help("merge statements that differ only in `sub` into one list-valued condition, use `StringLike` with a namespace-scoped pattern, or request a quota increase (up to 8,192)")
                .path("Statement"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_compact_json() {
        let s = |v: &str| Node::new(Value::Str(v.into()), Span::default());
        let map = Node::new(
            Value::Map(
                vec![crate::source::node::Entry {
                    key: s("Effect"),
                    value: s("Allow"),
                }]
                .into(),
            ),
            Span::default(),
        );
        // {"Effect":"Allow"}
        assert_eq!(json_len(&map, Substitutions::none()), 18);
        assert_eq!(json_len(&s("a\"b"), Substitutions::none()), 6);
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A trust policy whose compact JSON is `len` characters (padded in the `sub` value),
    /// written pretty-printed: the whitespace must not count.
    fn trust_of_len(len: usize) -> String {
        let doc = |pad: usize| {
            serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {"StringEquals": {
                        "oidc.example.com/id/ABC:aud": "sts.amazonaws.com",
                        "oidc.example.com/id/ABC:sub": format!("system:serviceaccount:team:{}", "a".repeat(pad)),
                    }},
                }],
            })
        };
        let base = serde_json::to_string(&doc(0)).unwrap().len();
        let v = doc(len - base);
        assert_eq!(serde_json::to_string(&v).unwrap().len(), len);
        serde_json::to_string_pretty(&v).unwrap()
    }

    fn findings(text: &str, name: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
        let (_, report) = crate::testing::lint_only(dir.path(), &META);
        report.diagnostics.into_iter().map(|d| d.message).collect()
    }

    /// Exactly 2,048 characters is within the quota; 2,049 is over.
    #[test]
    fn the_quota_boundary() {
        assert_eq!(
            findings(&trust_of_len(2048), "trust.json"),
            Vec::<String>::new()
        );
        let over = findings(&trust_of_len(2049), "trust.json");
        assert_eq!(over.len(), 1, "{over:?}");
        assert!(over[0].contains("is 2049 characters"), "{over:?}");
    }

    /// The quota is the trust policy's: an identity (permission) policy of the same length is
    /// not measured against it.
    #[test]
    fn identity_policies_are_not_trust_policies() {
        let big = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": format!("arn:aws:s3:::{}/*", "b".repeat(2100)),
            }],
        });
        let text = serde_json::to_string_pretty(&big).unwrap();
        assert!(text.len() > 2100);
        assert_eq!(findings(&text, "permissions.json"), Vec::<String>::new());
    }
}
