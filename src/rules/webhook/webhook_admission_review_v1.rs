use crate::model::webhook::Version;
use crate::rules::prelude::*;
use crate::source::node::Node;

declare_rule! {
    WebhookAdmissionReviewV1,
    code: "W010",
    name: "webhook-admission-review-v1",
    family: Webhook,
    severity: Error,
    summary: "the pod-identity webhook is registered to receive admission.k8s.io/v1 reviews, which every released webhook image (up to v0.6.17) answers in a form the API server rejects",
}

/// The last release that decodes and answers `admission.k8s.io/v1beta1` only and leaves
/// `apiVersion`/`kind` out of its response (webhook-semantics.md §11).
const LAST_V1BETA1_ONLY: Version = (0, 6, 17);

impl Rule for WebhookAdmissionReviewV1 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // The images the inputs run, with their releases; when every one is newer than the
        // last v1beta1-only release, v1 reviews are answered correctly.
        let images: Vec<(&Node, Option<Version>)> = world
            .webhook_deployments
            .iter()
            .filter_map(|d| Some((d.image()?, d.version())))
            .collect();
        let all_new = !images.is_empty()
            && images
                .iter()
                .all(|(_, v)| v.is_some_and(|v| v > LAST_V1BETA1_ONLY));
        let old_image = images
            .iter()
            .find(|(_, v)| v.is_some_and(|v| v <= LAST_V1BETA1_ONLY));
        let image_text = |img: &Node| img.as_str().unwrap_or("").to_string();
        for mwc in &world.webhook_configurations {
            let v1_api = mwc.obj.api_version == "admissionregistration.k8s.io/v1";
            for wh in &mwc.webhooks {
                let name = wh.get("name").and_then(Node::as_str).unwrap_or("");
                let entry = wh.entry("admissionReviewVersions");
                let (span, message, label, help, about_image) = match entry {
                    // The v1 API requires the field; v1beta1 defaults it to [v1beta1].
                    None if v1_api => (
                        wh.entry("name").map_or(mwc.obj.anchor(), |e| e.key.span),
                        format!("webhook `{name}` has no admissionReviewVersions, which admissionregistration.k8s.io/v1 requires: the API server rejects the configuration, so the webhook is never called"),
                        "admissionReviewVersions missing",
                        "add `admissionReviewVersions: [\"v1beta1\"]`",
                        false,
                    ),
                    None => continue,
                    Some(e) => {
                        // The API server sends the first version of the list it knows.
                        let Some(first) = e
                            .value
                            .items()
                            .iter()
                            .find(|v| matches!(v.as_str(), Some("v1" | "v1beta1")))
                        else {
                            continue;
                        };
                        if all_new || first.as_str() != Some("v1") {
                            continue;
                        }
                        let image = match old_image {
                            Some((img, _)) => format!("the image `{}`", image_text(img)),
                            None => "every released webhook image (up to v0.6.17)".into(),
                        };
                        (
                            first.span,
                            format!("webhook `{name}` receives admission.k8s.io/v1 reviews, but {image} answers without `apiVersion`/`kind` and the API server rejects the answer (EKS included): with failurePolicy Ignore pods start without credentials, with Fail they are not created"),
                            "v1 admission reviews",
                            "list `v1beta1` first: `admissionReviewVersions: [\"v1beta1\", \"v1\"]`, as EKS's own configuration lists `v1beta1`; move `v1` first only with a release newer than v0.6.17",
                            true,
                        )
                    }
                };
                let mut d = META
                    .diagnostic(span, message)
                    .label(label)
                    .help(help)
                    .path(format!("{}.webhooks.{name}", mwc.obj.name_str()));
                if let (true, Some((img, _))) = (about_image, old_image) {
                    d = d.related(img.span, "the webhook image, which answers v1beta1 only");
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A webhook image newer than v0.6.17 answers v1 reviews: the same configuration is
    /// reported without it and accepted with it.
    #[test]
    fn a_newer_image_answers_v1() {
        use crate::testing::lint_only;
        let with_image = crate::testing::lint_fixture_world(&super::META, "newer-image");
        assert!(
            with_image.diagnostics.is_empty(),
            "{:?}",
            with_image.diagnostics
        );
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/webhook-admission-review-v1/newer-image");
        let alone = tempfile::tempdir().unwrap();
        std::fs::copy(
            dir.join("mutatingwebhook.yaml"),
            alone.path().join("mutatingwebhook.yaml"),
        )
        .unwrap();
        let (_, without) = lint_only(alone.path(), &super::META);
        assert_eq!(without.diagnostics.len(), 1, "{:?}", without.diagnostics);
        assert!(without.diagnostics[0]
            .message
            .contains("every released webhook image"));
    }
}
