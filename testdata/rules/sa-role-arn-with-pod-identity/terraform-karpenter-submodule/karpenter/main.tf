# The shape of clowdhaus/eks-reference-architecture@d71a179 karpenter/ and inferentia/: two
# roots, each creating its own cluster with the EKS module. This one also calls the EKS
# module's Karpenter submodule, which adds to the cluster and creates none, and installs the
# load balancer controller with IRSA; the other root gives the same ServiceAccount name a Pod
# Identity association in its own cluster. No finding: the association is not this cluster's.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = "karpenter"
  kubernetes_version = "1.29"
}

module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 21.0"

  cluster_name = module.eks.cluster_name
}

module "alb_controller_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  version = "~> 6.0"

  name                                   = "alb-controller-karpenter"
  attach_load_balancer_controller_policy = true

  oidc_providers = {
    ex = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:aws-load-balancer-controller"]
    }
  }
}

resource "helm_release" "alb_controller" {
  namespace  = "kube-system"
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = "3.4.0"

  set = [
    {
      name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
      value = module.alb_controller_irsa.arn
    },
  ]
}
