# The shape of bad/terraform-maybe-created (an unknown `create_role`, an unknown issuer)
# with the audience condition the module writes for `oidc_fully_qualified_audiences`.
variable "logs_storage" {
  type = object({
    create_role             = bool
    cluster_oidc_issuer_url = optional(string)
  })
}

module "iam_assumable_role_loki" {
  source                         = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version                        = "~> 5.0"
  create_role                    = var.logs_storage.create_role
  role_name_prefix               = "loki-s3-"
  provider_url                   = var.logs_storage.create_role ? trimprefix(var.logs_storage.cluster_oidc_issuer_url, "https://") : ""
  oidc_fully_qualified_subjects  = ["system:serviceaccount:loki-stack:loki"]
  oidc_fully_qualified_audiences = ["sts.amazonaws.com"]
}
