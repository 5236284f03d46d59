//! Terraform's native syntax: `.tf` and `.tfvars` files parsed with `hcl-edit` (it keeps the
//! byte range of every expression), then every directory's `.tf` files evaluated together as
//! one module into [`Resource`]s in plan JSON's shape.
//!
//! Evaluation is partial and never guesses: literals, `variable` defaults, `*.tfvars`,
//! `locals`, string templates, a few pure functions, `for` expressions and `dynamic` blocks
//! over known values. Anything else (data sources, resource attributes the configuration does
//! not set, module outputs, remote state) becomes a node tagged [`UNKNOWN_TAG`] named by the
//! expression's text; a string with unknown parts becomes a `!Sub` template whose unknown
//! parts are `${expression}`, the form `model::value::text` already treats as unresolved.

use std::cell::RefCell;
/// Evaluation's maps and sets, keyed by the inputs' names, addresses and paths: hashed with
/// foldhash (std's SipHash was 6% of the instructions of loading a Terraform corpus).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
use std::rc::Rc;

use super::ast::{
    Arena, BinaryOperator, Block, Body, Directive, Element, Expression, ObjectKey, Spanned,
    Template, TraversalOperator, UnaryOperator,
};

use super::{Mode, Origin, Resource, UNKNOWN_TAG};
use crate::source::file::{FileId, LineIndex, SourceMap, Span};
use crate::source::node::{Entry, Node, ScalarStyle, Value};
use crate::source::{Limits, LoadProblem, ProblemKind};

/// The tag of a string with unknown parts: a CloudFormation-style `Fn::Sub` template whose
/// `${...}` parts are unknown and whose literal `${` is written `${!`.
pub const PARTIAL_TAG: &str = "!Sub";

/// A `.tf`/`.tfvars` file waiting for its module's evaluation.
#[derive(Debug)]
pub enum Pending {
    /// Native syntax: parsed when its directory is evaluated, from the source map's text.
    Native,
    /// A JSON configuration or a `terragrunt.hcl`, rewritten as native syntax: parsed at load
    /// (its syntax errors reported then), its tree dropped, parsed again when its directory is
    /// evaluated (into that directory's arena, whose trees own no memory).
    Rewritten(Box<super::json_config::Virtual>),
    /// A `terragrunt.hcl` whose module is not read, and why (`terraform::terragrunt`).
    Unread(String),
}

/// A parsed `.tf`/`.tfvars` file, its tree in an arena (see [`super::ast`]).
#[derive(Debug)]
pub struct Parsed<'a> {
    pub body: Body<'a>,
    /// Object keys written twice (`{ a = 1, a = 2 }`): Terraform keeps the last, hcl-edit
    /// refuses them, so each later one was parsed under a stand-in name of the same length;
    /// by key offset, the name as written.
    pub renamed: HashMap<usize, String>,
    /// For a `.tf.json`/`.tfvars.json` file: the native-syntax text `body` was parsed from
    /// (its spans are offsets into that text, mapped back when evaluation ends).
    pub json: Option<super::json_config::Virtual>,
    /// `resource` blocks of types no model reads, left out of `body` (see [`parse_module_files`]):
    /// parsed only if an expression refers to them.
    pub skipped: Vec<Skipped>,
}

/// A top-level `resource` block [`parse_module_files`] left out: its type, name and extent.
#[derive(Debug)]
pub struct Skipped {
    pub kind: String,
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// Parses the `.tf` files of one module directory, handing hcl-edit only what evaluation
/// reads: `locals` that something kept refers to, the `resource`/`data` types in
/// [`READ_KINDS`] (without their meta-arguments other than `count`/`for_each`, which
/// evaluation does not read, and without a resource's `tags`/`tags_all` when no expression
/// of the directory may read them), the `default` of each `variable`, and the `module`
/// calls (of a module not modelled here, only `source`, `version`, `count` and
/// `for_each`). The other blocks (most of a real configuration: `aws_vpc`, `aws_s3_bucket`,
/// `output`, `provider`, `terraform`, …) are blanked to spaces, line breaks kept, so every
/// offset hcl-edit reports is the file's own; a skipped `resource` is parsed when an
/// expression refers to it (evaluating `aws_s3_bucket.b.bucket` then gives what it gave
/// before). A syntax error inside a skipped block or item is not reported (Terraform reports
/// it); when the scanner cannot delimit a file's blocks with certainty
/// (`scan::top_blocks`) that file is parsed whole, errors and all. `others` are the texts of
/// the directory's other configuration files (`.tfvars`, `.tf.json`), whose references count
/// too. When `called` (the files of a local module, whose outputs its callers read
/// as `module.x.iam_role_arn`), the `output` blocks are kept too. A file the fast path reads
/// whole (most files) is not scanned nor blanked: it is read once, and the same decisions,
/// taken on the blocks and items its tree's spans delimit, take what is left out out of the
/// tree (scanning and reading the kept text again cost more than reading the whole file).
pub fn parse_module_files<'a>(
    arena: &'a Arena,
    files: &[(FileId, &'a str)],
    others: &[&str],
    limits: &Limits,
    called: bool,
) -> Vec<Result<Parsed<'a>, LoadProblem>> {
    let mut texts: Vec<&str> = files.iter().map(|(_, t)| *t).collect();
    texts.extend_from_slice(others);
    let tags = TagReads::new(&texts);
    // A file the fast path reads whole is read once, and what `plan` leaves out is taken
    // out of its tree: the blocks and items are delimited by the tree's spans instead of the
    // scanner, and `plan` decides on them as it does on the scanner's.
    let mut trees: Vec<Option<Body>> = files
        .iter()
        .map(|(_, t)| limits.fast_hcl.then(|| whole_tree(arena, t)).flatten())
        .collect();
    let plans: Vec<Option<Plan>> = files
        .iter()
        .zip(&trees)
        .map(|((_, t), tree)| match tree {
            Some(tree) => plan_of_tree(t, tree, &tags, called),
            None => plan(t, &tags, called),
        })
        .collect();
    let read = locals_read(files, &plans);
    files
        .iter()
        .zip(plans)
        .zip(trees.iter_mut())
        .map(|((&(file, text), plan), tree)| {
            let Some(plan) = plan else {
                return parse(arena, file, text, limits);
            };
            let (kept, whole) = plan.ranges(&read);
            let mut parsed = if let Some(mut body) = tree.take() {
                if let Some(p) = depth_problem(file, text, limits) {
                    return Err(p);
                }
                if !whole {
                    retain_kept(arena, &mut body, &kept);
                }
                Parsed {
                    body,
                    renamed: HashMap::default(),
                    json: None,
                    skipped: Vec::new(),
                }
            } else if whole {
                parse(arena, file, text, limits)?
            } else {
                // The depth limit applies to the file as written (the blanked text nests no
                // deeper).
                if let Some(p) = depth_problem(file, text, limits) {
                    return Err(p);
                }
                let blanked = arena.alloc_str(&blank_except(text, kept.into_iter()));
                parse_checked(arena, file, blanked, limits, false)?
            };
            parsed.skipped = plan.skipped;
            Ok(parsed)
        })
        .collect()
}

/// What of one file [`parse_module_files`] hands hcl-edit, before the directory's `locals`
/// are decided.
struct Plan {
    /// In order: byte ranges kept, and `locals` blocks whose items are kept when read.
    kept: Vec<Keep>,
    /// Whether every block is kept whole so far.
    whole: bool,
    /// The resources left out.
    skipped: Vec<Skipped>,
}

enum Keep {
    Range(usize, usize),
    /// A `locals` block (from its start to just after its `{`, its `}`) and its items.
    Locals(usize, usize, usize, Vec<super::scan::Item>),
}

impl Plan {
    /// The byte ranges kept, in order, and whether they are the whole of every block; `read`
    /// the locals something kept refers to.
    fn ranges(&self, read: &HashSet<String>) -> (Vec<(usize, usize)>, bool) {
        let mut out = Vec::with_capacity(self.kept.len());
        let mut whole = self.whole;
        for k in &self.kept {
            match k {
                Keep::Range(s, e) => out.push((*s, *e)),
                Keep::Locals(start, open, end, items) => {
                    let is_read =
                        |i: &super::scan::Item| !i.attribute || read.contains(i.name.as_str());
                    if items.iter().all(is_read) {
                        out.push((*start, *end));
                        continue;
                    }
                    whole = false;
                    out.push((*start, *open));
                    out.extend(
                        items
                            .iter()
                            .filter(|i| is_read(i))
                            .map(|i| (i.start, i.end)),
                    );
                    out.push((end - 1, *end));
                }
            }
        }
        (out, whole)
    }
}

/// `text` read whole by the fast path (`None` outside its subset, or on a panic, a bug of the
/// fast path: the file then takes the scanner's way).
fn whole_tree<'a>(arena: &'a Arena, text: &'a str) -> Option<Body<'a>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        super::fast::parse_body(arena, text)
    }))
    .ok()
    .flatten()
}

/// [`plan`] with the blocks and items delimited by the spans of `tree`, `text` read whole;
/// `None` when a block's `{` is not right after its labels (then the scanner decides).
fn plan_of_tree(text: &str, tree: &Body, tags: &TagReads, outputs: bool) -> Option<Plan> {
    let b = text.as_bytes();
    let mut blocks = Vec::with_capacity(tree.blocks.len());
    for blk in tree.blocks {
        let r = blk.span()?;
        let head = blk.labels.last().unwrap_or(&blk.ident).span()?.end;
        let open = head
            + b.get(head..)?
                .iter()
                .position(|&c| c != b' ' && c != b'\t')?;
        if b.get(open) != Some(&b'{') {
            return None;
        }
        blocks.push(TreeBlock {
            blk,
            start: r.start,
            end: r.end,
            open,
            text,
        });
    }
    plan_blocks(text, &blocks, tags, outputs, true)
}

/// A top-level block as [`plan_blocks`] reads it: the scanner's, or one of a tree the fast
/// path read ([`TreeBlock`], read where it is: copying each block's labels and items into
/// the scanner's records was a fifth of planning a directory).
trait PlanBlock {
    fn start(&self) -> usize;
    fn end(&self) -> usize;
    /// The `{` of its body.
    fn open(&self) -> usize;
    fn ident(&self) -> &str;
    /// The value of its label `i`; `Some(None)` for a label with an escape (the scanner
    /// does not decode one).
    fn label(&self, i: usize) -> Option<Option<&str>>;
    /// Its items in order, into `out` (emptied first); `false` when they cannot be
    /// delimited.
    fn items(&self, text: &str, out: &mut Vec<super::scan::Item>) -> bool;
}

impl PlanBlock for super::scan::TopBlock {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn open(&self) -> usize {
        self.open
    }
    fn ident(&self) -> &str {
        &self.ident
    }
    fn label(&self, i: usize) -> Option<Option<&str>> {
        self.labels.get(i).map(|l| l.as_deref())
    }
    fn items(&self, text: &str, out: &mut Vec<super::scan::Item>) -> bool {
        match super::scan::block_items(text, self) {
            Some(items) => {
                *out = items;
                true
            }
            None => false,
        }
    }
}

/// A top-level block of a tree the fast path read from `text`: its extent and the `{` of
/// its body.
struct TreeBlock<'a> {
    blk: &'a Block<'a>,
    start: usize,
    end: usize,
    open: usize,
    text: &'a str,
}

impl PlanBlock for TreeBlock<'_> {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn open(&self) -> usize {
        self.open
    }
    fn ident(&self) -> &str {
        self.blk.ident.as_str()
    }
    fn label(&self, i: usize) -> Option<Option<&str>> {
        // As the scanner: a label with an escape is not decoded.
        self.blk.labels.get(i).map(|l| {
            let raw = l.span().and_then(|r| self.text.get(r))?;
            (!raw.contains('\\')).then(|| l.as_str())
        })
    }
    fn items(&self, _: &str, out: &mut Vec<super::scan::Item>) -> bool {
        out.clear();
        let body = &self.blk.body;
        let item =
            |name: &super::ast::Ident, attribute: bool, r: Option<std::ops::Range<usize>>| {
                r.map(|r| super::scan::Item {
                    name: name.value.into(),
                    attribute,
                    start: r.start,
                    end: r.end,
                })
            };
        // The attributes and the blocks, each in the text's order: merged by start.
        let (attrs, blocks) = (body.attributes, body.blocks);
        let (mut a, mut b) = (0, 0);
        loop {
            let next = match (attrs.get(a), blocks.get(b)) {
                (None, None) => return true,
                (Some(x), Some(y)) => {
                    let (Some(rx), Some(ry)) = (x.sp.range(), y.span()) else {
                        return false;
                    };
                    if rx.start < ry.start {
                        a += 1;
                        item(&x.key, true, Some(rx))
                    } else {
                        b += 1;
                        item(&y.ident, false, Some(ry))
                    }
                }
                (Some(x), None) => {
                    a += 1;
                    item(&x.key, true, x.sp.range())
                }
                (None, Some(y)) => {
                    b += 1;
                    item(&y.ident, false, y.span())
                }
            };
            match next {
                Some(i) => out.push(i),
                None => return false,
            }
        }
    }
}

/// `body` (a whole file's tree) without what `kept` (the ranges [`Plan::ranges`] gives)
/// leaves out: a top-level block whose whole range is kept stays, one whose head is kept
/// keeps the items whose ranges are kept, the others go.
fn retain_kept<'a>(arena: &'a Arena, body: &mut Body<'a>, kept: &[(usize, usize)]) {
    // `kept` is sorted and disjoint: a binary search by start (a hash set cost more).
    let contains = |s: usize, e: usize| {
        kept.binary_search_by_key(&s, |k| k.0)
            .is_ok_and(|i| kept[i].1 == e)
    };
    let has = |r: Option<std::ops::Range<usize>>| r.is_some_and(|r| contains(r.start, r.end));
    // The lists kept are copied into the arena (the tree's are not owned: nothing to free).
    let mut blocks = bumpalo::collections::Vec::with_capacity_in(body.blocks.len(), arena);
    for blk in body.blocks {
        let Some(r) = blk.span() else {
            continue;
        };
        if contains(r.start, r.end) {
            blocks.push(*blk);
            continue;
        }
        if !contains(r.end - 1, r.end) {
            continue;
        }
        let mut blk = *blk;
        blk.body = Body {
            attributes: kept_of(arena, blk.body.attributes, |a| has(a.sp.range())),
            blocks: kept_of(arena, blk.body.blocks, |n| has(n.span())),
        };
        blocks.push(blk);
    }
    body.blocks = blocks.into_bump_slice();
}

/// The items of `all` that `keep`, in `arena` (`all` itself when it keeps them all).
fn kept_of<'a, T: Copy>(arena: &'a Arena, all: &'a [T], keep: impl Fn(&T) -> bool) -> &'a [T] {
    if all.iter().all(&keep) {
        return all;
    }
    let mut out = bumpalo::collections::Vec::new_in(arena);
    out.extend(all.iter().filter(|x| keep(x)).copied());
    out.into_bump_slice()
}

/// The plan for `text`, a file of the directory whose texts `tags` searches for references
/// (`output` blocks kept when `outputs`); `None` when the scanner gives up.
fn plan(text: &str, tags: &TagReads, outputs: bool) -> Option<Plan> {
    let blocks = super::scan::top_blocks(text)?;
    plan_blocks(text, &blocks, tags, outputs, false)
}

/// [`plan`] of the top-level `blocks` of `text` (`cheap_items`: from a tree, whose items
/// cost less than searching the block's text for the names of the items that may be left
/// out, [`droppable`]: the plan is the same either way).
fn plan_blocks<B: PlanBlock>(
    text: &str,
    blocks: &[B],
    tags: &TagReads,
    outputs: bool,
    cheap_items: bool,
) -> Option<Plan> {
    let mut skipped = Vec::new();
    let mut kept: Vec<Keep> = Vec::with_capacity(blocks.len());
    let mut whole = true;
    // The items of the block at hand (one list for all).
    let mut items: Vec<super::scan::Item> = Vec::new();
    // A block kept but for the items `drop` names.
    let keep_items = |kept: &mut Vec<Keep>,
                      whole: &mut bool,
                      b: &B,
                      items: &[super::scan::Item],
                      drop: &dyn Fn(&super::scan::Item) -> bool| {
        if !items.iter().any(drop) {
            kept.push(Keep::Range(b.start(), b.end()));
            return;
        }
        *whole = false;
        kept.push(Keep::Range(b.start(), b.open() + 1));
        kept.extend(
            items
                .iter()
                .filter(|i| !drop(i))
                .map(|i| Keep::Range(i.start, i.end)),
        );
        kept.push(Keep::Range(b.end() - 1, b.end()));
    };
    for b in blocks {
        let kind = b.label(0).flatten();
        let keep = match b.ident() {
            "locals" => {
                if b.items(text, &mut items) {
                    let items = std::mem::take(&mut items);
                    kept.push(Keep::Locals(b.start(), b.open() + 1, b.end(), items));
                    continue;
                }
                true
            }
            "output" => outputs,
            // A call of a module not modelled here nor local: only its `source` and `version` are
            // read (and `count`/`for_each`, which decide whether it exists). Terraform
            // requires `source` to be a literal string.
            "module" => {
                if b.items(text, &mut items) && !inputs_read(text, &items) {
                    const READ: [&str; 4] = ["source", "version", "count", "for_each"];
                    // terraform-aws-modules/eks: also what its add-ons are made of
                    // (`modules::eks_addons`).
                    const EKS: [&str; 4] = ["cluster_addons", "addons", "create", "outpost_config"];
                    let eks = source_literal(text, &items)
                        .is_some_and(super::modules::eks_addons::is_eks);
                    let drop = |i: &super::scan::Item| {
                        let n = i.name.as_str();
                        !(i.attribute && (READ.contains(&n) || eks && EKS.contains(&n)))
                    };
                    keep_items(&mut kept, &mut whole, b, &items, &drop);
                    continue;
                }
                true
            }
            // Only its `default` is read: its description, type and validations are not
            // parsed when the scanner can delimit them.
            "variable" => {
                if b.items(text, &mut items) {
                    let drop = |i: &super::scan::Item| !(i.attribute && i.name == "default");
                    keep_items(&mut kept, &mut whole, b, &items, &drop);
                    continue;
                }
                true
            }
            "resource" | "data" => match kind {
                // Its items are delimited only when one may be left out.
                // (A block with no such item is kept whole by `keep_items` too.)
                Some(k)
                    if READ_KINDS.contains(&k)
                        && !cheap_items
                        && !droppable(&text[b.open()..b.end()]) =>
                {
                    true
                }
                Some(k) if READ_KINDS.contains(&k) => match b.label(1).flatten() {
                    Some(name) if b.items(text, &mut items) => {
                        // `tags` is read by no model; a reference to it is looked for
                        // once a block has one.
                        let tags_read = std::cell::OnceCell::new();
                        let resource = b.ident() == "resource";
                        let drop = |i: &super::scan::Item| {
                            UNREAD_META_ARGS.contains(&i.name.as_str())
                                || (resource
                                    && i.attribute
                                    && TAGS.contains(&i.name.as_str())
                                    && !*tags_read.get_or_init(|| tags.read(k, name)))
                        };
                        keep_items(&mut kept, &mut whole, b, &items, &drop);
                        continue;
                    }
                    _ => true,
                },
                // A label the scanner did not decode: parsed, as it may be one of them.
                None => true,
                Some(k) => match b.label(1) {
                    Some(Some(name)) if b.ident() == "resource" => {
                        skipped.push(Skipped {
                            kind: k.to_string(),
                            name: name.to_string(),
                            start: b.start(),
                            end: b.end(),
                        });
                        false
                    }
                    Some(Some(_)) => false,
                    _ => true,
                },
            },
            _ => false,
        };
        if keep {
            kept.push(Keep::Range(b.start(), b.end()));
        } else {
            whole = false;
        }
    }
    Some(Plan {
        kept,
        whole,
        skipped,
    })
}

/// The meta-arguments of a resource or data block that evaluation does not read (it reads
/// `count` and `for_each`): what they hold never reaches a value.
const UNREAD_META_ARGS: [&str; 5] = [
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

/// Whether a block body's text may have an item [`plan`] leaves out: it names one.
fn droppable(body: &str) -> bool {
    static NAMES: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            // `tags` finds `tags_all` too.
            UNREAD_META_ARGS
                .iter()
                .chain(&TAGS[..1])
                .map(|n| memchr::memmem::Finder::new(n.as_bytes()))
                .collect()
        });
    NAMES.iter().any(|f| f.find(body.as_bytes()).is_some())
}

/// A resource's tags: no model reads them.
const TAGS: [&str; 2] = ["tags", "tags_all"];

/// Which resources' tags an expression of a directory may read, by resource type, found
/// once per type from the directory's texts (`texts`).
struct TagReads<'t> {
    texts: &'t [&'t str],
    by_kind: RefCell<HashMap<String, HashSet<String>>>,
}

impl<'t> TagReads<'t> {
    fn new(texts: &'t [&'t str]) -> Self {
        TagReads {
            texts,
            by_kind: RefCell::new(HashMap::default()),
        }
    }

    /// Whether an expression may read the `tags`/`tags_all` of `resource "<kind>" "<name>"`:
    /// a traversal `kind.name` not followed by `.<attribute>` naming another attribute (the
    /// whole object, an index, a splat, `kind.name.tags`) counts, and so does one in a
    /// comment or a string (the text is not parsed). HCL allows blanks around a traversal's
    /// dots. A reference Terraform accepts always has `kind.name`.
    fn read(&self, kind: &str, name: &str) -> bool {
        let mut by_kind = self.by_kind.borrow_mut();
        if let Some(names) = by_kind.get(kind) {
            return names.contains(name);
        }
        let names = by_kind.entry(kind.to_string()).or_insert_with(|| {
            // The searchers of the types read are built once (a searcher's set-up was a few
            // hundred instructions per type and directory).
            static READ_KIND_FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
                std::sync::LazyLock::new(|| {
                    READ_KINDS
                        .iter()
                        .map(|k| memchr::memmem::Finder::new(k.as_bytes()))
                        .collect()
                });
            let built;
            let finder = match READ_KINDS.iter().position(|k| *k == kind) {
                Some(at) => &READ_KIND_FINDERS[at],
                None => {
                    built = memchr::memmem::Finder::new(kind);
                    &built
                }
            };
            let mut names = HashSet::default();
            for t in self.texts {
                for rest in traversals(t, finder) {
                    if let Some((n, rest)) = dot_ident(rest) {
                        if dot_ident(rest).is_none_or(|(attr, _)| TAGS.contains(&attr)) {
                            names.insert(n.to_string());
                        }
                    }
                }
            }
            names
        });
        names.contains(name)
    }
}

/// What follows each occurrence in `text` of the identifier `ident` that is followed by a
/// dot (after blanks): from the dot on.
fn traversals<'t>(
    text: &'t str,
    ident: &'t memchr::memmem::Finder<'_>,
) -> impl Iterator<Item = &'t str> + 't {
    let b = text.as_bytes();
    let len = ident.needle().len();
    ident.find_iter(b).filter_map(move |at| {
        let end = at + len;
        let before = at.checked_sub(1).map(|p| b[p]);
        // Inside a longer identifier (`aws_iam_role_policy` for `aws_iam_role`,
        // `data.x.local` is fine: a `.` before is not an identifier byte).
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
            || b.get(end)
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            return None;
        }
        let rest = text[end..].trim_start();
        rest.starts_with('.').then_some(rest)
    })
}

/// `.ident` at the start of `s` (blanks allowed around the dot): the identifier and what
/// follows it.
fn dot_ident(s: &str) -> Option<(&str, &str)> {
    let s = trim_start(trim_start(s).strip_prefix('.')?);
    let len = s
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'))
        .unwrap_or(s.len());
    (len > 0).then(|| (&s[..len], &s[len..]))
}

/// The locals something kept refers to (`local.<name>`, in a kept range of any file, a
/// skipped resource, which is parsed when referred to, a file parsed whole, or a local
/// itself referred to by one of those).
fn locals_read(files: &[(FileId, &str)], plans: &[Option<Plan>]) -> HashSet<String> {
    let mut read: HashSet<String> = HashSet::default();
    // Built once (a searcher's set-up was a few hundred instructions per directory).
    static LOCAL: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("local"));
    let local: &memchr::memmem::Finder<'static> = &LOCAL;
    let add = |read: &mut HashSet<String>, s: &str| {
        for rest in traversals(s, local) {
            // A name already read is not copied again (most are read many times).
            if let Some((n, _)) = dot_ident(rest).filter(|(n, _)| !read.contains(*n)) {
                read.insert(n.to_string());
            }
        }
    };
    // Nothing to decide without a `locals` block that may lose an item.
    if !plans
        .iter()
        .flatten()
        .any(|p| p.kept.iter().any(|k| matches!(k, Keep::Locals(..))))
    {
        return read;
    }
    let mut locals: Vec<(&str, &str)> = Vec::new();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (&(_, text), plan) in files.iter().zip(plans) {
        let Some(plan) = plan else {
            add(&mut read, text);
            continue;
        };
        ranges.clear();
        for k in &plan.kept {
            match k {
                Keep::Range(s, e) => ranges.push((*s, *e)),
                Keep::Locals(_, _, _, items) => {
                    for i in items {
                        if i.attribute {
                            locals.push((i.name.as_str(), &text[i.start..i.end]));
                        } else {
                            // A block inside `locals` is an error hcl-edit reports: kept.
                            ranges.push((i.start, i.end));
                        }
                    }
                }
            }
        }
        ranges.extend(plan.skipped.iter().map(|s| (s.start, s.end)));
        add_in_ranges(&mut read, text, &mut ranges, local);
    }
    // What a read local refers to is read too.
    let mut queue: Vec<String> = read.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        for (n, item) in &locals {
            if *n != name {
                continue;
            }
            let mut found = HashSet::default();
            add(&mut found, item);
            for f in found {
                if read.insert(f.clone()) {
                    queue.push(f);
                }
            }
        }
    }
    read
}

/// What `add` of [`locals_read`] finds in each of the disjoint `ranges` of `text`, read
/// with one search of the whole text (a search per range cost more than the text's
/// length): each occurrence within a range is taken as the range's own text shows it
/// (nothing before its start or past its end counts).
fn add_in_ranges(
    read: &mut HashSet<String>,
    text: &str,
    ranges: &mut [(usize, usize)],
    local: &memchr::memmem::Finder<'_>,
) {
    if ranges.is_empty() {
        return;
    }
    ranges.sort_unstable();
    let b = text.as_bytes();
    let len = local.needle().len();
    let mut r = 0;
    for at in local.find_iter(b) {
        while r < ranges.len() && ranges[r].1 < at + len {
            r += 1;
        }
        let Some(&(s, e)) = ranges.get(r) else {
            break;
        };
        if at < s {
            continue;
        }
        // As [`traversals`] on `text[s..e]`.
        let end = at + len;
        let before = (at > s).then(|| b[at - 1]);
        let after = (end < e).then(|| b[end]);
        let id = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        if before.is_some_and(id) || after.is_some_and(id) {
            continue;
        }
        let rest = text[end..e].trim_start();
        if !rest.starts_with('.') {
            continue;
        }
        if let Some((n, _)) = dot_ident(rest).filter(|(n, _)| !read.contains(*n)) {
            read.insert(n.to_string());
        }
    }
}

/// Whether a `module` block's inputs may be read: its `source` is not a plain string
/// literal, or names a modelled module (`modules::known`) or a local one (`./x`, `../x`),
/// which is evaluated with them.
fn inputs_read(text: &str, items: &[super::scan::Item]) -> bool {
    source_literal(text, items).is_none_or(|s| super::modules::known(s).is_some() || is_local(s))
}

/// A `module` block's `source` when it is a plain string literal (Terraform requires one).
fn source_literal<'t>(text: &'t str, items: &[super::scan::Item]) -> Option<&'t str> {
    let source = items.iter().find(|i| i.attribute && i.name == "source")?;
    let v = text[source.start..source.end]
        .split_once('=')?
        .1
        .trim_start();
    let v = v.strip_prefix('"')?;
    let close = v.find('"')?;
    let (lit, rest) = (&v[..close], v[close + 1..].trim());
    let plain = !lit.contains(['\\', '\n']) && !lit.contains("${") && !lit.contains("%{");
    let alone = rest.is_empty() || rest.starts_with('#') || rest.starts_with("//");
    (plain && alone).then_some(lit)
}

/// Whether a module `source` is a local path: Terraform reads one that starts with `./` or
/// `../` from the disk, every other form is downloaded.
pub fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// The directory a local module `source` called from the module directory `dir` names, as
/// the inputs' directories are written (lexically; `""` for the current directory); `None`
/// for a source that is not local.
fn local_dir(dir: &str, source: &str) -> Option<String> {
    if !is_local(source) {
        return None;
    }
    let joined = if dir.is_empty() {
        source.to_string()
    } else {
        format!("{dir}/{source}")
    };
    Some(crate::source::discover::lexical(&joined))
}

/// The local module sources the `.tf` file `text` calls (`module` blocks whose `source` is
/// `./…` or `../…`), found without parsing; the whole file is parsed when the scanner is
/// unsure. A file without a `module` block at a line's start has none.
fn local_sources(file: FileId, text: &str, limits: &Limits) -> Vec<String> {
    let b = text.as_bytes();
    // Built once (a searcher's set-up was a few hundred instructions per file).
    static MODULE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("module"));
    let any = MODULE.find_iter(b).any(|at| {
        let line = b[..at]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        b[line..at].iter().all(|c| matches!(c, b' ' | b'\t'))
    });
    if !any {
        return Vec::new();
    }
    match super::scan::top_blocks(text) {
        Some(blocks) => blocks
            .iter()
            .filter(|blk| blk.ident == "module")
            .filter_map(|blk| {
                let items = super::scan::block_items(text, blk)?;
                source_literal(text, &items)
                    .filter(|s| is_local(s))
                    .map(str::to_string)
            })
            .collect(),
        None => parse(&Arena::new(), file, text, limits)
            .map(|p| parsed_local_sources(&p))
            .unwrap_or_default(),
    }
}

/// [`local_sources`] of a parsed file (a JSON configuration's).
fn parsed_local_sources(p: &Parsed) -> Vec<String> {
    p.body
        .blocks()
        .filter(|b| b.ident.as_str() == "module")
        .filter_map(|b| {
            let a = b.body.attributes().find(|a| a.key.as_str() == "source")?;
            match &a.value {
                Expression::String(s) if is_local(s.value()) => Some(s.value().to_string()),
                _ => None,
            }
        })
        .collect()
}

/// `text` with every byte outside `keep` (sorted, disjoint ranges) a space, line breaks
/// kept: the same length, so offsets into it are offsets into `text`.
fn blank_except(text: &str, keep: impl Iterator<Item = (usize, usize)>) -> String {
    fn blank(out: &mut Vec<u8>, bytes: &[u8]) {
        let at = out.len();
        out.resize(at + bytes.len(), b' ');
        for nl in memchr::memchr_iter(b'\n', bytes) {
            out[at + nl] = b'\n';
        }
    }
    let src = text.as_bytes();
    let mut out = Vec::with_capacity(src.len());
    let mut at = 0;
    for (s, e) in keep {
        blank(&mut out, &src[at..s]);
        out.extend_from_slice(&src[s..e]);
        at = e;
    }
    blank(&mut out, &src[at..]);
    // Whole blocks, delimited at ASCII bytes, are copied or replaced by ASCII: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Parses one `.tf`/`.tfvars` file into `arena`. A syntax error is a `parse-error` at its
/// position.
pub fn parse<'a>(
    arena: &'a Arena,
    file: FileId,
    text: &'a str,
    limits: &Limits,
) -> Result<Parsed<'a>, LoadProblem> {
    parse_checked(arena, file, text, limits, true)
}

/// [`parse`], with the depth check or without it (when done already).
fn parse_checked<'a>(
    arena: &'a Arena,
    file: FileId,
    text: &'a str,
    limits: &Limits,
    check_depth: bool,
) -> Result<Parsed<'a>, LoadProblem> {
    if check_depth {
        if let Some(p) = depth_problem(file, text, limits) {
            return Err(p);
        }
    }
    let mut renamed = HashMap::default();
    let mut current = text;
    loop {
        match parse_once(arena, file, current, limits.fast_hcl) {
            Ok(body) => {
                return Ok(Parsed {
                    body,
                    renamed,
                    json: None,
                    skipped: Vec::new(),
                })
            }
            Err((p, duplicate_key)) => {
                let Some(at) =
                    duplicate_key.filter(|at| renamed.len() < 256 && !renamed.contains_key(at))
                else {
                    return Err(p);
                };
                let Some((start, name, stand_in)) = stand_in(current, at, renamed.len()) else {
                    return Err(p);
                };
                let mut t = current.to_string();
                t.replace_range(start..start + stand_in.len(), &stand_in);
                renamed.insert(at, name);
                current = arena.alloc_str(&t);
            }
        }
    }
}

/// The key at `at` (an identifier, or a plain quoted string) and a stand-in of the same
/// length that no configuration writes: (where the name starts, the name, the stand-in).
fn stand_in(text: &str, at: usize, n: usize) -> Option<(usize, String, String)> {
    let rest = text.get(at..)?;
    let (start, len) = if let Some(q) = rest.strip_prefix('"') {
        (at + 1, q.find(['"', '\\', '$', '%'])?)
    } else {
        (
            at,
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len()),
        )
    };
    let name = text.get(start..start + len)?.to_string();
    if !name.is_ascii() {
        return None;
    }
    // `_` then `n` in binary as `_`/`-`: identifier characters nobody writes as a key.
    if len == 0 || (len - 1 < usize::BITS as usize && n >> (len - 1) != 0) {
        return None;
    }
    let stand_in: String = std::iter::once('_')
        .chain((0..len - 1).rev().map(|b| {
            if b < usize::BITS as usize && (n >> b) & 1 == 1 {
                '-'
            } else {
                '_'
            }
        }))
        .collect();
    Some((start, name, stand_in))
}

/// One parse: the problem, and where a duplicate object key starts when that is the error.
/// Whether the parse error at `at` is a second argument of a block opened on the same line
/// (`principals { type = "Federated" identifiers = [...] }`): HCL allows a one-line block one
/// argument at most, and hcl-edit's message does not say so.
fn second_one_line_argument(text: &str, at: usize) -> bool {
    let Some(before) = text.get(..at) else {
        return false;
    };
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    line.rfind('{')
        .is_some_and(|open| line[open..].contains('=') && !line[open..].contains('}'))
}

fn parse_once<'a>(
    arena: &'a Arena,
    file: FileId,
    text: &'a str,
    fast: bool,
) -> Result<Body<'a>, (LoadProblem, Option<usize>)> {
    if fast {
        // A panic there would be a bug of the fast path: hcl-edit reads the file.
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            super::fast::parse(arena, text)
        }));
        if let Ok(Some(body)) = read {
            return Ok(body.0);
        }
    }
    let parsed = hcl_edit::parser::parse_body(text);
    parsed.map(|b| super::ast::from_body(arena, &b)).map_err(|e| {
        let at = e.location().offset().min(text.len());
        let end = text[at..]
            .char_indices()
            .nth(1)
            .map_or(text.len(), |(i, _)| at + i);
        let mut message = e.message().trim().to_string();
        let duplicate = message.contains("redefined object key").then_some(at);
        if message.starts_with("invalid block body") && second_one_line_argument(text, at) {
            message.push_str(": a block written on one line holds at most one argument (Terraform: \"Invalid single-argument block definition\"); put each argument on a line of its own");
        }
        (
            LoadProblem {
                kind: ProblemKind::Parse,
                span: Span::new(file, at, end),
                message: format!(
                    "HCL: {}",
                    if message.is_empty() {
                        "invalid syntax"
                    } else {
                        &message
                    }
                ),
            },
            duplicate,
        )
    })
}

/// Byte offsets of the `#` of every `#` comment (the inline suppressions read them), found
/// by a scan that knows strings with nested `${...}` interpolations, heredocs and the other
/// comment forms.
pub fn comment_starts(text: &str) -> Vec<u32> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // Open contexts: `true` for a quoted string, `false` for an interpolation inside one.
    let mut stack: Vec<bool> = Vec::new();
    let mut i = 0;
    let line_end = |from: usize| {
        b[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |p| from + p)
    };
    while i < b.len() {
        let c = b[i];
        if stack.last() == Some(&true) {
            match c {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(false);
                    i += 1;
                }
                b'\n' => {
                    // Quoted strings end at the line; recover.
                    stack.clear();
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => stack.push(true),
            b'{' if !stack.is_empty() => stack.push(false),
            b'}' if !stack.is_empty() => {
                stack.pop();
            }
            b'#' => {
                out.push(i as u32);
                i = line_end(i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
                continue;
            }
            b'<' if stack.is_empty() && b.get(i + 1) == Some(&b'<') => {
                let mut j = i + 2;
                if b.get(j) == Some(&b'-') {
                    j += 1;
                }
                let id_end = b[j..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(b.len(), |p| j + p);
                let delim = &text[j..id_end];
                if !delim.is_empty() {
                    // The body ends at the first line that is the delimiter alone.
                    let mut k = line_end(id_end);
                    while k < b.len() {
                        let end = line_end(k + 1);
                        if text[k + 1..end].trim() == delim {
                            break;
                        }
                        k = end;
                    }
                    i = line_end(k.min(b.len()).saturating_add(1).min(b.len()));
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The parser recurses on nesting: what would exhaust the stack is refused first.
fn depth_problem(file: FileId, text: &str, limits: &Limits) -> Option<LoadProblem> {
    let max = limits.max_depth.min(128);
    too_deep(text, max).map(|at| LoadProblem {
        kind: ProblemKind::Limit,
        span: Span::empty(file, at),
        message: format!("nesting deeper than {max} levels; not read"),
    })
}

/// The first offset where brackets nest deeper than `max` (outside comments is not
/// tracked: an over-count only refuses absurd files earlier).
fn too_deep(text: &str, max: usize) -> Option<usize> {
    // Openers and closers found by two vectorised searches, merged in order (a byte loop
    // was a tenth of loading a real configuration).
    let b = text.as_bytes();
    // Nesting deeper than `max` needs more than `max` openers: counted first, in one
    // vectorised pass (most files have far fewer, and the merge below costs a call per
    // bracket).
    if openers(b) <= max {
        return None;
    }
    let mut opens = memchr::memchr3_iter(b'{', b'[', b'(', b).peekable();
    let mut closes = memchr::memchr3_iter(b'}', b']', b')', b).peekable();
    let mut depth = 0usize;
    loop {
        let (o, c) = (opens.peek().copied(), closes.peek().copied());
        match o {
            Some(o) if c.is_none_or(|c| o < c) => {
                depth += 1;
                if depth > max {
                    return Some(o);
                }
                opens.next();
            }
            _ if c.is_some() => {
                depth = depth.saturating_sub(1);
                closes.next();
            }
            _ => return None,
        }
    }
}

/// How many `{`, `[` and `(` `b` holds: counted in blocks of at most 255 bytes into one byte
/// each, which the compiler vectorises (a count into a `usize` per byte it did not).
fn openers(b: &[u8]) -> usize {
    b.chunks(255)
        .map(|block| {
            block
                .iter()
                .fold(0u8, |n, &c| n + u8::from(matches!(c, b'{' | b'[' | b'(')))
                as usize
        })
        .sum()
}

/// The directory part of a display path (`""` for the current directory): a module's
/// directory, which Terraform references are scoped to.
pub fn dir_of(display: &str) -> &str {
    // A byte search (`/` is ASCII, so this is `rfind('/')`): asked for every file and
    // resource, `rfind`'s char searcher cost several times more.
    let b = display.as_bytes();
    b.iter()
        .rposition(|&c| c == b'/')
        .map_or("", |i| &display[..i])
}

/// Evaluates every module directory: `units` are the `.tf`/`.tfvars` files, with the
/// native-syntax text of a JSON configuration or `terragrunt.hcl` (the source map holds the
/// JSON); `sources` every input's text (for `file()` and the names of unknowns). A
/// directory's files are parsed into its arena when it is evaluated and the arena emptied
/// when it is done, so at most one directory's trees per thread are alive at once (every tree
/// kept until all files were parsed made HCL the largest part of peak memory). Returns the
/// resources and the files' parse problems.
pub fn evaluate(
    units: Vec<(FileId, Option<Rewritten>)>,
    sources: &SourceMap,
    limits: &Limits,
) -> (Vec<Resource>, Vec<LoadProblem>) {
    let e = evaluate_inputs(units, sources, limits);
    (e.resources, e.problems)
}

/// What evaluating the configurations gives.
pub struct Evaluated {
    pub resources: Vec<Resource>,
    pub problems: Vec<LoadProblem>,
    /// The input files a `templatefile()` the evaluation met reads, sorted: Terraform
    /// templates, whose rendering is what the configuration uses (the load stage does not
    /// read them as documents of their own, see `load`).
    pub templates: Vec<FileId>,
    /// The other input files a `templatefile()` call of the configuration names, sorted:
    /// calls evaluation does not read (a `local_file`'s `content`, an attribute of a
    /// resource type no model reads), whose files are still read as documents of their own,
    /// with `${…}` placeholders Terraform fills when it renders them.
    pub rendered_unread: Vec<FileId>,
    /// The local module sources (`source = "../../modules/irsa"`) whose directory holds no
    /// input file, with the file that calls each, in file order: those calls are not
    /// expanded, so what they make is unknown (`lint --explain` lists them).
    pub unread_modules: Vec<(FileId, String)>,
    /// Where the pieces of the strings local modules composed from their callers' values
    /// were written.
    pub origins: super::Origins,
}

/// [`evaluate`], with the templates it read.
pub fn evaluate_inputs(
    units: Vec<(FileId, Option<Rewritten>)>,
    sources: &SourceMap,
    limits: &Limits,
) -> Evaluated {
    evaluate_parsed_with(
        units,
        Vec::new(),
        sources,
        limits,
        parse_module_files,
        false,
    )
}

/// [`evaluate_inputs`] as the load stage runs it, which holds nothing longer than it must:
/// `texts` are native files' texts taken out of the source map (each file's that can be
/// read again, in the order of their `units`), each directory's moved into its evaluation and freed when it ends (a called
/// directory's when every root is done); and the bodies nothing reads after evaluation are
/// dropped as each directory is done ([`super::resources::drop_rendered_documents`]). All
/// texts held until every directory was evaluated were, at 10k apps with Terraform, 6 MB
/// the YAML loader, which lets each text go after its parse, never holds. A text asked for
/// after its directory is done (`file()` of another root's `.tf`, a later stage) is read
/// again from disk, as any released text is.
pub fn evaluate_loaded(
    units: Vec<(FileId, Option<Rewritten>)>,
    texts: Vec<(FileId, String)>,
    sources: &SourceMap,
    limits: &Limits,
) -> Evaluated {
    evaluate_parsed_with(units, texts, sources, limits, parse_module_files, true)
}

/// Texts taken out of the source map, by file (see [`evaluate_loaded`]).
type Owned = Vec<(FileId, String)>;

/// File `id`'s text among `own`, which is in file order (the units come in file order): a
/// binary search, since `Env::text` asks for a text at every unknown it names and a directory
/// may hold hundreds of files.
fn owned_text(own: &[(FileId, String)], id: FileId) -> Option<&str> {
    own.binary_search_by_key(&id, |(i, _)| *i)
        .ok()
        .map(|i| own[i].1.as_str())
}

/// How a module directory's native `.tf` files are parsed: the files, the texts of the
/// directory's other configuration files, the limits, whether it is a local module's
/// (outputs kept); a result per file.
type ParseModule = for<'a> fn(
    &'a Arena,
    &[(FileId, &'a str)],
    &[&str],
    &Limits,
    bool,
) -> Vec<Result<Parsed<'a>, LoadProblem>>;

/// A file rewritten as native syntax (see [`Pending::Rewritten`]).
pub type Rewritten = Box<super::json_config::Virtual>;

/// At most this many local module calls are followed one inside another (a call deeper
/// than that, or of a module already being expanded, is left unexpanded: its outputs
/// unknown, as a module whose source is not among the inputs).
const MAX_MODULE_DEPTH: usize = 8;

/// At most this many local module instances are evaluated under one root module; the
/// calls past it are left unexpanded.
const MAX_MODULE_INSTANCES: usize = 256;

/// The parsed `.tf` files of each directory the inputs call as a local module, by its
/// lexical path, with the directory as its files' paths write it.
type Callees<'p> = HashMap<String, (&'p str, Vec<(FileId, Parsed<'p>)>)>;

/// [`evaluate`], parsing a module's `.tf` files with `parse_tf`.
///
/// Every directory is a module. A directory that another one calls as a local module
/// (`source = "../modules/irsa"`, `"../../"`) is evaluated through its calls, as Terraform
/// does: with each call's arguments as its variables, its resources under the call's
/// address, its outputs the caller's `module.<name>.<output>`. It is not also evaluated on
/// its own with its variables' defaults (that would report what its callers do not
/// configure, or twice what they do), unless nothing among the inputs reaches it from a
/// directory nobody calls (the members of a cycle of calls). The other directories are the
/// roots.
fn evaluate_parsed_with(
    units: Vec<(FileId, Option<Rewritten>)>,
    texts: Owned,
    sources: &SourceMap,
    limits: &Limits,
    parse_tf: ParseModule,
    prune: bool,
) -> Evaluated {
    use rayon::prelude::*;
    // Directories in the order their first file comes, each with its files' taken texts.
    type Files = Vec<(FileId, Option<Rewritten>)>;
    let group = || {
        let mut dirs: Vec<(&str, Files, Owned)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::default();
        let mut texts = texts.into_iter().peekable();
        for (id, parsed) in units {
            let dir = dir_of(&sources.get(id).path);
            let d = *index.entry(dir).or_insert_with(|| {
                dirs.push((dir, Vec::new(), Vec::new()));
                dirs.len() - 1
            });
            dirs[d].1.push((id, parsed));
            if let Some(text) = texts.next_if(|(t, _)| *t == id) {
                dirs[d].2.push(text);
            }
        }
        // Which directories each one calls as a local module: by their lexical paths.
        let keys: Vec<String> = dirs
            .par_iter()
            .map(|(d, _, _)| crate::source::discover::lexical(d))
            .collect();
        (dirs, keys)
    };
    let paths = || -> HashMap<&str, FileId> {
        sources
            .files()
            .iter()
            .map(|f| (f.path.as_str(), f.id))
            .collect()
    };
    // Side by side: this stage is serial, between the load's and the evaluation's
    // parallel ones.
    let ((dirs, keys), by_path) = rayon::join(group, paths);
    let by_key: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    // And which local sources name a directory with no input file: the call stays
    // unexpanded (its outputs unknown), which `lint --explain` says.
    type Outside = Vec<(FileId, String)>;
    let (calls, outside): (Vec<Vec<usize>>, Vec<Outside>) = dirs
        .par_iter()
        .enumerate()
        .map(|(i, (_, files, own))| {
            let mut out = Vec::new();
            let mut outside = Vec::new();
            for (id, p) in files {
                let f = sources.get(*id);
                if super::json_config::is_tfvars(&f.path) {
                    continue;
                }
                let found = match p {
                    Some(v) => parse(&Arena::new(), *id, &v.text, limits)
                        .map(|p| parsed_local_sources(&p))
                        .unwrap_or_default(),
                    None => {
                        let text = owned_text(own, *id).unwrap_or_else(|| f.text());
                        local_sources(*id, text, limits)
                    }
                };
                for s in found {
                    let target = local_dir(&keys[i], &s).and_then(|t| by_key.get(t.as_str()));
                    match target {
                        Some(&j) if j != i && !out.contains(&j) => out.push(j),
                        Some(_) => {}
                        None => outside.push((*id, s)),
                    }
                }
            }
            (out, outside)
        })
        .unzip();
    let mut unread_modules: Vec<(FileId, String)> = outside.into_iter().flatten().collect();
    let mut seen = HashSet::default();
    unread_modules.retain(|x| seen.insert(x.clone()));
    let n = dirs.len();
    let mut called = vec![false; n];
    for c in calls.iter().flatten() {
        called[*c] = true;
    }
    // The roots: the directories nobody calls, then (in order) any called one that no root
    // reaches.
    let mut root: Vec<bool> = called.iter().map(|c| !c).collect();
    let mut reached = root.clone();
    let mut stack: Vec<usize> = (0..n).filter(|&i| root[i]).collect();
    loop {
        while let Some(i) = stack.pop() {
            for &j in &calls[i] {
                if !reached[j] {
                    reached[j] = true;
                    stack.push(j);
                }
            }
        }
        match (0..n).find(|&i| !reached[i]) {
            Some(i) => {
                root[i] = true;
                reached[i] = true;
                stack.push(i);
            }
            None => break,
        }
    }
    // Per directory: its resources, the templates it read and its composed strings' origins,
    // and its problems.
    type PerDir = (Evaluation, Vec<LoadProblem>);
    /// A directory's `files` parsed into `arena`, and their problems.
    fn parse_files<'a>(
        arena: &'a Arena,
        files: Files,
        own: &'a [(FileId, String)],
        called: bool,
        sources: &'a SourceMap,
        limits: &Limits,
        parse_tf: ParseModule,
    ) -> (Vec<(FileId, Parsed<'a>)>, Vec<LoadProblem>) {
        let mut problems = Vec::new();
        // The native `.tf` files are parsed together: what one keeps decides what
        // another's `locals` must keep.
        let native = |(id, p): &(FileId, Option<Rewritten>)| {
            p.is_none() && !super::json_config::is_tfvars(&sources.get(*id).path)
        };
        let text = |id: FileId| owned_text(own, id).unwrap_or_else(|| sources.get(id).text());
        let tf: Vec<(FileId, &str)> = files
            .iter()
            .filter(|f| native(f))
            .map(|(id, _)| (*id, text(*id)))
            .collect();
        let others: Vec<&str> = files
            .iter()
            .filter(|f| !native(f))
            .map(|(id, _)| text(*id))
            .collect();
        let mut tf_parsed = parse_tf(arena, &tf, &others, limits, called).into_iter();
        let parsed: Vec<(FileId, Parsed)> = files
            .into_iter()
            .filter_map(|(id, p)| {
                let p = match p {
                    // Its text copied into the arena: the tree borrows it, and the file's
                    // `Virtual` moves into what the parse gives.
                    Some(v) => parse(arena, id, arena.alloc_str(&v.text), limits).map(|mut p| {
                        p.json = Some(*v);
                        p
                    }),
                    None => {
                        if super::json_config::is_tfvars(&sources.get(id).path) {
                            parse(arena, id, text(id), limits)
                        } else {
                            tf_parsed
                                .next()
                                .unwrap_or_else(|| parse(arena, id, text(id), limits))
                        }
                    }
                };
                p.map_err(|e| problems.push(e)).ok().map(|p| (id, p))
            })
            .collect();
        (parsed, problems)
    }
    // The called directories are parsed once, with their outputs, and kept until every
    // root is evaluated; the others are parsed when evaluated and dropped then.
    // Each directory's taken texts go with it.
    let mut callee_dirs = Vec::new();
    let mut callee_texts: Vec<Owned> = Vec::new();
    let mut root_dirs = Vec::new();
    for (i, (dir, files, own)) in dirs.into_iter().enumerate() {
        if called[i] {
            callee_dirs.push((i, dir, files));
            callee_texts.push(own);
        } else {
            root_dirs.push((i, dir, files, own));
        }
    }
    // The called directories' texts by file, for every evaluation that reads them.
    let callee_text: HashMap<FileId, &str> = callee_texts
        .iter()
        .flatten()
        .map(|(id, t)| (*id, t.as_str()))
        .collect();
    // Per called directory: its index, its directory, its parsed files and their problems.
    type ParsedDir<'d> = (usize, &'d str, Vec<(FileId, Parsed<'d>)>, Vec<LoadProblem>);
    // An arena each, kept until every root is evaluated.
    let mut callee_arenas: Vec<Arena> = callee_dirs.iter().map(|_| Arena::new()).collect();
    let parsed_callees: Vec<ParsedDir> = callee_dirs
        .into_par_iter()
        .zip(callee_arenas.par_iter_mut())
        .zip(callee_texts.par_iter())
        .map(|(((i, dir, files), arena), own)| {
            let arena: &Arena = arena;
            let (parsed, problems) =
                parse_files(arena, files, own, true, sources, limits, parse_tf);
            (i, dir, parsed, problems)
        })
        .collect();
    let mut problems = Vec::new();
    let mut callees: Callees = HashMap::default();
    let mut callee_roots = Vec::new();
    for (i, dir, parsed, p) in parsed_callees {
        problems.extend(p);
        if root[i] {
            callee_roots.push(i);
        }
        callees.insert(keys[i].clone(), (dir, parsed));
    }
    enum Unit<'u> {
        Own(&'u str, Files),
        Callee(&'u str),
    }
    // Each with the texts taken of its own files.
    let mut units: Vec<(usize, Unit, Owned)> = root_dirs
        .into_iter()
        .map(|(i, dir, files, own)| (i, Unit::Own(dir, files), own))
        .collect();
    units.extend(
        callee_roots
            .into_iter()
            .map(|i| (i, Unit::Callee(&keys[i]), Vec::new())),
    );
    units.sort_by_key(|(i, _, _)| *i);
    // Modules are independent: evaluated in parallel, results in directory order.
    let callees = &callees;
    let callee_text = &callee_text;
    let by_path = &by_path;
    let per_dir: Vec<PerDir> = units
        .into_par_iter()
        .map(|(_, unit, own)| {
            with_arena(|arena| {
                let env = Env {
                    sources,
                    own: &own,
                    callee_text,
                    by_path,
                    limits,
                    callees,
                    arena,
                    skipped: RefCell::default(),
                    whole: RefCell::default(),
                    shared: Shared::default(),
                };
                let mut done = match unit {
                    Unit::Own(dir, files) => {
                        let (parsed, problems) =
                            parse_files(arena, files, &own, false, sources, limits, parse_tf);
                        let refs: Vec<(FileId, &Parsed)> =
                            parsed.iter().map(|(id, p)| (*id, p)).collect();
                        (evaluate_module(&env, dir, &refs), problems)
                    }
                    Unit::Callee(key) => {
                        let (dir, parsed) = &callees[key];
                        let refs: Vec<(FileId, &Parsed)> =
                            parsed.iter().map(|(id, p)| (*id, p)).collect();
                        (evaluate_module(&env, dir, &refs), Vec::new())
                    }
                };
                if prune {
                    super::resources::drop_rendered_documents(&mut done.0.resources);
                }
                done
            })
        })
        .collect();
    // Sized once: grown by doubling, the list of every resource left its abandoned copies
    // behind (about 6 MB at 10k apps with Terraform).
    let mut resources = Vec::with_capacity(per_dir.iter().map(|(e, _)| e.resources.len()).sum());
    let mut templates = Vec::new();
    let mut named = Vec::new();
    let mut origins = super::Origins::default();
    for (e, p) in per_dir {
        resources.extend(e.resources);
        problems.extend(p);
        templates.extend(e.templates);
        named.extend(e.named_templates);
        origins.extend(e.origins);
    }
    templates.sort_unstable();
    templates.dedup();
    named.sort_unstable();
    named.dedup();
    named.retain(|id| templates.binary_search(id).is_err());
    Evaluated {
        resources,
        problems,
        templates,
        rendered_unread: named,
        unread_modules,
        origins,
    }
}

/// Runs `f` with this thread's arena, emptied when it returns (its largest chunk kept for
/// the next directory, up to [`KEPT_ARENA`]: one allocation per thread, not several per
/// directory).
fn with_arena<R>(f: impl FnOnce(&Arena) -> R) -> R {
    thread_local! {
        static ARENA: std::cell::Cell<Option<Arena>> = const { std::cell::Cell::new(None) };
    }
    // (A directory evaluated on this thread while `f` waits would find none: it makes its
    // own.)
    let mut arena = ARENA.take().unwrap_or_default();
    let r = f(&arena);
    arena.reset();
    if arena.allocated_bytes() <= KEPT_ARENA {
        ARENA.set(Some(arena));
    }
    r
}

/// The largest arena a thread keeps for its next directory: one that held a directory of
/// huge files is freed, not held until the evaluation ends.
const KEPT_ARENA: usize = 4 << 20;

/// What the evaluation of one root module and of the local modules it calls reads.
struct Env<'e> {
    sources: &'e SourceMap,
    /// The texts taken out of `sources` of the root's own files (see [`evaluate_loaded`]).
    own: &'e [(FileId, String)],
    /// And those of the called directories' files.
    callee_text: &'e HashMap<FileId, &'e str>,
    by_path: &'e HashMap<&'e str, FileId>,
    limits: &'e Limits,
    callees: &'e Callees<'e>,
    /// Where the trees evaluation parses are built: the root's files, the blocks parsed on
    /// demand, the templates `templatefile()` reads.
    arena: &'e Arena,
    /// The resource blocks of called modules parsed on demand (see
    /// [`Module::parse_skipped`]), by file and offset.
    skipped: RefCell<SkippedParses<'e>>,
    /// Files parsed whole to find their `templatefile()` calls (see
    /// [`Module::note_named_templates`]), once for every call instance of their module.
    whole: RefCell<HashMap<FileId, Option<Rc<Parsed<'e>>>>>,
    shared: Shared,
}

impl<'e> Env<'e> {
    /// File `id`'s text: taken for the evaluation, or the source map's.
    fn text(&self, id: FileId) -> &'e str {
        owned_text(self.own, id)
            .or_else(|| self.callee_text.get(&id).copied())
            .unwrap_or_else(|| self.sources.get(id).text())
    }
}

/// Parsed skipped blocks by (file, offset); `None`: the block does not parse.
type SkippedParses<'e> = HashMap<(FileId, usize), Option<Rc<Parsed<'e>>>>;

/// What the modules evaluated under one root share.
#[derive(Default)]
struct Shared {
    /// Where each byte of a `templatefile()` result that is not JSON is in its template (one
    /// more entry for the end), by (template, result): a directive (`%{ if }`, `%{ for }`)
    /// makes the result differ from the file's text, so only the rendering knows.
    rendered: RefCell<HashMap<(FileId, String), ByteTable>>,
    /// The input files `templatefile()` reads (see [`Evaluated::templates`]).
    templates: RefCell<HashSet<FileId>>,
    /// The input files a `templatefile()` call anywhere in the modules names, evaluated or
    /// not (see [`Module::note_named_templates`]).
    named_templates: RefCell<HashSet<FileId>>,
    /// Local module instances evaluated so far (see [`MAX_MODULE_INSTANCES`]).
    instances: std::cell::Cell<usize>,
    /// The strings local modules composed from what their callers passed in (see
    /// [`super::Origins`]).
    origins: RefCell<super::Origins>,
}

/// How a local module is called: what its evaluation needs from the caller.
struct CallSite<'m> {
    /// The module's address (`module.irsa`, `module.platform.module.irsa["web"]`).
    prefix: String,
    /// The call's arguments by name (each keeps the span of what the caller wrote).
    inputs: HashMap<String, Node>,
    /// The root module's file the resources belong to (see [`Resource::file`]).
    root_file: FileId,
    /// The root module's directory (`path.root`).
    root_dir: &'m str,
    /// The module directories being expanded, outermost first, this one last.
    chain: Vec<&'m str>,
    /// The `module` block's label in the caller's file (see [`Resource::call`]).
    call: Span,
    /// The caller's own `call` (`None`: the caller is a root): the instance that evaluated
    /// the values passed in (see [`super::Origins`]).
    parent: Option<Span>,
}

/// Evaluates the root module of directory `dir` (its files `files`) and the local modules
/// it calls.
/// What evaluating one root module (and the local modules it calls) gives.
struct Evaluation {
    resources: Vec<Resource>,
    /// See [`Evaluated::templates`].
    templates: HashSet<FileId>,
    /// Every file a `templatefile()` call names (see [`Module::note_named_templates`]).
    named_templates: HashSet<FileId>,
    origins: super::Origins,
}

fn evaluate_module<'e>(
    env: &'e Env<'e>,
    dir: &'e str,
    files: &[(FileId, &'e Parsed<'e>)],
) -> Evaluation {
    let mut out = Vec::new();
    {
        let m = Module::new(env, dir, files, None);
        m.resources(&mut out);
        m.note_named_templates(files);
        m.remap_json(&mut out);
    }
    let mut origins = env.shared.origins.take();
    if !origins.is_empty() {
        // Spans into the native-syntax text of a `.tf.json` file (the root's or a called
        // module's) mapped back to the JSON, as `remap_json` maps the resources'.
        let called = env.callees.values().flat_map(|(_, p)| p.iter());
        let json: HashMap<FileId, &super::json_config::Virtual> = files
            .iter()
            .map(|(id, p)| (*id, *p))
            .chain(called.map(|(id, p)| (*id, p)))
            .filter_map(|(id, p)| Some((id, p.json.as_ref()?)))
            .collect();
        if !json.is_empty() {
            origins.remap(|s| json.get(&s.file).map_or(s, |v| v.span(s)));
        }
    }
    Evaluation {
        resources: out,
        templates: env.shared.templates.take(),
        named_templates: env.shared.named_templates.take(),
        origins,
    }
}

/// Values bound by `for` expressions, `dynamic` blocks, `count` and `for_each`.
#[derive(Clone, Default)]
struct Scope {
    vars: Vec<(String, Node)>,
}

impl Scope {
    fn with(&self, name: &str, value: Node) -> Scope {
        let mut s = self.clone();
        s.vars.push((name.to_string(), value));
        s
    }

    fn get(&self, name: &str) -> Option<&Node> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// The regular expression `replace()` is given to take an OIDC provider ARN to its issuer
/// (`replace(var.eks_oidc_provider_arn, "/^(.*provider/)/", "")`).
const PROVIDER_PREFIX_REGEX: &str = "/^(.*provider/)/";

/// Whether a reference is one whose value is the EKS cluster's issuer URL, a known fact
/// (terraform-aws-modules/eks `cluster_oidc_issuer_url`, the cluster's
/// `identity[0].oidc[0].issuer`): the reference evaluates to `https://` and an unknown of its
/// name, so an unknown of that name alone is the URL without its scheme.
fn is_issuer_url_fact(reference: &str) -> bool {
    // Most references have no blank to take out: read as they are, without a copy (the
    // copy was most of this test's cost). ASCII whitespace is `\t` to `\r` and the space;
    // a non-ASCII character may be Unicode whitespace.
    let b = reference.as_bytes();
    let owned: String;
    let compact = if b.iter().all(|&c| c > b' ' && c < 0x80) {
        reference
    } else {
        owned = reference.chars().filter(|c| !c.is_whitespace()).collect();
        owned.as_str()
    };
    (compact.ends_with(".cluster_oidc_issuer_url")
        || compact.ends_with("identity[0].oidc[0].issuer")
        || compact.ends_with("identity.0.oidc.0.issuer"))
        && !compact.starts_with("var.")
        && !compact.starts_with("local.")
}

/// The name of the issuer URL fact `reference` without its scheme, as `trimprefix()` of it
/// is named (see [`Module::trimmed_to_unknown`]).
fn schemeless_issuer(reference: &str) -> String {
    ["trimprefix(", reference, ", \"https://\")"].concat()
}

/// The scope variable holding the instance address of the resource that the variable `var`
/// (`each.value`, or a `for` expression's value variable) iterates over: `for_each =
/// aws_iam_role.x` binds it to `aws_iam_role.x["web"]`, so `each.value.arn`, which the
/// configuration does not set, is named as that instance's `arn` and links by address (see
/// [`COMPUTED`]). The space keeps it apart from every HCL identifier.
fn address_var(var: &str) -> String {
    format!("{var} address")
}

/// Whether an instance address is a module call's (`module.irsa["web"]`, also nested:
/// `module.platform.module.irsa["web"]`), not a resource's.
fn is_module_address(address: &str) -> bool {
    let mut rest = address;
    let mut calls = 0;
    while let Some(r) = rest.strip_prefix("module.") {
        calls += 1;
        let end = r.find(['.', '[']).unwrap_or(r.len());
        rest = &r[end..];
        if let Some(k) = rest.strip_prefix('[') {
            match k.find(']') {
                Some(i) => rest = &k[i + 1..],
                None => return false,
            }
        }
        match rest.strip_prefix('.') {
            Some(r) => rest = r,
            None => return calls > 0 && rest.is_empty(),
        }
    }
    false
}

/// The attributes of a resource the provider computes when the configuration leaves them
/// out, which a reference to a known instance names by address (`aws_iam_role.x["web"].arn`):
/// those a link by address compares ([`super::resources::refers_to`]).
const COMPUTED: [&str; 4] = ["arn", "name", "id", "unique_id"];

/// Where each byte of a rendered text is in its file (see [`Shared::rendered`]).
type ByteTable = std::rc::Rc<Vec<u32>>;

/// At most this many instances of one block are evaluated one by one; a larger known
/// `count`/`for_each` is evaluated once as a template (its `each`/`count` unknown).
const MAX_INSTANCES: usize = 64;

/// The instances `count`/`for_each` give a block.
enum Instances {
    /// Certainly none (`count = 0`, an empty `for_each`).
    None,
    /// Neither `count` nor `for_each`: the block itself, no instance key.
    Single,
    /// A known collection: each instance's key (`0`, `"a"`) and the scope binding its
    /// `count.index` or `each.key`/`each.value`.
    Keyed(Vec<(Node, Scope)>),
    /// A collection the inputs do not fix: one template whose `count.index` or
    /// `each.key`/`each.value` are unknown, so only what every instance shares is known.
    Template(Scope),
}

/// `each` for one instance.
fn each(key: Node, value: Node, span: Span) -> Node {
    node(
        Value::Map(
            vec![
                Entry {
                    key: string("key", span),
                    value: key,
                },
                Entry {
                    key: string("value", span),
                    value,
                },
            ]
            .into(),
        ),
        span,
    )
}

/// The (key, value) pairs of a `for_each` collection when every key is known: a map's
/// entries, or a set of strings (each element is its own key, repeats collapse, as in
/// `toset`). `None` when the collection or a key is unknown or not a string.
fn for_each_items(v: &Node) -> Option<Vec<(Node, Node)>> {
    if is_unknown(v) {
        return None;
    }
    let known_str = |n: &Node| n.as_str().is_some() && !is_unknown(n);
    match &v.value {
        Value::Map(m) => m
            .iter()
            .map(|e| known_str(&e.key).then(|| (e.key.clone(), e.value.clone())))
            .collect(),
        Value::Seq(items) => {
            let mut out: Vec<(Node, Node)> = Vec::new();
            for i in items {
                if !known_str(i) {
                    return None;
                }
                if !out.iter().any(|(k, _)| k.as_str() == i.as_str()) {
                    out.push((i.clone(), i.clone()));
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// A resource as a reference to `<kind>.<name>` sees it.
enum Referenced {
    /// No `count`/`for_each` (or a collection the inputs do not fix: the template): one
    /// body.
    One(Rc<Node>),
    /// Known instances: each one's key and body, the body [`Module::resources`] emits.
    /// `by_key`: `for_each` keys (a map), else `count` indexes (a list).
    Keyed {
        by_key: bool,
        bodies: Vec<(Node, Rc<Node>)>,
        /// The block's (the collection's span).
        span: Span,
    },
}

/// The instances' bodies as one value, as Terraform gives `<kind>.<name>`: a map by
/// `for_each` key or a list by `count` index.
fn collection(by_key: bool, bodies: &[(Node, Rc<Node>)], span: Span) -> Node {
    let body = |b: &Rc<Node>| (**b).clone();
    if by_key {
        node(
            Value::Map(
                bodies
                    .iter()
                    .map(|(key, b)| Entry {
                        key: key.clone(),
                        value: body(b),
                    })
                    .collect(),
            ),
            span,
        )
    } else {
        node(
            Value::Seq(bodies.iter().map(|(_, b)| body(b)).collect()),
            span,
        )
    }
}

/// An instance key as Terraform prints it in an address: `[0]`, `["a"]`.
fn instance_suffix(key: &Node) -> String {
    match (&key.value, key.as_str()) {
        (_, Some(s)) => format!("[{}]", serde_json::Value::String(s.to_string())),
        (Value::Int(i), _) => format!("[{i}]"),
        _ => String::new(),
    }
}

struct Module<'m> {
    dir: &'m str,
    env: &'m Env<'m>,
    sources: &'m SourceMap,
    by_path: &'m HashMap<&'m str, FileId>,
    limits: &'m Limits,
    /// How this module is called, when it is a local module's instance (`None`: a root).
    call: Option<CallSite<'m>>,
    /// Its `output` blocks (a local module's: the root's are not parsed).
    outputs: Vec<(FileId, &'m Block<'m>)>,
    /// The local module calls it makes, evaluated, by call name (`None`: not expanded).
    calls: RefCell<SmallMap<String, Option<Rc<Call<'m>>>>>,
    /// The native-syntax text of JSON configuration files (see [`Parsed::json`]).
    json: std::collections::HashMap<FileId, &'m super::json_config::Virtual>,
    /// By name, as the parsed files spell it (borrowed: a copy of each name was an
    /// allocation per variable and local).
    vars: SmallMap<&'m str, (FileId, &'m Expression<'m>)>,
    /// `None`: variable files disagree.
    tfvars: SmallMap<&'m str, Option<(FileId, &'m Expression<'m>)>>,
    locals: SmallMap<&'m str, (FileId, &'m Expression<'m>)>,
    blocks: Vec<(FileId, &'m Block<'m>)>,
    /// The first of `blocks` with each (block type, first label, second label).
    block_index: SmallMap<(&'m str, &'m str, &'m str), usize>,
    /// Resource blocks the parse left out (see [`Parsed::skipped`]).
    skipped: Vec<(FileId, &'m Skipped)>,
    /// Duplicate object keys parsed under a stand-in name (see [`Parsed::renamed`]); a
    /// skipped block parsed on demand adds its own.
    renamed: RefCell<SmallMap<(FileId, usize), String>>,
    local_cache: RefCell<SmallMap<String, Node>>,
    /// Resource and data source bodies by instance address (`aws_iam_role.x`,
    /// `aws_iam_role.x["k"]`, `data.aws_iam_policy_document.d[0]`), once evaluated, shared
    /// by every reference and by [`Module::resources`]: each instance is evaluated once.
    block_cache: RefCell<SmallMap<String, Rc<Node>>>,
    /// Resources as references see them (see [`Module::resource_body`]), by address
    /// without instance key (`None`: no instance).
    ref_cache: RefCell<SmallMap<String, Option<Rc<Referenced>>>>,
    /// Rendered `aws_iam_policy_document`s by instance address (see
    /// [`Module::policy_document`]).
    doc_cache: RefCell<SmallMap<String, Rendered>>,
    /// What is being evaluated (addresses, local names, guards of calls and instances),
    /// innermost last: a key met again is a cycle. A stack, since each evaluation ends
    /// before the one that started it: its key is moved into the cache that keeps the
    /// result, not copied (a set took a copy of every address and local evaluated).
    in_progress: RefCell<Vec<String>>,
    depth: std::cell::Cell<usize>,
    /// How many expressions the depth limit turned unknown so far: a body evaluated deep in
    /// a chain of references may be cut short where the same body evaluated from the top
    /// (as [`Module::resources`] does) is not, so such a body is not kept for it (see
    /// [`Module::block_body`]).
    refused: std::cell::Cell<usize>,
}

/// Tests: every template made the general way (see [`Module::plain_template`]), to compare.
#[cfg(test)]
static GENERAL_TEMPLATES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// What [`Module::doc_cache`] knows of a policy document.
enum Rendered {
    /// Rendered once, and given to its reader.
    Once,
    /// Rendered again for a second reader, and kept for any other.
    Kept(Option<Node>),
}

/// A local module call, evaluated (see [`Module::local_call`]).
struct Call<'m> {
    /// `None`: one instance (no `count`/`for_each`, or a collection the inputs do not fix:
    /// the template); `Some(by_key)`: known instances, by `for_each` key or `count` index.
    keyed: Option<bool>,
    instances: Vec<CallInstance<'m>>,
    /// The `module` block's.
    span: Span,
}

/// One instance of a local module call.
struct CallInstance<'m> {
    /// Its `count.index` or `each.key` (`None` for a single instance or the template).
    key: Option<Node>,
    /// The block's arguments as evaluated for it (the `module` resource's body).
    args: Node,
    /// The resources it declares, under its address; moved out by [`Module::resources`].
    resources: RefCell<Vec<Resource>>,
    /// The instance's module, kept to evaluate its outputs when something reads them.
    module: Module<'m>,
    /// Whether it declares one role (see [`Module::output_value`]).
    one_role: bool,
    /// Its outputs evaluated so far, by their place in `module.outputs` (an output is
    /// evaluated when a reference reads it, once: most outputs of a module are read by
    /// nobody).
    outputs: RefCell<Vec<Option<Entry>>>,
}

impl CallInstance<'_> {
    /// Its `i`th `output` block as the caller's `module.<name>` sees it (`None`: the block
    /// has no name or no `value`).
    fn output(&self, i: usize) -> Option<Entry> {
        if let Some(e) = self.outputs.borrow().get(i).and_then(|e| e.as_ref()) {
            return Some(e.clone());
        }
        let e = self.module.output_value(i, self.one_role)?;
        if let Some(slot) = self.outputs.borrow_mut().get_mut(i) {
            *slot = Some(e.clone());
        }
        Some(e)
    }

    /// The output `name` (the last block of that name, as a map lookup finds it).
    fn named_output(&self, name: &str) -> Option<Node> {
        (0..self.module.outputs.len())
            .rev()
            .filter(|&i| {
                self.module.outputs[i]
                    .1
                    .labels
                    .first()
                    .is_some_and(|l| l.as_str() == name)
            })
            .find_map(|i| self.output(i))
            .map(|e| e.value)
    }

    /// Its outputs by name (`span`: the call's, for the map).
    fn outputs(&self, span: Span) -> Node {
        let entries: Vec<Entry> = (0..self.module.outputs.len())
            .filter_map(|i| self.output(i))
            .collect();
        node(Value::Map(entries.into()), span)
    }
}

impl Call<'_> {
    /// `module.<name>` as a value: the instance's outputs, or for known instances a map by
    /// `for_each` key or a list by `count` index of them; `None` when there is none.
    fn value(&self) -> Option<Node> {
        match self.keyed {
            None => self.instances.first().map(|i| i.outputs(self.span)),
            Some(true) => Some(node(
                Value::Map(
                    self.instances
                        .iter()
                        .filter_map(|i| {
                            Some(Entry {
                                key: i.key.clone()?,
                                value: i.outputs(self.span),
                            })
                        })
                        .collect(),
                ),
                self.span,
            )),
            Some(false) => Some(node(
                Value::Seq(
                    self.instances
                        .iter()
                        .map(|i| i.outputs(self.span))
                        .collect(),
                ),
                self.span,
            )),
        }
    }
}

/// Resource and data source types whose values the model reads; others are not evaluated.
const READ_KINDS: &[&str] = &[
    "aws_iam_role",
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_iam_role_policy_attachments_exclusive",
    "aws_iam_openid_connect_provider",
    "aws_iam_policy_document",
    // Only as `data.template_file.x.rendered` is read (not a resource of the model).
    "template_file",
    "aws_eks_pod_identity_association",
    "aws_eks_addon",
    // Only that it is there: the root's ServiceAccounts are on an EKS cluster.
    "aws_eks_cluster",
    "kubernetes_service_account",
    "kubernetes_service_account_v1",
    "kubernetes_deployment",
    "kubernetes_deployment_v1",
    "kubernetes_daemonset",
    "kubernetes_daemon_set_v1",
    "kubernetes_stateful_set",
    "kubernetes_stateful_set_v1",
    "kubernetes_job",
    "kubernetes_job_v1",
    "kubernetes_cron_job",
    "kubernetes_cron_job_v1",
    "kubernetes_pod",
    "kubernetes_pod_v1",
    "helm_release",
    "kubernetes_manifest",
    super::helm_values::KUBECTL_MANIFEST,
];

/// Meta-arguments: not values of the resource.
const META_ARGS: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

fn span_of(file: FileId, r: Option<std::ops::Range<usize>>) -> Span {
    r.map_or(Span::empty(file, 0), |r| Span::new(file, r.start, r.end))
}

/// `[*].<attr>` (or `.*.<attr>`): the attribute a splat reads, when `ops` is exactly that.
fn splat_attr<'a>(ops: &[Spanned<TraversalOperator<'a>>]) -> Option<&'a str> {
    let [splat, attr] = ops else {
        return None;
    };
    if !matches!(
        splat.value(),
        TraversalOperator::FullSplat | TraversalOperator::AttrSplat
    ) {
        return None;
    }
    match attr.value() {
        TraversalOperator::GetAttr(attr) => Some(attr.as_str()),
        _ => None,
    }
}

fn node(value: Value, span: Span) -> Node {
    Node::new(value, span)
}

fn string(s: impl Into<crate::source::node::Str>, span: Span) -> Node {
    // Straight into the node's string: through a `String` first, every short key (inline in
    // the node) was allocated and freed.
    Node::new(Value::Str(s.into()), span)
}

/// A value the inputs do not fix, named by what it stands for.
pub fn unknown(name: &str, span: Span) -> Node {
    let mut n = string(sanitize(name), span);
    n.tag = UNKNOWN_TAG.into();
    n
}

/// An unknown's name as it goes into `${...}`: one line, no `}` (its quotes are kept: the
/// name is the expression as written, which messages show).
fn sanitize(name: &str) -> String {
    // Most names are copied as they are: one allocation of their length.
    let mut out = String::with_capacity(name.len());
    sanitize_into(&mut out, name);
    out
}

/// Whether `s` is [`sanitize`]`(name)`, without a copy of a name that is plain.
fn is_sanitized(s: &str, name: &str) -> bool {
    match plain_name(name.as_bytes()) && name.is_ascii() {
        true => s == name,
        false => s == sanitize(name),
    }
}

/// [`sanitize`], appended to `out` (a plain name without a copy of its own).
fn sanitize_into(out: &mut String, name: &str) {
    // Most names are one line with single spaces already: copied as they are. One pass
    // over the bytes decides (every unknown's name goes through here, some of them whole
    // multi-line expressions), without a branch per byte (a loop that stopped at the first
    // such byte was 1.6 M instructions of the 1k corpus): see [`plain_name`]. Only a name
    // with non-ASCII characters needs the test for Unicode whitespace.
    let mut plain = plain_name(name.as_bytes());
    if plain && !name.is_ascii() {
        plain = !name.chars().any(|c| !c.is_ascii() && c.is_whitespace());
    }
    if plain {
        out.push_str(name);
        return;
    }
    // `split_whitespace`, joined by single spaces, with `}` as the mark shown as `}`
    // (`source::CLOSE_BRACE_IN_NAME`), in one pass.
    out.reserve(name.len());
    let base = out.len();
    let mut space = false;
    for c in name.chars() {
        if c.is_whitespace() {
            space = out.len() > base;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(if c == '}' {
            crate::source::CLOSE_BRACE_IN_NAME
        } else {
            c
        });
    }
}

/// Whether an unknown's name `b` is copied as it is (see [`sanitize_into`]): no `}` nor
/// ASCII whitespace other than a space (`\t` to `\r`), no two spaces in a row, none at
/// either end (a name with non-ASCII bytes is tested for Unicode whitespace after).
fn plain_name(b: &[u8]) -> bool {
    // Folds without a branch per byte. (Eight bytes at a time in a `u64`, or sixteen in a
    // fixed loop for the compiler to vectorise, measured no better on the 1k corpus; nor
    // did `memchr` searches, a call per space of the name, nor one loop reading a table of
    // byte classes.)
    let bad = b
        .iter()
        .fold(false, |a, &c| a | (c == b'}') | (c.wrapping_sub(b'\t') < 5));
    let doubled = b
        .iter()
        .zip(b.get(1..).unwrap_or_default())
        .fold(false, |a, (&x, &y)| a | ((x == b' ') & (y == b' ')));
    !bad && !doubled && b.first() != Some(&b' ') && b.last() != Some(&b' ')
}

/// The condition and the two results, as written, of a value only apply knows that a
/// conditional expression names (`${var.shared ? module.a.iam_role_arn : aws_iam_role.b.arn}`,
/// as `model::value::text` shows it): what decides it, for `lint --explain`.
pub fn conditional_of(name: &str) -> Option<(String, String, String)> {
    let inner = name
        .strip_prefix("${")
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(name);
    let Ok(hcl_edit::expr::Expression::Conditional(c)) =
        inner.parse::<hcl_edit::expr::Expression>()
    else {
        return None;
    };
    let shown = |x: &hcl_edit::expr::Expression| x.to_string().trim().to_string();
    Some((
        shown(&c.cond_expr),
        shown(&c.true_expr),
        shown(&c.false_expr),
    ))
}

pub fn is_unknown(n: &Node) -> bool {
    matches!(n.tag.as_deref(), Some(UNKNOWN_TAG) | Some(PARTIAL_TAG))
}

/// How a piece of a string maps back to the file.
#[derive(Clone, Debug)]
enum Origin2 {
    /// Byte `i` of the piece is byte `start + i` of `file`.
    Identity(FileId, usize),
    /// The whole piece comes from this span.
    Fixed(Span),
    /// Byte `i` of the piece is byte `table[i]` of `file` (a `<<-` heredoc's literal, whose
    /// indentation was stripped); the table has one more entry for the end.
    Table(FileId, std::rc::Rc<Vec<u32>>),
}

/// The values of a template's first interpolations, evaluated by [`Module::plain_template`]
/// for [`Module::template_parts_with`], each with whether no composed string was recorded
/// right after its evaluation.
type Interpolated = smallvec::SmallVec<[(Node, bool); 4]>;

/// A piece of a string under construction.
#[derive(Clone, Debug)]
struct Part {
    text: String,
    unknown: bool,
    origin: Origin2,
}

impl Part {
    fn known(text: impl Into<String>, span: Span) -> Part {
        Part {
            text: text.into(),
            unknown: false,
            origin: Origin2::Fixed(span),
        }
    }
}

/// The pieces of a scalar value, or `None` for collections.
fn parts_of(n: &Node) -> Option<Vec<Part>> {
    match (&n.value, n.tag.as_deref()) {
        (Value::Str(s), Some(UNKNOWN_TAG)) => Some(vec![Part {
            text: s.to_string(),
            unknown: true,
            origin: Origin2::Fixed(n.span),
        }]),
        (Value::Str(s), Some(PARTIAL_TAG)) => Some(split_sub(s, n.span)),
        // Terraform refuses a null in a string function ("null value cannot be formatted"):
        // no string results, so the one asked for is unknown, as for a collection (a
        // template names the piece instead, `Module::template_parts_with`).
        (Value::Seq(_) | Value::Map(_) | Value::Null, _) => None,
        _ => Some(vec![Part::known(n.scalar_text()?.into_owned(), n.span)]),
    }
}

/// The pieces of a `!Sub` template.
fn split_sub(s: &str, span: Span) -> Vec<Part> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut lit = String::new();
    while let Some(i) = interpolation_start(rest) {
        lit.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(close) = after.find('}') else {
            lit.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let name = &after[..close];
        if let Some(l) = name.strip_prefix('!') {
            lit.push_str("${");
            lit.push_str(l);
            lit.push('}');
        } else {
            if !lit.is_empty() {
                out.push(Part::known(std::mem::take(&mut lit), span));
            }
            out.push(Part {
                text: name.to_string(),
                unknown: true,
                origin: Origin2::Fixed(span),
            });
        }
        rest = &after[close + 1..];
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        out.push(Part::known(lit, span));
    }
    out
}

/// A string node from its pieces: plain when all are known, unknown when it is one unknown,
/// else a `!Sub` template.
fn from_parts(parts: &[Part], span: Span) -> Node {
    if parts.iter().all(|p| !p.unknown) {
        let mut text = String::with_capacity(parts.iter().map(|p| p.text.len()).sum());
        for p in parts {
            text.push_str(&p.text);
        }
        return string(text, span);
    }
    if let [p] = parts {
        return unknown(&p.text, span);
    }
    let mut n = string(sub_text(parts), span);
    n.tag = PARTIAL_TAG.into();
    n
}

/// The `!Sub` text of pieces: unknown ones as `${name}`, a literal `${` as `${!`.
fn sub_text(parts: &[Part]) -> String {
    // Sized for the pieces as they are (no escape, names unchanged): grown by doubling, and
    // a copy of each literal made by `replace`, were a percent of evaluation.
    let mut s = String::with_capacity(parts.iter().map(|p| p.text.len() + 3).sum());
    for p in parts {
        if p.unknown {
            s.push_str("${");
            sanitize_into(&mut s, &p.text);
            s.push('}');
        } else if has_interpolation_start(&p.text) {
            s.push_str(&p.text.replace("${", "${!"));
        } else {
            s.push_str(&p.text);
        }
    }
    s
}

/// Where `text`'s first `${` is (a substring searcher's set-up cost more than the search
/// in these short strings).
fn interpolation_start(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    memchr::memchr_iter(b'$', b).find(|&at| b.get(at + 1) == Some(&b'{'))
}

/// Whether `text` holds `${`.
fn has_interpolation_start(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'$', b).any(|at| b.get(at + 1) == Some(&b'{'))
}

/// A JSON object written as a string (a heredoc, a template, a file), decoded with every
/// node's span mapped back through the pieces: literal text to its own bytes, an
/// interpolation to the interpolation. Strings with unknown parts become `!Sub` templates.
fn decode_json(parts: &[Part], host: Span) -> Option<Node> {
    // Most strings are no JSON object: told by their first character before the text is
    // built (an unknown piece starts with `${`).
    let first = parts.iter().find_map(|p| match p.unknown {
        true => Some('$'),
        false => p.text.trim_start().chars().next(),
    });
    if first != Some('{') {
        return None;
    }
    let any_unknown = parts.iter().any(|p| p.unknown);
    let mut text = String::new();
    let mut starts = Vec::with_capacity(parts.len());
    let mut pieces: Vec<(usize, usize, &Part)> = Vec::new();
    for p in parts {
        let start = text.len();
        if p.unknown {
            text.push_str("${");
            // Inside the JSON text: escaped as a JSON string's content.
            text.push_str(&sanitize(&p.text).replace('\\', "\\\\").replace('"', "\\\""));
            text.push('}');
        } else if any_unknown {
            text.push_str(&p.text.replace("${", "${!"));
        } else {
            text.push_str(&p.text);
        }
        starts.push(start);
        pieces.push((start, text.len(), p));
    }
    let t = text.trim();
    if !(t.starts_with('{') && t.ends_with('}') && t.contains('"')) {
        return None;
    }
    let limits = Limits::default();
    let loaded = crate::source::json::load_json(host.file, &text, &LineIndex::new(""), &limits);
    if !loaded.problems.is_empty() {
        return None;
    }
    let mut root = loaded.documents.into_iter().next()?.root;
    root.as_map()?;
    let map_point = |o: usize, end: bool| -> Option<(FileId, usize)> {
        let (s, e, p) = pieces.iter().find(|(s, e, _)| {
            if end {
                o > *s && o <= *e
            } else {
                o >= *s && o < *e
            }
        })?;
        match &p.origin {
            Origin2::Identity(f, base) if !p.unknown && (e - s) == p.text.len() => {
                Some((*f, base + (o - s)))
            }
            Origin2::Identity(f, base) => Some((*f, if end { base + p.text.len() } else { *base })),
            Origin2::Fixed(sp) => Some((sp.file, if end { sp.end } else { sp.start } as usize)),
            Origin2::Table(f, t) if !p.unknown && (e - s) == p.text.len() => {
                t.get(o - s).map(|&x| (*f, x as usize))
            }
            Origin2::Table(f, t) => Some((*f, if end { *t.last()? } else { *t.first()? } as usize)),
        }
    };
    fn fix(n: &mut Node, at: &Mapping<'_>, host: Span) {
        let (s, e) = (n.span.start as usize, n.span.end as usize);
        if let Value::Str(v) = &n.value {
            if (at.unknown_at)(s, e) && v.contains("${") {
                n.tag = PARTIAL_TAG.into();
            }
        }
        n.span = match ((at.map)(s, false), (at.map)(e, true)) {
            (Some((f1, a)), Some((f2, b))) if f1 == f2 && b >= a => Span::new(f1, a, b),
            _ => host,
        };
        // A string that is, between its quotes, exactly one value written in another file
        // (a template of a local module rendering `"${var.subject}"`, the caller's value):
        // it is where that value was written, as `jsonencode` of the same value gives.
        if let (Value::Str(_), Some(sp)) = (&n.value, (at.whole)(s + 1, e.saturating_sub(1))) {
            if sp.file != n.span.file {
                n.span = sp;
            }
        }
        match &mut n.value {
            Value::Seq(items) => items.iter_mut().for_each(|i| fix(i, at, host)),
            Value::Map(entries) => entries.iter_mut().for_each(|en| {
                fix(&mut en.key, at, host);
                fix(&mut en.value, at, host);
            }),
            _ => {}
        }
    }
    struct Mapping<'f> {
        map: &'f dyn Fn(usize, bool) -> Option<(FileId, usize)>,
        unknown_at: &'f dyn Fn(usize, usize) -> bool,
        /// Where the value is written that is exactly the text's bytes `s..e`.
        whole: &'f dyn Fn(usize, usize) -> Option<Span>,
    }
    let unknown_at = |s: usize, e: usize| {
        pieces
            .iter()
            .any(|(ps, pe, p)| p.unknown && *ps < e && *pe > s)
    };
    let whole = |s: usize, e: usize| -> Option<Span> {
        let (_, _, p) = pieces
            .iter()
            .find(|(ps, pe, _)| *ps == s && *pe == e && s < e)?;
        match &p.origin {
            Origin2::Fixed(sp) => Some(*sp),
            _ => None,
        }
    };
    let at = Mapping {
        map: &map_point,
        unknown_at: &unknown_at,
        whole: &whole,
    };
    fix(&mut root, &at, host);
    // A template of known pieces has no `${!`: its strings stay plain.
    let _ = starts;
    Some(root)
}

/// A string node's JSON object, decoded (spans: the string's own, or, for JSON text the
/// evaluator could map, the text's).
pub fn decode_text(n: &Node) -> Option<Node> {
    decode_json(&parts_of(n)?, n.span)
}

/// The string an evaluated template produces, or its decoded JSON object.
fn template_result(parts: Vec<Part>, span: Span) -> Node {
    if let Some(doc) = decode_json(&parts, span) {
        return doc;
    }
    // At most as many as there are parts: one allocation, where growing one by one was
    // 0.26 M instructions of the 1k corpus's 1,955 templates.
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for p in parts {
        match merged.last_mut() {
            Some(last) if !last.unknown && !p.unknown => last.text.push_str(&p.text),
            _ => merged.push(p),
        }
    }
    from_parts(&merged, span)
}

const MAX_DEPTH: usize = 64;

impl<'m> Module<'m> {
    /// The module of directory `dir` made of `files`: a root (`call` `None`) or an
    /// instance of a local module.
    fn new(
        env: &'m Env<'m>,
        dir: &'m str,
        files: &[(FileId, &'m Parsed<'m>)],
        call: Option<CallSite<'m>>,
    ) -> Module<'m> {
        let mut m = Module {
            dir,
            env,
            sources: env.sources,
            by_path: env.by_path,
            limits: env.limits,
            call,
            outputs: Vec::new(),
            calls: RefCell::new(SmallMap::default()),
            json: std::collections::HashMap::new(),
            vars: SmallMap::default(),
            tfvars: SmallMap::default(),
            locals: SmallMap::default(),
            blocks: Vec::new(),
            block_index: SmallMap::default(),
            skipped: Vec::new(),
            renamed: RefCell::new(SmallMap::default()),
            local_cache: RefCell::new(SmallMap::default()),
            block_cache: RefCell::new(SmallMap::default()),
            ref_cache: RefCell::new(SmallMap::default()),
            doc_cache: RefCell::new(SmallMap::default()),
            in_progress: RefCell::new(Vec::new()),
            depth: std::cell::Cell::new(0),
            refused: std::cell::Cell::new(0),
        };
        // The tables sized once: grown insert by insert, they were rehashed a dozen times
        // per module.
        let (mut n_vars, mut n_locals, mut n_blocks) = (0, 0, 0);
        for (_, parsed) in files {
            for b in parsed.body.blocks() {
                match b.ident.as_str() {
                    "variable" => n_vars += 1,
                    "locals" => n_locals += b.body.attributes.len(),
                    "resource" | "data" | "module" => n_blocks += 1,
                    _ => {}
                }
            }
        }
        m.vars = SmallMap::with_capacity(n_vars);
        m.locals = SmallMap::with_capacity(n_locals);
        m.blocks.reserve_exact(n_blocks);
        m.block_index = SmallMap::with_capacity(n_blocks);
        *m.block_cache.get_mut() = SmallMap::with_capacity(n_blocks);
        for &(id, parsed) in files {
            let body = &parsed.body;
            let path = &env.sources.get(id).path;
            if let Some(v) = &parsed.json {
                m.json.insert(id, v);
            }
            if super::json_config::is_tfvars(path) || super::terragrunt::is_variables(path, body) {
                // Variable files set the root module's variables only.
                if m.call.is_some() {
                    continue;
                }
                for a in body.attributes() {
                    let key = a.key.as_str();
                    let text = m.source(id, a.value.span());
                    match m.tfvars.get(key) {
                        // Two variable files that disagree: which one a run uses is not in
                        // the files.
                        Some(Some((f, e))) if m.source(*f, e.span()) != text => {
                            m.tfvars.insert(key, None);
                        }
                        Some(_) => {}
                        None => {
                            m.tfvars.insert(key, Some((id, &a.value)));
                        }
                    }
                }
                continue;
            }
            for (at, name) in &parsed.renamed {
                m.renamed.get_mut().insert((id, *at), name.clone());
            }
            m.skipped.extend(parsed.skipped.iter().map(|s| (id, s)));
            for b in body.blocks() {
                match b.ident.as_str() {
                    "variable" => {
                        if let (Some(name), Some(d)) = (
                            b.labels.first(),
                            b.body.attributes().find(|a| a.key.as_str() == "default"),
                        ) {
                            m.vars.insert(name.as_str(), (id, &d.value));
                        }
                    }
                    "locals" => {
                        for a in b.body.attributes() {
                            m.locals.insert(a.key.as_str(), (id, &a.value));
                        }
                    }
                    "resource" | "data" | "module" => m.blocks.push((id, b)),
                    "output" => m.outputs.push((id, b)),
                    _ => {}
                }
            }
        }
        for (i, (_, b)) in m.blocks.iter().enumerate() {
            let (kind, name) = match (b.ident.as_str(), b.labels.first(), b.labels.get(1)) {
                // A call has one label: indexed as ("module", name, "").
                ("module", Some(name), _) => (name.as_str(), ""),
                (_, Some(kind), Some(name)) => (kind.as_str(), name.as_str()),
                _ => continue,
            };
            m.block_index
                .insert_first((b.ident.as_str(), kind, name), i);
        }
        m
    }

    /// Spans into the native-syntax text of this module's JSON files mapped back to the
    /// JSON, in `out` (the resources it declares, those of the modules it calls included)
    /// and `outputs`. Each module maps its own files' spans, once.
    fn remap_json(&self, out: &mut [Resource]) {
        if self.json.is_empty() {
            return;
        }
        for r in out {
            if let Some(v) = self.json.get(&r.anchor.file) {
                r.anchor = v.span(r.anchor);
            }
            if let Some(v) = r.call.and_then(|c| self.json.get(&c.file)) {
                r.call = r.call.map(|c| v.span(c));
            }
            super::json_config::remap(&mut r.body, &self.json);
        }
    }

    /// A reference's name in the root module's namespace: a local module's own
    /// (`aws_iam_role.this.arn` in the call `module.irsa`) under its address
    /// (`module.irsa.aws_iam_role.this.arn`), so that links by address hold across modules.
    fn qualify(&self, name: &str) -> String {
        match &self.call {
            Some(c) => [c.prefix.as_str(), ".", name].concat(),
            None => name.to_string(),
        }
    }

    /// The text a file's parsed body refers to (a JSON configuration's native-syntax text).
    fn text(&self, file: FileId) -> &'m str {
        match self.json.get(&file) {
            Some(v) => &v.text,
            None => self.env.text(file),
        }
    }

    fn source(&self, file: FileId, r: Option<std::ops::Range<usize>>) -> &'m str {
        let text = self.text(file);
        trim(r.and_then(|r| text.get(r)).unwrap_or(""))
    }

    /// An object key written as an identifier, under the name it was written with.
    fn key(&self, file: FileId, name: &str, r: Option<std::ops::Range<usize>>) -> Node {
        let span = span_of(file, r);
        match self.renamed.borrow().get(&(file, span.start as usize)) {
            Some(written) => string(written.clone(), span),
            None => string(name, span),
        }
    }

    /// Records every input file a `templatefile()` call in `files` names, wherever the call
    /// is: also where evaluation never reads it (chronno4/exemplo-addon-eks@8784f4d renders
    /// `templates/service_account.yaml.tpl` into a `local_file`'s `content`, a resource type
    /// no model reads, and applies the result). A file whose text holds `templatefile(` is
    /// parsed whole (the evaluation's parse left such blocks out), once for the root and all
    /// the instances of its module (`Env::whole`), and each call's path evaluated as
    /// written, in this module instance (`"${path.module}/templates/x.yaml.tpl"`).
    fn note_named_templates(&self, files: &[(FileId, &Parsed)]) {
        static CALL: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new("templatefile("));
        for &(file, _) in files {
            let text = self.text(file);
            if CALL.find(text.as_bytes()).is_none() {
                continue;
            }
            let cached = self.env.whole.borrow().get(&file).cloned();
            let whole = cached.unwrap_or_else(|| {
                let p = parse(self.env.arena, file, text, self.limits)
                    .ok()
                    .map(Rc::new);
                self.env.whole.borrow_mut().insert(file, p.clone());
                p
            });
            let Some(whole) = whole else {
                continue;
            };
            for call in super::ast::calls_of(&whole.body, "templatefile") {
                let Some(arg) = call.args.iter().next() else {
                    continue;
                };
                let path = self.eval(file, arg, &Scope::default());
                let known = path.as_str().filter(|_| !is_unknown(&path));
                if let Some(id) = known.and_then(|p| self.input_file(p)) {
                    self.env.shared.named_templates.borrow_mut().insert(id);
                }
            }
        }
    }

    fn unknown_expr(&self, file: FileId, e: &Expression) -> Node {
        unknown(self.source(file, e.span()), span_of(file, e.span()))
    }

    fn resources(&self, out: &mut Vec<Resource>) {
        // Each resource, with its body and (for a local module call's instance) the
        // resources that instance declares.
        // Sized for a block an instance (most have one).
        let mut found: Vec<(Resource, Rc<Node>, Vec<Resource>)> =
            Vec::with_capacity(self.blocks.len());
        let (module, root_file, call) = match &self.call {
            Some(c) => (c.prefix.as_str(), Some(c.root_file), Some(c.call)),
            None => ("", None, None),
        };
        for &(file, b) in &self.blocks {
            let kind_label = b.labels.first().map(|l| l.as_str()).unwrap_or("");
            let (mode, kind, name) = match b.ident.as_str() {
                "module" => (Mode::Managed, "module", kind_label),
                "data" => (
                    Mode::Data,
                    kind_label,
                    b.labels.get(1).map(|l| l.as_str()).unwrap_or(""),
                ),
                _ => (
                    Mode::Managed,
                    kind_label,
                    b.labels.get(1).map(|l| l.as_str()).unwrap_or(""),
                ),
            };
            // A `template_file` is read through the references to its `rendered`.
            if kind != "module" && !READ_KINDS.contains(&kind) || kind == "template_file" {
                continue;
            }
            let anchor = span_of(
                file,
                b.labels
                    .last()
                    .and_then(|l| l.span())
                    .or_else(|| b.ident.span()),
            );
            let resource = |address: String| Resource {
                mode,
                kind: kind.to_string(),
                name: name.to_string(),
                address: match &self.call {
                    Some(_) => self.qualify(&address),
                    None => address,
                },
                module: module.to_string(),
                origin: Origin::Configuration,
                // A local module's resources are its root's (see `Resource::file`).
                file: root_file.unwrap_or(file),
                anchor,
                call,
                body: Node::new(Value::Null, Span::empty(file, 0)),
            };
            if kind == "module" {
                if let Some(call) = self.local_call(name) {
                    for i in &call.instances {
                        let suffix = i.key.as_ref().map(instance_suffix).unwrap_or_default();
                        found.push((
                            resource(format!("module.{name}{suffix}")),
                            Rc::new(i.args.clone()),
                            i.resources.take(),
                        ));
                    }
                    continue;
                }
            }
            let instances: Vec<(Option<Node>, Scope)> = match self.instances(file, b) {
                Instances::None => continue,
                Instances::Single => vec![(None, Scope::default())],
                Instances::Template(s) => vec![(None, s)],
                Instances::Keyed(items) => items.into_iter().map(|(k, s)| (Some(k), s)).collect(),
            };
            // Concatenated: `format!`'s machinery was most of this function's own cost.
            let base = match (kind, mode) {
                ("module", _) => ["module.", name].concat(),
                (_, Mode::Data) => ["data.", kind, ".", name].concat(),
                _ => [kind, ".", name].concat(),
            };
            // The block a reference to this address finds shares its evaluation, instance
            // by instance (the cache is by instance address, as references select them).
            let first = kind != "module"
                && self
                    .find_block(b.ident.as_str(), kind, name)
                    .is_some_and(|(_, x)| std::ptr::eq(x, b));
            for (key, scope) in instances {
                let address = match &key {
                    Some(k) => [base.as_str(), &instance_suffix(k)].concat(),
                    None => base.clone(),
                };
                let evaluate =
                    || Rc::new(self.body(file, &b.body, &scope, span_of(file, b.span())));
                let body = match first {
                    // Nothing is being evaluated here, so no cycle can refuse it.
                    true => self
                        .block_body(file, b, &address, &scope)
                        .unwrap_or_else(evaluate),
                    false => evaluate(),
                };
                found.push((resource(address), body, Vec::new()));
            }
        }
        // Evaluation is over: the bodies are moved out of the caches, not copied.
        self.block_cache.borrow_mut().clear();
        self.ref_cache.borrow_mut().clear();
        for (mut r, body, called) in found {
            r.body = Rc::try_unwrap(body).unwrap_or_else(|rc| (*rc).clone());
            // After the cache: a reference to the release reads its values as written.
            self.decode_rendered_values(&r.kind, &mut r.body);
            out.push(r);
            out.extend(called);
        }
    }

    /// The local module call `module.<name>`, evaluated once: each instance's arguments,
    /// resources and outputs. `None` when it is no local module call among the inputs, or
    /// is not expanded (a cycle of calls, [`MAX_MODULE_DEPTH`], [`MAX_MODULE_INSTANCES`]).
    fn local_call(&self, name: &str) -> Option<Rc<Call<'m>>> {
        if let Some(c) = self.calls.borrow().get(name) {
            return c.clone();
        }
        // No such call (`module.eks` of a cluster made elsewhere): nothing to expand, told
        // without a guard (as `evaluate_call` tells it first).
        self.find_block("module", name, "")?;
        // Its arguments or `count` may refer to its own outputs: a cycle, not expanded.
        if !self.enter(["module.", name, " (call)"].concat()) {
            return None;
        }
        let call = self.evaluate_call(name).map(Rc::new);
        self.leave();
        self.calls
            .borrow_mut()
            .insert(name.to_string(), call.clone());
        call
    }

    /// [`Module::local_call`], evaluated: the module directory evaluated once per instance,
    /// with the instance's arguments as its variables.
    fn evaluate_call(&self, name: &str) -> Option<Call<'m>> {
        let (file, b) = self.find_block("module", name, "")?;
        let source = match &b
            .body
            .attributes()
            .find(|a| a.key.as_str() == "source")?
            .value
        {
            Expression::String(s) => s.value().to_string(),
            _ => return None,
        };
        let key = local_dir(&crate::source::discover::lexical(self.dir), &source)?;
        let (dir, files) = self.env.callees.get(&key)?;
        let dir: &'m str = dir;
        let mut chain = match &self.call {
            Some(c) => c.chain.clone(),
            None => vec![self.dir],
        };
        if chain.contains(&dir) || chain.len() > MAX_MODULE_DEPTH {
            return None;
        }
        chain.push(dir);
        let span = span_of(file, b.span());
        let (keyed, list): (Option<bool>, Vec<(Option<Node>, Scope)>) =
            match self.instances(file, b) {
                Instances::None => (Some(false), Vec::new()),
                Instances::Single => (None, vec![(None, Scope::default())]),
                Instances::Template(s) => (None, vec![(None, s)]),
                Instances::Keyed(items) => (
                    Some(items.first().is_some_and(|(k, _)| k.as_str().is_some())),
                    items.into_iter().map(|(k, s)| (Some(k), s)).collect(),
                ),
            };
        let used = self.env.shared.instances.get() + list.len();
        if used > MAX_MODULE_INSTANCES {
            return None;
        }
        self.env.shared.instances.set(used);
        let refs: Vec<(FileId, &'m Parsed<'m>)> = files.iter().map(|(id, p)| (*id, p)).collect();
        let (root_file, root_dir) = match &self.call {
            Some(c) => (c.root_file, c.root_dir),
            None => (file, self.dir),
        };
        let mut instances = Vec::with_capacity(list.len());
        for (key, scope) in list {
            let args = self.body(file, &b.body, &scope, span);
            let inputs = args
                .entries()
                .iter()
                .filter_map(|e| Some((e.key.as_str()?.to_string(), e.value.clone())))
                .collect();
            let suffix = key.as_ref().map(instance_suffix).unwrap_or_default();
            let child = Module::new(
                self.env,
                dir,
                &refs,
                Some(CallSite {
                    prefix: self.qualify(&format!("module.{name}{suffix}")),
                    inputs,
                    root_file,
                    root_dir,
                    chain: chain.clone(),
                    call: span_of(file, b.labels.first().and_then(|l| l.span())),
                    parent: self.call.as_ref().map(|c| c.call),
                }),
            );
            let mut resources = Vec::new();
            child.resources(&mut resources);
            child.note_named_templates(&refs);
            // By the call's name, an output links to the module's role only when it has
            // one (see `output_values`).
            let one_role = resources
                .iter()
                .filter(|r| r.kind == "aws_iam_role" && r.mode == Mode::Managed)
                .count()
                == 1;
            child.remap_json(&mut resources);
            let instance = CallInstance {
                key,
                args,
                resources: RefCell::new(resources),
                outputs: RefCell::new(vec![None; child.outputs.len()]),
                module: child,
                one_role,
            };
            // An output that renders a template is evaluated whether or not something reads
            // it: the templates evaluation reads are not linted as documents of their own
            // (see `Evaluated::templates`). One may render it through a local
            // (`value = local.kubeconfig`), so with a local that renders one every output is.
            let m = &instance.module;
            let local_renders = m
                .locals
                .any_value(|&(file, x)| m.source(file, x.span()).contains("templatefile"));
            for (i, &(file, b)) in m.outputs.iter().enumerate() {
                if local_renders || m.source(file, b.span()).contains("templatefile") {
                    instance.output(i);
                }
            }
            instances.push(instance);
        }
        Some(Call {
            keyed,
            instances,
            span,
        })
    }

    /// A local module instance's `i`th `output` block, evaluated (`None`: it has no name or
    /// no `value`). When the module declares one role (`one_role`), an output whose value
    /// this module cannot know and that is no reference it qualifies
    /// (`try(aws_iam_role.this[0].arn, "")`, a conditional on an unknown) is named as the
    /// caller refers to it, `module.irsa.iam_role_arn`: that name links to the module's role
    /// by the call (`resources::refers_to`), as a modelled module's does. With several roles
    /// such a link would name them all (and judge a ServiceAccount against roles it does not
    /// use), so the expression's text, which links to none, is kept.
    fn output_value(&self, i: usize, one_role: bool) -> Option<Entry> {
        let prefix = self.call.as_ref().map_or("", |c| c.prefix.as_str());
        let &(file, b) = self.outputs.get(i)?;
        let (Some(name), Some(value)) = (
            b.labels.first(),
            b.body.attributes().find(|a| a.key.as_str() == "value"),
        ) else {
            return None;
        };
        let name = name.as_str();
        let mut v = self.eval(file, &value.value, &Scope::default());
        let own = dir_of(&self.sources.get(v.span.file).path) == self.dir;
        let qualified = v
            .as_str()
            .is_some_and(|n| n.starts_with(prefix) && n[prefix.len()..].starts_with('.'));
        if v.tag.as_deref() == Some(UNKNOWN_TAG) && own && !qualified && one_role {
            v = unknown(&format!("{prefix}.{name}"), v.span);
        }
        let mut entry = Entry {
            key: string(name, span_of(file, b.labels.first().and_then(|l| l.span()))),
            value: v,
        };
        if !self.json.is_empty() {
            super::json_config::remap(&mut entry.key, &self.json);
            super::json_config::remap(&mut entry.value, &self.json);
        }
        Some(entry)
    }

    /// The body of the block `b`'s instance at `address` (the block's address, with its
    /// instance key if it has one) in `scope` (that instance's `each`/`count`), evaluated
    /// once; `None` when it is being evaluated (a cycle).
    fn block_body(
        &self,
        file: FileId,
        b: &Block,
        address: &str,
        scope: &Scope,
    ) -> Option<Rc<Node>> {
        if let Some(v) = self.block_cache.borrow().get(address) {
            return Some(v.clone());
        }
        if !self.enter(address.to_string()) {
            return None;
        }
        let refused = self.refused.get();
        let body = Rc::new(self.body(file, &b.body, scope, span_of(file, b.span())));
        let address = self.leave();
        // Cut short by the depth limit: what it gives depends on where it was asked from.
        if self.refused.get() == refused {
            self.block_cache.borrow_mut().insert(address, body.clone());
        }
        Some(body)
    }

    /// A `helm_release`'s YAML values (a `kubectl_manifest`'s `yaml_body`) that a
    /// `templatefile()` rendered, decoded with the position of each byte in the template (see
    /// [`Shared::rendered`]); other strings are left to `helm_values::decode`.
    fn decode_rendered_values(&self, kind: &str, body: &mut Node) {
        let items = super::helm_values::yaml_strings(kind, body);
        if items.is_empty() {
            return;
        }
        let rendered = self.env.shared.rendered.borrow();
        for it in items {
            let Some(text) = it.as_str() else { continue };
            let Some(table) = rendered.get(&(it.span.file, text.to_string())) else {
                continue;
            };
            if let Some(doc) = super::helm_values::yaml_at(it, table) {
                *it = doc;
            }
        }
    }

    /// The instances `count`/`for_each` give a block (see [`Instances`]).
    fn instances(&self, file: FileId, b: &Block) -> Instances {
        let attr = |k: &str| b.body.attributes().find(|a| a.key.as_str() == k);
        let scope = Scope::default();
        if let Some(f) = attr("for_each") {
            let v = self.eval(file, &f.value, &scope);
            let over = self.resource_collection(&f.value, &scope);
            return match for_each_items(&v) {
                Some(items) if items.is_empty() => Instances::None,
                Some(items) if items.len() <= MAX_INSTANCES => Instances::Keyed(
                    items
                        .into_iter()
                        .map(|(k, v)| {
                            let span = k.span;
                            let mut s = scope.with("each", each(k.clone(), v, span));
                            if let Some(a) = &over {
                                let at = format!("{a}{}", instance_suffix(&k));
                                s = s.with(&address_var("each.value"), string(at, span));
                            }
                            (k, s)
                        })
                        .collect(),
                ),
                _ => Instances::Template(scope.with(
                    "each",
                    each(
                        unknown("each.key", v.span),
                        unknown("each.value", v.span),
                        v.span,
                    ),
                )),
            };
        }
        if let Some(c) = attr("count") {
            let v = self.eval(file, &c.value, &scope);
            let count_index = |index: Node| {
                let span = index.span;
                node(
                    Value::Map(
                        vec![Entry {
                            key: string("index", span),
                            value: index,
                        }]
                        .into(),
                    ),
                    span,
                )
            };
            return match v.as_i64().filter(|_| !is_unknown(&v)) {
                Some(0) => Instances::None,
                Some(n) if n > 0 && n as usize <= MAX_INSTANCES => Instances::Keyed(
                    (0..n)
                        .map(|i| {
                            let k = node(Value::Int(i), v.span);
                            (k.clone(), scope.with("count", count_index(k)))
                        })
                        .collect(),
                ),
                _ => Instances::Template(
                    scope.with("count", count_index(unknown("count.index", v.span))),
                ),
            };
        }
        Instances::Single
    }

    /// A block body in plan shape: attributes by name, nested blocks as a sequence of maps.
    fn body(&self, file: FileId, body: &Body, scope: &Scope, span: Span) -> Node {
        // Sized once (blocks of one type share an entry: at most one each).
        let mut entries: Vec<Entry> = Vec::with_capacity(body.attributes.len() + body.blocks.len());
        for a in body.attributes() {
            let k = a.key.as_str();
            if META_ARGS.contains(&k) {
                continue;
            }
            entries.push(Entry {
                key: string(k, span_of(file, a.key.span())),
                value: self.eval(file, &a.value, scope),
            });
        }
        for b in body.blocks() {
            let ident = b.ident.as_str();
            if META_ARGS.contains(&ident) {
                continue;
            }
            if ident == "dynamic" {
                self.dynamic(file, b, scope, &mut entries);
                continue;
            }
            let item = self.body(file, &b.body, scope, span_of(file, b.span()));
            push_block(&mut entries, ident, span_of(file, b.ident.span()), item);
        }
        node(Value::Map(entries.into()), span)
    }

    /// `dynamic "name" { for_each = …  content { … } }`: one block per known element; an
    /// unknown collection makes the whole set of `name` blocks unknown.
    fn dynamic(&self, file: FileId, b: &Block, scope: &Scope, entries: &mut Vec<Entry>) {
        let Some(label) = b.labels.first() else {
            return;
        };
        let name = label.as_str();
        let key_span = span_of(file, label.span());
        let attr = |k: &str| b.body.attributes().find(|a| a.key.as_str() == k);
        let iterator = attr("iterator")
            .and_then(|a| a.value.as_variable().map(|v| v.as_str().to_string()))
            .unwrap_or_else(|| name.to_string());
        let Some(content) = b.body.blocks().find(|c| c.ident.as_str() == "content") else {
            return;
        };
        let coll = attr("for_each").map(|a| self.eval(file, &a.value, scope));
        let items: Vec<(Node, Node)> = match coll.as_ref().map(|c| &c.value) {
            Some(Value::Seq(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (node(Value::Int(i as i64), v.span), v.clone()))
                .collect(),
            Some(Value::Map(m)) => m.iter().map(|e| (e.key.clone(), e.value.clone())).collect(),
            _ => {
                let span = coll.map_or(key_span, |c| c.span);
                entries.retain(|e| e.key.as_str() != Some(name));
                entries.push(Entry {
                    key: string(name, key_span),
                    value: unknown(&format!("dynamic \"{name}\" blocks"), span),
                });
                return;
            }
        };
        for (k, v) in items {
            let span = v.span;
            let it = node(
                Value::Map(
                    vec![
                        Entry {
                            key: string("key", span),
                            value: k,
                        },
                        Entry {
                            key: string("value", span),
                            value: v,
                        },
                    ]
                    .into(),
                ),
                span,
            );
            let inner = scope.with(&iterator, it);
            let item = self.body(file, &content.body, &inner, span_of(file, content.span()));
            push_block(entries, name, key_span, item);
        }
    }

    fn eval(&self, file: FileId, e: &Expression, scope: &Scope) -> Node {
        let d = self.depth.get();
        if d > MAX_DEPTH {
            self.refused.set(self.refused.get() + 1);
            return self.unknown_expr(file, e);
        }
        self.depth.set(d + 1);
        let v = self.eval_inner(file, e, scope);
        self.depth.set(self.depth.get() - 1);
        v
    }

    fn eval_inner(&self, file: FileId, e: &Expression, scope: &Scope) -> Node {
        let span = span_of(file, e.span());
        match e {
            Expression::Null(_) => node(Value::Null, span),
            Expression::Bool(b) => node(Value::Bool(*b.value()), span),
            Expression::Number(n) => match n.as_i64() {
                Some(i) => node(Value::Int(i), span),
                None => node(Value::Float(n.as_f64().unwrap_or(0.0)), span),
            },
            Expression::String(s) => {
                // JSON written as a quoted string (`"{\"Statement\": ...}"`): decoded with
                // each value at its own escaped text.
                if trim_start(s.value()).starts_with('{') {
                    if let Some(doc) = self.quoted_json(file, s.value(), span) {
                        return doc;
                    }
                }
                // From the text itself: through a copy of the `String`, every short one
                // (inline in the node) was allocated and freed.
                let mut n = string(*s.value(), span);
                n.style = ScalarStyle::DoubleQuoted;
                n
            }
            Expression::Array(a) => node(
                Value::Seq(a.iter().map(|x| self.eval(file, x, scope)).collect()),
                span,
            ),
            Expression::Object(o) => {
                // Sized once: one entry per item (grown push by push, reallocated).
                let mut entries = Vec::with_capacity(o.len());
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => self.key(file, i.as_str(), i.span()),
                        ObjectKey::Expression(Expression::Variable(i)) => {
                            self.key(file, i.as_str(), i.span())
                        }
                        ObjectKey::Expression(x @ Expression::String(_)) => {
                            let mut k = self.eval(file, x, scope);
                            let at = k.span.start as usize;
                            if let Some(name) = self.renamed.borrow().get(&(file, at)) {
                                k.value = Value::Str(name.as_str().into());
                            }
                            k
                        }
                        ObjectKey::Expression(x) => self.eval(file, x, scope),
                    };
                    entries.push(Entry {
                        key,
                        value: self.eval(file, v, scope),
                    });
                }
                node(Value::Map(entries.into()), span)
            }
            Expression::StringTemplate(t) => self.template(file, t, scope, span),
            Expression::HeredocTemplate(h) => self.template(file, &h.template, scope, span),
            Expression::Parenthesis(p) => self.eval(file, p.inner(), scope),
            Expression::Variable(v) => match scope.get(v.as_str()) {
                Some(x) => x.clone(),
                None => self.unknown_expr(file, e),
            },
            Expression::Conditional(c) => match self.eval(file, &c.cond_expr, scope).as_bool() {
                Some(true) => self.eval(file, &c.true_expr, scope),
                Some(false) => self.eval(file, &c.false_expr, scope),
                None => self.undecided_conditional(file, c, scope, e),
            },
            Expression::FuncCall(f) => self.call(file, f, scope, e),
            Expression::Traversal(t) => self.traversal(file, t, scope, e),
            Expression::UnaryOp(u) => {
                let v = self.eval(file, &u.expr, scope);
                match (u.operator.value(), &v.value) {
                    (UnaryOperator::Not, Value::Bool(b)) if !is_unknown(&v) => {
                        node(Value::Bool(!b), span)
                    }
                    (UnaryOperator::Neg, Value::Int(i)) => node(Value::Int(-i), span),
                    _ => self.unknown_expr(file, e),
                }
            }
            Expression::BinaryOp(b) => {
                let l = self.eval(file, &b.lhs_expr, scope);
                let r = self.eval(file, &b.rhs_expr, scope);
                if is_unknown(&l) || is_unknown(&r) {
                    return self.unknown_expr(file, e);
                }
                let v = match (b.operator.value(), &l.value, &r.value) {
                    (BinaryOperator::Eq, _, _) => Some(Value::Bool(same(&l, &r))),
                    (BinaryOperator::NotEq, _, _) => Some(Value::Bool(!same(&l, &r))),
                    (BinaryOperator::And, Value::Bool(x), Value::Bool(y)) => {
                        Some(Value::Bool(*x && *y))
                    }
                    (BinaryOperator::Or, Value::Bool(x), Value::Bool(y)) => {
                        Some(Value::Bool(*x || *y))
                    }
                    (BinaryOperator::Plus, Value::Int(x), Value::Int(y)) => {
                        x.checked_add(*y).map(Value::Int)
                    }
                    (BinaryOperator::Minus, Value::Int(x), Value::Int(y)) => {
                        x.checked_sub(*y).map(Value::Int)
                    }
                    (BinaryOperator::Greater, Value::Int(x), Value::Int(y)) => {
                        Some(Value::Bool(x > y))
                    }
                    (BinaryOperator::Less, Value::Int(x), Value::Int(y)) => {
                        Some(Value::Bool(x < y))
                    }
                    _ => None,
                };
                match v {
                    Some(v) => node(v, span),
                    None => self.unknown_expr(file, e),
                }
            }
            Expression::ForExpr(f) => self.for_expr(file, f, scope, e),
        }
    }

    /// The JSON object a quoted string literal holds, positions mapped through its escapes.
    fn quoted_json(&self, file: FileId, value: &str, span: Span) -> Option<Node> {
        let raw = self
            .text(file)
            .get(span.start as usize + 1..(span.end as usize).checked_sub(1)?)?;
        let table = align_as(raw, value, span.start + 1, true)?;
        let part = Part {
            text: value.to_string(),
            unknown: false,
            origin: Origin2::Table(file, std::rc::Rc::new(table)),
        };
        decode_json(&[part], span)
    }

    fn template(&self, file: FileId, t: &Template, scope: &Scope, span: Span) -> Node {
        // `"${x}"` is `x` itself, whatever its type (Terraform 0.11's style, and how every
        // expression of a `.tf.json` file is written).
        let mut elements = t.iter();
        if let (Some(Element::Interpolation(i)), None) = (elements.next(), elements.next()) {
            return self.eval(file, &i.expr, scope);
        }
        // In place for the few interpolations a template has (a vector was an allocation
        // per template, most of which never needed it).
        let mut values = Interpolated::new();
        if let Some(n) = self.plain_template(file, t, scope, span, &mut values) {
            return n;
        }
        let mut values = values.into_iter();
        match self.template_parts_with(file, t, scope, &mut values) {
            Some(parts) => self.composed(parts, span, true),
            None => unknown(
                self.source(file, Some(span.start as usize..span.end as usize)),
                span,
            ),
        }
    }

    /// The string (or, with `json`, the decoded JSON object) this instance composes from
    /// `parts` at `span`: a template's or a string function's (`format`, `join`, `replace`,
    /// …) result. When a piece came from outside the module, where each piece was written is
    /// recorded (see [`super::Origins`]) for the rules and for a template or function of
    /// this module that reads the result.
    fn composed(&self, parts: Vec<Part>, span: Span, json: bool) -> Node {
        let passed = parts.iter().any(|p| self.passed_in(&p.origin));
        let pieces = passed.then(|| self.pieces(&parts));
        let n = match json {
            true => template_result(parts, span),
            false => from_parts(&parts, span),
        };
        if let Some((text, pieces)) = pieces {
            // A string (a JSON object's strings point into the pieces themselves).
            if n.as_str().is_some() {
                let call = self.call.as_ref().map(|c| c.call);
                self.env
                    .shared
                    .origins
                    .borrow_mut()
                    .insert(call, span, text, pieces);
            }
        }
        n
    }

    /// The pieces of a scalar value as they were written: those recorded for a string a
    /// module composed (see [`Module::recorded_parts`]), else the value's own.
    fn value_parts(&self, v: &Node) -> Option<Vec<Part>> {
        self.recorded_parts(v).or_else(|| parts_of(v))
    }

    /// The unknown a `replace()`/`trimprefix()`/`trimsuffix()` call `f` leaves when it takes
    /// away every known piece of its string (`replace(module.eks.cluster_oidc_issuer_url,
    /// "https://", "")`, whose scheme is a known fact): the whole result is what the call
    /// computes, so it is named by the call as written, not by the untrimmed reference; its
    /// first argument by the unknown it evaluated to (what a reference to a configured
    /// attribute, `aws_iam_openid_connect_provider.eks.url`, stands for). `None` otherwise,
    /// and for an unknown the caller passed in (it keeps the caller's name and where it was
    /// written).
    fn trimmed_to_unknown(
        &self,
        before: &[Part],
        after: &[Part],
        file: FileId,
        f: &super::ast::FuncCall,
        span: Span,
    ) -> Option<Node> {
        let had_known = before.iter().any(|p| !p.unknown && !p.text.is_empty());
        let [p] = after else {
            return None;
        };
        // A lone unknown `replace()` is given (`replace(var.issuer, "https://", "")`) is
        // another value than the unknown: named by the call too.
        let lone = before.len() == 1;
        if !p.unknown || !(had_known || lone) || self.passed_in(&p.origin) {
            return None;
        }
        // `f(<unknown>, <the other arguments as written>)`, in one buffer.
        let mut name = String::with_capacity(f.name.name.as_str().len() + p.text.len() + 32);
        name.push_str(f.name.name.as_str());
        name.push('(');
        name.push_str(&p.text);
        name.push_str(", ");
        for (i, a) in f.args.iter().skip(1).enumerate() {
            if i > 0 {
                name.push_str(", ");
            }
            name.push_str(self.source(file, a.span()));
        }
        name.push(')');
        Some(unknown(&name, span))
    }

    /// Whether a piece of a string comes from outside this module: a local module instance's
    /// value its caller wrote (in a file of another directory).
    fn passed_in(&self, origin: &Origin2) -> bool {
        if self.call.is_none() {
            return false;
        }
        let file = match origin {
            Origin2::Identity(f, _) | Origin2::Table(f, _) => *f,
            Origin2::Fixed(sp) => sp.file,
        };
        dir_of(&self.sources.get(file).path) != self.dir
    }

    /// The text of a composed string as `model::value::text` gives it (unknown pieces as
    /// `${name}`) and where each piece was written (see [`super::Origins`]).
    fn pieces(&self, parts: &[Part]) -> (String, Vec<super::Piece>) {
        let mut text = String::new();
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            let start = text.len() as u32;
            if p.unknown {
                text.push_str("${");
                sanitize_into(&mut text, &p.text);
                text.push('}');
            } else {
                text.push_str(&p.text);
            }
            let at = match &p.origin {
                Origin2::Fixed(sp) => *sp,
                Origin2::Identity(f, base) => Span::new(*f, *base, base + p.text.len()),
                Origin2::Table(f, t) => match (t.first(), t.last()) {
                    (Some(&a), Some(&b)) if b >= a => Span::new(*f, a as usize, b as usize),
                    _ => Span::new(*f, 0, 0),
                },
            };
            out.push(super::Piece {
                start,
                end: text.len() as u32,
                at,
                passed: self.passed_in(&p.origin),
                unknown: p.unknown,
            });
        }
        (text, out)
    }

    /// The pieces of a string a module composed from its caller's values, as recorded (see
    /// [`super::Origins`]); `None` for any other value.
    fn recorded_parts(&self, v: &Node) -> Option<Vec<Part>> {
        let origins = self.env.shared.origins.borrow();
        if origins.is_empty() {
            return None;
        }
        let s = v.as_str()?;
        let text = match v.tag.as_deref() {
            Some(PARTIAL_TAG) => std::borrow::Cow::Owned(s.replace("${!", "${")),
            // A function's result that is one unknown the caller passed in.
            Some(UNKNOWN_TAG) => std::borrow::Cow::Owned(format!("${{{}}}", sanitize(s))),
            Some(_) => return None,
            None => std::borrow::Cow::Borrowed(s),
        };
        // Composed by this instance (a function's result read by a template or another
        // function of the module), else by the caller's (a value passed in).
        let own = self.call.as_ref().map(|c| c.call);
        let caller = self.call.as_ref().and_then(|c| c.parent);
        let found = [own, caller]
            .into_iter()
            .find_map(|c| origins.pieces(c, v.span, &text).filter(|(at, _)| *at == 0));
        let (_, pieces) = found?;
        pieces
            .iter()
            .map(|p| {
                let t = text.get(p.start as usize..p.end as usize)?;
                let t = match p.unknown {
                    true => t.strip_prefix("${")?.strip_suffix('}')?,
                    false => t,
                };
                Some(Part {
                    text: t.to_string(),
                    unknown: p.unknown,
                    origin: Origin2::Fixed(p.at),
                })
            })
            .collect()
    }

    /// The string of a template of literals and interpolations whose values are all known
    /// scalars or unknowns of this module (most templates: `"arn:aws:s3:::${var.bucket}/*"`,
    /// `"${local.oidc_issuer}:sub"`), made in one buffer: what [`Module::template_parts`]
    /// and [`Module::composed`] give it, without a piece per element (they were about ten
    /// allocations a template). Otherwise `None`, the values of the interpolations evaluated
    /// so far in `values`, in order, for the general way (each is evaluated once): a
    /// directive, a partly known value or a collection, a piece passed in by a caller, a
    /// string a module composed (its pieces are recorded), text that may be a JSON object, or
    /// a `$` beside an unknown.
    fn plain_template(
        &self,
        file: FileId,
        t: &Template,
        scope: &Scope,
        span: Span,
        values: &mut Interpolated,
    ) -> Option<Node> {
        #[cfg(test)]
        if GENERAL_TEMPLATES.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        if t.iter().any(|el| matches!(el, Element::Directive(_)))
            || self.passed_in(&Origin2::Fixed(span))
            || !self.env.shared.origins.borrow().is_empty()
        {
            return None;
        }
        // The text as `from_parts` makes it: an unknown value (an unknown's name) as
        // `${name}`, the rest as it is; with an unknown, a known `$` may need escaping as
        // `${!` (left to the general way). The values first, then the text, sized once
        // from them: sized from the template as written, it was reallocated for most
        // templates with an unknown (whose name is the whole expression it stands for), and
        // grown push by push, about four times a template.
        let mut len = 0;
        let (mut unknown, mut dollar) = (false, false);
        for el in t.iter() {
            match el {
                Element::Literal(l) => {
                    dollar |= l.as_str().contains('$');
                    len += l.as_str().len();
                }
                Element::Interpolation(i) => {
                    let v = self.eval(file, &i.expr, scope);
                    // (An evaluation may record a string a module composed: then the
                    // value may be one, read by its recorded pieces. One evaluated before
                    // any was recorded is read by its own pieces, as it was then.)
                    let none_recorded = self.env.shared.origins.borrow().is_empty();
                    let plain = !self.passed_in(&Origin2::Fixed(v.span))
                        && none_recorded
                        && match (&v.value, v.tag.as_deref()) {
                            (Value::Str(name), Some(UNKNOWN_TAG)) => {
                                unknown = true;
                                len += name.len() + 3;
                                true
                            }
                            (_, Some(_)) => false,
                            // An error Terraform reports (see `parts_of`).
                            (Value::Seq(_) | Value::Map(_) | Value::Null, None) => false,
                            (_, None) => match v.scalar_text() {
                                Some(t) => {
                                    dollar |= t.contains('$');
                                    len += t.len();
                                    true
                                }
                                None => false,
                            },
                        };
                    values.push((v, none_recorded));
                    if !plain {
                        return None;
                    }
                }
                Element::Directive(_) => return None,
            }
        }
        let mut text = String::with_capacity(len);
        let mut evaluated = values.iter();
        for el in t.iter() {
            match el {
                Element::Literal(l) => text.push_str(l.as_str()),
                Element::Interpolation(_) => {
                    let (v, _) = evaluated.next()?;
                    match (&v.value, v.tag.as_deref()) {
                        (Value::Str(name), Some(UNKNOWN_TAG)) => {
                            text.push_str("${");
                            sanitize_into(&mut text, name);
                            text.push('}');
                        }
                        // A known scalar.
                        _ => text.push_str(&v.scalar_text().unwrap_or_default()),
                    }
                }
                Element::Directive(_) => return None,
            }
        }
        // Text that may be a JSON object is decoded with its pieces' positions.
        if trim_start(&text).starts_with('{') || unknown && dollar {
            return None;
        }
        let mut n = string(text, span);
        if unknown {
            // Never one unknown alone: a template of one interpolation is its value.
            n.tag = PARTIAL_TAG.into();
        }
        Some(n)
    }

    /// The pieces of a template, or `None` when a directive cannot be decided.
    fn template_parts(&self, file: FileId, t: &Template, scope: &Scope) -> Option<Vec<Part>> {
        self.template_parts_with(file, t, scope, &mut Interpolated::new().into_iter())
    }

    /// [`Module::template_parts`], taking the values of its first interpolations from
    /// `evaluated`, each with whether no composed string was recorded right after its
    /// evaluation (see [`Module::plain_template`]).
    fn template_parts_with(
        &self,
        file: FileId,
        t: &Template,
        scope: &Scope,
        evaluated: &mut smallvec::IntoIter<[(Node, bool); 4]>,
    ) -> Option<Vec<Part>> {
        let text = self.text(file);
        let mut parts = Vec::new();
        for el in t.iter() {
            match el {
                Element::Literal(l) => {
                    let r = l.span();
                    let sp = span_of(file, r.clone());
                    let identity = r
                        .as_ref()
                        .and_then(|r| text.get(r.clone()))
                        .is_some_and(|raw| raw == l.as_str());
                    let raw = r.as_ref().and_then(|r| text.get(r.clone())).unwrap_or("");
                    parts.push(Part {
                        text: l.to_string(),
                        unknown: false,
                        origin: if identity {
                            Origin2::Identity(file, sp.start as usize)
                        } else if let Some(t) = align(raw, l.as_str(), sp.start) {
                            Origin2::Table(file, std::rc::Rc::new(t))
                        } else {
                            Origin2::Fixed(sp)
                        },
                    });
                }
                Element::Interpolation(i) => {
                    // A value evaluated when no composed string was recorded: read by its
                    // own pieces, as `value_parts` read it then (see `plain_template`).
                    let (v, none_recorded) = match evaluated.next() {
                        Some(x) => x,
                        None => (self.eval(file, &i.expr, scope), false),
                    };
                    let sp = span_of(file, i.expr.span());
                    // A null Terraform refuses here ("Invalid template interpolation value"):
                    // no string is made, so this piece is unknown, named by the expression
                    // (`${var.name}-amplify-role`, not `-amplify-role`).
                    if matches!(v.value, Value::Null) && v.tag.is_none() {
                        parts.push(Part {
                            text: self.source(file, i.expr.span()).to_string(),
                            unknown: true,
                            origin: Origin2::Fixed(sp),
                        });
                        continue;
                    }
                    let pieces = match none_recorded {
                        true => parts_of(&v),
                        false => self.value_parts(&v),
                    };
                    // A piece the caller passed in keeps where the caller wrote it; the
                    // module's own values are placed at the interpolation.
                    match pieces {
                        Some(ps) => parts.extend(ps.into_iter().map(|mut p| {
                            if !self.passed_in(&p.origin) {
                                p.origin = Origin2::Fixed(sp);
                            }
                            p
                        })),
                        // A collection in a template is an error Terraform reports.
                        None => return None,
                    }
                }
                Element::Directive(d) => match &**d {
                    Directive::If(ifd) => {
                        match self.eval(file, &ifd.if_expr.cond_expr, scope).as_bool() {
                            Some(true) => parts.extend(self.template_parts(
                                file,
                                &ifd.if_expr.template,
                                scope,
                            )?),
                            Some(false) => {
                                if let Some(el) = &ifd.else_expr {
                                    parts.extend(self.template_parts(file, &el.template, scope)?)
                                }
                            }
                            None => return None,
                        }
                    }
                    Directive::For(f) => {
                        let fe = &f.for_expr;
                        let coll = self.eval(file, &fe.collection_expr, scope);
                        for (k, v) in items_of(&coll)? {
                            let mut s = scope.with(fe.value_var.as_str(), v);
                            if let Some(kv) = &fe.key_var {
                                s = s.with(kv.as_str(), k);
                            }
                            parts.extend(self.template_parts(file, &fe.template, &s)?);
                        }
                    }
                },
            }
        }
        Some(parts)
    }

    fn for_expr(
        &self,
        file: FileId,
        f: &super::ast::ForExpr,
        scope: &Scope,
        e: &Expression,
    ) -> Node {
        let span = span_of(file, e.span());
        let coll = self.eval(file, &f.intro.collection_expr, scope);
        let Some(items) = items_of(&coll) else {
            return self.unknown_expr(file, e);
        };
        let over = self.resource_collection(&f.intro.collection_expr, scope);
        let mut seq = Vec::new();
        let mut map = Vec::new();
        for (k, v) in items {
            let mut s = scope.with(f.intro.value_var.as_str(), v);
            if let Some(a) = &over {
                let at = format!("{a}{}", instance_suffix(&k));
                s = s.with(&address_var(f.intro.value_var.as_str()), string(at, k.span));
            }
            if let Some(kv) = &f.intro.key_var {
                s = s.with(kv.as_str(), k);
            }
            if let Some(c) = &f.cond {
                match self.eval(file, &c.expr, &s).as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return self.unknown_expr(file, e),
                }
            }
            let value = self.eval(file, &f.value_expr, &s);
            match &f.key_expr {
                Some(ke) => {
                    let key = self.eval(file, ke, &s);
                    if key.as_str().is_none() || is_unknown(&key) {
                        return self.unknown_expr(file, e);
                    }
                    map.push(Entry { key, value });
                }
                None => seq.push(value),
            }
        }
        if f.key_expr.is_some() {
            node(Value::Map(map.into()), span)
        } else {
            node(Value::Seq(seq.into()), span)
        }
    }

    fn traversal(
        &self,
        file: FileId,
        t: &super::ast::Traversal,
        scope: &Scope,
        e: &Expression,
    ) -> Node {
        let full = self.source(file, e.span());
        let span = span_of(file, e.span());
        // Known facts about outputs the configuration cannot see: the EKS cluster's issuer
        // URL carries its scheme (terraform-aws-modules/eks `cluster_oidc_issuer_url`, the
        // cluster's `identity[0].oidc[0].issuer`); its `oidc_provider` output does not.
        // A reference is short: its `i`s tried in place (a substring searcher's set-up was
        // most of this test's cost).
        let b = full.as_bytes();
        // A fact's name ends in `_url` or `issuer` (blanks aside): a reference whose last
        // byte is plainly something else is none, told without a search.
        let may_end_so = match b.last() {
            Some(&c) if plain_edge(c) => c == b'l' || c == b'r',
            _ => true,
        };
        let issuer_url = may_end_so
            && memchr::memchr_iter(b'i', b).any(|i| b[i..].starts_with(b"issuer"))
            && is_issuer_url_fact(full);
        if issuer_url {
            return from_parts(
                &[
                    Part::known("https://", span),
                    Part {
                        text: full.to_string(),
                        unknown: true,
                        origin: Origin2::Fixed(span),
                    },
                ],
                span,
            );
        }
        // The attribute names of the steps: in place for the few steps a reference has (a
        // vector of them was an allocation per reference).
        fn name_of<'a>(o: &Spanned<TraversalOperator<'a>>) -> Option<&'a str> {
            match o.value() {
                TraversalOperator::GetAttr(i) => Some(i.as_str()),
                _ => None,
            }
        }
        let mut few: [Option<&str>; 8] = [None; 8];
        let many: Vec<Option<&str>>;
        let names: &[Option<&str>] = if t.operators.len() <= few.len() {
            for (n, o) in few.iter_mut().zip(t.operators) {
                *n = name_of(o);
            }
            &few[..t.operators.len()]
        } else {
            many = t.operators.iter().map(name_of).collect();
            &many
        };
        let root = match &t.expr {
            Expression::Variable(v) => v.as_str(),
            other => {
                let base = self.eval(file, other, scope);
                return self.apply_ops(file, base, t.operators, scope, e);
            }
        };
        if let Some(v) = scope.get(root) {
            let v = self.apply_ops_at(file, v, t.operators, scope, e);
            let mut v = self.instance_attribute(root, names, scope, v, full, span);
            // A module output only apply will know, read through the iteration
            // (`each.value.role_arn` over `module.x`): where this reference is written, as
            // a reference to it by the call's name is.
            if v.tag.as_deref() == Some(UNKNOWN_TAG)
                && v.as_str().is_some_and(|n| n.starts_with("module."))
            {
                v.span = span;
            }
            return v;
        }
        let first = names.first().copied().flatten();
        match (root, first) {
            // A local module's variable: what its call passes, else its default.
            ("var", Some(name)) if self.call.is_some() => {
                let passed = self.call.as_ref().and_then(|c| c.inputs.get(name));
                let v = match (passed, self.vars.get(name)) {
                    (Some(v), _) => return self.apply_ops_at(file, v, &t.operators[1..], scope, e),
                    (None, Some((f, x))) => self.eval(*f, x, &Scope::default()),
                    (None, None) => return unknown(full, span),
                };
                self.apply_ops(file, v, &t.operators[1..], scope, e)
            }
            ("var", Some(name)) => {
                let v = match self.tfvars.get(name) {
                    Some(Some((f, x))) => self.eval(*f, x, &Scope::default()),
                    Some(None) => return unknown(full, span),
                    None => match self.vars.get(name) {
                        Some((f, x)) => self.eval(*f, x, &Scope::default()),
                        None => return unknown(full, span),
                    },
                };
                self.apply_ops(file, v, &t.operators[1..], scope, e)
            }
            ("local", Some(name)) => {
                let v = self.local(name, span, full);
                self.apply_ops(file, v, &t.operators[1..], scope, e)
            }
            // Terraform's `path.module` of the root is `.`: never an empty prefix that would
            // turn `"${path.module}/x.json"` into an absolute path.
            ("path", Some(which @ ("module" | "root" | "cwd"))) => {
                let dir = match (&self.call, which) {
                    (Some(c), "root" | "cwd") => c.root_dir,
                    _ => self.dir,
                };
                string(if dir.is_empty() { "." } else { dir }, span)
            }
            ("module", Some(name)) => self.module_reference(file, t, scope, e, name),
            ("data", Some("template_file")) => {
                let name = names.get(1).copied().flatten();
                let (index, at) = match t.operators.get(2).map(|o| o.value()) {
                    Some(TraversalOperator::Index(x)) => (Some(self.eval(file, x, scope)), 3),
                    Some(TraversalOperator::LegacyIndex(i)) => {
                        (Some(node(Value::Int(*i.value() as i64), span)), 3)
                    }
                    _ => (None, 2),
                };
                match (name, names.get(at).copied().flatten()) {
                    (Some(n), Some("rendered")) if t.operators.len() == at + 1 => self
                        .template_file(n, index.as_ref(), span)
                        .unwrap_or_else(|| unknown(full, span)),
                    _ => unknown(full, span),
                }
            }
            ("data", Some("aws_iam_policy_document")) => {
                let name = names.get(1).copied().flatten();
                // `data.x[*].json`: the list of each instance's document.
                if let Some(v) = name.and_then(|n| self.policy_document_splat(n, t, span)) {
                    return v;
                }
                // `data.x.json`, or one instance's: `data.x["k"].json`, `data.x[0].json`.
                let (index, at) = match t.operators.get(2).map(|o| o.value()) {
                    Some(TraversalOperator::Index(x)) => (Some(self.eval(file, x, scope)), 3),
                    Some(TraversalOperator::LegacyIndex(i)) => {
                        (Some(node(Value::Int(*i.value() as i64), span)), 3)
                    }
                    _ => (None, 2),
                };
                let attr = names.get(at).copied().flatten();
                match (name, attr) {
                    (Some(n), Some("json" | "minified_json")) if t.operators.len() == at + 1 => {
                        self.policy_document(n, index.as_ref())
                            .unwrap_or_else(|| unknown(full, span))
                    }
                    // The data source itself (`for_each = data.aws_iam_policy_document.x`):
                    // by instance key, each with its `json`.
                    (Some(n), None)
                        if t.operators.len() == 2
                            && self.keyed("data", "aws_iam_policy_document", n) =>
                    {
                        self.policy_documents(n, span)
                            .unwrap_or_else(|| unknown(full, span))
                    }
                    _ => unknown(full, span),
                }
            }
            (kind, Some(name)) if kind.contains('_') => {
                if let Some(v) = self.splat(kind, name, &t.operators[1..], span) {
                    return v;
                }
                // A resource's attribute the configuration sets (its `name`) is known; what
                // the provider computes (`arn`, `id`) is not.
                let v = match self.resource_body(kind, name) {
                    Some(r) => self
                        .apply_referenced(file, &r, &t.operators[1..], scope, e)
                        .unwrap_or_else(|| unknown(full, span)),
                    None => unknown(full, span),
                };
                // Unknown as a whole (`aws_iam_role.x[each.key].arn`): named with the
                // instance key it selects, as links by reference compare the names.
                if v.tag.as_deref() == Some(UNKNOWN_TAG)
                    && v.as_str().is_some_and(|s| is_sanitized(s, full))
                {
                    let name = self.reference_name(file, t, scope, full);
                    return unknown(&self.qualify(&name), span);
                }
                v
            }
            _ => unknown(&self.reference_name(file, t, scope, full), span),
        }
    }

    /// `module.<name>…`: a local module call's outputs (the instance's, or the collection
    /// of its known instances); the call's known instances as a collection whose values
    /// are unknown (`for_each = module.irsa` over a call this evaluation does not expand,
    /// each instance named by its address, `module.irsa["web"]`); else unknown, named by
    /// the reference with its instance keys evaluated, in the root's namespace.
    fn module_reference(
        &self,
        file: FileId,
        t: &super::ast::Traversal,
        scope: &Scope,
        e: &Expression,
        name: &str,
    ) -> Node {
        let full = self.source(file, e.span());
        let span = span_of(file, e.span());
        let named = || {
            unknown(
                &self.qualify(&self.reference_name(file, t, scope, full)),
                span,
            )
        };
        let ops = &t.operators[1..];
        let Some(call) = self.local_call(name) else {
            // The whole collection of a call's known instances.
            if ops.is_empty() {
                if let Some((f, b)) = self.find_block("module", name, "") {
                    if let Instances::Keyed(items) = self.instances(f, b) {
                        let at = |k: &Node| {
                            unknown(
                                &self.qualify(&format!("module.{name}{}", instance_suffix(k))),
                                k.span,
                            )
                        };
                        return match items.first().is_some_and(|(k, _)| k.as_str().is_some()) {
                            true => node(
                                Value::Map(
                                    items
                                        .iter()
                                        .map(|(k, _)| Entry {
                                            key: k.clone(),
                                            value: at(k),
                                        })
                                        .collect(),
                                ),
                                span,
                            ),
                            false => {
                                node(Value::Seq(items.iter().map(|(k, _)| at(k)).collect()), span)
                            }
                        };
                    }
                }
            }
            // An output of a modelled module that the model gives as a value.
            if let Some(v) = self.modelled_output(name, ops) {
                return self.apply_ops(file, v, &ops[1..], scope, e);
            }
            return named();
        };
        // The template of instances the inputs do not fix stands for each of them: what
        // every instance shares.
        let ops = match (call.keyed, ops.first().map(|o| o.value())) {
            (None, Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_))) => {
                &ops[1..]
            }
            _ => ops,
        };
        let mut v = match (call.keyed, ops.first().map(|o| o.value())) {
            // One output of a single instance: only that output is evaluated (what the whole
            // map of outputs would give for it).
            (None, Some(TraversalOperator::GetAttr(output))) => {
                let Some(instance) = call.instances.first() else {
                    return named();
                };
                match instance.named_output(output.as_str()) {
                    Some(value) => self.apply_ops(file, value, &ops[1..], scope, e),
                    None => self.unknown_expr(file, e),
                }
            }
            _ => {
                let Some(value) = call.value() else {
                    return named();
                };
                self.apply_ops(file, value, ops, scope, e)
            }
        };
        if v.tag.as_deref() == Some(UNKNOWN_TAG) {
            if v.as_str().is_some_and(|s| is_sanitized(s, full)) {
                return named();
            }
            // An output only apply will know: where the caller refers to it.
            v.span = span;
        }
        v
    }

    /// The output `ops[0]` of the call `module.<name>` of a modelled module, when the model
    /// gives it as a value (eks-pod-identity's `associations`, see
    /// `modules::eks_pod_identity::associations_output`); `None` otherwise, and for a call
    /// with `count`/`for_each`.
    fn modelled_output(&self, name: &str, ops: &[Spanned<TraversalOperator>]) -> Option<Node> {
        let output = match ops.first()?.value() {
            TraversalOperator::GetAttr(i) => i.as_str(),
            _ => return None,
        };
        let (file, b) = self.find_block("module", name, "")?;
        let source = b.body.attributes().find(|a| a.key.as_str() == "source")?;
        let Expression::String(s) = &source.value else {
            return None;
        };
        if super::modules::known(s.value()) != Some(super::modules::Known::EksPodIdentity)
            || output != "associations"
        {
            return None;
        }
        if !matches!(self.instances(file, b), Instances::Single) {
            return None;
        }
        let address = self.qualify(&format!("module.{name}"));
        let body = self.block_body(file, b, &format!("module.{name}"), &Scope::default())?;
        let anchor = span_of(
            file,
            b.labels
                .last()
                .and_then(|l| l.span())
                .or_else(|| b.ident.span()),
        );
        let call = super::modules::ModuleCall {
            address: &address,
            source: s.value(),
            version: body.get("version").and_then(Node::as_str),
            args: &body,
            file,
            anchor,
            call: self.call.as_ref().map(|c| c.call),
        };
        super::modules::eks_pod_identity::associations_output(&call)
    }

    /// A reference's name with the instance keys it selects evaluated
    /// (`module.irsa[each.key].iam_role_arn` → `module.irsa["web"].iam_role_arn`); `full`,
    /// the text as written, when a key is not known.
    fn reference_name(
        &self,
        file: FileId,
        t: &super::ast::Traversal,
        scope: &Scope,
        full: &str,
    ) -> String {
        let indexed = t.operators.iter().any(|o| {
            matches!(
                o.value(),
                TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)
            )
        });
        let Expression::Variable(root) = &t.expr else {
            return full.to_string();
        };
        if !indexed {
            return full.to_string();
        }
        let mut name = root.as_str().to_string();
        for op in t.operators {
            match op.value() {
                TraversalOperator::GetAttr(i) => {
                    name.push('.');
                    name.push_str(i.as_str());
                }
                TraversalOperator::Index(x) => {
                    let k = self.eval(file, x, scope);
                    let suffix = instance_suffix(&k);
                    if is_unknown(&k) || suffix.is_empty() {
                        return full.to_string();
                    }
                    name.push_str(&suffix);
                }
                TraversalOperator::LegacyIndex(i) => name.push_str(&format!("[{}]", i.value())),
                _ => return full.to_string(),
            }
        }
        name
    }

    fn apply_ops(
        &self,
        file: FileId,
        v: Node,
        ops: &[Spanned<TraversalOperator>],
        scope: &Scope,
        e: &Expression,
    ) -> Node {
        if ops.is_empty() {
            return v;
        }
        self.apply_ops_at(file, &v, ops, scope, e)
    }

    /// [`Module::apply_ops`] on a value it reads in place: only what the operators reach is
    /// copied, not each value on the way.
    fn apply_ops_at(
        &self,
        file: FileId,
        v: &Node,
        ops: &[Spanned<TraversalOperator>],
        scope: &Scope,
        e: &Expression,
    ) -> Node {
        let mut v = v;
        for op in ops {
            if is_unknown(v) {
                return self.unknown_expr(file, e);
            }
            let next = match op.value() {
                TraversalOperator::GetAttr(i) => v.get(i.as_str()),
                TraversalOperator::Index(x) => {
                    let k = self.eval(file, x, scope);
                    match (&v.value, &k.value) {
                        (Value::Seq(s), Value::Int(i)) => {
                            usize::try_from(*i).ok().and_then(|i| s.get(i))
                        }
                        (Value::Map(_), Value::Str(s)) if !is_unknown(&k) => v.get(s),
                        _ => None,
                    }
                }
                TraversalOperator::LegacyIndex(i) => {
                    v.as_seq().and_then(|s| s.get(*i.value() as usize))
                }
                _ => None,
            };
            match next {
                Some(n) => v = n,
                None => return self.unknown_expr(file, e),
            }
        }
        v.clone()
    }

    fn local(&self, name: &str, span: Span, full: &str) -> Node {
        if let Some(v) = self.local_cache.borrow().get(name) {
            return v.clone();
        }
        let Some((f, x)) = self.locals.get(name) else {
            return unknown(full, span);
        };
        if !self.enter(name.to_string()) {
            return unknown(full, span);
        }
        let v = self.eval(*f, x, &Scope::default());
        let name = self.leave();
        self.local_cache.borrow_mut().insert(name, v.clone());
        v
    }

    /// Marks `key` as being evaluated (see [`Module::in_progress`]); `false`: it already is,
    /// a cycle.
    fn enter(&self, key: String) -> bool {
        let mut stack = self.in_progress.borrow_mut();
        if stack.contains(&key) {
            return false;
        }
        stack.push(key);
        true
    }

    /// Ends the innermost evaluation [`Module::enter`] began, giving its key back.
    fn leave(&self) -> String {
        self.in_progress.borrow_mut().pop().unwrap_or_default()
    }

    fn find_block(&self, ident: &str, kind: &str, name: &str) -> Option<(FileId, &'m Block<'m>)> {
        self.block_index
            .get(&(ident, kind, name))
            .map(|&i| self.blocks[i])
    }

    /// The configured values of `resource "<kind>" "<name>"` (what the provider computes,
    /// such as `arn`, is absent, so a reference to it stays unknown), as Terraform gives the
    /// reference: the body, or for known instances each instance's body by its key (see
    /// [`Referenced`]). Evaluated once; the bodies are those [`Module::resources`] emits.
    fn resource_body(&self, kind: &str, name: &str) -> Option<Rc<Referenced>> {
        let address = [kind, ".", name].concat();
        if let Some(v) = self.ref_cache.borrow().get(&address) {
            return v.clone();
        }
        // `count`/`for_each` may refer to the resource itself: a cycle, unknown. The key is
        // not an address, so it does not stop the body's own evaluation (`block_body`).
        if !self.enter([address.as_str(), " (instances)"].concat()) {
            return None;
        }
        let r = match self.find_block("resource", kind, name) {
            Some((f, b)) => self.referenced(f, b, &address),
            None => self
                .skipped
                .iter()
                .find(|(_, s)| s.kind == kind && s.name == name)
                .and_then(|(f, s)| {
                    let parsed = self.parse_skipped(*f, s)?;
                    // Bound first: the result must not borrow `parsed`, which drops here.
                    let r = self.referenced(*f, parsed.body.blocks().next()?, &address);
                    #[allow(clippy::let_and_return)]
                    r
                }),
        }
        .map(Rc::new);
        self.leave();
        self.ref_cache.borrow_mut().insert(address, r.clone());
        r
    }

    /// The block `b` at `address` as a reference sees it; `None` when it has no instance
    /// or one is being evaluated.
    fn referenced(&self, file: FileId, b: &Block, address: &str) -> Option<Referenced> {
        Some(match self.instances(file, b) {
            Instances::None => return None,
            Instances::Single => {
                let body = self.block_body(file, b, address, &Scope::default())?;
                Referenced::One(self.read_back(address, body))
            }
            Instances::Template(s) => {
                let body = self.block_body(file, b, address, &s)?;
                Referenced::One(self.read_back(address, body))
            }
            Instances::Keyed(items) => {
                let by_key = items.first().is_some_and(|(k, _)| k.as_str().is_some());
                let mut bodies = Vec::with_capacity(items.len());
                for (k, s) in items {
                    let at = format!("{address}{}", instance_suffix(&k));
                    let body = self.block_body(file, b, &at, &s)?;
                    bodies.push((k, self.read_back(&at, body)));
                }
                Referenced::Keyed {
                    by_key,
                    bodies,
                    span: span_of(file, b.span()),
                }
            }
        })
    }

    /// A resource's body as a reference reads it, when the provider stores another value
    /// than the configured one: an `aws_iam_openid_connect_provider`'s `url` is what IAM's
    /// GetOpenIDConnectProvider returns, the URL without its `https://`
    /// (terraform-provider-aws internal/service/iam/openid_connect_provider.go, read:
    /// `d.Set("url", output.Url)`), so `"${aws_iam_openid_connect_provider.eks.url}:sub"` is
    /// the key IAM names (wandb/terraform-aws-wandb modules/app_eks/iam-roles.tf). A known
    /// URL loses the scheme; an unknown one (`module.eks.cluster_oidc_issuer_url`, whose
    /// scheme is a known fact) is named by the attribute, which carries no scheme.
    fn read_back(&self, at: &str, body: Rc<Node>) -> Rc<Node> {
        if !at.starts_with("aws_iam_openid_connect_provider.") {
            return body;
        }
        let Some(url) = body.get("url") else {
            return body;
        };
        let read = match (&url.value, url.tag.as_deref()) {
            (Value::Str(_), Some(UNKNOWN_TAG)) => {
                unknown(&self.qualify(&[at, ".url"].concat()), url.span)
            }
            (Value::Str(s), Some(PARTIAL_TAG)) => match s.strip_prefix("https://") {
                // The issuer URL fact: named as `trimprefix()` of it is.
                Some(rest) => match split_sub(rest, url.span).as_slice() {
                    [p] if p.unknown && is_issuer_url_fact(&p.text) => {
                        unknown(&schemeless_issuer(&p.text), url.span)
                    }
                    parts => from_parts(parts, url.span),
                },
                None => return body,
            },
            (Value::Str(s), _) => match s.strip_prefix("https://") {
                Some(rest) => string(rest, url.span),
                None => return body,
            },
            _ => return body,
        };
        let mut body = (*body).clone();
        if let Value::Map(entries) = &mut body.value {
            for e in entries.iter_mut() {
                if e.key.as_str() == Some("url") {
                    e.value = read.clone();
                }
            }
        }
        Rc::new(body)
    }

    /// A reference's operators after `<kind>.<name>` applied to the resource `r`, copying
    /// only the value taken (an instance's attribute is read from the shared body); `None`
    /// for the resource alone when it is no collection of known instances. Gives what
    /// [`Module::apply_ops`] gives on the whole value, a map by `for_each` key or a list by
    /// `count` index of the instances' bodies.
    fn apply_referenced(
        &self,
        file: FileId,
        r: &Referenced,
        ops: &[Spanned<TraversalOperator>],
        scope: &Scope,
        e: &Expression,
    ) -> Option<Node> {
        let (body, ops) = match r {
            Referenced::One(body) => (body, ops),
            Referenced::Keyed {
                by_key,
                bodies,
                span,
            } => {
                let instance = |op: &Spanned<TraversalOperator>| -> Option<Option<&Rc<Node>>> {
                    Some(match op.value() {
                        TraversalOperator::Index(x) => {
                            let k = self.eval(file, x, scope);
                            match (&k.value, *by_key) {
                                (Value::Int(i), false) => usize::try_from(*i)
                                    .ok()
                                    .and_then(|i| bodies.get(i))
                                    .map(|(_, b)| b),
                                (Value::Str(s), true) if !is_unknown(&k) => bodies
                                    .iter()
                                    .find(|(key, _)| key.as_str() == Some(s))
                                    .map(|(_, b)| b),
                                _ => None,
                            }
                        }
                        TraversalOperator::LegacyIndex(i) if !*by_key => {
                            bodies.get(*i.value() as usize).map(|(_, b)| b)
                        }
                        TraversalOperator::LegacyIndex(_) => None,
                        _ => return None,
                    })
                };
                match ops.split_first() {
                    Some((first, rest)) => match instance(first) {
                        Some(Some(body)) => (body, rest),
                        Some(None) => return Some(self.unknown_expr(file, e)),
                        // Not an instance key (`aws_iam_role.x.name`): on the collection.
                        None => {
                            let all = collection(*by_key, bodies, *span);
                            return Some(self.apply_ops(file, all, ops, scope, e));
                        }
                    },
                    // `for_each = aws_iam_role.x`: the collection itself.
                    None => return Some(collection(*by_key, bodies, *span)),
                }
            }
        };
        let (first, rest) = ops.split_first()?;
        Some(match first.value() {
            TraversalOperator::GetAttr(i) => match body.get(i.as_str()) {
                Some(v) => self.apply_ops(file, v.clone(), rest, scope, e),
                None => self.unknown_expr(file, e),
            },
            _ => self.apply_ops(file, (**body).clone(), ops, scope, e),
        })
    }

    /// `<kind>.<name>[*].<attr>` (or `<kind>.<name>.*.<attr>`) of a resource whose instances
    /// are known: the list of each instance's attribute, the configured value when it is set,
    /// else (an attribute the provider computes, `arn`) unknown named by the instance's
    /// address (`aws_iam_role.this[0].arn`), so that a module output written
    /// `one(aws_iam_role.this[*].arn)` or `element(concat(aws_iam_role.this[*].arn, [""]), 0)`
    /// links to that role. `None` when the instances are not known (a `count` on an unknown),
    /// for instances by key (a splat of a map is an error) and for any other operators.
    fn splat(
        &self,
        kind: &str,
        name: &str,
        ops: &[Spanned<TraversalOperator>],
        span: Span,
    ) -> Option<Node> {
        let attr = splat_attr(ops)?;
        let (f, b) = self.find_block("resource", kind, name)?;
        let keys: Vec<Option<Node>> = match self.instances(f, b) {
            Instances::None => Vec::new(),
            Instances::Single => vec![None],
            Instances::Keyed(items) if items.iter().all(|(k, _)| k.as_str().is_none()) => {
                items.into_iter().map(|(k, _)| Some(k)).collect()
            }
            _ => return None,
        };
        let bodies = self.resource_body(kind, name);
        let items = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let body = match (bodies.as_deref(), k) {
                    (Some(Referenced::One(b)), None) => Some(b),
                    (Some(Referenced::Keyed { bodies, .. }), Some(_)) => {
                        bodies.get(i).map(|(_, b)| b)
                    }
                    _ => None,
                };
                match body.and_then(|b| b.get(attr)) {
                    Some(v) => v.clone(),
                    None => {
                        let suffix = k.as_ref().map(instance_suffix).unwrap_or_default();
                        unknown(
                            &self.qualify(&format!("{kind}.{name}{suffix}.{attr}")),
                            span,
                        )
                    }
                }
            })
            .collect();
        Some(node(Value::Seq(items), span))
    }

    /// Whether the reference `e` certainly evaluates in Terraform though its value is
    /// unknown: an attribute every IAM role has (`arn`, `name`, `id`, `unique_id`) of an
    /// `aws_iam_role` instance the configuration certainly creates
    /// (`try(aws_iam_role.this[0].arn, "")` under a known `count = 1`, terraform-aws-modules'
    /// and eks-blueprints-addon's outputs), or an output a modelled module certainly has of a
    /// call instance the configuration certainly creates (`module.irsa[0].iam_role_arn`), so
    /// that `try()` gives it and not its fallback.
    fn certainly_succeeds(&self, file: FileId, e: &Expression, scope: &Scope) -> bool {
        let Expression::Traversal(t) = e else {
            return false;
        };
        let Expression::Variable(kind) = &t.expr else {
            return false;
        };
        if !matches!(kind.as_str(), "aws_iam_role" | "module") {
            return false;
        }
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let (name, index, attr) = match ops.as_slice() {
            [TraversalOperator::GetAttr(n), TraversalOperator::GetAttr(a)] => (n, None, a),
            [TraversalOperator::GetAttr(n), TraversalOperator::Index(x), TraversalOperator::GetAttr(a)] => {
                (n, Some(self.eval(file, x, scope)), a)
            }
            [TraversalOperator::GetAttr(n), TraversalOperator::LegacyIndex(i), TraversalOperator::GetAttr(a)] =>
            {
                let at = span_of(file, e.span());
                (n, Some(node(Value::Int(*i.value() as i64), at)), a)
            }
            _ => return false,
        };
        let found = if kind.as_str() == "module" {
            // An output a modelled module certainly has (`module.irsa[0].iam_role_arn`:
            // terraform-aws-modules writes it `try(aws_iam_role.this[0].arn, "")`, never an
            // error; ministryofjustice/analytical-platform-airflow@f4b4245 terraform/modules/
            // airflow names its role `try(module.iam_role[0].iam_role_arn, …)`).
            self.find_block("module", name.as_str(), "")
                .filter(|(_, b)| {
                    let address = format!("module.{}", name.as_str());
                    b.body
                        .attributes()
                        .find(|a| a.key.as_str() == "source")
                        .and_then(|a| match &a.value {
                            Expression::String(s) => Some(*s.value()),
                            _ => None,
                        })
                        .is_some_and(|source| {
                            self.local_call(name.as_str()).is_none()
                                && super::modules::output_reference(source, &address, attr.as_str())
                                    .is_some()
                        })
                })
        } else if matches!(attr.as_str(), "arn" | "name" | "id" | "unique_id") {
            self.find_block("resource", "aws_iam_role", name.as_str())
        } else {
            None
        };
        let Some((f, b)) = found else {
            return false;
        };
        match (self.instances(f, b), index) {
            (Instances::Single, None) => true,
            (Instances::Keyed(items), Some(k)) if !is_unknown(&k) => {
                items.iter().any(|(key, _)| key.value == k.value)
            }
            _ => false,
        }
    }

    /// `<kind>.<name>` when `x` is a reference to a whole resource with known instances
    /// (`for_each = aws_iam_role.irsa`, `for k, r in aws_iam_role.irsa`): its address.
    fn resource_collection(&self, x: &Expression, scope: &Scope) -> Option<String> {
        let Expression::Traversal(t) = x else {
            return None;
        };
        let Expression::Variable(kind) = &t.expr else {
            return None;
        };
        let kind = kind.as_str();
        let [op] = t.operators else {
            return None;
        };
        let TraversalOperator::GetAttr(name) = op.value() else {
            return None;
        };
        let keyed = match kind {
            "module" => self.keyed("module", name.as_str(), ""),
            _ => kind.contains('_') && self.keyed("resource", kind, name.as_str()),
        };
        (keyed && scope.get(kind).is_none())
            .then(|| self.qualify(&format!("{kind}.{}", name.as_str())))
    }

    /// `v`, the value of `full` (a reference through the scope variable `root`), unless
    /// it is an attribute the provider computes of a resource instance the variable iterates
    /// over (`each.value.arn` under `for_each = aws_iam_role.x`): then unknown, named by the
    /// instance's address (`aws_iam_role.x["web"].arn`) so that links by address hold.
    fn instance_attribute(
        &self,
        root: &str,
        names: &[Option<&str>],
        scope: &Scope,
        v: Node,
        full: &str,
        span: Span,
    ) -> Node {
        // Only an unknown this reference made (not set in the instance's body).
        if v.tag.as_deref() != Some(UNKNOWN_TAG)
            || !v.as_str().is_some_and(|s| is_sanitized(s, full))
        {
            return v;
        }
        let (var, rest) = match (root, names) {
            ("each", [Some("value"), rest @ ..]) => ("each.value", rest),
            ("each", _) => return v,
            (_, rest) => (root, rest),
        };
        let address = scope.get(&address_var(var)).and_then(Node::as_str);
        match (address, rest) {
            // A module instance's output (`each.value.iam_role_arn` over `module.irsa`).
            (Some(a), [Some(attr)]) if COMPUTED.contains(attr) || is_module_address(a) => {
                unknown(&format!("{a}.{attr}"), span)
            }
            _ => v,
        }
    }

    /// Whether the block's `count`/`for_each` give known instances.
    fn keyed(&self, ident: &str, kind: &str, name: &str) -> bool {
        self.find_block(ident, kind, name)
            .is_some_and(|(f, b)| matches!(self.instances(f, b), Instances::Keyed(_)))
    }

    /// A block [`parse_module_files`] left out, parsed alone at its offsets in its file, into
    /// the root's arena. A local module's are parsed once for every root that evaluates it
    /// (its outputs refer to resources no model reads, `aws_security_group.x.id`, a parse for
    /// every instance of every call otherwise), kept until that root is done.
    fn parse_skipped(&self, file: FileId, s: &Skipped) -> Option<Rc<Parsed<'m>>> {
        let parse_it = || {
            let text = self.text(file).get(..s.end)?;
            let arena = self.env.arena;
            let blanked = arena.alloc_str(&blank_except(text, std::iter::once((s.start, s.end))));
            parse(arena, file, blanked, self.limits).ok().map(Rc::new)
        };
        let parsed = match self.call {
            Some(_) => {
                let key = (file, s.start);
                let cached = self.env.skipped.borrow().get(&key).cloned();
                match cached {
                    Some(p) => p?,
                    None => {
                        let p = parse_it();
                        self.env.skipped.borrow_mut().insert(key, p.clone());
                        p?
                    }
                }
            }
            None => parse_it()?,
        };
        let mut renamed = self.renamed.borrow_mut();
        for (at, name) in &parsed.renamed {
            renamed.insert((file, *at), name.clone());
        }
        Some(parsed)
    }

    /// `data.aws_iam_policy_document.<name>` as a value: `{json = …}`, or for known
    /// instances a map by `for_each` key or a list by `count` index of them; `None` when a
    /// document or the instances are not known.
    fn policy_documents(&self, name: &str, span: Span) -> Option<Node> {
        let (f, b) = self.find_block("data", "aws_iam_policy_document", name)?;
        let with_json = |doc: Node| {
            node(
                Value::Map(
                    vec![
                        Entry {
                            key: string("json", span),
                            value: doc.clone(),
                        },
                        Entry {
                            key: string("minified_json", span),
                            value: doc,
                        },
                    ]
                    .into(),
                ),
                span,
            )
        };
        match self.instances(f, b) {
            Instances::Single => Some(with_json(self.policy_document(name, None)?)),
            Instances::Keyed(items) => {
                let by_key = items.first().is_some_and(|(k, _)| k.as_str().is_some());
                let mut out = Vec::new();
                for (k, _) in items {
                    let doc = with_json(self.policy_document(name, Some(&k))?);
                    out.push((k, doc));
                }
                Some(if by_key {
                    node(
                        Value::Map(
                            out.into_iter()
                                .map(|(key, value)| Entry { key, value })
                                .collect(),
                        ),
                        span,
                    )
                } else {
                    node(Value::Seq(out.into_iter().map(|(_, v)| v).collect()), span)
                })
            }
            Instances::None | Instances::Template(_) => None,
        }
    }

    /// `data.aws_iam_policy_document.<name>[*].json` (or `.*.json`, `minified_json`): the
    /// list of each instance's document, as eks-blueprints-addons passes its add-ons'
    /// permissions (`source_policy_documents = data.aws_iam_policy_document.x[*].json`, the
    /// data source under `count`): empty for no instance, one for a block without
    /// `count`/`for_each`. Unknown (named by the reference) when the instances or a document
    /// are not known, or the instances are keyed by `for_each` (a splat of a map is not a
    /// list of them); `None` when `t` is not such a splat.
    fn policy_document_splat(
        &self,
        name: &str,
        t: &super::ast::Traversal,
        span: Span,
    ) -> Option<Node> {
        let attr = splat_attr(t.operators.get(2..)?)?;
        if !matches!(attr, "json" | "minified_json") {
            return None;
        }
        let full = format!("data.aws_iam_policy_document.{name}[*].{attr}");
        let dont_know = || Some(unknown(&self.qualify(&full), span));
        let Some((f, b)) = self.find_block("data", "aws_iam_policy_document", name) else {
            return dont_know();
        };
        let docs: Option<Vec<Node>> = match self.instances(f, b) {
            Instances::None => Some(Vec::new()),
            Instances::Single => self.policy_document(name, None).map(|d| vec![d]),
            Instances::Keyed(items) if items.iter().all(|(k, _)| k.as_str().is_none()) => items
                .iter()
                .map(|(k, _)| self.policy_document(name, Some(k)))
                .collect(),
            _ => None,
        };
        match docs {
            Some(d) => Some(node(Value::Seq(d.into()), span)),
            None => dont_know(),
        }
    }

    /// `data.aws_iam_policy_document.<name>.json` (`index`: `[<key>]` when written): the
    /// document Terraform would render for that instance. A known key picks its instance; an
    /// unknown key, or a collection the inputs do not fix, gives the document every instance
    /// shares (what depends on `each`/`count` unknown). `None`: no such instance. The body
    /// is the one [`Module::resources`] emits at that instance's address (an unknown key of
    /// known instances: a template no resource is, at `<address>[*]`).
    fn policy_document(&self, name: &str, index: Option<&Node>) -> Option<Node> {
        let (f, b) = self.find_block("data", "aws_iam_policy_document", name)?;
        let template = |s: &Scope| -> Scope {
            let mut t = s.clone();
            // An unknown instance: no address either.
            t.vars.retain(|(n, _)| !n.ends_with(" address"));
            for v in &mut t.vars {
                v.1 = match v.0.as_str() {
                    "each" => each(
                        unknown("each.key", v.1.span),
                        unknown("each.value", v.1.span),
                        v.1.span,
                    ),
                    _ => node(
                        Value::Map(
                            vec![Entry {
                                key: string("index", v.1.span),
                                value: unknown("count.index", v.1.span),
                            }]
                            .into(),
                        ),
                        v.1.span,
                    ),
                };
            }
            t
        };
        let (scope, instance) = match (self.instances(f, b), index) {
            (Instances::None, _) | (Instances::Single, Some(_)) | (Instances::Keyed(_), None) => {
                return None
            }
            (Instances::Single, None) => (Scope::default(), String::new()),
            // The template `resources` emits, at the block's own address.
            (Instances::Template(s), _) => (s, String::new()),
            (Instances::Keyed(items), Some(k)) if is_unknown(k) => {
                (template(&items.first()?.1), "[*]".to_string())
            }
            (Instances::Keyed(items), Some(k)) => {
                let (key, s) = items.into_iter().find(|(key, _)| same(key, k))?;
                (s, instance_suffix(&key))
            }
        };
        let address = ["data.aws_iam_policy_document.", name, &instance].concat();
        let seen = match self.doc_cache.borrow().get(&address) {
            Some(Rendered::Kept(v)) => return v.clone(),
            Some(Rendered::Once) => true,
            None => false,
        };
        let refused = self.refused.get();
        let doc = self
            .block_body(f, b, &address, &scope)
            .and_then(|body| super::resources::policy_document_json(&body));
        // Most documents are read once (a role's `assume_role_policy`): the first reader
        // takes the document itself, and only a second one keeps a copy for the others (a
        // copy for the cache was a quarter of rendering one). Rendered again from the body
        // `block_body` keeps, it is the same document; one the depth limit cut short is
        // kept at once, as it depends on where it was asked from, and so is no document
        // (a cycle's, one that cannot be rendered).
        let kept = match seen || doc.is_none() || self.refused.get() != refused {
            true => Rendered::Kept(doc.clone()),
            false => Rendered::Once,
        };
        self.doc_cache.borrow_mut().insert(address, kept);
        doc
    }

    /// `data.template_file.<name>.rendered` (the hashicorp/template provider's data source,
    /// `index`: the instance key when written): its `template`, read with `file()` from a
    /// file among the inputs, rendered with its `vars` as `templatefile()` renders, each
    /// byte at its place in the template. `None` when the template, a variable or the
    /// instance is not known (a `template` written inline has had its `${…}` evaluated by
    /// HCL already, so only `file()` is read).
    fn template_file(&self, name: &str, index: Option<&Node>, span: Span) -> Option<Node> {
        let (f, b) = self.find_block("data", "template_file", name)?;
        let scope = match (self.instances(f, b), index) {
            (Instances::Single, None) => Scope::default(),
            (Instances::Keyed(items), Some(k)) if !is_unknown(k) => {
                items.into_iter().find(|(key, _)| same(key, k))?.1
            }
            _ => return None,
        };
        let attr = |k: &str| b.body.attributes().find(|a| a.key.as_str() == k);
        let Expression::FuncCall(call) = &attr("template")?.value else {
            return None;
        };
        if call.name.name.as_str() != "file" || !call.name.namespace.is_empty() {
            return None;
        }
        let path = self.eval(f, call.args.iter().next()?, &scope);
        let path = path.as_str().filter(|_| !is_unknown(&path))?.to_string();
        if let Some(id) = self.input_file(&path) {
            self.env.shared.templates.borrow_mut().insert(id);
        }
        let vars = match attr("vars") {
            Some(v) => self.eval(f, &v.value, &scope),
            None => node(Value::Map(Vec::new().into()), span),
        };
        if vars.as_map().is_none() || is_unknown(&vars) {
            return None;
        }
        self.file(&path, span, Some(&vars))
    }

    fn call(&self, file: FileId, f: &super::ast::FuncCall, scope: &Scope, e: &Expression) -> Node {
        let span = span_of(file, e.span());
        if !f.name.namespace.is_empty() || f.args.expand_final() {
            return self.unknown_expr(file, e);
        }
        let args: Vec<&Expression> = f.args.iter().collect();
        let ev = |i: usize| args.get(i).map(|a| self.eval(file, a, scope));
        let known_str = |n: &Option<Node>| -> Option<String> {
            let n = n.as_ref()?;
            if is_unknown(n) {
                return None;
            }
            n.scalar_text().map(|s| s.into_owned())
        };
        let result: Option<Node> = match f.name.name.as_str() {
            "jsonencode" | "yamlencode" | "tolist" | "toset" | "tomap" | "tostring"
            | "sensitive" | "nonsensitive" => ev(0),
            "jsondecode" => ev(0).filter(|n| n.as_map().is_some() || n.as_seq().is_some()),
            "replace" => {
                let (s, a, b) = (ev(0), known_str(&ev(1)), known_str(&ev(2)));
                match (s.as_ref().and_then(|s| self.value_parts(s)), a, b) {
                    (Some(parts), Some(a), Some(b))
                        if !(a.is_empty() || a.starts_with('/') && a.ends_with('/')) =>
                    {
                        let out = map_known(parts.clone(), |t| t.replace(&a, &b));
                        Some(
                            self.trimmed_to_unknown(&parts, &out, file, f, span)
                                .unwrap_or_else(|| self.composed(out, span, false)),
                        )
                    }
                    // The issuer of a known OIDC provider ARN: everything up to the last
                    // `provider/` dropped (aws-ia/terraform-aws-eks-blueprints
                    // modules/irsa/main.tf@v4.32.1 `locals`, and roots that copy it). RE2's
                    // `.` stops at a line break: only a one-line ARN is evaluated. An unknown
                    // ARN stays unknown, named by the call (`eks_issuer` knows the EKS
                    // module's `oidc_provider_arn` so trimmed).
                    (Some(parts), Some(a), Some(b))
                        if a == PROVIDER_PREFIX_REGEX
                            && b.is_empty()
                            && parts.iter().all(|p| !p.unknown && !p.text.contains('\n')) =>
                    {
                        let whole: String = parts.iter().map(|p| p.text.as_str()).collect();
                        let mut cut = whole
                            .rfind("provider/")
                            .map_or(0, |i| i + "provider/".len());
                        let mut out = parts;
                        for p in &mut out {
                            let n = p.text.len().min(cut);
                            p.text.drain(..n);
                            cut -= n;
                        }
                        out.retain(|p| !p.text.is_empty());
                        Some(self.composed(out, span, false))
                    }
                    _ => None,
                }
            }
            // An unknown piece is named by the call around it (`${upper(local.name)}`): its
            // value is the unknown's, changed.
            "lower" => ev(0)
                .as_ref()
                .and_then(|s| self.value_parts(s))
                .map(|p| self.composed(map_parts(p, "lower", |t| t.to_lowercase()), span, false)),
            "upper" => ev(0)
                .as_ref()
                .and_then(|s| self.value_parts(s))
                .map(|p| self.composed(map_parts(p, "upper", |t| t.to_uppercase()), span, false)),
            "trimspace" => known_str(&ev(0)).map(|s| string(s.trim(), span)),
            // Go's `filepath.Base`, as Terraform's `basename` is: trailing slashes dropped,
            // `.` for an empty path, `/` for one of slashes only.
            "basename" => known_str(&ev(0)).map(|s| {
                let t = s.trim_end_matches('/');
                let base = match t.rsplit('/').next() {
                    _ if s.is_empty() => ".",
                    _ if t.is_empty() => "/",
                    Some(b) => b,
                    None => t,
                };
                string(base, span)
            }),
            // Terragrunt's `get_terragrunt_dir()` in a `terragrunt.hcl`: the absolute path of
            // the file's directory (`role_name = basename(get_terragrunt_dir())`, a unit named
            // by its directory). Anywhere else it is no Terraform function: unknown.
            "get_terragrunt_dir" if args.is_empty() => {
                let path = &self.sources.get(file).path;
                (path == "terragrunt.hcl" || path.ends_with("/terragrunt.hcl"))
                    .then(|| {
                        let dir = dir_of(path);
                        if dir.starts_with('/') {
                            return Some(crate::source::discover::lexical(dir));
                        }
                        let cwd = std::env::current_dir().ok()?;
                        Some(crate::source::discover::lexical(&format!(
                            "{}/{dir}",
                            cwd.to_str()?
                        )))
                    })
                    .flatten()
                    .map(|d| string(d, span))
            }
            "trimprefix" | "trimsuffix" => {
                let (s, p) = (ev(0), known_str(&ev(1)));
                match (s.as_ref().and_then(|s| self.value_parts(s)), p) {
                    (Some(mut parts), Some(p)) => {
                        let before = parts.clone();
                        let prefix = f.name.name.as_str() == "trimprefix";
                        let edge = if prefix {
                            parts.first_mut()
                        } else {
                            parts.last_mut()
                        };
                        match edge {
                            Some(x) if !x.unknown => {
                                let t = if prefix {
                                    x.text.strip_prefix(p.as_str())
                                } else {
                                    x.text.strip_suffix(p.as_str())
                                };
                                if let Some(t) = t {
                                    x.text = t.to_string();
                                }
                                parts.retain(|x| x.unknown || !x.text.is_empty());
                                Some(
                                    self.trimmed_to_unknown(&before, &parts, file, f, span)
                                        .unwrap_or_else(|| self.composed(parts, span, false)),
                                )
                            }
                            // The issuer URL without its scheme (what an OIDC provider's
                            // `url` reads back, `Module::read_back`) has no scheme to trim.
                            Some(x)
                                if x.unknown
                                    && prefix
                                    && p == "https://"
                                    && x.text.strip_prefix("trimprefix(").is_some_and(|r| {
                                        r.strip_suffix(", \"https://\")")
                                            .is_some_and(is_issuer_url_fact)
                                    }) =>
                            {
                                s
                            }
                            // Whether an unknown part starts with it is not known.
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            "format" => {
                let fmt = known_str(&ev(0));
                let vals: Vec<Node> = (1..args.len()).filter_map(ev).collect();
                fmt.and_then(|fmt| format_parts(&fmt, &vals, span, |v| self.value_parts(v)))
                    .map(|p| self.composed(p, span, true))
            }
            "join" => {
                let sep = known_str(&ev(0));
                let list = ev(1);
                match (sep, list.as_ref().and_then(Node::as_seq)) {
                    (Some(sep), Some(items)) => {
                        let mut parts = Vec::new();
                        let mut ok = true;
                        for (i, it) in items.iter().enumerate() {
                            if i > 0 {
                                parts.push(Part::known(sep.clone(), span));
                            }
                            match self.value_parts(it) {
                                Some(p) => parts.extend(p),
                                None => ok = false,
                            }
                        }
                        ok.then(|| self.composed(parts, span, false))
                    }
                    _ => None,
                }
            }
            "concat" => {
                let mut out = Vec::new();
                let mut ok = true;
                for i in 0..args.len() {
                    match ev(i).map(|n| n.value) {
                        Some(Value::Seq(items)) => out.extend(items.into_vec()),
                        _ => ok = false,
                    }
                }
                ok.then(|| node(Value::Seq(out.into()), span))
            }
            // The first list that is not empty: decided while the lists before it are known
            // (a variable's `[]` default before the module's own fallback list).
            "coalescelist" => (0..args.len())
                .find_map(|i| match ev(i) {
                    Some(l) if !is_unknown(&l) => match l.as_seq() {
                        Some([]) => None,
                        Some(_) => Some(Some(l)),
                        None => Some(None),
                    },
                    _ => Some(None),
                })
                .flatten(),
            // The list without its null and empty-string elements (`compact`), without the
            // repeats of an earlier element (`distinct`): decided when every element is known.
            "compact" | "distinct" => ev(0).and_then(|l| {
                let items = l.as_seq().filter(|_| !is_unknown(&l))?;
                let mut seen: Vec<String> = Vec::new();
                let mut out = Vec::new();
                for n in items {
                    if is_unknown(n) {
                        return None;
                    }
                    let keep = if f.name.name.as_str() == "compact" {
                        !n.is_null() && n.as_str() != Some("")
                    } else {
                        let text = n.scalar_text()?.into_owned();
                        let first = !seen.contains(&text);
                        seen.push(text);
                        first
                    };
                    if keep {
                        out.push(n.clone());
                    }
                }
                Some(node(Value::Seq(out.into()), span))
            }),
            "merge" => {
                let mut out: Vec<Entry> = Vec::new();
                let mut ok = true;
                for i in 0..args.len() {
                    match ev(i).map(|n| n.value) {
                        Some(Value::Map(entries)) => {
                            for en in entries.into_vec() {
                                let k = en.key.as_str().map(str::to_string);
                                out.retain(|x| x.key.as_str().map(str::to_string) != k);
                                out.push(en);
                            }
                        }
                        Some(Value::Null) => {}
                        _ => ok = false,
                    }
                }
                ok.then(|| node(Value::Map(out.into()), span))
            }
            "lookup" => {
                let (m, k) = (ev(0), known_str(&ev(1)));
                match (m, k) {
                    (Some(m), Some(k)) if m.as_map().is_some() && !is_unknown(&m) => {
                        m.get(&k).cloned().or_else(|| ev(2))
                    }
                    _ => None,
                }
            }
            // Its list's only element, `null` for an empty list (Terraform fails on more).
            "one" => ev(0).and_then(|l| match l.as_seq() {
                Some([]) => Some(node(Value::Null, span)),
                Some([x]) => Some(x.clone()),
                _ => None,
            }),
            "element" => {
                let (l, i) = (ev(0), ev(1).and_then(|n| n.as_i64()));
                match (l.as_ref().and_then(Node::as_seq), i) {
                    (Some(items), Some(i)) if !items.is_empty() && i >= 0 => {
                        items.get(i as usize % items.len()).cloned()
                    }
                    _ => None,
                }
            }
            "length" => match ev(0).map(|n| n.value) {
                Some(Value::Seq(s)) => Some(node(Value::Int(s.len() as i64), span)),
                Some(Value::Map(m)) => Some(node(Value::Int(m.len() as i64), span)),
                _ => None,
            },
            "coalesce" => {
                let mut found = None;
                for i in 0..args.len() {
                    let v = ev(i);
                    match &v {
                        Some(n) if is_unknown(n) => break,
                        Some(n) if n.is_null() || n.as_str() == Some("") => continue,
                        Some(_) => {
                            found = v;
                            break;
                        }
                        None => break,
                    }
                }
                found
            }
            // The first argument that evaluates without an error. An unknown argument stops
            // it (it may fail or not), unless it certainly fails: an attribute or key a known
            // object does not have (`try(var.addon.create_role, true)` with `addon = {}`).
            "try" => {
                let mut found = None;
                for a in &args {
                    let v = self.eval(file, a, scope);
                    if !is_unknown(&v) || self.certainly_succeeds(file, a, scope) {
                        found = Some(v);
                        break;
                    }
                    if !self.certainly_fails(file, a, scope) {
                        break;
                    }
                }
                found
            }
            "file" => known_str(&ev(0)).and_then(|p| self.file(&p, span, None)),
            "templatefile" => {
                let p = known_str(&ev(0));
                // A template whatever its variables: its text is not a document of its own.
                if let Some(id) = p.as_deref().and_then(|p| self.input_file(p)) {
                    self.env.shared.templates.borrow_mut().insert(id);
                }
                let vars = ev(1).filter(|v| v.as_map().is_some() && !is_unknown(v));
                match (p, vars) {
                    (Some(p), Some(vars)) => self.file(&p, span, Some(&vars)),
                    _ => None,
                }
            }
            _ => None,
        };
        result.unwrap_or_else(|| self.unknown_expr(file, e))
    }

    /// Whether the reference `<kind>.<name>[<key>]…` (`kind` `module`, or a resource type)
    /// selects an instance its block certainly does not have: the block's `for_each`/`count`
    /// are known, the key is known and none of the instances' (none at all: `for_each = {}`).
    fn missing_instance(
        &self,
        file: FileId,
        kind: &str,
        t: &super::ast::Traversal,
        scope: &Scope,
    ) -> bool {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let (name, key) = match ops.as_slice() {
            [TraversalOperator::GetAttr(n), TraversalOperator::Index(x), ..] => {
                (n, self.eval(file, x, scope))
            }
            _ => return false,
        };
        let block = match kind {
            "module" => self.find_block("module", name.as_str(), ""),
            // Not a `for` variable of the same name.
            _ if scope.get(kind).is_none() => self.find_block("resource", kind, name.as_str()),
            _ => None,
        };
        let Some((f, b)) = block else {
            return false;
        };
        if is_unknown(&key) || key.scalar_text().is_none() {
            return false;
        }
        match self.instances(f, b) {
            Instances::None => true,
            Instances::Keyed(items) => !items
                .iter()
                .any(|(k, _)| k.scalar_text() == key.scalar_text()),
            Instances::Single | Instances::Template(_) => false,
        }
    }

    /// `cond ? a : b` whose condition the inputs do not decide. HCL reports the errors of the
    /// branch it takes only (hashicorp/hcl hclsyntax `ConditionalExpr.Value`), so when one
    /// branch certainly fails (an instance its module or resource does not have) a
    /// configuration that applies takes the other; two branches of the same value give
    /// that value; otherwise it is unknown, named by the whole expression as written (which
    /// shows the condition that decides).
    fn undecided_conditional(
        &self,
        file: FileId,
        c: &super::ast::Conditional,
        scope: &Scope,
        e: &Expression,
    ) -> Node {
        let fails = |x: &Expression| {
            self.certainly_fails(file, x, scope)
                || matches!(x, Expression::Traversal(t) if matches!(&t.expr,
                    Expression::Variable(v) if self.missing_instance(file, v.as_str(), t, scope)))
        };
        match (fails(&c.true_expr), fails(&c.false_expr)) {
            (true, false) => return self.eval(file, &c.false_expr, scope),
            (false, true) => return self.eval(file, &c.true_expr, scope),
            _ => {}
        }
        let (t, f) = (
            self.eval(file, &c.true_expr, scope),
            self.eval(file, &c.false_expr, scope),
        );
        let same_value = match (t.tag.as_deref(), f.tag.as_deref()) {
            // The same reference only apply will know.
            (Some(UNKNOWN_TAG), Some(UNKNOWN_TAG)) => t.as_str() == f.as_str(),
            (None, None) => same(&t, &f),
            _ => false,
        };
        match same_value {
            true => t,
            false => self.unknown_expr(file, e),
        }
    }

    /// Whether the reference `e` certainly fails in Terraform: an operator of it applied to a
    /// known value that lacks what it selects (an object without the attribute or key, a
    /// list without the index). Only for a variable or a local value: the value of a
    /// resource holds only what the configuration sets (the provider computes the rest, an
    /// `arn`), so a missing attribute there may well exist. `false` when that is not known.
    fn certainly_fails(&self, file: FileId, e: &Expression, scope: &Scope) -> bool {
        let Expression::Traversal(t) = e else {
            return false;
        };
        match &t.expr {
            Expression::Variable(v) if matches!(v.as_str(), "var" | "local") => {}
            _ => return false,
        }
        let ops = &t.operators;
        for k in (0..ops.len()).rev() {
            let base = match k {
                0 => self.eval(file, &t.expr, scope),
                _ => {
                    let prefix = super::ast::Traversal::new(t.expr, &ops[..k]);
                    self.eval(file, &Expression::Traversal(&prefix), scope)
                }
            };
            // `var` and `local` alone are no values.
            if k == 0 || is_unknown(&base) {
                continue;
            }
            let key = match ops[k].value() {
                TraversalOperator::GetAttr(i) => Some(string(i.as_str(), base.span)),
                TraversalOperator::Index(x) => Some(self.eval(file, x, scope)),
                TraversalOperator::LegacyIndex(i) => {
                    Some(node(Value::Int(*i.value() as i64), base.span))
                }
                _ => None,
            };
            return match (key, &base.value) {
                (Some(k), Value::Map(_)) => k
                    .as_str()
                    .is_some_and(|s| !is_unknown(&k) && base.get(s).is_none()),
                (Some(k), Value::Seq(items)) => k
                    .as_i64()
                    .is_some_and(|i| i < 0 || i as usize >= items.len()),
                // An attribute of a string, a number, a bool or null.
                (
                    Some(_),
                    Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null,
                ) => true,
                _ => false,
            };
        }
        false
    }

    /// `file()`/`templatefile()` of a file among the inputs (relative to the module
    /// directory, as Terraform resolves `path.module`): its text, or its JSON object with
    /// positions in that file. A file not among the inputs is unknown.
    fn file(&self, path: &str, span: Span, vars: Option<&Node>) -> Option<Node> {
        let id = self.input_file(path)?;
        // A JSON configuration's positions are those of its rewritten text: not read as a file.
        if self.json.contains_key(&id) {
            return None;
        }
        let text = self.env.text(id);
        let parts = match vars {
            None => vec![Part {
                text: text.to_string(),
                unknown: false,
                origin: Origin2::Identity(id, 0),
            }],
            Some(vars) => {
                let t = super::ast::from_template(
                    self.env.arena,
                    &hcl_edit::parser::parse_template(text).ok()?,
                );
                let mut scope = Scope::default();
                for en in vars.entries() {
                    scope = scope.with(en.key.as_str()?, en.value.clone());
                }
                self.template_parts(id, &t, &scope)?
            }
        };
        let _ = span;
        let table = vars.map(|_| byte_origins(&parts, id, text));
        let result = template_result(parts, Span::new(id, 0, text.len()));
        if let (Some(table), Some(s)) = (table.flatten(), result.as_str()) {
            if result.tag.is_none() || result.tag.as_deref() == Some(PARTIAL_TAG) {
                self.env
                    .shared
                    .rendered
                    .borrow_mut()
                    .insert((id, s.to_string()), std::rc::Rc::new(table));
            }
        }
        Some(result)
    }

    /// The input file `path` names (relative to the module directory, as Terraform resolves
    /// `path.module`, or to the root module's).
    fn input_file(&self, path: &str) -> Option<FileId> {
        // Lexically, as the inputs' paths are written: an absolute path (`path.module` of a
        // module given by its absolute path) stays absolute, and a leading `..` stays (the
        // module of `irsalint lint ..` is `..`, its `"${path.module}/x.json"` `../x.json`).
        let norm = crate::source::discover::lexical(path);
        // A relative path is relative to where Terraform runs: the root module's directory
        // (this one) when it is not found as given.
        let root = self.call.as_ref().map_or(self.dir, |c| c.root_dir);
        let in_dir = || {
            let joined = crate::source::discover::lexical(&format!("{root}/{norm}"));
            (!root.is_empty() && !path.starts_with('/'))
                .then(|| self.by_path.get(joined.as_str()))
                .flatten()
        };
        // An absolute path to a file under the working directory: inputs there are shown
        // relative to it (`irsalint lint /repo` run in `/repo/policies`).
        let under_cwd = || {
            let cwd = std::env::current_dir().ok()?;
            let rest = norm.strip_prefix(cwd.to_str()?)?.strip_prefix('/')?;
            self.by_path.get(rest)
        };
        self.by_path
            .get(norm.as_str())
            .or_else(in_dir)
            .or_else(under_cwd)
            .copied()
    }
}

/// Where each byte of the text `parts` render is in `file` (one more entry for the end), as
/// `helm_values` tables are: a literal's bytes at their own, an interpolation's at its start.
/// The text is the one [`from_parts`] writes: with an unknown piece, a `!Sub` template (the
/// piece as `${name}`, a literal `${` as `${!`). `None` when a piece comes from elsewhere.
fn byte_origins(parts: &[Part], file: FileId, text: &str) -> Option<Vec<u32>> {
    let any_unknown = parts.iter().any(|p| p.unknown);
    // An interpolation's pieces start at its `${` (its bytes end where the next literal
    // starts, after the `}`): the whole `${x}`, as a heredoc's table has it.
    let open = |at: u32| -> u32 {
        let before = text.get(..at as usize).unwrap_or("");
        let trimmed = before.trim_end_matches([' ', '\t', '\n', '\r', '~']);
        match trimmed.strip_suffix("${") {
            Some(t) => t.len() as u32,
            None => at,
        }
    };
    let mut table = Vec::new();
    let mut end = 0u32;
    for p in parts {
        let at = |i: usize| -> Option<u32> {
            match &p.origin {
                Origin2::Identity(f, base) if *f == file => Some((base + i) as u32),
                Origin2::Table(f, t) if *f == file => t.get(i).copied(),
                Origin2::Fixed(sp) if sp.file == file => Some(open(sp.start)),
                _ => None,
            }
        };
        if p.unknown {
            let start = at(0)?;
            let n = sanitize(&p.text).len() + 3;
            table.extend(std::iter::repeat_n(start, n));
        } else {
            let b = p.text.as_bytes();
            for i in 0..b.len() {
                table.push(at(i)?);
                if any_unknown && b[i] == b'{' && i > 0 && b[i - 1] == b'$' {
                    table.push(at(i)?);
                }
            }
        }
        end = match &p.origin {
            Origin2::Fixed(sp) => sp.end,
            _ if p.unknown => at(0)?,
            _ => at(p.text.len())?,
        };
    }
    table.push(end);
    Some(table)
}

/// Applies `f` to the known pieces; `None` when a piece is unknown and `f` could change
/// what it stands for (only pieces known text are changed).
fn map_known(parts: Vec<Part>, f: impl Fn(&str) -> String) -> Vec<Part> {
    parts
        .into_iter()
        .map(|mut p| {
            if !p.unknown {
                p.text = f(&p.text);
            }
            p
        })
        .filter(|p| p.unknown || !p.text.is_empty())
        .collect()
}

/// [`map_known`] for a function `name` of the whole string: an unknown piece's name becomes
/// the call of it, `name(<unknown>)`.
fn map_parts(parts: Vec<Part>, name: &str, f: impl Fn(&str) -> String) -> Vec<Part> {
    let mut out = map_known(parts, f);
    for p in out.iter_mut().filter(|p| p.unknown) {
        p.text = format!("{name}({})", p.text);
    }
    out
}

/// `format()` with `%s`, `%d`, `%v` and `%%`; other verbs are not evaluated.
fn format_parts(
    fmt: &str,
    vals: &[Node],
    span: Span,
    parts_of: impl Fn(&Node) -> Option<Vec<Part>>,
) -> Option<Vec<Part>> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut it = vals.iter();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        match chars.next()? {
            '%' => lit.push('%'),
            's' | 'd' | 'v' => {
                parts.push(Part::known(std::mem::take(&mut lit), span));
                parts.extend(parts_of(it.next()?)?);
            }
            _ => return None,
        }
    }
    parts.push(Part::known(lit, span));
    parts.retain(|p| p.unknown || !p.text.is_empty());
    Some(parts)
}

/// Where each byte of `value` is in `raw` (from `base`), when `value` is `raw` with some
/// blanks removed (a `<<-` heredoc's stripped indentation), or, for a quoted string, with its
/// escapes decoded (`\"`, `\\`, `\n`, `\uNNNN`); `$${` and `%%{` stand for `${`, `%{` in both.
fn align(raw: &str, value: &str, base: u32) -> Option<Vec<u32>> {
    align_as(raw, value, base, false).or_else(|| align_as(raw, value, base, true))
}

fn align_as(raw: &str, value: &str, base: u32, quoted: bool) -> Option<Vec<u32>> {
    let r = raw.as_bytes();
    let mut table = Vec::with_capacity(value.len() + 1);
    let mut i = 0;
    for c in value.chars() {
        let mut buf = [0u8; 4];
        let enc = c.encode_utf8(&mut buf).as_bytes();
        loop {
            if quoted && r.get(i) == Some(&b'\\') {
                let (decoded, len) = hcl_escape(&raw[i..])?;
                if decoded != c {
                    return None;
                }
                table.extend(std::iter::repeat_n(base + i as u32, enc.len()));
                i += len;
                break;
            }
            if (c == '$' || c == '%')
                && r.get(i) == Some(&(c as u8))
                && r.get(i + 1) == Some(&(c as u8))
                && r.get(i + 2) == Some(&b'{')
            {
                table.push(base + i as u32);
                i += 2;
                break;
            }
            if r.get(i..i + enc.len()) == Some(enc) {
                table.extend((0..enc.len()).map(|k| base + (i + k) as u32));
                i += enc.len();
                break;
            }
            if !quoted && i < r.len() && (r[i] == b' ' || r[i] == b'\t') {
                i += 1;
                continue;
            }
            return None;
        }
    }
    table.push(base + i as u32);
    Some(table)
}

/// The character an escape at the start of `s` stands for and the escape's length.
fn hcl_escape(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let simple = match b.get(1)? {
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'"' => Some('"'),
        b'\\' => Some('\\'),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c, 2));
    }
    let digits = match b.get(1)? {
        b'u' => 4,
        b'U' => 8,
        _ => return None,
    };
    let hex = s.get(2..2 + digits)?;
    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((c, 2 + digits))
}

/// (key, value) pairs of a known collection: a list's indices, a map's keys.
fn items_of(n: &Node) -> Option<Vec<(Node, Node)>> {
    if is_unknown(n) {
        return None;
    }
    match &n.value {
        Value::Seq(s) => Some(
            s.iter()
                .enumerate()
                .map(|(i, v)| (node(Value::Int(i as i64), v.span), v.clone()))
                .collect(),
        ),
        Value::Map(m) => Some(m.iter().map(|e| (e.key.clone(), e.value.clone())).collect()),
        _ => None,
    }
}

fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| same(&p.key, &q.key) && same(&p.value, &q.value))
        }
        _ => a.scalar_text() == b.scalar_text() && a.type_name() == b.type_name(),
    }
}

/// Appends a nested block to `key`'s sequence (blocks of one type are a list in plan JSON).
fn push_block(entries: &mut Vec<Entry>, key: &str, key_span: Span, item: Node) {
    if let Some(e) = entries.iter_mut().find(|e| e.key.as_str() == Some(key)) {
        if let Value::Seq(items) = &mut e.value.value {
            crate::source::node::extend(items, [item]);
            return;
        }
        return;
    }
    let span = item.span;
    entries.push(Entry {
        key: string(key, key_span),
        value: node(Value::Seq(vec![item].into()), span),
    });
}

/// `s.trim()`, without its search for Unicode whitespace when `s` starts and ends with a
/// byte that is plainly none (printable ASCII other than the space): most texts trimmed
/// are references and literals as written (`trim` was about 90 instructions a call).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&f), Some(&l)) if plain_edge(f) && plain_edge(l) => s,
        _ => s.trim(),
    }
}

/// `s.trim_start()`, the same way as [`trim`].
fn trim_start(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(&f) if plain_edge(f) => s,
        _ => s.trim_start(),
    }
}

/// Whether a text's first or last byte `c` is certainly not (part of) whitespace: ASCII
/// above the space (ASCII whitespace is `\t` to `\r` and the space; a non-ASCII byte may
/// belong to Unicode whitespace).
fn plain_edge(c: u8) -> bool {
    c > b' ' && c < 0x80
}

/// A module's table of names (its variables, locals, blocks by address, what it has
/// evaluated): a list searched in order while it is short, a hash table past
/// [`SmallMap::FEW`] entries. Most modules have a handful of each; a hash table per table
/// per module (ten of them) was most of a module's set-up (its allocation, its growth, a
/// hash of every name looked up: 1.6 M instructions for the 391 roots of the 1k corpus).
#[derive(Debug)]
enum SmallMap<K, V> {
    Few(Vec<(K, V)>),
    Many(HashMap<K, V>),
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap::Few(Vec::new())
    }
}

impl<K: std::hash::Hash + Eq, V> SmallMap<K, V> {
    /// Past this many entries, a hash table: a lookup compares with every entry of the list.
    const FEW: usize = 16;

    fn with_capacity(n: usize) -> Self {
        match n > Self::FEW {
            true => {
                let mut m = HashMap::default();
                m.reserve(n);
                SmallMap::Many(m)
            }
            false => SmallMap::Few(Vec::with_capacity(n)),
        }
    }

    fn get<Q>(&self, k: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        match self {
            SmallMap::Few(v) => v.iter().find(|(x, _)| x.borrow() == k).map(|(_, v)| v),
            SmallMap::Many(m) => m.get(k),
        }
    }

    /// Sets `k` to `v` (replacing its value, as `HashMap::insert`).
    fn insert(&mut self, k: K, v: V) {
        match self {
            SmallMap::Few(list) => match list.iter().position(|(x, _)| *x == k) {
                Some(i) => list[i].1 = v,
                None if list.len() < Self::FEW => list.push((k, v)),
                None => {
                    let mut m: HashMap<K, V> = HashMap::default();
                    m.reserve(list.len() + 1);
                    m.extend(list.drain(..));
                    m.insert(k, v);
                    *self = SmallMap::Many(m);
                }
            },
            SmallMap::Many(m) => {
                m.insert(k, v);
            }
        }
    }

    /// Sets `k` to `v` unless it has a value (as `entry(k).or_insert(v)`).
    fn insert_first(&mut self, k: K, v: V) {
        if self.get(&k).is_none() {
            self.insert(k, v);
        }
    }

    /// Whether any value satisfies `f` (in no particular order, as a hash table's).
    fn any_value(&self, mut f: impl FnMut(&V) -> bool) -> bool {
        match self {
            SmallMap::Few(v) => v.iter().any(|(_, x)| f(x)),
            SmallMap::Many(m) => m.values().any(f),
        }
    }

    fn clear(&mut self) {
        match self {
            SmallMap::Few(v) => v.clear(),
            SmallMap::Many(m) => m.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_keeps_its_arena_for_the_next_directory_unless_it_grew_huge() {
        // Whatever the thread's arena was before: one that held a small directory is kept,
        // emptied, with its memory.
        with_arena(|a| {
            a.alloc_str("variable");
        });
        assert!(with_arena(|a| a.allocated_bytes()) > 0, "kept");
        assert!(with_arena(|a| a.alloc_str("x").len()) == 1);
        // One that grew past the bound is freed: the next directory starts with nothing.
        with_arena(|a| {
            a.alloc_slice_fill_copy(KEPT_ARENA + 1, 0u8);
        });
        assert_eq!(with_arena(|a| a.allocated_bytes()), 0, "freed");
    }

    #[test]
    fn a_small_map_reads_as_a_hash_map_short_or_long() {
        let mut m: SmallMap<String, u32> = SmallMap::default();
        assert_eq!(m.get("a"), None);
        m.insert("a".into(), 1);
        m.insert("b".into(), 2);
        // Set again: the last value, as `HashMap::insert`.
        m.insert("a".into(), 3);
        // Set unless set: the first value, as `entry().or_insert()`.
        m.insert_first("b".into(), 4);
        m.insert_first("c".into(), 5);
        assert_eq!(
            (m.get("a"), m.get("b"), m.get("c")),
            (Some(&3), Some(&2), Some(&5))
        );
        assert!(matches!(m, SmallMap::Few(ref v) if v.len() == 3));
        assert!(m.any_value(|&v| v == 5));
        assert!(!m.any_value(|&v| v == 1));
        // Up to `FEW` entries a list, one more a hash table, every value kept across.
        for i in 4..=16u32 {
            m.insert(format!("k{i}"), i);
        }
        assert!(matches!(m, SmallMap::Few(ref v) if v.len() == 16));
        m.insert("k17".into(), 17);
        assert!(matches!(m, SmallMap::Many(ref h) if h.len() == 17));
        assert_eq!(
            (m.get("a"), m.get("c"), m.get("k16"), m.get("k17")),
            (Some(&3), Some(&5), Some(&16), Some(&17))
        );
        m.insert("a".into(), 6);
        m.insert_first("a".into(), 7);
        assert_eq!(m.get("a"), Some(&6));
        assert!(m.any_value(|&v| v == 17));
        assert!(!m.any_value(|&v| v == 3));
        m.clear();
        assert_eq!(m.get("a"), None);
        assert!(!m.any_value(|_| true));
        // Sized for more than `FEW`: a hash table from the start.
        let mut big: SmallMap<&str, u8> = SmallMap::with_capacity(17);
        assert!(matches!(big, SmallMap::Many(_)));
        big.insert("x", 1);
        assert_eq!(big.get("x"), Some(&1));
        let mut few: SmallMap<&str, u8> = SmallMap::with_capacity(16);
        few.insert("x", 1);
        assert!(matches!(few, SmallMap::Few(_)));
        let mut empty: SmallMap<&str, u8> = SmallMap::default();
        empty.clear();
        assert_eq!(empty.get("x"), None);
    }

    #[test]
    fn trimming_is_str_trim_whatever_the_edges() {
        for s in [
            "",
            " ",
            "a",
            "ab",
            " a",
            "a ",
            " a ",
            "\ta\n",
            "a\u{3000}",
            "\u{3000}a",
            "\u{a0}a\u{a0}",
            "~x!",
            "\u{7f}x",
            "x\u{7f}",
            "é",
            "\u{b}a\u{c}",
            "a\r",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
        }
        assert!(plain_edge(b'!') && plain_edge(b'~') && plain_edge(0x7f));
        assert!(!plain_edge(b' ') && !plain_edge(b'\t') && !plain_edge(0x80) && !plain_edge(0xc2));
    }

    /// One search of the whole text finds in each range what a search of the range's own
    /// text finds: for every range of a text with `local` cut at every place (an identifier
    /// byte just outside a range, a dot past its end, blanks and a line break before the
    /// dot), alone and next to the range that follows it.
    #[test]
    fn locals_found_in_ranges_are_those_each_range_shows() {
        let local = memchr::memmem::Finder::new("local");
        let per_range = |text: &str, ranges: &[(usize, usize)]| {
            let mut read: HashSet<String> = HashSet::default();
            for &(s, e) in ranges {
                for rest in traversals(&text[s..e], &local) {
                    if let Some((n, _)) = dot_ident(rest) {
                        read.insert(n.to_string());
                    }
                }
            }
            read
        };
        let text = "xlocal.a=local.b local\n .c local.d_local.e\nlocal";
        let n = text.len();
        let mut nonempty = 0;
        for s in 0..=n {
            for e in s..=n {
                for next in [None, Some(n)] {
                    let mut ranges = vec![(s, e)];
                    if let Some(end) = next {
                        ranges.push((e, end));
                    }
                    let expected = per_range(text, &ranges);
                    let mut read = HashSet::default();
                    add_in_ranges(&mut read, text, &mut ranges.clone(), &local);
                    assert_eq!(read, expected, "{ranges:?}");
                    nonempty += usize::from(!expected.is_empty());
                }
            }
        }
        assert!(nonempty > 500, "{nonempty}");
    }

    /// The issuer URL facts, written with and without blanks (the copy without them is made
    /// only when there are some: a tab, a line break, a vertical tab, a non-ASCII space).
    #[test]
    fn issuer_url_facts_are_told_with_or_without_blanks() {
        for yes in [
            "module.eks.cluster_oidc_issuer_url",
            "module.eks .cluster_oidc_issuer_url",
            "module.eks.\n  cluster_oidc_issuer_url",
            "module.eks.\u{b}cluster_oidc_issuer_url",
            "module.eks.\u{a0}cluster_oidc_issuer_url",
            "aws_eks_cluster.this.identity[0].oidc[0].issuer",
            "aws_eks_cluster.this.identity[0]\t.oidc[0].issuer",
            "data.aws_eks_cluster.c.identity.0.oidc.0.issuer",
        ] {
            assert!(is_issuer_url_fact(yes), "{yes:?}");
        }
        for no in [
            "var.cluster_oidc_issuer_url",
            " var.cluster_oidc_issuer_url",
            "local.cluster_oidc_issuer_url",
            "local .cluster_oidc_issuer_url",
            "module.eks.cluster_oidc_issuer_url_x",
            "module.eks.oidc_provider",
            "module.eks.cluster_oidc_issuer_url\u{e9}",
            "aws_eks_cluster.this.identity[1].oidc[0].issuer",
            "",
        ] {
            assert!(!is_issuer_url_fact(no), "{no:?}");
        }
    }

    /// The call instance that evaluated resource `address` and its `name` (the origin tests).
    fn call_and_name(e: &Evaluated, address: &str) -> (Option<Span>, Node) {
        let r = e
            .resources
            .iter()
            .find(|r| r.address == address)
            .unwrap_or_else(|| panic!("{address}"));
        (r.call, r.body.get("name").unwrap().clone())
    }

    /// `path:text` of what `sp` covers, to compare positions by what they point at.
    fn path_and_text(sources: &SourceMap, sp: Span) -> String {
        let f = sources.get(sp.file);
        format!(
            "{}:{}",
            f.path,
            &f.text()[sp.start as usize..sp.end as usize]
        )
    }

    /// Evaluates `files` (display path, text) as inputs and returns the resources.
    fn eval(files: &[(&str, &str)]) -> (SourceMap, Vec<Resource>) {
        let mut sources = SourceMap::new();
        let mut units = Vec::new();
        for (path, text) in files {
            units.push((sources.add(*path, text.to_string()), None));
        }
        let (out, problems) = evaluate(units, &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let units = (0..files.len() as FileId).map(|i| (i, None)).collect();
        let full = evaluate_parsed_with(
            units,
            Vec::new(),
            &sources,
            &Limits::default(),
            parse_whole,
            false,
        )
        .resources;
        assert_eq!(
            shown(&out),
            shown(&full),
            "the skipping parse changed a value"
        );
        // Every file through hcl-edit (`Limits::fast_hcl` off): the same resources, spans
        // included.
        let units = (0..files.len() as FileId).map(|i| (i, None)).collect();
        let slow = Limits {
            fast_hcl: false,
            ..Limits::default()
        };
        let (hcl_edit, _) = evaluate(units, &sources, &slow);
        assert_eq!(
            shown(&out),
            shown(&hcl_edit),
            "the fast path changed a value"
        );
        assert_eq!(
            shown(&loaded(files)),
            shown(&{
                let mut out = out.clone();
                super::super::resources::drop_rendered_documents(&mut out);
                out
            }),
            "the load stage's evaluation changed a value"
        );
        (sources, out)
    }

    /// `files` evaluated as the load stage does ([`evaluate_loaded`]): the native files'
    /// texts given to it and blanked in the source map (every byte a space), so that a read
    /// of the map where the taken text was meant reads nothing.
    fn loaded(files: &[(&str, &str)]) -> Vec<Resource> {
        let mut sources = SourceMap::new();
        let mut units = Vec::new();
        let mut texts = Vec::new();
        for (path, text) in files {
            let native = path.ends_with(".tf") || path.ends_with(".tfvars");
            let kept = match native {
                true => " ".repeat(text.len()),
                false => text.to_string(),
            };
            let id = sources.add(*path, kept);
            if native {
                texts.push((id, text.to_string()));
            }
            units.push((id, None));
        }
        let e = evaluate_loaded(units, texts, &sources, &Limits::default());
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        e.resources
    }

    /// What [`parse_module_files`] gives, comparable: each file's tree, or its problem, and
    /// its skipped resources (type, name, extent).
    type Shown<'a> = Vec<Result<(Body<'a>, Vec<(String, String, usize, usize)>), LoadProblem>>;

    fn module_files<'a>(
        arena: &'a Arena,
        files: &[(FileId, &'a str)],
        limits: &Limits,
        called: bool,
    ) -> Shown<'a> {
        parse_module_files(arena, files, &[], limits, called)
            .into_iter()
            .map(|r| {
                r.map(|p| {
                    let skipped = p
                        .skipped
                        .iter()
                        .map(|s| (s.kind.clone(), s.name.clone(), s.start, s.end))
                        .collect();
                    (p.body, skipped)
                })
            })
            .collect()
    }

    #[test]
    fn a_file_read_whole_loses_from_its_tree_what_the_blanking_leaves_out() {
        let text = r#"locals {
  read   = "a"
  unread = "b"
}

variable "v" {
  description = "d"
  default     = local.read
}

output "o" {
  value = 1 # local.unread
}

resource "aws_iam_role" "r" {
  name = var.v
  tags = { a = 1 }
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "x"
}
"#;
        let arena = Arena::new();
        assert!(whole_tree(&arena, text).is_some(), "in the fast subset");
        let limits = Limits::default();
        let [Ok((body, skipped))] = &module_files(&arena, &[(0, text)], &limits, false)[..] else {
            panic!("one parsed file");
        };
        let names = |b: &Body| -> Vec<String> {
            b.attributes
                .iter()
                .map(|a| a.key.as_str().to_string())
                .chain(b.blocks.iter().map(|n| n.ident.as_str().to_string()))
                .collect()
        };
        let tops: Vec<(String, Vec<String>)> = body
            .blocks
            .iter()
            .map(|b| (b.ident.as_str().to_string(), names(&b.body)))
            .collect();
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            tops,
            vec![
                // `local.unread` appears only in the output, left out.
                ("locals".to_string(), owned(&["read"])),
                ("variable".to_string(), owned(&["default"])),
                ("resource".to_string(), owned(&["name"])),
            ]
        );
        let start = text.find("resource \"aws_s3_bucket\"").unwrap();
        assert_eq!(
            skipped,
            &vec![(
                "aws_s3_bucket".to_string(),
                "b".to_string(),
                start,
                text.trim_end().len()
            )]
        );
        // Called as a local module, its outputs are kept.
        let [Ok((called, _))] = &module_files(&arena, &[(0, text)], &limits, true)[..] else {
            panic!("one parsed file");
        };
        assert!(called.blocks.iter().any(|b| b.ident.as_str() == "output"));
        // … and so is the local its text names.
        let locals = called.blocks.iter().find(|b| b.ident.as_str() == "locals");
        assert_eq!(
            locals.map(|b| names(&b.body)),
            Some(owned(&["read", "unread"]))
        );
    }

    /// Every module directory of the repository's fixtures and the real corpus: the trees the
    /// fast path reads whole and then trims equal hcl-edit's parse of the blanked text
    /// (`Limits::fast_hcl` off), for a root and for a called module.
    #[test]
    fn trimming_the_whole_tree_equals_parsing_the_blanked_text() {
        fn tf_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    tf_files(&p, out);
                } else if p.extension().is_some_and(|x| x == "tf") {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["testdata", "examples", "../shared/corpus/real"] {
            tf_files(&root.join(dir), &mut files);
        }
        let mut by_dir: std::collections::BTreeMap<_, Vec<String>> = Default::default();
        for f in &files {
            if let Ok(t) = std::fs::read_to_string(f) {
                by_dir
                    .entry(f.parent().map(|d| d.to_path_buf()))
                    .or_default()
                    .push(t);
            }
        }
        let slow = Limits {
            fast_hcl: false,
            ..Limits::default()
        };
        let mut trimmed = 0;
        for (dir, texts) in &by_dir {
            let ids: Vec<(FileId, &str)> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| (i as FileId, t.as_str()))
                .collect();
            trimmed += texts
                .iter()
                .filter(|t| {
                    whole_tree(&Arena::new(), t).is_some_and(|tree| {
                        plan_of_tree(t, &tree, &TagReads::new(&[t.as_str()]), false)
                            .is_some_and(|p| !p.whole)
                    })
                })
                .count();
            for called in [false, true] {
                assert_eq!(
                    module_files(&Arena::new(), &ids, &Limits::default(), called),
                    module_files(&Arena::new(), &ids, &slow, called),
                    "{dir:?} called {called}"
                );
            }
        }
        // Dozens of fixtures lose blocks or items: a comparison on none would prove nothing.
        assert!(trimmed > 20, "only {trimmed} files trimmed");
    }

    /// [`parse`] as the module reader's parse: every file whole, outputs included, as the
    /// load stage did before it skipped anything.
    fn parse_whole<'a>(
        arena: &'a Arena,
        files: &[(FileId, &'a str)],
        _: &[&str],
        limits: &Limits,
        _: bool,
    ) -> Vec<Result<Parsed<'a>, LoadProblem>> {
        files
            .iter()
            .map(|(id, t)| parse(arena, *id, t, limits))
            .collect()
    }

    /// What the skipping parse hands hcl-edit of a directory of the one file `text`: the
    /// byte ranges and whether they are whole blocks.
    fn selection(text: &str) -> Option<(Vec<(usize, usize)>, bool)> {
        let plans = [plan(text, &TagReads::new(&[text]), false)];
        let read = locals_read(&[(0, text)], &plans);
        plans[0].as_ref().map(|p| p.ranges(&read))
    }

    /// Resources as compared: everything, spans included, except the inputs of calls of
    /// modules not modelled here, which nothing reads (the skipping parse keeps only their
    /// `source` and `version`), and a resource's `tags`/`tags_all`, which no model reads
    /// (the skipping parse leaves them out when no expression may refer to them: whatever
    /// refers to them compares equal).
    fn shown(rs: &[Resource]) -> String {
        let mut rs = rs.to_vec();
        for r in &mut rs {
            if r.mode == Mode::Managed {
                if let Value::Map(entries) = &mut r.body.value {
                    *entries = entries
                        .iter()
                        .filter(|e| !e.key.as_str().is_some_and(|k| TAGS.contains(&k)))
                        .cloned()
                        .collect();
                }
            }
            let source = r
                .body
                .get("source")
                .and_then(Node::as_str)
                .map(str::to_string);
            if r.kind == "module"
                && source.is_some_and(|s| super::super::modules::known(&s).is_none())
            {
                if let Value::Map(entries) = &mut r.body.value {
                    *entries = entries
                        .iter()
                        .filter(|e| matches!(e.key.as_str(), Some("source" | "version")))
                        .cloned()
                        .collect();
                }
            }
        }
        format!("{rs:?}")
    }

    /// Every `.tf`/`.tfvars` file under `root`, evaluated with the parse that skips the blocks
    /// no model reads and with the full parse: the same resources, every span included.
    fn assert_skipping_changes_nothing(root: &std::path::Path) -> usize {
        fn walk(d: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(rd) = std::fs::read_dir(d) else { return };
            let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
            entries.sort();
            for p in entries {
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|e| e == "tf" || e == "tfvars") {
                    out.push(p);
                }
            }
        }
        let mut paths = Vec::new();
        walk(root, &mut paths);
        let mut sources = SourceMap::new();
        for p in &paths {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            sources.add(p.strip_prefix(root).unwrap().display().to_string(), text);
        }
        let units = || (0..paths.len() as FileId).map(|i| (i, None)).collect();
        let limits = Limits::default();
        let (skipping, p1) = evaluate(units(), &sources, &limits);
        let Evaluated {
            resources: full,
            problems: p2,
            ..
        } = evaluate_parsed_with(units(), Vec::new(), &sources, &limits, parse_whole, false);
        assert_eq!(shown(&skipping), shown(&full));
        // Problems are those of blocks evaluation reads: never more.
        assert!(p1.len() <= p2.len(), "{p1:?} {p2:?}");
        // How much of the text the skipping parse handed to hcl-edit.
        let (mut total, mut kept, mut whole) = (0, 0, 0);
        // Per directory: its `.tf` files and the texts of its others.
        type Dir<'s> = (&'s str, Vec<(FileId, &'s str)>, Vec<&'s str>);
        let mut dirs: Vec<Dir> = Vec::new();
        for f in sources.files() {
            total += f.text().len();
            let dir = dir_of(&f.path);
            let at = match dirs.iter().position(|d| d.0 == dir) {
                Some(at) => at,
                None => {
                    dirs.push((dir, Vec::new(), Vec::new()));
                    dirs.len() - 1
                }
            };
            let d = &mut dirs[at];
            if f.path.ends_with(".tfvars") {
                kept += f.text().len();
                d.2.push(f.text());
            } else {
                d.1.push((f.id, f.text()));
            }
        }
        for (_, files, others) in &dirs {
            let mut texts: Vec<&str> = files.iter().map(|(_, t)| *t).collect();
            texts.extend_from_slice(others);
            let tags = TagReads::new(&texts);
            let plans: Vec<Option<Plan>> =
                files.iter().map(|(_, t)| plan(t, &tags, false)).collect();
            let read = locals_read(files, &plans);
            for ((_, text), p) in files.iter().zip(&plans) {
                match p {
                    Some(p) => kept += p.ranges(&read).0.iter().map(|(s, e)| e - s).sum::<usize>(),
                    None => {
                        whole += 1;
                        kept += text.len();
                    }
                }
            }
        }
        eprintln!(
            "{}: {} files ({whole} parsed whole), {total} bytes, {kept} parsed",
            root.display(),
            paths.len()
        );
        paths.len()
    }

    #[test]
    fn unknown_names_are_one_line_with_single_spaces_and_no_closing_brace() {
        assert_eq!(
            sanitize("module.eks.oidc_provider"),
            "module.eks.oidc_provider"
        );
        assert_eq!(sanitize("{ a = 1 }"), "{ a = 1 \u{E07D}");
        assert_eq!(sanitize("  f(a,\n    b)  "), "f(a, b)");
        assert_eq!(sanitize("a  b\tc"), "a b c");
        // Each test of the fast path alone: two runs of two spaces (a toggle would miss the
        // second), a `}` and a tab (one that cancelled the other would take it as plain).
        assert_eq!(sanitize("a  b  c"), "a b c");
        assert_eq!(sanitize("a  b"), "a b");
        assert_eq!(sanitize("a}\tb"), "a\u{E07D} b");
        assert_eq!(sanitize("a\u{a0}b"), "a b");
        assert_eq!(sanitize("a\u{b}b\u{c}c"), "a b c");
        assert_eq!(sanitize("var.caf\u{e9}"), "var.caf\u{e9}");
        assert_eq!(sanitize(" a"), "a");
        assert_eq!(sanitize("a "), "a");
        assert_eq!(sanitize(""), "");
        // Whatever Unicode calls whitespace is collapsed like a space.
        for name in ["a\u{a0}b", "a\u{2003}b", "a\u{3000} b", "é  ü"] {
            let slow = name.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(sanitize(name), slow, "{name:?}");
        }
    }

    #[test]
    fn each_byte_that_changes_a_name_is_found_wherever_it_stands() {
        // Every test of `plain_name` at every place of a name longer than two vectors of
        // sixteen bytes (a vectorised fold reads it so), two spaces across each boundary.
        let reference = |n: &str| {
            n.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace('}', "\u{E07D}")
        };
        let base = "module.eks.cluster_oidc_issuer_url.x";
        for at in 0..base.len() {
            for bad in ["}", "\t", "\n", "\u{b}", "\r", "  ", "\u{a0}"] {
                let name = [&base[..at], bad, &base[at..]].concat();
                assert_eq!(sanitize(&name), reference(&name), "{name:?}");
            }
            // A byte the tests must not take: copied as it is.
            for good in [" ", "\u{8}", "\u{e}", "|", "{", "\u{7f}", "é"] {
                let name = [&base[..at], good, &base[at..]].concat();
                assert!(plain_name(name.as_bytes()) || at == 0, "{name:?}");
                assert_eq!(sanitize(&name), reference(&name), "{name:?}");
            }
        }
        let (lane, lane_and_space) = ("abcdefghijklmnop", "abcdefghijklmno p");
        assert!(
            plain_name(b"") && plain_name(lane.as_bytes()) && plain_name(lane_and_space.as_bytes())
        );
        assert!(
            !plain_name(b"abcdefghijklmno  p")
                && !plain_name(b"abcdefghijklmnop ")
                && !plain_name(b" ")
        );
    }

    proptest::proptest! {
        /// The one-pass [`sanitize`] is the definition it replaced: the name's words
        /// (Unicode whitespace) joined by single spaces, `}` as the mark shown as `}`.
        #[test]
        fn sanitize_is_words_joined_without_closing_braces(
            name in "[ a}\t\n\r\u{b}\u{c}\u{a0}\u{2003}é.(]{0,40}"
        ) {
            let reference = name.split_whitespace().collect::<Vec<_>>().join(" ").replace('}', "\u{E07D}");
            proptest::prop_assert_eq!(sanitize(&name), reference);
        }
    }

    #[test]
    fn partly_unknown_strings_escape_a_literal_interpolation_start() {
        let sp = Span::empty(0, 0);
        let parts = |texts: &[(&str, bool)]| -> Vec<Part> {
            texts
                .iter()
                .map(|&(t, unknown)| Part {
                    unknown,
                    ..Part::known(t, sp)
                })
                .collect()
        };
        assert_eq!(
            sub_text(&parts(&[
                ("arn:${x}$ {y} $", false),
                ("var.a }", true),
                ("${", false)
            ])),
            "arn:${!x}$ {y} $${var.a \u{E07D}}${!"
        );
        let known = from_parts(&parts(&[("a", false), ("", false), ("bc", false)]), sp);
        assert_eq!((known.as_str(), known.tag.as_deref()), (Some("abc"), None));
        assert!(has_interpolation_start("x${") && has_interpolation_start("${"));
        assert!(
            !has_interpolation_start("$ {")
                && !has_interpolation_start("{$")
                && !has_interpolation_start("$")
        );
        // The first `${`, past a `$` that starts none; as `split_sub` reads a `!Sub` text.
        assert_eq!(interpolation_start("a$b$${x}"), Some(4));
        assert_eq!(interpolation_start("${"), Some(0));
        assert_eq!(interpolation_start("$ {$"), None);
        let split = split_sub("https://${module.eks.x}:sub", sp);
        let texts: Vec<(&str, bool)> = split.iter().map(|p| (p.text.as_str(), p.unknown)).collect();
        assert_eq!(
            texts,
            [("https://", false), ("module.eks.x", true), (":sub", false)]
        );
    }

    #[test]
    fn nesting_is_refused_at_the_first_bracket_past_the_limit() {
        assert_eq!(too_deep("a = [[[1]]]", 3), None);
        assert_eq!(too_deep("a = [[[[1]]]]", 3), Some(7));
        // Closers before openers do not bank depth; strings are not told apart.
        assert_eq!(too_deep(")))) ({[", 3), None);
        assert_eq!(too_deep("x = \"((\" ({[", 3), Some(10));
        assert_eq!(too_deep("({}) ([]) ((()))", 2), Some(12));
        // The count that spares most files the merge: every opener, past the 255-byte blocks.
        assert_eq!(openers(b"a = [{x = (1)}] ]})"), 3);
        let many = "[".repeat(700) + &"x(".repeat(300);
        assert_eq!(openers(many.as_bytes()), 1000);
        assert_eq!(too_deep(&many, 128), Some(128));
        let flat = "[]".repeat(300);
        assert_eq!(too_deep(&flat, 128), None);
    }

    #[test]
    fn only_calls_of_modules_neither_modelled_nor_local_lose_their_inputs() {
        let modelled = |block: &str| {
            let b = &super::super::scan::top_blocks(block).unwrap()[0];
            inputs_read(block, &super::super::scan::block_items(block, b).unwrap())
        };
        let irsa = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks";
        assert!(modelled(&format!(
            "module \"a\" {{\n  source = \"{irsa}\" # v5\n}}\n"
        )));
        // A local module is evaluated with its inputs.
        assert!(modelled(
            "module \"a\" {\n  source = \"../..\" # root\n  x = 1\n}\n"
        ));
        assert!(modelled(
            "module \"a\" {\n  source = \"./modules/irsa\"\n}\n"
        ));
        assert!(!modelled(
            "module \"a\" {\n  source = \"git::https://example.com/m.git//x\"\n}\n"
        ));
        assert!(!modelled(
            "module \"a\" {\n  source = \"terraform-aws-modules/eks/aws\"\n}\n"
        ));
        // Not a plain literal, or no source: kept whole.
        assert!(modelled("module \"a\" {\n  source = \"a\\\"b\"\n}\n"));
        assert!(modelled("module \"a\" {\n  source = \"${var.x}\"\n}\n"));
        assert!(modelled("module \"a\" {\n  x = 1\n}\n"));
        // The kept text of a call not modelled: its source, version and count.
        let text = "module \"eks\" {\n  source  = \"terraform-aws-modules/eks/aws\"\n  version = \"~> 20.0\"\n  count = 1\n  cluster_name = local.name\n  eks_managed_node_groups = {\n    a = {}\n  }\n}\n";
        let (kept, whole) = selection(text).unwrap();
        assert!(!whole);
        let kept: Vec<&str> = kept.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            kept,
            [
                "module \"eks\" {",
                "source  = \"terraform-aws-modules/eks/aws\"",
                "version = \"~> 20.0\"",
                "count = 1",
                "}"
            ]
        );
    }

    #[test]
    fn skipping_unread_blocks_changes_no_value_of_the_test_configurations() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        assert!(assert_skipping_changes_nothing(&root) > 10);
    }

    /// On real repositories: `IRSALINT_TF_EQUIV=dir1:dir2 cargo test --lib -- --ignored
    /// skipping_unread_blocks_changes_no_value_of_real`.
    #[test]
    #[ignore]
    fn skipping_unread_blocks_changes_no_value_of_real_repositories() {
        let dirs = std::env::var("IRSALINT_TF_EQUIV").unwrap_or_default();
        for d in dirs.split(':').filter(|d| !d.is_empty()) {
            let n = assert_skipping_changes_nothing(std::path::Path::new(d));
            eprintln!("{d}: {n} files, the same resources");
        }
    }

    fn attr<'r>(rs: &'r [Resource], address: &str, key: &str) -> &'r Node {
        rs.iter()
            .find(|r| r.address == address)
            .and_then(|r| r.body.get(key))
            .unwrap_or_else(|| panic!("{address}.{key}"))
    }

    /// Templates made in one buffer (`plain_template`) are what the pieces make: the same
    /// values, tags and spans with the general way forced, over every shape the fast way
    /// takes or leaves (known scalars, unknowns, a `$` beside an unknown, JSON text, a
    /// collection, a directive, a partly known value, null).
    #[test]
    fn templates_made_in_one_buffer_are_what_their_pieces_make() {
        let files = [
            (
                "t/main.tf",
                r#"locals {
  issuer = replace(module.eks.cluster_oidc_issuer_url, "https://", "")
  partial = "https://${module.eks.oidc_provider}"
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    known   = "arn:aws:s3:::${var.bucket}/*"
    number  = "${var.n}-${var.on}"
    nullstr = "${var.none}-amplify-role"
    nullfmt = format("%s-amplify-role", var.none)
    nulljoin = join("-", [var.bucket, var.none])
    sub     = "${local.issuer}:sub"
    two     = "${var.missing}${var.missing2}"
    dollar  = "$${x}-${var.missing}"
    dollar2 = "a$b-${var.missing}"
    dollar3 = "${var.d}-${var.missing}"
    json    = "{${var.bucket}}"
    brace   = " {x-${var.missing}"
    list    = "${var.list}-x"
    partial = "${local.partial}/id"
    cond    = "%{ if var.on }on-${var.bucket}%{ endif }"
  })
}
"#,
            ),
            (
                "t/variables.tf",
                r#"variable "bucket" { default = "bkt" }
variable "n" { default = 3 }
variable "on" { default = true }
variable "list" { default = ["a"] }
variable "d" { default = "p$${q}" }
variable "none" { default = null }
"#,
            ),
        ];
        GENERAL_TEMPLATES.store(true, std::sync::atomic::Ordering::Relaxed);
        let (_, general) = eval(&files);
        GENERAL_TEMPLATES.store(false, std::sync::atomic::Ordering::Relaxed);
        let (_, fast) = eval(&files);
        assert_eq!(shown(&fast), shown(&general));
        let policy = attr(&fast, "aws_iam_policy.p", "policy");
        let got = |k: &str| {
            let v = policy.get(k).unwrap_or_else(|| panic!("{k}"));
            (
                v.as_str().map(str::to_string),
                v.tag.as_deref().map(str::to_string),
            )
        };
        let plain = |s: &str| (Some(s.to_string()), None);
        let partial = |s: &str| (Some(s.to_string()), Some(PARTIAL_TAG.to_string()));
        assert_eq!(got("known"), plain("arn:aws:s3:::bkt/*"));
        assert_eq!(got("number"), plain("3-true"));
        // Terraform refuses a null in a string: what would be `-amplify-role` is not known
        // (ManagedKube/kubernetes-ops@9de00817 terraform-modules/aws/amplify/main.tf, where
        // `name` defaults to null); a template names the piece, a function is unknown whole.
        assert_eq!(got("nullstr"), partial("${var.none}-amplify-role"));
        for k in ["nullfmt", "nulljoin"] {
            let v = policy.get(k).unwrap();
            assert!(is_unknown(v), "{k}: {v:?}");
            assert!(
                v.as_str().is_some_and(|s| s.contains("var.none")),
                "{k}: {v:?}"
            );
        }
        assert_eq!(
            got("sub"),
            partial(r#"${replace(module.eks.cluster_oidc_issuer_url, "https://", "")}:sub"#)
        );
        assert_eq!(got("two"), partial("${var.missing}${var.missing2}"));
        assert_eq!(got("dollar"), partial("${!x}-${var.missing}"));
        assert_eq!(got("dollar2"), partial("a$b-${var.missing}"));
        // A known value's `${` beside an unknown is escaped too.
        assert_eq!(got("dollar3"), partial("p${!q}-${var.missing}"));
        assert_eq!(got("brace"), partial(" {x-${var.missing}"));
        assert_eq!(got("cond"), plain("on-bkt"));
        assert_eq!(
            got("partial"),
            partial("https://${module.eks.oidc_provider}/id")
        );
        assert_eq!(got("json"), plain("{bkt}"));
        assert!(is_unknown(policy.get("list").unwrap()));
    }

    /// `ast::calls_of` finds a function's calls in every kind of expression and nested
    /// block, outermost first, and no other function's, nor a namespaced one.
    #[test]
    fn calls_are_found_in_every_kind_of_expression() {
        let text = r#"a = f(1)
b = [f(2), { k = f(3), (f(4)) = 1 }]
c = x ? f(5) : (f(6))
d = [for v in f(7) : f(8) if f(9)]
e = "${f(10)}-%{ if f(11) }${f(12)}%{ else }${f(13)}%{ endif }%{ for i in f(14) }${i}%{ endfor }"
g = <<EOT
${f(15)}
EOT
h = x[f(16)].y + -f(17)
i = g(f(18))
j = provider::p::f(0)
block "l" {
  inner {
    k = f(19)
  }
}
"#;
        let arena = Arena::new();
        let parsed = parse(&arena, 0, text, &Limits::default()).expect("parses");
        let found: Vec<String> = super::super::ast::calls_of(&parsed.body, "f")
            .iter()
            .map(|c| text[c.sp.range().unwrap()].to_string())
            .collect();
        let expected: Vec<String> = (1..=19).map(|i| format!("f({i})")).collect();
        assert_eq!(found, expected);
    }

    /// Every file a `templatefile()` call names is known, also where evaluation never reads
    /// the call (a `local_file`'s `content`, chronno4/exemplo-addon-eks@8784f4d), at the root
    /// and in a local module (its own `path.module`); one evaluation reads is a template
    /// (its rendering is judged), not listed again. A comment's call, a longer name ending
    /// in `templatefile(` and a path only apply knows name nothing.
    #[test]
    fn templatefile_targets_are_known_wherever_the_call_is() {
        let root = r#"resource "local_file" "sa" {
  content  = templatefile("${path.module}/templates/sa.yaml.tpl", { role_arn = aws_iam_role.r.arn })
  filename = "out/sa.yaml"
}
resource "local_file" "list" {
  content = join("\n", [
    templatefile("templates/second.yaml.tpl", {}),
  ])
}
resource "local_file" "each" {
  for_each = toset(var.names)
  content  = templatefile("templates/${each.key}.yaml.tpl", {})
}
# content = templatefile("templates/commented.yaml.tpl", {})
resource "local_file" "other" {
  content = mytemplatefile("templates/commented.yaml.tpl", {})
  filename = my_templatefile("templates/commented.yaml.tpl", {})
  description = "€templatefile(\"templates/commented.yaml.tpl\", {})"
}
resource "helm_release" "h" {
  name   = "h"
  values = [templatefile("templates/values.yaml.tpl", { x = 1 })]
}
module "m" {
  source = "./modules/m"
}
"#;
        let module = "resource \"local_file\" \"x\" {\n  content = templatefile(\"${path.module}/in-module.yaml.tpl\", {})\n}\n";
        let files = [
            ("r/main.tf", root),
            (
                "r/variables.tf",
                "variable \"names\" {\n  type = list(string)\n}\n",
            ),
            ("r/modules/m/main.tf", module),
            ("r/templates/sa.yaml.tpl", "a: ${role_arn}\n"),
            ("r/templates/second.yaml.tpl", "b: 1\n"),
            ("r/templates/commented.yaml.tpl", "c: ${x}\n"),
            ("r/templates/values.yaml.tpl", "x: ${x}\n"),
            ("r/templates/x.yaml.tpl", "x: ${x}\n"),
            ("r/modules/m/in-module.yaml.tpl", "m: ${x}\n"),
        ];
        let mut sources = SourceMap::new();
        let mut units = Vec::new();
        for (path, text) in files {
            let id = sources.add(path, text.to_string());
            if path.ends_with(".tf") {
                units.push((id, None));
            }
        }
        let e = evaluate_inputs(units, &sources, &Limits::default());
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        let paths = |ids: &[FileId]| -> Vec<&str> {
            ids.iter()
                .map(|&id| sources.get(id).path.as_str())
                .collect()
        };
        assert_eq!(paths(&e.templates), ["r/templates/values.yaml.tpl"]);
        assert_eq!(
            paths(&e.rendered_unread),
            [
                "r/templates/sa.yaml.tpl",
                "r/templates/second.yaml.tpl",
                "r/modules/m/in-module.yaml.tpl",
            ]
        );
    }

    #[test]
    fn comments_are_found_outside_strings_and_heredocs() {
        let text = "a = \"${replace(x, \"#\", \"\")}#\" # one\n# two\nb = <<-EOF\n  # not\n  EOF\n/* # no */ c = 1 // # no\nd = \"#\" # three\n";
        let found: Vec<&str> = comment_starts(text)
            .iter()
            .map(|&i| &text[i as usize..text[i as usize..].find('\n').unwrap() + i as usize])
            .collect();
        assert_eq!(found, ["# one", "# two", "# three"]);
    }

    #[test]
    fn a_duplicate_object_key_parses_and_the_last_wins() {
        let text = "resource \"helm_release\" \"x\" {\n  values = [{ a = 1, b = 2, a = 3 }]\n}\n";
        let (src, rs) = eval(&[("m/main.tf", text)]);
        let v = &attr(&rs, "helm_release.x", "values").items()[0];
        assert_eq!(v.get("a").and_then(Node::as_i64), Some(3));
        // The later key keeps its position and the name as written.
        let last = v.entries().last().unwrap();
        assert_eq!(last.key.as_str(), Some("a"));
        assert_eq!(src.get(0).slice(last.key.span), "a");
        assert_eq!(last.key.span.start as usize, text.find("a = 3").unwrap());
    }

    #[test]
    fn tfvars_win_over_defaults_unless_two_files_disagree() {
        let tf = "variable \"ns\" {\n  default = \"default\"\n}\nvariable \"sa\" {\n  default = \"x\"\n}\n\
                  resource \"kubernetes_service_account_v1\" \"s\" {\n  metadata {\n    name = var.sa\n    namespace = var.ns\n  }\n}\n";
        let (_, rs) = eval(&[
            ("m/main.tf", tf),
            ("m/a.tfvars", "ns = \"shop\"\nsa = \"api\"\n"),
            ("m/b.tfvars", "ns = \"shop\"\nsa = \"web\"\n"),
        ]);
        let meta = &attr(&rs, "kubernetes_service_account_v1.s", "metadata").items()[0];
        assert_eq!(meta.get("namespace").and_then(Node::as_str), Some("shop"));
        let name = meta.get("name").unwrap();
        assert!(is_unknown(name), "{name:?}");
        assert_eq!(name.as_str(), Some("var.sa"));
    }

    /// `compact` drops null and empty strings, `distinct` later repeats (first kept, order
    /// kept); an unknown element leaves either unknown (it may be empty, or a repeat).
    #[test]
    fn compact_and_distinct_decide_on_known_elements() {
        let tf = "resource \"aws_iam_role\" \"r\" {\n  managed_policy_arns = compact(distinct([\"b\", \"\", \"a\", \"b\", null, \"a\"]))\n  name = join(\",\", distinct([\"x\", \"y\", \"x\"]))\n  path = join(\",\", compact([\"x\", \"\", \"y\"]))\n  description = join(\",\", compact([\"x\", var.y]))\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let arns: Vec<&str> = attr(&rs, "aws_iam_role.r", "managed_policy_arns")
            .items()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(arns, ["b", "a"]);
        assert_eq!(attr(&rs, "aws_iam_role.r", "name").as_str(), Some("x,y"));
        assert_eq!(attr(&rs, "aws_iam_role.r", "path").as_str(), Some("x,y"));
        assert!(is_unknown(attr(&rs, "aws_iam_role.r", "description")));
    }

    /// `coalescelist`: the first list that is not empty, decided while the lists before it
    /// are known; an unknown one before it leaves it unknown.
    #[test]
    fn coalescelist_takes_the_first_list_not_empty() {
        let tf = "variable \"none\" {\n  default = []\n}\nvariable \"some\" {\n  default = [\"s\"]\n}\nvariable \"open\" {}\nresource \"aws_iam_role\" \"r\" {\n  name = join(\",\", coalescelist(var.none, [\"a\", \"b\"]))\n  path = join(\",\", coalescelist(var.some, [\"a\"]))\n  description = join(\",\", coalescelist(var.open, [\"a\"]))\n  permissions_boundary = join(\",\", coalescelist([], [], [\"c\"]))\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        assert_eq!(attr(&rs, "aws_iam_role.r", "name").as_str(), Some("a,b"));
        assert_eq!(attr(&rs, "aws_iam_role.r", "path").as_str(), Some("s"));
        assert!(is_unknown(attr(&rs, "aws_iam_role.r", "description")));
        assert_eq!(
            attr(&rs, "aws_iam_role.r", "permissions_boundary").as_str(),
            Some("c")
        );
    }

    /// `basename` as Go's `filepath.Base` (Terraform's): trailing slashes dropped, `.` for an
    /// empty path, `/` for slashes only; `get_terragrunt_dir()` is only Terragrunt's, so a
    /// `.tf` file's call of it is unknown.
    #[test]
    fn basename_and_get_terragrunt_dir_outside_terragrunt() {
        let tf = "resource \"aws_iam_role\" \"r\" {\n  name = basename(\"live/prod/team-reports\")\n  path = basename(\"a/b//\")\n  description = basename(\"\")\n  permissions_boundary = basename(\"//\")\n  max_session_duration = basename(get_terragrunt_dir())\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        assert_eq!(
            attr(&rs, "aws_iam_role.r", "name").as_str(),
            Some("team-reports")
        );
        assert_eq!(attr(&rs, "aws_iam_role.r", "path").as_str(), Some("b"));
        assert_eq!(
            attr(&rs, "aws_iam_role.r", "description").as_str(),
            Some(".")
        );
        assert_eq!(
            attr(&rs, "aws_iam_role.r", "permissions_boundary").as_str(),
            Some("/")
        );
        assert!(is_unknown(attr(
            &rs,
            "aws_iam_role.r",
            "max_session_duration"
        )));
    }

    /// A conditional whose condition the inputs do not decide (`var.on`, no default): the
    /// branch that cannot fail when the other selects an instance its block does not have
    /// (a resource's or a module's, by `count` or `for_each`); two equal branches' value;
    /// otherwise unknown, named by the whole expression.
    #[test]
    fn undecided_conditionals() {
        let tf = r#"variable "on" {}
variable "k" {}

resource "aws_iam_role" "one" {
  count = 1
}
resource "aws_iam_role" "none" {
  count = 0
}
resource "aws_iam_role" "keyed" {
  for_each = { a = 1 }
}
resource "aws_iam_role" "single" {}
module "m" {
  source   = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  for_each = { a = 1 }
}

resource "aws_iam_role" "name" {
  name = var.on ? aws_iam_role.one[1].arn : "x"
}
resource "aws_iam_role" "description" {
  name = var.on ? "y" : aws_iam_role.none[0].arn
}
resource "aws_iam_role" "path" {
  name = var.on ? aws_iam_role.keyed["b"].arn : module.m["a"].iam_role_arn
}
resource "aws_iam_role" "a" {
  name = var.on ? module.m["b"].iam_role_arn : aws_iam_role.keyed["a"].arn
}
resource "aws_iam_role" "b" {
  name = var.on ? aws_iam_role.one[0].arn : "x"
}
resource "aws_iam_role" "c" {
  name = var.on ? aws_iam_role.single["a"].arn : "x"
}
resource "aws_iam_role" "d" {
  name = var.on ? aws_iam_role.keyed[var.k].arn : "x"
}
resource "aws_iam_role" "e" {
  name = var.on ? "same" : "same"
}
resource "aws_iam_role" "f" {
  name = var.on ? "x" : "y"
}
resource "aws_iam_role" "g" {
  name = var.on ? aws_iam_role.single.arn : aws_iam_role.single.arn
}
resource "aws_iam_role" "h" {
  name = var.on ? 1 : "1"
}
resource "aws_iam_role" "i" {
  name = var.on ? "x" : module.other[0].arn
}
resource "aws_iam_role" "j" {
  name = [for aws_iam_role in [{ keyed = { b = "z" } }] : var.on ? aws_iam_role.keyed["b"] : "x"][0]
}
"#;
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let r = |k: &str| attr(&rs, &format!("aws_iam_role.{k}"), "name").clone();
        let tag = r;
        let shown = |n: Node| {
            let t = n.scalar_text().unwrap().into_owned();
            match is_unknown(&n) {
                true => format!("?{t}"),
                false => t,
            }
        };
        // Index 1 of one instance, index 0 of none: the other branch.
        assert_eq!(shown(r("name")), "x");
        assert_eq!(shown(r("description")), "y");
        // Key "b" of a for_each that has only "a" (a resource's, a module's).
        assert_eq!(shown(r("path")), "?module.m[\"a\"].iam_role_arn");
        assert_eq!(shown(tag("a")), "?aws_iam_role.keyed[\"a\"].arn");
        // Instances that exist, a block without instances keys, an unknown key, a block
        // the module does not have: undecided.
        // `j`: a `for` variable named like the resource type is that variable.
        for k in ["b", "c", "d", "i", "j"] {
            let v = tag(k);
            assert!(is_unknown(&v), "{k}: {v:?}");
            assert!(v.as_str().unwrap().starts_with("var.on ? "), "{k}: {v:?}");
        }
        assert_eq!(shown(tag("e")), "same");
        assert!(is_unknown(&tag("f")));
        assert_eq!(shown(tag("g")), "?aws_iam_role.single.arn");
        assert!(
            is_unknown(&tag("h")),
            "a number and a string are not one value"
        );
    }

    /// What `--explain` shows of a conditional only apply decides.
    #[test]
    fn conditional_of_names_the_condition_and_the_branches() {
        assert_eq!(
            conditional_of("${var.on ? aws_iam_role.a.arn : module.b[\"k\"].iam_role_arn}"),
            Some((
                "var.on".to_string(),
                "aws_iam_role.a.arn".to_string(),
                "module.b[\"k\"].iam_role_arn".to_string()
            ))
        );
        assert_eq!(
            conditional_of("lookup(x, \"a\", null) != null ? x.a : y").map(|c| c.0),
            Some("lookup(x, \"a\", null) != null".to_string())
        );
        assert_eq!(conditional_of("${aws_iam_role.a.arn}"), None);
        assert_eq!(conditional_of("${a ? b}"), None);
    }

    /// `trimprefix()`/`replace()` that leave only the unknown are named by the call (its
    /// first argument by what it evaluated to); with a known piece left, or an unknown the
    /// caller of a local module passed in (kept at the caller's text), the reference keeps
    /// its name.
    #[test]
    fn a_trimmed_issuer_url_is_named_by_the_call() {
        let root = r#"resource "aws_iam_role" "t" {
  name        = trimprefix(module.eks.cluster_oidc_issuer_url, "https://")
  path        = replace(module.eks.cluster_oidc_issuer_url, "oidc", "x")
  description = trimprefix(aws_eks_cluster.x.identity[0].oidc[0].issuer, "http")
  name_prefix = replace(var.issuer, "https://", "")
}

variable "issuer" {}

module "irsa" {
  source     = "../m"
  issuer_url = module.eks.cluster_oidc_issuer_url
}

module "lone" {
  source     = "../m"
  issuer_url = var.issuer
}
"#;
        let m = r#"variable "issuer_url" {}

resource "aws_iam_role" "m" {
  name = "${replace(var.issuer_url, "https://", "")}:sub"
}
"#;
        let mut sources = SourceMap::new();
        let files = [("live/main.tf", root), ("m/main.tf", m)];
        let units = files
            .iter()
            .map(|(p, t)| (sources.add(*p, t.to_string()), None))
            .collect();
        let e = evaluate_inputs(units, &sources, &Limits::default());
        let get = |address: &str, k: &str| {
            let r = e.resources.iter().find(|r| r.address == address).unwrap();
            (r.call, r.body.get(k).unwrap().clone())
        };
        let t = |k: &str| {
            let n = get("aws_iam_role.t", k).1;
            (
                n.tag.as_deref().unwrap_or("").to_string(),
                n.as_str().unwrap().to_string(),
            )
        };
        assert_eq!(
            t("name"),
            (
                "!Unknown".into(),
                "trimprefix(module.eks.cluster_oidc_issuer_url, \"https://\")".into()
            )
        );
        assert_eq!(
            t("path"),
            (
                "!Sub".into(),
                "https://${module.eks.cluster_oidc_issuer_url}".into()
            )
        );
        assert_eq!(
            t("description"),
            (
                "!Sub".into(),
                "s://${aws_eks_cluster.x.identity[0].oidc[0].issuer}".into()
            )
        );
        // A lone unknown: no known piece taken away, but the result is not the variable's
        // value (whether it had the scheme is not known): named by the call too.
        assert_eq!(
            t("name_prefix"),
            (
                "!Unknown".into(),
                "replace(var.issuer, \"https://\", \"\")".into()
            )
        );
        let (c, n) = get("module.irsa.aws_iam_role.m", "name");
        let v = n.as_str().unwrap();
        assert_eq!(v, "${module.eks.cluster_oidc_issuer_url}:sub");
        let at = e.origins.span_at(c, n.span, v, 0..4);
        assert_eq!(
            &sources.get(at.file).text()[at.start as usize..at.end as usize],
            "module.eks.cluster_oidc_issuer_url"
        );
        // A lone unknown the caller passed in keeps the caller's name and text.
        let (c, n) = get("module.lone.aws_iam_role.m", "name");
        let v = n.as_str().unwrap();
        assert_eq!(v, "${var.issuer}:sub");
        let at = e.origins.span_at(c, n.span, v, 0..4);
        assert_eq!(sources.get(at.file).path, "live/main.tf");
        assert_eq!(
            &sources.get(at.file).text()[at.start as usize..at.end as usize],
            "var.issuer"
        );
    }

    /// `replace(arn, "/^(.*provider/)/", "")`: the issuer of a known provider ARN (up to the
    /// last `provider/`, as RE2's greedy `.*` takes it; a part of the ARN is the user's text),
    /// unknown otherwise, named by the call; other regular expressions are not evaluated.
    #[test]
    fn replace_takes_a_known_provider_arn_to_its_issuer() {
        let tf = r#"locals {
  arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
}
resource "aws_iam_role" "r" {
  name        = "${replace(local.arn, "/^(.*provider/)/", "")}:sub"
  path        = replace("arn:aws:iam::1:oidc-provider/${var.host}", "/^(.*provider/)/", "")
  description = replace(module.eks.oidc_provider_arn, "/^(.*provider/)/", "")
}
resource "aws_iam_role" "s" {
  name        = replace("x-provider/y-provider/z", "/^(.*provider/)/", "")
  path        = replace("none", "/^(.*provider/)/", "")
  description = replace(local.arn, "/^(.*oidc/)/", "")
}
resource "aws_iam_role" "t" {
  name = replace(local.arn, "/^(.*provider/)/", "x")
  path = replace("a\nprovider/b", "/^(.*provider/)/", "")
}
"#;
        let (src, rs) = eval(&[("m/main.tf", tf)]);
        let name = attr(&rs, "aws_iam_role.r", "name");
        assert_eq!(name.tag, crate::source::node::Tag::NONE);
        assert_eq!(
            name.as_str(),
            Some("oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub")
        );
        let path = attr(&rs, "aws_iam_role.r", "path");
        assert!(is_unknown(path));
        let d = attr(&rs, "aws_iam_role.r", "description");
        assert!(is_unknown(d));
        assert_eq!(
            d.as_str(),
            Some(r#"replace(module.eks.oidc_provider_arn, "/^(.*provider/)/", "")"#)
        );
        assert_eq!(src.get(0).slice(d.span), d.as_str().unwrap());
        let s = |k: &str| attr(&rs, "aws_iam_role.s", k);
        assert_eq!(s("name").as_str(), Some("z"));
        assert_eq!(s("path").as_str(), Some("none"));
        assert!(is_unknown(s("description")));
        // Only the idiom (nothing put in place of the prefix); only one line.
        assert!(is_unknown(attr(&rs, "aws_iam_role.t", "name")));
        assert!(is_unknown(attr(&rs, "aws_iam_role.t", "path")));
    }

    #[test]
    fn replace_strips_the_known_scheme_of_the_issuer_url() {
        let tf = "resource \"aws_iam_role\" \"r\" {\n  name = \"${replace(module.eks.cluster_oidc_issuer_url, \"https://\", \"\")}:sub\"\n  path = \"${module.eks.cluster_oidc_issuer_url}:sub\"\n  description = \"${module.eks.oidc_provider}:sub\"\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let t = |k: &str| {
            let n = attr(&rs, "aws_iam_role.r", k);
            (
                n.tag.as_deref().map(str::to_string),
                n.as_str().unwrap().to_string(),
            )
        };
        // Named by the call as written: the unknown is the trimmed URL, not the URL.
        assert_eq!(
            t("name"),
            (
                Some("!Sub".into()),
                "${replace(module.eks.cluster_oidc_issuer_url, \"https://\", \"\")}:sub".into()
            )
        );
        assert_eq!(
            t("path"),
            (
                Some("!Sub".into()),
                "https://${module.eks.cluster_oidc_issuer_url}:sub".into()
            )
        );
        assert_eq!(
            t("description"),
            (
                Some("!Sub".into()),
                "${module.eks.oidc_provider}:sub".into()
            )
        );
    }

    #[test]
    fn an_indented_heredoc_of_json_maps_each_value_to_its_own_position() {
        let tf = "resource \"aws_iam_policy\" \"p\" {\n  policy = <<-EOF\n    {\n      \"Statement\": [{\"Action\": \"s3:*\", \"Resource\": \"${var.arn}\"}]\n    }\n  EOF\n}\n";
        let (src, rs) = eval(&[("m/main.tf", tf)]);
        let doc = attr(&rs, "aws_iam_policy.p", "policy");
        let st = &doc.get("Statement").unwrap().items()[0];
        let action = st.get("Action").unwrap();
        assert_eq!(src.get(0).slice(action.span), "\"s3:*\"");
        let resource = st.get("Resource").unwrap();
        assert_eq!(resource.tag.as_deref(), Some("!Sub"));
        assert_eq!(resource.as_str(), Some("${var.arn}"));
    }

    /// The `each.key`/`each.value` of every instance of a role and its trust document.
    fn instance_subjects(rs: &[Resource]) -> Vec<(String, String)> {
        rs.iter()
            .filter(|r| r.kind == "aws_iam_role")
            .map(|r| {
                let doc = r.body.get("assume_role_policy").unwrap();
                let sub = doc.get("Statement").unwrap().items()[0]
                    .get("Condition")
                    .and_then(|c| c.get("StringEquals"))
                    .and_then(|c| c.entries().first())
                    .map(|e| e.value.as_str().unwrap_or("").to_string())
                    .unwrap_or_default();
                (r.address.clone(), sub)
            })
            .collect()
    }

    const FOR_EACH_DOC: &str = "data \"aws_iam_policy_document\" \"d\" {\n  for_each = COLL\n  statement {\n    actions = [\"sts:AssumeRoleWithWebIdentity\"]\n    condition {\n      test     = \"StringEquals\"\n      variable = \"k:sub\"\n      values   = [\"system:serviceaccount:${each.value}:${each.key}\"]\n    }\n  }\n}\n\
        resource \"aws_iam_role\" \"r\" {\n  for_each = COLL\n  assume_role_policy = data.aws_iam_policy_document.d[each.key].json\n}\n";

    #[test]
    fn for_each_instances_take_their_own_document_by_key() {
        let tf = FOR_EACH_DOC.replace("COLL", "{ api = \"shop\", web = \"front\" }");
        let (_, rs) = eval(&[("m/main.tf", &tf)]);
        assert_eq!(
            instance_subjects(&rs),
            [
                (
                    "aws_iam_role.r[\"api\"]".to_string(),
                    "system:serviceaccount:shop:api".to_string()
                ),
                (
                    "aws_iam_role.r[\"web\"]".to_string(),
                    "system:serviceaccount:front:web".to_string()
                ),
            ]
        );
        // A set of strings: each element is its key and value, repeats collapse.
        let tf = FOR_EACH_DOC.replace("COLL", "toset([\"a\", \"a\"])");
        let (_, rs) = eval(&[("m/main.tf", &tf)]);
        assert_eq!(
            instance_subjects(&rs),
            [(
                "aws_iam_role.r[\"a\"]".to_string(),
                "system:serviceaccount:a:a".to_string()
            )]
        );
        // An empty collection: no instance.
        let tf = FOR_EACH_DOC.replace("COLL", "{}");
        let (_, rs) = eval(&[("m/main.tf", &tf)]);
        assert!(instance_subjects(&rs).is_empty());
    }

    #[test]
    fn an_unknown_for_each_gives_one_template_with_each_unknown() {
        let tf = FOR_EACH_DOC.replace("COLL", "var.apps");
        let (_, rs) = eval(&[("m/main.tf", &tf)]);
        let roles: Vec<_> = rs.iter().filter(|r| r.kind == "aws_iam_role").collect();
        assert_eq!(roles.len(), 1);
        assert_eq!(roles[0].address, "aws_iam_role.r");
        let doc = roles[0].body.get("assume_role_policy").unwrap();
        let sub = doc.get("Statement").unwrap().items()[0]
            .get("Condition")
            .and_then(|c| c.get("StringEquals"))
            .and_then(|c| c.get("k:sub"))
            .unwrap();
        assert_eq!(sub.tag.as_deref(), Some(PARTIAL_TAG));
        assert_eq!(
            sub.as_str(),
            Some("system:serviceaccount:${each.value}:${each.key}")
        );
        // More instances than are evaluated one by one: the template too.
        let many: Vec<String> = (0..=MAX_INSTANCES).map(|i| format!("\"k{i}\"")).collect();
        let tf = FOR_EACH_DOC.replace("COLL", &format!("toset([{}])", many.join(", ")));
        let (_, rs) = eval(&[("m/main.tf", &tf)]);
        let roles: Vec<_> = rs.iter().filter(|r| r.kind == "aws_iam_role").collect();
        assert_eq!(roles.len(), 1);
        assert_eq!(roles[0].address, "aws_iam_role.r");
    }

    #[test]
    fn for_each_over_a_data_source_or_a_resource_takes_its_instances() {
        let tf = FOR_EACH_DOC
            .replace("COLL", "{ api = \"shop\" }")
            .replace(
                "for_each = { api = \"shop\" }\n  assume_role_policy = data.aws_iam_policy_document.d[each.key].json",
                "for_each = data.aws_iam_policy_document.d\n  name = \"r-${each.key}\"\n  assume_role_policy = each.value.json",
            )
            + "resource \"aws_iam_role_policy_attachment\" \"a\" {\n  for_each = aws_iam_role.r\n  role = each.value.name\n  policy_arn = \"arn:aws:iam::aws:policy/ReadOnlyAccess\"\n}\n\
               resource \"aws_iam_role\" \"t\" {\n  for_each = var.unknown\n  name = each.key\n}\n\
               resource \"aws_iam_role_policy_attachment\" \"b\" {\n  for_each = aws_iam_role.t\n  role = each.value.name\n}\n";
        let (_, rs) = eval(&[("m/main.tf", &tf)]);
        let roles: Vec<Resource> = rs
            .iter()
            .filter(|r| r.address.starts_with("aws_iam_role.r"))
            .cloned()
            .collect();
        assert_eq!(
            instance_subjects(&roles),
            [(
                "aws_iam_role.r[\"api\"]".to_string(),
                "system:serviceaccount:shop:api".to_string()
            )]
        );
        let role = attr(&rs, "aws_iam_role_policy_attachment.a[\"api\"]", "role");
        assert_eq!(role.as_str(), Some("r-api"));
        // A resource whose instances are not known is no collection: one template.
        let b: Vec<_> = rs
            .iter()
            .filter(|r| r.address.starts_with("aws_iam_role_policy_attachment.b"))
            .map(|r| r.address.as_str())
            .collect();
        assert_eq!(b, ["aws_iam_role_policy_attachment.b"]);
    }

    /// References select an instance's body (the one `resources` emits, evaluated once),
    /// also of a resource the skipping parse left out and parses on reference; `eval`
    /// compares with the full parse.
    #[test]
    fn references_to_instances_take_that_instances_body_skipped_or_not() {
        let tf = "resource \"aws_s3_bucket\" \"b\" {\n  for_each = toset([\"x\", \"y\"])\n  bucket = \"bkt-${each.key}\"\n}\n\
                  resource \"aws_iam_role\" \"r\" {\n  for_each = aws_s3_bucket.b\n  name = \"role-${each.value.bucket}\"\n}\n\
                  resource \"aws_iam_role\" \"c\" {\n  count = 2\n  name = \"c${count.index}\"\n}\n\
                  resource \"aws_iam_policy\" \"p\" {\n  name = aws_iam_role.r[\"y\"].name\n  description = aws_iam_role.c[1].name\n  path = aws_iam_role.c.1.name\n  policy = aws_iam_role.r[\"z\"].name\n  name_prefix = aws_iam_role.c[\"1\"].name\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let name = |a: &str| attr(&rs, a, "name").as_str().map(str::to_string);
        assert_eq!(name("aws_iam_role.r[\"x\"]").as_deref(), Some("role-bkt-x"));
        assert_eq!(name("aws_iam_role.r[\"y\"]").as_deref(), Some("role-bkt-y"));
        assert_eq!(name("aws_iam_role.c[1]").as_deref(), Some("c1"));
        assert_eq!(name("aws_iam_policy.p").as_deref(), Some("role-bkt-y"));
        let p = |k: &str| attr(&rs, "aws_iam_policy.p", k);
        assert_eq!(p("description").as_str(), Some("c1"));
        assert_eq!(p("path").as_str(), Some("c1"));
        // No such instance; a list indexed by a string.
        assert!(is_unknown(p("policy")));
        assert_eq!(p("policy").as_str(), Some("aws_iam_role.r[\"z\"].name"));
        assert!(is_unknown(p("name_prefix")));
        // The skipped bucket is no resource of its own.
        assert!(!rs.iter().any(|r| r.kind == "aws_s3_bucket"));
    }

    /// What of each file of one directory hcl-edit is handed: the kept ranges, joined by `|`.
    fn handed(files: &[&str]) -> Vec<String> {
        let tf: Vec<(FileId, &str)> = files
            .iter()
            .enumerate()
            .map(|(i, t)| (i as FileId, *t))
            .collect();
        let tags = TagReads::new(files);
        let plans: Vec<Option<Plan>> = files.iter().map(|t| plan(t, &tags, false)).collect();
        let read = locals_read(&tf, &plans);
        files
            .iter()
            .zip(&plans)
            .map(|(t, p)| {
                let kept = p.as_ref().unwrap().ranges(&read).0;
                kept.iter()
                    .map(|&(s, e)| &t[s..e])
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    }

    #[test]
    fn tags_meta_arguments_and_locals_nothing_reads_are_not_parsed() {
        let main = "locals {\n  tags = { app = \"a\" }\n  name = \"a\"\n  unused = 1\n}\n\
                    resource \"aws_iam_role\" \"r\" {\n  name = local.name\n  tags = local.tags\n  depends_on = [aws_s3_bucket.b]\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n";
        assert_eq!(
            handed(&[main]),
            ["locals {|name = \"a\"|}|resource \"aws_iam_role\" \"r\" {|name = local.name|}"]
        );
        // A local only another read local reads, one a skipped resource reads (parsed when
        // referred to), and one written in another file of the directory are read.
        let main =
            "locals {\n  a = \"x\"\n  b = \"${local.a}-y\"\n  c = \"z\"\n  d = 1\n  e = 2\n}\n\
                    resource \"aws_s3_bucket\" \"s\" {\n  bucket = local.c\n}\n\
                    resource \"aws_iam_role\" \"r\" {\n  name = local.b\n}\n";
        let other = "resource \"aws_iam_policy\" \"p\" {\n  name = local . d\n}\n";
        assert_eq!(
            handed(&[main, other])[0],
            "locals {|a = \"x\"|b = \"${local.a}-y\"|c = \"z\"|d = 1|}|resource \"aws_iam_role\" \"r\" {\n  name = local.b\n}"
        );
    }

    #[test]
    fn tags_an_expression_may_read_are_parsed() {
        let role =
            "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  tags = { Name = \"n\" }\n}\n";
        let kept_tags = |refer: &str| {
            let text =
                format!("{role}resource \"aws_iam_policy\" \"p\" {{\n  name = {refer}\n}}\n");
            handed(&[&text])[0].contains("tags = { Name")
        };
        assert!(!kept_tags("aws_iam_role.r.name"));
        assert!(!kept_tags("aws_iam_role.other.tags[\"Name\"]"));
        assert!(!kept_tags("aws_iam_role_x.r.tags"));
        for refer in [
            "aws_iam_role.r.tags[\"Name\"]",
            "aws_iam_role.r .tags_all[\"Name\"]",
            "aws_iam_role . r[\"tags\"][\"Name\"]",
            "lookup(aws_iam_role.r, \"tags\")",
            "[for x in [aws_iam_role.r] : x.tags][0]",
            "data.aws_iam_role.r.tags",
        ] {
            assert!(kept_tags(refer), "{refer}");
        }
        // The value read is the one a full parse gives (`eval` compares them).
        let text = format!(
            "{role}resource \"aws_iam_policy\" \"p\" {{\n  name = aws_iam_role.r.tags[\"Name\"]\n}}\n"
        );
        let (_, rs) = eval(&[("m/main.tf", &text)]);
        assert_eq!(attr(&rs, "aws_iam_policy.p", "name").as_str(), Some("n"));
    }

    #[test]
    fn each_type_read_is_searched_for_by_its_own_name() {
        // The searchers of the types read are built once, one per type: each finds its
        // type's references and no other's (a type's searcher taken for another's would
        // find none, or a longer one's); a type outside the list is searched for too.
        for (i, kind) in READ_KINDS.iter().enumerate() {
            let next = READ_KINDS[(i + 1) % READ_KINDS.len()];
            let text = format!("x = {kind}.r.tags\ny = {next}.s.arn\n");
            let texts = [text.as_str()];
            let tags = TagReads::new(&texts);
            assert!(tags.read(kind, "r"), "{kind}");
            assert!(!tags.read(kind, "s"), "{kind}");
        }
        let texts = ["x = aws_s3_bucket.b.tags\n"];
        assert!(TagReads::new(&texts).read("aws_s3_bucket", "b"));
        assert!(!TagReads::new(&texts).read("aws_s3_bucket", "c"));
    }

    #[test]
    fn count_instances_are_indexed_and_a_missing_key_is_unknown() {
        let tf = "data \"aws_iam_policy_document\" \"d\" {\n  count = 2\n  statement {\n    actions = [\"s3:GetObject\"]\n    resources = [\"arn:aws:s3:::b${count.index}\"]\n  }\n}\n\
                  resource \"aws_iam_policy\" \"p\" {\n  policy = data.aws_iam_policy_document.d[1].json\n}\n\
                  resource \"aws_iam_policy\" \"q\" {\n  policy = data.aws_iam_policy_document.d[2].json\n}\n\
                  resource \"aws_iam_policy\" \"z\" {\n  count = 0\n  policy = data.aws_iam_policy_document.d[0].json\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let p = attr(&rs, "aws_iam_policy.p", "policy");
        let st = &p.get("Statement").unwrap().items()[0];
        assert_eq!(
            st.get("Resource").and_then(Node::as_str),
            Some("arn:aws:s3:::b1")
        );
        assert!(is_unknown(attr(&rs, "aws_iam_policy.q", "policy")));
        assert!(!rs.iter().any(|r| r.address.starts_with("aws_iam_policy.z")));
        let data: Vec<_> = rs
            .iter()
            .filter(|r| r.kind == "aws_iam_policy_document")
            .map(|r| r.address.as_str())
            .collect();
        assert_eq!(
            data,
            [
                "data.aws_iam_policy_document.d[0]",
                "data.aws_iam_policy_document.d[1]"
            ]
        );
    }

    /// `data.aws_iam_policy_document.d[*].json`, as eks-blueprints-addons passes each
    /// add-on's permissions to its module: the list of each `count` instance's document
    /// (none for `count = 0`, the one of a block without `count`); unknown when the
    /// instances are (an unknown `count`) or keyed by `for_each`.
    #[test]
    fn a_splat_of_policy_documents_is_the_list_of_each_instance_s() {
        let doc = |count: &str| {
            format!("data \"aws_iam_policy_document\" \"d\" {{\n{count}  statement {{\n    actions = [\"s3:GetObject\"]\n    resources = [\"arn:aws:s3:::b${{count.index}}\"]\n  }}\n}}\n")
        };
        let user = "resource \"aws_iam_role\" \"u\" {\n  name = data.aws_iam_policy_document.d[*].json\n  path = data.aws_iam_policy_document.d.*.minified_json\n  description = data.aws_iam_policy_document.d[*].id\n}\n";
        let splat = |count: &str, key: &str| {
            let tf = format!("{}{user}", doc(count)).replace(
                "${count.index}",
                if count.is_empty() {
                    ""
                } else {
                    "${count.index}"
                },
            );
            let (_, rs) = eval(&[("m/main.tf", tf.as_str())]);
            attr(&rs, "aws_iam_role.u", key).clone()
        };
        let resources = |n: &Node| -> Vec<String> {
            n.items()
                .iter()
                .map(|d| {
                    d.get("Statement").unwrap().items()[0]
                        .get("Resource")
                        .and_then(Node::as_str)
                        .unwrap_or("?")
                        .to_string()
                })
                .collect()
        };
        assert_eq!(
            resources(&splat("  count = 2\n", "name")),
            ["arn:aws:s3:::b0", "arn:aws:s3:::b1"]
        );
        assert_eq!(resources(&splat("  count = 2\n", "path")).len(), 2);
        assert_eq!(resources(&splat("", "name")), ["arn:aws:s3:::b"]);
        let none = splat("  count = 0\n", "name");
        assert!(!is_unknown(&none) && none.items().is_empty(), "{none:?}");
        for count in ["  count = var.n\n", "  for_each = toset([\"x\"])\n"] {
            let v = splat(count, "name");
            assert!(is_unknown(&v), "{count}: {v:?}");
            assert_eq!(v.as_str(), Some("data.aws_iam_policy_document.d[*].json"));
        }
        // Another attribute: not a document.
        assert!(is_unknown(&splat("  count = 2\n", "description")));
    }

    #[test]
    fn an_unknown_reference_is_named_with_the_key_it_selects() {
        let tf = "resource \"aws_iam_role\" \"r\" {\n  for_each = toset([\"a\"])\n  name = each.key\n}\n\
                  resource \"kubernetes_service_account_v1\" \"s\" {\n  for_each = toset([\"a\"])\n  metadata {\n    name = each.key\n    annotations = {\n      x = aws_iam_role.r[each.key].arn\n      y = aws_iam_role.r[each.key].name\n      z = module.m[each.key].iam_role_arn\n      w = aws_iam_role.r[var.k].arn\n    }\n  }\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let meta = &attr(&rs, "kubernetes_service_account_v1.s[\"a\"]", "metadata").items()[0];
        let a = meta.get("annotations").unwrap();
        let x = a.get("x").unwrap();
        assert_eq!(x.tag.as_deref(), Some(UNKNOWN_TAG));
        assert_eq!(x.as_str(), Some("aws_iam_role.r[\"a\"].arn"));
        assert_eq!(a.get("y").and_then(Node::as_str), Some("a"));
        assert!(!is_unknown(a.get("y").unwrap()));
        assert_eq!(
            a.get("z").and_then(Node::as_str),
            Some("module.m[\"a\"].iam_role_arn")
        );
        assert_eq!(
            a.get("w").and_then(Node::as_str),
            Some("aws_iam_role.r[var.k].arn")
        );
    }

    /// `for_each = aws_iam_role.x` and `for k, r in aws_iam_role.x`: what the provider
    /// computes (`arn`, a `name` left out) is named by the instance's address, so a link by
    /// address holds; what the configuration sets stays known, at the reference.
    #[test]
    fn computed_attributes_of_iterated_instances_are_named_by_address() {
        let tf = "resource \"aws_iam_role\" \"r\" {\n  for_each = toset([\"a\", \"b\"])\n  name_prefix = each.key\n  path = \"/irsa/\"\n  id = var.description\n}\n\
                  resource \"kubernetes_service_account_v1\" \"s\" {\n  for_each = aws_iam_role.r\n  metadata {\n    name = each.key\n    annotations = {\n      d = each.value.id\n      x = each.value.arn\n      y = each.value.name\n      p = each.value.path\n      t = each.value.tags\n      k = each.key\n    }\n  }\n}\n\
                  locals {\n  arns = { for k, r in aws_iam_role.r : k => r.arn }\n  ids = [for r in aws_iam_role.c : r.id]\n}\n\
                  resource \"aws_iam_role\" \"c\" {\n  count = 1\n}\n\
                  resource \"aws_iam_policy\" \"p\" {\n  name = local.arns[\"b\"]\n  path = local.ids[0]\n}\n";
        let (src, rs) = eval(&[("m/main.tf", tf)]);
        let meta = &attr(&rs, "kubernetes_service_account_v1.s[\"b\"]", "metadata").items()[0];
        let a = meta.get("annotations").unwrap();
        let x = a.get("x").unwrap();
        assert_eq!(x.tag.as_deref(), Some(UNKNOWN_TAG));
        assert_eq!(x.as_str(), Some("aws_iam_role.r[\"b\"].arn"));
        // At the reference, where the user wrote it.
        assert_eq!(src.get(x.span.file).slice(x.span), "each.value.arn");
        assert_eq!(
            a.get("y").and_then(Node::as_str),
            Some("aws_iam_role.r[\"b\"].name")
        );
        assert_eq!(a.get("p").and_then(Node::as_str), Some("/irsa/"));
        // Not an attribute a link compares: as written.
        assert_eq!(a.get("t").and_then(Node::as_str), Some("each.value.tags"));
        // Set by the configuration to a value it does not fix: that value's own name.
        assert_eq!(a.get("d").and_then(Node::as_str), Some("var.description"));
        assert_eq!(a.get("k").and_then(Node::as_str), Some("b"));
        let p = |k: &str| attr(&rs, "aws_iam_policy.p", k);
        assert_eq!(p("name").as_str(), Some("aws_iam_role.r[\"b\"].arn"));
        assert!(is_unknown(p("name")));
        assert_eq!(p("path").as_str(), Some("aws_iam_role.c[0].id"));
    }

    /// The local module `modules/irsa` of the tests below: a role whose trust admits one
    /// ServiceAccount, its policy attachments, and outputs.
    const IRSA: &str = "variable \"name\" {}\nvariable \"namespace\" {\n  default = \"default\"\n}\nvariable \"sa\" {\n  default = \"*\"\n}\n\
        resource \"aws_iam_role\" \"this\" {\n  name = var.name\n  path = path.module\n  description = path.root\n  assume_role_policy = jsonencode({ sub = \"system:serviceaccount:${var.namespace}:${var.sa}\" })\n}\n\
        resource \"aws_iam_role_policy_attachment\" \"this\" {\n  role = aws_iam_role.this.name\n  policy_arn = aws_iam_policy.this.arn\n}\n\
        resource \"aws_iam_policy\" \"this\" {\n  policy = \"{}\"\n}\n\
        output \"role_arn\" {\n  value = aws_iam_role.this.arn\n}\noutput \"role_name\" {\n  value = aws_iam_role.this.name\n}\noutput \"maybe\" {\n  value = try(aws_iam_role.this.arn, \"\")\n}\noutput \"tags\" {\n  value = try(aws_iam_role.this.tags, {})\n}\noutput \"issuer\" {\n  value = var.issuer\n}\n";

    fn addresses(rs: &[Resource]) -> Vec<(&str, &str)> {
        rs.iter()
            .map(|r| (r.address.as_str(), r.module.as_str()))
            .collect()
    }

    #[test]
    fn a_local_module_is_evaluated_through_its_calls_with_their_arguments() {
        let root = "module \"api\" {\n  source = \"../../modules/irsa\"\n  name = \"api\"\n  namespace = \"shop\"\n  sa = local.sa\n  issuer = module.eks.oidc_provider\n}\n\
            locals {\n  sa = \"api\"\n}\n\
            resource \"kubernetes_service_account_v1\" \"api\" {\n  metadata {\n    name = \"api\"\n    annotations = {\n      arn = module.api.role_arn\n      name = module.api.role_name\n      maybe = module.api.maybe\n      issuer = module.api.issuer\n      missing = module.api.nothing\n    }\n  }\n}\n";
        let (src, rs) = eval(&[
            ("envs/prod/main.tf", root),
            ("modules/irsa/main.tf", IRSA),
            // Variable files set the root's variables, not a called module's.
            ("modules/irsa/x.tfvars", "name = \"from-tfvars\"\n"),
        ]);
        // The module is not also evaluated on its own (its defaults would trust `default:*`).
        assert_eq!(
            addresses(&rs),
            [
                ("module.api", ""),
                ("module.api.aws_iam_role.this", "module.api"),
                (
                    "module.api.aws_iam_role_policy_attachment.this",
                    "module.api"
                ),
                ("module.api.aws_iam_policy.this", "module.api"),
                ("kubernetes_service_account_v1.api", ""),
            ]
        );
        // They belong to the root: its file is their file.
        assert!(rs
            .iter()
            .all(|r| src.get(r.file).path == "envs/prod/main.tf"));
        let role = |k: &str| attr(&rs, "module.api.aws_iam_role.this", k);
        // A value the caller passes keeps the caller's span.
        assert_eq!(role("name").as_str(), Some("api"));
        assert_eq!(
            src.get(role("name").span.file).slice(role("name").span),
            "\"api\""
        );
        assert_eq!(
            role("assume_role_policy").get("sub").and_then(Node::as_str),
            Some("system:serviceaccount:shop:api")
        );
        // `path.module` is the module's directory, `path.root` the root's.
        assert_eq!(role("path").as_str(), Some("modules/irsa"));
        assert_eq!(role("description").as_str(), Some("envs/prod"));
        // The module's own references are named in the root's namespace.
        let attachment = |k: &str| attr(&rs, "module.api.aws_iam_role_policy_attachment.this", k);
        assert_eq!(attachment("role").as_str(), Some("api"));
        assert_eq!(
            attachment("policy_arn").as_str(),
            Some("module.api.aws_iam_policy.this.arn")
        );
        let meta = &attr(&rs, "kubernetes_service_account_v1.api", "metadata").items()[0];
        let a = meta.get("annotations").unwrap();
        let arn = a.get("arn").unwrap();
        assert!(is_unknown(arn));
        assert_eq!(arn.as_str(), Some("module.api.aws_iam_role.this.arn"));
        // Where the caller refers to it.
        assert_eq!(
            src.get(arn.span.file).slice(arn.span),
            "module.api.role_arn"
        );
        assert_eq!(a.get("name").and_then(Node::as_str), Some("api"));
        // `try()` of an attribute every role has, of a role the module certainly creates:
        // that reference.
        assert_eq!(
            a.get("maybe").and_then(Node::as_str),
            Some("module.api.aws_iam_role.this.arn")
        );
        assert_eq!(
            a.get("missing").and_then(Node::as_str),
            Some("module.api.nothing")
        );
        // What the caller passed through keeps the caller's name.
        assert_eq!(
            a.get("issuer").and_then(Node::as_str),
            Some("module.eks.oidc_provider")
        );
    }

    #[test]
    fn an_unknown_output_is_named_by_the_call_only_for_a_module_of_one_role() {
        let two = "resource \"aws_iam_role\" \"a\" {}\nresource \"aws_iam_role\" \"b\" {}\n\
            output \"role_arn\" {\n  value = try(aws_iam_role.a.arn, \"\")\n}\n\
            output \"other\" {\n  value = try(aws_iam_role.a.tags, \"\")\n}\n";
        let root = "module \"one\" {\n  source = \"./one\"\n  name = \"x\"\n}\nmodule \"two\" {\n  source = \"./two\"\n}\n\
            resource \"aws_iam_policy\" \"p\" {\n  name = module.one.maybe\n  path = module.two.role_arn\n  description = module.two.other\n  name_prefix = module.one.tags\n}\n";
        let (_, rs) = eval(&[
            ("r/main.tf", root),
            ("r/one/main.tf", IRSA),
            ("r/two/main.tf", two),
        ]);
        let p = |k: &str| attr(&rs, "aws_iam_policy.p", k).as_str();
        // What certainly evaluates names its role (`try()` of a created role's `arn`).
        assert_eq!(p("name"), Some("module.one.aws_iam_role.this.arn"));
        assert_eq!(p("path"), Some("module.two.aws_iam_role.a.arn"));
        // Else an output that is no reference is named as the caller refers to it, which
        // links by the call to a module's one role; with two, that would name both: the
        // expression, which names none.
        assert_eq!(p("name_prefix"), Some("module.one.tags"));
        assert_eq!(p("description"), Some("try(aws_iam_role.a.tags, \"\")"));
    }

    /// Outputs are evaluated when read, one by one: reading one by name gives what the
    /// whole map of outputs gives for it (the last block of a name, blocks without a name
    /// or a `value` left out), and an output that renders a template counts its template
    /// even when nothing reads it.
    #[test]
    fn local_module_outputs_read_by_name_are_what_the_map_of_outputs_holds() {
        let m = "variable \"name\" {}\n\
            output \"dup\" {\n  value = \"first\"\n}\n\
            output \"dup\" {\n  value = \"${var.name}-last\"\n}\n\
            output \"novalue\" {\n  description = \"x\"\n}\n\
            output \"obj\" {\n  value = { a = { b = var.name } }\n}\n";
        let t = "output \"unread\" {\n  value = templatefile(\"${path.module}/v.yaml.tpl\", { n = 1 })\n}\n";
        // Andach797/case-study's shape: the output reads a local that renders the template.
        let l = "locals {\n  kc = templatefile(\"${path.module}/kc.tpl\", { n = 1 })\n}\noutput \"kubeconfig\" {\n  value = local.kc\n}\n";
        let root = "module \"m\" {\n  source = \"./m\"\n  name = \"x\"\n}\nmodule \"t\" {\n  source = \"./t\"\n}\nmodule \"l\" {\n  source = \"./l\"\n}\n\
            resource \"aws_iam_policy\" \"p\" {\n  name = module.m.dup\n  path = module.m.obj.a.b\n  description = module.m.novalue\n  name_prefix = module.m.missing\n  policy = module.m\n}\n\
            resource \"aws_iam_role\" \"r\" {\n  name = module.m[0].dup\n}\n";
        let mut src = SourceMap::new();
        let id = src.add("main.tf", root.to_string());
        let called = src.add("m/main.tf", m.to_string());
        let unread = src.add("t/main.tf", t.to_string());
        let tpl = src.add("t/v.yaml.tpl", "n: ${n}\n".to_string());
        let via_local = src.add("l/main.tf", l.to_string());
        let kc = src.add("l/kc.tpl", "n: ${n}\n".to_string());
        let e = evaluate_inputs(
            vec![
                (id, None),
                (called, None),
                (unread, None),
                (via_local, None),
            ],
            &src,
            &Limits::default(),
        );
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(e.templates, [tpl, kc]);
        let rs = e.resources;
        let p = |k: &str| attr(&rs, "aws_iam_policy.p", k);
        assert_eq!(p("name").as_str(), Some("x-last"));
        assert_eq!(p("path").as_str(), Some("x"));
        // The template of a single instance stands for `[0]` too.
        assert_eq!(attr(&rs, "aws_iam_role.r", "name").as_str(), Some("x-last"));
        for k in ["description", "name_prefix"] {
            assert!(is_unknown(p(k)), "{k}: {:?}", p(k));
        }
        assert_eq!(p("description").as_str(), Some("module.m.novalue"));
        assert_eq!(p("name_prefix").as_str(), Some("module.m.missing"));
        // The whole map: every output with a name and a value, in order, each at its label.
        let whole = p("policy");
        let keys: Vec<_> = whole.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, [Some("dup"), Some("dup"), Some("obj")]);
        assert_eq!(whole.entries()[0].value.as_str(), Some("first"));
        let label = whole.entries()[1].key.span;
        assert_eq!(
            (label.file, &m[label.start as usize..label.end as usize]),
            (called, "\"dup\"")
        );
    }

    #[test]
    fn local_module_instances_nest_and_iterate() {
        let app = "variable \"name\" {}\n\
            module \"irsa\" {\n  source = \"../irsa\"\n  name = var.name\n  sa = var.name\n}\n\
            output \"role\" {\n  value = module.irsa.role_arn\n}\n";
        let root = "module \"apps\" {\n  source = \"./modules/app\"\n  for_each = toset([\"a\", \"b\"])\n  name = each.key\n}\n\
            module \"off\" {\n  source = \"./modules/app\"\n  count = 0\n  name = \"off\"\n}\n\
            module \"some\" {\n  source = \"./modules/app\"\n  count = var.n\n  name = \"some\"\n}\n\
            resource \"kubernetes_service_account_v1\" \"s\" {\n  for_each = module.apps\n  metadata {\n    name = each.key\n    annotations = {\n      arn = each.value.role\n      other = each.value.nothing\n    }\n  }\n}\n\
            resource \"aws_iam_policy\" \"p\" {\n  name = module.apps[\"b\"].role\n  path = module.some[0].role\n  description = module.off[0].role\n}\n";
        let (src, rs) = eval(&[
            ("main.tf", root),
            ("modules/app/main.tf", app),
            ("modules/irsa/main.tf", IRSA),
        ]);
        let roles: Vec<&str> = rs
            .iter()
            .filter(|r| r.kind == "aws_iam_role")
            .map(|r| r.address.as_str())
            .collect();
        // `count = 0`: none; an unknown count: the template, at the call's own address.
        assert_eq!(
            roles,
            [
                "module.apps[\"a\"].module.irsa.aws_iam_role.this",
                "module.apps[\"b\"].module.irsa.aws_iam_role.this",
                "module.some.module.irsa.aws_iam_role.this",
            ]
        );
        let nested = rs
            .iter()
            .find(|r| r.address == "module.apps[\"b\"].module.irsa.aws_iam_role.this")
            .unwrap();
        assert_eq!(nested.module, "module.apps[\"b\"].module.irsa");
        assert_eq!(src.get(nested.file).path, "main.tf");
        assert_eq!(
            nested
                .body
                .get("assume_role_policy")
                .and_then(|p| p.get("sub"))
                .and_then(Node::as_str),
            Some("system:serviceaccount:default:b")
        );
        let meta = &attr(&rs, "kubernetes_service_account_v1.s[\"a\"]", "metadata").items()[0];
        let a = meta.get("annotations").unwrap();
        let arn = a.get("arn").unwrap();
        assert_eq!(
            arn.as_str(),
            Some("module.apps[\"a\"].module.irsa.aws_iam_role.this.arn")
        );
        assert_eq!(src.get(arn.span.file).slice(arn.span), "each.value.role");
        assert_eq!(
            a.get("other").and_then(Node::as_str),
            Some("module.apps[\"a\"].nothing")
        );
        let p = |k: &str| attr(&rs, "aws_iam_policy.p", k).as_str();
        assert_eq!(
            p("name"),
            Some("module.apps[\"b\"].module.irsa.aws_iam_role.this.arn")
        );
        // The template stands for every instance.
        assert_eq!(
            p("path"),
            Some("module.some.module.irsa.aws_iam_role.this.arn")
        );
        assert_eq!(p("description"), Some("module.off[0].role"));
    }

    #[test]
    fn cycles_of_local_calls_are_not_expanded_and_their_members_stand_alone() {
        let a = "module \"b\" {\n  source = \"../b\"\n}\nresource \"aws_iam_role\" \"a\" {\n  name = module.b.x\n}\n";
        let b = "module \"a\" {\n  source = \"../a\"\n}\nresource \"aws_iam_role\" \"b\" {\n  name = \"b\"\n}\noutput \"x\" {\n  value = \"from-b\"\n}\n";
        let (_, rs) = eval(&[("m/a/main.tf", a), ("m/b/main.tf", b)]);
        // Nobody outside the cycle calls them: the first is a root, which calls the
        // second, whose call back is the cycle and is not expanded.
        assert_eq!(
            addresses(&rs),
            [
                ("module.b", ""),
                ("module.b.module.a", "module.b"),
                ("module.b.aws_iam_role.b", "module.b"),
                ("aws_iam_role.a", ""),
            ]
        );
        assert_eq!(attr(&rs, "aws_iam_role.a", "name").as_str(), Some("from-b"));
        // A module calling itself.
        let (_, rs) = eval(&[(
            "s/main.tf",
            "module \"me\" {\n  source = \"./\"\n}\nresource \"aws_iam_role\" \"r\" {\n  name = module.me.x\n}\n",
        )]);
        assert_eq!(addresses(&rs), [("module.me", ""), ("aws_iam_role.r", "")]);
        assert_eq!(
            attr(&rs, "aws_iam_role.r", "name").as_str(),
            Some("module.me.x")
        );
    }

    #[test]
    fn nesting_and_instances_of_local_modules_are_bounded() {
        // A chain of calls 10 deep: the calls past the depth limit are not expanded.
        let mut files: Vec<(String, String)> = Vec::new();
        for i in 0..10 {
            files.push((
                format!("d{i}/main.tf"),
                format!("module \"next\" {{\n  source = \"../d{}\"\n}}\nresource \"aws_iam_role\" \"r\" {{\n  name = \"r{i}\"\n}}\n", i + 1),
            ));
        }
        files.push((
            "d10/main.tf".into(),
            "resource \"aws_iam_role\" \"r\" {}\n".into(),
        ));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let (_, rs) = eval(&refs);
        let depth = |r: &Resource| r.address.matches("module.").count();
        let roles: Vec<usize> = rs
            .iter()
            .filter(|r| r.kind == "aws_iam_role")
            .map(depth)
            .collect();
        // The root's own role and those of 9 modules below it (the root and 8 more are
        // expanded: the chain holds at most 9 directories).
        assert_eq!(roles, (0..=MAX_MODULE_DEPTH).rev().collect::<Vec<_>>());
        // 64 instances, each calling 64: the instances past 256 under the root are not.
        let keys = (0..64)
            .map(|i| format!("\"k{i}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let root =
            format!("module \"a\" {{\n  source = \"./a\"\n  for_each = toset([{keys}])\n}}\n");
        let a = format!("module \"b\" {{\n  source = \"../b\"\n  for_each = toset([{keys}])\n}}\n");
        let (_, rs) = eval(&[
            ("w/main.tf", root.as_str()),
            ("w/a/main.tf", a.as_str()),
            ("w/b/main.tf", "resource \"aws_iam_role\" \"r\" {}\n"),
        ]);
        let roles = rs.iter().filter(|r| r.kind == "aws_iam_role").count();
        assert_eq!(roles, MAX_MODULE_INSTANCES - 64);
    }

    #[test]
    fn a_source_outside_the_inputs_or_not_local_is_not_expanded() {
        let root = "module \"gone\" {\n  source = \"../elsewhere\"\n  name = \"x\"\n}\n\
            module \"remote\" {\n  source = \"git::https://example.com/irsa.git\"\n}\n\
            resource \"aws_iam_role\" \"r\" {\n  name = module.gone.role_name\n}\n";
        let (_, rs) = eval(&[("root/main.tf", root), ("modules/irsa/main.tf", IRSA)]);
        // Nothing calls the module: evaluated on its own, with its defaults.
        assert!(rs.iter().any(|r| r.address == "aws_iam_role.this"));
        assert_eq!(
            attr(&rs, "aws_iam_role.r", "name").as_str(),
            Some("module.gone.role_name")
        );
    }

    #[test]
    fn a_call_of_known_instances_is_a_collection_each_named_by_its_address() {
        let root = "module \"irsa\" {\n  source = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n  for_each = { ebs = 1, efs = 2 }\n}\n\
            module \"list\" {\n  source = \"x/y/z\"\n  count = 2\n}\n\
            resource \"aws_eks_addon\" \"a\" {\n  for_each = module.irsa\n  service_account_role_arn = each.value.iam_role_arn\n  addon_name = each.value.anything\n}\n\
            resource \"aws_iam_policy\" \"p\" {\n  name = [for m in module.list : m.iam_role_arn][1]\n}\n";
        let (src, rs) = eval(&[("main.tf", root)]);
        let a = |k: &str| attr(&rs, "aws_eks_addon.a[\"efs\"]", k);
        assert_eq!(
            a("service_account_role_arn").as_str(),
            Some("module.irsa[\"efs\"].iam_role_arn")
        );
        assert_eq!(
            src.get(a("service_account_role_arn").span.file)
                .slice(a("service_account_role_arn").span),
            "each.value.iam_role_arn"
        );
        assert_eq!(
            a("addon_name").as_str(),
            Some("module.irsa[\"efs\"].anything")
        );
        assert_eq!(
            attr(&rs, "aws_iam_policy.p", "name").as_str(),
            Some("module.list[1].iam_role_arn")
        );
        assert!(is_module_address("module.irsa[\"efs\"]"));
        assert!(is_module_address("module.a.module.b[0]"));
        assert!(is_module_address("module.a"));
        assert!(!is_module_address("module.a.aws_iam_role.x"));
        assert!(!is_module_address("aws_iam_role.x[\"k\"]"));
        assert!(!is_module_address("module.a[\"k"));
    }

    #[test]
    fn try_takes_the_first_argument_that_does_not_certainly_fail() {
        let tf = "variable \"addon\" {\n  default = { name = \"n\", list = [1] }\n}\n\
            locals {\n  empty = {}\n}\n\
            resource \"aws_iam_role\" \"r\" {\n  for_each = toset([\"a\"])\n  name = try(var.addon.role_name, \"fallback\")\n  path = try(var.addon.name, \"fallback\")\n  description = try(local.empty[\"x\"].y, var.addon.list[3], var.addon.name.x, 7)\n  max_session_duration = try(var.unset.x, \"fallback\")\n  permissions_boundary = try(module.m.x, \"fallback\")\n}\n\
            resource \"aws_iam_policy\" \"p\" {\n  name = try(aws_iam_role.r[\"a\"].arn, \"none\")\n  path = try(var.addon.list[0], 2)\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let r = |k: &str| attr(&rs, "aws_iam_role.r[\"a\"]", k);
        // A known object without the attribute: the next argument.
        assert_eq!(r("name").as_str(), Some("fallback"));
        assert_eq!(r("path").as_str(), Some("n"));
        // A missing key, an index past the end, an attribute of a string.
        assert_eq!(r("description").as_i64(), Some(7));
        // What only apply will know may fail or not: unknown.
        assert!(is_unknown(r("max_session_duration")));
        assert!(is_unknown(r("permissions_boundary")));
        // A resource's value lacks what the provider computes, which exists: unknown.
        let p = |k: &str| attr(&rs, "aws_iam_policy.p", k);
        assert!(is_unknown(p("name")));
        assert_eq!(p("path").as_i64(), Some(1));
    }

    /// How module outputs name one role of several: a splat over known instances is the list
    /// of each instance's attribute, `one()` its only element, and `try()` gives a role's
    /// `arn` when the instance certainly exists; what the inputs do not fix stays unknown.
    #[test]
    fn splats_one_and_certain_references_name_the_instance() {
        let tf = "variable \"on\" {\n  default = true\n}\n\
            resource \"aws_iam_role\" \"counted\" {\n  count = var.on ? 1 : 0\n  name = \"c\"\n}\n\
            resource \"aws_iam_role\" \"off\" {\n  count = 0\n  name = \"o\"\n}\n\
            resource \"aws_iam_role\" \"single\" {\n  name = \"s\"\n}\n\
            resource \"aws_iam_role\" \"maybe\" {\n  count = var.x ? 1 : 0\n}\n\
            resource \"aws_iam_role\" \"keyed\" {\n  for_each = toset([\"a\"])\n}\n\
            resource \"aws_iam_policy\" \"p\" {\n  policy = \"{}\"\n}\n\
            resource \"aws_iam_role\" \"odd\" {\n  for_each = toset([\"var.k\"])\n}\n\
            resource \"aws_iam_role\" \"t\" {\n\
              name = one(aws_iam_role.counted[*].arn)\n\
              path = one(aws_iam_role.counted[*].name)\n\
              description = one(aws_iam_role.off[*].arn)\n\
              name_prefix = element(concat(aws_iam_role.single.*.arn, [\"\"]), 0)\n\
              permissions_boundary = one(aws_iam_role.maybe[*].arn)\n\
              max_session_duration = one(aws_iam_role.keyed[*].arn)\n\
              force_detach_policies = try(aws_iam_role.counted[0].arn, \"\")\n\
              assume_role_policy = try(aws_iam_role.counted[1].arn, \"\")\n\
              managed_policy_arns = [try(aws_iam_role.single.unique_id, \"\"), try(aws_iam_role.single.tags, \"\"), try(aws_iam_role.maybe[0].arn, \"\"), try(aws_iam_role.counted.0.arn, \"\"), try(aws_iam_role.counted[var.i].arn, \"\"), try(aws_iam_policy.p.arn, \"\"), one(aws_iam_role.single[*].name), try(aws_iam_role.odd[var.k].arn, \"\")]\n\
            }\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let t = |k: &str| attr(&rs, "aws_iam_role.t", k);
        let named = |n: &Node| {
            assert!(is_unknown(n), "{n:?}");
            n.as_str().unwrap_or("").to_string()
        };
        assert_eq!(named(t("name")), "aws_iam_role.counted[0].arn");
        // A configured attribute is its value.
        assert_eq!(t("path").as_str(), Some("c"));
        // No instance: `one()` of the empty list is null.
        assert!(t("description").is_null(), "{:?}", t("description"));
        assert_eq!(named(t("name_prefix")), "aws_iam_role.single.arn");
        // Instances the inputs do not fix, instances by key: not an instance's name.
        assert_eq!(
            named(t("permissions_boundary")),
            "one(aws_iam_role.maybe[*].arn)"
        );
        assert_eq!(
            named(t("max_session_duration")),
            "one(aws_iam_role.keyed[*].arn)"
        );
        assert_eq!(
            named(t("force_detach_policies")),
            "aws_iam_role.counted[0].arn"
        );
        // No such instance, an attribute a role may lack, an instance that may not exist:
        // `try()` cannot tell.
        assert_eq!(
            named(t("assume_role_policy")),
            "try(aws_iam_role.counted[1].arn, \"\")"
        );
        let list = t("managed_policy_arns").as_seq().unwrap();
        assert_eq!(named(&list[0]), "aws_iam_role.single.unique_id");
        assert_eq!(named(&list[1]), "try(aws_iam_role.single.tags, \"\")");
        assert_eq!(named(&list[2]), "try(aws_iam_role.maybe[0].arn, \"\")");
        // The legacy index is an index.
        assert_eq!(named(&list[3]), "aws_iam_role.counted[0].arn");
        // An index the inputs do not fix; another resource type's attribute.
        assert_eq!(
            named(&list[4]),
            "try(aws_iam_role.counted[var.i].arn, \"\")"
        );
        assert_eq!(named(&list[5]), "try(aws_iam_policy.p.arn, \"\")");
        // A single instance's configured attribute through a splat.
        assert_eq!(list[6].as_str(), Some("s"));
        // An unknown key is no key, whatever its text.
        assert_eq!(named(&list[7]), "try(aws_iam_role.odd[var.k].arn, \"\")");
    }

    /// `try()` of a modelled module's role output gives the output when the call's instance
    /// certainly exists (ministryofjustice/analytical-platform-airflow@f4b4245:
    /// `try(module.iam_role[0].iam_role_arn, …)` with `count = 1`); an output the model does
    /// not have, a module not modelled, an instance that may not exist: `try()` cannot tell.
    #[test]
    fn try_gives_a_certain_module_output() {
        let src = "source = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n  version = \"5.59.0\"";
        let tf = format!(
            "module \"counted\" {{\n  count = 1\n  {src}\n}}\n\
            module \"single\" {{\n  {src}\n}}\n\
            module \"maybe\" {{\n  count = var.x ? 1 : 0\n  {src}\n}}\n\
            module \"other\" {{\n  count = 1\n  source = \"cloudposse/eks-iam-role/aws\"\n}}\n\
            resource \"aws_iam_role\" \"t\" {{\n\
              name = try(module.counted[0].iam_role_arn, \"\")\n\
              path = try(module.single.iam_role_name, \"\")\n\
              description = try(module.counted[0].tags, \"\")\n\
              name_prefix = try(module.maybe[0].iam_role_arn, \"\")\n\
              permissions_boundary = try(module.other[0].iam_role_arn, \"\")\n\
              max_session_duration = try(module.counted[1].iam_role_arn, \"\")\n\
            }}\n"
        );
        let (_, rs) = eval(&[("m/main.tf", &tf)]);
        let t = |k: &str| attr(&rs, "aws_iam_role.t", k);
        let named = |n: &Node| {
            assert!(is_unknown(n), "{n:?}");
            n.as_str().unwrap_or("").to_string()
        };
        assert_eq!(named(t("name")), "module.counted[0].iam_role_arn");
        assert_eq!(named(t("path")), "module.single.iam_role_name");
        assert_eq!(named(t("description")), "try(module.counted[0].tags, \"\")");
        assert_eq!(
            named(t("name_prefix")),
            "try(module.maybe[0].iam_role_arn, \"\")"
        );
        assert_eq!(
            named(t("permissions_boundary")),
            "try(module.other[0].iam_role_arn, \"\")"
        );
        assert_eq!(
            named(t("max_session_duration")),
            "try(module.counted[1].iam_role_arn, \"\")"
        );
    }

    /// An OIDC provider's `url` as a reference reads it is what IAM returns: the URL without
    /// its scheme (wandb/terraform-aws-wandb modules/app_eks/iam-roles.tf keys its conditions
    /// on `"${aws_iam_openid_connect_provider.eks.url}:sub"`); other attributes, other
    /// resources' `url`, and the provider's own configured value are left as written.
    #[test]
    fn oidc_provider_url_is_read_back_without_its_scheme() {
        let tf = "resource \"aws_iam_openid_connect_provider\" \"known\" {\n  url = \"https://oidc.example.com/id/1\"\n  client_id_list = [\"sts.amazonaws.com\"]\n}\n\
            resource \"aws_iam_openid_connect_provider\" \"eks\" {\n  url = module.eks.cluster_oidc_issuer_url\n}\n\
            resource \"aws_iam_openid_connect_provider\" \"part\" {\n  url = \"https://${var.host}/id/1\"\n}\n\
            resource \"aws_iam_openid_connect_provider\" \"keyed\" {\n  for_each = { a = \"https://a.example.com\" }\n  url = each.value\n}\n\
            resource \"aws_iam_openid_connect_provider\" \"bare\" {\n  url = \"oidc.example.com\"\n}\n\
            resource \"aws_iam_openid_connect_provider\" \"var\" {\n  url = var.issuer\n}\n\
            resource \"aws_iam_role\" \"r\" {\n  name = aws_iam_openid_connect_provider.known.url\n  path = aws_iam_openid_connect_provider.eks.url\n  description = aws_iam_openid_connect_provider.part.url\n  name_prefix = aws_iam_openid_connect_provider.keyed[\"a\"].url\n  permissions_boundary = aws_iam_openid_connect_provider.bare.url\n  max_session_duration = aws_iam_openid_connect_provider.known.client_id_list[0]\n  force_detach_policies = aws_iam_openid_connect_provider.var.url\n  assume_role_policy = trimprefix(aws_iam_openid_connect_provider.eks.url, \"https://\")\n}\n\
            resource \"aws_iam_openid_connect_provider\" \"host\" {\n  url = \"https://${var.host}\"\n}\n\
            resource \"aws_iam_role\" \"r2\" {\n  name = trimprefix(aws_iam_openid_connect_provider.var.url, \"https://\")\n  path = aws_iam_openid_connect_provider.host.url\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let r = |k: &str| attr(&rs, "aws_iam_role.r", k);
        assert_eq!(r("name").as_str(), Some("oidc.example.com/id/1"));
        // The issuer URL fact (`https://` and the output) loses its scheme: named as
        // `trimprefix()` of it is.
        let trimmed = "trimprefix(module.eks.cluster_oidc_issuer_url, \"https://\")";
        assert_eq!(r("path").tag.as_deref(), Some(UNKNOWN_TAG));
        assert_eq!(r("path").as_str(), Some(trimmed));
        // Trimmed again: nothing to trim.
        assert_eq!(r("assume_role_policy").tag.as_deref(), Some(UNKNOWN_TAG));
        assert_eq!(r("assume_role_policy").as_str(), Some(trimmed));
        // An unknown URL: named by the attribute, which has no scheme.
        assert_eq!(r("force_detach_policies").tag.as_deref(), Some(UNKNOWN_TAG));
        assert_eq!(
            r("force_detach_policies").as_str(),
            Some("aws_iam_openid_connect_provider.var.url")
        );
        assert_eq!(r("description").tag.as_deref(), Some(PARTIAL_TAG));
        assert_eq!(r("description").as_str(), Some("${var.host}/id/1"));
        assert_eq!(r("name_prefix").as_str(), Some("a.example.com"));
        assert_eq!(r("permissions_boundary").as_str(), Some("oidc.example.com"));
        assert_eq!(
            r("max_session_duration").as_str(),
            Some("sts.amazonaws.com")
        );
        // Whether a URL that is no issuer fact starts with the scheme is not known: the
        // call names it.
        let r2 = |k: &str| attr(&rs, "aws_iam_role.r2", k);
        assert_eq!(r2("name").tag.as_deref(), Some(UNKNOWN_TAG));
        assert_eq!(
            r2("name").as_str(),
            Some("trimprefix(aws_iam_openid_connect_provider.var.url, \"https://\")")
        );
        // The scheme and a host only apply knows: the host, under its own name.
        assert_eq!(r2("path").tag.as_deref(), Some(UNKNOWN_TAG));
        assert_eq!(r2("path").as_str(), Some("var.host"));
        // The provider itself keeps the URL it was given.
        assert_eq!(
            attr(&rs, "aws_iam_openid_connect_provider.known", "url").as_str(),
            Some("https://oidc.example.com/id/1")
        );
    }

    #[test]
    fn template_file_renders_its_file_with_its_vars() {
        let tpl =
            "{\"Statement\": [{\"Condition\": {\"StringEquals\": {\"${url}:aud\": \"${sa}\"}}}]}";
        let tf = "data \"template_file\" \"t\" {\n  template = file(\"${path.module}/t.json.tpl\")\n  vars = {\n    url = trimprefix(aws_iam_openid_connect_provider.p.url, \"https://\")\n    sa = \"system:serviceaccount:kube-system:aws-node\"\n  }\n}\n\
            data \"template_file\" \"each\" {\n  for_each = toset([\"a\"])\n  template = file(\"${path.module}/t.json.tpl\")\n  vars = { url = each.key, sa = \"x\" }\n}\n\
            data \"template_file\" \"inline\" {\n  template = \"a\"\n}\n\
            resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = data.template_file.t.rendered\n  name = data.template_file.inline.rendered\n  path = data.template_file.each[\"a\"].rendered\n  description = data.template_file.each[\"b\"].rendered\n}\n\
            resource \"aws_iam_openid_connect_provider\" \"p\" {\n  url = \"https://oidc.example.com/id/1\"\n}\n";
        let mut src = SourceMap::new();
        let id = src.add("m/main.tf", tf.to_string());
        src.add("m/t.json.tpl", tpl.to_string());
        let e = evaluate_inputs(vec![(id, None)], &src, &Limits::default());
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        // The template is not a document of its own.
        assert_eq!(e.templates, [1]);
        let rs = e.resources;
        // Not a resource of its own.
        assert!(rs.iter().all(|r| r.kind != "template_file"));
        let trust = attr(&rs, "aws_iam_role.r", "assume_role_policy");
        let block = trust.get("Statement").unwrap().items()[0]
            .get("Condition")
            .and_then(|c| c.get("StringEquals"))
            .unwrap();
        let e = &block.entries()[0];
        assert_eq!(e.key.as_str(), Some("oidc.example.com/id/1:aud"));
        // At its place in the template.
        assert_eq!(src.get(e.value.span.file).path, "m/t.json.tpl");
        assert_eq!(src.get(e.value.span.file).slice(e.value.span), "\"${sa}\"");
        let r = |k: &str| attr(&rs, "aws_iam_role.r", k).as_str();
        assert_eq!(r("name"), Some("data.template_file.inline.rendered"));
        assert!(r("path").is_none());
        assert_eq!(
            r("description"),
            Some("data.template_file.each[\"b\"].rendered")
        );
    }

    #[test]
    fn templatefile_values_with_directives_keep_template_positions() {
        let tpl = "a: 1\n%{ if on ~}\nb: ${x}\n%{ endif ~}\nl:\n%{ for v in vs ~}\n  - ${v}\n%{ endfor ~}\nr: ${arn}\n";
        let tf = "resource \"helm_release\" \"h\" {\n  values = [templatefile(\"v.yaml\", { on = true, x = \"bee\", vs = [\"p\", \"q\"], arn = aws_iam_role.r.arn })]\n}\n";
        // The values file is an input, not configuration.
        let mut src = SourceMap::new();
        let id = src.add("m/main.tf", tf.to_string());
        src.add("m/v.yaml", tpl.to_string());
        let (rs, problems) = evaluate(vec![(id, None)], &src, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let v = &attr(&rs, "helm_release.h", "values").items()[0];
        let at = |n: &Node| src.get(n.span.file).slice(n.span).to_string();
        assert_eq!(at(v.entry("a").map(|e| &e.key).unwrap()), "a");
        let b = v.get("b").unwrap();
        assert_eq!(b.as_str(), Some("bee"));
        // An interpolated value: at the interpolation.
        assert_eq!(at(b), "${x}");
        // Both list items render from one line of the template.
        let items: Vec<String> = v.get("l").unwrap().items().iter().map(at).collect();
        assert_eq!(items, ["${v}", "${v}"]);
        let r = v.get("r").unwrap();
        assert_eq!(r.tag.as_deref(), Some(UNKNOWN_TAG));
        assert_eq!(r.as_str(), Some("aws_iam_role.r.arn"));
        assert_eq!(at(r), "${arn}");
        // A key after the directives: its own bytes.
        let key = v.entry("r").map(|e| &e.key).unwrap();
        assert_eq!(key.span.start as usize, tpl.find("r: ").unwrap());
    }

    #[test]
    fn dynamic_blocks_expand_over_known_values_and_are_unknown_otherwise() {
        let tf = "variable \"subs\" {\n  default = [\"a\", \"b\"]\n}\n\
                  data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    dynamic \"condition\" {\n      for_each = var.subs\n      content {\n        test = \"StringEquals\"\n        variable = \"k\"\n        values = [condition.value]\n      }\n    }\n  }\n  statement {\n    dynamic \"principals\" {\n      for_each = var.other\n      content {\n        type = \"AWS\"\n      }\n    }\n  }\n}\n";
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let st = attr(&rs, "data.aws_iam_policy_document.d", "statement").items();
        let conds = st[0].get("condition").unwrap().items();
        let values: Vec<_> = conds
            .iter()
            .map(|c| c.get("values").unwrap().items()[0].as_str().unwrap())
            .collect();
        assert_eq!(values, ["a", "b"]);
        assert!(is_unknown(st[1].get("principals").unwrap()));
    }

    /// terraform-aws-modules/eks-pod-identity's `associations` output
    /// (outputs.tf@v2.8.1: `aws_eks_pod_identity_association.this`) is a value: each
    /// association's attributes from the inputs (an entry's own, else
    /// `association_defaults`), the module's role, and the provider's attributes unknown by
    /// the association's address. A key the map lacks, a call with `for_each` and an
    /// unknown `associations` stay unknown references.
    #[test]
    fn eks_pod_identity_associations_output_is_a_value() {
        let tf = r#"module "pi" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name = "app"
  association_defaults = {
    cluster_name = "prod"
    namespace    = "apps"
  }
  associations = {
    web = { service_account = "web" }
    api = { namespace = "api", service_account = "api" }
  }
}

module "later" {
  source       = "terraform-aws-modules/eks-pod-identity/aws"
  name         = "later"
  associations = var.associations
}

resource "aws_iam_role" "r" {
  name        = module.pi.associations["web"].service_account
  path        = module.pi.associations["web"].namespace
  description = module.pi.associations["api"].namespace
  name_prefix = module.pi.associations["web"].cluster_name
  permissions_boundary = module.pi.associations["web"].association_arn
  assume_role_policy   = module.pi.associations["web"].role_arn
  max_session_duration = module.pi.associations["db"].namespace
  force_detach_policies = module.later.associations["web"].namespace
  inline_policy = module.pi.iam_role_arn
}
"#;
        let (_, rs) = eval(&[("m/main.tf", tf)]);
        let a = |k: &str| attr(&rs, "aws_iam_role.r", k);
        assert_eq!(a("name").as_str(), Some("web"));
        assert_eq!(a("path").as_str(), Some("apps"));
        assert_eq!(a("description").as_str(), Some("api"));
        assert_eq!(a("name_prefix").as_str(), Some("prod"));
        assert!(is_unknown(a("permissions_boundary")));
        assert_eq!(
            a("permissions_boundary").as_str(),
            Some("module.pi.aws_eks_pod_identity_association.this[\"web\"].association_arn")
        );
        assert!(is_unknown(a("assume_role_policy")));
        assert_eq!(
            a("assume_role_policy").as_str(),
            Some("module.pi.aws_iam_role.this[0].arn")
        );
        // The namespace points at the default the user wrote.
        let path = a("path");
        assert_eq!(
            &tf[path.span.start as usize..path.span.end as usize],
            "\"apps\""
        );
        // Other outputs are references by name, as before.
        assert_eq!(a("inline_policy").as_str(), Some("module.pi.iam_role_arn"));
        for k in [
            "max_session_duration",
            "force_detach_policies",
            "inline_policy",
        ] {
            assert!(is_unknown(a(k)), "{k}");
        }
        assert_eq!(
            a("force_detach_policies").as_str(),
            Some("module.later.associations[\"web\"].namespace")
        );
    }

    /// A string a local module's template composes from what its caller passes in keeps,
    /// piece by piece, where each was written (`Evaluated::origins`): the caller's values at
    /// the caller's text, the module's own text at the template; through a second module
    /// the first one's pieces are passed in too. A root's templates record nothing.
    #[test]
    fn composed_strings_keep_where_the_callers_pieces_were_written() {
        let root = r#"module "a" {
  source    = "../a"
  namespace = "apps"
  name      = "web*"
}

module "a2" {
  source    = "../a"
  namespace = "jobs"
  name      = "cron?"
}

resource "aws_iam_role" "root" {
  name = "${local.x}-root"
}

locals {
  x = "y"
}
"#;
        let a = r#"variable "namespace" {}
variable "name" {}

module "b" {
  source  = "../b"
  subject = "${var.namespace}:${var.name}"
}

module "c" {
  source  = "../b"
  subject = "${var.namespace}\u003a${var.name}"
}

resource "aws_iam_role" "a" {
  name = "sa-${var.name}"
}
"#;
        let b = r#"variable "subject" {}

resource "aws_iam_role" "b" {
  name = "system:serviceaccount:${var.subject}"
}
"#;
        let mut sources = SourceMap::new();
        let files = [("live/main.tf", root), ("a/main.tf", a), ("b/main.tf", b)];
        let units = files
            .iter()
            .map(|(p, t)| (sources.add(*p, t.to_string()), None))
            .collect();
        let e = evaluate_inputs(units, &sources, &Limits::default());
        // The name of a role, and the call instance that evaluated it.
        let node = |address: &str| call_and_name(&e, address);
        let text_at = |sp: Span| path_and_text(&sources, sp);
        // In `a`: `sa-` is the module's, `web*` the caller's.
        let (c, n) = node("module.a.aws_iam_role.a");
        let v = n.as_str().unwrap();
        assert_eq!(v, "sa-web*");
        assert_eq!(
            text_at(e.origins.span_at(c, n.span, v, 3..7)),
            "live/main.tf:\"web*\""
        );
        assert_eq!(
            text_at(e.origins.span_at(c, n.span, v, 6..7)),
            "live/main.tf:\"web*\""
        );
        assert_eq!(e.origins.span_at(c, n.span, v, 0..3), n.span);
        assert_eq!(e.origins.span_at(c, n.span, v, 0..7), n.span);
        // In `b`, through `a`: the namespace and the name are the root's; the `:` between
        // them is `a`'s text, passed in to `b` as well.
        let (c, n) = node("module.a.module.b.aws_iam_role.b");
        let v = n.as_str().unwrap();
        assert_eq!(v, "system:serviceaccount:apps:web*");
        let at = |r: std::ops::Range<usize>| text_at(e.origins.span_at(c, n.span, v, r));
        assert_eq!(at(22..26), "live/main.tf:\"apps\"");
        assert_eq!(at(30..31), "live/main.tf:\"web*\"");
        assert_eq!(at(26..27), "a/main.tf::");
        assert_eq!(e.origins.span_at(c, n.span, v, 0..5), n.span);
        // The namespace and name in one file: from the first to the last.
        assert_eq!(
            e.origins.span_at(c, n.span, v, 22..31),
            n.span,
            "a piece of `a` lies between"
        );
        // `a`'s own text written with an escape: passed on to `b` at the escape's bytes.
        let (c, n) = node("module.a.module.c.aws_iam_role.b");
        let v = n.as_str().unwrap();
        assert_eq!(v, "system:serviceaccount:apps:web*");
        assert_eq!(
            text_at(e.origins.span_at(c, n.span, v, 26..27)),
            "a/main.tf:\\u003a"
        );
        // The second call of the same template: its own pieces, at its own inputs.
        let (c, n) = node("module.a2.aws_iam_role.a");
        let v = n.as_str().unwrap();
        assert_eq!(v, "sa-cron?");
        assert_eq!(
            text_at(e.origins.span_at(c, n.span, v, 7..8)),
            "live/main.tf:\"cron?\""
        );
        let (c, n) = node("module.a2.module.b.aws_iam_role.b");
        let v = n.as_str().unwrap();
        assert_eq!(
            text_at(e.origins.span_at(c, n.span, v, 22..26)),
            "live/main.tf:\"jobs\""
        );
        // A root's strings: nothing recorded.
        let (c, n) = node("aws_iam_role.root");
        assert_eq!(n.as_str(), Some("y-root"));
        assert!(e.origins.pieces(c, n.span, "y-root").is_none());
    }

    /// A string a module's `format()`, `join()`, `replace()`, `lower()` or `trimprefix()`
    /// builds from its caller's values is recorded like a template's (issue #13): the
    /// caller's pieces at the caller's text, the format string's and separator's at the
    /// call; a template of the module that reads such a result keeps the caller's pieces.
    #[test]
    fn function_results_keep_where_the_callers_pieces_were_written() {
        let root = r#"module "a" {
  source    = "../a"
  namespace = "team-*"
  name      = "web"
  issuer    = "https://oidc.example.com/id/1"
}
"#;
        let a = r#"variable "namespace" {}
variable "name" {}
variable "issuer" {}

resource "aws_iam_role" "format" {
  name = format("system:serviceaccount:%s:%s", var.namespace, var.name)
}
resource "aws_iam_role" "join" {
  name = join(":", ["system:serviceaccount", var.namespace, var.name])
}
resource "aws_iam_role" "replace" {
  name = "${replace(var.issuer, "https://", "")}:sub"
}
resource "aws_iam_role" "trim" {
  name = trimprefix(var.issuer, "https://")
}
resource "aws_iam_role" "lower" {
  name = lower(format("%s-x", var.name))
}
resource "aws_iam_role" "own" {
  name = format("%s:%s", "a", "b")
}
"#;
        let mut sources = SourceMap::new();
        let files = [("live/main.tf", root), ("a/main.tf", a)];
        let units = files
            .iter()
            .map(|(p, t)| (sources.add(*p, t.to_string()), None))
            .collect();
        let e = evaluate_inputs(units, &sources, &Limits::default());
        let node = |address: &str| call_and_name(&e, address);
        let text_at = |sp: Span| path_and_text(&sources, sp);
        for address in ["module.a.aws_iam_role.format", "module.a.aws_iam_role.join"] {
            let (c, n) = node(address);
            let v = n.as_str().unwrap();
            assert_eq!(v, "system:serviceaccount:team-*:web", "{address}");
            let at = |r: std::ops::Range<usize>| text_at(e.origins.span_at(c, n.span, v, r));
            assert_eq!(at(22..28), "live/main.tf:\"team-*\"", "{address}");
            assert_eq!(at(27..28), "live/main.tf:\"team-*\"", "{address}");
            assert_eq!(at(29..32), "live/main.tf:\"web\"", "{address}");
            assert_eq!(e.origins.span_at(c, n.span, v, 0..6), n.span, "{address}");
            assert_eq!(e.origins.span_at(c, n.span, v, 28..29), n.span, "{address}");
        }
        // Through a template of the module: the trimmed issuer is still the caller's.
        let (c, n) = node("module.a.aws_iam_role.replace");
        let v = n.as_str().unwrap();
        assert_eq!(v, "oidc.example.com/id/1:sub");
        let at = |r: std::ops::Range<usize>| text_at(e.origins.span_at(c, n.span, v, r));
        assert_eq!(at(0..4), "live/main.tf:\"https://oidc.example.com/id/1\"");
        assert_eq!(
            at(22..25),
            "a/main.tf:\"${replace(var.issuer, \"https://\", \"\")}:sub\""
        );
        let (c, n) = node("module.a.aws_iam_role.trim");
        let v = n.as_str().unwrap();
        assert_eq!(v, "oidc.example.com/id/1");
        assert_eq!(
            text_at(e.origins.span_at(c, n.span, v, 0..4)),
            "live/main.tf:\"https://oidc.example.com/id/1\""
        );
        // A function of a function's result.
        let (c, n) = node("module.a.aws_iam_role.lower");
        let v = n.as_str().unwrap();
        assert_eq!(v, "web-x");
        assert_eq!(
            text_at(e.origins.span_at(c, n.span, v, 0..3)),
            "live/main.tf:\"web\""
        );
        assert_eq!(e.origins.span_at(c, n.span, v, 3..5), n.span);
        // Nothing passed in: nothing recorded.
        let (c, n) = node("module.a.aws_iam_role.own");
        assert!(e.origins.pieces(c, n.span, "a:b").is_none());
    }

    /// A block written on one line with two arguments (a public trust's `principals { type =
    /// "Federated" identifiers = [...] }`) is a parse error in Terraform too: the message says
    /// why, at the second argument. Other errors keep hcl-edit's message alone.
    #[test]
    fn a_one_line_block_with_two_arguments_says_why() {
        let text = "data \"aws_iam_policy_document\" \"t\" {\n  statement {\n    principals { type = \"Federated\" identifiers = [var.arn] }\n  }\n}\n";
        let Err(err) = parse(&Arena::new(), 0, text, &Limits::default()) else {
            panic!("a parse error expected");
        };
        assert!(
            err.message
                .contains("a block written on one line holds at most one argument"),
            "{}",
            err.message
        );
        assert_eq!(&text[err.span.start as usize..err.span.end as usize], "i");
        let one = text.replace(" identifiers = [var.arn]", "");
        assert!(parse(&Arena::new(), 0, &one, &Limits::default()).is_ok());
        let other = "resource \"x\" \"y\" {\n  a = \n}\n";
        let Err(err) = parse(&Arena::new(), 0, other, &Limits::default()) else {
            panic!("a parse error expected");
        };
        assert!(!err.message.contains("one line"), "{}", err.message);
    }

    /// `upper()`/`lower()` of a string with a piece only apply knows: the known pieces are
    /// changed, the unknown one is named by the call around it (a public role name,
    /// `AWSIRSA_${replace(upper(local.cluster_name), "-", "")}_AI_RUN`, was shown without its
    /// `upper(`).
    #[test]
    fn a_case_function_names_the_unknown_it_changes() {
        let root = r#"variable "cluster_name" {}
locals {
  cluster_name = var.cluster_name
}
resource "aws_iam_role" "upper" {
  name = "AWSIRSA_${replace(upper(local.cluster_name), "-", "")}_AI_RUN"
}
resource "aws_iam_role" "lower" {
  name = lower("App-${var.cluster_name}")
}
"#;
        let mut sources = SourceMap::new();
        let units = vec![(sources.add("main.tf", root.to_string()), None)];
        let e = evaluate_inputs(units, &sources, &Limits::default());
        let name = |address: &str| {
            call_and_name(&e, address)
                .1
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(
            name("aws_iam_role.upper"),
            "AWSIRSA_${replace(upper(var.cluster_name), \"-\", \"\")}_AI_RUN"
        );
        assert_eq!(name("aws_iam_role.lower"), "app-${lower(var.cluster_name)}");
    }
}
