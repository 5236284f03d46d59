//! Hostile and odd inputs: each gives a finding or a clear error, the other inputs are still
//! linted, and the run ends quickly. The binary is spawned with a timeout, so a hang fails.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const TRUST_WILDCARD: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {"oidc.example.com/id/ABC:sub": "system:serviceaccount:team:*"}}
  }]
}
"#;

fn lint_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(dir)
        .args(["lint", "--format", "json"])
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let code = out
        .status
        .code()
        .expect("irsalint exited (no signal, no timeout)");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

/// (rule, line, column) of the findings for one file.
fn findings_for(v: &Value, file: &str) -> Vec<(String, u64, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == file)
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn hostile_inputs_are_findings_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();

    // YAML alias bomb (billion laughs).
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, c) in "bcdefghi".chars().enumerate() {
        let prev = (b'a' + i as u8) as char;
        writeln!(
            laughs,
            "{c}: &{c} [{}]",
            vec![format!("*{prev}"); 9].join(",")
        )
        .unwrap();
    }
    write(d, "laughs.yaml", &laughs);
    // 10,000-deep nesting, YAML flow and JSON.
    write(
        d,
        "deep.yaml",
        format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    write(
        d,
        "deep.json",
        format!("{{\"a\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000)),
    );
    // 1,000-deep block nesting.
    let mut block = String::new();
    for i in 0..1000 {
        writeln!(block, "{}k{i}:", " ".repeat(i)).unwrap();
    }
    write(d, "deep-block.yaml", &block);
    // Over the 10 MiB size limit.
    write(
        d,
        "big.yaml",
        format!("a: \"{}\"\n", "x".repeat(50 * 1024 * 1024)),
    );
    // Not UTF-8, binary, NUL bytes.
    write(
        d,
        "latin1.yaml",
        b"kind: ServiceAccount\nmetadata:\n  name: caf\xe9\n",
    );
    write(d, "binary.json", [0x7b, 0x00, 0xff, 0xfe, 0x00, 0x01]);
    // Empty, `---` only, comments only.
    write(d, "empty.yaml", "");
    write(d, "dashes.yaml", "---\n---\n---\n");
    write(d, "comments.yaml", "# nothing here\n---\n# nor here\n");
    // An extremely long line (5 MB) that is valid JSON.
    write(
        d,
        "long.json",
        format!(
            "{{\"Version\": \"2012-10-17\", \"Statement\": [], \"x\": \"{}\"}}",
            "y".repeat(5_000_000)
        ),
    );
    // 1,000 findings in one file.
    let values: Vec<String> = (0..1000)
        .map(|i| format!("\"system:serviceaccount:ns{i}:*\""))
        .collect();
    write(
        d,
        "many.json",
        TRUST_WILDCARD.replace(
            "\"system:serviceaccount:team:*\"",
            &format!("[{}]", values.join(", ")),
        ),
    );
    // A UTF-8 BOM and CRLF line endings: positions stay right.
    write(d, "bom.json", format!("\u{feff}{TRUST_WILDCARD}"));
    write(d, "crlf.json", TRUST_WILDCARD.replace('\n', "\r\n"));
    // Terraform: nesting past the limit, a syntax error, invalid UTF-8, and a module whose
    // locals refer to each other in a cycle and to themselves through templates.
    write(
        d,
        "deep.tf",
        format!(
            "locals {{\n  x = {}{}\n}}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
    );
    write(
        d,
        "broken.tf",
        "resource \"aws_iam_role\" \"x\" {\n  name = \n}\n",
    );
    write(d, "latin1.tfvars", b"namespace = \"caf\xe9\"\n");
    write(
        d,
        "cycle.tf",
        "locals {\n  a = local.b\n  b = \"${local.a}-x\"\n  c = [for i in local.c : i]\n  d = merge(local.d, {})\n}\n\
         resource \"aws_iam_role\" \"r\" {\n  name = local.a\n  assume_role_policy = jsonencode({ Statement = local.c })\n}\n",
    );
    // A good file among them.
    write(d, "trust.json", TRUST_WILDCARD);
    // A symlink loop and a directory named like a file.
    #[cfg(unix)]
    std::os::unix::fs::symlink(".", d.join("loop")).unwrap();
    std::fs::create_dir(d.join("dir.yaml")).unwrap();
    write(&d.join("dir.yaml"), "inner.json", TRUST_WILDCARD);

    let started = std::time::Instant::now();
    // Robustness, not rule coverage: the input family and one rule that finds the good files.
    let (code, v) = lint_json(
        d,
        &[".", "--select", "input,trust-wildcard-in-stringequals"],
    );
    let elapsed = started.elapsed();
    assert_eq!(code, 1);
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");

    let rules = |f: &str| {
        findings_for(&v, f)
            .into_iter()
            .map(|x| x.0)
            .collect::<Vec<_>>()
    };
    assert_eq!(rules("laughs.yaml"), ["input-limit"]);
    assert_eq!(rules("deep.yaml"), ["input-limit"]);
    assert_eq!(rules("deep.json"), ["input-limit"]);
    assert_eq!(rules("deep-block.yaml"), ["input-limit"]);
    assert_eq!(rules("big.yaml"), ["input-limit"]);
    assert_eq!(
        findings_for(&v, "latin1.yaml"),
        [("input-not-text".into(), 3, 12)]
    );
    assert_eq!(rules("binary.json"), ["input-not-text"]);
    assert_eq!(rules("deep.tf"), ["input-limit"]);
    assert_eq!(rules("broken.tf"), ["parse-error"]);
    assert_eq!(rules("latin1.tfvars"), ["input-not-text"]);
    for quiet in [
        "empty.yaml",
        "dashes.yaml",
        "comments.yaml",
        "long.json",
        "cycle.tf",
    ] {
        assert!(
            findings_for(&v, quiet).is_empty(),
            "{quiet}: {:?}",
            findings_for(&v, quiet)
        );
    }
    let many = findings_for(&v, "many.json");
    // 1,000 wildcards: 100 findings, then one that counts the 900 others.
    assert_eq!(many.len(), 101);
    assert!(many
        .iter()
        .all(|f| f.0 == "trust-wildcard-in-stringequals" && f.1 == 7));
    let expected = [("trust-wildcard-in-stringequals".to_string(), 7, 67)];
    assert_eq!(findings_for(&v, "trust.json"), expected);
    assert_eq!(
        findings_for(&v, "bom.json"),
        expected,
        "a BOM does not shift positions"
    );
    assert_eq!(
        findings_for(&v, "crlf.json"),
        expected,
        "CRLF does not shift positions"
    );
    assert_eq!(
        findings_for(&v, "dir.yaml/inner.json"),
        expected,
        "a directory named *.yaml is walked"
    );
    assert_eq!(
        v["summary"]["files"], 20,
        "every file read once, the symlink loop not followed"
    );
}

#[test]
fn fifo_and_unreadable_files_do_not_block_or_stop_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "trust.json", TRUST_WILDCARD);
    let fifo = d.join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success());
    if !matches!(made, Ok(true)) {
        eprintln!("mkfifo unavailable; skipping the FIFO case");
        return;
    }
    // Named explicitly, a FIFO would block a naive open() forever.
    let (code, v) = lint_json(
        d,
        &[
            "trust.json",
            "pipe.yaml",
            "--select",
            "input,trust-wildcard-in-stringequals",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings_for(&v, "pipe.yaml"),
        [("input-not-text".into(), 1, 1)],
        "reported, not read"
    );
    assert_eq!(findings_for(&v, "trust.json").len(), 1);
}

#[test]
fn human_output_of_many_findings_and_long_lines_is_quick() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let values: Vec<String> = (0..1000)
        .map(|i| format!("\"system:serviceaccount:ns{i}:*\""))
        .collect();
    let body = TRUST_WILDCARD.replace(
        "\"system:serviceaccount:team:*\"",
        &format!("[{}]", values.join(", ")),
    );
    write(d, "many.json", body);
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(d)
        .args(["lint", "many.json", "--color", "never", "--select", "T005"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        // 100 reported, then one finding for the 900 others (the per-rule, per-file cap).
        stdout.ends_with("101 errors, 0 warnings, 0 infos in 1 file (1 document)\n"),
        "{}",
        &stdout[stdout.len().saturating_sub(300)..]
    );
}

/// Every rule over every rule's fixtures at once: worlds no rule was written for (several
/// webhooks, clusters, accounts and ServiceAccounts of the same name) must not make any rule
/// fail (`internal-error`), and every finding must point inside its file.
#[test]
fn all_rules_over_all_fixtures_as_one_world() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, v) = lint_json(root, &["testdata/rules", "testdata/render", "examples"]);
    assert_eq!(code, 1, "the bad fixtures have errors");
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.len() > 100, "{} findings", findings.len());
    for f in findings {
        assert_ne!(f["rule"], "internal-error", "{f}");
        let bytes = std::fs::read(root.join(f["file"].as_str().unwrap())).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let lines = text.lines().count().max(1) as u64;
        assert!(f["line"].as_u64().unwrap() <= lines + 1, "{f}");
    }
}

/// One policy statement on one line of a minified policy.
const STATEMENT_OK: &str =
    r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}"#;
const STATEMENT_ADMIN: &str = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#;

fn minified_policy(statements: &[&str]) -> String {
    format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}\n",
        statements.join(",")
    )
}

/// `irsalint lint policy.json --select P001` in `dir`, with a minute's timeout.
fn lint_admin_star(dir: &std::path::Path) -> std::process::Output {
    cargo_bin_cmd!("irsalint")
        .current_dir(dir)
        .args([
            "lint",
            "policy.json",
            "--color",
            "never",
            "--select",
            "P001",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

/// A finding beyond column 65,535 of a minified policy: miette used to panic (exit 101) on
/// such columns. The snippet is clipped around the span, the header keeps the exact column.
#[test]
fn a_finding_past_column_65535_is_reported_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let mut statements = vec![STATEMENT_OK; 1000];
    statements.push(STATEMENT_ADMIN);
    let text = minified_policy(&statements);
    // P001 points at the `"*"` of `Action`.
    let column = text.find(STATEMENT_ADMIN).unwrap() + STATEMENT_ADMIN.find("\"*\"").unwrap() + 1;
    assert!(column > 65_535);
    write(tmp.path(), "policy.json", &text);
    let out = lint_admin_star(tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("[policy.json:1:{column}]")),
        "{stdout}"
    );
    assert!(stdout.contains('…'), "{stdout}");
    assert!(stdout.len() < 4000, "{} bytes: {stdout}", stdout.len());
    assert!(stdout.ends_with("1 error, 0 warnings, 0 infos in 1 file (1 document)\n"));
}

/// 1,000 findings on one 64 KB line: each snippet shows a window of the line, not the line
/// (this was 160 MB of output), and 32,000 findings on one line are not quadratic in time.
#[test]
fn many_findings_on_one_long_line_give_bounded_output() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "policy.json",
        minified_policy(&vec![STATEMENT_ADMIN; 32_000]),
    );
    let out = lint_admin_star(tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.len() < 200_000, "{} bytes of output", stdout.len());
    assert!(
        stdout.contains("31900 more findings of this rule in this file are not reported"),
        "{}",
        &stdout[stdout.len().saturating_sub(2000)..]
    );
    assert!(stdout.ends_with("101 errors, 0 warnings, 0 infos in 1 file (1 document)\n"));
}

/// `k: v` 300,000 times (1.5 MB): this ran out of memory (300,000 duplicate-key findings, each
/// with a related location). Now 100 findings and one summary.
#[test]
fn three_hundred_thousand_duplicate_keys_are_capped() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "kv.yaml", "k: v\n".repeat(300_000));
    let (code, v) = lint_json(tmp.path(), &["kv.yaml"]);
    assert_eq!(code, 1);
    let found = findings_for(&v, "kv.yaml");
    assert_eq!(found.len(), 101);
    assert_eq!(found[0], ("duplicate-key".to_string(), 2, 1));
    assert_eq!(found[100], ("duplicate-key".to_string(), 102, 1));
    assert_eq!(
        v["findings"][100]["message"],
        "299899 more findings of this rule in this file are not reported (at most 100 per rule and file)"
    );
}

/// A flow sequence of a million integers is loaded (it took 1.4 GB for 5 million: an arena
/// slot, an index and two copies of every node) and a policy of 20,000 statements gives
/// capped findings in JSON.
#[test]
fn huge_sequences_load_and_give_capped_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let mut flow = String::from("[");
    flow.push_str(&"1,".repeat(999_999));
    flow.push_str("1]\n");
    write(tmp.path(), "flow.yaml", &flow);
    write(
        tmp.path(),
        "policy.json",
        minified_policy(&vec![STATEMENT_ADMIN; 20_000]).replace("},{", "},\n{"),
    );
    let (code, v) = lint_json(tmp.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["documents"], 2);
    assert!(findings_for(&v, "flow.yaml").is_empty());
    let policy = findings_for(&v, "policy.json");
    assert_eq!(policy.len(), 101, "{policy:?}");
    assert!(policy.iter().all(|(rule, _, _)| rule == "perm-admin-star"));
    // One statement per line from the second on: the 101st finding is on line 101.
    assert_eq!(policy[100].1, 101);
}

/// A linted file is untrusted: control characters in its values (an `ESC [ 2 J` that clears
/// the screen, an OSC title sequence, the C1 CSI U+009B) are quoted in messages, snippets,
/// the map table and render's notes, and must reach the terminal as text, not act on it.
#[test]
fn control_characters_of_the_inputs_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sa.yaml",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: \"api\\e[2J\"\n  namespace: \"shop\\u009b31m\"\n  annotations:\n    eks.amazonaws.com/role-arn: \"arn:aws:iam::1:role/\u{1b}]0;pwned\u{7}x\"\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: \"shop\\u009b31m\"\nspec:\n  template:\n    spec:\n      serviceAccountName: \"api\\e[2J\"\n      containers:\n        - name: app\n          image: example/app:1\n",
    );
    let runs: [&[&str]; 5] = [
        &["lint", "--color", "never", "sa.yaml"],
        &["lint", "--format", "concise", "sa.yaml"],
        &["lint", "--explain", "sa.yaml"],
        &["map", "sa.yaml"],
        &["render", "sa.yaml"],
    ];
    for args in runs {
        let out = cargo_bin_cmd!("irsalint")
            .current_dir(dir.path())
            .args(args)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            let bad: Vec<char> = text
                .chars()
                .filter(|&c| c.is_control() && c != '\n' && c != '\t')
                .collect();
            assert!(bad.is_empty(), "{args:?} {stream}: {bad:?}\n{text}");
        }
        // The finding is still there, its value shown escaped.
        if args[0] == "lint" {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("\\u{1b}"), "{args:?}: {text}");
        }
    }
}

/// `--max-file-size` and `max-file-size` in irsalint.toml move the size limit both ways, for
/// files and stdin (a `terraform show -json` plan of a large root passes 10 MiB), and a size
/// that is not one stops the run with exit 2 and says where.
#[test]
fn max_file_size_is_configurable() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // 2,000 bytes of valid trust policy with the wildcard finding.
    let padded = TRUST_WILDCARD.replacen('{', &format!("{{\"Id\": \"{}\",", "x".repeat(1500)), 1);
    assert!(
        padded.len() > 1500 && padded.len() < 2048,
        "{}",
        padded.len()
    );
    write(d, "trust.json", &padded);
    // What the file gives when it is read.
    const READ: [&str; 2] = ["trust-missing-aud", "trust-wildcard-in-stringequals"];
    let rules = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, v) = lint_json(d, &["trust.json"]);
    assert_eq!(rules(&v), READ, "{v:#}");
    // Lowered on the command line: the file is not read, and the finding says how to raise it.
    let (code, v) = lint_json(d, &["--max-file-size", "1KiB", "trust.json"]);
    assert_eq!(code, 1);
    assert_eq!(rules(&v), ["input-limit"], "{v:#}");
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("file is larger than the size limit of 1024 bytes; not read (raise it with `--max-file-size`"),
        "{msg}"
    );
    // In bytes, and exactly at the limit: read.
    let n = padded.len().to_string();
    let (_, v) = lint_json(d, &["--max-file-size", &n, "trust.json"]);
    assert_eq!(rules(&v), READ, "{v:#}");
    let less = (padded.len() - 1).to_string();
    let (_, v) = lint_json(d, &["--max-file-size", &less, "trust.json"]);
    assert_eq!(rules(&v), ["input-limit"], "{v:#}");
    // Stdin obeys the same limit.
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(d)
        .args(["lint", "--format", "json", "--max-file-size", "1k", "-"])
        .write_stdin(padded.clone())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rules(&v), ["input-limit"], "{v:#}");
    // From irsalint.toml, as text or as bytes; the command line wins.
    write(d, "irsalint.toml", "[lint]\nmax-file-size = \"1 KiB\"\n");
    let (_, v) = lint_json(d, &["trust.json"]);
    assert_eq!(rules(&v), ["input-limit"], "{v:#}");
    let (_, v) = lint_json(d, &["--max-file-size", "64MiB", "trust.json"]);
    assert_eq!(rules(&v), READ, "{v:#}");
    write(d, "irsalint.toml", "[lint]\nmax-file-size = 1000\n");
    let (_, v) = lint_json(d, &["trust.json"]);
    assert_eq!(rules(&v), ["input-limit"], "{v:#}");
    // `map` reads with the config's limit too: the file it cannot read is listed unreadable.
    let unreadable = |d: &Path, flags: &[&str]| {
        let out = cargo_bin_cmd!("irsalint")
            .current_dir(d)
            .args(["map", "--format", "json", "trust.json"])
            .args(flags)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["unreadable"].as_array().unwrap().len()
    };
    assert_eq!(unreadable(d, &[]), 1);
    assert_eq!(unreadable(d, &["--max-file-size", "1MiB"]), 0);
    std::fs::remove_file(d.join("irsalint.toml")).unwrap();
    assert_eq!(unreadable(d, &[]), 0);
    assert_eq!(unreadable(d, &["--max-file-size", "1000"]), 1);
    // And `render`, which stops with exit 2 on an input it cannot read.
    let render = |flags: &[&str]| {
        cargo_bin_cmd!("irsalint")
            .current_dir(d)
            .args(["render", "trust.json"])
            .args(flags)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    };
    assert_eq!(render(&[]).status.code(), Some(0));
    let small = render(&["--max-file-size", "1000"]);
    assert_eq!(small.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&small.stderr).contains("(input-limit)"),
        "{}",
        String::from_utf8_lossy(&small.stderr)
    );
    // Not a size: exit 2, with the position in the config, or clap's error for the flag.
    write(d, "irsalint.toml", "[lint]\nmax-file-size = \"64 MiBs\"\n");
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(d)
        .args(["lint", "trust.json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("irsalint.toml:2:17: max-file-size `64 MiBs` is not a size"),
        "{err}"
    );
    std::fs::remove_file(d.join("irsalint.toml")).unwrap();
    let out = cargo_bin_cmd!("irsalint")
        .current_dir(d)
        .args(["lint", "--max-file-size", "lots", "trust.json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`lots` is not a size"), "{err}");
}
