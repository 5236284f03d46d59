use crate::rules::prelude::*;
use crate::source::discover::lexical;

declare_rule! {
    UnresolvedInclude,
    code: "E009",
    name: "unresolved-include",
    family: Input,
    severity: Info,
    summary: "a CloudFormation policy document is included from another file by a packaging tool, so irsalint cannot check it where it is used",
}

/// The display path of the input file `include` names, relative to the template's
/// directory, when it is among the inputs.
fn included_input<'w>(world: &'w World<'_>, template: &str, include: &str) -> Option<&'w str> {
    if include.contains("://") || include.contains("${") {
        return None;
    }
    let dir = template.rsplit_once('/').map_or("", |(d, _)| d);
    let wanted = if include.starts_with('/') || dir.is_empty() {
        lexical(include)
    } else {
        lexical(&format!("{dir}/{include}"))
    };
    world
        .inputs
        .sources
        .files()
        .iter()
        .map(|f| f.path.as_str())
        .find(|p| lexical(p) == wanted)
}

impl Rule for UnresolvedInclude {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for inc in &world.policy_includes {
            let template = world.path_of(inc.span);
            // Linking the included document to its role is not implemented: the file is
            // linted as a document of its own, without the role's cross-checks.
            let packaged =
                "lint the packaged template (`rain pkg`, `aws cloudformation package`, `sam package`)";
            let (message, help) = match included_input(world, template, &inc.path) {
                Some(found) => (
                    format!(
                        "the {} is included from `{}` ({}): `{found}` is among the inputs and is linted as a document of its own, but it is not linked to its role, so the checks that join the role with ServiceAccounts and pods do not see it",
                        inc.label, inc.path, inc.via
                    ),
                    format!("{packaged} to check the policy in place"),
                ),
                None if inc.path.contains("://") => (
                    format!(
                        "the {} is included from `{}` ({}), which irsalint does not read: the policy is not checked",
                        inc.label, inc.path, inc.via
                    ),
                    format!("{packaged}, or add a copy of the included file to the inputs"),
                ),
                None => (
                    format!(
                        "the {} is included from `{}` ({}), which is not among the inputs: the policy is not checked",
                        inc.label, inc.path, inc.via
                    ),
                    format!("add `{}` to the inputs, or {packaged}", inc.path),
                ),
            };
            out.push(
                META.diagnostic(inc.span, message)
                    .label("policy document included from another file")
                    .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// The included file is found relative to the template's directory: `policies/queue.json`
    /// is an input, `reports-trust.json` is not, the S3 location is never read.
    #[test]
    fn says_whether_the_included_file_is_an_input() {
        let report = crate::testing::lint_fixture_world(&super::META, "bad");
        let msg = |needle: &str| {
            report
                .diagnostics
                .iter()
                .find(|d| d.message.contains(needle))
                .map(|d| d.message.clone())
                .unwrap_or_default()
        };
        assert!(msg("./policies/queue.json").contains("`policies/queue.json` is among the inputs"));
        assert!(msg("./reports-trust.json").contains("which is not among the inputs"));
        assert!(msg("s3://").contains("which irsalint does not read"));
    }
}
