# A backup role module (streamnative/terraform-aws-cloud velero shape, trimmed): the subject
# is formatted from the caller's namespace and compared with StringLike.
variable "oidc_issuer" {
  type = string
}

variable "aws_partition" {
  type    = string
  default = "aws"
}

variable "account_id" {
  type = string
}

variable "velero_namespace" {
  type = string
}

variable "service_account_name" {
  type = string
}

data "aws_iam_policy_document" "backup_sts_policy" {
  statement {
    actions = [
      "sts:AssumeRoleWithWebIdentity"
    ]
    effect = "Allow"
    principals {
      type        = "Federated"
      identifiers = [format("arn:%s:iam::%s:oidc-provider/%s", var.aws_partition, var.account_id, var.oidc_issuer)]
    }
    condition {
      test     = "StringLike"
      values   = [format("system:serviceaccount:%s:%s", var.velero_namespace, var.service_account_name)]
      variable = format("%s:sub", var.oidc_issuer)
    }
    condition {
      test     = "StringEquals"
      values   = ["sts.amazonaws.com"]
      variable = format("%s:aud", var.oidc_issuer)
    }
  }
}

resource "aws_iam_role" "backup" {
  name               = "backup-role"
  assume_role_policy = data.aws_iam_policy_document.backup_sts_policy.json
}
