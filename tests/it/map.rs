//! `irsalint map`: spawns the binary on examples/ and testdata/map (every mechanism, one
//! unreadable file), as users and CI do. Expectations are written by hand.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn irsalint() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("irsalint");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR").env("COLUMNS", "100");
    c
}

fn stdout(args: &[&str]) -> String {
    let out = irsalint().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&stdout(&a)).expect("one JSON object")
}

/// `id verdict [reasons] at file:line:column` of every edge.
fn edges(v: &Value) -> Vec<String> {
    v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let reasons: Vec<&str> = e["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            format!(
                "{} {} [{}] at {}:{}:{}",
                e["id"].as_str().unwrap(),
                e["verdict"].as_str().unwrap(),
                reasons.join(","),
                e["location"]["file"].as_str().unwrap(),
                e["location"]["line"],
                e["location"]["column"]
            )
        })
        .collect()
}

#[test]
fn json_of_every_mechanism() {
    let v = json(&["map", "testdata/map"]);
    assert_eq!(v["version"], 1);
    assert_eq!(
        edges(&v),
        [
            "ext/draft -> arn:aws:iam::${ACCOUNT_ID}:role/draft (irsa) unknown [placeholder] at testdata/map/k8s.yaml:43:33",
            "ext/sync -> arn:aws:iam::444455556666:role/partner-sync (irsa) unknown [not-in-inputs] at testdata/map/k8s.yaml:35:33",
            "orders/checkout -> orders (pod-identity) assumable [] at testdata/map/cluster.yaml:9:27",
            "orders/legacy -> orders-legacy (pod-identity) not-trusted [principal] at testdata/map/cluster.yaml:12:27",
            "team-a/api -> team-apps (irsa) assumable [default-audience] at testdata/map/k8s.yaml:9:33",
        ]
    );
    let s = &v["summary"];
    assert_eq!(
        (
            &s["edges"],
            &s["assumable"],
            &s["not_trusted"],
            &s["unknown"]
        ),
        (
            &Value::from(5),
            &Value::from(2),
            &Value::from(1),
            &Value::from(2)
        )
    );
    // The broken file is left out and counted, the rest is mapped.
    assert_eq!(
        v["unreadable"],
        serde_json::json!([{"file": "testdata/map/broken.yaml", "findings": 1}])
    );
    let role = v["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "team-apps")
        .unwrap();
    // team-b/worker has no annotation, but the namespace pattern lets it in too.
    assert_eq!(
        role["admits"],
        serde_json::json!(["team-a/api", "team-b/worker"])
    );
    assert_eq!(
        role["patterns"][0]["value"],
        "system:serviceaccount:team-*:*"
    );
    assert_eq!(role["patterns"][0]["operator"], "StringLike");
    assert_eq!(role["patterns"][0]["location"]["line"], 18);
    let services = &role["permissions"]["services"];
    assert_eq!(services[0]["service"], "iam");
    assert_eq!(services[0]["privilege_escalation"], true);
    assert_eq!(services[1]["service"], "s3");
    assert_eq!(services[1]["levels"], serde_json::json!(["Write", "Read"]));
    assert_eq!(services[1]["star_resource"], true);
    assert_eq!(services[1]["privilege_escalation"], false);
    // perm-write-on-star-resource, perm-data-read-star, perm-privilege-escalation and
    // trust-namespace-wildcard are all in the role's template.
    assert_eq!(role["findings"], 4);
}

#[test]
fn table_is_grouped_by_namespace() {
    let out = stdout(&["map", "examples"]);
    let namespaces: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("namespace "))
        .collect();
    assert_eq!(
        namespaces,
        ["billing", "kube-system", "payments", "reports"]
    );
    assert!(
        out.starts_with(
            "irsalint map: 6 files, 4 workloads, 4 ServiceAccounts, 3 roles, 4 findings\n\
             links: 3 (1 assumable, 2 not-trusted, 0 unknown)\n"
        ),
        "{out}"
    );
    assert!(out.contains(
        "  ServiceAccount invoice-export (1 finding)\n    used by CronJob/invoice-export [export]\n    irsa -> arn:aws:iam::111122223333:role/invoice-export\n       NO not-trusted (sub) at examples/k8s/serviceaccounts.yaml:8:33\n"
    ), "{out}");
    assert!(out.contains("    and       any ServiceAccount (no `sub` condition) at examples/cfn/report-builder.yaml:18:13\n"));
    // Fits a terminal: messages are wrapped at 100 columns; only an ARN may be longer.
    for l in out.lines() {
        assert!(l.chars().count() <= 100 || l.contains("arn:aws:"), "{l}");
    }
}

#[test]
fn queries() {
    let v = json(&["map", "examples", "--only-broken"]);
    assert_eq!(v["summary"]["edges"], 2);
    assert!(edges(&v).iter().all(|e| e.contains(" not-trusted ")));

    let v = json(&[
        "map",
        "examples",
        "--role",
        "arn:aws:iam::111122223333:role/invoice-export",
    ]);
    assert_eq!(
        edges(&v),
        ["billing/invoice-export -> arn:aws:iam::111122223333:role/invoice-export (irsa) not-trusted [sub] at examples/k8s/serviceaccounts.yaml:8:33"]
    );
    let v = json(&["map", "testdata/map", "--sa", "orders/checkout"]);
    assert_eq!(v["summary"]["edges"], 1);
    assert_eq!(v["workloads"][0]["name"], "checkout");
    assert_eq!(v["roles"][0]["id"], "orders");

    let v = json(&["map", "testdata/map", "--namespace", "ext"]);
    assert_eq!(v["summary"]["service_accounts"], 2);
    assert_eq!(v["summary"]["edges"], 2);

    irsalint()
        .args(["map", "examples", "--sa", "invoice-export"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--sa takes NAMESPACE/NAME"));
}

#[test]
fn output_is_deterministic_and_independent_of_argument_order() {
    for format in ["table", "json", "dot", "mermaid"] {
        let a = stdout(&["map", "testdata/map", "examples", "--format", format]);
        let b = stdout(&["map", "examples", "testdata/map", "--format", format]);
        assert_eq!(a, b, "{format}");
        assert_eq!(
            a,
            stdout(&["map", "testdata/map", "examples", "--format", format])
        );
    }
}

#[test]
fn dot_styles_edges_by_verdict() {
    let out = stdout(&["map", "testdata/map", "--format", "dot"]);
    assert!(out.starts_with("digraph irsalint_map {\n") && out.ends_with("}\n"));
    assert!(out.contains(
        "  \"sa:orders/legacy\" -> \"role:orders-legacy\" [label=\"pod-identity\\nnot-trusted: principal\", color=\"#c62828\", fontcolor=\"#c62828\", style=bold, penwidth=2];\n"
    ), "{out}");
    assert!(out.contains("  \"sa:ext/sync\" -> \"role:arn:aws:iam::444455556666:role/partner-sync\" [label=\"irsa\\nunknown: not-in-inputs\", color=\"#ef6c00\", fontcolor=\"#ef6c00\", style=dashed];\n"));
    assert!(out.contains("⚠ 4 findings"));
    // With Graphviz installed, the real parser accepts it.
    if let Ok(mut child) = std::process::Command::new("dot")
        .args(["-Tsvg", "-o", "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(out.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "dot rejects the output");
    }
}

/// A check of the mermaid flowchart subset the map writes (mermaid's own parser needs a DOM:
/// `scripts/check-map-formats` runs it under jsdom): every line is one of the statements
/// below, ids are alphanumeric, labels carry no raw `"`, subgraphs are closed, every
/// `linkStyle` index names an existing link and every edge joins declared nodes.
fn check_mermaid(text: &str) -> Result<(), String> {
    let mut lines = text.lines();
    if lines.next() != Some("flowchart LR") {
        return Err("must start with `flowchart LR`".into());
    }
    let id_ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    let label_ok = |s: &str| !s.contains('"');
    let mut nodes = std::collections::HashSet::new();
    let (mut links, mut depth) = (0usize, 0i32);
    for l in lines {
        let t = l.trim();
        if let Some(rest) = t.strip_prefix("subgraph ") {
            let (id, label) = rest.split_once("[\"").ok_or(format!("subgraph: {t}"))?;
            let label = label.strip_suffix("\"]").ok_or(format!("subgraph: {t}"))?;
            if !id_ok(id) || !label_ok(label) {
                return Err(format!("subgraph: {t}"));
            }
            depth += 1;
        } else if t == "end" {
            depth -= 1;
        } else if let Some(rest) = t.strip_prefix("linkStyle ") {
            let (i, _) = rest.split_once(' ').ok_or(format!("linkStyle: {t}"))?;
            if i.parse::<usize>().map_err(|e| e.to_string())? >= links {
                return Err(format!("linkStyle names no link: {t}"));
            }
        } else if t.starts_with("classDef ") || t.starts_with("class ") {
        } else if let Some((from, rest)) = t
            .split_once(' ')
            .filter(|(first, _)| !first.contains(['[', '(']))
        {
            let (arrow, rest) = rest.split_once(' ').ok_or(format!("edge: {t}"))?;
            let (arrow, to) = match arrow.split_once('|') {
                Some((a, label)) => {
                    let label = label.strip_prefix('"').ok_or(format!("edge label: {t}"))?;
                    let (label, to) = if let Some((l, _)) = label.split_once("\"|") {
                        (l, rest)
                    } else {
                        let (l, _) = rest.split_once("\"|").ok_or(format!("edge label: {t}"))?;
                        (l, rest.rsplit(' ').next().unwrap_or(""))
                    };
                    if !label_ok(label) {
                        return Err(format!("edge label: {t}"));
                    }
                    (a, to)
                }
                None => (arrow, rest),
            };
            if !["-->", "==>", "-.->"].contains(&arrow) {
                return Err(format!("arrow: {t}"));
            }
            let to = to.rsplit(' ').next().unwrap_or(to);
            if !nodes.contains(from) || !nodes.contains(to) {
                return Err(format!("edge between undeclared nodes: {t}"));
            }
            links += 1;
        } else {
            // A node: id["label"] or id(["label"]).
            let (id, shape) = t.split_at(t.find(['[', '(']).ok_or(format!("node: {t}"))?);
            let label = shape
                .strip_prefix("[\"")
                .and_then(|s| s.strip_suffix("\"]"))
                .or_else(|| {
                    shape
                        .strip_prefix("([\"")
                        .and_then(|s| s.strip_suffix("\"])"))
                })
                .ok_or(format!("node shape: {t}"))?;
            if !id_ok(id) || !label_ok(label) {
                return Err(format!("node: {t}"));
            }
            nodes.insert(id.to_string());
        }
        if depth < 0 {
            return Err("`end` without `subgraph`".into());
        }
    }
    if depth != 0 {
        return Err("unclosed subgraph".into());
    }
    Ok(())
}

#[test]
fn mermaid_follows_the_grammar() {
    for dir in ["examples", "testdata/map", "testdata/world"] {
        let out = stdout(&["map", dir, "--format", "mermaid"]);
        check_mermaid(&out).unwrap_or_else(|e| panic!("{dir}: {e}\n{out}"));
    }
    let out = stdout(&["map", "testdata/map", "--format", "mermaid"]);
    // `"` in a label would end it early: mermaid's entity code instead.
    assert!(
        out.contains("  sa3 ==>|\"pod-identity not-trusted: principal\"| r3\n"),
        "{out}"
    );
    // Links 0-1 are workload -> ServiceAccount, then edges in order: the sixth is the
    // not-trusted one.
    assert!(
        out.contains("  linkStyle 5 stroke:#c62828,stroke-width:3px,color:#c62828\n"),
        "{out}"
    );
    assert!(
        out.contains("  linkStyle 2 stroke:#ef6c00,color:#ef6c00\n"),
        "{out}"
    );
    // The checker itself rejects what mermaid rejects.
    assert!(check_mermaid("flowchart LR\n  a[\"x\"]\n  a --> b\n").is_err());
    assert!(check_mermaid("flowchart LR\n  subgraph s[\"n\"]\n").is_err());
    assert!(check_mermaid("flowchart LR\n  a[\"say \"hi\"\"]\n").is_err());
    assert!(check_mermaid("flowchart LR\n  a[\"x\"]\n  linkStyle 0 stroke:red\n").is_err());
}

#[test]
fn explain_names_the_map_edge() {
    let out = irsalint()
        .args(["lint", "examples", "--explain", "--color", "never"])
        .env("COLUMNS", "400")
        .assert()
        .code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("map edge: billing/invoice-export -> arn:aws:iam::111122223333:role/invoice-export (irsa) (`irsalint map --sa billing/invoice-export`)"), "{text}");
    assert_eq!(
        text.matches("map edge: ").count(),
        2,
        "one per sa-role-not-trusted finding"
    );
}

/// A role trusted by another identity provider (GitHub Actions) lists its `sub` patterns as
/// tokens', not as ServiceAccounts' (scalable-ml-systems/ml-inference-triton-aws-eks
/// infra/terraform/modules/iam/main.tf@786b113c, `repo:<owner>/<repo>:*`).
#[test]
fn sub_patterns_of_other_identity_providers_are_not_service_accounts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ci-role.yaml"),
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  DeployRole:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: github-deploy\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Principal:\n              Federated: arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com\n            Action: sts:AssumeRoleWithWebIdentity\n            Condition:\n              StringEquals:\n                token.actions.githubusercontent.com:aud: sts.amazonaws.com\n              StringLike:\n                token.actions.githubusercontent.com:sub: repo:acme/deploy:*\n",
    )
    .unwrap();
    let out = stdout(&["map", dir.path().to_str().unwrap()]);
    assert!(
        out.contains(
            "and       any token whose `sub` matches `repo:acme/deploy:*` (StringLike) at "
        ),
        "{out}"
    );
    assert!(!out.contains("ServiceAccount matching"), "{out}");
}

/// Two Terraform roots that each declare a role whose name is known only at apply time are
/// two roles, each with its own issuer and ServiceAccount (gitops-bridge-dev/gitops-bridge's
/// hub roots, `"${module.eks.cluster_name}-argocd-hub"` in each, were drawn as one role
/// defined in one of them). A role whose name is known still merges across files.
#[test]
fn same_unknown_name_in_two_roots_is_two_roles() {
    let v = json(&["map", "testdata/map-roots"]);
    let mut roles: Vec<String> = v["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} issuers={} admits={}",
                r["id"].as_str().unwrap(),
                r["issuers"].as_array().unwrap().len(),
                r["admits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        [
            "${var.cluster_name}-app (testdata/map-roots/dev/) issuers=1 admits=app-dev/app",
            "${var.cluster_name}-app (testdata/map-roots/prod/) issuers=1 admits=app-prod/app",
            "log-reader issuers=0 admits=",
        ]
    );
    assert_eq!(
        edges(&v),
        [
            "app-dev/app -> ${var.cluster_name}-app (testdata/map-roots/dev/) (irsa) assumable [default-audience] at testdata/map-roots/dev/main.tf:31:38",
            "app-prod/app -> ${var.cluster_name}-app (testdata/map-roots/prod/) (irsa) assumable [default-audience] at testdata/map-roots/prod/main.tf:31:38",
        ]
    );
    // `log-reader`, a known name declared in both roots, stays one role defined twice.
    let logs: Vec<String> = v["roles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"] == "log-reader")
        .flat_map(|r| r["locations"].as_array().unwrap().iter())
        .map(|l| l["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        logs,
        [
            "testdata/map-roots/dev/shared.tf",
            "testdata/map-roots/prod/shared.tf"
        ]
    );
}

/// A role ARN whose only placeholder is its account names the one role of the inputs with
/// that name (ktg6/k8s-terraform-argocd-app terraform/env/k8s-sample-resource/irsa.tf,
/// trimmed: the account from `data.aws_caller_identity`, the role from
/// `iam-assumable-role-with-oidc` in the same root); with two roles of that name (two
/// roots), which one is not known, and the edge's detail says so.
#[test]
fn an_arn_with_only_its_account_unknown_links_to_the_one_role_of_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("k8s-sample-resource");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(
        root.join("irsa.tf"),
        r#"data "aws_caller_identity" "current" {}

module "eks_irsa" {
    source                        = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
    version                       = "3.6.0"
    create_role                   = true
    role_name                     = "eks-irsa"
    provider_url                  = "oidc.eks.ap-northeast-2.amazonaws.com/id/ABC"
    role_policy_arns              = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
    oidc_fully_qualified_subjects = ["system:serviceaccount:default:eks-irsa"]
}

resource "kubernetes_service_account" "eks_irsa" {
    metadata {
        name        = "eks-irsa"
        namespace   = "default"
        annotations = {
            "eks.amazonaws.com/role-arn" = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/eks-irsa"
        }
    }
}
"#,
    )
    .unwrap();
    let v = json(&["map", root.to_str().unwrap()]);
    let edge = &v["edges"][0];
    assert_eq!(edge["id"], "default/eks-irsa -> eks-irsa (irsa)", "{v}");
    assert_eq!(edge["verdict"], "assumable", "{v}");
    assert_eq!(v["edges"].as_array().unwrap().len(), 1);

    // A role of the same name in another root: either may be the one.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(
        other.join("iam.tf"),
        "resource \"aws_iam_role\" \"r\" {\n  name               = \"eks-irsa\"\n  assume_role_policy = \"{}\"\n}\n",
    )
    .unwrap();
    let v = json(&["map", dir.path().to_str().unwrap()]);
    let edge = &v["edges"][0];
    assert_eq!(
        edge["id"],
        "default/eks-irsa -> arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/eks-irsa (irsa)",
        "{v}"
    );
    assert_eq!(edge["verdict"], "unknown");
    assert_eq!(edge["reasons"], serde_json::json!(["placeholder"]));
    assert_eq!(
        edge["detail"],
        "the role ARN's account is a placeholder and 2 roles of the inputs are named `eks-irsa`: which one it names is not known"
    );
    // A placeholder in the role's name decides nothing, whatever the inputs hold.
    std::fs::write(
        root.join("irsa.tf"),
        std::fs::read_to_string(root.join("irsa.tf"))
            .unwrap()
            .replace(":role/eks-irsa\"", ":role/${var.role}\""),
    )
    .unwrap();
    std::fs::remove_dir_all(&other).unwrap();
    let v = json(&["map", root.to_str().unwrap()]);
    assert_eq!(
        v["edges"][0]["detail"], "the role ARN is a placeholder",
        "{v}"
    );
}

/// A role's permissions are what its policies and its permissions boundary both allow: `*`
/// under an S3-only boundary is S3 (no `*`-resource write: the boundary names one bucket);
/// under a boundary the inputs do not show, `*` stays and the boundary is named as such.
#[test]
fn permissions_are_capped_by_the_boundary() {
    let v = json(&[
        "map",
        "testdata/rules/perm-admin-star/good/terraform-boundary-limits.tf",
        "testdata/rules/perm-admin-star/bad/terraform-boundary-unknown.tf",
    ]);
    let role = |id: &str| -> Value {
        v["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("role {id}: {v:#}"))["permissions"]
            .clone()
    };
    let reports = role("reports");
    assert_eq!(reports["all_actions"], false, "{reports:#}");
    let services: Vec<(&str, bool)> = reports["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["service"].as_str().unwrap(),
                s["star_resource"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(services, [("s3", false)]);
    assert_eq!(
        reports["permissions_boundary"],
        "aws_iam_policy.reports_boundary.arn"
    );
    let ops = role("ops");
    assert_eq!(ops["all_actions"], true, "{ops:#}");
    assert_eq!(
        ops["permissions_boundary"],
        "var.boundary_arn (known only at apply)"
    );
    // A role without a boundary says so with null.
    let plain = json(&["map", "testdata/map"]);
    let roles = plain["roles"].as_array().unwrap();
    assert!(!roles.is_empty());
    for r in roles {
        assert_eq!(
            r["permissions"]["permissions_boundary"],
            Value::Null,
            "{r:#}"
        );
    }
}

/// A statement whose condition never holds in a request made with the role's credentials (a
/// web identity claim STS does not keep in the session, `azp`) grants nothing in the map, as
/// in the perm rules; one on the `sub` claim, which STS keeps, grants what it says.
#[test]
fn a_statement_that_never_applies_grants_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = "oidc.eks.eu-west-2.amazonaws.com/id/5C9F2A8E1B7D4E6F";
    std::fs::write(
        dir.path().join("vpc-cni.tf"),
        format!(
            r#"resource "aws_iam_role" "vpc_cni" {{
  name = "vpc-cni"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = {{ Federated = "arn:aws:iam::111122223333:oidc-provider/{issuer}" }}
      Condition = {{ StringEquals = {{ "{issuer}:sub" = "system:serviceaccount:kube-system:aws-node" }} }}
    }}]
  }})
}}

resource "aws_iam_role_policy" "vpc_cni" {{
  role = aws_iam_role.vpc_cni.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Resource  = "*"
      Condition = {{ StringEquals = {{ "{issuer}:azp" = "aws-node" }} }}
    }}, {{
      Effect    = "Allow"
      Action    = "ec2:DescribeNetworkInterfaces"
      Resource  = "*"
      Condition = {{ StringEquals = {{ "{issuer}:sub" = "system:serviceaccount:kube-system:aws-node" }} }}
    }}]
  }})
}}
"#
        ),
    )
    .unwrap();
    let v = json(&["map", dir.path().to_str().unwrap()]);
    let role = v["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "vpc-cni")
        .unwrap_or_else(|| panic!("{v:#}"));
    let services: Vec<&str> = role["permissions"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["ec2"], "{role:#}");
}

/// The ServiceAccount Crossplane creates from a DeploymentRuntimeConfig is drawn in
/// Crossplane's namespace, which the files do not say: a trust for crossplane-system is
/// neither assumable nor not-trusted for it, and the edge says why.
#[test]
fn crossplanes_provider_service_account_is_linked_undecided() {
    let v = json(&["map", "testdata/rules/sa-role-not-trusted/crossplane"]);
    assert_eq!(
        edges(&v),
        ["<Crossplane's namespace>/provider-aws -> arn:aws:iam::111122223333:role/crossplane-provider-aws (irsa) unknown [namespace-unknown] at testdata/rules/sa-role-not-trusted/crossplane/runtime-config.yaml:14:37"]
    );
    let detail = v["edges"][0]["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("Crossplane's namespace"), "{v}");
}
