//! aws-ia/terraform-aws-eks-blueprints `modules/irsa`, the IRSA module of eks-blueprints v4
//! (its `kubernetes-addons` call it for every add-on, and users call it directly:
//! awslabs/kubeflow-manifests deployments/rds-s3/terraform/rds-s3-components/main.tf,
//! `?ref=v4.32.1`). Read from the tags themselves (modules/irsa/main.tf, variables.tf,
//! outputs.tf at each v4 tag; v5.0.0 removed the module, v3 is another module and is not
//! modelled: [`super::known`] refuses a v1–v3 `?ref=`). Every v4 release:
//!
//! - `aws_iam_role.irsa[0]` with `count = var.irsa_iam_policies != null ? 1 : 0`
//!   (`irsa_iam_policies` defaults to `[]`: the role is created unless the call passes
//!   `null`); its trust is one statement, `sts:AssumeRoleWithWebIdentity` from the
//!   provider ARN, with one condition block on `<issuer>:sub` =
//!   `system:serviceaccount:<kubernetes_namespace>:<kubernetes_service_account>` (and
//!   `<issuer>:aud` = `sts.amazonaws.com` from v4.3.0); `path` and `permissions_boundary`;
//! - `aws_iam_role_policy_attachment.irsa[i]` for each element of `irsa_iam_policies`;
//! - `kubernetes_service_account_v1.irsa[0]` when `create_kubernetes_service_account`
//!   (default `true`), named `kubernetes_service_account` in `kubernetes_namespace`,
//!   annotated with the role's ARN exactly when the role is created
//!   (`var.irsa_iam_policies != null ? {...} : null`);
//! - `kubernetes_namespace_v1.irsa[0]` when `create_kubernetes_namespace` (default `true`),
//!   from v4.0.3 not for `kube-system`.
//!
//! What changed between the releases ([`Release`]):
//!
//! | tags | inputs | trust | role name |
//! |---|---|---|---|
//! | v4.0.0–v4.2.1 | `addon_context` (`eks_oidc_issuer_url`, `eks_oidc_provider_arn`, `eks_cluster_id`, `irsa_iam_role_path`, `irsa_iam_permissions_boundary`) | `StringLike` on `sub` only, no `aud` | `<eks_cluster_id>-<trim(sa, "-*")>-irsa` |
//! | v4.3.0 | the same | `StringEquals` on `sub` and `aud` | the same |
//! | v4.4.0 | the same | `StringLike` on `sub` and `aud` (the module's note: "We are using wild characters for service account hence StringLike is required") | the same |
//! | v4.5.0–v4.6.0 | + `addon_context.irsa_iam_role_name` (optional) | the same | `try(irsa_iam_role_name, <format>)`: null (Terraform picks a name) when not given |
//! | v4.6.1–v4.6.2 | the same | the same | `try(coalesce(irsa_iam_role_name, <format>), null)` |
//! | v4.7.0–v4.32.1 | `eks_oidc_provider_arn`, `eks_cluster_id`, `irsa_iam_role_name` (default `""`), `irsa_iam_role_path` (default `/`), `irsa_iam_permissions_boundary` (default `""`) | the same, the issuer `replace(var.eks_oidc_provider_arn, "/^(.*provider/)/", "")` | `try(coalesce(irsa_iam_role_name, <format>), null)` |
//!
//! The release is the call's `?ref=` tag. With no `?ref=` (the default branch has had no
//! `modules/irsa` since v5.0.0) or a ref that is no v4 tag (a branch, a commit): a call
//! giving `eks_oidc_provider_arn` can only be v4.7.0 or later (no earlier release has that
//! input), all alike, so v4.32.1 is followed; a call giving `addon_context` is one of
//! v4.0.0–v4.6.2, whose trusts differ (`aud` or not, the operator): the trust is left
//! unknown, the role, its attachments and the ServiceAccount are generated.
//!
//! Arguments a release does not declare are an error in Terraform; attributes of
//! `addon_context` outside its object type are dropped by Terraform's type conversion, but
//! none of those shapes the trust or a policy (the type holds all the module reads), so
//! nothing is reported as ignored.

use super::{
    arg, document, entry, is_unknown, map, may_create, resource, str_node, unknown, Cond,
    Expansion, ModuleCall,
};
use crate::source::node::{Node, Value};
use crate::terraform::Resource;

/// The module a model string names.
const MODULE: &str = "aws-ia/terraform-aws-eks-blueprints//modules/irsa";

pub const MODEL: &str = "aws-ia/terraform-aws-eks-blueprints//modules/irsa v4.32.1";

/// How a release names the role when `irsa_iam_role_name` is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Naming {
    /// `format("%s-%s-%s", eks_cluster_id, trim(sa, "-*"), "irsa")`, no name input.
    Format,
    /// `try(var.addon_context.irsa_iam_role_name, <format>)`: the optional attribute is
    /// null when not given, and `try` returns that null (v4.5.0 main.tf).
    TryOptional,
    /// `try(coalesce(<name>, <format>), null)`: `""` and null fall through (v4.6.1 main.tf).
    Coalesce,
}

/// What one range of v4 releases generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Release {
    /// The last tag of the range: the model string's version.
    tag: &'static str,
    /// Inputs inside `addon_context` (before v4.7.0), else top-level.
    context: bool,
    /// The trust's operator, `None` when the release is not known (see the module doc).
    test: Option<&'static str>,
    aud: bool,
    naming: Naming,
    /// `kubernetes_namespace != "kube-system"` in the namespace's `count` (v4.0.3 main.tf).
    skip_kube_system: bool,
}

const fn release(
    tag: &'static str,
    context: bool,
    test: Option<&'static str>,
    aud: bool,
    naming: Naming,
    skip_kube_system: bool,
) -> Release {
    Release {
        tag,
        context,
        test,
        aud,
        naming,
        skip_kube_system,
    }
}

const V4_0_2: Release = release(
    "v4.0.2",
    true,
    Some("StringLike"),
    false,
    Naming::Format,
    false,
);
const V4_2_1: Release = release(
    "v4.2.1",
    true,
    Some("StringLike"),
    false,
    Naming::Format,
    true,
);
const V4_3_0: Release = release(
    "v4.3.0",
    true,
    Some("StringEquals"),
    true,
    Naming::Format,
    true,
);
const V4_4_0: Release = release(
    "v4.4.0",
    true,
    Some("StringLike"),
    true,
    Naming::Format,
    true,
);
const V4_6_0: Release = release(
    "v4.6.0",
    true,
    Some("StringLike"),
    true,
    Naming::TryOptional,
    true,
);
const V4_6_2: Release = release(
    "v4.6.2",
    true,
    Some("StringLike"),
    true,
    Naming::Coalesce,
    true,
);
const V4_32_1: Release = release(
    "v4.32.1",
    false,
    Some("StringLike"),
    true,
    Naming::Coalesce,
    true,
);
/// One of v4.0.0–v4.6.2, not known which: the trust is unknown; named as the last of them
/// would (a name given is used by v4.5.0 on).
const V4_CONTEXT: Release = release("v4.0.0–v4.6.2", true, None, true, Naming::Coalesce, true);

/// The v4 tags, as `(minor, patch)`, that exist (`git tag` of aws-ia/terraform-aws-eks-blueprints).
const TAGS: &[(u32, &[u32])] = &[
    (0, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    (1, &[0]),
    (2, &[0, 1]),
    (3, &[0]),
    (4, &[0]),
    (5, &[0]),
    (6, &[0, 1, 2]),
    (7, &[0]),
    (8, &[0, 1]),
    (9, &[0]),
    (10, &[0]),
    (11, &[0]),
    (12, &[0, 1, 2]),
    (13, &[0, 1]),
    (14, &[0]),
    (15, &[0]),
    (16, &[0]),
    (17, &[0]),
    (18, &[0, 1]),
    (19, &[0]),
    (20, &[0]),
    (21, &[0]),
    (22, &[0]),
    (23, &[0]),
    (24, &[0]),
    (25, &[0]),
    (26, &[0]),
    (27, &[0]),
    (28, &[0]),
    (29, &[0]),
    (30, &[0]),
    (31, &[0]),
    (32, &[0, 1]),
];

/// The `?ref=` of a git source, without other query parameters.
fn git_ref(source: &str) -> Option<&str> {
    let query = source.split_once('?')?.1;
    query
        .split('&')
        .find_map(|p| p.strip_prefix("ref="))
        .map(str::trim)
}

/// `(major, minor, patch)` of a tag written `v4.32.1` or `4.32.1`.
pub(crate) fn tag_version(r: &str) -> Option<(u32, u32, u32)> {
    let mut parts = r.strip_prefix('v').unwrap_or(r).split('.');
    let mut next = || parts.next()?.parse::<u32>().ok();
    let v = (next()?, next()?, next()?);
    parts.next().is_none().then_some(v)
}

/// Whether `source`'s `?ref=` names a release before v4 (v3's `modules/irsa` is another
/// module, with no `count` on the role): not modelled.
pub(crate) fn is_before_v4(source: &str) -> bool {
    git_ref(source)
        .and_then(tag_version)
        .is_some_and(|(major, _, _)| major < 4)
}

/// The release the call follows (see the module doc).
pub(crate) fn release_of(call: &ModuleCall<'_>) -> Release {
    let tagged = git_ref(call.source)
        .and_then(tag_version)
        .filter(|&(major, minor, patch)| {
            major == 4
                && TAGS
                    .iter()
                    .any(|(m, ps)| *m == minor && ps.contains(&patch))
        });
    match tagged {
        Some((_, 0, p)) if p <= 2 => V4_0_2,
        Some((_, m, _)) if m <= 2 => V4_2_1,
        Some((_, 3, _)) => V4_3_0,
        Some((_, 4, _)) => V4_4_0,
        Some((_, 5, _)) | Some((_, 6, 0)) => V4_6_0,
        Some((_, 6, _)) => V4_6_2,
        Some(_) => V4_32_1,
        None if arg(call, "addon_context").is_some() => V4_CONTEXT,
        None => V4_32_1,
    }
}

/// An input of the release: inside `addon_context` before v4.7.0.
fn input<'a>(call: &ModuleCall<'a>, rel: &Release, name: &str) -> Option<&'a Node> {
    if rel.context {
        arg(call, "addon_context")?
            .get(name)
            .filter(|n| !n.is_null())
    } else {
        arg(call, name)
    }
}

fn known_str(n: &Node) -> Option<&str> {
    n.as_str().filter(|_| !is_unknown(n))
}

/// `<issuer>:<claim>`: the issuer as the release computes it, at the input it comes from.
/// v4.7.0 on: `replace(eks_oidc_provider_arn, "/^(.*provider/)/", "")` (what
/// [`super::issuer_key`] computes); before: `addon_context.eks_oidc_issuer_url` as given.
fn claim_key(issuer: Option<&Node>, from_arn: bool, claim: &str, call: &ModuleCall<'_>) -> Node {
    match issuer {
        Some(arn) if from_arn => super::issuer_key(arn, claim),
        Some(url) => match known_str(url) {
            Some(u) => str_node(format!("{u}:{claim}"), url.span),
            None => {
                let name = url
                    .as_str()
                    .unwrap_or("addon_context.eks_oidc_issuer_url")
                    .replace('}', "");
                let mut n = str_node(format!("${{{name}}}:{claim}"), url.span);
                n.tag = "!Sub".into();
                n
            }
        },
        None => {
            let mut n = str_node(format!("${{the OIDC issuer}}:{claim}"), call.anchor);
            n.tag = "!Sub".into();
            n
        }
    }
}

/// `trim(s, "-*")`: the leading and trailing `-` and `*` removed.
fn trim_dash_star(s: &str) -> &str {
    s.trim_matches(['-', '*'])
}

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let rel = release_of(call);
    let model = format!("{MODULE} {}", rel.tag);
    let mut out = Expansion {
        model: model.clone(),
        resources: Vec::new(),
        ignored: Vec::new(),
    };
    let ns = arg(call, "kubernetes_namespace");
    let sa = arg(call, "kubernetes_service_account");
    let role_address = format!("{}.aws_iam_role.irsa[0]", call.address);
    // `count = var.irsa_iam_policies != null ? 1 : 0`: only an explicit `null` (or one only
    // apply knows, "maybe created": see `super::may_create`) differs from the default `[]`.
    let policies = call.args.get("irsa_iam_policies");
    let role = !policies.is_some_and(Node::is_null);
    if create_namespace(call, &rel, ns) {
        let at = ns.map_or(call.anchor, |n| n.span);
        let name = ns.cloned().unwrap_or_else(|| Node::new(Value::Null, at));
        out.resources.push(resource(
            call,
            &model,
            "kubernetes_namespace_v1",
            "irsa",
            "[0]",
            vec![entry("metadata", map(vec![entry("name", name)], at))],
        ));
    }
    if may_create(call, "create_kubernetes_service_account", true) {
        out.resources.push(service_account(
            call,
            &model,
            ns,
            sa,
            role.then_some(&role_address),
        ));
    }
    if !role {
        return out;
    }
    let name = role_name(call, &rel, sa);
    let mut role_body = vec![
        entry("name", name.clone()),
        entry(
            "path",
            input(call, &rel, "irsa_iam_role_path")
                .cloned()
                .unwrap_or_else(|| str_node("/", call.anchor)),
        ),
        entry("assume_role_policy", trust(call, &rel, ns, sa)),
    ];
    // `""` (the default from v4.7.0) is no boundary.
    if let Some(b) =
        input(call, &rel, "irsa_iam_permissions_boundary").filter(|b| b.as_str() != Some(""))
    {
        role_body.push(entry("permissions_boundary", b.clone()));
    }
    out.resources.push(resource(
        call,
        &model,
        "aws_iam_role",
        "irsa",
        "[0]",
        role_body,
    ));
    // `role = aws_iam_role.irsa[0].name`.
    let role_ref = match known_str(&name) {
        Some(_) => name.clone(),
        None => unknown(format!("{role_address}.name"), call.anchor),
    };
    for (i, arn) in policies
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        out.resources.push(resource(
            call,
            &model,
            "aws_iam_role_policy_attachment",
            "irsa",
            &format!("[{i}]"),
            vec![
                entry("role", role_ref.clone()),
                entry("policy_arn", arn.clone()),
            ],
        ));
    }
    out
}

/// `count = var.create_kubernetes_namespace [&& var.kubernetes_namespace != "kube-system"]`.
fn create_namespace(call: &ModuleCall<'_>, rel: &Release, ns: Option<&Node>) -> bool {
    may_create(call, "create_kubernetes_namespace", true)
        && !(rel.skip_kube_system && ns.and_then(known_str) == Some("kube-system"))
}

/// `kubernetes_service_account_v1.irsa[0]`, annotated with the role's ARN when the module
/// creates the role.
fn service_account(
    call: &ModuleCall<'_>,
    model: &str,
    ns: Option<&Node>,
    sa: Option<&Node>,
    role: Option<&String>,
) -> Resource {
    let null = || Node::new(Value::Null, call.anchor);
    let mut meta = vec![
        entry("name", sa.cloned().unwrap_or_else(null)),
        entry("namespace", ns.cloned().unwrap_or_else(null)),
    ];
    if let Some(role) = role {
        let at = arg(call, "irsa_iam_policies").map_or(call.anchor, |n| n.span);
        meta.push(entry(
            "annotations",
            map(
                vec![entry(
                    "eks.amazonaws.com/role-arn",
                    unknown(format!("{role}.arn"), at),
                )],
                at,
            ),
        ));
    }
    resource(
        call,
        model,
        "kubernetes_service_account_v1",
        "irsa",
        "[0]",
        vec![entry("metadata", map(meta, call.anchor))],
    )
}

/// The role's name as the release computes it; null when Terraform picks one.
fn role_name(call: &ModuleCall<'_>, rel: &Release, sa: Option<&Node>) -> Node {
    let given = if rel.naming == Naming::Format {
        None
    } else {
        input(call, rel, "irsa_iam_role_name")
    };
    let cluster = input(call, rel, "eks_cluster_id");
    let formatted = || match (cluster.and_then(known_str), sa.and_then(known_str)) {
        (Some(c), Some(s)) => str_node(
            format!("{c}-{}-irsa", trim_dash_star(s)),
            sa.map_or(call.anchor, |n| n.span),
        ),
        _ => unknown(
            format!("{}.aws_iam_role.irsa[0].name", call.address),
            call.anchor,
        ),
    };
    match (rel.naming, given) {
        (Naming::Format, _) => formatted(),
        (Naming::TryOptional, Some(n)) => n.clone(),
        (Naming::TryOptional, None) => Node::new(Value::Null, call.anchor),
        // `coalesce` skips `""`; an unknown name might be `""`.
        (Naming::Coalesce, Some(n)) if is_unknown(n) => unknown(
            format!("{}.aws_iam_role.irsa[0].name", call.address),
            n.span,
        ),
        (Naming::Coalesce, Some(n)) if n.as_str() != Some("") => n.clone(),
        (Naming::Coalesce, _) => formatted(),
    }
}

/// The role's trust: one web-identity statement, `sub` (and from v4.3.0 `aud`) under the
/// release's operator.
fn trust(call: &ModuleCall<'_>, rel: &Release, ns: Option<&Node>, sa: Option<&Node>) -> Node {
    let Some(test) = rel.test else {
        return unknown(
            format!("{}.aws_iam_role.irsa[0].assume_role_policy", call.address),
            arg(call, "addon_context").map_or(call.anchor, |n| n.span),
        );
    };
    let arn = input(call, rel, "eks_oidc_provider_arn");
    let issuer = if rel.context {
        input(call, rel, "eks_oidc_issuer_url")
    } else {
        arn
    };
    // The operator is the module's: it points at the module block.
    let test = str_node(test, call.anchor);
    let sa_at = sa.map_or(call.anchor, |n| n.span);
    let sub = match (ns.and_then(known_str), sa.and_then(known_str)) {
        (Some(n), Some(s)) => str_node(format!("system:serviceaccount:{n}:{s}"), sa_at),
        _ => unknown(
            format!(
                "system:serviceaccount:{}:{}",
                ns.and_then(Node::as_str)
                    .unwrap_or("var.kubernetes_namespace"),
                sa.and_then(Node::as_str)
                    .unwrap_or("var.kubernetes_service_account")
            ),
            sa_at,
        ),
    };
    let mut conds = vec![Cond {
        test: test.clone(),
        key: claim_key(issuer, !rel.context, "sub", call),
        values: vec![sub],
    }];
    if rel.aud {
        conds.push(Cond {
            test,
            key: claim_key(issuer, !rel.context, "aud", call),
            values: vec![str_node("sts.amazonaws.com", call.anchor)],
        });
    }
    let federated = arn.cloned().unwrap_or_else(|| {
        unknown(
            if rel.context {
                "addon_context.eks_oidc_provider_arn"
            } else {
                "var.eks_oidc_provider_arn"
            },
            call.anchor,
        )
    });
    let st = super::web_identity_statement(
        &federated,
        &["sts:AssumeRoleWithWebIdentity"],
        conds,
        call.anchor,
    );
    document(vec![st], call.anchor)
}
