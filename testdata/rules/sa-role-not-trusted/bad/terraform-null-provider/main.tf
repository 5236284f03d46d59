# The provider ARN is an input whose default is `null` (the caller sets it), but whatever
# provider the caller passes, the `sub` condition names another ServiceAccount than the
# one annotated with the role: refused for certain.
variable "oidc_provider_arn" {
  type    = string
  default = null
}

module "external_dns_role" {
  source = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
  name   = "external-dns"

  oidc_providers = {
    main = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["kube-system:external-dns"]
    }
  }
}

resource "kubernetes_service_account" "external_dns" {
  metadata {
    name      = "external-dns-controller"
    namespace = "kube-system"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.external_dns_role.arn
    }
  }
}
