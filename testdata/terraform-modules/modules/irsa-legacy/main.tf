# An older copy of the module that keys its conditions on the issuer URL as given: with
# the EKS module's `cluster_oidc_issuer_url` (which carries https://) the keys never match.
variable "role_name" {
  type = string
}

variable "provider_arn" {
  type = string
}

variable "cluster_oidc_issuer_url" {
  type = string
}

variable "namespace" {
  type = string
}

variable "service_account" {
  type = string
}

resource "aws_iam_role" "this" {
  name = var.role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = var.provider_arn }
      Condition = {
        StringEquals = {
          "${var.cluster_oidc_issuer_url}:sub" = "system:serviceaccount:${var.namespace}:${var.service_account}"
        }
      }
    }]
  })
}

output "iam_role_arn" {
  value = try(aws_iam_role.this.arn, "")
}
