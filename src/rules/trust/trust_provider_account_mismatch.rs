use crate::model::iam::arn::{self, OidcProvider};
use crate::rules::prelude::*;

declare_rule! {
    TrustProviderAccountMismatch,
    code: "T021",
    name: "trust-provider-account-mismatch",
    family: Trust,
    severity: Error,
    summary: "the `Federated` OIDC provider ARN names another account or partition than the role; IAM only trusts providers of the role's own account",
}

impl Rule for TrustProviderAccountMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            let Some(role) = doc.source.role.and_then(|i| world.roles.get(i)) else {
                continue;
            };
            let Some(role_arn) = role.arn.as_ref().filter(|a| !a.unresolved) else {
                continue;
            };
            let Some(ra) = arn::parse(&role_arn.value) else {
                continue;
            };
            if arn::is_placeholder(&role_arn.value) {
                continue;
            }
            for stmt in &doc.policy.statements {
                let Some(principal) = &stmt.principal else {
                    continue;
                };
                for t in principal.federated() {
                    if arn::is_placeholder(&t.value) {
                        continue;
                    }
                    let Some(p) = OidcProvider::parse(&t.value) else {
                        continue;
                    };
                    let what = if p.account != ra.account {
                        format!("account {}", p.account)
                    } else if p.partition != ra.partition {
                        format!("partition `{}`", p.partition)
                    } else {
                        continue;
                    };
                    push_about(out, doc,
                        META.diagnostic(
                            t.span,
                            format!(
                                "provider `{}` is in {what}, but the role `{}` is in account {} (partition `{}`): STS never accepts it",
                                t.value, role_arn.value, ra.account, ra.partition
                            ),
                        )
                        .label("provider of another account or partition")
                        .related(role_arn.span, "the role's ARN")
                        .help(format!(
                            "use the provider of the role's own account: `arn:{}:iam::{}:oidc-provider/{}` (create it there if it does not exist)",
                            ra.partition, ra.account, p.issuer
                        ))
                        .path(format!("Statement[{}].Principal.Federated", stmt.index)),
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
