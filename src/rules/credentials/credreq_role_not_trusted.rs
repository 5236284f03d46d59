use crate::model::openshift;
use crate::rules::prelude::*;
use crate::rules::sa::sa_role_not_trusted::{rejection, roles_for_arn, NO_PROVIDER_HELP};

declare_rule! {
    CredreqRoleNotTrusted,
    code: "C003",
    name: "credreq-role-not-trusted",
    family: Credentials,
    severity: Error,
    summary: "a credentials Secret's `role_arn` names a role whose trust policy does not let the CredentialsRequest's service accounts in",
}

impl Rule for CredreqRoleNotTrusted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for cfg in &world.aws_configs {
            let Some(secret) = &cfg.secret else { continue };
            let Some(cr) = openshift::for_secret(
                &world.credentials_requests,
                &secret.namespace,
                secret.name_str(),
            ) else {
                continue;
            };
            let Some(role_arn) = cfg.default_profile().and_then(|p| p.get("role_arn")) else {
                continue;
            };
            for role_idx in roles_for_arn(world, &role_arn.value) {
                let role = &world.roles[role_idx];
                for trust in world.trust_of(role_idx) {
                    for (subject, item) in cr.subjects() {
                        // The audience is `aud`'s business (credreq-audience-not-openshift):
                        // here only the subject decides.
                        let Some(r) = rejection(world, &subject, None, &role_arn.value, trust)
                        else {
                            continue;
                        };
                        let help = if let Some(h) = r.help.clone() {
                            h
                        } else if r.no_provider {
                            NO_PROVIDER_HELP.to_string()
                        } else {
                            format!("add `{subject}` to the trust policy's `sub` condition (re-run `ccoctl aws create-iam-roles` with this CredentialsRequest), or point `role_arn` at the role ccoctl created for it")
                        };
                        let mut d = META
                            .diagnostic(role_arn.value_span, r.message)
                            .label("role the operator assumes with these credentials")
                            .related(
                                item.span,
                                format!("service account of CredentialsRequest {}", cr.display()),
                            )
                            .related(role.anchor, format!("role {}", role.display()))
                            .help(help);
                        for (span, msg) in r.related {
                            d = d.related(span, msg);
                        }
                        out.push(d.path(format!(
                            "{}/{}.{}",
                            secret.namespace,
                            secret.name_str(),
                            cfg.key.and_then(|k| k.as_str()).unwrap_or("credentials")
                        )));
                    }
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
