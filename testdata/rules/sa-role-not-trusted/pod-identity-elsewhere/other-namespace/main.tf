# The eks-and-friends shape with the association written for another namespace (`storage`):
# it does not apply to the add-on's `kube-system/ebs-csi-controller-sa`, whose role-arn
# annotation is then what the pods use, and the role (Pod Identity trust only) does not let
# the ServiceAccount in with web identity.

resource "aws_eks_cluster" "eks_cluster" {
  name     = "storage-cluster"
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
  name               = "storage-ebs-csi-driver"
  assume_role_policy = data.aws_iam_policy_document.ebs_csi_driver.json
}

resource "aws_eks_pod_identity_association" "ebs_csi_driver" {
  cluster_name    = aws_eks_cluster.eks_cluster.name
  namespace       = "storage"
  service_account = "ebs-csi-controller-sa"
  role_arn        = aws_iam_role.ebs_csi_driver.arn
}

resource "aws_eks_addon" "ebs_csi_driver" {
  cluster_name             = aws_eks_cluster.eks_cluster.name
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = aws_iam_role.ebs_csi_driver.arn # expect: sa-role-not-trusted
}
