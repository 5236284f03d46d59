# The shape of KaushalRai12/DevOps (terraform/modules/aws/eks), trimmed: the provider's URL is
# the cluster's issuer URL (with `https://`), passed to a module that trims the scheme and
# fills a trust policy template with it.

resource "aws_eks_cluster" "eks" {
  name     = "operations"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
}

resource "aws_iam_openid_connect_provider" "eks" {
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
  url             = aws_eks_cluster.eks.identity[0].oidc[0].issuer
}

module "load-balancer-controller" {
  source     = "./modules/load-balancer-controller"
  openid_arn = aws_iam_openid_connect_provider.eks.arn
  openid_url = aws_iam_openid_connect_provider.eks.url
}

# The key's claim written as a local too (`"${local.issuer}:${local.claim}"`): its text is not
# `<template>:sub`, so the help names the key by the evaluated issuer.
variable "oidc_host" {}

locals {
  issuer = var.oidc_host
  claim  = "sub"
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Condition = {
        StringEquals = {
          "${local.issuer}:${local.claim}" = "system:serviceaccount:apps:app"
        }
      }
    }]
  })
}
