//! Building the [`AccessMap`] from a world and the findings of a lint of it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{
    perms, reason, AccessMap, Binding, Loc, Mechanism, Pattern, RoleNode, SaNode, Verdict, Workload,
};
use crate::model::iam::arn;
use crate::model::iam::glob::{glob_match, has_wildcard};
use crate::model::iam::policy::split_issuer_key;
use crate::model::iam::tri::Tri;
use crate::model::k8s::{annotation, ContainerKind};
use crate::model::openshift::OPENSHIFT_AUDIENCE;
use crate::model::role::PolicyKind;
use crate::model::webhook::DEFAULT_TOKEN_AUDIENCE;
use crate::rules::credentials::credreq_role_not_trusted::credreq_links;
use crate::rules::sa::sa_role_not_trusted::{sa_audience, trust_checks, trust_verdict};
use crate::rules::trust::oidc_providers;
use crate::rules::Family;
use crate::source::file::Span;
use crate::world::World;
use crate::Report;

/// Findings of these rules mean a file (or part of it) was not read: the map lacks it.
const UNREADABLE: &[&str] = &[
    "parse-error",
    "input-not-text",
    "input-limit",
    "unsupported-template",
];

pub fn build(world: &World<'_>, report: &Report) -> AccessMap {
    let loc = |span: Span| {
        let (line, column) = world.line_col(span);
        Loc {
            file: world.path_of(span).to_string(),
            line,
            column,
        }
    };
    let counter = FindingCounter::new(report);
    let ids = role_ids(world);

    let mut sas: BTreeMap<String, SaNode> = BTreeMap::new();
    for sa in &world.service_accounts {
        let node = SaNode {
            namespace: sa.namespace().to_string(),
            name: sa.name().to_string(),
            defined: true,
            location: Some(loc(sa.obj.anchor())),
            findings: counter.within(sa.obj.node.span),
        };
        sas.insert(node.id(), node);
    }
    let referenced = |sas: &mut BTreeMap<String, SaNode>, ns: &str, name: &str| {
        let id = format!("{ns}/{name}");
        sas.entry(id).or_insert_with(|| SaNode {
            namespace: ns.to_string(),
            name: name.to_string(),
            defined: false,
            location: None,
            findings: 0,
        });
    };

    let mut bindings: Vec<Binding> = Vec::new();
    let prefix = world.settings.annotation_prefix.value.as_str();

    let mut workloads = Vec::new();
    for pod in &world.pods {
        let skip: Vec<&str> = annotation(pod.annotations(), prefix, "skip-containers")
            .and_then(|e| e.value.as_str())
            .map(|s| s.split(',').map(str::trim).collect())
            .unwrap_or_default();
        let w = Workload {
            kind: pod.owner.kind.to_string(),
            namespace: pod.owner.namespace.to_string(),
            name: pod.owner.shown_name(),
            service_account: pod.service_account_name().to_string(),
            containers: pod
                .containers
                .iter()
                .filter(|c| c.kind != ContainerKind::Ephemeral)
                .map(|c| c.name_str().to_string())
                .filter(|n| !skip.contains(&n.as_str()))
                .collect(),
            location: loc(pod.owner.anchor()),
            findings: counter.within(pod.owner.node.span),
        };
        referenced(&mut sas, &w.namespace, &w.service_account);
        // A role set by hand: the SDK assumes it with the pod's own token.
        for c in &pod.containers {
            // Inline `env`, or `envFrom` a ConfigMap/Secret when the webhook does not
            // override it (the pod rules' reading of the SDK's environment).
            let Some(v) = crate::rules::pod::web_identity_env(world, pod, c, "AWS_ROLE_ARN") else {
                continue;
            };
            // A placeholder stays: the edge shows it as unknown.
            let Some(value) = v
                .value
                .filter(|_| v.value_from.is_none())
                .and_then(|n| n.as_str())
            else {
                continue;
            };
            let subject = format!(
                "system:serviceaccount:{}:{}",
                w.namespace, w.service_account
            );
            let audience = world
                .service_account(&w.namespace, &w.service_account)
                .and_then(|sa| sa_audience(world, sa));
            for (role, verdict, reasons, detail) in web_identity(
                world,
                &ids,
                value.trim(),
                Some(pod.owner.file),
                &subject,
                audience.as_deref(),
                DEFAULT_TOKEN_AUDIENCE,
                v.value.is_some_and(crate::terraform::hcl::is_unknown),
            ) {
                bindings.push(Binding {
                    sa: w.sa_id(),
                    role,
                    mechanism: Mechanism::Env,
                    verdict,
                    reasons,
                    detail,
                    location: loc(v.value.map_or(v.name_node.span, |n| n.span)),
                    via: Some(format!("{} {}", w.label(), c.name_str())),
                });
            }
        }
        workloads.push(w);
    }

    for (sa, entry) in crate::rules::sa::annotated(world, "role-arn") {
        let Some(value) = entry.value.as_str() else {
            continue;
        };
        let audience = sa_audience(world, sa);
        let id = format!("{}/{}", sa.namespace(), sa.name());
        // A Pod Identity association wins: the annotation's role is never assumed
        // (sa-role-arn-with-pod-identity's finding, not sa-role-not-trusted's).
        let ignored = world.pod_identity_association_of(sa);
        for (role, verdict, reasons, detail) in web_identity(
            world,
            &ids,
            value.trim(),
            Some(sa.obj.file),
            &sa.subject(),
            audience.as_deref(),
            DEFAULT_TOKEN_AUDIENCE,
            crate::terraform::hcl::is_unknown(&entry.value),
        ) {
            let (verdict, reasons, detail) = match ignored {
                Some(a) => (
                    Verdict::Ignored,
                    vec!["pod-identity"],
                    format!("ignored: the Pod Identity association ({}) wins, so the annotation's role is never assumed", a.label),
                ),
                // Crossplane's namespace is not in the files: a trust undecided for its
                // subject may be decided by that namespace (a rejection that holds in any
                // namespace, the audience's or the issuer's, stays not-trusted).
                None if verdict == Verdict::Unknown && reasons == ["undecided"] => {
                    match sa.namespace_unknown_because() {
                        Some(why) => (Verdict::Unknown, vec!["namespace-unknown"], why),
                        None => (verdict, reasons, detail),
                    }
                }
                None => (verdict, reasons, detail),
            };
            bindings.push(Binding {
                sa: id.clone(),
                role,
                mechanism: Mechanism::Irsa,
                verdict,
                reasons,
                detail,
                location: loc(entry.value.span),
                via: None,
            });
        }
    }

    for a in &world.pod_identity_associations {
        let Some(role_arn) = a.role_arn.as_ref() else {
            continue;
        };
        if a.namespace.unresolved || a.service_account.unresolved {
            continue;
        }
        referenced(&mut sas, &a.namespace.value, &a.service_account.value);
        // A Terraform reference to a role in the inputs (`aws_iam_role.app.arn`) links to it
        // by address although its ARN is unknown.
        let from = Some(a.file);
        let arn_text =
            if role_arn.unresolved && world.roles_by_address(&role_arn.value, from).is_empty() {
                format!("{} (unresolved)", role_arn.value)
            } else {
                role_arn.value.to_string()
            };
        for (role, verdict, reasons, detail) in reason::pod_identity(world, &ids, &arn_text, from) {
            bindings.push(Binding {
                sa: format!("{}/{}", a.namespace.value, a.service_account.value),
                role,
                mechanism: Mechanism::PodIdentity,
                verdict,
                reasons,
                detail,
                location: loc(a.anchor),
                via: Some(a.label.clone()),
            });
        }
    }

    // The permissions ccoctl gives a role from a CredentialsRequest, by role id.
    let mut request_policies: Vec<(String, usize)> = Vec::new();
    for link in credreq_links(world) {
        let Some(ns) = link.request.target_namespace() else {
            continue;
        };
        let policy = request_policy(world, link.request);
        for (subject, item) in link.request.subjects() {
            let name = item.as_str().unwrap_or_default();
            referenced(&mut sas, ns, name);
            for (role, verdict, reasons, detail) in web_identity(
                world,
                &ids,
                &link.role_arn.value,
                Some(link.role_arn.value_span.file),
                &subject,
                None,
                OPENSHIFT_AUDIENCE,
                false,
            ) {
                if let Some(p) = policy {
                    request_policies.push((role.clone(), p));
                }
                bindings.push(Binding {
                    sa: format!("{ns}/{name}"),
                    role,
                    mechanism: Mechanism::CredentialsFile,
                    verdict,
                    reasons,
                    detail,
                    location: loc(link.role_arn.value_span),
                    via: Some(format!("CredentialsRequest {}", link.request.display())),
                });
            }
        }
    }

    // A credentials file a pod mounts (with or without a CredentialsRequest): the role is
    // assumed with the pod's own token. The verdict is aws-config-role-not-trusted's.
    for b in crate::rules::credentials::file_bindings(world) {
        let ns = &b.pod.owner.namespace;
        let name = b.pod.service_account_name();
        referenced(&mut sas, ns, name);
        for (role, verdict, reasons, detail) in web_identity(
            world,
            &ids,
            &b.role_arn.value,
            Some(b.role_arn.value_span.file),
            &b.subject(),
            None,
            DEFAULT_TOKEN_AUDIENCE,
            false,
        ) {
            bindings.push(Binding {
                sa: format!("{ns}/{name}"),
                role,
                mechanism: Mechanism::CredentialsFile,
                verdict,
                reasons,
                detail,
                location: loc(b.role_arn.value_span),
                via: Some(format!("{} {}", b.pod.display(), b.container.name_str())),
            });
        }
    }

    let roles = roles(world, &ids, &bindings, &request_policies, &counter, &loc);

    bindings.sort_by(|a, b| {
        (&a.sa, &a.role, a.mechanism, &a.location).cmp(&(&b.sa, &b.role, b.mechanism, &b.location))
    });
    bindings.dedup_by(|a, b| a.sa == b.sa && a.role == b.role && a.mechanism == b.mechanism);
    workloads
        .sort_by(|a, b| (&a.namespace, &a.kind, &a.name).cmp(&(&b.namespace, &b.kind, &b.name)));

    let mut problems: BTreeMap<String, usize> = BTreeMap::new();
    for d in &report.diagnostics {
        if d.rule.family == Family::Input && UNREADABLE.contains(&d.rule.name) {
            *problems
                .entry(world.path_of(d.primary).to_string())
                .or_default() += 1;
        }
    }

    AccessMap {
        workloads,
        service_accounts: sas.into_values().collect(),
        roles,
        bindings,
        files: world.inputs.files.len(),
        findings: report.diagnostics.len(),
        input_problems: problems.into_iter().collect(),
    }
}

type Edge = (String, Verdict, Vec<&'static str>, String);

/// The verdicts of a web-identity token of `subject` (IRSA, credentials file, env) for the
/// roles `role_arn` names, one per role node: the rules' [`trust_checks`].
// Each argument is one fact about the link (the two audiences and whether the ARN is an
// apply-time value included); a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn web_identity(
    world: &World<'_>,
    ids: &[String],
    role_arn: &str,
    from: Option<crate::source::file::FileId>,
    subject: &str,
    audience: Option<&str>,
    fallback: &str,
    unknown: bool,
) -> Vec<Edge> {
    // A role created with the ServiceAccount (eksctl) is linked by what stands for its
    // unknown ARN, not read as a placeholder.
    let generated = world.role_by_reference(role_arn).is_some()
        || !world.roles_by_address(role_arn, from).is_empty();
    if !generated && arn::is_placeholder(role_arn) {
        // Only the account is left open (`arn:aws:iam::${data.aws_caller_identity.current
        // .account_id}:role/eks-irsa`): the role is the one of that name and path, in the
        // one account the inputs deploy to, when exactly one role of the inputs has them
        // (the roles the rules judge for the same ARN, `roles_for_arn`).
        let named = account_placeholder_role(role_arn).map(|name| {
            (
                name,
                crate::rules::sa::sa_role_not_trusted::roles_for_arn(world, role_arn, from),
            )
        });
        match named {
            Some((_, roles)) if roles.len() == 1 => {}
            Some((name, roles)) if roles.len() > 1 => {
                return vec![(
                    role_arn.to_string(),
                    Verdict::Unknown,
                    vec!["placeholder"],
                    format!(
                        "the role ARN's account is a placeholder and {} roles of the inputs are named `{name}`: which one it names is not known",
                        roles.len()
                    ),
                )];
            }
            _ => {
                return vec![(
                    role_arn.to_string(),
                    Verdict::Unknown,
                    vec!["placeholder"],
                    "the role ARN is a placeholder".into(),
                )];
            }
        }
    }
    // A value only apply knows: a reference (`module.irsa.iam_role_arn`), or (not an ARN
    // either) another expression Terraform computes
    // (`local.create ? module.irsa[0].arn : var.arn`), which is not malformed.
    let not_arn = arn::parse(role_arn)
        .and_then(|a| arn::role_path_and_name(a.resource))
        .is_none();
    if !generated && (crate::terraform::resources::is_reference(role_arn) || (unknown && not_arn)) {
        return vec![(
            role_arn.to_string(),
            Verdict::Unknown,
            vec!["not-in-inputs"],
            "a Terraform value known only at apply time, naming no role in the inputs".into(),
        )];
    }
    if !generated && not_arn {
        return vec![(
            role_arn.to_string(),
            Verdict::Unknown,
            vec!["malformed-arn"],
            "not a role ARN".into(),
        )];
    }
    let checks = trust_checks(world, role_arn, from, subject, audience);
    let mut by_role: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for c in checks {
        by_role.entry(ids[c.role].clone()).or_default().push(c);
    }
    // Roles in the inputs without any trust policy.
    for idx in crate::rules::sa::sa_role_not_trusted::roles_for_arn(world, role_arn, from) {
        by_role.entry(ids[idx].clone()).or_default();
    }
    if by_role.is_empty() {
        return vec![(
            role_arn.to_string(),
            Verdict::Unknown,
            vec!["not-in-inputs"],
            "the role is not in the inputs".into(),
        )];
    }
    by_role
        .into_iter()
        .map(|(role, checks)| {
            if let Some(c) = checks.iter().find(|c| c.rejection.is_some()) {
                let mut reasons: Vec<&'static str> = checks
                    .iter()
                    .filter(|c| c.rejection.is_some())
                    .flat_map(|c| reason::rejected(world, subject, audience, c))
                    .collect();
                reasons.sort();
                reasons.dedup();
                let detail = c.rejection.as_ref().map(|r| r.message.clone());
                (role, Verdict::NotTrusted, reasons, detail.unwrap_or_default())
            } else if checks.is_empty() {
                (
                    role,
                    Verdict::Unknown,
                    vec!["no-trust-policy"],
                    "the role's trust policy is not in the inputs".into(),
                )
            } else if checks.iter().any(|c| c.verdict == Tri::True) {
                (role, Verdict::Assumable, Vec::new(), String::new())
            } else if audience.is_none()
                && checks
                    .iter()
                    .any(|c| trust_verdict(world, subject, Some(fallback), c.trust).0 == Tri::True)
            {
                // The rules leave an audience the inputs do not fix open (no finding); the
                // map shows the edge as it works with the usual audience, and says so.
                (
                    role,
                    Verdict::Assumable,
                    vec!["default-audience"],
                    format!("assumable when the token's audience is `{fallback}` (the inputs do not set it)"),
                )
            } else {
                (
                    role,
                    Verdict::Unknown,
                    vec!["undecided"],
                    "the trust policy's conditions depend on values the inputs leave open"
                        .into(),
                )
            }
        })
        .collect()
}

/// The role name of a role ARN whose only placeholder is its account
/// (`arn:aws:iam::${ACCOUNT_ID}:role/path/name`): its partition, service and role path and
/// name are written out. In a CloudFormation `!Sub`, the stack's partition may be open too,
/// and the name may be a template role's (`role/${Role}`).
fn account_placeholder_role(role_arn: &str) -> Option<&str> {
    let a = arn::parse(role_arn)?;
    // In a CloudFormation `!Sub` (a manifest an `AWSQS::Kubernetes::Resource` applies), the
    // partition may be the stack's and the name a role of the template (`role/${Role}`),
    // which `roles_for_arn` links as the rules do.
    let cfn_name = |r: &str| {
        r.strip_prefix("role/${")
            .and_then(|n| n.strip_suffix('}'))
            .is_some_and(|n| !n.contains(['$', '{', '}', '/']))
    };
    let stack_partition = a.partition == "${AWS::Partition}";
    let cfn = stack_partition || a.account == "${AWS::AccountId}";
    let only_account = a.service == "iam"
        && a.region.is_empty()
        && arn::is_account_placeholder(a.account)
        && (!arn::is_placeholder(a.partition) || stack_partition)
        && (!arn::is_placeholder(a.resource) || (cfn && cfn_name(a.resource)));
    let (_, name) = arn::role_path_and_name(a.resource).filter(|_| only_account)?;
    Some(name)
}

/// The policy document a CredentialsRequest's `statementEntries` became (see
/// `World::build`), by index into `world.policies`.
fn request_policy(
    world: &World<'_>,
    request: &crate::model::openshift::CredentialsRequest<'_>,
) -> Option<usize> {
    let entries = request.provider_spec?.get("statementEntries")?;
    let doc = world.inputs.file(entries.span.file).derived_of(entries)?;
    world
        .policies
        .iter()
        .position(|p| std::ptr::eq(p.source.node, doc))
}

/// Each role's node id, by index into `world.roles`: what the role is known as (its ARN,
/// its name, else its address), so that several definitions of one role merge (a
/// CloudFormation template and the `get-role` output of the role it made). A role whose ARN
/// and name the inputs do not fix (a name that is a template, `"${var.env}-app"`, or only
/// an address, `aws_iam_role.app`) is one role per Terraform directory or per other file:
/// dev and prod roots that each declare `aws_iam_role.app` make two roles, so when such ids
/// meet in several places each gets the place it is declared in.
fn role_ids(world: &World<'_>) -> Vec<String> {
    let shown: Vec<String> = world.roles.iter().map(|r| r.display()).collect();
    let scope = |r: &crate::model::role::Role<'_>| {
        let path = world.inputs.sources.get(r.file).path.as_str();
        if r.source == crate::model::role::RoleSource::Terraform {
            let dir = crate::terraform::hcl::dir_of(path);
            if dir.is_empty() {
                ".".to_string()
            } else {
                format!("{dir}/")
            }
        } else {
            path.to_string()
        }
    };
    let unfixed = |r: &crate::model::role::Role<'_>| {
        r.arn.as_ref().is_none_or(|a| a.unresolved)
            && r.name
                .as_ref()
                .is_none_or(|n| n.unresolved || n.value.is_empty())
    };
    let mut scopes: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (r, id) in world.roles.iter().zip(&shown) {
        if unfixed(r) {
            scopes.entry(id.as_str()).or_default().insert(scope(r));
        }
    }
    world
        .roles
        .iter()
        .zip(&shown)
        .map(|(r, id)| {
            let several = scopes.get(id.as_str()).is_some_and(|s| s.len() > 1);
            if unfixed(r) && several {
                format!("{id} ({})", scope(r))
            } else {
                id.clone()
            }
        })
        .collect()
}

/// One node per role id (several definitions of a role merge), plus the roles bindings name
/// that are not in the inputs.
fn roles(
    world: &World<'_>,
    ids: &[String],
    bindings: &[Binding],
    request_policies: &[(String, usize)],
    counter: &FindingCounter,
    loc: &dyn Fn(Span) -> Loc,
) -> Vec<RoleNode> {
    let mut nodes: BTreeMap<String, RoleNode> = BTreeMap::new();
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        members.entry(id.clone()).or_default().push(i);
    }
    let mut policies_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (p, doc) in world.policies.iter().enumerate() {
        if let Some(r) = doc.source.role {
            policies_of.entry(r).or_default().push(p);
        }
    }
    // A CredentialsRequest's statements are the policy ccoctl attaches to its role.
    let mut requested: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (role, p) in request_policies {
        requested.entry(role.as_str()).or_default().insert(*p);
    }
    let mut bound: HashMap<String, Vec<String>> = HashMap::new();
    for b in bindings.iter().filter(|b| b.verdict == Verdict::Assumable) {
        let (ns, name) = b.sa.split_once('/').unwrap_or_default();
        if world.service_account(ns, name).is_some() {
            bound.entry(b.role.clone()).or_default().push(b.sa.clone());
        }
    }
    // The module-written policies of modelled Terraform module calls, by generated role.
    let producer = crate::terraform::modules::producer_policies(&world.inputs.terraform);
    for (id, idxs) in members {
        let mut locations = Vec::new();
        let mut findings = 0;
        let mut issuers = BTreeSet::new();
        let mut admits = BTreeSet::new();
        let mut patterns = BTreeSet::new();
        let mut identity = Vec::new();
        let mut managed = Vec::new();
        let mut spans = Vec::new();
        for &i in &idxs {
            let role = &world.roles[i];
            locations.push(loc(role.anchor));
            spans.push(role.anchor);
            managed.extend(role.managed_policy_arns.iter().map(|t| t.value.to_string()));
            for &p in policies_of.get(&i).into_iter().flatten() {
                let doc = &world.policies[p];
                spans.push(doc.source.node.span);
                match doc.kind {
                    PolicyKind::Identity => identity.push(doc),
                    // Only a bare document is classified so, and none belongs to a role.
                    // A boundary belongs to no role either (see `World::add_terraform`).
                    PolicyKind::Resource | PolicyKind::Boundary => {}
                    PolicyKind::Trust => {
                        admitted(world, doc, &mut admits, &mut patterns, loc);
                        for stmt in &doc.policy.statements {
                            issuers.extend(oidc_providers(stmt).into_iter().map(|(p, _)| p.issuer));
                        }
                    }
                }
            }
        }
        identity.extend(
            requested
                .get(id.as_str())
                .into_iter()
                .flatten()
                .map(|&p| &world.policies[p]),
        );
        findings += counter.within_any(&spans);
        locations.sort();
        locations.dedup();
        // ServiceAccounts that name the role and get in (same evaluation as the edges).
        admits.extend(bound.remove(&id).into_iter().flatten());
        // The roles of one node are one role: the first boundary any of them states.
        let boundary = idxs.iter().find_map(|&i| world.roles[i].boundary.as_ref());
        let mut permissions = perms::summarize(world, boundary, identity.into_iter());
        managed.sort();
        managed.dedup();
        permissions.managed_policies = managed;
        let mut owned: Vec<String> = producer
            .iter()
            .filter(|p| {
                idxs.iter().any(|&i| {
                    let role = &world.roles[i];
                    role.logical_id == Some(p.role.as_str()) && role.file == p.root
                })
            })
            .map(|p| {
                format!(
                    "`{}` ({}; producer-owned, contents not read{})",
                    p.switch,
                    p.model,
                    match p.maybe {
                        true => "; may be attached: the switch is known only at apply",
                        false => "",
                    }
                )
            })
            .collect();
        owned.sort();
        owned.dedup();
        permissions.producer_policies = owned;
        nodes.insert(
            id.clone(),
            RoleNode {
                id,
                in_inputs: true,
                locations,
                issuers: issuers.into_iter().collect(),
                admits: admits.into_iter().collect(),
                patterns: patterns.into_iter().collect(),
                permissions,
                findings,
            },
        );
    }
    for b in bindings {
        nodes.entry(b.role.clone()).or_insert_with(|| RoleNode {
            id: b.role.clone(),
            in_inputs: false,
            locations: Vec::new(),
            issuers: Vec::new(),
            admits: Vec::new(),
            patterns: Vec::new(),
            // The role may be made by ccoctl later: its permissions are already known.
            permissions: perms::summarize(
                world,
                None,
                requested
                    .get(b.role.as_str())
                    .into_iter()
                    .flatten()
                    .map(|&p| &world.policies[p]),
            ),
            findings: 0,
        });
    }
    nodes.into_values().collect()
}

/// The existing ServiceAccounts a trust policy admits for certain, and its `sub` patterns
/// that admit more than exists. Candidates come from the `sub` values (exact names looked
/// up, wildcards matched against the ServiceAccounts); each is then evaluated as the rule
/// evaluates an annotation, so "admits" means the same thing everywhere.
fn admitted(
    world: &World<'_>,
    trust: &crate::world::PolicyDoc<'_>,
    admits: &mut BTreeSet<String>,
    patterns: &mut BTreeSet<Pattern>,
    loc: &dyn Fn(Span) -> Loc,
) {
    let mut candidates: BTreeSet<(String, String)> = BTreeSet::new();
    for stmt in &trust.policy.statements {
        if oidc_providers(stmt).is_empty() {
            continue;
        }
        let mut has_sub = false;
        for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
            let Ok(op) = &block.operator else { continue };
            if op.base.is_negated() {
                continue;
            }
            for key in &block.keys {
                if !split_issuer_key(&key.name.value)
                    .is_some_and(|(_, c)| c.eq_ignore_ascii_case("sub"))
                {
                    continue;
                }
                has_sub = true;
                for v in &key.values {
                    if op.base.uses_wildcards() && has_wildcard(&v.value) {
                        patterns.insert(Pattern {
                            operator: block.raw.clone(),
                            value: v.value.to_string(),
                            location: loc(v.span),
                        });
                        for sa in &world.service_accounts {
                            if glob_match(&v.value, &sa.subject(), op.base.ignores_case()) {
                                candidates
                                    .insert((sa.namespace().to_string(), sa.name().to_string()));
                            }
                        }
                    } else if let Some(rest) = v.value.strip_prefix("system:serviceaccount:") {
                        if let Some((ns, name)) = rest.split_once(':') {
                            candidates.insert((ns.to_string(), name.to_string()));
                        }
                    }
                }
            }
        }
        if !has_sub {
            let anchor = stmt
                .principal
                .as_ref()
                .map_or(stmt.node.span, |p| p.entry.key.span);
            patterns.insert(Pattern {
                operator: "-".into(),
                value: "*".into(),
                location: loc(anchor),
            });
        }
    }
    // Without a `sub` condition every ServiceAccount is a candidate: the pattern `*` says
    // so, and evaluating the trust for each of them (10k in a monorepo) would cost more than
    // the whole lint. The ServiceAccounts bound to the role still show up (see `roles`).
    for (ns, name) in candidates {
        let Some(sa) = world.service_account(&ns, &name) else {
            continue;
        };
        let audience = sa_audience(world, sa);
        let subject = sa.subject();
        let admits_token =
            |aud: Option<&str>| trust_verdict(world, &subject, aud, trust).0 == Tri::True;
        // As for edges: the webhook's default audience when the inputs leave it open.
        if admits_token(audience.as_deref())
            || (audience.is_none() && admits_token(Some(DEFAULT_TOKEN_AUDIENCE)))
        {
            admits.insert(format!("{ns}/{name}"));
        }
    }
}

/// Counts findings by where their primary span lies.
struct FindingCounter {
    /// Per file, the primary span starts of the findings, sorted.
    starts: HashMap<crate::source::file::FileId, Vec<u32>>,
}

impl FindingCounter {
    fn new(report: &Report) -> FindingCounter {
        let mut starts: HashMap<_, Vec<u32>> = HashMap::new();
        for d in &report.diagnostics {
            starts
                .entry(d.primary.file)
                .or_default()
                .push(d.primary.start);
        }
        for v in starts.values_mut() {
            v.sort_unstable();
        }
        FindingCounter { starts }
    }

    /// Findings that start inside `span` (an empty span counts those at its start).
    fn within(&self, span: Span) -> usize {
        self.range(span).len()
    }

    /// Findings that start inside any of `spans`, each counted once.
    fn within_any(&self, spans: &[Span]) -> usize {
        let mut seen = BTreeSet::new();
        for s in spans {
            for i in self.range(*s) {
                seen.insert((s.file, i));
            }
        }
        seen.len()
    }

    fn range(&self, span: Span) -> std::ops::Range<usize> {
        let Some(v) = self.starts.get(&span.file) else {
            return 0..0;
        };
        let lo = v.partition_point(|&s| s < span.start);
        let hi = v.partition_point(|&s| s < span.end.max(span.start + 1));
        lo..hi.max(lo)
    }
}

#[cfg(test)]
mod account_placeholder_tests {
    use super::account_placeholder_role;

    #[test]
    fn only_an_iam_role_arn_whose_one_placeholder_is_its_account() {
        let role = account_placeholder_role;
        assert_eq!(
            role("arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/eks-irsa"),
            Some("eks-irsa")
        );
        assert_eq!(
            role("arn:aws:iam::${ACCOUNT_ID}:role/ci/deploy"),
            Some("deploy")
        );
        // A known account is no placeholder; the others leave more than the account open.
        assert_eq!(role("arn:aws:iam::111122223333:role/app"), None);
        assert_eq!(role("arn:${PARTITION}:iam::${ACCOUNT_ID}:role/app"), None);
        assert_eq!(role("arn:aws:iam::${ACCOUNT_ID}:role/${NAME}"), None);
        assert_eq!(role("arn:aws:iam:eu-west-1:${ACCOUNT_ID}:role/app"), None);
        assert_eq!(role("arn:aws:sts::${ACCOUNT_ID}:role/app"), None);
        assert_eq!(role("arn:aws:iam::${ACCOUNT_ID}:user/app"), None);
        assert_eq!(role("${ROLE_ARN}"), None);
        // A CloudFormation `!Sub`: the stack's partition and account, a template role's name.
        let sub = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/";
        assert_eq!(role(&format!("{sub}app")), Some("app"));
        assert_eq!(role(&format!("{sub}${{AppRole}}")), Some("${AppRole}"));
        assert_eq!(
            role("arn:aws:iam::${AWS::AccountId}:role/${AppRole}"),
            Some("${AppRole}")
        );
        assert_eq!(role(&format!("{sub}${{AppRole}}-x")), None);
        assert_eq!(role(&format!("{sub}${{A}}${{B}}")), None);
        assert_eq!(
            role("arn:${AWS::Partition}:iam::111122223333:role/app"),
            None
        );
    }
}
