use crate::rules::prelude::*;
use crate::world::TrustLinkHow;

declare_rule! {
    TrustPolicyUnlinked,
    code: "T024",
    name: "trust-policy-unlinked",
    family: Trust,
    severity: Info,
    summary: "a web-identity trust policy file whose name says no role, beside role ARNs the inputs reference but do not define: irsalint cannot tell which role it is, so no ServiceAccount is checked against it",
}

/// Candidates named in a message, at most.
const SHOWN: usize = 3;

impl Rule for TrustPolicyUnlinked {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for link in &world.trust_file_links {
            let TrustLinkHow::Ambiguous {
                scope,
                trusts,
                candidates,
            } = &link.how
            else {
                continue;
            };
            let doc = &world.policies[link.policy];
            let anchor = doc
                .source
                .node
                .entry("Statement")
                .map(|e| e.key.span)
                .unwrap_or(doc.source.node.span);
            let place = TrustLinkHow::scope_text(scope);
            let why = match (candidates.len(), trusts) {
                (1, _) => format!(
                    "{trusts} trust policies whose files name no role, and one role ARN referenced but not defined {place}"
                ),
                (n, 1) => format!(
                    "its file names no role, and {n} role ARNs are referenced but not defined {place}"
                ),
                (n, _) => format!(
                    "its file names no role, and {n} role ARNs are referenced but not defined and {trusts} trust policies' files name no role {place}"
                ),
            };
            let example = &candidates[0].0;
            let name = example.rsplit('/').next().unwrap_or(example);
            let file = world.path_of(anchor);
            let mut d = META
                .diagnostic(
                    anchor,
                    format!("irsalint cannot tell which role this trust policy belongs to: {why}, so no ServiceAccount is checked against it"),
                )
                .label("trust policy of no known role")
                .help(format!(
                    "name the file after its role (`{name}-trust.json`), or map it in irsalint.toml: `[roles]` `\"{example}\" = \"{file}\"` (the path relative to the directory of irsalint.toml)"
                ));
            for (arn, span) in candidates.iter().take(SHOWN) {
                d = d.related(
                    *span,
                    format!("`{arn}` is referenced here and defined nowhere"),
                );
            }
            push_about(out, doc, d);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// One undefined role and two trust policies whose files name no role: each is reported,
    /// and the message counts the trust policies.
    #[test]
    fn two_trust_policies_for_one_role() {
        crate::testing::assert_world_expectations(&super::META, "two-trusts");
        let report = crate::testing::lint_fixture_world(&super::META, "two-trusts");
        for d in &report.diagnostics {
            assert!(
                d.message.contains("2 trust policies whose files name no role, and one role ARN referenced but not defined among the inputs"),
                "{}",
                d.message
            );
            assert_eq!(d.related.len(), 1);
        }
    }
}
