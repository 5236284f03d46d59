# An EKS cluster's root beside a kops cluster's self-hosted webhook (kops/): EKS's webhook
# reads `eks.amazonaws.com/role-arn` here, so the role is checked, and its trust does not
# admit the ServiceAccount.
locals {
  oidc_provider = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9"
}

data "aws_eks_cluster" "this" {
  name = "prod"
}

resource "aws_iam_role" "api" {
  name = "prod-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/${local.oidc_provider}" }
      Condition = {
        StringEquals = {
          "${local.oidc_provider}:sub" = "system:serviceaccount:shop:api"
          "${local.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "kubernetes_service_account_v1" "web" {
  metadata {
    name      = "web"
    namespace = "shop"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.api.arn # expect: sa-role-not-trusted
    }
  }
}
