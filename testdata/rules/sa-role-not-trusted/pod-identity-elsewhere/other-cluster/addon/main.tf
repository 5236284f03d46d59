# A root creating its own cluster with the EBS CSI add-on on IRSA only; the association for
# `kube-system/ebs-csi-controller-sa` beside it (../association) is another root's, for the
# cluster that root creates: it says nothing about this cluster's ServiceAccount.

resource "aws_eks_cluster" "eks_cluster" {
  name     = "blue"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
}

data "aws_iam_policy_document" "ebs_csi_driver" {
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

resource "aws_iam_role" "ebs_csi_driver" {
  name               = "blue-ebs-csi-driver"
  assume_role_policy = data.aws_iam_policy_document.ebs_csi_driver.json
}

resource "aws_eks_addon" "ebs_csi_driver" {
  cluster_name             = aws_eks_cluster.eks_cluster.name
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = aws_iam_role.ebs_csi_driver.arn # expect: sa-role-not-trusted
}
