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
//! - outputs `iam_role_arn`, `iam_role_name`, `iam_role_path`, `iam_role_unique_id`.
//!
//! Between the majors: a statement's conditions are `conditions` in v1 (read with `try`)
//! and `condition` in v2 (an object attribute; Terraform drops attributes the type does
//! not declare), so the key the other major reads adds no condition.

use super::{
    arg, document, entry, flag, iam_statement, is_unknown, map, name_or_prefix, resource,
    role_name_ref, role_resource, seq, str_node, string_or, unknown, Cond, Expansion, ModuleCall,
};
use crate::source::node::{Node, Value};

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
    if flag(call, "create", true) != Some(true) {
        return out;
    }
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
    let base = base_document(call, cond_key);
    if flag(call, "attach_custom_policy", false) == Some(true) {
        let policy = base
            .clone()
            .unwrap_or_else(|| document(Vec::new(), call.anchor));
        out.resources.extend(policy_and_attachment(
            call, model, "custom", policy, None, &name,
        ));
    }
    for (switch, res) in SWITCHES {
        if flag(call, switch, false) != Some(true) {
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
    if flag(call, "attach_aws_cloudwatch_observability_policy", false) == Some(true) {
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
    let mut pods = vec![
        entry("Effect", str_node("Allow", at)),
        entry(
            "Action",
            seq(
                vec![
                    str_node("sts:AssumeRole", at),
                    str_node("sts:TagSession", at),
                ],
                at,
            ),
        ),
        entry(
            "Principal",
            map(
                vec![entry("Service", str_node("pods.eks.amazonaws.com", at))],
                at,
            ),
        ),
    ];
    let conds: Vec<Cond> = conditions
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|c| {
            Some(Cond {
                test: c.get("test")?.clone(),
                key: c.get("variable")?.clone(),
                values: c.get("values")?.items().to_vec(),
            })
        })
        .collect();
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

/// `data.aws_iam_policy_document.base`: `None` when the user gave it no statement (no
/// `source_policy_documents`, `policy_statements` or `override_policy_documents`); an
/// unknown node when a part of it cannot be known (a document only apply renders, whose
/// Sids might replace the statements seen).
fn base_document(call: &ModuleCall<'_>, cond_key: &str) -> Option<Node> {
    let sources = arg(call, "source_policy_documents");
    let statements = arg(call, "policy_statements");
    let overrides = arg(call, "override_policy_documents");
    let given = [sources, statements, overrides]
        .into_iter()
        .flatten()
        .filter(|n| is_unknown(n) || !n.items().is_empty())
        .collect::<Vec<_>>();
    let first = *given.first()?;
    let dont_know = || {
        Some(unknown(
            format!("{}.data.aws_iam_policy_document.base[0].json", call.address),
            first.span,
        ))
    };
    let mut out: Vec<Node> = Vec::new();
    for docs in [sources, overrides] {
        if docs.is_some_and(is_unknown) {
            return dont_know();
        }
    }
    for d in sources.map(Node::items).unwrap_or(&[]) {
        let Some(doc) = decoded(d) else {
            return dont_know();
        };
        out.extend(doc.get("Statement").map(statement_list).unwrap_or_default());
    }
    match statements {
        Some(s) if is_unknown(s) => return dont_know(),
        Some(s) => {
            for st in s.items() {
                merge(&mut out, iam_statement(st, None, cond_key));
            }
        }
        None => {}
    }
    for d in overrides.map(Node::items).unwrap_or(&[]) {
        let Some(doc) = decoded(d) else {
            return dont_know();
        };
        for st in doc.get("Statement").map(statement_list).unwrap_or_default() {
            merge(&mut out, st);
        }
    }
    Some(document(out, first.span))
}

/// A policy document given as JSON text or a tree, when all of it is known.
fn decoded(n: &Node) -> Option<Node> {
    if is_unknown(n) {
        return None;
    }
    let doc = crate::terraform::resources::document(n)?;
    (!is_unknown(&doc)).then_some(doc)
}

/// A document's `Statement`: a list, or one statement object.
fn statement_list(n: &Node) -> Vec<Node> {
    match &n.value {
        Value::Seq(s) => s.to_vec(),
        Value::Map(_) => vec![n.clone()],
        _ => Vec::new(),
    }
}

/// Adds `st` to `out`, replacing a statement with the same (non-empty) Sid, as
/// `aws_iam_policy_document` does for its own statements over its sources and for
/// override documents over everything.
fn merge(out: &mut Vec<Node>, st: Node) {
    let sid = st
        .get("Sid")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(sid) = sid {
        if let Some(slot) = out
            .iter_mut()
            .find(|o| o.get("Sid").and_then(Node::as_str) == Some(sid.as_str()))
        {
            *slot = st;
            return;
        }
    }
    out.push(st);
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
    let defaults = arg(call, "association_defaults");
    let Some(list) = arg(call, "associations").filter(|n| !is_unknown(n)) else {
        return Vec::new();
    };
    let pick = |entry: &Node, key: &str| -> Option<Node> {
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
        let key = e.key.as_str().unwrap_or("");
        let role_arn = unknown(
            format!("{}.aws_iam_role.this[0].arn", call.address),
            e.key.span,
        );
        let mut body = vec![
            entry("namespace", namespace),
            entry("service_account", service_account),
            entry("role_arn", role_arn),
        ];
        for k in ["cluster_name", "target_role_arn", "disable_session_tags"] {
            if let Some(v) = pick(&e.value, k) {
                body.push(entry(k, v));
            }
        }
        out.push(resource(
            call,
            model,
            "aws_eks_pod_identity_association",
            "this",
            &format!("[\"{key}\"]"),
            body,
        ));
    }
    out
}
