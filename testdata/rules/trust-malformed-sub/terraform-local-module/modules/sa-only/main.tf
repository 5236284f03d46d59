# A module whose subject forgets the namespace: `system:serviceaccount:<name>` is its own
# mistake, whatever the caller passes.
variable "oidc_provider" {
  type = string
}

variable "oidc_provider_arn" {
  type = string
}

variable "service_account" {
  type = string
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_provider}:sub"
      values   = [format("system:serviceaccount:%s", var.service_account)]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.service_account
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
