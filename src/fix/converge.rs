//! `--fix` as a fixed point: fixes are applied round after round until no fix is left, and
//! every result is loaded and linted again for real. A fix is kept only when the findings it
//! brings are themselves fixed by the fixes that follow (`ForAllValue:` → `ForAllValues:` →
//! the plain operator); a fix that would leave a finding the file did not have (a duplicate
//! key, a parse error, a policy that becomes full admin) is refused, with the reason.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::Diagnostic;
use crate::load::{Inputs, RawWorld};
use crate::source::Limits;
use crate::Report;

/// Rounds of fixes before giving up (each round fixes every finding that has a fix and
/// does not overlap another; chains of fixes are a few rounds long).
const MAX_ROUNDS: usize = 32;
/// Follow-up steps one fix may take to settle (fixes of the findings it brings).
const MAX_FOLLOW_UPS: usize = 4;

/// The result of fixing a world.
#[derive(Debug, Default)]
pub struct Converged {
    /// The fixed text of each file, `None` when it does not change.
    pub texts: Vec<Option<String>>,
    /// How many fixes were applied to each file (follow-up fixes included).
    pub applied: Vec<usize>,
    /// Fixes that were not applied, and why: `path:line:col: rule: reason`.
    pub refused: Vec<String>,
}

/// A finding's identity across edits: rule, file and position-free fingerprint.
type Key = (&'static str, String, String);

fn key(d: &Diagnostic, inputs: &Inputs) -> Key {
    (
        d.rule.name,
        inputs.sources.get(d.primary.file).path.clone(),
        crate::report::fingerprint(d, inputs),
    )
}

/// A fix's identity across rounds: its finding and its replacement texts.
type FixId = (Key, Vec<String>);

fn fix_id(d: &Diagnostic, inputs: &Inputs) -> FixId {
    let texts = d
        .fix
        .iter()
        .flat_map(|f| f.edits.iter().map(|(_, t)| t.clone()))
        .collect();
    (key(d, inputs), texts)
}

/// Fixes `world` (with `lint` deciding what a finding is) until nothing changes.
pub fn converge(world: &RawWorld, limits: &Limits, lint: &dyn Fn(&Inputs) -> Report) -> Converged {
    let mut out = Converged {
        texts: vec![None; world.raws.len()],
        applied: vec![0; world.raws.len()],
        ..Converged::default()
    };
    let mut refused: HashSet<FixId> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let inputs = world.load_with(&out.texts, limits);
        let report = lint(&inputs);
        let ds = &report.diagnostics;
        let candidates: Vec<usize> = (0..ds.len())
            .filter(|&i| ds[i].fix.is_some() && !refused.contains(&fix_id(&ds[i], &inputs)))
            .filter(|&i| fixable_file(world, &inputs, &out.texts, ds[i].primary.file))
            .collect();
        let plans = super::plan_some(ds, &inputs, &|i| candidates.binary_search(&i).is_ok());
        let mut planned: Vec<usize> = plans.iter().flat_map(|p| p.fixed.clone()).collect();
        planned.sort_unstable();
        planned.dedup();
        if planned.is_empty() {
            break;
        }
        let base = multiset(ds, &inputs);
        let ctx = Ctx {
            world,
            limits,
            lint,
            base: &base,
        };
        // Usually every fix is fine: one check for all of them.
        let failure = match ctx.settle(&inputs, ds, &out.texts, &planned) {
            Ok((texts, n)) => {
                if texts == out.texts {
                    break;
                }
                out.texts = texts;
                add(&mut out.applied, &n);
                continue;
            }
            Err(f) => f,
        };
        // Otherwise the suspects are the fixes in the documents where the unwanted findings
        // appeared; the others are checked together, the suspects one by one on top of them.
        let suspect = |i: &usize| {
            locations(&ds[*i], &inputs).any(|l| failure.at.contains(&l)) || failure.at.is_empty()
        };
        let (mut suspects, innocent): (Vec<usize>, Vec<usize>) =
            planned.iter().copied().partition(suspect);
        let mut acc: Vec<usize> = Vec::new();
        let mut best = None;
        if !innocent.is_empty() {
            match ctx.settle(&inputs, ds, &out.texts, &innocent) {
                Ok(r) => {
                    acc = innocent;
                    best = Some(r);
                }
                Err(_) => suspects = planned.clone(),
            }
        }
        let mut progress = false;
        for &i in &suspects {
            let mut trial = acc.clone();
            trial.push(i);
            trial.sort_unstable();
            match ctx.settle(&inputs, ds, &out.texts, &trial) {
                Ok(r) => {
                    acc = trial;
                    best = Some(r);
                }
                Err(f) => {
                    // Bad on its own: refused for good. Bad only with the others: it comes
                    // back in the next round, on top of what this round applies.
                    let alone = if acc.is_empty() {
                        Err(f)
                    } else {
                        ctx.settle(&inputs, ds, &out.texts, &[i])
                    };
                    if let Err(f) = alone {
                        let d = &ds[i];
                        let (l, c) = inputs
                            .sources
                            .get(d.primary.file)
                            .line_col(d.primary.start as usize);
                        out.refused.push(format!(
                            "{}:{l}:{c}: {}: not fixed: {}",
                            inputs.sources.get(d.primary.file).path,
                            d.rule.name,
                            f.why
                        ));
                        refused.insert(fix_id(d, &inputs));
                        progress = true;
                    }
                }
            }
        }
        match best {
            Some((texts, n)) if texts != out.texts => {
                out.texts = texts;
                add(&mut out.applied, &n);
            }
            _ if progress => {}
            _ => break,
        }
    }
    out
}

/// The (file, document) places a fix edits.
fn locations<'a>(d: &'a Diagnostic, inputs: &'a Inputs) -> impl Iterator<Item = (u32, usize)> + 'a {
    d.fix
        .iter()
        .flat_map(|f| f.edits.iter())
        .map(move |(span, _)| {
            (
                span.file,
                document_at(inputs, span.file, span.start as usize),
            )
        })
}

/// The index (in the file) of the document holding `offset`: the last that starts before it.
fn document_at(inputs: &Inputs, file: u32, offset: usize) -> usize {
    let docs = &inputs.file(file).documents;
    docs.iter()
        .rposition(|d| d.root.span.start as usize <= offset)
        .unwrap_or(0)
}

/// Why a set of fixes does not settle, and the (file, document) places of the findings it
/// would add (empty when that is not the reason).
#[derive(Debug)]
struct Failure {
    why: String,
    at: Vec<(u32, usize)>,
}

impl Failure {
    fn other(why: impl Into<String>) -> Failure {
        Failure {
            why: why.into(),
            at: Vec::new(),
        }
    }
}

/// Only inputs read whole are fixed (not a file whose text is not its bytes: unreadable, too
/// large, not UTF-8). Stdin's fixes are computed too: `--diff` shows them, and `--fix` says
/// they were not written anywhere.
fn fixable_file(world: &RawWorld, inputs: &Inputs, texts: &[Option<String>], file: u32) -> bool {
    let i = file as usize;
    let Some(raw) = world.raws.get(i) else {
        return false;
    };
    raw.read_error.is_none()
        && (texts[i].is_some() || inputs.sources.get(file).text().len() == raw.bytes.len())
}

fn add(total: &mut [usize], n: &[usize]) {
    for (t, n) in total.iter_mut().zip(n) {
        *t += n;
    }
}

fn multiset(ds: &[Diagnostic], inputs: &Inputs) -> HashMap<Key, usize> {
    let mut m = HashMap::new();
    for d in ds {
        *m.entry(key(d, inputs)).or_insert(0) += 1;
    }
    m
}

struct Ctx<'a> {
    world: &'a RawWorld,
    limits: &'a Limits,
    lint: &'a dyn Fn(&Inputs) -> Report,
    /// The findings before the round.
    base: &'a HashMap<Key, usize>,
}

impl Ctx<'_> {
    /// Applies the fixes of `ds[which]` (findings of `inputs`) to `texts`, then the fixes of
    /// every finding the result has and the round's start did not, until there is none.
    /// The new texts and how many fixes that took, or why it does not settle.
    fn settle(
        &self,
        inputs: &Inputs,
        ds: &[Diagnostic],
        texts: &[Option<String>],
        which: &[usize],
    ) -> Result<(Vec<Option<String>>, Vec<usize>), Failure> {
        if which.is_empty() {
            return Err(Failure::other("nothing to fix"));
        }
        let mut texts = texts.to_vec();
        let mut count = vec![0; texts.len()];
        apply_some(inputs, ds, which, &mut texts, &mut count);
        for _ in 0..MAX_FOLLOW_UPS {
            let now = self.world.load_with(&texts, self.limits);
            let report = (self.lint)(&now);
            let mut left = self.base.clone();
            let mut new = Vec::new();
            for (i, d) in report.diagnostics.iter().enumerate() {
                match left.get_mut(&key(d, &now)) {
                    Some(n) if *n > 0 => *n -= 1,
                    _ => new.push(i),
                }
            }
            if new.is_empty() {
                return Ok((texts, count));
            }
            let plans = super::plan_some(&report.diagnostics, &now, &|i| {
                new.binary_search(&i).is_ok()
                    && fixable_file(self.world, &now, &texts, report.diagnostics[i].primary.file)
            });
            let covered: HashSet<usize> = plans.iter().flat_map(|p| p.fixed.clone()).collect();
            let uncovered: Vec<&Diagnostic> = new
                .iter()
                .filter(|j| !covered.contains(j))
                .map(|&j| &report.diagnostics[j])
                .collect();
            if let Some(d) = uncovered.first() {
                let (l, c) = now
                    .sources
                    .get(d.primary.file)
                    .line_col(d.primary.start as usize);
                return Err(Failure {
                    why: format!(
                        "the result would have a {} finding at line {l}, column {c}: {}",
                        d.rule.name, d.message
                    ),
                    at: uncovered
                        .iter()
                        .map(|d| {
                            let f = d.primary.file;
                            (f, document_at(&now, f, d.primary.start as usize))
                        })
                        .collect(),
                });
            }
            apply_some(&now, &report.diagnostics, &new, &mut texts, &mut count);
        }
        Err(Failure::other("its follow-up fixes do not settle"))
    }
}

/// Applies the planned fixes of `ds[which]` to `texts`, counting them per file.
fn apply_some(
    inputs: &Inputs,
    ds: &[Diagnostic],
    which: &[usize],
    texts: &mut [Option<String>],
    count: &mut [usize],
) {
    let plans = super::plan_some(ds, inputs, &|i| which.binary_search(&i).is_ok());
    for p in &plans {
        let text = &inputs.sources.get(p.file).text();
        texts[p.file as usize] = Some(super::apply(text, &p.edits));
        count[p.file as usize] += p.fixed.len();
    }
}
