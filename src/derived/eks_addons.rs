//! The ServiceAccount each EKS add-on runs as: a role given to the add-on
//! (`aws_eks_addon.service_account_role_arn`, eksctl's `addons[].serviceAccountRoleARN`) is
//! what EKS annotates that ServiceAccount with. One table for every reader (Terraform,
//! eksctl, CloudFormation). Only add-ons whose documentation names both the namespace and
//! the ServiceAccount are here; an add-on missing from it links nothing (silent).
//!
//! Sources (awsdocs/amazon-eks-user-guide, `latest/ug/workloads/`):
//! - AWS add-ons, `workloads-add-ons-available-eks.adoc` (docs.aws.amazon.com/eks/latest/
//!   userguide/workloads-add-ons-available-eks.html): each add-on's `eksctl create
//!   iamserviceaccount --name <sa> --namespace <ns>` (vpc-cni, EBS, EFS, Mountpoint for S3,
//!   CloudWatch Observability); FSx for Lustre from `latest/ug/storage/fsx-csi.adoc`;
//! - the community add-ons, `community-addons.adoc` (…/userguide/community-addons.html),
//!   whose table gives "Namespace" and "Service account name": `external-dns` and
//!   `fluent-bit` name one (metrics-server, kube-state-metrics, prometheus-node-exporter and
//!   cert-manager "None": they take no role);
//! - `aws-network-flow-monitoring-agent`, whose page names no ServiceAccount: the agent's
//!   own repository (aws/network-flow-monitor-agent, its IRSA script: `DEFAULT_NAMESPACE=
//!   amazon-network-flow-monitor`, `NFM_SERVICE_ACCOUNT=aws-network-flow-monitor-agent-
//!   service-account`), which the page links for the IAM setup.

/// (add-on name, namespace, ServiceAccount).
const ADDON_SERVICE_ACCOUNTS: &[(&str, &str, &str)] = &[
    ("vpc-cni", "kube-system", "aws-node"),
    ("aws-ebs-csi-driver", "kube-system", "ebs-csi-controller-sa"),
    ("aws-efs-csi-driver", "kube-system", "efs-csi-controller-sa"),
    (
        "aws-mountpoint-s3-csi-driver",
        "kube-system",
        "s3-csi-driver-sa",
    ),
    ("aws-fsx-csi-driver", "kube-system", "fsx-csi-controller-sa"),
    (
        "amazon-cloudwatch-observability",
        "amazon-cloudwatch",
        "cloudwatch-agent",
    ),
    (
        "aws-network-flow-monitoring-agent",
        "amazon-network-flow-monitor",
        "aws-network-flow-monitor-agent-service-account",
    ),
    // Community add-ons.
    ("external-dns", "external-dns", "external-dns"),
    ("fluent-bit", "fluent-bit", "fluent-bit"),
];

/// The (namespace, ServiceAccount) of the add-on `name` (as EKS names it, any case), when known.
pub fn service_account(name: &str) -> Option<(&'static str, &'static str)> {
    ADDON_SERVICE_ACCOUNTS
        .iter()
        .find(|(a, _, _)| a.eq_ignore_ascii_case(name))
        .map(|(_, ns, sa)| (*ns, *sa))
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_add_ons_and_only_those() {
        assert_eq!(
            super::service_account("aws-ebs-csi-driver"),
            Some(("kube-system", "ebs-csi-controller-sa"))
        );
        assert_eq!(
            super::service_account("VPC-CNI"),
            Some(("kube-system", "aws-node"))
        );
        // Community add-ons: the two whose page names a ServiceAccount.
        assert_eq!(
            super::service_account("external-dns"),
            Some(("external-dns", "external-dns"))
        );
        assert_eq!(
            super::service_account("fluent-bit"),
            Some(("fluent-bit", "fluent-bit"))
        );
        // The namespace is `monitor`, the add-on `monitoring`.
        assert_eq!(
            super::service_account("aws-network-flow-monitoring-agent"),
            Some((
                "amazon-network-flow-monitor",
                "aws-network-flow-monitor-agent-service-account"
            ))
        );
        assert_eq!(super::service_account("coredns"), None);
        // Community add-ons that take no role ("Service account name: None").
        assert_eq!(super::service_account("metrics-server"), None);
        assert_eq!(super::service_account("cert-manager"), None);
    }
}
