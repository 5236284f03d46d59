# A module of the repository that takes the cluster's issuer URL as a variable and strips
# its scheme for the role module (the shape of eks-irsa wrappers): the finding names the
# issuer by the call as written, not by the variable it trims.
variable "cluster_oidc_issuer_url" {
  type = string
}

module "external_dns_irsa" {
  source                        = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version                       = "5.30.0"
  create_role                   = true
  role_name                     = "external-dns"
  provider_url                  = replace(var.cluster_oidc_issuer_url, "https://", "")
  oidc_fully_qualified_subjects = ["system:serviceaccount:kube-system:external-dns"]
}
