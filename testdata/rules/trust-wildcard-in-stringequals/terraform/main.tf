# terraform-aws-iam #200/#366: a wildcard subject under the default StringEquals never
# matches. Written by hand as a policy document with a dynamic condition block.

variable "service_accounts" {
  type    = list(string)
  default = ["system:serviceaccount:monitoring:*"]
}

data "aws_iam_policy_document" "prometheus" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }

    dynamic "condition" {
      for_each = var.service_accounts
      content {
        test     = "StringEquals"
        variable = "${module.eks.oidc_provider}:sub"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "prometheus" {
  name               = "prometheus"
  assume_role_policy = data.aws_iam_policy_document.prometheus.json
}
