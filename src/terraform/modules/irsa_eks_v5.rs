//! terraform-aws-modules/iam `modules/iam-role-for-service-accounts-eks`, as released in
//! v5.60.0 (terraform-aws-modules/terraform-aws-iam:modules/iam-role-for-service-accounts-eks/main.tf@v5.60.0,
//! variables.tf, policies.tf, outputs.tf):
//!
//! - `create_role` (default `true`) gates everything;
//! - the trust has one statement per `oidc_providers` entry: `sts:AssumeRoleWithWebIdentity`
//!   from `provider_arn`, with `assume_role_condition_test` (default `StringEquals`) on
//!   `<issuer>:sub` = `system:serviceaccount:<ns:sa>` for each `namespace_service_accounts`
//!   element and on `<issuer>:aud` = `sts.amazonaws.com`, the issuer being `provider_arn`
//!   after its last `provider/`; the entry's other keys are never read;
//!   `allow_self_assume_role` adds a self-assumption statement;
//! - the role: `role_name`/`role_name_prefix`, `role_path` (default `/`),
//!   `role_permissions_boundary_arn`;
//! - `role_policy_arns` (a map) → `aws_iam_role_policy_attachment.this[key]`; each
//!   `attach_<x>_policy` → the module's own `aws_iam_policy.<x>[0]` and its attachment.

use super::{
    arg, attachments, document, is_unknown, may_create, owned_policy, role_resource,
    self_assume_statement, str_node, string_or, unknown, Expansion, ModuleCall,
};

pub const MODEL: &str =
    "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks v5.60.0";

/// The keys of an `oidc_providers` entry the module reads.
const PROVIDER_KEYS: &[&str] = &["provider_arn", "namespace_service_accounts"];

/// `attach_<x>_policy` switches and the resource name of the policy each creates.
pub const OWNED_POLICIES: &[(&str, &str)] = &[
    (
        "attach_aws_gateway_controller_policy",
        "aws_gateway_controller",
    ),
    ("attach_cert_manager_policy", "cert_manager"),
    ("attach_cluster_autoscaler_policy", "cluster_autoscaler"),
    ("attach_ebs_csi_policy", "ebs_csi"),
    ("attach_efs_csi_policy", "efs_csi"),
    ("attach_mountpoint_s3_csi_policy", "mountpoint_s3_csi"),
    ("attach_external_dns_policy", "external_dns"),
    ("attach_external_secrets_policy", "external_secrets"),
    ("attach_fsx_lustre_csi_policy", "fsx_lustre_csi"),
    ("attach_fsx_openzfs_csi_policy", "fsx_openzfs_csi"),
    ("attach_karpenter_controller_policy", "karpenter_controller"),
    (
        "attach_load_balancer_controller_policy",
        "load_balancer_controller",
    ),
    (
        "attach_load_balancer_controller_targetgroup_binding_only_policy",
        "load_balancer_controller_targetgroup_only",
    ),
    ("attach_appmesh_controller_policy", "appmesh_controller"),
    ("attach_appmesh_envoy_proxy_policy", "appmesh_envoy_proxy"),
    (
        "attach_amazon_managed_service_prometheus_policy",
        "amazon_managed_service_prometheus",
    ),
    (
        "attach_node_termination_handler_policy",
        "node_termination_handler",
    ),
    ("attach_velero_policy", "velero"),
    ("attach_vpc_cni_policy", "vpc_cni"),
];

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let (mut out, providers) = Expansion::with_providers(call, MODEL, PROVIDER_KEYS);
    if !may_create(call, "create_role", true) {
        return out;
    }
    let test = arg(call, "assume_role_condition_test")
        .cloned()
        .unwrap_or_else(|| str_node("StringEquals", call.anchor));
    let name = string_or(call, "role_name", None);
    let prefix = string_or(call, "role_name_prefix", None);
    let path = string_or(call, "role_path", Some("/"));

    let trust = match providers {
        Some(p) if is_unknown(p) => unknown(
            format!("{}.aws_iam_role.this[0].assume_role_policy", call.address),
            p.span,
        ),
        _ => {
            let mut statements = Vec::new();
            statements.extend(self_assume_statement(call, (&name, &prefix), &path));
            statements.extend(super::namespace_service_account_statements(
                providers, &test,
            ));
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
    out.resources
        .extend(attachments(call, MODEL, "role_policy_arns", "this", &name));
    for (switch, res) in OWNED_POLICIES {
        // A switch only apply knows may create the policy (see `super::may_create`).
        if may_create(call, switch, false) {
            out.resources
                .extend(owned_policy(call, MODEL, res, switch, &name));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{args, at, call, conditions, trust};
    use super::super::{expand, is_producer_owned, is_unknown, Origin};
    use super::MODEL;

    const SOURCE: &str = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks";

    #[test]
    fn the_trust_points_at_the_inputs() {
        let text = r#"role_name: ebs-csi
attach_ebs_csi_policy: true
role_policy_arns:
  extra: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
oidc_providers:
  main:
    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC
    namespace_service_accounts: ["kube-system:ebs-csi-controller-sa", "kube-system:ebs-csi-node-sa"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let addrs: Vec<_> = e.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "module.irsa.aws_iam_role.this[0]",
                "module.irsa.aws_iam_role_policy_attachment.this[\"extra\"]",
                "module.irsa.aws_iam_policy.ebs_csi[0]",
                "module.irsa.aws_iam_role_policy_attachment.ebs_csi[0]",
            ]
        );
        assert!(e.ignored.is_empty());
        assert_eq!(
            e.resources[0].origin,
            Origin::Module {
                model: MODEL.into()
            }
        );
        let t = trust(&e);
        let iss = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
        assert_eq!(
            conditions(text, t, 0),
            [
                (
                    "StringEquals".into(),
                    format!("{iss}:sub"),
                    "system:serviceaccount:kube-system:ebs-csi-controller-sa".into(),
                    "8:34".into()
                ),
                (
                    "StringEquals".into(),
                    format!("{iss}:sub"),
                    "system:serviceaccount:kube-system:ebs-csi-node-sa".into(),
                    "8:71".into()
                ),
                (
                    "StringEquals".into(),
                    format!("{iss}:aud"),
                    "sts.amazonaws.com".into(),
                    "6:3".into()
                ),
            ]
        );
        let st = &t.get("Statement").unwrap().items()[0];
        let fed = st.path(&["Principal", "Federated"]).unwrap();
        assert_eq!(at(text, fed.span), "7:19");
        // The attachment points at the ARN the user wrote; the module's own policy is theirs.
        let att = &e.resources[1];
        assert_eq!(at(text, att.body.get("policy_arn").unwrap().span), "4:10");
        assert_eq!(
            att.body.get("role").and_then(|n| n.as_str()),
            Some("ebs-csi")
        );
        assert!(is_producer_owned(&e.resources[2]));
        assert!(!is_producer_owned(&e.resources[0]));
        assert!(is_unknown(e.resources[3].body.get("policy_arn").unwrap()));
    }

    #[test]
    fn the_operator_comes_from_assume_role_condition_test() {
        let text = r#"assume_role_condition_test: StringLike
oidc_providers:
  main:
    provider_arn: !Unknown module.eks.oidc_provider_arn
    namespace_service_accounts: ["apps:*"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let t = trust(&e);
        let st = &t.get("Statement").unwrap().items()[0];
        let block = &st.get("Condition").unwrap().entries()[0];
        assert_eq!(block.key.as_str(), Some("StringLike"));
        assert_eq!(at(text, block.key.span), "1:29");
        // The provider is only known at apply: so is the issuer part of the condition keys
        // (`${module.eks.oidc_provider_arn}:sub`, a `!Sub` template), not their claim.
        let keys = block.value.entries();
        assert!(keys.iter().all(|k| k.key.tag.as_deref() == Some("!Sub")));
        assert!(keys
            .iter()
            .any(|k| k.key.as_str().is_some_and(|s| s.ends_with("}:sub"))));
        assert!(is_unknown(st.path(&["Principal", "Federated"]).unwrap()));
        // The role's name is left to Terraform: attachments reference it as unknown.
        assert!(e.resources[0].body.get("name").unwrap().is_null());
    }

    #[test]
    fn keys_the_module_does_not_read_are_reported_and_create_role_false_creates_nothing() {
        let text = r#"create_role: false
oidc_providers:
  main:
    provider: oidc.eks.eu-west-1.amazonaws.com/id/ABC
    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC
    namespace_service_accounts: ["a:b"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(e.resources.is_empty());
        assert_eq!(e.ignored.len(), 1);
        assert_eq!(e.ignored[0].input, "oidc_providers.main.provider");
        assert_eq!(at(text, e.ignored[0].span), "4:5");
    }

    /// The existing trust rules judge a generated trust as written by the user: a `*` in
    /// `namespace_service_accounts` under the default `StringEquals` never matches, and
    /// `trust-wildcard-in-stringequals` says so at the list element.
    #[test]
    fn a_wildcard_under_the_default_string_equals_is_reported_at_the_input() {
        use crate::config::Config;
        use crate::load::{load, RawInput};
        use crate::model::iam::policy::Policy;
        use crate::model::role::{PolicyKind, PolicySource};
        use crate::rules::Rule;
        use crate::world::{PolicyDoc, World};

        let text = r#"role_name: velero
oidc_providers:
  main:
    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC
    namespace_service_accounts: ["velero:*"]
"#;
        let mut inputs = load(
            vec![RawInput {
                display: "irsa.yaml".into(),
                bytes: text.as_bytes().to_vec(),
                read_error: None,
            }],
            &crate::source::Limits::default(),
        );
        let args = inputs.files[0].documents[0].root.clone();
        let e = expand(&call(SOURCE, &args)).unwrap();
        inputs.terraform.extend(e.resources);
        let config = Config::default();
        let mut world = World::build(&inputs, &config);
        let trust = inputs.terraform[0].body.get("assume_role_policy").unwrap();
        let subs = Default::default();
        world.policies.push(PolicyDoc {
            policy: Policy::parse(trust, &subs),
            source: PolicySource {
                file: 0,
                node: trust,
                kind: Some(PolicyKind::Trust),
                role: None,
                label: "trust policy of module.irsa".into(),
                subs,
                instance: None,
            },
            kind: PolicyKind::Trust,
        });
        let mut out = Vec::new();
        crate::rules::trust::trust_wildcard_in_stringequals::TrustWildcardInStringEquals
            .check(&world, &mut out);
        let found: Vec<_> = out.iter().map(|d| at(text, d.primary)).collect();
        assert_eq!(found, ["5:34"]);
    }

    #[test]
    fn self_assumption_adds_a_statement_first() {
        let text = "role_name: app\nallow_self_assume_role: true\noidc_providers: {}\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let st = trust(&e).get("Statement").unwrap().items();
        assert_eq!(st.len(), 1);
        assert_eq!(
            st[0].get("Sid").and_then(|n| n.as_str()),
            Some("ExplicitSelfRoleAssumption")
        );
        let v = st[0]
            .path(&["Condition", "ArnLike", "aws:PrincipalArn"])
            .unwrap();
        assert!(is_unknown(v));
        assert!(v.as_str().unwrap().ends_with(":role/app"));
    }

    #[test]
    fn self_assumption_matches_a_prefix_under_its_path_or_any_role() {
        let pattern = |text: &str| {
            let a = args(text);
            let e = expand(&call(SOURCE, &a)).unwrap();
            let st = trust(&e).get("Statement").unwrap().items()[0].clone();
            let v = st.path(&["Condition", "ArnLike", "aws:PrincipalArn"]);
            v.and_then(|v| v.as_str()).map(str::to_string)
        };
        let prefixed = "role_name_prefix: app-\nrole_path: /irsa/\nallow_self_assume_role: true\noidc_providers: {}\n";
        assert_eq!(
            pattern(prefixed).as_deref(),
            Some("arn:${partition}:iam::${account_id}:role/irsa/app-*")
        );
        let nameless = "allow_self_assume_role: true\noidc_providers: {}\n";
        assert_eq!(
            pattern(nameless).as_deref(),
            Some("arn:${partition}:iam::${account_id}:role/*")
        );
        let off = "role_name: app\nallow_self_assume_role: false\noidc_providers: {}\n";
        let a = args(off);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(trust(&e).get("Statement").unwrap().items().is_empty());
    }
}
