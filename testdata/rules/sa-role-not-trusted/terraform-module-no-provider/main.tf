# ManagedKube/kubernetes-ops@9de00817 terraform-modules/aws/helm/kubernetes-external-secrets
# (trimmed): a module directory whose issuer URL variable defaults to "", linted on its own.
# iam-assumable-role-with-oidc writes a web-identity statement for each provider URL it is
# given, and is given none: no pod can assume the role.
variable "eks_cluster_oidc_issuer_url" {
  type    = string
  default = ""
}

module "iam_assumable_role_admin" {
  source                        = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version                       = "5.60.0"
  create_role                   = true
  role_name                     = "kubernetes-external-secrets"
  provider_url                  = replace(var.eks_cluster_oidc_issuer_url, "https://", "")
  oidc_fully_qualified_subjects = ["system:serviceaccount:kube-system:kubernetes-external-secrets"]
}

resource "kubernetes_service_account_v1" "this" {
  metadata {
    name      = "kubernetes-external-secrets"
    namespace = "kube-system"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.iam_assumable_role_admin.iam_role_arn # expect: sa-role-not-trusted
    }
  }
}
