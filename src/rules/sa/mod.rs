//! ServiceAccount rules: the role-arn annotation and what it points at.

pub mod sa_annotation_key_typo;
pub mod sa_annotation_prefix_mismatch;
pub mod sa_arn_malformed;
pub mod sa_arn_placeholder;
pub mod sa_audience_empty;
pub mod sa_irsa_unused;
pub mod sa_role_arn_mismatch;
pub mod sa_role_arn_with_pod_identity;
pub mod sa_role_not_trusted;
pub mod sa_role_on_default_sa;
pub mod sa_role_shared_across_namespaces;
pub mod sa_sts_regional_endpoints_invalid;

use crate::world::World;

/// Whether the webhook runs with `--compose-role-arn` (bare role names are then valid).
pub(crate) fn compose_role_arn(world: &World<'_>) -> bool {
    world.webhook_deployments.iter().any(|w| {
        w.flag("compose-role-arn")
            .is_some_and(|f| f.value.as_deref() != Some("false"))
    })
}
