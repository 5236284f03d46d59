# The add-ons' root reads the cluster another root creates (a data source names no cluster of its
# own) and moves the add-on to Pod Identity: its association applies to the add-on's account.
data "aws_eks_cluster" "this" {
  name = "prod"
}

resource "aws_eks_pod_identity_association" "ebs_csi" {
  cluster_name    = data.aws_eks_cluster.this.name
  namespace       = "kube-system"
  service_account = "ebs-csi-controller-sa"
  role_arn        = "arn:aws:iam::111122223333:role/prod-ebs-csi"
}
