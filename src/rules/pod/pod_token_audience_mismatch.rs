use super::AtPath;
use crate::model::iam::arn;
use crate::model::iam::eval::{self, Context, CtxValue};
use crate::model::iam::policy::split_issuer_key;
use crate::model::iam::tri::Tri;
use crate::model::k8s::{Container, PodTemplate};
use crate::model::openshift::OPENSHIFT_AUDIENCE;
use crate::rules::prelude::*;
use crate::rules::sa::sa_role_not_trusted::same_role;
use crate::rules::trust::trusted_issuers;
use crate::source::node::Node;

declare_rule! {
    PodTokenAudienceMismatch,
    code: "K004",
    name: "pod-token-audience-mismatch",
    family: Pod,
    severity: Error,
    summary: "a hand-projected service-account token's audience is not the aud the role's trust policy requires",
}

const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

impl Rule for PodTokenAudienceMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let prefix = &world.settings.annotation_prefix.value;
        let mut seen: Vec<(Span, usize)> = Vec::new();
        for pod in &world.pods {
            let ns = pod.owner.namespace.as_str();
            let sa_name = pod.service_account_name();
            let sa = super::find_sa(world, ns, sa_name);
            for c in &pod.containers {
                // The SDK reads the process environment: inline `env` or `envFrom` a
                // ConfigMap/Secret in the inputs.
                let Some(path) = crate::rules::pod::web_identity_env(
                    world,
                    pod,
                    c,
                    "AWS_WEB_IDENTITY_TOKEN_FILE",
                )
                .and_then(|e| super::literal(&e)) else {
                    continue;
                };
                // The role: the container's own AWS_ROLE_ARN, else the SA's annotation.
                let role_arn = crate::rules::pod::web_identity_env(world, pod, c, "AWS_ROLE_ARN")
                    .and_then(|e| super::literal(&e).map(|v| (v, e.value.map(|n| n.span))))
                    .or_else(|| {
                        let e = sa?.annotation(prefix, "role-arn")?;
                        Some((e.value.as_str()?, Some(e.value.span)))
                    });
                let Some((role_arn, role_span)) = role_arn else {
                    continue;
                };
                check_token(world, pod, c, path, role_arn, role_span, &mut seen, out);
            }
        }
        // A credentials file the container reads (`role_arn`, `web_identity_token_file`).
        for b in crate::rules::credentials::file_bindings(world) {
            // An `openshift`-audience token of a CredentialsRequest's operator is
            // credreq-audience-not-openshift's finding.
            if let Some(cr) = world.credentials_request_of(b.file.config) {
                let path = b.token_file.value.as_str();
                let openshift = match super::at_path(b.pod, b.container, path) {
                    AtPath::Token(t) => {
                        t.audience.and_then(Node::as_str) == Some(OPENSHIFT_AUDIENCE)
                    }
                    _ => false,
                };
                if openshift
                    && cr.is_aws()
                    && crate::rules::credentials::openshift_audience(world, cr).is_some()
                {
                    continue;
                }
            }
            check_token(
                world,
                b.pod,
                b.container,
                b.token_file.value.as_str(),
                b.role_arn.value.as_str(),
                Some(b.role_arn.value_span),
                &mut seen,
                out,
            );
        }
    }
}

/// The token container `c` reads at `path` against the trust of the role `role_arn` it
/// assumes with it (`role_span`: where that ARN is set).
#[allow(clippy::too_many_arguments)]
fn check_token(
    world: &World<'_>,
    pod: &PodTemplate<'_>,
    c: &Container<'_>,
    path: &str,
    role_arn: &str,
    role_span: Option<Span>,
    seen: &mut Vec<(Span, usize)>,
    out: &mut Vec<Diagnostic>,
) {
    let subject = format!(
        "system:serviceaccount:{}:{}",
        pod.owner.namespace,
        pod.service_account_name()
    );
    let AtPath::Token(token) = super::at_path(pod, c, path) else {
        return;
    };
    let Some(aud_node) = token.audience else {
        return;
    };
    let Some(aud) = aud_node.as_str() else {
        return;
    };
    let Some(parsed) = arn::parse(role_arn.trim()) else {
        return;
    };
    let Some((rpath, rname)) = arn::role_path_and_name(parsed.resource) else {
        return;
    };
    for (idx, role) in world.roles_named(rname) {
        if !same_role(role, parsed.account, &rpath) {
            continue;
        }
        if seen.contains(&(aud_node.span, idx)) {
            continue;
        }
        seen.push((aud_node.span, idx));
        for trust in world.trust_of(idx) {
            let mut issuers: Vec<String> = Vec::new();
            // The issuer from the provider ARN, or from the condition keys when the
            // provider is a reference the inputs do not resolve (CloudFormation
            // `!GetAtt Provider.Arn`, `!Ref ProviderArn`): the aud condition still
            // decides.
            for stmt in &trust.policy.statements {
                for (issuer, _) in trusted_issuers(stmt) {
                    if !issuers.contains(&issuer) {
                        issuers.push(issuer);
                    }
                }
            }
            if issuers.is_empty() {
                continue;
            }
            let verdict = |aud: CtxValue| {
                Tri::any(issuers.iter().map(|i| {
                    let mut ctx = Context::new(CtxValue::Unknown);
                    ctx.set(&format!("{i}:sub"), CtxValue::Known(vec![subject.clone()]));
                    ctx.set(&format!("{i}:aud"), aud.clone());
                    ctx.set_claim_default(CtxValue::Absent);
                    eval::trust_admits(&trust.policy, WEB_IDENTITY, i, &ctx).result
                }))
            };
            if verdict(CtxValue::Unknown) == Tri::False
                || verdict(CtxValue::Known(vec![aud.to_string()])) != Tri::False
            {
                continue;
            }
            let mut wanted: Vec<String> = Vec::new();
            let mut related: Vec<(Span, String)> = Vec::new();
            for stmt in &trust.policy.statements {
                for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
                    for key in &block.keys {
                        if split_issuer_key(&key.name.value)
                            .is_some_and(|(_, c)| c.eq_ignore_ascii_case("aud"))
                        {
                            for v in &key.values {
                                if !wanted.iter().any(|w| *w == v.value) {
                                    wanted.push(v.value.to_string());
                                }
                            }
                            related.push((
                                key.entry.key.span,
                                format!("{} condition on `aud`", block.raw),
                            ));
                        }
                    }
                }
            }
            let wanted_s = wanted
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            let mut d = META
                .diagnostic(
                    aud_node.span,
                    format!(
                        "the token that container `{}` of {} reads has audience `{aud}`, but the trust policy of role `{role_arn}` requires aud {wanted_s}",
                        c.name_str(),
                        pod.display()
                    ),
                )
                .label("audience of the token")
                .help(match agreed(world, &issuers, &wanted, aud) {
                    // The trust and the provider agree: only the pod is wrong.
                    Some(w) => format!(
                        "set `audience: {w}` on the projected token: the trust policy and the IAM OIDC provider's client IDs both expect `{w}`"
                    ),
                    None => format!(
                        "set `audience: {}` on the projected token, or add `{aud}` to the trust policy's `aud` condition (and as a client ID of the IAM OIDC provider)",
                        wanted.first().map(String::as_str).unwrap_or("sts.amazonaws.com")
                    ),
                });
            if let Some(s) = role_span {
                d = d.related(s, "role assumed with this token");
            }
            d = d.related(role.anchor, world.role_label(idx));
            for (s, m) in related {
                d = d.related(s, m);
            }
            out.push(d.placed(world.placement_of(&pod.owner)).path(format!(
                "{}.volumes.{}",
                super::pod_path(pod),
                token
                    .node
                    .get("path")
                    .and_then(Node::as_str)
                    .unwrap_or("token")
            )));
        }
    }
}

/// The audience the trust requires that an IAM OIDC provider in the inputs for one of
/// `issuers` also lists, when that provider does not list the token's `aud`.
fn agreed<'w>(
    world: &World<'_>,
    issuers: &[String],
    wanted: &'w [String],
    aud: &str,
) -> Option<&'w str> {
    let issuers: Vec<String> = issuers
        .iter()
        .map(|i| crate::rules::trust::normalize_issuer(i))
        .collect();
    world
        .iam_oidc_providers
        .iter()
        .filter(|p| {
            p.issuer_key()
                .is_some_and(|k| issuers.contains(&crate::rules::trust::normalize_issuer(&k)))
        })
        .filter_map(|p| p.literal_client_ids())
        .filter(|ids| !ids.contains(&aud))
        .find_map(|ids| {
            wanted
                .iter()
                .find(|w| ids.contains(&w.as_str()))
                .map(String::as_str)
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// envFrom values are overridden by the webhook's injected env when it mutates the pod.
    #[test]
    fn webhook_env_overrides_env_from() {
        crate::testing::assert_world_expectations(&super::META, "webhook-overrides-envfrom");
    }
}
