# A wrapper of terraform-aws-modules' IRSA module that takes a namespace and a
# ServiceAccount name and writes the module's `namespace:name` element from them.
variable "name" {
  type = string
}

variable "oidc_provider_arn" {
  type = string
}

variable "namespace" {
  type = string
}

variable "service_account" {
  type = string
}

module "irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.60"

  role_name = var.name
  oidc_providers = {
    main = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["${var.namespace}:${var.service_account}"]
    }
  }
}

output "iam_role_arn" {
  value = module.irsa.iam_role_arn
}
