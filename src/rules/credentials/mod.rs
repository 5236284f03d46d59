//! Credentials rules: AWS shared config files and OpenShift CredentialsRequests.

pub mod aws_config_wrong_key;
pub mod credreq_audience_not_openshift;
pub mod credreq_no_service_accounts;
pub mod credreq_role_not_trusted;
pub mod credreq_token_file_mismatch;

use crate::model::k8s::ProjectedToken;
use crate::model::openshift::CredentialsRequest;
use crate::rules::pod::{at_path, AtPath};
use crate::world::World;

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
