# Another root, another cluster: its association is for this cluster's ServiceAccount.

resource "aws_eks_cluster" "eks_cluster" {
  name     = "green"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
}

resource "aws_iam_role" "ebs_csi_driver" {
  name = "green-ebs-csi-driver"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
}

resource "aws_eks_pod_identity_association" "ebs_csi_driver" {
  cluster_name    = aws_eks_cluster.eks_cluster.name
  namespace       = "kube-system"
  service_account = "ebs-csi-controller-sa"
  role_arn        = aws_iam_role.ebs_csi_driver.arn
}
