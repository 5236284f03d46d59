//! Terraform configurations (issue #13): HCL loaded with exact positions, evaluated per
//! module directory, mapped to the model; the binary is spawned on `testdata/terraform`.

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;

use irsalint::config::Config;
use irsalint::load::{self, Inputs};
use irsalint::model::role::{PolicyKind, RoleSource};
use irsalint::source::file::Span;
use irsalint::source::Limits;
use irsalint::world::World;

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn inputs() -> Inputs {
    let d = dir().join("terraform");
    load::load_paths(
        &[d.to_string_lossy().into_owned()],
        &dir(),
        &Limits::default(),
    )
    .unwrap()
}

fn at(inputs: &Inputs, span: Span) -> (String, &str) {
    let f = inputs.sources.get(span.file);
    let (l, c) = f.line_col(span.start as usize);
    (format!("{}:{l}:{c}", f.path), f.slice(span))
}

/// What `irsalint ARGS` run in `cwd` prints on stdout.
fn stdout_of(cwd: &Path, args: &[&str]) -> String {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The finding lines of `irsalint lint --format concise TARGET` run in `cwd` (every line
/// but the summary).
fn concise(cwd: &Path, target: &str) -> Vec<String> {
    let stdout = stdout_of(cwd, &["lint", "--format", "concise", target]);
    let mut lines: Vec<String> = stdout.lines().map(str::to_string).collect();
    lines.pop();
    lines
}

#[test]
fn lint_reports_terraform_findings_at_what_the_user_wrote() {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir())
        .args(["lint", "--format", "concise", "terraform"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // (terraform/plan/ holds the plan reader's fixtures, tested in terraform_plan.rs.)
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("terraform/") && !l.starts_with("terraform/plan/"))
        .collect();
    assert_eq!(
        lines,
        [
            // Bad HCL is a finding at its position; the other directories are still linted.
            "terraform/broken/main.tf:6:1: E001 parse-error HCL: expected `)` or expression",
            // A YAML ServiceAccount links to the Terraform role by its ARN (name from HCL).
            "terraform/k8s/sa.yaml:7:33: S001 sa-role-not-trusted role `arn:aws:iam::111122223333:role/orders-api` does not trust `system:serviceaccount:orders:orders-worker`: its trust policy only admits `system:serviceaccount:orders:orders-api` (StringEquals)",
            // The jsonencode'd inline policy: `s3:*` where it is written.
            "terraform/root/main.tf:31:19: P002 perm-service-wildcard `s3:*` in inline policy aws_iam_role_policy.orders allows every s3 action, including deletes and configuration changes",
            // A helm_release's `values = [yamlencode(...)]` names the chart's ServiceAccount
            // and annotates it with the role, which trusts another one.
            "terraform/root/main.tf:91:42: S001 sa-role-not-trusted role `aws_iam_role.orders.arn` does not trust `system:serviceaccount:orders:orders-reports-irsa`: its trust policy only admits `system:serviceaccount:orders:orders-api` (StringEquals)",
        ],
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_model_holds_terraform_roles_policies_and_service_accounts() {
    let inputs = inputs();
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let role = w
        .roles
        .iter()
        .position(|r| {
            r.source == RoleSource::Terraform && r.logical_id == Some("aws_iam_role.orders")
        })
        .unwrap();
    let r = &w.roles[role];
    assert_eq!(r.logical_id, Some("aws_iam_role.orders"));
    assert_eq!(r.name.as_ref().unwrap().value, "orders-api");
    assert!(r.arn.as_ref().unwrap().unresolved);
    assert_eq!(
        at(&inputs, r.anchor),
        ("terraform/root/main.tf:6:25".into(), "\"orders\"")
    );
    let trust = w.trust_of(role).next().unwrap();
    assert_eq!(trust.kind, PolicyKind::Trust);
    // The sub value from a template over tfvars and locals, pointing at the template.
    let stmt = &trust.policy.statements[0];
    let (_, key) = stmt.condition.as_ref().unwrap().keys().next().unwrap();
    assert_eq!(
        key.name.value,
        "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9:sub"
    );
    assert_eq!(
        key.values[0].value,
        "system:serviceaccount:orders:orders-api"
    );
    assert_eq!(
        at(&inputs, key.values[0].span),
        (
            "terraform/root/main.tf:16:42".into(),
            "\"system:serviceaccount:${var.namespace}:${local.sa_name}\""
        )
    );
    // The inline policy is linked to the role through `role = aws_iam_role.orders.id`.
    assert!(w
        .policies
        .iter()
        .any(|p| p.kind == PolicyKind::Identity && p.source.role == Some(role)));
    // The ServiceAccount from kubernetes_service_account_v1, named from a local and tfvars:
    // its name points at the literal in `locals`, where the value is written.
    let sa = w.service_account("orders", "orders-api").unwrap();
    assert_eq!(
        at(&inputs, sa.obj.anchor()),
        ("terraform/root/main.tf:3:19".into(), "\"orders-api\"")
    );
    // Its role-arn is unknown and linked by reference.
    assert_eq!(
        w.roles_by_address("aws_iam_role.orders.arn", None),
        vec![role]
    );
    // The OIDC provider, its URL from a template over a local.
    assert!(w
        .iam_oidc_providers
        .iter()
        .any(|p| p.issuer_key().as_deref()
            == Some("oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9")));
    // The Pod Identity association, its namespace from tfvars; the role ARN unknown.
    let a = w
        .pod_identity_associations
        .iter()
        .find(|a| a.label == "Terraform aws_eks_pod_identity_association.reports")
        .unwrap();
    assert!(a.applies_to("orders", "orders-reports"));
    assert!(a.role_arn.as_ref().unwrap().unresolved);
    // The Deployment's pod runs as it (`metadata[0].name` of the resource is followed).
    assert!(w
        .pods
        .iter()
        .any(|p| p.service_account_name() == "orders-api"));
}

#[test]
fn render_uses_a_service_account_from_terraform() {
    let stdout = stdout_of(&dir(), &["render", "terraform/root"]);
    assert!(
        stdout.contains("serviceAccountName: orders-api"),
        "{stdout}"
    );
    // The ARN is known only at apply time: shown as the reference.
    assert!(
        stdout.contains("- name: AWS_ROLE_ARN\n          value: ${aws_iam_role.orders.arn}"),
        "{stdout}"
    );
    assert!(stdout.contains("audience: sts.amazonaws.com"), "{stdout}");
}

#[test]
fn explain_says_what_could_not_be_decided() {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir())
        .args(["lint", "--explain", "terraform-undecided"])
        .output()
        .unwrap();
    // Silent: the provider is a module output, so the trust cannot be decided.
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "irsalint: not decided (Terraform values known only at apply time):\n  \
         terraform-undecided/main.tf:34:38: ServiceAccount shop/api -> shop-api: whether its trust admits `system:serviceaccount:shop:api` depends on `module.eks.oidc_provider_arn`, `\"${module.eks.oidc_provider}:sub\"`, `\"${module.eks.oidc_provider}:aud\"`\n  \
         terraform-undecided/main.tf:45:38: ServiceAccount shop/worker: its role `module.worker_irsa.iam_role_arn` is known only at apply time and names no role in the inputs\n"
    );
}

/// `lint envs/prod` of a root whose local modules lie outside the path: their calls are not
/// expanded, so the findings about what they make are missing; `--explain` says which and
/// how to include them. Linting the whole tree reads them and lists nothing.
#[test]
fn explain_names_the_local_modules_outside_the_inputs() {
    let run = |path: &str| {
        let out = cargo_bin_cmd!("irsalint")
            .current_dir(dir())
            .args(["lint", "--explain", "--format", "concise", path])
            .output()
            .unwrap();
        String::from_utf8(out.stderr).unwrap()
    };
    let stderr = run("terraform-modules/envs/prod");
    let heading = "irsalint: local modules not read (their directories are not among the inputs: lint a path that holds them too, or the repository with --project):\n";
    let at = stderr.find(heading).expect(&stderr);
    let lines: Vec<&str> = stderr[at + heading.len()..]
        .lines()
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(
        lines,
        [
            "  terraform-modules/envs/prod/main.tf: module source `../../modules/irsa` holds no input file",
            "  terraform-modules/envs/prod/main.tf: module source `../../modules/app` holds no input file",
            "  terraform-modules/envs/prod/main.tf: module source `../../modules/irsa-legacy` holds no input file",
        ],
        "{stderr}"
    );
    assert!(!run("terraform-modules").contains("local modules not read"));
}

#[test]
fn an_inline_suppression_in_a_tf_file_hides_the_finding_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let key = "\"${module.eks.cluster_oidc_issuer_url}:sub\"";
    let tf = |suffix: &str| {
        format!(
            "resource \"aws_iam_role\" \"r\" {{\n  name = \"r\"\n  assume_role_policy = jsonencode({{\n    Statement = [{{\n      Effect = \"Allow\"\n      Action = \"sts:AssumeRoleWithWebIdentity\"\n      Principal = {{ Federated = module.eks.oidc_provider_arn }}\n      Condition = {{ StringEquals = {{\n        {key} = \"system:serviceaccount:a:b\"{suffix}\n      }} }}\n    }}]\n  }})\n}}\n"
        )
    };
    let run = |text: String| {
        std::fs::write(dir.path().join("main.tf"), text).unwrap();
        let out = cargo_bin_cmd!("irsalint")
            .current_dir(dir.path())
            .args([
                "lint",
                "--format",
                "concise",
                "--select",
                "trust-key-has-scheme",
                ".",
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let found = run(tf(""));
    assert!(
        found.starts_with("main.tf:9:9: T007 trust-key-has-scheme"),
        "{found}"
    );
    let hidden = run(tf(
        " # irsalint: ignore[trust-key-has-scheme] a test cluster",
    ));
    assert!(!hidden.contains("T007"), "{hidden}");
    assert!(hidden.contains("1 suppressed"), "{hidden}");
}

/// A customer-managed policy attached by the plural `aws_iam_policy_attachment` (`roles`)
/// and by `aws_iam_role_policy_attachments_exclusive` (`policy_arns`) belongs to every role
/// named, by name or by reference.
#[test]
fn plural_and_exclusive_attachments_attach_a_policy_to_each_role() {
    let dir = tempfile::tempdir().unwrap();
    let tf = r#"resource "aws_iam_role" "a" {
  name               = "a"
  assume_role_policy = "{}"
}
resource "aws_iam_role" "b" {
  name_prefix        = "b-"
  assume_role_policy = "{}"
}
resource "aws_iam_role" "c" {
  name               = "c"
  assume_role_policy = "{}"
}
resource "aws_iam_policy" "s3" {
  name   = "s3"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}
resource "aws_iam_policy_attachment" "s3" {
  name       = "s3"
  roles      = [aws_iam_role.a.name, aws_iam_role.b.name]
  policy_arn = aws_iam_policy.s3.arn
}
resource "aws_iam_role_policy_attachments_exclusive" "c" {
  role_name   = aws_iam_role.c.name
  policy_arns = [aws_iam_policy.s3.arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"]
}
"#;
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let inputs = load::load_paths(
        &[dir.path().to_string_lossy().into_owned()],
        dir.path(),
        &Limits::default(),
    )
    .unwrap();
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let role = |addr: &str| {
        w.roles
            .iter()
            .position(|r| r.logical_id == Some(addr))
            .unwrap()
    };
    let mut attached: Vec<usize> = w
        .policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Identity && p.source.label == "policy aws_iam_policy.s3")
        .filter_map(|p| p.source.role)
        .collect();
    attached.sort();
    let mut expected = vec![
        role("aws_iam_role.a"),
        role("aws_iam_role.b"),
        role("aws_iam_role.c"),
    ];
    expected.sort();
    assert_eq!(attached, expected);
    let managed: Vec<&str> = w.roles[role("aws_iam_role.c")]
        .managed_policy_arns
        .iter()
        .map(|t| t.value.as_str())
        .collect();
    assert_eq!(managed, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
}

/// A chart's ServiceAccount named in a values file read with `file()`: its name points at
/// the values file, where it is written.
#[test]
fn a_helm_values_file_names_the_service_account_where_it_is_written() {
    let d = dir().join("rules/sa-role-not-trusted/terraform-helm");
    let inputs = load::load_paths(
        &[d.to_string_lossy().into_owned()],
        &dir(),
        &Limits::default(),
    )
    .unwrap();
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let sa = w.service_account("external-dns", "external-dns").unwrap();
    assert_eq!(
        at(&inputs, sa.obj.anchor()),
        (
            "rules/sa-role-not-trusted/terraform-helm/external-dns-values.yaml:5:9".into(),
            "external-dns"
        )
    );
    // The heredoc's name, inside the heredoc.
    let sa = w.service_account("karpenter", "karpenter").unwrap();
    assert_eq!(
        at(&inputs, sa.obj.anchor()),
        (
            "rules/sa-role-not-trusted/terraform-helm/main.tf:59:13".into(),
            "karpenter"
        )
    );
}

/// An `aws_eks_pod_identity_association` whose `role_arn` is `aws_iam_role.x.arn` links to
/// that role by address in the map, with the verdict its trust gives.
#[test]
fn a_pod_identity_association_links_to_its_role_by_reference() {
    let stdout = stdout_of(
        &dir(),
        &["map", "rules/sa-role-arn-with-pod-identity/terraform"],
    );
    assert!(
        stdout.contains(
            "    pod-identity -> eks-pod-identity-example\n       ok assumable via Terraform aws_eks_pod_identity_association.example at rules/sa-role-arn-with-pod-identity/terraform/main.tf:26:45"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("unresolved"), "{stdout}");
}

/// An EKS add-on's `pod_identity_association` block binds the ServiceAccount it names in the
/// add-on's namespace to the role, judged as Pod Identity: trusted when the role admits
/// `pods.eks.amazonaws.com`, not when it kept its IRSA trust.
#[test]
fn an_addon_pod_identity_association_binds_its_service_account() {
    let stdout = stdout_of(
        &dir(),
        &["map", "rules/sa-role-arn-with-pod-identity/terraform-addon"],
    );
    let at = "rules/sa-role-arn-with-pod-identity/terraform-addon/main.tf";
    for expected in [
        format!("  ServiceAccount aws-node (not in the inputs)\n    pod-identity -> prod-vpc-cni\n       ok assumable via Terraform aws_eks_addon.vpc_cni pod_identity_association at {at}:56:23\n"),
        format!("    pod-identity -> prod-ebs-csi\n       ok assumable via Terraform aws_eks_addon.ebs_csi pod_identity_association at {at}:40:23\n"),
        format!("  ServiceAccount efs-csi-controller-sa (not in the inputs)\n    pod-identity -> prod-efs-csi\n       NO not-trusted (principal) via Terraform aws_eks_addon.efs_csi pod_identity_association at {at}:86:23\n"),
        // A community add-on: its own namespace.
        format!("namespace external-dns\n  ServiceAccount external-dns (not in the inputs)\n    pod-identity -> AmazonEKSPodIdentityExternalDNSRole\n       ok assumable via Terraform aws_eks_addon.external_dns pod_identity_association at {at}:118:23\n"),
    ] {
        assert!(stdout.contains(&expected), "{expected}\nnot in\n{stdout}");
    }
}

/// Policy files rendered by `templatefile()` (`${bucket}`, a `%{ for }` list, `${replace(…)}`
/// inside a JSON string) are checked as rendered, at their place in the template, and are
/// not read as broken JSON documents of their own: no parse errors.
#[test]
fn templatefile_policies_are_checked_as_rendered_not_as_bare_json() {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir())
        .args(["lint", "--format", "concise", "terraform-templates"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "terraform-templates/policies/archiver-trust.json:12:11: T007 trust-key-has-scheme condition key `\"${oidc_issuer}:sub\"` has the scheme `https://`: `module.eks.cluster_oidc_issuer_url` is a URL that starts with `https://`, no request carries this key, and IAM names it without the scheme\n\
         1 error, 0 warnings, 0 infos in 3 files (0 documents)\n"
    );
    // The `%{ for }` template's rendering is the role's policy: its actions are read. The
    // issuer is the provider ARN's, `replace(oidc_issuer, "https://", "")` of the EKS
    // module's URL: named by that call, not by the URL it trims.
    let stdout = stdout_of(&dir(), &["map", "terraform-templates"]);
    assert!(
        stdout.contains("  archiver (1 finding)\n    defined   terraform-templates/main.tf:28:25\n    issuer    ${replace(module.eks.cluster_oidc_issuer_url, \"https://\", \"\")}\n    access    s3: Write (2 actions)\n"),
        "{stdout}"
    );
}

/// A policy template no evaluated `templatefile()` reads (its reader is another kind of
/// resource, or there is none) is still read as a file of its own.
#[test]
fn a_template_nothing_renders_is_still_read_as_a_file() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("archive.json"),
        "{\n  \"Statement\": [\n    %{ for p in prefixes ~}\n    {}\n    %{ endfor ~}\n  ]\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("main.tf"),
        "resource \"local_file\" \"x\" {\n  content = templatefile(\"archive.json\", { prefixes = [] })\n}\n",
    )
    .unwrap();
    let stdout = stdout_of(d.path(), &["lint", "--format", "concise", "."]);
    assert!(stdout.starts_with("archive.json:3:5: "), "{stdout}");
}

/// `--explain` says which cluster the manifests are taken to run in when the inputs know
/// one only, and with which issuer.
#[test]
fn explain_names_the_only_cluster() {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir())
        .args([
            "lint",
            "--explain",
            "--format",
            "concise",
            "rules/sa-role-not-trusted/one-cluster",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("irsalint: manifests and Terraform roots naming no cluster are taken to run in the only cluster in the inputs: Terraform root rules/sa-role-not-trusted/one-cluster (aws_eks_cluster.main) (issuer `oidc.eks.eu-west-1.amazonaws.com/id/7D1C3B5A9E2F40618A7B6C5D4E3F2A1B`)\n"),
        "{stderr}"
    );
    // Two clusters: nothing is assumed.
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir())
        .args([
            "lint",
            "--explain",
            "rules/sa-role-not-trusted/one-cluster",
            "rules/sa-role-arn-with-pod-identity/terraform-addon",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("the only cluster"), "{stderr}");
}

/// An issuer known only as an expression is shown as the user wrote it, not as a `${...}`
/// string, and no rule reads it as a literal issuer: the ServiceAccount's trust against the
/// literal provider stays undecided, no issuer mismatch is claimed.
#[test]
fn an_issuer_known_only_as_an_expression_is_shown_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let tf = r#"variable "oidc_issuer_url" {
  type = string
}

data "aws_iam_policy_document" "a" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9"]
    }
    condition {
      test     = "StringEquals"
      variable = "${trimprefix(var.oidc_issuer_url, "https://")}:sub"
      values   = ["system:serviceaccount:a:b"]
    }
    condition {
      test     = "StringEquals"
      variable = "${trimprefix(var.oidc_issuer_url, "https://")}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "b" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }
    condition {
      test     = "StringLike"
      variable = "${trimprefix(module.eks.cluster_oidc_issuer_url, "https://")}:sub"
      values   = ["system:serviceaccount:*"]
    }
  }
}

data "aws_iam_policy_document" "c" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/${var.oidc_provider}"]
    }
  }
}

resource "aws_iam_role" "a" {
  name               = "a"
  assume_role_policy = data.aws_iam_policy_document.a.json
}

resource "aws_iam_role" "b" {
  name               = "b"
  assume_role_policy = data.aws_iam_policy_document.b.json
}

resource "aws_iam_role" "c" {
  name               = "c"
  assume_role_policy = data.aws_iam_policy_document.c.json
}

resource "kubernetes_service_account_v1" "x" {
  metadata {
    name        = "x"
    namespace   = "a"
    annotations = { "eks.amazonaws.com/role-arn" = aws_iam_role.a.arn }
  }
}
"#;
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let stdout = stdout_of(dir.path(), &["lint", "--format", "concise", "."]);
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("main.tf"))
        .collect();
    assert_eq!(
        lines,
        [
            "main.tf:32:5: T003 trust-missing-aud no `aud` condition: tokens of issuer `trimprefix(module.eks.cluster_oidc_issuer_url, \"https://\")` for any audience are accepted",
            "main.tf:35:19: T002 trust-broad-stringlike `system:serviceaccount:*` matches every service account in every namespace of the cluster with issuer `trimprefix(module.eks.cluster_oidc_issuer_url, \"https://\")`",
            "main.tf:43:5: T001 trust-no-sub-condition no `sub` condition: any service account of the cluster with issuer `var.oidc_provider` can assume this role",
        ],
        "{stdout}"
    );
}

/// A modelled module's `attach_*_policy` switch: `lint --explain` and `map` list the policy
/// the module writes as producer-owned, without inventing its contents.
#[test]
fn module_written_policies_are_listed_as_producer_owned() {
    let dir = tempfile::tempdir().unwrap();
    let tf = r#"module "ebs_csi_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.60"

  role_name             = "ebs-csi"
  attach_ebs_csi_policy = true

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:ebs-csi-controller-sa"]
    }
  }
}
"#;
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let model = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks v5.60.0";
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir.path())
        .args(["lint", "--explain", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "irsalint: producer-owned policies (Terraform modules write them; not read):\n  main.tf:6:27: module.ebs_csi_irsa.aws_iam_role.this[0]: `attach_ebs_csi_policy` attaches the policy {model} writes (its contents are not read)\n"
        )),
        "{stderr}"
    );
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir.path())
        .args(["map", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!(
            "  ebs-csi\n    defined   main.tf:1:8\n    access    module policy `attach_ebs_csi_policy` ({model}; producer-owned, contents not read)\n"
        )),
        "{stdout}"
    );
    // Without the switch, nothing is listed.
    std::fs::write(
        dir.path().join("main.tf"),
        tf.replace(
            "attach_ebs_csi_policy = true",
            "attach_ebs_csi_policy = false",
        ),
    )
    .unwrap();
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir.path())
        .args(["lint", "--explain", "."])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stderr)
        .unwrap()
        .contains("producer-owned"));
}

/// A module builds its condition keys from its `provider_arn` input: the issuer is shown as
/// the expression written there, not cut out of the ARN at the wrong colon.
#[test]
fn a_module_issuer_is_shown_as_written_in_its_provider_arn() {
    let dir = tempfile::tempdir().unwrap();
    let tf = r#"module "irsa" {
  source = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"

  role_name = "app"
  oidc_providers = {
    main = {
      provider_arn               = "arn:aws:iam::111122223333:oidc-provider/${trimprefix(var.issuer, "https://")}"
      namespace_service_accounts = ["*:*"]
    }
  }
  assume_role_condition_test = "StringLike"
}
"#;
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let stdout = stdout_of(dir.path(), &["lint", "--format", "concise", "."]);
    assert!(
        stdout.contains("main.tf:8:37: T002 trust-broad-stringlike `system:serviceaccount:*:*` matches every service account in every namespace of the cluster with issuer `trimprefix(var.issuer, \"https://\")`\n"),
        "{stdout}"
    );
}

/// A policy written as an escaped JSON string in HCL (`"{\"Statement\": ...}"`, older
/// configurations) is read with each value at its own escaped text.
#[test]
fn a_policy_in_a_quoted_hcl_string_points_inside_the_string() {
    let dir = tempfile::tempdir().unwrap();
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"s3:*\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n}\n";
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let stdout = stdout_of(
        dir.path(),
        &[
            "lint",
            "--format",
            "concise",
            "--select",
            "perm-service-wildcard",
            ".",
        ],
    );
    let line = tf.lines().nth(2).unwrap();
    let col = line.find("\\\"s3:*\\\"").unwrap() + 1;
    assert!(
        stdout.starts_with(&format!(
            "main.tf:3:{col}: P002 perm-service-wildcard `s3:*`"
        )),
        "{stdout}"
    );
}

#[test]
fn a_policy_file_read_with_file_is_linted_once_as_the_resources_policy() {
    // Before: from the root's own directory the document was reported twice (as the bare
    // file and as `aws_iam_policy.exports`), and given by absolute path `path.module` was
    // not found among the inputs, so only the bare file's finding remained.
    let root = dir().join("terraform-file-read");
    // A policy file beside it that nothing reads is its own bare document, as before.
    let expected = [
        "policies/exports.json:6:18: P002 perm-service-wildcard `s3:*` in policy aws_iam_policy.exports allows every s3 action, including deletes and configuration changes",
        "policies/unread.json:6:17: P002 perm-service-wildcard `sqs:*` in policy policies/unread.json allows every sqs action, including deletes and configuration changes",
    ];
    assert_eq!(concise(&root, "."), expected);
    // A working directory beside the input, neither above nor below it, so that it is shown
    // by its absolute path (the clone may be anywhere, under the temp directory too).
    let elsewhere = dir().join("rules");
    let absolute = root.to_string_lossy().into_owned();
    assert_eq!(
        concise(&elsewhere, &absolute),
        [
            format!("{absolute}/{}", expected[0]),
            format!("{absolute}/{}", expected[1]).replace(
                "policy policies/unread.json",
                &format!("policy {absolute}/policies/unread.json")
            ),
        ]
    );
}

#[test]
fn a_policy_file_read_with_file_is_found_from_inside_the_root() {
    // From a subdirectory of the root, given as `..` (paths `../main.tf`, `path.module` `..`)
    // or by its absolute path (files under the working directory shown relative to it):
    // before, `file("${path.module}/policies/exports.json")` named no input either way.
    let root = dir().join("terraform-file-read");
    let inside = root.join("policies");
    let resources_policy = |lines: Vec<String>| {
        lines
            .into_iter()
            .filter(|l| l.contains("exports.json"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        resources_policy(concise(&inside, "..")),
        ["../policies/exports.json:6:18: P002 perm-service-wildcard `s3:*` in policy aws_iam_policy.exports allows every s3 action, including deletes and configuration changes"]
    );
    assert_eq!(
        resources_policy(concise(&inside, &root.to_string_lossy())),
        ["exports.json:6:18: P002 perm-service-wildcard `s3:*` in policy aws_iam_policy.exports allows every s3 action, including deletes and configuration changes"]
    );
}

#[test]
fn each_roots_references_name_its_own_resources() {
    // Two roots declare `aws_iam_role.app`, its inline policy and a ServiceAccount annotated
    // with `aws_iam_role.app.arn`. Before, each reference named both roots' roles: every
    // ServiceAccount was "not trusted" by the other root's role (two false errors) and each
    // inline policy was attached to the first role found.
    let findings = concise(&dir(), "terraform-roots");
    // Only prod's own typo (its trust admits app-prd), against prod's own role.
    assert_eq!(
        findings,
        ["terraform-roots/prod/main.tf:34:38: S001 sa-role-not-trusted role `aws_iam_role.app.arn` does not trust `system:serviceaccount:app-prod:app`: its trust policy only admits `system:serviceaccount:app-prd:app` (StringEquals)"]
    );
    let d = dir().join("terraform-roots");
    let inputs = load::load_paths(
        &[d.to_string_lossy().into_owned()],
        &dir(),
        &Limits::default(),
    )
    .unwrap();
    let config = Config::default();
    let world = World::build(&inputs, &config);
    let role = |name: &str| {
        world
            .roles
            .iter()
            .position(|r| r.name.as_ref().is_some_and(|n| n.value == name))
            .unwrap()
    };
    // Each root's policies are its own role's.
    for env in ["dev", "prod"] {
        let own: Vec<String> = world
            .policies
            .iter()
            .filter(|p| {
                p.kind == PolicyKind::Identity && p.source.role == Some(role(&format!("app-{env}")))
            })
            .map(|p| at(&inputs, p.source.node.span).0)
            .collect();
        // The inline policy and the attached aws_iam_policy, both from its own root.
        assert_eq!(own.len(), 2, "{env}: {own:?}");
        assert!(
            own.iter()
                .all(|p| p.starts_with(&format!("terraform-roots/{env}/main.tf:"))),
            "{own:?}"
        );
    }
}

#[test]
fn local_modules_are_judged_through_their_calls() {
    // `modules/irsa` is called four times (once through `modules/app`, twice per worker);
    // alone, with its defaults, it trusts `default:*` under StringEquals, which no call
    // configures: not reported. What a call passes wrong is reported where the caller's
    // ServiceAccount names the role the module creates for it; what the module writes
    // wrong, in the module.
    let findings = concise(&dir(), "terraform-modules");
    assert_eq!(
        findings,
        [
            "terraform-modules/envs/prod/main.tf:53:38: S001 sa-role-not-trusted role `module.billing_irsa.aws_iam_role.this.arn` does not trust `system:serviceaccount:billing:billing`: its trust policy only admits `system:serviceaccount:biling:billing` (StringEquals)",
            "terraform-modules/envs/prod/main.tf:78:38: S001 sa-role-not-trusted role `module.workers_irsa[\"export\"].aws_iam_role.this.arn` does not trust `system:serviceaccount:workers:export`: its trust policy only admits `system:serviceaccount:workers:exporter` (StringEquals)",
            // The scheme came with the URL the caller passes (the EKS module's output):
            // at the caller's argument, not at the module's `"${var.cluster_oidc_issuer_url}:sub"`.
            "terraform-modules/envs/prod/main.tf:99:29: T007 trust-key-has-scheme condition key `\"${var.cluster_oidc_issuer_url}:sub\"` has the scheme `https://`: `module.eks.cluster_oidc_issuer_url` is a URL that starts with `https://`, no request carries this key, and IAM names it without the scheme",
            "terraform-modules/envs/prod/main.tf:135:30: S001 sa-role-not-trusted role `module.addon_irsa[\"efs\"].iam_role_arn` does not trust `system:serviceaccount:kube-system:efs-csi-controller-sa`: its trust policy only admits `system:serviceaccount:kube-system:efs-csi-controller` (StringEquals)",
            // The association a module writes names, by reference, the same role as the
            // annotation it writes (links compare the root's file, not the module's).
            "terraform-modules/modules/app/main.tf:33:38: S012 sa-role-arn-with-pod-identity `system:serviceaccount:shop:shop` has both a role-arn annotation and a Pod Identity association (Terraform module.shop.aws_eks_pod_identity_association.this): the webhook injects container credentials and ignores the annotation, so the pods get the same role through the Pod Identity agent, and the annotation is dead configuration",
            "terraform-modules/modules/irsa-legacy/main.tf:31:7: T003 trust-missing-aud no `aud` condition: tokens of issuer `var.cluster_oidc_issuer_url` for any audience are accepted",
        ]
    );
    // Every ServiceAccount links to the role its call creates, the correct ones assumable.
    let map = stdout_of(&dir(), &["map", "terraform-modules"]);
    for (sa, role, verdict) in [
        ("reports", "reports", "ok assumable"),
        // Its module's association wins: the annotation's edge is never used.
        ("shop", "shop-app", "-- ignored (pod-identity)"),
        ("ingest", "worker-ingest", "ok assumable"),
        ("export", "worker-export", "NO not-trusted"),
        ("ebs-csi-controller-sa", "addon-ebs", "ok assumable"),
    ] {
        let at = map
            .find(&format!("  ServiceAccount {sa}\n"))
            .unwrap_or_else(|| panic!("{sa}: {map}"));
        let edge = map[at..].lines().nth(1).unwrap_or("");
        assert_eq!(edge.trim(), format!("irsa -> {role}"), "{sa}: {map}");
        let verdict_line = map[at..].lines().nth(2).unwrap_or("");
        assert!(verdict_line.contains(verdict), "{sa}: {verdict_line}");
    }
    // The module's roles are defined in the module, once per call instance.
    assert_eq!(
        map.matches("defined   terraform-modules/modules/irsa/main.tf:24:25")
            .count(),
        5
    );
}

#[test]
fn a_template_file_is_checked_as_rendered() {
    // The CNI role's template keys its `sub` value on `:aud` (KaushalRai12/DevOps): the
    // rendered trust has no `sub` condition, and requires an audience no token of the EKS
    // issuer carries. The EBS role's template is correct. The issuer is the provider's URL
    // (the cluster's) without its scheme, named by the trimprefix() that trims it, shown as
    // that expression as for a trust written in `.tf` (not as a `${…}` string).
    let findings = concise(&dir(), "terraform-template-file");
    assert_eq!(
        findings,
        [
            "terraform-template-file/templates/cni-role-policy.json.tpl:10:4: T001 trust-no-sub-condition no `sub` condition: any service account of the cluster with issuer `trimprefix(aws_eks_cluster.eks.identity[0].oidc[0].issuer, \"https://\")` can assume this role",
            "terraform-template-file/templates/cni-role-policy.json.tpl:12:28: T004 trust-wrong-aud `system:serviceaccount:kube-system:aws-node` is not an audience the tokens of issuer `trimprefix(aws_eks_cluster.eks.identity[0].oidc[0].issuer, \"https://\")` carry (in scope: `sts.amazonaws.com`)",
        ]
    );
}

#[test]
fn one_problem_in_a_module_is_one_finding_across_its_calls() {
    // `irsa/` is called twice with different issuers (zefir01/impersonalized's shape): its
    // missing `aud` was reported once per call, with each caller's issuer; it is one finding
    // naming both calls. `github-role/`'s one `ForAllValues` block has two wrong keys: two
    // problems, each found by both calls, so two findings, not one and not four.
    let findings = concise(&dir(), "terraform-module-instances");
    assert_eq!(
        findings,
        [
            "terraform-module-instances/github-role/main.tf:22:9: T011 trust-for-any-value-misuse `ForAllValues:StringEquals` on the single-valued claim `token.actions.githubusercontent.com:aud`: it is true when the key is absent, so a token without the claim (or of another issuer) passes (in 2 calls: module.deploy_role, module.docs_role)",
            "terraform-module-instances/github-role/main.tf:22:9: T011 trust-for-any-value-misuse `ForAllValues:StringEquals` on the single-valued claim `token.actions.githubusercontent.com:sub`: it is true when the key is absent, so a token without the claim (or of another issuer) passes (in 2 calls: module.deploy_role, module.docs_role)",
            "terraform-module-instances/irsa/main.tf:43:9: T003 trust-missing-aud no `aud` condition: tokens of issuer `oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE` for any audience are accepted (in 2 calls: module.crossplane_irsa, module.vault_irsa)",
        ]
    );
    // `--explain` shows each call's `module` block; the other caller's issuer is given with
    // its call, and its provider is evidence too.
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir())
        .args([
            "lint",
            "--explain",
            "--select",
            "trust-missing-aud",
            "terraform-module-instances",
        ])
        .env("COLUMNS", "400")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "terraform-module-instances/platform/main.tf:26:8 — called as module.crossplane_irsa",
        "terraform-module-instances/platform/main.tf:17:8 — called as module.vault_irsa: no `aud` condition: tokens of issuer `var.oidc_url` for any audience are accepted",
        "terraform-module-instances/platform/main.tf:32:20 — the OIDC provider this statement trusts",
        "terraform-module-instances/platform/main.tf:23:20 — the OIDC provider this statement trusts",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

#[test]
fn module_outputs_written_with_splats_one_and_try_link_to_their_role() {
    // A module with three roles, its outputs `one(aws_iam_role.x[*].arn)`,
    // `try(aws_iam_role.x[0].arn, "")` and `element(concat(aws_iam_role.x[*].arn, [""]), 0)`:
    // each annotation links to its own role, so the one whose trust names another
    // ServiceAccount is reported, and the others are assumable.
    let findings = concise(&dir(), "terraform-module-outputs");
    assert_eq!(
        findings,
        ["terraform-module-outputs/live/main.tf:25:38: S001 sa-role-not-trusted role `module.addon_roles.aws_iam_role.ebs_csi[0].arn` does not trust `system:serviceaccount:kube-system:ebs-csi-controller-sa`: its trust policy only admits `system:serviceaccount:kube-system:ebs-csi-controller` (StringEquals)"]
    );
    let map = stdout_of(&dir(), &["map", "terraform-module-outputs"]);
    for (sa, role, verdict) in [
        ("aws-node", "vpc-cni", "ok assumable"),
        ("ebs-csi-controller-sa", "ebs-csi", "NO not-trusted"),
        (
            "aws-load-balancer-controller",
            "aws-load-balancer-controller",
            "ok assumable",
        ),
    ] {
        let at = map
            .find(&format!("  ServiceAccount {sa}\n"))
            .unwrap_or_else(|| panic!("{sa}: {map}"));
        let mut lines = map[at..].lines().skip(1);
        assert_eq!(
            lines.next().unwrap_or("").trim(),
            format!("irsa -> {role}"),
            "{sa}: {map}"
        );
        assert!(lines.next().unwrap_or("").contains(verdict), "{sa}: {map}");
    }
    assert!(
        map.contains("links: 3 (2 assumable, 1 not-trusted, 0 unknown)"),
        "{map}"
    );
}

#[test]
fn helm_values_written_as_a_yaml_template_give_the_release_its_service_account() {
    // A `.yml.tpl` holding only Helm values (no `kind`) was not read, so the release's
    // ServiceAccount, and its role's trust naming another one, were never seen.
    let findings = concise(&dir(), "terraform-helm-values-template");
    assert_eq!(
        findings,
        ["terraform-helm-values-template/helm-values/aws-ebs-csi-driver.yml.tpl:7:35: S001 sa-role-not-trusted role `aws_iam_role.this.arn` does not trust `system:serviceaccount:kube-system:ebs-csi-controller`: its trust policy only admits `system:serviceaccount:kube-system:ebs-csi-controller-sa` (StringEquals)"]
    );
}

/// terraform-aws-modules/eks-pod-identity: correct setups as public repositories write them
/// stay silent under every rule, and each `associations` entry (its own keys or
/// `association_defaults`') is a Pod Identity association linked to the role the module
/// creates, named by its `name` when `use_name_prefix = false`.
#[test]
fn eks_pod_identity_module_associations_link_to_its_role() {
    assert_eq!(
        stdout_of(
            &dir(),
            &["lint", "--format", "concise", "terraform-pod-identity"]
        ),
        "0 errors, 0 warnings, 0 infos in 1 file (0 documents)\n"
    );
    let out = stdout_of(
        &dir(),
        &["map", "--format", "json", "terraform-pod-identity"],
    );
    let map: serde_json::Value = serde_json::from_str(&out).unwrap();
    let edges: Vec<_> = map["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let at = &e["location"];
            (
                e["service_account"].as_str().unwrap().to_string(),
                e["role"].as_str().unwrap().to_string(),
                e["mechanism"].as_str().unwrap().to_string(),
                e["verdict"].as_str().unwrap().to_string(),
                e["via"].as_str().unwrap().to_string(),
                format!("{}:{}", at["line"], at["column"]),
            )
        })
        .collect();
    let edge = |sa: &str, role: &str, via: &str, at: &str| {
        (
            sa.to_string(),
            role.to_string(),
            "pod-identity".to_string(),
            "assumable".to_string(),
            format!("Terraform {via}"),
            at.to_string(),
        )
    };
    assert_eq!(
        edges,
        [
            edge(
                "apps/docuseal",
                "prod-docuseal-pod-identity",
                "module.backend_pod_identity.aws_eks_pod_identity_association.this[\"docuseal\"]",
                "30:8"
            ),
            edge(
                "apps/docuseal-worker",
                "prod-docuseal-worker",
                "module.worker_pod_identity.aws_eks_pod_identity_association.this[\"worker\"]",
                "87:8"
            ),
            edge(
                "coder/coder",
                "module.coder_pod_identity.aws_iam_role.this[0]",
                "module.coder_pod_identity.aws_eks_pod_identity_association.this[\"coder\"]",
                "66:8"
            ),
            edge(
                "external-dns/external-dns",
                "module.external_dns_pod_identity.aws_iam_role.this[0]",
                "module.external_dns_pod_identity.aws_eks_pod_identity_association.this[\"external_dns\"]",
                "6:8"
            ),
        ]
    );
    // The user's policies are read: the custom policy from `source_policy_documents` and the
    // customer-managed one in `additional_policy_arns`; the switch's is producer-owned.
    let role = |id: &str| {
        map["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {out}"))["permissions"]
            .clone()
    };
    let services = |id: &str| {
        role(id)["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["service"].clone(), s["levels"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        services("prod-docuseal-pod-identity"),
        [(
            serde_json::json!("s3"),
            serde_json::json!(["Write", "Read"])
        )]
    );
    // The worker's role holds the custom policy `module.backend_pod_identity.iam_policy_arn`
    // returns (that call creates no other policy the output tries first).
    assert_eq!(
        services("prod-docuseal-worker"),
        [(
            serde_json::json!("s3"),
            serde_json::json!(["Write", "Read"])
        )]
    );
    assert_eq!(
        services("module.coder_pod_identity.aws_iam_role.this[0]"),
        [(serde_json::json!("s3"), serde_json::json!(["Read", "List"]))]
    );
    assert_eq!(
        role("module.external_dns_pod_identity.aws_iam_role.this[0]")["producer_policies"],
        serde_json::json!(["`attach_external_dns_policy` (terraform-aws-modules/eks-pod-identity/aws v1.12.1; producer-owned, contents not read)"])
    );
}

/// A `data "aws_iam_role"` looked up by name in one root links to the one role of that name
/// another root defines: `lint` judges the ServiceAccount against that role's trust, `map`
/// draws the edge with its verdict, and `--explain` says how each lookup was linked (or why
/// not: two roles of that name). A name only apply knows, that no role has, or that only a
/// role of another source has stays undecided.
#[test]
fn a_role_looked_up_by_name_links_to_the_role_of_that_name() {
    let d = dir().join("rules/sa-role-not-trusted");
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(&d)
        .args([
            "lint",
            "--explain",
            "--format",
            "concise",
            "--select",
            "sa-role-not-trusted",
            "terraform-role-lookup",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().next().unwrap(),
        "terraform-role-lookup/kubernetes/main.tf:23:38: S001 sa-role-not-trusted role `data.aws_iam_role.eso-e2e-irsa.arn` does not trust `system:serviceaccount:external-secrets-staging:external-secrets-e2e`: its trust policy only admits `system:serviceaccount:external-secrets:external-secrets-e2e` (StringEquals)"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lookups: Vec<&str> = stderr
        .split("irsalint: data \"aws_iam_role\" lookups by name:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("{stderr}"))
        .lines()
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(
        lookups,
        [
            "  terraform-role-lookup/kubernetes/main.tf:29:21: data.aws_iam_role.shared looks up the role named `shared-reader`: not linked: 2 roles of the inputs are named `shared-reader`",
            "  terraform-role-lookup/kubernetes/main.tf:2:21: data.aws_iam_role.eso-e2e-irsa looks up the role named `eso-e2e-irsa`: linked to role eso-e2e-irsa, the only role of the inputs named `eso-e2e-irsa`, at terraform-role-lookup/infrastructure/irsa.tf:33:25",
        ]
    );
    let out = stdout_of(&d, &["map", "--format", "json", "terraform-role-lookup"]);
    let map: serde_json::Value = serde_json::from_str(&out).unwrap();
    let edges: Vec<(String, String, String)> = map["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("service_account"), s("role"), s("verdict"))
        })
        .collect();
    let edge = |sa: &str, role: &str, verdict: &str| (sa.into(), role.into(), verdict.into());
    assert_eq!(
        edges,
        [
            edge(
                "elsewhere/other",
                "data.aws_iam_role.by_variable.arn",
                "unknown"
            ),
            edge(
                "external-secrets-staging/external-secrets-e2e",
                "eso-e2e-irsa",
                "not-trusted"
            ),
            edge(
                "external-secrets/external-secrets-e2e",
                "eso-e2e-irsa",
                "assumable"
            ),
            edge("other/other", "data.aws_iam_role.shared.arn", "unknown"),
            edge("outside/other", "data.aws_iam_role.outside.arn", "unknown"),
            // The only role of that name is CloudFormation's, not an `aws_iam_role`.
            edge(
                "reports-staging/reader",
                "data.aws_iam_role.reports.arn",
                "unknown"
            ),
        ]
    );
}

/// Role ARNs a conditional chooses (dex4er/terraform-eks-flux-demo's Pod Identity shape and
/// three simpler ones): a decided condition takes its branch; an undecided one whose other
/// branch selects a module instance that does not exist takes the branch that applies (HCL
/// reports only the taken branch's errors); two equal branches give that role; otherwise
/// the role stays unknown and `--explain` names the condition that decides it.
#[test]
fn conditional_role_arns_follow_the_branch_that_applies() {
    let out = stdout_of(
        &dir(),
        &["map", "--format", "json", "terraform-conditional-role"],
    );
    let map: serde_json::Value = serde_json::from_str(&out).unwrap();
    let edges: Vec<String> = map["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} -> {} ({}) at {}:{}",
                e["service_account"].as_str().unwrap(),
                e["role"].as_str().unwrap(),
                e["verdict"].as_str().unwrap(),
                e["location"]["line"],
                e["location"]["column"]
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            "audit/audit -> demo-reports (assumable) at 106:45",
            "billing/billing -> demo-shared (assumable) at 98:45",
            "kube-system/aws-load-balancer-controller -> demo-pod-aws-lb-controller (assumable) at 55:45",
            "reports/reports -> ${var.use_shared_role ? aws_iam_role.shared.arn : aws_iam_role.reports.arn} (unresolved) (unknown) at 90:45",
        ]
    );
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir())
        .args(["lint", "--explain", "terraform-conditional-role"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let undecided: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("irsalint: not decided"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(
        undecided,
        ["  terraform-conditional-role/main.tf:94:21: Terraform aws_eks_pod_identity_association.reports reports/reports: its role is `aws_iam_role.shared.arn` or `aws_iam_role.reports.arn` as `var.use_shared_role` decides, which is known only at apply time"]
    );
}

/// aws-ia/eks-blueprints-addon as eks-blueprints-addons calls it: the ServiceAccount each
/// add-on's chart creates is linked to the module's role through `set_irsa_names` (the edge
/// at that input), and the role's permissions are the documents passed as
/// `source_policy_documents` (a counted data source's `[*].json`, or a list of one).
#[test]
fn blueprints_addon_releases_link_their_service_accounts_and_roles_hold_their_documents() {
    let d = dir().join("rules/sa-role-not-trusted/good");
    let out = stdout_of(&d, &["map", "--format", "json", "blueprints-addon"]);
    let map: serde_json::Value = serde_json::from_str(&out).unwrap();
    let edges: Vec<_> = map["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let at = &e["location"];
            format!(
                "{} -> {} {} {} {}:{}",
                e["service_account"].as_str().unwrap(),
                e["role"].as_str().unwrap(),
                e["mechanism"].as_str().unwrap(),
                e["verdict"].as_str().unwrap(),
                at["line"],
                at["column"]
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            // `name = "cert-manager"`: the chart's fullname, in the release's namespace.
            "cert-manager/cert-manager -> module.cert_manager.aws_iam_role.this[0] irsa assumable 129:21",
            // `serviceAccount.name` set to `local.external_dns_service_account`.
            "external-dns/external-dns-sa -> module.external_dns.aws_iam_role.this[0] irsa assumable 71:27",
        ]
    );
    let services = |id: &str| {
        let role = map["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {out}"));
        role["permissions"]["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| format!("{} {} {}", s["service"], s["levels"], s["actions"]))
            .collect::<Vec<_>>()
    };
    // ChangeResourceRecordSets (Write), ListHostedZones and ListResourceRecordSets (List).
    assert_eq!(
        services("module.external_dns.aws_iam_role.this[0]"),
        ["\"route53\" [\"Write\",\"List\"] 3"]
    );
    // GetChange, ChangeResourceRecordSets, ListResourceRecordSets, ListHostedZonesByName.
    assert_eq!(
        services("module.cert_manager.aws_iam_role.this[0]"),
        ["\"route53\" [\"Write\",\"List\"] 4"]
    );
}

/// An eks-blueprints v4 `kubernetes-addons` call enabling add-ons irsalint follows (the EBS
/// CSI driver's EKS add-on among them) and another (metrics-server): `--explain` lists the
/// other, at its `enable_…` input, as not read (what it makes is unknown), and nothing about
/// the ones followed.
#[test]
fn explain_lists_the_blueprints_addons_not_read() {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir())
        .args([
            "lint",
            "--explain",
            "--format",
            "concise",
            "rules/perm-broad-managed-policy/bad/blueprints-addons",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let heading = "irsalint: module inputs not read (what they make is unknown):\n";
    let at = stderr.find(heading).expect(&stderr);
    let lines: Vec<&str> = stderr[at + heading.len()..]
        .lines()
        .take_while(|l| l.starts_with("  "))
        .collect();
    let file = "rules/perm-broad-managed-policy/bad/blueprints-addons/main.tf";
    let model = "aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons v4.32.1";
    let why = "not followed by the model: what it makes is unknown";
    assert_eq!(
        lines,
        [format!(
            "  {file}:12:3: module.kubernetes_addons: `enable_metrics_server`: {why} ({model})"
        )]
    );
}

/// An unknown's name that holds a `}` of its own (a `${…}` template inside the unknown
/// expression: `trimprefix(var.arn, "arn:aws:iam::${var.account}:oidc-provider/")` as a
/// `templatefile()` variable, a role `name = substr("${var.prefix}${var.cluster}-app", 0,
/// 64)`) is shown as written, in every output: each `}` a `}`, not the `)` the evaluator
/// held it as (AwesomeCICD/ceratf-module-helm-istio's issuer, bocan's role name).
#[test]
fn an_unknown_with_a_template_inside_is_shown_with_its_braces() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("trust.json.tpl"),
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": {\"Federated\": \"${oidc_provider_arn}\"},\n      \"Action\": \"sts:AssumeRoleWithWebIdentity\",\n      \"Condition\": {\n        \"StringEquals\": {\"${oidc_provider_name}:sub\": \"system:serviceaccount:cert-manager:r53\"}\n      }\n    }\n  ]\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("main.tf"),
        r#"variable "aws_account_no" {}
variable "oidc_provider_arn" {}
variable "prefix" {}
variable "cluster" {}

locals {
  oidc_provider_name = trimprefix(var.oidc_provider_arn, "arn:aws:iam::${var.aws_account_no}:oidc-provider/")
}

resource "aws_iam_role" "r53" {
  name = substr("${var.prefix}${var.cluster}-r53", 0, 64)
  assume_role_policy = templatefile("${path.module}/trust.json.tpl", {
    oidc_provider_arn  = var.oidc_provider_arn
    oidc_provider_name = local.oidc_provider_name
  })
}
"#,
    )
    .unwrap();
    let issuer =
        r#"trimprefix(var.oidc_provider_arn, "arn:aws:iam::${var.aws_account_no}:oidc-provider/")"#;
    assert_eq!(
        concise(d.path(), "."),
        [format!(
            "trust.json.tpl:8:7: T003 trust-missing-aud no `aud` condition: tokens of issuer `{issuer}` for any audience are accepted"
        )]
    );
    let json = stdout_of(d.path(), &["lint", "--format", "json", "."]);
    let escaped = issuer.replace('"', "\\\"");
    assert!(json.contains(&escaped), "{json}");
    let sarif = stdout_of(d.path(), &["lint", "--format", "sarif", "."]);
    assert!(sarif.contains(&escaped), "{sarif}");
    let role = r#"${substr("${var.prefix}${var.cluster}-r53", 0, 64)}"#;
    let map = stdout_of(d.path(), &["map", "."]);
    assert!(map.contains(&format!("\n  {role} (1 finding)\n")), "{map}");
    let map = stdout_of(d.path(), &["map", "--format", "json", "."]);
    assert!(map.contains(&role.replace('"', "\\\"")), "{map}");
    // The library's findings too, for a caller of `lint()`.
    let inputs = load::load_paths(
        &[d.path().to_string_lossy().into_owned()],
        d.path(),
        &Limits::default(),
    )
    .unwrap();
    let report = irsalint::lint(&inputs, &Config::default(), &irsalint::Selection::default());
    assert!(
        report.diagnostics[0].message.contains(issuer),
        "{:?}",
        report.diagnostics[0].message
    );
    assert!(report
        .diagnostics
        .iter()
        .all(|d| !format!("{d:?}").contains('\u{E07D}')));
}

/// A call of a module irsalint neither models nor finds on disk (terraform-aws-modules/eks,
/// a company's git module, a registry module of a modelled family's other path) is not
/// looked into: `--explain` lists each call once, at its `source`, with the version asked
/// for, also when it sits in a local module called twice. Local calls, modelled modules and
/// a `terragrunt.hcl`'s call (listed with the Terragrunt files) are not in the list.
#[test]
fn explain_names_the_remote_modules_it_does_not_model() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    std::fs::create_dir_all(root.join("modules/net")).unwrap();
    std::fs::create_dir_all(root.join("live")).unwrap();
    std::fs::write(
        root.join("main.tf"),
        r#"module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"
  enable_irsa = true
}

module "ebs_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.39.0"
  role_name = "ebs"
  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:ebs-csi-controller-sa"]
    }
  }
}

module "net" {
  for_each = toset(["a", "b"])
  source   = "./modules/net"
}

module "lambda" {
  source = "git::https://example.com/org/tf-lambda.git?ref=v1.2.0"
}
"#,
    )
    .unwrap();
    std::fs::write(
        root.join("modules/net/main.tf"),
        "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("live/terragrunt.hcl"),
        "terraform {\n  source = \"tfr:///terraform-aws-modules/s3-bucket/aws?version=4.0.0\"\n}\ninputs = {}\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(root)
        .args(["lint", "--explain", "--format", "concise", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let heading = "irsalint: modules not read (irsalint models none of them: the roles, policies and ServiceAccounts they make are unknown):\n";
    let at = stderr.find(heading).expect(&stderr);
    let lines: Vec<&str> = stderr[at + heading.len()..]
        .lines()
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(
        lines,
        [
            "  main.tf:2:13: module.eks: `terraform-aws-modules/eks/aws` version `~> 20.0` (only its add-ons' roles are read)",
            "  main.tf:25:12: module.lambda: `git::https://example.com/org/tf-lambda.git?ref=v1.2.0`",
            "  modules/net/main.tf:2:12: module.net[\"a\"].module.vpc: `terraform-aws-modules/vpc/aws`",
        ],
        "{stderr}"
    );
    assert!(stderr.contains("Terragrunt modules not read"), "{stderr}");
    // Without --explain, nothing of it.
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(root)
        .args(["lint", "--format", "concise", "."])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stderr)
        .unwrap()
        .contains("modules not read"));
}

/// The add-ons of a terraform-aws-modules/eks call (v20 `cluster_addons`, v21 `addons`) are
/// the `aws_eks_addon`s the module creates: a role given by `service_account_role_arn`
/// annotates the add-on's ServiceAccount, so a role whose trust admits another account is
/// found (here the EBS CSI controller given a role for the node's account), at the value
/// the user wrote; a v21 `pod_identity_association` is the add-on's association. Before,
/// only `source` and `version` of such a call were read.
#[test]
fn the_add_ons_of_an_eks_module_call_get_their_roles() {
    let d = tempfile::tempdir().unwrap();
    let trust = |sa: &str| {
        format!(
            "jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect = \"Allow\"\n      Action = \"sts:AssumeRoleWithWebIdentity\"\n      Principal = {{ Federated = \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789\" }}\n      Condition = {{ StringEquals = {{\n        \"oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789:sub\" = \"system:serviceaccount:kube-system:{sa}\"\n        \"oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789:aud\" = \"sts.amazonaws.com\"\n      }} }}\n    }}]\n  }})"
        )
    };
    std::fs::create_dir_all(d.path().join("v20")).unwrap();
    std::fs::create_dir_all(d.path().join("v21")).unwrap();
    std::fs::write(
        d.path().join("v20/main.tf"),
        format!(
            r#"module "eks" {{
  source          = "terraform-aws-modules/eks/aws"
  version         = "~> 20.0"
  cluster_name    = "shop"
  cluster_version = "1.30"
  enable_irsa     = true
  cluster_addons = {{
    coredns = {{}}
    aws-ebs-csi-driver = {{
      service_account_role_arn = aws_iam_role.ebs_csi.arn
    }}
    vpc-cni = {{
      before_compute           = true
      service_account_role_arn = aws_iam_role.cni.arn
    }}
  }}
}}

resource "aws_iam_role" "ebs_csi" {{
  name               = "ebs-csi"
  assume_role_policy = {}
}}

resource "aws_iam_role" "cni" {{
  name               = "cni"
  assume_role_policy = {}
}}
"#,
            trust("ebs-csi-node-sa"),
            trust("aws-node")
        ),
    )
    .unwrap();
    std::fs::write(
        d.path().join("v21/main.tf"),
        r#"module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.2.0"
  name    = "shop"
  addons = {
    aws-ebs-csi-driver = {
      pod_identity_association = [{
        role_arn        = aws_iam_role.ebs.arn
        service_account = "ebs-csi-controller-sa"
      }]
    }
  }
}

resource "aws_iam_role" "ebs" {
  name = "ebs-pod-identity"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["sts:AssumeRole", "sts:TagSession"], Principal = { Service = "pods.eks.amazonaws.com" } }]
  })
}
"#,
    )
    .unwrap();
    assert_eq!(
        concise(d.path(), "v20"),
        ["v20/main.tf:10:34: S001 sa-role-not-trusted role `aws_iam_role.ebs_csi.arn` does not trust `system:serviceaccount:kube-system:ebs-csi-controller-sa`: its trust policy only admits `system:serviceaccount:kube-system:ebs-csi-node-sa` (StringEquals)"]
    );
    // The vpc-cni add-on's role admits its account: linked, assumable.
    let map = stdout_of(d.path(), &["map", "v20"]);
    assert!(
        map.contains("  ServiceAccount aws-node\n    irsa -> cni\n       ok assumable"),
        "{map}"
    );
    assert!(concise(d.path(), "v21").is_empty());
    let map = stdout_of(d.path(), &["map", "v21"]);
    assert!(
        map.contains("  ServiceAccount ebs-csi-controller-sa (not in the inputs)\n    pod-identity -> ebs-pod-identity\n       ok assumable"),
        "{map}"
    );
}

/// A plain `.tpl` shell script that writes a manifest with a heredoc, rendered by
/// `templatefile()` for a provisioner (yevgenis-shapiro/aws-n8n-workflow-orchestration
/// modules/bastion-prep/create_suite_pv.tpl@fdaaeec, trimmed): not a YAML input, so no parse
/// error; beside it, a plain `.tpl` IAM policy `file()` reads is the policy's text, and its
/// findings point into it.
#[test]
fn plain_tpl_scripts_are_not_read_and_plain_tpl_policies_are() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("create_suite_pv.tpl"),
        "EFS_HOST=${efs_dns}\nSUITE_VOLS=$${2:-vol0,vol1}\n\nfor VOL in $${SUITE_VOLS//,/ }; do\n    cat >> suite-pv.yaml<<EOL\napiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: $VOL\nspec:\n  nfs:\n    server: $EFS_HOST\n---\nEOL\ndone\n",
    )
    .unwrap();
    std::fs::write(
        d.join("lbc-policy.tpl"),
        "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Effect\": \"Allow\",\n            \"Action\": \"ec2:CreateSecurityGroup\",\n            \"Resource\": \"*\"\n        }\n    ]\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("main.tf"),
        "resource \"null_resource\" \"pv\" {\n  provisioner \"file\" {\n    content     = templatefile(\"${path.module}/create_suite_pv.tpl\", { efs_dns = \"fs-1.efs.amazonaws.com\" })\n    destination = \"/home/ec2-user/create_suite_pv.sh\"\n  }\n}\n\nresource \"aws_iam_policy\" \"lbc-policy\" {\n  name   = \"itom-AWSLoadBalancerControllerIAMPolicy\"\n  policy = file(\"${path.module}/lbc-policy.tpl\")\n}\n",
    )
    .unwrap();
    assert_eq!(
        concise(d, "."),
        // At the action (`"ec2:CreateSecurityGroup"` starts at column 23).
        ["lbc-policy.tpl:6:23: P003 perm-write-on-star-resource policy aws_iam_policy.lbc-policy allows 1 resource-scopable Write/Permissions-management action on every resource: ec2:CreateSecurityGroup"]
    );
}

/// ministryofjustice/analytical-platform-airflow@f4b4245 terraform/modules/airflow (trimmed):
/// the ServiceAccount's role-arn is `try(module.iam_role[0].iam_role_arn, <external role>)`,
/// with `module.iam_role` created once. `try` returns its first argument that evaluates
/// without an error: here the module's role, as the bare reference would give.
#[test]
fn try_of_a_created_module_instance_names_its_role() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("main.tf"),
        "module \"iam_role\" {\n  count   = 1\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n  version = \"5.59.0\"\n\n  role_name = \"airflow-dev-project-workflow\"\n\n  oidc_providers = {\n    main = {\n      provider_arn               = \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-2.amazonaws.com/id/ABC\"\n      namespace_service_accounts = [\"mwaa:project-workflow\"]\n    }\n  }\n}\n\nresource \"kubernetes_service_account_v1\" \"this\" {\n  metadata {\n    namespace = \"mwaa\"\n    name      = \"project-workflow\"\n    annotations = {\n      \"eks.amazonaws.com/role-arn\" = try(module.iam_role[0].iam_role_arn, \"\")\n    }\n  }\n}\n",
    )
    .unwrap();
    let map = stdout_of(d, &["map"]);
    assert!(
        map.contains("irsa -> airflow-dev-project-workflow\n       ok assumable"),
        "{map}"
    );
}
