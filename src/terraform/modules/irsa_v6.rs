//! terraform-aws-modules/iam `modules/iam-role-for-service-accounts`, as released in v6.5.0
//! (terraform-aws-modules/terraform-aws-iam:modules/iam-role-for-service-accounts/main.tf@v6.5.0,
//! variables.tf, outputs.tf):
//!
//! - `create` (default `true`) gates everything;
//! - the trust is v5's (see [`super::irsa_eks_v5`]) with the operator from
//!   `trust_condition_test` (default `StringEquals`); `oidc_providers` entries are read for
//!   `provider_arn` and `namespace_service_accounts` (`provider` is documented, not read);
//! - the role: `name` (default `""`), as a prefix `<name>-` unless `use_name_prefix = false`
//!   (default `true`), `path` (default `/`), `permissions_boundary`;
//! - `policies` (a map) → `aws_iam_role_policy_attachment.additional[key]`;
//! - one `aws_iam_policy.this[0]` (unless `create_policy = false`) holding the `permissions`
//!   statements (sid defaulting to the map key) merged with the module's own documents of
//!   the `attach_*_policy` switches (those are the module's: not modelled here), attached
//!   as `aws_iam_role_policy_attachment.this[0]`.

use super::{
    arg, attachments, document, entry, iam_statement, is_unknown, map, may_create, name_or_prefix,
    resource, role_resource, str_node, string_or, unknown, Expansion, ModuleCall,
};

pub const MODEL: &str =
    "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts v6.5.0";

const PROVIDER_KEYS: &[&str] = &["provider", "provider_arn", "namespace_service_accounts"];

/// The `attach_*_policy` switches whose documents the module merges into its policy.
const SWITCHES: &[&str] = &[
    "attach_aws_gateway_controller_policy",
    "attach_cert_manager_policy",
    "attach_cluster_autoscaler_policy",
    "attach_ebs_csi_policy",
    "attach_efs_csi_policy",
    "attach_mountpoint_s3_csi_policy",
    "attach_external_dns_policy",
    "attach_external_secrets_policy",
    "attach_fsx_lustre_csi_policy",
    "attach_fsx_openzfs_csi_policy",
    "attach_load_balancer_controller_policy",
    "attach_load_balancer_controller_targetgroup_binding_only_policy",
    "attach_amazon_managed_service_prometheus_policy",
    "attach_node_termination_handler_policy",
    "attach_velero_policy",
    "attach_vpc_cni_policy",
];

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let (mut out, providers) = Expansion::with_providers(call, MODEL, PROVIDER_KEYS);
    if !may_create(call, "create", true) {
        return out;
    }
    let test = arg(call, "trust_condition_test")
        .cloned()
        .unwrap_or_else(|| str_node("StringEquals", call.anchor));
    let name_in = string_or(call, "name", Some(""));
    let (name, prefix) = name_or_prefix(call, name_in, "use_name_prefix");
    let trust = match providers {
        Some(p) if is_unknown(p) => unknown(
            format!("{}.aws_iam_role.this[0].assume_role_policy", call.address),
            p.span,
        ),
        _ => {
            let statements = super::namespace_service_account_statements(providers, &test);
            document(statements, providers.map_or(call.anchor, |p| p.span))
        }
    };
    out.resources.push(role_resource(
        call,
        MODEL,
        (name.clone(), prefix),
        string_or(call, "path", Some("/")),
        trust,
        "permissions_boundary",
    ));
    out.resources
        .extend(attachments(call, MODEL, "policies", "additional", &name));
    // The module's policy: the user's `permissions`, and the module's own documents.
    let permissions = arg(call, "permissions");
    let switches: Vec<&str> = SWITCHES
        .iter()
        .copied()
        .filter(|s| may_create(call, s, false))
        .collect();
    let has_permissions = permissions.is_some_and(|p| !p.entries().is_empty() || is_unknown(p));
    // An unknown `create_policy` or switch may create the policy (see `super::may_create`).
    if may_create(call, "create_policy", true) && (has_permissions || !switches.is_empty()) {
        let policy = match permissions {
            Some(p) if is_unknown(p) => unknown(
                format!("{}.aws_iam_policy.this[0].policy", call.address),
                p.span,
            ),
            _ => {
                let statements = permissions
                    .map(|p| p.entries())
                    .unwrap_or(&[])
                    .iter()
                    .map(|e| iam_statement(&e.value, Some(&e.key), "condition"))
                    .collect();
                document(statements, permissions.map_or(call.anchor, |p| p.span))
            }
        };
        let mut body = vec![entry("policy", policy)];
        if !switches.is_empty() {
            // Part of the document is the module's own; say which switches added it.
            let added = switches
                .iter()
                .map(|s| {
                    entry(
                        s,
                        arg(call, s)
                            .cloned()
                            .unwrap_or_else(|| str_node("", call.anchor)),
                    )
                })
                .collect();
            body.push(entry("irsalint:module_documents", map(added, call.anchor)));
        }
        out.resources
            .push(resource(call, MODEL, "aws_iam_policy", "this", "[0]", body));
        out.resources
            .push(super::own_policy_attachment(call, MODEL, &name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::expand;
    use super::super::test_support::{args, at, call, conditions, trust};

    const SOURCE: &str = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts";

    #[test]
    fn trust_name_prefix_and_user_permissions() {
        let text = r#"name: lbc
trust_condition_test: StringEquals
oidc_providers:
  this:
    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/XYZ
    namespace_service_accounts: ["kube-system:*"]
policies:
  ro: arn:aws:iam::aws:policy/ReadOnlyAccess
permissions:
  s3:
    actions: ["s3:*"]
    resources: ["*"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let addrs: Vec<_> = e.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "module.irsa.aws_iam_role.this[0]",
                "module.irsa.aws_iam_role_policy_attachment.additional[\"ro\"]",
                "module.irsa.aws_iam_policy.this[0]",
                "module.irsa.aws_iam_role_policy_attachment.this[0]",
            ]
        );
        let role = &e.resources[0].body;
        assert!(role.get("name").unwrap().is_null());
        assert_eq!(
            role.get("name_prefix").and_then(|n| n.as_str()),
            Some("lbc-")
        );
        // The wildcard under StringEquals, at the element the user wrote.
        let c = conditions(text, trust(&e), 0);
        assert_eq!(
            (c[0].0.as_str(), c[0].2.as_str(), c[0].3.as_str()),
            (
                "StringEquals",
                "system:serviceaccount:kube-system:*",
                "6:34"
            )
        );
        assert_eq!(
            at(
                text,
                trust(&e).get("Statement").unwrap().items()[0]
                    .path(&["Condition"])
                    .unwrap()
                    .entries()[0]
                    .key
                    .span
            ),
            "2:23"
        );
        // `permissions` as IAM JSON: sid from the key, Allow by default, the user's nodes.
        let st = &e.resources[2]
            .body
            .path(&["policy", "Statement"])
            .unwrap()
            .items()[0];
        assert_eq!(st.get("Sid").and_then(|n| n.as_str()), Some("s3"));
        assert_eq!(st.get("Effect").and_then(|n| n.as_str()), Some("Allow"));
        assert_eq!(at(text, st.get("Action").unwrap().items()[0].span), "11:15");
    }

    #[test]
    fn provider_is_a_documented_key() {
        let text = r#"oidc_providers:
  this:
    provider: oidc.eks.us-east-1.amazonaws.com/id/XYZ
    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/XYZ
    namespace_service_accounts: ["a:b"]
    namespace_service_account: ["c:d"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let ignored: Vec<_> = e.ignored.iter().map(|i| i.input.as_str()).collect();
        assert_eq!(ignored, ["oidc_providers.this.namespace_service_account"]);
        // No permissions and no switch: no policy.
        assert_eq!(e.resources.len(), 1);
    }
}
