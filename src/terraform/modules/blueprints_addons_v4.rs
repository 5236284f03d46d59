//! aws-ia/terraform-aws-eks-blueprints `modules/kubernetes-addons`, eks-blueprints v4's
//! add-ons module (`enable_<addon> = true` plus `<addon>_helm_config`,
//! `<addon>_irsa_policies`, ...): each enabled add-on is a local module of its own
//! (`modules/kubernetes-addons/<addon>`) that writes its IAM policy and calls the helm-addon
//! ([`super::blueprints_helm_addon_v4`], at the same tag) with an `irsa_config`, so the role,
//! its trust (through `modules/irsa`), the ServiceAccount it annotates and the chart's
//! release exist. Read from the tags themselves; this model follows the add-ons below from
//! v4.17.0 (which let `helm_config.service_account` rename every add-on's account: #1193)
//! to v4.32.1, the last v4 release (`git diff v4.17.0 v4.32.1` of their main.tf/locals.tf
//! changes the policies' statements and adds `create_service_account_secret_token`, nothing
//! of the names, namespaces or the policies attached):
//!
//! | add-on (`enable_…`) | release (`name`, `namespace`) | account (`helm_config.service_account`) | the module's policy | the user's policies |
//! |---|---|---|---|---|
//! | `aws_load_balancer_controller` | `aws-load-balancer-controller` (fixed), `kube-system` | `aws-load-balancer-controller-sa`; the chart told `serviceAccount.name`, `serviceAccount.create=false` | `aws_iam_policy.aws_load_balancer_controller` | none |
//! | `cluster_autoscaler` | `try(helm_config.name, "cluster-autoscaler")`, `try(helm_config.namespace, "kube-system")` | `<name>-sa`; the chart told `rbac.serviceAccount.*` | `aws_iam_policy.cluster_autoscaler` | none |
//! | `external_dns` | `try(helm_config.name, "external-dns")`, the name | `<name>-sa`; `serviceAccount.*` | `aws_iam_policy.external_dns` | `external_dns_irsa_policies` |
//! | `karpenter` | `karpenter` (fixed), the name | `karpenter`; `serviceAccount.*` | `aws_iam_policy.karpenter` | `karpenter_irsa_policies` |
//! | `aws_for_fluentbit` (`module "aws_for_fluent_bit"`) | `aws-for-fluent-bit` (fixed), the name | `<name>-sa`; `serviceAccount.*` | `aws_iam_policy.aws_for_fluent_bit` | `aws_for_fluentbit_irsa_policies` |
//! | `cert_manager` | `cert-manager` (fixed), the name | `cert-manager`, not renamed; `serviceAccount.*` | `aws_iam_policy.cert_manager` | `cert_manager_irsa_policies` |
//! | `external_secrets` | `external-secrets` (fixed), the name | `<name>-sa`; `serviceAccount.*`, `webhook.serviceAccount.*`, `certController.serviceAccount.*` | `aws_iam_policy.external_secrets` | `external_secrets_irsa_policies` |
//! | `aws_efs_csi_driver` | `try(helm_config.name, "aws-efs-csi-driver")`, `try(helm_config.namespace, "kube-system")` | `<name>-sa`; `controller.serviceAccount.*`, `node.serviceAccount.*` | `aws_iam_policy.aws_efs_csi_driver` | `aws_efs_csi_driver_irsa_policies` |
//!
//! (Each add-on's locals.tf and main.tf at v4.17.0 and v4.32.1; the namespace is created by
//! the irsa module unless `helm_config.create_namespace` is `false`, whose default is `false`
//! for cluster-autoscaler and aws-efs-csi-driver only; the root's main.tf passes
//! `var.<addon>_helm_config`, `var.<addon>_irsa_policies`, `var.argocd_manage_add_ons`,
//! `local.addon_context`.)
//!
//! The add-on context (locals.tf): `eks_cluster_id` is the call's (v4.32.1 reads it back
//! through `data.aws_eks_cluster`, by that name), the provider ARN
//! `arn:${partition}:iam::${account_id}:oidc-provider/<issuer>` with the issuer the call's
//! `eks_oidc_provider` (else the cluster's, which only apply knows), `irsa_iam_role_path`
//! (default `/`) and `irsa_iam_permissions_boundary` (default `""`).
//!
//! The module's own policy of each add-on is producer-owned (its statements are the
//! module's; `perm-*` findings on it are info), the `<addon>_irsa_policies` are the user's.
//! Every other add-on enabled (or one of these at a tag outside v4.17.0–v4.32.1) is not
//! read: listed by `lint --explain` ([`super::Affects::NotModelled`]), nothing guessed.

use super::{arg, blueprints_helm_addon_v4, entry, flag, is_unknown, map, resource, seq};
use super::{str_node, unknown, Affects, Expansion, IgnoredInput, ModuleCall};
use super::{MAYBE, PRODUCER_OWNED};
use crate::source::file::Span;
use crate::source::node::{Entry, Node, Value};

const MODULE: &str = "aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons";

pub const MODEL: &str = "aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons v4.32.1";

const HELM_ADDON: &str =
    "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon";

/// One add-on this model follows.
struct Addon {
    /// `enable_<key>`, `<key>_helm_config`, `<key>_irsa_policies`.
    key: &'static str,
    /// `module "<module>"` of the root, and its `aws_iam_policy "<module>"`.
    module: &'static str,
    /// The release's default name; `fixed`: the user's `helm_config.name` does not rename
    /// the account or the chart (`local.name = "<name>"`).
    name: &'static str,
    fixed: bool,
    /// The namespace when `helm_config` gives none; `None`: the release's name.
    namespace: Option<&'static str>,
    /// The account the irsa module creates and the chart is told to use.
    account: Account,
    /// The prefixes of the chart's account values (`serviceAccount`, `rbac.serviceAccount`):
    /// `<prefix>.name` is the account, `<prefix>.create` is `false`.
    account_values: &'static [&'static str],
    /// The module gives the release `values` of its own (a template or heredoc of the
    /// module's directory: unknown here).
    values: bool,
    repository: &'static str,
    /// The user's `helm_config.set_values` are appended to the module's.
    user_set_values: bool,
    /// `try(helm_config.create_namespace, <default>)` for the irsa module.
    create_namespace: bool,
    /// `concat([<the module's policy>], var.<key>_irsa_policies)`.
    irsa_policies: bool,
}

/// How an add-on names its account.
#[derive(Clone, Copy)]
enum Account {
    /// `try(helm_config.service_account, "<name>-sa")`.
    NameSa,
    /// `try(helm_config.service_account, "<default>")`.
    Default(&'static str),
    /// Always this one (cert-manager: "AWS PrivateCA is expecting the service account name
    /// as `cert-manager`").
    Locked(&'static str),
}

const ADDONS: &[Addon] = &[
    // aws-load-balancer-controller/locals.tf, main.tf.
    Addon {
        key: "aws_load_balancer_controller",
        module: "aws_load_balancer_controller",
        name: "aws-load-balancer-controller",
        fixed: true,
        namespace: Some("kube-system"),
        account: Account::NameSa,
        account_values: &["serviceAccount"],
        values: true,
        repository: "https://aws.github.io/eks-charts",
        user_set_values: true,
        create_namespace: true,
        irsa_policies: false,
    },
    // cluster-autoscaler/main.tf.
    Addon {
        key: "cluster_autoscaler",
        module: "cluster_autoscaler",
        name: "cluster-autoscaler",
        fixed: false,
        namespace: Some("kube-system"),
        account: Account::NameSa,
        account_values: &["rbac.serviceAccount"],
        values: true,
        repository: "https://kubernetes.github.io/autoscaler",
        user_set_values: false,
        create_namespace: false,
        irsa_policies: false,
    },
    // external-dns/main.tf, locals.tf.
    Addon {
        key: "external_dns",
        module: "external_dns",
        name: "external-dns",
        fixed: false,
        namespace: None,
        account: Account::NameSa,
        account_values: &["serviceAccount"],
        values: true,
        repository: "https://charts.bitnami.com/bitnami",
        user_set_values: true,
        create_namespace: true,
        irsa_policies: true,
    },
    // karpenter/locals.tf, main.tf.
    Addon {
        key: "karpenter",
        module: "karpenter",
        name: "karpenter",
        fixed: true,
        namespace: None,
        account: Account::Default("karpenter"),
        account_values: &["serviceAccount"],
        values: true,
        repository: "oci://public.ecr.aws/karpenter",
        user_set_values: false,
        create_namespace: true,
        irsa_policies: true,
    },
    // aws-for-fluentbit/locals.tf, main.tf (the root's `module "aws_for_fluent_bit"`).
    Addon {
        key: "aws_for_fluentbit",
        module: "aws_for_fluent_bit",
        name: "aws-for-fluent-bit",
        fixed: true,
        namespace: None,
        account: Account::NameSa,
        account_values: &["serviceAccount"],
        values: true,
        repository: "https://aws.github.io/eks-charts",
        user_set_values: false,
        create_namespace: true,
        irsa_policies: true,
    },
    // cert-manager/locals.tf, main.tf.
    Addon {
        key: "cert_manager",
        module: "cert_manager",
        name: "cert-manager",
        fixed: true,
        namespace: None,
        account: Account::Locked("cert-manager"),
        account_values: &["serviceAccount"],
        values: true,
        repository: "https://charts.jetstack.io",
        user_set_values: true,
        create_namespace: true,
        irsa_policies: true,
    },
    // external-secrets/locals.tf, main.tf: one account for the three deployments.
    Addon {
        key: "external_secrets",
        module: "external_secrets",
        name: "external-secrets",
        fixed: true,
        namespace: None,
        account: Account::NameSa,
        account_values: &[
            "serviceAccount",
            "webhook.serviceAccount",
            "certController.serviceAccount",
        ],
        values: false,
        repository: "https://charts.external-secrets.io/",
        user_set_values: false,
        create_namespace: true,
        irsa_policies: true,
    },
    // aws-efs-csi-driver/main.tf: one account for the controller and the node daemonset.
    Addon {
        key: "aws_efs_csi_driver",
        module: "aws_efs_csi_driver",
        name: "aws-efs-csi-driver",
        fixed: false,
        namespace: Some("kube-system"),
        account: Account::NameSa,
        account_values: &["controller.serviceAccount", "node.serviceAccount"],
        values: false,
        repository: "https://kubernetes-sigs.github.io/aws-efs-csi-driver/",
        user_set_values: false,
        create_namespace: false,
        irsa_policies: true,
    },
];

/// Whether the call's `?ref=` is one of v4.17.0–v4.32.1.
fn followed(call: &ModuleCall<'_>) -> bool {
    super::blueprints_irsa_v4::v4_tag(call.source).is_some_and(|(minor, _)| minor >= 17)
}

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let tagged = followed(call);
    let model = match tagged {
        true => format!(
            "{MODULE} {}",
            super::blueprints_irsa_v4::git_ref(call.source).unwrap_or("v4.32.1")
        ),
        false => format!("{MODULE} v4"),
    };
    let mut out = Expansion {
        model: model.clone(),
        resources: Vec::new(),
        ignored: Vec::new(),
    };
    for e in call.args.entries() {
        let Some(key) = e.key.as_str().and_then(|k| k.strip_prefix("enable_")) else {
            continue;
        };
        // `enable_<addon> = false` makes nothing; `true` or only apply knows: made.
        if flag(call, &format!("enable_{key}"), false) == Some(false) {
            continue;
        }
        match ADDONS.iter().find(|a| a.key == key).filter(|_| tagged) {
            Some(a) => addon(call, a, &model, e.key.span, &mut out),
            None => out.ignored.push(not_read(call, key, e.key.span, &model)),
        }
    }
    out
}

/// The entry saying that an enabled add-on is not read.
fn not_read(call: &ModuleCall<'_>, key: &str, span: Span, model: &str) -> IgnoredInput {
    let why = match ADDONS.iter().any(|a| a.key == key) {
        true => "followed from v4.17.0 to v4.32.1 only: the ref is none of them".to_string(),
        false => "not followed by the model: what it makes is unknown".to_string(),
    };
    IgnoredInput {
        span,
        input: format!("enable_{key}"),
        expected: why,
        model: model.to_string(),
        affects: Affects::NotModelled {
            call: call.address.to_string(),
        },
    }
}

/// `try(<map>.<key>, default)`: the map's value when known and given, an unknown named by
/// the map's expression when the map is unknown, else `default`.
fn pick(user: Option<&Node>, key: &str, default: impl FnOnce() -> Node) -> Node {
    match user {
        Some(u) if is_unknown(u) => unknown(
            format!("{}.{key}", u.as_str().unwrap_or("var.helm_config")),
            u.span,
        ),
        Some(u) => u
            .get(key)
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(default),
        None => default(),
    }
}

/// `<name>-sa`, known when the name is.
fn account_of(name: &Node) -> Node {
    match name.as_str().filter(|_| !is_unknown(name)) {
        Some(n) => str_node(format!("{n}-sa"), name.span),
        None => unknown(format!("{}-sa", name.as_str().unwrap_or("")), name.span),
    }
}

/// `merge(defaults, user)`: the user's keys over the defaults; unknown when the user's map
/// is.
fn merge(defaults: Vec<Entry>, user: Option<&Node>, at: Span) -> Node {
    let Some(u) = user else {
        return map(defaults, at);
    };
    if is_unknown(u) {
        return u.clone();
    }
    let mut entries = defaults;
    for e in u.entries() {
        match entries
            .iter_mut()
            .find(|d| d.key.as_str() == e.key.as_str())
        {
            Some(d) => *d = e.clone(),
            None => entries.push(e.clone()),
        }
    }
    map(entries, u.span)
}

fn set_value(name: String, value: Node) -> Node {
    let at = value.span;
    map(
        vec![entry("name", str_node(name, at)), entry("value", value)],
        at,
    )
}

/// `local.addon_context` as the add-ons read it.
fn addon_context(call: &ModuleCall<'_>) -> Node {
    let cluster = arg(call, "eks_cluster_id")
        .cloned()
        .unwrap_or_else(|| unknown("var.eks_cluster_id", call.anchor));
    let prefix = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/";
    let arn = match arg(call, "eks_oidc_provider") {
        // A known issuer: a template whose issuer part is known, as Terraform's string is.
        Some(i) if !is_unknown(i) && i.as_str().is_some() => {
            let mut n = str_node(format!("{prefix}{}", i.as_str().unwrap_or("")), i.span);
            n.tag = "!Sub".into();
            n
        }
        Some(i) => unknown(
            format!(
                "{prefix}${{{}}}",
                i.as_str().unwrap_or("var.eks_oidc_provider")
            ),
            i.span,
        ),
        None => unknown(
            format!("{prefix}${{data.aws_eks_cluster.eks_cluster.identity[0].oidc[0].issuer}}"),
            call.anchor,
        ),
    };
    let mut entries = vec![
        entry("eks_cluster_id", cluster),
        entry("eks_oidc_provider_arn", arn),
    ];
    for (key, default) in [
        ("irsa_iam_role_path", "/"),
        ("irsa_iam_permissions_boundary", ""),
    ] {
        let v = arg(call, key)
            .cloned()
            .unwrap_or_else(|| str_node(default, call.anchor));
        entries.push(entry(key, v));
    }
    map(entries, call.anchor)
}

/// What one enabled add-on makes: its policy and the helm-addon call.
fn addon(call: &ModuleCall<'_>, a: &Addon, model: &str, enable: Span, out: &mut Expansion) {
    let address = format!("{}.module.{}[0]", call.address, a.module);
    let here = ModuleCall {
        address: &address,
        ..*call
    };
    let user = arg(call, &format!("{}_helm_config", a.key));
    let name = match a.fixed {
        true => str_node(a.name, enable),
        false => pick(user, "name", || str_node(a.name, enable)),
    };
    let account = match a.account {
        Account::NameSa => pick(user, "service_account", || account_of(&name)),
        Account::Default(d) => pick(user, "service_account", || str_node(d, enable)),
        Account::Locked(d) => str_node(d, enable),
    };
    let default_ns = match a.namespace {
        Some(ns) => str_node(ns, enable),
        None => name.clone(),
    };
    let namespace = pick(user, "namespace", || default_ns.clone());
    let mut defaults = vec![
        entry("name", name.clone()),
        entry("chart", name.clone()),
        entry("repository", str_node(a.repository, enable)),
        entry("namespace", default_ns.clone()),
    ];
    if a.values {
        // The module's values: a template or heredoc of the module's (not on disk here).
        defaults.push(entry(
            "values",
            unknown(
                format!("{address}.module.helm_addon.helm_config.values"),
                enable,
            ),
        ));
    }
    let helm_config = merge(defaults, user, enable);
    let mut sets = Vec::new();
    for prefix in a.account_values {
        sets.push(set_value(format!("{prefix}.name"), account.clone()));
        sets.push(set_value(
            format!("{prefix}.create"),
            Node::new(Value::Bool(false), enable),
        ));
    }
    if a.user_set_values {
        match user.map(|u| pick(Some(u), "set_values", || seq(Vec::new(), enable))) {
            Some(s) if is_unknown(&s) => sets.push(map(vec![entry("name", s.clone())], s.span)),
            Some(s) => sets.extend(s.items().iter().cloned()),
            None => {}
        }
    }
    // The module's policy: its statements are the module's.
    let policy_address = format!("{address}.aws_iam_policy.{}", a.module);
    let mut owned = Node::new(Value::Bool(true), enable);
    owned.tag = crate::source::node::Tag::NONE;
    let mut body = vec![
        entry(
            "policy",
            unknown(
                format!("the policy {model} writes for `enable_{}`", a.key),
                enable,
            ),
        ),
        entry(PRODUCER_OWNED, owned.clone()),
    ];
    if flag(call, &format!("enable_{}", a.key), false).is_none() {
        body.push(entry(MAYBE, owned));
    }
    out.resources
        .push(resource(&here, model, "aws_iam_policy", a.module, "", body));
    let mut policies = vec![unknown(format!("{policy_address}.arn"), enable)];
    let user_policies = format!("{}_irsa_policies", a.key);
    if let Some(p) = arg(call, &user_policies).filter(|_| a.irsa_policies) {
        policies.extend(p.items().iter().cloned());
    }
    let create_namespace = pick(user, "create_namespace", || {
        Node::new(Value::Bool(a.create_namespace), enable)
    });
    let irsa_config = map(
        vec![
            entry("kubernetes_namespace", namespace),
            entry("kubernetes_service_account", account),
            entry("create_kubernetes_namespace", create_namespace),
            entry(
                "create_kubernetes_service_account",
                Node::new(Value::Bool(true), enable),
            ),
            entry("irsa_iam_policies", seq(policies, enable)),
        ],
        enable,
    );
    let mut args = vec![
        entry("helm_config", helm_config),
        entry("set_values", seq(sets, enable)),
        entry("irsa_config", irsa_config),
        entry("addon_context", addon_context(call)),
    ];
    if let Some(g) = arg(call, "argocd_manage_add_ons") {
        args.push(entry("manage_via_gitops", g.clone()));
    }
    let args = map(args, enable);
    let source = match super::blueprints_irsa_v4::git_ref(call.source) {
        Some(r) => format!("{HELM_ADDON}?ref={r}"),
        None => HELM_ADDON.to_string(),
    };
    let helm_address = format!("{address}.module.helm_addon");
    let helm = ModuleCall {
        address: &helm_address,
        source: &source,
        version: None,
        args: &args,
        file: call.file,
        anchor: call.anchor,
        call: call.call,
    };
    let e = blueprints_helm_addon_v4::expand(&helm);
    out.resources.extend(e.resources);
    out.ignored.extend(e.ignored);
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{addresses, at, body, conditions, trust};
    use super::super::{is_producer_owned, is_unknown, known, Affects, Expansion};
    use super::super::{Known, MAYBE};
    use crate::source::node::Node;

    const SOURCE: &str =
        "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref=v4.32.1";
    const ISS: &str = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";

    fn expand_at(source: &str, text: &str) -> Expansion {
        super::super::test_support::expand_call("module.addons", source, text)
    }

    fn text_at<'n>(n: &'n Node, path: &[&str]) -> Option<&'n str> {
        n.path(path).and_then(Node::as_str)
    }

    /// `(name, value)` of the release's `set`s.
    fn sets(e: &Expansion, release: &str) -> Vec<(String, String)> {
        body(e, release)
            .get("set")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .map(|s| {
                let v = s.get("value").unwrap();
                (
                    s.get("name").and_then(Node::as_str).unwrap_or("").into(),
                    v.scalar_text().map(|t| t.to_string()).unwrap_or_default(),
                )
            })
            .collect()
    }

    const LBC: &str = "module.addons.module.aws_load_balancer_controller[0]";
    const DNS: &str = "module.addons.module.external_dns[0]";
    const CA: &str = "module.addons.module.cluster_autoscaler[0]";

    /// The blue-green-upgrade example's call (eks-blueprints v4.32.1, trimmed): the
    /// load-balancer controller's account renamed by `service_account`, external-dns with a
    /// policy of the user's; each add-on's policy (producer-owned), the helm-addon's release
    /// and irsa module (role named `<cluster>-<account>-irsa`, trust on the account, the
    /// ServiceAccount annotated); the add-ons not modelled listed, not guessed.
    #[test]
    fn the_example_generates_each_addons_role_account_and_release() {
        let text = format!(
            "eks_cluster_id: blue
eks_oidc_provider: {ISS}
enable_metrics_server: true
enable_aws_load_balancer_controller: true
aws_load_balancer_controller_helm_config:
  service_account: aws-lb-sa
enable_amazon_eks_aws_ebs_csi_driver: true
enable_external_dns: true
external_dns_irsa_policies: [\"arn:aws:iam::aws:policy/AmazonRoute53FullAccess\"]
enable_cluster_autoscaler: false
"
        );
        let e = expand_at(SOURCE, &text);
        assert_eq!(
            addresses(&e),
            [
                "module.addons.module.aws_load_balancer_controller[0].aws_iam_policy.aws_load_balancer_controller",
                "module.addons.module.aws_load_balancer_controller[0].module.helm_addon.helm_release.addon[0]",
                "module.addons.module.aws_load_balancer_controller[0].module.helm_addon.module.irsa[0].kubernetes_service_account_v1.irsa[0]",
                "module.addons.module.aws_load_balancer_controller[0].module.helm_addon.module.irsa[0].aws_iam_role.irsa[0]",
                "module.addons.module.aws_load_balancer_controller[0].module.helm_addon.module.irsa[0].aws_iam_role_policy_attachment.irsa[0]",
                "module.addons.module.external_dns[0].aws_iam_policy.external_dns",
                "module.addons.module.external_dns[0].module.helm_addon.helm_release.addon[0]",
                "module.addons.module.external_dns[0].module.helm_addon.module.irsa[0].kubernetes_namespace_v1.irsa[0]",
                "module.addons.module.external_dns[0].module.helm_addon.module.irsa[0].kubernetes_service_account_v1.irsa[0]",
                "module.addons.module.external_dns[0].module.helm_addon.module.irsa[0].aws_iam_role.irsa[0]",
                "module.addons.module.external_dns[0].module.helm_addon.module.irsa[0].aws_iam_role_policy_attachment.irsa[0]",
                "module.addons.module.external_dns[0].module.helm_addon.module.irsa[0].aws_iam_role_policy_attachment.irsa[1]",
            ]
        );
        // The load-balancer controller: in kube-system, the account renamed, the chart told
        // to use it and not to create one.
        let irsa = format!("{LBC}.module.helm_addon.module.irsa[0]");
        let sa = body(&e, &format!("{irsa}.kubernetes_service_account_v1.irsa[0]"));
        assert_eq!(text_at(sa, &["metadata", "name"]), Some("aws-lb-sa"));
        assert_eq!(text_at(sa, &["metadata", "namespace"]), Some("kube-system"));
        let role = body(&e, &format!("{irsa}.aws_iam_role.irsa[0]"));
        assert_eq!(text_at(role, &["name"]), Some("blue-aws-lb-sa-irsa"));
        let release = format!("{LBC}.module.helm_addon.helm_release.addon[0]");
        assert_eq!(
            sets(&e, &release),
            [
                ("serviceAccount.name".into(), "aws-lb-sa".into()),
                ("serviceAccount.create".into(), "false".into())
            ]
        );
        let r = body(&e, &release);
        assert_eq!(text_at(r, &["name"]), Some("aws-load-balancer-controller"));
        assert_eq!(text_at(r, &["chart"]), Some("aws-load-balancer-controller"));
        assert_eq!(text_at(r, &["namespace"]), Some("kube-system"));
        assert!(is_unknown(r.get("values").unwrap()));
        // The trust: the issuer the call names, the account, at `enable_…`.
        let roles: Vec<_> = e
            .resources
            .iter()
            .filter(|r| r.kind == "aws_iam_role")
            .collect();
        let one = Expansion {
            model: e.model.clone(),
            resources: vec![roles[0].clone()],
            ignored: Vec::new(),
        };
        let c = conditions(&text, trust(&one), 0);
        assert_eq!(
            (
                c[0].0.as_str(),
                c[0].1.as_str(),
                c[0].2.as_str(),
                c[0].3.as_str()
            ),
            (
                "StringLike",
                &*format!("{ISS}:sub"),
                "system:serviceaccount:kube-system:aws-lb-sa",
                "6:20"
            )
        );
        let fed = trust(&one).get("Statement").unwrap().items()[0]
            .path(&["Principal", "Federated"])
            .unwrap();
        assert_eq!(fed.tag.as_deref(), Some("!Sub"));
        assert_eq!(at(&text, fed.span), "2:20");
        // The policy of the module's own: producer-owned; the attachment names it.
        let own = e
            .resources
            .iter()
            .find(|r| r.kind == "aws_iam_policy" && r.address.starts_with(LBC))
            .unwrap();
        assert!(is_producer_owned(own));
        assert!(own.body.get(MAYBE).is_none());
        // `lint --explain` names it with the role of the add-on's helm-addon irsa call.
        let listed = super::super::producer_policies(&e.resources);
        let lbc = listed
            .iter()
            .find(|p| p.switch == "enable_aws_load_balancer_controller")
            .unwrap();
        assert_eq!(
            lbc.role,
            format!("{LBC}.module.helm_addon.module.irsa[0].aws_iam_role.irsa[0]")
        );
        assert_eq!(at(&text, lbc.span), "4:1");
        assert_eq!(listed.len(), 2);
        let att = body(
            &e,
            &format!("{irsa}.aws_iam_role_policy_attachment.irsa[0]"),
        );
        assert_eq!(
            text_at(att, &["policy_arn"]),
            Some(&*format!("{}.arn", own.address))
        );
        // external-dns: its namespace is its name, its account `<name>-sa`; the user's
        // policy after the module's, at the ARN written.
        let irsa = format!("{DNS}.module.helm_addon.module.irsa[0]");
        let sa = body(&e, &format!("{irsa}.kubernetes_service_account_v1.irsa[0]"));
        assert_eq!(text_at(sa, &["metadata", "name"]), Some("external-dns-sa"));
        assert_eq!(
            text_at(sa, &["metadata", "namespace"]),
            Some("external-dns")
        );
        let att = body(
            &e,
            &format!("{irsa}.aws_iam_role_policy_attachment.irsa[1]"),
        );
        let arn = att.get("policy_arn").unwrap();
        assert_eq!(
            (arn.as_str(), at(&text, arn.span).as_str()),
            (
                Some("arn:aws:iam::aws:policy/AmazonRoute53FullAccess"),
                "9:30"
            )
        );
        // Not modelled: listed at the switch, nothing made.
        let listed: Vec<_> = e
            .ignored
            .iter()
            .map(|i| (i.input.as_str(), at(&text, i.span), &i.affects))
            .collect();
        let not_modelled = Affects::NotModelled {
            call: "module.addons".into(),
        };
        assert_eq!(
            listed,
            [
                ("enable_metrics_server", "3:1".to_string(), &not_modelled),
                (
                    "enable_amazon_eks_aws_ebs_csi_driver",
                    "7:1".to_string(),
                    &not_modelled
                ),
            ]
        );
        assert!(!addresses(&e).iter().any(|a| a.contains("ebs")));
    }

    /// cluster-autoscaler: named and namespaced by `helm_config`, its account `<name>-sa`
    /// given to the chart under `rbac.serviceAccount`; the namespace not created unless
    /// asked (`create_namespace` default `false`).
    #[test]
    fn cluster_autoscaler_reads_its_name_and_namespace_from_helm_config() {
        let text = "eks_cluster_id: blue\nenable_cluster_autoscaler: true\ncluster_autoscaler_helm_config:\n  name: ca\n  namespace: autoscaling\n";
        let e = expand_at(SOURCE, text);
        let irsa = format!("{CA}.module.helm_addon.module.irsa[0]");
        assert!(!addresses(&e)
            .iter()
            .any(|a| a.contains("kubernetes_namespace")));
        let sa = body(&e, &format!("{irsa}.kubernetes_service_account_v1.irsa[0]"));
        assert_eq!(text_at(sa, &["metadata", "name"]), Some("ca-sa"));
        assert_eq!(text_at(sa, &["metadata", "namespace"]), Some("autoscaling"));
        let release = format!("{CA}.module.helm_addon.helm_release.addon[0]");
        assert_eq!(
            sets(&e, &release),
            [
                ("rbac.serviceAccount.name".into(), "ca-sa".into()),
                ("rbac.serviceAccount.create".into(), "false".into())
            ]
        );
        assert_eq!(text_at(body(&e, &release), &["chart"]), Some("ca"));
        // With no issuer given, the cluster's (unknown): the keys are templates.
        let st = &trust(&e).get("Statement").unwrap().items()[0];
        let key = &st.get("Condition").unwrap().entries()[0].value.entries()[0].key;
        assert_eq!(key.tag.as_deref(), Some("!Sub"));
        // create_namespace: true creates it.
        let created = text.replace("  name: ca\n", "  name: ca\n  create_namespace: true\n");
        assert!(addresses(&expand_at(SOURCE, &created))
            .iter()
            .any(|a| a.contains("kubernetes_namespace")));
    }

    /// A `helm_config` only apply knows: the names are unknown, named by the expression;
    /// an `enable_…` only apply knows: made, the module's policy marked as maybe attached;
    /// `argocd_manage_add_ons = true`: no release, the role and account still made.
    #[test]
    fn unknowns_stay_unknown_and_gitops_drops_the_release() {
        let text = "eks_cluster_id: blue\nenable_external_dns: !Unknown var.dns\nexternal_dns_helm_config: !Unknown local.dns\n";
        let e = expand_at(SOURCE, text);
        let irsa = format!("{DNS}.module.helm_addon.module.irsa[0]");
        let sa = body(&e, &format!("{irsa}.kubernetes_service_account_v1.irsa[0]"));
        let name = sa.path(&["metadata", "name"]).unwrap();
        assert!(is_unknown(name));
        assert_eq!(name.as_str(), Some("local.dns.service_account"));
        let own = e
            .resources
            .iter()
            .find(|r| r.kind == "aws_iam_policy")
            .unwrap();
        assert!(own.body.get(MAYBE).is_some());
        let gitops =
            "eks_cluster_id: blue\nargocd_manage_add_ons: true\nenable_external_dns: true\n";
        let e = expand_at(SOURCE, gitops);
        assert!(!addresses(&e).iter().any(|a| a.contains("helm_release")));
        assert!(addresses(&e)
            .iter()
            .any(|a| a.ends_with("aws_iam_role.irsa[0]")));
    }

    /// The other add-ons: each one's namespace, account (karpenter's default `karpenter`,
    /// cert-manager's always `cert-manager`), the chart's account values (external-secrets'
    /// three deployments, the EFS driver's controller and node), its policy, and the user's
    /// policies after it.
    #[test]
    fn each_addon_names_its_account_as_its_module_does() {
        let text = "eks_cluster_id: blue
enable_karpenter: true
karpenter_irsa_policies: [\"arn:aws:iam::111122223333:policy/k\"]
enable_aws_for_fluentbit: true
enable_cert_manager: true
cert_manager_helm_config:
  service_account: ignored
  namespace: certs
enable_external_secrets: true
enable_aws_efs_csi_driver: true
aws_efs_csi_driver_helm_config:
  name: efs
";
        let e = expand_at(SOURCE, text);
        assert!(e.ignored.is_empty());
        // (module, namespace, account, chart values prefixes, user's policies)
        let cases: [(&str, &str, &str, &[&str], usize); 5] = [
            (
                "karpenter",
                "karpenter",
                "karpenter",
                &["serviceAccount"],
                1,
            ),
            (
                "aws_for_fluent_bit",
                "aws-for-fluent-bit",
                "aws-for-fluent-bit-sa",
                &["serviceAccount"],
                0,
            ),
            (
                "cert_manager",
                "certs",
                "cert-manager",
                &["serviceAccount"],
                0,
            ),
            (
                "external_secrets",
                "external-secrets",
                "external-secrets-sa",
                &[
                    "serviceAccount",
                    "webhook.serviceAccount",
                    "certController.serviceAccount",
                ],
                0,
            ),
            (
                "aws_efs_csi_driver",
                "kube-system",
                "efs-sa",
                &["controller.serviceAccount", "node.serviceAccount"],
                0,
            ),
        ];
        for (module, ns, account, prefixes, users) in cases {
            let base = format!("module.addons.module.{module}[0]");
            let irsa = format!("{base}.module.helm_addon.module.irsa[0]");
            let sa = body(&e, &format!("{irsa}.kubernetes_service_account_v1.irsa[0]"));
            assert_eq!(
                text_at(sa, &["metadata", "name"]),
                Some(account),
                "{module}"
            );
            assert_eq!(
                text_at(sa, &["metadata", "namespace"]),
                Some(ns),
                "{module}"
            );
            let want: Vec<(String, String)> = prefixes
                .iter()
                .flat_map(|p| {
                    [
                        (format!("{p}.name"), account.to_string()),
                        (format!("{p}.create"), "false".to_string()),
                    ]
                })
                .collect();
            let release = format!("{base}.module.helm_addon.helm_release.addon[0]");
            assert_eq!(sets(&e, &release), want, "{module}");
            // `merge(defaults, var.helm_config)`: the user's namespace is the release's.
            assert_eq!(
                text_at(body(&e, &release), &["namespace"]),
                Some(ns),
                "{module}"
            );
            let own = body(&e, &format!("{base}.aws_iam_policy.{module}"));
            assert!(own.get(super::PRODUCER_OWNED).is_some(), "{module}");
            let attachments = addresses(&e)
                .iter()
                .filter(|a| a.starts_with(&irsa) && a.contains("attachment"))
                .count();
            assert_eq!(attachments, 1 + users, "{module}");
        }
        // The EFS driver and cluster-autoscaler do not create their namespace by default.
        assert!(!addresses(&e)
            .iter()
            .any(|a| a.contains("aws_efs_csi_driver") && a.contains("kubernetes_namespace")));
        assert!(addresses(&e)
            .iter()
            .any(|a| a.contains("module.karpenter[0]") && a.contains("kubernetes_namespace")));
    }

    /// v4.17.0 is where the model starts: an earlier ref lists the add-ons as not read.
    #[test]
    fn refs_before_v4_17_0_are_not_read() {
        let text = "eks_cluster_id: blue\nenable_external_dns: true\n";
        for (r, made) in [
            ("v4.16.0", false),
            ("v4.17.0", true),
            ("v4.32.1", true),
            ("main", false),
        ] {
            let source = format!(
                "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref={r}"
            );
            let e = expand_at(&source, text);
            assert_eq!(!e.resources.is_empty(), made, "{r}");
            assert_eq!(e.ignored.len(), usize::from(!made), "{r}");
            if !made {
                assert!(e.ignored[0].expected.contains("v4.17.0"), "{r}");
            }
        }
        assert_eq!(known(SOURCE), Some(Known::BlueprintsAddonsV4));
    }
}
