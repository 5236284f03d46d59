//! `irsalint render` as a command: arguments to [`RenderOptions`], inputs, output.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use super::output::{print_out, UsageError};
use super::paths_or_here;
use crate::config;
use crate::load;
use crate::render::webhook::{self, Jitter};
use crate::render::{OutputFormat, Overrides, RenderMode, RenderOptions};
use crate::source::Limits;

/// `irsalint render`: inputs, output and the webhook's own flags (same names and defaults).
#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    /// Files or directories (recursive, .gitignore honoured); `-` reads stdin. Default: `.`
    pub paths: Vec<String>,
    /// yaml: the mutated objects; json: the same as JSON; patch: the webhook's JSON Patch.
    #[arg(long, value_enum, default_value_t = RenderFormat::Yaml)]
    pub format: RenderFormat,
    /// raw: the pod as written; admission: after API-server defaulting and the
    /// ServiceAccount admission plugin, as the webhook receives it.
    #[arg(long, value_enum, default_value_t = RenderModeArg::Admission)]
    pub mode: RenderModeArg,
    /// Pod Identity's random expiration jitter takes its lowest or highest value.
    #[arg(long, value_enum, default_value_t = JitterArg::Min)]
    pub jitter: JitterArg,
    /// On stderr, where each injected value came from.
    #[arg(long)]
    pub explain: bool,
    /// Configuration file (default: irsalint.toml here or in a parent directory).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Read input files up to SIZE (`64MiB`, `100MB`, or bytes; default 10MiB); larger ones
    /// are reported and not read. Overrides `max-file-size` in irsalint.toml.
    #[arg(long, value_name = "SIZE", value_parser = crate::config::parse_file_size)]
    pub max_file_size: Option<usize>,
    #[arg(long, value_name = "PREFIX")]
    pub annotation_prefix: Option<String>,
    #[arg(long, value_name = "AUDIENCE")]
    pub token_audience: Option<String>,
    #[arg(long, value_name = "REGION")]
    pub aws_default_region: Option<String>,
    /// Written `--sts-regional-endpoint` or `--sts-regional-endpoint=BOOL`.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub sts_regional_endpoint: Option<String>,
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub token_expiration: Option<String>,
    #[arg(long, value_name = "PATH")]
    pub token_mount_path: Option<String>,
    #[arg(long, value_name = "URI")]
    pub container_credentials_full_uri: Option<String>,
    #[arg(long, value_name = "AUDIENCE")]
    pub container_credentials_audience: Option<String>,
    #[arg(long, value_name = "PATH")]
    pub container_credentials_token_mount_path: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub container_credentials_token_volume_name: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub container_credentials_token_path: Option<String>,
    /// NAMESPACE/SERVICEACCOUNT with an EKS Pod Identity association (repeatable).
    #[arg(long, value_name = "NS/SA")]
    pub pod_identity_association: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderFormat {
    Yaml,
    Json,
    Patch,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderModeArg {
    Raw,
    Admission,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum JitterArg {
    Min,
    Max,
}

pub fn options(args: &RenderArgs) -> Result<RenderOptions, UsageError> {
    let sts = match &args.sts_regional_endpoint {
        None => None,
        Some(v) => Some(webhook::parse_bool(v).ok_or_else(|| {
            UsageError(format!(
                "invalid boolean value {v:?} for --sts-regional-endpoint (use true or false)"
            ))
        })?),
    };
    let expiration = match &args.token_expiration {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            UsageError(format!(
                "invalid value {v:?} for --token-expiration: expected a number of seconds"
            ))
        })?),
    };
    let mut associations = Vec::new();
    for a in &args.pod_identity_association {
        let Some((ns, sa)) = a
            .split_once('/')
            .filter(|(n, s)| !n.is_empty() && !s.is_empty())
        else {
            return Err(UsageError(format!(
                "invalid --pod-identity-association {a:?}: expected NAMESPACE/SERVICEACCOUNT"
            )));
        };
        associations.push((ns.to_string(), sa.to_string()));
    }
    Ok(RenderOptions {
        format: match args.format {
            RenderFormat::Yaml => OutputFormat::Yaml,
            RenderFormat::Json => OutputFormat::Json,
            RenderFormat::Patch => OutputFormat::Patch,
        },
        mode: match args.mode {
            RenderModeArg::Raw => RenderMode::Raw,
            RenderModeArg::Admission => RenderMode::Admission,
        },
        explain: args.explain,
        overrides: Overrides {
            annotation_prefix: args.annotation_prefix.clone(),
            token_audience: args.token_audience.clone(),
            aws_default_region: args.aws_default_region.clone(),
            sts_regional_endpoint: sts,
            token_expiration: expiration,
            token_mount_path: args.token_mount_path.clone(),
            cc_full_uri: args.container_credentials_full_uri.clone(),
            cc_audience: args.container_credentials_audience.clone(),
            cc_mount_path: args.container_credentials_token_mount_path.clone(),
            cc_volume_name: args.container_credentials_token_volume_name.clone(),
            cc_token_path: args.container_credentials_token_path.clone(),
            associations,
            jitter: match args.jitter {
                JitterArg::Min => Jitter::Min,
                JitterArg::Max => Jitter::Max,
            },
        },
    })
}

pub fn run(args: RenderArgs) -> Result<(), UsageError> {
    let opts = options(&args)?;
    let cwd = std::env::current_dir()
        .map_err(|e| UsageError(format!("cannot read the current directory: {e}")))?;
    let config = config::resolve(args.config.as_deref(), &cwd).map_err(UsageError)?;
    let paths = paths_or_here(&args.paths);
    let inputs = load::load_paths(
        &paths,
        &cwd,
        &config.limits(Limits::default(), args.max_file_size),
    )
    .map_err(UsageError)?;
    let out = crate::render::render(&inputs, &config, &opts);
    let unread = unread_inputs(&inputs);
    let mut stderr = out.stderr;
    for line in &unread {
        stderr.push_str(line);
        stderr.push('\n');
    }
    // The notes name the inputs' pods and values as they are: nothing in them may act on
    // the terminal (stdout is YAML or JSON, whose writers escape control characters).
    let stderr = crate::report::terminal_safe(&stderr);
    let _ = std::io::stderr().lock().write_all(stderr.as_bytes());
    print_out(&out.stdout)?;
    if !unread.is_empty() {
        // The pods of those inputs are missing from the output: that must not pass as a
        // success (exit 2, as for an unreadable configuration).
        return Err(UsageError(format!(
            "{} input problem{} (above): their pods were not rendered",
            unread.len(),
            if unread.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// What `lint` reports as `parse-error`, `input-limit`, `input-not-text` or
/// `unsupported-template` (not JSON embedded in a string, which does not stop the pods of
/// its file from rendering): `path:line:column: message (rule)`, one line each.
fn unread_inputs(inputs: &load::Inputs) -> Vec<String> {
    use crate::source::ProblemKind;
    let mut out = Vec::new();
    for file in &inputs.files {
        for p in &file.problems {
            let rule = match p.kind {
                ProblemKind::Parse if p.message.starts_with("embedded JSON: ") => continue,
                ProblemKind::Parse => "parse-error",
                ProblemKind::Limit => "input-limit",
                ProblemKind::Encoding => "input-not-text",
                ProblemKind::Template => "unsupported-template",
                // Read whole, as kubectl reads it: nothing is missing from the render.
                ProblemKind::Lenient => continue,
            };
            let source = inputs.sources.get(p.span.file);
            let (line, column) = source.line_col(p.span.start as usize);
            out.push(format!(
                "{}:{line}:{column}: {} ({rule})",
                source.path, p.message
            ));
        }
    }
    out
}
