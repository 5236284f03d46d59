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

/// Whether the module `model` names writes no `aud` condition (v4.0.0–v4.2.1): the release
/// to move to is v4.3.0, no input adds one (`trust-missing-aud`'s help).
pub fn writes_no_aud(model: &str) -> bool {
    // Also when a helm-addon calls it (`<model>, called by <helm-addon model>`).
    let model = model
        .split(super::blueprints_helm_addon_v4::CALLED_BY)
        .next()
        .unwrap_or(model);
    [V4_0_2, V4_2_1]
        .iter()
        .any(|r| model == format!("{MODULE} {}", r.tag))
}

/// The `?ref=` of a git source, without other query parameters.
pub(crate) fn git_ref(source: &str) -> Option<&str> {
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

/// `(minor, patch)` of the v4 tag `source`'s `?ref=` names; `None` for no ref, a branch, a
/// commit, or a version no v4 tag has.
pub(crate) fn v4_tag(source: &str) -> Option<(u32, u32)> {
    git_ref(source)
        .and_then(tag_version)
        .filter(|&(major, minor, patch)| {
            major == 4
                && TAGS
                    .iter()
                    .any(|(m, ps)| *m == minor && ps.contains(&patch))
        })
        .map(|(_, minor, patch)| (minor, patch))
}

/// The release the call follows (see the module doc).
pub(crate) fn release_of(call: &ModuleCall<'_>) -> Release {
    match v4_tag(call.source) {
        Some((0, p)) if p <= 2 => V4_0_2,
        Some((m, _)) if m <= 2 => V4_2_1,
        Some((3, _)) => V4_3_0,
        Some((4, _)) => V4_4_0,
        Some((5, _)) | Some((6, 0)) => V4_6_0,
        Some((6, _)) => V4_6_2,
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

#[cfg(test)]
mod tests {
    use super::super::test_support::{addresses, at, body, conditions, trust};
    use super::super::{is_unknown, known, output_reference, Expansion, Known};
    use crate::source::node::Node;

    const SOURCE: &str = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa?ref=v4.32.1";
    const ARN: &str =
        "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
    const ISS: &str = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";

    fn expand_at(source: &str, text: &str) -> Expansion {
        super::super::test_support::expand_call("module.irsa", source, text)
    }

    fn str_at<'n>(n: &'n Node, path: &[&str]) -> Option<&'n str> {
        n.path(path).and_then(Node::as_str)
    }

    /// kubeflow-manifests' call (deployments/rds-s3/terraform/rds-s3-components/main.tf,
    /// trimmed): the ServiceAccount, annotated with the role; the role named as given, its
    /// trust `StringLike` on `sub` and `aud` of the issuer the ARN names; one attachment per
    /// policy, at the ARN written.
    #[test]
    fn the_kubeflow_call_generates_the_account_the_role_and_its_attachments() {
        let text = format!(
            "kubernetes_namespace: kubeflow
create_kubernetes_namespace: false
create_kubernetes_service_account: true
kubernetes_service_account: kubeflow-secrets-manager-sa
irsa_iam_role_name: kf-secrets-manager-irsa
irsa_iam_policies: [\"arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess\", \"arn:aws:iam::aws:policy/SecretsManagerReadWrite\"]
irsa_iam_permissions_boundary: arn:aws:iam::111122223333:policy/boundary
eks_cluster_id: kubeflow
eks_oidc_provider_arn: {ARN}
"
        );
        let e = expand_at(SOURCE, &text);
        assert_eq!(e.model, super::MODEL);
        assert_eq!(
            addresses(&e),
            [
                "module.irsa.kubernetes_service_account_v1.irsa[0]",
                "module.irsa.aws_iam_role.irsa[0]",
                "module.irsa.aws_iam_role_policy_attachment.irsa[0]",
                "module.irsa.aws_iam_role_policy_attachment.irsa[1]",
            ]
        );
        assert!(e.ignored.is_empty());
        let sa = body(&e, "module.irsa.kubernetes_service_account_v1.irsa[0]");
        assert_eq!(
            str_at(sa, &["metadata", "name"]),
            Some("kubeflow-secrets-manager-sa")
        );
        assert_eq!(str_at(sa, &["metadata", "namespace"]), Some("kubeflow"));
        let ann = sa
            .path(&["metadata", "annotations", "eks.amazonaws.com/role-arn"])
            .unwrap();
        assert!(is_unknown(ann));
        assert_eq!(ann.as_str(), Some("module.irsa.aws_iam_role.irsa[0].arn"));
        assert_eq!(at(&text, ann.span), "6:20");

        let role = body(&e, "module.irsa.aws_iam_role.irsa[0]");
        assert_eq!(str_at(role, &["name"]), Some("kf-secrets-manager-irsa"));
        assert_eq!(str_at(role, &["path"]), Some("/"));
        assert_eq!(
            str_at(role, &["permissions_boundary"]),
            Some("arn:aws:iam::111122223333:policy/boundary")
        );
        let t = trust(&e);
        assert_eq!(
            conditions(&text, t, 0),
            [
                (
                    "StringLike".into(),
                    format!("{ISS}:sub"),
                    "system:serviceaccount:kubeflow:kubeflow-secrets-manager-sa".into(),
                    "4:29".into()
                ),
                (
                    "StringLike".into(),
                    format!("{ISS}:aud"),
                    "sts.amazonaws.com".into(),
                    "1:1".into()
                ),
            ]
        );
        let st = &t.get("Statement").unwrap().items()[0];
        assert_eq!(
            st.path(&["Action"]).unwrap().items()[0].as_str(),
            Some("sts:AssumeRoleWithWebIdentity")
        );
        let fed = st.path(&["Principal", "Federated"]).unwrap();
        assert_eq!(
            (fed.as_str(), at(&text, fed.span).as_str()),
            (Some(ARN), "9:24")
        );
        // The issuer key points at the ARN it is computed from.
        let key = &st.get("Condition").unwrap().entries()[0].value.entries()[0].key;
        assert_eq!(at(&text, key.span), "9:24");

        let att = body(&e, "module.irsa.aws_iam_role_policy_attachment.irsa[1]");
        assert_eq!(str_at(att, &["role"]), Some("kf-secrets-manager-irsa"));
        let arn = att.get("policy_arn").unwrap();
        assert_eq!(
            arn.as_str(),
            Some("arn:aws:iam::aws:policy/SecretsManagerReadWrite")
        );
        assert_eq!(at(&text, arn.span), "6:72");
    }

    /// The defaults: the namespace and the account created, the role (for `[]`, the
    /// default, is not `null`) named `<cluster>-<trim(sa, "-*")>-irsa` under `/`, no
    /// boundary for `""`, no attachment.
    #[test]
    fn defaults_create_the_namespace_the_account_and_a_named_role() {
        let text = format!(
            "kubernetes_namespace: velero
kubernetes_service_account: \"-velero-*\"
irsa_iam_role_name: \"\"
irsa_iam_permissions_boundary: \"\"
eks_cluster_id: prod
eks_oidc_provider_arn: {ARN}
"
        );
        let e = expand_at(SOURCE, &text);
        assert_eq!(
            addresses(&e),
            [
                "module.irsa.kubernetes_namespace_v1.irsa[0]",
                "module.irsa.kubernetes_service_account_v1.irsa[0]",
                "module.irsa.aws_iam_role.irsa[0]",
            ]
        );
        let ns = body(&e, "module.irsa.kubernetes_namespace_v1.irsa[0]");
        assert_eq!(str_at(ns, &["metadata", "name"]), Some("velero"));
        let role = body(&e, "module.irsa.aws_iam_role.irsa[0]");
        assert_eq!(str_at(role, &["name"]), Some("prod-velero-irsa"));
        assert!(role.get("permissions_boundary").is_none());
        assert_eq!(
            conditions(&text, trust(&e), 0)[0].2,
            "system:serviceaccount:velero:-velero-*"
        );
        // A name only apply knows may be `""` (`coalesce` then formats one): unknown, named
        // by the role's attribute, at the input.
        let later = text.replace(
            "irsa_iam_role_name: \"\"",
            "irsa_iam_role_name: !Unknown var.role",
        );
        let e = expand_at(SOURCE, &later);
        let name = body(&e, "module.irsa.aws_iam_role.irsa[0]")
            .get("name")
            .unwrap();
        assert!(is_unknown(name));
        assert_eq!(name.as_str(), Some("module.irsa.aws_iam_role.irsa[0].name"));
        assert_eq!(at(&later, name.span), "3:30");
        // An unknown cluster id leaves the name to apply, named by the role's attribute.
        let text = text.replace("eks_cluster_id: prod", "eks_cluster_id: !Unknown var.id");
        let e = expand_at(SOURCE, &text);
        let name = body(&e, "module.irsa.aws_iam_role.irsa[0]")
            .get("name")
            .unwrap();
        assert!(is_unknown(name));
        assert_eq!(name.as_str(), Some("module.irsa.aws_iam_role.irsa[0].name"));
    }

    /// `irsa_iam_policies = null` creates no role, and the account is not annotated; an
    /// unknown list may be anything but `null`'s absence: the role is generated (maybe
    /// created), with no attachment guessed.
    #[test]
    fn null_policies_create_no_role_and_no_annotation() {
        let base = format!(
            "kubernetes_namespace: kube-system
create_kubernetes_namespace: false
kubernetes_service_account: app
eks_cluster_id: prod
eks_oidc_provider_arn: {ARN}
"
        );
        let e = expand_at(SOURCE, &format!("{base}irsa_iam_policies: null\n"));
        assert_eq!(
            addresses(&e),
            ["module.irsa.kubernetes_service_account_v1.irsa[0]"]
        );
        let sa = body(&e, "module.irsa.kubernetes_service_account_v1.irsa[0]");
        assert!(sa.path(&["metadata", "annotations"]).is_none());
        let e = expand_at(
            SOURCE,
            &format!("{base}irsa_iam_policies: !Unknown var.policies\n"),
        );
        assert_eq!(
            addresses(&e),
            [
                "module.irsa.kubernetes_service_account_v1.irsa[0]",
                "module.irsa.aws_iam_role.irsa[0]"
            ]
        );
        // `create_kubernetes_service_account`: false creates none, unknown maybe one.
        for (value, created) in [("false", false), ("true", true), ("!Unknown var.c", true)] {
            let e = expand_at(
                SOURCE,
                &format!("{base}create_kubernetes_service_account: {value}\n"),
            );
            let has = addresses(&e).iter().any(|a| a.contains("service_account"));
            assert_eq!(has, created, "{value}");
        }
    }

    /// The namespace's `count`: `create_kubernetes_namespace`, and from v4.0.3 not for
    /// `kube-system`.
    #[test]
    fn kube_system_is_not_created_from_v4_0_3() {
        let text = "kubernetes_namespace: kube-system\nkubernetes_service_account: a\naddon_context:\n  eks_cluster_id: c\n  eks_oidc_issuer_url: x\n  eks_oidc_provider_arn: y\n";
        let has_ns = |reference: &str, text: &str| {
            let source = format!("git::https://github.com/aws-ia/terraform-aws-eks-blueprints.git//modules/irsa?ref={reference}");
            addresses(&expand_at(&source, text))
                .iter()
                .any(|a| a.contains("namespace"))
        };
        assert!(has_ns("v4.0.2", text));
        assert!(!has_ns("v4.0.3", text));
        let other = text.replace("kube-system", "apps");
        assert!(has_ns("v4.0.3", &other));
        let off = format!("create_kubernetes_namespace: false\n{other}");
        assert!(!has_ns("v4.0.2", &off));
    }

    /// Before v4.7.0 the inputs are `addon_context`'s: the issuer URL as given, no `aud`
    /// before v4.3.0, `StringEquals` in v4.3.0 only, the name given from v4.5.0 (null when
    /// not given until v4.6.0, the formatted one after).
    #[test]
    fn each_release_range_writes_its_own_trust_and_name() {
        let ctx = |extra: &str| {
            format!(
                "kubernetes_namespace: apps
kubernetes_service_account: web
addon_context:
  eks_cluster_id: prod
  eks_oidc_issuer_url: {ISS}
  eks_oidc_provider_arn: {ARN}
  irsa_iam_role_path: /irsa/
{extra}"
            )
        };
        let at_ref = |r: &str| {
            format!("git::https://github.com/aws-ia/terraform-aws-eks-blueprints.git//modules/irsa?ref={r}")
        };
        // (ref, operator, keys, role name)
        let cases: [(&str, &str, &[&str], Option<&str>); 8] = [
            ("v4.0.0", "StringLike", &["sub"], Some("prod-web-irsa")),
            ("v4.2.1", "StringLike", &["sub"], Some("prod-web-irsa")),
            (
                "v4.3.0",
                "StringEquals",
                &["sub", "aud"],
                Some("prod-web-irsa"),
            ),
            (
                "v4.4.0",
                "StringLike",
                &["sub", "aud"],
                Some("prod-web-irsa"),
            ),
            ("v4.5.0", "StringLike", &["sub", "aud"], None),
            ("v4.6.0", "StringLike", &["sub", "aud"], None),
            (
                "v4.6.1",
                "StringLike",
                &["sub", "aud"],
                Some("prod-web-irsa"),
            ),
            (
                "v4.6.2",
                "StringLike",
                &["sub", "aud"],
                Some("prod-web-irsa"),
            ),
        ];
        let text = ctx("");
        for (r, op, claims, name) in cases {
            let e = expand_at(&at_ref(r), &text);
            let c = conditions(&text, trust(&e), 0);
            let got: Vec<_> = c.iter().map(|c| c.1.clone()).collect();
            let want: Vec<_> = claims.iter().map(|k| format!("{ISS}:{k}")).collect();
            assert_eq!(got, want, "{r}");
            assert!(c.iter().all(|c| c.0 == op), "{r}");
            assert_eq!(super::writes_no_aud(&e.model), claims.len() == 1, "{r}");
            // The issuer URL is the key's, where it is written.
            let st = &trust(&e).get("Statement").unwrap().items()[0];
            let key = &st.get("Condition").unwrap().entries()[0].value.entries()[0].key;
            assert_eq!(at(&text, key.span), "5:24", "{r}");
            let role = body(&e, "module.irsa.aws_iam_role.irsa[0]");
            assert_eq!(role.get("name").and_then(Node::as_str), name, "{r}");
            assert_eq!(str_at(role, &["path"]), Some("/irsa/"), "{r}");
        }
        // A name given: v4.4.0 has no such attribute (the type drops it), v4.5.0 on use it.
        let named = ctx("  irsa_iam_role_name: web-role\n");
        for (r, name) in [
            ("v4.4.0", "prod-web-irsa"),
            ("v4.5.0", "web-role"),
            ("v4.6.2", "web-role"),
        ] {
            let e = expand_at(&at_ref(r), &named);
            let role = body(&e, "module.irsa.aws_iam_role.irsa[0]");
            assert_eq!(str_at(role, &["name"]), Some(name), "{r}");
        }
        // The issuer URL is used whole: nothing is cut at a `provider/` in it (that is the
        // provider ARN's rule, v4.7.0 on).
        let path_url = text.replace(&format!("url: {ISS}"), "url: auth.example.com/provider/abc");
        let e = expand_at(&at_ref("v4.4.0"), &path_url);
        assert_eq!(
            conditions(&path_url, trust(&e), 0)[0].1,
            "auth.example.com/provider/abc:sub"
        );
        // An issuer URL with its scheme stays in the key (trust-key-has-scheme's case).
        let scheme = text.replace(&format!("url: {ISS}"), &format!("url: https://{ISS}"));
        let e = expand_at(&at_ref("v4.4.0"), &scheme);
        assert_eq!(
            conditions(&scheme, trust(&e), 0)[0].1,
            format!("https://{ISS}:sub")
        );
    }

    /// No `?ref=`, or one that is no v4 tag: `addon_context` is one of v4.0.0–v4.6.2, whose
    /// trusts differ (unknown); the top-level inputs are v4.7.0 on (v4.32.1). A v1–v3 ref is
    /// another module, not modelled.
    #[test]
    fn an_unknown_ref_is_followed_only_as_far_as_the_inputs_decide() {
        let ctx = format!("kubernetes_namespace: apps\nkubernetes_service_account: web\naddon_context:\n  eks_cluster_id: prod\n  eks_oidc_issuer_url: {ISS}\n  eks_oidc_provider_arn: {ARN}\n");
        for source in [
            "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa",
            "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa?ref=main",
            "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa?ref=v4.33.0",
        ] {
            let e = expand_at(source, &ctx);
            assert!(is_unknown(trust(&e)), "{source}");
            assert_eq!(
                trust(&e).as_str(),
                Some("module.irsa.aws_iam_role.irsa[0].assume_role_policy")
            );
            assert_eq!(at(&ctx, trust(&e).span), "4:3");
            assert!(addresses(&e).iter().any(|a| a.contains("service_account")));
            let flat = format!("kubernetes_namespace: apps\nkubernetes_service_account: web\neks_cluster_id: prod\neks_oidc_provider_arn: {ARN}\n");
            let e = expand_at(source, &flat);
            assert_eq!(e.model, super::MODEL, "{source}");
            assert!(!super::writes_no_aud(&e.model));
            assert_eq!(conditions(&flat, trust(&e), 0).len(), 2, "{source}");
        }
        // Tagged: `&depth=1` after the ref, `4.3.0` without its `v`.
        let e = expand_at(
            "git::https://github.com/aws-ia/terraform-aws-eks-blueprints.git//modules/irsa?ref=4.3.0&depth=1",
            &ctx,
        );
        assert_eq!(conditions(&ctx, trust(&e), 0)[0].0, "StringEquals");
        for (source, k) in [
            (SOURCE, Some(Known::BlueprintsIrsaV4)),
            ("github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa", Some(Known::BlueprintsIrsaV4)),
            ("git@github.com:aws-ia/terraform-aws-eks-blueprints.git//modules/irsa?ref=v4.0.0", Some(Known::BlueprintsIrsaV4)),
            ("github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa?ref=v3.5.2", None),
            ("github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa-x?ref=v4.32.1", None),
            ("github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref=v4.32.1", Some(Known::BlueprintsAddonsV4)),
        ] {
            assert_eq!(known(source), k, "{source}");
        }
    }

    #[test]
    fn outputs_name_the_role() {
        assert_eq!(
            output_reference(SOURCE, "module.kf", "irsa_iam_role_arn"),
            Some(("module.kf.aws_iam_role.irsa[0]".into(), "arn"))
        );
        assert_eq!(
            output_reference(SOURCE, "module.kf", "irsa_iam_role_name"),
            Some(("module.kf.aws_iam_role.irsa[0]".into(), "name"))
        );
        assert_eq!(output_reference(SOURCE, "module.kf", "iam_role_arn"), None);
        assert_eq!(output_reference(SOURCE, "module.kf", "namespace"), None);
    }

    /// Unknown inputs stay unknown: a namespace only apply knows makes the `sub` unknown
    /// (named by the expression), an unknown provider ARN the issuer part of the keys.
    #[test]
    fn unknown_inputs_stay_unknown() {
        let text = "kubernetes_namespace: !Unknown kubernetes_namespace.kf.metadata[0].name\nkubernetes_service_account: web\neks_cluster_id: prod\neks_oidc_provider_arn: !Unknown module.eks.oidc_provider_arn\n";
        let e = expand_at(SOURCE, text);
        let st = &trust(&e).get("Statement").unwrap().items()[0];
        let block = &st.get("Condition").unwrap().entries()[0].value;
        let sub = &block.entries()[0];
        assert!(is_unknown(&sub.value));
        assert_eq!(
            sub.value.as_str(),
            Some("system:serviceaccount:kubernetes_namespace.kf.metadata[0].name:web")
        );
        assert_eq!(sub.key.tag.as_deref(), Some("!Sub"));
        assert_eq!(
            sub.key.as_str(),
            Some("${module.eks.oidc_provider_arn}:sub")
        );
    }
}
