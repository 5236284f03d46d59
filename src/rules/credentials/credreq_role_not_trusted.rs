use crate::model::aws_config::AwsConfig;
use crate::model::k8s::Object;
use crate::model::openshift::CredentialsRequest;
use crate::rules::prelude::*;
use crate::rules::sa::sa_role_not_trusted::{trust_checks, NO_PROVIDER_HELP};
use crate::source::ini::IniEntry;

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
        for link in credreq_links(world) {
            let (secret, cr, role_arn) = (link.secret, link.request, link.role_arn);
            for (subject, item) in cr.subjects() {
                // The audience is `aud`'s business (credreq-audience-not-openshift): here
                // only the subject decides.
                for c in trust_checks(
                    world,
                    &role_arn.value,
                    Some(role_arn.value_span.file),
                    &subject,
                    None,
                ) {
                    let Some(r) = c.rejection else { continue };
                    let role = &world.roles[c.role];
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
                        .related(role.anchor, world.role_label(c.role))
                        .help(help);
                    for (span, msg) in r.related {
                        d = d.related(span, msg);
                    }
                    let sa = format!(
                        "{}/{}",
                        cr.target_namespace().unwrap_or_default(),
                        item.as_str().unwrap_or_default()
                    );
                    let edge = crate::model::link::edge_id(
                        &sa,
                        &role.display(),
                        crate::model::link::Mechanism::CredentialsFile,
                    );
                    out.push(d.map_edge(edge).path(format!(
                        "{}/{}.{}",
                        secret.namespace,
                        secret.name_str(),
                        link.config.key.and_then(|k| k.as_str()).unwrap_or("credentials")
                    )));
                }
            }
        }
    }
}

/// A credentials Secret (written for a CredentialsRequest) whose default profile names a
/// role: the link this rule checks and `irsalint map` draws as a credentials-file edge.
pub(crate) struct CredreqLink<'w, 'a> {
    pub config: &'w AwsConfig<'a>,
    pub secret: &'w Object<'a>,
    pub request: &'w CredentialsRequest<'a>,
    pub role_arn: &'w IniEntry,
}

/// Every credentials Secret of a CredentialsRequest with a `role_arn`, in input order.
pub(crate) fn credreq_links<'w, 'a>(world: &'w World<'a>) -> Vec<CredreqLink<'w, 'a>> {
    world
        .aws_configs
        .iter()
        .enumerate()
        .filter_map(|(i, config)| {
            let secret = config.in_secret()?;
            let request = world.credentials_request_of(i)?;
            let role_arn = config.default_profile()?.get("role_arn")?;
            Some(CredreqLink {
                config,
                secret,
                request,
                role_arn,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
