//! aws-ia/eks-blueprints-addon, as released in v1.1.1
//! (aws-ia/terraform-aws-eks-blueprints-addon:main.tf@v1.1.1, variables.tf, outputs.tf):
//!
//! - a role only with `create` (default `true`) and `create_role` (default `false`);
//! - one trust statement per `oidc_providers` entry: `sts:AssumeRoleWithWebIdentity` from
//!   `provider_arn`, with `assume_role_condition_test` (default `StringEquals`) on
//!   `<issuer>:sub` = `system:serviceaccount:<namespace>:<service_account>` — the entry's
//!   `namespace`, else the release's `namespace`, else `default` — and on `<issuer>:aud` =
//!   `sts.amazonaws.com`; other keys of the entry are never read;
//! - before those, the `trust_policy_statements` (`aws_iam_policy_document` statements, their
//!   conditions under `condition`), an input added after v1.1.1
//!   (aws-ia/terraform-aws-eks-blueprints-addon:main.tf@0f109f7, #43; eks-blueprints-addons
//!   passes it, `null` by default, with `version = "1.3.0"`): a call that gives it uses a
//!   release that reads it;
//! - the role: `role_name` else `name`, as a prefix `<name>-` unless
//!   `role_name_use_prefix = false`, `role_path` (default `/`);
//! - `role_policies` (a map) → `aws_iam_role_policy_attachment.additional[key]`;
//! - `data.aws_iam_policy_document.this`: `source_policy_documents`, `policy_statements`
//!   and `override_policy_documents` merged as the provider merges them
//!   ([`super::merged_document`]; a document only apply renders leaves the policy unknown) →
//!   `aws_iam_policy.this[0]` and `aws_iam_role_policy_attachment.this[0]`, when the three
//!   hold something (`length(local.perms) > 0`) and `create_policy` (default `true`); the
//!   documents are usually `data.aws_iam_policy_document.x[*].json`, whose statements keep
//!   the positions of the data source's blocks;
//! - `helm_release.this[0]` with `create` and `create_release` (default `true`), role or
//!   not: named `coalesce(name, chart)`, in `coalesce(namespace, "default")`, with `chart`,
//!   `chart_version`, `values`, `set`, `set_sensitive`, and when the role is created one
//!   `set` per `set_irsa_names` path (after the user's, `toset` of them) whose value is
//!   the role's ARN (`aws_iam_role.this[0].arn`, unknown, at the path the user wrote). The
//!   ServiceAccount of the chart that path annotates is linked to the role by
//!   `resources::derive` as for any `helm_release` (`charts.rs` for the names of known
//!   charts); an unknown `set` or `set_irsa_names` is a `set` whose path is unknown, so the
//!   chart's accounts are not guessed.

use super::{
    arg, attachments, document, entry, iam_statement, is_unknown, map, may_create, name_or_prefix,
    resource, role_resource, self_assume_statement, seq, str_node, string_or, unknown, Expansion,
    ModuleCall,
};
use crate::source::file::Span;
use crate::source::node::Node;
use crate::terraform::Resource;

pub const MODEL: &str = "aws-ia/eks-blueprints-addon/aws v1.1.1";

const PROVIDER_KEYS: &[&str] = &["provider_arn", "service_account", "namespace"];

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let (mut out, providers) = Expansion::with_providers(call, MODEL, PROVIDER_KEYS);
    if !may_create(call, "create", true) {
        return out;
    }
    let role = may_create(call, "create_role", false);
    if role {
        role_and_policy(call, providers, &mut out);
    }
    if may_create(call, "create_release", true) {
        out.resources.push(release(call, role));
    }
    out
}

/// `aws_iam_role.this[0]`, its attachments, and `aws_iam_policy.this[0]` with its own.
fn role_and_policy(call: &ModuleCall<'_>, providers: Option<&Node>, out: &mut Expansion) {
    let test = arg(call, "assume_role_condition_test")
        .cloned()
        .unwrap_or_else(|| str_node("StringEquals", call.anchor));
    // `coalesce(var.role_name, var.name)`.
    let base = arg(call, "role_name")
        .filter(|n| n.as_str() != Some(""))
        .or_else(|| arg(call, "name"))
        .cloned()
        .unwrap_or_else(|| str_node("", call.anchor));
    let (name, prefix) = name_or_prefix(call, base, "role_name_use_prefix");
    let path = string_or(call, "role_path", Some("/"));
    // The release's namespace, `default` when not given.
    let release_ns = arg(call, "namespace").filter(|n| n.as_str() != Some(""));
    // `trust_policy_statements` (after v1.1.1: see the module doc).
    let extra = arg(call, "trust_policy_statements");
    let trust = match providers.into_iter().chain(extra).find(|n| is_unknown(n)) {
        Some(p) => unknown(
            format!("{}.aws_iam_role.this[0].assume_role_policy", call.address),
            p.span,
        ),
        None => {
            let mut statements: Vec<Node> = extra
                .map_or(&[][..], Node::items)
                .iter()
                .map(|st| iam_statement(st, None, "condition"))
                .collect();
            statements.extend(self_assume_statement(call, (&name, &prefix), &path));
            for e in providers.map(|p| p.entries()).unwrap_or(&[]) {
                let (Some(arn), Some(sa)) =
                    (e.value.get("provider_arn"), e.value.get("service_account"))
                else {
                    continue;
                };
                let ns = e.value.get("namespace").or(release_ns);
                let sub = match (ns, sa.as_str().filter(|_| !is_unknown(sa))) {
                    (Some(ns), Some(sa_name)) if ns.as_str().is_some() && !is_unknown(ns) => {
                        str_node(
                            format!(
                                "system:serviceaccount:{}:{sa_name}",
                                ns.as_str().unwrap_or("")
                            ),
                            sa.span,
                        )
                    }
                    // The fallback the module writes: namespace `default`.
                    (None, Some(sa_name)) => {
                        str_node(format!("system:serviceaccount:default:{sa_name}"), sa.span)
                    }
                    _ => unknown(
                        format!(
                            "system:serviceaccount:{}:{}",
                            ns.and_then(Node::as_str).unwrap_or("default"),
                            sa.as_str().unwrap_or("")
                        ),
                        sa.span,
                    ),
                };
                statements.push(super::sub_and_aud_statement(
                    arn,
                    &test,
                    vec![sub],
                    e.key.span,
                ));
            }
            document(statements, providers.map_or(call.anchor, |p| p.span))
        }
    };
    out.resources.push(role_resource(
        call,
        MODEL,
        (name.clone(), prefix),
        path,
        trust,
        "role_permissions_boundary_arn",
    ));
    out.resources.extend(attachments(
        call,
        MODEL,
        "role_policies",
        "additional",
        &name,
    ));
    // `create_policy && length(local.perms) > 0`: the merged document of the sources, the
    // statements and the overrides. An unknown `create_policy` may create the policy (see
    // `super::may_create`): the user's statements are judged as written.
    if may_create(call, "create_policy", true) {
        if let Some(policy) = super::merged_document(call, "this", "conditions") {
            out.resources.push(resource(
                call,
                MODEL,
                "aws_iam_policy",
                "this",
                "[0]",
                vec![entry("policy", policy)],
            ));
            out.resources
                .push(super::own_policy_attachment(call, MODEL, &name));
        }
    }
}

/// `helm_release.this[0]`: named `coalesce(name, chart)`, in `coalesce(namespace,
/// "default")`, with the user's `chart`, `values`, `set` and `set_sensitive`, and, when the
/// role is created, one `set` per `set_irsa_names` path whose value is the role's ARN (after
/// the user's `set`s, so it wins over one of the same path). The chart's ServiceAccount that
/// path annotates is then linked to the role by `resources::derive`, as for any release.
fn release(call: &ModuleCall<'_>, role: bool) -> Resource {
    let given = |k: &str| arg(call, k).filter(|n| n.as_str() != Some(""));
    let name = given("name")
        .or_else(|| given("chart"))
        .cloned()
        .unwrap_or_else(|| str_node("", call.anchor));
    let namespace = given("namespace")
        .cloned()
        .unwrap_or_else(|| str_node("default", call.anchor));
    let mut body = vec![entry("name", name), entry("namespace", namespace)];
    for (input, attr) in [
        ("chart", "chart"),
        ("chart_version", "version"),
        ("values", "values"),
    ] {
        if let Some(n) = arg(call, input) {
            body.push(entry(attr, n.clone()));
        }
    }
    // A `set` only apply knows may set any path: one entry whose path is unknown says so.
    let unknown_path = |n: &Node| map(vec![entry("name", n.clone())], n.span);
    let mut sets: Vec<Node> = match arg(call, "set") {
        Some(s) if is_unknown(s) => vec![unknown_path(s)],
        Some(s) => s.items().to_vec(),
        None => Vec::new(),
    };
    if role {
        let arn = |at: Span| unknown(format!("{}.aws_iam_role.this[0].arn", call.address), at);
        // An unknown list is one item (`Node::items`): a `set` whose path is unknown.
        let names = arg(call, "set_irsa_names").map_or(&[][..], Node::items);
        sets.extend(names.iter().map(|n| {
            map(
                vec![entry("name", n.clone()), entry("value", arn(n.span))],
                n.span,
            )
        }));
    }
    let at = arg(call, "set").map_or(call.anchor, |s| s.span);
    body.push(entry("set", seq(sets, at)));
    if let Some(n) = arg(call, "set_sensitive") {
        body.push(entry("set_sensitive", n.clone()));
    }
    resource(call, MODEL, "helm_release", "this", "[0]", body)
}

#[cfg(test)]
mod tests {
    use super::super::expand;
    use super::super::test_support::{args, at, call, conditions, trust};
    use crate::source::node::Node;

    const SOURCE: &str = "aws-ia/eks-blueprints-addon/aws";

    #[test]
    fn the_namespace_falls_back_to_the_release_then_default() {
        let text = r#"name: external-dns
create_role: true
oidc_providers:
  this:
    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC
    service_account: external-dns
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let c = conditions(text, trust(&e), 0);
        assert_eq!(
            (c[0].2.as_str(), c[0].3.as_str()),
            ("system:serviceaccount:default:external-dns", "6:22")
        );
        assert_eq!(
            e.resources[0]
                .body
                .get("name_prefix")
                .and_then(|n| n.as_str()),
            Some("external-dns-")
        );

        // Known: the module's fallback, not a value only apply knows.
        assert!(!super::is_unknown(sub(&e)));

        let text = format!("namespace: dns\n{text}");
        let a = args(&text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            conditions(&text, trust(&e), 0)[0].2,
            "system:serviceaccount:dns:external-dns"
        );
    }

    /// The `sub` value of the first condition of the first statement.
    fn sub(e: &super::super::Expansion) -> &Node {
        let st = &trust(e).get("Statement").unwrap().items()[0];
        &st.get("Condition").unwrap().entries()[0].value.entries()[0].value
    }

    /// A namespace only apply knows makes the `sub` unknown; an `oidc_providers` map only
    /// apply knows makes the whole trust unknown, named by the role's attribute.
    #[test]
    fn unknown_namespaces_and_providers_stay_unknown() {
        let text = "create_role: true\nnamespace: !Unknown var.ns\noidc_providers:\n  this:\n    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC\n    service_account: external-dns\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(super::is_unknown(sub(&e)));
        assert_eq!(
            sub(&e).as_str(),
            Some("system:serviceaccount:var.ns:external-dns")
        );
        let text = "create_role: true\noidc_providers: !Unknown var.providers\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(super::is_unknown(trust(&e)));
        assert_eq!(
            trust(&e).as_str(),
            Some("module.irsa.aws_iam_role.this[0].assume_role_policy")
        );
    }

    /// `trust_policy_statements` come first in the trust, conditions under `condition` (the
    /// object type drops any other key); unknown ones make the trust unknown.
    #[test]
    fn trust_policy_statements_come_first() {
        let text = format!(
            r#"{ROLE}trust_policy_statements:
  - sid: Ci
    actions: ["sts:AssumeRole"]
    principals:
      - type: AWS
        identifiers: ["arn:aws:iam::111122223333:role/ci"]
    condition:
      - test: StringEquals
        variable: aws:PrincipalTag/team
        values: ["platform"]
    conditions:
      - test: Bool
        variable: aws:MultiFactorAuthPresent
        values: ["true"]
"#
        );
        let a = args(&text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let sts = trust(&e).get("Statement").unwrap().items();
        assert_eq!(sts.len(), 2);
        assert_eq!(sts[0].get("Sid").and_then(Node::as_str), Some("Ci"));
        assert_eq!(at(&text, sts[0].span), "7:5");
        assert_eq!(
            conditions(&text, trust(&e), 0),
            [(
                "StringEquals".to_string(),
                "aws:PrincipalTag/team".to_string(),
                "platform".to_string(),
                "15:18".to_string()
            )]
        );
        assert_eq!(
            conditions(&text, trust(&e), 1)[0].2,
            "system:serviceaccount:default:external-dns"
        );
        let text = format!("{ROLE}trust_policy_statements: !Unknown var.extra\n");
        let a = args(&text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(super::is_unknown(trust(&e)));
    }

    /// `coalesce(var.role_name, var.name)`: an empty `role_name` is skipped.
    #[test]
    fn the_role_is_named_by_role_name_else_name() {
        let prefix = |text: &str| {
            let a = args(text);
            let e = expand(&call(SOURCE, &a)).unwrap();
            e.resources[0]
                .body
                .get("name_prefix")
                .and_then(Node::as_str)
                .map(str::to_string)
        };
        assert_eq!(
            prefix("create_role: true\nname: dns\nrole_name: external-dns\n").as_deref(),
            Some("external-dns-")
        );
        assert_eq!(
            prefix("create_role: true\nname: dns\nrole_name: \"\"\n").as_deref(),
            Some("dns-")
        );
    }

    #[test]
    fn a_misspelt_namespace_key_is_ignored_and_the_default_used() {
        let text = r#"create_role: true
namespace: dns
oidc_providers:
  this:
    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC
    service_account: external-dns
    namespaces: external-dns
policy_statements:
  - sid: Route53
    actions: ["route53:ChangeResourceRecordSets"]
    resources: ["arn:aws:route53:::hostedzone/*"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(e.ignored.len(), 1);
        assert_eq!(e.ignored[0].input, "oidc_providers.this.namespaces");
        assert_eq!(at(text, e.ignored[0].span), "7:5");
        assert_eq!(
            conditions(text, trust(&e), 0)[0].2,
            "system:serviceaccount:dns:external-dns"
        );
        let st = &e.resources[1]
            .body
            .path(&["policy", "Statement"])
            .unwrap()
            .items()[0];
        assert_eq!(st.get("Sid").and_then(|n| n.as_str()), Some("Route53"));
    }

    #[test]
    fn no_role_unless_create_role() {
        let text = "oidc_providers: {}\npolicy_statements:\n  - actions: [\"s3:*\"]\n    resources: [\"*\"]\n";
        let a = args(text);
        // Only the release, which `create_release` (default true) makes.
        assert_eq!(kinds(&expand(&call(SOURCE, &a)).unwrap()), ["helm_release"]);
    }

    fn kinds(e: &super::super::Expansion) -> Vec<&str> {
        e.resources.iter().map(|r| r.kind.as_str()).collect()
    }

    fn policy(e: &super::super::Expansion) -> &Node {
        e.resources
            .iter()
            .find(|r| r.kind == "aws_iam_policy")
            .and_then(|r| r.body.get("policy"))
            .expect("a policy")
    }

    /// `(Sid, first action, line:col of the statement)` of each statement of `doc`.
    fn statements(text: &str, doc: &Node) -> Vec<(String, String, String)> {
        doc.get("Statement")
            .unwrap()
            .items()
            .iter()
            .map(|st| {
                (
                    st.get("Sid")
                        .and_then(Node::as_str)
                        .unwrap_or("")
                        .to_string(),
                    st.get("Action")
                        .map(|a| a.items()[0].as_str().unwrap_or("").to_string())
                        .unwrap_or_default(),
                    at(text, st.span),
                )
            })
            .collect()
    }

    const ROLE: &str = r#"create_role: true
oidc_providers:
  this:
    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC
    service_account: external-dns
"#;

    /// `aws_iam_policy_document.this` at v1.1.1: `source_policy_documents`, then
    /// `policy_statements` (a Sid replaces a source's), then `override_policy_documents`
    /// (a Sid replaces any earlier one, no Sid is appended); each statement keeps the
    /// position the user wrote it at.
    #[test]
    fn policy_documents_merge_as_the_provider_does() {
        let text = format!(
            r#"{ROLE}source_policy_documents:
  - Statement:
      - Sid: Zones
        Effect: Allow
        Action: ["route53:ChangeResourceRecordSets"]
        Resource: ["*"]
      - Effect: Allow
        Action: ["route53:ListHostedZones"]
        Resource: ["*"]
policy_statements:
  - sid: Zones
    actions: ["route53:ListResourceRecordSets"]
    resources: ["*"]
override_policy_documents:
  - Statement:
      - Sid: Zones
        Effect: Allow
        Action: ["route53:GetChange"]
        Resource: ["*"]
      - Effect: Allow
        Action: ["route53:ListTagsForResource"]
        Resource: ["*"]
"#
        );
        let a = args(&text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            kinds(&e),
            [
                "aws_iam_role",
                "aws_iam_policy",
                "aws_iam_role_policy_attachment",
                "helm_release"
            ]
        );
        assert_eq!(
            statements(&text, policy(&e)),
            [
                ("Zones".into(), "route53:GetChange".into(), "21:9".into()),
                ("".into(), "route53:ListHostedZones".into(), "12:9".into()),
                (
                    "".into(),
                    "route53:ListTagsForResource".into(),
                    "25:9".into()
                ),
            ]
        );
    }

    #[test]
    fn source_documents_alone_make_the_policy() {
        let text = format!(
            "{ROLE}source_policy_documents:\n  - Statement:\n      - Effect: Allow\n        Action: [\"route53:ListHostedZones\"]\n        Resource: [\"*\"]\n"
        );
        let a = args(&text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            statements(&text, policy(&e)),
            [("".into(), "route53:ListHostedZones".into(), "8:9".into())]
        );
        // The module's own attachment of it to the role.
        assert!(e
            .resources
            .iter()
            .any(|r| r.address == "module.irsa.aws_iam_role_policy_attachment.this[0]"));
        // `create_policy = false`: no policy.
        let off = format!("create_policy: false\n{text}");
        let a = args(&off);
        assert_eq!(
            kinds(&expand(&call(SOURCE, &a)).unwrap()),
            ["aws_iam_role", "helm_release"]
        );
        // Nothing to merge (empty lists, as eks-blueprints-addons passes them): no policy.
        let empty = format!(
            "{ROLE}source_policy_documents: []\noverride_policy_documents: []\npolicy_statements: []\n"
        );
        let a = args(&empty);
        assert_eq!(
            kinds(&expand(&call(SOURCE, &a)).unwrap()),
            ["aws_iam_role", "helm_release"]
        );
    }

    /// A document only apply renders may hold any statement (and replace the others by
    /// Sid): the policy is unknown, not empty.
    #[test]
    fn an_unknown_document_leaves_the_policy_unknown() {
        for docs in [
            "source_policy_documents:\n  - !Unknown data.aws_iam_policy_document.x.json\n",
            "source_policy_documents: !Unknown data.aws_iam_policy_document.x[*].json\n",
            "override_policy_documents:\n  - !Unknown var.extra\n",
        ] {
            let text = format!(
                "{ROLE}{docs}policy_statements:\n  - actions: [\"s3:GetObject\"]\n    resources: [\"*\"]\n"
            );
            let a = args(&text);
            let e = expand(&call(SOURCE, &a)).unwrap();
            let p = policy(&e);
            assert!(super::is_unknown(p), "{docs}: {p:?}");
            assert_eq!(
                p.as_str(),
                Some("module.irsa.data.aws_iam_policy_document.this[0].json"),
                "{docs}"
            );
        }
    }

    fn release(e: &super::super::Expansion) -> &Node {
        &e.resources
            .iter()
            .find(|r| r.address == "module.irsa.helm_release.this[0]")
            .expect("the release")
            .body
    }

    /// `(name, value, line:col of the value)` of each `set` of the release.
    fn sets(text: &str, release: &Node) -> Vec<(String, String, String)> {
        release
            .get("set")
            .unwrap()
            .items()
            .iter()
            .map(|s| {
                let v = s.get("value");
                (
                    s.get("name")
                        .and_then(Node::as_str)
                        .unwrap_or("")
                        .to_string(),
                    v.and_then(Node::as_str).unwrap_or("").to_string(),
                    v.map(|v| at(text, v.span)).unwrap_or_default(),
                )
            })
            .collect()
    }

    /// `helm_release.this`: `set_irsa_names` paths get the role's ARN after the user's own
    /// `set`s; the release is named by `name`, else `chart`, in `namespace`, else `default`.
    #[test]
    fn the_release_gets_the_role_arn_at_the_irsa_paths() {
        let text = format!(
            r#"{ROLE}chart: external-dns
namespace: external-dns
values: ["provider: aws"]
set:
  - name: serviceAccount.name
    value: external-dns
set_irsa_names: ['serviceAccount.annotations.eks\.amazonaws\.com/role-arn']
"#
        );
        let a = args(&text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let r = release(&e);
        let get = |k: &str| r.get(k).and_then(Node::as_str).map(str::to_string);
        assert_eq!(get("name").as_deref(), Some("external-dns"));
        assert_eq!(at(&text, r.get("name").unwrap().span), "6:8");
        assert_eq!(get("namespace").as_deref(), Some("external-dns"));
        assert_eq!(get("chart").as_deref(), Some("external-dns"));
        assert_eq!(r.get("values").unwrap().items().len(), 1);
        assert_eq!(
            sets(&text, r),
            [
                (
                    "serviceAccount.name".into(),
                    "external-dns".into(),
                    "11:12".into()
                ),
                (
                    "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn".into(),
                    "module.irsa.aws_iam_role.this[0].arn".into(),
                    "12:18".into()
                ),
            ]
        );
        let arn = &r.get("set").unwrap().items()[1];
        assert!(super::is_unknown(arn.get("value").unwrap()));

        // The role not created: no ARN is set; the release stays.
        let off = text.replace("create_role: true", "create_role: false");
        let a = args(&off);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(kinds(&e), ["helm_release"]);
        assert_eq!(sets(&off, release(&e)).len(), 1);
    }

    #[test]
    fn the_release_name_and_namespace_defaults() {
        let text = format!("{ROLE}name: dns\nchart: external-dns\n");
        let a = args(&text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let r = release(&e);
        assert_eq!(r.get("name").and_then(Node::as_str), Some("dns"));
        assert_eq!(r.get("namespace").and_then(Node::as_str), Some("default"));
        assert!(sets(&text, r).is_empty());
        // `name = ""` and `namespace = ""` are coalesced away.
        let text = format!("{ROLE}name: \"\"\nnamespace: \"\"\nchart: external-dns\n");
        let a = args(&text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let r = release(&e);
        assert_eq!(r.get("name").and_then(Node::as_str), Some("external-dns"));
        assert_eq!(r.get("namespace").and_then(Node::as_str), Some("default"));
        // No release: `create_release = false`, or `create = false` (nothing at all).
        for off in ["create_release: false", "create: false"] {
            let text = format!("{off}\n{ROLE}chart: external-dns\n");
            let a = args(&text);
            let e = expand(&call(SOURCE, &a)).unwrap();
            assert!(
                !kinds(&e).contains(&"helm_release"),
                "{off}: {:?}",
                kinds(&e)
            );
            assert_eq!(kinds(&e).contains(&"aws_iam_role"), off != "create: false");
        }
    }

    /// Paths only apply knows (`set_irsa_names` or `set` unknown) may set anything: the
    /// release holds a `set` whose path is unknown, so the chart's accounts stay unknown.
    #[test]
    fn unknown_paths_are_kept_unknown() {
        for (input, value) in [
            ("set_irsa_names", "!Unknown var.paths"),
            ("set", "!Unknown var.set"),
        ] {
            let text = format!(
                "{ROLE}chart: external-dns\nset_irsa_names: [\"serviceAccount.annotations.eks\\\\.amazonaws\\\\.com/role-arn\"]\n"
            );
            let text = match input {
                "set" => format!("{text}set: {value}\n"),
                _ => text.replace(
                    "set_irsa_names: [\"serviceAccount.annotations.eks\\\\.amazonaws\\\\.com/role-arn\"]",
                    &format!("set_irsa_names: {value}"),
                ),
            };
            let a = args(&text);
            let e = expand(&call(SOURCE, &a)).unwrap();
            let s = release(&e).get("set").unwrap().items();
            assert!(
                s.iter()
                    .any(|it| it.get("name").is_some_and(super::is_unknown)),
                "{input}: {s:?}"
            );
            assert_eq!(
                crate::terraform::charts::accounts(release(&e), "eks.amazonaws.com/role-arn")
                    .map(|a| a.len()),
                Some(0),
                "{input}"
            );
        }
    }
}
