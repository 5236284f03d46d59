//! How users install and wire irsalint: the GitHub Action's script in a simulated GitHub
//! environment, shell completions loaded into a real bash, the man pages.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_irsalint"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scripts/github-action.sh` as the action's step would, with the GitHub files in a
/// temporary directory; returns (exit code, stdout, step summary, step outputs).
fn run_action(
    dir: &Path,
    inputs: &[(&str, &str)],
    github: &[(&str, &str)],
) -> (i32, String, String, String) {
    let summary = dir.join("summary.md");
    let output = dir.join("output.txt");
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scripts/github-action.sh"))
        .current_dir(root())
        .env("IRSALINT_BIN", bin())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA");
    for (k, v) in inputs {
        cmd.env(format!("INPUT_{k}"), v);
    }
    for (k, v) in github {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash runs");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        read(&summary),
        read(&output),
    )
}

fn lint_json(paths: &[&str]) -> Value {
    let out = Command::new(bin())
        .args(["lint", "--format", "json"])
        .args(paths)
        .current_dir(root())
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn action_gates_annotates_and_writes_sarif_summary_and_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let sarif = tmp.path().join("out/irsalint.sarif");
    let (code, stdout, summary, outputs) = run_action(
        tmp.path(),
        &[
            ("PATHS", "examples/k8s\nexamples/iam examples/cfn"),
            ("SARIF_FILE", sarif.to_str().unwrap()),
            ("MAP", "true"),
        ],
        &[
            ("GITHUB_SERVER_URL", "https://github.example"),
            ("GITHUB_REPOSITORY", "acme/platform"),
            ("GITHUB_SHA", "0123abc"),
        ],
    );
    let report = lint_json(&["examples/k8s", "examples/iam", "examples/cfn"]);
    let findings = report["findings"].as_array().unwrap();
    let errors = report["summary"]["errors"].as_u64().unwrap();
    assert!(errors > 0, "examples/ has errors");
    // The default fail-on is warning, and examples/ has errors.
    assert_eq!(code, 1, "stdout: {stdout}");

    // The log: one GitHub annotation per finding.
    let annotations = stdout
        .lines()
        .filter(|l| {
            l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice ")
        })
        .count();
    assert_eq!(annotations, findings.len(), "{stdout}");

    // SARIF for code scanning, with the same results.
    let sarif_report: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(
        sarif_report["runs"][0]["results"].as_array().unwrap().len(),
        findings.len()
    );

    // Step outputs: the counts and the SARIF path.
    assert!(outputs.contains(&format!("errors={errors}\n")), "{outputs}");
    assert!(
        outputs.contains(&format!("sarif-file={}\n", sarif.display())),
        "{outputs}"
    );

    // The job summary: the verdict, the counts, one row per finding linked to its rule doc
    // and to the line in the commit.
    assert!(summary.starts_with("## irsalint\n"), "{summary}");
    assert!(summary.contains("❌ failed"), "{summary}");
    assert!(
        summary.contains(&format!("| 🔴 error | {errors} |")),
        "{summary}"
    );
    let rows: Vec<&str> = summary
        .lines()
        .filter(|l| l.starts_with("| 🔴 | ") || l.starts_with("| 🟠 | "))
        .collect();
    assert_eq!(rows.len(), findings.len(), "{summary}");
    let first = &findings[0];
    let link = format!(
        "(https://github.example/acme/platform/blob/0123abc/{}#L{})",
        first["file"].as_str().unwrap(),
        first["line"]
    );
    assert!(rows[0].contains(&link), "{} lacks {link}", rows[0]);

    // map: true embeds the access map as a mermaid block, the one `irsalint map` prints.
    let map = Command::new(bin())
        .args([
            "map",
            "--format",
            "mermaid",
            "examples/k8s",
            "examples/iam",
            "examples/cfn",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    let map = String::from_utf8(map.stdout).unwrap();
    assert!(map.starts_with("flowchart"), "{map}");
    let block = format!("```mermaid\n{}\n```", map.trim());
    assert!(summary.contains(&block), "{summary}");
    assert!(
        rows[0].contains(&format!("/rules/{}.md)", first["rule"].as_str().unwrap())),
        "{}",
        rows[0]
    );
}

#[test]
fn action_passes_below_fail_on_and_reports_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    // A clean input: no findings, exit 0, "passed".
    let clean = tmp.path().join("clean.json");
    std::fs::write(
        &clean,
        "{\"kind\": \"ConfigMap\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"x\"}}\n",
    )
    .unwrap();
    let (code, _, summary, outputs) = run_action(
        tmp.path(),
        &[("PATHS", clean.to_str().unwrap()), ("SARIF_FILE", "")],
        &[],
    );
    assert_eq!(code, 0, "{summary}");
    assert!(summary.contains("✅ passed"), "{summary}");
    assert!(summary.contains("No findings."), "{summary}");
    assert!(
        !summary.contains("```mermaid"),
        "no map unless asked: {summary}"
    );
    assert!(outputs.contains("errors=0\n"), "{outputs}");
    assert!(outputs.contains("sarif-file=\n"), "{outputs}");

    // A wrong fail-on is a usage error (exit 2) with an annotation saying why.
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, _, _) = run_action(tmp.path(), &[("FAIL_ON", "warnings")], &[]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains("::error title=irsalint::fail-on must be"),
        "{stdout}"
    );

    // An irsalint usage error (an unknown rule in `args`) is exit 2 and its message shown.
    let (code, stdout, _, _) = run_action(
        tmp.path(),
        &[("PATHS", "examples"), ("ARGS", "--select no-such-rule")],
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        stdout.contains("::error title=irsalint::irsalint: error:"),
        "{stdout}"
    );
}

/// Completes `line` (words separated by spaces; the last one is being typed) with the bash
/// completion script loaded into a real bash.
fn bash_complete(line: &str) -> Vec<String> {
    let script = Command::new(bin())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(script.status.success());
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("irsalint.bash");
    std::fs::write(&path, &script.stdout).unwrap();
    let words: Vec<&str> = line.split(' ').collect();
    let program = format!(
        "source {}\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n_irsalint irsalint '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        path.display(),
        words
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completion_completes_subcommands_flags_and_values() {
    assert_eq!(bash_complete("irsalint li"), ["lint"]);
    let sub = bash_complete("irsalint ");
    for want in [
        "lint",
        "explain",
        "rules",
        "render",
        "completions",
        "manpage",
    ] {
        assert!(sub.iter().any(|s| s == want), "{want} missing from {sub:?}");
    }
    assert_eq!(bash_complete("irsalint lint --fail"), ["--fail-on"]);
    let formats = bash_complete("irsalint lint --format ");
    for want in ["human", "json", "sarif", "github", "junit"] {
        assert!(
            formats.iter().any(|s| s == want),
            "{want} missing: {formats:?}"
        );
    }
}

#[test]
fn completions_exist_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _irsalint"),
        ("zsh", "#compdef irsalint"),
        ("fish", "complete -c irsalint"),
    ] {
        let out = Command::new(bin())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(marker), "{shell}: no `{marker}`");
        assert!(text.contains("render"), "{shell}: no subcommand render");
    }
}

#[test]
fn man_pages_for_the_tool_and_each_subcommand() {
    let main = Command::new(bin()).arg("manpage").output().unwrap();
    assert!(main.status.success());
    let main = String::from_utf8(main.stdout).unwrap();
    assert!(
        main.starts_with(".ie \\n(.g .ds Aq"),
        "roff preamble: {main:.60}"
    );
    assert!(main.contains(".TH irsalint 1"), "{main:.300}");
    assert!(
        main.contains("irsalint\\-lint(1)"),
        "subcommands are listed"
    );

    let lint = Command::new(bin())
        .args(["manpage", "lint"])
        .output()
        .unwrap();
    assert!(lint.status.success());
    let lint = String::from_utf8(lint.stdout).unwrap();
    assert!(lint.contains(".TH irsalint-lint 1"), "{lint:.300}");
    assert!(
        lint.contains("\\-\\-fail\\-on"),
        "lint's options are on its page"
    );

    let bad = Command::new(bin())
        .args(["manpage", "lnt"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no subcommand `lnt`; one of: lint"));
}
