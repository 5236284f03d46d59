data "aws_caller_identity" "current" {}

resource "aws_iam_role" "external_dns" {
  name = "external-dns"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRoleWithWebIdentity"
      Principal = {
        Federated = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${var.oidc_issuer}"
      }
      Condition = {
        StringEquals = {
          "${var.oidc_issuer}:sub" = "system:serviceaccount:kube-system:external-dns"
          "${var.oidc_issuer}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

variable "oidc_issuer" {
  type = string
}

variable "oidc_provider_arn" {
  type = string
}

module "karpenter" {
  source = "aws-ia/eks-blueprints-addon/aws"

  chart     = "karpenter"
  namespace = "karpenter"

  create_role = true
  role_name   = "karpenter-controller"

  oidc_providers = {
    this = {
      provider_arn    = var.oidc_provider_arn
      service_account = "karpenter"
    }
    literal = {
      provider_arn    = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
      service_account = "karpenter"
    }
  }
}
