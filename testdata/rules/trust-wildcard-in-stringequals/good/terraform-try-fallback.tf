# aws-ia/terraform-aws-eks-blueprints-teams main.tf (called by its tests/complete): a `*`
# inside a `try()` fallback is an expression's text, not a value IAM compares. The `for`
# variable's attributes are left open, so each value is a template with unknown parts.
variable "namespaces" {
  type = any
  default = {
    red = {
      labels = { projectName = "project-red" }
    }
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "IRSA"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"]
    }

    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"
      values   = [for k, v in var.namespaces : "system:serviceaccount:${try(v.name, k, "*")}:${try(v.service_account.name, v.name, k, "*")}"]
    }

    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "team" {
  name               = "red-team"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
