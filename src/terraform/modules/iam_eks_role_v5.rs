//! terraform-aws-modules/iam `modules/iam-eks-role`, as released in v5.60.0 (the last v5
//! release; v6.0.0 removed the module: docs/UPGRADE-6.0.md points to
//! `iam-role-for-service-accounts`), read from
//! terraform-aws-modules/terraform-aws-iam:modules/iam-eks-role/main.tf@v5.60.0, variables.tf,
//! outputs.tf:
//!
//! - `create_role` (default `true`) gates everything;
//! - the trust has one statement per `cluster_service_accounts` entry, keyed by the EKS
//!   cluster's name: `sts:AssumeRoleWithWebIdentity` from
//!   `arn:<partition>:iam::<account>:oidc-provider/<issuer>`, with `assume_role_condition_test`
//!   (default `StringEquals`) on `<issuer>:sub` = `system:serviceaccount:<ns:sa>` for each
//!   element of the entry's list, and **no `aud` condition** (the module has no input for
//!   one); the issuer is the cluster's (`replace(data.aws_eks_cluster.main[<name>].identity[0]
//!   .oidc[0].issuer, "https://", "")`): only apply knows it, so the provider and the keys'
//!   issuer stay unknown while the subjects are the user's text;
//!   `allow_self_assume_role` adds a self-assumption statement first;
//! - the role: `role_name`/`role_name_prefix`, `role_path` (default `/`),
//!   `role_permissions_boundary_arn`;
//! - `role_policy_arns` (a map) → `aws_iam_role_policy_attachment.this[key]`.
//!
//! The v4 releases that have the module (v4.9.0–v4.24.1, main.tf@v4.24.1) write the same
//! statements with a fixed `StringEquals`, and take `role_policy_arns` as a list attached as
//! `aws_iam_role_policy_attachment.custom` (keyed by ARN there, by position here: nothing reads
//! the key); an argument a release does not declare is
//! an error in Terraform, so a call that sets `assume_role_condition_test` or
//! `allow_self_assume_role` uses a release that reads it, and a list of ARNs is the v4 shape.

use super::{
    arg, attachments, document, may_create, role_resource, self_assume_statement, string_or,
    unknown, web_identity_statement, Cond, Expansion, ModuleCall,
};
use crate::source::node::{str_node, Value};

pub const MODEL: &str = "terraform-aws-modules/iam/aws//modules/iam-eks-role v5.60.0";

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let mut out = Expansion {
        model: MODEL.into(),
        resources: Vec::new(),
        ignored: Vec::new(),
    };
    if !may_create(call, "create_role", true) {
        return out;
    }
    let test = arg(call, "assume_role_condition_test")
        .cloned()
        .unwrap_or_else(|| str_node("StringEquals", call.anchor));
    let name = string_or(call, "role_name", None);
    let prefix = string_or(call, "role_name_prefix", None);
    let path = string_or(call, "role_path", Some("/"));
    let clusters = arg(call, "cluster_service_accounts");

    let trust = match clusters {
        Some(c) if super::is_unknown(c) => unknown(
            format!("{}.aws_iam_role.this[0].assume_role_policy", call.address),
            c.span,
        ),
        _ => {
            let mut statements = Vec::new();
            statements.extend(self_assume_statement(call, (&name, &prefix), &path));
            for e in clusters.map(|c| c.entries()).unwrap_or(&[]) {
                statements.push(cluster_statement(e, &test));
            }
            document(statements, clusters.map_or(call.anchor, |c| c.span))
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
    // A list of ARNs is v4's input (`aws_iam_role_policy_attachment.custom`), a map v5's.
    let res = match arg(call, "role_policy_arns").map(|n| &n.value) {
        Some(Value::Seq(_)) => "custom",
        _ => "this",
    };
    out.resources
        .extend(attachments(call, MODEL, "role_policy_arns", res, &name));
    out
}

/// The statement for one `cluster_service_accounts` entry: the cluster's provider and
/// issuer are only known at apply (a data source reads them), the subjects are the list's
/// elements, each at the element the user wrote; no `aud`.
fn cluster_statement(
    e: &crate::source::node::Entry,
    test: &crate::source::node::Node,
) -> crate::source::node::Node {
    // A key only apply knows (`(var.cluster_name)`) is named by its expression, unquoted.
    let cluster = match e.key.as_str() {
        Some(k) if super::is_unknown(&e.key) => k.to_string(),
        Some(k) => format!("\"{k}\""),
        None => "<cluster>".into(),
    };
    let issuer = format!(
        "replace(data.aws_eks_cluster.main[{cluster}].identity[0].oidc[0].issuer, \"https://\", \"\")"
    );
    let provider = unknown(
        format!("arn:${{partition}}:iam::${{account_id}}:oidc-provider/${{{issuer}}}"),
        e.key.span,
    );
    let mut key = str_node(format!("${{{issuer}}}:sub"), e.key.span);
    // The issuer is unknown, the claim is not (as `super::issuer_key` writes it).
    key.tag = "!Sub".into();
    let conds = vec![Cond {
        test: test.clone(),
        key,
        values: super::subjects(&e.value),
    }];
    web_identity_statement(
        &provider,
        &["sts:AssumeRoleWithWebIdentity"],
        conds,
        e.key.span,
    )
}

/// Whether `model` is this one: its trusts have no `aud` condition and no input writes one.
pub fn writes_no_aud(model: &str) -> bool {
    model == MODEL
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{args, at, call, conditions, trust};
    use super::super::{expand, is_unknown, Origin};
    use super::MODEL;

    const SOURCE: &str = "terraform-aws-modules/iam/aws//modules/iam-eks-role";

    /// A public call's shape (a "pop-platform" external-secrets role, trimmed): one statement
    /// per cluster, the subjects at the elements, the operator at the input, no `aud`.
    #[test]
    fn one_statement_per_cluster_with_the_subjects_written() {
        let text = r#"role_name: awssm-eso
assume_role_condition_test: StringLike
cluster_service_accounts:
  pop-platform-cluster: ["*:awssm", "tools:eso"]
  other: ["kube-system:x"]
role_policy_arns:
  eso: arn:aws:iam::aws:policy/SecretsManagerReadWrite
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let addrs: Vec<_> = e.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "module.irsa.aws_iam_role.this[0]",
                "module.irsa.aws_iam_role_policy_attachment.this[\"eso\"]",
            ]
        );
        assert_eq!(
            e.resources[0].origin,
            Origin::Module {
                model: MODEL.into()
            }
        );
        let t = trust(&e);
        let c = conditions(text, t, 0);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[0].0, "StringLike");
        assert!(
            c[0].1.ends_with("issuer, \"https://\", \"\")}:sub"),
            "{}",
            c[0].1
        );
        assert!(
            c[0].1.contains("main[\"pop-platform-cluster\"]"),
            "{}",
            c[0].1
        );
        assert_eq!(c[0].2, "system:serviceaccount:*:awssm");
        assert_eq!(c[0].3, "4:26");
        assert_eq!(c[1].2, "system:serviceaccount:tools:eso");
        assert_eq!(c[1].3, "4:37");
        let sts = t.get("Statement").unwrap().items();
        assert_eq!(sts.len(), 2);
        let fed = sts[0].path(&["Principal", "Federated"]).unwrap();
        assert!(is_unknown(fed));
        assert_eq!(at(text, fed.span), "4:3");
        // The second cluster's statement: its own subjects, the same operator.
        let c2 = conditions(text, t, 1);
        assert_eq!(c2.len(), 1);
        assert_eq!(c2[0].2, "system:serviceaccount:kube-system:x");
        assert!(c2[0].1.contains("main[\"other\"]"));
        // No `aud` anywhere.
        assert!(c.iter().chain(&c2).all(|c| c.1.ends_with(":sub")));
        let att = &e.resources[1];
        assert_eq!(at(text, att.body.get("policy_arn").unwrap().span), "7:8");
        assert_eq!(
            att.body.get("role").and_then(|n| n.as_str()),
            Some("awssm-eso")
        );
    }

    #[test]
    fn default_operator_v4_list_self_assumption_and_create_role() {
        let text = "role_name: app\ncluster_service_accounts:\n  c: [\"default:*\"]\nrole_policy_arns: [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let c = conditions(text, trust(&e), 0);
        assert_eq!(c[0].0, "StringEquals");
        assert_eq!(
            e.resources[1].address,
            "module.irsa.aws_iam_role_policy_attachment.custom[0]"
        );

        let selfie = "role_name: app\nallow_self_assume_role: true\ncluster_service_accounts:\n  c: [\"a:b\"]\n";
        let a = args(selfie);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let sts = trust(&e).get("Statement").unwrap().items();
        assert_eq!(sts.len(), 2);
        assert_eq!(
            sts[0].get("Sid").and_then(|n| n.as_str()),
            Some("ExplicitSelfRoleAssumption")
        );

        // A cluster name only apply knows is named by its expression.
        let unknown_key =
            "cluster_service_accounts:\n  ? !Unknown var.cluster_name\n  : [\"a:b\"]\n";
        let a = args(unknown_key);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let c = conditions(unknown_key, trust(&e), 0);
        assert!(c[0].1.contains("main[var.cluster_name]"), "{}", c[0].1);

        // A map only apply knows: so is the trust (not a trust with no statement).
        let open = "role_name: app\ncluster_service_accounts: !Unknown var.clusters\n";
        let a = args(open);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(is_unknown(
            e.resources[0].body.get("assume_role_policy").unwrap()
        ));

        let off = "create_role: false\ncluster_service_accounts:\n  c: [\"a:b\"]\n";
        let a = args(off);
        assert!(expand(&call(SOURCE, &a)).unwrap().resources.is_empty());
    }
}
