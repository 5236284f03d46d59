//! terraform-aws-modules/eks `modules/karpenter`: the Karpenter controller's IAM role and how
//! its ServiceAccount gets it, read from terraform-aws-modules/terraform-aws-eks
//! modules/karpenter/main.tf, variables.tf and outputs.tf at v19.21.0 (2cb1fac), v20.0.0
//! (a68aac6), v20.37.2 (8a0efdb), v21.0.0 (b7eabbd) and v21.19.0 (bef29c4):
//!
//! | major | the controller's role | its trust | the ServiceAccount |
//! |---|---|---|---|
//! | v19 | `aws_iam_role.irsa[0]` when `create` and `create_irsa` (both default `true`); `irsa_name` (default `KarpenterIRSA-<cluster_name>`), a prefix `<name>-` unless `irsa_use_name_prefix = false`, `irsa_path` (`/`), `irsa_permissions_boundary_arn`; `policies` (a map) → `aws_iam_role_policy_attachment.irsa_additional[key]` | web identity from `irsa_oidc_provider_arn`, `irsa_assume_role_condition_test` (default `StringEquals`) on `<issuer>:sub` = `system:serviceaccount:<ns:sa>` of `irsa_namespace_service_accounts` (default `["karpenter:karpenter"]`) and on `<issuer>:aud` = `sts.amazonaws.com` | annotated by the user (the chart's `serviceAccount.annotations`, the module's `irsa_arn` output) |
//! | v20 | `aws_iam_role.controller[0]` when `create` and `create_iam_role` (default `true`); `iam_role_name` (default `KarpenterController`), a prefix unless `iam_role_use_name_prefix = false`, `iam_role_path`, `iam_role_permissions_boundary_arn`; `iam_role_policies` → `aws_iam_role_policy_attachment.controller_additional[key]` | `sts:AssumeRole` + `sts:TagSession` for `pods.eks.amazonaws.com` (always in v20.0–v20.1; from v20.2 when `enable_pod_identity`, default `true`), then, when `enable_irsa` (default `false`), v19's web-identity statement | from v20.10, `aws_eks_pod_identity_association.karpenter[0]` when also `create_pod_identity_association` (default `false`): `namespace` (default `kube-system`), `service_account` (default `karpenter`), `cluster_name`, the role |
//! | v21 | as v20 | the Pod Identity statement only | the association as v20's, `create_pod_identity_association` defaulting to `true` |
//!
//! The controller's own policy (`aws_iam_policy.controller`/`.irsa`: the module's statements),
//! the node role (EC2's) and the interruption queue are not modelled. The major is read from
//! the inputs only one major declares (Terraform rejects an argument the module does not
//! declare: `create_irsa`, `irsa_name`, `policies` are v19's, `enable_irsa` and
//! `enable_pod_identity` v20's), else from the call's `version` (or `?ref=`); a call that
//! says neither generates nothing.

use super::{
    arg, entry, flag, is_unknown, map, may_create, name_or_prefix, resource, str_node, string_or,
    sub_and_aud_statement, subjects, unknown, Expansion, ModuleCall,
};
use crate::source::node::Node;
use crate::terraform::Resource;

pub const MODEL_V19: &str = "terraform-aws-modules/eks/aws//modules/karpenter v19.21.0";
pub const MODEL_V20: &str = "terraform-aws-modules/eks/aws//modules/karpenter v20.37.2";
pub const MODEL_V21: &str = "terraform-aws-modules/eks/aws//modules/karpenter v21.19.0";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Major {
    V19,
    V20,
    V21,
}

/// Inputs only v19 declares.
const V19_ONLY: &[&str] = &[
    "create_irsa",
    "irsa_name",
    "irsa_use_name_prefix",
    "irsa_path",
    "irsa_permissions_boundary_arn",
    "irsa_policy_name",
    "policies",
];

/// Inputs only v20 declares.
const V20_ONLY: &[&str] = &["enable_irsa", "enable_pod_identity"];

/// The major of the module the call uses: by the inputs only one major declares, else by
/// its `version` or git `?ref=` when that selects one major (`20.8.4`, `~> 20.0`, `=
/// v21.1.0`); `None` otherwise (a range across majors, no version).
fn major(call: &ModuleCall<'_>) -> Option<Major> {
    let given = |names: &[&str]| names.iter().any(|n| call.args.get(n).is_some());
    if given(V19_ONLY) {
        return Some(Major::V19);
    }
    if given(V20_ONLY) {
        return Some(Major::V20);
    }
    let of = |v: &str| {
        let v = v.trim();
        if v.starts_with(['>', '<', '!']) || v.contains(',') {
            return None;
        }
        let v = v.trim_start_matches(['~', '>', '=', ' ', 'v']);
        let major = v.split('.').next()?;
        match major {
            "19" => Some(Major::V19),
            "20" => Some(Major::V20),
            "21" => Some(Major::V21),
            _ => None,
        }
    };
    call.version
        .or_else(|| call.source.split_once("?ref=").map(|(_, r)| r))
        .and_then(of)
}

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let major = major(call);
    let model = match major {
        Some(Major::V19) => MODEL_V19,
        Some(Major::V20) => MODEL_V20,
        _ => MODEL_V21,
    };
    let mut out = Expansion {
        model: model.into(),
        resources: Vec::new(),
        ignored: Vec::new(),
    };
    let Some(major) = major else {
        return out;
    };
    if !may_create(call, "create", true) {
        return out;
    }
    match major {
        Major::V19 => v19(call, &mut out.resources),
        Major::V20 | Major::V21 => controller(call, model, major, &mut out.resources),
    }
    out
}

/// `aws_iam_role.<name>[0]` with the module's name, path, trust and boundary inputs.
fn role(
    call: &ModuleCall<'_>,
    model: &str,
    res: &str,
    names: (Node, Node),
    path: Node,
    trust: Node,
    boundary: &str,
) -> Resource {
    super::named_role_resource(call, model, res, names, path, trust, boundary)
}

/// The role's name as its attachments give it: known when the name is.
fn role_name(call: &ModuleCall<'_>, res: &str, name: &Node) -> Node {
    if name.as_str().is_some() && !is_unknown(name) {
        name.clone()
    } else {
        unknown(
            format!("{}.aws_iam_role.{res}[0].name", call.address),
            call.anchor,
        )
    }
}

/// v19's web-identity statement (v20's with `enable_irsa`): the provider as given (a call
/// without one leaves it unknown: its default `""` makes IAM reject the policy at apply).
fn irsa_statement(call: &ModuleCall<'_>) -> Node {
    let provider = match arg(call, "irsa_oidc_provider_arn") {
        Some(p) => p.clone(),
        None => unknown("var.irsa_oidc_provider_arn", call.anchor),
    };
    let test = string_or(
        call,
        "irsa_assume_role_condition_test",
        Some("StringEquals"),
    );
    let subs = match arg(call, "irsa_namespace_service_accounts") {
        Some(list) if is_unknown(list) => vec![unknown(
            format!(
                "system:serviceaccount:${{{}}}",
                list.as_str()
                    .unwrap_or("var.irsa_namespace_service_accounts")
            ),
            list.span,
        )],
        Some(list) => subjects(list),
        None => vec![str_node(
            "system:serviceaccount:karpenter:karpenter",
            call.anchor,
        )],
    };
    sub_and_aud_statement(&provider, &test, subs, call.anchor)
}

/// v19: the IRSA role and the attachments of `policies`.
fn v19(call: &ModuleCall<'_>, out: &mut Vec<Resource>) {
    if !may_create(call, "create_irsa", true) {
        return;
    }
    let base = match arg(call, "irsa_name") {
        Some(n) => n.clone(),
        None => match arg(call, "cluster_name") {
            Some(c) if !is_unknown(c) && c.as_str().is_some() => str_node(
                format!("KarpenterIRSA-{}", c.as_str().unwrap_or("")),
                c.span,
            ),
            _ => unknown(
                format!("KarpenterIRSA-${{{}}}", "var.cluster_name"),
                call.anchor,
            ),
        },
    };
    let (name, prefix) = name_or_prefix(call, base, "irsa_use_name_prefix");
    let trust = super::document(vec![irsa_statement(call)], call.anchor);
    out.push(role(
        call,
        MODEL_V19,
        "irsa",
        (name.clone(), prefix),
        string_or(call, "irsa_path", Some("/")),
        trust,
        "irsa_permissions_boundary_arn",
    ));
    let role_ref = role_name(call, "irsa", &name);
    out.extend(
        super::attachments(call, MODEL_V19, "policies", "irsa_additional", &role_ref)
            .into_iter()
            .map(|mut r| {
                set_role(&mut r, &role_ref);
                r
            }),
    );
}

/// An attachment's `role`, the module's role (`aws_iam_role.<res>[0].name`).
fn set_role(r: &mut Resource, role: &Node) {
    if let crate::source::node::Value::Map(entries) = &mut r.body.value {
        for e in entries.iter_mut() {
            if e.key.as_str() == Some("role") {
                e.value = role.clone();
            }
        }
    }
}

/// v20 and v21: the controller's role, its Pod Identity association and the attachments of
/// `iam_role_policies`.
fn controller(call: &ModuleCall<'_>, model: &str, major: Major, out: &mut Vec<Resource>) {
    if !may_create(call, "create_iam_role", true) {
        return;
    }
    let at = call.anchor;
    let pod_identity = match major {
        Major::V20 => flag(call, "enable_pod_identity", true),
        _ => Some(true),
    };
    let irsa = match major {
        Major::V20 => flag(call, "enable_irsa", false),
        _ => Some(false),
    };
    let base = string_or(call, "iam_role_name", Some("KarpenterController"));
    let (name, prefix) = name_or_prefix(call, base, "iam_role_use_name_prefix");
    let trust = match (pod_identity, irsa) {
        // Which statements the trust has is known only at apply.
        (None, _) | (_, None) => unknown(
            format!(
                "{}.aws_iam_role.controller[0].assume_role_policy",
                call.address
            ),
            at,
        ),
        (Some(pods), Some(web)) => {
            let mut statements = Vec::new();
            if pods {
                statements.push(pod_identity_statement(at));
            }
            if web {
                statements.push(irsa_statement(call));
            }
            super::document(statements, at)
        }
    };
    out.push(role(
        call,
        model,
        "controller",
        (name.clone(), prefix),
        string_or(call, "iam_role_path", Some("/")),
        trust,
        "iam_role_permissions_boundary_arn",
    ));
    let role_ref = role_name(call, "controller", &name);
    out.extend(
        super::attachments(
            call,
            model,
            "iam_role_policies",
            "controller_additional",
            &role_ref,
        )
        .into_iter()
        .map(|mut r| {
            set_role(&mut r, &role_ref);
            r
        }),
    );
    // v20's association needs the Pod Identity statement too; v21's is on by default.
    let association_default = major == Major::V21;
    let associate = pod_identity != Some(false)
        && may_create(call, "create_pod_identity_association", association_default);
    if associate {
        let mut body = vec![
            entry(
                "namespace",
                string_or(call, "namespace", Some("kube-system")),
            ),
            entry(
                "service_account",
                string_or(call, "service_account", Some("karpenter")),
            ),
            entry(
                "role_arn",
                unknown(
                    format!("{}.aws_iam_role.controller[0].arn", call.address),
                    at,
                ),
            ),
        ];
        if let Some(c) = arg(call, "cluster_name") {
            body.push(entry("cluster_name", c.clone()));
        }
        out.push(resource(
            call,
            model,
            "aws_eks_pod_identity_association",
            "karpenter",
            "[0]",
            body,
        ));
    }
}

/// The module's Pod Identity statement: `sts:AssumeRole` and `sts:TagSession` for
/// `pods.eks.amazonaws.com`.
fn pod_identity_statement(at: crate::source::file::Span) -> Node {
    map(crate::derived::pod_identity_entries(at), at)
}

/// The role an output of the module returns: `iam_role_arn`/`iam_role_name` (v20, v21) the
/// controller's, `irsa_arn`/`irsa_name` (v19) the IRSA role's.
pub fn output_reference(module_address: &str, output: &str) -> Option<(String, &'static str)> {
    let (res, attr) = match output {
        "iam_role_arn" => ("controller", "arn"),
        "iam_role_name" => ("controller", "name"),
        "iam_role_unique_id" => ("controller", "unique_id"),
        "irsa_arn" => ("irsa", "arn"),
        "irsa_name" => ("irsa", "name"),
        "irsa_unique_id" => ("irsa", "unique_id"),
        _ => return None,
    };
    Some((format!("{module_address}.aws_iam_role.{res}[0]"), attr))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{addresses, args, at, body, call, conditions};
    use super::super::{expand, known, Known, ModuleCall};
    use super::*;

    const SOURCE: &str = "terraform-aws-modules/eks/aws//modules/karpenter";

    fn expand_with(version: Option<&str>, text: &str) -> Expansion {
        let a = args(text);
        expand(&ModuleCall {
            address: "module.karpenter",
            version,
            ..call(SOURCE, &a)
        })
        .expect("modelled")
    }

    fn str_of<'a>(n: &'a Node, key: &str) -> Option<&'a str> {
        n.get(key).and_then(Node::as_str)
    }

    #[test]
    fn the_submodule_is_known_by_its_registry_and_git_sources() {
        for s in [
            SOURCE,
            "git::https://github.com/terraform-aws-modules/terraform-aws-eks.git//modules/karpenter?ref=v20.8.4",
        ] {
            assert_eq!(known(s), Some(Known::Karpenter), "{s}");
        }
        // The cluster module itself is not this one.
        assert_eq!(known("terraform-aws-modules/eks/aws"), None);
    }

    /// The major: by the inputs only one declares, else by the version or `?ref=`.
    #[test]
    fn the_major_comes_from_the_inputs_or_the_version() {
        let major_of = |source: &str, version: Option<&str>, text: &str| {
            let a = args(text);
            major(&ModuleCall {
                version,
                ..call(source, &a)
            })
        };
        let plain = "cluster_name: prod\n";
        assert_eq!(major_of(SOURCE, Some("~> 19.21"), plain), Some(Major::V19));
        assert_eq!(major_of(SOURCE, Some("20.8.4"), plain), Some(Major::V20));
        assert_eq!(major_of(SOURCE, Some("= v21.1.0"), plain), Some(Major::V21));
        assert_eq!(major_of(SOURCE, Some(">= 20.0"), plain), None);
        assert_eq!(major_of(SOURCE, Some("~> 18.0"), plain), None);
        assert_eq!(major_of(SOURCE, None, plain), None);
        let git = "git::https://github.com/terraform-aws-modules/terraform-aws-eks.git//modules/karpenter?ref=v21.3.1";
        assert_eq!(major_of(git, None, plain), Some(Major::V21));
        // An input only one major declares wins over a version that says otherwise.
        assert_eq!(
            major_of(SOURCE, None, "create_irsa: true\n"),
            Some(Major::V19)
        );
        assert_eq!(major_of(SOURCE, None, "policies: {}\n"), Some(Major::V19));
        assert_eq!(
            major_of(SOURCE, Some("~> 21.0"), "enable_irsa: true\n"),
            Some(Major::V20)
        );
        assert_eq!(
            major_of(SOURCE, None, "enable_pod_identity: true\n"),
            Some(Major::V20)
        );
        // Without a major, nothing is generated.
        assert!(expand_with(None, plain).resources.is_empty());
    }

    /// v19 (examples/karpenter@v19.21.0): the IRSA role for `karpenter:karpenter` by
    /// default, prefixed `KarpenterIRSA-<cluster>-`, with `sub` and `aud` conditions.
    #[test]
    fn v19_makes_the_irsa_role_for_its_service_accounts() {
        let text = "cluster_name: prod\nirsa_oidc_provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC\npolicies:\n  ssm: arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore\n";
        let e = expand_with(Some("~> 19.21"), text);
        assert_eq!(e.model, MODEL_V19);
        assert_eq!(
            addresses(&e),
            [
                "module.karpenter.aws_iam_role.irsa[0]",
                "module.karpenter.aws_iam_role_policy_attachment.irsa_additional[\"ssm\"]"
            ]
        );
        let role = body(&e, "module.karpenter.aws_iam_role.irsa[0]");
        assert_eq!(str_of(role, "name_prefix"), Some("KarpenterIRSA-prod-"));
        assert_eq!(str_of(role, "path"), Some("/"));
        let trust = role.get("assume_role_policy").unwrap();
        let conds = conditions(text, trust, 0);
        let keyed: Vec<(&str, &str, &str)> = conds
            .iter()
            .map(|(op, k, v, _)| (op.as_str(), k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            keyed,
            [
                (
                    "StringEquals",
                    "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub",
                    "system:serviceaccount:karpenter:karpenter"
                ),
                (
                    "StringEquals",
                    "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud",
                    "sts.amazonaws.com"
                )
            ]
        );
        let attachment = body(
            &e,
            "module.karpenter.aws_iam_role_policy_attachment.irsa_additional[\"ssm\"]",
        );
        // The role's name is a prefix: known only at apply, by the role's address.
        assert_eq!(
            str_of(attachment, "role"),
            Some("module.karpenter.aws_iam_role.irsa[0].name")
        );
        // The user's own name and accounts, where they were written.
        let text = "irsa_name: karpenter\nirsa_use_name_prefix: false\nirsa_namespace_service_accounts: [kube-system:karpenter]\nirsa_assume_role_condition_test: StringLike\nirsa_oidc_provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC\n";
        let e = expand_with(None, text);
        let role = body(&e, "module.karpenter.aws_iam_role.irsa[0]");
        assert_eq!(str_of(role, "name"), Some("karpenter"));
        let conds = conditions(text, role.get("assume_role_policy").unwrap(), 0);
        assert_eq!(
            (
                conds[0].0.as_str(),
                conds[0].2.as_str(),
                conds[0].3.as_str()
            ),
            (
                "StringLike",
                "system:serviceaccount:kube-system:karpenter",
                "3:35"
            )
        );
        // What only apply knows: the cluster's name in the role's, the provider, the
        // accounts.
        let text = "create_irsa: true\ncluster_name: !Unknown module.eks.cluster_name\nirsa_namespace_service_accounts: !Unknown var.accounts\n";
        let e = expand_with(None, text);
        let role = body(&e, "module.karpenter.aws_iam_role.irsa[0]");
        assert!(is_unknown(role.get("name_prefix").unwrap()));
        let st = &role
            .path(&["assume_role_policy", "Statement"])
            .unwrap()
            .items()[0];
        let provider = st.path(&["Principal", "Federated"]).unwrap();
        let provider = provider.items().first().unwrap_or(provider);
        assert!(is_unknown(provider), "{provider:?}");
        let conds = conditions(text, role.get("assume_role_policy").unwrap(), 0);
        assert_eq!(conds[0].2, "system:serviceaccount:${var.accounts}");
        // Switched off.
        assert!(expand_with(None, "create_irsa: false\n")
            .resources
            .is_empty());
        assert!(expand_with(Some("19.21.0"), "create: false\n")
            .resources
            .is_empty());
    }

    /// v20: the controller role trusts Pod Identity (and IRSA with `enable_irsa`); the
    /// association only with `create_pod_identity_association`.
    #[test]
    fn v20_makes_the_controller_role_and_the_association_when_asked() {
        let e = expand_with(Some("~> 20.0"), "cluster_name: prod\n");
        assert_eq!(e.model, MODEL_V20);
        assert_eq!(
            addresses(&e),
            ["module.karpenter.aws_iam_role.controller[0]"]
        );
        let role = body(&e, "module.karpenter.aws_iam_role.controller[0]");
        assert_eq!(str_of(role, "name_prefix"), Some("KarpenterController-"));
        let trust = role.get("assume_role_policy").unwrap();
        let statements = trust.get("Statement").unwrap().items();
        assert_eq!(statements.len(), 1);
        assert_eq!(
            statements[0]
                .path(&["Principal", "Service"])
                .and_then(Node::as_str),
            Some("pods.eks.amazonaws.com")
        );
        let actions: Vec<_> = statements[0]
            .get("Action")
            .unwrap()
            .items()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(actions, ["sts:AssumeRole", "sts:TagSession"]);

        let text = "cluster_name: prod\ncreate_pod_identity_association: true\nnamespace: karpenter\nenable_irsa: true\nirsa_oidc_provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC\n";
        let e = expand_with(None, text);
        assert_eq!(
            addresses(&e),
            [
                "module.karpenter.aws_iam_role.controller[0]",
                "module.karpenter.aws_eks_pod_identity_association.karpenter[0]"
            ]
        );
        let trust = body(&e, "module.karpenter.aws_iam_role.controller[0]")
            .get("assume_role_policy")
            .unwrap();
        assert_eq!(trust.get("Statement").unwrap().items().len(), 2);
        assert_eq!(
            conditions(text, trust, 1)[0].2,
            "system:serviceaccount:karpenter:karpenter"
        );
        let a = body(
            &e,
            "module.karpenter.aws_eks_pod_identity_association.karpenter[0]",
        );
        assert_eq!(str_of(a, "namespace"), Some("karpenter"));
        assert_eq!(at(text, a.get("namespace").unwrap().span), "3:12");
        assert_eq!(str_of(a, "service_account"), Some("karpenter"));
        assert_eq!(str_of(a, "cluster_name"), Some("prod"));
        assert_eq!(
            str_of(a, "role_arn"),
            Some("module.karpenter.aws_iam_role.controller[0].arn")
        );
        // Pod Identity off: neither its statement nor the association.
        let e = expand_with(
            None,
            "enable_pod_identity: false\nenable_irsa: true\ncreate_pod_identity_association: true\n",
        );
        assert_eq!(
            addresses(&e),
            ["module.karpenter.aws_iam_role.controller[0]"]
        );
        let trust = body(&e, "module.karpenter.aws_iam_role.controller[0]")
            .get("assume_role_policy")
            .unwrap();
        let st = &trust.get("Statement").unwrap().items()[0];
        assert!(st.path(&["Principal", "Federated"]).is_some());
        // A switch only apply knows: which statements there are is not known.
        let e = expand_with(None, "enable_irsa: !Unknown var.irsa\n");
        let trust = body(&e, "module.karpenter.aws_iam_role.controller[0]")
            .get("assume_role_policy")
            .unwrap();
        assert!(is_unknown(trust));
        assert!(expand_with(Some("20.37.2"), "create_iam_role: false\n")
            .resources
            .is_empty());
    }

    /// v21: Pod Identity only, and the association by default, in kube-system/karpenter.
    #[test]
    fn v21_associates_kube_system_karpenter_by_default() {
        let e = expand_with(Some("~> 21.0"), "cluster_name: prod\niam_role_name: karpenter-prod\niam_role_use_name_prefix: false\niam_role_policies:\n  ssm: arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore\n");
        assert_eq!(e.model, MODEL_V21);
        assert_eq!(
            addresses(&e),
            [
                "module.karpenter.aws_iam_role.controller[0]",
                "module.karpenter.aws_iam_role_policy_attachment.controller_additional[\"ssm\"]",
                "module.karpenter.aws_eks_pod_identity_association.karpenter[0]"
            ]
        );
        let role = body(&e, "module.karpenter.aws_iam_role.controller[0]");
        assert_eq!(str_of(role, "name"), Some("karpenter-prod"));
        let attachment = body(
            &e,
            "module.karpenter.aws_iam_role_policy_attachment.controller_additional[\"ssm\"]",
        );
        assert_eq!(str_of(attachment, "role"), Some("karpenter-prod"));
        let a = body(
            &e,
            "module.karpenter.aws_eks_pod_identity_association.karpenter[0]",
        );
        assert_eq!(
            (str_of(a, "namespace"), str_of(a, "service_account")),
            (Some("kube-system"), Some("karpenter"))
        );
        let e = expand_with(Some("21.19.0"), "create_pod_identity_association: false\n");
        assert_eq!(
            addresses(&e),
            ["module.karpenter.aws_iam_role.controller[0]"]
        );
    }

    #[test]
    fn outputs_name_the_controller_or_irsa_role() {
        assert_eq!(
            output_reference("module.karpenter", "iam_role_arn"),
            Some(("module.karpenter.aws_iam_role.controller[0]".into(), "arn"))
        );
        assert_eq!(
            output_reference("module.karpenter", "irsa_arn"),
            Some(("module.karpenter.aws_iam_role.irsa[0]".into(), "arn"))
        );
        assert_eq!(
            output_reference("module.karpenter", "irsa_name"),
            Some(("module.karpenter.aws_iam_role.irsa[0]".into(), "name"))
        );
        assert_eq!(
            output_reference("module.karpenter", "iam_role_name"),
            Some(("module.karpenter.aws_iam_role.controller[0]".into(), "name"))
        );
        // The unique ids (outputs.tf: `try(aws_iam_role.irsa[0].unique_id, null)` at v19.21.0,
        // `aws_iam_role.controller[0].unique_id` at v21.0.0).
        assert_eq!(
            output_reference("module.karpenter", "irsa_unique_id"),
            Some(("module.karpenter.aws_iam_role.irsa[0]".into(), "unique_id"))
        );
        assert_eq!(
            output_reference("module.karpenter", "iam_role_unique_id"),
            Some((
                "module.karpenter.aws_iam_role.controller[0]".into(),
                "unique_id"
            ))
        );
        // v19's `role_arn` is the node role's: not modelled.
        assert_eq!(output_reference("module.karpenter", "role_arn"), None);
        assert_eq!(
            output_reference("module.karpenter", "node_iam_role_arn"),
            None
        );
    }
}
