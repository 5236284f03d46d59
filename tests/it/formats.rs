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
    // The whole command: location, title, then the message, whose `:` stays literal
    // (GitHub escapes only `%`, CR and LF in the message; `,` and `:` in properties).
    let re = regex::Regex::new(
        r"^::error file=trust\.json,line=7,col=(\d+),endLine=7,endColumn=(\d+),title=trust-wildcard-in-stringequals \(T005\)::`system:serviceaccount:team:\*` is compared literally under `StringEquals`",
    )
    .unwrap();
    let caps = re.captures(line).unwrap_or_else(|| panic!("{line}"));
    let (col, end): (usize, usize) = (caps[1].parse().unwrap(), caps[2].parse().unwrap());
    // The columns are those of the quoted value on line 7.
    let source_line = "    \"Condition\": {\"StringEquals\": {\"oidc.example.com/id/ABC:sub\": \"system:serviceaccount:team:*\", \"oidc.example.com/id/ABC:aud\": \"sts.amazonaws.com\"}}";
    let at = source_line.find("\"system:").unwrap() + 1;
    assert_eq!(col, at, "{line}");
    assert_eq!(end, at + "\"system:serviceaccount:team:*\"".len(), "{line}");
    // Newlines in the message (the help) are escaped: one command per line.
    assert!(text.lines().all(|l| l.starts_with("::")), "{text}");

    // ... and a multi-line span (a statement that is only a Principal mapping, reported on the
    // whole mapping) has no columns.
    std::fs::write(
        dir.path().join("multi.yaml"),
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  AppRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRoleWithWebIdentity\n          - Principal:\n              Federated: arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir.path())
        .args([
            "lint",
            "--format",
            "github",
            "multi.yaml",
            "--select",
            "policy-missing-element",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let (mut multi, mut single) = (0, 0);
    for l in text.lines() {
        let props = l.split("::").nth(1).unwrap_or("");
        let line: Vec<&str> = props.split([',', ' ']).collect();
        let get = |k: &str| {
            line.iter()
                .find_map(|p| p.strip_prefix(&format!("{k}=")))
                .map(str::to_string)
        };
        assert!(get("line").is_some() && get("endLine").is_some(), "{l}");
        if get("line") != get("endLine") {
            multi += 1;
            assert!(get("col").is_none() && get("endColumn").is_none(), "{l}");
        } else {
            single += 1;
            assert!(get("col").is_some() && get("endColumn").is_some(), "{l}");
        }
    }
    // Both branches ran: the statement without Principal (one line) and the one without
    // Action (the mapping over lines 11-12).
    assert_eq!((multi, single), (1, 1), "{text}");
    assert!(
        text.contains("file=multi.yaml,line=11,endLine=12,"),
        "{text}"
    );
}

/// The JUnit report, parsed as XML (roxmltree): one suite per file, one failed test case per
/// finding, counts that add up, and the same findings as the JSON report.
#[test]
fn junit_lists_each_finding_as_a_failed_test_case() {
    let out = irsalint()
        .args(["lint", "--format", "junit", "examples/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("JUnit is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let num = |n: roxmltree::Node, a: &str| -> usize {
        n.attribute(a)
            .unwrap_or_else(|| panic!("{a} missing"))
            .parse()
            .unwrap()
    };
    let mut cases: Vec<(String, String, usize)> = Vec::new();
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert!(!suites.is_empty());
    for suite in &suites {
        assert_eq!(suite.tag_name().name(), "testsuite");
        let file = suite.attribute("name").unwrap().to_string();
        let tcs: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(num(*suite, "tests"), tcs.len(), "{file}");
        assert_eq!(num(*suite, "failures"), tcs.len(), "{file}");
        for tc in tcs {
            assert_eq!(tc.attribute("file"), Some(file.as_str()));
            let failures: Vec<_> = tc
                .children()
                .filter(|n| n.has_tag_name("failure"))
                .collect();
            assert_eq!(failures.len(), 1, "one failure per test case");
            let f = failures[0];
            assert!(matches!(
                f.attribute("type"),
                Some("error" | "warning" | "info")
            ));
            assert!(!f.attribute("message").unwrap_or("").is_empty());
            // The rule is the first word of the test case's name.
            let rule = tc.attribute("name").unwrap().split(' ').next().unwrap();
            cases.push((file.clone(), rule.to_string(), num(tc, "line")));
        }
    }
    assert_eq!(num(root, "tests"), cases.len());
    assert_eq!(num(root, "failures"), cases.len());

    // The same findings as the JSON report, file by file and line by line.
    let out = irsalint()
        .args(["lint", "--format", "json", "examples/"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut from_json: Vec<(String, String, usize)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    from_json.sort();
    cases.sort();
    assert_eq!(cases, from_json);

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
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].attribute("name"), Some("no findings"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0
    );
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));
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

/// `--format json` against its JSON Schema (testdata/schemas/irsalint-report-v1.schema.json):
/// types, required fields, closed sets (severity, codes) on worlds with fixes, related
/// locations, parse errors and none at all.
#[test]
fn json_report_matches_its_schema() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/schemas/irsalint-report-v1.schema.json"
    ))
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("the report schema compiles");
    let mut findings = 0;
    let mut with_fix = 0;
    for dir in [
        "examples/",
        "testdata/rules/pod-env-typo/bad",
        "testdata/rules/parse-error/bad",
        "testdata/rules/sa-role-not-trusted/bad",
        "testdata/rules/trust-no-sub-condition/good",
    ] {
        let out = irsalint()
            .args(["lint", "--format", "json", dir])
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{dir}: {errors:#?}");
        let list = v["findings"].as_array().unwrap();
        findings += list.len();
        with_fix += list.iter().filter(|f| !f["fix"].is_null()).count();

        // The schema is not vacuous: the same report with one wrong type is rejected.
        if let Some(first) = list.first() {
            let mut broken = v.clone();
            broken["findings"][0]["line"] = Value::String(first["line"].to_string());
            assert!(!validator.is_valid(&broken), "{dir}: a string line passed");
            let mut broken = v.clone();
            broken["findings"][0]["severity"] = "fatal".into();
            assert!(
                !validator.is_valid(&broken),
                "{dir}: an unknown severity passed"
            );
        }
    }
    assert!(
        findings > 10 && with_fix > 0,
        "{findings} findings, {with_fix} fixes"
    );
}
