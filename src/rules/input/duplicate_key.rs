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
            let text = &world.inputs.sources.get(file.id).text;
            for doc in &file.documents {
                check_tree(&doc.root, text, world, out);
            }
            for node in file.embedded.values() {
                check_tree(node, text, world, out);
            }
        }
    }
}

fn check_tree(root: &Node, _text: &str, world: &World<'_>, out: &mut Vec<Diagnostic>) {
    root.walk(&mut |node| {
        let Value::Map(entries) = &node.value else {
            return;
        };
        if entries.len() < 2 {
            return;
        }
        let mut seen: HashMap<std::borrow::Cow<'_, str>, &Node> = HashMap::new();
        for e in entries {
            // YAML merge keys (`<<`) are expanded by the loader, not duplicates.
            let Some(k) = e.key.scalar_text() else { continue };
            if k == "<<" {
                continue;
            }
            if let Some(first) = seen.insert(k.clone(), &e.key) {
                let (line, _) = world.line_col(first.span);
                out.push(
                    META.diagnostic(e.key.span, format!("key `{k}` is defined twice; the value at line {line} is silently replaced by this one"))
                        .label("duplicate key")
                        .related(first.span, "first definition, dropped by Kubernetes and most YAML and JSON readers")
                        .help("merge the two values into one entry, or delete the one you did not mean"),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
