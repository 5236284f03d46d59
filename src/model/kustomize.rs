//! kustomize's `namespace:`: the namespace a kustomization gives the objects it builds.
//!
//! A kustomize base usually leaves `metadata.namespace` out and the kustomization that builds
//! it sets `namespace: team`; read file by file, such a ServiceAccount would be in `default`,
//! and a role that trusts `system:serviceaccount:team:app` would look as if it did not trust
//! it. So the kustomizations among the inputs are followed from each root (one that no other
//! kustomization includes) through `resources`, `bases` and `components` to the files they
//! list, and a file that every root reaching it builds into the same namespace gets that
//! namespace for its objects without one of their own. The outermost `namespace:` on the way
//! wins, as kustomize's namespace transformer in the overlay runs after the base's. A file two
//! roots build into different namespaces (a base shared by a `dev` and a `prod` overlay), or
//! one root without a namespace, keeps today's reading: what the file says.
//! Remote bases (URLs) and files outside the inputs are not followed.

use std::collections::{BTreeSet, HashMap};

use crate::load::Inputs;
use crate::source::file::FileId;
use crate::source::node::Node;

/// The file names kustomize reads in a directory.
const FILE_NAMES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The keys whose entries are files or directories the kustomization builds.
const LISTS: &[&str] = &["resources", "bases", "components"];

/// How deep kustomizations may include each other (kustomize has no bound; a cycle is an
/// error there, and is stopped here).
const MAX_DEPTH: usize = 32;

struct Kustomization {
    namespace: Option<String>,
    /// What its lists name, resolved against the inputs.
    files: Vec<FileId>,
    children: Vec<usize>,
}

/// The namespace kustomize gives the objects of each file, for the files every kustomization
/// root that reaches them builds into one namespace.
pub fn namespaces(inputs: &Inputs) -> HashMap<FileId, String> {
    let path_of = |id: FileId| inputs.sources.get(id).path.as_str();
    // The kustomization files and their directories.
    let mut dirs: HashMap<String, usize> = HashMap::new();
    let mut found: Vec<(String, &Node)> = Vec::new();
    for file in &inputs.files {
        let path = path_of(file.id);
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        if !FILE_NAMES.contains(&name) {
            continue;
        }
        let Some(root) = file.documents.first().map(|d| &d.root) else {
            continue;
        };
        if dirs.contains_key(dir) {
            continue; // Two kustomization files in one directory: kustomize refuses to build.
        }
        dirs.insert(dir.to_string(), found.len());
        found.push((dir.to_string(), root));
    }
    if found.is_empty() {
        return HashMap::new();
    }
    // Only a run with kustomizations pays for the index of every path.
    let by_path: HashMap<&str, FileId> =
        inputs.files.iter().map(|f| (path_of(f.id), f.id)).collect();
    let kustomizations: Vec<Kustomization> = found
        .iter()
        .map(|(dir, root)| {
            let mut k = Kustomization {
                namespace: root
                    .get("namespace")
                    .and_then(Node::as_str)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
                files: Vec::new(),
                children: Vec::new(),
            };
            for entry in LISTS
                .iter()
                .filter_map(|l| root.get(l))
                .flat_map(Node::items)
                .filter_map(Node::as_str)
            {
                let Some(target) = join(dir, entry) else {
                    continue;
                };
                if let Some(&child) = dirs.get(target.as_str()) {
                    k.children.push(child);
                } else if let Some(&id) = by_path.get(target.as_str()) {
                    k.files.push(id);
                }
            }
            k
        })
        .collect();
    let mut included = vec![false; kustomizations.len()];
    for k in &kustomizations {
        for &c in &k.children {
            included[c] = true;
        }
    }
    // Each file's namespaces, one a root that reaches it (`None`: that root sets none).
    let mut seen: HashMap<FileId, BTreeSet<Option<String>>> = HashMap::new();
    for root in (0..kustomizations.len()).filter(|&i| !included[i]) {
        let mut path = Vec::new();
        walk(&kustomizations, root, None, &mut path, &mut seen);
    }
    seen.into_iter()
        .filter_map(
            |(id, namespaces)| match namespaces.into_iter().collect::<Vec<_>>()[..] {
                [Some(ref ns)] => Some((id, ns.clone())),
                _ => None,
            },
        )
        .collect()
}

fn walk(
    all: &[Kustomization],
    at: usize,
    outer: Option<&str>,
    path: &mut Vec<usize>,
    seen: &mut HashMap<FileId, BTreeSet<Option<String>>>,
) {
    if path.contains(&at) || path.len() >= MAX_DEPTH {
        return;
    }
    path.push(at);
    let k = &all[at];
    // The outermost namespace wins: the overlay's transformer runs last.
    let ns = outer.or(k.namespace.as_deref());
    for &f in &k.files {
        seen.entry(f).or_default().insert(ns.map(str::to_string));
    }
    for &c in &k.children {
        walk(all, c, ns, path, seen);
    }
    path.pop();
}

/// `dir` joined with a kustomization entry, `.` and `..` resolved; `None` for a remote base
/// (`https://…`, `github.com/…?ref=`) or an entry that climbs out of the inputs' paths.
fn join(dir: &str, entry: &str) -> Option<String> {
    let entry = entry.trim();
    if entry.is_empty() || entry.contains("://") || entry.contains('?') || entry.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    // A display path that starts with `..` (inputs above the working directory) keeps them.
    let fixed = parts.iter().take_while(|p| **p == "..").count();
    for seg in entry.trim_end_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.len() > fixed {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    Some(if dir.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    })
}

#[cfg(test)]
mod tests {
    use super::join;

    /// The fixture world of `sa-role-not-trusted/kustomize`: a kustomization's own namespace,
    /// an overlay's over a base without one, and a base two overlays build into two
    /// namespaces (none given).
    #[test]
    fn namespaces_follow_the_kustomizations() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/kustomize");
        let inputs =
            crate::load::load_paths(&[".".to_string()], &dir, &crate::source::Limits::default())
                .unwrap();
        let mut got: Vec<(String, String)> = super::namespaces(&inputs)
            .into_iter()
            .map(|(id, ns)| {
                let path = &inputs.sources.get(id).path;
                let rel = path
                    .rsplit_once("kustomize/")
                    .map_or(path.as_str(), |(_, r)| r);
                (rel.to_string(), ns)
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                (
                    "apps/ledger/base/serviceaccount.yaml".to_string(),
                    "ledger-prod".to_string()
                ),
                (
                    "apps/payments/serviceaccount.yaml".to_string(),
                    "payments".to_string()
                ),
            ]
        );
    }

    #[test]
    fn entries_join_their_directory() {
        assert_eq!(
            join("apps/base", "sa.yaml").as_deref(),
            Some("apps/base/sa.yaml")
        );
        assert_eq!(
            join("apps/base", "./sa.yaml").as_deref(),
            Some("apps/base/sa.yaml")
        );
        assert_eq!(join("apps/dev", "../base").as_deref(), Some("apps/base"));
        assert_eq!(join("apps/dev", "../base/").as_deref(), Some("apps/base"));
        assert_eq!(join("", "base").as_deref(), Some("base"));
        assert_eq!(join("..", "base").as_deref(), Some("../base"));
        assert_eq!(join("..", "../base").as_deref(), Some("../../base"));
        assert_eq!(join("../k8s/dev", "../../base").as_deref(), Some("../base"));
        assert_eq!(join("/repo/dev", "../base").as_deref(), Some("/repo/base"));
        assert_eq!(join("dev", "https://github.com/x/y//base?ref=v1"), None);
        assert_eq!(join("dev", "github.com/x/y/base?ref=v1"), None);
        assert_eq!(join("dev", ""), None);
    }
}
