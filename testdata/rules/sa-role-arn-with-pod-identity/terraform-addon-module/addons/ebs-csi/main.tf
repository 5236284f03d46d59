variable "cluster_name" {
  type = string
}

resource "aws_eks_addon" "this" {
  cluster_name             = var.cluster_name
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = "arn:aws:iam::111122223333:role/prod-ebs-csi-irsa" # expect: sa-role-arn-with-pod-identity
}
