use super::{linked_trusts, openshift_audience, Link};
use crate::model::iam::policy::split_issuer_key;
use crate::model::iam::tri::Tri;
use crate::model::openshift::OPENSHIFT_AUDIENCE;
use crate::rules::prelude::*;
use crate::rules::sa::sa_role_not_trusted::trust_verdict;
use crate::rules::trust::oidc_providers;
use crate::source::node::Node;

declare_rule! {
    CredreqAudienceNotOpenshift,
    code: "C005",
    name: "credreq-audience-not-openshift",
    family: Credentials,
    severity: Error,
    summary: "a role trusted for an OpenShift CredentialsRequest's service accounts requires an `aud` that excludes `openshift`, the audience of the operators' bound tokens",
}

impl Rule for CredreqAudienceNotOpenshift {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for cr in &world.credentials_requests {
            if !cr.is_aws() {
                continue;
            }
            let subjects = cr.subjects();
            if subjects.is_empty() {
                continue;
            }
            let Some(confirmed) = openshift_audience(world, cr) else {
                continue;
            };
            for (trust, link) in linked_trusts(world, cr, &subjects) {
                // Subjects the trust lets in when the audience is left open, but not with
                // `aud: openshift`.
                let shut_out: Vec<&(String, &Node)> = subjects
                    .iter()
                    .filter(|(s, _)| {
                        trust_verdict(world, s, None, trust).0 != Tri::False
                            && trust_verdict(world, s, Some(OPENSHIFT_AUDIENCE), trust).0
                                == Tri::False
                    })
                    .collect();
                let Some((_, item)) = shut_out.first() else {
                    continue;
                };
                let mut aud_keys = Vec::new();
                for stmt in &trust.policy.statements {
                    if oidc_providers(stmt).is_empty() {
                        continue;
                    }
                    for (b, k) in stmt.condition.iter().flat_map(|c| c.keys()) {
                        if split_issuer_key(&k.name.value)
                            .is_some_and(|(_, c)| c.eq_ignore_ascii_case("aud"))
                        {
                            aud_keys.push((b, k));
                        }
                    }
                }
                let Some((block, key)) = aud_keys.first() else {
                    continue;
                };
                let required: Vec<String> = aud_keys
                    .iter()
                    .flat_map(|(_, k)| k.values.iter().map(|v| format!("`{}`", v.value)))
                    .collect();
                let who: Vec<String> = shut_out.iter().map(|(s, _)| format!("`{s}`")).collect();
                let (token, verb) = match (who.len() == 1, confirmed.is_some()) {
                    (true, true) => ("token", "is"),
                    (false, true) => ("tokens", "are"),
                    // Nothing in the inputs shows the pod: OpenShift's convention.
                    (true, false) => ("token (OpenShift operators' convention)", "would be"),
                    (false, false) => ("tokens (OpenShift operators' convention)", "would be"),
                };
                let mut d = META
                    .diagnostic(
                        key.entry.value.span,
                        format!(
                            "the trust policy requires `aud` {} ({}): the `openshift`-audience {token} of {} (CredentialsRequest `{}`) {verb} rejected",
                            required.join(", "),
                            block.raw,
                            who.join(", "),
                            cr.display()
                        ),
                    )
                    .label("audience the role requires")
                    .related(item.span, format!("service account of CredentialsRequest {}", cr.display()))
                    .help("require `aud` = `openshift` (ccoctl registers the OIDC provider with the client IDs `openshift` and `sts.amazonaws.com`; OpenShift's operators project their `bound-sa-token` with audience `openshift`), or drop the `aud` condition as ccoctl's own trust policies do")
                    .path(format!("{}.Condition", trust.source.label));
                if let Link::Secret(span) = link {
                    d = d.related(span, "credentials Secret that names this role");
                }
                match confirmed {
                    Some(t) => {
                        if let Some(a) = t.audience {
                            d = d.related(a.span, "the operator's projected token audience");
                        }
                    }
                    // No pod in the inputs confirms the audience: OpenShift's convention only.
                    None => d = d.severity(Severity::Warning),
                }
                for (_, k) in aud_keys.iter().skip(1) {
                    d = d.related(k.entry.value.span, "another `aud` condition");
                }
                out.push(d);
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

    /// What decides the operator's audience is looked up in the request's secretRef namespace
    /// only: bad/other-namespaces.yaml holds the same names elsewhere (and the finding stays);
    /// here the same ServiceAccount annotated for the webhook, or the operator's pod projecting
    /// `sts.amazonaws.com`, in that namespace, silence the same request and trust.
    #[test]
    fn the_secretref_namespace_decides() {
        crate::testing::assert_world_expectations(&super::META, "webhook-sa-in-target-namespace");
        crate::testing::assert_world_expectations(&super::META, "pod-in-target-namespace");
    }
}
