//! aws-ia/terraform-aws-eks-blueprints `modules/kubernetes-addons/helm-addon`, the module
//! every eks-blueprints v4 add-on installs its chart with, and which users call directly
//! (awslabs/kubeflow-manifests iaac/terraform/common/*/main.tf and apps/*/main.tf, 27 calls
//! at `?ref=v4.32.1`). Read from the tags themselves (modules/kubernetes-addons/helm-addon
//! main.tf, variables.tf, outputs.tf; `git log -- modules/kubernetes-addons/helm-addon`
//! lists the commits that changed it; v5.0.0 removed it). Every v4 release:
//!
//! - `helm_release.addon[0]` unless `manage_via_gitops` (default `false`): `name`, `chart`,
//!   `namespace` from `helm_config`, `repository`, `version`, `values` when it has them; one
//!   `set` per element of `distinct(concat(set_values, helm_config["set"]))` (the
//!   module's `set_values` first, so the user's `helm_config` set of the same path wins in
//!   Helm); `set_sensitive` from `helm_config["set_sensitive"]` and `set_sensitive_values`;
//! - with `irsa_config`, `module "irsa"` (`count = 1`) calling `../../irsa` of the same tag
//!   (modelled by [`super::blueprints_irsa_v4`], whose resources it generates under
//!   `<call>.module.irsa[0]`): `create_kubernetes_namespace`,
//!   `create_kubernetes_service_account` (each `try(irsa_config.x, true)`),
//!   `kubernetes_namespace`, `kubernetes_service_account`, `irsa_iam_policies` from
//!   `irsa_config` (the last `null` when not given: the irsa module then creates no role),
//!   and the cluster's facts from `addon_context`.
//!
//! What changed between the releases ([`Release`]):
//!
//! | tags | `irsa_config` | what `module.irsa` gets from `addon_context` | `set_sensitive` order |
//! |---|---|---|---|
//! | v4.0.0–v4.3.0 | an object type, default `null`: the irsa module is called when it is not `null` | `addon_context` itself, through the helm-addon's object type (which has no `irsa_iam_role_name`: v4.5.0–v4.6.2's irsa never gets one from here) | `set_sensitive_values` first |
//! | v4.4.0–v4.6.2 | the same | the same | `helm_config`'s first (v4.4.0 main.tf) |
//! | v4.7.0–v4.11.0 | the same | `eks_cluster_id`, `eks_oidc_provider_arn`, `irsa_iam_role_path`, `irsa_iam_permissions_boundary`, and the helm-addon's own `irsa_iam_role_name` (new in v4.7.0, default `""`) | the same |
//! | v4.12.0–v4.32.1 | `any`, default `{}`: called when `length(irsa_config) > 0`; a missing namespace or account is `""` (`lookup`) | the same (`lookup(addon_context, "irsa_iam_role_path", null)`) | the same |
//!
//! (v4.9.0 passes a `set`'s `type`, v4.11.0 `kubernetes_svc_image_pull_secrets`, v4.18.1
//! the tags, v4.20.0 `create_service_account_secret_token`: none shapes a role, a trust or
//! an account's name.)
//!
//! The release is the call's `?ref=` tag. With no `?ref=` (the default branch has had no
//! helm-addon since v5.0.0) or one that is no v4 tag: the release, the chart and the account
//! are generated as the last release does them; the irsa call gets `irsa_iam_role_name`
//! when the call gives it (only v4.7.0 on has that input, whose irsa trust is known),
//! otherwise it is one of v4.0.0–v4.6.2 or later, whose trusts differ: the trust and the
//! role's name are left unknown.

use super::{arg, blueprints_irsa_v4, entry, is_unknown, map, resource, seq};
use super::{str_node, unknown, Expansion, ModuleCall};
use crate::source::node::{Entry, Node, Value};
use crate::terraform::Resource;

/// The module a model string names.
const MODULE: &str = "aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon";

pub const MODEL: &str =
    "aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon v4.32.1";

/// The irsa module's source the helm-addon calls (`../../irsa`), at `tag`.
const IRSA: &str = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa";

/// What one range of v4 releases does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Release {
    /// The last tag of the range: the model string's version.
    tag: &'static str,
    /// `irsa_config` is an object type defaulting to `null` (before v4.12.0), else `any`
    /// defaulting to `{}` read with `lookup`.
    typed: bool,
    /// `addon_context` is passed to the irsa module whole (before v4.7.0).
    context: bool,
    /// `set_sensitive_values` come before `helm_config["set_sensitive"]` (before v4.4.0).
    forced_sensitive_first: bool,
}

const V4_3_0: Release = Release {
    tag: "v4.3.0",
    typed: true,
    context: true,
    forced_sensitive_first: true,
};
const V4_6_2: Release = Release {
    tag: "v4.6.2",
    typed: true,
    context: true,
    forced_sensitive_first: false,
};
const V4_11_0: Release = Release {
    tag: "v4.11.0",
    typed: true,
    context: false,
    forced_sensitive_first: false,
};
const V4_32_1: Release = Release {
    tag: "v4.32.1",
    typed: false,
    context: false,
    forced_sensitive_first: false,
};

/// The release of the call's `?ref=`; `None` when it names no v4 tag.
fn release_of(call: &ModuleCall<'_>) -> Option<Release> {
    Some(match blueprints_irsa_v4::v4_tag(call.source)? {
        (m, _) if m <= 3 => V4_3_0,
        (m, _) if m <= 6 => V4_6_2,
        (m, _) if m <= 11 => V4_11_0,
        _ => V4_32_1,
    })
}

/// `x.<key>` of an input: the attribute when `x` is known, an unknown named
/// `<x's expression>.<key>` at `x` when it is not; `None` when `x` is known without it (or
/// with `null`).
fn attr(n: Option<&Node>, key: &str) -> Option<Node> {
    let n = n?;
    if is_unknown(n) {
        let at = n.as_str().unwrap_or("var");
        return Some(unknown(format!("{at}.{key}"), n.span));
    }
    n.get(key).filter(|v| !v.is_null()).cloned()
}

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let rel = release_of(call);
    let model = format!("{MODULE} {}", rel.map_or("v4", |r| r.tag));
    let mut out = Expansion {
        model: model.clone(),
        resources: Vec::new(),
        ignored: Vec::new(),
    };
    let helm = arg(call, "helm_config");
    // `count = var.manage_via_gitops ? 0 : 1`: only a known `true` creates no release.
    if super::flag(call, "manage_via_gitops", false) != Some(true) {
        out.resources
            .push(release(call, &model, helm, rel.unwrap_or(V4_32_1)));
    }
    if let Some(irsa) = irsa_call(call, rel) {
        let (source, args) = irsa;
        let address = format!("{}.module.irsa[0]", call.address);
        let nested = call.nested(&address, &source, &args);
        let mut e = blueprints_irsa_v4::expand(&nested);
        if rel.is_none() && args.get("addon_context").is_some() {
            // One of v4.0.0–v4.6.2 or later: the trust is unknown (the irsa model's
            // `addon_context` case), and so is the name (null in v4.5.0–v4.6.0).
            for r in e.resources.iter_mut().filter(|r| r.kind == "aws_iam_role") {
                set(
                    &mut r.body,
                    "name",
                    unknown(format!("{}.name", r.address), call.anchor),
                );
            }
        }
        // The irsa module's model, and the call the user wrote (see [`written_call`]).
        for r in &mut e.resources {
            if let crate::terraform::Origin::Module { model: m } = &mut r.origin {
                *m = format!("{m}{CALLED_BY}{model}");
            }
        }
        out.resources.extend(e.resources);
        out.ignored.extend(e.ignored);
    }
    out
}

/// How the model string of what the irsa module generates for a helm-addon call goes on:
/// `<irsa model>, called by <helm-addon model>`.
pub const CALLED_BY: &str = ", called by ";

/// The module block the user wrote for a resource `call` generates under a modelled module
/// whose model string is `model`: for what the helm-addon's irsa call generates
/// (`module.crossplane.module.irsa[0]`), the helm-addon's block (`module.crossplane`), whose
/// `?ref=` also picks the irsa module's release; for what an add-on of eks-blueprints v4
/// `kubernetes-addons` generates through its helm-addon (`…, called by <kubernetes-addons
/// model>`: `module.addons.module.karpenter[0].module.helm_addon.module.irsa[0]`), the
/// kubernetes-addons block (`module.addons`); `call` itself otherwise.
pub fn written_call<'a>(call: &'a str, model: &str) -> &'a str {
    let mut call = call;
    if model.contains(CALLED_BY) {
        call = call.strip_suffix(".module.irsa[0]").unwrap_or(call);
    }
    // The space: the helm-addon's own module path starts with kubernetes-addons'.
    let addons = format!("{} ", super::blueprints_addons_v4::MODULE);
    // The add-on's own policy (the model kubernetes-addons'), or what its helm-addon call
    // generates.
    if model.starts_with(&addons) || model.contains(&format!("{CALLED_BY}{addons}")) {
        call = super::blueprints_addons_v4::block_of(call);
    }
    call
}

/// Replaces the value of `key` in the map `body`.
fn set(body: &mut Node, key: &str, value: Node) {
    if let Value::Map(entries) = &mut body.value {
        if let Some(e) = entries.iter_mut().find(|e| e.key.as_str() == Some(key)) {
            e.value = value;
        }
    }
}

/// The irsa module's source and arguments, when the call makes one (see the module doc).
fn irsa_call(call: &ModuleCall<'_>, rel: Option<Release>) -> Option<(String, Node)> {
    let config = arg(call, "irsa_config")?;
    // An `irsa_config` only apply knows: whether the module is called, and with what, is
    // not known; nothing is guessed.
    if is_unknown(config) {
        return None;
    }
    let typed = rel.is_some_and(|r| r.typed);
    // `length(var.irsa_config) > 0` (v4.12.0 on; `{}` is the default).
    if !typed && config.entries().is_empty() {
        return None;
    }
    let at = config.span;
    let mut args: Vec<Entry> = Vec::new();
    for key in [
        "create_kubernetes_namespace",
        "create_kubernetes_service_account",
    ] {
        if let Some(v) = config.get(key) {
            args.push(entry(key, v.clone()));
        }
    }
    for key in ["kubernetes_namespace", "kubernetes_service_account"] {
        match config.get(key) {
            Some(v) => args.push(entry(key, v.clone())),
            // `lookup(var.irsa_config, key, "")`; before v4.12.0 the attribute is required.
            None if !typed && rel.is_some() => args.push(entry(key, str_node("", at))),
            None => {}
        }
    }
    // `lookup(var.irsa_config, "irsa_iam_policies", null)` / `optional(list(string))`: not
    // given is `null`, and the irsa module then creates no role.
    let policies = config
        .get("irsa_iam_policies")
        .cloned()
        .unwrap_or_else(|| Node::new(Value::Null, at));
    args.push(entry("irsa_iam_policies", policies));
    let context = arg(call, "addon_context");
    let given_name = arg(call, "irsa_iam_role_name");
    let whole_context = match rel {
        Some(r) => r.context,
        None => given_name.is_none(),
    };
    if whole_context {
        args.push(entry(
            "addon_context",
            context_for_irsa(context, call.anchor),
        ));
    } else {
        if let Some(n) = given_name {
            args.push(entry("irsa_iam_role_name", n.clone()));
        }
        for key in [
            "irsa_iam_role_path",
            "irsa_iam_permissions_boundary",
            "eks_cluster_id",
            "eks_oidc_provider_arn",
        ] {
            if let Some(v) = attr(context, key) {
                args.push(entry(key, v));
            }
        }
    }
    let source = match rel.and(blueprints_irsa_v4::git_ref(call.source)) {
        Some(r) => format!("{IRSA}?ref={r}"),
        None => IRSA.to_string(),
    };
    Some((source, map(args, call.anchor)))
}

/// The attributes of the helm-addon's `addon_context` object type the irsa module reads
/// before v4.7.0 (its `irsa_iam_role_name` is not among them: the type drops it).
const CONTEXT_KEYS: &[&str] = &[
    "eks_cluster_id",
    "eks_oidc_issuer_url",
    "eks_oidc_provider_arn",
    "irsa_iam_role_path",
    "irsa_iam_permissions_boundary",
];

/// `addon_context` as the irsa module receives it before v4.7.0: the attributes it reads,
/// each unknown (named by the expression) when the whole context is.
fn context_for_irsa(context: Option<&Node>, anchor: crate::source::file::Span) -> Node {
    let entries: Vec<Entry> = CONTEXT_KEYS
        .iter()
        .filter_map(|k| attr(context, k).map(|v| entry(k, v)))
        .collect();
    map(entries, context.map_or(anchor, |c| c.span))
}

/// `helm_release.addon[0]`.
fn release(call: &ModuleCall<'_>, model: &str, helm: Option<&Node>, rel: Release) -> Resource {
    let null = || Node::new(Value::Null, call.anchor);
    let mut body = Vec::new();
    for (key, attr_name) in [
        ("name", "name"),
        ("chart", "chart"),
        ("namespace", "namespace"),
        ("repository", "repository"),
        ("version", "version"),
        ("values", "values"),
    ] {
        match attr(helm, key) {
            Some(v) => body.push(entry(attr_name, v)),
            // `name`, `chart` and `namespace` are required (`var.helm_config["name"]`).
            None if matches!(key, "name" | "chart" | "namespace") => {
                body.push(entry(attr_name, null()))
            }
            None => {}
        }
    }
    // `distinct(concat(var.set_values, var.helm_config["set"]))`.
    let sets = list(call, arg(call, "set_values"), attr(helm, "set").as_ref());
    body.push(entry("set", sets));
    let forced = arg(call, "set_sensitive_values");
    let users = attr(helm, "set_sensitive");
    let sensitive = match rel.forced_sensitive_first {
        true => list(call, forced, users.as_ref()),
        false => list(call, users.as_ref(), forced),
    };
    if !sensitive.items().is_empty() {
        body.push(entry("set_sensitive", sensitive));
    }
    resource(call, model, "helm_release", "addon", "[0]", body)
}

/// The elements of two lists of `{name, value}` objects, in order; a list only apply knows
/// is one element whose path is unknown (it may set any path).
fn list(call: &ModuleCall<'_>, first: Option<&Node>, second: Option<&Node>) -> Node {
    let mut items = Vec::new();
    for l in [first, second].into_iter().flatten() {
        if is_unknown(l) {
            items.push(map(vec![entry("name", l.clone())], l.span));
        } else {
            items.extend(l.items().iter().cloned());
        }
    }
    let at = first.or(second).map_or(call.anchor, |n| n.span);
    seq(items, at)
}

/// What the output `output` of a helm-addon call at `module_address` returns, when it is a
/// role's (outputs.tf: `irsa_arn`, `irsa_name`, `module.irsa[0]`'s).
pub fn output_reference(module_address: &str, output: &str) -> Option<(String, &'static str)> {
    let attr = match output {
        "irsa_arn" => "arn",
        "irsa_name" => "name",
        _ => return None,
    };
    Some((
        format!("{module_address}.module.irsa[0].aws_iam_role.irsa[0]"),
        attr,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{addresses, at, body, conditions, trust};
    use super::super::{is_unknown, known, output_reference, Expansion, Known};
    use crate::source::node::Node;

    const SOURCE: &str = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon?ref=v4.32.1";
    const ARN: &str =
        "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
    const ISS: &str = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";

    fn at_ref(r: &str) -> String {
        format!("github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon?ref={r}")
    }

    fn expand_at(source: &str, text: &str) -> Expansion {
        super::super::test_support::expand_call("module.addon", source, text)
    }

    const RELEASE: &str = "module.addon.helm_release.addon[0]";
    const ROLE: &str = "module.addon.module.irsa[0].aws_iam_role.irsa[0]";
    const SA: &str = "module.addon.module.irsa[0].kubernetes_service_account_v1.irsa[0]";

    /// `(name, value)` of each `set` (or `set_sensitive`) of the release, with the line:col
    /// of the name.
    fn sets(text: &str, e: &Expansion, key: &str) -> Vec<(String, String, String)> {
        body(e, RELEASE)
            .get(key)
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .map(|s| {
                let name = s.get("name").unwrap();
                (
                    name.as_str().unwrap_or("").to_string(),
                    s.get("value")
                        .and_then(Node::as_str)
                        .unwrap_or("")
                        .to_string(),
                    at(text, name.span),
                )
            })
            .collect()
    }

    /// An add-on context as eks-blueprints v4's root builds it (`local.addon_context`).
    fn context() -> String {
        format!(
            "addon_context:
  aws_caller_identity_account_id: \"111122223333\"
  aws_partition_id: aws
  aws_region_name: eu-west-1
  eks_cluster_id: prod
  eks_oidc_issuer_url: {ISS}
  eks_oidc_provider_arn: {ARN}
  irsa_iam_role_path: /addons/
  irsa_iam_permissions_boundary: arn:aws:iam::111122223333:policy/boundary
  irsa_iam_role_name: from-context
"
        )
    }

    /// kubeflow-manifests' shape (common/ack-sagemaker-controller/main.tf, trimmed): no
    /// `irsa_config`, so only the release: named, charted and namespaced by `helm_config`,
    /// the module's `set_values` before the user's `helm_config.set`, every value at the
    /// text written.
    #[test]
    fn a_call_without_irsa_config_is_its_release() {
        let text = "manage_via_gitops: false
helm_config:
  name: ack-sagemaker-controller
  chart: sagemaker-chart
  repository: oci://public.ecr.aws/aws-controllers-k8s
  version: v1.2.1
  namespace: ack-system
  values: []
  set:
    - name: serviceAccount.name
      value: ack-sagemaker
set_values:
  - name: aws.region
    value: eu-west-1
  - name: serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn
    value: !Unknown module.irsa.irsa_iam_role_arn
";
        let e = expand_at(SOURCE, text);
        assert_eq!(e.model, super::MODEL);
        assert_eq!(addresses(&e), [RELEASE]);
        let b = body(&e, RELEASE);
        for (k, v, pos) in [
            ("name", "ack-sagemaker-controller", "3:9"),
            ("chart", "sagemaker-chart", "4:10"),
            ("namespace", "ack-system", "7:14"),
            (
                "repository",
                "oci://public.ecr.aws/aws-controllers-k8s",
                "5:15",
            ),
            ("version", "v1.2.1", "6:12"),
        ] {
            let n = b.get(k).unwrap();
            assert_eq!(
                (n.as_str(), at(text, n.span).as_str()),
                (Some(v), pos),
                "{k}"
            );
        }
        assert_eq!(
            sets(text, &e, "set"),
            [
                ("aws.region".into(), "eu-west-1".into(), "13:11".into()),
                (
                    "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn".into(),
                    "module.irsa.irsa_iam_role_arn".into(),
                    "15:11".into()
                ),
                (
                    "serviceAccount.name".into(),
                    "ack-sagemaker".into(),
                    "10:13".into()
                ),
            ]
        );
        assert!(b.get("set_sensitive").is_none());
        // `try(var.helm_config["version"], null)`: a `null` is no version.
        let null_version = text.replace("  version: v1.2.1\n", "  version: null\n");
        let e = expand_at(SOURCE, &null_version);
        assert!(body(&e, RELEASE).get("version").is_none());
        // `manage_via_gitops = true`: no release; only apply knows: maybe one.
        let gitops = text.replace("manage_via_gitops: false", "manage_via_gitops: true");
        assert!(addresses(&expand_at(SOURCE, &gitops)).is_empty());
        let later = text.replace(
            "manage_via_gitops: false",
            "manage_via_gitops: !Unknown var.g",
        );
        assert_eq!(addresses(&expand_at(SOURCE, &later)), [RELEASE]);
    }

    /// With `irsa_config` (v4.32.1): the irsa module of the same tag, its role named by the
    /// helm-addon's `irsa_iam_role_name` (the context's is not read), under the context's
    /// path and boundary, its trust `StringLike` on `sub` and `aud` of the issuer the
    /// context's provider ARN names; the account annotated; one attachment per policy.
    #[test]
    fn irsa_config_calls_the_irsa_module_of_the_same_tag() {
        let text = format!(
            "helm_config:
  name: aws-load-balancer-controller
  chart: aws-load-balancer-controller
  namespace: kube-system
irsa_config:
  kubernetes_namespace: kube-system
  create_kubernetes_namespace: false
  kubernetes_service_account: aws-load-balancer-controller-sa
  irsa_iam_policies: [\"arn:aws:iam::111122223333:policy/lbc\"]
irsa_iam_role_name: lbc-irsa
{}",
            context()
        );
        let e = expand_at(SOURCE, &text);
        assert_eq!(
            addresses(&e),
            [
                RELEASE,
                SA,
                ROLE,
                "module.addon.module.irsa[0].aws_iam_role_policy_attachment.irsa[0]",
            ]
        );
        let role = e.resources.iter().find(|r| r.address == ROLE).unwrap();
        // The role is the irsa module's, as it would be called directly, called by the
        // helm-addon block the user wrote.
        let model = format!(
            "{}, called by {}",
            super::blueprints_irsa_v4::MODEL,
            super::MODEL
        );
        assert_eq!(
            role.origin,
            crate::terraform::Origin::Module {
                model: model.clone()
            }
        );
        assert_eq!(role.module, "module.addon.module.irsa[0]");
        assert_eq!(super::written_call(&role.module, &model), "module.addon");
        assert_eq!(
            super::written_call(&role.module, super::blueprints_irsa_v4::MODEL),
            "module.addon.module.irsa[0]"
        );
        let r = &role.body;
        let name = r.get("name").unwrap();
        assert_eq!(
            (name.as_str(), at(&text, name.span).as_str()),
            (Some("lbc-irsa"), "10:21")
        );
        assert_eq!(r.get("path").and_then(Node::as_str), Some("/addons/"));
        assert_eq!(
            r.get("permissions_boundary").and_then(Node::as_str),
            Some("arn:aws:iam::111122223333:policy/boundary")
        );
        assert_eq!(
            conditions(&text, trust(&e), 0),
            [
                (
                    "StringLike".into(),
                    format!("{ISS}:sub"),
                    "system:serviceaccount:kube-system:aws-load-balancer-controller-sa".into(),
                    "8:31".into()
                ),
                (
                    "StringLike".into(),
                    format!("{ISS}:aud"),
                    "sts.amazonaws.com".into(),
                    "1:1".into()
                ),
            ]
        );
        let fed = trust(&e).get("Statement").unwrap().items()[0]
            .path(&["Principal", "Federated"])
            .unwrap();
        assert_eq!(at(&text, fed.span), "17:26");
        let sa = body(&e, SA);
        assert_eq!(
            sa.path(&["metadata", "name"]).and_then(Node::as_str),
            Some("aws-load-balancer-controller-sa")
        );
        let ann = sa
            .path(&["metadata", "annotations", "eks.amazonaws.com/role-arn"])
            .unwrap();
        assert_eq!(ann.as_str(), Some(&*format!("{ROLE}.arn")));
        let att = body(
            &e,
            "module.addon.module.irsa[0].aws_iam_role_policy_attachment.irsa[0]",
        );
        let p = att.get("policy_arn").unwrap();
        assert_eq!(at(&text, p.span), "9:23");
        // No name given: `<cluster>-<account>-irsa` (the helm-addon's default `""`).
        let unnamed = text.replace("irsa_iam_role_name: lbc-irsa\n", "");
        let e = expand_at(SOURCE, &unnamed);
        assert_eq!(
            body(&e, ROLE).get("name").and_then(Node::as_str),
            Some("prod-aws-load-balancer-controller-sa-irsa")
        );
    }

    /// `irsa_config` without `irsa_iam_policies` passes `null`: the account is created, not
    /// annotated, and no role; `[]` makes a role with no attachment.
    #[test]
    fn no_policies_no_role() {
        let base = format!(
            "helm_config: {{name: a, chart: a, namespace: apps}}\nirsa_config:\n  kubernetes_namespace: apps\n  kubernetes_service_account: web\n{}",
            context()
        );
        let e = expand_at(SOURCE, &base);
        assert_eq!(
            addresses(&e),
            [
                RELEASE,
                "module.addon.module.irsa[0].kubernetes_namespace_v1.irsa[0]",
                SA
            ]
        );
        assert!(body(&e, SA).path(&["metadata", "annotations"]).is_none());
        let empty = base.replace(
            "kubernetes_service_account: web\n",
            "kubernetes_service_account: web\n  irsa_iam_policies: []\n",
        );
        let e = expand_at(SOURCE, &empty);
        assert!(addresses(&e).contains(&ROLE));
        assert!(!addresses(&e).iter().any(|a| a.contains("attachment")));
    }

    /// v4.12.0 made `irsa_config` `any` with default `{}`: `{}` calls no irsa module, and a
    /// missing namespace is `""`; before, the attribute is required (not guessed).
    #[test]
    fn v4_12_0_reads_irsa_config_with_lookup() {
        let text = format!(
            "helm_config: {{name: a, chart: a, namespace: apps}}\nirsa_config:\n  kubernetes_service_account: web\n  irsa_iam_policies: []\n{}",
            context()
        );
        let sub = |r: &str| {
            let e = expand_at(&at_ref(r), &text);
            let st = &trust(&e).get("Statement").unwrap().items()[0];
            st.get("Condition").unwrap().entries()[0].value.entries()[0]
                .value
                .clone()
        };
        let new = sub("v4.12.0");
        assert_eq!(new.as_str(), Some("system:serviceaccount::web"));
        assert!(!is_unknown(&new));
        let old = sub("v4.11.0");
        assert!(is_unknown(&old));
        let empty = format!(
            "helm_config: {{name: a, chart: a, namespace: apps}}\nirsa_config: {{}}\n{}",
            context()
        );
        assert_eq!(addresses(&expand_at(&at_ref("v4.12.0"), &empty)), [RELEASE]);
        assert_eq!(addresses(&expand_at(&at_ref("v4.32.1"), &empty)), [RELEASE]);
        // An `irsa_config` only apply knows: nothing guessed.
        let later = format!(
            "helm_config: {{name: a, chart: a, namespace: apps}}\nirsa_config: !Unknown var.irsa\n{}",
            context()
        );
        assert_eq!(addresses(&expand_at(SOURCE, &later)), [RELEASE]);
    }

    /// The irsa module is the helm-addon's tag's: its trust changes at v4.3.0 (`aud`,
    /// `StringEquals`) and v4.4.0 (`StringLike`); before v4.7.0 it reads `addon_context`,
    /// whose `irsa_iam_role_name` the helm-addon's object type drops (v4.5.0's irsa then
    /// leaves the name to Terraform, v4.6.1's formats one); from v4.7.0 the helm-addon's
    /// own `irsa_iam_role_name` names it.
    #[test]
    fn each_release_range_calls_its_own_irsa() {
        let text = format!(
            "helm_config: {{name: a, chart: a, namespace: apps}}\nirsa_config:\n  kubernetes_namespace: apps\n  kubernetes_service_account: web\n  irsa_iam_policies: []\n{}",
            context()
        );
        // (ref, operator, claims, role name, model)
        type Case<'a> = (&'a str, &'a str, &'a [&'a str], Option<&'a str>, &'a str);
        let cases: [Case; 7] = [
            (
                "v4.2.1",
                "StringLike",
                &["sub"],
                Some("prod-web-irsa"),
                "v4.3.0",
            ),
            (
                "v4.3.0",
                "StringEquals",
                &["sub", "aud"],
                Some("prod-web-irsa"),
                "v4.3.0",
            ),
            (
                "v4.4.0",
                "StringLike",
                &["sub", "aud"],
                Some("prod-web-irsa"),
                "v4.6.2",
            ),
            ("v4.5.0", "StringLike", &["sub", "aud"], None, "v4.6.2"),
            (
                "v4.6.1",
                "StringLike",
                &["sub", "aud"],
                Some("prod-web-irsa"),
                "v4.6.2",
            ),
            (
                "v4.7.0",
                "StringLike",
                &["sub", "aud"],
                Some("prod-web-irsa"),
                "v4.11.0",
            ),
            (
                "v4.12.0",
                "StringLike",
                &["sub", "aud"],
                Some("prod-web-irsa"),
                "v4.32.1",
            ),
        ];
        for (r, op, claims, name, model) in cases {
            let e = expand_at(&at_ref(r), &text);
            assert!(e.model.ends_with(model), "{r}: {}", e.model);
            let c = conditions(&text, trust(&e), 0);
            let got: Vec<_> = c.iter().map(|c| c.1.clone()).collect();
            let want: Vec<_> = claims.iter().map(|k| format!("{ISS}:{k}")).collect();
            assert_eq!(got, want, "{r}");
            assert!(c.iter().all(|c| c.0 == op), "{r}");
            let role = body(&e, ROLE);
            assert_eq!(role.get("name").and_then(Node::as_str), name, "{r}");
            assert_eq!(
                role.get("path").and_then(Node::as_str),
                Some("/addons/"),
                "{r}"
            );
            let irsa_model = match &e
                .resources
                .iter()
                .find(|x| x.address == ROLE)
                .unwrap()
                .origin
            {
                crate::terraform::Origin::Module { model } => model.clone(),
                _ => String::new(),
            };
            assert_eq!(
                super::super::blueprints_irsa_v4::writes_no_aud(&irsa_model),
                claims.len() == 1,
                "{r}"
            );
        }
        // v4.7.0 on, the helm-addon's input names the role.
        let named = format!("irsa_iam_role_name: web-role\n{text}");
        for (r, name) in [
            ("v4.6.2", "prod-web-irsa"),
            ("v4.7.0", "web-role"),
            ("v4.32.1", "web-role"),
        ] {
            let e = expand_at(&at_ref(r), &named);
            assert_eq!(
                body(&e, ROLE).get("name").and_then(Node::as_str),
                Some(name),
                "{r}"
            );
        }
    }

    /// `set_sensitive`: `set_sensitive_values` first until v4.3.0, the user's
    /// `helm_config.set_sensitive` first from v4.4.0 (Helm applies the later one).
    #[test]
    fn set_sensitive_order_changes_at_v4_4_0() {
        let text = "helm_config:
  name: a
  chart: a
  namespace: apps
  set_sensitive:
    - name: password
      value: user
set_sensitive_values:
  - name: password
    value: forced
";
        let values = |r: &str| {
            sets(text, &expand_at(&at_ref(r), text), "set_sensitive")
                .into_iter()
                .map(|s| s.1)
                .collect::<Vec<_>>()
        };
        assert_eq!(values("v4.3.0"), ["forced", "user"]);
        assert_eq!(values("v4.4.0"), ["user", "forced"]);
        assert_eq!(values("v4.32.1"), ["user", "forced"]);
    }

    /// An `addon_context` only apply knows (kubeflow-manifests passes
    /// `var.addon_context`): each fact the irsa module reads is unknown, named by the
    /// expression and its attribute, at the argument.
    #[test]
    fn an_unknown_context_stays_unknown() {
        let text = "helm_config: !Unknown local.helm_config\nirsa_config:\n  kubernetes_namespace: apps\n  kubernetes_service_account: web\n  irsa_iam_policies: []\naddon_context: !Unknown var.addon_context\n";
        let e = expand_at(SOURCE, text);
        let st = &trust(&e).get("Statement").unwrap().items()[0];
        let fed = st.path(&["Principal", "Federated"]).unwrap();
        assert!(is_unknown(fed));
        assert_eq!(
            fed.as_str(),
            Some("var.addon_context.eks_oidc_provider_arn")
        );
        assert_eq!(at(text, fed.span), "6:25");
        let key = &st.get("Condition").unwrap().entries()[0].value.entries()[0].key;
        assert_eq!(
            key.as_str(),
            Some("${var.addon_context.eks_oidc_provider_arn}:sub")
        );
        let role = body(&e, ROLE);
        assert!(is_unknown(role.get("name").unwrap()));
        assert!(is_unknown(role.get("permissions_boundary").unwrap()));
        // The release's name and set are unknown too: a `set` whose path only apply knows.
        let b = body(&e, RELEASE);
        assert_eq!(
            b.get("name").map(|n| (is_unknown(n), n.as_str())),
            Some((true, Some("local.helm_config.name")))
        );
        let s = b.get("set").unwrap().items();
        assert!(s.len() == 1 && is_unknown(s[0].get("name").unwrap()));
        // Before v4.7.0 the context is passed whole: the same unknowns, through it.
        let e = expand_at(&at_ref("v4.4.0"), text);
        let st = &trust(&e).get("Statement").unwrap().items()[0];
        let key = &st.get("Condition").unwrap().entries()[0].value.entries()[0].key;
        assert_eq!(
            key.as_str(),
            Some("${var.addon_context.eks_oidc_issuer_url}:sub")
        );
    }

    /// No `?ref=` (or a branch): with the helm-addon's `irsa_iam_role_name` only v4.7.0 on
    /// fits, followed as v4.32.1; without it the trust and the role's name are unknown, the
    /// account and the attachments known.
    #[test]
    fn an_unknown_ref_is_followed_only_as_far_as_the_inputs_decide() {
        let text = format!(
            "helm_config: {{name: a, chart: a, namespace: apps}}\nirsa_config:\n  kubernetes_namespace: apps\n  kubernetes_service_account: web\n  irsa_iam_policies: [\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\"]\n{}",
            context()
        );
        for source in [
            "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon",
            "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon?ref=main",
        ] {
            let e = expand_at(source, &text);
            assert!(e.model.ends_with("helm-addon v4"), "{}", e.model);
            assert!(is_unknown(trust(&e)), "{source}");
            assert!(is_unknown(body(&e, ROLE).get("name").unwrap()), "{source}");
            assert!(addresses(&e).contains(&SA));
            assert!(addresses(&e).iter().any(|a| a.contains("attachment")));
            // A namespace not given: `""` from v4.12.0 (`lookup`), required before; with
            // no release known, not guessed.
            let no_ns = text.replace("  kubernetes_namespace: apps\n", "");
            let e = expand_at(source, &format!("irsa_iam_role_name: web-role\n{no_ns}"));
            let st = &trust(&e).get("Statement").unwrap().items()[0];
            let sub = &st.get("Condition").unwrap().entries()[0].value.entries()[0].value;
            assert!(is_unknown(sub), "{source}");
            let named = format!("irsa_iam_role_name: web-role\n{text}");
            let e = expand_at(source, &named);
            assert_eq!(conditions(&named, trust(&e), 0).len(), 2, "{source}");
            assert_eq!(
                body(&e, ROLE).get("name").and_then(Node::as_str),
                Some("web-role")
            );
        }
    }

    #[test]
    fn sources_and_outputs() {
        for (source, k) in [
            (SOURCE, Some(Known::BlueprintsHelmAddonV4)),
            ("git::https://github.com/aws-ia/terraform-aws-eks-blueprints.git//modules/kubernetes-addons/helm-addon?ref=v4.0.0", Some(Known::BlueprintsHelmAddonV4)),
            ("github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon", Some(Known::BlueprintsHelmAddonV4)),
            ("github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon?ref=v3.5.0", None),
            ("github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref=v4.32.1", Some(Known::BlueprintsAddonsV4)),
            ("github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref=v3.5.0", None),
            ("github.com/aws-ia/terraform-aws-eks-blueprints-addons//modules/kubernetes-addons/helm-addon?ref=v4.32.1", None),
        ] {
            assert_eq!(known(source), k, "{source}");
        }
        assert_eq!(
            output_reference(SOURCE, "module.lbc", "irsa_arn"),
            Some((
                "module.lbc.module.irsa[0].aws_iam_role.irsa[0]".into(),
                "arn"
            ))
        );
        assert_eq!(
            output_reference(SOURCE, "module.lbc", "irsa_name"),
            Some((
                "module.lbc.module.irsa[0].aws_iam_role.irsa[0]".into(),
                "name"
            ))
        );
        assert_eq!(
            output_reference(SOURCE, "module.lbc", "service_account"),
            None
        );
        assert_eq!(output_reference(SOURCE, "module.lbc", "iam_role_arn"), None);
    }
}
