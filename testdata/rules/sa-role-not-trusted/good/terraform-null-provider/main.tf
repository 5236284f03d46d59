# A module of IRSA roles meant to be called: the provider ARN is an input whose default is
# `null`, the usual "the caller sets it" marker (ad-signalio/terraform-utils'
# tf-dt-eks-aws-external-dns-ctrlr-iam). Terraform cannot apply a trust with a null
# principal, so the value is the caller's, which the inputs do not hold: undecided, not
# "no web-identity statement".
variable "oidc_provider_arn" {
  description = "The ARN of the OIDC provider for the EKS cluster"
  type        = string
  default     = null
}

module "external_dns_role" {
  source                     = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  name                       = "external-dns"
  attach_external_dns_policy = true

  oidc_providers = {
    main = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["kube-system:external-dns"]
    }
  }
}

resource "kubernetes_service_account" "external_dns" {
  metadata {
    name      = "external-dns"
    namespace = "kube-system"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.external_dns_role.arn
    }
  }
}

# The same written by hand.
resource "aws_iam_role" "secrets" {
  name = "secrets-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = var.oidc_provider_arn }
      Condition = {
        StringEquals = {
          "oidc.eks.us-east-1.amazonaws.com/id/5C3D2A1B0F9E8D7C6B5A493827161504:sub" = "system:serviceaccount:secrets:reader"
          "oidc.eks.us-east-1.amazonaws.com/id/5C3D2A1B0F9E8D7C6B5A493827161504:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "kubernetes_service_account" "reader" {
  metadata {
    name      = "reader"
    namespace = "secrets"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.secrets.arn
    }
  }
}
