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
        if let Ok((texts, n)) = ctx.settle(&inputs, ds, &out.texts, &planned) {
            if texts == out.texts {
                break;
            }
            out.texts = texts;
            add(&mut out.applied, &n);
            continue;
        }
        // Otherwise each on its own: the bad ones are refused for good.
        let mut good = Vec::new();
        for &i in &planned {
            match ctx.settle(&inputs, ds, &out.texts, &[i]) {
                Ok(_) => good.push(i),
                Err(why) => {
                    let (l, c) = inputs
                        .sources
                        .get(ds[i].primary.file)
                        .line_col(ds[i].primary.start as usize);
                    out.refused.push(format!(
                        "{}:{l}:{c}: {}: not fixed: {why}",
                        inputs.sources.get(ds[i].primary.file).path,
                        ds[i].rule.name
                    ));
                    refused.insert(fix_id(&ds[i], &inputs));
                }
            }
        }
        // The good ones together, or (when they clash with each other) the first alone; the
        // others come back in the next round.
        let accepted = ctx
            .settle(&inputs, ds, &out.texts, &good)
            .or_else(|_| match good.first() {
                Some(&first) => ctx.settle(&inputs, ds, &out.texts, &[first]),
                None => Err(String::new()),
            });
        if let Ok((texts, n)) = accepted {
            if texts != out.texts {
                out.texts = texts;
                add(&mut out.applied, &n);
            }
        }
    }
    out
}

/// Only files read whole from disk are fixed (not stdin, nor a file whose text is not its
/// bytes: unreadable, too large, not UTF-8).
fn fixable_file(world: &RawWorld, inputs: &Inputs, texts: &[Option<String>], file: u32) -> bool {
    let i = file as usize;
    let Some(raw) = world.raws.get(i) else {
        return false;
    };
    world.paths.get(i).is_some_and(|p| p.is_some())
        && raw.read_error.is_none()
        && (texts[i].is_some() || inputs.sources.get(file).text.len() == raw.bytes.len())
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
    ) -> Result<(Vec<Option<String>>, Vec<usize>), String> {
        if which.is_empty() {
            return Err(String::new());
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
            if let Some(&j) = new.iter().find(|j| !covered.contains(j)) {
                let d = &report.diagnostics[j];
                let (l, c) = now
                    .sources
                    .get(d.primary.file)
                    .line_col(d.primary.start as usize);
                return Err(format!(
                    "the result would have a {} finding at line {l}, column {c}: {}",
                    d.rule.name, d.message
                ));
            }
            apply_some(&now, &report.diagnostics, &new, &mut texts, &mut count);
        }
        Err("its follow-up fixes do not settle".into())
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
        let text = &inputs.sources.get(p.file).text;
        texts[p.file as usize] = Some(super::apply(text, &p.edits));
        count[p.file as usize] += p.fixed.len();
    }
}
