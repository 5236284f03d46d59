use crate::model::role::PolicyKind;
use crate::rules::prelude::*;

declare_rule! {
    PolicyTrustResource,
    code: "G004",
    name: "policy-trust-resource",
    family: Policy,
    severity: Error,
    summary: "a role trust policy has a `Resource`, `NotResource` or `NotPrincipal` element, which IAM rejects in trust policies",
}

impl Rule for PolicyTrustResource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // A document with no principal at all is an identity policy granting
        // `sts:AssumeRole` (which the content heuristic calls a trust policy): skip it.
        let trust = |d: &&crate::world::PolicyDoc<'_>| {
            d.kind == PolicyKind::Trust
                && (d.source.kind == Some(PolicyKind::Trust)
                    || d.policy.statements.iter().any(|s| s.principal.is_some()))
        };
        for doc in world.policies.iter().filter(trust) {
            for stmt in &doc.policy.statements {
                for name in ["Resource", "NotResource", "NotPrincipal"] {
                    let Some(e) = stmt.node.entry(name) else {
                        continue;
                    };
                    push_about(out, doc,
                        META.diagnostic(e.key.span, format!("`{name}` is not allowed in a role trust policy: IAM rejects the policy"))
                            .label(format!("`{name}` in a trust policy"))
                            .help(if name == "NotPrincipal" {
                                "name the allowed principals under `Principal` instead"
                            } else {
                                "remove it: the resource of a trust policy is the role itself"
                            })
                            .path(format!("Statement[{}].{name}", stmt.index)),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
