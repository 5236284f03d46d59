//! irsalint: an offline static analyser for pods that assume AWS IAM roles through a
//! projected service-account token (EKS IRSA, OpenShift STS, OIDC federation, Pod Identity).
//!
//! Pipeline (DESIGN.md §2): discover → load → extract → [`world::World`] → rules →
//! filter → report.
#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod derived;
pub mod diagnostic;
pub mod edit;
pub mod fix;
pub mod load;
pub mod map;
pub mod model;
pub mod render;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod terraform;
pub mod world;

#[cfg(test)]
pub mod testing;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use rayon::prelude::*;

use config::Config;
use diagnostic::{Diagnostic, Severity};
use load::Inputs;
pub use report::Report;
pub use rules::rule_selector::Selection;
use rules::rule_selector::Selector;
use rules::{Rule, RuleMeta, RULES};
use world::World;

// Built from the config here, where the config is known; the type is the rules' own.
impl Selection {
    /// `[lint] select/ignore/severity` of a config (already validated).
    pub fn from_config(config: &Config) -> Selection {
        let parse = |v: &[String]| {
            v.iter()
                .filter_map(|s| rules::rule_selector::parse(s).ok())
                .collect()
        };
        Selection {
            select: parse(&config.lint.select),
            ignore: parse(&config.lint.ignore),
            severity: config
                .lint
                .severity
                .iter()
                .filter_map(|(r, s)| {
                    Some((
                        rules::rule_selector::find_rule(r)?.name,
                        Severity::parse(s)?,
                    ))
                })
                .collect(),
        }
    }
}

/// Lints one world.
pub fn lint(inputs: &Inputs, config: &Config, selection: &Selection) -> Report {
    lint_with_baseline(inputs, config, selection, None)
}

/// Reads again, in parallel, the texts of the files `diagnostics` point into that the load
/// stage let go of (`Limits::release_texts`), with their line indexes, so that the reports
/// find them ready; returns the display paths of the inputs whose text could not be read
/// again as it was loaded (changed or removed while the run went on): positions, snippets
/// and fixes in them cannot be given, so the caller must not report the run.
pub fn read_reported_texts(inputs: &Inputs, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut files: Vec<source::file::FileId> = diagnostics
        .iter()
        .flat_map(|d| {
            let fixed = d
                .fix
                .iter()
                .flat_map(|f| f.edits.iter().map(|(s, _)| s.file));
            std::iter::once(d.primary.file)
                .chain(d.related.iter().map(|r| r.span.file))
                .chain(fixed)
        })
        .filter(|&f| (f as usize) < inputs.sources.len())
        .collect();
    files.sort_unstable();
    files.dedup();
    files.par_iter().for_each(|&f| {
        inputs.sources.get(f).lines();
    });
    inputs.sources.changed().map(|f| f.path.clone()).collect()
}

/// What the trust checks could not decide because of values only Terraform knows, as
/// `path:line:col: why` lines (`lint --explain` prints them on stderr).
pub fn undecided(inputs: &Inputs, config: &Config) -> Vec<String> {
    if inputs.terraform.is_empty() {
        return Vec::new();
    }
    let world = World::build(inputs, config);
    let mut lines: Vec<String> = rules::sa::sa_role_not_trusted::undecided(&world)
        .into_iter()
        .map(|(span, why)| {
            let (l, c) = world.line_col(span);
            format!("{}:{l}:{c}: {why}", world.path_of(span))
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

/// How each `data "aws_iam_role"` looked up by name was linked to a role of the inputs, or
/// why not when several roles have that name, as `path:line:col: …` lines (`lint
/// --explain` prints them on stderr). A lookup of a role the inputs do not define says
/// nothing.
/// `lint --explain`'s lines for the local module calls whose source directory holds no input
/// file (`lint envs/prod` of a root calling `../../modules/irsa`): not expanded, so what they
/// make is unknown, and the findings about it are not made.
pub fn unread_modules(inputs: &Inputs) -> Vec<String> {
    inputs
        .terraform_unread_modules
        .iter()
        .map(|(file, source)| {
            format!(
                "{}: module source `{source}` holds no input file",
                inputs.sources.get(*file).path
            )
        })
        .collect()
}

/// `lint --explain`'s lines for the parts of modelled module calls the models do not follow
/// (eks-blueprints v4 `kubernetes-addons`' add-ons not modelled), at the input that asks for
/// them: what they make is unknown.
pub fn unmodelled_module_parts(inputs: &Inputs) -> Vec<String> {
    inputs
        .terraform_ignored
        .iter()
        .filter_map(|i| {
            let terraform::modules::Affects::NotModelled { call } = &i.affects else {
                return None;
            };
            let src = inputs.sources.get(i.span.file);
            let (l, c) = src.line_col(i.span.start as usize);
            Some(format!(
                "{}:{l}:{c}: {call}: `{}`: {} ({})",
                src.path, i.input, i.expected, i.model
            ))
        })
        .collect()
}

/// `lint --explain`'s lines for the module calls whose module is neither local nor
/// modelled (`load::Inputs::terraform_unmodelled`): what they make is not read, so the
/// findings about it are not made.
pub fn unmodelled_modules(inputs: &Inputs) -> Vec<String> {
    let mut calls: Vec<_> = inputs.terraform_unmodelled.iter().collect();
    calls.sort_by_key(|(span, _, _)| (inputs.sources.get(span.file).path.as_str(), span.start));
    calls
        .into_iter()
        .map(|(span, call, source)| {
            let src = inputs.sources.get(span.file);
            let (l, c) = src.line_col(span.start as usize);
            format!("{}:{l}:{c}: {call}: {source}", src.path)
        })
        .collect()
}

/// `lint --explain`'s lines for the `terragrunt.hcl` files whose module is not read (a
/// source irsalint does not model, `inputs` not written as an object): what they make is
/// unknown.
pub fn terragrunt_unread(inputs: &Inputs) -> Vec<String> {
    inputs
        .terragrunt_unread
        .iter()
        .map(|(file, why)| format!("{}: {why}", inputs.sources.get(*file).path))
        .collect()
}

pub fn role_lookups(inputs: &Inputs, config: &Config) -> Vec<String> {
    let lookups = &inputs.terraform_derived.role_lookups;
    if lookups.is_empty() {
        return Vec::new();
    }
    let world = World::build(inputs, config);
    let mut lines: Vec<String> = lookups
        .iter()
        .filter_map(|l| {
            let name = l.name.as_str().unwrap_or("");
            let how = match world.lookup_target(l) {
                Ok(role) => {
                    let at = world.roles[role].anchor;
                    let (l, c) = world.line_col(at);
                    format!(
                        "linked to role {}, the only role of the inputs named `{name}`, at {}:{l}:{c}",
                        world.roles[role].display(),
                        world.path_of(at)
                    )
                }
                Err(n) if n > 1 => {
                    format!("not linked: {n} roles of the inputs are named `{name}`")
                }
                Err(_) => return None,
            };
            let (line, col) = world.line_col(l.anchor);
            Some(format!(
                "{}:{line}:{col}: {} looks up the role named `{name}`: {how}",
                world.path_of(l.anchor),
                l.address
            ))
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

/// How the bare trust policies whose files do not name their role were linked (by
/// `[roles]` or by inference), as `path:line:col: role X: how` lines (`lint --explain` prints
/// them on stderr).
pub fn trust_links(inputs: &Inputs, config: &Config) -> Vec<String> {
    let world = World::build(inputs, config);
    let mut lines: Vec<String> = world
        .trust_file_links
        .iter()
        .filter_map(|link| {
            let role = link.role?;
            let span = world.roles[role].anchor;
            let (l, c) = world.line_col(span);
            Some(format!(
                "{}:{l}:{c}: trust policy of role {}: {}",
                world.path_of(span),
                world.roles[role].display(),
                world.describe_link(link)
            ))
        })
        .collect();
    lines.sort();
    lines
}

/// `--explain`: where the kustomizations among the inputs build the objects of each of
/// `files` that they reach (the files with findings), as `path: built into `ns` by
/// kustomization, ...` lines; a root without `namespace:` builds them as the file says.
pub fn kustomize_placements(inputs: &Inputs, files: &[source::file::FileId]) -> Vec<String> {
    let built = model::kustomize::build(inputs);
    let mut lines: Vec<String> = Vec::new();
    for id in files {
        // Objects a kustomization leaves in their own namespace are not placed by it
        // (mtulio/mtulio.labs@6c0088fd: a CredentialsRequest with its own namespace, built by
        // a kustomization that sets none, was listed as an object without one).
        let Some(placements) = built
            .builders
            .get(id)
            .filter(|p| p.keys().any(Option::is_some))
        else {
            continue;
        };
        let by = |kustomizations: &std::collections::BTreeSet<source::file::FileId>| {
            kustomizations
                .iter()
                .map(|k| inputs.sources.get(*k).path.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let placed: Vec<String> = placements
            .iter()
            .map(|(ns, ks)| match ns {
                Some(ns) => format!("`{ns}` by {}", by(ks)),
                None => format!("its own namespace by {}", by(ks)),
            })
            .collect();
        let line = format!(
            "{}: built into {}",
            inputs.sources.get(*id).path,
            placed.join(", ")
        );
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines.sort();
    lines
}

/// `--explain`: the only cluster the inputs know, which manifests and roots naming no
/// cluster are taken to run in (see [`world::OneCluster`]), and its issuer when known.
pub fn one_cluster(inputs: &Inputs, config: &Config) -> Option<String> {
    let world = World::build(inputs, config);
    let one = world.one_cluster.as_ref()?;
    Some(match &one.issuer {
        Some(i) => format!("{} (issuer `{i}`)", one.label),
        None => one.label.clone(),
    })
}

/// `--explain`: the policies modelled Terraform modules write themselves for an
/// `attach_*_policy` switch (producer-owned: their contents are the module's and not read),
/// one line each: where the switch is set, the role and the module version followed.
pub fn producer_owned_policies(inputs: &Inputs) -> Vec<String> {
    let mut lines: Vec<String> = terraform::modules::producer_policies(&inputs.terraform)
        .into_iter()
        .map(|p| {
            let f = inputs.sources.get(p.span.file);
            let (l, c) = f.line_col(p.span.start as usize);
            format!(
                "{}:{l}:{c}: {}: `{}` {} the policy {} writes (its contents are not read)",
                f.path,
                p.role,
                p.switch,
                match p.maybe {
                    true => "may attach (it is known only at apply)",
                    false => "attaches",
                },
                p.model
            )
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

/// Lints one world, hiding the findings a baseline already knows.
pub fn lint_with_baseline(
    inputs: &Inputs,
    config: &Config,
    selection: &Selection,
    baseline: Option<&suppress::Baseline>,
) -> Report {
    let world = World::build(inputs, config);
    lint_world(&world, config, selection, baseline)
}

/// Lints a world already built (`irsalint map` builds it once for the map and the rules).
pub fn lint_world(
    world: &World<'_>,
    config: &Config,
    selection: &Selection,
    baseline: Option<&suppress::Baseline>,
) -> Report {
    let inputs = world.inputs;
    let enabled: Vec<&dyn Rule> = RULES
        .iter()
        .copied()
        .filter(|r| selection.enabled(r.meta()))
        .collect();
    let mut diagnostics: Vec<Diagnostic> = enabled
        .par_iter()
        .flat_map_iter(|rule| run_rule(*rule, world, inputs))
        .collect();
    diagnostics.iter_mut().for_each(show_unknown_braces);
    // Before the configured severities, so that `[lint] severity` still wins.
    rules::perm::shipped::soften(world, &mut diagnostics);
    // Before suppressions, so that one comment in the module hides the one finding.
    collapse_instances(&mut diagnostics, inputs);
    collapse_placements(&mut diagnostics, world);
    // Inline suppressions first: they add their own findings (unused, invalid), which
    // per-file ignores, severities and the baseline then treat like any other.
    let mut suppressed = suppress::apply_inline(&mut diagnostics, inputs, selection);
    for d in &mut diagnostics {
        if let Some(s) = selection.severity.get(d.rule.name) {
            d.severity = *s;
        }
    }
    let weight = |ds: &[Diagnostic]| ds.iter().map(|d| d.stands_for).sum::<usize>();
    let before = weight(&diagnostics);
    apply_per_file_ignores(&mut diagnostics, inputs, config);
    suppressed += before - weight(&diagnostics);
    sort_diagnostics(&mut diagnostics, inputs);
    diagnostics.dedup_by(|a, b| {
        a.rule.name == b.rule.name && a.primary == b.primary && a.message == b.message
    });
    cap_per_rule_per_file(&mut diagnostics, inputs);
    if let Some(b) = baseline {
        suppressed += b.apply(&mut diagnostics, inputs);
    }
    Report {
        diagnostics,
        suppressed,
    }
}

/// A finding's texts as the user reads them: the `}` of an unknown's name, held as
/// [`source::CLOSE_BRACE_IN_NAME`] inside `${…}`, written back as `}`.
fn show_unknown_braces(d: &mut Diagnostic) {
    let show = |s: &mut String| {
        if let std::borrow::Cow::Owned(o) = source::shown(s) {
            *s = o;
        }
    };
    show(&mut d.message);
    for s in [&mut d.label, &mut d.help].into_iter().flatten() {
        show(s);
    }
    d.related.iter_mut().for_each(|r| show(&mut r.message));
    if let Some(f) = &mut d.fix {
        show(&mut f.description);
        f.edits.iter_mut().for_each(|(_, t)| show(t));
    }
}

/// A local Terraform module's code is judged once per call instance, with that instance's
/// arguments, so one problem in it is found by every instance that reaches it. Findings of
/// one rule at one place in a module's code from different instances
/// ([`Diagnostic::instance`]) become one finding that names the calls, each call's `module`
/// block a related location:
///
/// - findings with the same message are one problem, whatever the other instances found;
/// - when each instance found exactly one problem there, they are one problem whose text
///   differs only by the callers' values (the issuer a caller passes): the first message is
///   kept and each other caller's related location gives its own.
///
/// Everything else stays apart: several findings of one instance at one place (the keys of
/// one `ForAllValues` block, ServiceAccounts of a `for_each` against one role) are distinct
/// problems, and a finding at a caller's span is at a place of its own.
fn collapse_instances(diagnostics: &mut Vec<Diagnostic>, inputs: &Inputs) {
    let mut groups: HashMap<(&'static str, source::file::Span), Vec<usize>> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if d.instance.is_some() {
            groups.entry((d.rule.name, d.primary)).or_default().push(i);
        }
    }
    // Two roots may call the same module under the same address: an instance is its address
    // and its caller's `module` block.
    let instance = |d: &Diagnostic| d.instance.clone();
    let mut merges: Vec<Vec<usize>> = Vec::new();
    for mut members in groups.into_values() {
        // In (message, address, caller) order, so that the finding kept does not depend on
        // the order the rules ran in.
        members.sort_by(|&a, &b| {
            let (a, b) = (&diagnostics[a], &diagnostics[b]);
            let key = |d: &Diagnostic| {
                d.instance
                    .as_ref()
                    .map(|i| (i.address.clone(), i.call.file, i.call.start))
            };
            (&a.message, key(a)).cmp(&(&b.message, key(b)))
        });
        // The distinct messages of each instance. The same instance twice (two roots
        // calling one directory that calls the module) gives identical findings.
        let mut per_instance: Vec<(Option<diagnostic::Instance>, Vec<&str>)> = Vec::new();
        for &i in &members {
            let this = instance(&diagnostics[i]);
            let message = diagnostics[i].message.as_str();
            match per_instance.iter_mut().find(|(x, _)| *x == this) {
                Some((_, m)) if m.contains(&message) => {}
                Some((_, m)) => m.push(message),
                None => per_instance.push((this, vec![message])),
            }
        }
        if per_instance.len() < 2 {
            continue;
        }
        if per_instance.iter().all(|(_, m)| m.len() == 1) {
            merges.push(members);
            continue;
        }
        let mut by_message: Vec<Vec<usize>> = Vec::new();
        for i in members {
            match by_message
                .iter_mut()
                .find(|g| diagnostics[g[0]].message == diagnostics[i].message)
            {
                Some(g) => g.push(i),
                None => by_message.push(vec![i]),
            }
        }
        merges.extend(by_message.into_iter().filter(|g| {
            g.iter()
                .any(|&i| diagnostics[i].instance != diagnostics[g[0]].instance)
        }));
    }
    if merges.is_empty() {
        return;
    }
    let mut dropped = vec![false; diagnostics.len()];
    for group in merges {
        let first = group[0];
        let mut seen: Vec<diagnostic::Instance> = Vec::new();
        let mut callers: Vec<diagnostic::Related> = Vec::new();
        let mut related: Vec<diagnostic::Related> = Vec::new();
        let mut severity = diagnostics[first].severity;
        let mut same_fix = true;
        for &i in &group {
            let d = &diagnostics[i];
            if i != first {
                dropped[i] = true;
            }
            let Some(inst) = &d.instance else { continue };
            severity = severity.max(d.severity);
            same_fix &= d.fix == diagnostics[first].fix;
            if seen.contains(inst) {
                continue;
            }
            seen.push(inst.clone());
            let message = if d.message == diagnostics[first].message {
                format!("called as {}", inst.address)
            } else {
                format!("called as {}: {}", inst.address, d.message)
            };
            callers.push(diagnostic::Related {
                span: inst.call,
                message,
            });
            if i != first {
                // The other instances' evidence (the provider each caller passes).
                for r in &d.related {
                    if !diagnostics[first].related.contains(r) && !related.contains(r) {
                        related.push(r.clone());
                    }
                }
            }
        }
        // An address two roots both call (dev and prod roots calling `module "backup"`) is
        // told apart by where its call is written.
        let names: Vec<String> = seen
            .iter()
            .map(|i| {
                if seen.iter().filter(|j| j.address == i.address).count() > 1 {
                    let f = inputs.sources.get(i.call.file);
                    let (line, _) = f.line_col(i.call.start as usize);
                    format!("{} at {}:{line}", i.address, f.path)
                } else {
                    i.address.clone()
                }
            })
            .collect();
        let d = &mut diagnostics[first];
        d.calls_at = Some(d.message.len());
        d.message = format!(
            "{} (in {} calls: {})",
            d.message,
            seen.len(),
            names.join(", ")
        );
        d.severity = severity;
        d.related.extend(callers);
        d.related.extend(related);
        if !same_fix {
            d.fix = None;
        }
    }
    let mut i = 0;
    diagnostics.retain(|_| {
        i += 1;
        !dropped[i - 1]
    });
}

/// One finding per place and problem across the instances of a kustomize base: the rules
/// judge a base built into several namespaces once per namespace and mark each finding with
/// its instance's (`Diagnostic::placed`); findings of one rule at one place whose messages
/// differ only in that namespace become the first one's, which then names every namespace
/// it holds for and the kustomizations that build them (an instance that is fine is not
/// among them). The text before the namespaces is what baselines fingerprint (`calls_at`).
fn collapse_placements(diagnostics: &mut Vec<Diagnostic>, world: &World<'_>) {
    if world.kustomize.builders.is_empty() {
        return;
    }
    // The message with its namespace blanked: two instances' findings of one problem are
    // equal so (a name that happens to equal a namespace keeps them apart, never together).
    let shape = |d: &Diagnostic| -> Option<String> {
        let ns = d.placed.as_deref().filter(|n| !n.is_empty())?;
        Some(d.message.replace(ns, "\u{0}"))
    };
    let mut groups: HashMap<(&'static str, source::file::Span, String), Vec<usize>> =
        HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if let Some(shaped) = shape(d) {
            groups
                .entry((d.rule.name, d.primary, shaped))
                .or_default()
                .push(i);
        }
    }
    let mut dropped = vec![false; diagnostics.len()];
    for mut group in groups.into_values() {
        // In namespace order, so that the finding kept does not depend on the rules' order.
        group.sort_by(|&a, &b| diagnostics[a].placed.cmp(&diagnostics[b].placed));
        let mut namespaces: Vec<String> = Vec::new();
        for &i in &group {
            let ns = diagnostics[i].placed.clone().unwrap_or_default();
            if !namespaces.contains(&ns) {
                namespaces.push(ns);
            }
        }
        let first = group[0];
        let builders = world
            .kustomize
            .builders
            .get(&diagnostics[first].primary.file);
        let mut by: Vec<String> = Vec::new();
        for ns in &namespaces {
            let files = builders.and_then(|b| b.get(&Some(ns.clone())));
            for f in files.into_iter().flatten() {
                let path = &world.inputs.sources.get(*f).path;
                let dir = path.rsplit_once('/').map_or(".", |(d, _)| d);
                if !by.iter().any(|b| b == dir) {
                    by.push(dir.to_string());
                }
            }
        }
        let mut related = Vec::new();
        let mut same_fix = true;
        for &i in &group[1..] {
            dropped[i] = true;
            same_fix &= diagnostics[i].fix == diagnostics[first].fix;
            // The map keeps one edge per instance: the finding is about each that fails.
            for e in diagnostics[i].map_edge.clone() {
                if !diagnostics[first].map_edge.contains(&e) {
                    diagnostics[first].map_edge.push(e);
                }
            }
            for r in &diagnostics[i].related {
                if !diagnostics[first].related.iter().any(|x| x.span == r.span)
                    && !related
                        .iter()
                        .any(|x: &diagnostic::Related| x.span == r.span)
                {
                    related.push(r.clone());
                }
            }
        }
        let named: Vec<String> = namespaces.iter().map(|n| format!("`{n}`")).collect();
        let d = &mut diagnostics[first];
        d.calls_at.get_or_insert(d.message.len());
        d.message = format!(
            "{} (in namespace{} {}{})",
            d.message,
            if named.len() == 1 { "" } else { "s" },
            join_and(&named),
            if by.is_empty() {
                String::new()
            } else {
                format!(", built by {}", join_and(&by))
            }
        );
        d.related.extend(related);
        if !same_fix {
            d.fix = None;
        }
    }
    let mut i = 0;
    diagnostics.retain(|_| {
        i += 1;
        !dropped[i - 1]
    });
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub use diagnostic::MAX_FINDINGS_PER_RULE_PER_FILE;

/// Keeps the first [`MAX_FINDINGS_PER_RULE_PER_FILE`] findings (in report order) of each rule
/// in each file and replaces the rest by one finding of the same rule at the first dropped
/// place, as severe as the most severe one dropped. Runs after suppressions and per-file
/// ignores, so that hidden findings do not count, and before the baseline, so that a
/// baseline records the summary like any finding. `diagnostics` is sorted on entry and exit.
fn cap_per_rule_per_file(diagnostics: &mut Vec<Diagnostic>, inputs: &Inputs) {
    struct Dropped {
        rule: &'static RuleMeta,
        first: source::file::Span,
        count: usize,
        severity: Severity,
    }
    let mut seen: HashMap<(&'static str, source::file::FileId), usize> = HashMap::new();
    let mut dropped: Vec<Dropped> = Vec::new();
    let mut slot: HashMap<(&'static str, source::file::FileId), usize> = HashMap::new();
    diagnostics.retain(|d| {
        let key = (d.rule.name, d.primary.file);
        let n = seen.entry(key).or_default();
        *n += 1;
        if *n <= MAX_FINDINGS_PER_RULE_PER_FILE {
            return true;
        }
        let i = *slot.entry(key).or_insert_with(|| {
            dropped.push(Dropped {
                rule: d.rule,
                first: d.primary,
                count: 0,
                severity: d.severity,
            });
            dropped.len() - 1
        });
        dropped[i].count += d.stands_for;
        dropped[i].severity = dropped[i].severity.max(d.severity);
        false
    });
    if dropped.is_empty() {
        return;
    }
    for x in dropped {
        diagnostics.push(
            Diagnostic::new(
                x.rule,
                x.first,
                format!(
                    "{} more findings of this rule in this file are not reported (at most {} per rule and file)",
                    x.count, MAX_FINDINGS_PER_RULE_PER_FILE
                ),
            )
            .severity(x.severity)
            .label("first finding not reported")
            .help("the file repeats one mistake many times: fix the findings reported and run again to see the rest"),
        );
    }
    sort_diagnostics(diagnostics, inputs);
}

fn sort_diagnostics(diagnostics: &mut [Diagnostic], inputs: &Inputs) {
    diagnostics.sort_by(|a, b| {
        let pa = &inputs.sources.get(a.primary.file).path;
        let pb = &inputs.sources.get(b.primary.file).path;
        (pa, a.primary.start, a.rule.name, &a.message).cmp(&(
            pb,
            b.primary.start,
            b.rule.name,
            &b.message,
        ))
    });
}

/// Runs one rule; a panic becomes an `internal-error` finding, and the run goes on.
fn run_rule(rule: &dyn Rule, world: &World<'_>, inputs: &Inputs) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match catch_unwind(AssertUnwindSafe(|| rule.check(world, &mut out))) {
        Ok(()) => out,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let span = source::file::Span::empty(0, 0);
            if inputs.files.is_empty() {
                return Vec::new();
            }
            vec![rules::input::internal_error::META
                .diagnostic(span, format!("rule {} failed: {what}", rule.meta().name))
                .help(
                    "the other rules still ran; please report this with the input that triggers it",
                )]
        }
    }
}

fn apply_per_file_ignores(diagnostics: &mut Vec<Diagnostic>, inputs: &Inputs, config: &Config) {
    let entries: Vec<(globset::GlobMatcher, Vec<Selector>)> = config
        .lint
        .per_file_ignores
        .iter()
        .filter_map(|p| {
            let glob = globset::GlobBuilder::new(&p.path)
                .literal_separator(false)
                .build()
                .ok()?;
            let sels = p
                .rules
                .iter()
                .filter_map(|r| rules::rule_selector::parse(r).ok())
                .collect();
            Some((glob.compile_matcher(), sels))
        })
        .collect();
    if entries.is_empty() {
        return;
    }
    // Globs are relative to the config file's directory, whatever the working directory.
    let base = config.path.as_ref().and_then(|p| {
        let cwd = std::env::current_dir().ok()?;
        Some((p.parent()?.to_path_buf(), cwd))
    });
    diagnostics.retain(|d| {
        let shown = &inputs.sources.get(d.primary.file).path;
        let path = match &base {
            Some((dir, cwd)) => source::discover::rebase(shown, cwd, dir),
            None => shown.clone(),
        };
        !entries
            .iter()
            .any(|(g, sels)| g.is_match(&path) && sels.iter().any(|s| s.matches(d.rule)))
    });
}

#[cfg(test)]
mod cap_tests {
    use super::MAX_FINDINGS_PER_RULE_PER_FILE as MAX;
    use crate::config::Config;
    use crate::diagnostic::Severity;
    use crate::rules::Rule;
    use crate::world::World;

    /// `k: v` 300 times: 299 duplicate keys, of which the first 100 are reported and the
    /// rest summed up in one finding at the first one dropped.
    #[test]
    fn findings_beyond_the_cap_become_one_summary_finding() {
        let text = "k: v\n".repeat(300);
        let report =
            crate::testing::lint_text("kv.yaml", &text, &crate::rules::input::duplicate_key::META);
        assert_eq!(report.diagnostics.len(), MAX + 1);
        // Kept in report order: lines 2 to 101.
        let line_of = |d: &crate::diagnostic::Diagnostic| d.primary.start as usize / 5 + 1;
        assert_eq!(line_of(&report.diagnostics[0]), 2);
        assert_eq!(line_of(&report.diagnostics[MAX - 1]), 101);
        let summary = &report.diagnostics[MAX];
        assert_eq!(summary.rule.name, "duplicate-key");
        assert_eq!(summary.severity, Severity::Error);
        assert_eq!(line_of(summary), 102);
        assert_eq!(
            summary.message,
            "199 more findings of this rule in this file are not reported (at most 100 per rule and file)"
        );
    }

    /// A file with a suppression comment is capped after the suppressions: the line it hides
    /// does not count, so line 102 is reported and one fewer is summed up.
    #[test]
    fn suppressions_are_applied_before_the_cap() {
        let mut text = "k: v\n".repeat(300);
        // Line 2's finding hidden by a comment on its own line.
        text.replace_range(5..9, "k: v # irsalint: ignore[duplicate-key] generated");
        let report =
            crate::testing::lint_text("kv.yaml", &text, &crate::rules::input::duplicate_key::META);
        assert_eq!(report.suppressed, 1);
        assert_eq!(report.diagnostics.len(), MAX + 1);
        let line_of = |d: &crate::diagnostic::Diagnostic| {
            text[..d.primary.start as usize].matches('\n').count() + 1
        };
        assert_eq!(line_of(&report.diagnostics[0]), 3);
        assert_eq!(line_of(&report.diagnostics[MAX - 1]), 102);
        assert_eq!(line_of(&report.diagnostics[MAX]), 103);
        assert!(report.diagnostics[MAX]
            .message
            .starts_with("198 more findings"));
    }

    /// Without suppression comments the rule itself stops at the cap: 300,000 duplicates
    /// give 101 findings, the last standing for the rest (the hostile file that took 357 MB).
    #[test]
    fn a_hostile_file_builds_only_the_findings_it_reports() {
        let text = "k: v\n".repeat(300_000);
        let inputs = crate::load::load(
            vec![crate::load::RawInput {
                display: "kv.yaml".into(),
                bytes: text.into_bytes(),
                read_error: None,
            }],
            &crate::source::Limits::lint(),
        );
        let base = Config::default();
        let world = World::build(&inputs, &base);
        let mut out = Vec::new();
        crate::rules::input::duplicate_key::DuplicateKey.check(&world, &mut out);
        assert_eq!(out.len(), MAX + 1);
        assert!(out[..MAX].iter().all(|d| d.stands_for == 1));
        assert_eq!(out[MAX].stands_for, 299_999 - MAX);
        // In report order: the kept ones are lines 2 to 101.
        assert_eq!(out[MAX - 1].primary.start as usize, 100 * 5);
        assert_eq!(out[MAX].primary.start as usize, 101 * 5);
        let report = crate::lint_world(&world, &base, &only_duplicate_key(), None);
        assert!(report.diagnostics[MAX]
            .message
            .starts_with("299899 more findings"));
        // A per-file ignore counts every finding it hides, not the 101 built.
        let config =
            crate::config::parse("[[lint.per-file-ignores]]\npath = \"kv.yaml\"\nrules = [\"duplicate-key\"]\nreason = \"generated\"\n", "irsalint.toml")
                .unwrap();
        let report = crate::lint_world(&world, &config, &only_duplicate_key(), None);
        assert!(report.diagnostics.is_empty());
        assert_eq!(report.suppressed, 299_999);
    }

    /// The rule's early stop keeps the first findings in report order, not in the order the
    /// load stage found them: the duplicates inside JSON embedded on line 1 (found after the
    /// document's own) come first.
    #[test]
    fn the_early_stop_keeps_report_order() {
        let json = format!("{{{}\"x\": 1}}", "\"x\": 1, ".repeat(150));
        let text = format!("a: '{json}'\n{}", "k: v\n".repeat(150));
        let report =
            crate::testing::lint_text("kv.yaml", &text, &crate::rules::input::duplicate_key::META);
        assert_eq!(report.diagnostics.len(), MAX + 1);
        let line_of = |d: &crate::diagnostic::Diagnostic| {
            text[..d.primary.start as usize].matches('\n').count() + 1
        };
        assert!(report.diagnostics[..MAX].iter().all(|d| line_of(d) == 1));
        assert_eq!(line_of(&report.diagnostics[MAX]), 1);
        assert!(report.diagnostics[MAX]
            .message
            .starts_with("199 more findings"));
    }

    fn only_duplicate_key() -> crate::rules::rule_selector::Selection {
        crate::rules::rule_selector::Selection {
            select: vec![crate::rules::rule_selector::Selector::Rule(
                &crate::rules::input::duplicate_key::META,
            )],
            ..Default::default()
        }
    }

    #[test]
    fn at_the_cap_nothing_is_summed_up() {
        let text = "k: v\n".repeat(MAX + 1);
        let report =
            crate::testing::lint_text("kv.yaml", &text, &crate::rules::input::duplicate_key::META);
        assert_eq!(report.diagnostics.len(), MAX);
        assert!(report
            .diagnostics
            .iter()
            .all(|d| d.message.starts_with("key `k`")));
    }
}

#[cfg(test)]
mod kustomize_placement_tests {
    use super::*;

    /// `--explain`'s list of objects kustomize places names a file built into a namespace a
    /// kustomization sets, not one built by a kustomization that sets none.
    #[test]
    fn only_files_a_kustomization_places_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n";
        for (path, text) in [
            ("plain/kustomization.yaml", "resources:\n  - sa.yaml\n"),
            ("plain/sa.yaml", sa),
            (
                "placed/kustomization.yaml",
                "namespace: team\nresources:\n  - sa.yaml\n",
            ),
            ("placed/sa.yaml", sa),
        ] {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let root = dir.path().to_string_lossy().into_owned();
        let inputs = load::load_paths(&[root], dir.path(), &source::Limits::lint()).unwrap();
        let files: Vec<source::file::FileId> = inputs.files.iter().map(|f| f.id).collect();
        assert_eq!(
            kustomize_placements(&inputs, &files),
            ["placed/sa.yaml: built into `team` by placed/kustomization.yaml"]
        );
    }
}

#[cfg(test)]
mod released_text_tests {
    //! `lint` lets go of the texts it can read again; the report reads again only the files
    //! its findings point into, and names a file that changed in between.
    use super::*;

    #[test]
    fn only_reported_files_are_read_again_and_a_changed_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let dup = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  name: b\n";
        let fine = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: c\n";
        let load = || {
            std::fs::write(dir.path().join("dup.yaml"), dup).unwrap();
            std::fs::write(dir.path().join("fine.yaml"), fine).unwrap();
            load::load_paths(
                &[dir.path().to_string_lossy().into_owned()],
                dir.path(),
                &source::Limits::lint(),
            )
            .unwrap()
        };
        let config = Config::default();
        let selection = Selection::from_config(&config);

        let inputs = load();
        let report = lint(&inputs, &config, &selection);
        let reported: Vec<_> = report.diagnostics.iter().map(|d| d.primary.file).collect();
        assert!(!reported.is_empty());
        assert!(read_reported_texts(&inputs, &report.diagnostics).is_empty());
        for f in inputs.sources.files() {
            assert_eq!(f.reread(), f.path.ends_with("dup.yaml"), "{}", f.path);
            assert_eq!(f.reread(), reported.contains(&f.id), "{}", f.path);
        }

        // Changed after loading (same length, other bytes): the rules that read its text
        // around a finding get an empty one, and the file is named.
        let inputs = load();
        std::fs::write(
            dir.path().join("dup.yaml"),
            dup.replace("name: b", "name: x"),
        )
        .unwrap();
        let report = lint(&inputs, &config, &selection);
        assert!(!report.diagnostics.is_empty());
        let changed = read_reported_texts(&inputs, &report.diagnostics);
        assert_eq!(changed.len(), 1);
        assert!(changed[0].ends_with("dup.yaml"), "{changed:?}");
        // What a report would read of it: nothing, without panicking.
        let f = inputs.sources.get(report.diagnostics[0].primary.file);
        assert_eq!(f.slice(report.diagnostics[0].primary), "");
        assert_eq!(
            f.line_col(report.diagnostics[0].primary.start as usize),
            (1, 1)
        );
    }
}

#[cfg(test)]
mod internal_error_tests {
    //! A rule that panics becomes one `internal-error` finding naming the rule and the panic;
    //! the run goes on.
    use super::*;
    use crate::rules::Family;

    static PANICKY: RuleMeta = RuleMeta {
        code: "E999",
        name: "panicky-test-rule",
        family: Family::Input,
        default_severity: Severity::Error,
        summary: "panics",
        doc: "",
        source: "src/lib.rs",
    };

    struct Panics(bool);
    impl Rule for Panics {
        fn meta(&self) -> &'static RuleMeta {
            &PANICKY
        }
        fn check(&self, _: &World<'_>, _: &mut Vec<Diagnostic>) {
            if self.0 {
                panic!("index {} out of range", 7);
            }
            panic!("static message");
        }
    }

    fn inputs(dir: &std::path::Path) -> Inputs {
        load::load_paths(
            &[dir.to_string_lossy().into_owned()],
            dir,
            &source::Limits::default(),
        )
        .unwrap()
    }

    #[test]
    fn a_panicking_rule_becomes_an_internal_error_finding() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("sa.yaml"),
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n",
        )
        .unwrap();
        let inputs = inputs(dir.path());
        let config = Config::default();
        let world = World::build(&inputs, &config);
        // A formatted (String) and a literal (&str) panic payload.
        for (rule, what) in [
            (Panics(true), "index 7 out of range"),
            (Panics(false), "static message"),
        ] {
            let out =
                std::panic::catch_unwind(AssertUnwindSafe(|| run_rule(&rule, &world, &inputs)))
                    .expect("run_rule itself does not panic");
            assert_eq!(out.len(), 1);
            assert_eq!(out[0].rule.name, "internal-error");
            assert_eq!(out[0].severity, Severity::Error);
            assert_eq!(
                out[0].message,
                format!("rule panicky-test-rule failed: {what}")
            );
            assert_eq!((out[0].primary.start, out[0].primary.end), (0, 0));
        }
        // A real rule on the same world runs normally beside it.
        let ok = run_rule(
            &rules::trust::trust_no_sub_condition::TrustNoSubCondition,
            &world,
            &inputs,
        );
        assert!(ok.iter().all(|d| d.rule.name != "internal-error"));
    }

    #[test]
    fn without_inputs_a_panic_is_not_reported_against_a_missing_file() {
        // No input at all (a directory without inputs is a usage error before this point).
        let inputs = load::load(Vec::new(), &source::Limits::default());
        let config = Config::default();
        let world = World::build(&inputs, &config);
        assert!(run_rule(&Panics(true), &world, &inputs).is_empty());
    }
}

#[cfg(test)]
mod instance_tests {
    //! `collapse_instances`: one place of a module's code reported by several call instances.
    use super::*;
    use crate::diagnostic::{Fix, Instance, Related};
    use crate::source::file::Span;

    static RULE: RuleMeta = RuleMeta {
        code: "T999",
        name: "instance-test-rule",
        family: rules::Family::Trust,
        default_severity: Severity::Warning,
        summary: "",
        doc: "",
        source: "src/lib.rs",
    };

    /// Two caller files (0, 1) and the module's file (2).
    fn inputs() -> (tempfile::TempDir, Inputs) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("a.yaml", "a: 1\nb: 2\n"),
            ("b.yaml", "a: 1\n"),
            ("c.yaml", "a: 1\n"),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let inputs = load::load_paths(
            &[dir.path().to_string_lossy().into_owned()],
            dir.path(),
            &source::Limits::default(),
        )
        .unwrap();
        (dir, inputs)
    }

    fn at(file: u32, start: usize) -> Span {
        Span::new(file, start, start + 1)
    }

    fn finding(message: &str, primary: Span, instance: Option<(&str, Span)>) -> Diagnostic {
        Diagnostic::new(&RULE, primary, message).instance(instance.map(|(a, call)| Instance {
            address: a.to_string(),
            call,
        }))
    }

    fn messages(d: &[Diagnostic]) -> Vec<&str> {
        let mut m: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        m.sort();
        m
    }

    #[test]
    fn one_finding_per_instance_at_one_place_becomes_one_naming_the_calls() {
        let (_d, inputs) = inputs();
        let module = at(2, 0);
        let mut d = vec![
            finding("issuer `b`", module, Some(("module.b", at(0, 5))))
                .severity(Severity::Error)
                .related(at(2, 1), "in the module")
                .related(at(0, 6), "provider of b"),
            finding("issuer `a`", module, Some(("module.a", at(0, 0))))
                .related(at(2, 1), "in the module")
                .related(at(0, 1), "provider of a"),
            // The same instance reached twice (one directory two roots call): one call.
            finding("issuer `a`", module, Some(("module.a", at(0, 0))))
                .related(at(2, 1), "in the module")
                .related(at(0, 1), "provider of a"),
        ];
        let alone = crate::report::fingerprint_at(&d[1], "m.tf");
        collapse_instances(&mut d, &inputs);
        assert_eq!(d.len(), 1);
        // The first message in (message, address) order, whatever order the rules gave.
        assert_eq!(d[0].message, "issuer `a` (in 2 calls: module.a, module.b)");
        // A baseline knows it whatever the calls: as the one instance's finding.
        assert_eq!(crate::report::fingerprint_at(&d[0], "m.tf"), alone);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(
            d[0].related,
            [
                Related {
                    span: at(2, 1),
                    message: "in the module".into()
                },
                Related {
                    span: at(0, 1),
                    message: "provider of a".into()
                },
                Related {
                    span: at(0, 0),
                    message: "called as module.a".into()
                },
                Related {
                    span: at(0, 5),
                    message: "called as module.b: issuer `b`".into()
                },
                Related {
                    span: at(0, 6),
                    message: "provider of b".into()
                },
            ]
        );
    }

    #[test]
    fn several_problems_at_one_place_stay_apart_each_naming_the_calls() {
        // Two keys of one block, found by both instances: two findings.
        let (_d, inputs) = inputs();
        let block = at(2, 0);
        let mut d = Vec::new();
        for (address, call) in [("module.a", at(0, 0)), ("module.b", at(0, 5))] {
            for key in ["aud", "sub"] {
                d.push(finding(key, block, Some((address, call))));
            }
        }
        // One instance finds a third problem the other does not: it keeps its own text.
        d.push(finding("azp", block, Some(("module.b", at(0, 5)))));
        collapse_instances(&mut d, &inputs);
        assert_eq!(
            messages(&d),
            [
                "aud (in 2 calls: module.a, module.b)",
                "azp",
                "sub (in 2 calls: module.a, module.b)"
            ]
        );
    }

    #[test]
    fn findings_of_no_instance_or_at_the_callers_places_are_untouched() {
        let (_d, inputs) = inputs();
        // A root's role judged for two ServiceAccounts of a `for_each`: no instance.
        let role = at(0, 0);
        let mut d = vec![finding("sa one", role, None), finding("sa two", role, None)];
        // Values the callers wrote: each at its own place.
        d.push(finding("x", at(0, 2), Some(("module.a", at(0, 0)))));
        d.push(finding("x", at(1, 0), Some(("module.b", at(1, 0)))));
        // Another rule at the same place of the module.
        d.push(finding("y", at(2, 0), Some(("module.a", at(0, 0)))));
        let mut other = finding("y", at(2, 0), Some(("module.b", at(1, 0))));
        other.rule = &crate::rules::trust::trust_missing_aud::META;
        d.push(other);
        collapse_instances(&mut d, &inputs);
        assert_eq!(messages(&d), ["sa one", "sa two", "x", "x", "y", "y"]);
        assert!(d.iter().all(|d| d.related.is_empty()));
    }

    #[test]
    fn the_same_address_in_two_roots_is_named_by_its_call() {
        let (_d, inputs) = inputs();
        let module = at(2, 0);
        let mut d = vec![
            finding("p", module, Some(("module.backup", at(0, 5)))),
            finding("p", module, Some(("module.backup", at(1, 0)))),
            // The same instance reached twice (one directory two roots call): one call.
            finding("p", module, Some(("module.backup", at(1, 0)))),
        ];
        collapse_instances(&mut d, &inputs);
        assert_eq!(d.len(), 1);
        let a = &inputs.sources.get(0).path;
        let b = &inputs.sources.get(1).path;
        assert_eq!(
            d[0].message,
            format!("p (in 2 calls: module.backup at {a}:2, module.backup at {b}:1)")
        );
        assert_eq!(d[0].related.len(), 2);
    }

    #[test]
    fn a_fix_is_kept_only_when_every_instance_proposes_it() {
        let (_d, inputs) = inputs();
        let fix = |to: &str| Fix {
            description: "d".into(),
            edits: vec![(at(2, 0), to.into())],
        };
        let mut same = vec![
            finding("p", at(2, 0), Some(("module.a", at(0, 0)))).fix(fix("x")),
            finding("p", at(2, 0), Some(("module.b", at(1, 0)))).fix(fix("x")),
        ];
        collapse_instances(&mut same, &inputs);
        assert_eq!(same.len(), 1);
        assert_eq!(same[0].fix, Some(fix("x")));
        let mut differ = vec![
            finding("p", at(2, 0), Some(("module.a", at(0, 0)))).fix(fix("x")),
            finding("p", at(2, 0), Some(("module.b", at(1, 0)))).fix(fix("y")),
        ];
        collapse_instances(&mut differ, &inputs);
        assert_eq!(differ.len(), 1);
        assert_eq!(differ[0].fix, None);
    }
}

#[cfg(test)]
mod placement_tests {
    //! `collapse_placements`: one place of a kustomize base reported by several namespaces.
    use super::*;
    use crate::diagnostic::Fix;
    use crate::source::file::Span;

    /// Findings of two namespaces at one place with different evidence and fixes: one
    /// finding, with the evidence and map edges of both; the fix only when both agree.
    #[test]
    fn instances_evidence_and_fixes_merge() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/kustomize");
        let inputs = load::load_paths(
            &[dir.to_string_lossy().into_owned()],
            &dir,
            &source::Limits::default(),
        )
        .unwrap();
        let config = Config::default();
        let world = World::build(&inputs, &config);
        let file = inputs
            .files
            .iter()
            .find(|f| {
                inputs
                    .sources
                    .get(f.id)
                    .path
                    .ends_with("billing/base/serviceaccount.yaml")
            })
            .unwrap()
            .id;
        let meta = &rules::sa::sa_role_not_trusted::META;
        let at = |s: usize| Span::new(file, s, s + 1);
        let fix = |t: &str| Fix {
            description: t.into(),
            edits: vec![(at(0), t.into())],
        };
        let finding = |ns: &str, related: usize, f: &str| {
            let mut d = meta
                .diagnostic(at(3), format!("`{ns}:api` is not trusted"))
                .related(at(related), format!("evidence {related}"))
                .map_edge(format!("{ns}/api"))
                .placed(Some(ns.to_string()));
            d.fix = Some(fix(f));
            d
        };
        for (other_fix, kept) in [("a", true), ("b", false)] {
            let mut d = vec![
                finding("billing-prod", 1, other_fix),
                finding("billing-dev", 1, "a"),
                finding("billing-dev", 2, "a"),
                finding("billing-prod", 2, "a"),
            ];
            collapse_placements(&mut d, &world);
            assert_eq!(d.len(), 1);
            let d = &d[0];
            assert!(
                d.message.starts_with("`billing-dev:api` is not trusted (in namespaces `billing-dev` and `billing-prod`, built by "),
                "{}",
                d.message
            );
            assert_eq!(d.calls_at, Some("`billing-dev:api` is not trusted".len()));
            let related: Vec<&str> = d.related.iter().map(|r| r.message.as_str()).collect();
            assert_eq!(related, ["evidence 1", "evidence 2"]);
            assert_eq!(d.map_edge, ["billing-dev/api", "billing-prod/api"]);
            assert_eq!(d.fix.is_some(), kept, "{other_fix}");
        }
    }
}
