use crate::model::iam::arn::{self, OidcProvider};
use crate::model::iam::eval::{self, Context, CtxValue};
use crate::model::iam::policy::split_issuer_key;
use crate::model::iam::tri::Tri;
use crate::model::k8s::ServiceAccount;
use crate::model::role::Role;
use crate::rules::prelude::*;
use crate::rules::trust::oidc_providers;
use crate::world::PolicyDoc;

declare_rule! {
    SaRoleNotTrusted,
    code: "S001",
    name: "sa-role-not-trusted",
    family: Sa,
    severity: Error,
    summary: "a ServiceAccount's role-arn names a role whose trust policy does not let that service account in",
}

pub(crate) const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// Help for a trust policy without any web-identity statement for an OIDC provider.
pub(crate) const NO_PROVIDER_HELP: &str = "add a statement that lets the cluster's OIDC provider (`Federated: arn:aws:iam::<account>:oidc-provider/<issuer>`) assume the role with `sts:AssumeRoleWithWebIdentity`, scoped to this service account";

impl Rule for SaRoleNotTrusted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for (sa, entry) in super::annotated(world, "role-arn") {
            let Some(value) = entry.value.as_str() else {
                continue;
            };
            let audience = sa_audience(world, sa);
            for c in trust_checks(world, value.trim(), &sa.subject(), audience.as_deref()) {
                if let Some(r) = c.rejection {
                    report(sa, entry.value.span, &world.roles[c.role], r, out);
                }
            }
        }
    }
}

/// One role trust policy evaluated for one token: the unit `sa-role-not-trusted` and
/// `credreq-role-not-trusted` report on, and the verdict `irsalint map` draws on an edge.
/// Both call [`trust_checks`], so the map and the rules cannot disagree.
pub(crate) struct TrustCheck<'w, 'a> {
    /// Index into `world.roles`.
    pub role: usize,
    pub trust: &'w PolicyDoc<'a>,
    /// `True`: admitted for certain; `False`: turned away (`rejection` says why);
    /// `Unknown`: the inputs do not decide.
    pub verdict: Tri,
    pub rejection: Option<Rejection>,
}

/// Every (role the ARN names, trust policy of that role) evaluated for a web-identity token
/// of `subject` with `audience` (`None`: could be anything).
pub(crate) fn trust_checks<'w, 'a>(
    world: &'w World<'a>,
    role_arn: &str,
    subject: &str,
    audience: Option<&str>,
) -> Vec<TrustCheck<'w, 'a>> {
    let mut out = Vec::new();
    for role_idx in roles_for_arn(world, role_arn) {
        let role = &world.roles[role_idx];
        let role_name = if role_arn.is_empty() {
            role.display()
        } else {
            role_arn.to_string()
        };
        for trust in world.trust_of(role_idx) {
            let (verdict, rejection) = assess(world, subject, audience, &role_name, trust);
            out.push(TrustCheck {
                role: role_idx,
                trust,
                verdict,
                rejection,
            });
        }
    }
    out
}

/// The roles in the inputs that a role ARN names (name, and partition, account and path
/// where known).
pub(crate) fn roles_for_arn(world: &World<'_>, role_arn: &str) -> Vec<usize> {
    let Some(parsed) = arn::parse(role_arn) else {
        return Vec::new();
    };
    let Some((path, name)) = arn::role_path_and_name(parsed.resource) else {
        return Vec::new();
    };
    world
        .roles_named(name)
        .filter(|(_, role)| {
            role_mismatch(role, Some(parsed.partition), parsed.account, &path).is_none()
        })
        .map(|(i, _)| i)
        .collect()
}

/// The annotation names this role unless the role's known account or path differ.
pub(crate) fn same_role(role: &Role<'_>, account: &str, path: &str) -> bool {
    role_mismatch(role, None, account, path).is_none()
}

/// How a role ARN annotation (`partition` when known, `account`, `path`) differs from what
/// the inputs know of a role of the same name: its `Arn` (get-role), else its `Path`. Parts
/// the inputs leave open (CloudFormation's `${AWS::AccountId}`) never differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RoleMismatch {
    Partition(String),
    Account(String),
    Path(String),
}

pub(crate) fn role_mismatch(
    role: &Role<'_>,
    partition: Option<&str>,
    account: &str,
    path: &str,
) -> Option<RoleMismatch> {
    if let Some(known) = role
        .arn
        .as_ref()
        .filter(|a| !a.unresolved)
        .and_then(|a| arn::parse(&a.value))
    {
        if partition.is_some_and(|p| p != known.partition) {
            return Some(RoleMismatch::Partition(known.partition.to_string()));
        }
        if known.account != account {
            return Some(RoleMismatch::Account(known.account.to_string()));
        }
        if let Some((known_path, _)) = arn::role_path_and_name(known.resource) {
            if known_path != path {
                return Some(RoleMismatch::Path(known_path));
            }
        }
    }
    match role
        .path
        .as_ref()
        .filter(|p| !p.unresolved && p.value.starts_with('/') && p.value.ends_with('/'))
    {
        Some(p) if p.value != path => Some(RoleMismatch::Path(p.value.clone())),
        _ => None,
    }
}

/// The audience a ServiceAccount's tokens carry, when an annotation or the webhook settings
/// say it; `None` when the inputs do not fix it.
pub(crate) fn sa_audience(world: &World<'_>, sa: &ServiceAccount<'_>) -> Option<String> {
    let prefix = &world.settings.annotation_prefix.value;
    match sa
        .annotation(prefix, "audience")
        .and_then(|e| e.value.as_str())
    {
        Some(a) => Some(a.to_string()),
        None if world.settings.token_audience.origin != crate::world::Origin::Default => {
            Some(world.settings.token_audience.value.clone())
        }
        None => None,
    }
}

/// What the request context holds for a token of `subject` presented to provider `issuer`:
/// its `sub` is known; `aud` only when the caller knows it; other claims of that issuer that
/// IAM does not expose, and keys of other issuers, are absent; everything else (global keys,
/// `azp`, `amr`) could be anything.
pub(crate) fn context(subject: &str, audience: Option<&str>, issuer: &str) -> Context {
    let mut ctx = Context::new(CtxValue::Unknown);
    ctx.set(
        &format!("{issuer}:sub"),
        CtxValue::Known(vec![subject.to_string()]),
    );
    ctx.set(
        &format!("{issuer}:aud"),
        audience.map_or(CtxValue::Unknown, |a| CtxValue::Known(vec![a.to_string()])),
    );
    // Kubernetes tokens carry no `azp`/`amr`, and IAM exposes no other claims.
    ctx.set_claim_default(CtxValue::Absent);
    ctx
}

/// Why a trust policy turns a subject away, when the inputs decide that it does.
pub(crate) struct Rejection {
    /// `role ... does not trust ...: ...`, naming the role and the subject.
    pub message: String,
    /// The trust has no web-identity statement for an OIDC provider at all.
    pub no_provider: bool,
    /// The `sub` conditions the subject does not satisfy (or the whole policy when there is
    /// none), for `related`.
    pub related: Vec<(Span, String)>,
}

/// Whether `trust` admits a web-identity token of `subject` with `audience` (`None`: could be
/// anything) from any OIDC provider it trusts (restricted to `[cluster].issuers` when set),
/// and whether it trusts any OIDC provider at all.
pub(crate) fn trust_verdict(
    world: &World<'_>,
    subject: &str,
    audience: Option<&str>,
    trust: &PolicyDoc<'_>,
) -> (Tri, bool) {
    let issuers = trusted_providers(world, trust);
    let verdict = Tri::any(issuers.iter().map(|p| {
        let ctx = context(subject, audience, &p.issuer);
        eval::trust_admits(&trust.policy, WEB_IDENTITY, &p.issuer, &ctx).result
    }));
    (verdict, !issuers.is_empty())
}

/// The OIDC providers whose web-identity tokens `trust` may admit (restricted to
/// `[cluster].issuers` when set), once each.
pub(crate) fn trusted_providers(world: &World<'_>, trust: &PolicyDoc<'_>) -> Vec<OidcProvider> {
    let mut issuers: Vec<OidcProvider> = Vec::new();
    for stmt in &trust.policy.statements {
        for (p, _) in oidc_providers(stmt) {
            if !issuers.iter().any(|q| q.issuer == p.issuer) {
                issuers.push(p);
            }
        }
    }
    let declared = &world.config.cluster.issuers;
    if !declared.is_empty() {
        issuers.retain(|p| {
            declared
                .iter()
                .any(|d| crate::model::oidc::issuer_key(d) == p.issuer)
        });
    }
    issuers
}

/// [`trust_verdict`]'s answer, with the [`Rejection`] when it is `False` (no provider's
/// token gets in for certain).
fn assess(
    world: &World<'_>,
    subject: &str,
    audience: Option<&str>,
    role_name: &str,
    trust: &PolicyDoc<'_>,
) -> (Tri, Option<Rejection>) {
    let (verdict, has_provider) = trust_verdict(world, subject, audience, trust);
    if verdict != Tri::False {
        return (verdict, None);
    }

    let mut admitted: Vec<String> = Vec::new();
    let mut related: Vec<(Span, String)> = Vec::new();
    for stmt in &trust.policy.statements {
        if oidc_providers(stmt).is_empty() {
            continue;
        }
        for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
            for key in &block.keys {
                if split_issuer_key(&key.name.value)
                    .is_some_and(|(_, c)| c.eq_ignore_ascii_case("sub"))
                {
                    for v in &key.values {
                        admitted.push(format!("`{}` ({})", v.value, block.raw));
                    }
                    related.push((
                        key.entry.key.span,
                        format!(
                            "{} condition on `sub` that `{subject}` does not satisfy",
                            block.raw
                        ),
                    ));
                }
            }
        }
    }
    let message = if !has_provider {
        format!("role `{role_name}` cannot be assumed by `{subject}`: its trust policy has no web-identity statement for an OIDC provider")
    } else if admitted.is_empty() {
        format!(
            "role `{role_name}` does not trust `{subject}`: no trust statement admits its token"
        )
    } else {
        admitted.dedup();
        format!(
            "role `{role_name}` does not trust `{subject}`: its trust policy only admits {}",
            admitted.join(", ")
        )
    };
    if related.is_empty() {
        related.push((trust.source.node.span, trust.source.label.clone()));
    }
    let r = Rejection {
        message,
        no_provider: !has_provider,
        related,
    };
    (verdict, Some(r))
}

fn report(
    sa: &ServiceAccount<'_>,
    annotation: Span,
    role: &Role<'_>,
    r: Rejection,
    out: &mut Vec<Diagnostic>,
) {
    let help = if r.no_provider {
        NO_PROVIDER_HELP.to_string()
    } else {
        format!("add `{}` to the trust policy's `sub` condition, or annotate the ServiceAccount with a role that trusts it", sa.subject())
    };
    let mut d = META
        .diagnostic(annotation, r.message)
        .label("role assumed by this ServiceAccount")
        .related(role.anchor, format!("role {}", role.display()))
        .help(help);
    for (span, msg) in r.related {
        d = d.related(span, msg);
    }
    let edge = crate::map::edge_id(
        &format!("{}/{}", sa.namespace(), sa.name()),
        &role.display(),
        crate::map::Mechanism::Irsa,
    );
    out.push(d.path(super::annotations_path(sa)).map_edge(edge));
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
