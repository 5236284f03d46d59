use std::borrow::Cow;
use std::collections::HashMap;

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
        for file in &world.inputs.files {
            for doc in &file.documents {
                check_tree(&doc.root, world, out);
            }
            for node in file.embedded.values() {
                check_tree(node, world, out);
            }
        }
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
        if entries.len() <= SMALL {
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
