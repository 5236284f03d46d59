use super::file_bindings;
use crate::rules::prelude::*;
use crate::rules::sa::sa_role_not_trusted::{trust_checks, NO_PROVIDER_HELP};

declare_rule! {
    AwsConfigRoleNotTrusted,
    code: "C006",
    name: "aws-config-role-not-trusted",
    family: Credentials,
    severity: Error,
    summary: "an AWS config file mounted into a pod assumes a role with the pod's token, but the role's trust policy does not let the pod's ServiceAccount in",
}

impl Rule for AwsConfigRoleNotTrusted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // One finding per (file's role_arn, ServiceAccount): the pods and containers that
        // share both share the fix.
        let mut seen: Vec<(Span, String)> = Vec::new();
        for b in file_bindings(world) {
            let subject = b.subject();
            // A CredentialsRequest's service accounts are credreq-role-not-trusted's.
            if world
                .credentials_request_of(b.file.config)
                .is_some_and(|cr| cr.subjects().iter().any(|(s, _)| *s == subject))
            {
                continue;
            }
            let key = (b.role_arn.value_span, subject.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let sa_name = b.pod.service_account_name();
            let sa = format!("{}/{sa_name}", b.pod.owner.namespace);
            // The audience is pod-token-audience-mismatch's business: here only the subject
            // (and the issuer) decide.
            for c in trust_checks(
                world,
                &b.role_arn.value,
                Some(b.role_arn.value_span.file),
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
                    format!("add `{subject}` to the trust policy's `sub` condition, or run {} as the ServiceAccount the role trusts", b.pod.display())
                };
                let mut d = META
                    .diagnostic(b.role_arn.value_span, r.message)
                    .label("role the pod assumes with this file")
                    .related(
                        b.pod
                            .service_account
                            .map_or(b.pod.owner.anchor(), |n| n.span),
                        format!(
                            "{} runs as `{sa}` and reads this file at `{}`",
                            b.pod.display(),
                            b.file.path
                        ),
                    )
                    .related(role.anchor, world.role_label(c.role))
                    .help(help);
                for (span, msg) in r.related {
                    d = d.related(span, msg);
                }
                let edge = crate::model::link::edge_id(
                    &sa,
                    &role.display(),
                    crate::model::link::Mechanism::CredentialsFile,
                );
                out.push(d.map_edge(edge).path(b.file_path()));
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

    /// The webhook's AWS_ROLE_ARN makes the SDK ignore a profile only in the containers it
    /// is injected into: not in one named in skip-containers.
    #[test]
    fn a_skipped_container_reads_its_profile() {
        crate::testing::assert_world_expectations(&super::META, "skip-containers");
    }

    /// Pod Identity injects container credentials, not AWS_ROLE_ARN: the SDKs read the shared
    /// config profile first, so the profile's role is judged.
    #[test]
    fn pod_identity_does_not_hide_the_profile() {
        crate::testing::assert_world_expectations(&super::META, "pod-identity");
    }

    /// The logical path (SARIF, `--explain`) names the object and key holding the file, and
    /// the map edge the ServiceAccount of the pod that reads it.
    #[test]
    fn paths_and_edges_name_the_file_and_the_pod_service_account() {
        let report = crate::testing::lint_fixture_world(&super::META, "bad");
        let got: Vec<(Option<String>, Option<String>)> = report
            .diagnostics
            .iter()
            .map(|d| (d.logical_path.clone(), d.map_edge.first().cloned()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some("billing/aws-profile.aws.ini".to_string()),
                    Some("billing/exporter -> billing-exporter (credentials-file)".to_string())
                ),
                (
                    Some("backup/backup-aws-credentials.credentials".to_string()),
                    Some(
                        "backup/backup-operator -> demo-backup-backup-aws-credentials (credentials-file)"
                            .to_string()
                    )
                ),
                (
                    Some("billing/report-aws.config".to_string()),
                    Some("billing/billing-report -> billing-exporter (credentials-file)".to_string())
                ),
                (
                    Some("backup/backup-s3-credentials.credentials".to_string()),
                    Some(
                        "backup/backup-restore -> demo-backup-backup-aws-credentials (credentials-file)"
                            .to_string()
                    )
                ),
            ]
        );
    }
}
