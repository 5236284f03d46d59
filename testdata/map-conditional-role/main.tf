# The vpc-cni add-on of an eks-blueprints-style addon module (chris-caylent/
# terraform-aws-cae-eks-cluster modules/addons/vpc-cni): the add-on's role is the one the
# module creates, or the one its caller passes, a conditional only apply decides.

locals {
  create_irsa = try(var.addon_config.service_account_role_arn == "", true)
}

variable "addon_config" {
  type = any
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name             = var.eks_cluster_id
  addon_name               = "vpc-cni"
  service_account_role_arn = local.create_irsa ? module.irsa_addon[0].irsa_iam_role_arn : try(var.addon_config.service_account_role_arn, null)
}

module "irsa_addon" {
  source = "git::https://github.com/example/terraform-irsa.git?ref=v1.0.0"
  count  = local.create_irsa ? 1 : 0

  kubernetes_namespace       = "kube-system"
  kubernetes_service_account = "aws-node"
}

variable "eks_cluster_id" {
  type = string
}
