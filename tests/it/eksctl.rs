//! eksctl ClusterConfig: the roles, trusts, policies and ServiceAccounts eksctl generates
//! (modelled from eksctl-io/eksctl@v0.230.0), with positions in what the user wrote.

use std::path::Path;

use assert_cmd::Command;
use irsalint::config::Config;
use irsalint::load::{self, Inputs};
use irsalint::model::role::{PolicyKind, RoleSource};
use irsalint::source::file::Span;
use irsalint::source::Limits;
use irsalint::world::World;

fn load_dir(rel: &str) -> Inputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    load::load_paths(
        &[dir.to_string_lossy().into_owned()],
        &dir,
        &Limits::default(),
    )
    .unwrap()
}

fn load_text(text: &str) -> Inputs {
    load::load(
        vec![load::RawInput {
            display: "cluster.yaml".into(),
            bytes: text.as_bytes().to_vec(),
            read_error: None,
        }],
        &Limits::default(),
    )
}

/// `line:col` and the text of a span.
fn at(inputs: &Inputs, span: Span) -> (String, &str) {
    let f = inputs.sources.get(span.file);
    let (l, c) = f.line_col(span.start as usize);
    (format!("{l}:{c}"), f.slice(span))
}

/// The condition entries of a trust as `(operator, key, value)` with the value's position.
fn conditions(
    inputs: &Inputs,
    doc: &irsalint::world::PolicyDoc<'_>,
) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for st in &doc.policy.statements {
        if let Some(c) = &st.condition {
            for (b, k) in c.keys() {
                for v in &k.values {
                    out.push((
                        b.raw.clone(),
                        k.name.value.to_string(),
                        v.value.to_string(),
                        at(inputs, v.span).0,
                    ));
                }
            }
        }
    }
    out
}

const ISSUER: &str = "oidc.eks.eu-west-1.amazonaws.com/id/${EKSCTL_CLUSTER_OIDC_ID}";

#[test]
fn service_account_roles_get_eksctls_trust_pointing_at_the_entry() {
    let inputs = load_dir("testdata/eksctl/world");
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let cart = w
        .roles
        .iter()
        .position(|r| {
            r.source == RoleSource::Eksctl
                && r.name
                    .as_ref()
                    .is_some_and(|n| n.value.contains("-shop-cart-"))
        })
        .expect("cart role");
    assert_eq!(
        w.roles[cart].name.as_ref().unwrap().value,
        "eksctl-shop-addon-iamserviceaccount-shop-cart-Role1-${RandomSuffix}"
    );
    let trust: Vec<_> = w.trust_of(cart).collect();
    assert_eq!(trust.len(), 1);
    assert_eq!(
        conditions(&inputs, trust[0]),
        [
            (
                "StringEquals".into(),
                format!("{ISSUER}:sub"),
                "system:serviceaccount:shop:cart".into(),
                "11:13".into()
            ),
            (
                "StringEquals".into(),
                format!("{ISSUER}:aud"),
                "sts.amazonaws.com".into(),
                "10:5".into()
            ),
        ]
    );
    let fed: Vec<_> = trust[0].policy.statements[0]
        .principal
        .as_ref()
        .unwrap()
        .federated()
        .map(|t| (t.value.to_string(), t.unresolved))
        .collect();
    assert_eq!(
        fed,
        [(
            format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:oidc-provider/{ISSUER}"),
            true
        )]
    );
    assert_eq!(
        w.roles[cart]
            .managed_policy_arns
            .iter()
            .map(|t| t.value.as_str())
            .collect::<Vec<_>>(),
        ["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"]
    );
}

#[test]
fn created_service_accounts_exist_and_link_to_their_role_unless_role_only() {
    let inputs = load_dir("testdata/eksctl/world");
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let cart = w
        .service_account("shop", "cart")
        .expect("eksctl creates shop/cart");
    assert_eq!(
        at(&inputs, cart.obj.name.unwrap().span),
        ("11:13".into(), "cart")
    );
    let arn = cart.annotation("eks.amazonaws.com", "role-arn").unwrap();
    let roles = w
        .roles
        .iter()
        .enumerate()
        .filter(|(_, r)| r.source == RoleSource::Eksctl);
    let linked: Vec<_> = roles
        .filter(|(i, _)| w.role_by_reference(arn.value.value_str()) == Some(*i))
        .map(|(_, r)| r.name.as_ref().unwrap().value.clone())
        .collect();
    assert_eq!(
        linked,
        ["eksctl-shop-addon-iamserviceaccount-shop-cart-Role1-${RandomSuffix}"]
    );
    assert!(w
        .service_account("kube-system", "cluster-autoscaler")
        .is_some());
    // roleOnly: eksctl creates no ServiceAccount; the one in namespace `payments` is the
    // hand-written one.
    assert!(w.service_account("shop", "payments").is_none());
    assert!(w.service_account("payments", "payments").is_some());
}

trait ValueStr {
    fn value_str(&self) -> &str;
}
impl ValueStr for irsalint::source::node::Node {
    fn value_str(&self) -> &str {
        self.as_str().unwrap()
    }
}

#[test]
fn role_only_with_role_name_keeps_the_name_and_the_inline_policy() {
    let inputs = load_dir("testdata/eksctl/world");
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let (i, _) = w.roles_named("shop-payments").next().expect("roleName");
    let kinds: Vec<_> = w
        .policies
        .iter()
        .filter(|p| p.source.role == Some(i))
        .map(|p| (p.kind, at(&inputs, p.source.node.span).0))
        .collect();
    assert_eq!(
        kinds,
        [
            (PolicyKind::Trust, "15:5".into()),
            (PolicyKind::Identity, "21:7".into())
        ]
    );
}

#[test]
fn addons_trust_the_known_service_account_only_for_vpc_cni() {
    let inputs = load_dir("testdata/eksctl/world");
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let addon = |name: &str| {
        w.roles
            .iter()
            .position(|r| {
                r.name.as_ref().is_some_and(|n| {
                    n.value == format!("eksctl-shop-addon-{name}-Role1-${{RandomSuffix}}")
                })
            })
            .unwrap_or_else(|| panic!("{name}"))
    };
    let cni = addon("vpc-cni");
    let t: Vec<_> = w.trust_of(cni).collect();
    assert_eq!(
        conditions(&inputs, t[0])[0].2,
        "system:serviceaccount:kube-system:aws-node"
    );
    assert_eq!(conditions(&inputs, t[0])[0].3, "32:9");
    let ebs = addon("aws-ebs-csi-driver");
    let t: Vec<_> = w.trust_of(ebs).collect();
    // eksctl knows no service account location for it: `aud` only.
    assert_eq!(
        conditions(&inputs, t[0])
            .into_iter()
            .map(|c| c.1)
            .collect::<Vec<_>>(),
        [format!("{ISSUER}:aud")]
    );
    assert_eq!(
        w.roles[ebs]
            .managed_policy_arns
            .iter()
            .map(|t| (t.value.as_str(), t.unresolved))
            .collect::<Vec<_>>(),
        [(
            "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
            false
        )]
    );
}

#[test]
fn well_known_policies_are_eksctls_statements_at_the_flag() {
    let inputs = load_dir("testdata/eksctl/world");
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let doc = w
        .policies
        .iter()
        .find(|p| p.source.label.contains("wellKnownPolicies.autoScaler"))
        .expect("autoScaler policy");
    assert_eq!(
        at(&inputs, doc.source.node.span),
        ("30:7".into(), "autoScaler")
    );
    let actions: Vec<_> = doc
        .policy
        .statements
        .iter()
        .flat_map(|s| {
            s.action
                .iter()
                .flat_map(|a| a.values.iter().map(|v| v.value.to_string()))
        })
        .collect();
    assert!(
        actions.contains(&"autoscaling:SetDesiredCapacity".to_string()),
        "{actions:?}"
    );
    assert_eq!(actions.len(), 12);
    assert_eq!(w.producer_owned.len(), 2);
}

#[test]
fn subject_pattern_attach_role_arn_and_default_namespace() {
    let text = "apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: c, region: cn-north-1}
iam:
  withOIDC: true
  serviceAccounts:
  - metadata: {name: app}
    subjectPattern: \"app-*\"
    attachPolicyARNs: [\"arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess\"]
  - metadata: {name: given, namespace: ops}
    attachRoleARN: arn:aws-cn:iam::111122223333:role/given
";
    let inputs = load_text(text);
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let app = w
        .roles
        .iter()
        .position(|r| r.source == RoleSource::Eksctl)
        .unwrap();
    let t: Vec<_> = w.trust_of(app).collect();
    let c = conditions(&inputs, t[0]);
    assert_eq!(
        (c[0].0.as_str(), c[0].2.as_str(), c[0].3.as_str()),
        ("StringLike", "system:serviceaccount:default:app-*", "8:21")
    );
    assert_eq!(c[1].0, "StringEquals");
    assert!(c[1].1.starts_with("oidc.eks.cn-north-1.amazonaws.com/id/"));
    // The namespace eksctl defaults to.
    assert!(w.service_account("default", "app").is_some());
    // attachRoleARN: annotated with the user's ARN, no role created for it.
    let given = w.service_account("ops", "given").unwrap();
    let a = given.annotation("eks.amazonaws.com", "role-arn").unwrap();
    assert_eq!(
        at(&inputs, a.value.span),
        ("11:20".into(), "arn:aws-cn:iam::111122223333:role/given")
    );
    assert_eq!(
        w.roles
            .iter()
            .filter(|r| r.source == RoleSource::Eksctl)
            .count(),
        1
    );
}

#[test]
fn lint_reports_at_what_the_user_wrote() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/eksctl/world");
    let out = Command::cargo_bin("irsalint")
        .unwrap()
        .current_dir(&dir)
        .args(["lint", "--format", "concise", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let found: Vec<_> = stdout
        .lines()
        .filter(|l| l.contains(": "))
        .filter_map(|l| {
            let mut parts = l.splitn(3, ' ');
            let loc = parts.next()?;
            parts.next()?;
            Some(format!("{}{}", loc, parts.next()?.split(' ').next()?))
        })
        .collect();
    assert_eq!(
        found,
        [
            // The inline attachPolicy the user wrote.
            "cluster.yaml:24:17:perm-service-wildcard",
            "cluster.yaml:25:19:perm-passrole-star",
            // eksctl's own autoScaler statements: info.
            "cluster.yaml:30:7:perm-write-on-star-resource",
            // eksctl gives the EBS CSI add-on role an `aud`-only trust.
            "cluster.yaml:35:9:trust-no-sub-condition",
            // The hand-written ServiceAccount in another namespace than the roleOnly entry.
            "workloads.yaml:9:33:sa-role-not-trusted",
        ],
        "{stdout}"
    );
    assert!(stdout.contains("4 errors, 0 warnings, 1 info"), "{stdout}");
}

#[test]
fn eksctls_own_examples_load_without_problems() {
    let inputs = load_dir("testdata/eksctl/examples");
    for f in &inputs.files {
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }
    let config = Config::default();
    let w = World::build(&inputs, &config);
    // 13-iamserviceaccounts.yaml: ten roles (some-app has attachRoleARN), eleven
    // ServiceAccounts; 25-addons.yaml: two add-on roles and the add-ons' ServiceAccounts
    // (kube-system/aws-node, kube-system/ebs-csi-controller-sa).
    assert_eq!(
        w.roles
            .iter()
            .filter(|r| r.source == RoleSource::Eksctl)
            .count(),
        12
    );
    assert_eq!(w.service_accounts.len(), 13);
    assert!(w
        .service_account("kube-system", "ebs-csi-controller-sa")
        .is_some());
}

#[test]
fn map_links_the_service_accounts_eksctl_creates_to_their_roles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/eksctl/world");
    let out = Command::cargo_bin("irsalint")
        .unwrap()
        .current_dir(&dir)
        .args(["map", "--format", "json", "."])
        .output()
        .unwrap();
    let map: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let edges: Vec<(String, String, String)> = map["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["service_account"].as_str().unwrap().to_string(),
                e["role"].as_str().unwrap().to_string(),
                e["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            (
                "kube-system/aws-node".to_string(),
                "eksctl-shop-addon-vpc-cni-Role1-${RandomSuffix}".to_string(),
                "assumable".to_string()
            ),
            (
                "kube-system/cluster-autoscaler".to_string(),
                "eksctl-shop-addon-iamserviceaccount-kube-system-cluster-autoscaler-Role1-${RandomSuffix}".to_string(),
                // The cluster's issuer id is not in the inputs, but the trust eksctl writes
                // names it with one placeholder in the provider ARN and in the condition keys:
                // the keys are that provider's, so the `sub` condition decides.
                "assumable".to_string()
            ),
            (
                "kube-system/ebs-csi-controller-sa".into(),
                "eksctl-shop-addon-aws-ebs-csi-driver-Role1-${RandomSuffix}".into(),
                "assumable".into()
            ),
            ("payments/payments".into(), "shop-payments".into(), "not-trusted".into()),
            (
                "shop/cart".into(),
                "eksctl-shop-addon-iamserviceaccount-shop-cart-Role1-${RandomSuffix}".into(),
                "assumable".into()
            ),
        ]
    );
}

#[test]
fn an_addons_service_account_role_arn_is_checked_against_that_roles_trust() {
    // The role is the user's (get-role output); its trust names the node DaemonSet's
    // ServiceAccount, not the controller's the add-on annotates.
    let cluster = "apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: shop, region: eu-west-1}
addons:
- name: aws-ebs-csi-driver
  serviceAccountRoleARN: arn:aws:iam::111122223333:role/ebs-csi
";
    let role = r#"{"Role": {"RoleName": "ebs-csi", "Arn": "arn:aws:iam::111122223333:role/ebs-csi", "Path": "/",
 "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:ebs-csi-node-sa"}}}]}}}"#;
    let dir = std::env::temp_dir().join(format!("plan-eksctl-addon-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("cluster.yaml"), cluster).unwrap();
    std::fs::write(dir.join("role.json"), role).unwrap();
    let out = Command::cargo_bin("irsalint")
        .unwrap()
        .current_dir(&dir)
        .args([
            "lint",
            "--format",
            "concise",
            "--select",
            "sa-role-not-trusted",
            ".",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        stdout.starts_with("cluster.yaml:6:26: S001 sa-role-not-trusted role `arn:aws:iam::111122223333:role/ebs-csi` does not trust `system:serviceaccount:kube-system:ebs-csi-controller-sa`"),
        "{stdout}"
    );
}

/// An add-on's `serviceAccountRoleARN` whose account is a placeholder (`{ACCOUNT_ID}`,
/// `${AWS_ACCOUNT_ID}`) links by name to the role of that name the ClusterConfig creates, as
/// `sa-role-not-trusted` judges it; community add-ons (external-dns, fluent-bit) annotate
/// their own namespace's ServiceAccount.
#[test]
fn map_links_an_addon_role_written_with_a_placeholder_account_by_name() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/sa-role-not-trusted");
    let out = Command::cargo_bin("irsalint")
        .unwrap()
        .current_dir(&dir)
        .args(["map", "eksctl-addons"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "namespace external-dns\n  ServiceAccount external-dns (2 findings)\n    irsa -> eksctl-cluster-external-dns-role\n       NO not-trusted (sub) at eksctl-addons/cluster.yaml:45:26\n",
        "namespace fluent-bit\n  ServiceAccount fluent-bit (1 finding)\n    irsa -> eksctl-cluster-fluent-bit-role\n       ok assumable (default-audience) at eksctl-addons/cluster.yaml:47:26\n",
        "namespace kube-system\n  ServiceAccount ebs-csi-controller-sa (1 finding)\n    irsa -> eksctl-cluster-ebs-role\n       ok assumable (default-audience) at eksctl-addons/cluster.yaml:43:26\n",
    ] {
        assert!(stdout.contains(expected), "{expected}\nnot in\n{stdout}");
    }
    assert!(!stdout.contains("placeholder"), "{stdout}");
}

/// A placeholder account links by name to a role whose ARN is known (`get-role` output):
/// the placeholder may be that account. Two real accounts never link (`sa-role-arn-mismatch`
/// says so instead).
#[test]
fn an_addon_role_of_another_real_account_is_not_linked_by_name() {
    let cluster = "apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: shop, region: eu-west-1}
addons:
- name: external-dns
  serviceAccountRoleARN: arn:aws:iam::444455556666:role/external-dns
- name: fluent-bit
  serviceAccountRoleARN: arn:aws:iam::ACCOUNT_ID:role/fluent-bit
";
    let role = |name: &str| {
        format!(
            r#"{{"Role": {{"RoleName": "{name}", "Arn": "arn:aws:iam::111122223333:role/{name}", "Path": "/",
 "AssumeRolePolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
  "Principal": {{"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"}},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {{"StringEquals": {{"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:{name}"}}}}}}]}}}}}}"#
        )
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cluster.yaml"), cluster).unwrap();
    std::fs::write(dir.path().join("external-dns.json"), role("external-dns")).unwrap();
    std::fs::write(dir.path().join("fluent-bit.json"), role("fluent-bit")).unwrap();
    let out = Command::cargo_bin("irsalint")
        .unwrap()
        .current_dir(dir.path())
        .args(["map", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("  ServiceAccount external-dns (1 finding)\n    irsa -> arn:aws:iam::444455556666:role/external-dns\n       ?? unknown (not-in-inputs)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  ServiceAccount fluent-bit (2 findings)\n    irsa -> arn:aws:iam::111122223333:role/fluent-bit\n       NO not-trusted (sub)"),
        "{stdout}"
    );
}

#[test]
fn render_writes_the_arn_of_the_role_eksctl_creates_as_its_template() {
    // The ServiceAccount eksctl creates for shop/cart carries the ARN of the role it creates,
    // whose account and generated name only CloudFormation knows. The pod's `AWS_ROLE_ARN` is
    // that ARN template, not wrapped once more as `${arn:${AWS::Partition}...}`.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/eksctl/world");
    let out = Command::cargo_bin("irsalint")
        .unwrap()
        .current_dir(&dir)
        .args(["render", "--format", "yaml", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().map(str::trim).collect();
    let at = lines
        .iter()
        .position(|l| *l == "- name: AWS_ROLE_ARN")
        .unwrap_or_else(|| panic!("no AWS_ROLE_ARN in:\n{stdout}"));
    assert_eq!(
        lines[at + 1],
        "value: arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${eksctl-shop-addon-iamserviceaccount-shop-cart-Role1}"
    );
}

/// eksctl's examples/29-cluster-with-karpenter.yaml: eksctl creates an IRSA role for
/// karpenter/karpenter as for an `iam.serviceAccounts[]` entry named
/// `eksctl-<cluster>-iamservice-role` (pkg/actions/karpenter/create.go), with its
/// KarpenterControllerPolicy (pkg/cfn/builder/karpenter.go: one statement on `*`, and the
/// interruption queue's SQS actions with `withSpotInterruptionQueue`), producer-owned; the
/// ServiceAccount (eksctl's, or the chart's with `createServiceAccount: true`) is annotated
/// with the role and links to it. Everything points at the `karpenter` key. Without a
/// `version` (eksctl refuses the config) or with `iam.withOIDC: false`, nothing.
#[test]
fn karpenter_gets_eksctls_role_trust_policy_and_service_account() {
    let text = "apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: cluster-with-karpenter
  region: us-west-2
iam:
  withOIDC: true
karpenter:
  version: 'v0.20.0'
  createServiceAccount: true
  withSpotInterruptionQueue: true
";
    let inputs = load_text(text);
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let sa = w
        .service_account("karpenter", "karpenter")
        .expect("eksctl creates karpenter/karpenter");
    assert_eq!(
        at(&inputs, sa.obj.name.unwrap().span),
        ("8:1".into(), "karpenter")
    );
    let arn = sa.annotation("eks.amazonaws.com", "role-arn").unwrap();
    let idx = w
        .role_by_reference(arn.value.value_str())
        .expect("linked to the role eksctl creates");
    let role = &w.roles[idx];
    assert_eq!(role.source, RoleSource::Eksctl);
    assert_eq!(
        role.name.as_ref().unwrap().value,
        "eksctl-cluster-with-karpenter-iamservice-role"
    );
    let trust = w.trust_of(idx).next().unwrap();
    let iss = "oidc.eks.us-west-2.amazonaws.com/id/${EKSCTL_CLUSTER_OIDC_ID}";
    assert_eq!(
        conditions(&inputs, trust),
        [
            (
                "StringEquals".to_string(),
                format!("{iss}:sub"),
                "system:serviceaccount:karpenter:karpenter".to_string(),
                "8:1".to_string()
            ),
            (
                "StringEquals".to_string(),
                format!("{iss}:aud"),
                "sts.amazonaws.com".to_string(),
                "9:3".to_string()
            ),
        ]
    );
    let policy = w
        .policies
        .iter()
        .find(|p| p.source.role == Some(idx) && p.kind == PolicyKind::Identity)
        .unwrap();
    let actions: Vec<usize> = policy
        .policy
        .statements
        .iter()
        .map(|s| s.action.as_ref().map_or(0, |a| a.values.len()))
        .collect();
    assert_eq!(actions, [29, 4]);
    assert!(w
        .producer_owned
        .iter()
        .any(|(s, who)| at(&inputs, *s).1 == "karpenter"
            && who.contains("KarpenterControllerPolicy")));
    // No spot queue: the one statement.
    let no_queue = text.replace(
        "withSpotInterruptionQueue: true",
        "withSpotInterruptionQueue: false",
    );
    let inputs = load_text(&no_queue);
    let w = World::build(&inputs, &config);
    let counts: Vec<usize> = w
        .policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Identity)
        .map(|p| p.policy.statements.len())
        .collect();
    assert_eq!(counts, [1]);
    for refused in [
        text.replace("  version: 'v0.20.0'\n", ""),
        text.replace("withOIDC: true", "withOIDC: false"),
    ] {
        let inputs = load_text(&refused);
        let w = World::build(&inputs, &config);
        assert!(w.service_account("karpenter", "karpenter").is_none());
        assert!(!w.roles.iter().any(|r| r.source == RoleSource::Eksctl));
    }
}
