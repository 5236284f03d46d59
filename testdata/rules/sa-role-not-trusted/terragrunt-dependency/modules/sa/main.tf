variable "role_arn" {
  type = string
}

resource "kubernetes_service_account_v1" "this" {
  metadata {
    name        = "app"
    namespace   = "kube-system"
    annotations = { "eks.amazonaws.com/role-arn" = var.role_arn }
  }
}
