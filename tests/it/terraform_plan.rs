//! `terraform show -json` output read from a file or piped on stdin
//! (`terraform show -json plan.out | irsalint lint -`).

use std::path::Path;

use assert_cmd::Command;

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// One line, as `terraform show -json` prints it.
fn one_line(pretty: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(pretty).unwrap();
    serde_json::to_string(&v).unwrap()
}

fn lint_stdin(text: String) -> (i32, serde_json::Value) {
    let out = Command::cargo_bin("irsalint")
        .unwrap()
        .args([
            "lint",
            "--format",
            "json",
            "--stdin-filename",
            "plan.json",
            "-",
        ])
        .write_stdin(text)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), json)
}

#[test]
fn a_plan_on_stdin_is_read_as_a_plan() {
    let text = one_line(&fixture(
        "testdata/rules/trust-module-input-ignored/bad/plan.json",
    ));
    let needle = "\"namespaces\"";
    let col = text.find(needle).unwrap() + 1;
    let (code, json) = lint_stdin(text);
    assert_eq!(code, 1);
    let found: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{json}");
    assert_eq!(
        found[0],
        (
            "trust-module-input-ignored".into(),
            "plan.json".into(),
            1,
            col
        )
    );
}

/// The plan's roles are correct but for `aws_iam_role.app`, whose hand-written trust has no
/// `aud` condition: once plans go through the mapping to the model (terraform::resources),
/// that is the one finding.
#[test]
fn a_plan_gives_only_the_missing_aud_of_its_hand_written_role() {
    let (code, json) = lint_stdin(one_line(&fixture("testdata/terraform/plan/irsa.plan.json")));
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["trust-missing-aud"], "{json}");
    assert_eq!(json["summary"]["documents"], 1);
    // A finding: exit 1.
    assert_eq!(code, 1);
}

/// A finding inside a policy that a plan holds as an escaped JSON string points at the
/// place inside the string (the `\"Condition\"` key the missing `aud` belongs in), pretty
/// or on one line, not at the string's start.
#[test]
fn a_finding_in_a_policy_string_points_inside_the_string() {
    let pretty = fixture("testdata/terraform/plan/irsa.plan.json");
    for text in [pretty.clone(), one_line(&pretty)] {
        let (_, json) = lint_stdin(text.clone());
        let f = &json["findings"][0];
        assert_eq!(f["rule"], "trust-missing-aud", "{json}");
        let line = text
            .lines()
            .nth(f["line"].as_u64().unwrap() as usize - 1)
            .unwrap();
        let at = &line[f["column"].as_u64().unwrap() as usize - 1..];
        assert!(at.starts_with("\\\"Condition\\\""), "{}", &at[..40]);
        let end = f["end_column"].as_u64().unwrap() - f["column"].as_u64().unwrap();
        assert_eq!(end as usize, "\\\"Condition\\\"".len());
    }
}

/// A plan's `helm_release` holds its values as rendered YAML strings: the chart's
/// ServiceAccount they name is read, its role ARN pointing inside the escaped string.
#[test]
fn a_plan_helm_release_values_string_names_its_service_account() {
    use irsalint::config::Config;
    use irsalint::load::{load, RawInput};
    use irsalint::source::Limits;
    use irsalint::world::World;
    let plan = r#"{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"helm_release.api","mode":"managed","type":"helm_release","name":"api","provider_name":"registry.terraform.io/hashicorp/helm","values":{"name":"api","namespace":"shop","values":["replicaCount: 2\nserviceAccount:\n  name: api\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shop-api\n"]}}]}}}"#;
    let inputs = load(
        vec![RawInput {
            display: "plan.json".into(),
            bytes: plan.as_bytes().to_vec(),
            read_error: None,
        }],
        &Limits::default(),
    );
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let sa = w
        .service_account("shop", "api")
        .expect("the chart's ServiceAccount");
    let arn = sa
        .obj
        .node
        .path(&["metadata", "annotations", "eks.amazonaws.com/role-arn"])
        .unwrap();
    assert_eq!(
        arn.as_str(),
        Some("arn:aws:iam::111122223333:role/shop-api")
    );
    assert_eq!(
        inputs.sources.get(arn.span.file).slice(arn.span),
        "arn:aws:iam::111122223333:role/shop-api"
    );
}
