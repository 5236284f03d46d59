//! aws-ia/eks-blueprints-addon, as released in v1.1.1
//! (aws-ia/terraform-aws-eks-blueprints-addon:main.tf@v1.1.1, variables.tf, outputs.tf):
//!
//! - a role only with `create` (default `true`) and `create_role` (default `false`);
//! - one trust statement per `oidc_providers` entry: `sts:AssumeRoleWithWebIdentity` from
//!   `provider_arn`, with `assume_role_condition_test` (default `StringEquals`) on
//!   `<issuer>:sub` = `system:serviceaccount:<namespace>:<service_account>` — the entry's
//!   `namespace`, else the release's `namespace`, else `default` — and on `<issuer>:aud` =
//!   `sts.amazonaws.com`; other keys of the entry are never read;
//! - the role: `role_name` else `name`, as a prefix `<name>-` unless
//!   `role_name_use_prefix = false`, `role_path` (default `/`);
//! - `role_policies` (a map) → `aws_iam_role_policy_attachment.additional[key]`;
//!   `policy_statements` → `aws_iam_policy.this[0]` (unless `create_policy = false`) and
//!   `aws_iam_role_policy_attachment.this[0]`.

use super::{
    arg, attachments, document, entry, iam_statement, is_unknown, may_create, name_or_prefix,
    resource, role_resource, self_assume_statement, str_node, string_or, unknown, Expansion,
    ModuleCall,
};
use crate::source::node::Node;

pub const MODEL: &str = "aws-ia/eks-blueprints-addon/aws v1.1.1";

const PROVIDER_KEYS: &[&str] = &["provider_arn", "service_account", "namespace"];

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let (mut out, providers) = Expansion::with_providers(call, MODEL, PROVIDER_KEYS);
    if !may_create(call, "create", true) || !may_create(call, "create_role", false) {
        return out;
    }
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
    let trust = match providers {
        Some(p) if is_unknown(p) => unknown(
            format!("{}.aws_iam_role.this[0].assume_role_policy", call.address),
            p.span,
        ),
        _ => {
            let mut statements = Vec::new();
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
    let statements = arg(call, "policy_statements");
    // An unknown `create_policy` may create the policy (see `super::may_create`): the
    // user's statements are judged as written.
    if may_create(call, "create_policy", true) && statements.is_some_and(|s| !s.items().is_empty())
    {
        let policy = match statements {
            Some(s) if is_unknown(s) => unknown(
                format!("{}.aws_iam_policy.this[0].policy", call.address),
                s.span,
            ),
            Some(s) => document(
                s.items()
                    .iter()
                    .map(|st| iam_statement(st, None, "conditions"))
                    .collect(),
                s.span,
            ),
            None => unknown(String::new(), call.anchor),
        };
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
    out
}

#[cfg(test)]
mod tests {
    use super::super::expand;
    use super::super::test_support::{args, at, call, conditions, trust};

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

        let text = format!("namespace: dns\n{text}");
        let a = args(&text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            conditions(&text, trust(&e), 0)[0].2,
            "system:serviceaccount:dns:external-dns"
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
        let text = "oidc_providers: {}\n";
        let a = args(text);
        assert!(expand(&call(SOURCE, &a)).unwrap().resources.is_empty());
    }
}
