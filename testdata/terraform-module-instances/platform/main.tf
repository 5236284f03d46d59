variable "oidc_url" {
  type = string
}

variable "oidc_arn" {
  type = string
}

resource "aws_eks_cluster" "this" {
  name     = "platform"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d"]
  }
}

module "vault_irsa" {
  source         = "../irsa"
  name           = "vault-kms-unseal"
  namespace      = "vault"
  serviceaccount = "vault"
  oidc_url       = var.oidc_url
  oidc_arn       = var.oidc_arn
}

module "crossplane_irsa" {
  source         = "../irsa"
  name           = "crossplane-aws"
  namespace      = "crossplane-system"
  serviceaccount = "provider-aws-*"
  oidc_url       = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
  oidc_arn       = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  sa_wildcard    = true
}

module "deploy_role" {
  source     = "../github-role"
  name       = "deploy"
  repository = "example-org/deploy"
}

module "docs_role" {
  source     = "../github-role"
  name       = "docs"
  repository = "example-org/docs"
}
