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

#[test]
fn a_correct_plan_gives_no_finding() {
    let (code, json) = lint_stdin(one_line(&fixture("testdata/terraform/plan/irsa.plan.json")));
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(0), "{json}");
    assert_eq!(json["summary"]["documents"], 1);
    assert_eq!(code, 0);
}
