use rayon::prelude::*;

use crate::rules::prelude::*;
use crate::source::duplicates;
use crate::source::node::Node;

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
                // Those of the documents the load stage dropped, found before it did.
                for d in &file.unread.duplicate_keys {
                    out.push(diagnostic(world, &d.key, d.first, d.again));
                }
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

fn check_tree(root: &Node, world: &World<'_>, out: &mut Vec<Diagnostic>) {
    duplicates::each(root, &mut |key, first, again| {
        out.push(diagnostic(world, key, first.span, again.span));
    });
}

fn diagnostic(world: &World<'_>, key: &str, first: Span, again: Span) -> Diagnostic {
    let (line, _) = world.line_col(first);
    META.diagnostic(
        again,
        format!("key `{key}` is defined twice; the value at line {line} is silently replaced by this one"),
    )
    .label("duplicate key")
    .related(first, "first definition, dropped by Kubernetes and most YAML and JSON readers")
    .help("merge the two values into one entry, or delete the one you did not mean")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
