//! The layering ARCHITECTURE.md describes: a module may use only modules of its own or a
//! lower layer, so there is no import cycle between the top-level modules and a lower
//! layer never knows an upper one. Read from the source, the way `cargo modules` would:
//! every `crate::<module>` path outside comments and test code.

use std::collections::BTreeMap;
use std::path::Path;

/// Lowest first. A module may use the modules of its own layer and of the layers before it.
/// Keep in step with ARCHITECTURE.md ("Layers").
const LAYERS: &[&[&str]] = &[
    &["source"],
    &["diagnostic", "derived", "terraform"],
    &["edit"],
    &["load"],
    &["model"],
    &["world"],
    &["render"],
    &["rules"],
    &["report"],
    &["suppress"],
    &["config"],
    // `lib.rs` (the lint pipeline, named `crate` here) and the commands built on it.
    &["crate", "fix", "map"],
    &["cli", "main"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The source without comments and without the `#[cfg(test)]` module at the end of a file
/// (test code may reach anywhere).
fn production_code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            // `//` inside a string literal (a URL) is rare in `use` paths; cutting there can
            // only hide a dependency in the rest of that line's string, never invent one.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `crate::<ident>` paths in `code` (also inside `use crate::{a, b}` groups).
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        // Part of a longer identifier (`my_crate::`) is not our crate.
        let before_ok = rest[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if before_ok {
            if let Some(group) = after.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    out.push(name);
                }
            } else {
                out.push(
                    after
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect(),
                );
            }
        }
        rest = after;
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, files);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
}

/// The top-level module a file belongs to: `src/rules/trust/x.rs` → `rules`, `src/lib.rs` →
/// `crate`; `None` for test-only files.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = file.file_stem()?.to_str()?;
    if name == "tests" || name.ends_with("_tests") || first == "testing.rs" {
        return None;
    }
    Some(match first.strip_suffix(".rs") {
        Some("lib") => "crate".into(),
        Some(m) => m.into(),
        None => first,
    })
}

/// The modules of a higher layer than `own` that `code` (of `module`) uses.
fn higher_layers_used(module: &str, own: usize, code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for used in crate_paths(code) {
        // Items and functions of lib.rs (`crate::Selection`, `crate::lint`) are the
        // pipeline layer.
        let used = match layer_of(&used) {
            Some(_) => used,
            None => "crate".to_string(),
        };
        if used != module && layer_of(&used).unwrap() > own {
            out.push(used);
        }
    }
    out
}

#[test]
fn no_module_uses_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    let mut violations = BTreeMap::new();
    let mut unplaced = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(own) = layer_of(&module) else {
            unplaced.push(module);
            continue;
        };
        let code = production_code(&std::fs::read_to_string(file).unwrap());
        let higher = higher_layers_used(&module, own, &code);
        if !higher.is_empty() {
            violations.insert(
                file.strip_prefix(&src).unwrap().display().to_string(),
                higher,
            );
        }
    }
    unplaced.sort();
    unplaced.dedup();
    assert!(
        unplaced.is_empty(),
        "top-level modules missing from LAYERS (place them, and in ARCHITECTURE.md): {unplaced:?}"
    );
    assert!(
        violations.is_empty(),
        "files that use a module of a higher layer: {violations:#?}"
    );
}

#[test]
fn the_scanner_sees_paths_groups_and_nothing_in_comments() {
    assert_eq!(
        crate_paths("use crate::world::World;\nlet x = crate::rules::RULES;"),
        ["world", "rules"]
    );
    assert_eq!(
        crate_paths("use crate::{load, model::k8s};"),
        ["load", "model"]
    );
    assert_eq!(crate_paths("use other_crate::x;"), Vec::<String>::new());
    let code =
        production_code("let a = 1; // see crate::cli\n#[cfg(test)]\nmod t { use crate::cli; }");
    assert!(crate_paths(&code).is_empty(), "{code}");
    // What the check reports: a loader that reaches up into the rules, or a rule into the
    // CLI, while the reverse is allowed.
    let load = layer_of("load").unwrap();
    assert_eq!(
        higher_layers_used(
            "load",
            load,
            "use crate::rules::RULES; use crate::source::x;"
        ),
        ["rules"]
    );
    let rules = layer_of("rules").unwrap();
    assert_eq!(
        higher_layers_used("rules", rules, "crate::cli::print_out(s)"),
        ["cli"]
    );
    assert_eq!(
        higher_layers_used("rules", rules, "crate::lint(x)"),
        ["crate"]
    );
    assert!(higher_layers_used("rules", rules, "use crate::{load, world::World};").is_empty());
}

/// `lint` drops a container's `load::UNREAD_CONTAINER_KEYS` and a workload's
/// `load::UNREAD_WORKLOAD_KEYS` at load (`load::drop_unread`), since no model or rule reads
/// them: only `render` does (a container's) (`admission.rs` defaults them,
/// `gojson.rs` prints them; what the lint rules ask of `render`, `render::webhook::mutate`,
/// reads neither). A new reader of one of those keys outside these files fails here: take
/// the key out of the list, or show the reader does not read a container's. The other uses
/// of `"resources"` are another object's key: a kustomization's list, a webhook rule's,
/// Terraform's (and its `selector`, a Terraform JSON configuration's).
#[test]
fn unread_keys_have_no_reader() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    let everywhere = ["load.rs", "render/admission.rs", "render/gojson.rs"];
    let resources_also = [
        "model/kustomize.rs",
        "rules/webhook/webhook_selector_excludes_irsa.rs",
        "terraform/",
    ];
    let mut readers = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if module_of(&src, file).is_none() || everywhere.contains(&rel.as_str()) {
            continue;
        }
        let code = production_code(&std::fs::read_to_string(file).unwrap());
        let keys = irsalint::load::UNREAD_CONTAINER_KEYS
            .iter()
            .chain(irsalint::load::UNREAD_WORKLOAD_KEYS);
        for key in keys {
            if !code.contains(&format!("\"{key}\"")) {
                continue;
            }
            let other = match *key {
                "resources" => &resources_also[..],
                "selector" => &["terraform/"][..],
                _ => &[][..],
            };
            if other.iter().any(|a| rel.starts_with(a)) {
                continue;
            }
            readers.push(format!("{rel}: {key}"));
        }
    }
    assert!(readers.is_empty(), "{readers:#?}");
}
