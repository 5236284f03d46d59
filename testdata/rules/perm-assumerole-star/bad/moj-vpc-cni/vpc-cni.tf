# ministryofjustice/cloud-platform-terraform-eks-add-ons vpc-cni.tf@087726e, trimmed: the
# VPC CNI role's permission policy carries the trust policy's `sub` condition. STS keeps the
# `sub` claim in the session (IAM User Guide, "Cross-service AWS web identity federation
# context keys"), so the condition holds for the aws-node pods' session and grants them
# `sts:AssumeRole` on every role: the finding stays.
variable "addon_create_vpc_cni" {
  type    = bool
  default = true
}

variable "cluster_oidc_issuer_url" {
  description = "Used to create the IAM OIDC role"
  type        = string
}

resource "aws_iam_policy" "vpc_cni" {
  count = var.addon_create_vpc_cni ? 1 : 0

  name        = "cluster-vpc-cni"
  description = "EKS cluster addon for VPC CNI"
  policy      = data.aws_iam_policy_document.vpc_cni[0].json
}

data "aws_iam_policy_document" "vpc_cni" {
  count = var.addon_create_vpc_cni ? 1 : 0

  statement {
    actions = [
      "sts:AssumeRoleWithWebIdentity",
      "sts:AssumeRole"
    ]
    effect = "Allow"

    condition {
      test     = "StringEquals"
      variable = "${var.cluster_oidc_issuer_url}:sub"
      values   = ["system:serviceaccount:kube-system:aws-node"]
    }
    resources = ["*"]

  }
}
