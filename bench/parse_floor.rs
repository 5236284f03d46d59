//! The raw parse floor irsalint is measured against (`bench/run.sh`): what any linter of
//! these files must at least do, and nothing more.
//!
//! It walks the given directories (the same `.gitignore`-aware walk irsalint does), reads every
//! `*.yaml`/`*.yml`/`*.json` file, pulls every YAML event through saphyr-parser (one parser per
//! file) and every JSON file through serde_json (skipped into `IgnoredAny`), in parallel with
//! rayon. No tree, no positions, no rules, no output but the counts (so that nothing is
//! optimised away). Terraform files (`*.tf`, `*.tfvars`) go through hcl-edit's parser, the
//! parser irsalint uses: HCL has no event parser, so its floor is the parse into hcl-edit's
//! syntax tree, and nothing after it (no evaluation).
//!
//! Usage: cargo build --release --example parse-floor && target/release/examples/parse-floor DIR..

use std::path::PathBuf;

use rayon::prelude::*;
use saphyr_parser::{Event, Parser};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn files(roots: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in roots {
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .follow_links(false)
            .build();
        for entry in walker.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let p = entry.path();
            if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json" | "tf" | "tfvars")
            ) {
                out.push(p.to_path_buf());
            }
        }
    }
    out
}

/// Events of a YAML stream (a syntax error ends the count, as it ends irsalint's document).
fn yaml_events(text: &str) -> u64 {
    let mut parser = Parser::new_from_str(text).keep_tags(true);
    let mut n = 0;
    while let Some(Ok((event, _span))) = parser.next_event() {
        n += 1;
        if matches!(event, Event::StreamEnd) {
            break;
        }
    }
    n
}

fn main() {
    let roots: Vec<String> = std::env::args().skip(1).collect();
    if roots.is_empty() {
        eprintln!("usage: parse-floor DIR..");
        std::process::exit(2);
    }
    let paths = files(&roots);
    let (bytes, events, json, hcl) = paths
        .par_iter()
        .map(|p| {
            let Ok(data) = std::fs::read(p) else {
                return (0, 0, 0, 0);
            };
            let len = data.len() as u64;
            if p.extension().is_some_and(|e| e == "json") {
                let ok = serde_json::from_slice::<serde::de::IgnoredAny>(&data).is_ok();
                return (len, 0, u64::from(ok), 0);
            }
            if p.extension().is_some_and(|e| e == "tf" || e == "tfvars") {
                let structures = std::str::from_utf8(&data)
                    .ok()
                    .and_then(|t| hcl_edit::parser::parse_body(t).ok())
                    .map_or(0, |b| b.len() as u64);
                return (len, 0, 0, structures);
            }
            let events = std::str::from_utf8(&data).map_or(0, yaml_events);
            (len, events, 0, 0)
        })
        .reduce(
            || (0, 0, 0, 0),
            |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3),
        );
    println!(
        "{} files, {bytes} bytes, {events} YAML events, {json} JSON files, {hcl} HCL top-level structures",
        paths.len()
    );
}
