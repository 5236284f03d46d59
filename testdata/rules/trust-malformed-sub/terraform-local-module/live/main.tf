locals {
  oidc_url = "https://oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  oidc_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
}

# A namespace with capitals: Kubernetes names never have them.
module "vault_prod" {
  source = "../modules/vault-irsa"

  kubernetes_oidc_url       = local.oidc_url
  kubernetes_oidc_arn       = local.oidc_arn
  vault_namespace           = "Vault"
  kubernetes_serviceaccount = "vault"
}

# A ServiceAccount name with an underscore.
module "vault_monitor" {
  source = "../modules/vault-irsa"

  kubernetes_oidc_url       = local.oidc_url
  kubernetes_oidc_arn       = local.oidc_arn
  vault_namespace           = "vault"
  kubernetes_serviceaccount = "vault_monitor"
}

# Correct.
module "vault_dev" {
  source = "../modules/vault-irsa"

  kubernetes_oidc_url       = local.oidc_url
  kubernetes_oidc_arn       = local.oidc_arn
  vault_namespace           = "vault-dev"
  kubernetes_serviceaccount = "vault"
}

module "reports" {
  source = "../modules/sa-only"

  oidc_provider     = "oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  oidc_provider_arn = local.oidc_arn
  service_account   = "reports"
}
