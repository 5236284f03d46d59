//! CLI tests: they spawn the built binary, as users and CI do.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use serde_json::Value;

fn irsalint() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("irsalint");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR").env("COLUMNS", "100");
    c
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("stdout is one JSON object")
}

const BROKEN_TRUST: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {"oidc.example.com/id/ABC:sub": "system:serviceaccount:team:*"}}
  }]
}
"#;

#[test]
fn examples_fail_with_findings_of_several_rules() {
    let out = irsalint()
        .args(["lint", "examples/", "--format", "json"])
        .assert()
        .code(1);
    let v = json_of(&out.get_output().stdout);
    let rules: std::collections::BTreeSet<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for r in [
        "sa-role-not-trusted",
        "trust-no-sub-condition",
        "trust-wildcard-in-stringequals",
    ] {
        assert!(
            rules.contains(r),
            "examples/ should show {r}, got {rules:?}"
        );
    }
}

#[test]
fn human_output_has_snippets_and_a_summary_line() {
    irsalint()
        .args(["lint", "examples/"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "examples/iam/payments-trust.json:",
        ))
        .stdout(predicate::str::contains("│"))
        .stdout(
            predicate::str::is_match(
                r"\d+ errors?, \d+ warnings?, \d+ infos? in \d+ files \(\d+ documents\)\n$",
            )
            .unwrap(),
        )
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn json_contract() {
    let out = irsalint()
        .args(["lint", "examples/", "--format", "json"])
        .assert()
        .code(1);
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "irsalint");
    assert_eq!(v["summary"]["files"], 6);
    let findings = v["findings"].as_array().unwrap();
    let mut keys: Vec<(String, u64, u64, String)> = Vec::new();
    for f in findings {
        for k in [
            "code",
            "rule",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "related",
            "help",
            "fix",
        ] {
            assert!(f.get(k).is_some(), "finding lacks {k}: {f}");
        }
        assert!(!f["file"].as_str().unwrap().starts_with("./"));
        keys.push((
            f["file"].as_str().unwrap().into(),
            f["line"].as_u64().unwrap(),
            f["column"].as_u64().unwrap(),
            f["rule"].as_str().unwrap().into(),
        ));
    }
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "findings are sorted by file, line, column, rule"
    );
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    assert_eq!(v["summary"]["errors"].as_u64().unwrap() as usize, errors);
}

#[test]
fn stdin_is_one_input_among_others() {
    // stdin (`-`) beside a file and a directory: all three are linted as one world, and each
    // finding keeps its own file name and position.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trust.json"), BROKEN_TRUST).unwrap();
    std::fs::create_dir(dir.path().join("more")).unwrap();
    std::fs::write(
        dir.path().join("more/other.json"),
        BROKEN_TRUST.replace("team:*", "other:*"),
    )
    .unwrap();
    let out = irsalint()
        .current_dir(dir.path())
        .args([
            "lint",
            "trust.json",
            "-",
            "more",
            "--format",
            "json",
            "--select",
            "trust-wildcard-in-stringequals",
        ])
        .write_stdin(format!("\n\n{BROKEN_TRUST}"))
        .assert()
        .code(1);
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["summary"]["files"], 3, "{v:#}");
    let mut got: Vec<(String, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["rule"], "trust-wildcard-in-stringequals");
            (
                f["file"].as_str().unwrap().replace('\\', "/"),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    // stdin has two more lines in front: its finding is two lines lower.
    assert_eq!(
        got,
        vec![
            ("<stdin>".to_string(), 9, 67),
            ("more/other.json".to_string(), 7, 67),
            ("trust.json".to_string(), 7, 67),
        ]
    );
}

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.json"),
        "{\"Version\": \"2012-10-17\" \"Statement\": []}",
    )
    .unwrap();
    std::fs::write(dir.path().join("trust.json"), BROKEN_TRUST).unwrap();
    let out = irsalint()
        .current_dir(dir.path())
        .args(["lint", ".", "--format", "json"])
        .assert()
        .code(1);
    let v = json_of(&out.get_output().stdout);
    let got: Vec<(String, String, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().into(),
                f["rule"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        got.contains(&("broken.json".into(), "parse-error".into(), 1, 26)),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|g| g.0 == "trust.json" && g.1 == "trust-wildcard-in-stringequals"),
        "{got:?}"
    );
}

#[test]
fn exit_codes_follow_fail_on_and_selection() {
    // Only an info-level finding: passes with the default threshold, fails with --fail-on info.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sa.yaml"), "name: {{ .Values.name }}\n").unwrap();
    irsalint()
        .current_dir(dir.path())
        .args(["lint", "."])
        .assert()
        .code(0);
    irsalint()
        .current_dir(dir.path())
        .args(["lint", ".", "--fail-on", "info"])
        .assert()
        .code(1);
    irsalint()
        .args([
            "lint",
            "examples/",
            "--fail-on",
            "error",
            "--ignore",
            "trust,sa",
        ])
        .assert()
        .code(0);
    irsalint()
        .args(["lint", "examples/", "--select", "T001"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("trust-no-sub-condition"))
        .stdout(predicate::str::contains("sa-role-not-trusted").not());
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    irsalint()
        .args(["lint", "--select", "trust-no-sub-conditon", "examples/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown rule \"trust-no-sub-conditon\" (did you mean \"trust-no-sub-condition\"?)",
        ));
    irsalint().args(["lint", "--no-such-flag"]).assert().code(2);
    irsalint()
        .args(["lint", "does/not/exist.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "does/not/exist.yaml: no such file or directory",
        ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("irsalint.toml"), "[lint]\nselekt = []\n").unwrap();
    irsalint()
        .current_dir(dir.path())
        .args(["lint", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "irsalint.toml:2:1: unknown field `selekt`",
        ));
}

#[test]
fn rules_and_explain() {
    let out = irsalint()
        .args(["rules", "--format", "json"])
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"sa-role-not-trusted"));
    irsalint()
        .args(["rules"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "T005  trust-wildcard-in-stringequals",
        ));
    irsalint()
        .args(["explain", "T005"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# trust-wildcard-in-stringequals (T005)",
        ));
    irsalint()
        .args(["explain", "sa-role-not-trusted"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## How to fix"));
    irsalint()
        .args(["explain", "trust-wildcard-in-stringequal"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean \"trust-wildcard-in-stringequals\"",
        ));
    // A newcomer's `explain --help` says what RULE is and where the list is.
    irsalint()
        .args(["explain", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "<RULE>  A rule's code (`T001`) or name (`trust-no-sub-condition`)",
        ))
        .stdout(predicate::str::contains("`irsalint rules` lists"));
}

#[test]
fn explain_flag_prints_the_evidence_chain() {
    irsalint()
        .args([
            "lint",
            "examples/",
            "--explain",
            "--select",
            "sa-role-not-trusted",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("evidence:"))
        .stdout(predicate::str::contains(
            "examples/iam/invoice-export-role.json:",
        ))
        .stdout(predicate::str::contains("how to fix"));
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let run = |args: &[&str], no_color: Option<&str>| {
        let mut c = irsalint();
        c.args(["lint", "examples/", "--select", "T001"]).args(args);
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    let esc = "\u{1b}[";
    // Asked for: colour, even with NO_COLOR set (the flag wins).
    assert!(run(&["--color", "always"], None).contains(esc));
    assert!(run(&["--color", "always"], Some("1")).contains(esc));
    // Refused: none.
    let never = run(&["--color", "never"], None);
    assert!(!never.contains(esc) && never.contains("T001"), "{never}");
    // auto (the default) on a pipe, as in CI: none, with or without NO_COLOR.
    for no_color in [None, Some("1"), Some("")] {
        let auto = run(&[], no_color);
        assert!(!auto.contains(esc) && auto.contains("T001"), "{auto}");
        let auto = run(&["--color", "auto"], no_color);
        assert!(!auto.contains(esc), "{auto}");
    }
}

#[test]
fn fix_rewrites_operator_effect_and_env_typos_and_keeps_comments() {
    let dir = tempfile::tempdir().unwrap();
    let trust = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "allow",
    "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEqual": {"oidc.example.com/id/ABC:sub": "system:serviceaccount:team:app"}}
  }]
}
"#;
    let deploy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app\n      env:\n        - name: AWS_ARN_ROLE # set by the platform team\n          value: arn:aws:iam::111122223333:role/app\n";
    std::fs::write(dir.path().join("trust.json"), trust).unwrap();
    std::fs::write(dir.path().join("pod.yaml"), deploy).unwrap();
    let for_all = trust
        .replace("\"allow\"", "\"Allow\"")
        .replace("\"StringEqual\"", "\"ForAllValues:StringEquals\"");
    std::fs::write(dir.path().join("for-all.json"), &for_all).unwrap();
    let rules = "trust-operator-typo,policy-invalid-effect,pod-env-typo,trust-for-any-value-misuse";
    irsalint()
        .current_dir(dir.path())
        .args(["lint", ".", "--select", rules, "--fix"])
        .assert()
        .code(0);
    let fixed = std::fs::read_to_string(dir.path().join("trust.json")).unwrap();
    assert_eq!(
        fixed,
        trust
            .replace("\"allow\"", "\"Allow\"")
            .replace("\"StringEqual\"", "\"StringEquals\"")
    );
    let fixed = std::fs::read_to_string(dir.path().join("pod.yaml")).unwrap();
    assert_eq!(
        fixed,
        deploy.replace("AWS_ARN_ROLE #", "AWS_ROLE_ARN #"),
        "comment kept"
    );
    let fixed = std::fs::read_to_string(dir.path().join("for-all.json")).unwrap();
    assert_eq!(
        fixed,
        for_all.replace("ForAllValues:StringEquals", "StringEquals")
    );
    irsalint()
        .current_dir(dir.path())
        .args(["lint", ".", "--select", rules])
        .assert()
        .code(0);
}

#[test]
fn fix_inserts_a_missing_version_in_the_file_s_own_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let json = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\"}\n  ]\n}\n";
    let cfn = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: read # the app's bucket\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: s3:GetObject\n                Resource: arn:aws:s3:::b/*\n";
    std::fs::write(dir.path().join("policy.json"), json).unwrap();
    std::fs::write(dir.path().join("stack.yaml"), cfn).unwrap();
    irsalint()
        .current_dir(dir.path())
        .args(["lint", ".", "--select", "policy-version", "--fix"])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("policy.json")).unwrap(),
        json.replace(
            "  \"Statement\"",
            "  \"Version\": \"2012-10-17\",\n  \"Statement\""
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("stack.yaml")).unwrap(),
        cfn.replace(
            "            Statement:",
            "            Version: \"2012-10-17\"\n            Statement:"
        )
    );
    // Fixed for good: a second run finds nothing.
    irsalint()
        .current_dir(dir.path())
        .args([
            "lint",
            ".",
            "--select",
            "policy-version",
            "--fail-on",
            "info",
        ])
        .assert()
        .code(0);
}

/// Other projects' files a package manager installed or vendored are not walked:
/// `node_modules/`, and `vendor/` beside a `go.mod`. A `vendor/` without a Go module beside it
/// is the user's own, and a dependency directory named on the command line is read.
#[test]
fn dependency_directories_are_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let bad = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::12345:role/x\n";
    for sub in ["node_modules/pkg", "go/vendor/dep", "plain/vendor"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
        std::fs::write(root.join(sub).join("sa.yaml"), bad).unwrap();
    }
    std::fs::write(root.join("go/go.mod"), "module example.com/x\n").unwrap();
    let files = |path: &std::path::Path| -> Vec<String> {
        let out = irsalint()
            .args(["lint", "--format", "json", "--select", "sa-arn-malformed"])
            .arg(path)
            .assert()
            .code(1);
        let v = json_of(&out.get_output().stdout);
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().replace('\\', "/"))
            .collect()
    };
    let all = files(root);
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(all[0].ends_with("plain/vendor/sa.yaml"), "{all:?}");
    let named = files(&root.join("node_modules"));
    assert_eq!(named.len(), 1, "{named:?}");
}

/// Hidden directories are read (`.well-known/openid-configuration` of a mirrored bucket),
/// except version-control and tool directories.
#[test]
fn hidden_directories_are_read_except_vcs_and_tool_state() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let discovery = r#"{"issuer": "http://oidc.example.com", "jwks_uri": "https://oidc.example.com/keys.json"}"#;
    for sub in [".well-known", ".git", ".terraform"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
        std::fs::write(root.join(sub).join("openid-configuration"), discovery).unwrap();
    }
    let out = irsalint()
        .args([
            "lint",
            "--format",
            "json",
            "--select",
            "oidc-discovery-issuer-invalid",
        ])
        .arg(root)
        .assert()
        .code(1);
    let v = json_of(&out.get_output().stdout);
    let files: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().replace('\\', "/"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0].ends_with(".well-known/openid-configuration"),
        "{files:?}"
    );
    assert_eq!(v["summary"]["files"], 1);
}

/// A directory walk honours `.gitignore` (also outside a git repository) and reads hidden
/// files (only VCS and tool directories are skipped, see the test above); a file named on
/// the command line is linted even when ignored.
#[test]
fn gitignore_is_honoured_in_a_walk() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "generated/\nignored.json\n").unwrap();
    std::fs::create_dir(dir.path().join("generated")).unwrap();
    for f in [
        "kept.json",
        "ignored.json",
        "generated/trust.json",
        ".hidden.json",
    ] {
        std::fs::write(dir.path().join(f), BROKEN_TRUST).unwrap();
    }
    let files_of = |args: &[&str]| -> Vec<String> {
        let out = irsalint()
            .current_dir(dir.path())
            .args([
                "lint",
                "--format",
                "json",
                "--select",
                "trust-wildcard-in-stringequals",
            ])
            .args(args)
            .assert()
            .code(1);
        let v = json_of(&out.get_output().stdout);
        let mut files: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().replace('\\', "/"))
            .collect();
        files.sort();
        files
    };
    assert_eq!(files_of(&["."]), vec![".hidden.json", "kept.json"]);
    assert_eq!(
        files_of(&[".", "ignored.json"]),
        vec![".hidden.json", "ignored.json", "kept.json"]
    );
}

/// A trust policy saved as `trust-policy.json` is linked by inference to the only undefined
/// role the inputs reference: `--explain` says so on stderr, and the finding's evidence says
/// where the link came from.
#[test]
fn explain_says_a_trust_policy_link_was_inferred() {
    irsalint()
        .current_dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/rules/sa-role-not-trusted/inferred-link"
        ))
        .args(["lint", ".", "--explain", "--select", "sa-role-not-trusted"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "irsalint: trust policies linked to a role their file does not name:\n  iam/trust-policy.json:3:3: trust policy of role arn:aws:iam::111122223333:role/payments-api: linked by inference: the only web-identity trust policy whose file names no role and the only role ARN referenced but not defined among the inputs, at k8s/serviceaccount.yaml:10:33\n",
        ))
        .stdout(predicate::str::contains("k8s/serviceaccount.yaml:10:33"))
        .stdout(predicate::str::contains("linked by inference"));
}

/// `[roles]` of the irsalint.toml found in the working directory links the file; a file that
/// does not exist is a configuration error (exit 2) that says where.
#[test]
fn roles_table_links_and_a_missing_file_is_a_config_error() {
    let world = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/rules/sa-role-not-trusted/roles-config"
    );
    irsalint()
        .current_dir(world)
        .args(["lint", ".", "--explain", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "k8s/api.yaml:9:33: S001 sa-role-not-trusted",
        ))
        .stdout(predicate::str::contains("trust-policy-unlinked").not())
        .stderr(predicate::str::contains(
            "iam/trust-policy.json:3:3: trust policy of role arn:aws:iam::111122223333:role/api: its trust policy's file is mapped to it in [roles] of irsalint.toml",
        ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("irsalint.toml"),
        "[roles]\napi = \"iam/trust-policy.json\"\n",
    )
    .unwrap();
    irsalint()
        .current_dir(dir.path())
        .args(["lint", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "irsalint.toml:2:7: [roles] `api`: no file `iam/trust-policy.json` (paths are relative to the directory of irsalint.toml)",
        ));
}

/// `lint --explain` says where kustomize builds the objects of the files with findings: a
/// base two overlays build into two namespaces names each with the kustomization that sets
/// it; the file of a base without findings (apps/shared) and a file no kustomization reaches
/// (the roles) are not listed.
#[test]
fn explain_says_where_kustomize_builds_a_files_objects() {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "lint",
            "--explain",
            "--select",
            "sa-role-not-trusted",
            "--format",
            "concise",
            "testdata/rules/sa-role-not-trusted/kustomize",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let k = "testdata/rules/sa-role-not-trusted/kustomize/apps";
    let lines: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.contains("placed by kustomize"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(
        lines,
        [
            format!("  {k}/billing/base/serviceaccount.yaml: built into `billing-dev` by {k}/billing/overlays/dev/kustomization.yaml, `billing-prod` by {k}/billing/overlays/prod/kustomization.yaml"),
            format!("  {k}/ledger/base/serviceaccount.yaml: built into `ledger-prod` by {k}/ledger/prod/kustomization.yaml"),
            format!("  {k}/orders/base/serviceaccount.yaml: built into `orders-dev` by {k}/orders/overlays/dev/kustomization.yaml, `orders-prod` by {k}/orders/overlays/prod/kustomization.yaml"),
        ],
        "{stderr}"
    );
}
