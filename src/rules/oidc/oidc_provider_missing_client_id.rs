use crate::model::iam::arn::is_placeholder;
use crate::model::iam::eval::{self, Context, CtxValue};
use crate::model::iam::policy::split_issuer_key;
use crate::model::iam::tri::Tri;
use crate::model::openshift::OPENSHIFT_AUDIENCE;
use crate::rules::credentials::{linked_trusts, openshift_audience, Link};
use crate::rules::pod::{at_path, literal, AtPath};
use crate::rules::prelude::*;
use crate::rules::sa::sa_role_not_trusted::{roles_for_arn, sa_audience, trust_verdict};
use crate::rules::trust::{normalize_issuer, oidc_providers};

declare_rule! {
    OidcProviderMissingClientId,
    code: "O004",
    name: "oidc-provider-missing-client-id",
    family: Oidc,
    severity: Error,
    summary: "an IAM OIDC provider's client IDs do not include the audience its tokens carry (an `aud` a trust policy requires, or `openshift` for OpenShift CredentialsRequests)",
}

const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// Related locations with their labels.
type Related = Vec<(Span, String)>;

/// A request for `issuer` with an unknown `sub` and the audience `aud` (`None`: unknown).
fn context(issuer: &str, aud: Option<&str>) -> Context {
    let mut ctx = Context::new(CtxValue::Unknown);
    ctx.set(&format!("{issuer}:sub"), CtxValue::Unknown);
    ctx.set(
        &format!("{issuer}:aud"),
        aud.map_or(CtxValue::Unknown, |a| CtxValue::Known(vec![a.to_string()])),
    );
    ctx.set_claim_default(CtxValue::Absent);
    ctx
}

impl Rule for OidcProviderMissingClientId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        if world.iam_oidc_providers.is_empty() {
            return;
        }
        let uses = token_uses(world);
        for provider in &world.iam_oidc_providers {
            let Some(issuer) = provider.issuer_key() else {
                continue;
            };
            let Some(ids) = provider.literal_client_ids() else {
                continue;
            };
            let shown_ids = if ids.is_empty() {
                "none".to_string()
            } else {
                ids.iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };

            let p = Provider {
                world,
                client_ids: provider.client_ids.key.span,
                issuer,
                ids,
                shown_ids,
            };
            trust_audiences(&p, out);
            token_audiences(&p, &uses, out);
            openshift_requests(&p, out);
        }
    }
}

/// One provider with literal client IDs, as the three checks need it.
struct Provider<'w, 'a> {
    world: &'w World<'a>,
    /// The `ClientIDList` key, where findings point.
    client_ids: Span,
    issuer: String,
    ids: Vec<&'a str>,
    shown_ids: String,
}

/// Trust statements for the provider whose `aud` condition no client ID satisfies.
fn trust_audiences(p: &Provider<'_, '_>, out: &mut Vec<Diagnostic>) {
    let (world, issuer, ids, shown_ids) = (p.world, p.issuer.as_str(), &p.ids, &p.shown_ids);
    // Grouped by the audiences they require.
    let mut groups: Vec<(String, Related)> = Vec::new();
    for trust in world.trust_policies() {
        for stmt in &trust.policy.statements {
            if !oidc_providers(stmt).iter().any(|(p, _)| p.issuer == issuer) {
                continue;
            }
            let aud_keys: Vec<_> = stmt
                .condition
                .iter()
                .flat_map(|c| c.keys())
                .filter(|(_, k)| {
                    split_issuer_key(&k.name.value).is_some_and(|(i, c)| {
                        c.eq_ignore_ascii_case("aud")
                            && normalize_issuer(i) == issuer.to_ascii_lowercase()
                    })
                })
                .collect();
            if aud_keys.is_empty()
                || aud_keys
                    .iter()
                    .any(|(_, k)| k.name.unresolved || k.values.iter().any(|v| v.unresolved))
            {
                continue;
            }
            let open = eval::statement_admits(stmt, WEB_IDENTITY, issuer, &context(issuer, None));
            let admitted = ids.iter().any(|id| {
                eval::statement_admits(stmt, WEB_IDENTITY, issuer, &context(issuer, Some(id)))
                    != Tri::False
            });
            if open == Tri::False || admitted {
                continue;
            }
            let required = aud_keys
                .iter()
                .flat_map(|(b, k)| {
                    k.values
                        .iter()
                        .map(move |v| format!("`{}` ({})", v.value, b.raw))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let related = aud_keys.iter().map(|(_, k)| {
                (
                    k.entry.value.span,
                    format!("`aud` required by {}", trust.source.label),
                )
            });
            match groups.iter_mut().find(|(r, _)| *r == required) {
                Some((_, spans)) => spans.extend(related),
                None => groups.push((required, related.collect())),
            }
        }
    }
    for (required, related) in groups {
        let mut d = META
                .diagnostic(
                    p.client_ids,
                    format!(
                        "the IAM OIDC provider `{issuer}` lists the client IDs {shown_ids}, none of which satisfies the `aud` {required} a trust policy requires: STS refuses every token that trust would admit"
                    ),
                )
                .label("client IDs (audiences) STS accepts for this provider")
                .help("add the audience the tokens carry to the provider's client IDs (`aws iam add-client-id-to-open-id-connect-provider`), or make the trust policy require an audience the provider lists")
                .path("ClientIDList");
        for (span, msg) in related {
            d = d.related(span, msg);
        }
        out.push(d);
    }
}

/// A token whose audience the inputs fix, with the role it is used for.
struct TokenUse {
    audience: String,
    /// `ServiceAccount `ns/name``, `container `c` of Deployment ns/name`.
    who: String,
    /// Where the audience is written.
    span: Span,
    role_arn: String,
    /// The file of the object that names the role (a Terraform reference is its module's).
    from: crate::source::file::FileId,
    subject: String,
}

/// Tokens with a fixed audience: ServiceAccounts with a role-arn annotation and an
/// `audience` annotation or a configured webhook --token-audience; containers that set
/// `AWS_ROLE_ARN` and read a hand-projected token with a literal audience.
fn token_uses(world: &World<'_>) -> Vec<TokenUse> {
    let prefix = &world.settings.annotation_prefix.value;
    let mut uses = Vec::new();
    for sa in &world.service_accounts {
        let Some(entry) = sa.annotation(prefix, "role-arn") else {
            continue;
        };
        let (Some(arn), Some(audience)) = (entry.value.as_str(), sa_audience(world, sa)) else {
            continue;
        };
        uses.push(TokenUse {
            audience,
            who: format!("ServiceAccount `{}/{}`", sa.namespace(), sa.name()),
            span: sa
                .annotation(prefix, "audience")
                .map(|e| e.value.span)
                .or(world.settings.token_audience.span())
                .unwrap_or(entry.value.span),
            role_arn: arn.trim().to_string(),
            from: sa.obj.file,
            subject: sa.subject(),
        });
    }
    for pod in &world.pods {
        for c in &pod.containers {
            // The process environment, `envFrom` included, as the SDK reads it.
            let arn = crate::rules::pod::web_identity_env(world, pod, c, "AWS_ROLE_ARN")
                .and_then(|e| literal(&e));
            let file =
                crate::rules::pod::web_identity_env(world, pod, c, "AWS_WEB_IDENTITY_TOKEN_FILE")
                    .and_then(|e| literal(&e));
            let (Some(arn), Some(file)) = (arn, file) else {
                continue;
            };
            let AtPath::Token(t) = at_path(pod, c, file) else {
                continue;
            };
            let Some(aud) = t.audience.filter(|a| a.as_str().is_some()) else {
                continue;
            };
            uses.push(TokenUse {
                audience: aud.as_str().unwrap_or_default().to_string(),
                who: format!("container `{}` of {}", c.name_str(), pod.display()),
                span: aud.span,
                role_arn: arn.trim().to_string(),
                from: pod.owner.file,
                subject: format!(
                    "system:serviceaccount:{}:{}",
                    pod.owner.namespace,
                    pod.service_account_name()
                ),
            });
        }
    }
    uses
}

/// Tokens with a fixed audience the provider does not list, for roles that trust it.
fn token_audiences(p: &Provider<'_, '_>, uses: &[TokenUse], out: &mut Vec<Diagnostic>) {
    let (world, issuer, ids, shown_ids) = (p.world, p.issuer.as_str(), &p.ids, &p.shown_ids);
    // Grouped by audience.
    let mut by_audience: Vec<(&str, Vec<&str>, Related)> = Vec::new();
    for u in uses {
        if u.audience.is_empty()
            || is_placeholder(&u.audience)
            || ids.contains(&u.audience.as_str())
        {
            continue;
        }
        let uses_provider = roles_for_arn(world, &u.role_arn, Some(u.from))
            .into_iter()
            .any(|r| {
                world.trust_of(r).any(|t| {
                    t.policy
                    .statements
                    .iter()
                    .any(|s| oidc_providers(s).iter().any(|(p, _)| p.issuer == issuer))
                    // With this audience: when the trust itself refuses it, a client ID
                    // would not help; the token (pod-token-audience-mismatch, at the pod) or
                    // the trust is the one to fix, and that rule reports it.
                    && trust_verdict(world, &u.subject, Some(&u.audience), t).0 != Tri::False
                })
            });
        if !uses_provider {
            continue;
        }
        let msg = format!("audience of the tokens of {}", u.who);
        match by_audience.iter_mut().find(|(a, _, _)| *a == u.audience) {
            Some((_, names, spans)) => {
                names.push(&u.who);
                spans.push((u.span, msg));
            }
            None => by_audience.push((&u.audience, vec![&u.who], vec![(u.span, msg)])),
        }
    }
    for (aud, names, related) in by_audience {
        let mut d = META
            .diagnostic(
                p.client_ids,
                format!(
                    "the IAM OIDC provider `{issuer}` lists the client IDs {shown_ids} but not `{aud}`, the audience of the tokens of {} (whose role trusts this provider): STS rejects them",
                    names.join(", ")
                ),
            )
            .label("client IDs (audiences) STS accepts for this provider")
            .help(format!("add `{aud}` to the provider's client IDs, or give the tokens an audience the provider lists"))
            .path("ClientIDList");
        for (span, msg) in related {
            d = d.related(span, msg);
        }
        out.push(d);
    }
}

/// OpenShift CredentialsRequests whose roles trust a provider without `openshift`.
fn openshift_requests(p: &Provider<'_, '_>, out: &mut Vec<Diagnostic>) {
    let (world, issuer, ids, shown_ids) = (p.world, p.issuer.as_str(), &p.ids, &p.shown_ids);
    // OpenShift operators present `openshift`-audience tokens.
    if ids.contains(&OPENSHIFT_AUDIENCE) {
        return;
    }
    let mut related: Vec<(Span, String)> = Vec::new();
    let mut requests: Vec<String> = Vec::new();
    let mut confirmed_any = false;
    for cr in &world.credentials_requests {
        if !cr.is_aws() {
            continue;
        }
        let subjects = cr.subjects();
        let Some(confirmed) = openshift_audience(world, cr) else {
            continue;
        };
        for (trust, link) in linked_trusts(world, cr, &subjects) {
            let trusts_provider = trust
                .policy
                .statements
                .iter()
                .any(|s| oidc_providers(s).iter().any(|(p, _)| p.issuer == issuer));
            // A trust that shuts `openshift` out itself is credreq-audience-not-openshift's.
            let admits_openshift = subjects.iter().any(|(s, _)| {
                trust_verdict(world, s, Some(OPENSHIFT_AUDIENCE), trust).0 != Tri::False
            });
            if !trusts_provider || !admits_openshift {
                continue;
            }
            if requests.contains(&cr.display()) {
                continue;
            }
            requests.push(cr.display());
            match link {
                Link::Secret(span) => related.push((
                    span,
                    format!("role used by CredentialsRequest {}", cr.display()),
                )),
                Link::Sub => {
                    if let Some((_, item)) = subjects.first() {
                        related.push((
                            item.span,
                            format!("service account of CredentialsRequest {}", cr.display()),
                        ));
                    }
                }
            }
            if let Some(a) = confirmed.and_then(|t| t.audience) {
                confirmed_any = true;
                related.push((
                    a.span,
                    "the operator's projected token audience".to_string(),
                ));
            }
        }
    }
    if requests.is_empty() {
        return;
    }
    let mut d = META
            .diagnostic(
                p.client_ids,
                format!(
                    "the IAM OIDC provider `{issuer}` lists the client IDs {shown_ids} but not `openshift`, the audience of the operator tokens of CredentialsRequest {}{}: STS rejects them",
                    requests.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", "),
                    if confirmed_any { "" } else { " (OpenShift operators' convention)" }
                ),
            )
            .label("client IDs (audiences) STS accepts for this provider")
            .help("add `openshift` to the provider's client IDs, as `ccoctl aws create-identity-provider` does (`openshift` and `sts.amazonaws.com`)")
            .path("ClientIDList");
    if !confirmed_any {
        d = d.severity(Severity::Warning);
    }
    for (span, msg) in related {
        d = d.related(span, msg);
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
