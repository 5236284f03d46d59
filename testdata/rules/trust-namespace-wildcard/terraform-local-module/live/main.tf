locals {
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  oidc_issuer       = "oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
}

# Any namespace whose name starts with `team-`.
module "teams_irsa" {
  source = "../modules/irsa"

  name              = "teams"
  oidc_provider_arn = local.oidc_provider_arn
  oidc_issuer       = local.oidc_issuer
  namespace         = "team-*"
  service_account   = "worker"
}

# Every ServiceAccount of namespace `jobs`.
module "jobs_irsa" {
  source = "../modules/irsa"

  name              = "jobs"
  oidc_provider_arn = local.oidc_provider_arn
  oidc_issuer       = local.oidc_issuer
  namespace         = "jobs"
  service_account   = "*"
}

# Correct: a name prefix within one namespace.
module "reports_irsa" {
  source = "../modules/irsa"

  name              = "reports"
  oidc_provider_arn = local.oidc_provider_arn
  oidc_issuer       = local.oidc_issuer
  namespace         = "reports"
  service_account   = "reports-*"
}

# Velero in every namespace whose name starts with `velero-`, through a module that
# formats the subject.
module "backup" {
  source = "../modules/backup"

  oidc_issuer          = local.oidc_issuer
  account_id           = "111122223333"
  velero_namespace     = "velero-*"
  service_account_name = "velero"
}

module "backup_ok" {
  source = "../modules/backup"

  oidc_issuer          = local.oidc_issuer
  account_id           = "111122223333"
  velero_namespace     = "velero"
  service_account_name = "velero-*"
}
