use crate::diagnostic::MAX_FINDINGS_PER_RULE_PER_FILE;
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
            let dups = &file.duplicate_keys;
            // A file without suppression comments (`comments` is only filled for files that
            // mention `irsalint:`) keeps only the first findings of a rule, in report order
            // (`cap_per_rule_per_file`): a hostile or generated file repeating one key
            // hundreds of thousands of times would otherwise cost a kilobyte per finding
            // that is dropped anyway (300,000 of them: 357 MB). The first finding past the
            // cap stands for all the rest, so the summary still counts them.
            if file.comments.is_empty() && dups.len() > MAX_FINDINGS_PER_RULE_PER_FILE + 1 {
                let mut order: Vec<_> = dups.iter().collect();
                order.sort_by_key(|d| d.again.start);
                let (kept, rest) = order.split_at(MAX_FINDINGS_PER_RULE_PER_FILE);
                for d in kept {
                    out.push(diagnostic(world, &d.key, d.first, d.again));
                }
                let d = rest[0];
                out.push(diagnostic(world, &d.key, d.first, d.again).stands_for(rest.len()));
                continue;
            }
            for d in dups {
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
