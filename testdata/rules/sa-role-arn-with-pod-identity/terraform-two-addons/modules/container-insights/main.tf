# The shape of aws-observability/terraform-aws-observability-accelerator@4c39cde: an archived
# module (no caller: its example names a directory that no longer exists) installs the
# CloudWatch Observability add-on with an IRSA role, the current module installs the same
# add-on with a Pod Identity association. A cluster has one add-on of a name (CreateAddon
# answers ResourceInUseException), so the two add-ons never share a cluster: the association
# of the other does not apply to this one's ServiceAccount. No finding.
variable "eks_cluster_id" {
  type = string
}

variable "irsa_role_arn" {
  type    = string
  default = "arn:aws:iam::111122223333:role/cloudwatch-observability"
}

resource "aws_eks_addon" "amazon_cloudwatch_observability" {
  count = 1

  cluster_name             = var.eks_cluster_id
  addon_name               = "amazon-cloudwatch-observability"
  service_account_role_arn = var.irsa_role_arn
}
