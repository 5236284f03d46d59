# An application module: its role (through the irsa module) and its ServiceAccount.
variable "name" {
  type = string
}

variable "namespace" {
  type = string
}

variable "oidc_provider_arn" {
  type = string
}

variable "oidc_issuer" {
  type = string
}

module "irsa" {
  source = "../irsa"

  name              = "${var.name}-app"
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer       = var.oidc_issuer
  namespace         = var.namespace
  service_account   = var.name
}

resource "kubernetes_service_account_v1" "this" {
  metadata {
    name      = var.name
    namespace = var.namespace
    annotations = {
      "eks.amazonaws.com/role-arn" = module.irsa.role_arn
    }
  }
}

output "service_account" {
  value = kubernetes_service_account_v1.this.metadata[0].name
}

# Moving to Pod Identity: the association names the same role as the annotation.
resource "aws_eks_pod_identity_association" "this" {
  cluster_name    = "prod"
  namespace       = var.namespace
  service_account = var.name
  role_arn        = module.irsa.role_arn
}
