//! aws-ia/terraform-aws-eks-blueprints `modules/kubernetes-addons`, eks-blueprints v4's
//! add-ons module (`enable_<addon> = true` plus `<addon>_helm_config`,
//! `<addon>_irsa_policies`, ...): each enabled add-on is a local module of its own
//! (`modules/kubernetes-addons/<addon>`) that writes its IAM policy and calls the helm-addon
//! ([`super::blueprints_helm_addon_v4`], at the same tag) with an `irsa_config`, so the role,
//! its trust (through `modules/irsa`), the ServiceAccount it annotates and the chart's
//! release exist. Read from the tags themselves (each add-on's main.tf, locals.tf and
//! variables.tf, and the root's main.tf, locals.tf and variables.tf, at every v4 tag:
//! `git diff` between the tags where their blobs change). Every v4 tag is followed, v4.0.0
//! to v4.32.1, the last v4 release. The first table is v4.17.0 on (which let
//! `helm_config.service_account` rename every add-on's account: #1193; `git diff v4.17.0
//! v4.32.1` of their main.tf/locals.tf changes the policies' statements and adds
//! `create_service_account_secret_token`, nothing of the names, namespaces or the policies
//! attached); the second says what the earlier tags do differently:
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
//! Before v4.17.0 (the tag named is the first with the change; [`at_release`]):
//!
//! | add-on | what differs |
//! |---|---|
//! | `aws_load_balancer_controller` | account `aws-load-balancer-controller-sa`, not renamed; v4.0.0–v4.0.2: the irsa module's namespace `kube-system` (the release's still `helm_config`'s), not created; `helm_config.set_values` appended from v4.7.0 |
//! | `cluster_autoscaler` | v4.0.0–v4.1.0: `local.name = "cluster-autoscaler"`, account `cluster-autoscaler-sa`, the irsa module in `kube-system`, whatever `helm_config` says; v4.2.0–v4.16.0: `<name>-sa`, the name `try(helm_config.name, …)`, not renamed |
//! | `external_dns` | new in v4.0.2; until v4.13.1 `local.name = "external-dns"`, account `external-dns-sa`, the namespace `helm_config`'s or `external-dns`; v4.14.0–v4.16.0: `<name>-sa` of `try(helm_config.name, …)`; the namespace created whatever `create_namespace` says until v4.3.0; set values from v4.7.0 |
//! | `karpenter` | account `karpenter`, not renamed; the namespace always created until v4.3.0 (v4.0.0–v4.0.1 also set `controller.clusterName`, `controller.clusterEndpoint` and `aws.defaultInstanceProfile`: not followed, nothing of IAM) |
//! | `aws_for_fluentbit` | account `aws-for-fluent-bit-sa`, not renamed; the default namespace `logging` in v4.0.0–v4.0.1; always created until v4.3.0 |
//! | `cert_manager` | account `cert-manager-sa` until v4.0.3; no policy and no role until v4.0.5 (the irsa module then makes the account only), nor `cert_manager_irsa_policies`; no module values in v4.0.2–v4.0.3; the namespace always created until v4.0.3; set values from v4.8.0; its `addon_context` type drops `irsa_iam_role_path` until v4.0.5 and `irsa_iam_permissions_boundary` until v4.9.0 (the role gets `/` and no boundary) |
//! | `external_secrets` | new in v4.3.0; until v4.8.0 `irsa_config = null`: the release only (the chart makes its own account); account `external-secrets-sa`; `argocd_manage_add_ons` passed from v4.10.0 |
//! | `aws_efs_csi_driver` | `local.name = "aws-efs-csi-driver"`, account `efs-csi-sa`, not renamed; v4.0.0–v4.2.1: the irsa module in `kube-system`, not created; `aws_efs_csi_driver_irsa_policies` from v4.5.0 |
//!
//! The root's `eks_oidc_provider` is an input from v4.0.8; before, the issuer is always the
//! cluster's (`data.aws_eks_cluster`), which only apply knows.
//!
//! The add-on context (locals.tf): `eks_cluster_id` is the call's (v4.32.1 reads it back
//! through `data.aws_eks_cluster`, by that name), the provider ARN
//! `arn:${partition}:iam::${account_id}:oidc-provider/<issuer>` with the issuer the call's
//! `eks_oidc_provider` (else the cluster's, which only apply knows), `irsa_iam_role_path`
//! (default `/`) and `irsa_iam_permissions_boundary` (default `""`).
//!
//! `enable_amazon_eks_aws_ebs_csi_driver` (the EKS add-on, with a role from `modules/irsa`)
//! and `enable_self_managed_aws_ebs_csi_driver` (v4.8.1 on: the chart through the
//! helm-addon) make `module "aws_ebs_csi_driver"`, followed by [`ebs`] at every tag.
//!
//! The module's own policy of each add-on is producer-owned (its statements are the
//! module's; `perm-*` findings on it are info), the `<addon>_irsa_policies` are the user's.
//! Every other add-on enabled (one of these at a tag that has not got it, or a ref that is
//! no v4 tag: a branch, a commit) is not read: listed by `lint --explain`
//! ([`super::Affects::NotModelled`]), nothing guessed.

use super::{arg, blueprints_helm_addon_v4, entry, flag, is_unknown, map, resource, seq};
use super::{str_node, unknown, Affects, Expansion, IgnoredInput, ModuleCall};
use super::{MAYBE, PRODUCER_OWNED};
use crate::source::file::Span;
use crate::source::node::{Entry, Node, Value};

mod ebs;

pub(crate) const MODULE: &str = "aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons";

pub const MODEL: &str = "aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons v4.32.1";

const HELM_ADDON: &str =
    "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon";

/// One add-on this model follows.
#[derive(Clone, Copy)]
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
    /// The irsa module's namespace is that default whatever `helm_config` says (early
    /// releases wrote `kubernetes_namespace = "kube-system"`; the release's own namespace
    /// still follows `helm_config`).
    fixed_irsa_namespace: bool,
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
    /// `try(helm_config.create_namespace, <default>)` for the irsa module; `fixed`: always
    /// the default (`create_kubernetes_namespace = true` as written).
    create_namespace: bool,
    create_namespace_fixed: bool,
    /// `concat([<the module's policy>], var.<key>_irsa_policies)`.
    irsa_policies: bool,
    /// What the add-on gives the helm-addon as `irsa_config`.
    irsa: Irsa,
    /// The add-on's `addon_context` type has `irsa_iam_role_path` /
    /// `irsa_iam_permissions_boundary`: without it, Terraform's type conversion drops the
    /// root's value and the irsa module gets `null` (the path `/`, no boundary).
    keeps_path: bool,
    keeps_boundary: bool,
    /// The root passes `manage_via_gitops = var.argocd_manage_add_ons`.
    gitops: bool,
}

/// What an add-on asks of the helm-addon's irsa call.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Irsa {
    /// A role with the module's policy (and the user's), its account annotated.
    Role,
    /// `irsa_config` without `irsa_iam_policies`: the account only, no role and no policy
    /// of the module's (cert-manager before v4.0.5).
    AccountOnly,
    /// `irsa_config = null`: nothing but the release (external-secrets before v4.8.0).
    None,
}

/// How an add-on names its account.
#[derive(Clone, Copy)]
enum Account {
    /// `try(helm_config.service_account, "<name>-sa")`.
    NameSa,
    /// `"<name>-sa"`, the name the release's (`try(helm_config.name, …)`), not renamed.
    NameSaFixed,
    /// `try(helm_config.service_account, "<default>")`.
    Default(&'static str),
    /// Always this one (cert-manager: "AWS PrivateCA is expecting the service account name
    /// as `cert-manager`"; before v4.17.0 every add-on whose name is fixed).
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
        fixed_irsa_namespace: false,
        create_namespace_fixed: false,
        irsa: Irsa::Role,
        keeps_path: true,
        keeps_boundary: true,
        gitops: true,
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
        fixed_irsa_namespace: false,
        create_namespace_fixed: false,
        irsa: Irsa::Role,
        keeps_path: true,
        keeps_boundary: true,
        gitops: true,
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
        fixed_irsa_namespace: false,
        create_namespace_fixed: false,
        irsa: Irsa::Role,
        keeps_path: true,
        keeps_boundary: true,
        gitops: true,
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
        fixed_irsa_namespace: false,
        create_namespace_fixed: false,
        irsa: Irsa::Role,
        keeps_path: true,
        keeps_boundary: true,
        gitops: true,
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
        fixed_irsa_namespace: false,
        create_namespace_fixed: false,
        irsa: Irsa::Role,
        keeps_path: true,
        keeps_boundary: true,
        gitops: true,
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
        fixed_irsa_namespace: false,
        create_namespace_fixed: false,
        irsa: Irsa::Role,
        keeps_path: true,
        keeps_boundary: true,
        gitops: true,
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
        fixed_irsa_namespace: false,
        create_namespace_fixed: false,
        irsa: Irsa::Role,
        keeps_path: true,
        keeps_boundary: true,
        gitops: true,
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
        fixed_irsa_namespace: false,
        create_namespace_fixed: false,
        irsa: Irsa::Role,
        keeps_path: true,
        keeps_boundary: true,
        gitops: true,
    },
];

/// The kubernetes-addons block an address under one of its add-on modules
/// (`module.addons.module.karpenter[0].module.helm_addon.module.irsa[0]`) belongs to
/// (`module.addons`); the address itself when it is under none.
pub(crate) fn block_of(address: &str) -> &str {
    ADDONS
        .iter()
        .map(|a| a.module)
        .chain(["aws_ebs_csi_driver"])
        .filter_map(|m| address.rfind(&format!(".module.{m}[0]")))
        .max()
        .map_or(address, |i| &address[..i])
}

/// The add-on `a` (as v4.17.0 on write it) as the release `v` (`(minor, patch)` of a v4
/// tag) writes it; `Err` with the reason when that release has no such add-on. Each
/// threshold is the tag whose `git diff` against the one before changes it (see the module
/// doc's second table).
fn at_release(a: &Addon, v: (u32, u32)) -> Result<Addon, String> {
    let mut a = *a;
    let before = |t: (u32, u32)| v < t;
    let absent = |since: &str| {
        Err(format!(
            "`enable_{}` is no input of v4.{}.{} (the add-on came in {since}): Terraform refuses the call",
            a.key, v.0, v.1
        ))
    };
    // Before #1193 (v4.17.0) no add-on let `helm_config.service_account` rename its account.
    let locked = |a: &mut Addon, account: &'static str| {
        if before((17, 0)) {
            a.account = Account::Locked(account);
        }
    };
    // `create_kubernetes_namespace = true` before `try(helm_config["create_namespace"], …)`.
    let fixed_create = |a: &mut Addon, until: (u32, u32)| {
        if v < until {
            a.create_namespace_fixed = true;
        }
    };
    match a.key {
        "aws_load_balancer_controller" => {
            locked(&mut a, "aws-load-balancer-controller-sa");
            if before((0, 3)) {
                a.fixed_irsa_namespace = true;
                a.create_namespace = false;
                a.create_namespace_fixed = true;
            }
            a.user_set_values = !before((7, 0));
        }
        "cluster_autoscaler" => {
            if before((2, 0)) {
                a.fixed = true;
                a.account = Account::Locked("cluster-autoscaler-sa");
                a.fixed_irsa_namespace = true;
                a.create_namespace_fixed = true;
            } else if before((17, 0)) {
                a.account = Account::NameSaFixed;
            }
        }
        "external_dns" => {
            if before((0, 2)) {
                return absent("v4.0.2");
            }
            if before((14, 0)) {
                a.fixed = true;
                a.account = Account::Locked("external-dns-sa");
            } else if before((17, 0)) {
                a.account = Account::NameSaFixed;
            }
            fixed_create(&mut a, (3, 0));
            a.user_set_values = !before((7, 0));
        }
        "karpenter" => {
            locked(&mut a, "karpenter");
            fixed_create(&mut a, (3, 0));
        }
        "aws_for_fluentbit" => {
            locked(&mut a, "aws-for-fluent-bit-sa");
            if before((0, 2)) {
                a.namespace = Some("logging");
            }
            fixed_create(&mut a, (3, 0));
        }
        "cert_manager" => {
            if before((0, 4)) {
                a.account = Account::Locked("cert-manager-sa");
            }
            // v4.0.2–v4.0.3: `default_helm_values = []`.
            a.values = !(v >= (0, 2) && before((0, 4)));
            fixed_create(&mut a, (0, 3));
            if before((0, 5)) {
                a.irsa = Irsa::AccountOnly;
                a.irsa_policies = false;
                a.keeps_path = false;
            }
            a.keeps_boundary = !before((9, 0));
            a.user_set_values = !before((8, 0));
        }
        "external_secrets" => {
            if before((3, 0)) {
                return absent("v4.3.0");
            }
            locked(&mut a, "external-secrets-sa");
            if before((8, 0)) {
                a.irsa = Irsa::None;
                a.account_values = &[];
                a.irsa_policies = false;
            }
            a.gitops = !before((10, 0));
        }
        "aws_efs_csi_driver" => {
            if before((17, 0)) {
                a.fixed = true;
                a.account = Account::Locked("efs-csi-sa");
            }
            if before((3, 0)) {
                a.fixed_irsa_namespace = true;
                a.create_namespace_fixed = true;
            }
            a.irsa_policies = !before((5, 0));
        }
        _ => {}
    }
    Ok(a)
}

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let tag = super::blueprints_irsa_v4::v4_tag(call.source);
    let model = match tag {
        Some(_) => format!(
            "{MODULE} {}",
            super::blueprints_irsa_v4::git_ref(call.source).unwrap_or("v4.32.1")
        ),
        None => format!("{MODULE} v4"),
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
        if ebs::is_switch(key) {
            // Made once for both switches, below; the self-managed one from v4.8.1.
            let why = match tag {
                None => Some("followed at the v4 tags only: the ref is none of them".to_string()),
                Some(v) if key.starts_with("self") && v < (8, 1) => Some(format!(
                    "`enable_{key}` is no input of v4.{}.{} (it came in v4.8.1): Terraform refuses the call",
                    v.0, v.1
                )),
                Some(_) => None,
            };
            if let Some(why) = why {
                out.ignored
                    .push(not_read(call, key, e.key.span, &model, &why));
            }
            continue;
        }
        let Some(a) = ADDONS.iter().find(|a| a.key == key) else {
            let why = "not followed by the model: what it makes is unknown";
            out.ignored
                .push(not_read(call, key, e.key.span, &model, why));
            continue;
        };
        match tag.map(|v| (v, at_release(a, v))) {
            Some((v, Ok(a))) => addon(call, &a, v, &model, e.key.span, &mut out),
            Some((_, Err(why))) => out
                .ignored
                .push(not_read(call, key, e.key.span, &model, &why)),
            None => {
                let why = "followed at the v4 tags only: the ref is none of them";
                out.ignored
                    .push(not_read(call, key, e.key.span, &model, why));
            }
        }
    }
    if let Some(v) = tag {
        let sw = ebs::switches(call);
        let managed = sw.managed_at.is_some() && sw.managed != Some(false);
        let self_managed =
            v >= (8, 1) && sw.self_managed_at.is_some() && sw.self_managed != Some(false);
        if managed || self_managed {
            ebs::expand(call, v, &model, &sw, &mut out);
        }
    }
    out
}

/// The entry saying that an enabled add-on is not read, and `why`.
fn not_read(call: &ModuleCall<'_>, key: &str, span: Span, model: &str, why: &str) -> IgnoredInput {
    IgnoredInput {
        span,
        input: format!("enable_{key}"),
        expected: why.to_string(),
        model: model.to_string(),
        pinned: None,
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

/// `local.addon_context` as an add-on of the release `v` reads it: its own `addon_context`
/// type keeps `irsa_iam_role_path` and `irsa_iam_permissions_boundary` only when it
/// declares them (`keeps_path`, `keeps_boundary`); the issuer is the call's `eks_oidc_provider` from v4.0.8 (the
/// input is new there), else the cluster's, which only apply knows.
fn addon_context(
    call: &ModuleCall<'_>,
    (keeps_path, keeps_boundary): (bool, bool),
    v: (u32, u32),
) -> Node {
    let cluster = arg(call, "eks_cluster_id")
        .cloned()
        .unwrap_or_else(|| unknown("var.eks_cluster_id", call.anchor));
    let prefix = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/";
    let given = arg(call, "eks_oidc_provider").filter(|_| v >= (0, 8));
    let (issuer, arn) = match given {
        // A known issuer: a template whose issuer part is known, as Terraform's string is.
        Some(i) if !is_unknown(i) && i.as_str().is_some() => {
            let url = i.as_str().unwrap_or("");
            let mut n = str_node(format!("{prefix}{url}"), i.span);
            n.tag = "!Sub".into();
            (str_node(url, i.span), n)
        }
        Some(i) => {
            let name = i.as_str().unwrap_or("var.eks_oidc_provider");
            (
                unknown(name, i.span),
                unknown(format!("{prefix}${{{name}}}"), i.span),
            )
        }
        None => {
            let issuer = "data.aws_eks_cluster.eks_cluster.identity[0].oidc[0].issuer";
            (
                // `replace(<issuer>, "https://", "")`, named by the issuer: a name with
                // `https://` in it would read as a URL where the key's issuer is parsed.
                unknown(issuer, call.anchor),
                unknown(format!("{prefix}${{{issuer}}}"), call.anchor),
            )
        }
    };
    let mut entries = vec![
        entry("eks_cluster_id", cluster),
        entry("eks_oidc_issuer_url", issuer),
        entry("eks_oidc_provider_arn", arn),
    ];
    for (key, default, kept) in [
        ("irsa_iam_role_path", "/", keeps_path),
        ("irsa_iam_permissions_boundary", "", keeps_boundary),
    ] {
        if !kept {
            continue;
        }
        let v = arg(call, key)
            .cloned()
            .unwrap_or_else(|| str_node(default, call.anchor));
        entries.push(entry(key, v));
    }
    map(entries, call.anchor)
}

/// What one enabled add-on makes: its policy and the helm-addon call.
fn addon(
    call: &ModuleCall<'_>,
    a: &Addon,
    v: (u32, u32),
    model: &str,
    enable: Span,
    out: &mut Expansion,
) {
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
        Account::NameSaFixed => account_of(&name),
        Account::Default(d) => pick(user, "service_account", || str_node(d, enable)),
        Account::Locked(d) => str_node(d, enable),
    };
    let default_ns = match a.namespace {
        Some(ns) => str_node(ns, enable),
        None => name.clone(),
    };
    let namespace = match a.fixed_irsa_namespace {
        true => default_ns.clone(),
        false => pick(user, "namespace", || default_ns.clone()),
    };
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
    let create_namespace = match a.create_namespace_fixed {
        true => Node::new(Value::Bool(a.create_namespace), enable),
        false => pick(user, "create_namespace", || {
            Node::new(Value::Bool(a.create_namespace), enable)
        }),
    };
    let mut irsa_config = vec![
        entry("kubernetes_namespace", namespace),
        entry("kubernetes_service_account", account),
        entry("create_kubernetes_namespace", create_namespace),
        entry(
            "create_kubernetes_service_account",
            Node::new(Value::Bool(true), enable),
        ),
    ];
    if a.irsa == Irsa::Role {
        let policies = own_policy(call, &here, a, model, enable, out);
        irsa_config.push(entry("irsa_iam_policies", policies));
    }
    let mut args = vec![
        entry("helm_config", helm_config),
        entry("set_values", seq(sets, enable)),
    ];
    if a.irsa != Irsa::None {
        args.push(entry("irsa_config", map(irsa_config, enable)));
    }
    args.push(entry(
        "addon_context",
        addon_context(call, (a.keeps_path, a.keeps_boundary), v),
    ));
    if let Some(g) = arg(call, "argocd_manage_add_ons").filter(|_| a.gitops) {
        args.push(entry("manage_via_gitops", g.clone()));
    }
    let args = map(args, enable);
    let source = match super::blueprints_irsa_v4::git_ref(call.source) {
        Some(r) => format!("{HELM_ADDON}?ref={r}"),
        None => HELM_ADDON.to_string(),
    };
    let helm_address = format!("{address}.module.helm_addon");
    let helm = call.nested(&helm_address, &source, &args);
    let mut e = blueprints_helm_addon_v4::expand(&helm);
    // The chain of calls, to the block the user wrote (see
    // `blueprints_helm_addon_v4::written_call`).
    for r in &mut e.resources {
        if let crate::terraform::Origin::Module { model: m } = &mut r.origin {
            *m = format!("{m}{}{model}", blueprints_helm_addon_v4::CALLED_BY);
        }
    }
    out.resources.extend(e.resources);
    out.ignored.extend(e.ignored);
}

/// The add-on's own `aws_iam_policy "<module>"` (producer-owned: its statements are the
/// module's), pushed to `out`; the `irsa_iam_policies` the add-on gives: that policy's ARN,
/// then the user's `<key>_irsa_policies` when the release reads them.
fn own_policy(
    call: &ModuleCall<'_>,
    here: &ModuleCall<'_>,
    a: &Addon,
    model: &str,
    enable: Span,
    out: &mut Expansion,
) -> Node {
    // The module's policy: its statements are the module's.
    let policy_address = format!("{}.aws_iam_policy.{}", here.address, a.module);
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
        .push(resource(here, model, "aws_iam_policy", a.module, "", body));
    let mut policies = vec![unknown(format!("{policy_address}.arn"), enable)];
    let user_policies = format!("{}_irsa_policies", a.key);
    if let Some(p) = arg(call, &user_policies).filter(|_| a.irsa_policies) {
        policies.extend(p.items().iter().cloned());
    }
    seq(policies, enable)
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
                "module.addons.module.aws_ebs_csi_driver[0].aws_iam_policy.aws_ebs_csi_driver[0]",
                "module.addons.module.aws_ebs_csi_driver[0].module.irsa_addon[0].aws_iam_role.irsa[0]",
                "module.addons.module.aws_ebs_csi_driver[0].module.irsa_addon[0].aws_iam_role_policy_attachment.irsa[0]",
                "module.addons.module.aws_ebs_csi_driver[0].aws_eks_addon.aws_ebs_csi_driver[0]",
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
        // The load-balancer controller's, external-dns' and the EBS driver's.
        assert_eq!(listed.len(), 3);
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
            [("enable_metrics_server", "3:1".to_string(), &not_modelled)]
        );
        // The EBS driver's EKS add-on: made after the helm add-ons (see `ebs`).
        assert!(addresses(&e)
            .iter()
            .any(|a| a.ends_with("aws_ebs_csi_driver[0].aws_eks_addon.aws_ebs_csi_driver[0]")));
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

    fn at_tag(r: &str) -> String {
        format!("github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref={r}")
    }

    /// What the add-on's irsa call makes at a tag: `(namespace, account)` of the
    /// ServiceAccount, whether its namespace is created, whether a role is.
    fn made(e: &Expansion, module: &str) -> (String, String, bool, bool) {
        let irsa = format!("module.addons.module.{module}[0].module.helm_addon.module.irsa[0]");
        let sa = body(e, &format!("{irsa}.kubernetes_service_account_v1.irsa[0]"));
        let has = |kind: &str| {
            addresses(e)
                .iter()
                .any(|a| a.starts_with(&irsa) && a.contains(kind))
        };
        (
            text_at(sa, &["metadata", "namespace"])
                .unwrap_or("?")
                .into(),
            text_at(sa, &["metadata", "name"]).unwrap_or("?").into(),
            has("kubernetes_namespace_v1"),
            has("aws_iam_role.irsa"),
        )
    }

    /// Every v4 tag is followed, each add-on as its tag writes it: before #1193 (v4.17.0)
    /// no account is renamed by `helm_config.service_account`; the early tags fix the
    /// namespace of the load-balancer controller, cluster-autoscaler and the EFS driver to
    /// kube-system, create the namespace whatever `create_namespace` says, name
    /// aws-for-fluent-bit's `logging` and cert-manager's account `cert-manager-sa` (without a
    /// role before v4.0.5). Each case is the tag at (and before) the change.
    #[test]
    fn each_release_names_namespaces_and_accounts_as_its_tag_does() {
        // (tag, add-on key, module, helm_config lines, (namespace, account, namespace
        // created, role))
        type Case<'a> = (
            &'a str,
            &'a str,
            &'a str,
            &'a str,
            (&'a str, &'a str, bool, bool),
        );
        let cases: &[Case] = &[
            (
                "v4.0.2",
                "aws_load_balancer_controller",
                "aws_load_balancer_controller",
                "namespace: lb\n  service_account: x",
                (
                    "kube-system",
                    "aws-load-balancer-controller-sa",
                    false,
                    true,
                ),
            ),
            (
                "v4.0.3",
                "aws_load_balancer_controller",
                "aws_load_balancer_controller",
                "namespace: lb\n  service_account: x",
                ("lb", "aws-load-balancer-controller-sa", true, true),
            ),
            (
                "v4.16.0",
                "aws_load_balancer_controller",
                "aws_load_balancer_controller",
                "service_account: x",
                (
                    "kube-system",
                    "aws-load-balancer-controller-sa",
                    false,
                    true,
                ),
            ),
            (
                "v4.17.0",
                "aws_load_balancer_controller",
                "aws_load_balancer_controller",
                "service_account: x",
                ("kube-system", "x", false, true),
            ),
            (
                "v4.1.0",
                "cluster_autoscaler",
                "cluster_autoscaler",
                "name: ca\n  namespace: autoscaling\n  create_namespace: true",
                ("kube-system", "cluster-autoscaler-sa", false, true),
            ),
            (
                "v4.2.0",
                "cluster_autoscaler",
                "cluster_autoscaler",
                "name: ca\n  namespace: autoscaling\n  create_namespace: true",
                ("autoscaling", "ca-sa", true, true),
            ),
            (
                "v4.16.0",
                "cluster_autoscaler",
                "cluster_autoscaler",
                "name: ca\n  service_account: y",
                ("kube-system", "ca-sa", false, true),
            ),
            (
                "v4.17.0",
                "cluster_autoscaler",
                "cluster_autoscaler",
                "name: ca\n  service_account: y",
                ("kube-system", "y", false, true),
            ),
            (
                "v4.0.2",
                "external_dns",
                "external_dns",
                "name: dns\n  create_namespace: false",
                ("external-dns", "external-dns-sa", true, true),
            ),
            (
                "v4.3.0",
                "external_dns",
                "external_dns",
                "name: dns\n  create_namespace: false",
                ("external-dns", "external-dns-sa", false, true),
            ),
            (
                "v4.13.1",
                "external_dns",
                "external_dns",
                "name: dns\n  namespace: net",
                ("net", "external-dns-sa", true, true),
            ),
            (
                "v4.14.0",
                "external_dns",
                "external_dns",
                "name: dns",
                ("dns", "dns-sa", true, true),
            ),
            (
                "v4.16.0",
                "external_dns",
                "external_dns",
                "name: dns\n  service_account: z",
                ("dns", "dns-sa", true, true),
            ),
            (
                "v4.2.1",
                "karpenter",
                "karpenter",
                "create_namespace: false\n  service_account: k",
                ("karpenter", "karpenter", true, true),
            ),
            (
                "v4.3.0",
                "karpenter",
                "karpenter",
                "create_namespace: false\n  service_account: k",
                ("karpenter", "karpenter", false, true),
            ),
            (
                "v4.17.0",
                "karpenter",
                "karpenter",
                "service_account: k",
                ("karpenter", "k", true, true),
            ),
            (
                "v4.0.1",
                "aws_for_fluentbit",
                "aws_for_fluent_bit",
                "name: fb",
                ("logging", "aws-for-fluent-bit-sa", true, true),
            ),
            (
                "v4.0.2",
                "aws_for_fluentbit",
                "aws_for_fluent_bit",
                "name: fb",
                ("aws-for-fluent-bit", "aws-for-fluent-bit-sa", true, true),
            ),
            (
                "v4.0.2",
                "cert_manager",
                "cert_manager",
                "create_namespace: false",
                ("cert-manager", "cert-manager-sa", true, false),
            ),
            (
                "v4.0.3",
                "cert_manager",
                "cert_manager",
                "create_namespace: false",
                ("cert-manager", "cert-manager-sa", false, false),
            ),
            (
                "v4.0.4",
                "cert_manager",
                "cert_manager",
                "namespace: certs",
                ("certs", "cert-manager", true, false),
            ),
            (
                "v4.0.5",
                "cert_manager",
                "cert_manager",
                "namespace: certs",
                ("certs", "cert-manager", true, true),
            ),
            (
                "v4.8.0",
                "external_secrets",
                "external_secrets",
                "service_account: s",
                ("external-secrets", "external-secrets-sa", true, true),
            ),
            (
                "v4.2.1",
                "aws_efs_csi_driver",
                "aws_efs_csi_driver",
                "namespace: storage\n  create_namespace: true",
                ("kube-system", "efs-csi-sa", false, true),
            ),
            (
                "v4.3.0",
                "aws_efs_csi_driver",
                "aws_efs_csi_driver",
                "namespace: storage\n  create_namespace: true",
                ("storage", "efs-csi-sa", true, true),
            ),
            (
                "v4.16.0",
                "aws_efs_csi_driver",
                "aws_efs_csi_driver",
                "name: efs",
                ("kube-system", "efs-csi-sa", false, true),
            ),
            (
                "v4.17.0",
                "aws_efs_csi_driver",
                "aws_efs_csi_driver",
                "name: efs",
                ("kube-system", "efs-sa", false, true),
            ),
        ];
        for (tag, key, module, helm, (ns, account, created, role)) in cases {
            let text =
                format!("eks_cluster_id: blue\nenable_{key}: true\n{key}_helm_config:\n  {helm}\n");
            let e = expand_at(&at_tag(tag), &text);
            assert!(e.ignored.is_empty(), "{tag} {key}: {:?}", e.ignored);
            assert_eq!(
                made(&e, module),
                (ns.to_string(), account.to_string(), *created, *role),
                "{tag} {key}"
            );
            // The chart is told the same account.
            let release =
                format!("module.addons.module.{module}[0].module.helm_addon.helm_release.addon[0]");
            let told = sets(&e, &release);
            assert_eq!(told[0].1, *account, "{tag} {key}");
            // The module's own policy exactly when a role is made.
            let own = addresses(&e)
                .iter()
                .any(|a| a.ends_with(&format!("aws_iam_policy.{module}")));
            assert_eq!(own, *role, "{tag} {key}");
        }
    }

    /// An add-on a tag does not have is listed, saying so; external-secrets before v4.8.0
    /// makes its release only (no account values, no role, no account of the module's), and
    /// ignores `argocd_manage_add_ons` until v4.10.0.
    #[test]
    fn addons_a_tag_lacks_or_makes_without_irsa() {
        let e = expand_at(
            &at_tag("v4.0.1"),
            "eks_cluster_id: blue\nenable_external_dns: true\n",
        );
        assert!(e.resources.is_empty());
        assert_eq!(e.ignored.len(), 1);
        assert!(
            e.ignored[0].expected.contains("v4.0.2"),
            "{}",
            e.ignored[0].expected
        );
        let e = expand_at(
            &at_tag("v4.2.1"),
            "eks_cluster_id: blue\nenable_external_secrets: true\n",
        );
        assert!(e.resources.is_empty() && e.ignored[0].expected.contains("v4.3.0"));
        let text =
            "eks_cluster_id: blue\nargocd_manage_add_ons: true\nenable_external_secrets: true\n";
        let e = expand_at(&at_tag("v4.7.0"), text);
        assert_eq!(
            addresses(&e),
            ["module.addons.module.external_secrets[0].module.helm_addon.helm_release.addon[0]"]
        );
        assert!(sets(&e, addresses(&e)[0]).is_empty());
        let e = expand_at(&at_tag("v4.9.0"), text);
        assert!(addresses(&e).iter().any(|a| a.contains("helm_release")));
        assert!(addresses(&e)
            .iter()
            .any(|a| a.contains("aws_iam_role.irsa")));
        let e = expand_at(&at_tag("v4.10.0"), text);
        assert!(!addresses(&e).iter().any(|a| a.contains("helm_release")));
    }

    /// The user's `<addon>_irsa_policies` and `helm_config.set_values` are read from the tag
    /// whose root passes them (the EFS driver's policies from v4.5.0, the load-balancer
    /// controller's set values from v4.7.0); the path and boundary reach the role only
    /// through an add-on whose `addon_context` type declares them (cert-manager: the path
    /// from v4.0.5, the boundary from v4.9.0).
    #[test]
    fn inputs_are_read_from_the_tag_that_passes_them() {
        let efs = "eks_cluster_id: blue\nenable_aws_efs_csi_driver: true\naws_efs_csi_driver_irsa_policies: [\"arn:aws:iam::111122223333:policy/efs\"]\n";
        let attachments = |e: &Expansion| {
            addresses(e)
                .iter()
                .filter(|a| a.contains("aws_iam_role_policy_attachment"))
                .count()
        };
        assert_eq!(attachments(&expand_at(&at_tag("v4.4.0"), efs)), 1);
        assert_eq!(attachments(&expand_at(&at_tag("v4.5.0"), efs)), 2);
        let lbc = "eks_cluster_id: blue\nenable_aws_load_balancer_controller: true\naws_load_balancer_controller_helm_config:\n  set_values:\n    - name: replicaCount\n      value: 1\n";
        let release = format!("{LBC}.module.helm_addon.helm_release.addon[0]");
        assert_eq!(sets(&expand_at(&at_tag("v4.6.2"), lbc), &release).len(), 2);
        let told = sets(&expand_at(&at_tag("v4.7.0"), lbc), &release);
        assert_eq!(told.len(), 3);
        assert_eq!(told[2].0, "replicaCount");
        // external-dns and cert-manager: from v4.7.0 and v4.8.0.
        for (key, module, before, since) in [
            ("external_dns", "external_dns", "v4.6.2", "v4.7.0"),
            ("cert_manager", "cert_manager", "v4.7.0", "v4.8.0"),
        ] {
            let text = lbc.replace("aws_load_balancer_controller", key);
            let release =
                format!("module.addons.module.{module}[0].module.helm_addon.helm_release.addon[0]");
            assert_eq!(
                sets(&expand_at(&at_tag(before), &text), &release).len(),
                2,
                "{key}"
            );
            assert_eq!(
                sets(&expand_at(&at_tag(since), &text), &release).len(),
                3,
                "{key}"
            );
        }
        // cert-manager v4.0.2–v4.0.3 give the chart no values of the module's.
        let cm = "eks_cluster_id: blue\nenable_cert_manager: true\n";
        let release =
            "module.addons.module.cert_manager[0].module.helm_addon.helm_release.addon[0]";
        for (tag, values) in [
            ("v4.0.1", true),
            ("v4.0.2", false),
            ("v4.0.3", false),
            ("v4.0.4", true),
        ] {
            let e = expand_at(&at_tag(tag), cm);
            assert_eq!(body(&e, release).get("values").is_some(), values, "{tag}");
        }
        let cm = "eks_cluster_id: blue\nirsa_iam_role_path: /addons/\nirsa_iam_permissions_boundary: arn:aws:iam::111122223333:policy/boundary\nenable_cert_manager: true\n";
        let role = "module.addons.module.cert_manager[0].module.helm_addon.module.irsa[0].aws_iam_role.irsa[0]";
        for (tag, path, boundary) in [
            ("v4.0.5", "/addons/", false),
            ("v4.8.1", "/addons/", false),
            ("v4.9.0", "/addons/", true),
        ] {
            let e = expand_at(&at_tag(tag), cm);
            let r = body(&e, role);
            assert_eq!(text_at(r, &["path"]), Some(path), "{tag}");
            assert_eq!(r.get("permissions_boundary").is_some(), boundary, "{tag}");
        }
        // The load-balancer controller's type always had both.
        let lbc = cm.replace("enable_cert_manager", "enable_aws_load_balancer_controller");
        let e = expand_at(&at_tag("v4.0.2"), &lbc);
        let r = body(
            &e,
            &format!("{LBC}.module.helm_addon.module.irsa[0].aws_iam_role.irsa[0]"),
        );
        assert!(r.get("permissions_boundary").is_some());
    }

    /// The trust of an early tag: the irsa module of the same tag (v4.0.9: `StringLike` on
    /// `sub`, no `aud`; v4.4.0: `StringLike` on both), on the issuer the call names from
    /// v4.0.8 (the input is new there: before, the cluster's, which only apply knows), the
    /// account at the `enable_…` switch.
    #[test]
    fn early_trusts_follow_the_irsa_module_of_their_tag() {
        let text = format!("eks_cluster_id: blue\neks_oidc_provider: {ISS}\nenable_aws_load_balancer_controller: true\n");
        for (tag, keys) in [("v4.0.9", vec!["sub"]), ("v4.4.0", vec!["sub", "aud"])] {
            let e = expand_at(&at_tag(tag), &text);
            let c = conditions(&text, trust(&e), 0);
            let got: Vec<_> = c
                .iter()
                .map(|(op, k, v, pos)| (op.as_str(), k.as_str(), v.as_str(), pos.as_str()))
                .collect();
            let mut want = vec![(
                "StringLike",
                format!("{ISS}:sub"),
                "system:serviceaccount:kube-system:aws-load-balancer-controller-sa",
                "3:1",
            )];
            if keys.len() == 2 {
                want.push((
                    "StringLike",
                    format!("{ISS}:aud"),
                    "sts.amazonaws.com",
                    "1:1",
                ));
            }
            let want: Vec<_> = want
                .iter()
                .map(|(a, b, c, d)| (*a, b.as_str(), *c, *d))
                .collect();
            assert_eq!(got, want, "{tag}");
            let key = &trust(&e).get("Statement").unwrap().items()[0]
                .get("Condition")
                .unwrap()
                .entries()[0]
                .value
                .entries()[0]
                .key;
            assert_eq!(at(&text, key.span), "2:20", "{tag}");
        }
        // v4.0.7 has no `eks_oidc_provider`: the issuer is the cluster's.
        let e = expand_at(&at_tag("v4.0.7"), &text);
        let st = &trust(&e).get("Statement").unwrap().items()[0];
        let key = &st.get("Condition").unwrap().entries()[0].value.entries()[0].key;
        assert_eq!(key.tag.as_deref(), Some("!Sub"));
        assert!(
            key.as_str().unwrap().contains("data.aws_eks_cluster"),
            "{:?}",
            key.as_str()
        );
    }

    /// What an add-on generates names the chain of calls, so that a finding can name the
    /// block the user wrote (the kubernetes-addons call, whose `?ref=` picks every release):
    /// the irsa call's role, the helm-addon's release; a user's own helm-addon call in a
    /// module keeps its block.
    #[test]
    fn generated_resources_name_the_block_the_user_wrote() {
        use super::super::blueprints_helm_addon_v4::written_call;
        use crate::terraform::Origin;
        let e = expand_at(
            &at_tag("v4.0.9"),
            "eks_cluster_id: blue\nenable_karpenter: true\n",
        );
        let of = |kind: &str| {
            let r = e.resources.iter().find(|r| r.kind == kind).unwrap();
            let Origin::Module { model } = &r.origin else {
                panic!("{kind}")
            };
            (r.module.clone(), model.clone())
        };
        for kind in ["aws_iam_role", "helm_release", "aws_iam_policy"] {
            let (module, model) = of(kind);
            assert_eq!(
                written_call(&module, &model),
                "module.addons",
                "{kind}: {model}"
            );
        }
        let (_, model) = of("aws_iam_role");
        assert!(
            model.ends_with(
                ", called by aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons v4.0.9"
            ),
            "{model}"
        );
        // The irsa module's release is still the tag's (v4.0.9: no `aud`).
        assert!(super::super::blueprints_irsa_v4::writes_no_aud(&model));
        let own = format!(
            "{}, called by {}",
            super::super::blueprints_irsa_v4::MODEL,
            super::super::blueprints_helm_addon_v4::MODEL
        );
        assert_eq!(
            written_call("module.platform.module.crossplane.module.irsa[0]", &own),
            "module.platform.module.crossplane"
        );
    }

    /// A ref that is no v4 tag (a branch, a commit) lists the add-ons as not read.
    #[test]
    fn refs_that_are_no_v4_tag_are_not_read() {
        let text = "eks_cluster_id: blue\nenable_external_dns: true\n";
        for (r, made) in [
            ("v4.0.2", true),
            ("v4.16.0", true),
            ("v4.32.1", true),
            ("v4.33.0", false),
            ("main", false),
        ] {
            let e = expand_at(&at_tag(r), text);
            assert_eq!(!e.resources.is_empty(), made, "{r}");
            assert_eq!(e.ignored.len(), usize::from(!made), "{r}");
            if !made {
                assert!(e.ignored[0].expected.contains("v4 tags"), "{r}");
            }
        }
        assert_eq!(known(SOURCE), Some(Known::BlueprintsAddonsV4));
    }
}
