# Two clusters' issuers, one copied into the other's role.
locals {
  blue_oidc_url = "oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  blue_oidc_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  green_oidc_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/9F2D4B6A8C0E"
}

module "green_external_dns_irsa" {
  source = "../modules/irsa"

  name           = "green-external-dns"
  namespace      = "external-dns"
  serviceaccount = "external-dns"
  oidc_url       = local.blue_oidc_url
  oidc_arn       = local.green_oidc_arn
}

module "blue_external_dns_irsa" {
  source = "../modules/irsa"

  name           = "blue-external-dns"
  namespace      = "external-dns"
  serviceaccount = "external-dns"
  oidc_url       = local.blue_oidc_url
  oidc_arn       = local.blue_oidc_arn
}
