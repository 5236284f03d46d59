# eks-blueprints v4.0.9's kubernetes-addons as its examples called it (trimmed): each add-on's
# helm-addon calls modules/irsa of the same tag, which before v4.3.0 writes `StringLike` on
# `sub` and no `aud` condition. One role per add-on enabled.
module "eks_blueprints_kubernetes_addons" {
  source = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref=v4.0.9"

  eks_cluster_id       = module.eks_blueprints.eks_cluster_id
  eks_cluster_endpoint = module.eks_blueprints.eks_cluster_endpoint
  eks_oidc_provider    = module.eks_blueprints.oidc_provider
  eks_cluster_version  = module.eks_blueprints.eks_cluster_version

  enable_amazon_eks_coredns    = true
  enable_amazon_eks_kube_proxy = true

  enable_aws_load_balancer_controller = true
  enable_traefik                      = true
  enable_external_dns                 = true
  eks_cluster_domain                  = var.eks_cluster_domain

  tags = local.tags
}
