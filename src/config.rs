//! `irsalint.toml`: found by walking up from the current directory, or `--config`.
//! Unknown keys and unknown rule names are errors (exit 2), never silence.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::rules::rule_selector::{self, Selector};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub lint: LintConfig,
    #[serde(default)]
    pub cluster: ClusterConfig,
    /// Defaults for `irsalint render`, named like the webhook's flags.
    #[serde(default)]
    pub render: BTreeMap<String, toml::Value>,
    /// Where the config was read from (not a key of the file).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LintConfig {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub fail_on: Option<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// Globs the directory walk leaves out, relative to this file's directory.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// More of the same, for a config that extends a shared list.
    #[serde(default)]
    pub extend_exclude: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PerFileIgnore {
    pub path: String,
    pub rules: Vec<String>,
    pub reason: String,
}

// What the user states about the cluster is part of the model (the World reads it); the
// config file only carries it.
pub use crate::model::cluster::ClusterConfig;

impl AsRef<ClusterConfig> for Config {
    fn as_ref(&self) -> &ClusterConfig {
        &self.cluster
    }
}

pub const FILE_NAME: &str = "irsalint.toml";

/// Keys of `[render]`: the webhook's flags (DESIGN.md §7) and render's own options. The
/// render command reads them; anything else is a typo worth an error.
pub const RENDER_KEYS: &[&str] = &[
    "annotation-prefix",
    "token-audience",
    "aws-default-region",
    "sts-regional-endpoint",
    "token-expiration",
    "token-mount-path",
    "container-credentials-audience",
    "container-credentials-mount-path",
    "container-credentials-full-uri",
    "pod-identity-association",
    "jitter",
    "mode",
    "format",
];

/// Finds `irsalint.toml` in `start` or a parent directory.
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let p = d.join(FILE_NAME);
        if p.is_file() {
            return Some(p);
        }
        dir = d.parent();
    }
    None
}

/// Reads and validates a config file. Errors are ready to print: `irsalint.toml:4:1: ...`.
/// The configuration of a run: `explicit` (`--config`), else `irsalint.toml` in `cwd` or a
/// parent directory, else the defaults.
pub fn resolve(explicit: Option<&Path>, cwd: &Path) -> Result<Config, String> {
    use crate::source::discover::display_path;
    match explicit {
        Some(p) => load(p, &display_path(p, cwd)),
        None => match find(cwd) {
            Some(p) => load(&p, &display_path(&p, cwd)),
            None => Ok(Config::default()),
        },
    }
}

pub fn load(path: &Path, shown: &str) -> Result<Config, String> {
    let limit = crate::source::Limits::default().max_file_size;
    let text = crate::load::read_text_file(path, limit).map_err(|e| format!("{shown}: {e}"))?;
    parse(&text, shown).map(|mut c| {
        c.path = Some(path.to_path_buf());
        c
    })
}

pub fn parse(text: &str, shown: &str) -> Result<Config, String> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let idx = crate::source::file::LineIndex::new(text);
                let (l, c) = idx.line_col(text, s.start);
                format!(":{l}:{c}")
            })
            .unwrap_or_default();
        let msg = e.message().trim_end_matches('.');
        format!("{shown}{at}: {msg}{}", did_you_mean_field(msg))
    })?;
    config.validate(text, shown)?;
    Ok(config)
}

/// ` (did you mean `select`?)` for serde's "unknown field `selekt`, expected one of ...".
fn did_you_mean_field(msg: &str) -> String {
    let Some(rest) = msg.strip_prefix("unknown field `") else {
        return String::new();
    };
    let Some((field, expected)) = rest.split_once('`') else {
        return String::new();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match rule_selector::did_you_mean(field, candidates) {
        Some(best) => format!(" (did you mean `{best}`?)"),
        None => String::new(),
    }
}

impl Config {
    fn validate(&self, text: &str, shown: &str) -> Result<(), String> {
        // `:line:column` of a value written as a string, or of a bare key.
        let at = |needle: &str| {
            let idx = crate::source::file::LineIndex::new(text);
            let quoted = text.find(&format!("\"{needle}\""));
            let bare = || {
                text.match_indices(needle).map(|(o, _)| o).find(|&o| {
                    let line_start = text[..o].rfind('\n').map_or(0, |i| i + 1);
                    text[line_start..o].trim().is_empty()
                })
            };
            quoted
                .or_else(bare)
                .map(|o| {
                    let (l, c) = idx.line_col(text, o);
                    format!(":{l}:{c}")
                })
                .unwrap_or_default()
        };
        for key in self.render.keys() {
            if !RENDER_KEYS.contains(&key.as_str()) {
                let hint = rule_selector::did_you_mean(key, RENDER_KEYS.iter().copied())
                    .map(|b| format!(" (did you mean `{b}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "{shown}{}: unknown key `{key}` in [render]{hint}",
                    at(key)
                ));
            }
        }
        let check = |s: &String| -> Result<Selector, String> {
            rule_selector::parse(s).map_err(|m| format!("{shown}{}: {m}", at(s)))
        };
        for s in self.lint.select.iter().chain(&self.lint.ignore) {
            check(s)?;
        }
        for p in &self.lint.per_file_ignores {
            for r in &p.rules {
                check(r)?;
            }
            globset::Glob::new(&p.path)
                .map_err(|e| format!("{shown}{}: invalid path pattern: {e}", at(&p.path)))?;
            if p.reason.trim().is_empty() {
                return Err(format!(
                    "{shown}{}: per-file-ignores needs a non-empty reason",
                    at(&p.path)
                ));
            }
        }
        for (rule, sev) in &self.lint.severity {
            if rule_selector::find_rule(rule).is_none() {
                return Err(format!(
                    "{shown}{}: {}",
                    at(rule),
                    rule_selector::unknown_rule_message(rule)
                ));
            }
            if Severity::parse(sev).is_none() {
                return Err(format!(
                    "{shown}{}: severity \"{sev}\" for {rule} must be error, warning or info",
                    at(sev)
                ));
            }
        }
        if let Some(f) = &self.lint.fail_on {
            if Severity::parse(f).is_none() {
                return Err(format!(
                    "{shown}{}: fail-on \"{f}\" must be error, warning or info",
                    at(f)
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_rules_are_errors_with_positions() {
        let e = parse("[lint]\nselekt = [\"all\"]\n", "irsalint.toml").unwrap_err();
        assert!(
            e.starts_with("irsalint.toml:2:1: unknown field `selekt`"),
            "{e}"
        );
        assert!(e.ends_with("(did you mean `select`?)"), "{e}");
        let e = parse("[render]\naws-default-regoin = \"x\"\n", "irsalint.toml").unwrap_err();
        assert_eq!(
            e,
            "irsalint.toml:2:1: unknown key `aws-default-regoin` in [render] (did you mean `aws-default-region`?)"
        );
        let e = parse(
            "[lint.severity]\ntrust-no-sub-conditon = \"info\"\n",
            "irsalint.toml",
        )
        .unwrap_err();
        assert!(e.starts_with("irsalint.toml:2:1: unknown rule"), "{e}");
        let e = parse(
            "[lint]\nignore = [\"trust-no-sub-conditon\"]\n",
            "irsalint.toml",
        )
        .unwrap_err();
        assert_eq!(
            e,
            "irsalint.toml:2:11: unknown rule \"trust-no-sub-conditon\" (did you mean \"trust-no-sub-condition\"?)"
        );
        let ok = parse("[cluster]\naudiences = [\"sts.amazonaws.com\"]\n", "x").unwrap();
        assert_eq!(ok.cluster.audiences, ["sts.amazonaws.com"]);
    }
}
