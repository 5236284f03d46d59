//! ServiceAccount rules: the role-arn annotation and what it points at.

pub mod sa_annotation_key_typo;
pub mod sa_annotation_prefix_mismatch;
pub mod sa_arn_malformed;
pub mod sa_arn_placeholder;
pub mod sa_association_input_ignored;
pub mod sa_audience_empty;
pub mod sa_irsa_unused;
pub mod sa_role_arn_mismatch;
pub mod sa_role_arn_with_pod_identity;
pub mod sa_role_not_trusted;
pub mod sa_role_on_default_sa;
pub mod sa_role_shared_across_namespaces;
pub mod sa_sts_regional_endpoints_invalid;

use crate::model::k8s::ServiceAccount;
use crate::source::node::Entry;
use crate::world::World;

/// The ServiceAccounts that carry the annotation `<prefix>/<suffix>` under the annotation
/// prefix of the webhook that serves them (`World::annotation_prefix_of`), with that
/// annotation (the last one when repeated).
pub(crate) fn annotated<'w, 'a>(
    world: &'w World<'a>,
    suffix: &'w str,
) -> impl Iterator<Item = (&'w ServiceAccount<'a>, &'a Entry)> + 'w {
    world.service_accounts.iter().filter_map(move |sa| {
        sa.annotation(world.annotation_prefix_of(sa), suffix)
            .map(|e| (sa, e))
    })
}

/// The logical path of a finding on a ServiceAccount's annotations (for baselines).
pub(crate) fn annotations_path(sa: &ServiceAccount<'_>) -> String {
    format!("{}/{}.metadata.annotations", sa.namespace(), sa.name())
}

/// Whether the webhook runs with `--compose-role-arn` (bare role names are then valid).
pub(crate) fn compose_role_arn(world: &World<'_>) -> bool {
    world.webhook_deployments.iter().any(|w| {
        w.flag("compose-role-arn")
            .is_some_and(|f| f.value.as_deref() != Some("false"))
    })
}
