# The cluster's root creates the cluster and moves the EBS CSI driver to Pod Identity.
resource "aws_eks_cluster" "this" {
  name     = "prod"
  role_arn = var.cluster_role_arn

  vpc_config {
    subnet_ids = var.subnet_ids
  }
}

resource "aws_eks_pod_identity_association" "ebs_csi" {
  cluster_name    = aws_eks_cluster.this.name
  namespace       = "kube-system"
  service_account = "ebs-csi-controller-sa"
  role_arn        = "arn:aws:iam::111122223333:role/prod-ebs-csi"
}
