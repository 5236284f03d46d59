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
    /// `[roles]`: a role ARN (or name) → the file holding its bare trust policy, relative
    /// to this file's directory. Resolved into `cluster.role_files` by [`load`].
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
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
    /// The largest input file read (`"64MiB"`, `"100MB"` or a number of bytes); larger
    /// files get `input-limit`. A `terraform show -json` plan of a large root can pass 10 MiB.
    pub max_file_size: Option<FileSize>,
}

/// A size written as text (`"64MiB"`) or as a number of bytes.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FileSize {
    Bytes(u64),
    Text(String),
}

/// Parses a size: a number of bytes, or with a unit (`KiB`/`MiB`/`GiB` are powers of 1024,
/// `K`/`KB`/`M`/`MB`/`G`/`GB` of 1000; case-insensitive, `64 MiB` or `64MiB`).
pub fn parse_file_size(text: &str) -> Result<usize, String> {
    let bytes = parse_size::parse_size(text.trim()).map_err(|e| {
        format!("`{text}` is not a size ({e}); write a number of bytes or one with a unit, like `64MiB` or `100MB`")
    })?;
    checked_size(bytes, text)
}

/// Positions are 32-bit byte offsets (`Span`): a file must end below 4 GiB.
const LARGEST_FILE: u64 = u32::MAX as u64 - 1;

fn checked_size(bytes: u64, shown: &str) -> Result<usize, String> {
    if bytes > LARGEST_FILE {
        return Err(format!(
            "`{shown}` is over the largest file irsalint can read ({LARGEST_FILE} bytes: positions are 32-bit offsets)"
        ));
    }
    usize::try_from(bytes).map_err(|_| format!("`{shown}` is larger than this machine can address"))
}

impl FileSize {
    pub fn bytes(&self) -> Result<usize, String> {
        match self {
            FileSize::Bytes(n) => checked_size(*n, &n.to_string()),
            FileSize::Text(t) => parse_file_size(t),
        }
    }
}

impl Config {
    /// The limits a run reads its inputs with: `base`, with the file size of `flag`
    /// (`--max-file-size`), else of the config (validated when the file was read).
    pub fn limits(
        &self,
        base: crate::source::Limits,
        flag: Option<usize>,
    ) -> crate::source::Limits {
        let configured = || {
            self.lint
                .max_file_size
                .as_ref()
                .and_then(|s| s.bytes().ok())
        };
        match flag.or_else(configured) {
            Some(max_file_size) => crate::source::Limits {
                max_file_size,
                ..base
            },
            None => base,
        }
    }
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
    let cwd = std::env::current_dir().map_err(|e| format!("{shown}: {e}"))?;
    load_in(path, shown, &cwd)
}

/// [`load`] with the working directory the inputs' paths are shown from (`[roles]` files
/// are matched against them).
pub fn load_in(path: &Path, shown: &str, cwd: &Path) -> Result<Config, String> {
    let limit = crate::source::Limits::default().max_file_size;
    let text = crate::load::read_text_file(path, limit).map_err(|e| format!("{shown}: {e}"))?;
    let mut c = parse(&text, shown)?;
    c.path = Some(path.to_path_buf());
    c.cluster.role_files = role_files(&c.roles, path, cwd, &text, shown)?;
    Ok(c)
}

/// `[roles]` as the World reads it: each file relative to the config's directory, checked to
/// exist, shown as the inputs show it (relative to `cwd`).
fn role_files(
    roles: &BTreeMap<String, String>,
    config: &Path,
    cwd: &Path,
    text: &str,
    shown: &str,
) -> Result<Vec<crate::model::cluster::RoleFile>, String> {
    use crate::source::discover::{display_path, lexical};
    let dir = config.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for (role, file) in roles {
        let on_disk = dir.join(file);
        if !on_disk.is_file() {
            return Err(format!(
                "{shown}{}: [roles] `{role}`: no file `{file}` (paths are relative to the directory of {shown})",
                position(text, file),
            ));
        }
        let (arn, name) =
            role_key(role).map_err(|m| format!("{shown}{}: {m}", position(text, role)))?;
        out.push(crate::model::cluster::RoleFile {
            arn,
            name,
            path: lexical(&display_path(&on_disk, cwd)),
        });
    }
    Ok(out)
}

/// A `[roles]` key: a role ARN (its ARN and name) or a bare role name.
fn role_key(role: &str) -> Result<(Option<String>, String), String> {
    use crate::model::iam::arn;
    if role.starts_with("arn:") {
        if let Some(problem) = arn::role_arn_problem(role) {
            return Err(format!("[roles] key `{role}` {problem}"));
        }
        let name = arn::parse(role)
            .and_then(|a| arn::role_path_and_name(a.resource))
            .map(|(_, n)| n.to_string())
            .ok_or_else(|| format!("[roles] key `{role}` is not a role arn"))?;
        return Ok((Some(role.to_string()), name));
    }
    // IAM role names: 1 to 64 of letters, digits and `+=,.@_-`.
    let valid = !role.is_empty()
        && role.len() <= 64
        && role
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if valid {
        Ok((None, role.to_string()))
    } else {
        Err(format!(
            "[roles] key `{role}` is neither a role arn nor a role name (1 to 64 letters, digits and `+=,.@_-`)"
        ))
    }
}

/// `:line:column` of `needle` written as a string (`"x"`), else as a bare key at the start of
/// a line; empty when not found.
fn position(text: &str, needle: &str) -> String {
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
        let at = |needle: &str| position(text, needle);
        for role in self.roles.keys() {
            role_key(role).map_err(|m| format!("{shown}{}: {m}", at(role)))?;
        }
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
        if let Some(size) = &self.lint.max_file_size {
            if let Err(m) = size.bytes() {
                let shown_at = match size {
                    FileSize::Text(t) => at(t),
                    FileSize::Bytes(_) => at("max-file-size"),
                };
                return Err(format!("{shown}{shown_at}: max-file-size {m}"));
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
    fn file_sizes_parse_with_units_and_stay_below_4_gib() {
        assert_eq!(parse_file_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_file_size(" 64 mib "), Ok(64 << 20));
        assert_eq!(parse_file_size("100MB"), Ok(100_000_000));
        assert_eq!(parse_file_size("1k"), Ok(1000));
        assert_eq!(parse_file_size("2048"), Ok(2048));
        assert_eq!(parse_file_size("4294967294"), Ok(4_294_967_294));
        let over = parse_file_size("4GiB").unwrap_err();
        assert!(over.contains("over the largest file"), "{over}");
        assert!(parse_file_size("lots")
            .unwrap_err()
            .starts_with("`lots` is not a size"));
        assert_eq!(FileSize::Bytes(10).bytes(), Ok(10));
        assert!(FileSize::Bytes(u64::MAX).bytes().is_err());
        assert_eq!(FileSize::Text("1KiB".into()).bytes(), Ok(1024));
    }

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

    /// `[roles]` files are relative to the config's directory and must exist; keys are role
    /// ARNs or names. Mistakes say where.
    #[test]
    fn roles_map_files_relative_to_the_config() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = dir.join("testdata/rules/sa-role-not-trusted/roles-config/irsalint.toml");
        let c = load_in(&config, "irsalint.toml", dir).unwrap();
        assert_eq!(
            c.cluster.role_files,
            [crate::model::cluster::RoleFile {
                arn: Some("arn:aws:iam::111122223333:role/api".into()),
                name: "api".into(),
                path: "testdata/rules/sa-role-not-trusted/roles-config/iam/trust-policy.json"
                    .into(),
            }]
        );
        let roles = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
        let text = "[roles]\n\"arn:aws:iam::111122223333:role/api\" = \"iam/missing.json\"\n";
        let e = role_files(
            &roles("arn:aws:iam::111122223333:role/api", "iam/missing.json"),
            &config,
            dir,
            text,
            "irsalint.toml",
        )
        .unwrap_err();
        assert_eq!(
            e,
            "irsalint.toml:2:40: [roles] `arn:aws:iam::111122223333:role/api`: no file `iam/missing.json` (paths are relative to the directory of irsalint.toml)"
        );
        // A bare name is a key too; an ARN of another resource is not.
        let named = role_files(
            &roles("api", "iam/trust-policy.json"),
            &config,
            dir,
            "",
            "x",
        )
        .unwrap();
        assert_eq!(
            (named[0].arn.as_deref(), named[0].name.as_str()),
            (None, "api")
        );
        let e = parse(
            "[roles]\n\"arn:aws:iam::111122223333:user/api\" = \"iam/trust-policy.json\"\n",
            "irsalint.toml",
        )
        .unwrap_err();
        assert!(
            e.starts_with("irsalint.toml:2:1: [roles] key `arn:aws:iam::111122223333:user/api`"),
            "{e}"
        );
        let e = parse("[roles]\n\"api role\" = \"x.json\"\n", "irsalint.toml").unwrap_err();
        assert!(e.contains("neither a role arn nor a role name"), "{e}");
    }
}
