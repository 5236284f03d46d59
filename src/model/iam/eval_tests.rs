use serde_json::{json, Value as J};

use super::*;
use crate::model::iam::testutil::node;
use crate::model::value::Substitutions;

const ISSUER: &str = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
const WEB: &str = "sts:AssumeRoleWithWebIdentity";
use Tri::{False as F, True as T, Unknown as U};

fn known(vals: &[&str]) -> CtxValue {
    CtxValue::Known(vals.iter().map(|s| s.to_string()).collect())
}

/// Evaluates `{"Condition": {op: {"Test:Key": values}}}` with `test:key` set to `ctx`.
fn eval(op: &str, values: J, ctx: CtxValue) -> Tri {
    let n = node(&json!({"Statement": {"Condition": {op: {"Test:Key": values}}}}));
    let p = Policy::parse(&n, Substitutions::none());
    let mut c = Context::new(CtxValue::Absent);
    c.set("test:key", ctx);
    eval_conditions(p.statements[0].condition.as_ref(), &c)
}

#[test]
fn string_operators() {
    let sa = "system:serviceaccount:team:app";
    let cases = [
        ("StringEquals", json!("a"), known(&["a"]), T),
        ("StringEquals", json!("a"), known(&["b"]), F),
        ("StringEquals", json!("a"), CtxValue::Absent, F),
        ("StringEquals", json!("a"), CtxValue::Unknown, U),
        ("StringEquals", json!("a"), known(&[]), F),
        ("StringEquals", json!(["a", "b"]), known(&["b"]), T),
        ("StringEquals", json!("A"), known(&["a"]), F),
        (
            "StringEquals",
            json!("system:serviceaccount:team:*"),
            known(&[sa]),
            F,
        ),
        (
            "StringEquals",
            json!("system:serviceaccount:team:*"),
            known(&["system:serviceaccount:team:*"]),
            T,
        ),
        (
            "StringLike",
            json!("system:serviceaccount:team:*"),
            known(&[sa]),
            T,
        ),
        (
            "StringLike",
            json!("system:serviceaccount:team:*"),
            known(&["system:serviceaccount:other:app"]),
            F,
        ),
        (
            "StringLike",
            json!("System:serviceaccount:team:*"),
            known(&[sa]),
            F,
        ),
        ("StringLike", json!("a?c"), known(&["abc"]), T),
        ("StringLike", json!("a"), CtxValue::Absent, F),
        ("StringNotEquals", json!(["a", "b"]), known(&["c"]), T),
        ("StringNotEquals", json!(["a", "b"]), known(&["b"]), F),
        ("StringNotEquals", json!("a"), CtxValue::Absent, T),
        ("StringNotLike", json!("team:*"), known(&["team:x"]), F),
        ("StringNotLike", json!("team:*"), known(&["other"]), T),
        ("StringNotLike", json!("team:*"), CtxValue::Absent, T),
        ("StringEqualsIgnoreCase", json!("ABC"), known(&["abc"]), T),
        ("StringEqualsIgnoreCase", json!("ABC"), CtxValue::Absent, F),
        (
            "StringNotEqualsIgnoreCase",
            json!("ABC"),
            known(&["abc"]),
            F,
        ),
        (
            "StringNotEqualsIgnoreCase",
            json!("ABC"),
            known(&["abd"]),
            T,
        ),
        (
            "StringNotEqualsIgnoreCase",
            json!("ABC"),
            CtxValue::Absent,
            T,
        ),
        ("StringEqualsIfExists", json!("a"), CtxValue::Absent, T),
        ("StringEqualsIfExists", json!("a"), known(&["b"]), F),
        ("StringEqualsIfExists", json!("a"), known(&["a"]), T),
        ("StringNotEqualsIfExists", json!("a"), CtxValue::Absent, T),
        ("StringLikeIfExists", json!("a*"), CtxValue::Unknown, U),
    ];
    for (op, v, ctx, want) in cases {
        assert_eq!(
            eval(op, v.clone(), ctx.clone()),
            want,
            "{op} {v} vs {ctx:?}"
        );
    }
}

#[test]
fn other_operator_families() {
    let cases = [
        ("NumericEquals", json!("10"), known(&["10.0"]), T),
        ("NumericEquals", json!(10), known(&["10"]), T),
        ("NumericEquals", json!("abc"), known(&["1"]), F),
        ("NumericNotEquals", json!("10"), known(&["10"]), F),
        ("NumericNotEquals", json!("10"), CtxValue::Absent, T),
        ("NumericLessThan", json!("10"), known(&["9"]), T),
        ("NumericLessThan", json!("10"), known(&["10"]), F),
        ("NumericLessThanEquals", json!("10"), known(&["10"]), T),
        ("NumericGreaterThan", json!("10"), known(&["11"]), T),
        ("NumericGreaterThan", json!("10"), known(&["10"]), F),
        ("NumericGreaterThanEquals", json!("10"), known(&["10"]), T),
        ("NumericGreaterThan", json!("10"), CtxValue::Absent, F),
        (
            "DateLessThan",
            json!("2024-01-01T00:00:00Z"),
            known(&["2023-12-31T23:59:59Z"]),
            T,
        ),
        (
            "DateGreaterThan",
            json!("2024-01-01T00:00:00Z"),
            known(&["2023-12-31T23:59:59Z"]),
            F,
        ),
        (
            "DateEquals",
            json!("1704067200"),
            known(&["2024-01-01T00:00:00Z"]),
            T,
        ),
        (
            "DateLessThanEquals",
            json!("2024-01-01"),
            known(&["2024-01-01T00:00:00Z"]),
            T,
        ),
        (
            "DateGreaterThanEquals",
            json!("2024-01-01"),
            known(&["2023-06-01"]),
            F,
        ),
        ("DateNotEquals", json!("2024-01-01"), CtxValue::Absent, T),
        ("Bool", json!("true"), known(&["true"]), T),
        ("Bool", json!(true), known(&["true"]), T),
        ("Bool", json!("true"), known(&["false"]), F),
        ("Bool", json!("true"), CtxValue::Absent, F),
        ("BoolIfExists", json!("true"), CtxValue::Absent, T),
        ("BinaryEquals", json!("QmluYXJ5"), known(&["QmluYXJ5"]), T),
        ("BinaryEquals", json!("QmluYXJ5"), known(&["qmluyxj5"]), F),
        ("IpAddress", json!("10.0.0.0/8"), known(&["10.1.2.3"]), T),
        ("IpAddress", json!("10.0.0.0/8"), CtxValue::Absent, F),
        ("NotIpAddress", json!("10.0.0.0/8"), known(&["10.1.2.3"]), F),
        (
            "NotIpAddress",
            json!("10.0.0.0/8"),
            known(&["192.0.2.1"]),
            T,
        ),
        ("NotIpAddress", json!("10.0.0.0/8"), CtxValue::Absent, T),
        (
            "ArnEquals",
            json!("arn:aws:iam::*:role/x"),
            known(&["arn:aws:iam::123456789012:role/x"]),
            T,
        ),
        (
            "ArnLike",
            json!("arn:aws:iam::*:role/x"),
            known(&["arn:aws:iam::123456789012:role/x"]),
            T,
        ),
        (
            "ArnLike",
            json!("arn:aws:iam::*:role/x"),
            CtxValue::Absent,
            F,
        ),
        (
            "ArnNotEquals",
            json!("arn:aws:iam::*:role/x"),
            known(&["arn:aws:iam::123456789012:role/x"]),
            F,
        ),
        (
            "ArnNotLike",
            json!("arn:aws:iam::*:role/x"),
            known(&["arn:aws:iam::123456789012:role/y"]),
            T,
        ),
        (
            "ArnNotLike",
            json!("arn:aws:iam::*:role/x"),
            CtxValue::Absent,
            T,
        ),
        ("Null", json!("true"), CtxValue::Absent, T),
        ("Null", json!("true"), known(&["x"]), F),
        ("Null", json!("false"), CtxValue::Absent, F),
        ("Null", json!(false), known(&["x"]), T),
        ("Null", json!("true"), CtxValue::Unknown, U),
        ("Null", json!("maybe"), CtxValue::Absent, F),
    ];
    for (op, v, ctx, want) in cases {
        assert_eq!(
            eval(op, v.clone(), ctx.clone()),
            want,
            "{op} {v} vs {ctx:?}"
        );
    }
}

#[test]
fn qualifiers_and_multi_valued_keys() {
    let cases = [
        (
            "ForAllValues:StringEquals",
            json!(["a", "b"]),
            known(&["a", "b"]),
            T,
        ),
        (
            "ForAllValues:StringEquals",
            json!(["a", "b"]),
            known(&["a", "c"]),
            F,
        ),
        (
            "ForAllValues:StringEquals",
            json!(["a"]),
            CtxValue::Absent,
            T,
        ),
        ("ForAllValues:StringEquals", json!(["a"]), known(&[]), T),
        (
            "ForAnyValue:StringEquals",
            json!(["a", "b"]),
            known(&["c", "a"]),
            T,
        ),
        (
            "ForAnyValue:StringEquals",
            json!(["a", "b"]),
            known(&["c"]),
            F,
        ),
        (
            "ForAnyValue:StringEquals",
            json!(["a"]),
            CtxValue::Absent,
            F,
        ),
        (
            "ForAnyValue:StringNotEquals",
            json!(["a"]),
            CtxValue::Absent,
            F,
        ),
        (
            "ForAllValues:StringNotEquals",
            json!(["a"]),
            CtxValue::Absent,
            T,
        ),
        (
            "ForAllValues:StringNotEquals",
            json!(["a"]),
            known(&["b", "c"]),
            T,
        ),
        (
            "ForAllValues:StringNotEquals",
            json!(["a"]),
            known(&["b", "a"]),
            F,
        ),
        (
            "ForAnyValue:StringNotEquals",
            json!(["a"]),
            known(&["a", "b"]),
            T,
        ),
        (
            "ForAnyValue:StringNotEquals",
            json!(["a"]),
            known(&["a"]),
            F,
        ),
        (
            "ForAnyValue:StringLike",
            json!(["team:*"]),
            known(&["x", "team:y"]),
            T,
        ),
        (
            "ForAnyValue:StringEqualsIfExists",
            json!(["a"]),
            CtxValue::Absent,
            T,
        ),
        (
            "ForAllValues:StringLike",
            json!(["a*"]),
            CtxValue::Unknown,
            U,
        ),
        // Without a qualifier a multi-valued key behaves like ForAnyValue.
        ("StringEquals", json!("a"), known(&["b", "a"]), T),
    ];
    for (op, v, ctx, want) in cases {
        assert_eq!(
            eval(op, v.clone(), ctx.clone()),
            want,
            "{op} {v} vs {ctx:?}"
        );
    }
}

#[test]
fn unresolved_values_are_unknown_unless_decided() {
    let sub = |s: &str| json!({"!Sub": s});
    let app = "system:serviceaccount:billing:app";
    let cases = [
        (
            "StringEquals",
            sub("system:serviceaccount:${Ns}:app"),
            known(&[app]),
            U,
        ),
        (
            "StringEquals",
            sub("system:serviceaccount:${Ns}:web"),
            known(&[app]),
            F,
        ),
        (
            "StringNotEquals",
            sub("system:serviceaccount:${Ns}:app"),
            known(&[app]),
            U,
        ),
        (
            "StringNotEquals",
            sub("system:serviceaccount:${Ns}:web"),
            known(&[app]),
            T,
        ),
        (
            "StringEquals",
            json!([app, {"!Sub": "${Other}"}]),
            known(&[app]),
            T,
        ),
        (
            "StringEquals",
            json!({"!Ref": "Param"}),
            CtxValue::Absent,
            F,
        ),
        (
            "StringNotEquals",
            json!({"!Ref": "Param"}),
            CtxValue::Absent,
            T,
        ),
        ("NumericLessThan", json!({"!Ref": "Max"}), known(&["3"]), U),
        ("Null", json!({"!Ref": "Flag"}), CtxValue::Absent, U),
        // A policy variable is resolved per request, so it is unknown here too.
        ("StringEquals", json!("${aws:username}"), known(&["bob"]), U),
        (
            "StringEqualsIgnoreCase",
            sub("SYSTEM:${X}"),
            known(&["system:y"]),
            U,
        ),
        ("StringLike", sub("team-*:${X}"), known(&["team-a:y"]), U),
        ("StringLike", sub("team-*:${X}"), known(&["ops:y"]), F),
    ];
    for (op, v, ctx, want) in cases {
        assert_eq!(
            eval(op, v.clone(), ctx.clone()),
            want,
            "{op} {v} vs {ctx:?}"
        );
    }
    // An unresolved key name could be any key.
    let n = node(&json!({"Statement": {"Condition": {"StringEquals": {"x": "v"}}}}));
    let mut p = Policy::parse(&n, Substitutions::none());
    let cond = p.statements[0].condition.as_mut().unwrap();
    cond.blocks[0].keys[0].name.unresolved = true;
    assert_eq!(
        eval_conditions(Some(cond), &Context::new(CtxValue::Absent)),
        U
    );
}

#[test]
fn key_names_ignore_case_values_do_not() {
    let n = node(
        &json!({"Statement": {"Condition": {"StringEquals": {"AWS:PrincipalTag/Team": "Blue"}}}}),
    );
    let p = Policy::parse(&n, Substitutions::none());
    let cond = p.statements[0].condition.as_ref();
    let mut c = Context::new(CtxValue::Absent);
    c.set_str("aws:principaltag/team", "Blue");
    assert_eq!(eval_conditions(cond, &c), T);
    c.set_str("Aws:PrincipalTag/TEAM", "blue");
    assert_eq!(eval_conditions(cond, &c), F);
}

#[test]
fn blocks_and_keys_are_anded_and_malformed_is_unknown() {
    let cases = [
        (json!({"StringEquals": {"a:x": "1", "a:y": "2"}}), T),
        (json!({"StringEquals": {"a:x": "1", "a:y": "3"}}), F),
        (
            json!({"StringEquals": {"a:x": "1"}, "StringLike": {"a:y": "9*"}}),
            F,
        ),
        (
            json!({"StringEquals": {"a:x": "1"}, "StringLike": {"a:y": "2*"}}),
            T,
        ),
        (json!({"StringEqual": {"a:x": "1"}}), U),
        (
            json!({"StringEqual": {"a:x": "1"}, "StringEquals": {"a:y": "3"}}),
            F,
        ),
        (json!({"StringEquals": "a:x"}), U),
        (json!({"StringEquals": {"a:x": [["1"]]}}), U),
        (json!({"StringEquals": {"a:x": ["1", ["z"]]}}), T),
        (json!(["StringEquals"]), U),
        (json!({}), T),
        // Keys a CloudFormation intrinsic yields at deploy time (AWS CDK's CfnJson), and a
        // whole `Condition` that is one: unknown, unless another block already fails.
        (
            json!({"StringEquals": {"Fn::GetAtt": ["SaConditionJson1ED3BC54", "Value"]}}),
            U,
        ),
        (
            json!({"StringEquals": {"Ref": "Cond"}, "StringLike": {"a:y": "9*"}}),
            F,
        ),
        (json!({"Fn::If": ["UseSub", {}, {}]}), U),
        // A one-entry mapping whose key merely contains `Fn::` is a key.
        (json!({"StringEquals": {"a:Fn::x": "1"}}), F),
    ];
    let mut c = Context::new(CtxValue::Absent);
    c.set_str("a:x", "1").set_str("a:y", "2");
    for (cond, want) in cases {
        let n = node(&json!({"Statement": {"Condition": cond}}));
        let p = Policy::parse(&n, Substitutions::none());
        assert_eq!(
            eval_conditions(p.statements[0].condition.as_ref(), &c),
            want,
            "{cond}"
        );
    }
    assert_eq!(eval_conditions(None, &c), T);
}

fn provider() -> String {
    format!("arn:aws:iam::123456789012:oidc-provider/{ISSUER}")
}

/// An IRSA statement for `sub` under `op`, with the audience check.
fn irsa(effect: &str, op: &str, sub: J) -> J {
    let mut cond = json!({"StringEquals": {format!("{ISSUER}:aud"): "sts.amazonaws.com"}});
    // Merge into one block when `op` is StringEquals too (JSON keeps one key per name).
    cond[op][format!("{ISSUER}:sub")] = sub;
    json!({
        "Effect": effect,
        "Principal": {"Federated": provider()},
        "Action": WEB,
        "Condition": cond
    })
}

fn admits(statements: J, sa: &str, aud: &str) -> (Tri, Option<usize>, Vec<String>) {
    let n = node(&json!({"Version": "2012-10-17", "Statement": statements}));
    let p = Policy::parse(&n, Substitutions::none());
    let ctx = Context::web_identity(ISSUER, sa, aud);
    let v = trust_admits(&p, WEB, ISSUER, &ctx);
    let failed = v.failed.iter().map(|k| k.name.value.to_string()).collect();
    (v.result, v.statement, failed)
}

#[test]
fn trust_policies_admit_the_right_subjects() {
    let sa = |n: &str| format!("system:serviceaccount:billing:{n}");
    let sts = "sts.amazonaws.com";
    let sub_key = format!("{ISSUER}:sub");
    let aud_key = format!("{ISSUER}:aud");

    let exact = json!([irsa("Allow", "StringEquals", json!(sa("invoice")))]);
    assert_eq!(
        admits(exact.clone(), &sa("invoice"), sts),
        (T, Some(0), vec![])
    );
    assert_eq!(
        admits(exact.clone(), &sa("other"), sts),
        (F, None, vec![sub_key.clone()])
    );
    assert_eq!(
        admits(exact, &sa("invoice"), "openshift"),
        (F, None, vec![aud_key])
    );

    // A wildcard is literal under StringEquals (never matches), a pattern under StringLike.
    let star = json!("system:serviceaccount:billing:*");
    let eq = json!([irsa("Allow", "StringEquals", star.clone())]);
    assert_eq!(
        admits(eq, &sa("invoice"), sts),
        (F, None, vec![sub_key.clone()])
    );
    let like = json!([irsa("Allow", "StringLike", star.clone())]);
    assert_eq!(admits(like, &sa("invoice"), sts).0, T);

    // Statements are ORed; the deciding one is named.
    let two = json!([
        irsa("Allow", "StringEquals", json!(sa("a"))),
        irsa("Allow", "StringEquals", json!([sa("b"), sa("c")]))
    ]);
    assert_eq!(admits(two.clone(), &sa("c"), sts), (T, Some(1), vec![]));
    assert_eq!(
        admits(two, &sa("d"), sts),
        (F, None, vec![sub_key.clone(), sub_key.clone()])
    );

    // Only statements that trust this provider for this action explain a refusal: another
    // provider's statement (its own `sub` unmet too) or another action's is not evidence.
    let other = "oidc.eks.eu-west-1.amazonaws.com/id/OTHER";
    let mixed = json!([
        {
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::111122223333:oidc-provider/{other}")},
            "Action": WEB,
            "Condition": {"StringEquals": {format!("{other}:sub"): sa("x")}}
        },
        {
            "Effect": "Allow",
            "Principal": {"Federated": provider()},
            "Action": "sts:TagSession",
            "Condition": {"StringEquals": {format!("{ISSUER}:aud"): "other"}}
        },
        irsa("Allow", "StringEquals", json!(sa("a")))
    ]);
    assert_eq!(
        admits(mixed, &sa("d"), sts),
        (F, None, vec![sub_key.clone()])
    );

    // Deny wins over Allow.
    let deny = json!([
        irsa("Allow", "StringLike", star),
        irsa("Deny", "StringEquals", json!(sa("intruder")))
    ]);
    assert_eq!(
        admits(deny.clone(), &sa("intruder"), sts),
        (F, Some(1), vec![])
    );
    assert_eq!(admits(deny, &sa("invoice"), sts), (T, Some(0), vec![]));

    // A Deny that might apply makes an Allow uncertain.
    let maybe_deny = json!([
        irsa("Allow", "StringEquals", json!(sa("a"))),
        {"Effect": "Deny", "Principal": "*", "Action": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}
    ]);
    assert_eq!(admits(maybe_deny, &sa("a"), sts), (U, Some(1), vec![]));

    // Negated multi-values: every subject but the listed ones.
    let not = json!([irsa("Allow", "StringNotEquals", json!([sa("a"), sa("b")]))]);
    assert_eq!(admits(not.clone(), &sa("c"), sts).0, T);
    assert_eq!(admits(not, &sa("b"), sts).0, F);
}

#[test]
fn issuer_principal_and_action_must_fit() {
    let sa = "system:serviceaccount:billing:invoice";
    let sts = "sts.amazonaws.com";
    let other = "oidc.eks.eu-west-1.amazonaws.com/id/OTHER";
    let stmt = |principal: J, action: J, cond: J| json!([{"Effect": "Allow", "Principal": principal, "Action": action, "Condition": cond}]);
    let fed = json!({"Federated": provider()});
    let sub_eq = json!({"StringEquals": {format!("{ISSUER}:sub"): sa}});
    let cases = [
        (stmt(fed.clone(), json!(WEB), sub_eq.clone()), T),
        (
            stmt(fed.clone(), json!("sts:AssumeRole"), sub_eq.clone()),
            F,
        ),
        (stmt(fed.clone(), json!("sts:*"), sub_eq.clone()), T),
        (
            stmt(
                json!({"Federated": format!("arn:aws:iam::123456789012:oidc-provider/{other}")}),
                json!(WEB),
                sub_eq.clone(),
            ),
            F,
        ),
        (
            stmt(
                json!({"AWS": "arn:aws:iam::123456789012:root"}),
                json!(WEB),
                sub_eq.clone(),
            ),
            F,
        ),
        (stmt(json!("*"), json!(WEB), sub_eq.clone()), T),
        (stmt(json!({"AWS": "*"}), json!(WEB), sub_eq.clone()), T),
        (
            stmt(
                json!({"Federated": ["accounts.google.com", provider()]}),
                json!(WEB),
                sub_eq.clone(),
            ),
            T,
        ),
        // Placeholders in partition/account do not matter, in the issuer they might.
        (
            stmt(
                json!({"Federated": {"!Sub": format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:oidc-provider/{ISSUER}")}}),
                json!(WEB),
                sub_eq.clone(),
            ),
            T,
        ),
        (
            stmt(
                json!({"Federated": {"!Sub": "arn:aws:iam::1:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/ABC"}}),
                json!(WEB),
                sub_eq.clone(),
            ),
            U,
        ),
        (
            stmt(
                json!({"Federated": {"!Sub": "arn:aws:iam::1:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/XYZ"}}),
                json!(WEB),
                sub_eq.clone(),
            ),
            F,
        ),
        (
            stmt(
                json!({"Federated": {"!Ref": "ProviderArn"}}),
                json!(WEB),
                sub_eq.clone(),
            ),
            U,
        ),
        // A key for another issuer is absent: plain operators fail, negated ones pass.
        (
            stmt(
                fed.clone(),
                json!(WEB),
                json!({"StringEquals": {format!("{other}:sub"): sa}}),
            ),
            F,
        ),
        (
            stmt(
                fed.clone(),
                json!(WEB),
                json!({"StringNotEquals": {format!("{other}:sub"): "x"}}),
            ),
            T,
        ),
        (
            stmt(
                fed.clone(),
                json!(WEB),
                json!({"StringEqualsIfExists": {format!("{ISSUER}:azp"): "x"}}),
            ),
            T,
        ),
        (
            stmt(
                fed.clone(),
                json!(WEB),
                json!({"Null": {format!("{ISSUER}:amr"): "true"}}),
            ),
            T,
        ),
        // Global keys are unknown in a web-identity request.
        (
            stmt(
                fed.clone(),
                json!(WEB),
                json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
            ),
            U,
        ),
        // Key names ignore case, also for issuer-prefixed keys.
        (
            stmt(
                fed.clone(),
                json!(WEB),
                json!({"StringEquals": {format!("{}:SUB", ISSUER.to_uppercase()): sa}}),
            ),
            T,
        ),
        // A statement with an invalid effect admits nothing on its own.
        (
            json!([{"Effect": "allow", "Principal": fed.clone(), "Action": WEB}]),
            F,
        ),
    ];
    for (statements, want) in cases {
        let (got, _, _) = admits(statements.clone(), sa, sts);
        assert_eq!(got, want, "{statements}");
    }
    let both = json!([
        {"Effect": "Allow", "Principal": fed.clone(), "Action": WEB},
        {"Effect": "allow", "Principal": fed, "Action": WEB}
    ]);
    assert_eq!(admits(both, sa, sts), (U, Some(1), vec![]));
}

#[test]
fn statement_admits_needs_allow() {
    let n = node(&json!({"Statement": [
        irsa("Allow", "StringEquals", json!("s")),
        irsa("Deny", "StringEquals", json!("s"))
    ]}));
    let p = Policy::parse(&n, Substitutions::none());
    let ctx = Context::web_identity(ISSUER, "s", "sts.amazonaws.com");
    assert_eq!(statement_admits(&p.statements[0], WEB, ISSUER, &ctx), T);
    assert_eq!(statement_admits(&p.statements[1], WEB, ISSUER, &ctx), F);
    let v = eval_statement(&p.statements[1], WEB, ISSUER, &ctx);
    assert_eq!(
        (v.action, v.principal, v.conditions, v.applies),
        (T, T, T, T)
    );
    assert_eq!(v.keys.len(), 2);
    assert_eq!(v.failed().count(), 0);
}

#[test]
fn context_defaults() {
    let c = Context::web_identity(ISSUER, "s", "a");
    assert_eq!(c.get(&format!("{ISSUER}:SUB")), &known(&["s"]));
    assert_eq!(c.get(&format!("{ISSUER}:azp")), &CtxValue::Absent);
    assert_eq!(c.get("other.example.com:sub"), &CtxValue::Absent);
    assert_eq!(c.get("aws:SourceIp"), &CtxValue::Unknown);
    let mut c = Context::new(CtxValue::Unknown);
    c.set_claim_default(CtxValue::Absent);
    assert_eq!(c.get("x.example.com:aud"), &CtxValue::Absent);
    assert_eq!(c.get("sts:RoleSessionName"), &CtxValue::Unknown);
}

#[test]
fn a_key_written_with_the_providers_own_unknown_issuer_is_that_providers_key() {
    // eksctl writes the cluster's issuer id as one placeholder in the provider ARN and in the
    // condition keys: one expression, one value, so the keys are the provider's own.
    let issuer = "oidc.eks.eu-west-1.amazonaws.com/id/${EKSCTL_CLUSTER_OIDC_ID}";
    let trust = |key_issuer: &str| {
        node(&json!({"Statement": {
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::111122223333:oidc-provider/{issuer}")},
            "Action": WEB,
            "Condition": {"StringEquals": {
                format!("{key_issuer}:sub"): "system:serviceaccount:apps:api",
                format!("{key_issuer}:aud"): "sts.amazonaws.com"
            }}
        }}))
    };
    let subs = Substitutions {
        template: true,
        ..Substitutions::default()
    };
    let verdict = |key_issuer: &str, sa: &str| {
        let n = trust(key_issuer);
        let p = Policy::parse(&n, &subs);
        assert!(
            p.statements[0].condition.as_ref().unwrap().blocks[0].keys[0]
                .name
                .unresolved
        );
        let ctx = Context::web_identity(issuer, sa, "sts.amazonaws.com");
        trust_admits(&p, WEB, issuer, &ctx).result
    };
    assert_eq!(verdict(issuer, "system:serviceaccount:apps:api"), T);
    assert_eq!(verdict(issuer, "system:serviceaccount:apps:web"), F);
    // Another unknown issuer in the key may or may not be the provider's.
    let other = "oidc.eks.eu-west-1.amazonaws.com/id/${OTHER}";
    assert_eq!(verdict(other, "system:serviceaccount:apps:api"), U);
    assert_eq!(verdict(other, "system:serviceaccount:apps:web"), U);
}

/// `permission_allows` of a policy with `statements` for each (action, resources).
fn allows(statements: J, asks: &[(&str, Resources<'_>)]) -> Vec<Tri> {
    let n = node(&json!({"Version": "2012-10-17", "Statement": statements}));
    let p = Policy::parse(&n, Substitutions::none());
    asks.iter()
        .map(|(a, r)| permission_allows(&p, a, *r))
        .collect()
}

#[test]
fn a_boundary_allows_what_its_values_cover() {
    use Resources::{Every as E, Some as S};
    let bucket =
        json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"}]);
    assert_eq!(
        allows(
            bucket,
            &[
                ("*", E("*")),
                ("s3:*", E("*")),
                ("s3:*", S("*")),
                ("s3:PutObject", E("*")),
                ("s3:PutObject", S("*")),
                ("s3:PutObject", E("arn:aws:s3:::reports/*")),
                ("S3:putobject", E("arn:aws:s3:::reports/a")),
                ("s3:PutObject", S("arn:aws:s3:::other/*")),
                ("s3:PutObject", S("arn:aws:s3:::reports/a")),
                ("sqs:SendMessage", S("*")),
            ]
        ),
        [F, F, T, F, T, T, T, F, T, F]
    );
    // A narrower action pattern does not cover the service's every action.
    let get = json!([{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]);
    assert_eq!(
        allows(get, &[("s3:*", S("*")), ("s3:GetObject", E("*"))]),
        [F, T]
    );
}

#[test]
fn a_boundary_deny_wins_when_it_covers_the_question() {
    use Resources::{Every as E, Some as S};
    let stmts = json!([
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "iam:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::prod"}
    ]);
    assert_eq!(
        allows(
            stmts,
            &[
                ("iam:PutRolePolicy", S("*")),
                ("iam:*", E("*")),
                // A Deny of part of the question leaves the rest allowed.
                ("*", E("*")),
                ("s3:DeleteBucket", S("*")),
                ("s3:DeleteBucket", E("arn:aws:s3:::prod")),
            ]
        ),
        [F, F, T, T, F]
    );
    // A conditional Deny may or may not apply.
    let cond = json!([
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}
    ]);
    assert_eq!(allows(cond, &[("s3:GetObject", E("*"))]), [U]);
}

#[test]
fn a_boundary_not_action_covers_what_it_cannot_meet() {
    use Resources::{Every as E, Some as S};
    let stmts = json!([{"Effect": "Allow", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}]);
    assert_eq!(
        allows(
            stmts,
            &[
                ("*", E("*")),
                ("s3:*", S("*")),
                ("iam:PassRole", S("*")),
                ("ec2:RunInstances", E("*")),
            ]
        ),
        [F, T, F, T]
    );
    let not_res =
        json!([{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}]);
    assert_eq!(
        allows(
            not_res,
            &[
                ("s3:GetObject", E("*")),
                ("s3:GetObject", S("*")),
                ("s3:GetObject", E("arn:aws:s3:::secret/a")),
                ("s3:GetObject", S("arn:aws:s3:::public/a")),
            ]
        ),
        [F, T, F, T]
    );
}

/// What IAM would reject or the files leave open is unknown, never a silent `False`.
#[test]
fn a_boundary_the_files_do_not_decide_is_unknown() {
    use Resources::Every as E;
    // No Resource, a principal, an invalid effect, a condition.
    for stmt in [
        json!({"Effect": "Allow", "Action": "*"}),
        json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": "*"}),
        json!({"Effect": "allow", "Action": "*", "Resource": "*"}),
        json!({"Effect": "Allow", "Action": "*", "Resource": "*",
               "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
        json!({"Effect": "Allow", "Action": "*", "Resource": {"!Ref": "Arn"}}),
    ] {
        assert_eq!(
            allows(json!([stmt.clone()]), &[("*", E("*"))]),
            [U],
            "{stmt}"
        );
    }
    // A malformed policy: a statement that is no mapping.
    assert_eq!(
        allows(
            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}, "x"]),
            &[("*", E("*"))]
        ),
        [U]
    );
    // Nothing applies: not allowed.
    assert_eq!(allows(json!([]), &[("*", E("*"))]), [F]);
}

#[test]
fn wildcard_patterns_meet() {
    let cases = [
        ("iam:*", "*", T),
        ("*", "iam:*", T),
        ("iam:*", "s3:*", F),
        ("s3:Get*", "s3:*Object", T),
        ("s3:*Bucket", "s3:*Object", U),
        ("s3:?et*", "s3:*", U),
        ("s3:GetObject", "s3:Get*", T),
        ("s3:Get*", "s3:PutObject", F),
        ("IAM:*", "iam:Pass*", T),
        ("arn:aws:s3:::a/*", "arn:aws:s3:::b/*", F),
    ];
    for (a, b, want) in cases {
        assert_eq!(patterns_meet(a, b, true), want, "{a} {b}");
    }
    assert_eq!(
        patterns_meet("arn:aws:s3:::A/*", "arn:aws:s3:::a/*", false),
        F
    );
}

#[test]
fn claims_sts_does_not_keep_in_the_session() {
    let eks = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
    let cases = [
        (format!("{eks}:azp"), true),
        (format!("{eks}:sub"), false),
        (format!("{eks}:aud"), false),
        (format!("{eks}:AMR"), false),
        ("accounts.google.com:oaud".to_string(), true),
        ("accounts.google.com:sub".to_string(), false),
        ("graph.facebook.com:app_id".to_string(), false),
        ("graph.facebook.com:id".to_string(), false),
        ("www.amazon.com:user_id".to_string(), false),
        ("cognito-identity.amazonaws.com:amr".to_string(), false),
        (
            "token.actions.githubusercontent.com:repository".to_string(),
            true,
        ),
        // Global and service keys: no host before the colon.
        ("aws:PrincipalTag/team".to_string(), false),
        ("aws:RequestTag/kubernetes.io:cluster".to_string(), false),
        ("ec2:ResourceTag/app.kubernetes.io/name".to_string(), false),
        ("sts:RoleSessionName".to_string(), false),
        // Not a provider key as IAM names them.
        ("https://oidc.example.com:azp".to_string(), false),
        ("oidc.example.com:".to_string(), false),
        ("oidc.example.com".to_string(), false),
        ("oidc.example.com:a/b".to_string(), false),
        ("oidc.example.com:a:b".to_string(), false),
    ];
    for (key, want) in cases {
        assert_eq!(claim_absent_from_sessions(&key), want, "{key}");
    }
}

/// The key [`never_applies_key`] finds in a statement with `condition`, by name.
fn never_applies(condition: J, subs: &Substitutions) -> Option<String> {
    let n = node(&json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*", "Condition": condition}
    ]}));
    let p = Policy::parse(&n, subs);
    never_applies_key(p.statements[0].condition.as_ref())
        .map(|(b, k)| format!("{} {}", b.raw, k.name.value))
}

#[test]
fn conditions_that_never_hold_in_a_session() {
    let none = Substitutions::none();
    let azp = "oidc.eks.eu-west-1.amazonaws.com/id/ABC:azp";
    let sub = "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub";
    let one = |op: &str, v: &str| never_applies(json!({op: {azp: v}}), none);
    // False on a missing key: the statement never applies.
    assert_eq!(
        one("StringEquals", "x"),
        Some(format!("StringEquals {azp}"))
    );
    assert_eq!(
        one("StringLike", "*").as_deref().map(|s| &s[..10]),
        Some("StringLike")
    );
    assert!(one("ForAnyValue:StringEquals", "x").is_some());
    assert!(one("Null", "false").is_some());
    // True on a missing key: nothing decided.
    assert_eq!(one("StringEqualsIfExists", "x"), None);
    assert_eq!(one("StringNotEquals", "x"), None);
    assert_eq!(one("ForAllValues:StringEquals", "x"), None);
    assert_eq!(one("Null", "true"), None);
    // An operator IAM rejects: nothing decided.
    assert_eq!(one("StringEqualz", "x"), None);
    // A key STS keeps in the session: it may hold.
    assert_eq!(
        never_applies(json!({"StringEquals": {sub: "x"}}), none),
        None
    );
    // One such key among others decides, in any block.
    assert_eq!(
        never_applies(
            json!({"StringEquals": {sub: "x"}, "StringLike": {"aws:PrincipalTag/t": "a", azp: "b"}}),
            none
        ),
        Some(format!("StringLike {azp}"))
    );
    // A key whose name the files do not fix.
    let template = Substitutions {
        template: true,
        ..Default::default()
    };
    assert_eq!(
        never_applies(
            json!({"StringEquals": {"oidc.eks.${Region}.amazonaws.com/id/ABC:azp": "x"}}),
            &template
        ),
        None
    );
    assert_eq!(
        never_applies(json!({"StringEquals": {azp: "x"}}), &template),
        Some(format!("StringEquals {azp}"))
    );
    // A malformed condition or block: IAM rejects the policy.
    assert_eq!(never_applies(json!(["StringEquals"]), none), None);
    assert_eq!(never_applies(json!({"StringEquals": [azp]}), none), None);
    assert_eq!(
        never_applies(json!({"StringEquals": {"Fn::GetAtt": ["X", "Y"]}}), none),
        None
    );
    // No condition.
    assert_eq!(
        never_applies_key(None).map(|(_, k)| k.name.value.to_string()),
        None
    );
}

#[test]
fn a_boundary_statement_that_never_applies_allows_nothing() {
    use Resources::Every as E;
    let azp = "oidc.eks.eu-west-1.amazonaws.com/id/ABC:azp";
    let allow =
        |cond: J| json!([{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": cond}]);
    assert_eq!(
        allows(
            allow(json!({"StringEquals": {azp: "x"}})),
            &[("s3:*", E("*"))]
        ),
        [F]
    );
    assert_eq!(
        allows(
            allow(json!({"StringEqualsIfExists": {azp: "x"}})),
            &[("s3:*", E("*"))]
        ),
        [U]
    );
    // A Deny that never applies denies nothing.
    let deny = json!([
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {azp: "x"}}}
    ]);
    assert_eq!(allows(deny, &[("s3:*", E("*"))]), [T]);
}
