use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::rules::prelude::*;
use crate::source::node::{Node, Value};

declare_rule! {
    DuplicateKey,
    code: "E002",
    name: "duplicate-key",
    family: Input,
    severity: Error,
    summary: "a mapping defines the same key twice; all but the last value are silently dropped",
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // It visits every node of the run, the most of any rule: its files are split among
        // the threads (in order) so that it does not hold one core while the others idle.
        let found: Vec<Vec<Diagnostic>> = world
            .inputs
            .files
            .par_iter()
            .map(|file| {
                let mut out = Vec::new();
                for doc in &file.documents {
                    check_tree(&doc.root, world, &mut out);
                }
                for node in file.embedded.values() {
                    check_tree(node, world, &mut out);
                }
                out
            })
            .collect();
        out.extend(found.into_iter().flatten());
    }
}

/// Mappings up to this size are checked pairwise.
const SMALL: usize = 16;

fn check_tree(root: &Node, world: &World<'_>, out: &mut Vec<Diagnostic>) {
    root.walk(&mut |node| {
        let Value::Map(entries) = &node.value else {
            return;
        };
        // Most mappings are small: compare pairwise without allocating (each key's text
        // taken once); index large ones.
        if entries.len() <= SMALL && entries.iter().all(|e| e.key.as_str().is_some()) {
            // String keys (nearly all): compared as they are, no key text to build.
            for (i, e) in entries.iter().enumerate().skip(1) {
                let Some(k) = e.key.as_str().filter(|k| *k != "<<") else {
                    continue;
                };
                if let Some(first) = entries[..i].iter().find(|f| f.key.as_str() == Some(k)) {
                    out.push(diagnostic(world, k, &first.key, &e.key));
                }
            }
        } else if entries.len() <= SMALL {
            let mut keys: [Option<Cow<'_, str>>; SMALL] = Default::default();
            for (i, e) in entries.iter().enumerate() {
                let Some(k) = key_text(&e.key) else { continue };
                if let Some(first) = keys[..i].iter().position(|f| f.as_deref() == Some(&*k)) {
                    out.push(diagnostic(world, &k, &entries[first].key, &e.key));
                }
                keys[i] = Some(k);
            }
        } else {
            let mut seen: HashMap<Cow<'_, str>, &Node> = HashMap::with_capacity(entries.len());
            for e in entries {
                let Some(k) = key_text(&e.key) else { continue };
                if let Some(first) = seen.insert(k.clone(), &e.key) {
                    out.push(diagnostic(world, &k, first, &e.key));
                }
            }
        }
    });
}

/// The key as text; YAML merge keys (`<<`) are expanded by the loader, not duplicates.
fn key_text(key: &Node) -> Option<Cow<'_, str>> {
    key.scalar_text().filter(|k| k != "<<")
}

fn diagnostic(world: &World<'_>, key: &str, first: &Node, again: &Node) -> Diagnostic {
    let (line, _) = world.line_col(first.span);
    META.diagnostic(
        again.span,
        format!("key `{key}` is defined twice; the value at line {line} is silently replaced by this one"),
    )
    .label("duplicate key")
    .related(first.span, "first definition, dropped by Kubernetes and most YAML and JSON readers")
    .help("merge the two values into one entry, or delete the one you did not mean")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
