//! The amazon-eks-pod-identity-webhook as deployed: its Deployment's flags, its
//! MutatingWebhookConfiguration and its `pod-identity-webhook` ConfigMap.

use super::k8s::{Object, PodTemplate};
use crate::source::file::Span;
use crate::source::node::Node;

/// Defaults of webhook v0.6.17 (webhook-semantics.md §2).
pub const DEFAULT_ANNOTATION_PREFIX: &str = "eks.amazonaws.com";
pub const DEFAULT_TOKEN_AUDIENCE: &str = "sts.amazonaws.com";
pub const DEFAULT_TOKEN_MOUNT_PATH: &str = "/var/run/secrets/eks.amazonaws.com/serviceaccount";
pub const DEFAULT_TOKEN_EXPIRATION: i64 = 86400;

/// Boolean flags of the webhook: Go's `flag` package never takes the next argument as their
/// value (`--watch-config-map true` sets it and stops flag parsing at `true`).
const BOOL_FLAGS: &[&str] = &[
    "in-cluster",
    "watch-config-map",
    "sts-regional-endpoint",
    "compose-role-arn",
    "enable-debugging-handlers",
    "version",
    "logtostderr",
    "alsologtostderr",
];

/// One flag as written in `command`/`args`.
#[derive(Debug, Clone)]
pub struct Flag {
    pub name: String,
    /// `None` for a bare boolean flag.
    pub value: Option<String>,
    /// The argument that holds the flag (and its value, for `--flag=value`).
    pub span: Span,
    /// The argument that holds the value, for `--flag value`.
    pub value_span: Option<Span>,
}

/// A Deployment (or other workload) running the pod-identity webhook.
#[derive(Debug, Clone)]
pub struct WebhookDeployment<'a> {
    pub template: PodTemplate<'a>,
    pub container: &'a Node,
    pub flags: Vec<Flag>,
}

impl<'a> WebhookDeployment<'a> {
    /// Recognises the webhook by its image or command.
    pub fn from_template(template: &PodTemplate<'a>) -> Option<WebhookDeployment<'a>> {
        let c = template.containers.iter().find(|c| {
            let image = c.node.get("image").and_then(Node::as_str).unwrap_or("");
            let mut words = c
                .node
                .get("command")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(Node::as_str);
            image.contains("pod-identity-webhook")
                || words.any(|w| w.contains("amazon-eks-pod-identity-webhook"))
        })?;
        let mut args: Vec<&Node> = Vec::new();
        for key in ["command", "args"] {
            args.extend(c.node.get(key).map(Node::items).unwrap_or(&[]).iter());
        }
        Some(WebhookDeployment {
            template: template.clone(),
            container: c.node,
            flags: parse_flags(&args),
        })
    }

    /// The last occurrence of a flag (Go's `flag` keeps the last).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// The container's `image` value.
    pub fn image(&self) -> Option<&'a Node> {
        self.container.get("image")
    }

    /// The webhook release the image tag names, when it names one.
    pub fn version(&self) -> Option<Version> {
        image_version(self.image()?.as_str()?)
    }
}

/// A webhook release, `v0.5.7` → `(0, 5, 7)`.
pub type Version = (u32, u32, u32);

/// The first release whose Kubernetes types keep an init container's `restartPolicy`
/// (webhook-semantics.md §15: v0.5.3 moved to k8s.io/api 0.29).
pub const FIRST_KEEPING_RESTART_POLICY: Version = (0, 5, 3);

/// The release an image reference's tag names: `amazon/amazon-eks-pod-identity-webhook:v0.5.7`,
/// `…:0.6.17`, `…:v0.5.7-eks-1` (a suffix after `-` is a rebuild of the same release).
/// `None` without a tag (`latest` implied), for `latest`, a digest alone or another tag.
pub fn image_version(image: &str) -> Option<Version> {
    let image = image.split('@').next()?;
    let last = image.rsplit('/').next()?;
    let (_, tag) = last.split_once(':')?;
    let tag = tag.strip_prefix('v').unwrap_or(tag);
    let release = tag.split(['-', '+']).next()?;
    let mut parts = release.split('.').map(|p| p.parse::<u32>().ok());
    let v = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(v)
}

/// Parses Go-style flags: `--name=value`, `-name=value`, `--name value`, bare booleans.
/// A `sh -c "... --flag=value"` string is split on whitespace.
pub fn parse_flags(args: &[&Node]) -> Vec<Flag> {
    let mut words: Vec<(String, Span)> = Vec::new();
    for a in args {
        let Some(s) = a.scalar_text() else { continue };
        if s.contains(char::is_whitespace) && s.contains("--") {
            for w in s.split_whitespace() {
                words.push((w.to_string(), a.span));
            }
        } else {
            words.push((s.into_owned(), a.span));
        }
    }
    let mut flags = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (w, span) = &words[i];
        i += 1;
        let Some(body) = w.strip_prefix("--").or_else(|| w.strip_prefix('-')) else {
            continue;
        };
        if body.is_empty() {
            continue;
        }
        if let Some((name, value)) = body.split_once('=') {
            flags.push(Flag {
                name: name.to_string(),
                value: Some(value.to_string()),
                span: *span,
                value_span: None,
            });
        } else if BOOL_FLAGS.contains(&body) {
            flags.push(Flag {
                name: body.to_string(),
                value: None,
                span: *span,
                value_span: None,
            });
        } else if let Some((v, vspan)) = words.get(i).filter(|(v, _)| !v.starts_with('-')) {
            flags.push(Flag {
                name: body.to_string(),
                value: Some(v.clone()),
                span: *span,
                value_span: Some(*vspan),
            });
            i += 1;
        } else {
            flags.push(Flag {
                name: body.to_string(),
                value: None,
                span: *span,
                value_span: None,
            });
        }
    }
    flags
}

/// The webhook's MutatingWebhookConfiguration (recognised by the webhook or service name).
#[derive(Debug, Clone)]
pub struct WebhookConfiguration<'a> {
    pub obj: Object<'a>,
    /// The entries of `webhooks` that call the pod-identity webhook.
    pub webhooks: Vec<&'a Node>,
}

impl<'a> WebhookConfiguration<'a> {
    pub fn from_object(obj: &Object<'a>) -> Option<WebhookConfiguration<'a>> {
        if obj.kind != "MutatingWebhookConfiguration" {
            return None;
        }
        let all = obj
            .node
            .get("webhooks")
            .and_then(Node::as_seq)
            .unwrap_or(&[]);
        let is_ours = |w: &Node| {
            let name = w.get("name").and_then(Node::as_str).unwrap_or("");
            let svc = w.str_at(&["clientConfig", "service", "name"]).unwrap_or("");
            name.contains("pod-identity-webhook") || svc.contains("pod-identity-webhook")
        };
        // OpenShift's cloud-credential-operator ships a `pod-identity-webhook` for each cloud
        // under the same object and service names; only the webhook's own name says which
        // (`pod-identity-webhook.gcp.mutate.io`, `….azure.mutate.io`, `….aws.mutate.io`).
        let other_cloud = |w: &Node| {
            let name = w
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            name.split(['.', '-'])
                .any(|part| matches!(part, "gcp" | "azure" | "google" | "gke" | "aks"))
        };
        let webhooks: Vec<&Node> = if obj.name_str().contains("pod-identity-webhook") {
            all.iter().filter(|w| !other_cloud(w)).collect()
        } else {
            all.iter()
                .filter(|w| is_ours(w) && !other_cloud(w))
                .collect()
        };
        (!webhooks.is_empty()).then(|| WebhookConfiguration {
            obj: obj.clone(),
            webhooks,
        })
    }
}

/// One `"namespace/serviceaccount"` entry of the webhook ConfigMap's `data.config` JSON.
#[derive(Debug, Clone)]
pub struct ConfigMapEntry<'a> {
    pub key: &'a Node,
    pub value: &'a Node,
}

impl ConfigMapEntry<'_> {
    pub fn field(&self, name: &str) -> Option<&Node> {
        self.value.get(name)
    }
}

/// The `pod-identity-webhook` ConfigMap (`--watch-config-map`).
#[derive(Debug, Clone)]
pub struct WebhookConfigMap<'a> {
    pub obj: Object<'a>,
    /// The `data.config` string.
    pub config: &'a Node,
    /// Its parsed JSON, when it parsed.
    pub parsed: Option<&'a Node>,
    pub entries: Vec<ConfigMapEntry<'a>>,
}

#[cfg(test)]
mod version_tests {
    use super::image_version;

    #[test]
    fn image_tags_name_releases() {
        assert_eq!(
            image_version("amazon/amazon-eks-pod-identity-webhook:v0.5.7"),
            Some((0, 5, 7))
        );
        assert_eq!(
            image_version("public.ecr.aws/eks/amazon-eks-pod-identity-webhook:0.6.17"),
            Some((0, 6, 17))
        );
        assert_eq!(
            image_version("registry:5000/pod-identity-webhook:v0.5.2-eks-1@sha256:ab"),
            Some((0, 5, 2))
        );
        // The registry's port is not a tag.
        assert_eq!(image_version("registry:5000/pod-identity-webhook"), None);
        assert_eq!(
            image_version("amazon/amazon-eks-pod-identity-webhook:latest"),
            None
        );
        assert_eq!(
            image_version("amazon/amazon-eks-pod-identity-webhook@sha256:ab"),
            None
        );
        assert_eq!(image_version("x/pod-identity-webhook:v0.5"), None);
        assert_eq!(image_version("x/pod-identity-webhook:v0.5.1.2"), None);
    }
}
