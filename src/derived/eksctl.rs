//! What eksctl generates from a `ClusterConfig`, as derived nodes the load stage stores
//! (`InputFile::derived`): the trust of each role it creates, the statements of its
//! well-known policies and the ServiceAccounts it creates. The model
//! (`model::eksctl`) reads them back as roles, policies and ServiceAccounts; what eksctl
//! does, with the source it is modelled from, is described there.

use crate::source::file::Span;
use crate::source::node::{entry, map, str_node, Entry, Node, ScalarStyle, Value};

/// The placeholder standing for the cluster issuer's id, which only exists once eksctl has
/// created the cluster.
pub const ISSUER_ID: &str = "${EKSCTL_CLUSTER_OIDC_ID}";

/// How an add-on's ServiceAccount is marked `irsalint/created-by` (followed by the add-on's
/// name): EKS makes it for the add-on, not the user (`ServiceAccount::made_by_eks_addon`).
pub const ADDON_MAKER: &str = "eksctl ClusterConfig addon ";

/// Where the well-known policies are and what they were generated from.
const WELL_KNOWN: &str = include_str!("../../data/eksctl-well-known-policies.json");

/// The partition of the cluster's region (`api.Partitions.ForRegion`), when the region is
/// given.
pub(crate) fn partition(root: &Node) -> Option<&'static str> {
    let region = root.path(&["metadata", "region"]).and_then(Node::as_str)?;
    Some(if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    })
}

/// The well-known policies' data with the partition filled in when it is known.
fn well_known_data(partition: Option<&str>) -> Option<serde_json::Value> {
    match partition {
        Some(p) => serde_json::from_str(&WELL_KNOWN.replace("${AWS::Partition}", p)).ok(),
        None => serde_json::from_str(WELL_KNOWN).ok(),
    }
}

/// Karpenter's namespace and ServiceAccount (`karpenter.DefaultNamespace`,
/// `DefaultServiceAccountName`).
pub(crate) const KARPENTER: &str = "karpenter";

/// The `karpenter` key and block of a ClusterConfig eksctl installs Karpenter from: a
/// mapping with a `version` (eksctl refuses the config without one, or with
/// `iam.withOIDC: false`: `validateKarpenterConfig`).
pub(crate) fn karpenter(root: &Node) -> Option<(&Node, &Node)> {
    let e = root.entry("karpenter")?;
    let version = e.value.get("version").and_then(Node::as_str);
    let oidc_off = root.path(&["iam", "withOIDC"]).and_then(Node::as_bool) == Some(false);
    (e.value.as_map().is_some() && version.is_some_and(|v| !v.is_empty()) && !oidc_off)
        .then_some((&e.key, &e.value))
}

/// The role eksctl names for Karpenter (`eksctl-<cluster>-iamservice-role`, `roleName` of the
/// service account it creates).
pub(crate) fn karpenter_role_name(root: &Node) -> String {
    let cluster = root
        .path(&["metadata", "name"])
        .and_then(Node::as_str)
        .unwrap_or("");
    format!("eksctl-{cluster}-iamservice-role")
}

/// Its ARN as the chart's values (and eksctl's ServiceAccount) are given it.
pub(crate) fn karpenter_role_reference(root: &Node) -> String {
    format!(
        "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{}",
        karpenter_role_name(root)
    )
}

/// The actions of eksctl's `KarpenterControllerPolicy` on `*` (pkg/cfn/builder/karpenter.go
/// `addResourcesForKarpenter`, eksctl-io/eksctl@v0.230.0).
const KARPENTER_ACTIONS: &[&str] = &[
    "ec2:CreateFleet",
    "ec2:CreateLaunchTemplate",
    "ec2:CreateTags",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInstanceTypeOfferings",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeInstances",
    "ec2:DescribeLaunchTemplates",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DeleteLaunchTemplate",
    "ec2:RunInstances",
    "ec2:TerminateInstances",
    "ec2:DescribeImages",
    "ec2:DescribeSpotPriceHistory",
    "ec2:DescribeCapacityReservations",
    "iam:PassRole",
    "iam:CreateServiceLinkedRole",
    "iam:GetInstanceProfile",
    "iam:CreateInstanceProfile",
    "iam:DeleteInstanceProfile",
    "iam:TagInstanceProfile",
    "iam:AddRoleToInstanceProfile",
    "iam:RemoveRoleFromInstanceProfile",
    "iam:ListInstanceProfiles",
    "iam:ListInstanceProfilesForRole",
    "eks:DescribeCluster",
    "ssm:GetParameter",
    "pricing:GetProducts",
];

/// The SQS actions it adds on the interruption queue with `withSpotInterruptionQueue: true`.
const KARPENTER_QUEUE_ACTIONS: &[&str] = &[
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
];

/// eksctl's Karpenter controller policy, every node at `at` (the `karpenter` key).
fn karpenter_policy(block: &Node, at: Span) -> Node {
    let mut statements = vec![serde_json::json!({
        "Effect": "Allow",
        "Resource": "*",
        "Action": KARPENTER_ACTIONS,
    })];
    if block
        .get("withSpotInterruptionQueue")
        .and_then(Node::as_bool)
        == Some(true)
    {
        statements.push(serde_json::json!({
            "Effect": "Allow",
            "Resource": "${KarpenterInterruptionQueue.Arn}",
            "Action": KARPENTER_QUEUE_ACTIONS,
        }));
    }
    let mut doc = json_node(
        &serde_json::json!({"Version": "2012-10-17", "Statement": statements}),
        at,
    );
    // The queue's ARN: `Fn::GetAtt`, unresolved, as a `Fn::Sub` template.
    if let Value::Map(entries) = &mut doc.value {
        for e in entries
            .iter_mut()
            .filter(|e| e.key.as_str() == Some("Statement"))
        {
            if let Value::Seq(items) = &mut e.value.value {
                for st in items.iter_mut() {
                    if let Value::Map(kv) = &mut st.value {
                        for r in kv.iter_mut().filter(|r| r.key.as_str() == Some("Resource")) {
                            if r.value.as_str().is_some_and(|v| v.starts_with("${")) {
                                r.value.tag = "!Sub".into();
                            }
                        }
                    }
                }
            }
        }
    }
    doc
}

/// Whether `root` is an eksctl ClusterConfig.
pub fn is_cluster_config(root: &Node) -> bool {
    root.get("apiVersion")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with("eksctl.io/"))
        && root.get("kind").and_then(Node::as_str) == Some("ClusterConfig")
}

/// The policies and ServiceAccounts eksctl generates for one ClusterConfig, as derived nodes
/// keyed by host offsets (see [`crate::load::InputFile::derived`]): the trust of a service
/// account or add-on at its item's start, the ServiceAccount object at its item's end, a
/// well-known policy at its flag's key.
pub fn derive(root: &Node, out: &mut Vec<(u32, Node)>) {
    if !is_cluster_config(root) {
        return;
    }
    let region = root
        .path(&["metadata", "region"])
        .and_then(Node::as_str)
        .unwrap_or("${AWS::Region}");
    let issuer = format!("oidc.eks.{region}.amazonaws.com/id/{ISSUER_ID}");
    // Where the trusted provider is asked for: `iam.withOIDC` (eksctl creates the cluster's
    // OIDC provider then), else the item the trust is generated for.
    let provider_at = root.path(&["iam", "withOIDC"]).map(|n| n.span);
    for item in root
        .path(&["iam", "serviceAccounts"])
        .map(Node::items)
        .unwrap_or(&[])
    {
        let Some(name) = item
            .path(&["metadata", "name"])
            .filter(|n| n.as_str().is_some())
        else {
            continue;
        };
        let ns_node = item
            .path(&["metadata", "namespace"])
            .filter(|n| n.as_str().is_some());
        let ns = ns_node.and_then(Node::as_str).unwrap_or("default");
        let attach_role = item.get("attachRoleARN").filter(|n| n.as_str().is_some());
        if attach_role.is_none() {
            let pattern = item
                .get("subjectPattern")
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()));
            let sub = match pattern {
                Some(p) => Some((
                    "StringLike",
                    format!("system:serviceaccount:{ns}:{}", p.as_str().unwrap_or("")),
                    p.span,
                )),
                None => Some((
                    "StringEquals",
                    format!("system:serviceaccount:{ns}:{}", name.as_str().unwrap_or("")),
                    name.span,
                )),
            };
            out.push((item.span.start, trust(&issuer, sub, item.span, provider_at)));
            derive_well_known(item, partition(root), out);
        }
        let role_only = item.get("roleOnly").and_then(Node::as_bool) == Some(true);
        if !role_only {
            let arn = match attach_role {
                Some(a) => a.clone(),
                None => {
                    let mut n = str_node(role_reference(root, item), name.span);
                    n.tag = crate::terraform::UNKNOWN_TAG.into();
                    n
                }
            };
            out.push((item.span.end, service_account(item, name, ns_node, arn)));
        }
    }
    // `createServiceAccount: true` (default false) has eksctl create the association's
    // ServiceAccount, without annotations: Pod Identity needs none
    // (eksctl-io/eksctl:examples/39-pod-identity-association.yaml@v0.230.0,
    // pkg/actions/podidentityassociation/creator.go).
    for item in root
        .path(&["iam", "podIdentityAssociations"])
        .map(Node::items)
        .unwrap_or(&[])
    {
        if item.get("createServiceAccount").and_then(Node::as_bool) != Some(true) {
            continue;
        }
        let (Some(name), Some(ns)) = (
            item.get("serviceAccountName")
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty())),
            item.get("namespace")
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty())),
        ) else {
            continue;
        };
        out.push((item.span.end, plain_service_account(item.span, name, ns)));
    }
    // `karpenter:` (eksctl-io/eksctl@v0.230.0 pkg/actions/karpenter/create.go): an IRSA role
    // for karpenter/karpenter, made as an `iam.serviceAccounts[]` entry would be (the trust
    // at the block's start), with the controller policy of pkg/cfn/builder/karpenter.go (at
    // the key), and the ServiceAccount annotated with it (at the block's end): eksctl's, or
    // with `createServiceAccount: true` the chart's, given the same annotation
    // (pkg/karpenter/karpenter.go).
    if let Some((key, block)) = karpenter(root) {
        let sub = (
            "StringEquals",
            format!("system:serviceaccount:{KARPENTER}:{KARPENTER}"),
            key.span,
        );
        out.push((
            block.span.start,
            trust(&issuer, Some(sub), block.span, provider_at),
        ));
        out.push((key.span.start, karpenter_policy(block, key.span)));
        let mut arn = str_node(karpenter_role_reference(root), key.span);
        arn.tag = crate::terraform::UNKNOWN_TAG.into();
        let at = key.span;
        let metadata = map(
            vec![
                entry("name", str_node(KARPENTER, at)),
                entry("namespace", str_node(KARPENTER, at)),
                entry(
                    "annotations",
                    map(vec![entry("eks.amazonaws.com/role-arn", arn)], at),
                ),
            ],
            at,
        );
        out.push((
            block.span.end,
            service_account_object(block.span, at, metadata),
        ));
    }
    // An association without `roleARN` has eksctl create its role: the Pod Identity trust
    // and every permission field given (`NewIAMRoleResourceSetForPodIdentity`).
    for item in pod_identity_items(root) {
        if pod_identity_creates_role(item) {
            out.push((item.span.start, pod_identity_trust(item.span)));
            derive_well_known(item, partition(root), out);
        }
    }
    for addon in root.get("addons").map(Node::items).unwrap_or(&[]) {
        let Some(name) = addon.get("name").filter(|n| n.as_str().is_some()) else {
            continue;
        };
        // The add-on's own ServiceAccount, which EKS annotates with the add-on's role.
        if let Some((ns, sa)) = super::eks_addons::service_account(name.as_str().unwrap_or("")) {
            let given = addon
                .get("serviceAccountRoleARN")
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()));
            let arn = match given {
                Some(a) => Some(a.clone()),
                None if addon_creates_role(addon) => {
                    let mut n = str_node(addon_role_reference(root, addon), name.span);
                    n.tag = crate::terraform::UNKNOWN_TAG.into();
                    Some(n)
                }
                None => None,
            };
            if let Some(arn) = arn {
                let sa_meta = map(
                    vec![
                        entry("name", str_node(sa, name.span)),
                        entry("namespace", str_node(ns, name.span)),
                    ],
                    name.span,
                );
                let holder = map(vec![entry("metadata", sa_meta)], addon.span);
                let meta = holder
                    .get("metadata")
                    .cloned()
                    .unwrap_or_else(|| str_node("", name.span));
                let mut account = service_account(
                    &holder,
                    &str_node(sa, name.span),
                    meta.get("namespace"),
                    arn,
                );
                // The add-on's account, EKS's: `sa-irsa-unused` leaves it to the add-on's
                // workloads, `pod-sa-missing` does not take it for the user's.
                let by = format!("{ADDON_MAKER}{}", name.as_str().unwrap_or(""));
                mark_created_by(&mut account, str_node(&by, name.span));
                out.push((addon.span.end, account));
            }
        }
        if !addon_creates_role(addon) {
            continue;
        }
        let sub = known_service_account(name.as_str().unwrap_or("")).map(|(ns, sa)| {
            (
                "StringEquals",
                format!("system:serviceaccount:{ns}:{sa}"),
                name.span,
            )
        });
        out.push((
            addon.span.start,
            trust(&issuer, sub, name.span, provider_at),
        ));
        if addon_permissions(addon) == Some("wellKnownPolicies") {
            derive_well_known(addon, partition(root), out);
        }
    }
}

/// The Pod Identity associations of a ClusterConfig: `iam.podIdentityAssociations[]`, then
/// each add-on's `podIdentityAssociations[]`.
pub(crate) fn pod_identity_items(root: &Node) -> impl Iterator<Item = &Node> {
    root.path(&["iam", "podIdentityAssociations"])
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .chain(
            root.get("addons")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|a| a.get("podIdentityAssociations"))
                .flat_map(Node::items),
        )
}

/// Whether eksctl creates a role for a Pod Identity association: no `roleARN`, and a
/// permission field to give it (eksctl rejects an association with neither). Unlike an
/// add-on's IRSA role, all of `permissionPolicyARNs`, `wellKnownPolicies` and
/// `permissionPolicy` apply (eksctl-io/eksctl@v0.230.0 pkg/cfn/builder/iam.go
/// `NewIAMRoleResourceSetForPodIdentity`, `AddAllResources`).
pub(crate) fn pod_identity_creates_role(item: &Node) -> bool {
    item.get("roleARN")
        .and_then(Node::as_str)
        .is_none_or(str::is_empty)
        && (item
            .get("permissionPolicyARNs")
            .is_some_and(|n| !n.items().is_empty())
            || item
                .get("wellKnownPolicies")
                .is_some_and(|w| w.entries().iter().any(|e| e.value.as_bool() == Some(true)))
            || item
                .get("permissionPolicy")
                .is_some_and(|n| n.as_map().is_some_and(|m| !m.is_empty())))
}

/// eksctl's trust for a Pod Identity role: the EKS Pod Identity service may assume it and
/// tag the session (eksctl-io/eksctl@v0.230.0 pkg/cfn/template/iam_helpers.go
/// `MakeAssumeRolePolicyDocumentForPodIdentity`, `api.EKSServicePrincipal`).
fn pod_identity_trust(at: Span) -> Node {
    let statement = map(super::pod_identity_entries(at), at);
    map(
        vec![
            entry("Version", str_node("2012-10-17", at)),
            entry(
                "Statement",
                Node::new(Value::Seq(vec![statement].into()), at),
            ),
        ],
        at,
    )
}

/// What stands for the ARN of the role eksctl creates for an add-on (see
/// [`role_reference`]).
pub(crate) fn addon_role_reference(root: &Node, addon: &Node) -> String {
    let cluster = root
        .path(&["metadata", "name"])
        .and_then(Node::as_str)
        .unwrap_or("");
    let name = addon.get("name").and_then(Node::as_str).unwrap_or("");
    format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/${{eksctl-{cluster}-addon-{name}-Role1}}")
}

/// Whether eksctl creates an IRSA role for the add-on: policies are given and no role ARN.
fn addon_creates_role(addon: &Node) -> bool {
    addon
        .get("serviceAccountRoleARN")
        .and_then(Node::as_str)
        .is_none_or(str::is_empty)
        && addon_permissions(addon).is_some()
}

/// Which of an add-on's permission fields eksctl uses: the first set of
/// `attachPolicyARNs`, `wellKnownPolicies`, `attachPolicy` (`createRoleResourceSet`).
pub(crate) fn addon_permissions(addon: &Node) -> Option<&'static str> {
    if addon
        .get("attachPolicyARNs")
        .is_some_and(|n| !n.items().is_empty())
    {
        return Some("attachPolicyARNs");
    }
    if addon
        .get("wellKnownPolicies")
        .is_some_and(|w| w.entries().iter().any(|e| e.value.as_bool() == Some(true)))
    {
        return Some("wellKnownPolicies");
    }
    if addon
        .get("attachPolicy")
        .is_some_and(|n| n.as_map().is_some_and(|m| !m.is_empty()))
    {
        return Some("attachPolicy");
    }
    None
}

/// The service account eksctl knows an add-on's pods use (only vpc-cni's, in v0.230.0).
fn known_service_account(addon: &str) -> Option<(&'static str, &'static str)> {
    addon
        .eq_ignore_ascii_case("vpc-cni")
        .then_some(("kube-system", "aws-node"))
}

/// What stands for the role ARN eksctl creates for a service account: its ARN with the
/// account (and, without `roleName`, the generated name) unknown. ServiceAccounts eksctl
/// annotates with it link to the role by this text.
pub(crate) fn role_reference(root: &Node, item: &Node) -> String {
    let cluster = root
        .path(&["metadata", "name"])
        .and_then(Node::as_str)
        .unwrap_or("");
    let ns = item
        .path(&["metadata", "namespace"])
        .and_then(Node::as_str)
        .unwrap_or("default");
    let name = item
        .path(&["metadata", "name"])
        .and_then(Node::as_str)
        .unwrap_or("");
    match item.get("roleName").and_then(Node::as_str).filter(|s| !s.is_empty()) {
        Some(r) => format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{r}"),
        None => format!(
            "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/${{eksctl-{cluster}-addon-iamserviceaccount-{ns}-{name}-Role1}}"
        ),
    }
}

/// eksctl's web-identity trust: `sub` (operator, value, where the user wrote it) when the
/// service account is known, `aud` always; the provider at `provider_at` when given
/// (`iam.withOIDC`), else at the item (`at`).
fn trust(
    issuer: &str,
    sub: Option<(&str, String, Span)>,
    at: Span,
    provider_at: Option<Span>,
) -> Node {
    let mut provider = str_node(
        format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:oidc-provider/{issuer}"),
        provider_at.unwrap_or(at),
    );
    // A `Fn::Sub` template: the partition, account and issuer id stay unresolved.
    provider.tag = "!Sub".into();
    let aud = entry(&format!("{issuer}:aud"), str_node("sts.amazonaws.com", at));
    let mut blocks = Vec::new();
    match sub {
        Some(("StringEquals", value, span)) => {
            let sub = entry(&format!("{issuer}:sub"), str_node(value, span));
            blocks.push(entry("StringEquals", map(vec![sub, aud], at)));
        }
        Some((op, value, span)) => {
            let sub = entry(&format!("{issuer}:sub"), str_node(value, span));
            blocks.push(entry(op, map(vec![sub], span)));
            blocks.push(entry("StringEquals", map(vec![aud], at)));
        }
        None => blocks.push(entry("StringEquals", map(vec![aud], at))),
    }
    let statement = map(
        vec![
            entry("Effect", str_node("Allow", at)),
            entry(
                "Action",
                Node::new(
                    Value::Seq(vec![str_node("sts:AssumeRoleWithWebIdentity", at)].into()),
                    at,
                ),
            ),
            entry("Principal", map(vec![entry("Federated", provider)], at)),
            entry("Condition", map(blocks, at)),
        ],
        at,
    );
    map(
        vec![
            entry("Version", str_node("2012-10-17", at)),
            entry(
                "Statement",
                Node::new(Value::Seq(vec![statement].into()), at),
            ),
        ],
        at,
    )
}

/// A ServiceAccount with only a name and a namespace.
fn plain_service_account(at: Span, name: &Node, ns: &Node) -> Node {
    let metadata = map(
        vec![entry("name", name.clone()), entry("namespace", ns.clone())],
        at,
    );
    service_account_object(at, name.span, metadata)
}

/// `apiVersion: v1`, `kind: ServiceAccount` (at the name written, `name_at`) and `metadata`,
/// spanning `at` (also the ServiceAccounts a Flux HelmRelease's chart makes).
pub(crate) fn service_account_object(at: Span, name_at: Span, metadata: Node) -> Node {
    let mut kind = str_node("ServiceAccount", name_at);
    kind.style = ScalarStyle::None;
    map(
        vec![
            entry("apiVersion", str_node("v1", at)),
            entry("kind", kind),
            entry("metadata", metadata),
        ],
        at,
    )
}

/// Adds `irsalint/created-by: by` to a derived ServiceAccount's metadata.
fn mark_created_by(account: &mut Node, by: Node) {
    if let Value::Map(entries) = &mut account.value {
        if let Some(meta) = entries
            .iter_mut()
            .find(|e| e.key.as_str() == Some("metadata"))
        {
            if let Value::Map(m) = &mut meta.value.value {
                crate::source::node::extend(
                    m,
                    [entry(crate::terraform::resources::CREATED_BY, by)],
                );
            }
        }
    }
}

/// The ServiceAccount eksctl creates: the entry's metadata (labels and annotations kept),
/// annotated with the role.
fn service_account(item: &Node, name: &Node, ns: Option<&Node>, arn: Node) -> Node {
    let at = item.span;
    let meta = item.get("metadata");
    let mut annotations: Vec<Entry> = meta
        .and_then(|m| m.get("annotations"))
        .map(Node::entries)
        .unwrap_or(&[])
        .to_vec();
    annotations.push(entry("eks.amazonaws.com/role-arn", arn));
    let mut metadata = vec![entry("name", name.clone())];
    if let Some(ns) = ns {
        metadata.push(entry("namespace", ns.clone()));
    }
    if let Some(l) = meta.and_then(|m| m.get("labels")) {
        metadata.push(entry("labels", l.clone()));
    }
    metadata.push(entry("annotations", map(annotations, at)));
    service_account_object(at, name.span, map(metadata, meta.map_or(at, |m| m.span)))
}

/// The policies of the `wellKnownPolicies` flags set on `item`, one derived document per
/// flag at the flag's key.
fn derive_well_known(item: &Node, partition: Option<&str>, out: &mut Vec<(u32, Node)>) {
    let Some(flags) = item.get("wellKnownPolicies") else {
        return;
    };
    for e in flags.entries() {
        if e.value.as_bool() != Some(true) {
            continue;
        }
        let Some(doc) = e
            .key
            .as_str()
            .and_then(|f| well_known_document(f, partition))
        else {
            continue;
        };
        out.push((e.key.span.start, json_node(&doc, e.key.span)));
    }
}

/// The inline statements eksctl attaches for a well-known flag, as one document (`None`
/// for flags that attach only managed policies, and unknown flags).
fn well_known_document(flag: &str, partition: Option<&str>) -> Option<serde_json::Value> {
    let all = well_known_data(partition)?;
    let policies = all.get(flag)?.get("policies")?.as_object()?;
    let statements: Vec<serde_json::Value> = policies
        .values()
        .filter_map(|p| p.get("Statement")?.as_array().cloned())
        .flatten()
        .collect();
    (!statements.is_empty())
        .then(|| serde_json::json!({"Version": "2012-10-17", "Statement": statements}))
}

/// The managed policy ARNs eksctl attaches for a well-known flag.
pub(crate) fn well_known_managed(flag: &str, partition: Option<&str>) -> Vec<String> {
    let Some(all) = well_known_data(partition) else {
        return Vec::new();
    };
    all.get(flag)
        .and_then(|f| f.get("managed"))
        .and_then(|m| m.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON value as a node tree whose every node has `span`.
pub fn json_node(v: &serde_json::Value, span: Span) -> Node {
    let value = match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::Str(s.as_str().into()),
        serde_json::Value::Array(a) => Value::Seq(a.iter().map(|x| json_node(x, span)).collect()),
        serde_json::Value::Object(o) => Value::Map(
            o.iter()
                .map(|(k, x)| Entry {
                    key: str_node(k.clone(), span),
                    value: json_node(x, span),
                })
                .collect(),
        ),
    };
    Node::new(value, span)
}

#[cfg(test)]
mod tests {
    use crate::source::node::Node;

    fn item(text: &str) -> Node {
        let lines = crate::source::file::LineIndex::new(text);
        let loaded =
            crate::source::yaml::load_yaml(0, text, &lines, &crate::source::Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        loaded.documents.into_iter().next().unwrap().root
    }

    /// `karpenter:` with a `version` (and OIDC not turned off) gives the trust at the
    /// block's start, the controller policy at the key, the ServiceAccount at the block's
    /// end: karpenter/karpenter annotated with `eksctl-<cluster>-iamservice-role`; the SQS
    /// statement only with `withSpotInterruptionQueue: true`.
    #[test]
    fn karpenter_blocks_give_the_role_eksctl_makes() {
        let base = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\n  region: eu-west-1\n";
        for (rest, made) in [
            ("karpenter:\n  version: v0.20.0\n", true),
            (
                "iam:\n  withOIDC: true\nkarpenter:\n  version: v0.20.0\n",
                true,
            ),
            (
                "iam:\n  withOIDC: false\nkarpenter:\n  version: v0.20.0\n",
                false,
            ),
            ("karpenter:\n  version: ''\n", false),
            ("karpenter:\n  createServiceAccount: true\n", false),
            ("karpenter: v0.20.0\n", false),
        ] {
            let root = item(&format!("{base}{rest}"));
            let mut out = Vec::new();
            super::derive(&root, &mut out);
            assert_eq!(!out.is_empty(), made, "{rest}");
            if !made {
                continue;
            }
            let e = root.entry("karpenter").unwrap();
            let get = |k: u32| out.iter().find(|(o, _)| *o == k).map(|(_, n)| n).unwrap();
            let trust = get(e.value.span.start);
            let sub = trust.path(&["Statement"]).unwrap().items()[0]
                .path(&["Condition", "StringEquals"])
                .unwrap()
                .entries()[0]
                .clone();
            assert_eq!(
                sub.key.as_str(),
                Some("oidc.eks.eu-west-1.amazonaws.com/id/${EKSCTL_CLUSTER_OIDC_ID}:sub")
            );
            assert_eq!(
                sub.value.as_str(),
                Some("system:serviceaccount:karpenter:karpenter")
            );
            assert_eq!(sub.value.span, e.key.span);
            let sa = get(e.value.span.end);
            assert_eq!(
                sa.path(&["metadata", "name"]).and_then(Node::as_str),
                Some("karpenter")
            );
            assert_eq!(
                sa.path(&["metadata", "namespace"]).and_then(Node::as_str),
                Some("karpenter")
            );
            let arn = sa
                .path(&["metadata", "annotations"])
                .unwrap()
                .get("eks.amazonaws.com/role-arn")
                .unwrap();
            assert_eq!(
                arn.as_str(),
                Some("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/eksctl-c-iamservice-role")
            );
            let policy = get(e.key.span.start);
            let st = policy.get("Statement").unwrap().items();
            assert_eq!(st.len(), 1);
            assert!(st[0]
                .get("Action")
                .unwrap()
                .items()
                .iter()
                .any(|a| a.as_str() == Some("iam:PassRole")));
        }
        let root = item(&format!(
            "{base}karpenter:\n  version: v0.20.0\n  withSpotInterruptionQueue: true\n"
        ));
        let mut out = Vec::new();
        super::derive(&root, &mut out);
        let key = root.entry("karpenter").unwrap().key.span.start;
        let policy = &out.iter().find(|(o, _)| *o == key).unwrap().1;
        let st = policy.get("Statement").unwrap().items();
        assert_eq!(st.len(), 2);
        let queue = st[1].get("Resource").unwrap();
        assert_eq!(queue.tag.as_deref(), Some("!Sub"));
        assert_eq!(st[1].get("Action").unwrap().items().len(), 4);
        assert!(st[0].get("Resource").unwrap().tag.is_none());
    }

    /// eksctl creates a role for an association only without `roleARN` and with a
    /// permission field that grants something; each field alone is enough.
    /// The provider a generated trust names is placed at `iam.withOIDC`, where the config asks
    /// eksctl for it (a finding's related label there, not over the whole item:
    /// oslokommune/okctl@dfe5cbd pkg/clusterconfig/testdata/serviceAccount.golden), else at
    /// the item the trust is for.
    #[test]
    fn a_generated_trust_s_provider_is_at_with_oidc() {
        let base = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\n  region: eu-west-1\niam:\n";
        let sa = "  serviceAccounts:\n  - metadata:\n      name: app\n      namespace: web\n    attachPolicyARNs: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n";
        for with_oidc in [true, false] {
            let text = match with_oidc {
                true => format!("{base}  withOIDC: true\n{sa}"),
                false => format!("{base}{sa}"),
            };
            let root = item(&text);
            let mut out = Vec::new();
            super::derive(&root, &mut out);
            let sa_item = &root.path(&["iam", "serviceAccounts"]).unwrap().items()[0];
            let trust = &out
                .iter()
                .find(|(o, _)| *o == sa_item.span.start)
                .unwrap()
                .1;
            let provider = trust.path(&["Statement"]).unwrap().items()[0]
                .path(&["Principal", "Federated"])
                .unwrap();
            let expected = match with_oidc {
                true => root.path(&["iam", "withOIDC"]).unwrap().span,
                false => sa_item.span,
            };
            assert_eq!(provider.span, expected, "withOIDC: {with_oidc}");
        }
    }

    #[test]
    fn which_pod_identity_associations_get_a_role() {
        for (text, creates) in [
            ("permissionPolicyARNs: [arn:aws:iam::aws:policy/ReadOnlyAccess]", true),
            ("wellKnownPolicies: {autoScaler: true}", true),
            ("permissionPolicy: {Version: '2012-10-17', Statement: []}", true),
            ("roleARN: ''\npermissionPolicyARNs: [arn:aws:iam::aws:policy/ReadOnlyAccess]", true),
            ("roleARN: arn:aws:iam::111122223333:role/r", false),
            ("roleARN: arn:aws:iam::111122223333:role/r\npermissionPolicyARNs: [arn:aws:iam::aws:policy/ReadOnlyAccess]", false),
            ("permissionPolicyARNs: []", false),
            ("wellKnownPolicies: {autoScaler: false}", false),
            ("permissionPolicy: {}", false),
            ("namespace: dev\nserviceAccountName: app", false),
        ] {
            let node = item(&format!("namespace: dev\nserviceAccountName: app\n{text}\n"));
            assert_eq!(super::pod_identity_creates_role(&node), creates, "{text}");
        }
    }
}
