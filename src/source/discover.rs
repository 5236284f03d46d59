//! Which files a run reads: explicit files always; directories walked recursively with
//! `.gitignore` honoured, taking `*.yaml`/`*.yml`/`*.json` and extension-less or unusual
//! files whose first bytes look like one of the input kinds; `-` for stdin.

use std::io::Read;
use std::path::{Path, PathBuf};

/// A file to read, with the path shown in reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidate {
    File {
        path: PathBuf,
        display: String,
        /// The walk found a regular file (its directory entry's type): read without asking
        /// the file system its type again (a path lookup per file of a monorepo). A file named
        /// on the command line is checked before it is opened (a FIFO would block).
        regular: bool,
    },
    Stdin,
}

/// Extensions that are never inputs, so a walk does not sniff every source file. The
/// configuration languages that generate Kubernetes objects (Jsonnet, CUE, Dhall, Nix, Pkl)
/// are among them: their sources mention `apiVersion` and `kind` but are not YAML or JSON,
/// so sniffing took them and reported a parse error on a correct file (grafana/loki's
/// `production/ksonnet`).
// One row per line would be 56 lines: rustfmt lays an array out vertically once an item
// (`"libsonnet"`) is longer than its short-item threshold.
#[rustfmt::skip]
const SKIP_EXTENSIONS: &[&str] = &[
    "md", "txt", "rs", "go", "py", "sh", "bash", "js", "ts", "tpl", "toml", "lock", "png", "jpg",
    "jpeg", "gif", "svg", "pdf", "zip", "gz", "tgz", "tar", "bin", "exe", "so", "o", "a", "class",
    "jar", "html", "css", "mod", "sum", "hcl", "xml", "csv", "tsv", "rst", "snap", "c", "h", "cpp",
    "java", "rb", "pem", "crt", "key", "cfg", "ndjson", "jsonl", "log", "jsonnet", "libsonnet",
    "cue", "dhall", "nix", "pkl",
    // KCL, Crossplane's composition functions (upbound/configuration-aws-eks
    // functions/eks/main.k@5fb7d65: `apiVersion` and `kind` in its schemas' values).
    "k",
    // Other languages' sources and interface definitions: a generated `.proto` of Kubernetes
    // types (k8s.io/apimachinery's `generated.proto`, vendored by grafana/tempo) names
    // `apiVersion` and `kind` in its comments, and sniffing reported a parse error on it.
    "proto", "thrift", "graphql", "gql", "avdl", "kt", "kts", "scala", "groovy", "gradle",
    "swift", "cs", "fs", "php", "pl", "pm", "lua", "jl", "ex", "exs", "erl", "hs", "ml", "clj",
    "dart", "zig", "cc", "cxx", "hpp", "hh", "jsx", "tsx", "mjs", "cjs", "vue", "svelte",
    "scss", "less", "sql", "ps1", "psm1", "bat", "cmd", "zsh", "fish", "rego", "bzl", "star",
    "mk",
];

/// Build files named without an extension that are never an input, though a recipe or a
/// `define` in them may hold a manifest (matihost/monorepo k8s/minikube/Makefile: a
/// PersistentVolume in `define PV_TEMPLATE`, sniffed as YAML and reported as a parse error).
const SKIP_NAMES: &[&str] = &[
    "Makefile",
    "makefile",
    "GNUmakefile",
    "Dockerfile",
    "Jenkinsfile",
];

/// Something the directory walk met and did not read, and why: nothing is skipped in
/// silence (the summary counts these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub display: String,
    pub why: SkipReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// A symbolic link inside a directory (followed only with `--follow-links`).
    Symlink,
    /// A FIFO, socket or device inside a directory: reading it could block forever.
    NotRegular,
    /// A directory (or entry) the walk could not read.
    Unreadable,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Symlink => "symlink not followed (use --follow-links)",
            SkipReason::NotRegular => "not a regular file",
            SkipReason::Unreadable => "unreadable",
        }
    }
}

/// How directories are walked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Follow symbolic links met inside directories (loops are detected by the walker).
    pub follow_links: bool,
    /// The name stdin (`-`) gets in reports (`--stdin-filename`); `<stdin>` when unset.
    pub stdin_name: Option<String>,
    /// Paths the directory walk leaves out (`exclude`/`extend-exclude` in `irsalint.toml`,
    /// `--exclude`). Files named on the command line are always read.
    pub exclude: Vec<Exclude>,
}

/// Exclusion globs (globset syntax) and the directory they are relative to. A glob matches
/// an entry's path relative to that directory, or its name alone (`vendor`, `*.generated.yaml`).
#[derive(Debug, Clone)]
pub struct Exclude {
    set: globset::GlobSet,
    base: PathBuf,
}

impl Exclude {
    /// `base` is made absolute against `cwd`; a malformed glob is an error naming it.
    pub fn new(patterns: &[String], base: &Path, cwd: &Path) -> Result<Exclude, String> {
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            let glob = globset::GlobBuilder::new(p.trim_end_matches('/'))
                .literal_separator(false)
                .build()
                .map_err(|e| format!("exclude pattern `{p}`: {e}"))?;
            b.add(glob);
        }
        let set = b.build().map_err(|e| format!("exclude patterns: {e}"))?;
        let base = normalize(&cwd.join(base)).unwrap_or_else(|| cwd.to_path_buf());
        Ok(Exclude { set, base })
    }

    /// Whether the entry at `abs` (an absolute, normalized path) is excluded.
    fn matches(&self, abs: &Path) -> bool {
        if abs.file_name().is_some_and(|n| self.set.is_match(n)) {
            return true;
        }
        abs.strip_prefix(&self.base)
            .is_ok_and(|rel| !rel.as_os_str().is_empty() && self.set.is_match(rel))
    }
}

impl Options {
    /// How stdin is named in reports.
    pub fn stdin_display(&self) -> String {
        self.stdin_name.clone().unwrap_or_else(|| "<stdin>".into())
    }
}

/// The files a run reads and what the walk skipped.
#[derive(Debug, Default)]
pub struct Discovery {
    pub candidates: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
}

/// Expands the command-line paths. Errors (a path that does not exist, or that yields no
/// file at all: a typo in a CI path must not pass green) are for exit code 2.
pub fn discover(paths: &[String], cwd: &Path, opts: &Options) -> Result<Discovery, String> {
    let mut out = Discovery::default();
    for p in paths {
        if p == "-" {
            out.candidates.push(Candidate::Stdin);
            continue;
        }
        let path = PathBuf::from(p);
        let meta = std::fs::metadata(&path).map_err(|e| format!("{p}: {}", io_message(&e)))?;
        if meta.is_dir() {
            let skipped_before = out.skipped.len();
            let mut found = walk(&path, cwd, opts, &mut out.skipped);
            if found.is_empty() {
                let why = if out.skipped.len() > skipped_before {
                    " (only skipped entries, see below)"
                } else {
                    ""
                };
                let skipped: Vec<String> = out.skipped[skipped_before..]
                    .iter()
                    .map(|s| format!("\n  {}: {}", s.display, s.why.as_str()))
                    .collect();
                return Err(format!(
                    "{p}: no input file found (YAML, JSON, Terraform, INI-style AWS config){why}{}",
                    skipped.concat()
                ));
            }
            // The walk is parallel: its order is not the file system's. Two paths may show
            // the same (names that are not UTF-8): ordered by path then. A walk yields each
            // path once, so no two compare equal and an unstable sort gives the same order
            // (without the stable sort's buffer and moves: 1.0 M instructions for 1,173 files).
            found.sort_unstable_by(|a, b| {
                display_of(a)
                    .cmp(display_of(b))
                    .then_with(|| path_of(a).cmp(&path_of(b)))
            });
            out.candidates.extend(found);
        } else {
            out.candidates.push(Candidate::File {
                display: display_path(&path, cwd),
                path,
                regular: false,
            });
        }
    }
    // The same file named twice (or by a directory and by name) is read once. One path
    // cannot name a file twice (a walk yields each path once, and a display path is a
    // function of the path): skipped then, it cost a string copy and a hash per file of a
    // monorepo, on one thread before any parsing starts.
    if paths.len() < 2 {
        out.skipped
            .sort_by(|a, b| a.display.cmp(&b.display).then(a.why.cmp(&b.why)));
        return Ok(out);
    }
    let mut seen = std::collections::HashSet::new();
    // Keyed by display path, and by the path itself when the name is not UTF-8 (two such
    // names may show the same).
    out.candidates.retain(|c| match c {
        Candidate::File { display, path, .. } => seen.insert((
            display.clone(),
            display.contains('\u{fffd}').then(|| path.clone()),
        )),
        Candidate::Stdin => seen.insert(("-".to_string(), None)),
    });
    out.skipped
        .sort_by(|a, b| a.display.cmp(&b.display).then(a.why.cmp(&b.why)));
    Ok(out)
}

fn path_of(c: &Candidate) -> Option<&Path> {
    match c {
        Candidate::File { path, .. } => Some(path),
        Candidate::Stdin => None,
    }
}

fn display_of(c: &Candidate) -> &str {
    match c {
        Candidate::File { display, .. } => display,
        Candidate::Stdin => "-",
    }
}

/// A reported path (relative to `cwd`, or absolute) as seen from directory `base`:
/// relative to it with `/` separators, so `irsalint.toml` globs and baseline entries mean the
/// same files from any working directory. Paths outside `base` (and stdin) stay as shown.
pub fn rebase(display: &str, cwd: &Path, base: &Path) -> String {
    if display.starts_with('<') {
        return display.to_string();
    }
    let p = Path::new(display);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    let Some(rel) = normalize(&abs).and_then(|a| {
        let base = normalize(&if base.is_absolute() {
            base.to_path_buf()
        } else {
            cwd.join(base)
        })?;
        a.strip_prefix(&base).ok().map(Path::to_path_buf)
    }) else {
        return display.to_string();
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        display.to_string()
    } else {
        parts.join("/")
    }
}

/// A display path, lexically normalized (`./a/../b.json` → `b.json`, `/`-separated): two
/// spellings of one file compare equal without touching the file system.
pub fn lexical(path: &str) -> String {
    // A path of named steps (no `.`, `..`, doubled or trailing separator, no `\`) is its
    // own normal form: copied, where the split, join and format cost over a thousand
    // instructions (asked once per Terraform module directory and module call).
    if !path.contains('\\')
        && path
            .split('/')
            .enumerate()
            .all(|(i, p)| !matches!(p, "." | "..") && (!p.is_empty() || i == 0))
    {
        return path.to_string();
    }
    lexical_steps(path)
}

/// [`lexical`] step by step.
fn lexical_steps(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `a/./b/../c` → `a/c` without touching the file system (symlinks are not resolved: the
/// paths compared are the ones the user wrote).
fn normalize(p: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// Hidden directories that are version control or tool state, never inputs. Other hidden
/// directories are read: OIDC discovery documents live in `.well-known/`.
const SKIP_HIDDEN_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".jj",
    ".terraform",
    ".terragrunt-cache",
    ".aws-sam",
    ".serverless",
    ".pulumi",
    ".venv",
    ".tox",
    ".cache",
    ".idea",
    ".vscode",
];

/// Whether the directory `path` (not a walk's root) holds other projects' files, installed or
/// vendored by a package manager: `node_modules`, and a `vendor` beside a Go module's
/// `go.mod` (Go's vendored dependencies: openshift/machine-api-operator's `vendor/` gave a
/// parse error and two notes on its dependencies' CI files). Their YAML and JSON are not the
/// user's to fix; a root named on the command line is still read.
fn is_dependencies(path: &Path, name: &std::ffi::OsStr) -> bool {
    match name.to_str() {
        Some("node_modules") => true,
        Some("vendor") => path.parent().is_some_and(|p| p.join("go.mod").is_file()),
        _ => false,
    }
}

fn walk(root: &Path, cwd: &Path, opts: &Options, skipped: &mut Vec<Skipped>) -> Vec<Candidate> {
    let exclude = opts.exclude.clone();
    let abs_root = normalize(&cwd.join(root));
    let walk_root = root.to_path_buf();
    // In parallel (what it finds is sorted by the caller): a Terraform monorepo has a
    // directory per root module, and each directory costs several system calls (its entries,
    // and the `.git`, `.ignore`, `.gitignore` and `.git/info/exclude` looked for in it), which
    // one thread made a quarter of a run at 10k apps with Terraform.
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(move |e| {
            let dir = e.depth() > 0 && e.file_type().is_some_and(|t| t.is_dir());
            // The name once: `DirEntry::file_name` parses the path from its end on each call
            // (15 calls a directory were 1.3 M instructions of a walk of 391 directories).
            if dir {
                let name = e.file_name();
                if SKIP_HIDDEN_DIRS.iter().any(|d| name == *d) || is_dependencies(e.path(), name) {
                    return false;
                }
            }
            // The root itself was named on the command line: never excluded.
            if e.depth() == 0 || exclude.is_empty() {
                return true;
            }
            let Some(abs) = abs_root.as_ref().and_then(|r| {
                e.path()
                    .strip_prefix(&walk_root)
                    .ok()
                    .map(|rel| r.join(rel))
            }) else {
                return true;
            };
            !exclude.iter().any(|x| x.matches(&abs))
        })
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(opts.follow_links)
        .threads(walk_threads())
        .build_parallel();
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    let mut builder = Collect { cwd, found: &found };
    walker.visit(&mut builder);
    let (out, mut s) = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // In a stable order: an error lists a walk's skipped entries.
    s.sort_by(|a, b| a.display.cmp(&b.display).then(a.why.cmp(&b.why)));
    skipped.append(&mut s);
    out
}

/// Threads of the walk: rayon's (the machine's cores, or `RAYON_NUM_THREADS`), at most 8.
fn walk_threads() -> usize {
    rayon::current_num_threads().clamp(1, 8)
}

/// The parallel walk's visitors: each thread keeps what it finds and adds it to `found`
/// (candidates, skipped entries) when it ends.
struct Collect<'c> {
    cwd: &'c Path,
    found: &'c std::sync::Mutex<(Vec<Candidate>, Vec<Skipped>)>,
}

impl<'s> ignore::ParallelVisitorBuilder<'s> for Collect<'s> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(Visitor {
            cwd: self.cwd,
            found: self.found,
            out: Vec::new(),
            skipped: Vec::new(),
        })
    }
}

struct Visitor<'c> {
    cwd: &'c Path,
    found: &'c std::sync::Mutex<(Vec<Candidate>, Vec<Skipped>)>,
    out: Vec<Candidate>,
    skipped: Vec<Skipped>,
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        let mut found = self
            .found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        found.0.append(&mut self.out);
        found.1.append(&mut self.skipped);
    }
}

impl ignore::ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        let cwd = self.cwd;
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                self.skipped.push(Skipped {
                    display: error_path(&e).map_or_else(|| e.to_string(), |p| display_path(p, cwd)),
                    why: SkipReason::Unreadable,
                });
                return ignore::WalkState::Continue;
            }
        };
        let Some(t) = entry.file_type() else {
            return ignore::WalkState::Continue;
        };
        if t.is_dir() {
            return ignore::WalkState::Continue;
        }
        let path = entry.path();
        let why = if t.is_symlink() {
            SkipReason::Symlink
        } else if !t.is_file() {
            SkipReason::NotRegular
        } else {
            if is_candidate(path) {
                self.out.push(Candidate::File {
                    display: display_path(path, cwd),
                    path: path.to_path_buf(),
                    regular: true,
                });
            }
            return ignore::WalkState::Continue;
        };
        // Symlinks and special files are counted only when they could have been inputs
        // (a link named `*.md` is as uninteresting as the file it points to).
        if has_input_extension(path) || !has_skipped_extension(path) {
            self.skipped.push(Skipped {
                display: display_path(path, cwd),
                why,
            });
        }
        ignore::WalkState::Continue
    }
}

/// The path an error of the walk is about.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
}

fn has_input_extension(path: &Path) -> bool {
    extension(path).is_some_and(|e| is_input_extension(&e))
}

/// YAML and JSON, and Terraform's HCL: configurations (`.tf`; `.tf.json` has the JSON
/// extension and is told apart in the load stage) and variable files (`.tfvars`).
fn is_input_extension(e: &str) -> bool {
    matches!(e, "yaml" | "yml" | "json" | "tf" | "tfvars")
}

fn has_skipped_extension(path: &Path) -> bool {
    extension(path).is_some_and(|e| SKIP_EXTENSIONS.contains(&e.as_str()))
}

fn is_candidate(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str());
    // Most inputs are spelled in lower case: taken without a lowercase copy.
    if ext.is_some_and(is_input_extension) {
        return true;
    }
    match ext.map(str::to_ascii_lowercase) {
        Some(e) if is_input_extension(&e) => true,
        // A JSON or YAML template (`trust.json.tpl`, which Terraform's `templatefile()` and
        // `data "template_file"` render) is read when it looks like an input; other `.tpl`
        // files (Helm's `_helpers.tpl`) are not.
        Some(e) if e == "tpl" && is_template_of_input(path) => sniff_template_file(path),
        // A plain `.tpl` that is a Kubernetes manifest with envsubst placeholders
        // (dominikcebula/aws-samples-spring-cloud-microservices-event-driven
        // cicd/infra/eks/serviceaccount/kube_sa_template.tpl@1b0f997, applied by
        // `envsubst < kube_sa_template.tpl | kubectl apply -f -`): the ServiceAccounts the
        // repository's workloads name come from there.
        // A plain `.tpl` that is an IAM policy in JSON with `${...}` variables
        // (CircleCI-Public/server-terraform nomad-aws/template/nomad_irsa_trust_policy.tpl@888333e,
        // yevgenis-shapiro/aws-n8n-workflow-orchestration modules/external-dns/trust-policy.tpl@fdaaeec):
        // the `templatefile()` or `file()` that renders it is a role's trust or permissions.
        Some(e) if e == "tpl" => sniff_plain_template(path),
        // Terragrunt's configuration, one module call (`terraform::terragrunt`); its other
        // `.hcl` files are not read.
        Some(e) if e == "hcl" => path.file_name().is_some_and(|n| n == "terragrunt.hcl"),
        Some(e) if SKIP_EXTENSIONS.contains(&e.as_str()) => false,
        None if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| SKIP_NAMES.contains(&n)) =>
        {
            false
        }
        _ if is_document_copy(path) => false,
        _ => sniff_file(path),
    }
}

/// A copy of a prose document kept under another extension (`README.md.old`,
/// `index.md.deprecated`, `guide.md-sm2`, rh-mobb/documentation content/rosa@f7ad5e2): its
/// front matter and code blocks look like an input, its prose is not YAML.
fn is_document_copy(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.split('.').skip(1).any(|segment| {
        let kind = segment.split('-').next().unwrap_or(segment);
        ["md", "markdown", "rst", "adoc"]
            .iter()
            .any(|d| kind.eq_ignore_ascii_case(d))
    })
}

/// `x.json.tpl`, `x.yaml.tpl`, `x.yml.tpl`.
fn is_template_of_input(path: &Path) -> bool {
    path.file_stem()
        .map(Path::new)
        .and_then(extension)
        .is_some_and(|e| matches!(e.as_str(), "json" | "yaml" | "yml"))
}

fn sniff_file(path: &Path) -> bool {
    read_head(path).is_some_and(|head| sniff(&head))
}

fn read_head(path: &Path) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; 4096];
    let mut f = std::fs::File::open(path).ok()?;
    let n = f.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(buf)
}

/// A `.yaml.tpl`/`.json.tpl` is read when it looks like an input, or like the Helm values a
/// `helm_release` renders with `templatefile()` (andreswebs/terraform-aws-eks-ebs-csi-driver
/// modules/resources/helm-values/aws-ebs-csi-driver.yml.tpl: `controller.serviceAccount` with
/// the role annotation): values name no `kind`, and without the file the release's
/// ServiceAccount and its role were never seen. Such a file not rendered by any
/// `templatefile()` is documents no model reads.
fn sniff_template_file(path: &Path) -> bool {
    read_head(path).is_some_and(|head| sniff(&head) || sniff_helm_values(&head))
}

/// A plain `.tpl` read as an input: a manifest for envsubst, or an IAM policy template.
fn sniff_plain_template(path: &Path) -> bool {
    read_head(path).is_some_and(|head| is_envsubst_manifest(&head) || is_policy_template(&head))
}

/// A manifest template for envsubst (or Flux's post-build substitution): a Kubernetes object
/// (`apiVersion` and `kind`) with `${VAR}` placeholders and no Go template markup (Helm's
/// `_helpers.tpl` defines its templates with `{{`, and is never a manifest of its own). It
/// starts as YAML does: a shell script rendered by `templatefile()` that writes a manifest
/// with a heredoc (yevgenis-shapiro/aws-n8n-workflow-orchestration
/// modules/bastion-prep/create_suite_pv.tpl@fdaaeec, `EFS_HOST=${efs_dns}` first, no `#!`)
/// holds both words and is not one.
fn is_envsubst_manifest(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    !head.contains(&0)
        && !text.contains("{{")
        && text.contains("${")
        && text.contains("apiVersion")
        && text.contains("kind")
        && starts_as_yaml(&text)
}

/// Whether the first line that is not blank, a comment nor a Terraform template directive
/// (`%{ if enable_bootstrap_user_data ~}`: terraform-aws-modules/terraform-aws-eks
/// templates/al2023_user_data.tpl, a manifest template reported as one) starts a YAML
/// document: `---`, a sequence item, or a mapping key (`apiVersion: v1`), not a shell
/// assignment or command.
fn starts_as_yaml(text: &str) -> bool {
    let Some(line) = text.lines().map(str::trim_end).find(|l| {
        let l = l.trim_start();
        !l.is_empty() && !l.starts_with('#') && !l.starts_with("%{")
    }) else {
        return false;
    };
    if line.starts_with("---") || line.starts_with("- ") || line == "-" {
        return true;
    }
    line.split_once(':').is_some_and(|(key, rest)| {
        let key = key.trim_start();
        !key.is_empty()
            && (rest.is_empty() || rest.starts_with(' '))
            && key.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '"' | '\'')
            })
    })
}

/// An IAM policy document in JSON with `${...}` variables for `templatefile()`: an object
/// with a `"Statement"`, no Go template markup.
fn is_policy_template(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    !head.contains(&0)
        && !text.contains("{{")
        && text.trim_start().starts_with('{')
        && text.contains("\"Statement\"")
}

/// Helm values that configure a ServiceAccount or an IRSA annotation, as Terraform renders
/// them (`${...}`): a Go template of values (aws-controllers-k8s/community
/// templates/helm/values.yaml.tpl, `{{ .ServiceAccountName }}`) is another tool's input, which
/// irsalint could only report as a template it does not lint.
fn sniff_helm_values(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    !head.contains(&0)
        && !text.contains("{{")
        && (text.contains("serviceAccount") || text.contains("eks.amazonaws.com/"))
}

/// Does the start of a file look like one of irsalint's input kinds?
pub fn sniff(head: &[u8]) -> bool {
    // A script (`#!/bin/sh`) is never an input, though a heredoc in it may hold a manifest
    // (openshift/aws-efs-csi-driver-operator hack/create-bundle@f73c3a7e: `apiVersion` and
    // `kind` in a heredoc read as a YAML parse error).
    if head.contains(&0) || head.starts_with(b"#!") {
        return false;
    }
    let text = String::from_utf8_lossy(head);
    let has = |s: &str| text.contains(s);
    (has("apiVersion") && has("kind"))
        || has("\"Statement\"")
        || has("Statement:")
        || has("AWSTemplateFormatVersion")
        || (has("\"issuer\"") && has("jwks_uri"))
        || (has("\"keys\"") && has("\"kty\""))
        || (text.trim_start().starts_with('[')
            && (has("role_arn") || has("web_identity_token_file")))
}

/// Relative to `cwd` when under it, `/`-separated, no leading `./`; otherwise as given.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    // What a walk from a relative root gives (`k8s/sa.yaml`, `./k8s/sa.yaml`): a relative
    // path with no `.` step, doubled or trailing separator is what the join and the strip
    // below give back, so it is shown as written (they were 3% of reading a Terraform
    // monorepo, a few hundred instructions per file).
    // The path's text is checked once (each `to_str` is a UTF-8 validation of it).
    if let Some(p) = path.to_str() {
        let mut rest = p;
        while let Some(r) = rest.strip_prefix("./") {
            rest = r;
        }
        if path.is_relative() && plain_relative(rest) {
            // A copy without a search-and-replace when there is nothing to replace.
            return if rest.contains('\\') {
                rest.replace('\\', "/")
            } else {
                rest.to_owned()
            };
        }
        // An absolute path of named steps (what a walk from an absolute root gives) under a
        // working directory of named steps: the strip below compares them step by step
        // (with the copies, 1.5 to 2 thousand instructions a file); as strings, the path is
        // under the directory exactly when the directory's text and a `/` start it, and the
        // rest is shown as it is written. A path not under it is shown whole.
        if let Some(c) = cwd.to_str() {
            let clean_absolute = |s: &str| {
                s.strip_prefix('/')
                    .is_some_and(|r| r.is_empty() || plain_relative(r))
            };
            if path.is_absolute() && cwd.is_absolute() && clean_absolute(p) && clean_absolute(c) {
                let rest = if c == "/" {
                    p.strip_prefix('/')
                } else {
                    p.strip_prefix(c).and_then(|r| r.strip_prefix('/'))
                };
                let shown = match rest {
                    // The directory itself is shown as an empty path.
                    Some(r) => r,
                    None if p == c => "",
                    None => p,
                };
                return if shown.contains('\\') {
                    shown.replace('\\', "/")
                } else {
                    shown.to_owned()
                };
            }
        }
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let shown = match abs.strip_prefix(cwd) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    };
    let mut s = shown.to_string_lossy().replace('\\', "/");
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.to_string();
    }
    s
}

/// Whether `s` is a relative path of named steps: not empty, no leading, doubled or trailing
/// `/`, no `.` step (`..` is a name here: kept as written either way).
fn plain_relative(s: &str) -> bool {
    // A leading, doubled or trailing `/` is an empty step. Bytes: a `/` is never part of
    // another character in UTF-8.
    !s.is_empty()
        && s.as_bytes()
            .split(|&c| c == b'/')
            .all(|step| !step.is_empty() && step != b".")
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lexical_normalizes_without_the_file_system() {
        assert_eq!(
            super::lexical("stack/./policies/../trust.json"),
            "stack/trust.json"
        );
        assert_eq!(super::lexical("./trust.json"), "trust.json");
        assert_eq!(
            super::lexical("../shared/trust.json"),
            "../shared/trust.json"
        );
        assert_eq!(super::lexical("/abs/x/../y.json"), "/abs/y.json");
        // A path of named steps is copied as it is: what the steps give.
        for p in [
            "",
            "/",
            "//",
            "a",
            "/a",
            "a/b",
            "/tmp/c1k/tf/app-00001",
            "a/",
            "/a/",
            "a//b",
            ".",
            "..",
            "./a",
            "a/.",
            "a/..",
            "../a",
            "a/../b",
            ".a/b.",
            "a..b/c",
            "a\\b",
            "\\a",
            "a/.b",
            "/..",
        ] {
            assert_eq!(super::lexical(p), super::lexical_steps(p), "{p:?}");
        }
    }

    use super::*;

    #[test]
    fn only_json_and_yaml_templates_among_tpl_files_are_sniffed() {
        for p in ["t/trust.json.tpl", "values.yaml.tpl", "a/b.YML.tpl"] {
            assert!(is_template_of_input(Path::new(p)), "{p}");
        }
        for p in [
            "chart/templates/_helpers.tpl",
            "x.tpl",
            "x.sh.tpl",
            "json.tpl",
        ] {
            assert!(!is_template_of_input(Path::new(p)), "{p}");
        }
    }

    /// A plain `.tpl` is read only when it is a manifest with envsubst placeholders.
    #[test]
    fn envsubst_manifest_templates_are_sniffed() {
        assert!(is_envsubst_manifest(
            b"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${NAME}-sa\n"
        ));
        // Helm's helpers, a Go-templated manifest, a manifest without placeholders (not a
        // template: a `.tpl` of something else), and a shell template are not.
        assert!(!is_envsubst_manifest(
            b"{{- define \"x.sa\" -}}\napiVersion: v1\nkind: ServiceAccount\n{{- end }}\n"
        ));
        assert!(!is_envsubst_manifest(
            b"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Name }}-${X}\n"
        ));
        assert!(!is_envsubst_manifest(
            b"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n"
        ));
        assert!(!is_envsubst_manifest(b"#!/bin/sh\necho ${HOME}\n"));
        assert!(!is_envsubst_manifest(b"apiVersion: ${API}\nreplicas: 2\n"));
        // Comments and a document marker may come first; a sequence of documents too.
        assert!(is_envsubst_manifest(
            b"# the app's account\n\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${NAME}\n"
        ));
        assert!(is_envsubst_manifest(
            b"- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: ${NAME}\n"
        ));
        assert!(is_envsubst_manifest(
            b"\"apiVersion\": v1\nkind: ServiceAccount\nmetadata:\n  name: ${NAME}\n"
        ));
        // A shell script without `#!` that writes a manifest with a heredoc
        // (yevgenis-shapiro/aws-n8n-workflow-orchestration
        // modules/bastion-prep/create_suite_pv.tpl@fdaaeec), a command first, a key whose
        // value is not separated by a space (`a:b`), a comment alone: not manifests.
        let script = b"EFS_HOST=${efs_dns}\nEFS_MOUNT_POINT=/mnt/efs\n\nfor VOL in $V; do\n    cat >> $Y<<EOL\napiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: $VOL\nEOL\ndone\n";
        assert!(!is_envsubst_manifest(script));
        assert!(!is_envsubst_manifest(
            b"kubectl apply -f - <<EOF\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${N}\nEOF\n"
        ));
        assert!(!is_envsubst_manifest(
            b"image:${TAG}\napiVersion: v1\nkind: ServiceAccount\n"
        ));
        assert!(!is_envsubst_manifest(b"# apiVersion kind ${X}\n\n"));
        // A Terraform directive line first (terraform-aws-modules/terraform-aws-eks
        // templates/al2023_user_data.tpl): the manifest follows it.
        assert!(is_envsubst_manifest(
            b"%{ if enable_bootstrap_user_data ~}\n---\napiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n    name: ${cluster_name}\n%{ endif ~}\n"
        ));
        assert!(!starts_as_yaml("%{ if x ~}\nEFS_HOST=${h}\n"));
        assert!(!starts_as_yaml(""));
        assert!(starts_as_yaml("-\n  a: 1\n"));
        assert!(starts_as_yaml("kind:\n"));
        assert!(!starts_as_yaml(": x\n"));
        assert!(!starts_as_yaml("export A=b: c\n"));
    }

    /// A plain `.tpl` holding an IAM policy in JSON (a trust for `templatefile()`) is read;
    /// other JSON, Go-templated JSON and non-JSON text with the word are not.
    #[test]
    fn policy_templates_are_sniffed() {
        // CircleCI-Public/server-terraform nomad-aws/template/nomad_irsa_trust_policy.tpl@888333e
        assert!(is_policy_template(
            b"{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Principal\": {\"Federated\": \"${OIDC_PRINCIPAL_ID}\"}\n"
        ));
        assert!(is_policy_template(b"\n  {\"Statement\": []}"));
        assert!(!is_policy_template(b"{\"name\": \"${n}\"}"));
        assert!(!is_policy_template(
            b"{\"Statement\": [{\"Resource\": \"{{ .Values.arn }}\"}]}"
        ));
        assert!(!is_policy_template(
            b"cat <<EOF\n{\"Statement\": []}\nEOF\n"
        ));
        assert!(!is_policy_template(b"{\"Statement\": []}\0"));
    }

    /// Helm values templates a `helm_release` renders are read; other YAML templates only
    /// when they look like an input.
    #[test]
    fn helm_values_templates_are_sniffed() {
        assert!(sniff_helm_values(
            b"controller:\n  serviceAccount:\n    name: ${k8s_sa_name}\n"
        ));
        assert!(sniff_helm_values(
            b"annotations:\n  eks.amazonaws.com/role-arn: ${arn}\n"
        ));
        assert!(!sniff_helm_values(
            b"services:\n  web:\n    image: ${image}\n"
        ));
        assert!(!sniff_helm_values(
            b"serviceAccount:\n  name: {{ .ServiceAccountName }}\n"
        ));
        assert!(!sniff(b"controller:\n  serviceAccount:\n    name: x\n"));
    }

    /// A script whose heredoc holds a manifest is not an input.
    #[test]
    fn scripts_are_not_sniffed() {
        let manifest = "apiVersion: v1\nkind: ServiceAccount\n";
        assert!(sniff(manifest.as_bytes()));
        assert!(!sniff(
            format!("#!/bin/sh\ncat <<EOF | kubectl apply -f -\n{manifest}EOF\n").as_bytes()
        ));
    }

    #[test]
    fn rebase_makes_paths_relative_to_the_config_or_baseline_directory() {
        let cwd = Path::new("/repo/k8s");
        // Run from a subdirectory, config at the root.
        assert_eq!(
            rebase("apps/sa.yaml", cwd, Path::new("/repo")),
            "k8s/apps/sa.yaml"
        );
        // `--config ../irsalint.toml` from that subdirectory: the same answer.
        assert_eq!(
            rebase("apps/sa.yaml", cwd, Path::new("..")),
            "k8s/apps/sa.yaml"
        );
        assert_eq!(
            rebase("../iam/x.json", cwd, Path::new("/repo")),
            "iam/x.json"
        );
        // Outside the base, and stdin, stay as shown.
        assert_eq!(
            rebase("/etc/x.yaml", cwd, Path::new("/repo")),
            "/etc/x.yaml"
        );
        assert_eq!(rebase("<stdin>", cwd, Path::new("/repo")), "<stdin>");
    }

    #[test]
    fn sniffs_inputs_by_content() {
        assert!(sniff(
            b"{\n \"Version\": \"2012-10-17\", \"Statement\": []}"
        ));
        assert!(sniff(b"apiVersion: v1\nkind: ServiceAccount\n"));
        assert!(sniff(b"[profile x]\nrole_arn = arn:aws:iam::1:role/x\n"));
        assert!(!sniff(b"# README\nhello"));
        assert!(!sniff(b"apiVersion\0kind"));
    }

    /// JSON Lines (an OpenSearch dashboards export, logs) start like JSON but are never one
    /// document: a walk must not report them as broken JSON.
    #[test]
    fn terragrunt_hcl_is_the_only_hcl_candidate() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"inputs = {\n  role_name = \"app\"\n}\n";
        for (name, taken) in [
            ("terragrunt.hcl", true),
            ("root.hcl", false),
            ("env.hcl", false),
            ("my-terragrunt.hcl", false),
            ("terragrunt.hcl.bak", false),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            assert_eq!(is_candidate(&p), taken, "{name}");
        }
    }

    #[test]
    fn json_lines_files_are_not_candidates() {
        let dir = tempfile::tempdir().unwrap();
        // Each line mentions `apiVersion` and `kind`, so sniffing alone would take the file.
        let line = b"{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"id\": \"1\"}\n";
        for name in ["export.ndjson", "events.jsonl", "run.log"] {
            let p = dir.path().join(name);
            std::fs::write(&p, [&line[..], &line[..]].concat()).unwrap();
            assert!(!is_candidate(&p), "{name}");
        }
        let p = dir.path().join("policy.json");
        std::fs::write(&p, &line[..]).unwrap();
        assert!(is_candidate(&p));
    }

    /// A Makefile whose `define` holds a manifest (matihost/monorepo k8s/minikube/Makefile,
    /// trimmed) is not read; a file of another name with that text is.
    #[test]
    fn build_files_are_not_candidates() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"\nSHELL := /usr/bin/env bash\n.EXPORT_ALL_VARIABLES:\n\ndefine PV_TEMPLATE\napiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-$(PVNAME)\nendef\n";
        assert!(sniff(text), "the content alone would be taken");
        for name in [
            "Makefile",
            "makefile",
            "GNUmakefile",
            "rules.mk",
            "Dockerfile",
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            assert!(!is_candidate(&p), "{name}");
        }
        let p = dir.path().join("pv-template");
        std::fs::write(&p, text).unwrap();
        assert!(is_candidate(&p));
        // An input's extension in capitals is an input whatever it holds; a plain `.tpl` of
        // Helm values (no `kind`) is not, though a `values.yaml.tpl` of them is.
        let values = b"serviceAccount:\n  name: x\n";
        for (name, taken) in [
            ("P.JSON", true),
            ("_helpers.tpl", false),
            ("values.yaml.tpl", true),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, values).unwrap();
            assert_eq!(is_candidate(&p), taken, "{name}");
        }
    }

    /// Jsonnet and the other generators' sources name `apiVersion` and `kind` but are not
    /// YAML or JSON (grafana/loki production/ksonnet/loki/servicemonitor.libsonnet @65e30f84,
    /// trimmed): a walk must not read them.
    #[test]
    fn generator_sources_are_not_candidates() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"{\n  local this = self,\n  serviceMonitor: {\n    apiVersion: 'monitoring.coreos.com/v1',\n    kind: 'ServiceMonitor',\n  },\n}\n";
        assert!(sniff(text), "the content alone would be taken");
        for name in [
            "servicemonitor.libsonnet",
            "main.jsonnet",
            "app.cue",
            "sa.dhall",
            "sa.nix",
            "sa.pkl",
            "policy.rego",
            "Tiltfile.star",
            "main.k",
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            assert!(!is_candidate(&p), "{name}");
        }
    }

    /// Copies of Markdown pages under another extension (rh-mobb/documentation@f7ad5e2
    /// content/rosa: `README.md.old`, `index.md.deprecated`, `sm2-guide.md-sm2`, Hugo front
    /// matter then prose with manifests in code blocks) are not inputs; a manifest whose name
    /// merely holds `md` elsewhere is.
    #[test]
    fn document_copies_are_not_candidates() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"---\ntitle: Configure STS\n---\n\n## Prerequisites\n\n* A ROSA cluster\n\n```yaml\napiVersion: v1\nkind: ServiceAccount\n```\n";
        assert!(sniff(text), "the content alone would be taken");
        for (name, taken) in [
            ("README.md.old", false),
            ("index.md.deprecated", false),
            ("sm2-guide.md-sm2", false),
            ("notes.RST.bak", false),
            ("cmd-sa", true),
            ("md.manifest", true),
            ("sa.mdx-backup", true),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            assert_eq!(is_candidate(&p), taken, "{name}");
        }
    }

    /// A vendored `generated.proto` of Kubernetes types (k8s.io/apimachinery
    /// pkg/runtime/generated.proto, vendored by grafana/tempo @ad33aa8f, trimmed) mentions
    /// `apiVersion` and `kind` in comments: not an input, so no parse error on it.
    #[test]
    fn interface_definitions_are_not_candidates() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"syntax = \"proto2\";\n\npackage k8s.io.apimachinery.pkg.runtime;\n\n// On the wire, the JSON will look something like this:\n//\n// \t{\n// \t\t\"kind\":\"MyAPIObject\",\n// \t\t\"apiVersion\":\"v1\",\n// \t\t\"myPlugin\": {\n";
        assert!(sniff(text), "the content alone would be taken");
        for name in [
            "generated.proto",
            "api.thrift",
            "schema.graphql",
            "Types.kt",
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            assert!(!is_candidate(&p), "{name}");
        }
    }

    #[test]
    fn display_paths_are_relative_and_slash_separated() {
        let cwd = Path::new("/repo");
        assert_eq!(display_path(Path::new("./k8s/sa.yaml"), cwd), "k8s/sa.yaml");
        // A plain relative path is shown as written: what the join and strip give.
        let joined_and_stripped = |p: &str| {
            let abs = cwd.join(p);
            let shown = abs
                .strip_prefix(cwd)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let mut s = shown.as_str();
            while let Some(rest) = s.strip_prefix("./") {
                s = rest;
            }
            s.to_string()
        };
        for p in [
            "k8s/sa.yaml",
            "././k8s/sa.yaml",
            "../up/sa.yaml",
            "a/../b.json",
            "k8s//sa.yaml",
            "k8s/./sa.yaml",
            "k8s/",
            "a\\b.yaml",
            ".hidden/x.yaml",
            "..x/y",
        ] {
            assert_eq!(
                display_path(Path::new(p), cwd),
                joined_and_stripped(p),
                "{p}"
            );
        }
        assert!(plain_relative("a/../b.json") && plain_relative("x"));
        assert!(!plain_relative("a/./b") && !plain_relative("a//b") && !plain_relative(""));
        assert!(!plain_relative("a/") && !plain_relative("/a") && !plain_relative("."));
        assert_eq!(
            display_path(Path::new("/repo/iam/t.json"), cwd),
            "iam/t.json"
        );
        assert_eq!(
            display_path(Path::new("/elsewhere/t.json"), cwd),
            "/elsewhere/t.json"
        );
    }

    /// An absolute path is shown as the step-by-step strip of the working directory shows
    /// it, whether the string comparison or the strip decides (a path or directory with an
    /// empty or `.` step, or `/` as the directory).
    #[test]
    fn absolute_display_paths_are_what_the_strip_gives() {
        let stripped = |p: &str, cwd: &str| {
            let (p, cwd) = (Path::new(p), Path::new(cwd));
            let shown = p.strip_prefix(cwd).unwrap_or(p).to_string_lossy();
            let mut s = shown.replace('\\', "/");
            while let Some(rest) = s.strip_prefix("./") {
                s = rest.to_string();
            }
            s
        };
        let cwds = [
            "/repo",
            "/repo/sub",
            "/",
            "/re",
            "/repo/",
            "/repo/./sub",
            "//repo",
        ];
        let paths = [
            "/repo/iam/t.json",
            "/repo",
            "/repository/x.tf",
            "/re/po.yaml",
            "/repo/sub/a\\b.tf",
            "/repo/sub/../x.tf",
            "/repo//iam/t.json",
            "/repo/./iam/t.json",
            "/repo/iam/",
            "/elsewhere/t.json",
            "/",
            "/repo/sub",
            "/repo/.hidden/x.tf",
        ];
        for cwd in cwds {
            for p in paths {
                assert_eq!(
                    display_path(Path::new(p), Path::new(cwd)),
                    stripped(p, cwd),
                    "{p} in {cwd}"
                );
            }
        }
        assert_eq!(
            display_path(Path::new("/repo/a/b"), Path::new("/repo")),
            "a/b"
        );
        assert_eq!(display_path(Path::new("/repo"), Path::new("/repo")), "");
        assert_eq!(display_path(Path::new("/x/y"), Path::new("/")), "x/y");
        assert_eq!(
            display_path(Path::new("/repox/y"), Path::new("/repo")),
            "/repox/y"
        );
    }
}
