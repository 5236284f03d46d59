//! The README tells the truth: every output sample marked `<!-- checked: ARGS -->` is what
//! `irsalint ARGS` prints today, and every `irsalint ...` command line in its shell blocks is
//! one the command line accepts.
//!
//! How a sample is compared, by its fence:
//! - a plain block is the output's lines; a line `...` stands for any number of lines, and a
//!   line ending in `...` for any line starting with the text before it. Without a leading or
//!   trailing `...`, the sample must start or end the output;
//! - a `json` block is parsed (`{...}` and `"..."` stand for any value, a string ending in
//!   `...` for any string starting with the text before it) and every field it shows must
//!   equal the real one; an array shows some of the real elements, in order.

use std::path::Path;
use std::process::Command;

use clap::Parser;
use serde_json::Value;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// (line number, args, fence info, body) of every checked sample.
fn checked_samples(text: &str) -> Vec<(usize, String, String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(args) = l
            .trim()
            .strip_prefix("<!-- checked: ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines
            .get(i + 1)
            .and_then(|f| f.strip_prefix("```"))
            .unwrap_or_else(|| panic!("README.md:{}: a code block must follow", i + 1));
        let end = (i + 2..lines.len())
            .find(|&j| lines[j] == "```")
            .unwrap_or_else(|| panic!("README.md:{}: unclosed block", i + 2));
        out.push((
            i + 1,
            args.to_string(),
            fence.to_string(),
            lines[i + 2..end].join("\n"),
        ));
    }
    out
}

fn run(args: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_irsalint"))
        .args(args.split_whitespace())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // The width and colour a reader of the README sees: no terminal, 100 columns.
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn line_matches(sample: &str, actual: &str) -> bool {
    // Trailing blanks of the terminal output are not kept in the README.
    let (sample, actual) = (sample.trim_end(), actual.trim_end());
    match sample.strip_suffix("...") {
        Some(prefix) if !prefix.is_empty() => actual.starts_with(prefix),
        _ => sample == actual,
    }
}

/// Whether `actual` is `sample` with its `...` lines standing for any lines.
fn text_matches(sample: &str, actual: &str) -> Result<(), String> {
    let actual: Vec<&str> = actual.lines().collect();
    let segments: Vec<Vec<&str>> = sample
        .split('\n')
        .collect::<Vec<_>>()
        .split(|l| *l == "...")
        .map(|s| s.to_vec())
        .collect();
    let mut at = 0;
    let last = segments.len() - 1;
    for (k, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            continue;
        }
        let fits = |start: usize| {
            start + seg.len() <= actual.len()
                && seg
                    .iter()
                    .zip(&actual[start..])
                    .all(|(s, a)| line_matches(s, a))
        };
        let start = if k == 0 {
            Some(0).filter(|&s| fits(s))
        } else if k == last {
            actual
                .len()
                .checked_sub(seg.len())
                .filter(|&s| s >= at && fits(s))
        } else {
            (at..actual.len()).find(|&s| fits(s))
        };
        match start {
            Some(s) => at = s + seg.len(),
            None => {
                return Err(format!(
                    "this part of the sample is not in the output:\n{}\n--- output ---\n{}",
                    seg.join("\n"),
                    actual.join("\n")
                ))
            }
        }
    }
    Ok(())
}

/// Whether every value `sample` shows is the one in `actual` (see the module doc).
fn json_matches(sample: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (sample, actual) {
        (Value::String(s), _) if s == "..." => Ok(()),
        (Value::String(s), Value::String(a)) if s.ends_with("...") => {
            match a.starts_with(&s[..s.len() - 3]) {
                true => Ok(()),
                false => Err(format!(
                    "{path}: the README says {s:?}, the output has {a:?}"
                )),
            }
        }
        (Value::Object(s), Value::Object(a)) => {
            for (k, v) in s {
                let Some(av) = a.get(k) else {
                    return Err(format!("{path}.{k}: not in the output"));
                };
                json_matches(v, av, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(s), Value::Array(a)) => {
            let mut from = 0;
            for (i, sv) in s.iter().enumerate() {
                let found = (from..a.len())
                    .find(|&j| json_matches(sv, &a[j], &format!("{path}[{i}]")).is_ok());
                match found {
                    Some(j) => from = j + 1,
                    None => {
                        // Say what differs from the element it was meant to be: the one
                        // that shares the most field values with it (its `code`, `id`).
                        let shared = |e: &Value| match (sv, e) {
                            (Value::Object(s), Value::Object(a)) => s
                                .iter()
                                .filter(|(k, v)| {
                                    !v.is_object() && *v != "..." && a.get(*k) == Some(*v)
                                })
                                .count(),
                            _ => 0,
                        };
                        let why = a[from..]
                            .iter()
                            .rev()
                            .max_by_key(|e| shared(e))
                            .map(|e| json_matches(sv, e, &format!("{path}[{i}]")).unwrap_err())
                            .unwrap_or_else(|| format!("{path}[{i}]: no such element"));
                        return Err(why);
                    }
                }
            }
            Ok(())
        }
        _ if sample == actual => Ok(()),
        _ => Err(format!(
            "{path}: the README says {sample}, the output has {actual}"
        )),
    }
}

#[test]
fn every_checked_sample_is_the_real_output() {
    let text = readme();
    let samples = checked_samples(&text);
    // The samples the README has today; a block that loses its marker would go unchecked.
    assert!(samples.len() >= 4, "only {} checked samples", samples.len());
    let mut failures = Vec::new();
    for (line, args, fence, body) in samples {
        let actual = run(&args);
        let result = if fence == "json" {
            let sample: Value = serde_json::from_str(&body.replace("{...}", "\"...\""))
                .unwrap_or_else(|e| panic!("README.md:{line}: the sample is not JSON: {e}"));
            let real: Value = serde_json::from_str(&actual)
                .unwrap_or_else(|e| panic!("`irsalint {args}` printed no JSON: {e}"));
            json_matches(&sample, &real, "$")
        } else {
            text_matches(&body, &actual)
        };
        if let Err(e) = result {
            failures.push(format!("README.md:{line} (`irsalint {args}`): {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The `irsalint ...` command lines of the README's `sh` blocks, cut at pipes, redirections,
/// `&&` and comments.
fn command_lines(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for (i, l) in text.lines().enumerate() {
        if let Some(info) = l.strip_prefix("```") {
            in_sh = !in_sh && (info == "sh" || info == "bash");
            continue;
        }
        if !in_sh {
            continue;
        }
        for part in l.split(['|', ';']).flat_map(|p| p.split("&&")) {
            let words: Vec<&str> = part.split_whitespace().collect();
            let Some(start) = words.iter().position(|w| *w == "irsalint") else {
                continue;
            };
            let args: Vec<String> = words[start..]
                .iter()
                .take_while(|w| !w.starts_with('#') && !w.starts_with('>'))
                .map(|w| w.trim_matches('"').to_string())
                .collect();
            out.push((i + 1, args));
        }
    }
    out
}

#[test]
fn every_command_line_in_the_readme_parses() {
    let commands = command_lines(&readme());
    assert!(
        commands.len() >= 15,
        "only {} commands found",
        commands.len()
    );
    let mut failures = Vec::new();
    for (line, args) in &commands {
        if let Err(e) = irsalint::cli::Cli::try_parse_from(args) {
            failures.push(format!("README.md:{line}: `{}`: {e}", args.join(" ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_matchers_fail_on_a_wrong_sample() {
    let out = "a\nb\nc\nd\n";
    assert!(text_matches("a\n...\nd", out).is_ok());
    assert!(text_matches("a\nb...\n...", out).is_ok());
    assert!(
        text_matches("a\n...\nc", out).is_err(),
        "c does not end the output"
    );
    assert!(text_matches("b\n...", out).is_err(), "b does not start it");
    assert!(text_matches("a\n...\nx\n...\nd", out).is_err());
    let real: Value = serde_json::json!({"n": 1, "xs": [{"k": 1}, {"k": 2}], "s": "t"});
    assert!(json_matches(
        &serde_json::json!({"xs": [{"k": 2}], "s": "..."}),
        &real,
        "$"
    )
    .is_ok());
    assert!(json_matches(&serde_json::json!({"n": 2}), &real, "$").is_err());
    assert!(json_matches(&serde_json::json!({"xs": [{"k": 2}, {"k": 1}]}), &real, "$").is_err());
    assert!(json_matches(&serde_json::json!({"missing": 1}), &real, "$").is_err());
    assert!(json_matches(&serde_json::json!({"s": "t..."}), &real, "$").is_ok());
    assert!(json_matches(&serde_json::json!({"s": "u..."}), &real, "$").is_err());
    assert_eq!(
        command_lines("```sh\nhelm template . | irsalint lint - iam/ # x\n```\nirsalint no\n"),
        [(
            2,
            vec![
                "irsalint".to_string(),
                "lint".into(),
                "-".into(),
                "iam/".into()
            ]
        )]
    );
}

/// The `toml` block of the README's "Configuration" section.
fn sample_config(text: &str) -> String {
    let section = &text[text
        .find("\n## Configuration")
        .expect("a Configuration section")..];
    let start = section.find("```toml\n").expect("a toml sample") + "```toml\n".len();
    let end = start + section[start..].find("\n```").expect("closed");
    section[start..end].to_string() + "\n"
}

fn lint_examples_with(config: Option<&str>) -> std::process::Output {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = Command::new("cp")
        .arg("-r")
        .arg(root.join("examples"))
        .arg(tmp.path())
        .status()
        .unwrap();
    assert!(copy.success());
    if let Some(config) = config {
        std::fs::write(tmp.path().join("irsalint.toml"), config).unwrap();
    }
    Command::new(env!("CARGO_BIN_EXE_irsalint"))
        .args(["lint", "--format", "concise", "examples/"])
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// What the README says its sample `irsalint.toml` does to `lint examples/`: exit 2 for the
/// missing `[roles]` files; without `[roles]`, the Quick start's findings minus
/// `trust-no-sub-condition`, nothing else changed.
#[test]
fn the_sample_configuration_does_what_the_readme_says() {
    let text = readme();
    assert!(text.contains("the run stops with exit 2, because its `[roles]` files do not exist"));
    assert!(text.contains("the run reports 3\nerrors instead of the 4"));
    let sample = sample_config(&text);

    let out = lint_examples_with(Some(&sample));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The position the README quotes, which moves when the sample does.
    let quoted = text
        .split("(`irsalint.toml:")
        .nth(1)
        .and_then(|t| t.split_once(": [roles] ... no file`)"))
        .map(|(at, _)| format!("irsalint.toml:{at}: [roles]"))
        .expect("the README quotes the error's position");
    assert!(
        stderr.contains(&quoted) && stderr.contains("no file"),
        "{quoted}: {stderr}"
    );

    let without_roles = &sample[..sample.find("[roles]").expect("a [roles] table")];
    let configured = lint_examples_with(Some(without_roles));
    let plain = lint_examples_with(None);
    assert_eq!(configured.status.code(), Some(1));
    let findings = |o: &std::process::Output| -> Vec<String> {
        String::from_utf8(o.stdout.clone())
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("examples/"))
            .map(str::to_string)
            .collect()
    };
    let expected: Vec<String> = findings(&plain)
        .into_iter()
        .filter(|l| !l.contains(" T001 trust-no-sub-condition "))
        .collect();
    assert_eq!(findings(&plain).len(), 4);
    assert_eq!(expected.len(), 3);
    assert_eq!(findings(&configured), expected);
}
