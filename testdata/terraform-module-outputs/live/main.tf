module "addon_roles" {
  source                          = "../modules/addon-roles"
  oidc_provider                   = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  oidc_provider_arn               = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  enable_load_balancer_controller = true
}

resource "kubernetes_service_account_v1" "aws_node" {
  metadata {
    name      = "aws-node"
    namespace = "kube-system"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.addon_roles.vpc_cni_role_arn
    }
  }
}

# The module's role trusts `ebs-csi-controller`; the chart's ServiceAccount is
# `ebs-csi-controller-sa`.
resource "kubernetes_service_account_v1" "ebs_csi" {
  metadata {
    name      = "ebs-csi-controller-sa"
    namespace = "kube-system"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.addon_roles.ebs_csi_role_arn
    }
  }
}

resource "kubernetes_service_account_v1" "load_balancer_controller" {
  metadata {
    name      = "aws-load-balancer-controller"
    namespace = "kube-system"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.addon_roles.load_balancer_controller_role_arn
    }
  }
}
