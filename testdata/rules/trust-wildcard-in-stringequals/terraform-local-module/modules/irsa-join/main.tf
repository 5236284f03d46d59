# A home-grown IRSA module (Young-ook/terraform-aws-eks modules/iam-role-for-serviceaccount
# shape, trimmed): the subject is joined from the caller's namespace and name, under
# StringEquals.
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

locals {
  oidc_fully_qualified_audiences = "sts.amazonaws.com"
  oidc_fully_qualified_subjects  = join(":", ["system:serviceaccount", var.namespace, var.serviceaccount])
}

resource "aws_iam_role" "irsa" {
  name = var.name
  assume_role_policy = jsonencode({
    Statement = [{
      Action = "sts:AssumeRoleWithWebIdentity"
      Effect = "Allow"
      Principal = {
        Federated = var.oidc_arn
      }
      Condition = {
        StringEquals = {
          join(":", [var.oidc_url, "aud"]) = local.oidc_fully_qualified_audiences
          join(":", [var.oidc_url, "sub"]) = local.oidc_fully_qualified_subjects
        }
      }
    }]
    Version = "2012-10-17"
  })
}
