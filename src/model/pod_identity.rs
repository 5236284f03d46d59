//! EKS Pod Identity associations declared in the inputs: CloudFormation
//! `AWS::EKS::PodIdentityAssociation`, eksctl `ClusterConfig` (`iam.podIdentityAssociations`
//! and `addons[].podIdentityAssociations`), and the ACK and Crossplane
//! `PodIdentityAssociation` resources. An association for (namespace, service account) makes
//! the webhook inject container credentials instead of web identity (webhook-semantics.md
//! §4, §13).

use crate::model::k8s::Object;
use crate::model::value::{text, Substitutions, Text};
use crate::source::file::Span;
use crate::source::node::Node;

#[derive(Debug, Clone)]
pub struct PodIdentityAssociation {
    pub namespace: Text,
    pub service_account: Text,
    pub role_arn: Option<Text>,
    /// Where to point when talking about the association as a whole.
    pub anchor: Span,
    /// The file a Terraform reference in it (`role_arn = aws_iam_role.x.arn`) is written
    /// in, as links by address compare it: the root module's file for an association a
    /// local module declares (see `terraform::Resource::file`); else the anchor's.
    pub file: crate::source::file::FileId,
    /// For messages: `CloudFormation PodIdentityAssociation ApiAssociation`,
    /// `eksctl ClusterConfig prod`.
    pub label: String,
    /// The cluster it belongs to when the file names it (an eksctl ClusterConfig's
    /// `metadata.name`, the cluster a Terraform root creates): a repository often holds one
    /// ClusterConfig or root per cluster, with the same ServiceAccount names in each.
    pub cluster: Option<String>,
}

impl PodIdentityAssociation {
    /// Whether it applies to `namespace`/`service_account` (only when both are known).
    pub fn applies_to(&self, namespace: &str, service_account: &str) -> bool {
        !self.namespace.unresolved
            && !self.service_account.unresolved
            && self.namespace.value == namespace
            && self.service_account.value == service_account
    }

    /// Whether it can apply to a ServiceAccount of `cluster`: unless both clusters are
    /// known and differ.
    pub fn same_cluster(&self, cluster: Option<&str>) -> bool {
        match (self.cluster.as_deref(), cluster) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }
}

fn association(
    node: &Node,
    keys: [&str; 3],
    subs: &Substitutions,
    anchor: Span,
    label: String,
) -> Option<PodIdentityAssociation> {
    let [ns, sa, role] = keys;
    Some(PodIdentityAssociation {
        namespace: node.get(ns).and_then(|n| text(n, subs))?,
        service_account: node.get(sa).and_then(|n| text(n, subs))?,
        role_arn: node.get(role).and_then(|n| text(n, subs)),
        anchor,
        file: anchor.file,
        label,
        cluster: None,
    })
}

/// Associations of a CloudFormation template, with its parameter defaults as `subs`.
/// An `AWS::EKS::Addon`'s `PodIdentityAssociations` (`{RoleArn, ServiceAccount}` items) are
/// associations in the add-on's namespace (`derived::cfn_addons::namespace`), as EKS
/// creates them for the add-on.
pub fn from_cloudformation(root: &Node, subs: &Substitutions) -> Vec<PodIdentityAssociation> {
    let resources = root.get("Resources").map(Node::entries).unwrap_or(&[]);
    let mut out: Vec<PodIdentityAssociation> = resources
        .iter()
        .filter(|e| {
            e.value.get("Type").and_then(Node::as_str) == Some("AWS::EKS::PodIdentityAssociation")
        })
        .filter_map(|e| {
            let props = e.value.get("Properties")?;
            let logical = e.key.as_str().unwrap_or("?");
            association(
                props,
                ["Namespace", "ServiceAccount", "RoleArn"],
                subs,
                e.key.span,
                format!("CloudFormation PodIdentityAssociation {logical}"),
            )
        })
        .collect();
    for (logical, props) in crate::derived::cfn_addons::addons(root) {
        let Some(items) = props.get("PodIdentityAssociations") else {
            continue;
        };
        let Some((ns, ns_node)) = crate::derived::cfn_addons::addon_name(props)
            .and_then(|name| crate::derived::cfn_addons::namespace(props, name))
        else {
            continue;
        };
        for item in items.items() {
            let Some(service_account) = item.get("ServiceAccount").and_then(|n| text(n, subs))
            else {
                continue;
            };
            out.push(PodIdentityAssociation {
                namespace: Text {
                    value: ns.as_str().into(),
                    span: ns_node.span,
                    unresolved: false,
                },
                anchor: service_account.span,
                service_account,
                role_arn: item.get("RoleArn").and_then(|n| text(n, subs)),
                file: ns_node.span.file,
                label: format!(
                    "CloudFormation Addon {} PodIdentityAssociations",
                    logical.as_str().unwrap_or("?")
                ),
                cluster: None,
            });
        }
    }
    out
}

/// Associations declared by a Kubernetes-style object (eksctl, ACK, Crossplane).
pub fn from_object(obj: &Object<'_>) -> Vec<PodIdentityAssociation> {
    let subs = Substitutions::none();
    let mut out = Vec::new();
    match (obj.api_version, obj.kind) {
        (v, "ClusterConfig") if v.starts_with("eksctl.io/") => {
            let label = format!("eksctl ClusterConfig {}", obj.name_str());
            let lists = obj
                .node
                .path(&["iam", "podIdentityAssociations"])
                .into_iter()
                .chain(
                    obj.node
                        .get("addons")
                        .map(Node::items)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|a| a.get("podIdentityAssociations")),
                );
            for list in lists {
                for item in list.items() {
                    let anchor = item.get("serviceAccountName").map_or(item.span, |n| n.span);
                    out.extend(
                        association(
                            item,
                            ["namespace", "serviceAccountName", "roleARN"],
                            subs,
                            anchor,
                            label.clone(),
                        )
                        .map(|a| PodIdentityAssociation {
                            cluster: Some(obj.name_str().to_string()),
                            ..a
                        }),
                    );
                }
            }
        }
        ("eks.services.k8s.aws/v1alpha1", "PodIdentityAssociation") => {
            if let Some(spec) = obj.node.get("spec") {
                out.extend(association(
                    spec,
                    ["namespace", "serviceAccount", "roleARN"],
                    subs,
                    obj.anchor(),
                    format!("ACK PodIdentityAssociation {}", obj.name_str()),
                ));
            }
        }
        (v, "PodIdentityAssociation") if v.starts_with("eks.aws.upbound.io/") => {
            if let Some(p) = obj.node.path(&["spec", "forProvider"]) {
                out.extend(association(
                    p,
                    ["namespace", "serviceAccount", "roleArn"],
                    subs,
                    obj.anchor(),
                    format!("Crossplane PodIdentityAssociation {}", obj.name_str()),
                ));
            }
        }
        _ => {}
    }
    out
}
