//! Files and text: discovery, loading into span-preserving [`node::Node`] trees, and the
//! mapping of text embedded in string scalars back to file positions.

pub mod comments;
pub mod discover;
pub mod duplicates;
pub mod embedded;
pub mod file;
pub mod ini;
pub mod json;
pub mod node;
pub mod template;
pub mod yaml;

use file::Span;
use node::Document;

/// What stands for a `}` inside the name of a value the inputs do not fix while it is held
/// as `${name}` text (a Terraform unknown, `terraform::hcl::unknown`): the readers of such
/// text take the first `}` after `${` as its end, so the name's own `}` (of a `${…}` template
/// inside the unknown expression) cannot be one. A private-use character, which no input
/// means; [`shown`] writes it back as `}` wherever text leaves the tool.
pub const CLOSE_BRACE_IN_NAME: char = '\u{E07D}';

/// `s` as the user reads it: each [`CLOSE_BRACE_IN_NAME`] written back as the `}` the user
/// wrote.
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(CLOSE_BRACE_IN_NAME) {
        std::borrow::Cow::Owned(s.replace(CLOSE_BRACE_IN_NAME, "}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Moves `v` into an allocation of its exact length when it has room to spare. A list grown
/// by doubling (pushes, `extend`, `reserve`) keeps up to half its room unused, and
/// `shrink_to_fit` does not give that back under mimalloc, which keeps a block in place when
/// a shrinking `realloc` leaves it at least half used: a fresh allocation does, and the old
/// one goes back to the allocator for what comes next. For the lists that live until the
/// rules run (the peak of a run's memory).
pub fn fit<T>(v: &mut Vec<T>) {
    if v.capacity() > v.len() {
        let mut exact = Vec::with_capacity(v.len());
        exact.append(v);
        *v = exact;
    }
}

/// What went wrong while loading; each kind is reported by its own input rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Syntax error (`parse-error`).
    Parse,
    /// Template text (Helm/Go, Terraform, Jinja, envsubst, a script's placeholders) that is not plain YAML or JSON (`unsupported-template`).
    Template,
    /// A resource limit: file size, nesting depth, alias expansion, document count
    /// (`input-limit`).
    Limit,
    /// Not UTF-8 text, or binary content (`input-not-text`).
    Encoding,
    /// Read, but only as lenient YAML readers read it (`yaml-lenient-flow-indentation`): a
    /// note, the file's documents are all there.
    Lenient,
}

/// A problem found while loading a file. Loading goes on after it where it can.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadProblem {
    pub kind: ProblemKind,
    /// Where: the offending token for syntax errors, the first template marker, ...
    pub span: Span,
    /// Lower-case, no final period, says what was found (e.g. `expected ',' or '}' after an
    /// object member, found '"Action"'`).
    pub message: String,
}

/// Resource limits for hostile input; exceeding one is a finding, never a crash or a hang.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files larger than this are not parsed.
    pub max_file_size: usize,
    /// Deepest nesting of sequences/mappings accepted.
    pub max_depth: usize,
    /// Total number of nodes that alias expansion may copy in one file.
    pub max_alias_nodes: usize,
    /// Documents per YAML stream.
    pub max_documents: usize,
    /// Flow collection entries (flow indicators) saphyr's scanner may read between two events
    /// (see `yaml::events`).
    pub max_flow_run: usize,
    /// Drop, in the loading thread, the documents no model reads (`load::drop_unread`): a
    /// monorepo's Services and the like are a sixth of its trees, kept for nothing; and of
    /// the others, a container's `resources`, `ports` and probes and a workload's `replicas`,
    /// `selector`, rollout and schedule (`load::UNREAD_CONTAINER_KEYS`,
    /// `load::UNREAD_WORKLOAD_KEYS`). `lint` sets it; `render` prints what it reads, and the
    /// default keeps every document and key.
    pub drop_unread: bool,
    /// Read the common subset of YAML with the fast path (`yaml::fast`) and the rest with
    /// saphyr-parser. Off, every document goes through saphyr: the tests compare both.
    pub fast_yaml: bool,
    /// Read the common subset of Terraform's native syntax with the fast path
    /// (`terraform::fast`) and the rest with hcl-edit. Off, every file goes through hcl-edit:
    /// the tests compare both.
    pub fast_hcl: bool,
    /// Let go of the texts of the files read from disk once the load stage is done with them
    /// (`SourceFile::release_text`): they are read again (checked by length and hash) only
    /// for the files a finding, a suppression or a snippet points into. `lint` sets it;
    /// `--fix` (which writes the texts back), `map` and `render` keep every text.
    pub release_texts: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: 10 * 1024 * 1024,
            max_depth: 256,
            max_alias_nodes: 100_000,
            max_documents: 10_000,
            max_flow_run: 1_000_000,
            drop_unread: false,
            fast_yaml: true,
            fast_hcl: true,
            release_texts: false,
        }
    }
}

impl Limits {
    /// The default limits, dropping the documents no model reads (what `lint` loads with).
    pub fn lint() -> Limits {
        Limits {
            drop_unread: true,
            release_texts: true,
            ..Limits::default()
        }
    }
}

/// The result of loading one file (or one embedded text).
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    pub problems: Vec<LoadProblem>,
    /// The loader saw every string of `documents` as it built them and none may hold
    /// embedded JSON ([`embedded::may_hold_json`]): the load stage need not walk the trees
    /// to look for it (a walk of every node of the run). `false` when it does not know.
    pub no_json_strings: bool,
}

#[cfg(test)]
mod tests {
    /// `fit` leaves a list of the same items in an allocation of its length, and one already
    /// of its length where it is (no copy).
    #[test]
    fn fit_moves_a_list_into_an_allocation_of_its_length() {
        let mut v: Vec<u32> = Vec::with_capacity(10);
        v.extend([1, 2, 3]);
        super::fit(&mut v);
        assert_eq!(v, [1, 2, 3]);
        assert_eq!(v.capacity(), 3);
        let at = v.as_ptr();
        super::fit(&mut v);
        assert_eq!(v.as_ptr(), at);
        let mut empty: Vec<u32> = Vec::with_capacity(4);
        super::fit(&mut empty);
        assert_eq!(empty.capacity(), 0);
    }
}
