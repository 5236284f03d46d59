# A module that builds the trust from the caller's namespace and ServiceAccount name with
# format() (a public infrastructure repository's Vault role, trimmed).
variable "kubernetes_oidc_url" {
  type = string
}

variable "kubernetes_oidc_arn" {
  type = string
}

variable "vault_namespace" {
  type = string
}

variable "kubernetes_serviceaccount" {
  type = string
}

data "aws_iam_policy_document" "assume_role_with_oidc" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.kubernetes_oidc_arn]
    }
    condition {
      test     = "StringEquals"
      variable = format("%s:sub", replace(var.kubernetes_oidc_url, "https://", ""))
      values = [
        format("system:serviceaccount:%s:%s", var.vault_namespace, var.kubernetes_serviceaccount)
      ]
    }

    condition {
      test     = "StringEquals"
      variable = format("%s:aud", replace(var.kubernetes_oidc_url, "https://", ""))
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "vault" {
  name               = "vault-${var.vault_namespace}"
  assume_role_policy = data.aws_iam_policy_document.assume_role_with_oidc.json
}
