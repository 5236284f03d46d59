# The other root: the EBS CSI add-on given its role twice, as an association and as
# `service_account_role_arn` (the annotation EKS writes on the add-on's ServiceAccount). The
# association wins, with the same role: the annotation is dead configuration. The other root's
# association (another role at the same address) is another cluster's.
resource "aws_eks_cluster" "eks_cluster" {
  name     = "eks-demo"
  role_arn = aws_iam_role.eks_cluster.arn

  vpc_config {
    subnet_ids = var.subnet_ids
  }
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
  name               = "${aws_eks_cluster.eks_cluster.name}-ebs-csi-driver"
  assume_role_policy = data.aws_iam_policy_document.ebs_csi_driver.json
}

resource "aws_eks_pod_identity_association" "ebs_csi_driver" {
  cluster_name    = aws_eks_cluster.eks_cluster.name
  namespace       = "kube-system"
  service_account = "ebs-csi-controller-sa"
  role_arn        = aws_iam_role.ebs_csi_driver.arn
}

resource "aws_eks_addon" "ebs_csi_driver" {
  cluster_name             = aws_eks_cluster.eks_cluster.name
  addon_name               = "aws-ebs-csi-driver"
  addon_version            = "v1.54.0-eksbuild.1"
  service_account_role_arn = aws_iam_role.ebs_csi_driver.arn # expect: sa-role-arn-with-pod-identity
}
