# terraform-aws-eks-pod-identity's FSx for Lustre CSI policy: role-changing actions only on
# the service-linked role's path (IAM refuses to change a service-linked role's policies),
# through coalescelist() of an empty variable and the fallback, the partition known only
# at apply.
data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
}

variable "aws_fsx_lustre_csi_service_role_arns" {
  type    = list(string)
  default = []
}

data "aws_iam_policy_document" "fsx_lustre_csi" {
  statement {
    actions = [
      "iam:CreateServiceLinkedRole",
      "iam:AttachRolePolicy",
      "iam:PutRolePolicy"
    ]
    resources = coalescelist(var.aws_fsx_lustre_csi_service_role_arns, ["arn:${local.partition}:iam::*:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*"])
  }
}

resource "aws_iam_policy" "fsx_lustre_csi" {
  name   = "fsx-lustre-csi"
  policy = data.aws_iam_policy_document.fsx_lustre_csi.json
}
