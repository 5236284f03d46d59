# A local IRSA module as zefir01/impersonalized writes it (infrastructure/irsa/main.tf):
# the issuer comes from each caller, the trust has no `aud` condition. Its code is judged
# once per call; the missing `aud` is one problem of this file, reported once with its calls.
variable "name" {
  type = string
}

variable "namespace" {
  type = string
}

variable "serviceaccount" {
  type = string
}

variable "oidc_url" {
  type = string
}

variable "oidc_arn" {
  type = string
}

variable "sa_wildcard" {
  type    = bool
  default = false
}

locals {
  oidc_fully_qualified_subjects = format("system:serviceaccount:%s:%s", var.namespace, var.serviceaccount)
}

resource "aws_iam_role" "irsa" {
  name = "irsa-${var.name}"
  assume_role_policy = jsonencode({
    Statement = [
      {
        Action = "sts:AssumeRoleWithWebIdentity"
        Effect = "Allow"
        Principal = {
          Federated = var.oidc_arn
        }
        Condition = var.sa_wildcard ? {
          StringLike = {
            format("%s:sub", replace(var.oidc_url, "https://", "")) = local.oidc_fully_qualified_subjects
          }
          } : {
          StringEquals = {
            format("%s:sub", replace(var.oidc_url, "https://", "")) = local.oidc_fully_qualified_subjects
          }
        }
      }
    ]
    Version = "2012-10-17"
  })
}

output "role_arn" {
  value = aws_iam_role.irsa.arn
}
