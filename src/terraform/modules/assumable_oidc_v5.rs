//! terraform-aws-modules/iam `modules/iam-assumable-role-with-oidc`, as released in v5.60.0
//! (terraform-aws-modules/terraform-aws-iam:modules/iam-assumable-role-with-oidc/main.tf@v5.60.0,
//! variables.tf, outputs.tf):
//!
//! - `create_role` defaults to `false`: without it nothing is created (an unknown one is
//!   "maybe created": see [`super::may_create`]);
//! - one statement per URL of `provider_urls` + `provider_url` (`https://` removed, empty
//!   and duplicate ones dropped), allowing `sts:AssumeRoleWithWebIdentity` and
//!   `sts:TagSession` to `arn:<partition>:iam::<aws_account_id or the caller's>:oidc-provider/<url>`;
//! - conditions only for what is given: `StringEquals` on `<url>:sub` for
//!   `oidc_fully_qualified_subjects`, `StringLike` on `<url>:sub` for
//!   `oidc_subjects_with_wildcards`, `StringLike` on `<url>:aud` for
//!   `oidc_fully_qualified_audiences`, and `provider_trust_policy_conditions` as written.
//!   Empty subject lists mean no `sub` condition at all;
//! - `role_policy_arns` (a list) → `aws_iam_role_policy_attachment.custom[i]`;
//!   `inline_policy_statements` → `aws_iam_role_policy.inline[0]`.

use super::{
    arg, attachments, document, entry, iam_statement, is_unknown, issuer_key, may_create, resource,
    role_resource, self_assume_statement, str_node, string_or, web_identity_statement, Cond,
    Expansion, ModuleCall,
};
use crate::source::node::Node;

pub const MODEL: &str =
    "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc v5.60.0";

/// The model of a call pinned to a release before v4.3.0, which has no
/// `oidc_fully_qualified_audiences` (terraform-aws-modules/terraform-aws-iam
/// modules/iam-assumable-role-with-oidc/variables.tf: absent at v4.2.0, present at v4.3.0).
/// Without audiences its trust is the one v5.60.0 generates (main.tf@v3.6.0: the same
/// `StringEquals`/`StringLike` `sub` conditions per URL), but `aud` cannot be asked of it.
pub const MODEL_BEFORE_AUDIENCES: &str =
    "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc v5.60.0 (a version before v4.3.0: no oidc_fully_qualified_audiences)";

/// Whether the call's `version` (or git `?ref=`) can only select a release before v4.3.0:
/// `3.6.0`, `= 4.2.0`, `~> 3.0` (any 3.x), `~> 4.2.0` (any 4.2.x). `~> 4.2` (any 4.x from
/// 4.2), a lower bound or a range may select a newer one, and no version selects the newest.
pub fn before_audiences(call: &ModuleCall<'_>) -> bool {
    super::pins_before(call, (4, 3))
}

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let model = if before_audiences(call) {
        MODEL_BEFORE_AUDIENCES
    } else {
        MODEL
    };
    let mut out = Expansion {
        model: model.into(),
        resources: Vec::new(),
        ignored: Vec::new(),
    };
    if !may_create(call, "create_role", false) {
        return out;
    }
    let name = string_or(call, "role_name", None);
    let prefix = string_or(call, "role_name_prefix", None);
    let path = string_or(call, "role_path", Some("/"));
    // The URLs, each with the node it comes from; duplicates once. A URL only apply knows
    // (or a `provider_urls` list only apply knows) is one statement whose issuer is
    // unknown, as the HCL reader keeps one template of a block whose `for_each` is unknown:
    // its conditions are known all the same (camptocamp/devops-stack-module-loki-stack
    // eks/main.tf@fb87844f: `provider_url = var.logs_storage.create_role ? trimprefix(...) : ""`,
    // no audience condition).
    let mut urls: Vec<(Option<String>, &Node)> = Vec::new();
    let listed = match arg(call, "provider_urls") {
        Some(n) if is_unknown(n) => std::slice::from_ref(n),
        Some(n) => n.items(),
        None => &[],
    };
    for n in listed.iter().chain(arg(call, "provider_url")) {
        if is_unknown(n) {
            urls.push((None, n));
            continue;
        }
        let Some(u) = n.as_str() else { continue };
        let u = u.replace("https://", "");
        if !u.is_empty() && !urls.iter().any(|(x, _)| x.as_deref() == Some(u.as_str())) {
            urls.push((Some(u), n));
        }
    }
    let account = arg(call, "aws_account_id")
        .and_then(|n| n.as_str().filter(|s| !s.is_empty() && !is_unknown(n)))
        .map_or("${account_id}".to_string(), str::to_string);
    let mut statements = Vec::new();
    statements.extend(self_assume_statement(call, (&name, &prefix), &path));
    for (url, node) in &urls {
        let fed = match url {
            Some(url) => {
                let mut fed = str_node(
                    format!("arn:${{partition}}:iam::{account}:oidc-provider/{url}"),
                    node.span,
                );
                // The partition (and account, unless given) come from data sources.
                fed.tag = "!Sub".into();
                fed
            }
            // The module writes the ARN around the URL whatever it is
            // (`arn:${partition}:iam::${account}:oidc-provider/${url}`): an issuer URL only
            // apply knows is still a provider ARN, not the URL itself.
            None => {
                let name = node.as_str().unwrap_or("provider_url").replace('}', "");
                let mut fed = str_node(
                    format!("arn:${{partition}}:iam::{account}:oidc-provider/${{{name}}}"),
                    node.span,
                );
                fed.tag = "!Sub".into();
                fed
            }
        };
        let key = |claim: &str| match url {
            Some(url) => str_node(format!("{url}:{claim}"), node.span),
            None => issuer_key(node, claim),
        };
        let mut conds = Vec::new();
        for (input, test, claim) in [
            ("oidc_fully_qualified_subjects", "StringEquals", "sub"),
            ("oidc_subjects_with_wildcards", "StringLike", "sub"),
            ("oidc_fully_qualified_audiences", "StringLike", "aud"),
        ] {
            let Some(values) = arg(call, input) else {
                continue;
            };
            if is_unknown(values) {
                conds.push(Cond {
                    test: str_node(test, values.span),
                    key: key(claim),
                    values: vec![values.clone()],
                });
                continue;
            }
            if values.items().is_empty() {
                continue;
            }
            conds.push(Cond {
                test: str_node(test, values.span),
                key: key(claim),
                values: values.items().to_vec(),
            });
        }
        for c in arg(call, "provider_trust_policy_conditions")
            .map(Node::items)
            .unwrap_or(&[])
        {
            if let (Some(t), Some(v), Some(vals)) =
                (c.get("test"), c.get("variable"), c.get("values"))
            {
                conds.push(Cond {
                    test: t.clone(),
                    key: v.clone(),
                    values: vals.items().to_vec(),
                });
            }
        }
        statements.push(web_identity_statement(
            &fed,
            &["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
            conds,
            node.span,
        ));
    }
    let trust = document(statements, call.anchor);
    out.resources.push(role_resource(
        call,
        model,
        (name.clone(), prefix),
        path,
        trust,
        "role_permissions_boundary_arn",
    ));
    out.resources.extend(attachments(
        call,
        model,
        "role_policy_arns",
        "custom",
        &name,
    ));
    if let Some(sts) = arg(call, "inline_policy_statements").filter(|s| !s.items().is_empty()) {
        let statements = sts
            .items()
            .iter()
            .map(|s| iam_statement(s, None, "conditions"))
            .collect();
        out.resources.push(resource(
            call,
            model,
            "aws_iam_role_policy",
            "inline",
            "[0]",
            vec![
                entry("role", super::role_name_ref(call, &name)),
                entry("policy", document(statements, sts.span)),
            ],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::expand;
    use super::super::test_support::{args, at, call, conditions, trust};

    const SOURCE: &str = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc";

    /// `oidc_fully_qualified_audiences` arrived in v4.3.0: a version that can only select an
    /// older release (ktg6/k8s-terraform-argocd-app pins `3.6.0`) gets the model that says so.
    #[test]
    fn versions_before_v4_3_have_no_audiences_input() {
        let a = args("create_role: true\n");
        for (version, before) in [
            (Some("3.6.0"), true),
            (Some("= 4.2.0"), true),
            (Some("v4.2.1"), true),
            (Some("~> 3.0"), true),
            (Some("~> 3"), true),
            (Some("~> 4.2.0"), true),
            (Some("4"), true),
            (Some("4.3.0"), false),
            (Some("~> 4.2"), false),
            (Some("~> 4.3.0"), false),
            (Some("~> 4.0"), false),
            (Some("~> 5.0"), false),
            (Some(">= 3.0"), false),
            (Some(">= 3.0, < 4.0"), false),
            (Some("5.60.0"), false),
            (Some(""), false),
            (None, false),
        ] {
            let c = super::super::ModuleCall {
                version,
                ..call(SOURCE, &a)
            };
            assert_eq!(super::before_audiences(&c), before, "{version:?}");
            let model = if before {
                super::MODEL_BEFORE_AUDIENCES
            } else {
                super::MODEL
            };
            assert_eq!(expand(&c).unwrap().model, model, "{version:?}");
        }
        let by_ref = "git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-assumable-role-with-oidc?ref=v3.6.0";
        assert!(super::before_audiences(&call(by_ref, &a)));
    }

    #[test]
    fn without_subjects_there_is_no_sub_condition_and_without_audiences_no_aud() {
        let text = r#"create_role: true
role_name: reader
provider_url: https://oidc.eks.eu-west-1.amazonaws.com/id/ABC
role_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let st = &trust(&e).get("Statement").unwrap().items()[0];
        assert!(st.get("Condition").is_none());
        let fed = st.path(&["Principal", "Federated"]).unwrap();
        assert_eq!(
            fed.as_str(),
            Some("arn:${partition}:iam::${account_id}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC")
        );
        assert_eq!(fed.tag.as_deref(), Some("!Sub"));
        assert_eq!(at(text, fed.span), "3:15");
        assert_eq!(
            e.resources[1].address,
            "module.irsa.aws_iam_role_policy_attachment.custom[0]"
        );
    }

    /// A URL only apply knows (`provider_url`, an element of `provider_urls`, or the whole
    /// list) is one statement whose issuer is unknown but whose conditions are known: the
    /// claim keys are `${<the unknown>}:sub` templates, at the URL's argument.
    #[test]
    fn an_unknown_url_is_one_statement_with_an_unknown_issuer() {
        for (urls, n) in [
            ("provider_url: !Unknown var.issuer\n", 1),
            ("provider_urls: [!Unknown var.issuer, oidc.eks.eu-west-1.amazonaws.com/id/ABC]\n", 2),
            ("provider_urls: !Unknown var.issuer\nprovider_url: oidc.eks.eu-west-1.amazonaws.com/id/ABC\n", 2),
        ] {
            let text = format!("create_role: true\n{urls}oidc_fully_qualified_subjects: [\"system:serviceaccount:a:b\"]\n");
            let a = args(&text);
            let e = expand(&call(SOURCE, &a)).unwrap();
            let sts = trust(&e).get("Statement").unwrap().items();
            assert_eq!(sts.len(), n, "{urls}");
            let st = &sts[0];
            let fed = st.path(&["Principal", "Federated"]).unwrap();
            // The provider ARN the module writes around the URL, not the URL itself.
            assert_eq!(fed.tag.as_deref(), Some("!Sub"), "{urls}");
            assert_eq!(
                fed.as_str(),
                Some("arn:${partition}:iam::${account_id}:oidc-provider/${var.issuer}"),
                "{urls}"
            );
            assert_eq!(&text[fed.span.start as usize..fed.span.end as usize], "var.issuer");
            assert_eq!(
                conditions(&text, trust(&e), 0),
                [(
                    "StringEquals".to_string(),
                    "${var.issuer}:sub".to_string(),
                    "system:serviceaccount:a:b".to_string(),
                    format!("{}:33", text.lines().count())
                )],
                "{urls}"
            );
        }
    }

    #[test]
    fn subjects_wildcards_and_audiences_get_their_operators() {
        let text = r#"create_role: true
provider_urls: ["oidc.eks.eu-west-1.amazonaws.com/id/ABC", "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"]
aws_account_id: "111122223333"
oidc_fully_qualified_subjects: ["system:serviceaccount:apps:api"]
oidc_subjects_with_wildcards: ["system:serviceaccount:jobs:*"]
oidc_fully_qualified_audiences: ["sts.amazonaws.com"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let t = trust(&e);
        // The same URL twice (with and without https://) is one statement.
        assert_eq!(t.get("Statement").unwrap().items().len(), 1);
        let iss = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
        assert_eq!(
            conditions(text, t, 0),
            [
                (
                    "StringEquals".into(),
                    format!("{iss}:sub"),
                    "system:serviceaccount:apps:api".into(),
                    "4:33".into()
                ),
                (
                    "StringLike".into(),
                    format!("{iss}:sub"),
                    "system:serviceaccount:jobs:*".into(),
                    "5:32".into()
                ),
                (
                    "StringLike".into(),
                    format!("{iss}:aud"),
                    "sts.amazonaws.com".into(),
                    "6:34".into()
                ),
            ]
        );
        let fed = t.get("Statement").unwrap().items()[0]
            .path(&["Principal", "Federated"])
            .unwrap();
        assert!(fed
            .as_str()
            .unwrap()
            .contains(":iam::111122223333:oidc-provider/"));
    }

    #[test]
    fn create_role_defaults_to_false() {
        let text = "provider_url: oidc.eks.eu-west-1.amazonaws.com/id/ABC\n";
        let a = args(text);
        assert!(expand(&call(SOURCE, &a)).unwrap().resources.is_empty());
    }
}
