use crate::model::iam::arn::{self, OidcProvider};
use crate::model::iam::eval::{self, Context, CtxValue};
use crate::model::iam::federated::not_a_provider;
use crate::model::iam::policy::split_issuer_key;
use crate::model::iam::tri::Tri;
use crate::model::k8s::ServiceAccount;
use crate::model::role::Role;
use crate::model::value::Text;
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
            // A role on `default` is sa-role-on-default-sa's one answer: move it to a
            // ServiceAccount of its own (and trust that one), not trust `default`.
            if sa.name() == "default" && !value.trim().is_empty() {
                continue;
            }
            // A Pod Identity association wins: the annotation's role is never assumed, and
            // sa-role-arn-with-pod-identity's one answer is to drop one of the two, not to
            // trust the ServiceAccount (the map's edge is `ignored`).
            if world.pod_identity_association_of(sa).is_some() {
                continue;
            }
            // Crossplane's namespace may not be in the files: its subject's `sub` is then
            // unknown (`context`), and only what refuses it in any namespace (the audience,
            // the issuer) is reported.
            let audience = sa_audience(world, sa);
            // A Terraform reference is its module's: the file that declares the account
            // (a helm_release's values may be in a file of another directory).
            let from = Some(sa.obj.file);
            for c in trust_checks(
                world,
                value.trim(),
                from,
                &sa.subject(),
                audience.as_deref(),
            ) {
                if let Some(r) = c.rejection {
                    let label = world.role_label(c.role);
                    let at = out.len();
                    report(sa, entry.value.span, &world.roles[c.role], &label, r, out);
                    // One finding across a kustomize base's instances (`lib.rs`).
                    for d in &mut out[at..] {
                        d.placed = world.placement_of(&sa.obj);
                    }
                }
            }
        }
    }
}

/// What `sa-role-not-trusted` could not decide because of values only Terraform knows
/// (for `lint --explain`): each ServiceAccount whose role's trust stayed `Unknown`, with the
/// unresolved values it depends on, and each whose role reference (a role-arn annotation,
/// an EKS Pod Identity association's `role_arn`) names no role in the inputs, with the
/// condition that decides it when it is a conditional.
pub fn undecided(world: &World<'_>) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    if world.inputs.terraform.is_empty() {
        return out;
    }
    for (sa, entry) in super::annotated(world, "role-arn") {
        let Some(value) = entry.value.as_str() else {
            continue;
        };
        let value = value.trim();
        // Never assumed: nothing about its role is left to decide.
        if world.pod_identity_association_of(sa).is_some() {
            continue;
        }
        let audience = sa_audience(world, sa);
        let from = Some(sa.obj.file);
        let checks = trust_checks(world, value, from, &sa.subject(), audience.as_deref());
        if checks.is_empty() && crate::terraform::hcl::is_unknown(&entry.value) {
            out.push((
                entry.value.span,
                format!(
                    "ServiceAccount {}/{}: {}",
                    sa.namespace(),
                    sa.name(),
                    unknown_role(value)
                ),
            ));
        }
        for c in checks.iter().filter(|c| c.verdict == Tri::Unknown) {
            let mut unknown: Vec<String> = Vec::new();
            // Shown as expressions (`module.eks.oidc_provider_arn`, the template
            // `"${module.eks.oidc_provider}:sub"`), not as `${...}` strings.
            let mut note = |t: &crate::model::value::Text| {
                let shown = crate::rules::trust::expression_shown(&t.value);
                if t.unresolved && !unknown.contains(&shown) && unknown.len() < 4 {
                    unknown.push(shown);
                }
            };
            for stmt in &c.trust.policy.statements {
                if let Some(p) = &stmt.principal {
                    p.federated().for_each(&mut note);
                }
                for (_, key) in stmt.condition.iter().flat_map(|c| c.keys()) {
                    note(&key.name);
                    key.values.iter().for_each(&mut note);
                }
            }
            if unknown.is_empty() {
                continue;
            }
            let list: Vec<String> = unknown.iter().map(|u| format!("`{u}`")).collect();
            out.push((
                entry.value.span,
                format!(
                    "ServiceAccount {}/{} -> {}: whether its trust admits `{}` depends on {}",
                    sa.namespace(),
                    sa.name(),
                    world.roles[c.role].display(),
                    sa.subject(),
                    list.join(", ")
                ),
            ));
        }
    }
    for a in &world.pod_identity_associations {
        let Some(role) = a.role_arn.as_ref().filter(|r| r.unresolved) else {
            continue;
        };
        // Only Terraform's configuration writes values known only at apply time so.
        let path = &world.inputs.sources.get(role.span.file).path;
        if !(path.ends_with(".tf") || crate::terraform::json_config::is_json_config(path)) {
            continue;
        }
        if roles_for_arn(world, &role.value, Some(a.file)).is_empty() {
            out.push((
                role.span,
                format!(
                    "{} {}/{}: {}",
                    a.label,
                    a.namespace.value,
                    a.service_account.value,
                    unknown_role(&role.value)
                ),
            ));
        }
    }
    out
}

/// Why a role reference known only at apply time decides nothing: the condition that
/// chooses between two roles, or the value as shown.
fn unknown_role(value: &str) -> String {
    match crate::terraform::hcl::conditional_of(value) {
        Some((cond, a, b)) => format!(
            "its role is `{a}` or `{b}` as `{cond}` decides, which is known only at apply time"
        ),
        None => format!(
            "its role `{value}` is known only at apply time and names no role in the inputs"
        ),
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
/// of `subject` with `audience` (`None`: could be anything). `from`: the file the ARN is
/// written in (a Terraform reference names a role of that file's directory).
pub(crate) fn trust_checks<'w, 'a>(
    world: &'w World<'a>,
    role_arn: &str,
    from: Option<crate::source::file::FileId>,
    subject: &str,
    audience: Option<&str>,
) -> Vec<TrustCheck<'w, 'a>> {
    let mut out = Vec::new();
    for role_idx in roles_for_arn(world, role_arn, from) {
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
/// where known), or that a Terraform reference written in `from` names.
pub(crate) fn roles_for_arn(
    world: &World<'_>,
    role_arn: &str,
    from: Option<crate::source::file::FileId>,
) -> Vec<usize> {
    // A role created together with the ServiceAccount (eksctl), whose ARN is not known.
    if let Some(i) = world.role_by_reference(role_arn) {
        return vec![i];
    }
    let Some(parsed) = arn::parse(role_arn) else {
        // A Terraform reference to a role whose ARN is unknown links by address.
        return world.roles_by_address(role_arn, from);
    };
    let Some((path, name)) = arn::role_path_and_name(parsed.resource) else {
        return Vec::new();
    };
    // `role/${Role}` in a CloudFormation `!Sub`: `!Ref` of a role is its name.
    let logical = name.strip_prefix("${").and_then(|n| n.strip_suffix('}'));
    let by_logical_id = logical.map_or(Vec::new(), |l| world.cloudformation_roles(l, from));
    if !by_logical_id.is_empty() {
        return by_logical_id
            .into_iter()
            .filter(|&i| {
                role_mismatch(
                    &world.roles[i],
                    Some(parsed.partition),
                    parsed.account,
                    &path,
                )
                .is_none()
            })
            .collect();
    }
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
/// the inputs leave open (CloudFormation's `${AWS::AccountId}`, an annotation's placeholder
/// account) never differ.
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
        // An account written as a placeholder (`{ACCOUNT_ID}`, `${AWS_ACCOUNT_ID}`) is
        // whichever account the value is filled in with: only two real accounts differ.
        if known.account != account && !arn::is_account_placeholder(account) {
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
        Some(p) if p.value != path => Some(RoleMismatch::Path(p.value.to_string())),
        _ => None,
    }
}

/// The audience a ServiceAccount's tokens carry, when an annotation or the webhook settings
/// say it; `None` when the inputs do not fix it.
pub(crate) fn sa_audience(world: &World<'_>, sa: &ServiceAccount<'_>) -> Option<String> {
    let prefix = world.annotation_prefix_of(sa);
    match sa
        .annotation(prefix, "audience")
        .and_then(|e| e.value.as_str())
    {
        Some(a) => Some(a.to_string()),
        // A ServiceAccount on EKS (eksctl's, an add-on's, a Terraform root's that declares its
        // EKS cluster) is served by the webhook EKS runs: a self-hosted webhook's
        // `--token-audience` elsewhere in the inputs (another cluster's) says nothing about
        // its tokens.
        None if sa.eks => None,
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
    // The account Crossplane creates in a namespace the files do not say: its `sub` is not
    // known, so a condition on it decides nothing.
    let sub = if crate::derived::crossplane::in_unknown_namespace(subject) {
        CtxValue::Unknown
    } else {
        CtxValue::Known(vec![subject.to_string()])
    };
    ctx.set(&format!("{issuer}:sub"), sub);
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
    /// The fix for the real cause, when it is not the `sub` value (a key with `https://`, a
    /// key for another issuer, a statement for another cluster's issuer).
    pub help: Option<String>,
}

/// A cause that is not the `sub` value itself: the subject would match a `sub` value, but
/// its key is spelt with `https://` or a trailing slash, or names another issuer than the
/// statement's provider, so IAM never finds the key. The message, the key and the help.
fn key_cause(
    trust: &PolicyDoc<'_>,
    subject: &str,
    role_name: &str,
) -> Option<(String, Span, String)> {
    use crate::model::iam::glob::glob_match;
    use crate::model::iam::operator::BaseOp;
    use crate::rules::trust::normalize_issuer;
    // Which `sub` value the subject would match is not known without its namespace.
    if crate::derived::crossplane::in_unknown_namespace(subject) {
        return None;
    }
    for stmt in &trust.policy.statements {
        let providers = oidc_providers(stmt);
        let Some((provider, _)) = providers.first() else {
            continue;
        };
        for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
            let Ok(op) = &block.operator else { continue };
            if op.qualifier.is_some()
                || !matches!(op.base, BaseOp::StringEquals | BaseOp::StringLike)
            {
                continue;
            }
            for key in &block.keys {
                let Some((issuer, claim)) = split_issuer_key(&key.name.value) else {
                    continue;
                };
                if !claim.eq_ignore_ascii_case("sub") || key.name.unresolved {
                    continue;
                }
                let matches = key.values.iter().any(|v| {
                    !v.unresolved
                        && if op.base == BaseOp::StringLike {
                            glob_match(&v.value, subject, false)
                        } else {
                            v.value == subject
                        }
                });
                if !matches
                    || providers
                        .iter()
                        .any(|(p, _)| p.issuer.eq_ignore_ascii_case(issuer))
                {
                    continue;
                }
                if normalize_issuer(issuer) == provider.issuer.to_ascii_lowercase() {
                    return Some((
                        format!("role `{role_name}` does not trust `{subject}`: the condition key `{}` is written with a scheme or trailing slash, so IAM never finds it (its `sub` value would admit the service account)", key.name.value),
                        key.entry.key.span,
                        format!("write the key as `{}:sub`: IAM condition keys use the issuer's host and path only", provider.issuer),
                    ));
                }
                return Some((
                    format!("role `{role_name}` does not trust `{subject}`: the condition key `{}` names issuer `{issuer}`, but the statement trusts the provider of `{}`, so the key is absent from its tokens", key.name.value, provider.issuer),
                    key.entry.key.span,
                    format!("write the key as `{}:sub` (the issuer of the statement's `Federated` provider), or trust the provider of `{issuer}`", provider.issuer),
                ));
            }
        }
    }
    None
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
    let mut verdict = Tri::any(issuers.iter().map(|p| {
        let ctx = context(subject, audience, &p.issuer);
        eval::trust_admits(&trust.policy, WEB_IDENTITY, &p.issuer, &ctx).result
    }));
    // Crossplane's account in a namespace the files do not say: a `sub` pattern that admits
    // even the placeholder namespace (`system:serviceaccount:*:provider-aws`) admits any.
    if verdict != Tri::True && crate::derived::crossplane::in_unknown_namespace(subject) {
        let admits_any_namespace = issuers.iter().any(|p| {
            let mut ctx = context(subject, audience, &p.issuer);
            ctx.set_str(&format!("{}:sub", p.issuer), subject);
            eval::trust_admits(&trust.policy, WEB_IDENTITY, &p.issuer, &ctx).result == Tri::True
        });
        if admits_any_namespace {
            verdict = Tri::True;
        }
    }
    // A web-identity statement whose provider the inputs do not fix (a Terraform module
    // output, a `${Param}` without default) may be for this cluster: not decided, unless its
    // `sub` condition refuses the subject whatever the provider is.
    if verdict == Tri::False
        && unknown_provider(trust)
        && !sub_refuses_on_any_provider(trust, subject)
    {
        verdict = Tri::Unknown;
    }
    (verdict, !issuers.is_empty())
}

/// Whether every `Allow` web-identity statement of `trust` whose provider the inputs do not
/// fix ([`unknown_provider`]'s) refuses `subject` whatever that provider is: it has a
/// positive string condition (`StringEquals`, `StringLike`, `StringEqualsIgnoreCase`; no
/// set qualifier, no `IfExists`) on a `sub` key whose values are all known and none of which
/// admits the subject. Such a condition is false for a token of any issuer (of the key's
/// issuer, the value does not match; of another, the key is absent), and conditions are
/// ANDed: the statement never applies to the subject. terraform-aws-modules'
/// `iam-role-for-service-accounts-eks` with `provider_arn = module.eks.oidc_provider_arn`, the
/// commonest Terraform IRSA shape, is such a trust.
fn sub_refuses_on_any_provider(trust: &PolicyDoc<'_>, subject: &str) -> bool {
    use crate::model::iam::glob::glob_match;
    use crate::model::iam::operator::BaseOp;
    // A `sub` not known (Crossplane's namespace) refuses nothing.
    if crate::derived::crossplane::in_unknown_namespace(subject) {
        return false;
    }
    let mut open = trust
        .policy
        .statements
        .iter()
        .filter(|stmt| open_provider(stmt));
    open.all(|stmt| {
        stmt.condition.as_ref().is_some_and(|c| {
            c.keys().any(|(block, key)| {
                let Ok(op) = &block.operator else {
                    return false;
                };
                let (like, ignore_case) = match op.base {
                    BaseOp::StringEquals => (false, false),
                    BaseOp::StringEqualsIgnoreCase => (false, true),
                    BaseOp::StringLike => (true, false),
                    _ => return false,
                };
                let is_sub = split_issuer_key(&key.name.value)
                    .is_some_and(|(_, claim)| claim.eq_ignore_ascii_case("sub"));
                op.qualifier.is_none()
                    && !op.if_exists
                    && is_sub
                    && !key.values.is_empty()
                    && key.values.iter().all(|v| !v.unresolved)
                    && !key.values.iter().any(|v| {
                        if like {
                            glob_match(&v.value, subject, false)
                        } else if ignore_case {
                            v.value.eq_ignore_ascii_case(subject)
                        } else {
                            v.value == subject
                        }
                    })
            })
        })
    })
}

/// Whether an `Allow` web-identity statement trusts a provider whose ARN is unresolved and
/// not even shaped like an OIDC provider ARN.
pub(crate) fn unknown_provider(trust: &PolicyDoc<'_>) -> bool {
    trust.policy.statements.iter().any(open_provider)
}

/// Whether `stmt` is an `Allow` web-identity statement that trusts a provider whose ARN is
/// unresolved and not even shaped like an OIDC provider ARN, or is `null`: a Terraform
/// input whose default is `null` (the "the caller sets it" marker of a module's inputs),
/// which Terraform cannot apply as a principal, so the value is a caller's the inputs may
/// not hold.
fn open_provider(stmt: &crate::model::iam::policy::Statement<'_>) -> bool {
    use crate::model::iam::policy::PrincipalType;
    matches!(
        stmt.effect,
        Some((_, crate::model::iam::policy::Effect::Allow))
    ) && stmt.is_web_identity()
        && stmt.principal.as_ref().is_some_and(|p| {
            // A value whose known part already is no provider (an issuer URL, the
            // EKS module's issuer output) is rejected by IAM, not undecided.
            p.federated().any(|t| {
                t.unresolved
                    && OidcProvider::parse(&t.value).is_none()
                    && not_a_provider(t).is_none()
            }) || p.by_type.iter().any(|(ty, e, _)| {
                *ty == PrincipalType::Federated
                    && matches!(e.value.value, crate::source::node::Value::Null)
            })
        })
}

/// The first `Federated` principal of an `Allow` web-identity statement that IAM rejects as
/// no provider, with why ([`not_a_provider`]).
fn rejected_federated<'t>(trust: &'t PolicyDoc<'_>) -> Option<(&'t Text, &'static str)> {
    trust
        .policy
        .statements
        .iter()
        .filter(|s| s.is_allow() && s.is_web_identity())
        .filter_map(|s| s.principal.as_ref())
        .flat_map(|p| p.federated())
        .find_map(|t| not_a_provider(t).map(|what| (t, what)))
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
    let (declared, _) = world.cluster_issuers();
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
    // A provider only apply knows is a provider: what refused the subject is its `sub`.
    let has_provider = has_provider || unknown_provider(trust);
    // The real cause first: a key IAM never finds, or statements only for other issuers
    // than the cluster's (`[cluster] issuers`).
    if let Some((message, span, help)) = key_cause(trust, subject, role_name) {
        return (
            verdict,
            Some(Rejection {
                message,
                no_provider: false,
                related: vec![(span, "the key of the `sub` condition".to_string())],
                help: Some(help),
            }),
        );
    }
    let (declared, source) = world.cluster_issuers();
    if !has_provider && !declared.is_empty() {
        let others: Vec<(String, Span)> = trust
            .policy
            .statements
            .iter()
            .flat_map(|s| oidc_providers(s))
            .map(|(p, t)| (p.issuer, t.span))
            .collect();
        if let Some((_, span)) = others.first() {
            let names: Vec<String> = others.iter().map(|(i, _)| format!("`{i}`")).collect();
            return (verdict, Some(Rejection {
                message: format!(
                    "role `{role_name}` does not trust `{subject}` on this cluster: its web-identity statements are for the OIDC provider of {}, not for the cluster's issuer{} {} ({source})",
                    names.join(", "),
                    if declared.len() == 1 { "" } else { "s" },
                    declared.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
                ),
                no_provider: false,
                related: vec![(*span, "the OIDC provider this statement trusts".to_string())],
                help: Some(if world.cluster.issuers.is_empty() {
                    "add a statement for this cluster's OIDC provider; if these manifests run in another cluster, say so with `[cluster] issuers` in irsalint.toml".to_string()
                } else {
                    "add a statement for this cluster's OIDC provider, or check `[cluster] issuers` in irsalint.toml".to_string()
                }),
            }));
        }
    }

    // The audience, when the same token with an open audience could get in: its `sub`
    // and issuer are fine, the `aud` its tokens carry is what the trust refuses.
    if let Some(aud) = audience.filter(|_| has_provider) {
        if trust_verdict(world, subject, None, trust).0 != Tri::False {
            let mut required: Vec<String> = Vec::new();
            let mut related: Vec<(Span, String)> = Vec::new();
            for stmt in trust
                .policy
                .statements
                .iter()
                .filter(|s| !oidc_providers(s).is_empty())
            {
                for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
                    for key in &block.keys {
                        if split_issuer_key(&key.name.value)
                            .is_some_and(|(_, c)| c.eq_ignore_ascii_case("aud"))
                        {
                            required.extend(
                                key.values
                                    .iter()
                                    .map(|v| format!("`{}` ({})", v.value, block.raw)),
                            );
                            related.push((
                                key.entry.key.span,
                                format!(
                                    "{} condition on `aud` that `{aud}` does not satisfy",
                                    block.raw
                                ),
                            ));
                        }
                    }
                }
            }
            if !related.is_empty() {
                required.dedup();
                return (
                    verdict,
                    Some(Rejection {
                        message: format!(
                            "role `{role_name}` does not trust `{subject}` with the audience `{aud}` its tokens carry: its trust policy requires `aud` {}",
                            required.join(", ")
                        ),
                        no_provider: false,
                        related,
                        help: Some(format!(
                            "accept `{aud}` in the trust's `aud` condition, or give the ServiceAccount's tokens an audience the trust accepts (its `audience` annotation, the webhook's `--token-audience`)"
                        )),
                    }),
                );
            }
        }
    }

    let mut admitted: Vec<String> = Vec::new();
    let mut related: Vec<(Span, String)> = Vec::new();
    let call = trust.source.instance.as_ref().map(|i| i.call);
    for stmt in &trust.policy.statements {
        // A statement whose provider only apply knows counts too: its `sub` condition is
        // what refused the subject (`sub_refuses_on_any_provider`).
        if oidc_providers(stmt).is_empty() && !open_provider(stmt) {
            continue;
        }
        for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
            for key in &block.keys {
                if split_issuer_key(&key.name.value)
                    .is_some_and(|(_, c)| c.eq_ignore_ascii_case("sub"))
                {
                    for v in &key.values {
                        admitted.push(format!("`{}` ({})", v.value, block.raw));
                        // A value a local module composed from what its caller passed in:
                        // the caller's part where it first differs from the subject.
                        let differs = v
                            .value
                            .bytes()
                            .zip(subject.bytes())
                            .position(|(a, b)| a != b)
                            .unwrap_or(v.value.len().min(subject.len()));
                        let at = differs.min(v.value.len().saturating_sub(1));
                        let span = world.inputs.terraform_origins.span_at(
                            call,
                            v.span,
                            &v.value,
                            at..at + 1,
                        );
                        if span != v.span {
                            related.push((
                                span,
                                format!("the module's caller writes this part of `{}`", v.value),
                            ));
                        }
                    }
                    // A modelled module writes the key from its provider input: what the
                    // user would change is the input each value came from.
                    if world.module_trust(trust.source.node).is_some() {
                        for v in &key.values {
                            related.push((
                                v.span,
                                format!(
                                    "the module's {} `sub` value `{}`, which `{subject}` does not satisfy",
                                    block.raw, v.value
                                ),
                            ));
                        }
                    } else {
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
    }
    // No provider, because the one written is none: that value is the cause to name (as
    // `trust-federated-not-arn` does at the trust), not the statement's absence.
    if !has_provider {
        if let Some((t, what)) = rejected_federated(trust) {
            let shown = crate::rules::trust::written(world, t);
            return (
                verdict,
                Some(Rejection {
                    message: format!("role `{role_name}` cannot be assumed by `{subject}`: its trust's `Federated` principal {}is {what}, so IAM rejects the trust", crate::rules::trust::shown_value(&shown)),
                    no_provider: true,
                    related: vec![(t.span, "the `Federated` principal IAM rejects".to_string())],
                    help: Some("name the cluster's IAM OIDC provider by its ARN in `Federated` (`arn:aws:iam::<account>:oidc-provider/<issuer>`, the issuer without `https://`)".to_string()),
                }),
            );
        }
    }
    // Crossplane's account in a namespace the files do not say: neither its issuer nor its
    // audience refused it, and what did may be the namespace (the messages below name the
    // `sub` as the cause).
    if has_provider && crate::derived::crossplane::in_unknown_namespace(subject) {
        return (Tri::Unknown, None);
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
    // A modelled module writes the `sub` from one of its inputs (marked): that input is what
    // to change, not a trust policy the user never wrote.
    let module = world.module_trust(trust.source.node);
    let help = match module {
        Some(_) if has_provider && !admitted.is_empty() => Some(format!("let the module input the trust's `sub` is written from (marked) admit `{subject}`, or annotate the ServiceAccount with a role that trusts it")),
        // The module writes a web-identity statement per provider it is given, and was given
        // none (ManagedKube/kubernetes-ops@9de00817: `provider_url` from a variable whose
        // default is `""`).
        Some((call, model)) if !has_provider => crate::terraform::modules::provider_input(model).map(|input| format!("`{call}` writes a web-identity statement for each OIDC provider its {input} input gives, and was given none: set it to the cluster's provider")),
        _ => None,
    };
    let r = Rejection {
        message,
        no_provider: !has_provider,
        related,
        help,
    };
    (verdict, Some(r))
}

fn report(
    sa: &ServiceAccount<'_>,
    annotation: Span,
    role: &Role<'_>,
    label: &str,
    r: Rejection,
    out: &mut Vec<Diagnostic>,
) {
    let help = if let Some(h) = r.help.clone() {
        h
    } else if r.no_provider {
        NO_PROVIDER_HELP.to_string()
    } else {
        format!("add `{}` to the trust policy's `sub` condition, or annotate the ServiceAccount with a role that trusts it", sa.subject())
    };
    let mut d = META
        .diagnostic(annotation, r.message)
        .label("role assumed by this ServiceAccount")
        .related(role.anchor, label)
        .help(help);
    for (span, msg) in r.related {
        d = d.related(span, msg);
    }
    let edge = crate::model::link::edge_id(
        &format!("{}/{}", sa.namespace(), sa.name()),
        &role.display(),
        crate::model::link::Mechanism::Irsa,
    );
    out.push(d.path(super::annotations_path(sa)).map_edge(edge));
}

#[cfg(test)]
mod tests {
    /// ServiceAccounts from `kubernetes_service_account_v1`, `helm_release` sets and EKS
    /// add-ons link to `aws_iam_role.x.arn` by address although the ARN is unknown.
    #[test]
    fn terraform_links_by_reference() {
        crate::testing::assert_world_expectations(&super::META, "terraform");
    }

    /// A `data "aws_iam_role"` looked up by name in one root links to the one role of that
    /// name another root defines; two roles of that name, a name only apply knows or one no
    /// role has link to nothing (silent).
    #[test]
    fn terraform_role_lookup_by_name() {
        crate::testing::assert_world_expectations(&super::META, "terraform-role-lookup");
    }

    /// Charts' ServiceAccounts from YAML values: a heredoc, a `file()` of a values file and
    /// a `templatefile()`, each finding at the role ARN where it is written.
    #[test]
    fn terraform_helm_values() {
        crate::testing::assert_world_expectations(&super::META, "terraform-helm");
    }

    /// Roles, trust documents and ServiceAccounts with `for_each` over a known map (and
    /// `count`): each instance is judged with its own `each.key`/`each.value`, and a
    /// reference by key (`aws_iam_role.irsa["external-dns"].arn`) links to that instance.
    /// Values rendered by `templatefile()` through `%{ if }`/`%{ for }` directives: the
    /// finding is at the annotation in the values file, not at the file's start.
    #[test]
    fn terraform_helm_values_template_with_directives() {
        crate::testing::assert_world_expectations(&super::META, "terraform-helm-template");
    }

    /// A Terraform root that reads its EKS cluster is served by EKS's webhook: a self-hosted
    /// webhook's `--annotation-prefix` and `--token-audience` beside it (another cluster's)
    /// do not hide its role annotation nor change its tokens' audience.
    #[test]
    fn terraform_eks_root_beside_a_self_hosted_webhook() {
        crate::testing::assert_world_expectations(&super::META, "terraform-eks-beside-kops");
    }

    /// A Terragrunt unit's role taken from a dependency's output is the role the unit at the
    /// dependency's `config_path` makes (bee7ch7/eks-setups@58c28e96's shape), also for a
    /// unit at the top of the inputs: that role's trust is judged.
    #[test]
    fn terragrunt_dependency_output_names_its_unit_s_role() {
        crate::testing::assert_world_expectations(&super::META, "terragrunt-dependency");
    }

    /// A modelled module given no OIDC provider writes no web-identity statement: the help
    /// names the module's provider input, not a trust policy the user never wrote
    /// (ManagedKube/kubernetes-ops@9de00817: `provider_url` from a variable defaulting to "").
    #[test]
    fn a_module_given_no_provider_is_told_to_get_one() {
        let world = "terraform-module-no-provider";
        crate::testing::assert_world_expectations(&super::META, world);
        let report = crate::testing::lint_fixture_world(&super::META, world);
        assert_eq!(
            report.diagnostics[0].help.as_deref(),
            Some("`module.iam_assumable_role_admin` writes a web-identity statement for each OIDC provider its `provider_url` / `provider_urls` input gives, and was given none: set it to the cluster's provider")
        );
    }

    /// The only cluster the inputs know (a state's `aws_eks_cluster`, issuer known) is where
    /// the manifests run: a role trusting another cluster's provider does not let them in.
    /// A ServiceAccount without a namespace of its own is judged in the namespace its
    /// kustomization (or the overlay that builds its base) gives it.
    #[test]
    fn kustomize_namespaces() {
        crate::testing::assert_world_expectations(&super::META, "kustomize");
    }

    /// Overlays that give a shared base their role with a patch: a strategic-merge patch
    /// file is the ServiceAccount of its overlay's namespace, an unread (JSON 6902) patch
    /// leaves the instance's role unknown, an unpatched instance keeps the base's.
    #[test]
    fn kustomize_patches() {
        crate::testing::assert_world_expectations(&super::META, "kustomize-patches");
    }

    /// In `kustomize-patches`, only the unpatched `secrets-qa` instance of the base is
    /// reported: the dev and prod instances are their patch files, the staging one's role is
    /// unknown, and the patch files themselves are judged in their overlay's namespace.
    #[test]
    fn only_the_unpatched_overlay_is_judged_with_the_bases_role() {
        let report = crate::testing::lint_fixture_world(&super::META, "kustomize-patches");
        let messages: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(
            messages[0]
                .contains("does not trust `system:serviceaccount:secrets-qa:secrets-provider`"),
            "{}",
            messages[0]
        );
    }

    /// A base two overlays build into two namespaces is judged once per namespace: only the
    /// instance the role does not trust (`orders-prod`) is reported, and named.
    #[test]
    fn a_shared_base_is_judged_in_each_overlays_namespace() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/kustomize");
        let (_, report) = crate::testing::lint_only(&dir, &super::META);
        let root = dir.to_string_lossy().into_owned() + "/";
        let orders: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("role/orders"))
            .map(|d| d.message.replace(&root, ""))
            .collect();
        assert_eq!(orders.len(), 1, "{orders:#?}");
        assert!(
            orders[0].contains("does not trust `system:serviceaccount:orders-prod:orders`"),
            "{}",
            orders[0]
        );
        // A base one overlay builds exists once: nothing to name beyond its subject.
        assert!(report.diagnostics.iter().any(|d| d
            .message
            .ends_with("only admits `system:serviceaccount:ledger:ledger` (StringEquals)")));
        // The instance the role trusts stays out of the message: prod only, and who builds it.
        assert!(
            orders[0]
                .ends_with(" (in namespace `orders-prod`, built by apps/orders/overlays/prod)"),
            "{}",
            orders[0]
        );
    }

    /// A base built into `billing-dev` and `billing-prod` whose role trusts neither: one
    /// finding at the annotation, not one per namespace, naming both namespaces and the
    /// overlays that build them; so for a pod rule on the base's Deployment
    /// (`pod-sa-missing`), and `sa-irsa-unused` on the account no pod runs as.
    #[test]
    fn a_problem_of_a_shared_base_is_reported_once() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/kustomize");
        let metas = [
            &super::META,
            &crate::rules::pod::pod_sa_missing::META,
            &crate::rules::sa::sa_irsa_unused::META,
        ];
        let (inputs, report) =
            crate::testing::lint_selected(&dir, &metas, &crate::config::Config::default());
        let billing: Vec<(String, String)> = report
            .diagnostics
            .iter()
            .filter(|d| {
                inputs
                    .sources
                    .get(d.primary.file)
                    .path
                    .contains("apps/billing/")
            })
            .map(|d| {
                let f = inputs.sources.get(d.primary.file);
                let (l, c) = f.line_col(d.primary.start as usize);
                let path = f
                    .path
                    .rsplit_once("kustomize/")
                    .map_or(f.path.as_str(), |(_, p)| p);
                // The overlays are named by their display paths, under the same root.
                let message = d.message.replace(&f.path[..f.path.len() - path.len()], "");
                (format!("{}:{path}:{l}:{c}", d.rule.name), message)
            })
            .collect();
        let at: Vec<&str> = billing.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            at,
            [
                "pod-sa-missing:apps/billing/base/deployment.yaml:14:27",
                "sa-irsa-unused:apps/billing/base/serviceaccount.yaml:6:33",
                "sa-role-not-trusted:apps/billing/base/serviceaccount.yaml:6:33",
            ],
            "{billing:#?}"
        );
        for (_, message) in &billing {
            assert!(
                message.ends_with(" (in namespaces `billing-dev` and `billing-prod`, built by apps/billing/overlays/dev and apps/billing/overlays/prod)"),
                "{message}"
            );
        }
        assert!(billing[2]
            .1
            .starts_with("role `arn:aws:iam::111122223333:role/billing-api` does not trust `system:serviceaccount:billing-dev:api`"));
    }

    #[test]
    fn the_only_cluster_known_gives_the_manifests_issuer() {
        crate::testing::assert_world_expectations(&super::META, "one-cluster");
    }

    /// Beside a self-hosted webhook (another cluster, not EKS) or a second cluster, the
    /// manifests may run anywhere: any provider the role trusts may be theirs.
    #[test]
    fn another_cluster_in_the_inputs_leaves_the_issuer_open() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/one-cluster");
        for extra in [
            ("webhook.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pod-identity-webhook\n  namespace: kube-system\nspec:\n  template:\n    spec:\n      containers:\n        - name: webhook\n          image: amazon/amazon-eks-pod-identity-webhook:v0.6.17\n"),
            ("cluster.yaml", "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: staging\n  region: eu-west-1\n"),
            ("credreq.yaml", "apiVersion: cloudcredential.openshift.io/v1\nkind: CredentialsRequest\nmetadata:\n  name: ebs\n  namespace: openshift-cloud-credential-operator\nspec:\n  providerSpec:\n    apiVersion: cloudcredential.openshift.io/v1\n    kind: AWSProviderSpec\n    statementEntries:\n      - effect: Allow\n        action: [\"ec2:DescribeVolumes\"]\n        resource: \"*\"\n  secretRef:\n    name: ebs-cloud-credentials\n    namespace: openshift-cluster-csi-drivers\n  serviceAccountNames: [aws-ebs-csi-driver-operator]\n"),
            ("second.tf", "data \"aws_eks_cluster\" \"other\" {\n  name = \"staging\"\n}\n"),
            ("webhook-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pod-identity-webhook\n  namespace: kube-system\ndata:\n  config: '{}'\n"),
            ("mwc.yaml", "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: pod-identity-webhook\nwebhooks:\n  - name: iam-for-pods.amazonaws.com\n    clientConfig:\n      service:\n        name: pod-identity-webhook\n        namespace: kube-system\n        path: /mutate\n"),
        ] {
            let tmp = tempfile::tempdir().unwrap();
            copy_dir(&dir, tmp.path());
            std::fs::write(tmp.path().join(extra.0), extra.1).unwrap();
            let (_, report) = crate::testing::lint_only(tmp.path(), &super::META);
            assert!(report.diagnostics.is_empty(), "{}: {:?}", extra.0, report.diagnostics);
        }
    }

    /// `[cluster]` settings EKS's webhook does not take (another prefix, another audience)
    /// show another cluster; EKS's own defaults stated there do not.
    #[test]
    fn cluster_settings_other_than_eks_defaults_leave_the_issuer_open() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/one-cluster");
        let lint = |prefix: Option<&str>, audiences: &[&str]| {
            let mut config = crate::config::Config::default();
            config.cluster.annotation_prefix = prefix.map(str::to_string);
            config.cluster.audiences = audiences.iter().map(|s| s.to_string()).collect();
            // The findings that judge the ServiceAccount against the one cluster's issuer
            // (another audience gives findings of its own).
            crate::testing::lint_dir(&dir, &super::META, &config)
                .1
                .diagnostics
                .iter()
                .filter(|d| d.message.contains("the only cluster in the inputs"))
                .count()
        };
        assert_eq!(lint(None, &[]), 1);
        assert_eq!(lint(Some("eks.amazonaws.com"), &["sts.amazonaws.com"]), 1);
        assert_eq!(lint(Some("acme.example.com"), &[]), 0);
        assert_eq!(lint(None, &["kops.example.com"]), 0);
    }

    fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                copy_dir(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }

    /// A role-arn annotation beside a Pod Identity association for the same ServiceAccount
    /// (eks-and-friends: an add-on's `service_account_role_arn` and an
    /// `aws_eks_pod_identity_association`, both the Pod-Identity-only role; a manifest's
    /// annotation without the role's path and an ACK association): the association wins, the
    /// annotation's role is never assumed, and sa-role-arn-with-pod-identity alone reports it
    /// (no "add a web-identity trust", no "fix the path").
    #[test]
    fn an_annotation_a_pod_identity_association_overrides_is_not_judged() {
        use crate::rules::sa::{sa_role_arn_mismatch, sa_role_arn_with_pod_identity};
        let others = [
            &sa_role_arn_with_pod_identity::META,
            &sa_role_arn_mismatch::META,
        ];
        crate::testing::assert_world_expectations_with(&super::META, &others, "pod-identity-wins");
        // Nothing left undecided about a role that is never assumed.
        let inputs = crate::testing::fixture_world_inputs(&super::META, "pod-identity-wins");
        let config = crate::config::Config::default();
        let world = crate::world::World::build(&inputs, &config);
        assert_eq!(super::undecided(&world), Vec::new());
        // An association for another namespace, or another root's cluster, does not apply:
        // the annotation is the pods' role, and its trust is judged.
        crate::testing::assert_world_expectations_with(
            &super::META,
            &others,
            "pod-identity-elsewhere",
        );
    }

    #[test]
    fn terraform_for_each_instances() {
        crate::testing::assert_world_expectations(&super::META, "terraform-for-each");
    }

    /// Charts that annotate their ServiceAccount without naming it: the name their templates
    /// give it (from the release name, or a fixed default) is the one judged.
    #[test]
    fn terraform_helm_chart_default_names() {
        crate::testing::assert_world_expectations(&super::META, "terraform-helm-defaults");
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A subject a local module builds from its caller's namespace and name: besides the
    /// condition in the module, the finding points at the caller's input where the trust's
    /// value first differs from the ServiceAccount's subject (the namespace `biling`; the
    /// `for_each` value `exporter` one call instance takes as its name). A module-built
    /// subject that differs in no part the caller wrote gets no such location.
    #[test]
    fn a_module_built_subject_points_at_the_callers_part() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform-modules");
        let (inputs, report) = crate::testing::lint_only(&dir, &super::META);
        let mut found: Vec<String> = Vec::new();
        for d in &report.diagnostics {
            for r in d
                .related
                .iter()
                .filter(|r| r.message.starts_with("the module's caller"))
            {
                let f = inputs.sources.get(r.span.file);
                let text = &f.text()[r.span.start as usize..r.span.end as usize];
                let (l, c) = f.line_col(r.span.start as usize);
                found.push(format!("{}:{l}:{c} {text}", f.path));
            }
        }
        found.sort();
        assert_eq!(
            found,
            [
                "envs/prod/main.tf:44:23 \"biling\"",
                "envs/prod/main.tf:62:44 \"exporter\"",
            ]
        );
    }

    /// A trust policy saved as `iam/trust-policy.json` (its file names no role) is linked by
    /// inference to the only undefined role the inputs reference, and checked: the guide's
    /// example `sub` left in is caught.
    #[test]
    fn an_inferred_link_is_checked() {
        crate::testing::assert_world_expectations(&super::META, "inferred-link");
    }

    /// A trust policy file a CloudFormation template includes (`!Rain::Include`) is its
    /// role's, for both roles that include it, and the role's evidence says how it was linked.
    #[test]
    fn an_included_trust_policy_is_checked() {
        crate::testing::assert_world_expectations(&super::META, "cfn-include");
        let report = crate::testing::lint_fixture_world(&super::META, "cfn-include");
        assert_eq!(report.diagnostics.len(), 2);
        for d in &report.diagnostics {
            assert!(
                d.related.iter().any(|r| r
                    .message
                    .contains("its trust policy is `trust-policy.json`, which its template includes at template.yaml:")),
                "{:?}",
                d.related
            );
        }
    }

    /// `[roles]` of irsalint.toml links a trust policy the inputs alone leave ambiguous.
    #[test]
    fn a_roles_table_links_the_trust_policy() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/roles-config");
        let config =
            crate::config::load_in(&dir.join("irsalint.toml"), "irsalint.toml", &dir).unwrap();
        let (inputs, report) = crate::testing::lint_dir(&dir, &super::META, &config);
        let expected = crate::testing::expectations(&dir);
        let found: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| {
                let f = inputs.sources.get(d.primary.file);
                let (l, c) = f.line_col(d.primary.start as usize);
                format!("{}:{l}:{c}", f.path)
            })
            .collect();
        assert_eq!(found, ["k8s/api.yaml:9:33"], "{expected:?}");
        // Without the table, nothing links the file and nothing is checked.
        let (_, report) =
            crate::testing::lint_dir(&dir, &super::META, &crate::config::Config::default());
        assert!(report.diagnostics.is_empty());
    }

    /// An eksctl cluster beside a kops cluster's self-hosted webhook (`--token-audience=
    /// amazonaws.com`): that flag is the kops cluster's, the eksctl ServiceAccount's tokens
    /// come from EKS's own webhook, so its role is not reported.
    /// The `sub` and the issuer fit, the audience does not: the finding names the audience,
    /// not the `sub` the trust already admits.
    #[test]
    fn an_audience_only_rejection_names_the_audience() {
        crate::testing::assert_world_expectations(&super::META, "audience-only");
        let report = crate::testing::lint_fixture_world(&super::META, "audience-only");
        let d = &report.diagnostics[0];
        assert!(
            d.message.contains("with the audience `vault`")
                && d.message.contains("requires `aud` `sts.amazonaws.com`")
                && !d.message.contains("only admits"),
            "{}",
            d.message
        );
        assert!(d
            .help
            .as_deref()
            .is_some_and(|h| h.contains("accept `vault`")));
    }

    /// An overlay that gives a base's ServiceAccount its role in an inline patch (JSON 6902
    /// `add`/`replace` of the annotation or of the whole map, written in the kustomization
    /// or under `patchesJson6902`; a JSON 6902 patch file; an inline strategic-merge patch)
    /// is judged with that role, at the patch's value; a base
    /// whose own `audience` the patch leaves to a merge stays undecided (silent), and the
    /// dev overlay whose role trusts it is silent.
    #[test]
    fn roles_set_by_inline_kustomize_patches() {
        crate::testing::assert_world_expectations(&super::META, "kustomize-inline-patches");
        let report = crate::testing::lint_fixture_world(&super::META, "kustomize-inline-patches");
        let subjects: Vec<&str> = report
            .diagnostics
            .iter()
            .filter_map(|d| {
                d.message
                    .split("does not trust `")
                    .nth(1)?
                    .split('`')
                    .next()
            })
            .collect();
        assert_eq!(
            subjects,
            [
                "system:serviceaccount:kube-system:cluster-autoscaler",
                "system:serviceaccount:capa-system:capa-controller-manager",
                "system:serviceaccount:jobs-prod:jobs",
                "system:serviceaccount:ledger-prod:ledger",
                "system:serviceaccount:web-prod:web",
            ]
        );
    }

    /// A trust whose `Federated` principal is an issuer (a host, a URL, the EKS module's
    /// issuer output) is one IAM rejects: the ServiceAccounts using it cannot assume the
    /// role, and the finding names that value (where the trust's own finding points), not
    /// "no web-identity statement"; a provider ARN only apply knows stays undecided.
    #[test]
    fn a_federated_issuer_is_named_as_the_cause() {
        use crate::rules::trust::trust_federated_not_arn;
        crate::testing::assert_world_expectations_with(
            &super::META,
            &[&trust_federated_not_arn::META],
            "federated-not-provider",
        );
        let report = crate::testing::lint_fixture_world(&super::META, "federated-not-provider");
        let mut named: Vec<String> = Vec::new();
        for d in &report.diagnostics {
            let Some(at) = d
                .message
                .split("its trust's `Federated` principal `")
                .nth(1)
                .and_then(|r| r.split('`').next())
            else {
                panic!("{}", d.message);
            };
            named.push(at.to_string());
            assert!(
                d.message.ends_with("so IAM rejects the trust"),
                "{}",
                d.message
            );
            assert!(d
                .help
                .as_deref()
                .is_some_and(|h| h.contains(":oidc-provider/<issuer>")));
            assert!(
                d.related
                    .iter()
                    .any(|r| r.message == "the `Federated` principal IAM rejects"),
                "{:?}",
                d.related
            );
        }
        named.sort();
        assert_eq!(
            named,
            [
                "module.eks.cluster_oidc_issuer_url",
                "module.eks.oidc_provider",
                "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            ]
        );
    }

    /// eksctl add-ons whose `serviceAccountRoleARN` names a role of the same ClusterConfig
    /// with a placeholder account: the community add-on external-dns runs as
    /// external-dns/external-dns, which the role made for kube-system does not admit.
    #[test]
    fn eksctl_addon_roles_are_checked_for_the_addons_own_service_account() {
        crate::testing::assert_world_expectations(&super::META, "eksctl-addons");
    }

    /// The ServiceAccount Crossplane creates from a DeploymentRuntimeConfig is in
    /// Crossplane's namespace, which the files do not say: the role's trust for
    /// crossplane-system is not judged against it.
    #[test]
    fn crossplanes_service_account_is_not_judged_without_its_namespace() {
        crate::testing::assert_world_expectations(&super::META, "crossplane");
    }

    /// Where the inputs show Crossplane's install, its ServiceAccount is in that namespace
    /// and judged: a Terraform `helm_release` in crossplane-system (trusted), a Flux
    /// HelmRelease into upbound-system (not trusted: the role admits crossplane-system), the
    /// chart's rendered Deployment in `crossplane` (trusted).
    #[test]
    fn crossplanes_service_account_is_judged_in_the_namespace_of_its_install() {
        for world in [
            "crossplane-helm-release",
            "crossplane-installed-elsewhere",
            "crossplane-rendered",
        ] {
            crate::testing::assert_world_expectations(&super::META, world);
        }
    }

    /// Without Crossplane's namespace, what refuses its account in any namespace is still
    /// reported: the audience its template gives the tokens, a trust with no web-identity
    /// statement. A `sub` for crossplane-system, or a trust that refuses through a key IAM
    /// never finds (whose message would name the `sub` value), is not judged.
    #[test]
    fn crossplanes_service_account_is_judged_for_what_does_not_depend_on_its_namespace() {
        crate::testing::assert_world_expectations(&super::META, "crossplane-namespace-independent");
    }

    /// terraform-aws-eks `modules/karpenter`: v19's IRSA role trusts karpenter:karpenter, not
    /// the chart's account in kube-system; v21's role is for Pod Identity, no annotation.
    #[test]
    fn karpenter_module_roles_are_judged_for_the_charts_account() {
        crate::testing::assert_world_expectations(&super::META, "terraform-karpenter-v19");
        crate::testing::assert_world_expectations(&super::META, "terraform-karpenter-v21");
    }

    /// A namespace written as a Spinnaker SpEL expression: its `sub` is not known, and a
    /// trust for `prod` is not judged against the expression's text.
    #[test]
    fn an_unresolved_namespace_expression_is_not_judged_as_written() {
        crate::testing::assert_world_expectations(&super::META, "spinnaker-namespace");
    }

    #[test]
    fn another_clusters_webhook_audience_does_not_apply_to_eksctl_service_accounts() {
        crate::testing::assert_world_expectations(&super::META, "eksctl-beside-kops");
    }

    /// With `[cluster] issuers` naming another cluster, the trust has a web-identity
    /// statement, only for another issuer: the message says so instead of "no statement".
    #[test]
    fn statement_for_another_issuer_is_named() {
        let mut config = crate::config::Config::default();
        config.cluster.issuers =
            vec!["oidc.eks.us-east-1.amazonaws.com/id/FFFF0000FFFF0000FFFF0000FFFF0000".into()];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/other-issuer");
        let (_, report) = crate::testing::lint_dir(&dir, &super::META, &config);
        let messages: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(
            messages[0].contains("its web-identity statements are for the OIDC provider of `oidc.eks.eu-west-1.amazonaws.com/id/5C3D2A1B0F9E8D7C6B5A493827161504`, not for the cluster's issuer `oidc.eks.us-east-1.amazonaws.com/id/FFFF0000FFFF0000FFFF0000FFFF0000`"),
            "{}",
            messages[0]
        );
        // Without the setting the same trust admits the service account.
        let (_, report) =
            crate::testing::lint_dir(&dir, &super::META, &crate::config::Config::default());
        assert!(report.diagnostics.is_empty());
    }

    /// A role on `default` is sa-role-on-default-sa's to report, even when the trust does not
    /// admit `default`; the same ServiceAccount under another name is reported. (Not a
    /// fixture world: the map, which every fixture world is checked against, shows that edge
    /// as not trusted.)
    #[test]
    fn a_role_on_default_is_left_to_sa_role_on_default_sa() {
        let role = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/good/invoice-export-role.json");
        for (name, findings) in [("default", 0), ("invoice-archiver", 1)] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::copy(&role, dir.path().join("invoice-export-role.json")).unwrap();
            std::fs::write(
                dir.path().join("sa.yaml"),
                format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n  namespace: billing\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/invoice-export\n"),
            )
            .unwrap();
            let (_, report) = crate::testing::lint_dir(
                dir.path(),
                &super::META,
                &crate::config::Config::default(),
            );
            assert_eq!(report.diagnostics.len(), findings, "{name}");
        }
    }

    /// One trust, a statement per cluster: the subject's statement may be the first or the
    /// last, and `[cluster] issuers` keeps exactly the statements of the cluster's issuer.
    #[test]
    fn the_trusting_statement_may_be_the_first_or_the_last() {
        const BLUE: &str = "oidc.eks.eu-west-1.amazonaws.com/id/B1E0000000000000000000000000B1E0";
        const GREEN: &str =
            "https://oidc.eks.eu-west-1.amazonaws.com/id/6EE0000000000000000000000000E6EE";
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/sa-role-not-trusted/two-clusters");
        let rejected = |issuers: &[&str]| -> Vec<String> {
            let mut config = crate::config::Config::default();
            config.cluster.issuers = issuers.iter().map(|s| s.to_string()).collect();
            let (_, report) = crate::testing::lint_dir(&dir, &super::META, &config);
            report
                .diagnostics
                .iter()
                .map(|d| {
                    let subject = ["orders:api", "orders:worker"].into_iter().find(|s| {
                        d.message
                            .contains(&format!("does not trust `system:serviceaccount:{s}`"))
                    });
                    subject.unwrap_or(&d.message).to_string()
                })
                .collect()
        };
        // Any cluster: api matches the first statement, worker the last.
        assert_eq!(rejected(&[]), Vec::<String>::new());
        // The blue cluster: only the first statement counts.
        assert_eq!(rejected(&[BLUE]), ["orders:worker"]);
        // The green cluster (written as a URL): only the last statement counts.
        assert_eq!(rejected(&[GREEN]), ["orders:api"]);
        // Both clusters declared: each subject is trusted by one of them.
        assert_eq!(rejected(&[GREEN, BLUE]), Vec::<String>::new());
    }
}
