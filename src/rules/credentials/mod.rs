//! Credentials rules: AWS shared config files and OpenShift CredentialsRequests.

pub mod aws_config_role_not_trusted;
pub mod aws_config_wrong_key;
pub mod credreq_audience_not_openshift;
pub mod credreq_no_service_accounts;
pub mod credreq_role_not_trusted;
pub mod credreq_token_file_mismatch;

use crate::model::aws_config::AwsConfig;
use crate::model::iam::policy::split_issuer_key;
use crate::model::k8s::{Container, ContainerKind, PodTemplate, ProjectedToken};
use crate::model::openshift::{CredentialsRequest, OPENSHIFT_AUDIENCE};
use crate::model::role::PolicyKind;
use crate::rules::pod::{at_path, AtPath};
use crate::rules::sa::sa_role_not_trusted::roles_for_arn;
use crate::source::file::Span;
use crate::source::ini::IniEntry;
use crate::source::node::Node;
use crate::world::{CredentialsFileUse, PolicyDoc, World};

/// Profile keys that supply credentials without a web-identity token.
pub(crate) const OTHER_SOURCES: &[&str] = &[
    "source_profile",
    "credential_source",
    "credential_process",
    "aws_access_key_id",
];

/// A container that reads a credentials file (`World::credentials_files`) whose profile
/// assumes a role with a web-identity token, and nothing takes precedence over it.
pub(crate) struct FileBinding<'w, 'a> {
    pub file: &'w CredentialsFileUse<'a>,
    pub pod: &'w PodTemplate<'a>,
    pub container: &'w Container<'a>,
    pub config: &'w AwsConfig<'a>,
    pub role_arn: &'w IniEntry,
    pub token_file: &'w IniEntry,
}

impl FileBinding<'_, '_> {
    /// The pod's ServiceAccount as a token's `sub`.
    pub fn subject(&self) -> String {
        format!(
            "system:serviceaccount:{}:{}",
            self.pod.owner.namespace,
            self.pod.service_account_name()
        )
    }

    /// `ns/name.key` of the file's Secret or ConfigMap, for finding paths.
    pub fn file_path(&self) -> String {
        match &self.config.secret {
            Some(o) => format!(
                "{}/{}.{}",
                o.namespace,
                o.name_str(),
                self.config
                    .key
                    .and_then(Node::as_str)
                    .unwrap_or("credentials")
            ),
            None => String::new(),
        }
    }
}

/// Every credentials file a container reads with a web-identity profile (`role_arn` and
/// `web_identity_token_file`, no other source of credentials) that the container's SDK really
/// uses: the SDKs take static keys and the web-identity variables from the environment over
/// any profile (the container's own `env`/`envFrom`, or the pod-identity webhook's injection,
/// per render's decision), so such a container is left out.
pub(crate) fn file_bindings<'w, 'a>(world: &'w World<'a>) -> Vec<FileBinding<'w, 'a>> {
    let mut out = Vec::new();
    let mut webhook: Vec<(usize, Vec<usize>)> = Vec::new();
    for file in &world.credentials_files {
        let pod = &world.pods[file.pod];
        let container = &pod.containers[file.container];
        let config = &world.aws_configs[file.config];
        let Some(profile) = world.credentials_profile(file) else {
            continue;
        };
        let (Some(role_arn), Some(token_file)) = (
            profile.get("role_arn"),
            profile.get("web_identity_token_file"),
        ) else {
            continue;
        };
        if OTHER_SOURCES.iter().any(|k| profile.get(k).is_some()) {
            continue;
        }
        let env_wins = [
            "AWS_ACCESS_KEY_ID",
            "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
        ]
        .iter()
        .any(|v| world.container_env(pod, container, v).is_some());
        if env_wins {
            continue;
        }
        let injected = match webhook.iter().find(|(p, _)| *p == file.pod) {
            Some((_, m)) => m,
            None => {
                webhook.push((file.pod, webhook_injects(world, pod)));
                &webhook[webhook.len() - 1].1
            }
        };
        if injected.contains(&file.container) {
            continue;
        }
        out.push(FileBinding {
            file,
            pod,
            container,
            config,
            role_arn,
            token_file,
        });
    }
    out
}

/// The containers (indices into `pod.containers`) the pod-identity webhook injects
/// `AWS_ROLE_ARN` into: its ServiceAccount in the inputs has a role-arn, render's decision
/// mutates the pod, and the container is not skipped (`skip-containers`) and does not set the
/// variable itself. Ephemeral containers are never mutated.
fn webhook_injects(world: &World<'_>, pod: &PodTemplate<'_>) -> Vec<usize> {
    let prefix = &world.settings.annotation_prefix.value;
    let annotated = world
        .service_account(&pod.owner.namespace, pod.service_account_name())
        .is_some_and(|sa| sa.annotation(prefix, "role-arn").is_some());
    if !annotated {
        return Vec::new();
    }
    let settings = crate::render::settings(world, &crate::render::Overrides::default());
    let view = crate::render::pod_view(world, pod, crate::render::RenderMode::Admission);
    let Ok(crate::render::webhook::Outcome::Mutated(m)) =
        crate::render::decide(world, &view, &settings)
    else {
        return Vec::new();
    };
    // The webhook's changes are listed per kind, in the pod's order.
    let (mut init, mut regular) = (0, 0);
    let mut out = Vec::new();
    for (i, c) in pod.containers.iter().enumerate() {
        let change = match c.kind {
            ContainerKind::Init => {
                init += 1;
                m.init_containers.get(init - 1)
            }
            ContainerKind::Regular => {
                regular += 1;
                m.containers.get(regular - 1)
            }
            ContainerKind::Ephemeral => None,
        };
        if change.is_some_and(|ch| ch.env.iter().any(|(k, _)| k == "AWS_ROLE_ARN")) {
            out.push(i);
        }
    }
    out
}

/// The projected service-account tokens that pods running as one of `cr`'s service accounts
/// (in its secretRef namespace) mount at `path`, in the inputs.
pub(crate) fn tokens_at<'w>(
    world: &'w World<'_>,
    cr: &CredentialsRequest<'_>,
    path: &str,
) -> Vec<&'w ProjectedToken<'w>> {
    let Some(ns) = cr.target_namespace() else {
        return Vec::new();
    };
    let names: Vec<&str> = cr
        .service_accounts
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    let mut out = Vec::new();
    for pod in &world.pods {
        if pod.owner.namespace != ns || !names.contains(&pod.service_account_name()) {
            continue;
        }
        for c in &pod.containers {
            if let AtPath::Token(t) = at_path(pod, c, path) {
                out.push(t);
            }
        }
    }
    out
}

/// Whether the operator of `cr` presents an `openshift`-audience token: `None` when a pod of
/// its service accounts in the inputs projects the token (at the request's token path) with
/// another audience, or one of its service accounts carries the webhook's role-arn annotation; otherwise `Some`, with the projection that confirms `openshift` if the
/// inputs hold one (else OpenShift's convention for its operators' `bound-sa-token`).
pub(crate) fn openshift_audience<'w>(
    world: &'w World<'_>,
    cr: &CredentialsRequest<'_>,
) -> Option<Option<&'w ProjectedToken<'w>>> {
    // A service account annotated for the pod-identity webhook gets the webhook's token
    // (audience `sts.amazonaws.com` by default) instead.
    let prefix = &world.settings.annotation_prefix.value;
    if let Some(ns) = cr.target_namespace() {
        let webhook = cr
            .service_accounts
            .iter()
            .filter_map(|n| n.as_str())
            .any(|name| {
                world
                    .service_account(ns, name)
                    .is_some_and(|sa| sa.annotation(prefix, "role-arn").is_some())
            });
        if webhook {
            return None;
        }
    }
    let tokens = tokens_at(world, cr, cr.token_path());
    if tokens
        .iter()
        .filter_map(|t| t.audience.and_then(Node::as_str))
        .any(|a| a != OPENSHIFT_AUDIENCE)
    {
        return None;
    }
    Some(
        tokens
            .into_iter()
            .find(|t| t.audience.and_then(Node::as_str) == Some(OPENSHIFT_AUDIENCE)),
    )
}

/// How a trust policy is tied to a CredentialsRequest.
pub(crate) enum Link {
    /// The request's credentials Secret names the role: the `role_arn` value.
    Secret(Span),
    /// The trust's `sub` condition names the request's service account literally.
    Sub,
}

/// The trust policies tied to `cr`: the roles its Secret's `role_arn` names, and the trusts
/// that list one of its subjects literally (ccoctl's `StringEquals` list).
pub(crate) fn linked_trusts<'w>(
    world: &'w World<'_>,
    cr: &CredentialsRequest<'_>,
    subjects: &[(String, &Node)],
) -> Vec<(&'w PolicyDoc<'w>, Link)> {
    let mut out: Vec<(&PolicyDoc, Link)> = Vec::new();
    let ns = cr.target_namespace().unwrap_or("");
    for cfg in &world.aws_configs {
        let Some(secret) = cfg.in_secret() else {
            continue;
        };
        if secret.namespace != ns || Some(secret.name_str()) != cr.secret_name() {
            continue;
        }
        let Some(arn) = cfg.default_profile().and_then(|p| p.get("role_arn")) else {
            continue;
        };
        for role in roles_for_arn(world, &arn.value, Some(arn.value_span.file)) {
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
