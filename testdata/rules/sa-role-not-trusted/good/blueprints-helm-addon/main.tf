# awslabs/kubeflow-manifests iaac/terraform/common/ack-sagemaker-controller (trimmed, the
# context written out): eks-blueprints v4's modules/irsa makes the role for
# ack-system/ack-sagemaker-controller and the helm-addon's release annotates the chart's
# account with it; the chart runs as the account the role trusts.
locals {
  namespace = "ack-system"
  name      = "ack-sagemaker-controller"
  helm_config = {
    name       = local.name
    chart      = "sagemaker-chart"
    repository = "oci://public.ecr.aws/aws-controllers-k8s"
    version    = "v1.2.1"
    namespace  = local.namespace
    values     = []
    set = [
      {
        name  = "serviceAccount.name"
        value = "ack-sagemaker-controller"
      },
    ]
  }
  addon_context = {
    aws_region_name               = "eu-west-1"
    eks_cluster_id                = "kubeflow"
    eks_oidc_provider_arn         = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
    irsa_iam_role_path            = "/"
    irsa_iam_permissions_boundary = ""
  }
}

module "irsa" {
  source                            = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa?ref=v4.32.1"
  kubernetes_namespace              = local.namespace
  create_kubernetes_namespace       = true
  create_kubernetes_service_account = false
  kubernetes_service_account        = local.name
  irsa_iam_role_name                = "ack-sagemaker-controller-irsa"
  irsa_iam_policies                 = ["arn:aws:iam::111122223333:policy/sagemaker-ack"]
  eks_cluster_id                    = local.addon_context.eks_cluster_id
  eks_oidc_provider_arn             = local.addon_context.eks_oidc_provider_arn
}

module "helm_addon" {
  source            = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon?ref=v4.32.1"
  manage_via_gitops = false
  helm_config       = local.helm_config
  set_values = [
    {
      name  = "aws.region"
      value = local.addon_context.aws_region_name
    },
    {
      name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
      value = module.irsa.irsa_iam_role_arn
    },
  ]

  addon_context = local.addon_context

  depends_on = [module.irsa]
}

# eks-blueprints v4.32.1's kubernetes-addons/aws-load-balancer-controller, as it calls the
# helm-addon: modules/irsa creates kube-system/aws-load-balancer-controller-sa with the role,
# and the chart runs as that account without creating one.
module "aws_load_balancer_controller" {
  source = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon?ref=v4.32.1"

  helm_config = {
    name        = "aws-load-balancer-controller"
    chart       = "aws-load-balancer-controller"
    repository  = "https://aws.github.io/eks-charts"
    version     = "1.4.8"
    namespace   = "kube-system"
    description = "aws-load-balancer-controller Helm Chart for ingress resources"
  }

  set_values = [
    {
      name  = "serviceAccount.name"
      value = "aws-load-balancer-controller-sa"
    },
    {
      name  = "serviceAccount.create"
      value = false
    }
  ]

  irsa_config = {
    kubernetes_namespace              = "kube-system"
    kubernetes_service_account        = "aws-load-balancer-controller-sa"
    create_kubernetes_namespace       = false
    create_kubernetes_service_account = true
    irsa_iam_policies                 = ["arn:aws:iam::111122223333:policy/kubeflow-lb-irsa"]
  }

  addon_context = local.addon_context
}
