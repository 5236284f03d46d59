use serde_json::json;

use super::*;
use crate::model::iam::operator::{BaseOp, Qualifier};
use crate::model::iam::testutil::node;
use crate::source::node::Node;

const ISSUER: &str = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";

fn irsa_trust() -> Node {
    node(&json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "Irsa",
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::123456789012:oidc-provider/{ISSUER}")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    format!("{ISSUER}:sub"): "system:serviceaccount:billing:invoice",
                    format!("{ISSUER}:aud"): ["sts.amazonaws.com"]
                },
                "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["team-*", 7, true]}
            }
        }]
    }))
}

#[test]
fn irsa_trust_policy_model() {
    let n = irsa_trust();
    let p = Policy::parse(&n, Substitutions::none());
    assert!(p.malformed.is_empty(), "{:?}", p.malformed);
    assert_eq!(p.version.unwrap().value.as_str(), Some("2012-10-17"));
    assert_eq!(p.statements.len(), 1);
    assert!(p.is_trust_policy());
    let s = &p.statements[0];
    assert_eq!(s.index, 0);
    assert_eq!(s.sid.unwrap().value.as_str(), Some("Irsa"));
    assert_eq!(s.effect.as_ref().unwrap().1, Effect::Allow);
    assert!(s.is_allow() && !s.is_deny());
    assert!(s.is_web_identity());
    let principal = s.principal.as_ref().unwrap();
    assert!(!principal.star && !principal.is_any() && !principal.malformed);
    let fed: Vec<_> = principal.federated().map(|t| t.value.as_str()).collect();
    assert_eq!(
        fed,
        [format!("arn:aws:iam::123456789012:oidc-provider/{ISSUER}")]
    );
    // Values keep the span of their own node.
    let action = s.action.as_ref().unwrap();
    assert_eq!(action.values[0].span, action.entry.value.span);
    assert_eq!(action.entry.key.as_str(), Some("Action"));

    let c = s.condition.as_ref().unwrap();
    assert_eq!(c.entry.key.as_str(), Some("Condition"));
    assert_eq!(c.blocks.len(), 2);
    let b = &c.blocks[0];
    assert_eq!(b.raw, "StringEquals");
    assert_eq!(b.operator.as_ref().unwrap().base, BaseOp::StringEquals);
    assert_eq!(b.keys.len(), 2);
    let sub = &b.keys[0];
    assert_eq!(sub.name.value, format!("{ISSUER}:sub"));
    assert_eq!(sub.name.span, sub.entry.key.span);
    assert_eq!(sub.values[0].value, "system:serviceaccount:billing:invoice");
    assert_eq!(sub.values[0].span, sub.entry.value.span);
    assert_eq!(sub.issuer_claim(), Some((ISSUER, "sub")));
    assert!(sub.is(&format!("{}:SUB", ISSUER.to_uppercase())));
    let aud = &b.keys[1];
    assert_eq!(aud.values[0].span, aud.entry.value.items()[0].span);

    let tags = &c.blocks[1];
    let op = tags.operator.as_ref().unwrap();
    assert_eq!(op.qualifier, Some(Qualifier::ForAnyValue));
    assert!(op.if_exists);
    let vals: Vec<_> = tags.keys[0]
        .values
        .iter()
        .map(|t| t.value.as_str())
        .collect();
    assert_eq!(vals, ["team-*", "7", "true"]);

    let subs: Vec<_> = c
        .claim_keys("SUB")
        .map(|(_, k)| k.name.value.as_str())
        .collect();
    assert_eq!(subs, [format!("{ISSUER}:sub")]);
    assert_eq!(c.keys().count(), 3);
}

#[test]
fn single_statement_mapping_and_identity_policy() {
    let n = node(&json!({
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"], "Resource": "*"}
    }));
    let p = Policy::parse(&n, Substitutions::none());
    assert_eq!(p.statements.len(), 1);
    assert!(!p.is_trust_policy());
    let s = &p.statements[0];
    assert!(!s.is_web_identity());
    assert_eq!(s.resource.as_ref().unwrap().values[0].value, "*");
    assert!(s.condition.is_none());
    // An `sts:` action with no resource marks a trust policy (principal missing: a grammar
    // error, but still a trust document).
    let n = node(&json!({"Statement": [{"Effect": "Allow", "Action": "STS:AssumeRole"}]}));
    assert!(Policy::parse(&n, Substitutions::none()).is_trust_policy());
    // An identity policy that lets its holder assume other roles is not a trust policy.
    let n = node(
        &json!({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/x"}]}),
    );
    assert!(!Policy::parse(&n, Substitutions::none()).is_trust_policy());
    // Nor is an S3 bucket policy, though it names a principal.
    let n = node(
        &json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}),
    );
    assert!(!Policy::parse(&n, Substitutions::none()).is_trust_policy());
}

/// An ECR repository policy names a principal and no `Resource` (the repository is implied),
/// like a trust policy, but allows only `ecr:` actions: a resource policy, not a role's trust
/// (aws/aws-for-fluent-bit scripts/public_repo_policy.json@cd557e03, where `Principal: "*"`
/// was reported as a role anyone may assume).
#[test]
fn resource_policies_are_not_trust_policies() {
    let parse = |v: serde_json::Value| {
        let n = node(&v);
        let p = Policy::parse(&n, Substitutions::none());
        (p.is_trust_policy(), p.is_resource_policy())
    };
    let ecr = json!({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]});
    assert_eq!(parse(ecr), (false, true));
    // With a resource (an S3 bucket policy) it is a resource policy too.
    let bucket = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]});
    assert_eq!(parse(bucket), (false, true));
    // Actions that may be a role's trust actions keep it a trust policy: `sts:`, a wildcard
    // service, `NotAction`, no action at all.
    for action in [
        json!("sts:AssumeRole"),
        json!("*"),
        json!(["ecr:ListImages", "s*:*"]),
        json!("STS:TagSession"),
    ] {
        let v = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": action}]});
        assert_eq!(parse(v), (true, false), "{action}");
    }
    let not_action = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "NotAction": "ecr:ListImages"}]});
    assert_eq!(parse(not_action), (true, false));
    let no_action = json!({"Statement": [{"Effect": "Allow", "Principal": "*"}]});
    assert_eq!(parse(no_action), (true, false));
    // An identity policy names no principal: neither.
    let identity =
        json!({"Statement": [{"Effect": "Allow", "Action": "ecr:ListImages", "Resource": "*"}]});
    assert_eq!(parse(identity), (false, false));
}

#[test]
fn actions_match_table() {
    // (Action or NotAction element, value, action asked, expected)
    let cases = [
        (
            "Action",
            json!("sts:AssumeRoleWithWebIdentity"),
            "sts:assumerolewithwebidentity",
            Tri::True,
        ),
        (
            "Action",
            json!("sts:AssumeRole"),
            "sts:AssumeRoleWithWebIdentity",
            Tri::False,
        ),
        (
            "Action",
            json!("sts:AssumeRole*"),
            "sts:AssumeRoleWithWebIdentity",
            Tri::True,
        ),
        (
            "Action",
            json!("*"),
            "sts:AssumeRoleWithWebIdentity",
            Tri::True,
        ),
        (
            "Action",
            json!(["sts:TagSession", "STS:*"]),
            "sts:AssumeRoleWithWebIdentity",
            Tri::True,
        ),
        (
            "Action",
            json!([]),
            "sts:AssumeRoleWithWebIdentity",
            Tri::False,
        ),
        (
            "NotAction",
            json!("sts:AssumeRole"),
            "sts:AssumeRoleWithWebIdentity",
            Tri::True,
        ),
        (
            "NotAction",
            json!("sts:*"),
            "sts:AssumeRoleWithWebIdentity",
            Tri::False,
        ),
        (
            "Action",
            json!({"!Sub": "sts:${Verb}"}),
            "sts:AssumeRoleWithWebIdentity",
            Tri::Unknown,
        ),
        (
            "Action",
            json!({"!Sub": "iam:${Verb}"}),
            "sts:AssumeRoleWithWebIdentity",
            Tri::False,
        ),
        (
            "Action",
            json!([["nested"]]),
            "sts:AssumeRoleWithWebIdentity",
            Tri::Unknown,
        ),
        (
            "Actions",
            json!("*"),
            "sts:AssumeRoleWithWebIdentity",
            Tri::False,
        ),
    ];
    for (element, value, action, want) in cases {
        let n = node(&json!({"Statement": {"Effect": "Allow", element: value}}));
        let p = Policy::parse(&n, Substitutions::none());
        assert_eq!(
            p.statements[0].actions_match(action),
            want,
            "{element}: {value} vs {action}"
        );
    }
}

#[test]
fn principal_shapes() {
    let cases = [
        (json!("*"), true, true, false),
        (json!({"AWS": "*"}), false, true, false),
        (
            json!({"AWS": ["arn:aws:iam::123456789012:root"]}),
            false,
            false,
            false,
        ),
        (json!(["*"]), false, false, true),
        (json!({"Federated": [{"a": 1}]}), false, false, true),
        // A bare string other than "*" is no principal IAM accepts (an ARN must sit under a
        // type such as `AWS`), and certainly not everyone.
        (json!("arn:aws:iam::123456789012:root"), false, false, true),
    ];
    for (value, star, any, malformed) in cases {
        let n = node(&json!({"Statement": {"Effect": "Allow", "Principal": value}}));
        let p = Policy::parse(&n, Substitutions::none());
        let pr = p.statements[0].principal.as_ref().unwrap();
        assert_eq!(
            (pr.star, pr.is_any(), pr.malformed),
            (star, any, malformed),
            "{value}"
        );
        assert_eq!(p.malformed.is_empty(), !malformed, "{value}");
    }
    let n =
        node(&json!({"Statement": {"Principal": {"Service": "eks.amazonaws.com", "Fed": "x"}}}));
    let p = Policy::parse(&n, Substitutions::none());
    let pr = p.statements[0].principal.as_ref().unwrap();
    assert_eq!(pr.by_type[0].0, PrincipalType::Service);
    assert_eq!(pr.by_type[1].0, PrincipalType::Other("Fed".into()));
    assert_eq!(pr.of_type(&PrincipalType::Service).count(), 1);
}

#[test]
fn malformed_shapes_are_recorded_not_fatal() {
    // (document, number of statements kept, malformed elements reported)
    let cases = [
        (json!("just a string"), 0, vec!["policy"]),
        (
            json!({"Statement": "Allow everything"}),
            0,
            vec!["Statement"],
        ),
        (
            json!({"Statement": ["x", {"Effect": "Deny"}, 3]}),
            1,
            vec!["Statement", "Statement"],
        ),
        (
            json!({"Statement": {"Condition": ["StringEquals"]}}),
            1,
            vec!["Condition"],
        ),
        (
            json!({"Statement": {"Condition": {"StringEquals": "x"}}}),
            1,
            vec!["Condition"],
        ),
        (
            json!({"Statement": {"Condition": {"StringEquals": {"k": [{"a": 1}]}}}}),
            1,
            vec!["Condition"],
        ),
        (json!({"Statement": {"Principal": 5}}), 1, vec!["Principal"]),
        (
            json!({"Statement": {"NotPrincipal": null}}),
            1,
            vec!["NotPrincipal"],
        ),
        (json!({"Statement": null}), 0, vec!["Statement"]),
        (json!({}), 0, vec![]),
    ];
    for (doc, kept, elements) in cases {
        let n = node(&doc);
        let p = Policy::parse(&n, Substitutions::none());
        assert_eq!(p.statements.len(), kept, "{doc}");
        let got: Vec<_> = p.malformed.iter().map(|m| m.element).collect();
        assert_eq!(got, elements, "{doc}");
    }
    // Indexes stay list positions even when items are skipped.
    let n = node(&json!({"Statement": ["x", {"Effect": "Deny"}]}));
    assert_eq!(
        Policy::parse(&n, Substitutions::none()).statements[0].index,
        1
    );
    // A list Condition is kept as present-but-malformed, so "no Condition" rules stay quiet.
    let n = node(&json!({"Statement": {"Condition": []}}));
    let p = Policy::parse(&n, Substitutions::none());
    assert!(p.statements[0].condition.as_ref().unwrap().malformed);
}

#[test]
fn effects_are_case_sensitive() {
    let cases = [
        (json!("Allow"), Effect::Allow),
        (json!("Deny"), Effect::Deny),
        (json!("allow"), Effect::Invalid("allow".into())),
        (json!(true), Effect::Invalid("true".into())),
    ];
    for (v, want) in cases {
        let n = node(&json!({"Statement": {"Effect": v}}));
        let p = Policy::parse(&n, Substitutions::none());
        assert_eq!(p.statements[0].effect.as_ref().unwrap().1, want);
    }
}

#[test]
fn operator_errors_are_kept_on_the_block() {
    let n = node(&json!({"Statement": {"Condition": {"StringEqual": {"k": "v"}}}}));
    let p = Policy::parse(&n, Substitutions::none());
    let b = &p.statements[0].condition.as_ref().unwrap().blocks[0];
    let e = b.operator.as_ref().unwrap_err();
    assert_eq!(e.suggestion.as_deref(), Some("StringEquals"));
    assert_eq!(b.keys[0].values[0].value, "v");
}

#[test]
fn cloudformation_values_are_marked_unresolved() {
    let n = node(&json!({"Statement": {"Condition": {"StringEquals": {
        "k": {"!Sub": "system:serviceaccount:${Namespace}:app"}
    }}}}));
    let mut subs = Substitutions::default();
    let p = Policy::parse(&n, &subs);
    let v = &p.statements[0].condition.as_ref().unwrap().blocks[0].keys[0].values[0];
    assert!(v.unresolved);
    subs.known.insert("Namespace".into(), "billing".into());
    let p = Policy::parse(&n, &subs);
    let v = &p.statements[0].condition.as_ref().unwrap().blocks[0].keys[0].values[0];
    assert_eq!(v.value, "system:serviceaccount:billing:app");
    assert!(!v.unresolved);
}

#[test]
fn split_issuer_key_table() {
    let cases = [
        (format!("{ISSUER}:sub"), Some((ISSUER, "sub"))),
        (
            "https://oidc.example.com:aud".to_string(),
            Some(("https://oidc.example.com", "aud")),
        ),
        ("aws:SourceArn".to_string(), Some(("aws", "SourceArn"))),
        ("nocolon".to_string(), None),
        (":sub".to_string(), None),
        ("issuer:".to_string(), None),
    ];
    for (key, want) in cases {
        assert_eq!(split_issuer_key(&key), want, "{key}");
    }
}

#[test]
fn each_element_is_the_last_entry_of_its_name() {
    // A statement written with a key twice (a YAML mapping may): the last one counts, as
    // `Node::entry` finds it; each of the nine elements from its own key.
    use crate::source::file::Span;
    use crate::source::node::{entry, map, seq, str_node};
    let at = |i: usize| Span::new(0, i, i + 1);
    let s = |v: &str, i: usize| str_node(v, at(i));
    let principal = |ty: &str, v: &str, i: usize| map(vec![entry(ty, s(v, i))], at(i));
    let statement = map(
        vec![
            entry("Action", s("s3:First", 0)),
            entry("Sid", s("one", 1)),
            entry("Effect", s("Deny", 2)),
            entry("Principal", principal("AWS", "arn:aws:iam::1:root", 3)),
            entry("NotPrincipal", principal("Service", "ec2.amazonaws.com", 4)),
            entry("NotAction", s("s3:Not", 5)),
            entry("Resource", seq(vec![s("arn:aws:s3:::b", 6)], at(6))),
            entry("NotResource", s("arn:aws:s3:::n", 7)),
            entry(
                "Condition",
                map(
                    vec![entry("Bool", principal("aws:SecureTransport", "true", 8))],
                    at(8),
                ),
            ),
            entry("Effect", s("Allow", 9)),
            entry("Action", s("s3:Last", 10)),
            entry("Other", s("x", 11)),
        ],
        at(12),
    );
    let doc = map(vec![entry("Statement", statement)], at(13));
    let p = Policy::parse(&doc, Substitutions::none());
    let st = &p.statements[0];
    let texts = |l: &ValueList| {
        l.values
            .iter()
            .map(|t| t.value.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(st.sid.unwrap().value.as_str(), Some("one"));
    assert_eq!(
        st.effect
            .as_ref()
            .map(|(e, x)| (e.value.span.start, x.clone())),
        Some((9, Effect::Allow))
    );
    assert_eq!(texts(st.action.as_ref().unwrap()), ["s3:Last"]);
    assert_eq!(texts(st.not_action.as_ref().unwrap()), ["s3:Not"]);
    assert_eq!(texts(st.resource.as_ref().unwrap()), ["arn:aws:s3:::b"]);
    assert_eq!(texts(st.not_resource.as_ref().unwrap()), ["arn:aws:s3:::n"]);
    let ids = |p: &Principal| {
        p.by_type
            .iter()
            .map(|(t, _, v)| (t.clone(), v[0].value.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(st.principal.as_ref().unwrap()),
        [(PrincipalType::Aws, "arn:aws:iam::1:root".to_string())]
    );
    assert_eq!(
        ids(st.not_principal.as_ref().unwrap()),
        [(PrincipalType::Service, "ec2.amazonaws.com".to_string())]
    );
    assert_eq!(st.condition.as_ref().unwrap().entry.value.span.start, 8);
}
