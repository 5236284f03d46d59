# EKS add-ons given their roles through `pod_identity_association` blocks (AWS provider 5.x),
# the shape of the provider's acceptance tests and of real roots. The association is created
# in the add-on's namespace (kube-system for both).

data "aws_iam_policy_document" "pod_identity" {
  statement {
    effect = "Allow"

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }

    actions = [
      "sts:AssumeRole",
      "sts:TagSession"
    ]
  }
}

resource "aws_iam_role" "ebs_csi" {
  name               = "prod-ebs-csi"
  assume_role_policy = data.aws_iam_policy_document.pod_identity.json
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.ebs_csi.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

# Moved to Pod Identity, but the IRSA role of before is still given: EKS annotates the
# add-on's ServiceAccount with it, and the association wins over the annotation.
resource "aws_eks_addon" "ebs_csi" {
  cluster_name             = aws_eks_cluster.this.name
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = "arn:aws:iam::111122223333:role/prod-ebs-csi-irsa" # expect: sa-role-arn-with-pod-identity

  pod_identity_association {
    role_arn        = aws_iam_role.ebs_csi.arn
    service_account = "ebs-csi-controller-sa"
  }
}

resource "aws_iam_role" "cni" {
  name               = "prod-vpc-cni"
  assume_role_policy = data.aws_iam_policy_document.pod_identity.json
}

# Pod Identity alone: nothing to report.
resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "vpc-cni"

  pod_identity_association {
    role_arn        = aws_iam_role.cni.arn
    service_account = "aws-node"
  }
}

# An IRSA role reused for Pod Identity without changing its trust: the association is
# created, but the role does not trust `pods.eks.amazonaws.com` (`map` shows it).
resource "aws_iam_role" "efs_csi" {
  name = "prod-efs-csi"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9:sub" = "system:serviceaccount:kube-system:efs-csi-controller-sa"
          "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_eks_addon" "efs_csi" {
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "aws-efs-csi-driver"

  pod_identity_association {
    role_arn        = aws_iam_role.efs_csi.arn
    service_account = "efs-csi-controller-sa"
  }
}

# The external-dns community add-on (goodsystems/terraform-eks's shape): EKS creates the
# association in the add-on's namespace, external-dns (docs.aws.amazon.com/eks/latest/
# userguide/community-addons.html).
resource "aws_iam_role" "external_dns" {
  name = "AmazonEKSPodIdentityExternalDNSRole"
  assume_role_policy = jsonencode({
    "Version" : "2012-10-17",
    "Statement" : [
      {
        "Effect" : "Allow",
        "Principal" : {
          "Service" : "pods.eks.amazonaws.com"
        },
        "Action" : [
          "sts:AssumeRole",
          "sts:TagSession"
        ]
      }
    ]
  })
}

resource "aws_eks_addon" "external_dns" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "external-dns"
  resolve_conflicts_on_update = "OVERWRITE"
  pod_identity_association {
    role_arn        = aws_iam_role.external_dns.arn
    service_account = "external-dns"
  }
}
