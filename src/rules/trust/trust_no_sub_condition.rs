use super::trusted_issuers;
use crate::model::iam::policy::{split_issuer_key, ConditionKey, Statement};
use crate::model::role::RoleSource;
use crate::rules::prelude::*;

declare_rule! {
    TrustNoSubCondition,
    code: "T001",
    name: "trust-no-sub-condition",
    family: Trust,
    severity: Error,
    summary: "a web-identity trust statement has no `<issuer>:sub` condition, so every service account of the cluster can assume the role",
}

/// The statement's condition on `<issuer>:sub`, if any.
fn sub_key<'s, 'a>(stmt: &'s Statement<'a>) -> Option<&'s ConditionKey<'a>> {
    stmt.condition
        .iter()
        .flat_map(|c| &c.blocks)
        .flat_map(|b| &b.keys)
        .find(|k| {
            split_issuer_key(&k.name.value)
                .is_some_and(|(_, claim)| claim.eq_ignore_ascii_case("sub"))
        })
}

impl Rule for TrustNoSubCondition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let providers = trusted_issuers(stmt);
                let Some((issuer, provider_text)) = providers.first() else {
                    continue;
                };
                // Keys only deploy time knows (AWS CDK's `eks.ServiceAccount` puts `:sub` and
                // `:aud` in a custom resource's output) may hold `sub`: undecided.
                if sub_key(stmt).is_some()
                    || stmt.condition.as_ref().is_some_and(|c| c.has_unresolved())
                    || super::has_undecided_key(stmt)
                {
                    continue;
                }
                let (anchor, what) = match (&stmt.condition, &stmt.principal) {
                    (Some(c), _) => (c.entry.key.span, "conditions"),
                    (None, Some(p)) => (p.entry.key.span, "principal"),
                    (None, None) => (stmt.node.span, "statement"),
                };
                // The weakest statement wins: statements are ORed, so one that pins `sub`
                // elsewhere in the policy does not narrow this one. Show it, so a reviewer who
                // sees the `sub` there does not take the role for scoped.
                let stronger = doc.policy.statements.iter().find_map(|other| {
                    let pinned = other.index != stmt.index
                        && trusted_issuers(other).iter().any(|(i, _)| i == issuer);
                    pinned
                        .then(|| sub_key(other))
                        .flatten()
                        .map(|k| (other.index, k))
                });
                let shown = super::shown_issuer(world, stmt, issuer);
                // eksctl writes an add-on's trust itself, pinning `sub` only for vpc-cni's
                // (`getKnownServiceAccountLocation`): no condition can be added to it.
                let eksctl_addon = doc
                    .source
                    .role
                    .and_then(|i| world.roles.get(i))
                    .is_some_and(|r| r.source == RoleSource::Eksctl);
                // A provider ARN only apply will know, with no condition key naming the issuer
                // (`Federated = var.oidc_provider_arn`): `issuer` is that ARN's expression, not
                // an issuer. Name the provider, and leave the key's issuer to the user.
                let provider_only = *issuer == provider_text.value;
                let key = if provider_only || eksctl_addon {
                    "<issuer>:sub".to_string()
                } else {
                    format!("{issuer}:sub")
                };
                // A CI service's issuer is every customer's: the role is open to every
                // pipeline there, not to one cluster's service accounts.
                let org_ci = super::one_org_ci_provider(issuer);
                let (message, help, everyone) = match (super::shared_ci_provider(issuer), org_ci) {
                    _ if eksctl_addon => (
                        format!(
                            "no `sub` condition in the {}: eksctl pins `sub` only in vpc-cni's add-on role, so any service account of the cluster can assume this one",
                            doc.source.label
                        ),
                        "eksctl writes this trust: create the role under `iam.serviceAccounts` for the add-on's service account (`roleOnly: true`) and give its ARN as the add-on's `serviceAccountRoleARN`, or use `iam.podIdentityAssociations`".to_string(),
                        "every service account",
                    ),
                    (Some(ci), _) => (
                        format!(
                            "no `sub` condition: {} can assume this role (issuer `{shown}` is shared by every customer)",
                            ci.who
                        ),
                        format!(
                            "add `\"StringEquals\": {{\"{issuer}:sub\": \"{}\"}}` naming the pipelines that use the role",
                            ci.sub
                        ),
                        "every pipeline",
                    ),
                    (None, Some((who, sub))) => {
                        (
                            format!("no `sub` condition: {who} can assume this role"),
                            format!("add `\"StringEquals\": {{\"{issuer}:sub\": \"{sub}\"}}` naming the pipelines that use the role"),
                            "every pipeline",
                        )
                    }
                    (None, None) if provider_only => (
                        format!("no `sub` condition: any service account of the cluster whose OIDC provider is `{shown}` can assume this role"),
                        "add `\"StringEquals\": {\"<issuer>:sub\": \"system:serviceaccount:<namespace>:<name>\"}` naming the service accounts that use the role (`<issuer>`: the provider's URL without `https://`)".to_string(),
                        "every service account",
                    ),
                    (None, None) => (
                        format!("no `sub` condition: any service account of the cluster with issuer `{shown}` can assume this role"),
                        format!("add `\"StringEquals\": {{\"{issuer}:sub\": \"system:serviceaccount:<namespace>:<name>\"}}` naming the service accounts that use the role"),
                        "every service account",
                    ),
                };
                let mut d = META
                    .diagnostic(anchor, message)
                    .label(format!("{what} without `{key}`"))
                    .related(
                        provider_text.span,
                        "the OIDC provider this statement trusts",
                    )
                    .help(help)
                    .path(format!("Statement[{}].Condition", stmt.index));
                if let Some((index, key)) = stronger {
                    d = d.related(
                        key.entry.key.span,
                        format!(
                            "statement {} pins `sub`, but statements are ORed: this one still admits {everyone}",
                            index + 1
                        ),
                    );
                }
                push_about(out, doc, d);
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

    /// A trust policy file `templatefile()` renders, with no condition at all: its issuer, an
    /// unknown the template was filled with, is named by its expression, as in `.tf`.
    #[test]
    fn a_rendered_templates_issuer_is_shown_as_its_expression() {
        let report = crate::testing::lint_fixture_world(&super::META, "templatefile-issuer");
        let messages: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(
            messages[0].contains("`var.oidc_provider`"),
            "{}",
            messages[0]
        );
        assert!(!messages[0].contains("${"), "{}", messages[0]);
    }
}
