# The shape of andygolubev/eks-and-friends (terraform-pure/10-ebs-sci-driver.tf), trimmed: the
# EBS CSI add-on keeps `service_account_role_arn` (EKS annotates its ServiceAccount with the
# role) while a Pod Identity association for the same ServiceAccount gives the pods the role.
# The association wins: the annotation's role is never assumed with web identity, so its
# trust (Pod Identity only) is not reported by sa-role-not-trusted; the one problem, the dead
# annotation, is sa-role-arn-with-pod-identity's.

resource "aws_eks_cluster" "eks_cluster" {
  name     = var.cluster_name
  role_arn = aws_iam_role.eks_role.arn
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
  service_account_role_arn = aws_iam_role.ebs_csi_driver.arn # expect: sa-role-arn-with-pod-identity
}

# The old IRSA role passed in as a variable (known only at apply time): with the association
# applying, nothing about it is left undecided either (`lint --explain`).
resource "aws_eks_pod_identity_association" "efs_csi_driver" {
  cluster_name    = aws_eks_cluster.eks_cluster.name
  namespace       = "kube-system"
  service_account = "efs-csi-controller-sa"
  role_arn        = aws_iam_role.ebs_csi_driver.arn
}

resource "aws_eks_addon" "efs_csi_driver" {
  cluster_name             = aws_eks_cluster.eks_cluster.name
  addon_name               = "aws-efs-csi-driver"
  service_account_role_arn = var.efs_irsa_role_arn # expect: sa-role-arn-with-pod-identity
}
