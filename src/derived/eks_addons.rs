//! The ServiceAccount each EKS add-on runs as: a role given to the add-on
//! (`aws_eks_addon.service_account_role_arn`, eksctl's `addons[].serviceAccountRoleARN`) is
//! what EKS annotates that ServiceAccount with. One table for every reader (Terraform,
//! eksctl). From the AWS add-on pages: docs.aws.amazon.com/eks/latest/userguide/
//! workloads-add-ons-available-eks.html and each add-on's page (for example
//! add-ons-aws-ebs-csi-driver.html, which creates `kube-system/ebs-csi-controller-sa`).

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
        assert_eq!(super::service_account("coredns"), None);
    }
}
