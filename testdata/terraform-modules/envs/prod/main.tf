module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name    = "prod"
  cluster_version = "1.30"
}

# The cluster's OIDC provider, as the plan of the cluster's own root gives it.
locals {
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  oidc_issuer       = "oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
}

# Correct: the role trusts reports/reports, the ServiceAccount the module's output names.
module "reports_irsa" {
  source = "../../modules/irsa"

  name              = "reports"
  oidc_provider_arn = local.oidc_provider_arn
  oidc_issuer       = local.oidc_issuer
  namespace         = "reports"
  service_account   = "reports"
  policy_arns       = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
}

resource "kubernetes_service_account_v1" "reports" {
  metadata {
    name      = "reports"
    namespace = "reports"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.reports_irsa.role_arn
    }
  }
}

# A typo in the call's input: the role trusts biling/billing.
module "billing_irsa" {
  source = "../../modules/irsa"

  name              = "billing"
  oidc_provider_arn = local.oidc_provider_arn
  oidc_issuer       = local.oidc_issuer
  namespace         = "biling"
  service_account   = "billing"
}

resource "kubernetes_service_account_v1" "billing" {
  metadata {
    name      = "billing"
    namespace = "billing"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.billing_irsa.role_arn
    }
  }
}

# One call per worker; each ServiceAccount takes its instance's role. The exporter's role
# trusts `exporter`, its ServiceAccount is `export`.
module "workers_irsa" {
  source   = "../../modules/irsa"
  for_each = { ingest = "ingest", export = "exporter" }

  name              = "worker-${each.key}"
  oidc_provider_arn = local.oidc_provider_arn
  oidc_issuer       = local.oidc_issuer
  namespace         = "workers"
  service_account   = each.value
}

resource "kubernetes_service_account_v1" "workers" {
  for_each = module.workers_irsa

  metadata {
    name      = each.key
    namespace = "workers"
    annotations = {
      "eks.amazonaws.com/role-arn" = each.value.role_arn
    }
  }
}

# A module that calls the irsa module itself: correct.
module "shop" {
  source = "../../modules/app"

  name              = "shop"
  namespace         = "shop"
  oidc_provider_arn = local.oidc_provider_arn
  oidc_issuer       = local.oidc_issuer
}

# The legacy module keys its condition on the URL with its scheme: the module is wrong.
module "legacy_irsa" {
  source = "../../modules/irsa-legacy"

  role_name               = "legacy"
  provider_arn            = module.eks.oidc_provider_arn
  cluster_oidc_issuer_url = module.eks.cluster_oidc_issuer_url
  namespace               = "legacy"
  service_account         = "legacy"
}

resource "kubernetes_service_account_v1" "legacy" {
  metadata {
    name      = "legacy"
    namespace = "legacy"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.legacy_irsa.iam_role_arn
    }
  }
}

# Modelled module instances, iterated over by an add-on each: the EFS role's subject lacks
# the `-sa` of the driver's ServiceAccount.
module "addon_irsa" {
  source   = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version  = "~> 5.60"
  for_each = { ebs = "kube-system:ebs-csi-controller-sa", efs = "kube-system:efs-csi-controller" }

  role_name = "addon-${each.key}"
  oidc_providers = {
    main = {
      provider_arn               = local.oidc_provider_arn
      namespace_service_accounts = [each.value]
    }
  }
}

resource "aws_eks_addon" "csi" {
  for_each = module.addon_irsa

  cluster_name             = module.eks.cluster_name
  addon_name               = "aws-${each.key}-csi-driver"
  service_account_role_arn = each.value.iam_role_arn
}
