module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name    = "prod"
  cluster_version = "1.30"
}

# The EKS module's issuer URL carries `https://`: the caller passes it as it is.
module "external_dns_irsa" {
  source = "../modules/irsa"

  name           = "external-dns"
  namespace      = "external-dns"
  serviceaccount = "external-dns"
  oidc_url       = module.eks.cluster_oidc_issuer_url
  oidc_arn       = module.eks.oidc_provider_arn
}

# The same with the URL written out.
module "loki_irsa" {
  source = "../modules/irsa"

  name           = "loki"
  namespace      = "loki"
  serviceaccount = "loki"
  oidc_url       = "https://oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  oidc_arn       = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
}

# Correct: the scheme trimmed by the caller (the module's README usage).
module "karpenter_irsa" {
  source = "../modules/irsa"

  name           = "karpenter"
  namespace      = "karpenter"
  serviceaccount = "karpenter"
  oidc_url       = replace(module.eks.cluster_oidc_issuer_url, "https://", "")
  oidc_arn       = module.eks.oidc_provider_arn
}

# The module keys the condition on the cluster's URL itself.
module "cert_manager_irsa" {
  source = "../modules/irsa-cluster"

  cluster_name    = "prod"
  namespace       = "cert-manager"
  service_account = "cert-manager"
}
