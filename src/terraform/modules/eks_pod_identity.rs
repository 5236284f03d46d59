//! terraform-aws-modules/eks-pod-identity, as released in v2.8.1 and, for `version`
//! constraints or `?ref=`s of major 1, v1.12.1
//! (terraform-aws-modules/terraform-aws-eks-pod-identity:main.tf@v2.8.1, variables.tf,
//! outputs.tf, one file per `attach_*_policy` switch; the same files @v1.12.1):
//!
//! - `create` (default `true`) gates everything;
//! - the role `aws_iam_role.this[0]`: `name` (default `""`), as a prefix `<name>-` unless
//!   `use_name_prefix = false` (default `true`), `path` (default `/`),
//!   `permissions_boundary_arn`;
//! - its trust: one statement `sts:AssumeRole` + `sts:TagSession` for the service principal
//!   `pods.eks.amazonaws.com`, with the `trust_policy_conditions` (`{test, variable,
//!   values}`), then the `trust_policy_statements` as `aws_iam_policy_document` statements;
//! - `additional_policy_arns` (a map) → `aws_iam_role_policy_attachment.this[key]`;
//! - the "base" document: `source_policy_documents`, then `policy_statements`, then
//!   `override_policy_documents` (a statement with the Sid of an earlier one replaces it).
//!   It is `aws_iam_policy.custom[0]` when `attach_custom_policy = true` (default `false`),
//!   and every `attach_*_policy` switch's own document *starts from it*
//!   (`source_policy_documents = [data.aws_iam_policy_document.base[0].json]`): without
//!   `attach_custom_policy` the user's statements reach the role only through a switch;
//! - each `attach_*_policy` switch → `aws_iam_policy.<name>[0]` and its attachment. With no
//!   user statements its contents are the module's own (producer-owned, reported as info);
//!   with user statements the policy is modelled as the user's part (checked by the perm
//!   rules) beside the module's documents, not read, as for v6 `iam-role-for-service-accounts`;
//!   `attach_aws_cloudwatch_observability_policy` attaches two AWS managed policies
//!   (`CloudWatchAgentServerPolicy`, `AWSXrayWriteOnlyAccess`) whose partition comes from a
//!   data source;
//! - `associations` (a map) → `aws_eks_pod_identity_association.this[key]`, each key taken
//!   from the entry, else from `association_defaults`, with `role_arn` always the module's
//!   role (a `role_arn` in the entry is not read);
//! - outputs `iam_role_arn`, `iam_role_name`, `iam_role_path`, `iam_role_unique_id`, and
//!   `iam_policy_arn`/`iam_policy_name`: the first policy of [`POLICY_OUTPUT`] the call
//!   creates (resolved by [`super::policy_output`]).
//!
//! Between the majors: a statement's conditions are `conditions` in v1 (read with `try`)
//! and `condition` in v2 (an object attribute; Terraform drops attributes the type does
//! not declare), so the key the other major reads adds no condition.

use super::{
    arg, document, entry, flag, iam_statement, is_unknown, map, may_create, name_or_prefix,
    resource, role_name_ref, role_resource, str_node, string_or, unknown, Expansion, ModuleCall,
};
use crate::source::node::Node;

pub const MODEL_V2: &str = "terraform-aws-modules/eks-pod-identity/aws v2.8.1";
pub const MODEL_V1: &str = "terraform-aws-modules/eks-pod-identity/aws v1.12.1";

/// Each `attach_*_policy` switch with the name of the policy resource it creates.
const SWITCHES: &[(&str, &str)] = &[
    (
        "attach_amazon_managed_service_prometheus_policy",
        "amazon_managed_service_prometheus",
    ),
    ("attach_aws_appmesh_controller_policy", "appmesh_controller"),
    (
        "attach_aws_appmesh_envoy_proxy_policy",
        "appmesh_envoy_proxy",
    ),
    ("attach_aws_ebs_csi_policy", "ebs_csi"),
    ("attach_aws_efs_csi_policy", "efs_csi"),
    ("attach_aws_fsx_lustre_csi_policy", "fsx_lustre_csi"),
    (
        "attach_aws_gateway_controller_policy",
        "aws_gateway_controller",
    ),
    ("attach_aws_lb_controller_policy", "lb_controller"),
    (
        "attach_aws_lb_controller_targetgroup_binding_only_policy",
        "lb_controller_targetgroup_only",
    ),
    (
        "attach_aws_node_termination_handler_policy",
        "node_termination_handler",
    ),
    ("attach_aws_privateca_issuer_policy", "aws_privateca_issuer"),
    ("attach_aws_vpc_cni_policy", "vpc_cni"),
    ("attach_cert_manager_policy", "cert_manager"),
    ("attach_cluster_autoscaler_policy", "cluster_autoscaler"),
    ("attach_external_dns_policy", "external_dns"),
    ("attach_external_secrets_policy", "external_secrets"),
    ("attach_mountpoint_s3_csi_policy", "mountpoint_s3_csi"),
    ("attach_pganalyze_policy", "pganalyze"),
    ("attach_velero_policy", "velero"),
];

/// The policies the `iam_policy_arn`/`iam_policy_name` outputs try, in their order: the
/// first the call creates is the one returned (outputs.tf, the same list in v1.12.1 and
/// v2.8.1; `pganalyze` is not in it, so a call with only that switch returns `null`).
pub const POLICY_OUTPUT: &[&str] = &[
    "amazon_managed_service_prometheus",
    "appmesh_controller",
    "appmesh_envoy_proxy",
    "aws_gateway_controller",
    "aws_privateca_issuer",
    "cert_manager",
    "cluster_autoscaler",
    "ebs_csi",
    "efs_csi",
    "external_dns",
    "external_secrets",
    "fsx_lustre_csi",
    "lb_controller",
    "lb_controller_targetgroup_only",
    "mountpoint_s3_csi",
    "node_termination_handler",
    "velero",
    "vpc_cni",
    "custom",
];

/// The AWS managed policies `attach_aws_cloudwatch_observability_policy` attaches.
const CLOUDWATCH: &[&str] = &["CloudWatchAgentServerPolicy", "AWSXrayWriteOnlyAccess"];

/// Whether the call follows major 1: its `version` constraint pins major 1 (`~> 1.0`,
/// `1.12.1`, `= 1.4`) or its git `?ref=` is a v1 tag. Anything else (no version, `>= 1.0`,
/// which Terraform resolves to the newest release) is major 2.
pub fn is_v1(call: &ModuleCall<'_>) -> bool {
    let pinned = |v: &str| {
        let v = v.trim();
        if v.contains("< 2") {
            // `>= 1.0, < 2.0`: an upper bound below 2.
            return true;
        }
        if v.starts_with('>') || v.contains(',') {
            return false;
        }
        let v = v.trim_start_matches(['~', '>', '=', ' ', 'v']);
        v == "1" || v.starts_with("1.")
    };
    let by_ref = call
        .source
        .split_once("?ref=")
        .is_some_and(|(_, r)| pinned(r));
    by_ref || call.version.is_some_and(pinned)
}

pub fn expand(call: &ModuleCall<'_>) -> Expansion {
    let v1 = is_v1(call);
    let model = if v1 { MODEL_V1 } else { MODEL_V2 };
    let cond_key = if v1 { "conditions" } else { "condition" };
    let mut out = Expansion {
        model: model.into(),
        resources: Vec::new(),
        ignored: Vec::new(),
    };
    if !may_create(call, "create", true) {
        return out;
    }
    out.ignored = ignored_statement_keys(call, model, cond_key, "trust_policy_statements");
    // `policy_statements` reach a policy only through `attach_custom_policy` or a switch
    // (see `super::merged_document`); unused, what they drop grants nothing either way.
    let policy_used = std::iter::once("attach_custom_policy")
        .chain(SWITCHES.iter().map(|(s, _)| *s))
        .any(|s| flag(call, s, false) != Some(false));
    if policy_used {
        out.ignored.extend(
            ignored_statement_keys(call, model, cond_key, "policy_statements")
                .into_iter()
                .map(|i| i.affecting(super::Affects::Policy)),
        );
    }
    out.ignored
        .extend(ignored_association_keys(call, model, v1));
    let name_in = string_or(call, "name", Some(""));
    let (name, prefix) = name_or_prefix(call, name_in, "use_name_prefix");
    out.resources.push(role_resource(
        call,
        model,
        (name.clone(), prefix),
        string_or(call, "path", Some("/")),
        trust(call, cond_key),
        "permissions_boundary_arn",
    ));
    out.resources.extend(super::attachments(
        call,
        model,
        "additional_policy_arns",
        "this",
        &name,
    ));
    let base = super::merged_document(call, "base", cond_key);
    // A switch only apply knows may create its policy (see `super::may_create`).
    if may_create(call, "attach_custom_policy", false) {
        let policy = base
            .clone()
            .unwrap_or_else(|| document(Vec::new(), call.anchor));
        out.resources.extend(policy_and_attachment(
            call, model, "custom", policy, None, &name,
        ));
    }
    for (switch, res) in SWITCHES {
        if !may_create(call, switch, false) {
            continue;
        }
        match &base {
            // Only the module's statements: its own policy.
            None => out
                .resources
                .extend(super::owned_policy(call, model, res, switch, &name)),
            // The user's statements are part of it: they are read, the module's are not.
            Some(doc) => out.resources.extend(policy_and_attachment(
                call,
                model,
                res,
                doc.clone(),
                Some(switch),
                &name,
            )),
        }
    }
    if may_create(call, "attach_aws_cloudwatch_observability_policy", false) {
        let at =
            arg(call, "attach_aws_cloudwatch_observability_policy").map_or(call.anchor, |n| n.span);
        for p in CLOUDWATCH {
            out.resources.push(resource(
                call,
                model,
                "aws_iam_role_policy_attachment",
                "aws_cloudwatch_observability",
                &format!("[\"{p}\"]"),
                vec![
                    entry("role", role_name_ref(call, &name)),
                    // The partition is `data.aws_partition.current[0].partition`.
                    entry(
                        "policy_arn",
                        unknown(format!("arn:${{partition}}:iam::aws:policy/{p}"), at),
                    ),
                ],
            ));
        }
    }
    out.resources.extend(associations(call, model));
    out
}

/// The keys of a `trust_policy_statements` or `policy_statements` (`input`) element the
/// module never reads: both `dynamic "statement"` blocks read the same keys; v2 declares
/// the element as an object, and Terraform drops attributes the type does not declare
/// without a word (hashicorp/terraform#33570); v1 reads the keys it knows with `try`. A v1
/// `conditions` under v2 (or `condition` under v1) thus leaves a statement without its
/// conditions.
fn ignored_statement_keys(
    call: &ModuleCall<'_>,
    model: &str,
    cond_key: &str,
    input: &str,
) -> Vec<super::IgnoredInput> {
    let known = [
        "sid",
        "actions",
        "not_actions",
        "effect",
        "resources",
        "not_resources",
        "principals",
        "not_principals",
        cond_key,
    ];
    let statements = arg(call, input).map_or(&[][..], Node::items);
    let mut out = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        for e in st.entries() {
            let Some(k) = e.key.as_str() else { continue };
            if known.contains(&k) {
                continue;
            }
            let input = format!("{input}[{i}].{k}");
            out.push(super::IgnoredInput::new(e.key.span, input, &known, model));
        }
    }
    out
}

/// The keys of an `associations` entry or of `association_defaults` the module never reads
/// (`resource "aws_eks_pod_identity_association" "this"`): `role_arn` above all, which v2
/// even declares in both object types, while the association's `role_arn` is always
/// `aws_iam_role.this[0].arn`, the module's own role; v1 reads neither `target_role_arn`
/// nor `disable_session_tags`. A `null` value is the same as leaving the key out.
fn ignored_association_keys(
    call: &ModuleCall<'_>,
    model: &str,
    v1: bool,
) -> Vec<super::IgnoredInput> {
    let known: &[&str] = if v1 {
        &["cluster_name", "namespace", "service_account", "tags"]
    } else {
        &[
            "cluster_name",
            "disable_session_tags",
            "namespace",
            "service_account",
            "target_role_arn",
            "tags",
        ]
    };
    let role = format!("{}.aws_iam_role.this[0]", call.address);
    let mut objects: Vec<(String, &Node)> = Vec::new();
    if let Some(d) = arg(call, "association_defaults") {
        objects.push(("association_defaults".into(), d));
    }
    for e in arg(call, "associations").map_or(&[][..], Node::entries) {
        let key = e.key.as_str().unwrap_or("");
        objects.push((format!("associations.{key}"), &e.value));
    }
    let mut out = Vec::new();
    for (path, object) in objects {
        for e in object.entries() {
            let Some(k) = e.key.as_str() else { continue };
            if known.contains(&k) || e.value.is_null() {
                continue;
            }
            let is_role = k == "role_arn";
            let affects = super::Affects::Association {
                role: is_role.then(|| role.clone()),
                written: is_role.then(|| e.value.as_str().unwrap_or("").to_string()),
            };
            let input = format!("{path}.{k}");
            out.push(super::IgnoredInput::new(e.key.span, input, known, model).affecting(affects));
        }
    }
    out
}

/// The role's trust policy: the Pod Identity statement with `trust_policy_conditions`, then
/// `trust_policy_statements`; unknown when either input is.
fn trust(call: &ModuleCall<'_>, cond_key: &str) -> Node {
    let conditions = arg(call, "trust_policy_conditions");
    let statements = arg(call, "trust_policy_statements");
    if let Some(u) = [conditions, statements]
        .into_iter()
        .flatten()
        .find(|n| is_unknown(n))
    {
        return unknown(
            format!("{}.aws_iam_role.this[0].assume_role_policy", call.address),
            u.span,
        );
    }
    let at = call.anchor;
    let mut pods = crate::derived::pod_identity_entries(at);
    let conds = super::conditions_of(conditions);
    if !conds.is_empty() {
        let span = conditions.map_or(at, |c| c.span);
        pods.push(entry("Condition", super::condition(conds, span)));
    }
    let mut all = vec![map(pods, at)];
    all.extend(
        statements
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .map(|st| iam_statement(st, None, cond_key)),
    );
    document(all, statements.map_or(at, |s| s.span))
}

/// `aws_iam_policy.<res>[0]` holding `policy`, and its attachment to the role; `switch`
/// names the `attach_*_policy` whose module documents are merged in (not modelled).
fn policy_and_attachment(
    call: &ModuleCall<'_>,
    model: &str,
    res: &str,
    policy: Node,
    switch: Option<&str>,
    role: &Node,
) -> Vec<crate::terraform::Resource> {
    let mut body = vec![entry("policy", policy)];
    if let Some(s) = switch {
        let at = arg(call, s).map_or(call.anchor, |n| n.span);
        body.push(entry(
            "irsalint:module_documents",
            map(vec![entry(s, str_node("true", at))], at),
        ));
    }
    let arn = unknown(
        format!("{}.aws_iam_policy.{res}[0].arn", call.address),
        call.anchor,
    );
    vec![
        resource(call, model, "aws_iam_policy", res, "[0]", body),
        resource(
            call,
            model,
            "aws_iam_role_policy_attachment",
            res,
            "[0]",
            vec![
                entry("role", role_name_ref(call, role)),
                entry("policy_arn", arn),
            ],
        ),
    ]
}

/// One `aws_eks_pod_identity_association.this[key]` per `associations` entry whose
/// namespace and ServiceAccount are given (there or in `association_defaults`; Terraform
/// stops with an error otherwise), linked to the module's role by reference.
fn associations(call: &ModuleCall<'_>, model: &str) -> Vec<crate::terraform::Resource> {
    association_bodies(call)
        .into_iter()
        .map(|(key, body)| {
            resource(
                call,
                model,
                "aws_eks_pod_identity_association",
                "this",
                &format!("[\"{}\"]", key.as_str().unwrap_or("")),
                body,
            )
        })
        .collect()
}

/// The module's `associations` output (outputs.tf@v2.8.1 and @v1.12.1:
/// `value = aws_eks_pod_identity_association.this`): a map by the `associations` keys of
/// each association's attributes, those the inputs give (`cluster_name`, `namespace`,
/// `service_account`, `role_arn` the module's role, ...) and those the provider computes
/// (`association_arn`, `association_id`, `id`, `external_id`) unknown, named by the
/// association's address. Empty when `create` is `false`; `None` when the associations are
/// known only at apply.
pub fn associations_output(call: &ModuleCall<'_>) -> Option<Node> {
    if arg(call, "associations").is_some_and(is_unknown) {
        return None;
    }
    let mut entries = Vec::new();
    if may_create(call, "create", true) {
        for (key, mut body) in association_bodies(call) {
            let address = format!(
                "{}.aws_eks_pod_identity_association.this[\"{}\"]",
                call.address,
                key.as_str().unwrap_or("")
            );
            for attr in ["association_arn", "association_id", "id", "external_id"] {
                body.push(entry(attr, unknown(format!("{address}.{attr}"), key.span)));
            }
            let span = key.span;
            entries.push(crate::source::node::Entry {
                key: key.clone(),
                value: map(body, span),
            });
        }
    }
    let span = arg(call, "associations").map_or(call.anchor, |n| n.span);
    Some(map(entries, span))
}

/// Each association's key and the attributes the module gives it (see [`associations`]).
fn association_bodies<'a>(
    call: &ModuleCall<'a>,
) -> Vec<(&'a Node, Vec<crate::source::node::Entry>)> {
    let defaults = arg(call, "association_defaults");
    let Some(list) = arg(call, "associations").filter(|n| !is_unknown(n)) else {
        return Vec::new();
    };
    let pick = |entry: &Node, key: &str| -> Option<Node> {
        if is_unknown(entry) {
            // An entry only apply knows: its keys may be anything.
            return Some(unknown(
                format!("{}.{key}", entry.as_str().unwrap_or("")),
                entry.span,
            ));
        }
        let given = |n: &Node| n.get(key).filter(|v| !v.is_null()).cloned();
        given(entry).or_else(|| {
            let d = defaults?;
            if is_unknown(d) {
                return Some(unknown(format!("var.association_defaults.{key}"), d.span));
            }
            given(d)
        })
    };
    let mut out = Vec::new();
    for e in list.entries() {
        let (Some(namespace), Some(service_account)) = (
            pick(&e.value, "namespace"),
            pick(&e.value, "service_account"),
        ) else {
            continue;
        };
        let role_arn = unknown(
            format!("{}.aws_iam_role.this[0].arn", call.address),
            e.key.span,
        );
        let mut body = vec![
            entry("namespace", namespace),
            entry("service_account", service_account),
            entry("role_arn", role_arn),
        ];
        // v1 reads only `cluster_name` of these.
        let optional: &[&str] = if is_v1(call) {
            &["cluster_name"]
        } else {
            &["cluster_name", "target_role_arn", "disable_session_tags"]
        };
        for &k in optional {
            if let Some(v) = pick(&e.value, k) {
                body.push(entry(k, v));
            }
        }
        out.push((&e.key, body));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{addresses, args, at, call, conditions, trust};
    use super::super::{expand, is_producer_owned, is_unknown, ModuleCall};
    use super::*;

    /// The inputs an expansion ignores: key, the text at its span, what it was meant to shape.
    fn ignored_in(text: &str, e: &Expansion) -> Vec<(String, String, super::super::Affects)> {
        e.ignored
            .iter()
            .map(|i| (i.input.clone(), at(text, i.span), i.affects.clone()))
            .collect()
    }
    use crate::source::node::Node;

    const SOURCE: &str = "terraform-aws-modules/eks-pod-identity/aws";

    fn with_version<'a>(args: &'a Node, version: Option<&'a str>) -> ModuleCall<'a> {
        ModuleCall {
            version,
            ..call(SOURCE, args)
        }
    }

    /// darede-labs/reference-implementation-aws `cluster/terraform/main.tf`'s crossplane role.
    #[test]
    fn role_trust_managed_policy_and_association() {
        let text = r#"name: crossplane-provider-aws
additional_policy_arns:
  admin: arn:aws:iam::aws:policy/AdministratorAccess
permissions_boundary_arn: !Unknown aws_iam_policy.crossplane_boundary.arn
associations:
  crossplane:
    cluster_name: !Unknown module.eks.cluster_name
    namespace: crossplane-system
    service_account: provider-aws
"#;
        let a = args(text);
        let e = expand(&with_version(&a, Some("~> 1.0"))).unwrap();
        assert_eq!(e.model, MODEL_V1);
        assert_eq!(
            addresses(&e),
            [
                "module.irsa.aws_iam_role.this[0]",
                "module.irsa.aws_iam_role_policy_attachment.this[\"admin\"]",
                "module.irsa.aws_eks_pod_identity_association.this[\"crossplane\"]",
            ]
        );
        let role = &e.resources[0].body;
        assert!(role.get("name").unwrap().is_null());
        assert_eq!(
            role.get("name_prefix").and_then(Node::as_str),
            Some("crossplane-provider-aws-")
        );
        assert_eq!(role.get("path").and_then(Node::as_str), Some("/"));
        let boundary = role.get("permissions_boundary").unwrap();
        assert!(is_unknown(boundary));
        // At the value (the test YAML tag `!Unknown ` before it is not part of it).
        assert_eq!(at(text, boundary.span), "4:36");
        // The trust: the Pod Identity service principal, AssumeRole and TagSession, nothing else.
        let st = trust(&e).get("Statement").unwrap().items();
        assert_eq!(st.len(), 1);
        assert_eq!(
            st[0].path(&["Principal", "Service"]).and_then(Node::as_str),
            Some("pods.eks.amazonaws.com")
        );
        let actions: Vec<_> = st[0]
            .get("Action")
            .unwrap()
            .items()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(actions, ["sts:AssumeRole", "sts:TagSession"]);
        assert!(st[0].get("Condition").is_none());
        // The managed policy at the value the user wrote.
        let arn = e.resources[1].body.get("policy_arn").unwrap();
        assert_eq!(
            arn.as_str(),
            Some("arn:aws:iam::aws:policy/AdministratorAccess")
        );
        assert_eq!(at(text, arn.span), "3:10");
        // The role's name is a prefix: only apply knows it, the attachment names the role.
        let role = e.resources[1].body.get("role").unwrap();
        assert!(is_unknown(role));
        assert_eq!(role.as_str(), Some("module.irsa.aws_iam_role.this[0].name"));
        // The association: the user's namespace and ServiceAccount, the module's role.
        let assoc = &e.resources[2].body;
        let ns = assoc.get("namespace").unwrap();
        assert_eq!(
            (ns.as_str(), at(text, ns.span).as_str()),
            (Some("crossplane-system"), "8:16")
        );
        assert_eq!(
            assoc.get("service_account").and_then(Node::as_str),
            Some("provider-aws")
        );
        let role_arn = assoc.get("role_arn").unwrap();
        assert!(is_unknown(role_arn));
        assert_eq!(
            role_arn.as_str(),
            Some("module.irsa.aws_iam_role.this[0].arn")
        );
        assert!(is_unknown(assoc.get("cluster_name").unwrap()));
    }

    #[test]
    fn association_defaults_fill_what_an_entry_leaves_out() {
        let text = r#"use_name_prefix: false
name: docuseal
association_defaults:
  cluster_name: main
  namespace: apps
  service_account: fallback
associations:
  docuseal:
    service_account: docuseal
    role_arn: arn:aws:iam::111122223333:role/other
  defaults_only: {}
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(e.model, MODEL_V2);
        assert_eq!(
            e.resources[0].body.get("name").and_then(Node::as_str),
            Some("docuseal")
        );
        let assoc: Vec<_> = e
            .resources
            .iter()
            .filter(|r| r.kind == "aws_eks_pod_identity_association")
            .map(|r| {
                let g = |k: &str| r.body.get(k).and_then(Node::as_str).unwrap_or("?");
                (
                    r.address.as_str(),
                    g("namespace"),
                    g("service_account"),
                    g("cluster_name"),
                    g("role_arn"),
                )
            })
            .collect();
        // The entry's `role_arn` is not read: the module always gives its own role.
        assert_eq!(
            assoc,
            [
                (
                    "module.irsa.aws_eks_pod_identity_association.this[\"docuseal\"]",
                    "apps",
                    "docuseal",
                    "main",
                    "module.irsa.aws_iam_role.this[0].arn"
                ),
                (
                    "module.irsa.aws_eks_pod_identity_association.this[\"defaults_only\"]",
                    "apps",
                    "fallback",
                    "main",
                    "module.irsa.aws_iam_role.this[0].arn"
                ),
            ]
        );
        // The association's role attachment keeps the known name.
        let text = "name: app\nuse_name_prefix: false\nadditional_policy_arns:\n  x: arn:aws:iam::aws:policy/ReadOnlyAccess\nassociations:\n  a:\n    namespace: ns\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            e.resources[1].body.get("role").and_then(Node::as_str),
            Some("app")
        );
        // No ServiceAccount anywhere: Terraform stops; no association is made up.
        assert!(e
            .resources
            .iter()
            .all(|r| r.kind != "aws_eks_pod_identity_association"));
    }

    #[test]
    fn association_keys_the_module_never_reads() {
        use super::super::Affects;
        let text = r#"association_defaults:
  role_arn: arn:aws:iam::111122223333:role/default
  tags: {a: b}
associations:
  a:
    namespace: ns
    service_account: sa
    role_arn: !Unknown aws_iam_role.x.arn
    target_role_arn: arn:aws:iam::444455556666:role/t
    disable_session_tags: true
    cluster_name: c
    serviceaccount: typo
  b:
    namespace: ns
    service_account: sb
    role_arn: null
"#;
        let a = args(text);
        let seen = |e: &Expansion| ignored_in(text, e);
        let role = || Some("module.irsa.aws_iam_role.this[0]".to_string());
        let typo = Affects::Association {
            role: None,
            written: None,
        };
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            seen(&e),
            [
                (
                    "association_defaults.role_arn".into(),
                    "2:3".into(),
                    Affects::Association {
                        role: role(),
                        written: Some("arn:aws:iam::111122223333:role/default".into()),
                    }
                ),
                (
                    "associations.a.role_arn".into(),
                    "8:5".into(),
                    Affects::Association {
                        role: role(),
                        written: Some("aws_iam_role.x.arn".into()),
                    }
                ),
                (
                    "associations.a.serviceaccount".into(),
                    "12:5".into(),
                    typo.clone()
                ),
            ]
        );
        // v2 reads the target role; v1 reads neither it nor the session-tags switch.
        let assoc = |e: &Expansion| {
            e.resources
                .iter()
                .find(|r| r.kind == "aws_eks_pod_identity_association")
                .unwrap()
                .body
                .clone()
        };
        assert!(assoc(&e).get("target_role_arn").is_some());
        assert!(assoc(&e).get("disable_session_tags").is_some());
        let e = expand(&with_version(&a, Some("~> 1.0"))).unwrap();
        let b = assoc(&e);
        assert!(b.get("target_role_arn").is_none());
        assert!(b.get("disable_session_tags").is_none());
        assert_eq!(b.get("cluster_name").and_then(Node::as_str), Some("c"));
        let inputs: Vec<_> = seen(&e).into_iter().map(|(i, _, _)| i).collect();
        assert_eq!(
            inputs,
            [
                "association_defaults.role_arn",
                "associations.a.role_arn",
                "associations.a.target_role_arn",
                "associations.a.disable_session_tags",
                "associations.a.serviceaccount",
            ]
        );
    }

    #[test]
    fn policy_statement_keys_the_module_never_reads() {
        use super::super::Affects;
        let text = r#"attach_custom_policy: true
policy_statements:
  - actions: ["s3:GetObject"]
    resources: ["*"]
    conditions: []
    condition: []
trust_policy_statements:
  - actions: ["sts:AssumeRole"]
    action: x
"#;
        let a = args(text);
        let seen = |e: &Expansion| ignored_in(text, e);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            seen(&e),
            [
                (
                    "trust_policy_statements[0].action".into(),
                    "9:5".into(),
                    Affects::Trust
                ),
                (
                    "policy_statements[0].conditions".into(),
                    "5:5".into(),
                    Affects::Policy
                ),
            ]
        );
        let e = expand(&with_version(&a, Some("1.12.1"))).unwrap();
        assert_eq!(seen(&e)[1].0, "policy_statements[0].condition");
        // Statements no policy uses (no `attach_custom_policy`, no switch): nothing to say;
        // a switch, or a switch only apply knows, uses them.
        for (switches, reported) in [
            ("", false),
            (
                "attach_custom_policy: false\nattach_velero_policy: false\n",
                false,
            ),
            ("attach_velero_policy: true\n", true),
            ("attach_custom_policy: !Unknown var.custom\n", true),
        ] {
            let t = format!(
                "{switches}{}",
                &text["attach_custom_policy: true\n".len()..]
            );
            let a = args(&t);
            let e = expand(&call(SOURCE, &a)).unwrap();
            let policy = e.ignored.iter().any(|i| i.affects == Affects::Policy);
            assert_eq!(policy, reported, "{switches}");
        }
    }

    #[test]
    fn the_policy_output_names_the_first_policy_the_call_creates() {
        use super::super::policy_output;
        // Switches and the custom policy: the output's `try` list puts `external_dns`
        // before `velero` and `custom` last, whatever order the switches are written in.
        let text = "attach_velero_policy: true\nattach_external_dns_policy: true\nattach_custom_policy: true\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        for output in [
            "module.irsa.iam_policy_arn",
            "${module.irsa.iam_policy_name}",
        ] {
            assert_eq!(
                policy_output(output, &e.resources),
                Some("module.irsa.aws_iam_policy.external_dns[0]"),
                "{output}"
            );
        }
        // Only the custom policy: that one; another call's output names nothing here.
        let a = args("attach_custom_policy: true\n");
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            policy_output("module.irsa.iam_policy_arn", &e.resources),
            Some("module.irsa.aws_iam_policy.custom[0]")
        );
        assert_eq!(
            policy_output("module.other.iam_policy_arn", &e.resources),
            None
        );
        // v1's outputs try the same policies.
        let e = expand(&with_version(&a, Some("~> 1.0"))).unwrap();
        assert_eq!(e.model, MODEL_V1);
        assert_eq!(
            policy_output("module.irsa.iam_policy_arn", &e.resources),
            Some("module.irsa.aws_iam_policy.custom[0]")
        );
        assert_eq!(
            policy_output("module.irsa.iam_role_arn", &e.resources),
            None
        );
        assert_eq!(policy_output("aws_iam_policy.x.arn", &e.resources), None);
        // `pganalyze` is not in the output's list: the output is `null`.
        let a = args("attach_pganalyze_policy: true\n");
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(e
            .resources
            .iter()
            .any(|r| r.address.ends_with("pganalyze[0]")));
        assert_eq!(
            policy_output("module.irsa.iam_policy_arn", &e.resources),
            None
        );
        // No policy at all.
        let a = args("name: x\n");
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            policy_output("module.irsa.iam_policy_arn", &e.resources),
            None
        );
        // v6 iam-role-for-service-accounts: its one policy; a `this` policy of another
        // model is not it.
        let v6 = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts";
        let a = args("name: x\npermissions:\n  read:\n    actions: [\"s3:GetObject\"]\n    resources: [\"*\"]\n");
        let e = super::super::expand(&call(v6, &a)).unwrap();
        let got = policy_output("module.irsa.iam_policy_arn", &e.resources);
        assert_eq!(got, Some("module.irsa.aws_iam_policy.this[0]"));
        let mut other = e.resources.clone();
        for r in &mut other {
            r.origin = crate::terraform::Origin::Module {
                model: MODEL_V2.into(),
            };
        }
        assert_eq!(policy_output("module.irsa.iam_policy_arn", &other), None);
    }

    #[test]
    fn unknown_associations_or_defaults_are_not_guessed() {
        let text = "associations: !Unknown local.associations\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(addresses(&e), ["module.irsa.aws_iam_role.this[0]"]);
        // An entry only apply knows does not take the defaults' namespace.
        let text =
            "association_defaults:\n  namespace: apps\nassociations:\n  a: !Unknown local.a\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let ns = e.resources[1].body.get("namespace").unwrap();
        assert!(is_unknown(ns));
        assert_eq!(ns.as_str(), Some("local.a.namespace"));
        let text = "association_defaults: !Unknown local.defaults\nassociations:\n  a:\n    service_account: sa\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let ns = e.resources[1].body.get("namespace").unwrap();
        assert!(is_unknown(ns));
        assert_eq!(ns.as_str(), Some("var.association_defaults.namespace"));
    }

    #[test]
    fn trust_conditions_and_statements_by_major() {
        let text = r#"trust_policy_conditions:
  - test: StringEquals
    variable: aws:SourceAccount
    values: ["111122223333"]
trust_policy_statements:
  - sid: Ci
    actions: ["sts:AssumeRole"]
    principals:
      - type: AWS
        identifiers: ["arn:aws:iam::111122223333:role/ci"]
    condition:
      - test: StringEquals
        variable: aws:PrincipalTag/team
        values: ["v2"]
    conditions:
      - test: StringEquals
        variable: aws:PrincipalTag/team
        values: ["v1"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let t = trust(&e);
        assert_eq!(
            conditions(text, t, 0),
            [(
                "StringEquals".into(),
                "aws:SourceAccount".into(),
                "111122223333".into(),
                "4:14".into()
            )]
        );
        let ci = &t.get("Statement").unwrap().items()[1];
        assert_eq!(ci.get("Sid").and_then(Node::as_str), Some("Ci"));
        assert_eq!(
            ci.path(&["Principal", "AWS"]).unwrap().items()[0].as_str(),
            Some("arn:aws:iam::111122223333:role/ci")
        );
        assert_eq!(conditions(text, t, 1)[0].2, "v2");
        // Each major drops the other's key, at the key the user wrote.
        let ignored: Vec<_> = e
            .ignored
            .iter()
            .map(|i| (i.input.as_str(), at(text, i.span)))
            .collect();
        assert_eq!(
            ignored,
            [("trust_policy_statements[0].conditions", "15:5".to_string())]
        );
        assert!(e.ignored[0].expected.ends_with("`condition`"));
        // v1 reads `conditions`.
        let e = expand(&with_version(&a, Some("1.12.1"))).unwrap();
        assert_eq!(conditions(text, trust(&e), 1)[0].2, "v1");
        let ignored: Vec<_> = e.ignored.iter().map(|i| i.input.as_str()).collect();
        assert_eq!(ignored, ["trust_policy_statements[0].condition"]);
        // An unknown list of statements leaves the whole trust unknown.
        let text = "trust_policy_statements: !Unknown var.trust\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(is_unknown(trust(&e)));
        let text = "trust_policy_conditions: !Unknown var.conds\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(is_unknown(trust(&e)));
    }

    #[test]
    fn versions_pinning_major_one_follow_v1() {
        let a = args("name: x\n");
        for (version, v1) in [
            (Some("~> 1.0"), true),
            (Some("1.12.1"), true),
            (Some("= 1.4"), true),
            (Some(">= 1.0, < 2.0"), true),
            (Some("v1.2.0"), true),
            (Some("~> 2.0"), false),
            (Some(">= 1.0"), false),
            (Some(">= 1.2, != 1.5"), false),
            (Some("10.0"), false),
            (None, false),
        ] {
            assert_eq!(is_v1(&with_version(&a, version)), v1, "{version:?}");
        }
        let git = "git::https://github.com/terraform-aws-modules/terraform-aws-eks-pod-identity.git?ref=v1.4.0";
        assert!(is_v1(&call(git, &a)));
        assert!(!is_v1(&call(&git.replace("v1.4.0", "v2.0.0"), &a)));
    }

    #[test]
    fn switches_are_producer_owned_without_user_statements() {
        let text = "name: ebs\nattach_aws_ebs_csi_policy: true\nattach_external_dns_policy: false\nattach_velero_policy: !Unknown var.velero\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            addresses(&e),
            [
                "module.irsa.aws_iam_role.this[0]",
                "module.irsa.aws_iam_policy.ebs_csi[0]",
                "module.irsa.aws_iam_role_policy_attachment.ebs_csi[0]",
                // A switch only apply knows may attach the module's policy.
                "module.irsa.aws_iam_policy.velero[0]",
                "module.irsa.aws_iam_role_policy_attachment.velero[0]",
            ]
        );
        assert!(is_producer_owned(&e.resources[1]));
        assert!(e.resources[1].body.get(super::super::MAYBE).is_none());
        assert!(is_producer_owned(&e.resources[3]));
        assert!(e.resources[3].body.get(super::super::MAYBE).is_some());
        assert_eq!(
            at(text, e.resources[1].body.get("policy").unwrap().span),
            "2:28"
        );
        // `policy_statements` without `attach_custom_policy` and without a switch: unused.
        let text = "policy_statements:\n  - actions: [\"*\"]\n    resources: [\"*\"]\n";
        let a = args(text);
        assert_eq!(
            addresses(&expand(&call(SOURCE, &a)).unwrap()),
            ["module.irsa.aws_iam_role.this[0]"]
        );
    }

    #[test]
    fn user_statements_reach_the_custom_policy_and_each_switch() {
        let text = r#"attach_custom_policy: true
attach_external_dns_policy: true
policy_statements:
  - sid: S3
    actions: ["s3:*"]
    resources: ["*"]
  - actions: ["sqs:SendMessage"]
    resources: ["*"]
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert_eq!(
            addresses(&e),
            [
                "module.irsa.aws_iam_role.this[0]",
                "module.irsa.aws_iam_policy.custom[0]",
                "module.irsa.aws_iam_role_policy_attachment.custom[0]",
                "module.irsa.aws_iam_policy.external_dns[0]",
                "module.irsa.aws_iam_role_policy_attachment.external_dns[0]",
            ]
        );
        for i in [1, 3] {
            let r = &e.resources[i];
            assert!(!is_producer_owned(r), "{}", r.address);
            let st = r.body.path(&["policy", "Statement"]).unwrap().items();
            assert_eq!(st.len(), 2);
            assert_eq!(st[0].get("Sid").and_then(Node::as_str), Some("S3"));
            assert_eq!(
                at(text, st[0].get("Action").unwrap().items()[0].span),
                "5:15"
            );
        }
        assert!(e.resources[3]
            .body
            .get("irsalint:module_documents")
            .is_some());
        assert!(e.resources[1]
            .body
            .get("irsalint:module_documents")
            .is_none());
        assert_eq!(
            e.resources[2].body.get("policy_arn").and_then(Node::as_str),
            Some("module.irsa.aws_iam_policy.custom[0].arn")
        );
    }

    #[test]
    fn source_and_override_documents_merge_by_sid() {
        let text = r#"attach_custom_policy: true
source_policy_documents:
  - '{"Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"Keep","Effect":"Allow","Action":"sqs:*","Resource":"*"},{"Sid":"List","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}'
policy_statements:
  - sid: Read
    actions: ["s3:*"]
    resources: ["*"]
override_policy_documents:
  - '{"Statement":{"Sid":"Keep","Effect":"Deny","Action":"sqs:*","Resource":"*"}}'
"#;
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let st = e.resources[1]
            .body
            .path(&["policy", "Statement"])
            .unwrap()
            .items();
        let seen: Vec<_> = st
            .iter()
            .map(|s| {
                (
                    s.get("Sid").and_then(Node::as_str).unwrap_or(""),
                    s.get("Effect").and_then(Node::as_str).unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [("Read", "Allow"), ("Keep", "Deny"), ("List", "Allow")]
        );
        // The policy statement replaced the source's `Read`: its action is the user's `s3:*`.
        assert_eq!(
            st[0].get("Action").unwrap().items()[0].as_str(),
            Some("s3:*")
        );

        // A document only apply renders: its Sids could replace any statement seen.
        let text = "attach_custom_policy: true\nsource_policy_documents:\n  - !Unknown data.aws_iam_policy_document.x.json\npolicy_statements:\n  - actions: [\"*\"]\n    resources: [\"*\"]\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let p = e.resources[1].body.get("policy").unwrap();
        assert!(is_unknown(p));
        assert_eq!(at(text, p.span), "3:3");
        let text = "attach_custom_policy: true\npolicy_statements: !Unknown var.statements\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(is_unknown(e.resources[1].body.get("policy").unwrap()));
        let text = "attach_custom_policy: true\noverride_policy_documents: !Unknown var.o\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        assert!(is_unknown(e.resources[1].body.get("policy").unwrap()));
        // `attach_custom_policy` alone: an empty policy, nothing to check.
        let a = args("attach_custom_policy: true\n");
        let e = expand(&call(SOURCE, &a)).unwrap();
        let p = e.resources[1].body.get("policy").unwrap();
        assert!(!is_unknown(p));
        assert!(p.get("Statement").unwrap().items().is_empty());
    }

    #[test]
    fn cloudwatch_attaches_managed_policies_and_create_false_makes_nothing() {
        let text = "attach_aws_cloudwatch_observability_policy: true\n";
        let a = args(text);
        let e = expand(&call(SOURCE, &a)).unwrap();
        let arns: Vec<_> = e.resources[1..]
            .iter()
            .map(|r| {
                let arn = r.body.get("policy_arn").unwrap();
                assert!(is_unknown(arn));
                (r.address.as_str(), arn.as_str().unwrap_or(""))
            })
            .collect();
        assert_eq!(
            arns,
            [
                (
                    "module.irsa.aws_iam_role_policy_attachment.aws_cloudwatch_observability[\"CloudWatchAgentServerPolicy\"]",
                    "arn:${partition}:iam::aws:policy/CloudWatchAgentServerPolicy"
                ),
                (
                    "module.irsa.aws_iam_role_policy_attachment.aws_cloudwatch_observability[\"AWSXrayWriteOnlyAccess\"]",
                    "arn:${partition}:iam::aws:policy/AWSXrayWriteOnlyAccess"
                ),
            ]
        );
        // `create = false`: nothing (an unknown `create` is "maybe created", see
        // `modules::tests::an_unknown_create_gate_generates_the_role`).
        let text = "create: false\nname: x\nassociations:\n  a:\n    namespace: n\n    service_account: s\n";
        let a = args(text);
        assert!(expand(&call(SOURCE, &a)).unwrap().resources.is_empty());
    }

    #[test]
    fn sources_and_outputs() {
        use super::super::{known, output_reference, Known};
        for s in [
            SOURCE,
            "registry.terraform.io/terraform-aws-modules/eks-pod-identity/aws",
            "git::https://github.com/terraform-aws-modules/terraform-aws-eks-pod-identity.git?ref=v2.8.1",
        ] {
            assert_eq!(known(s), Some(Known::EksPodIdentity), "{s}");
        }
        assert_eq!(
            known("terraform-aws-modules/eks-pod-identity/aws//wrappers"),
            None
        );
        for (output, attr) in [
            ("iam_role_arn", "arn"),
            ("iam_role_name", "name"),
            ("iam_role_path", "path"),
            ("iam_role_unique_id", "unique_id"),
        ] {
            assert_eq!(
                output_reference(SOURCE, "module.pi", output),
                Some(("module.pi.aws_iam_role.this[0]".into(), attr))
            );
        }
        assert_eq!(output_reference(SOURCE, "module.pi", "associations"), None);
    }
}
