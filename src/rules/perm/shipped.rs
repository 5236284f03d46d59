//! CredentialsRequests that OpenShift ships in its release image: the user cannot change
//! their permissions (the cluster version operator restores them), so the `perm-*` findings
//! on them are shown as info, with the reason, instead of warnings and errors. A user's own
//! CredentialsRequests keep their severities.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Family;
use crate::source::file::Span;
use crate::world::World;

/// The annotation prefix the cluster version operator uses to pick release manifests.
const RELEASE_ANNOTATION: &str = "include.release.openshift.io/";

/// Why a CredentialsRequest counts as shipped: its release annotation, or its manifest's
/// file name (`0000_<runlevel>_<component>_...` is the release payload's naming).
fn shipped_reason(
    world: &World<'_>,
    cr: &crate::model::openshift::CredentialsRequest<'_>,
) -> Option<String> {
    if let Some(a) = cr
        .obj
        .annotations()
        .iter()
        .filter_map(|e| e.key.as_str())
        .find(|k| k.starts_with(RELEASE_ANNOTATION))
    {
        return Some(format!("its `{a}` annotation"));
    }
    let path = &world.inputs.sources.get(cr.obj.file).path;
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    base.starts_with("0000_")
        .then(|| format!("its release-payload file name `{base}`"))
}

/// Shipped CredentialsRequests' spans, with the reason.
fn shipped(world: &World<'_>) -> Vec<(Span, String)> {
    world
        .credentials_requests
        .iter()
        .filter_map(|cr| Some((cr.obj.node.span, shipped_reason(world, cr)?)))
        .collect()
}

/// Lowers `perm-*` findings inside shipped CredentialsRequests, and inside policies a
/// generator owns (eksctl's well-known policies, a Terraform module's own policies), to
/// info and says why.
pub fn soften(world: &World<'_>, diagnostics: &mut [Diagnostic]) {
    soften_generated(world, diagnostics);
    let spans = shipped(world);
    if spans.is_empty() {
        return;
    }
    for d in diagnostics.iter_mut() {
        if d.rule.family != Family::Perm || d.severity == Severity::Info {
            continue;
        }
        let Some((_, why)) = spans.iter().find(|(s, _)| {
            s.file == d.primary.file && s.start <= d.primary.start && d.primary.end <= s.end
        }) else {
            continue;
        };
        let was = d.severity.as_str();
        d.severity = Severity::Info;
        let note = format!(
            "info, not {was}: this CredentialsRequest ships in the OpenShift release image ({why}), so its permissions are not yours to change; raise it with the operator's maintainers",
        );
        d.help = Some(match d.help.take() {
            Some(h) => format!("{h}; {note}"),
            None => note,
        });
    }
}
/// Lowers `perm-*` findings inside policies a generator owns to info (see
/// `World::producer_owned`).
fn soften_generated(world: &World<'_>, diagnostics: &mut [Diagnostic]) {
    if world.producer_owned.is_empty() {
        return;
    }
    for d in diagnostics.iter_mut() {
        if d.rule.family != Family::Perm || d.severity == Severity::Info {
            continue;
        }
        let Some((_, who)) = world.producer_owned.iter().find(|(s, _)| {
            s.file == d.primary.file && s.start <= d.primary.start && d.primary.end <= s.end
        }) else {
            continue;
        };
        let was = d.severity.as_str();
        d.severity = Severity::Info;
        let note = format!(
            "info, not {was}: these permissions are {who}, not written here; you choose whether to use that policy, not what it grants",
        );
        d.help = Some(match d.help.take() {
            Some(h) => format!("{h}; {note}"),
            None => note,
        });
    }
}
