use crate::rules::prelude::*;

declare_rule! {
    CredreqNoServiceAccounts,
    code: "C002",
    name: "credreq-no-service-accounts",
    family: Credentials,
    severity: Warning,
    summary: "an AWS CredentialsRequest lists no `serviceAccountNames`, so no trust policy can be scoped to its service accounts",
}

impl Rule for CredreqNoServiceAccounts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for cr in &world.credentials_requests {
            if !cr.is_aws() || !cr.service_accounts.is_empty() || cr.is_program_template() {
                continue;
            }
            let spec = cr.obj.node.entry("spec");
            let listed = spec.and_then(|s| s.value.entry("serviceAccountNames"));
            // A value that is not a list (a template parameter, `null`) is another problem.
            if listed.is_some_and(|e| e.value.as_seq().is_none()) {
                continue;
            }
            let span = listed
                .map(|e| e.key.span)
                .or(spec.map(|e| e.key.span))
                .unwrap_or(cr.obj.anchor());
            let what = if listed.is_some() {
                "an empty `serviceAccountNames`"
            } else {
                "no `serviceAccountNames`"
            };
            out.push(
                META.diagnostic(
                    span,
                    format!(
                        "the AWS CredentialsRequest `{}` has {what}: ccoctl refuses it, and older ccoctl versions wrote a role that every service account of the cluster could assume",
                        cr.display()
                    ),
                )
                .label("no service account to scope the trust policy to")
                .help(format!(
                    "list the service accounts that use the credentials in `spec.serviceAccountNames` (they live in the secretRef namespace `{}`)",
                    cr.target_namespace().unwrap_or("<namespace>")
                ))
                .path(format!("{}.spec.serviceAccountNames", cr.display())),
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
}
