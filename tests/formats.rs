//! Output formats other than human/json, checked on the spawned binary: SARIF against the
//! vendored OASIS 2.1.0 schema, GitHub workflow commands, JUnit XML.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn irsalint() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("irsalint");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR").env("COLUMNS", "100");
    c
}

fn sarif_of(args: &[&str]) -> Value {
    let mut all = vec!["lint", "--format", "sarif"];
    all.extend_from_slice(args);
    let out = irsalint().args(&all).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/schemas/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft4::new(&schema).expect("the SARIF schema compiles")
}

fn assert_valid(v: &Value) {
    let validator = schema();
    // The validator does reject what the schema forbids.
    assert!(
        !validator.is_valid(&serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]}))
    );
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:#?}");
}

#[test]
fn sarif_is_valid_for_several_fixture_worlds() {
    let mut seen_results = 0;
    for dir in [
        "examples/",
        "testdata/rules/sa-role-not-trusted/bad",
        "testdata/rules/trust-wildcard-in-stringequals/bad",
        "testdata/rules/parse-error/bad",
        "testdata/rules/unsupported-template/bad",
        "testdata/rules/duplicate-key/bad",
        "testdata/rules/trust-no-sub-condition/good",
    ] {
        let v = sarif_of(&[dir]);
        assert_valid(&v);
        seen_results += v["runs"][0]["results"].as_array().unwrap().len();
    }
    assert!(seen_results > 5);
}

#[test]
fn sarif_has_what_code_scanning_needs() {
    let v = sarif_of(&["examples/"]);
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let t005 = rules
        .iter()
        .find(|r| r["id"] == "trust-wildcard-in-stringequals")
        .unwrap();
    assert_eq!(t005["defaultConfiguration"]["level"], "error");
    assert!(t005["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## How to fix"));
    assert!(t005["shortDescription"]["text"].as_str().unwrap().len() > 10);
    let results = run["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "sa-role-not-trusted")
        .expect("a cross-file finding");
    let loc = &r["locations"][0]["physicalLocation"];
    let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.starts_with("examples/"), "{uri}");
    for k in ["startLine", "startColumn", "endLine", "endColumn"] {
        assert!(loc["region"][k].as_u64().unwrap() >= 1, "{k}");
    }
    assert!(!r["relatedLocations"].as_array().unwrap().is_empty());
    assert_eq!(
        r["partialFingerprints"]["irsalint/v1"]
            .as_str()
            .unwrap()
            .len(),
        16
    );
    assert_eq!(run["properties"]["summary"]["suppressed"], 0);
}

#[test]
fn sarif_fingerprints_survive_line_moves() {
    let dir = tempfile::tempdir().unwrap();
    let trust = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/iam/payments-trust.json"
    ))
    .unwrap();
    std::fs::write(dir.path().join("trust.json"), &trust).unwrap();
    let fp = |v: &Value| -> Vec<(String, String, u64)> {
        let mut x: Vec<_> = v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["irsalint/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect();
        x.sort();
        x
    };
    let run = || {
        let out = cargo_bin_cmd!("irsalint")
            .current_dir(dir.path())
            .args(["lint", "--format", "sarif", "trust.json"])
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let before = fp(&run());
    assert!(!before.is_empty());
    std::fs::write(dir.path().join("trust.json"), format!("\n\n\n{trust}")).unwrap();
    let after = fp(&run());
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1), "fingerprint changed");
        assert_eq!(b.2 + 3, a.2, "the line did move");
    }
}

#[test]
fn github_annotations_with_and_without_columns() {
    let dir = tempfile::tempdir().unwrap();
    // One finding on one line (T005 on the `sub` value) ...
    std::fs::write(
        dir.path().join("trust.json"),
        r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {"oidc.example.com/id/ABC:sub": "system:serviceaccount:team:*", "oidc.example.com/id/ABC:aud": "sts.amazonaws.com"}}
  }]
}
"#,
    )
    .unwrap();
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir.path())
        .args(["lint", "--format", "github", "trust.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("trust-wildcard-in-stringequals"))
        .unwrap_or_else(|| panic!("{text}"));
    let re = regex::Regex::new(
        r"^::error file=trust\.json,line=7,col=\d+,endLine=7,endColumn=\d+,title=trust-wildcard-in-stringequals \(T005\)::.*system%3A|^::error file=trust\.json,line=7,col=\d+,endLine=7,endColumn=\d+,title=trust-wildcard-in-stringequals \(T005\)::",
    )
    .unwrap();
    assert!(re.is_match(line), "{line}");
    // Newlines in the message (the help) are escaped: one command per line.
    assert!(text.lines().all(|l| l.starts_with("::")), "{text}");

    // ... and a multi-line span (a parse error spanning to the end) has no columns.
    std::fs::write(
        dir.path().join("multi.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  name: b\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir.path())
        .args([
            "lint",
            "--format",
            "github",
            "multi.yaml",
            "--fail-on",
            "info",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for l in text.lines() {
        let line: Vec<&str> = l.split([',', ':']).collect();
        let get = |k: &str| {
            line.iter()
                .find_map(|p| p.strip_prefix(&format!("{k}=")))
                .map(str::to_string)
        };
        if get("line") != get("endLine") {
            assert!(get("col").is_none() && get("endColumn").is_none(), "{l}");
        } else {
            assert!(get("col").is_some(), "{l}");
        }
    }
}

#[test]
fn junit_lists_each_finding_as_a_failed_test_case() {
    let out = irsalint()
        .args(["lint", "--format", "junit", "examples/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"irsalint\""));
    assert!(text.contains("<testsuite name=\"examples/iam/payments-trust.json\""));
    assert!(text.contains("<failure type=\"error\""));
    assert_eq!(
        text.matches("<testcase ").count(),
        text.matches("<failure ").count()
    );
    assert!(text.trim_end().ends_with("</testsuites>"));

    let out = irsalint()
        .args([
            "lint",
            "--format",
            "junit",
            "testdata/rules/trust-no-sub-condition/good",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("<testcase name=\"no findings\""));
}

#[test]
fn sarif_with_fixes_and_suppressions_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sa.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  # irsalint: ignore[trust-no-sub-condition] legacy\n  name: a\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir.path())
        .args(["lint", "--format", "sarif", "."])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(&v);
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "unused-suppression");
    assert_eq!(r["level"], "note");
    let change = &r["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "sa.yaml");
    assert_eq!(change["replacements"][0]["deletedRegion"]["startLine"], 4);
}
