use super::tokens_at;
use crate::model::iam::policy::split_issuer_key;
use crate::model::iam::tri::Tri;
use crate::model::openshift::{CredentialsRequest, OPENSHIFT_AUDIENCE};
use crate::model::role::PolicyKind;
use crate::rules::prelude::*;
use crate::rules::sa::sa_role_not_trusted::{roles_for_arn, trust_verdict};
use crate::rules::trust::oidc_providers;
use crate::source::node::Node;
use crate::world::PolicyDoc;

declare_rule! {
    CredreqAudienceNotOpenshift,
    code: "C005",
    name: "credreq-audience-not-openshift",
    family: Credentials,
    severity: Error,
    summary: "a role trusted for an OpenShift CredentialsRequest's service accounts requires an `aud` that excludes `openshift`, the audience of the operators' bound tokens",
}

/// How a trust policy is tied to a CredentialsRequest.
enum Link {
    /// The request's credentials Secret names the role: the `role_arn` value.
    Secret(Span),
    /// The trust's `sub` condition names the request's service account literally.
    Sub,
}

/// The trust policies tied to `cr`: the roles its Secret's `role_arn` names, and the trusts
/// that list one of its subjects literally (ccoctl's `StringEquals` list).
fn linked_trusts<'w>(
    world: &'w World<'_>,
    cr: &CredentialsRequest<'_>,
    subjects: &[(String, &Node)],
) -> Vec<(&'w PolicyDoc<'w>, Link)> {
    let mut out: Vec<(&PolicyDoc, Link)> = Vec::new();
    let ns = cr.target_namespace().unwrap_or("");
    for cfg in &world.aws_configs {
        let Some(secret) = &cfg.secret else { continue };
        if secret.namespace != ns || Some(secret.name_str()) != cr.secret_name() {
            continue;
        }
        let Some(arn) = cfg.default_profile().and_then(|p| p.get("role_arn")) else {
            continue;
        };
        for role in roles_for_arn(world, &arn.value) {
            for t in world.trust_of(role) {
                out.push((t, Link::Secret(arn.value_span)));
            }
        }
    }
    for t in world
        .policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Trust)
    {
        if out.iter().any(|(o, _)| std::ptr::eq(*o, t)) {
            continue;
        }
        let names_subject = t.policy.statements.iter().any(|s| {
            s.condition.iter().flat_map(|c| c.keys()).any(|(_, k)| {
                split_issuer_key(&k.name.value).is_some_and(|(_, c)| c.eq_ignore_ascii_case("sub"))
                    && k.values
                        .iter()
                        .any(|v| subjects.iter().any(|(s, _)| *s == v.value))
            })
        });
        if names_subject {
            out.push((t, Link::Sub));
        }
    }
    out
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
            // The operator's own pods, if in the inputs, say which audience its token has.
            let tokens = tokens_at(world, cr, cr.token_path());
            let audiences: Vec<&str> = tokens
                .iter()
                .filter_map(|t| t.audience.and_then(Node::as_str))
                .collect();
            if audiences.iter().any(|a| *a != OPENSHIFT_AUDIENCE) {
                continue;
            }
            let confirmed = tokens
                .iter()
                .find(|t| t.audience.and_then(Node::as_str) == Some(OPENSHIFT_AUDIENCE));
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
                let (token, verb) = if who.len() == 1 {
                    ("token", "is")
                } else {
                    ("tokens", "are")
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
}
