locals {
  oidc_issuer = "oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
}

# "Any namespace, any account" passed to a module that formats the subject under
# StringLike.
module "backup" {
  source = "../modules/backup"

  oidc_issuer          = local.oidc_issuer
  account_id           = "111122223333"
  velero_namespace     = "*"
  service_account_name = "*"
}

# Correct: one namespace, one account.
module "backup_velero" {
  source = "../modules/backup"

  oidc_issuer          = local.oidc_issuer
  account_id           = "111122223333"
  velero_namespace     = "velero"
  service_account_name = "velero-server"
}
