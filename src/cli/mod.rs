//! Command-line interface: clap definitions and the commands. `main.rs` only maps the
//! result to an exit code. `output` is what every command shares (stdout, usage errors);
//! `render` and `map` are those commands, each with its arguments.

mod map;
mod output;
mod render;

use output::print_out;
pub use output::UsageError;
pub use render::RenderArgs;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::config::{self, Config};
use crate::diagnostic::Severity;
use crate::load;
use crate::report;
use crate::rules::{rule_selector as selector, Rule, RULES};
use crate::source::discover;
use crate::source::Limits;
use crate::Selection;

#[derive(Parser, Debug)]
#[command(
    name = "irsalint",
    version,
    long_version = crate::model::iam::catalog::long_version(),
    about = "Offline linter for Kubernetes pods that assume AWS IAM roles (IRSA, OpenShift STS, Pod Identity)",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint manifests, IAM policies and webhook settings as one world.
    Lint(Box<LintArgs>),
    /// Print a rule's documentation (by code or name).
    Explain {
        /// A rule's code (`T001`) or name (`trust-no-sub-condition`); `irsalint rules` lists
        /// them.
        rule: String,
        /// `human` for the terminal, `json` for the doc with its code, name, family, default
        /// severity and summary.
        #[arg(long, value_enum, default_value_t = DocFormat::Human)]
        format: DocFormat,
        /// Bold headings (auto: only on a terminal, and not when NO_COLOR is set).
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// List every rule: code, name, default severity, summary.
    Rules {
        /// `human` (a table), `json` (one object a rule) or `markdown` (README's table).
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Print each pod as the pod-identity webhook would mutate it (YAML, JSON or its JSON Patch).
    Render(Box<RenderArgs>),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout.
    #[command(
        after_help = "Install, for example:\n  irsalint completions bash > ~/.local/share/bash-completion/completions/irsalint\n  irsalint completions zsh > \"${fpath[1]}/_irsalint\"\n  irsalint completions fish > ~/.config/fish/completions/irsalint.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff) to stdout: `irsalint manpage > irsalint.1`,
    /// `irsalint manpage lint > irsalint-lint.1`.
    Manpage {
        /// The subcommand whose page to print (default: the main page).
        subcommand: Option<String>,
    },
    /// Print the access map: workload -> ServiceAccount -> role, with the trust verdict and
    /// what each role may do (table, JSON, Graphviz DOT, mermaid).
    Map(Box<map::MapArgs>),
}

#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Files or directories (recursive, .gitignore honoured); `-` reads stdin. Default: `.`
    pub paths: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Show each finding's evidence chain across files and how to fix it.
    #[arg(long)]
    pub explain: bool,
    /// Configuration file (default: irsalint.toml here or in a parent directory).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Only these rules: names, codes or families, comma-separated (`all` for every rule).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules: names, codes or families, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Exit 1 when a finding is at least this severe (default: warning).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Colour in human output (auto: only on a terminal, and not when NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Hide the findings recorded in this baseline file (see --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE (rule, file, line-independent fingerprint), then exit 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    pub write_baseline: Option<PathBuf>,
    /// Apply the safe fixes in place (atomically; comments and formatting kept), then report
    /// what is left.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the safe fixes as a unified diff without writing; exit 1 when there are any.
    #[arg(long)]
    pub diff: bool,
    /// Follow symbolic links met inside directories (by default they are skipped and
    /// counted in the summary; links named on the command line are always read).
    #[arg(long)]
    pub follow_links: bool,
    /// Read input files up to SIZE (`64MiB`, `100MB`, or bytes; default 10MiB); larger ones
    /// get an `input-limit` finding. Overrides `max-file-size` in irsalint.toml.
    #[arg(long, value_name = "SIZE", value_parser = crate::config::parse_file_size)]
    pub max_file_size: Option<usize>,
    /// Exit 0 even when there are findings (exit 2 on usage and I/O errors stays).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print how many findings each rule has instead of the findings (text, or JSON with
    /// --format json).
    #[arg(long)]
    pub statistics: bool,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Print the findings and nothing else: no summary line, no notes on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Judge the given files against the whole project: load the directory of irsalint.toml
    /// (else the git root, else the current directory) as the world, and report only the
    /// findings in, or with evidence in, the files named. What the pre-commit hook runs.
    #[arg(long, conflicts_with_all = ["fix", "diff", "write_baseline"])]
    pub project: bool,
    /// Leave out files and directories matching these globs while walking directories
    /// (comma-separated; relative to the current directory, or a file or directory name).
    /// Adds to `exclude`/`extend-exclude` of irsalint.toml. Files named here are always read.
    #[arg(long, value_delimiter = ',', value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// The name stdin (`-`) has in reports, for --per-file-ignores and for the editor or CI
    /// that shows them (default: `<stdin>`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// JUnit XML, for CI systems that show test reports.
    Junit,
    /// One line per finding: `path:line:col: CODE name message`.
    Concise,
    /// GitLab Code Quality report (merge request widget and diff annotations).
    Gitlab,
    /// Reviewdog Diagnostic Format: reviewdog posts each finding as a review comment.
    Rdjson,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocFormat {
    Human,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Human,
    Json,
    Markdown,
}

/// Runs a command; `Ok(true)` means findings at or above the threshold (exit 1).
pub fn run(cli: Cli) -> Result<bool, UsageError> {
    match cli.command {
        Command::Lint(args) => lint(*args),
        Command::Explain {
            rule,
            format,
            color,
        } => explain(&rule, format, use_color(color)).map(|()| false),
        Command::Render(args) => render::run(*args).map(|()| false),
        Command::Map(args) => map::run(*args).map(|()| false),
        Command::Rules { format } => print_out(&rules_listing(format)).map(|()| false),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "irsalint", &mut buf);
            print_out(&String::from_utf8_lossy(&buf)).map(|()| false)
        }
        Command::Manpage { subcommand } => {
            let mut cmd = Cli::command();
            cmd.build();
            let (page, title) = match subcommand {
                None => (cmd, "irsalint".to_string()),
                Some(name) => {
                    let names: Vec<String> = cmd
                        .get_subcommands()
                        .map(|c| c.get_name().to_string())
                        .collect();
                    let Some(sub) = cmd.find_subcommand(&name) else {
                        return Err(UsageError(format!(
                            "no subcommand `{name}`; one of: {}",
                            names.join(", ")
                        )));
                    };
                    // `irsalint-lint(1)`, as git names its subcommands' pages.
                    (sub.clone(), format!("irsalint-{}", sub.get_name()))
                }
            };
            let mut buf = Vec::new();
            clap_mangen::Man::new(page)
                .title(title)
                .render(&mut buf)
                .map_err(|e| UsageError(format!("cannot write the man page: {e}")))?;
            print_out(&String::from_utf8_lossy(&buf)).map(|()| false)
        }
    }
}

/// The paths a command was given, or the current directory when it was given none (what
/// `lint`, `map` and `render` read then).
fn paths_or_here(paths: &[String]) -> Vec<String> {
    match paths {
        [] => vec![".".to_string()],
        _ => paths.to_vec(),
    }
}

fn lint(args: LintArgs) -> Result<bool, UsageError> {
    let cwd = std::env::current_dir()
        .map_err(|e| UsageError(format!("cannot read the current directory: {e}")))?;
    let config = config::resolve(args.config.as_deref(), &cwd).map_err(UsageError)?;
    let walk = walk_options(&args, &config, &cwd)?;
    let mut selection = Selection::from_config(&config);
    if !args.select.is_empty() {
        selection.select = parse_selectors(&args.select)?;
    }
    selection.ignore.extend(parse_selectors(&args.ignore)?);
    let fail_on = match args.fail_on {
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Info) => Severity::Info,
        None => config
            .lint
            .fail_on
            .as_deref()
            .and_then(Severity::parse)
            .unwrap_or(Severity::Warning),
    };

    let paths = paths_or_here(&args.paths);
    let baseline = match &args.baseline {
        Some(p) => Some(
            crate::suppress::Baseline::load(p, &discover::display_path(p, &cwd))
                .map_err(UsageError)?,
        ),
        None => None,
    };
    if args.diff || args.fix {
        return fix_or_diff(
            &args,
            &paths,
            &cwd,
            &config,
            &selection,
            baseline.as_ref(),
            fail_on,
        );
    }
    let (inputs, report) = if args.project && !args.paths.is_empty() {
        let limits = limits(&args, &config, Limits::lint());
        lint_in_project(
            &paths,
            &cwd,
            &config,
            &selection,
            baseline.as_ref(),
            walk,
            &limits,
        )?
    } else {
        let inputs =
            load::load_paths_with(&paths, &cwd, &limits(&args, &config, Limits::lint()), walk)
                .map_err(UsageError)?;
        let report = crate::lint_with_baseline(&inputs, &config, &selection, baseline.as_ref());
        (inputs, report)
    };
    // The texts the load stage let go of are read again for the findings' files; one that
    // changed meanwhile has no trustworthy positions, snippets or fixes.
    if let Some(path) = crate::read_reported_texts(&inputs, &report.diagnostics).first() {
        return Err(UsageError(format!(
            "{path}: changed while irsalint was running (its bytes differ from those linted); run it again"
        )));
    }

    if let Some(p) = &args.write_baseline {
        let shown = discover::display_path(p, &cwd);
        let text = crate::suppress::baseline_json(&report.diagnostics, &inputs, p);
        crate::fix::write::baseline_target(p)
            .and_then(|target| {
                crate::fix::write_atomic(&target, &text).map_err(|e| format!("cannot write: {e}"))
            })
            .map_err(|e| UsageError(format!("{shown}: {e}")))?;
        if !args.quiet {
            eprintln!(
                "irsalint: wrote {} finding(s) to {shown}",
                report.diagnostics.len(),
            );
        }
        return Ok(false);
    }
    if args.explain && !args.quiet {
        // Silence is not approval where a value is known only at apply time: say so.
        let undecided = crate::undecided(&inputs, &config);
        if !undecided.is_empty() {
            eprintln!("irsalint: not decided (Terraform values known only at apply time):");
            for line in undecided {
                eprintln!("  {}", crate::report::terminal_safe(&line));
            }
        }
        // A local module outside the paths given is not read (Terraform would read it).
        let unread = crate::unread_modules(&inputs);
        if !unread.is_empty() {
            eprintln!("irsalint: local modules not read (their directories are not among the inputs: lint a path that holds them too, or the repository with --project):");
            for line in unread {
                eprintln!("  {}", crate::report::terminal_safe(&line));
            }
        }
        let unread = crate::unmodelled_module_parts(&inputs);
        if !unread.is_empty() {
            eprintln!("irsalint: module inputs not read (what they make is unknown):");
            for line in unread {
                eprintln!("  {}", crate::report::terminal_safe(&line));
            }
        }
        let unread = crate::unmodelled_modules(&inputs);
        if !unread.is_empty() {
            eprintln!("irsalint: modules not read (irsalint models none of them: the roles, policies and ServiceAccounts they make are unknown):");
            for line in unread {
                eprintln!("  {}", crate::report::terminal_safe(&line));
            }
        }
        let unread = crate::terragrunt_unread(&inputs);
        if !unread.is_empty() {
            eprintln!("irsalint: Terragrunt modules not read (what they make is unknown):");
            for line in unread {
                eprintln!("  {}", crate::report::terminal_safe(&line));
            }
        }
        // Which cluster the manifests are taken to run in, when the inputs know one only.
        if let Some(one) = crate::one_cluster(&inputs, &config) {
            eprintln!(
                "irsalint: manifests and Terraform roots naming no cluster are taken to run in the only cluster in the inputs: {one}"
            );
        }
        // A role found by name in another root: say which.
        let lookups = crate::role_lookups(&inputs, &config);
        if !lookups.is_empty() {
            eprintln!("irsalint: data \"aws_iam_role\" lookups by name:");
            for line in lookups {
                eprintln!("  {}", crate::report::terminal_safe(&line));
            }
        }
        // A base several overlays build is judged in each of their namespaces: say where.
        let mut files: Vec<crate::source::file::FileId> =
            report.diagnostics.iter().map(|d| d.primary.file).collect();
        files.dedup();
        let placements = crate::kustomize_placements(&inputs, &files);
        if !placements.is_empty() {
            eprintln!("irsalint: objects without a namespace of their own, placed by kustomize:");
            for line in placements {
                eprintln!("  {}", crate::report::terminal_safe(&line));
            }
        }
        // A link the file names do not show: say where it came from.
        let links = crate::trust_links(&inputs, &config);
        if !links.is_empty() {
            eprintln!("irsalint: trust policies linked to a role their file does not name:");
            for line in links {
                eprintln!("  {}", crate::report::terminal_safe(&line));
            }
        }
        let owned = crate::producer_owned_policies(&inputs);
        if !owned.is_empty() {
            eprintln!(
                "irsalint: producer-owned policies (Terraform modules write them; not read):"
            );
            for line in owned {
                eprintln!("  {}", crate::report::terminal_safe(&line));
            }
        }
    }
    finish(&args, report, inputs, fail_on)
}

/// Prints the report; `Ok(true)` when a finding reaches `fail_on`.
fn finish(
    args: &LintArgs,
    report: crate::Report,
    inputs: load::Inputs,
    fail_on: Severity,
) -> Result<bool, UsageError> {
    let out = match args.format {
        _ if args.statistics => match args.format {
            Format::Json => report::statistics::json(&report),
            Format::Human | Format::Concise => report::statistics::text(&report),
            other => {
                return Err(UsageError(format!(
                    "--statistics prints text or JSON: use it with --format human, concise or json, not {}",
                    other
                        .to_possible_value()
                        .map_or_else(|| "this".to_string(), |v| v.get_name().to_string())
                )))
            }
        },
        Format::Json => report::json::render(&report, &inputs),
        Format::Sarif => report::sarif::render(&report, &inputs),
        Format::Github => report::github::render(&report, &inputs),
        Format::Junit => report::junit::render(&report, &inputs),
        Format::Concise => report::concise::render(&report, &inputs, !args.quiet),
        Format::Gitlab => report::gitlab::render(&report, &inputs),
        Format::Rdjson => report::rdjson::render(&report, &inputs),
        Format::Human => {
            let color = use_color(args.color) && args.output_file.is_none();
            let out = report::human::render(
                &report,
                &inputs,
                &report::human::HumanOptions {
                    color,
                    width: output_width(),
                    explain: args.explain,
                },
            );
            // --quiet: the findings only; the summary is always the report's last line.
            let summary = format!("{}\n", report::human::summary_line(&report, &inputs));
            match out.strip_suffix(&summary) {
                Some(findings) if args.quiet => findings.to_string(),
                _ => out,
            }
        }
    };
    match &args.output_file {
        Some(p) => write_report(p, &out)?,
        None => print_out(&out)?,
    }
    let failed = !args.exit_zero && report.diagnostics.iter().any(|d| d.severity >= fail_on);
    // The process exits right after this: freeing every parsed tree node by node would
    // only cost time (a tenth of a large run) for memory the OS takes back anyway.
    std::mem::forget(inputs);
    std::mem::forget(report);
    Ok(failed)
}

/// `--project`: the directory of the config file, else the nearest directory above `cwd`
/// with a `.git`, else `cwd`.
fn project_root(cwd: &std::path::Path, config: &Config) -> std::path::PathBuf {
    if let Some(dir) = config.path.as_ref().and_then(|p| p.parent()) {
        let dir = if dir.as_os_str().is_empty() {
            cwd.to_path_buf()
        } else {
            cwd.join(dir)
        };
        return dir;
    }
    cwd.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(cwd)
        .to_path_buf()
}

/// `lint --project FILES`: the project is the world (with the files named, wherever they
/// are), and a finding is reported when its place or a place of its evidence is in one of
/// them: renaming a ServiceAccount is judged against the committed trust policy of its role.
fn lint_in_project(
    paths: &[String],
    cwd: &std::path::Path,
    config: &Config,
    selection: &Selection,
    baseline: Option<&crate::suppress::Baseline>,
    walk: discover::Options,
    limits: &Limits,
) -> Result<(load::Inputs, crate::Report), UsageError> {
    let root = project_root(cwd, config);
    let stdin = walk.stdin_display();
    // What was named: files (exact paths) and directories (every file below them).
    let mut files = std::collections::HashSet::new();
    let mut dirs = Vec::new();
    for p in paths {
        if p == "-" {
            files.insert(stdin.clone());
        } else if std::path::Path::new(p).is_dir() {
            let d = discover::display_path(std::path::Path::new(p), cwd);
            dirs.push(if d == "." {
                String::new()
            } else {
                format!("{d}/")
            });
        } else {
            files.insert(discover::display_path(std::path::Path::new(p), cwd));
        }
    }
    let mut world = vec![root.to_string_lossy().into_owned()];
    world.extend(paths.iter().cloned());
    let inputs = load::load_paths_with(&world, cwd, limits, walk).map_err(UsageError)?;
    let mut report = crate::lint_with_baseline(&inputs, config, selection, baseline);
    let named = |file| {
        let path = &inputs.sources.get(file).path;
        files.contains(path) || dirs.iter().any(|d| path.starts_with(d.as_str()))
    };
    report
        .diagnostics
        .retain(|d| named(d.primary.file) || d.related.iter().any(|r| named(r.span.file)));
    Ok((inputs, report))
}

/// `base` with the file-size limit of `--max-file-size`, else of the config.
fn limits(args: &LintArgs, config: &Config, base: Limits) -> Limits {
    config.limits(base, args.max_file_size)
}

/// How the directory walk runs: links, stdin's name, and the exclusions of the config
/// (relative to its directory) and of `--exclude` (relative to the current directory).
fn walk_options(
    args: &LintArgs,
    config: &Config,
    cwd: &std::path::Path,
) -> Result<discover::Options, UsageError> {
    let mut exclude = Vec::new();
    let from_config: Vec<String> = config
        .lint
        .exclude
        .iter()
        .chain(&config.lint.extend_exclude)
        .cloned()
        .collect();
    if !from_config.is_empty() {
        let dir = config
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .unwrap_or(std::path::Path::new(""));
        let shown = config
            .path
            .as_ref()
            .map_or_else(|| "irsalint.toml".into(), |p| p.display().to_string());
        exclude.push(
            discover::Exclude::new(&from_config, dir, cwd)
                .map_err(|e| UsageError(format!("{shown}: {e}")))?,
        );
    }
    if !args.exclude.is_empty() {
        exclude.push(
            discover::Exclude::new(&args.exclude, std::path::Path::new(""), cwd)
                .map_err(|e| UsageError(format!("--exclude: {e}")))?,
        );
    }
    Ok(discover::Options {
        follow_links: args.follow_links,
        stdin_name: args.stdin_filename.clone(),
        exclude,
    })
}

/// The width human output wraps at: `COLUMNS` when set, else the terminal's width when
/// stdout is one, else 100 (files and pipes get stable output).
fn output_width() -> usize {
    if let Some(c) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return c;
    }
    if std::io::stdout().is_terminal() {
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
            return usize::from(w).clamp(40, 400);
        }
    }
    100
}

/// `--output-file`: written atomically, and only to a regular file or a new path (never
/// through to a device or a FIFO), like the baseline.
fn write_report(path: &std::path::Path, text: &str) -> Result<(), UsageError> {
    let shown = path.display().to_string();
    crate::fix::write::baseline_target(path)
        .and_then(|target| {
            crate::fix::write_atomic(&target, text).map_err(|e| format!("cannot write: {e}"))
        })
        .map_err(|e| UsageError(format!("{shown}: {e}")))
}

/// `--fix` and `--diff`: fixes applied round after round and checked by loading and linting
/// each result again (see [`crate::fix::converge`]); `--fix` writes the files and reports a
/// fresh lint of what is on disk, `--diff` prints what `--fix` would write.
fn fix_or_diff(
    args: &LintArgs,
    paths: &[String],
    cwd: &std::path::Path,
    config: &Config,
    selection: &Selection,
    baseline: Option<&crate::suppress::Baseline>,
    fail_on: Severity,
) -> Result<bool, UsageError> {
    let walk = walk_options(args, config, cwd)?;
    let limits = limits(args, config, Limits::default());
    let world = load::read_paths(paths, cwd, walk, &limits).map_err(UsageError)?;
    let checks = with_input_checks(selection);
    let lint_for_fix =
        |inputs: &load::Inputs| crate::lint_with_baseline(inputs, config, &checks, baseline);
    let done = crate::fix::converge::converge(&world, &limits, &lint_for_fix);
    for r in &done.refused {
        eprintln!("irsalint: {r}");
    }
    // The files whose text changes, with their old and new text.
    let changed: Vec<(usize, String, &String)> = done
        .texts
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let new = t.as_ref()?;
            let old = String::from_utf8(world.raws[i].bytes.clone()).ok()?;
            (old != *new).then_some((i, old, new))
        })
        .collect();
    if args.diff {
        let mut out = String::new();
        for (i, old, new) in &changed {
            out.push_str(&crate::fix::diff::diff_texts(
                &world.raws[*i].display,
                old,
                new,
            ));
        }
        match &args.output_file {
            Some(p) => write_report(p, &out)?,
            None => print_out(&out)?,
        }
        let n: usize = changed.iter().map(|(i, _, _)| done.applied[*i]).sum();
        if !args.quiet {
            eprintln!(
                "irsalint: {n} fixable finding(s) in {} file(s); run with --fix to apply",
                changed.len()
            );
        }
        return Ok(!args.exit_zero && !changed.is_empty());
    }
    let mut on_disk: Vec<Option<String>> = vec![None; world.raws.len()];
    let mut write_failed = None;
    let (mut fixed, mut files) = (0, 0);
    for (i, _, new) in &changed {
        let shown = &world.raws[*i].display;
        let Some(path) = &world.paths[*i] else {
            // stdin has no file to write back to; --diff shows what would change.
            if !args.quiet {
                eprintln!(
                    "irsalint: {shown} (stdin) is never fixed in place: {} fixable finding(s) there; `--diff` prints the fixed text as a diff",
                    done.applied[*i]
                );
            }
            continue;
        };
        let target = match crate::fix::write::fix_target(path) {
            Ok(t) => t,
            Err(why) => {
                eprintln!("irsalint: {shown}: {why}");
                continue;
            }
        };
        match crate::fix::write_atomic(&target, new) {
            Ok(()) => {
                on_disk[*i] = Some((*new).clone());
                fixed += done.applied[*i];
                files += 1;
            }
            Err(e) => {
                eprintln!("irsalint: {shown}: cannot write the fix: {e}");
                write_failed = Some(format!("{shown}: cannot write the fix: {e}"));
            }
        }
    }
    if fixed > 0 && !args.quiet {
        eprintln!("irsalint: fixed {fixed} finding(s) in {files} file(s)");
    }
    // The report is a fresh lint of the files as they now are on disk.
    let inputs = world.load_with(&on_disk, &limits);
    let report = crate::lint_with_baseline(&inputs, config, selection, baseline);
    let failed = finish(args, report, inputs, fail_on)?;
    match write_failed {
        Some(e) => Err(UsageError(e)),
        None => Ok(failed),
    }
}

/// The selection `--fix` checks its results with: the user's, plus the rules that tell a
/// broken file (a parse error, a duplicate key) even when the user turned them off.
fn with_input_checks(selection: &Selection) -> Selection {
    use crate::rules::input::{duplicate_key, parse_error};
    let forced: [&'static crate::rules::RuleMeta; 2] = [&parse_error::META, &duplicate_key::META];
    let mut s = selection.clone();
    if !s.select.is_empty() {
        s.select
            .extend(forced.iter().map(|m| selector::Selector::Rule(m)));
    }
    s.ignore.retain(|x| !forced.iter().any(|m| x.matches(m)));
    s
}

fn parse_selectors(v: &[String]) -> Result<Vec<selector::Selector>, UsageError> {
    v.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| selector::parse(s).map_err(UsageError))
        .collect()
}

fn use_color(c: Color) -> bool {
    match c {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// A rule doc for the terminal: headings bold, code fences dimmed.
fn colour_doc(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len() + 256);
    let mut in_code = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            out.push_str(&format!("\u{1b}[2m{line}\u{1b}[0m\n"));
        } else if in_code {
            out.push_str(&format!("\u{1b}[36m{line}\u{1b}[0m\n"));
        } else if line.starts_with('#') {
            out.push_str(&format!("\u{1b}[1m{line}\u{1b}[0m\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn explain(rule: &str, format: DocFormat, color: bool) -> Result<(), UsageError> {
    let meta = selector::find_rule(rule)
        .ok_or_else(|| UsageError(selector::unknown_rule_message(rule)))?;
    match format {
        DocFormat::Human if color => print_out(&colour_doc(meta.doc))?,
        DocFormat::Human => print_out(meta.doc)?,
        DocFormat::Json => {
            let v = serde_json::json!({
                "code": meta.code,
                "name": meta.name,
                "family": meta.family.name(),
                "severity": meta.default_severity.as_str(),
                "summary": meta.summary,
                "explanation": meta.doc,
                "source": meta.source,
            });
            print_out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ))?;
        }
    }
    Ok(())
}

/// `irsalint rules` in each format; the markdown table is the README's.
pub fn rules_listing(format: RulesFormat) -> String {
    let metas = RULES.iter().map(|r: &&dyn Rule| r.meta());
    match format {
        RulesFormat::Human => {
            let mut s = String::new();
            for m in metas {
                s.push_str(&format!(
                    "{:<5} {:<36} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.default_severity.as_str(),
                    m.summary
                ));
            }
            s
        }
        RulesFormat::Json => {
            let v: Vec<_> = metas
                .map(|m| {
                    serde_json::json!({
                        "code": m.code, "name": m.name, "family": m.family.name(),
                        "severity": m.default_severity.as_str(), "summary": m.summary,
                    })
                })
                .collect();
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        RulesFormat::Markdown => {
            let mut s = String::from("| code | name | severity | summary |\n|---|---|---|---|\n");
            for m in metas {
                s.push_str(&format!(
                    "| {} | [`{}`](rules/{}.md) | {} | {} |\n",
                    m.code,
                    m.name,
                    m.name,
                    m.default_severity.as_str(),
                    m.summary.replace('|', "\\|")
                ));
            }
            s
        }
    }
}
