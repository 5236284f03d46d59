use crate::rules::prelude::*;

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
        // Found by the load stage, in the thread that built each tree (it visits every node
        // of the run, the most of any rule, best done while the tree is in the cache) and
        // before it dropped the documents no model reads.
        for file in &world.inputs.files {
            for d in &file.duplicate_keys {
                out.push(diagnostic(world, &d.key, d.first, d.again));
            }
        }
    }
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
