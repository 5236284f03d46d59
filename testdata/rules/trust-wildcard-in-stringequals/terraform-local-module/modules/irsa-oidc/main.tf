# A wrapper of terraform-aws-modules' iam-assumable-role-with-oidc that writes the full
# subject from the caller's namespace and ServiceAccount name.
variable "name" {
  type = string
}

variable "provider_url" {
  type = string
}

variable "namespace" {
  type = string
}

variable "service_account" {
  type = string
}

module "role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version = "~> 5.60"

  create_role                    = true
  role_name                      = var.name
  provider_url                   = var.provider_url
  oidc_fully_qualified_subjects  = ["system:serviceaccount:${var.namespace}:${var.service_account}"]
  oidc_fully_qualified_audiences = ["sts.amazonaws.com"]
}
