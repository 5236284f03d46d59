//! `irsalint map`: the same inputs, configuration and discovery as `lint`; the world is built
//! once for the rules (finding counts) and the map.

use std::path::PathBuf;

use clap::ValueEnum;

use super::output::{print_out, UsageError};
use super::paths_or_here;
use crate::map::Query;
use crate::source::Limits;
use crate::world::World;
use crate::{config, load, Selection};

#[derive(clap::Args, Debug)]
pub struct MapArgs {
    /// Files or directories (recursive, .gitignore honoured); `-` reads stdin. Default: `.`
    pub paths: Vec<String>,
    #[arg(long, value_enum, default_value_t = MapFormat::Table)]
    pub format: MapFormat,
    /// Only this role (ARN or name): who can assume it, who is turned away and why.
    #[arg(long, value_name = "ARN|NAME")]
    pub role: Option<String>,
    /// Only this ServiceAccount (`namespace/name`): the roles it reaches.
    #[arg(long, value_name = "NS/NAME")]
    pub sa: Option<String>,
    /// Only ServiceAccounts and workloads of this namespace.
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,
    /// Only links that are not trusted or name a placeholder or malformed role ARN.
    #[arg(long)]
    pub only_broken: bool,
    /// Configuration file (default: irsalint.toml here or in a parent directory).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Read input files up to SIZE (`64MiB`, `100MB`, or bytes; default 10MiB); larger ones
    /// are reported and not read. Overrides `max-file-size` in irsalint.toml.
    #[arg(long, value_name = "SIZE", value_parser = crate::config::parse_file_size)]
    pub max_file_size: Option<usize>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapFormat {
    /// Grouped by namespace, for a terminal.
    Table,
    /// The stable, versioned schema (README "irsalint map").
    Json,
    /// Graphviz (`dot -Tpng`).
    Dot,
    /// A mermaid flowchart (GitHub Markdown, PR comments).
    Mermaid,
}

pub fn run(args: MapArgs) -> Result<(), UsageError> {
    let cwd = std::env::current_dir()
        .map_err(|e| UsageError(format!("cannot read the current directory: {e}")))?;
    let config = config::resolve(args.config.as_deref(), &cwd).map_err(UsageError)?;
    if let Some(sa) = &args.sa {
        if sa.split('/').count() != 2 || sa.split('/').any(str::is_empty) {
            return Err(UsageError(format!("--sa takes NAMESPACE/NAME, got `{sa}`")));
        }
    }
    let paths = paths_or_here(&args.paths);
    let inputs = load::load_paths(
        &paths,
        &cwd,
        &config.limits(Limits::default(), args.max_file_size),
    )
    .map_err(UsageError)?;
    let world = World::build(&inputs, &config);
    let report = crate::lint_world(&world, &config, &Selection::from_config(&config), None);
    let mut map = crate::map::build(&world, &report);
    map.filter(&Query {
        role: args.role.clone(),
        sa: args.sa.clone(),
        namespace: args.namespace.clone(),
        only_broken: args.only_broken,
    });
    let out = match args.format {
        // The table, read on a terminal, quotes the inputs' names and ARNs as they are:
        // nothing in it may act on the terminal.
        MapFormat::Table => {
            crate::report::terminal_safe(&crate::map::table::render(&map)).into_owned()
        }
        MapFormat::Json => crate::map::json::render(&map),
        MapFormat::Dot => crate::map::dot::render(&map),
        MapFormat::Mermaid => crate::map::mermaid::render(&map),
    };
    // A closed pipe (`irsalint map | head`) ends quietly; any other failed write is exit 2.
    print_out(&out)?;
    // As in `lint`: the process exits now, the OS takes the trees back faster.
    std::mem::forget(report);
    std::mem::forget(world);
    std::mem::forget(inputs);
    Ok(())
}
