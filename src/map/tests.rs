//! The map's verdicts against the rules', and hand-written expectations of small worlds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{AccessMap, Mechanism, Query, Verdict};
use crate::config::Config;
use crate::load;
use crate::rules::credentials::{aws_config_role_not_trusted, credreq_role_not_trusted};
use crate::rules::rule_selector::Selector;
use crate::rules::sa::sa_role_not_trusted;
use crate::source::Limits;
use crate::world::World;
use crate::Selection;

/// Loads `dir` as one world, lints it with `selection` and builds its map.
fn map_of(dir: &Path, selection: &Selection) -> (AccessMap, crate::Report) {
    let inputs = load::load_paths(
        &[dir.to_string_lossy().into_owned()],
        dir,
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{} does not load: {e}", dir.display()));
    let config = Config::default();
    let world = World::build(&inputs, &config);
    let report = crate::lint_world(&world, &config, selection, None);
    (super::build(&world, &report), report)
}

fn trust_rules() -> Selection {
    Selection {
        select: vec![
            Selector::Rule(&sa_role_not_trusted::META),
            Selector::Rule(&credreq_role_not_trusted::META),
            Selector::Rule(&aws_config_role_not_trusted::META),
        ],
        ..Selection::default()
    }
}

/// Every fixture world: each rule's `bad/`, `good/` and extra worlds, and testdata/world.
fn fixture_worlds() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut out = vec![
        root.join("world"),
        root.join("map"),
        root.join("map-envfrom"),
    ];
    let mut rules: Vec<_> = std::fs::read_dir(root.join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    rules.sort();
    for r in rules {
        let mut worlds: Vec<_> = std::fs::read_dir(&r)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir() && !p.ends_with("snapshots"))
            .collect();
        worlds.sort();
        out.extend(worlds);
    }
    out
}

/// An edge is `not-trusted` exactly when sa-role-not-trusted / credreq-role-not-trusted
/// report it (the rules name the edge they concern, the map computes its own).
fn assert_agrees(dir: &Path) -> usize {
    let (map, report) = map_of(dir, &trust_rules());
    let fired: BTreeSet<String> = report
        .diagnostics
        .iter()
        .flat_map(|d| {
            assert!(
                !d.map_edge.is_empty(),
                "{}: finding without a map edge: {}",
                dir.display(),
                d.message
            );
            d.map_edge.clone()
        })
        .collect();
    let not_trusted: BTreeSet<String> = map
        .bindings
        .iter()
        .filter(|b| matches!(b.mechanism, Mechanism::Irsa | Mechanism::CredentialsFile))
        .filter(|b| b.verdict == Verdict::NotTrusted)
        .map(|b| b.id())
        .collect();
    assert_eq!(
        not_trusted,
        fired,
        "{}: map edges `not-trusted` (left) differ from the rules' findings (right)",
        dir.display()
    );
    // Every edge the rules fire on exists in the map (not only its verdict).
    let all: BTreeSet<String> = map.bindings.iter().map(|b| b.id()).collect();
    assert!(fired.is_subset(&all));
    fired.len()
}

#[test]
fn verdicts_agree_with_the_rules_on_every_fixture_world() {
    let worlds = fixture_worlds();
    assert!(
        worlds.len() > 150,
        "only {} fixture worlds found",
        worlds.len()
    );
    let fired: usize = worlds.iter().map(|w| assert_agrees(w)).sum();
    // The two rules' bad/ fixtures alone give findings: the comparison is not vacuous.
    assert!(
        fired >= 5,
        "only {fired} not-trusted edges over all fixture worlds"
    );
}

#[test]
fn verdicts_agree_with_the_rules_on_the_real_corpus() {
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    if !real.is_dir() {
        eprintln!("skipped: {} is not there", real.display());
        return;
    }
    assert_agrees(&real);
}

/// A role set through `envFrom` is an `env` edge like inline env; a mounted credentials file
/// (no CredentialsRequest) is a `credentials-file` edge with the verdict of
/// aws-config-role-not-trusted.
#[test]
fn env_from_and_mounted_credentials_files_are_edges() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/map-envfrom");
    let (map, _) = map_of(&dir, &Selection::default());
    assert_eq!(
        edge_summary(&map),
        [
            // As for inline env: the audience is taken to be the webhook's default.
            "ledger/ledger -> ledger (env) assumable [default-audience]",
            "ledger/ledger-archive -> ledger (credentials-file) not-trusted [sub]",
        ]
    );
}

fn examples() -> AccessMap {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    map_of(&dir, &Selection::default()).0
}

fn edge_summary(map: &AccessMap) -> Vec<String> {
    map.bindings
        .iter()
        .map(|b| {
            format!(
                "{} {} [{}]",
                b.id(),
                b.verdict.as_str(),
                b.reasons.join(",")
            )
        })
        .collect()
}

#[test]
fn examples_edges_verdicts_and_reasons() {
    let map = examples();
    assert_eq!(
        edge_summary(&map),
        [
            // The trust names `invoice-exporter`, the ServiceAccount is `invoice-export`.
            "billing/invoice-export -> arn:aws:iam::111122223333:role/invoice-export (irsa) not-trusted [sub]",
            // `system:serviceaccount:payments:*` under StringEquals is compared literally.
            "payments/payments-api -> payments (irsa) not-trusted [operator]",
            "reports/report-builder -> report-builder (irsa) assumable []",
        ]
    );
    let rb = map.roles.iter().find(|r| r.id == "report-builder").unwrap();
    // No `sub` condition: every ServiceAccount of the issuer gets in, also the other teams'
    // (the pattern `*` says so); the one that names the role is listed.
    assert_eq!(rb.admits, ["reports/report-builder"]);
    assert_eq!(rb.patterns.len(), 1);
    assert_eq!(rb.patterns[0].value, "*");
    assert_eq!(
        (rb.patterns[0].location.line, rb.patterns[0].location.column),
        (18, 13)
    );
    let s3 = &rb.permissions.services[0];
    assert_eq!(
        (s3.service.as_str(), s3.levels.clone()),
        ("s3", vec!["Read", "List"])
    );
    assert!(!s3.star_resource && !s3.privilege_escalation);
    // Finding counts: T005 in payments-trust.json, T001 in the CloudFormation role, one
    // sa-role-not-trusted on each of two ServiceAccounts.
    let findings: Vec<(String, usize)> = map
        .roles
        .iter()
        .map(|r| (r.id.clone(), r.findings))
        .collect();
    assert_eq!(
        findings,
        [
            (
                "arn:aws:iam::111122223333:role/invoice-export".to_string(),
                0
            ),
            ("payments".to_string(), 1),
            ("report-builder".to_string(), 1),
        ]
    );
    let sa: Vec<(String, usize)> = map
        .service_accounts
        .iter()
        .map(|s| (s.id(), s.findings))
        .collect();
    assert_eq!(
        sa,
        [
            ("billing/invoice-export".to_string(), 1),
            ("kube-system/pod-identity-webhook".to_string(), 0),
            ("payments/payments-api".to_string(), 1),
            ("reports/report-builder".to_string(), 0),
        ]
    );
}

#[test]
fn queries_keep_what_they_ask_about() {
    let mut m = examples();
    m.filter(&Query {
        only_broken: true,
        ..Query::default()
    });
    assert_eq!(m.bindings.len(), 2);
    assert!(m.bindings.iter().all(|b| b.verdict == Verdict::NotTrusted));
    let sas: Vec<String> = m.service_accounts.iter().map(|s| s.id()).collect();
    assert_eq!(sas, ["billing/invoice-export", "payments/payments-api"]);
    assert_eq!(m.workloads.len(), 2);
    assert_eq!(m.roles.len(), 2);

    let mut m = examples();
    m.filter(&Query {
        role: Some("invoice-export".into()),
        ..Query::default()
    });
    assert_eq!(m.roles.len(), 1);
    assert_eq!(
        m.roles[0].id,
        "arn:aws:iam::111122223333:role/invoice-export"
    );
    assert_eq!(m.bindings.len(), 1);
    assert_eq!(m.service_accounts[0].id(), "billing/invoice-export");

    let mut m = examples();
    m.filter(&Query {
        sa: Some("reports/report-builder".into()),
        ..Query::default()
    });
    assert_eq!(
        edge_summary(&m),
        ["reports/report-builder -> report-builder (irsa) assumable []"]
    );
    assert_eq!(m.workloads.len(), 1);

    let mut m = examples();
    m.filter(&Query {
        namespace: Some("kube-system".into()),
        ..Query::default()
    });
    assert!(m.bindings.is_empty() && m.roles.is_empty());
    assert_eq!(m.workloads[0].label(), "Deployment/pod-identity-webhook");
}

#[test]
fn world_mechanisms() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/world");
    let (map, _) = map_of(&dir, &Selection::default());
    assert_eq!(
        edge_summary(&map),
        [
            "shop/cart -> arn:aws:iam::111122223333:role/cart (env) assumable []",
            "shop/shop-operator -> shop-operator (credentials-file) assumable []",
            "shop/shop-worker -> shop-operator (credentials-file) not-trusted [sub]",
        ]
    );
    let worker = map.roles.iter().find(|r| r.id == "worker").unwrap();
    let sqs = &worker.permissions.services[0];
    assert_eq!(sqs.service, "sqs");
    assert!(sqs.star_resource, "a Write action on Resource *");
    // The role a credentials Secret names gets its CredentialsRequest's statementEntries
    // (s3:GetObject on *), the policy ccoctl attaches to it.
    let operator = map.roles.iter().find(|r| r.id == "shop-operator").unwrap();
    let s3: Vec<_> = operator
        .permissions
        .services
        .iter()
        .map(|s| (s.service.as_str(), s.levels.clone(), s.actions))
        .collect();
    assert_eq!(s3, [("s3", vec!["Read"], 1)]);
}

/// A role-arn annotation a Pod Identity association overrides: its IRSA edge is `ignored`
/// (the association's own edge carries the verdict), as sa-role-not-trusted is silent there,
/// and it is the edge sa-role-arn-with-pod-identity's finding names (`lint --explain`).
#[test]
fn an_annotation_a_pod_identity_association_overrides_is_an_ignored_edge() {
    use crate::rules::sa::sa_role_arn_with_pod_identity;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules/sa-role-not-trusted/pod-identity-wins");
    let selection = Selection {
        select: vec![Selector::Rule(&sa_role_arn_with_pod_identity::META)],
        ..Selection::default()
    };
    let (map, report) = map_of(&dir, &selection);
    let irsa: Vec<String> = edge_summary(&map)
        .into_iter()
        .filter(|e| e.contains("(irsa)"))
        .collect();
    assert_eq!(
        irsa,
        [
            "kube-system/ebs-csi-controller-sa -> ${var.cluster_name}-ebs-csi-driver (irsa) ignored [pod-identity]",
            "kube-system/efs-csi-controller-sa -> var.efs_irsa_role_arn (irsa) ignored [pod-identity]",
            "reports/builder -> arn:aws:iam::111122223333:role/report-builder (irsa) ignored [pod-identity]",
        ]
    );
    let b = &map
        .bindings
        .iter()
        .find(|b| b.sa == "kube-system/ebs-csi-controller-sa" && b.mechanism == Mechanism::Irsa)
        .unwrap();
    assert_eq!(
        b.detail,
        "ignored: the Pod Identity association (Terraform aws_eks_pod_identity_association.ebs_csi_driver) wins, so the annotation's role is never assumed"
    );
    // The pod-identity edge of the same account keeps its own verdict.
    assert!(map
        .bindings
        .iter()
        .any(|b| b.sa == "kube-system/ebs-csi-controller-sa"
            && b.mechanism == Mechanism::PodIdentity
            && b.verdict == Verdict::Assumable));
    let edges: BTreeSet<String> = map.bindings.iter().map(|b| b.id()).collect();
    let named: Vec<&String> = report
        .diagnostics
        .iter()
        .flat_map(|d| &d.map_edge)
        .collect();
    assert_eq!(named.len(), 3, "{named:?}");
    for e in named {
        assert!(
            edges.contains(e),
            "{e} is not an edge of the map: {edges:#?}"
        );
    }
    assert_eq!(map.count(Verdict::Ignored), 3);
    assert!(super::table::summary(&map).ends_with(", 0 unknown, 3 ignored)"));
    // The table says why under the edge, as it does for a `not-trusted` one.
    let table = super::table::render(&map);
    assert!(
        table.contains("-- ignored (pod-identity) at ")
            && table.contains("       ignored: the Pod Identity association (ACK PodIdentityAssociation builder) wins"),
        "{table}"
    );
}

/// An add-on role given by a conditional only apply decides (`local.create_irsa ?
/// module.irsa_addon[0].irsa_iam_role_arn : try(var.addon_config.service_account_role_arn,
/// null)`) is a value known at apply, like a reference: `not-in-inputs`, not a malformed ARN,
/// so `--only-broken` leaves it out.
#[test]
fn a_role_arn_only_apply_computes_is_not_malformed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/map-conditional-role");
    let (map, _) = map_of(&dir, &Selection::default());
    let b: Vec<_> = map
        .bindings
        .iter()
        .filter(|b| b.sa == "kube-system/aws-node")
        .collect();
    assert_eq!(b.len(), 1, "{:#?}", map.bindings);
    assert_eq!(b[0].verdict, Verdict::Unknown);
    assert_eq!(b[0].reasons, ["not-in-inputs"]);
    assert!(!b[0].is_broken());
    // A literal that is no role ARN stays malformed.
    let m = map
        .bindings
        .iter()
        .find(|b| b.sa == "payments/billing")
        .unwrap();
    assert_eq!(m.reasons, ["malformed-arn"]);
    assert!(m.is_broken());
}

/// A Job with only `generateName` is listed by that prefix, not as `Job/`, in the map and in
/// the messages that name it (`Object::display`).
#[test]
fn an_object_named_by_generate_name_is_shown_by_its_prefix() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/map-generate-name");
    let (map, _) = map_of(&dir, &Selection::default());
    let labels: Vec<String> = map.workloads.iter().map(|w| w.label()).collect();
    assert_eq!(labels, ["Job/", "Job/spottest-*"]);
    let inputs = load::load_paths(
        &[dir.to_string_lossy().into_owned()],
        &dir,
        &Limits::default(),
    )
    .unwrap();
    let config = Config::default();
    let world = World::build(&inputs, &config);
    let shown: Vec<String> = world.pods.iter().map(|p| p.display()).collect();
    assert_eq!(shown, ["Job cykubed/spottest-*", "Job cykubed/"]);
}

/// The ServiceAccount Crossplane creates is in a namespace the files do not say: the trust
/// that admits crossplane-system's does not make its edge not-trusted, but unknown, and one
/// that admits the name in any namespace makes it assumable.
#[test]
fn crossplanes_service_account_is_undecided_unless_the_trust_admits_any_namespace() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/sa-role-not-trusted/crossplane");
    let (map, _) = map_of(&dir, &trust_rules());
    let b: Vec<_> = map
        .bindings
        .iter()
        .filter(|b| b.sa == "<Crossplane's namespace>/provider-aws")
        .collect();
    assert_eq!(b.len(), 1, "{:#?}", map.bindings);
    assert_eq!(b[0].verdict, Verdict::Unknown);
    assert_eq!(b[0].reasons, ["namespace-unknown"]);
    // The same account, a trust for `*:provider-aws`.
    let d = tempfile::tempdir().unwrap();
    for f in ["runtime-config.yaml", "crossplane-provider-aws-role.json"] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        let text = text
            .replace("crossplane-system:provider-aws", "*:provider-aws")
            .replace("StringEquals", "StringLike");
        std::fs::write(d.path().join(f), text).unwrap();
    }
    let (map, _) = map_of(d.path(), &trust_rules());
    let b = map
        .bindings
        .iter()
        .find(|b| b.sa == "<Crossplane's namespace>/provider-aws")
        .unwrap();
    assert_eq!(b.verdict, Verdict::Assumable, "{b:#?}");
    // A ServiceAccount written in crossplane-system keeps its not-trusted verdict.
    std::fs::write(
        d.path().join("sa.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: other\n  namespace: crossplane-system\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/crossplane-provider-aws\n",
    )
    .unwrap();
    let (map, _) = map_of(d.path(), &trust_rules());
    let b = map
        .bindings
        .iter()
        .find(|b| b.sa == "crossplane-system/other")
        .unwrap();
    assert_eq!(b.verdict, Verdict::NotTrusted, "{b:#?}");
}

/// Without Crossplane's namespace, a rejection that holds in any namespace (the audience
/// its template gives the tokens, a trust with no web-identity statement) is `not-trusted`
/// for that reason alone; a trust for crossplane-system's account stays unknown.
#[test]
fn crossplanes_service_account_is_not_trusted_for_what_does_not_depend_on_its_namespace() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules/sa-role-not-trusted/crossplane-namespace-independent");
    let (map, _) = map_of(&dir, &trust_rules());
    let edge = |name: &str| {
        let b: Vec<_> = map
            .bindings
            .iter()
            .filter(|b| b.sa == format!("<Crossplane's namespace>/{name}"))
            .collect();
        assert_eq!(b.len(), 1, "{:#?}", map.bindings);
        (b[0].verdict, b[0].reasons.clone())
    };
    assert_eq!(edge("provider-s3"), (Verdict::NotTrusted, vec!["aud"]));
    assert_eq!(edge("provider-ec2"), (Verdict::NotTrusted, vec!["issuer"]));
    assert_eq!(
        edge("provider-aws"),
        (Verdict::Unknown, vec!["namespace-unknown"])
    );
    assert_eq!(
        edge("provider-rds"),
        (Verdict::Unknown, vec!["namespace-unknown"])
    );
}

/// terraform-aws-eks `modules/karpenter` v21 (examples/karpenter@v21.0.0): the module's
/// association links kube-system/karpenter to the controller's role, which trusts Pod
/// Identity; v19's IRSA role for karpenter:karpenter does not admit the chart's account in
/// kube-system.
#[test]
fn karpenter_module_links_its_controller_role() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/sa-role-not-trusted");
    let (map, _) = map_of(&dir.join("terraform-karpenter-v21"), &trust_rules());
    let b: Vec<_> = map
        .bindings
        .iter()
        .filter(|b| b.sa == "kube-system/karpenter")
        .collect();
    assert_eq!(b.len(), 1, "{:#?}", map.bindings);
    assert_eq!(b[0].role, "module.karpenter.aws_iam_role.controller[0]");
    assert_eq!(b[0].mechanism, Mechanism::PodIdentity);
    assert_eq!(b[0].verdict, Verdict::Assumable);
    let (map, _) = map_of(&dir.join("terraform-karpenter-v19"), &trust_rules());
    let b = map
        .bindings
        .iter()
        .find(|b| b.sa == "kube-system/karpenter")
        .unwrap();
    assert_eq!(b.role, "module.karpenter.aws_iam_role.irsa[0]");
    assert_eq!(b.verdict, Verdict::NotTrusted);
}

/// A namespace that is an expression the files do not resolve (a Spinnaker SpEL
/// `${ parameters.namespace }`) is shown as unresolved, and the edge is unknown for it.
#[test]
fn an_unresolved_namespace_is_shown_as_unresolved() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules/sa-role-not-trusted/spinnaker-namespace");
    let (map, _) = map_of(&dir, &trust_rules());
    let b = &map.bindings[0];
    assert_eq!(b.sa, "${ parameters.namespace }/app");
    assert_eq!(
        (b.verdict, b.reasons.clone()),
        (Verdict::Unknown, vec!["namespace-unknown"])
    );
    assert!(
        b.detail
            .contains("`${ parameters.namespace }` is an expression"),
        "{}",
        b.detail
    );
    let table = super::table::render(&map);
    assert!(
        table.contains("\nnamespace ${ parameters.namespace } (unresolved)\n"),
        "{table}"
    );
    assert_eq!(AccessMap::namespace_heading("prod"), "namespace prod");
}

/// Each Terragrunt unit is one `module "terragrunt"` call, so two units of
/// iam-role-for-service-accounts-eks make roles of one address: the policy a unit's
/// `attach_*_policy` switch has the module write is listed on that unit's role only
/// (bee7ch7/eks-setups@58c28e96, iam/lb and iam/external-dns: the external-dns policy was
/// listed on the load balancer controller's role, and none on external-dns's).
#[test]
fn a_module_written_policy_is_on_the_role_of_its_own_unit() {
    let d = tempfile::tempdir().unwrap();
    for (dir, name, switch) in [
        ("lb", "lbc", "attach_load_balancer_controller_policy"),
        ("dns", "external-dns", "attach_external_dns_policy"),
    ] {
        let dir = d.path().join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "terraform {{\n  source = \"tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.60.0\"\n}}\ninputs = {{\n  role_name = \"{name}\"\n  {switch} = true\n  oidc_providers = {{\n    ex = {{\n      provider_arn               = dependency.eks.outputs.oidc_provider_arn\n      namespace_service_accounts = [\"kube-system:{name}\"]\n    }}\n  }}\n}}\n"
        );
        std::fs::write(dir.join("terragrunt.hcl"), text).unwrap();
    }
    let (map, _) = map_of(d.path(), &trust_rules());
    let mut owned: Vec<(String, Vec<String>)> = map
        .roles
        .iter()
        .map(|r| (r.id.clone(), r.permissions.producer_policies.clone()))
        .collect();
    owned.sort();
    let model = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks v5.60.0";
    let listed = |switch: &str| {
        vec![format!(
            "`{switch}` ({model}; producer-owned, contents not read)"
        )]
    };
    assert_eq!(
        owned,
        [
            (
                "external-dns".to_string(),
                listed("attach_external_dns_policy")
            ),
            (
                "lbc".to_string(),
                listed("attach_load_balancer_controller_policy")
            ),
        ],
        "{owned:#?}"
    );
}
