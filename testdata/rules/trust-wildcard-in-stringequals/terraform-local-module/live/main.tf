locals {
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  oidc_issuer       = "oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
}

# terraform-aws-iam #200/#366's mistake through a module of one's own: the pattern the
# caller passes is compared literally under the module's StringEquals.
module "external_dns_irsa" {
  source = "../modules/irsa"

  name              = "external-dns"
  oidc_provider_arn = local.oidc_provider_arn
  oidc_issuer       = local.oidc_issuer
  namespace         = "external-dns"
  service_account   = "external-dns-*"
}

# Correct: an exact name.
module "reports_irsa" {
  source = "../modules/irsa"

  name              = "reports"
  oidc_provider_arn = local.oidc_provider_arn
  oidc_issuer       = local.oidc_issuer
  namespace         = "reports"
  service_account   = "reports"
}

# The same mistake through the wrapper of the modelled module.
module "karpenter_irsa" {
  source = "../modules/irsa-eks"

  name              = "karpenter"
  oidc_provider_arn = local.oidc_provider_arn
  namespace         = "karpenter"
  service_account   = "karpenter*"
}

module "ebs_csi_irsa" {
  source = "../modules/irsa-eks"

  name              = "ebs-csi"
  oidc_provider_arn = local.oidc_provider_arn
  namespace         = "kube-system"
  service_account   = "ebs-csi-controller-sa"
}

# The same through a wrapper of iam-assumable-role-with-oidc, whose full subjects are
# compared with StringEquals.
module "loki_irsa" {
  source = "../modules/irsa-oidc"

  name            = "loki"
  provider_url    = local.oidc_issuer
  namespace       = "loki"
  service_account = "loki-?"
}

module "mimir_irsa" {
  source = "../modules/irsa-oidc"

  name            = "mimir"
  provider_url    = local.oidc_issuer
  namespace       = "mimir"
  service_account = "mimir"
}

# The same through a module that joins the subject.
module "cluster_autoscaler_irsa" {
  source = "../modules/irsa-join"

  name           = "cluster-autoscaler"
  namespace      = "kube-system"
  serviceaccount = "cluster-autoscaler*"
  oidc_url       = local.oidc_issuer
  oidc_arn       = local.oidc_provider_arn
}

module "aws_lb_controller_irsa" {
  source = "../modules/irsa-join"

  name           = "aws-load-balancer-controller"
  namespace      = "kube-system"
  serviceaccount = "aws-load-balancer-controller"
  oidc_url       = local.oidc_issuer
  oidc_arn       = local.oidc_provider_arn
}
