# Whether the role is created is an input (camptocamp/devops-stack-module-loki-stack
# eks/main.tf@fb87844f): only apply knows `create_role`, and the issuer is unknown with it.
# If the role is created, it trusts any audience of the issuer's tokens: reported at the
# issuer's argument, whose statement has no `aud` condition.
variable "logs_storage" {
  type = object({
    create_role             = bool
    cluster_oidc_issuer_url = optional(string)
  })
}

module "iam_assumable_role_loki" {
  source                     = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version                    = "~> 5.0"
  create_role                = var.logs_storage.create_role
  number_of_role_policy_arns = 1
  role_name_prefix           = "loki-s3-"
  provider_url               = var.logs_storage.create_role ? trimprefix(var.logs_storage.cluster_oidc_issuer_url, "https://") : ""

  oidc_fully_qualified_subjects = [
    "system:serviceaccount:loki-stack:loki",
  ]
}
