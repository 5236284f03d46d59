# A root that says nothing about its cluster: it may be the kops one, so the webhook's
# prefix applies as to a manifest.
resource "kubernetes_service_account_v1" "api" {
  metadata {
    name      = "api"
    namespace = "legacy"
    annotations = {
      "eks.amazonaws.com/role-arn" = "arn:aws:iam::111122223333:role/legacy-api"
    }
  }
}
