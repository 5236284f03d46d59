//! `module "aws_ebs_csi_driver"` of eks-blueprints v4 `kubernetes-addons`
//! (`modules/kubernetes-addons/aws-ebs-csi-driver`), the one add-on of the eight EKS add-ons
//! whose role the module makes: `enable_amazon_eks_aws_ebs_csi_driver` installs the EKS
//! add-on (`aws_eks_addon`, which EKS runs as `kube-system/ebs-csi-controller-sa` and
//! annotates with its `service_account_role_arn`), with a role from `modules/irsa` of the same
//! tag (no ServiceAccount of its own: `create_kubernetes_service_account = false`), and from
//! v4.8.1 `enable_self_managed_aws_ebs_csi_driver` installs the chart through the helm-addon
//! instead. Read from the tags themselves (the add-on's main.tf, locals.tf, variables.tf and
//! the root's `module "aws_ebs_csi_driver"` at each tag where they change):
//!
//! | tags | the EKS add-on | its role (`module "irsa_addon"`) | self-managed |
//! |---|---|---|---|
//! | v4.0.0–v4.0.4 | `aws_eks_addon.aws_ebs_csi_driver`, `addon_name` `try(addon_config.addon_name, "aws-ebs-csi-driver")`; the role's ARN unless `addon_config.service_account_role_arn` is not `""` | always made (no `count`), `addon_context` whole; the account `addon_config.namespace`/`service_account` (`kube-system`/`ebs-csi-controller-sa`); `addon_config.additional_iam_policies` after the module's `aws_iam_policy.aws_ebs_csi_driver` | none |
//! | v4.0.5–v4.6.2 | `[0]`-less still; `addon_name` `aws-ebs-csi-driver`; `create_irsa = try(addon_config.service_account_role_arn == "", true)` | `irsa_addon[0]` when `create_irsa`, `kube-system/ebs-csi-controller-sa` fixed; the policy `[0]` too | none |
//! | v4.7.0–v4.8.0 | the same | the irsa module's v4.7.0 inputs (`eks_oidc_provider_arn`, path, boundary) | none |
//! | v4.8.1–v4.16.0 | `aws_eks_addon.aws_ebs_csi_driver[0]` unless self-managed is enabled too | unless self-managed; the namespace `try(self_managed_aws_ebs_csi_driver_helm_config.namespace, "kube-system")` | the helm-addon (`module.helm_addon[0]`) unless the EKS add-on is enabled too: the chart told `controller.serviceAccount.create=false`, its irsa call making `ebs-csi-controller-sa` in that namespace with the module's policy and `helm_config.additional_iam_policies` |
//! | v4.17.0–v4.32.1 | the same | the account `try(helm_config.service_account, "ebs-csi-controller-sa")` (the self-managed config's, also for the EKS add-on's role) | the same account |
//!
//! The module's policy is producer-owned (its statements are the module's, not read); the
//! `additional_iam_policies` are the user's. A `service_account_role_arn` given is the
//! user's role: the EKS add-on's account is annotated with it and nothing else is made.

use super::super::{arg, blueprints_helm_addon_v4, blueprints_irsa_v4, entry, flag, is_unknown};
use super::super::{map, resource, seq, str_node, unknown, Expansion, ModuleCall};
use crate::source::file::Span;
use crate::source::node::{Node, Value};

const IRSA: &str = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa";

/// The two switches as the call gives them: `Some(value)` when known, `None` when only apply
/// knows; the span of the first written.
pub(super) struct Switches {
    pub managed: Option<bool>,
    pub managed_at: Option<Span>,
    pub self_managed: Option<bool>,
    pub self_managed_at: Option<Span>,
}

/// `x.<key>` of a user's map input: the value when the map is known and has it (not
/// `null`), an unknown named `<expression>.<key>` when the map is unknown, `None` otherwise.
fn attr(map: Option<&Node>, key: &str) -> Option<Node> {
    let m = map?;
    if is_unknown(m) {
        let name = m.as_str().unwrap_or("var.addon_config");
        return Some(unknown(format!("{name}.{key}"), m.span));
    }
    m.get(key).filter(|v| !v.is_null()).cloned()
}

/// `count = a ? 1 : 0` with `a` three-valued: made unless known `false`.
fn made(b: Option<bool>) -> bool {
    b != Some(false)
}

/// What `module "aws_ebs_csi_driver"` makes at the release `v`, into `out`.
pub(super) fn expand(
    call: &ModuleCall<'_>,
    v: (u32, u32),
    model: &str,
    sw: &Switches,
    out: &mut Expansion,
) {
    let address = format!("{}.module.aws_ebs_csi_driver[0]", call.address);
    let here = ModuleCall {
        address: &address,
        ..*call
    };
    // Before v4.8.1 the root has no self-managed switch and the module no `count` on it.
    let self_managed = match v >= (8, 1) {
        true => sw.self_managed,
        false => Some(false),
    };
    let managed = sw.managed;
    let at = sw.managed_at.or(sw.self_managed_at).unwrap_or(call.anchor);
    let config = arg(call, "amazon_eks_aws_ebs_csi_driver_config");
    let helm = arg(call, "self_managed_aws_ebs_csi_driver_helm_config").filter(|_| v >= (8, 1));
    // `try(var.addon_config.service_account_role_arn == "", true)` (v4.0.5 on); before, the
    // irsa call is always made and the ARN given only replaces it on the add-on.
    let given = attr(config, "service_account_role_arn");
    let create_irsa = match &given {
        None => Some(true),
        Some(g) if is_unknown(g) => None,
        Some(g) => Some(g.as_str() == Some("")),
    };
    let counted = v >= (0, 5);
    let index = if counted { "[0]" } else { "" };
    let managed_on = made(managed) && self_managed != Some(true);
    let helm_on = v >= (8, 1) && made(self_managed) && managed != Some(true);
    let irsa_on = !counted || (made(create_irsa) && self_managed != Some(true));
    // `count = local.create_irsa || var.enable_self_managed_aws_ebs_csi_driver` (v4.8.1; from
    // v4.0.5 `create_irsa`; before, none).
    let policy_on = !counted || made(create_irsa) || made(self_managed);
    let policy_address = format!("{address}.aws_iam_policy.aws_ebs_csi_driver{index}");
    if policy_on {
        let switch = match (sw.managed_at, sw.self_managed_at) {
            (Some(_), _) => "enable_amazon_eks_aws_ebs_csi_driver",
            _ => "enable_self_managed_aws_ebs_csi_driver",
        };
        // Made for certain when the module is (its `count`: either switch) and, from
        // v4.0.5, its own `count` holds.
        let module = managed == Some(true) || self_managed == Some(true);
        let own = !counted || create_irsa == Some(true) || self_managed == Some(true);
        let certain = module && own;
        let body = super::super::owned_policy_body(model, switch, at, !certain);
        out.resources.push(resource(
            &here,
            model,
            "aws_iam_policy",
            "aws_ebs_csi_driver",
            index,
            body,
        ));
    }
    // The namespace and account the role trusts (v4.0.0–v4.0.4: `addon_config`'s; v4.8.1
    // on: the self-managed config's namespace; v4.17.0 on: its account too).
    let managed_at = sw.managed_at.unwrap_or(at);
    let (namespace, account) = if !counted {
        (
            attr(config, "namespace").unwrap_or_else(|| str_node("kube-system", managed_at)),
            attr(config, "service_account")
                .unwrap_or_else(|| str_node("ebs-csi-controller-sa", managed_at)),
        )
    } else {
        let ns_at = sw.self_managed_at.filter(|_| helm_on).unwrap_or(managed_at);
        let ns = match v >= (8, 1) {
            true => attr(helm, "namespace"),
            false => None,
        };
        let sa = match v >= (17, 0) {
            true => attr(helm, "service_account"),
            false => None,
        };
        (
            ns.unwrap_or_else(|| str_node("kube-system", ns_at)),
            sa.unwrap_or_else(|| str_node("ebs-csi-controller-sa", ns_at)),
        )
    };
    let policy_arn = unknown(format!("{policy_address}.arn"), at);
    // `concat([<the module's policy>], <the user's list>)`: a list only apply knows is one
    // attachment whose ARN is unknown, after the module's.
    let with_user = |user: Option<Node>| {
        let mut p = vec![policy_arn.clone()];
        match user {
            Some(u) if is_unknown(&u) => p.push(u),
            Some(u) => p.extend(u.items().iter().cloned()),
            None => {}
        }
        seq(p, at)
    };
    let context = super::addon_context(call, (true, true), v);
    let role = format!("{address}.module.irsa_addon{index}.aws_iam_role.irsa[0]");
    if irsa_on {
        let mut args = vec![
            entry(
                "create_kubernetes_namespace",
                Node::new(Value::Bool(false), at),
            ),
            entry(
                "create_kubernetes_service_account",
                Node::new(Value::Bool(false), at),
            ),
            entry("kubernetes_namespace", namespace.clone()),
            entry("kubernetes_service_account", account.clone()),
            entry(
                "irsa_iam_policies",
                with_user(attr(config, "additional_iam_policies")),
            ),
        ];
        if v >= (7, 0) {
            for key in [
                "irsa_iam_role_path",
                "irsa_iam_permissions_boundary",
                "eks_cluster_id",
                "eks_oidc_provider_arn",
            ] {
                if let Some(x) = context.get(key) {
                    args.push(entry(key, x.clone()));
                }
            }
        } else {
            args.push(entry("addon_context", context.clone()));
        }
        let source = match blueprints_irsa_v4::git_ref(call.source) {
            Some(r) => format!("{IRSA}?ref={r}"),
            None => IRSA.to_string(),
        };
        let irsa_address = format!("{address}.module.irsa_addon{index}");
        let args = map(args, at);
        let nested = call.nested(&irsa_address, &source, &args);
        let mut e = blueprints_irsa_v4::expand(&nested);
        chain(&mut e, model);
        out.resources.extend(e.resources);
        out.ignored.extend(e.ignored);
    }
    if managed_on {
        // The role's ARN, or the one given (v4.0.0–v4.0.4: any but `""`; `create_irsa`
        // false from v4.0.5); one only apply knows: unknown, named by it.
        let arn = match (&given, create_irsa) {
            (_, Some(true)) => unknown(format!("{role}.arn"), at),
            (Some(g), Some(false)) => g.clone(),
            (Some(g), None) => unknown(
                format!(
                    "{} == \"\" ? {role}.arn : {0}",
                    g.as_str().unwrap_or("service_account_role_arn")
                ),
                g.span,
            ),
            (None, _) => unknown(format!("{role}.arn"), at),
        };
        let name = match counted {
            true => None,
            false => attr(config, "addon_name"),
        }
        .unwrap_or_else(|| str_node("aws-ebs-csi-driver", managed_at));
        let cluster = context
            .get("eks_cluster_id")
            .cloned()
            .unwrap_or_else(|| unknown("var.eks_cluster_id", at));
        out.resources.push(resource(
            &here,
            model,
            "aws_eks_addon",
            "aws_ebs_csi_driver",
            if v >= (8, 1) { "[0]" } else { "" },
            vec![
                entry("cluster_name", cluster),
                entry("addon_name", name),
                entry("service_account_role_arn", arn),
            ],
        ));
    }
    if helm_on {
        helm_addon(
            call,
            &address,
            model,
            (namespace, account),
            helm,
            with_user,
            context,
            out,
        );
    }
}

/// The self-managed chart: the helm-addon call (v4.8.1 on).
#[allow(clippy::too_many_arguments)]
fn helm_addon(
    call: &ModuleCall<'_>,
    address: &str,
    model: &str,
    (namespace, account): (Node, Node),
    helm: Option<&Node>,
    with_user: impl Fn(Option<Node>) -> Node,
    context: Node,
    out: &mut Expansion,
) {
    let at = namespace.span;
    let defaults = vec![
        entry("name", str_node("aws-ebs-csi-driver", at)),
        entry("chart", str_node("aws-ebs-csi-driver", at)),
        entry(
            "repository",
            str_node("https://kubernetes-sigs.github.io/aws-ebs-csi-driver", at),
        ),
        entry("namespace", namespace.clone()),
        // A heredoc of the module's with the cluster's id (and from v4.13.0 the add-on's
        // version): not read.
        entry(
            "values",
            unknown(
                format!("{address}.module.helm_addon[0].helm_config.values"),
                at,
            ),
        ),
    ];
    let helm_config = super::merge(defaults, helm, at);
    let create_namespace =
        attr(helm, "create_namespace").unwrap_or_else(|| Node::new(Value::Bool(false), at));
    let irsa_config = map(
        vec![
            entry("create_kubernetes_namespace", create_namespace),
            entry("kubernetes_namespace", namespace),
            entry(
                "create_kubernetes_service_account",
                Node::new(Value::Bool(true), at),
            ),
            entry("kubernetes_service_account", account),
            entry(
                "irsa_iam_policies",
                with_user(attr(helm, "additional_iam_policies")),
            ),
        ],
        at,
    );
    let sets = seq(
        vec![super::set_value(
            "controller.serviceAccount.create".into(),
            str_node("false", at),
        )],
        at,
    );
    // No `manage_via_gitops`: neither the root passes `argocd_manage_add_ons` to this module
    // nor the module to its helm-addon (v4.8.1–v4.32.1), so the release is always made.
    let args = vec![
        entry("helm_config", helm_config),
        entry("set_values", sets),
        entry("irsa_config", irsa_config),
        entry("addon_context", context),
    ];
    let args = map(args, at);
    let source = match blueprints_irsa_v4::git_ref(call.source) {
        Some(r) => format!("{}?ref={r}", super::HELM_ADDON),
        None => super::HELM_ADDON.to_string(),
    };
    let helm_address = format!("{address}.module.helm_addon[0]");
    let nested = call.nested(&helm_address, &source, &args);
    let mut e = blueprints_helm_addon_v4::expand(&nested);
    chain(&mut e, model);
    out.resources.extend(e.resources);
    out.ignored.extend(e.ignored);
}

/// Marks what a nested call generated as called by the kubernetes-addons block (see
/// `blueprints_helm_addon_v4::written_call`).
fn chain(e: &mut Expansion, model: &str) {
    for r in &mut e.resources {
        if let crate::terraform::Origin::Module { model: m } = &mut r.origin {
            *m = format!("{m}{}{model}", blueprints_helm_addon_v4::CALLED_BY);
        }
    }
}

/// Whether an add-on switch is the EBS driver's.
pub(super) fn is_switch(key: &str) -> bool {
    matches!(
        key,
        "amazon_eks_aws_ebs_csi_driver" | "self_managed_aws_ebs_csi_driver"
    )
}

/// The switches of the call (`flag` of each, the span of its key).
pub(super) fn switches(call: &ModuleCall<'_>) -> Switches {
    let key_at = |k: &str| call.args.entry(k).map(|e| e.key.span);
    Switches {
        managed: flag(call, "enable_amazon_eks_aws_ebs_csi_driver", false),
        managed_at: key_at("enable_amazon_eks_aws_ebs_csi_driver"),
        self_managed: flag(call, "enable_self_managed_aws_ebs_csi_driver", false),
        self_managed_at: key_at("enable_self_managed_aws_ebs_csi_driver"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::test_support::{addresses, at, body, conditions, expand_call};
    use super::super::super::{is_producer_owned, is_unknown, Expansion, MAYBE};
    use crate::source::node::Node;

    const ISS: &str = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
    const M: &str = "module.addons.module.aws_ebs_csi_driver[0]";

    fn expand_at(tag: &str, text: &str) -> Expansion {
        let source = format!(
            "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref={tag}"
        );
        expand_call("module.addons", &source, text)
    }

    fn text_at<'n>(n: &'n Node, path: &[&str]) -> Option<&'n str> {
        n.path(path).and_then(Node::as_str)
    }

    /// The trust's `sub` condition: (operator, key, value, line:col of the value).
    fn sub(text: &str, e: &Expansion) -> (String, String, String, String) {
        let role = e
            .resources
            .iter()
            .find(|r| r.kind == "aws_iam_role")
            .unwrap();
        let one = Expansion {
            model: e.model.clone(),
            resources: vec![role.clone()],
            ignored: Vec::new(),
        };
        let trust = super::super::super::test_support::trust(&one);
        conditions(text, trust, 0).into_iter().next().unwrap()
    }

    /// v4.32.1, the EKS add-on (the blue-green-upgrade example's switch): the module's
    /// policy (producer-owned), the irsa call's role trusting
    /// `kube-system/ebs-csi-controller-sa` (no ServiceAccount of its own: EKS makes it), the
    /// user's `additional_iam_policies` after the module's, and the `aws_eks_addon` given
    /// the role's ARN, every value at the switch or at what the user wrote.
    #[test]
    fn the_eks_addon_gets_the_irsa_role() {
        let text = format!(
            "eks_cluster_id: blue
eks_oidc_provider: {ISS}
enable_amazon_eks_aws_ebs_csi_driver: true
amazon_eks_aws_ebs_csi_driver_config:
  additional_iam_policies: [\"arn:aws:iam::111122223333:policy/kms\"]
"
        );
        let e = expand_at("v4.32.1", &text);
        let irsa = format!("{M}.module.irsa_addon[0]");
        assert_eq!(
            addresses(&e),
            [
                format!("{M}.aws_iam_policy.aws_ebs_csi_driver[0]"),
                format!("{irsa}.aws_iam_role.irsa[0]"),
                format!("{irsa}.aws_iam_role_policy_attachment.irsa[0]"),
                format!("{irsa}.aws_iam_role_policy_attachment.irsa[1]"),
                format!("{M}.aws_eks_addon.aws_ebs_csi_driver[0]"),
            ]
        );
        let addon = body(&e, &format!("{M}.aws_eks_addon.aws_ebs_csi_driver[0]"));
        assert_eq!(text_at(addon, &["addon_name"]), Some("aws-ebs-csi-driver"));
        assert_eq!(text_at(addon, &["cluster_name"]), Some("blue"));
        let arn = addon.get("service_account_role_arn").unwrap();
        assert!(is_unknown(arn));
        assert_eq!(
            arn.as_str(),
            Some(&*format!("{irsa}.aws_iam_role.irsa[0].arn"))
        );
        let (op, key, value, pos) = sub(&text, &e);
        assert_eq!(
            (op.as_str(), key.as_str(), value.as_str(), pos.as_str()),
            (
                "StringLike",
                &*format!("{ISS}:sub"),
                "system:serviceaccount:kube-system:ebs-csi-controller-sa",
                "3:1"
            )
        );
        let own = e
            .resources
            .iter()
            .find(|r| r.kind == "aws_iam_policy")
            .unwrap();
        assert!(is_producer_owned(own));
        assert!(own.body.get(MAYBE).is_none());
        let user = body(
            &e,
            &format!("{irsa}.aws_iam_role_policy_attachment.irsa[1]"),
        );
        let p = user.get("policy_arn").unwrap();
        assert_eq!(at(&text, p.span), "5:29");
        // A list only apply knows: the module's policy attached, then one unknown.
        let later = text.replace(
            "[\"arn:aws:iam::111122223333:policy/kms\"]",
            "!Unknown var.ebs_policies",
        );
        let e = expand_at("v4.32.1", &later);
        let arns: Vec<_> = ["irsa[0]", "irsa[1]"]
            .iter()
            .map(|i| {
                let a = body(&e, &format!("{irsa}.aws_iam_role_policy_attachment.{i}"));
                a.get("policy_arn").unwrap().as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(
            arns,
            [
                format!("{M}.aws_iam_policy.aws_ebs_csi_driver[0].arn"),
                "var.ebs_policies".to_string()
            ]
        );
        let listed = super::super::super::producer_policies(&e.resources);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].role, format!("{irsa}.aws_iam_role.irsa[0]"));
        assert_eq!(listed[0].switch, "enable_amazon_eks_aws_ebs_csi_driver");
        assert!(e.ignored.is_empty());
    }

    /// A role given (`service_account_role_arn`): from v4.0.5 nothing of the module's but
    /// the add-on, annotated with it as written; in v4.0.0–v4.0.4 the role and the policy
    /// are still made (no `count`), the add-on gets the one given. One only apply knows:
    /// the role and policy may be made, the add-on's ARN unknown.
    #[test]
    fn a_role_given_replaces_the_modules() {
        let given = "arn:aws:iam::111122223333:role/ebs";
        let text = format!(
            "eks_cluster_id: blue\nenable_amazon_eks_aws_ebs_csi_driver: true\namazon_eks_aws_ebs_csi_driver_config:\n  service_account_role_arn: {given}\n"
        );
        let e = expand_at("v4.32.1", &text);
        assert_eq!(
            addresses(&e),
            [format!("{M}.aws_eks_addon.aws_ebs_csi_driver[0]")]
        );
        let arn = body(&e, addresses(&e)[0])
            .get("service_account_role_arn")
            .unwrap()
            .clone();
        assert_eq!(
            (arn.as_str(), at(&text, arn.span).as_str()),
            (Some(given), "4:29")
        );
        let e = expand_at("v4.0.4", &text);
        assert_eq!(
            addresses(&e),
            [
                format!("{M}.aws_iam_policy.aws_ebs_csi_driver"),
                format!("{M}.module.irsa_addon.aws_iam_role.irsa[0]"),
                format!("{M}.module.irsa_addon.aws_iam_role_policy_attachment.irsa[0]"),
                format!("{M}.aws_eks_addon.aws_ebs_csi_driver"),
            ]
        );
        let addon = body(&e, &format!("{M}.aws_eks_addon.aws_ebs_csi_driver"));
        assert_eq!(text_at(addon, &["service_account_role_arn"]), Some(given));
        let later = text.replace(given, "!Unknown var.ebs_role");
        let e = expand_at("v4.32.1", &later);
        let addon = body(&e, &format!("{M}.aws_eks_addon.aws_ebs_csi_driver[0]"));
        assert!(is_unknown(addon.get("service_account_role_arn").unwrap()));
        let own = e
            .resources
            .iter()
            .find(|r| r.kind == "aws_iam_policy")
            .unwrap();
        assert!(own.body.get(MAYBE).is_some());
        assert!(addresses(&e).iter().any(|a| a.contains("irsa_addon[0]")));
    }

    /// v4.0.0–v4.0.4 read the account, namespace and add-on name from `addon_config` (EKS
    /// still runs the add-on as `kube-system/ebs-csi-controller-sa`); v4.0.5 fixed them.
    /// v4.8.1 on: the namespace is the self-managed config's, and from v4.17.0 the account.
    #[test]
    fn each_tag_names_the_account_the_role_trusts() {
        let text = "eks_cluster_id: blue
enable_amazon_eks_aws_ebs_csi_driver: true
amazon_eks_aws_ebs_csi_driver_config:
  service_account: ebs-sa
  namespace: storage
self_managed_aws_ebs_csi_driver_helm_config:
  namespace: csi
  service_account: csi-sa
";
        for (tag, want, pos) in [
            ("v4.0.4", "system:serviceaccount:storage:ebs-sa", "4:20"),
            (
                "v4.0.5",
                "system:serviceaccount:kube-system:ebs-csi-controller-sa",
                "2:1",
            ),
            (
                "v4.8.0",
                "system:serviceaccount:kube-system:ebs-csi-controller-sa",
                "2:1",
            ),
            (
                "v4.8.1",
                "system:serviceaccount:csi:ebs-csi-controller-sa",
                "2:1",
            ),
            (
                "v4.16.0",
                "system:serviceaccount:csi:ebs-csi-controller-sa",
                "2:1",
            ),
            ("v4.17.0", "system:serviceaccount:csi:csi-sa", "8:20"),
        ] {
            let e = expand_at(tag, text);
            let (_, _, value, at) = sub(text, &e);
            assert_eq!((value.as_str(), at.as_str()), (want, pos), "{tag}");
        }
    }

    /// The self-managed chart (v4.8.1 on): the helm-addon's release told not to create the
    /// controller's account, its irsa call making `ebs-csi-controller-sa` in the config's
    /// namespace with the role; no EKS add-on. With both switches on, neither is installed
    /// (only the policy); before v4.8.1 the switch is no input (listed, nothing made).
    #[test]
    fn the_self_managed_chart_makes_its_account() {
        let text = "eks_cluster_id: blue
enable_self_managed_aws_ebs_csi_driver: true
self_managed_aws_ebs_csi_driver_helm_config:
  namespace: csi
  create_namespace: true
";
        let e = expand_at("v4.17.0", text);
        let helm = format!("{M}.module.helm_addon[0]");
        assert!(!addresses(&e).iter().any(|a| a.contains("aws_eks_addon")));
        let release = body(&e, &format!("{helm}.helm_release.addon[0]"));
        assert_eq!(text_at(release, &["namespace"]), Some("csi"));
        assert_eq!(text_at(release, &["chart"]), Some("aws-ebs-csi-driver"));
        let set = &release.get("set").unwrap().items()[0];
        assert_eq!(
            text_at(set, &["name"]),
            Some("controller.serviceAccount.create")
        );
        let sa = body(
            &e,
            &format!("{helm}.module.irsa[0].kubernetes_service_account_v1.irsa[0]"),
        );
        assert_eq!(
            text_at(sa, &["metadata", "name"]),
            Some("ebs-csi-controller-sa")
        );
        assert_eq!(text_at(sa, &["metadata", "namespace"]), Some("csi"));
        assert!(sa.path(&["metadata", "annotations"]).is_some());
        assert!(addresses(&e)
            .iter()
            .any(|a| a.ends_with("module.irsa[0].kubernetes_namespace_v1.irsa[0]")));
        // The module's policy is certainly made with the switch known on, maybe with it
        // unknown.
        let policy = |e: &Expansion| {
            let p = e
                .resources
                .iter()
                .find(|r| r.kind == "aws_iam_policy")
                .unwrap();
            p.body.get(MAYBE).is_some()
        };
        assert!(!policy(&e));
        let unknown_switch = text.replace(
            "self_managed_aws_ebs_csi_driver: true",
            "self_managed_aws_ebs_csi_driver: !Unknown var.ebs",
        );
        assert!(policy(&expand_at("v4.17.0", &unknown_switch)));
        // `argocd_manage_add_ons` does not reach this helm-addon: the release is made.
        let gitops = format!("{text}argocd_manage_add_ons: true\n");
        let e = expand_at("v4.17.0", &gitops);
        assert!(addresses(&e)
            .iter()
            .any(|a| a.ends_with("helm_release.addon[0]")));
        let both = format!("{text}enable_amazon_eks_aws_ebs_csi_driver: true\n");
        let e = expand_at("v4.17.0", &both);
        assert_eq!(
            addresses(&e),
            [format!("{M}.aws_iam_policy.aws_ebs_csi_driver[0]")]
        );
        let e = expand_at("v4.8.0", text);
        assert!(e.resources.is_empty());
        assert_eq!(e.ignored.len(), 1);
        assert!(e.ignored[0].expected.contains("v4.8.1"));
    }

    /// Before v4.7.0 the irsa call gets the add-on context whole (v4.0.9: its trust has no
    /// `aud`); a switch known `false` makes nothing; without a v4 tag, listed.
    #[test]
    fn early_tags_and_switches() {
        let text = format!(
            "eks_cluster_id: blue\neks_oidc_provider: {ISS}\nenable_amazon_eks_aws_ebs_csi_driver: true\n"
        );
        let e = expand_at("v4.0.9", &text);
        let role = e
            .resources
            .iter()
            .find(|r| r.kind == "aws_iam_role")
            .unwrap();
        let crate::terraform::Origin::Module { model } = &role.origin else {
            panic!()
        };
        assert!(super::super::super::blueprints_irsa_v4::writes_no_aud(
            model
        ));
        assert_eq!(
            super::super::super::blueprints_helm_addon_v4::written_call(&role.module, model),
            "module.addons"
        );
        let off = text.replace("driver: true", "driver: false");
        assert!(expand_at("v4.32.1", &off).resources.is_empty());
        let e = expand_at("main", &text);
        assert!(e.resources.is_empty());
        assert_eq!(e.ignored.len(), 1);
    }
}
