use crate::model::role::PolicyKind;
use crate::rules::prelude::*;
use crate::source::file::FileId;

declare_rule! {
    UnresolvedInclude,
    code: "E009",
    name: "unresolved-include",
    family: Input,
    severity: Info,
    summary: "a CloudFormation policy document is included from another file by a packaging tool, so irsalint cannot check it where it is used",
}

/// The include of the same kind that `file` was linked to, if any, as messages name it: its
/// label, and the template that writes it when that is another file than `from` (two
/// templates often define the same role under the same logical name).
fn linked_elsewhere(
    world: &World<'_>,
    file: FileId,
    kind: PolicyKind,
    from: FileId,
) -> Option<String> {
    world
        .policy_includes
        .iter()
        .filter(|o| o.kind == kind)
        .find(|o| {
            o.linked
                .is_some_and(|p| world.policies[p].source.file == file)
        })
        .map(|o| {
            if o.span.file == from {
                o.label.clone()
            } else {
                let template = &world.inputs.sources.get(o.span.file).path;
                format!("{} in `{template}`", o.label)
            }
        })
}

impl Rule for UnresolvedInclude {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // An include linked to its role is checked in place: its policy rules and the
        // cross-checks of its role see it (`World::policy_includes`).
        for inc in world.policy_includes.iter().filter(|i| i.linked.is_none()) {
            let packaged =
                "lint the packaged template (`rain pkg`, `aws cloudformation package`, `sam package`)";
            let (message, help) = match inc.file {
                Some(file) => {
                    let found = &world.inputs.sources.get(file).path;
                    let (what, via) = (&inc.label, format!("`{}` ({})", inc.path, inc.via));
                    let message = match (inc.role, linked_elsewhere(world, file, inc.kind, inc.span.file)) {
                        (None, _) => format!(
                            "the {what} is included from {via}: `{found}` is among the inputs and is linted as a policy of its own, but its `Roles` name no role of this template to link it to"
                        ),
                        (Some(_), Some(other)) => format!(
                            "the {what} is included from {via}: `{found}` is linked to the {other}, which includes it first; a file stands for one role's policy, so this role's checks do not see it"
                        ),
                        (Some(_), None) => {
                            let kind = match inc.kind {
                                PolicyKind::Trust => "trust policy",
                                PolicyKind::Identity => "permission policy",
                                PolicyKind::Resource => "resource policy",
                                PolicyKind::Boundary => "permissions boundary",
                            };
                            format!(
                                "the {what} is included from {via}: `{found}` is among the inputs but holds no {kind}, so this role's {kind} is not checked"
                            )
                        }
                    };
                    (
                        message,
                        format!("{packaged} to check the policy in place"),
                    )
                }
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

    /// Included files among the inputs are linked to their role (silent); the ones that
    /// cannot be say why.
    #[test]
    fn linked_includes_are_silent() {
        crate::testing::assert_world_expectations(&super::META, "linked");
        let report = crate::testing::lint_fixture_world(&super::META, "linked");
        let messages: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert!(messages.iter().any(|m| m.contains(
            "is linked to the inline policy reports-bucket of ReportsRole, which includes it first"
        )));
        assert!(messages.iter().any(
            |m| m.contains("holds no trust policy, so this role's trust policy is not checked")
        ));
        // The same labels in two templates: the one it is linked to is named by its file.
        assert!(messages.iter().any(|m| m.ends_with(
            "`policies/ide.json` is linked to the inline policy ide of IdeRole in `stacks/ide.yaml`, which includes it first; a file stands for one role's policy, so this role's checks do not see it"
        )), "{messages:#?}");
    }
}
