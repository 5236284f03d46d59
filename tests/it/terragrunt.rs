//! Terragrunt (`terragrunt.hcl`, issue #13): each file one module call whose `inputs` are the
//! arguments; the binary is spawned on `testdata/terragrunt`, whose expected findings are
//! stated here by hand.

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;

fn run(args: &[&str]) -> (String, String) {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn findings_are_at_the_inputs_written_in_terragrunt_hcl() {
    let (stdout, _) = run(&["lint", "--format", "concise", "terragrunt"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            // A local source (`${get_terragrunt_dir()}/../../../modules//irsa`): the module's
            // `StringEquals` template is given `service_account = "*"` by the input.
            "terragrunt/live/prod/app/terragrunt.hcl:19:23: T005 trust-wildcard-in-stringequals `system:serviceaccount:payments:*` is compared literally under `StringEquals`: no service account matches it",
            // Bad HCL is a finding at its position (the `}` where `]` belongs); the rest is linted.
            "terragrunt/live/prod/broken/terragrunt.hcl:11:5: E001 parse-error HCL: expected `]`",
            // A `tfr:///` source of iam-role-for-service-accounts-eks v5: its default
            // `StringEquals` with `namespace_service_accounts = ["team:*"]`, at the input.
            "terragrunt/live/prod/irsa-wildcard/terragrunt.hcl:22:37: T005 trust-wildcard-in-stringequals `system:serviceaccount:team:*` is compared literally under `StringEquals`: no service account matches it",
            // Silent: irsa-ok (`StringLike`, a `git::` source), irsa-dependency (the provider
            // is a dependency's output), eks and merged (not read), worker (its inputs set
            // the variable whose default is `*`), team-reports (sub and aud pinned), the
            // `.terragrunt-cache` copy and the `.hcl` files other than terragrunt.hcl (not
            // inputs: 9 terragrunt.hcl, 3 .tf, 1 YAML).
            "3 errors, 0 warnings, 0 infos in 13 files (1 document)",
        ],
        "{stdout}"
    );
}

#[test]
fn explain_names_dependency_outputs_and_the_modules_not_read() {
    let (_, stderr) = run(&["lint", "--explain", "--format", "concise", "terragrunt"]);
    // The mock output would decide the trust; the dependency's real output is unknown.
    assert!(
        stderr.contains("  terragrunt/k8s/shop-api-sa.yaml:7:33: ServiceAccount shop/api -> shop-api: whether its trust admits `system:serviceaccount:shop:api` depends on `dependency.eks.outputs.oidc_provider_arn`"),
        "{stderr}"
    );
    let heading = "irsalint: Terragrunt modules not read (what they make is unknown):\n";
    let at = stderr.find(heading).expect(&stderr);
    let lines: Vec<&str> = stderr[at + heading.len()..]
        .lines()
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(
        lines,
        [
            "  terragrunt/live/prod/eks/terragrunt.hcl: module source `git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.8.4` is not one irsalint models",
            "  terragrunt/live/prod/merged/terragrunt.hcl: `inputs` is not an object written in the file, so the module's arguments are unknown",
        ],
        "{stderr}"
    );
    // A local source whose directory is outside the inputs is a local module not read.
    let (_, stderr) = run(&[
        "lint",
        "--explain",
        "--format",
        "concise",
        "terragrunt/live/prod/app",
    ]);
    assert!(
        stderr.contains("  terragrunt/live/prod/app/terragrunt.hcl: module source `./../../../modules/irsa` holds no input file"),
        "{stderr}"
    );
}

#[test]
fn the_map_has_the_roles_terragrunt_calls_make_and_links_them() {
    let (stdout, _) = run(&["map", "terragrunt"]);
    let lines: Vec<&str> = stdout.lines().map(str::trim_end).collect();
    for expected in [
        // The ServiceAccount links to the role the module makes, by its ARN; whether the
        // trust admits it waits for the dependency's output.
        "    irsa -> shop-api",
        "       ?? unknown (undecided) at terragrunt/k8s/shop-api-sa.yaml:7:33",
        // Each generated role is defined at the call's source.
        "    defined   terragrunt/live/prod/irsa-dependency/terragrunt.hcl:10:12",
        "    defined   terragrunt/live/prod/irsa-wildcard/terragrunt.hcl:7:12",
        "    and       any ServiceAccount matching `system:serviceaccount:team:web-*` (StringLike) at terragrunt/live/prod/irsa-ok/terragrunt.hcl:15:37",
        // The local module's role, through the call.
        "  payments-app",
        // A unit whose role is named `basename(get_terragrunt_dir())`: its directory's name.
        "  team-reports",
        "    defined   terragrunt/live/prod/team-reports/terragrunt.hcl:4:12",
    ] {
        assert!(lines.contains(&expected), "{expected}\n{stdout}");
    }
}

/// `inputs` is an object constructor: a key written twice is no error in HCL, the later
/// value wins (hashicorp/terraform#28727). Read as the module call's arguments, the two
/// were a redefined attribute, and `lint` reported a parse error the file does not have
/// (vieer-dwivedi/Secure-Infra-AWS-K8s: `enable_nat_gateway` twice in a vpc unit). The
/// later value is the argument: here its `namespace_service_accounts` wildcard under the
/// module's `StringEquals` is found at the later key, and the earlier one is not read.
#[test]
fn an_input_written_twice_is_its_later_value_not_a_parse_error() {
    let d = tempfile::tempdir().unwrap();
    let unit = d.path().join("live/irsa");
    std::fs::create_dir_all(&unit).unwrap();
    std::fs::write(
        unit.join("terragrunt.hcl"),
        r#"terraform {
  source = "tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.39.0"
}

inputs = {
  role_name = "team-workers"
  oidc_providers = {
    main = {
      provider_arn               = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
      namespace_service_accounts = ["team:api"]
    }
  }
  oidc_providers = {
    main = {
      provider_arn               = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
      namespace_service_accounts = ["team:*"]
    }
  }
}
"#,
    )
    .unwrap();
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(d.path())
        .args(["lint", "--format", "concise", "live"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "live/irsa/terragrunt.hcl:16:37: T005 trust-wildcard-in-stringequals `system:serviceaccount:team:*` is compared literally under `StringEquals`: no service account matches it\n\
         1 error, 0 warnings, 0 infos in 1 file (0 documents)\n"
    );
}

/// Every Terragrunt unit is one `module "terragrunt"` call, so two units of the same module
/// make roles of one address (`module.terragrunt.aws_iam_role.this[0]`): the policy a unit's
/// `attach_*_policy` switch makes the module write belongs to that unit's role alone. The
/// shape of bee7ch7/eks-setups@58c28e96 (environments/eu-central-1/dev/eks/iam/lb and
/// iam/external-dns), where `map` listed the external-dns policy on the load balancer
/// controller's role and none on external-dns's, and `--explain` named one address for both.
#[test]
fn each_unit_s_module_written_policy_is_on_its_own_role() {
    let d = tempfile::tempdir().unwrap();
    let unit = |dir: &str, name: &str, switch: &str, sa: &str| {
        let dir = d.path().join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "terraform {{\n  source = \"tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.60.0\"\n}}\n\ndependency \"eks\" {{\n  config_path = \"../../first\"\n}}\n\ninputs = {{\n  role_name = \"{name}\"\n  {switch} = true\n\n  oidc_providers = {{\n    ex = {{\n      provider_arn               = dependency.eks.outputs.oidc_provider_arn\n      namespace_service_accounts = [\"kube-system:{sa}\"]\n    }}\n  }}\n}}\n"
        );
        std::fs::write(dir.join("terragrunt.hcl"), text).unwrap();
    };
    unit(
        "iam/lb",
        "aws-load-balancer-controller",
        "attach_load_balancer_controller_policy",
        "aws-load-balancer-controller",
    );
    unit(
        "iam/external-dns",
        "external-dns",
        "attach_external_dns_policy",
        "external-dns",
    );
    let model = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks v5.60.0";
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(d.path())
        .args(["map", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!(
            "  aws-load-balancer-controller\n    defined   iam/lb/terragrunt.hcl:2:12\n    access    module policy `attach_load_balancer_controller_policy` ({model}; producer-owned, contents not read)\n  external-dns\n    defined   iam/external-dns/terragrunt.hcl:2:12\n    access    module policy `attach_external_dns_policy` ({model}; producer-owned, contents not read)\n"
        )),
        "{stdout}"
    );
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(d.path())
        .args(["lint", "--explain", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "irsalint: producer-owned policies (Terraform modules write them; not read):\n  iam/external-dns/terragrunt.hcl:11:32: module.terragrunt.aws_iam_role.this[0]: `attach_external_dns_policy` attaches the policy {model} writes (its contents are not read)\n  iam/lb/terragrunt.hcl:11:44: module.terragrunt.aws_iam_role.this[0]: `attach_load_balancer_controller_policy` attaches the policy {model} writes (its contents are not read)\n"
        )),
        "{stderr}"
    );
}

/// A unit's `dependency "x" { config_path = "../iam/external-dns" }` names the unit whose
/// outputs `dependency.x.outputs.iam_role_arn` reads: the role that unit's modelled module
/// generates. bee7ch7/eks-setups@58c28e96 (eks/externa-dns/terragrunt.hcl:40:33 and
/// eks/lb_controller/terragrunt.hcl:54:15) annotates its ServiceAccounts so, and `map` shows
/// the role as not in the inputs although the unit ../iam/external-dns makes it.
#[test]
fn a_dependency_output_names_the_role_its_unit_makes() {
    let d = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let p = d.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "iam/external-dns/terragrunt.hcl",
        "terraform {\n  source = \"tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.60.0\"\n}\n\ndependency \"eks\" {\n  config_path = \"../../first\"\n}\n\ninputs = {\n  role_name = \"external-dns\"\n  oidc_providers = {\n    ex = {\n      provider_arn               = dependency.eks.outputs.oidc_provider_arn\n      namespace_service_accounts = [\"kube-system:external-dns\"]\n    }\n  }\n}\n",
    );
    write(
        "modules/sa/main.tf",
        "variable \"role_arn\" {}\n\nresource \"kubernetes_service_account_v1\" \"this\" {\n  metadata {\n    name        = \"external-dns\"\n    namespace   = \"kube-system\"\n    annotations = { \"eks.amazonaws.com/role-arn\" = var.role_arn }\n  }\n}\n",
    );
    write(
        "external-dns/terragrunt.hcl",
        "terraform {\n  source = \"../modules//sa\"\n}\n\ndependency \"role\" {\n  config_path = \"../iam/external-dns\"\n}\n\ninputs = {\n  role_arn = dependency.role.outputs.iam_role_arn\n}\n",
    );
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(d.path())
        .args(["map", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The provider is the cluster unit's output, not in the inputs: undecided, but the role
    // is the one ../iam/external-dns makes.
    assert!(
        stdout.contains("  ServiceAccount external-dns\n    irsa -> external-dns\n       ?? unknown (undecided)"),
        "{stdout}"
    );
}
