//! The load stage: bytes → text → `Node` trees, in parallel, with every problem kept as a
//! finding; then JSON embedded in string scalars is parsed once, up front, so models and
//! rules can borrow it.

use std::io::Read;

use rayon::prelude::*;

use crate::source::discover::Candidate;
use crate::source::file::{text_contains, FileId, LineIndex, Needle, SourceFile, SourceMap, Span};
use crate::source::node::{Document, Node, NodesAt, Value};
use crate::source::{embedded, json, template, yaml, Limits, LoadProblem, ProblemKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    /// Terraform's native syntax (`.tf`, `.tfvars`): parsed here, evaluated per module
    /// directory once every file is loaded (`terraform::hcl`).
    Hcl,
}

/// One input file after loading.
#[derive(Debug)]
pub struct InputFile {
    pub id: FileId,
    pub format: Format,
    pub documents: Vec<Document>,
    pub problems: Vec<LoadProblem>,
    /// JSON parsed out of string scalars, keyed by the host scalar's start offset. Its spans
    /// are positions in this file.
    pub embedded: NodesAt,
    /// IAM policies written in another shape (a CredentialsRequest's `statementEntries`),
    /// rewritten as policy documents, and the ServiceAccount `metadata` a kustomization's
    /// inline patch gives (`derived::kustomize`), the documents of the manifest a
    /// CloudFormation `AWSQS::Kubernetes::Resource` applies (`derived::cfn_k8s`, one sequence
    /// node), keyed by the host node's start offset.
    /// Every node keeps the span of the text it comes from.
    pub derived: NodesAt,
    /// Byte offsets of the `#` of the YAML comments, in order; only filled for files that
    /// mention `irsalint:` (the inline suppressions are all that reads them).
    pub comments: Vec<u32>,
    /// A `.tf`/`.tfvars` file (or its JSON form, parsed) waiting for the module it belongs
    /// to to be evaluated; taken then.
    pub hcl: Option<crate::terraform::hcl::Pending>,
    /// The keys an earlier key of the same mapping repeats, in its documents and embedded
    /// JSON (what `duplicate-key` reports): found in the loading thread, right after the
    /// trees are built, while they are in the cache (a walk of every node of the run), and
    /// before [`drop_unread`] drops some of them.
    pub duplicate_keys: Vec<DuplicateKey>,
    /// How many documents [`drop_unread`] dropped (the reports count every document read).
    pub unread_documents: usize,
}

/// A key an earlier key of the same mapping repeats (see [`InputFile::duplicate_keys`]).
#[derive(Debug)]
pub struct DuplicateKey {
    /// Inline up to 24 bytes: a hostile file repeats a key hundreds of thousands of times.
    pub key: crate::source::node::Str,
    pub first: Span,
    pub again: Span,
}

impl InputFile {
    /// The JSON parsed from the string scalar `host`, if it held any.
    pub fn embedded_json(&self, host: &Node) -> Option<&Node> {
        if host.span.file != self.id {
            return None;
        }
        self.embedded.get(&host.span.start)
    }

    /// The node derived from `host`, if any (see [`InputFile::derived`]).
    pub fn derived_of(&self, host: &Node) -> Option<&Node> {
        if host.span.file != self.id {
            return None;
        }
        self.derived.get(&host.span.start)
    }
}

/// Everything read in one run: one world.
#[derive(Debug, Default)]
pub struct Inputs {
    pub sources: SourceMap,
    pub files: Vec<InputFile>,
    /// What the directory walk met and did not read (symlinks, FIFOs, unreadable
    /// directories), for the summary.
    pub skipped: Vec<crate::source::discover::Skipped>,
    /// Terraform resources from every configuration, plan and modelled module in the inputs,
    /// in one shape (see [`crate::terraform`]); their spans point into `files`.
    pub terraform: Vec<crate::terraform::Resource>,
    /// What `terraform` implies in the model's shapes (policy documents, Kubernetes objects),
    /// built once after loading; the World borrows it.
    pub terraform_derived: crate::terraform::resources::Derived,
    /// Inputs of modelled Terraform modules that the module never reads (a misspelt key
    /// inside `oidc_providers`), from configurations and plans.
    pub terraform_ignored: Vec<crate::terraform::modules::IgnoredInput>,
    /// Local module sources whose directory holds no input file, with the file that calls
    /// each (see `terraform::hcl::Evaluated::unread_modules`).
    pub terraform_unread_modules: Vec<(FileId, String)>,
    /// The files a `templatefile()` call of the configuration names where evaluation does
    /// not read it, sorted (see `terraform::hcl::Evaluated::rendered_unread`): documents
    /// whose `${…}` placeholders Terraform fills.
    pub terraform_rendered: Vec<FileId>,
    /// The `terragrunt.hcl` files whose module is not read, with why (`lint --explain`
    /// lists them; see `terraform::terragrunt`).
    pub terragrunt_unread: Vec<(FileId, String)>,
    /// The configurations' calls of modules neither local nor modelled (see
    /// [`unmodelled_calls`]), each as its `source` value, the call's address and what it
    /// names (source and version): `lint --explain` lists them as not read.
    pub terraform_unmodelled: Vec<(Span, String, String)>,
    /// The Crossplane installs the Terraform `helm_release`s make (`derived::crossplane`),
    /// read before `prune` drops the releases' bodies.
    pub terraform_crossplane: Vec<crate::derived::crossplane::Install>,
    /// Where the pieces of strings local Terraform modules composed from their callers'
    /// values were written (see [`crate::terraform::Origins`]).
    pub terraform_origins: crate::terraform::Origins,
    /// The `terraform` indexes (sorted) of the managed policies attached to no role that the
    /// configuration uses only as permissions boundaries ([`crate::terraform::boundary`]),
    /// decided while the `.tf` texts are loaded.
    pub terraform_boundaries: Vec<usize>,
}

impl Inputs {
    pub fn file(&self, id: FileId) -> &InputFile {
        &self.files[id as usize]
    }

    /// Every document read, those [`drop_unread`] dropped included.
    pub fn document_count(&self) -> usize {
        self.files
            .iter()
            .map(|f| f.documents.len() + f.unread_documents)
            .sum()
    }
}

/// How the finding of an input that could not be read starts (it has error severity).
pub const READ_ERROR_PREFIX: &str = "cannot read the file: ";

/// Raw bytes of one input, with the path shown in reports.
#[derive(Debug, Clone)]
pub struct RawInput {
    pub display: String,
    pub bytes: Vec<u8>,
    /// A problem met before any byte was read (unreadable file).
    pub read_error: Option<String>,
}

/// Reads stdin when it is among the candidates (sequentially: there is one). Failing to
/// read it is fatal: there is nothing else to lint in its place.
fn read_stdin(candidates: &[Candidate], limit: u64) -> Result<Option<Vec<u8>>, String> {
    if !candidates.iter().any(|c| matches!(c, Candidate::Stdin)) {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    Ok(Some(bytes))
}

/// The bytes of one candidate. A file that cannot be read becomes a finding, not an error.
fn raw_input(c: Candidate, stdin: &Option<Vec<u8>>, stdin_display: &str, limit: u64) -> RawInput {
    match c {
        Candidate::Stdin => RawInput {
            display: stdin_display.into(),
            bytes: stdin.clone().unwrap_or_default(),
            read_error: None,
        },
        Candidate::File {
            path,
            display,
            regular,
        } => read_file(&path, display, regular, limit),
    }
}

/// The bytes of the file at `path`; `regular`: the walk found a regular file there.
fn read_file(path: &std::path::Path, display: String, regular: bool, limit: u64) -> RawInput {
    let failed = |display, why: String| RawInput {
        display,
        bytes: Vec::new(),
        read_error: Some(why),
    };
    // Only regular files: opening a FIFO or a device would block or never end. A walked
    // file's type is known from its directory entry.
    if !regular && std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return failed(display, "not a regular file".into());
    }
    // Never more than the size limit in memory: the limit finding needs only the size.
    let read = std::fs::File::open(path).and_then(|f| {
        // The text is kept for the whole run: sized from the start (the open file's size,
        // no second path lookup), it is read in one call and holds no doubling slack (a
        // fifth of the text's memory on the bench corpus).
        let size = f.metadata().map_or(0, |m| m.len()).min(limit + 1);
        let mut b = Vec::with_capacity(size as usize + 1);
        f.take(limit + 1).read_to_end(&mut b).map(|_| b)
    });
    match read {
        Ok(bytes) => RawInput {
            display,
            bytes,
            read_error: None,
        },
        Err(e) => failed(
            display,
            match e.kind() {
                std::io::ErrorKind::PermissionDenied => "permission denied".into(),
                std::io::ErrorKind::IsADirectory => "is a directory".into(),
                _ => e.to_string(),
            },
        ),
    }
}

/// Reads a file the run needs whole (a config, a baseline) with the inputs' own checks: a
/// regular file only (a FIFO would block, a device never end), at most `limit` bytes, UTF-8.
/// Errors are ready to print after the path.
pub fn read_text_file(path: &std::path::Path, limit: usize) -> Result<String, String> {
    let why = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => "cannot read: no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "cannot read: permission denied".to_string(),
        _ => format!("cannot read: {e}"),
    };
    let meta = std::fs::metadata(path).map_err(why)?;
    if !meta.is_file() {
        return Err("cannot read: not a regular file".into());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut bytes))
        .map_err(why)?;
    if bytes.len() > limit {
        return Err(format!(
            "cannot read: larger than the size limit of {limit} bytes"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "cannot read: invalid UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Discovers, reads and loads `paths` as one world (what `irsalint lint PATHS` reads).
pub fn load_paths(
    paths: &[String],
    cwd: &std::path::Path,
    limits: &Limits,
) -> Result<Inputs, String> {
    load_paths_with(
        paths,
        cwd,
        limits,
        crate::source::discover::Options::default(),
    )
}

/// [`load_paths`] with the walk's options.
pub fn load_paths_with(
    paths: &[String],
    cwd: &std::path::Path,
    limits: &Limits,
    opts: crate::source::discover::Options,
) -> Result<Inputs, String> {
    let found = crate::source::discover::discover(paths, cwd, &opts)?;
    let stdin_display = opts.stdin_display();
    let limit = limits.max_file_size as u64;
    let stdin = read_stdin(&found.candidates, limit)?;
    let configuration = found.candidates.iter().any(|c| match c {
        Candidate::File { display, .. } => is_configuration(display),
        Candidate::Stdin => false,
    });
    // Each file is read and parsed in one task: no barrier between reading and parsing, and
    // its bytes are freed as soon as it is parsed (a YAML file's text is parsed later when
    // there are Terraform configurations: see `load_indexed`).
    let release = limits.release_texts;
    let mut inputs = load_indexed(
        found.candidates.into_par_iter().map(|c| {
            // Where the text can be read again, when the run may let it go.
            let on_disk = match &c {
                Candidate::File { path, .. } if release => Some(path.clone()),
                _ => None,
            };
            (raw_input(c, &stdin, &stdin_display, limit), on_disk)
        }),
        limits,
        true,
        configuration,
    );
    inputs.skipped = found.skipped;
    Ok(inputs)
}

/// The inputs of a run that may write them back (`--fix`): their bytes, kept so the files
/// can be loaded again after each edit, and their paths on disk (`None` for stdin), kept as
/// `Path`s so a name that is not UTF-8 is written under its own name.
#[derive(Debug, Default)]
pub struct RawWorld {
    pub raws: Vec<RawInput>,
    pub paths: Vec<Option<std::path::PathBuf>>,
    pub skipped: Vec<crate::source::discover::Skipped>,
}

impl RawWorld {
    /// Loads the inputs, with `texts[i]` (when set) in place of file `i`'s bytes.
    pub fn load_with(&self, texts: &[Option<String>], limits: &Limits) -> Inputs {
        let raws: Vec<RawInput> = self
            .raws
            .iter()
            .enumerate()
            .map(|(i, r)| match texts.get(i).and_then(|t| t.as_ref()) {
                Some(t) => RawInput {
                    display: r.display.clone(),
                    bytes: t.as_bytes().to_vec(),
                    read_error: None,
                },
                None => r.clone(),
            })
            .collect();
        let mut inputs = load(raws, limits);
        inputs.skipped = self.skipped.clone();
        inputs
    }
}

/// Discovers and reads `paths` without loading them (see [`RawWorld`]); files over
/// `limits.max_file_size` are read only far enough to know it.
pub fn read_paths(
    paths: &[String],
    cwd: &std::path::Path,
    opts: crate::source::discover::Options,
    limits: &Limits,
) -> Result<RawWorld, String> {
    let found = crate::source::discover::discover(paths, cwd, &opts)?;
    let stdin_display = opts.stdin_display();
    let limit = limits.max_file_size as u64;
    let stdin = read_stdin(&found.candidates, limit)?;
    let paths = found
        .candidates
        .iter()
        .map(|c| match c {
            Candidate::File { path, .. } => Some(path.clone()),
            Candidate::Stdin => None,
        })
        .collect();
    let raws = found
        .candidates
        .into_par_iter()
        .map(|c| raw_input(c, &stdin, &stdin_display, limit))
        .collect();
    Ok(RawWorld {
        raws,
        paths,
        skipped: found.skipped,
    })
}

/// Loads all inputs, in parallel. File ids follow the order of `raw`.
pub fn load(raw: Vec<RawInput>, limits: &Limits) -> Inputs {
    let configuration = raw.iter().any(|r| is_configuration(&r.display));
    load_indexed(
        raw.into_par_iter().map(|r| (r, None)),
        limits,
        true,
        configuration,
    )
}

/// Whether a file is read as a Terraform configuration (`.tf`, `.tfvars`, `.tf.json`,
/// `.tfvars.json`, `terragrunt.hcl`) by its name.
fn is_configuration(display: &str) -> bool {
    // Asked of every input: no lowercase copy of the path.
    let b = display.as_bytes();
    [".tf", ".tfvars", ".tf.json", ".tfvars.json"]
        .iter()
        .any(|x| b.len() >= x.len() && b[b.len() - x.len()..].eq_ignore_ascii_case(x.as_bytes()))
        || crate::terraform::terragrunt::is_terragrunt(display)
}

/// [`load`], with the Terraform resources' bodies whole: what the readers give, for their
/// tests (see `terraform::resources::prune`).
/// The module calls among the evaluated `resources` whose source is neither a local path
/// nor a module irsalint models (`terraform-aws-modules/eks/aws`, a company's git module):
/// nothing of what they make (roles, policies, ServiceAccounts, EKS add-ons' roles) is read,
/// which a user must be able to see (`lint --explain`), as for a local module outside the
/// inputs. Each call once (a call in a local module is evaluated per instance of its
/// caller): at its `source` value, with its address and `source` (and `version`) as
/// written. A `terragrunt.hcl`'s call is listed with the Terragrunt files instead
/// (`terraform::terragrunt::unread_calls`), and a call of a modelled module at a version the
/// model does not follow by the model itself (`Affects::NotModelled`).
fn unmodelled_calls(
    resources: &[crate::terraform::Resource],
    sources: &SourceMap,
) -> Vec<(Span, String, String)> {
    use crate::terraform::{hcl, modules, terragrunt};
    let mut seen = std::collections::HashSet::new();
    resources
        .iter()
        .filter(|r| r.kind == "module")
        .filter_map(|r| {
            let source = r.body.get("source").filter(|s| !hcl::is_unknown(s))?;
            let text = source.as_str()?;
            if hcl::is_local(text)
                || modules::known(text).is_some()
                || terragrunt::is_terragrunt(&sources.get(r.file).path)
                || !seen.insert(source.span)
            {
                return None;
            }
            let mut named = match r.body.get("version").and_then(Node::as_str) {
                Some(v) => format!("`{text}` version `{v}`"),
                None => format!("`{text}`"),
            };
            if modules::eks_addons::is_eks(text) {
                named.push_str(" (only its add-ons' roles are read)");
            }
            Some((source.span, r.address.clone(), named))
        })
        .collect()
}

#[cfg(test)]
pub(crate) fn load_unpruned(raw: Vec<RawInput>, limits: &Limits) -> Inputs {
    let configuration = raw.iter().any(|r| is_configuration(&r.display));
    load_indexed(
        raw.into_par_iter().map(|r| (r, None)),
        limits,
        false,
        configuration,
    )
}

/// Loads `raw`, each input with the path its bytes can be read again from when its text may
/// be let go (see [`Limits::release_texts`]).
fn load_indexed(
    raw: impl IndexedParallelIterator<Item = (RawInput, Option<std::path::PathBuf>)>,
    limits: &Limits,
    prune: bool,
    configuration: bool,
) -> Inputs {
    let mut inputs = Inputs::default();
    // Each file's text and records go straight into the source map's and the files' lists,
    // both allocated once at their exact length: collected as one list of tuples first,
    // they were copied out of it (an 8 MB list at 10k apps with Terraform, freed when the
    // heap is at its largest yet and, in the allocator's pages, not all reused later).
    let mut sources = Vec::new();
    // With Terraform configurations among the inputs (`configuration`), the YAML files'
    // texts are parsed after the Terraform pipeline (their records wait: [`waiting`]): its
    // transient memory (parse trees, evaluation scopes, the bodies `prune` drops) is freed
    // before the trees are built, which reuse part of it. Parsed first, the trees and that
    // memory were alive at once: 7 MiB more at the peak on the 10k benchmark with
    // Terraform. Nothing in the pipeline reads a YAML tree: plans are JSON (parsed here),
    // `file()` and `templatefile()` read texts; what it finds for a YAML file (a template,
    // a problem) is applied once the file is parsed.
    //
    // A text that can be read again (`on_disk`, and the text is the file's bytes) is let go
    // as soon as nothing of the load stage reads it any more: a YAML file's right after its
    // parse, in the thread that parsed it, when no Terraform configuration may read it with
    // `file()`; every other one after the Terraform pipeline (which reads `.tf` texts, and
    // any input with `file()`/`templatefile()`; plans' strings are decoded where their
    // text is).
    raw.enumerate()
        .map(|(i, (r, on_disk))| {
            let id = i as FileId;
            let display = r.display.clone();
            // The line index the loaders used is dropped in `parse_text` (HCL builds none):
            // the source map builds one again for the few files a report points into
            // (`SourceFile::lines`).
            let (text, file, lossless) = load_one(id, &display, r, limits, !configuration);
            let origin = on_disk
                .filter(|_| lossless && !text.is_empty())
                .map(|path| crate::source::file::Origin::of(&path, &display, &text));
            let mut source = SourceFile::with_origin(id, display, text, origin);
            if !configuration && file.format == Format::Yaml {
                source.release_text();
            }
            (source, file)
        })
        .unzip_into_vecs(&mut sources, &mut inputs.files);
    inputs.sources = SourceMap::from_files(sources);
    let (problems, mut templates) = load_terraform(&mut inputs, limits, prune);
    templates.sort_unstable();
    if configuration {
        inputs
            .files
            .par_iter_mut()
            .zip(inputs.sources.files_mut().par_iter_mut())
            .filter(|(f, _)| waiting(f))
            .for_each(|(f, source)| {
                parse_text(f, &source.path, source.text(), limits);
                // A file `templatefile()` read is looked at again below.
                if templates.binary_search(&f.id).is_err() {
                    source.release_text();
                }
            });
    }
    for &id in &templates {
        as_template(
            &mut inputs.files[id as usize],
            inputs.sources.get(id).text(),
        );
    }
    // What the load stage did not let go of yet.
    inputs
        .sources
        .files_mut()
        .par_iter_mut()
        .for_each(|source| {
            source.release_text();
        });
    for p in problems {
        inputs.files[p.span.file as usize].problems.push(p);
    }
    inputs
}

/// The Terraform pipeline over the loaded files: plans, configurations evaluated, modelled
/// modules expanded, what they imply derived, bodies pruned. Returns the problems found and
/// the files `templatefile()` read, for the caller to apply once every file is parsed.
fn load_terraform(
    inputs: &mut Inputs,
    limits: &Limits,
    prune: bool,
) -> (Vec<LoadProblem>, Vec<FileId>) {
    let mut problems = Vec::new();
    let mut templates = Vec::new();
    // Plans (`terraform show -json`) among the JSON files, in file order.
    let plans: Vec<Terraform> = inputs
        .files
        .par_iter()
        .filter(|f| f.format == Format::Json)
        .map(terraform_of)
        .filter(|(r, i)| !r.is_empty() || !i.is_empty())
        .collect();
    for (resources, ignored) in plans {
        inputs.terraform.extend(resources);
        inputs.terraform_ignored.extend(ignored);
    }
    // Terraform modules span files (every `.tf` of a directory is one module) and `file()`
    // reads any input: evaluated once all are read, each directory's files parsed there and
    // their syntax trees dropped when its resources are built (parse errors join the files'
    // problems).
    let mut terragrunt_unread = Vec::new();
    let units: Vec<(FileId, Option<crate::terraform::hcl::Rewritten>)> = inputs
        .files
        .iter_mut()
        .filter_map(|f| {
            f.hcl.take().and_then(|h| match h {
                crate::terraform::hcl::Pending::Native => Some((f.id, None)),
                crate::terraform::hcl::Pending::Rewritten(v) => Some((f.id, Some(v))),
                crate::terraform::hcl::Pending::Unread(why) => {
                    terragrunt_unread.push((f.id, why));
                    None
                }
            })
        })
        .collect();
    if !units.is_empty() {
        let crate::terraform::hcl::Evaluated {
            resources: found,
            problems: p,
            templates: t,
            rendered_unread,
            unread_modules,
            origins,
        } = if prune {
            // The native files' texts that can be read again, taken for the evaluation
            // (freed directory by directory, see `hcl::evaluate_loaded`).
            let texts = units
                .iter()
                .filter(|(_, rewritten)| rewritten.is_none())
                .filter_map(|(id, _)| {
                    let text = inputs.sources.files_mut()[*id as usize].take_text()?;
                    Some((*id, text))
                })
                .collect();
            crate::terraform::hcl::evaluate_loaded(units, texts, &inputs.sources, limits)
        } else {
            crate::terraform::hcl::evaluate_inputs(units, &inputs.sources, limits)
        };
        inputs.terraform_unread_modules = unread_modules;
        inputs.terraform_rendered = rendered_unread;
        inputs.terraform_origins = origins;
        // A `terragrunt.hcl`'s module neither modelled nor local is not read either.
        terragrunt_unread.extend(crate::terraform::terragrunt::unread_calls(
            &found,
            &inputs.sources,
        ));
        problems = p;
        erb_templates(&mut problems, &inputs.sources);
        templates = t;
        // What the well-known modules the configuration calls generate.
        let (generated, ignored) = crate::terraform::modules::expand_all(&found);
        inputs.terraform_unmodelled = unmodelled_calls(&found, &inputs.sources);
        // Moved rather than copied when there is no plan (the usual case): the copy was a
        // list of every resource, freed right away.
        if inputs.terraform.is_empty() {
            inputs.terraform = found;
        } else {
            inputs.terraform.extend(found);
        }
        inputs.terraform.extend(generated);
        inputs.terraform_ignored.extend(ignored);
    }
    terragrunt_unread.sort();
    inputs.terragrunt_unread = terragrunt_unread;
    if !inputs.terraform.is_empty() {
        // YAML values of helm releases, decoded where their text is.
        crate::terraform::helm_values::decode(&mut inputs.terraform, &inputs.sources);
        inputs.terraform_derived =
            crate::terraform::resources::derive(&inputs.terraform, &inputs.sources);
        let mut boundaries = crate::terraform::boundary::Boundaries::new(&inputs.sources);
        let d = &inputs.terraform_derived;
        inputs.terraform_boundaries = d
            .policies
            .iter()
            .filter(|p| !p.trust && p.role.is_none())
            .map(|p| p.resource)
            .filter(|&r| boundaries.only_boundary(&inputs.terraform[r]))
            .collect();
        inputs.terraform_boundaries.sort_unstable();
        inputs.terraform_boundaries.dedup();
        inputs.terraform_crossplane = inputs
            .terraform
            .iter()
            .filter(|r| r.mode == crate::terraform::Mode::Managed && r.kind == "helm_release")
            .filter_map(|r| crate::derived::crossplane::terraform_install(&r.body))
            .collect();
        // Freed before the World is built, which needs only the documents left.
        if prune {
            crate::terraform::resources::prune(&mut inputs.terraform, &inputs.terraform_derived);
        }
        // Kept until the rules have run; grown by doubling (the plans', the configuration's
        // and the modelled modules' resources appended, `derive`'s pushes).
        crate::source::fit(&mut inputs.terraform);
        let d = &mut inputs.terraform_derived;
        crate::source::fit(&mut d.roles);
        crate::source::fit(&mut d.policies);
        crate::source::fit(&mut d.objects);
        crate::source::fit(&mut d.oidc_providers);
        crate::source::fit(&mut d.pod_identity);
    }
    (problems, templates)
}

/// A `.tf`/`.tfvars` syntax error caused by an ERB tag outside a string
/// ([`template::erb_tag_near`]: Terraspace renders a stack's files with ERB before Terraform
/// reads them) is the template's: one `unsupported-template` note at the tag instead of a
/// `parse-error`. The file is left out of evaluation as before (its variables stay the
/// defaults), as a template of another kind is.
fn erb_templates(problems: &mut [LoadProblem], sources: &SourceMap) {
    for p in problems.iter_mut().filter(|p| p.kind == ProblemKind::Parse) {
        let file = sources.get(p.span.file);
        let lower = file.path.to_ascii_lowercase();
        if !(lower.ends_with(".tf") || lower.ends_with(".tfvars")) {
            continue;
        }
        let text = file.text();
        if let Some(at) = template::erb_tag_near(text, p.span.start as usize) {
            p.kind = ProblemKind::Template;
            p.span = Span::new(p.span.file, at, at + 2);
            p.message = "an ERB tag `<%` outside a string: this is a Terraspace template (rendered with ERB before Terraform reads it), not plain HCL, and was not linted".into();
        }
    }
}

/// A file `templatefile()` reads: when it holds template syntax (`${…}`, `%{…}`), what
/// the configuration uses is its rendering, which the resource reading it is checked with
/// (positions in this file); its text is not a document of its own, so it is not read as
/// one: no documents, and no parse error or template note on the syntax Terraform renders
/// (`"Resource": "arn:aws:s3:::${bucket}/*"`, a `%{ for }` list). A file without template
/// syntax renders as itself and is left as it is.
fn as_template(file: &mut InputFile, text: &str) {
    if !template::has_template_syntax(text) {
        return;
    }
    file.documents.clear();
    file.unread_documents = 0;
    file.duplicate_keys.clear();
    file.embedded.clear();
    file.derived.clear();
    file.problems.retain(|p| {
        !matches!(
            p.kind,
            ProblemKind::Parse | ProblemKind::Template | ProblemKind::Lenient
        )
    });
}

/// A file's Terraform resources and ignored module inputs.
type Terraform = (
    Vec<crate::terraform::Resource>,
    Vec<crate::terraform::modules::IgnoredInput>,
);

/// The Terraform resources a loaded file holds: `terraform show -json` output is
/// recognised by its content, whatever the file is called (it is often piped on stdin).
fn terraform_of(file: &InputFile) -> Terraform {
    if file.format != Format::Json {
        return Default::default();
    }
    let roots = || file.documents.iter().map(|d| &d.root);
    let mut resources = crate::terraform::plan::from_documents(file.id, roots());
    crate::terraform::plan::use_embedded(&mut resources, &file.embedded);
    (
        resources,
        crate::terraform::plan::ignored_inputs(file.id, roots()),
    )
}

// Looked for in every input (see `Needle`).
static SUPPRESSION: Needle = Needle::new(crate::source::comments::MARKER);
static EKSCTL: Needle = Needle::new("eksctl.io/");
static CREDENTIALS_REQUEST: Needle = Needle::new("CredentialsRequest");
static ROLE_ARN: Needle = Needle::new("role-arn");
static CFN_K8S: Needle = Needle::new(crate::derived::cfn_k8s::RESOURCE_TYPE);
static CFN_ADDON: Needle = Needle::new(crate::derived::cfn_addons::RESOURCE_TYPE);
static HELM_RELEASE: Needle = Needle::new("HelmRelease");
static CROSSPLANE: Needle = Needle::new("pkg.crossplane.io/");

/// Loads one file: its text, its record and whether the text is the file's bytes. A YAML
/// file's text is parsed only when
/// `yaml_now` (see [`load_indexed`]); else its record waits for [`parse_text`] ([`waiting`]).
fn load_one(
    id: FileId,
    display: &str,
    raw: RawInput,
    limits: &Limits,
    yaml_now: bool,
) -> (String, InputFile, bool) {
    match decode(id, raw, limits) {
        // HCL's text is its bytes; the others' are empty or a lossy prefix.
        Decoded::Done(text, file) => {
            let lossless = file.hcl.is_some();
            (text, file, lossless)
        }
        Decoded::Text(text, file) if file.format == Format::Yaml && !yaml_now => (text, file, true),
        Decoded::Text(text, mut file) => {
            parse_text(&mut file, display, &text, limits);
            (text, file, true)
        }
    }
}

/// Whether `file` is a YAML file [`load_one`] decoded but did not parse: one whose decoding
/// found no problem (every file [`decode`] finishes has one, except HCL).
fn waiting(file: &InputFile) -> bool {
    file.format == Format::Yaml && file.problems.is_empty() && file.documents.is_empty()
}

/// A file's bytes decoded: its text and its record, finished (a file that cannot be read, or
/// HCL, which is parsed with its directory), or waiting for [`parse_text`].
enum Decoded {
    Done(String, InputFile),
    Text(String, InputFile),
}

/// Decodes a file's bytes into text (the encoding problems found), the first half of
/// [`load_one`].
fn decode(id: FileId, raw: RawInput, limits: &Limits) -> Decoded {
    let format = guess_format(&raw.display, &raw.bytes);
    let mut file = InputFile {
        id,
        format,
        documents: Vec::new(),
        problems: Vec::new(),
        embedded: NodesAt::default(),
        derived: NodesAt::default(),
        comments: Vec::new(),
        hcl: None,
        duplicate_keys: Vec::new(),
        unread_documents: 0,
    };
    let problem = |kind, message: String| LoadProblem {
        kind,
        span: Span::empty(id, 0),
        message,
    };
    if let Some(err) = &raw.read_error {
        file.problems.push(problem(
            ProblemKind::Encoding,
            format!("{READ_ERROR_PREFIX}{err}"),
        ));
        return Decoded::Done(String::new(), file);
    }
    if raw.bytes.len() > limits.max_file_size {
        file.problems.push(problem(
            ProblemKind::Limit,
            format!(
                "file is larger than the size limit of {} bytes; not read (raise it with `--max-file-size` or `max-file-size` in irsalint.toml)",
                limits.max_file_size
            ),
        ));
        return Decoded::Done(String::new(), file);
    }
    // Windows PowerShell 5 writes UTF-16 with a byte-order mark (`kubectl get sa -o yaml >
    // sa.yaml`, `Out-File`): say so, rather than call the file binary for its NUL bytes.
    // kubectl decodes such files (k8s.io/cli-runtime pkg/resource/visitor.go:
    // `unicode.BOMOverride`); irsalint's spans are byte offsets into UTF-8 text, so it asks
    // for the file in UTF-8 instead.
    if raw.bytes.starts_with(&[0xFF, 0xFE]) || raw.bytes.starts_with(&[0xFE, 0xFF]) {
        let mut p = problem(
            ProblemKind::Encoding,
            "text encoded as UTF-16 (a UTF-16 byte-order mark), not linted: irsalint reads UTF-8 only (kubectl also accepts UTF-16 with a byte-order mark); save the file as UTF-8 (PowerShell 5's `>` and `Out-File` write UTF-16: use `Out-File -Encoding utf8`)".into(),
        );
        p.span = Span::empty(id, 0);
        file.problems.push(p);
        return Decoded::Done(String::new(), file);
    }
    // A file git-crypt encrypted (`\0GITCRYPT\0` then the ciphertext: a checkout without the
    // key, as in CI; ministryofjustice/cloud-platform-infrastructure's `terraform.tfvars`)
    // is not binary by mistake: say what it is and how to read it (AGWA/git-crypt
    // commands.cpp: the header every encrypted file starts with).
    if raw.bytes.starts_with(b"\0GITCRYPT\0") {
        let mut p = problem(
            ProblemKind::Encoding,
            "encrypted by git-crypt (it starts with git-crypt's header); not read: run `git-crypt unlock` to lint it".into(),
        );
        p.span = Span::empty(id, 0);
        file.problems.push(p);
        return Decoded::Done(String::new(), file);
    }
    // memchr: a byte-at-a-time scan of every input was a percent of a run's instructions.
    if let Some(nul) = memchr::memchr(0, &raw.bytes) {
        // Show the readable part; the NUL itself cannot be pointed at in lossy text reliably.
        let text = String::from_utf8_lossy(&raw.bytes[..nul]).into_owned();
        let mut p = problem(
            ProblemKind::Encoding,
            "binary content (a NUL byte); not read as YAML or JSON".into(),
        );
        p.span = Span::empty(id, text.len());
        file.problems.push(p);
        return Decoded::Done(text, file);
    }
    let text = match String::from_utf8(raw.bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes[..at]).into_owned();
            let mut p = problem(
                ProblemKind::Encoding,
                format!("invalid UTF-8 at byte {at}; the file must be UTF-8 text"),
            );
            p.span = Span::empty(id, text.len());
            file.problems.push(p);
            return Decoded::Done(text, file);
        }
    };
    if format == Format::Hcl {
        if SUPPRESSION.in_text(&text) {
            file.comments = crate::terraform::hcl::comment_starts(&text);
        }
        // Parsed with its module directory (`terraform::hcl::evaluate`): no line index (the
        // source map builds one for a file a report points into). A `terragrunt.hcl` is read
        // now, as the module call it is.
        file.hcl = match crate::terraform::terragrunt::is_terragrunt(&raw.display) {
            true => crate::terraform::terragrunt::pending(id, &text, limits)
                .map_err(|p| file.problems.push(p))
                .ok()
                .flatten(),
            false => Some(crate::terraform::hcl::Pending::Native),
        };
        return Decoded::Done(text, file);
    }
    Decoded::Text(text, file)
}

/// Parses a decoded YAML or JSON file's text into its record: the second half of
/// [`load_one`].
fn parse_text(file: &mut InputFile, display: &str, text: &str, limits: &Limits) {
    let id = file.id;
    let format = file.format;
    if format == Format::Yaml {
        if let Some((at, markup)) = template::find_template(text) {
            let end = (at + 2).min(text.len());
            file.problems.push(LoadProblem {
                kind: ProblemKind::Template,
                span: Span::new(id, at, end),
                message: markup.message().into(),
            });
            return;
        }
    }
    let lines = LineIndex::new(text);
    // HCL returned above.
    let loaded = match format {
        Format::Json => json::load_json(id, text, &lines, limits),
        Format::Yaml | Format::Hcl => yaml::load_yaml(id, text, &lines, limits),
    };
    if format == Format::Yaml {
        if let Some((at, message)) = interpolation_breaking_yaml(text, &lines, &loaded.problems) {
            file.problems.push(LoadProblem {
                kind: ProblemKind::Template,
                span: Span::new(id, at, (at + 2).min(text.len())),
                message: message.into(),
            });
            return;
        }
        if let Some(at) = loaded.problems.iter().find_map(|p| {
            (p.kind == ProblemKind::Parse)
                .then(|| template::template_in_string(text, p.span.start as usize))?
        }) {
            // `name: "{{ include "chart.fullname" . }}-test"`: the action's quoted argument
            // ends the YAML string.
            file.problems.push(LoadProblem {
                kind: ProblemKind::Template,
                span: Span::new(id, at, (at + 2).min(text.len())),
                message: "template markup `{{` whose quoted argument ends the YAML string it is in: this is a Helm/Go template, not plain YAML, and was not linted".into(),
            });
            return;
        }
    }
    let json_strings = !loaded.no_json_strings;
    file.documents = loaded.documents;
    file.problems = loaded.problems;
    if let Some(p) = file.problems.iter_mut().find(|p| {
        format == Format::Json
            && p.kind == ProblemKind::Parse
            && text
                .get(p.span.start as usize..)
                .is_some_and(template::json_placeholder)
    }) {
        // `"port": $PORT`: an envsubst template, invalid JSON until it is filled in.
        p.kind = ProblemKind::Template;
        p.span.end = p.span.start + 1;
        p.message = "a template placeholder `$…` where a JSON value belongs makes this file invalid JSON: this is a template (envsubst), not plain JSON, and was not linted".into();
        return;
    }
    if let Some((p, at)) = file.problems.iter_mut().find_map(|p| {
        let at = (format == Format::Json && p.kind == ProblemKind::Parse)
            .then(|| template::json_template(text, p.span.start as usize))??;
        Some((p, at))
    }) {
        // `{{- if … }}` in a Helm or Hugo template that renders JSON: invalid JSON until
        // rendered.
        p.kind = ProblemKind::Template;
        p.span.start = at as u32;
        p.span.end = p.span.start + 2;
        p.message = "template markup `{{` outside a string: this is a Helm/Go template, not plain JSON, and was not linted".into();
        return;
    }
    if let Some((p, at)) = file.problems.iter_mut().find_map(|p| {
        let at = (format == Format::Json && p.kind == ProblemKind::Parse)
            .then(|| template::template_in_string(text, p.span.start as usize))??;
        Some((p, at))
    }) {
        // `"{{ template "chart.name" . }}"`: the action's quoted argument ends the string.
        p.kind = ProblemKind::Template;
        p.span.start = at as u32;
        p.span.end = p.span.start + 2;
        p.message = "template markup `{{` whose quoted argument ends the JSON string it is in: this is a Helm/Go template, not plain JSON, and was not linted".into();
        return;
    }
    if format == Format::Yaml
        && file.problems.iter().any(|p| p.kind == ProblemKind::Parse)
        && is_mime_multipart(text)
    {
        // EC2 user data in MIME multi-part form (cloud-init, EKS nodeadm), named `.yaml`
        // for its YAML part: a message, not a YAML document, so no parse-error either.
        file.problems.clear();
        file.documents.clear();
        return;
    }
    if format == Format::Json
        && file.problems.iter().any(|p| p.kind == ProblemKind::Parse)
        && json::is_other_tools_jsonc(text)
    {
        // Another tool's JSON with comments (a devcontainer.json, VS Code settings): not an
        // input, so no parse-error either.
        file.problems.clear();
        return;
    }
    // A JSON configuration (`*.tf.json`, `*.tfvars.json`; not a plan, which is recognised by
    // its content) is read as Terraform, not as plain JSON.
    if format == Format::Json && crate::terraform::json_config::is_json_config(display) {
        if let Some(v) = file
            .documents
            .first()
            .and_then(|d| crate::terraform::json_config::convert(display, text, &d.root))
        {
            // Parsed now for its errors; its tree is made again when its directory is
            // evaluated (see `Pending::Rewritten`).
            let arena = crate::terraform::ast::Arena::new();
            match crate::terraform::hcl::parse(&arena, id, &v.text, limits) {
                Ok(_) => {
                    file.hcl = Some(crate::terraform::hcl::Pending::Rewritten(Box::new(v)));
                }
                Err(mut p) => {
                    p.span = v.span(p.span);
                    file.problems.push(p);
                }
            }
            file.documents.clear();
            return;
        }
    }
    // Before embedded JSON adds its problems: those lie inside scalars the trees describe.
    if format == Format::Yaml && SUPPRESSION.in_text(text) {
        file.comments =
            crate::source::comments::comment_starts(text, &file.documents, &file.problems);
    }
    if json_strings {
        extract_embedded(file, text, limits);
    }
    extract_derived(file, text);
    find_duplicate_keys(file);
    if limits.drop_unread {
        drop_unread(file);
    }
}

/// Kubernetes objects no model reads, by API group (the version left out) and kind: the
/// World keeps every object, but only its readers look at them, and none of them reads
/// these (they match objects by other kinds, or look for keys naming a ServiceAccount,
/// which [`drop_unread`] checks). They are a large part of a monorepo's trees (a Service
/// beside every Deployment).
const UNREAD_KINDS: &[(&str, &str)] = &[
    ("", "Service"),
    ("networking.k8s.io", "Ingress"),
    ("networking.k8s.io", "NetworkPolicy"),
    ("autoscaling", "HorizontalPodAutoscaler"),
    ("policy", "PodDisruptionBudget"),
];

/// Drops the documents of `file` that no model or rule reads besides `duplicate-key` (a
/// document whose root is an object of [`UNREAD_KINDS`] with no key naming a
/// ServiceAccount), keeping their count and their duplicate keys, and the parts of the
/// others no model or rule reads either: a container's [`UNREAD_CONTAINER_KEYS`], a
/// workload's [`UNREAD_WORKLOAD_KEYS`]. Done in the thread that
/// loaded the file, right after loading it, so that the next file's tree reuses the memory
/// while it is warm, and the trees a run keeps are those the World reads.
pub fn drop_unread(file: &mut InputFile) {
    let unread = |root: &Node| {
        let kind = |key| root.get(key).and_then(Node::as_str);
        let unread_kind = kind("apiVersion")
            .zip(kind("kind"))
            .is_some_and(|(v, kind)| {
                let group = v.rsplit_once('/').map_or("", |(g, _)| g);
                UNREAD_KINDS.contains(&(group, kind))
            });
        // `sa-irsa-unused` looks for ServiceAccount names under such keys in every object.
        unread_kind
            && !any_map(root, &|entries| {
                entries
                    .iter()
                    .any(|e| e.key.as_str().is_some_and(names_service_account))
            })
    };
    let before = file.documents.len();
    file.documents.retain(|d| !unread(&d.root));
    file.unread_documents += before - file.documents.len();
    for doc in &mut file.documents {
        drop_unread_container_keys(&mut doc.root);
        let workload = doc
            .root
            .get("kind")
            .and_then(Node::as_str)
            .is_some_and(|k| WORKLOAD_KINDS.contains(&k));
        if let (true, Value::Map(entries)) = (workload, &mut doc.root.value) {
            if let Some(spec) = entries.iter_mut().find(|e| e.key.as_str() == Some("spec")) {
                drop_keys(&mut spec.value, UNREAD_WORKLOAD_KEYS);
            }
        }
    }
}

/// The kinds whose `spec` holds a pod template (`model::k8s::pod_spec_path`, whatever the
/// `apiVersion`), but for the Pod and PodTemplate, whose `spec` is the pod's.
const WORKLOAD_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "CronJob",
];

/// The keys of a workload's `spec` ([`WORKLOAD_KINDS`]) no model or rule reads: how many
/// pods, which pods it owns, how it rolls them out, when it runs. The models read the
/// template only (`spec.template`, `spec.jobTemplate`), and `sa-irsa-unused`, the one reader
/// of whole objects, reads a workload's pod template, not the workload. Like
/// [`UNREAD_CONTAINER_KEYS`], guarded by `tests/it/architecture.rs`.
pub const UNREAD_WORKLOAD_KEYS: &[&str] = &[
    "replicas",
    "selector",
    "strategy",
    "updateStrategy",
    "revisionHistoryLimit",
    "minReadySeconds",
    "progressDeadlineSeconds",
    "schedule",
    "concurrencyPolicy",
    "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit",
];

/// The keys of a container no model or rule reads: they only size, expose and probe it.
/// Their values are a fifth of a workload's tree (`resources: {requests: {cpu: 100m}}`).
/// `render` prints them (and defaults them, `render::admission`), but the lint rules that
/// ask `render` what the webhook does to a pod (`render::decide`) get an answer read from
/// the pod's labels, annotations, node selector, volumes and its containers' names, `env`
/// and `volumeMounts` only (`render::webhook::mutate`). A model or rule that starts reading
/// one of these keys must take it out of this list (`tests/it/architecture.rs` fails on a
/// new reader of one of them).
pub const UNREAD_CONTAINER_KEYS: &[&str] = &[
    "resources",
    "ports",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
];

/// Drops [`UNREAD_CONTAINER_KEYS`] from each mapping listed under a `containers`,
/// `initContainers` or `ephemeralContainers` key in `node` (a pod spec's, wherever it sits;
/// [`drop_keys`]).
fn drop_unread_container_keys(node: &mut Node) {
    match &mut node.value {
        Value::Map(entries) => {
            for e in entries.iter_mut() {
                let lists = e.key.as_str().is_some_and(|k| {
                    matches!(k, "containers" | "initContainers" | "ephemeralContainers")
                });
                if let (true, Value::Seq(items)) = (lists, &mut e.value.value) {
                    for item in items.iter_mut() {
                        drop_keys(item, UNREAD_CONTAINER_KEYS);
                    }
                }
                drop_unread_container_keys(&mut e.value);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(drop_unread_container_keys),
        _ => {}
    }
}

/// Drops the entries of `keys` from the mapping `node`, but one whose value holds a key
/// naming a ServiceAccount (`sa-irsa-unused` looks for those in every object). The mapping
/// left is a new allocation of its exact length (a shrinking reallocation may keep the
/// whole block).
fn drop_keys(node: &mut Node, keys: &[&str]) {
    let Value::Map(entries) = &mut node.value else {
        return;
    };
    let unread = |e: &crate::source::node::Entry| {
        e.key.as_str().is_some_and(|k| keys.contains(&k))
            && !any_map(&e.value, &|entries| {
                entries
                    .iter()
                    .any(|e| e.key.as_str().is_some_and(names_service_account))
            })
    };
    if entries.iter().any(unread) {
        let kept = entries.iter().filter(|e| !unread(e)).count();
        let mut exact = Vec::with_capacity(kept);
        exact.extend(
            std::mem::take(entries)
                .into_vec()
                .into_iter()
                .filter(|e| !unread(e)),
        );
        *entries = exact.into();
    }
}

/// Whether `node` or a node inside it is a mapping whose entries satisfy `f`.
fn any_map(node: &Node, f: &impl Fn(&[crate::source::node::Entry]) -> bool) -> bool {
    match &node.value {
        Value::Map(entries) => f(entries) || entries.iter().any(|e| any_map(&e.value, f)),
        Value::Seq(items) => items.iter().any(|i| any_map(i, f)),
        _ => false,
    }
}

/// Fills [`InputFile::duplicate_keys`] from the file's documents and embedded JSON.
fn find_duplicate_keys(file: &mut InputFile) {
    let mut found = Vec::new();
    let mut add = |key: &str, first: &Node, again: &Node| {
        found.push(DuplicateKey {
            key: key.into(),
            first: first.span,
            again: again.span,
        });
    };
    for doc in &file.documents {
        crate::source::duplicates::each(&doc.root, &mut add);
    }
    for node in file.embedded.values() {
        crate::source::duplicates::each(node, &mut add);
    }
    file.duplicate_keys = found;
}

/// Whether a key names a ServiceAccount (`serviceAccountName`, `service_account`,
/// `ServiceAccountRef`): the letters `serviceaccount` in any case, `-` and `_` ignored.
/// Without allocating: it runs for every key of every object (`sa-irsa-unused`).
pub fn names_service_account(key: &str) -> bool {
    const WORD: &[u8] = b"serviceaccount";
    if key.len() < WORD.len() {
        return false;
    }
    let letters: Vec<u8>;
    let bytes = if key.contains(['-', '_']) {
        letters = key.bytes().filter(|b| !matches!(b, b'-' | b'_')).collect();
        &letters[..]
    } else {
        key.as_bytes()
    };
    bytes
        .windows(WORD.len())
        .any(|w| w.eq_ignore_ascii_case(WORD))
}

/// Whether `text` is a MIME multi-part message (EC2 user data a launch template passes to
/// cloud-init or nodeadm: `MIME-Version: 1.0`, then `Content-Type: multipart/mixed;
/// boundary=…` and `--boundary` lines): scalable-ml-systems/ml-inference-triton-aws-eks
/// infra/terraform/modules/gpu_node_group/userdata-nodeadm.yaml@786b113c. Its headers read as
/// YAML keys, its first boundary line does not.
fn is_mime_multipart(text: &str) -> bool {
    let mut headers = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(2);
    let starts = |l: &str, p: &str| l.len() >= p.len() && l[..p.len()].eq_ignore_ascii_case(p);
    headers.any(|l| {
        starts(l, "MIME-Version:") || (starts(l, "Content-Type:") && l.contains("multipart/"))
    })
}

/// When YAML fails to parse on (or just after) a line holding a Terraform expression
/// interpolation (`${cond ? "a" : "b"}`) or a `${NAME}` placeholder inside a flow collection
/// (`[${AWS_AZS}]`, an envsubst template) or a `{NAME}` placeholder glued to more text
/// (`name: {TENANT_ID}-basic`, filled in by sed), the file is an unrendered template and the syntax
/// error is the template's, not the user's: where that interpolation starts, and the note.
fn interpolation_breaking_yaml(
    text: &str,
    lines: &LineIndex,
    problems: &[LoadProblem],
) -> Option<(usize, &'static str)> {
    let parse = problems.iter().find(|p| p.kind == ProblemKind::Parse)?;
    if !text_contains(text, "{") {
        return None;
    }
    let (line, _) = lines.line_col(text, parse.span.start as usize);
    // The parser may notice the damage on the next line (an unterminated flow or key).
    (line.saturating_sub(1).max(1)..=line).find_map(|l| {
        let start = lines.line_start(l);
        let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
        let line = &text[start..end];
        template::terraform_interpolation(line)
            .map(|at| (start + at, "a Terraform template interpolation `${…}` holding an expression makes this line invalid YAML: this is a template (rendered by `templatefile()`), not plain YAML, and was not linted"))
            .or_else(|| {
                template::flow_placeholder(line).map(|at| (start + at, "a template placeholder `${…}` inside a flow collection makes this line invalid YAML: this is a template (envsubst, `templatefile()`), not plain YAML, and was not linted"))
            })
            .or_else(|| {
                template::glued_brace_placeholder(line).map(|at| (start + at, "a template placeholder `{NAME}` followed by more text makes this line invalid YAML (YAML reads `{…}` as a mapping): this is a template a script fills in, not plain YAML, and was not linted"))
            })
    })
}

fn guess_format(display: &str, bytes: &[u8]) -> Format {
    let lower = display.to_ascii_lowercase();
    if lower.ends_with(".tf")
        || lower.ends_with(".tfvars")
        || crate::terraform::terragrunt::is_terragrunt(display)
    {
        return Format::Hcl;
    }
    if lower.ends_with(".json") {
        return Format::Json;
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return Format::Yaml;
    }
    let first = bytes
        .iter()
        .copied()
        .find(|b| !(b.is_ascii_whitespace() || *b == 0xEF || *b == 0xBB || *b == 0xBF));
    match first {
        Some(b'{') | Some(b'[') if !looks_like_ini(bytes) => Format::Json,
        _ => Format::Yaml,
    }
}

fn looks_like_ini(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(256)];
    let s = String::from_utf8_lossy(head);
    let t = s.trim_start();
    t.starts_with('[')
        && !t.starts_with("[{")
        && !t.starts_with("[\"")
        && !t.starts_with("[]")
        && t.contains('=')
}

/// Markers that make a string's failure to parse as JSON worth a finding: it was meant to
/// be a policy or a webhook mapping. Other `{...}` strings are just strings.
const EMBEDDED_MARKERS: &[&str] = &["\"Statement\"", "\"Version\"", "RoleARN", "\"Effect\""];

/// Policies that other documents carry in their own shape: the permissions of OpenShift
/// CredentialsRequests (`spec.providerSpec.statementEntries`), anywhere in a document
/// (a `List` or an OpenShift `Template` holds them nested).
fn extract_derived(file: &mut InputFile, text: &str) {
    // What eksctl generates from a ClusterConfig (trusts, well-known policies,
    // ServiceAccounts).
    if EKSCTL.in_text(text) {
        let mut found = Vec::new();
        for doc in &file.documents {
            crate::derived::eksctl::derive(&doc.root, &mut found);
        }
        file.derived.extend(found);
    }
    // The role-arn annotation a kustomization's inline patch sets: its text parsed, with
    // positions in this file.
    if ROLE_ARN.in_text(text) {
        let mut found = Vec::new();
        for doc in &file.documents {
            // A JSON 6902 patch file (`patches: [{path: sa-patch.yaml, target: ...}]`).
            if crate::derived::kustomize::is_json6902(&doc.root) {
                let metadata = crate::derived::kustomize::patch_metadata(&doc.root);
                found.extend(metadata.map(|m| (doc.root.span.start, m)));
                continue;
            }
            for host in crate::derived::kustomize::inline_patches(&doc.root) {
                if !host.as_str().is_some_and(|t| t.contains("role-arn")) {
                    continue;
                }
                let metadata = crate::source::embedded::parse_embedded_yaml(file.id, text, host)
                    .and_then(|patch| crate::derived::kustomize::patch_metadata(&patch));
                if let Some(metadata) = metadata {
                    found.push((host.span.start, metadata));
                }
            }
        }
        file.derived.extend(found);
    }
    // The manifests a CloudFormation template applies (`AWSQS::Kubernetes::Resource`):
    // their text parsed, with positions in this file.
    if CFN_K8S.in_text(text) {
        let mut found = Vec::new();
        for doc in &file.documents {
            for m in crate::derived::cfn_k8s::manifests(&doc.root) {
                let docs =
                    crate::derived::cfn_k8s::parse_manifest(file.id, text, m.text, m.substituted);
                found.extend(docs.map(|d| (m.text.span.start, d)));
            }
        }
        file.derived.extend(found);
    }
    // The ServiceAccount an EKS add-on of a CloudFormation template runs as, with the role
    // the template gives it (`ServiceAccountRoleArn`).
    if CFN_ADDON.in_text(text) {
        let mut found = Vec::new();
        for doc in &file.documents {
            found.extend(crate::derived::cfn_addons::service_accounts(&doc.root));
        }
        file.derived.extend(found);
    }
    // The ServiceAccount Crossplane creates for a package's runtime from a
    // DeploymentRuntimeConfig or ControllerConfig, with the annotations given there.
    if CROSSPLANE.in_text(text) {
        let mut found = Vec::new();
        for doc in &file.documents {
            found.extend(crate::derived::crossplane::service_accounts(&doc.root));
        }
        file.derived.extend(found);
    }
    // The ServiceAccounts a Flux HelmRelease's chart creates with a role (one `List` per
    // release, at its `spec`).
    if HELM_RELEASE.in_text(text) && ROLE_ARN.in_text(text) {
        let mut found = Vec::new();
        for doc in &file.documents {
            let accounts = crate::derived::helm_release::service_accounts(&doc.root);
            if let (Some(list), Some(spec)) = (accounts, doc.root.get("spec")) {
                found.push((spec.span.start, list));
            }
        }
        file.derived.extend(found);
    }
    // A substring test spares a walk of every tree of the run.
    if !CREDENTIALS_REQUEST.in_text(text) {
        return;
    }
    let mut found = Vec::new();
    for doc in &file.documents {
        doc.root.walk(&mut |node| {
            if node.get("kind").and_then(Node::as_str) != Some("CredentialsRequest") {
                return;
            }
            let Some(entries) = node
                .get("spec")
                .and_then(|s| s.get("providerSpec"))
                .and_then(|p| p.get("statementEntries"))
            else {
                return;
            };
            if let Some(policy) = crate::derived::statement_entries_policy(entries) {
                found.push((entries.span.start, policy));
            }
        });
    }
    file.derived.extend(found);
}

/// The `unsupported-template` message for a string whose JSON is a template
/// ([`embedded::template_markup`]).
pub const STRING_TEMPLATE: &str = "the JSON this string holds is a template: markup `{{` stands where JSON has a key or a value (a Go or Jinja template, or Python `str.format` text, which doubles the braces), so the string was not linted";

fn extract_embedded(file: &mut InputFile, text: &str, limits: &Limits) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for doc in &file.documents {
        doc.root.walk(&mut |node| {
            let Value::Str(s) = &node.value else { return };
            if !embedded::may_hold_json(s) {
                return;
            }
            let t = s.trim();
            match embedded::parse_embedded_json(file.id, text, node, limits) {
                Ok(inner) => found.push((node.span.start, inner)),
                Err(mut p) => {
                    if !EMBEDDED_MARKERS.iter().any(|m| t.contains(m)) {
                        return;
                    }
                    match embedded::template_markup(file.id, text, node, limits) {
                        // A template of a policy, not a broken one: what renders it fills
                        // the markup in (`unsupported-template`, not `parse-error`).
                        Some(at) => {
                            p.kind = ProblemKind::Template;
                            p.span = at;
                            p.message = STRING_TEMPLATE.into();
                        }
                        None => p.message = format!("embedded JSON: {}", p.message),
                    }
                    problems.push(p);
                }
            }
        });
    }
    file.embedded.extend(found);
    file.problems.extend(problems);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walked_file_is_read_without_asking_its_type_a_named_one_is_checked_first() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sa.yaml");
        std::fs::write(&file, "kind: ServiceAccount\n").unwrap();
        for regular in [true, false] {
            let raw = read_file(&file, "sa.yaml".into(), regular, 1 << 20);
            assert_eq!(raw.read_error, None, "{regular}");
            assert_eq!(raw.bytes, b"kind: ServiceAccount\n");
        }
        // A directory named on the command line is refused before it is opened; one the walk
        // took for a regular file is opened, and reading it fails.
        let named = read_file(dir.path(), "d".into(), false, 1 << 20);
        assert_eq!(named.read_error.as_deref(), Some("not a regular file"));
        let walked = read_file(dir.path(), "d".into(), true, 1 << 20);
        assert_eq!(walked.read_error.as_deref(), Some("is a directory"));
        // Past the size limit: one byte more than the limit is read, enough to know it.
        let big = read_file(&file, "sa.yaml".into(), true, 4);
        assert_eq!(big.bytes, b"kind:");
    }

    /// `lint` (`Limits::release_texts`) lets go of the texts of the files read from disk
    /// that are their bytes, with Terraform among the inputs or not, and reads them again
    /// as they were; a text the loader transformed (a binary file's readable prefix) is kept,
    /// and so is every text of a run that does not release them (`--fix`, `map`, `render`).
    #[test]
    fn lint_lets_go_of_the_texts_it_can_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files: &[(&str, &[u8])] = &[
            (
                "sa.yaml",
                b"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n",
            ),
            (
                "policy.json",
                b"{\"Version\": \"2012-10-17\", \"Statement\": []}\n",
            ),
            ("bin.yaml", b"a: 1\n\0b"),
            ("latin1.yaml", b"a: caf\xe9\n"),
        ];
        for (name, bytes) in files {
            std::fs::write(root.join(name), bytes).unwrap();
        }
        let tf = b"resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = file(\"${path.module}/trust.json\")\n}\n";
        let trust = b"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Principal\": {\"Federated\": \"x\"}}]}\n";
        let load = |limits: &Limits| {
            load_paths(&[root.to_string_lossy().into_owned()], root, limits).unwrap()
        };
        for terraform in [false, true] {
            if terraform {
                std::fs::write(root.join("main.tf"), tf).unwrap();
                std::fs::write(root.join("trust.json"), trust).unwrap();
            }
            let kept = load(&Limits::default());
            let lint = load(&Limits::lint());
            assert_eq!(lint.sources.len(), files.len() + 2 * terraform as usize);
            assert_eq!(lint.terraform.len(), kept.terraform.len());
            for (a, b) in lint.sources.files().iter().zip(kept.sources.files()) {
                assert_eq!(a.path, b.path);
                assert!(!b.released(), "{}", b.path);
                let transformed = a.path.ends_with("bin.yaml") || a.path.ends_with("latin1.yaml");
                assert_eq!(a.released(), !transformed, "{} {terraform}", a.path);
                let (x, y) = (lint.file(a.id), kept.file(b.id));
                assert_eq!(x.documents.len(), y.documents.len(), "{}", a.path);
                assert_eq!(x.problems.len(), y.problems.len(), "{}", a.path);
                assert_eq!(a.text(), b.text(), "{}", a.path);
                assert_eq!(a.reread(), !transformed, "{}", a.path);
            }
            assert!(lint.terraform.iter().any(|r| r.kind == "aws_iam_role") == terraform);
        }
    }

    /// A container's [`UNREAD_CONTAINER_KEYS`] are dropped for `lint` only, wherever its pod
    /// spec sits, the container's other keys kept in order; a value with a key naming a
    /// ServiceAccount stays (`sa-irsa-unused` reads those), and so does a `containers` that is
    /// not a list, and `resources` outside a container. So are a workload's
    /// [`UNREAD_WORKLOAD_KEYS`], those of its `spec` only.
    #[test]
    fn unread_container_keys_are_dropped_for_lint_only() {
        let yaml = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: j}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: i\n              startupProbe: {exec: {command: [x]}}\n              restartPolicy: Always\n          containers:\n            - name: a\n              ports: [{containerPort: 80}]\n              env: [{name: X, value: y}]\n              resources: {limits: {memory: 1Gi}}\n              livenessProbe: {httpGet: {path: /}}\n              readinessProbe: {tcpSocket: {port: 80}}\n              image: a:1\n            - name: b\n              resources: {serviceAccountName: s}\n          resources: {x: 1}\n  suspend: false\n  concurrencyPolicy: Forbid\n---\nkind: Odd\ncontainers: {resources: {a: 1}}\n---\nkind: List\nitems:\n  - kind: Pod\n    spec:\n      containers: [{name: c, ports: [], image: i}]\n";
        let load = |limits: &Limits| {
            super::load(
                vec![RawInput {
                    display: "j.yaml".into(),
                    bytes: yaml.as_bytes().to_vec(),
                    read_error: None,
                }],
                limits,
            )
        };
        let keys = |inputs: &Inputs, path: &[&str], i: usize| -> Vec<String> {
            let root = &inputs.files[0].documents[0].root;
            let items = root.path(path).and_then(Node::as_seq).unwrap();
            let entries = items[i].as_map().unwrap();
            entries
                .iter()
                .map(|e| e.key.as_str().unwrap().to_string())
                .collect()
        };
        let kept_spec = |inputs: &Inputs| -> Vec<String> {
            let root = &inputs.files[0].documents[0].root;
            let entries = root.get("spec").and_then(Node::as_map).unwrap();
            entries
                .iter()
                .map(|e| e.key.as_str().unwrap().to_string())
                .collect()
        };
        let spec = ["spec", "jobTemplate", "spec", "template", "spec"];
        let with = |last: &'static str| {
            let mut p = spec.to_vec();
            p.push(last);
            p
        };
        let lint = load(&Limits::lint());
        assert_eq!(
            keys(&lint, &with("containers"), 0),
            ["name", "env", "image"]
        );
        assert_eq!(keys(&lint, &with("containers"), 1), ["name", "resources"]);
        assert_eq!(
            keys(&lint, &with("initContainers"), 0),
            ["name", "restartPolicy"]
        );
        let root = &lint.files[0].documents[0].root;
        assert!(root.path(&with("resources")).is_some());
        assert!(root.path(&["spec", "schedule"]).is_none());
        assert!(kept_spec(&load(&Limits::default())).contains(&"schedule".to_string()));
        assert_eq!(kept_spec(&lint), ["jobTemplate", "suspend"]);
        let odd = &lint.files[0].documents[1].root;
        assert!(odd.path(&["containers", "resources"]).is_some());
        // Wherever the pod spec sits, in a list too.
        let list = &lint.files[0].documents[2].root;
        let item = &list.get("items").and_then(Node::as_seq).unwrap()[0];
        let c = &item
            .path(&["spec", "containers"])
            .and_then(Node::as_seq)
            .unwrap()[0];
        assert!(c.get("ports").is_none() && c.get("image").is_some());
        // The container's own span is the text's: findings about it point where they did.
        let kept = load(&Limits::default());
        assert_eq!(
            keys(&kept, &with("containers"), 0),
            [
                "name",
                "ports",
                "env",
                "resources",
                "livenessProbe",
                "readinessProbe",
                "image"
            ]
        );
        assert_eq!(keys(&kept, &with("initContainers"), 0).len(), 3);
        let span = |inputs: &Inputs| {
            let root = &inputs.files[0].documents[0].root;
            root.path(&with("containers"))
                .and_then(Node::as_seq)
                .unwrap()[0]
                .span
        };
        assert_eq!(span(&lint), span(&kept));
    }

    /// Dropping what `lint` does not read (documents of [`UNREAD_KINDS`], a container's
    /// [`UNREAD_CONTAINER_KEYS`]) changes no finding: every rule, on every fixture world of
    /// the rules (`bad`, `good` and the extra ones) and every other world of `testdata/`,
    /// gives the same findings with and without it.
    #[test]
    fn dropping_unread_parts_changes_no_finding() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let subdirs = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
            let mut v: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_dir())
                .collect();
            v.sort();
            v
        };
        let mut worlds = Vec::new();
        for dir in subdirs(&root) {
            if dir.ends_with("rules") {
                for rule in subdirs(&dir) {
                    worlds.extend(
                        subdirs(&rule)
                            .into_iter()
                            .filter(|w| !w.ends_with("snapshots")),
                    );
                }
            } else {
                worlds.push(dir);
            }
        }
        assert!(worlds.len() > 250, "{}", worlds.len());
        let config = crate::config::Config::default();
        let selection = crate::Selection::default();
        let mut dropped = Vec::new();
        for world in &worlds {
            let findings = |drop_unread: bool| {
                let limits = Limits {
                    drop_unread,
                    ..Limits::lint()
                };
                let Ok(inputs) =
                    load_paths(&[world.to_string_lossy().into_owned()], world, &limits)
                else {
                    return (String::new(), 0);
                };
                let nodes: usize = inputs
                    .files
                    .iter()
                    .flat_map(|f| &f.documents)
                    .map(|d| count_nodes(&d.root))
                    .sum();
                let report = crate::lint(&inputs, &config, &selection);
                (crate::testing::json_findings(&inputs, &report), nodes)
            };
            let (with, fewer) = findings(true);
            let (without, all) = findings(false);
            assert_eq!(with, without, "{}", world.display());
            if fewer < all {
                dropped.push(world.strip_prefix(&root).unwrap().display().to_string());
            }
        }
        // Some of the worlds have something to drop (testdata/render, a duplicate-key world).
        assert!(dropped.len() >= 3, "{dropped:?}");
    }

    fn count_nodes(node: &Node) -> usize {
        1 + match &node.value {
            Value::Map(entries) => entries
                .iter()
                .map(|e| count_nodes(&e.key) + count_nodes(&e.value))
                .sum(),
            Value::Seq(items) => items.iter().map(count_nodes).sum(),
            _ => 0,
        }
    }

    #[test]
    fn configurations_are_known_by_their_names() {
        for yes in [
            "main.tf",
            "a/B.TF",
            "x.tfvars",
            "prod.TFVARS",
            "c.tf.json",
            "v.tfvars.json",
            ".tf",
        ] {
            assert!(is_configuration(yes), "{yes}");
        }
        for no in [
            "plan.json",
            "tf",
            "a.yaml",
            "main.tf.bak",
            "main.hcl",
            "tfvars",
            "x.json.tf.yaml",
            "",
        ] {
            assert!(!is_configuration(no), "{no}");
        }
    }

    /// Every raw input of the directory `dir`, in path order.
    fn raws_under(dir: &std::path::Path) -> Vec<RawInput> {
        let mut paths = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    paths.push(p);
                }
            }
        }
        paths.sort();
        paths
            .into_iter()
            .map(|p| RawInput {
                display: p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                bytes: std::fs::read(&p).unwrap(),
                read_error: None,
            })
            .collect()
    }

    /// With Terraform configurations among the inputs, the YAML files are parsed after the
    /// Terraform pipeline: what is loaded is the same as parsing them first, on every
    /// fixture world of the rules and on files whose decoding fails (no YAML file is parsed
    /// twice, none is left unparsed, a `templatefile()` template is still not a document).
    #[test]
    fn yaml_parsed_after_terraform_loads_the_same() {
        let limits = Limits::lint();
        // What a load gives, in an order that does not depend on hashing.
        let summary = |inputs: Inputs| {
            let sorted = |at: &crate::source::node::NodesAt| {
                let mut v: Vec<String> = at.values().map(|n| format!("{n:?}")).collect();
                v.sort();
                v
            };
            let files: Vec<String> = inputs
                .files
                .iter()
                .map(|f| {
                    format!(
                        "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?} {:?}",
                        f.id,
                        f.format,
                        f.documents,
                        f.problems,
                        f.comments,
                        f.duplicate_keys,
                        f.hcl.is_some(),
                        f.unread_documents,
                        inputs.sources.get(f.id).text(),
                        sorted(&f.embedded),
                        sorted(&f.derived),
                    )
                })
                .collect();
            format!(
                "{files:?} {:?} {:?} {:?} {:?} {:?} {}",
                inputs.terraform,
                inputs.terraform_derived,
                inputs.terraform_ignored,
                inputs.terraform_unread_modules,
                inputs.terraform_unmodelled,
                inputs.terraform_origins.is_empty(),
            )
        };
        let same = |raws: Vec<RawInput>, what: &str| {
            let first = summary(load_indexed(
                raws.clone().into_par_iter().map(|r| (r, None)),
                &limits,
                true,
                false,
            ));
            let after = summary(load_indexed(
                raws.into_par_iter().map(|r| (r, None)),
                &limits,
                true,
                true,
            ));
            assert!(first == after, "{what}: loaded differently");
        };
        let raw = |display: &str, bytes: &[u8]| RawInput {
            display: display.into(),
            bytes: bytes.to_vec(),
            read_error: None,
        };
        // Decoding problems (no tree), an empty file, a parse error, a template and the
        // configuration that renders it, a ServiceAccount.
        let mut raws = vec![
            raw("nul.yaml", b"kind: ServiceAccount\0x: 1\n"),
            raw("utf16.yaml", b"\xFF\xFEk\0"),
            raw("latin1.yaml", b"name: caf\xE9\n"),
            raw("empty.yaml", b""),
            raw("broken.yaml", b"a: [1\n"),
            raw(
                "trust.yaml",
                b"Statement:\n- Principal: {Federated: \"${provider}\"}\n",
            ),
            raw(
                "main.tf",
                b"resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = templatefile(\"${path.module}/trust.yaml\", { provider = \"x\" })\n}\n",
            ),
            raw("sa.yaml", b"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n"),
        ];
        raws.push(RawInput {
            display: "gone.yaml".into(),
            bytes: Vec::new(),
            read_error: Some("no such file".into()),
        });
        same(raws.clone(), "decoding");
        let loaded = load_indexed(raws.into_par_iter().map(|r| (r, None)), &limits, true, true);
        let file = |name: &str| {
            let id = loaded
                .sources
                .files()
                .iter()
                .find(|f| f.path == name)
                .unwrap()
                .id;
            loaded.file(id)
        };
        assert_eq!(file("sa.yaml").documents.len(), 1);
        assert_eq!(file("broken.yaml").problems.len(), 1);
        assert!(file("trust.yaml").documents.is_empty(), "a template");
        assert!(file("nul.yaml").documents.is_empty());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
        let mut worlds = 0;
        for rule in std::fs::read_dir(&root).unwrap() {
            for side in ["bad", "good"] {
                let dir = rule.as_ref().unwrap().path().join(side);
                if dir.is_dir() {
                    same(raws_under(&dir), &dir.display().to_string());
                    worlds += 1;
                }
            }
        }
        assert!(worlds > 100, "{worlds} fixture worlds");
    }

    fn load_text(text: &str, limits: &Limits) -> Inputs {
        load(
            vec![RawInput {
                display: "all.yaml".into(),
                bytes: text.as_bytes().to_vec(),
                read_error: None,
            }],
            limits,
        )
    }

    #[test]
    fn a_yaml_error_inside_an_action_is_the_templates_one_elsewhere_the_users() {
        let kinds = |text: &str| -> Vec<(ProblemKind, u32)> {
            let i = load_text(text, &Limits::default());
            i.files[0]
                .problems
                .iter()
                .map(|p| (p.kind, p.span.start))
                .collect()
        };
        // The argument's quote ends the string: a note at the `{{`, no documents.
        let action = "a: 1\nname: \"{{ include \"x.fullname\" . }}-test\"\n";
        assert_eq!(kinds(action), [(ProblemKind::Template, 12)]);
        assert!(load_text(action, &Limits::default()).files[0]
            .documents
            .is_empty());
        // The same trailing text without an action, or after the action closed: the user's.
        assert_eq!(kinds("a: \"x\" y\n")[0].0, ProblemKind::Parse);
        assert_eq!(kinds("a: \"{{ .x }}\" y }}\n")[0].0, ProblemKind::Parse);
        // An action on the line but the error on another one.
        assert_eq!(kinds("a: \"{{ .x }}\"\nb: [1\n")[0].0, ProblemKind::Parse);
    }

    #[test]
    fn lint_drops_only_the_documents_no_model_reads() {
        let text = "\
apiVersion: v1
kind: Service
metadata: {name: a, name: b}
---
apiVersion: v1
kind: Service
metadata:
  annotations: {mesh.example.com/service-account: gateway}
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: c}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: d}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: e}
---
kind: Service
";
        let kept =
            |i: &Inputs| -> Vec<usize> { i.files[0].documents.iter().map(|d| d.index).collect() };
        let all = load_text(text, &Limits::default());
        assert_eq!(kept(&all), [0, 1, 2, 3, 4, 5]);
        assert_eq!(all.files[0].unread_documents, 0);
        let lint = load_text(text, &Limits::lint());
        // Not the Service naming a ServiceAccount, nor Knative's Service (another API group),
        // nor a document without an apiVersion.
        assert_eq!(kept(&lint), [1, 2, 4, 5]);
        assert_eq!(lint.files[0].unread_documents, 2);
        assert_eq!(lint.document_count(), all.document_count());
        // Found before the drop, as without it.
        let dup = &lint.files[0].duplicate_keys;
        assert_eq!(
            format!("{dup:?}"),
            format!("{:?}", all.files[0].duplicate_keys)
        );
        assert_eq!(dup.len(), 1);
        let at = |s: Span| &text[s.start as usize..s.end as usize];
        assert_eq!(
            (dup[0].key.as_str(), at(dup[0].first), at(dup[0].again)),
            ("name", "name", "name")
        );
        assert_eq!((dup[0].first.start, dup[0].again.start), (40, 49));
    }

    #[test]
    fn mime_multipart_user_data_is_recognised_by_its_headers() {
        let m = super::is_mime_multipart;
        assert!(m(
            "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"B\"\n\n--B\n"
        ));
        assert!(m("\u{feff}mime-version: 1.0\n"));
        assert!(m(
            "Content-Type: multipart/mixed; boundary=//\nMIME-Version: 1.0\n"
        ));
        assert!(m("# user data\n\nMIME-Version: 1.0\n"));
        // Only the first two lines are headers; a YAML key elsewhere is YAML's.
        assert!(!m("a: 1\nb: 2\nMIME-Version: 1.0\n"));
        assert!(!m("Content-Type: text/x-shellscript\n"));
        assert!(!m("apiVersion: v1\nkind: ConfigMap\n"));
        assert!(!m(""));
        assert!(!m("MIME"));
    }

    #[test]
    fn template_syntax_is_an_interpolation_or_directive_not_an_escape() {
        let t = crate::source::template::has_template_syntax;
        assert!(t("\"arn:aws:s3:::${bucket}/*\""));
        assert!(t("%{ for p in prefixes ~}"));
        assert!(t("${x}"));
        // Escapes render as the literal text: `$${AWS::Region}`, `%%{`.
        assert!(!t("\"Resource\": \"arn:aws:s3:::$${aws:username}/*\""));
        assert!(!t("%%{ not a directive }"));
        assert!(!t("{\"Statement\": []}"));
        assert!(!t("$ {x} % {y}"));
    }
}
