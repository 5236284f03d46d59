# eks-blueprints v4.4.0's kubernetes-addons as a user called it (trimmed): from v4.3.0 the
# modules/irsa each add-on's helm-addon calls writes the `aud` condition, so the
# load-balancer controller's role has one.
module "eks_kubernetes_addons" {
  source = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref=v4.4.0"

  eks_cluster_id               = module.eks.eks_cluster_id
  eks_cluster_endpoint         = module.eks.eks_cluster_endpoint
  eks_oidc_provider            = module.eks.oidc_provider
  eks_cluster_version          = module.eks.eks_cluster_version
  eks_worker_security_group_id = module.eks.worker_node_security_group_id

  enable_amazon_eks_coredns = true
  amazon_eks_coredns_config = {
    addon_version     = data.aws_eks_addon_version.latest["coredns"].version
    resolve_conflicts = "OVERWRITE"
  }
  enable_amazon_eks_vpc_cni = true

  enable_aws_load_balancer_controller = true

  tags = local.tags
}
