//! kustomize's `namespace:`: the namespaces a kustomization gives the objects it builds.
//!
//! A kustomize base usually leaves `metadata.namespace` out and the kustomization that builds
//! it sets `namespace: team`; read file by file, such a ServiceAccount would be in `default`,
//! and a role that trusts `system:serviceaccount:team:app` would look as if it did not trust
//! it. So the kustomizations among the inputs are followed from each root (one that no other
//! kustomization includes) through `resources`, `bases` and `components` to the files they
//! list. The outermost `namespace:` on the way wins, as kustomize's namespace transformer in
//! the overlay runs after the base's. A file the roots build into several namespaces (a base
//! shared by a `dev` and a `prod` overlay) exists once per namespace, as kustomize and the
//! cluster have it: `World::build` gives its objects without a namespace of their own one
//! view per namespace. A root without a `namespace:` builds the file as it says (the file's
//! own reading); a file only such roots reach keeps that reading alone.
//! The kustomization that sets each namespace is kept (`Built::builders`): a finding on a
//! base's object then holds for the namespaces it names, built by those overlays (`lint`
//! reports it once, `lib.rs` `collapse_placements`; `lint --explain` lists the placements).
//! Remote bases (URLs) and files outside the inputs are not followed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

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
    /// Its file.
    file: FileId,
    namespace: Option<String>,
    /// What its lists name, resolved against the inputs; with the strategic-merge patch
    /// files among the inputs (their objects are the patched objects, in the same namespace).
    files: Vec<FileId>,
    children: Vec<usize>,
    /// The ServiceAccounts its patches change (`*`: any), whose annotations are then not the
    /// base's, with the `metadata` an inline patch gives them when the load stage read it
    /// (`derived::kustomize`: the host's file and start offset).
    patched: Vec<(String, Option<PatchMetadata>)>,
}

/// Where the `metadata` an inline patch gives is kept: the kustomization's file and the
/// patch text's start offset (`InputFile::derived_of`).
pub type PatchMetadata = (FileId, u32);

/// What the kustomizations among the inputs build.
#[derive(Default)]
pub struct Built {
    /// The namespaces kustomize builds each file's objects into, for the files a
    /// kustomization root reaches: each a namespace, `None` for a root without one (the
    /// file's own reading), sorted with `None` first.
    pub namespaces: HashMap<FileId, Vec<Option<String>>>,
    /// The ServiceAccounts (namespace as in `namespaces`, name or `*`) whose annotations an
    /// overlay's patch sets: the base's annotations are not theirs. A strategic-merge patch
    /// file among the inputs is itself such a ServiceAccount, in that namespace (its
    /// annotations are the ones the merge gives). An inline patch that sets annotations is
    /// read when it decides them (`patch_metadata`); other inline and JSON 6902 patches are
    /// not.
    pub patched: HashSet<(Option<String>, String)>,
    /// The annotations one inline patch gives a patched ServiceAccount (as in `patched`,
    /// by name), when that is the only patch of it in that namespace.
    pub patch_metadata: HashMap<(Option<String>, String), PatchMetadata>,
    /// The strategic-merge patch files: their objects are not the ones patched.
    pub patch_files: HashSet<FileId>,
    /// For each file `namespaces` holds, the kustomizations whose `namespace:` puts its
    /// objects in each namespace (the outermost that sets one; a root without one for
    /// `None`), sorted: what `lint` and `--explain` name as "built by".
    pub builders: HashMap<FileId, BTreeMap<Option<String>, BTreeSet<FileId>>>,
}

impl Built {
    /// Whether an overlay's patch sets the annotations of ServiceAccount `name` built into
    /// `ns`.
    pub fn is_patched(&self, ns: &Option<String>, name: &str) -> bool {
        !self.patched.is_empty()
            && (self.patched.contains(&(ns.clone(), name.to_string()))
                || self.patched.contains(&(ns.clone(), "*".to_string())))
    }
}

/// What the kustomizations among the inputs build: each file's namespaces and the
/// ServiceAccounts their patches change.
pub fn build(inputs: &Inputs) -> Built {
    let path_of = |id: FileId| inputs.sources.get(id).path.as_str();
    // The kustomization files and their directories.
    let mut dirs: HashMap<String, usize> = HashMap::new();
    let mut found: Vec<(String, FileId, &Node)> = Vec::new();
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
        found.push((dir.to_string(), file.id, root));
    }
    if found.is_empty() {
        return Built::default();
    }
    // Only a run with kustomizations pays for the index of every path.
    let by_path: HashMap<&str, &crate::load::InputFile> =
        inputs.files.iter().map(|f| (path_of(f.id), f)).collect();
    let mut patch_files = HashSet::new();
    let kustomizations: Vec<Kustomization> = found
        .iter()
        .map(|(dir, id, root)| {
            let mut k = Kustomization {
                file: *id,
                namespace: root
                    .get("namespace")
                    .and_then(Node::as_str)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
                files: Vec::new(),
                children: Vec::new(),
                patched: Vec::new(),
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
                } else if let Some(f) = by_path.get(target.as_str()) {
                    k.files.push(f.id);
                }
            }
            patches(
                dir,
                root,
                inputs.file(*id),
                &by_path,
                &mut k,
                &mut patch_files,
            );
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
    let mut seen: HashMap<FileId, BTreeMap<Option<String>, BTreeSet<FileId>>> = HashMap::new();
    let mut patched = HashSet::new();
    let mut metadata: HashMap<(Option<String>, String), Vec<Option<PatchMetadata>>> =
        HashMap::new();
    for root in (0..kustomizations.len()).filter(|&i| !included[i]) {
        let mut path = Vec::new();
        let mut walk = Walk {
            all: &kustomizations,
            path: &mut path,
            seen: &mut seen,
            patched: &mut patched,
            metadata: &mut metadata,
        };
        walk.walk(root, None, root);
    }
    // Read only when one patch alone sets them: several patches of one ServiceAccount
    // (an overlay's over a base's) merge in an order not followed here.
    let patch_metadata = metadata
        .into_iter()
        .filter_map(|(k, v)| match v[..] {
            [Some(m)] => Some((k, m)),
            _ => None,
        })
        .collect();
    Built {
        namespaces: seen
            .iter()
            .map(|(id, namespaces)| (*id, namespaces.keys().cloned().collect()))
            .collect(),
        patched,
        patch_metadata,
        patch_files,
        builders: seen,
    }
}

/// The patches of kustomization `root` (in `dir`) that change ServiceAccounts:
/// `patchesStrategicMerge` (files or inline), `patches` (a file or inline patch, with or
/// without a `target`) and `patchesJson6902` (always with a `target`). A strategic-merge
/// patch file among the inputs is built like a resource (its ServiceAccounts are the patched
/// ones); the rest only mark the ServiceAccounts they target.
fn patches(
    dir: &str,
    root: &Node,
    own: &crate::load::InputFile,
    by_path: &HashMap<&str, &crate::load::InputFile>,
    k: &mut Kustomization,
    patch_files: &mut HashSet<FileId>,
) {
    // The annotations the load stage read from an inline patch, by the patch's text.
    let read = |host: Option<&Node>| -> Option<PatchMetadata> {
        let host = host?;
        own.derived_of(host)?;
        Some((own.id, host.span.start))
    };
    // A patch file's ServiceAccounts, or an inline patch's (`*` when it names one at all).
    let mut merge = |k: &mut Kustomization,
                     file: Option<&str>,
                     inline: Option<&str>,
                     metadata: Option<PatchMetadata>| {
        if let Some(f) = file
            .and_then(|f| join(dir, f))
            .and_then(|t| by_path.get(t.as_str()))
        {
            k.files.push(f.id);
            patch_files.insert(f.id);
            for doc in &f.documents {
                let d = &doc.root;
                if d.get("kind").and_then(Node::as_str) == Some("ServiceAccount") {
                    let name = d.get("metadata").and_then(|m| m.get("name"));
                    k.patched
                        .push((name.and_then(Node::as_str).unwrap_or("*").to_string(), None));
                }
            }
        } else if let Some(t) = inline.filter(|t| t.contains("ServiceAccount")) {
            // The one ServiceAccount a read patch names, else any.
            let named = metadata.and(inline_name(t));
            match named {
                Some(name) => k.patched.push((name, metadata)),
                None => k.patched.push(("*".to_string(), None)),
            }
        }
    };
    for entry in root
        .get("patchesStrategicMerge")
        .map(Node::items)
        .unwrap_or(&[])
    {
        // An entry is a path, or (kustomize v3.x) the patch itself.
        if let Some(text) = entry.as_str() {
            if text.contains('\n') {
                let metadata = read(Some(entry));
                merge(k, None, Some(text), metadata);
            } else {
                merge(k, Some(text), None, None);
            }
        }
    }
    for key in ["patches", "patchesJson6902"] {
        for entry in root.get(key).map(Node::items).unwrap_or(&[]) {
            let path = entry.get("path").and_then(Node::as_str);
            let inline = entry.get("patch").and_then(Node::as_str);
            // An inline patch, else a JSON 6902 patch file among the inputs.
            let metadata = read(entry.get("patch")).or_else(|| {
                let f = by_path.get(join(dir, path?)?.as_str())?;
                let root = &f.documents.first()?.root;
                f.derived_of(root)?;
                Some((f.id, root.span.start))
            });
            match entry.get("target") {
                Some(target) => {
                    let kind = target.get("kind").and_then(Node::as_str);
                    if kind.is_none() || kind == Some("ServiceAccount") {
                        let name = target.get("name").and_then(Node::as_str);
                        match name.filter(|_| kind.is_some()) {
                            Some(name) => k.patched.push((name.to_string(), metadata)),
                            None => k.patched.push(("*".to_string(), None)),
                        }
                    }
                }
                None if key == "patches" => merge(k, path, inline, metadata),
                None => {}
            }
        }
    }
}

struct Walk<'k> {
    all: &'k [Kustomization],
    path: &'k mut Vec<usize>,
    seen: &'k mut HashMap<FileId, BTreeMap<Option<String>, BTreeSet<FileId>>>,
    patched: &'k mut HashSet<(Option<String>, String)>,
    metadata: &'k mut HashMap<(Option<String>, String), Vec<Option<PatchMetadata>>>,
}

impl Walk<'_> {
    /// `by`: the kustomization whose `namespace:` is `outer` (the root while none sets one).
    fn walk(&mut self, at: usize, outer: Option<&str>, by: usize) {
        if self.path.contains(&at) || self.path.len() >= MAX_DEPTH {
            return;
        }
        self.path.push(at);
        let k = &self.all[at];
        // The outermost namespace wins: the overlay's transformer runs last.
        let ns = outer.or(k.namespace.as_deref());
        let by = if outer.is_none() && k.namespace.is_some() {
            at
        } else {
            by
        };
        for &f in &k.files {
            self.seen
                .entry(f)
                .or_default()
                .entry(ns.map(str::to_string))
                .or_default()
                .insert(self.all[by].file);
        }
        for (name, metadata) in &k.patched {
            let key = (ns.map(str::to_string), name.clone());
            self.patched.insert(key.clone());
            self.metadata.entry(key).or_default().push(*metadata);
        }
        for &c in &k.children {
            self.walk(c, ns, by);
        }
        self.path.pop();
    }
}

/// The name of the ServiceAccount an inline strategic-merge patch is (`metadata.name`,
/// read from the text: the parsed patch keeps only its annotations).
fn inline_name(text: &str) -> Option<String> {
    let loaded = crate::source::yaml::load_yaml(
        0,
        text,
        &crate::source::file::LineIndex::new(text),
        &crate::source::Limits::default(),
    );
    let doc = loaded.documents.first()?;
    (doc.root.get("kind").and_then(Node::as_str) == Some("ServiceAccount"))
        .then(|| {
            doc.root
                .get("metadata")?
                .get("name")?
                .as_str()
                .map(str::to_string)
        })
        .flatten()
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
    /// an overlay's over a base without one, a base two overlays build into two namespaces,
    /// and one built by a `bases:` overlay and an overlay of an overlay.
    #[test]
    fn namespaces_follow_the_kustomizations() {
        let inputs = crate::testing::fixture_world_inputs(
            &crate::rules::sa::sa_role_not_trusted::META,
            "kustomize",
        );
        let mut got: Vec<(String, Vec<Option<String>>)> = super::build(&inputs)
            .namespaces
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
        let some = |ns: &[&str]| ns.iter().map(|n| Some(n.to_string())).collect::<Vec<_>>();
        assert_eq!(
            got,
            [
                (
                    "apps/billing/base/deployment.yaml".to_string(),
                    some(&["billing-dev", "billing-prod"])
                ),
                (
                    "apps/billing/base/serviceaccount.yaml".to_string(),
                    some(&["billing-dev", "billing-prod"])
                ),
                (
                    "apps/ledger/base/serviceaccount.yaml".to_string(),
                    some(&["ledger-prod"])
                ),
                (
                    "apps/orders/base/serviceaccount.yaml".to_string(),
                    some(&["orders-dev", "orders-prod"])
                ),
                (
                    "apps/payments/serviceaccount.yaml".to_string(),
                    some(&["payments"])
                ),
                (
                    "apps/shared/base/serviceaccount.yaml".to_string(),
                    some(&["shared-dev", "shared-prod"])
                ),
            ]
        );
    }

    /// `sa-role-not-trusted/kustomize-patches`: the ServiceAccount a `patchesStrategicMerge`
    /// file, a `patches` path and a `patches` JSON 6902 target patch, per namespace; the patch
    /// files are built into their overlay's namespace.
    #[test]
    fn patches_mark_the_accounts_they_change() {
        let inputs = crate::testing::fixture_world_inputs(
            &crate::rules::sa::sa_role_not_trusted::META,
            "kustomize-patches",
        );
        let built = super::build(&inputs);
        let mut patched: Vec<_> = built.patched.iter().cloned().collect();
        patched.sort();
        let at = |ns: &str| (Some(ns.to_string()), "secrets-provider".to_string());
        assert_eq!(
            patched,
            [at("secrets-dev"), at("secrets-prod"), at("secrets-staging")]
        );
        assert!(built.is_patched(&Some("secrets-dev".into()), "secrets-provider"));
        assert!(!built.is_patched(&Some("secrets-qa".into()), "secrets-provider"));
        assert!(!built.is_patched(&Some("secrets-dev".into()), "other"));
        let mut files: Vec<String> = built
            .patch_files
            .iter()
            .map(|&id| {
                let path = &inputs.sources.get(id).path;
                let rel = path
                    .rsplit_once("kustomize-patches/")
                    .map_or(path.as_str(), |(_, r)| r);
                rel.trim_start_matches("./").to_string()
            })
            .collect();
        files.sort();
        assert_eq!(
            files,
            [
                "overlays/dev/serviceaccount-patch.yaml",
                "overlays/prod/serviceaccount-patch.yaml"
            ]
        );
    }

    /// The ServiceAccounts whose annotations one patch decides, by the namespace the
    /// overlay builds them into: inline (JSON 6902, strategic merge, under `patches` or
    /// `patchesJson6902`) or a JSON 6902 file; the overlay whose patch only touches a
    /// Deployment decides nothing about it.
    #[test]
    fn patches_that_decide_annotations() {
        let inputs = crate::testing::fixture_world_inputs(
            &crate::rules::sa::sa_role_not_trusted::META,
            "kustomize-inline-patches",
        );
        let built = super::build(&inputs);
        let mut decided: Vec<(Option<&str>, &str, String)> = built
            .patch_metadata
            .iter()
            .map(|((ns, name), (file, _))| {
                let path = &inputs.sources.get(*file).path;
                let rel = path
                    .rsplit_once("kustomize-inline-patches/")
                    .map_or(path.as_str(), |(_, r)| r);
                (ns.as_deref(), name.as_str(), rel.to_string())
            })
            .collect();
        decided.sort();
        assert_eq!(
            decided,
            [
                (
                    None,
                    "capa-controller-manager",
                    "capa/kustomization.yaml".to_string()
                ),
                (
                    Some("jobs-prod"),
                    "jobs",
                    "jobs/overlays/prod/kustomization.yaml".to_string()
                ),
                (
                    Some("kube-system"),
                    "cluster-autoscaler",
                    "autoscaler/overlays/prod/kustomization.yaml".to_string()
                ),
                (
                    Some("ledger-prod"),
                    "ledger",
                    "ledger/overlays/prod/serviceaccount-patch.yaml".to_string()
                ),
                (
                    Some("reports-prod"),
                    "reports",
                    "reports/overlays/prod/kustomization.yaml".to_string()
                ),
                (
                    Some("web-dev"),
                    "web",
                    "web/overlays/dev/kustomization.yaml".to_string()
                ),
                (
                    Some("web-prod"),
                    "web",
                    "web/overlays/prod/kustomization.yaml".to_string()
                ),
            ]
        );
        assert!(!built
            .patched
            .contains(&(Some("kube-system".into()), "*".into())));
    }

    /// A cycle of kustomizations (kustomize refuses to build it) that list each other twice:
    /// each is walked once per path, so the walk ends at once instead of branching to the
    /// depth bound, and the file they build still gets the root's namespace.
    #[test]
    fn a_cycle_of_kustomizations_is_walked_once() {
        let dir =
            std::env::temp_dir().join(format!("irsalint-kustomize-cycle-{}", std::process::id()));
        let write = |path: &str, text: &str| {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "root/kustomization.yaml",
            "namespace: team\nresources:\n  - ../a\n",
        );
        write(
            "a/kustomization.yaml",
            "resources:\n  - ../b\n  - ../b/\n  - sa.yaml\n",
        );
        write("b/kustomization.yaml", "resources:\n  - ../a\n  - ./../a\n");
        write(
            "a/sa.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n",
        );
        let inputs = crate::load::load_paths(
            &[dir.to_string_lossy().into_owned()],
            &dir,
            &crate::source::Limits::default(),
        )
        .unwrap();
        let built = super::build(&inputs);
        let _ = std::fs::remove_dir_all(&dir);
        let got: Vec<_> = built.namespaces.values().cloned().collect();
        assert_eq!(got, [vec![Some("team".to_string())]]);
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
