# The cluster's root creates the cluster and its EBS CSI add-on, still with the IRSA role of
# before as `service_account_role_arn` (the annotation EKS writes on the add-on's ServiceAccount).
resource "aws_eks_cluster" "this" {
  name     = "prod"
  role_arn = var.cluster_role_arn

  vpc_config {
    subnet_ids = var.subnet_ids
  }
}

resource "aws_eks_addon" "ebs_csi" {
  cluster_name             = aws_eks_cluster.this.name
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = "arn:aws:iam::111122223333:role/prod-ebs-csi-irsa" # expect: sa-role-arn-with-pod-identity
}
