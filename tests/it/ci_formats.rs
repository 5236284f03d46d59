//! The conventions ruff and checkov users reach for, through the binary: the concise,
//! GitLab and rdjson formats (checked against their schema or documented shape),
//! `--statistics`, `--exit-zero`, `--output-file`, `--quiet`, `--stdin-filename`, and stdin
//! with `--fix`/`--diff`.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn irsalint() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("irsalint");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR").env("COLUMNS", "100");
    c
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = irsalint().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json_report(args: &[&str]) -> Value {
    let mut all = vec!["lint", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&run(&all).1).unwrap()
}

/// A trust policy whose finding (a wildcard under StringEquals, on line 6) sits after a
/// multi-byte character on its line, so character and byte columns differ; the same line
/// has a fixable operator typo (`StringLik`).
const TRUST: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringLik": {"oidc.example.com/id/ABC:sub": "system:serviceaccount:équipe:app"}, "StringEquals": {"oidc.example.com/id/ABC:aud": "sts.amazonaws.com", "oidc.example.com/id/ABC:sub": "system:serviceaccount:équipe:*"}}
  }]
}
"#;

fn trust_file(dir: &Path) -> String {
    let p = dir.join("team-trust.json");
    std::fs::write(&p, TRUST).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn concise_prints_one_line_per_finding_then_the_summary() {
    let report = json_report(&["examples/"]);
    let findings = report["findings"].as_array().unwrap();
    let (code, out, _) = run(&["lint", "--format", "concise", "examples/"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings.len() + 1, "{out}");
    for (line, f) in lines.iter().zip(findings) {
        let want = format!(
            "{}:{}:{}: {} {} {}",
            f["file"].as_str().unwrap(),
            f["line"],
            f["column"],
            f["code"].as_str().unwrap(),
            f["rule"].as_str().unwrap(),
            f["message"].as_str().unwrap()
        );
        assert_eq!(*line, want);
    }
    assert!(lines.last().unwrap().contains(" errors, "), "{out}");

    // --quiet: the findings and nothing else.
    let (_, quiet, _) = run(&["lint", "--format", "concise", "-q", "examples/"]);
    assert_eq!(quiet.lines().count(), findings.len());
    let (_, human_quiet, _) = run(&["lint", "--quiet", "--color", "never", "examples/"]);
    assert!(!human_quiet.contains(" in 6 files"), "{human_quiet}");
    assert!(human_quiet.contains("trust-no-sub-condition"));
    let (_, human, _) = run(&["lint", "--color", "never", "examples/"]);
    assert!(human.trim_end().ends_with("(10 documents)"), "{human}");
}

#[test]
fn gitlab_code_quality_report_has_the_required_fields() {
    let report = json_report(&["examples/"]);
    let findings = report["findings"].as_array().unwrap();
    let (code, out, _) = run(&["lint", "--format", "gitlab", "examples/"]);
    assert_eq!(code, 1);
    let issues: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(issues.len(), findings.len());
    let mut fingerprints = std::collections::HashSet::new();
    for (issue, f) in issues.iter().zip(findings) {
        // GitLab's required fields and their types.
        assert!(issue["description"]
            .as_str()
            .unwrap()
            .contains(f["message"].as_str().unwrap()));
        assert_eq!(issue["check_name"], f["rule"]);
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_string()));
        let sev = issue["severity"].as_str().unwrap();
        let want = match f["severity"].as_str().unwrap() {
            "error" => "major",
            "warning" => "minor",
            _ => "info",
        };
        assert_eq!(sev, want);
        assert_eq!(issue["location"]["path"], f["file"]);
        assert_eq!(issue["location"]["lines"]["begin"], f["line"]);
        assert_eq!(
            issue["location"]["positions"]["begin"]["column"],
            f["column"]
        );
    }
    // No findings: an empty array, which GitLab reads as "no issues".
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("cm.yaml");
    std::fs::write(
        &clean,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    )
    .unwrap();
    let (code, out, _) = run(&["lint", "--format", "gitlab", clean.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "[]");
}

#[test]
fn rdjson_is_valid_and_counts_columns_in_bytes() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("testdata/schemas/reviewdog-DiagnosticResult.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let trust = trust_file(tmp.path());
    for paths in [vec!["examples/"], vec![trust.as_str()]] {
        let mut args = vec!["lint", "--format", "rdjson"];
        args.extend(paths.iter().copied());
        let (_, out, _) = run(&args);
        let v: Value = serde_json::from_str(&out).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(v["source"]["name"], "irsalint");
    }

    let (_, out, _) = run(&["lint", "--format", "rdjson", &trust]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let json = json_report(&[&trust]);
    let wildcard = |findings: &Value, code: &str| -> Value {
        findings
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d.to_string().contains(code))
            .cloned()
            .unwrap_or_else(|| panic!("no {code} in {findings:#}"))
    };
    let d = wildcard(&v["diagnostics"], "T005");
    let f = wildcard(&json["findings"], "T005");
    assert_eq!(d["location"]["range"]["start"]["line"], f["line"]);
    assert_eq!(d["severity"], "ERROR");
    assert!(d["code"]["url"]
        .as_str()
        .unwrap()
        .ends_with("/rules/trust-wildcard-in-stringequals.md"));
    // Line 6 has one `é` (two bytes) before the value: the byte column is one more.
    let chars = f["column"].as_u64().unwrap();
    assert_eq!(
        d["location"]["range"]["start"]["column"].as_u64().unwrap(),
        chars + 1
    );

    // A fix is a suggestion reviewdog can apply: the typo'd operator, replaced.
    let typo = wildcard(&v["diagnostics"], "T010");
    let s = &typo["suggestions"][0];
    assert_eq!(s["text"], "StringLike");
    assert_eq!(s["range"]["start"]["line"], 6);
}

#[test]
fn statistics_count_findings_per_rule() {
    let report = json_report(&["examples/"]);
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        *want
            .entry(f["rule"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let (code, out, _) = run(&["lint", "--statistics", "examples/"]);
    assert_eq!(code, 1, "statistics keep the gate's exit code");
    let mut got: BTreeMap<String, u64> = BTreeMap::new();
    for line in out.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "{line}");
        let name = cols[2].trim_start_matches("[*] ");
        got.insert(name.to_string(), cols[0].trim().parse().unwrap());
    }
    assert_eq!(got, want);

    let (_, out, _) = run(&["lint", "--statistics", "--format", "json", "examples/"]);
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    let total: u64 = rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(total, report["findings"].as_array().unwrap().len() as u64);
    // Most frequent first.
    let counts: Vec<u64> = rows.iter().map(|r| r["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    let (code, _, err) = run(&["lint", "--statistics", "--format", "sarif", "examples/"]);
    assert_eq!(code, 2);
    assert!(err.contains("--statistics prints text or JSON"), "{err}");
}

#[test]
fn exit_zero_and_output_file() {
    let (code, out, _) = run(&["lint", "--exit-zero", "--format", "json", "examples/"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["summary"]["errors"].as_u64().unwrap() > 0);

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("reports/irsalint.sarif");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let (code, out, _) = run(&[
        "lint",
        "--format",
        "sarif",
        "-o",
        file.to_str().unwrap(),
        "examples/",
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "the report goes to the file: {out}");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");

    // Never through to a device.
    let (code, _, err) = run(&["lint", "--output-file", "/dev/null", "examples/"]);
    assert_eq!(code, 2);
    assert!(err.contains("/dev/null"), "{err}");
}

#[test]
fn stdin_filename_names_stdin_in_every_format() {
    for (format, needle) in [
        ("json", "\"file\": \"iam/team-trust.json\""),
        ("sarif", "\"uri\": \"iam/team-trust.json\""),
        ("github", "file=iam/team-trust.json,"),
        ("concise", "iam/team-trust.json:6:"),
        ("gitlab", "\"path\": \"iam/team-trust.json\""),
        ("rdjson", "\"path\": \"iam/team-trust.json\""),
    ] {
        let out = irsalint()
            .args([
                "lint",
                "--format",
                format,
                "--stdin-filename",
                "iam/team-trust.json",
                "-",
            ])
            .write_stdin(TRUST)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(needle), "{format}: no `{needle}` in {text}");
        assert!(!text.contains("stdin"), "{format}: {text}");
    }
}

#[test]
fn stdin_is_never_fixed_in_place_but_diff_shows_the_fix() {
    // Without the `é` (which makes the fixed block's `sub` value a finding of its own, so
    // `--fix` would refuse the rename).
    let trust = TRUST.replace("équipe", "team");
    let out = irsalint()
        .args(["lint", "--fix", "--format", "concise", "-"])
        .write_stdin(trust.clone())
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("<stdin> (stdin) is never fixed in place: 1 fixable finding(s) there"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(1));

    let out = irsalint()
        .args(["lint", "--diff", "--stdin-filename", "team-trust.json", "-"])
        .write_stdin(trust)
        .output()
        .unwrap();
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("+++ b/team-trust.json"), "{diff}");
    assert!(
        diff.contains("+    \"Condition\": {\"StringLike\": {"),
        "{diff}"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// `irsalint lint --format json ARGS` run in `cwd`.
fn lint_json_in(cwd: &Path, args: &[&str]) -> Value {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(cwd)
        .args(["lint", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)))
}

/// `irsalint.toml` globs and baseline entries name files relative to their own directory:
/// running from a subdirectory, or with `--config ../irsalint.toml`, gives the same result.
#[test]
fn config_and_baseline_paths_are_relative_to_their_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("iam/legacy")).unwrap();
    std::fs::write(root.join("iam/legacy/team-trust.json"), TRUST).unwrap();
    std::fs::write(root.join("iam/new-trust.json"), TRUST).unwrap();
    std::fs::write(
        root.join("irsalint.toml"),
        "[[lint.per-file-ignores]]\npath = \"iam/legacy/*.json\"\nrules = [\"trust\"]\nreason = \"frozen\"\n",
    )
    .unwrap();
    let lint = lint_json_in;
    let files = |v: &Value| -> Vec<String> {
        let mut f: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"].as_str().unwrap().starts_with("trust-"))
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect();
        f.dedup();
        f
    };
    // From the root: the legacy file's trust findings are ignored, the new one's are not.
    let at_root = lint(root, &["."]);
    assert_eq!(files(&at_root), ["iam/new-trust.json"]);
    // From iam/ (the config found in the parent), and with --config ../irsalint.toml.
    let iam = root.join("iam");
    assert_eq!(files(&lint(&iam, &["."])), ["new-trust.json"]);
    assert_eq!(
        files(&lint(&iam, &["--config", "../irsalint.toml", "."])),
        ["new-trust.json"]
    );

    // A baseline written at the root hides the same findings when linting from iam/.
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(root)
        .args(["lint", "--write-baseline", "baseline.json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let baseline = std::fs::read_to_string(root.join("baseline.json")).unwrap();
    assert!(
        baseline.contains("\"file\": \"iam/new-trust.json\""),
        "{baseline}"
    );
    let from_iam = lint(&iam, &["--baseline", "../baseline.json", "."]);
    assert_eq!(
        from_iam["findings"].as_array().unwrap().len(),
        0,
        "{from_iam:#}"
    );
    assert!(from_iam["summary"]["suppressed"].as_u64().unwrap() > 0);
}

/// `exclude`/`extend-exclude` in irsalint.toml (relative to it) and `--exclude` (relative
/// to the current directory, or a name) leave files out of the walk; a file named on the
/// command line is still read.
#[test]
fn exclude_leaves_paths_out_of_the_walk() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for d in ["iam/vendor", "iam/generated", "iam/own"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
        std::fs::write(root.join(d).join("x-trust.json"), TRUST).unwrap();
    }
    std::fs::write(
        root.join("irsalint.toml"),
        "[lint]\nexclude = [\"iam/generated\"]\nextend-exclude = [\"vendor\"]\n",
    )
    .unwrap();
    let files = |cwd: &Path, args: &[&str]| -> Vec<String> {
        let v = lint_json_in(cwd, args);
        let mut f: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect();
        f.sort();
        f.dedup();
        f
    };
    assert_eq!(files(root, &["."]), ["iam/own/x-trust.json"]);
    // From a subdirectory, the config's globs still mean the same directories.
    assert_eq!(files(&root.join("iam"), &["."]), ["own/x-trust.json"]);
    // --exclude adds to them (here leaving nothing: a run that reads no file is exit 2);
    // a file named on the command line is read anyway.
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(root)
        .args(["lint", "--exclude", "iam/own", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".: no input file found"));
    assert_eq!(
        files(root, &["--exclude", "iam/own", "iam/own/x-trust.json"]),
        ["iam/own/x-trust.json"]
    );
    // A malformed glob is a usage error naming it.
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(root)
        .args(["lint", "--exclude", "a[", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--exclude: exclude pattern `a[`"));
}

/// `--project FILES` (what the pre-commit hook runs) judges the named files against the whole
/// project: a ServiceAccount renamed in the one staged file is checked against its role's
/// committed trust policy, and findings only about other files are not reported.
#[test]
fn project_judges_named_files_against_the_whole_project() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("k8s")).unwrap();
    std::fs::create_dir_all(root.join("iam")).unwrap();
    std::fs::write(
        root.join("k8s/sa.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: invoice-exporter\n  namespace: billing\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/invoice-export\n",
    )
    .unwrap();
    // Trusts billing:invoice-export only, and has no `aud` (a finding about this file alone).
    std::fs::write(
        root.join("iam/invoice-export.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"StringEquals": {"oidc.example.com/id/ABC:sub": "system:serviceaccount:billing:invoice-export"}}}]}
"#,
    )
    .unwrap();
    let rules = |args: &[&str]| -> Vec<(String, String)> {
        let v = lint_json_in(root, args);
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_string(),
                    f["rule"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // Alone, the ServiceAccount's role is not in the world: nothing to say.
    assert!(rules(&["k8s/sa.yaml"]).is_empty());
    // In the project, the role's trust does not admit the renamed ServiceAccount.
    assert_eq!(
        rules(&["--project", "k8s/sa.yaml"]),
        [("k8s/sa.yaml".to_string(), "sa-role-not-trusted".to_string())]
    );
    // Naming the trust policy reports its own finding too, and the shared one once.
    let both = rules(&["--project", "iam/invoice-export.json"]);
    assert!(both.contains(&("iam/invoice-export.json".into(), "trust-missing-aud".into())));
    assert!(
        both.contains(&("k8s/sa.yaml".into(), "sa-role-not-trusted".into())),
        "{both:?}"
    );
    // --project and --fix do not go together.
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(root)
        .args(["lint", "--project", "--fix", "k8s/sa.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
