use crate::model::iam::policy::PrincipalType;
use crate::model::iam::tri::Tri;
use crate::rules::prelude::*;

declare_rule! {
    TrustPodIdentityNoTagSession,
    code: "T019",
    name: "trust-pod-identity-no-tag-session",
    family: Trust,
    severity: Error,
    summary: "an EKS Pod Identity trust (`pods.eks.amazonaws.com`) does not allow `sts:TagSession`, so associations fail",
}

impl Rule for TrustPodIdentityNoTagSession {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                if !stmt.is_allow() {
                    continue;
                }
                let Some(principal) = &stmt.principal else {
                    continue;
                };
                let Some(svc) = principal
                    .of_type(&PrincipalType::Service)
                    .find(|t| t.value == "pods.eks.amazonaws.com")
                else {
                    continue;
                };
                if stmt.actions_match("sts:AssumeRole") != Tri::True
                    || stmt.actions_match("sts:TagSession") != Tri::False
                {
                    continue;
                }
                // Another Allow statement for the same service may grant it.
                let elsewhere = doc.policy.statements.iter().any(|o| {
                    o.is_allow()
                        && o.principal.as_ref().is_some_and(|p| {
                            p.of_type(&PrincipalType::Service)
                                .any(|t| t.value == svc.value)
                        })
                        && o.actions_match("sts:TagSession").maybe()
                });
                if elsewhere {
                    continue;
                }
                let anchor = stmt
                    .action
                    .as_ref()
                    .map_or(principal.entry.key.span, |a| a.entry.value.span);
                push_about(out, doc,
                    META.diagnostic(anchor, "`pods.eks.amazonaws.com` (EKS Pod Identity) needs `sts:TagSession` next to `sts:AssumeRole`: without it the agent cannot assume the role")
                        .label("no `sts:TagSession`")
                        .related(svc.span, "the Pod Identity service principal")
                        .help("set `\"Action\": [\"sts:AssumeRole\", \"sts:TagSession\"]`")
                        .path(format!("Statement[{}].Action", stmt.index)),
                );
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
