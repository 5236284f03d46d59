//! `--fix`, suppressions, writes and walks: the reproducers of issue #18, each run through
//! the built binary on a copy of a fixture of `testdata/fix/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_irsalint");

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/fix")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A temporary directory holding copies of the named fixtures.
fn dir_with(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for n in names {
        std::fs::write(dir.path().join(n), fixture(n)).unwrap();
    }
    dir
}

/// Runs `irsalint lint ARGS` in `dir`: exit code, stdout, stderr.
fn lint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn findings(stdout: &str) -> Vec<(String, u64, u64)> {
    let v: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// A second `--fix` has nothing left to change: `--diff` prints nothing.
fn assert_fixed_point(dir: &Path) {
    let (code, out, err) = lint(dir, &["--diff", "--fail-on", "info"]);
    assert_eq!(out, "", "{err}");
    assert!(code == 0 || code == 1, "{err}");
}

#[test]
fn suppression_text_inside_scalars_is_not_a_directive_and_fix_leaves_it() {
    for name in ["quoted-suppression.yaml", "block-suppression.yaml"] {
        let dir = dir_with(&[name]);
        let (code, out, err) = lint(
            dir.path(),
            &["--fix", "--fail-on", "info", "--format", "json"],
        );
        assert_eq!((code, findings(&out)), (0, vec![]), "{name}: {err}");
        assert_eq!(read(dir.path(), name), fixture(name), "{name} unchanged");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

#[test]
fn suppression_text_inside_a_quoted_value_hides_no_real_finding() {
    let dir = dir_with(&["scalar-hides-s002.yaml"]);
    let (code, out, _) = lint(dir.path(), &["--format", "json", "--select", "S002"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&out), [("sa-arn-malformed".to_string(), 7, 33)]);
}

#[test]
fn a_fix_making_a_duplicate_key_is_refused_and_said() {
    let name = "duplicate-operator-trust.json";
    let dir = dir_with(&[name]);
    let (code, out, err) = lint(dir.path(), &["--fix", "--format", "json"]);
    assert_eq!(read(dir.path(), name), fixture(name), "not applied");
    assert!(
        err.contains("duplicate-operator-trust.json:9:7: trust-operator-typo: not fixed: the result would have a duplicate-key finding at line 9, column 7"),
        "{err}"
    );
    assert_eq!(code, 1);
    assert!(findings(&out).contains(&("trust-operator-typo".to_string(), 9, 7)));
}

#[test]
fn a_fix_that_makes_a_policy_full_admin_is_refused() {
    let name = "lowercase-allow-admin.json";
    let dir = dir_with(&[name]);
    let (code, out, err) = lint(dir.path(), &["--fix", "--format", "json"]);
    assert_eq!(read(dir.path(), name), fixture(name), "not applied");
    assert!(
        err.contains(
            "policy-invalid-effect: not fixed: the result would have a perm-admin-star finding"
        ),
        "{err}"
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&out),
        [("policy-invalid-effect".to_string(), 3, 28)]
    );
}

#[test]
fn an_env_rename_that_makes_an_irsa_conflict_is_refused() {
    let name = "env-typo-irsa-pod.yaml";
    let dir = dir_with(&[name]);
    let (code, _, err) = lint(dir.path(), &["--fix"]);
    assert_eq!(read(dir.path(), name), fixture(name), "not applied");
    assert!(
        err.contains("env-typo-irsa-pod.yaml:20:17: pod-env-typo: not fixed: the result would have a pod-irsa-env-conflict finding"),
        "{err}"
    );
    assert_eq!(code, 1);
}

#[test]
fn fixes_run_to_a_fixed_point_in_one_run() {
    let name = "forallvalue-trust.json";
    let dir = dir_with(&[name]);
    let (code, _, err) = lint(dir.path(), &["--fix", "--fail-on", "info"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("fixed 3 finding(s) in 1 file(s)"), "{err}");
    // `ForAllValue:` → `ForAllValues:` (T010) → the plain operator (T011, for sub and aud).
    assert_eq!(
        read(dir.path(), name),
        fixture(name).replace("\"ForAllValue:StringEquals\"", "\"StringEquals\"")
    );
    assert_fixed_point(dir.path());
}

#[test]
fn crlf_files_stay_crlf() {
    let names = [
        "crlf-no-version.json",
        "crlf-no-version.yaml",
        "crlf-unused-suppression.yaml",
    ];
    let dir = dir_with(&names);
    let (code, _, err) = lint(dir.path(), &["--fix", "--fail-on", "info"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        read(dir.path(), names[0]),
        "{\r\n  \"Version\": \"2012-10-17\",\r\n  \"Statement\": [\r\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}\r\n  ]\r\n}\r\n"
    );
    assert_eq!(
        read(dir.path(), names[1]),
        "Version: \"2012-10-17\"\r\nStatement:\r\n  - Effect: Allow\r\n    Action: s3:GetObject\r\n    Resource: arn:aws:s3:::b/*\r\n"
    );
    assert_eq!(
        read(dir.path(), names[2]),
        "apiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: app\r\n  namespace: team\r\n"
    );
    assert_fixed_point(dir.path());
}

#[test]
fn the_report_after_fix_is_a_fresh_lint_with_the_fixed_file_s_positions() {
    let dir = tempfile::tempdir().unwrap();
    // `Version` is inserted above the statement: the admin finding moves from line 3 to 4.
    let text = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}\n  ]\n}\n";
    std::fs::write(dir.path().join("p.json"), text).unwrap();
    let (_, before, _) = lint(dir.path(), &["--format", "json"]);
    assert!(findings(&before).contains(&("perm-admin-star".to_string(), 3, 35)));
    let (code, out, err) = lint(dir.path(), &["--fix", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&out), [("perm-admin-star".to_string(), 4, 35)]);
    // The same as linting the fixed file from scratch.
    let (code2, fresh, _) = lint(dir.path(), &["--format", "json"]);
    assert_eq!((code2, findings(&fresh)), (code, findings(&out)));
}

#[cfg(unix)]
#[test]
fn a_symlinked_input_is_fixed_in_its_target() {
    let dir = dir_with(&["crlf-no-version.json"]);
    let sub = dir.path().join("links");
    std::fs::create_dir(&sub).unwrap();
    std::os::unix::fs::symlink("../crlf-no-version.json", sub.join("p.json")).unwrap();
    let (code, _, err) = lint(dir.path(), &["--fix", "--fail-on", "info", "links/p.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::symlink_metadata(sub.join("p.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(dir.path(), "crlf-no-version.json").contains("\"Version\""));
}

#[cfg(unix)]
#[test]
fn a_hard_linked_input_is_not_split_and_that_is_said() {
    let dir = dir_with(&["crlf-no-version.json"]);
    std::fs::hard_link(
        dir.path().join("crlf-no-version.json"),
        dir.path().join("other-name.txt"),
    )
    .unwrap();
    let (code, _, err) = lint(
        dir.path(),
        &["--fix", "--fail-on", "info", "crlf-no-version.json"],
    );
    assert!(
        err.contains("crlf-no-version.json: has 2 hard links; not fixed"),
        "{err}"
    );
    assert_eq!(code, 1, "the finding is still there");
    assert_eq!(
        read(dir.path(), "crlf-no-version.json"),
        fixture("crlf-no-version.json")
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_fixed_under_its_own_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.json");
    std::fs::write(dir.path().join(name), fixture("crlf-no-version.json")).unwrap();
    let (code, _, err) = lint(dir.path(), &["--fix", "--fail-on", "info"]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(names, [dir.path().join(name)], "no new file");
    assert!(std::fs::read_to_string(dir.path().join(name))
        .unwrap()
        .contains("\"Version\""));
}

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo");
}

#[cfg(unix)]
#[test]
fn write_baseline_only_to_a_regular_file_or_a_new_path() {
    let dir = dir_with(&["lowercase-allow-admin.json"]);
    mkfifo(&dir.path().join("fifo"));
    std::os::unix::fs::symlink("/proc/self/fd/1", dir.path().join("to-stdout")).unwrap();
    for bad in ["/dev/null", "fifo", "to-stdout", "."] {
        let (code, _, err) = lint(dir.path(), &["--write-baseline", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("irsalint: error:"), "{err}");
    }
    assert!(std::fs::symlink_metadata(dir.path().join("fifo"))
        .unwrap()
        .file_type()
        .is_fifo_like());
    let (code, _, err) = lint(dir.path(), &["--write-baseline", "new.json"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = lint(dir.path(), &["--write-baseline", "new.json"]);
    assert_eq!(code, 0, "{err}: a regular file is replaced");
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_fifo()
    }
}

#[cfg(unix)]
#[test]
fn baseline_and_config_are_read_like_inputs() {
    let dir = dir_with(&["lowercase-allow-admin.json"]);
    mkfifo(&dir.path().join("fifo"));
    for args in [
        ["--baseline", "/dev/zero"],
        ["--config", "/dev/zero"],
        ["--baseline", "fifo"],
        ["--config", "fifo"],
    ] {
        let (code, _, err) = lint(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("not a regular file"), "{err}");
    }
    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(11 * 1024 * 1024).unwrap();
    let (code, _, err) = lint(
        dir.path(),
        &["--baseline", "big.json", "lowercase-allow-admin.json"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("larger than the size limit"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn failed_writes_to_stdout_are_exit_2_and_a_closed_pipe_is_quiet() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let root = env!("CARGO_MANIFEST_DIR");
    for args in [
        &["lint", "examples", "--format", "json"][..],
        &["render", "examples"][..],
        &["explain", "T001"][..],
        &["rules"][..],
    ] {
        let out = Command::new(BIN)
            .current_dir(root)
            .args(args)
            .stdout(full())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("cannot write the output"), "{args:?}: {err}");
    }
    // The reader goes away before anything is written.
    let mut child = Command::new(BIN)
        .current_dir(root)
        .args(["rules", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn an_unreadable_input_fails_the_gate() {
    let dir = dir_with(&["crlf-no-version.json"]);
    mkfifo(&dir.path().join("pipe.yaml"));
    let (code, out, _) = lint(
        dir.path(),
        &["--fail-on", "error", "--format", "json", "pipe.yaml"],
    );
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["findings"][0]["rule"], "input-not-text");
    assert_eq!(v["findings"][0]["severity"], "error");
    assert_eq!(
        v["findings"][0]["message"],
        "cannot read the file: not a regular file"
    );
}

#[cfg(unix)]
#[test]
fn walks_count_what_they_skip_and_an_empty_path_is_an_error() {
    let dir = dir_with(&["crlf-no-version.json"]);
    mkfifo(&dir.path().join("pipe.yaml"));
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("t.json"),
        fixture("lowercase-allow-admin.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(other.path().join("t.json"), dir.path().join("link.json")).unwrap();
    std::os::unix::fs::symlink(other.path(), dir.path().join("linked-dir")).unwrap();

    let (_, out, _) = lint(dir.path(), &["--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["skipped"], 3);
    assert_eq!(
        v["skipped"],
        serde_json::json!([
            {"path": "link.json", "reason": "symlink not followed (use --follow-links)"},
            {"path": "linked-dir", "reason": "symlink not followed (use --follow-links)"},
            {"path": "pipe.yaml", "reason": "not a regular file"},
        ])
    );
    let (_, out, _) = lint(dir.path(), &["--color", "never"]);
    assert!(
        out.trim_end().ends_with(
            "3 skipped (2 symlinks not followed (use --follow-links), 1 not a regular file), 1 fixable with --fix"
        ),
        "{out}"
    );
    // Followed on request: the linked file (twice: by the file link and the directory link).
    let (_, out, _) = lint(dir.path(), &["--format", "json", "--follow-links"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["files"], 3, "{out}");
    assert_eq!(v["summary"]["skipped"], 1);

    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("notes.md"), "# not an input\n").unwrap();
    let (code, _, err) = lint(empty.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("irsalint: error: .: no input file found"),
        "{err}"
    );
}

#[test]
fn baseline_entries_survive_a_line_inserted_above_a_duplicate_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: 1\n  k: 2\n";
    std::fs::write(dir.path().join("cm.yaml"), text).unwrap();
    let (code, _, err) = lint(dir.path(), &["--write-baseline", "b.json"]);
    assert_eq!(code, 0, "{err}");
    let baseline = read(dir.path(), "b.json");
    assert!(baseline.contains("the value at line 6"), "{baseline}");
    std::fs::write(
        dir.path().join("cm.yaml"),
        format!("# a new first line\n{text}"),
    )
    .unwrap();
    let (code, out, err) = lint(dir.path(), &["--baseline", "b.json", "--format", "json"]);
    assert_eq!((code, findings(&out)), (0, vec![]), "{err}");
}

#[test]
fn good_fixes_are_applied_next_to_refused_ones_and_a_second_run_changes_nothing() {
    let names = [
        "duplicate-operator-trust.json",
        "lowercase-allow-admin.json",
        "forallvalue-trust.json",
        "crlf-no-version.json",
    ];
    let dir = dir_with(&names);
    let (code, _, err) = lint(dir.path(), &["--fix"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("not fixed").count(), 2, "{err}");
    assert!(err.contains("fixed 4 finding(s) in 2 file(s)"), "{err}");
    assert_eq!(read(dir.path(), names[0]), fixture(names[0]));
    assert_eq!(read(dir.path(), names[1]), fixture(names[1]));
    assert!(read(dir.path(), names[2]).contains("{\"StringEquals\": {"));
    assert!(read(dir.path(), names[3]).starts_with("{\r\n  \"Version\": \"2012-10-17\",\r\n"));
    assert_fixed_point(dir.path());
}

/// `--fix` of a `jsonencode()` policy without `Version` in a `.tf` (Innfi/devops-tools
/// Terraform/iam_group_cloudwatch/main.tf@eca8158, trimmed): the entry is written as the
/// object's others, `Version = "2012-10-17"` on its own line before `Statement`, the finding
/// is gone and a second run changes nothing.
#[test]
fn fix_adds_version_to_an_hcl_object_in_its_style() {
    let dir = tempfile::tempdir().unwrap();
    let before = "resource \"aws_iam_policy\" \"policy_cloudwatch_view\" {\n  name = \"cloudwatch_view\"\n\n  policy = jsonencode({\n    Statement = [\n      {\n        Action = [\n          \"logs:GetLogEvents\",\n        ],\n        Effect = \"Allow\",\n        Resource = \"*\",\n      },\n    ]\n  })\n}\n";
    std::fs::write(dir.path().join("main.tf"), before).unwrap();
    let (_, out, _) = lint(dir.path(), &["--format", "json", "--select", "G002"]);
    assert_eq!(findings(&out), [("policy-version".to_string(), 5, 5)]);
    lint(dir.path(), &["--fix", "--select", "G002"]);
    let fixed = read(dir.path(), "main.tf");
    assert_eq!(
        fixed,
        before.replace(
            "jsonencode({\n    Statement",
            "jsonencode({\n    Version = \"2012-10-17\"\n    Statement"
        )
    );
    let (code, out, _) = lint(dir.path(), &["--format", "json", "--select", "G002"]);
    assert_eq!((code, findings(&out)), (0, vec![]));
    lint(dir.path(), &["--fix", "--select", "G002"]);
    assert_eq!(read(dir.path(), "main.tf"), fixed);
}
