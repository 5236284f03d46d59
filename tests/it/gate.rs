//! The CI gate and pre-commit features on the spawned binary: config, inline suppressions,
//! baselines, fixes and `--diff`, `--explain`, `explain RULE` colours.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::path::Path;

const SA: &str = "apiVersion: v1
kind: ServiceAccount
metadata:
  name: invoice-export
  namespace: billing
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/invoice-export
";

const ROLE: &str = r#"{
  "Role": {
    "RoleName": "invoice-export",
    "Arn": "arn:aws:iam::111122223333:role/invoice-export",
    "AssumeRolePolicyDocument": {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:billing:invoice-exporter"
        }}
      }]
    }
  }
}
"#;

/// `irsalint lint ARGS` in `dir`: (exit code, stdout, stderr).
fn lint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .arg("lint")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    let (code, out, err) = lint(dir, &a);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}")),
    )
}

fn rules_of(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

fn world(sa: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sa.yaml"), sa).unwrap();
    std::fs::write(dir.path().join("role.json"), ROLE).unwrap();
    dir
}

#[test]
fn config_selects_overrides_and_rejects_typos() {
    let dir = world(SA);
    let cfg = |t: &str| std::fs::write(dir.path().join("irsalint.toml"), t).unwrap();
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(
        (code, rules_of(&v)),
        (1, vec!["sa-role-not-trusted".into()])
    );

    // By family, code and name.
    for sel in ["sa", "S001", "sa-role-not-trusted"] {
        cfg(&format!("[lint]\nignore = [\"{sel}\"]\n"));
        assert_eq!(json(dir.path(), &[]).0, 0, "ignore {sel}");
    }
    cfg("[lint]\nselect = [\"trust\"]\n");
    assert_eq!(json(dir.path(), &[]).0, 0);

    // Severity override and fail-on.
    cfg("[lint.severity]\nsa-role-not-trusted = \"info\"\n");
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(
        (code, v["findings"][0]["severity"].as_str()),
        (0, Some("info"))
    );
    cfg("[lint]\nfail-on = \"info\"\n[lint.severity]\nS001 = \"info\"\n");
    assert_eq!(json(dir.path(), &[]).0, 1);

    // Per-file ignores need a reason and count as suppressed.
    cfg("[[lint.per-file-ignores]]\npath = \"*.yaml\"\nrules = [\"sa\"]\nreason = \"SEC-1\"\n[cluster]\naudiences = [\"sts.amazonaws.com\"]\n[render]\naws-default-region = \"eu-west-1\"\n");
    let (code, v) = json(dir.path(), &[]);
    assert_eq!((code, v["summary"]["suppressed"].as_u64()), (0, Some(1)));
    cfg("[[lint.per-file-ignores]]\npath = \"*.yaml\"\nrules = [\"sa\"]\nreason = \"\"\n");
    let (code, _, err) = lint(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("irsalint.toml:2:8: per-file-ignores needs a non-empty reason"),
        "{err}"
    );

    // Typos: exit 2 with the position and a suggestion.
    for (text, want) in [
        ("[lint]\nfail_on = \"error\"\n", "irsalint.toml:2:1: unknown field `fail_on`"),
        ("[lint]\nignore = [\"sa-role-not-trustd\"]\n", "irsalint.toml:2:11: unknown rule \"sa-role-not-trustd\" (did you mean \"sa-role-not-trusted\"?)"),
        ("[clustr]\n", "irsalint.toml:1:2: unknown field `clustr`"),
        ("[render]\ntoken-audiense = \"x\"\n", "(did you mean `token-audience`?)"),
        ("[lint]\nfail-on = \"errors\"\n", "irsalint.toml:2:11: fail-on \"errors\" must be error, warning or info"),
    ] {
        cfg(text);
        let (code, out, err) = lint(dir.path(), &[]);
        assert_eq!(code, 2, "{text}: {out}");
        assert!(err.contains(want), "{text}: {err}");
    }
    let (_, _, err) = {
        cfg("[lint]\nfail_on = \"error\"\n");
        lint(dir.path(), &[])
    };
    assert!(err.contains("did you mean `fail-on`?"), "{err}");
}

#[test]
fn inline_suppressions_need_a_reason_and_unused_ones_are_reported() {
    // On the line above.
    let sa = SA.replace(
        "    eks.amazonaws.com/role-arn",
        "    # irsalint: ignore[sa-role-not-trusted] trust is managed by the platform team (SEC-42)\n    eks.amazonaws.com/role-arn",
    );
    let dir = world(&sa);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["suppressed"], 1);
    assert!(rules_of(&v).is_empty());
    let (_, out, _) = lint(dir.path(), &["--format", "sarif"]);
    let s: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["runs"][0]["properties"]["summary"]["suppressed"], 1);

    // On the line itself, by code.
    let sa = SA.replace(
        "role/invoice-export\n",
        "role/invoice-export # irsalint: ignore[S001] known\n",
    );
    let dir = world(&sa);
    assert_eq!(json(dir.path(), &[]).0, 0);

    // Without a reason: still hidden, but an invalid-suppression warning fails the gate.
    let sa = SA.replace(
        "role/invoice-export\n",
        "role/invoice-export # irsalint: ignore[S001]\n",
    );
    let dir = world(&sa);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(
        (code, rules_of(&v)),
        (1, vec!["invalid-suppression".into()])
    );
    assert_eq!(v["findings"][0]["code"], "E008");

    // A typo in the rule name: the finding stays, and the typo is pointed at.
    let sa = SA.replace(
        "role/invoice-export\n",
        "role/invoice-export # irsalint: ignore[sa-role-not-trustd] x\n",
    );
    let dir = world(&sa);
    let (_, v) = json(dir.path(), &[]);
    let mut r = rules_of(&v);
    r.sort();
    assert_eq!(r, ["invalid-suppression", "sa-role-not-trusted"]);

    // Unused: an info finding at the rule name, with a fix that deletes the comment.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sa.yaml"),
        "# ServiceAccounts\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  # irsalint: ignore[trust-no-sub-condition] legacy\n  name: a # keep this comment\n",
    )
    .unwrap();
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 0);
    let f = &v["findings"][0];
    assert_eq!(
        (f["rule"].as_str(), f["line"].as_u64(), f["column"].as_u64()),
        (Some("unused-suppression"), Some(5), Some(22))
    );
    assert_eq!(f["fix"]["description"], "delete the unused suppression");
    assert_eq!(
        f["fix"]["edits"][0],
        serde_json::json!({"file": "sa.yaml", "line": 5, "column": 1, "end_line": 6, "end_column": 1, "replacement": ""})
    );
    assert_eq!(json(dir.path(), &["--fail-on", "info"]).0, 1);
    let (_, out, _) = lint(dir.path(), &["--color", "never"]);
    assert!(
        out.contains("fix available: delete the unused suppression (run with --fix)"),
        "{out}"
    );
    assert!(out.trim_end().ends_with(", 1 fixable with --fix"), "{out}");
}

#[test]
fn baselines_hide_known_findings_even_after_lines_move() {
    let dir = world(SA);
    let (code, _, err) = lint(dir.path(), &["--write-baseline", "baseline.json"]);
    assert_eq!(code, 0, "{err}");
    let b: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(b["findings"][0]["rule"], "sa-role-not-trusted");
    assert_eq!(b["findings"][0]["file"], "sa.yaml");

    let (code, v) = json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!((code, v["summary"]["suppressed"].as_u64()), (0, Some(1)));

    // Moving lines does not revive the finding ...
    std::fs::write(
        dir.path().join("sa.yaml"),
        format!("# a comment\n\n---\n{SA}"),
    )
    .unwrap();
    assert_eq!(json(dir.path(), &["--baseline", "baseline.json"]).0, 0);
    // ... but a new finding is reported.
    std::fs::write(
        dir.path().join("sa.yaml"),
        format!(
            "{SA}---\n{}",
            SA.replace("name: invoice-export", "name: other")
        ),
    )
    .unwrap();
    let (code, v) = json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("billing:other"));

    std::fs::write(
        dir.path().join("bad.json"),
        "{\"version\": 2, \"findings\": []}",
    )
    .unwrap();
    let (code, _, err) = lint(dir.path(), &["--baseline", "bad.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json: baseline version 2"), "{err}");
}

#[test]
fn fix_and_diff_edit_by_span_and_keep_comments() {
    let dir = tempfile::tempdir().unwrap();
    let original = "# ServiceAccounts\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  # irsalint: ignore[trust-no-sub-condition] legacy\n  name: a   # keep this comment\n  namespace: b # irsalint: ignore[sa-role-not-trusted] old\n";
    let path = dir.path().join("sa.yaml");
    std::fs::write(&path, original).unwrap();

    let (code, out, err) = lint(dir.path(), &["--diff"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out,
        "--- a/sa.yaml\n+++ b/sa.yaml\n@@ -2,6 +2,5 @@\n apiVersion: v1\n kind: ServiceAccount\n metadata:\n-  # irsalint: ignore[trust-no-sub-condition] legacy\n   name: a   # keep this comment\n-  namespace: b # irsalint: ignore[sa-role-not-trusted] old\n+  namespace: b\n"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        original,
        "--diff writes nothing"
    );

    let (code, out, err) = lint(dir.path(), &["--fix", "--fail-on", "info"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("fixed 2 finding(s) in 1 file(s)"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# ServiceAccounts\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a   # keep this comment\n  namespace: b\n"
    );
    // No temporary file is left behind, and a second run has nothing to fix.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let (code, out, _) = lint(dir.path(), &["--diff"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn explain_prints_the_chain_and_how_to_fix() {
    let dir = world(SA);
    let (code, out, _) = lint(dir.path(), &["--explain", "--color", "never"]);
    assert_eq!(code, 1);
    assert!(out.contains("evidence:\n"), "{out}");
    assert!(out.contains("1. sa.yaml:7:"), "{out}");
    assert!(out.contains("2. role.json:"), "{out}");
    assert!(out.contains("how to fix"), "{out}");
}

#[test]
fn explain_rule_is_bold_on_a_terminal_and_plain_when_piped() {
    let run = |args: &[&str], no_color: bool| {
        let mut c = cargo_bin_cmd!("irsalint");
        c.env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        String::from_utf8(c.args(args).output().unwrap().stdout).unwrap()
    };
    let plain = run(&["explain", "S001"], false);
    assert!(
        plain.starts_with("# sa-role-not-trusted (S001)\n"),
        "{plain}"
    );
    assert!(!plain.contains('\u{1b}'));
    let coloured = run(&["explain", "S001", "--color", "always"], false);
    assert!(
        coloured.contains("\u{1b}[1m## How to fix\u{1b}[0m"),
        "{coloured}"
    );
    assert!(!run(&["explain", "S001", "--color", "auto"], true).contains('\u{1b}'));
}
