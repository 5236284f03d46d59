# terraform-aws-modules' IRSA role with `allow_self_assume_role`: the module writes an
# `ExplicitSelfRoleAssumption` statement, `{"AWS": "*"}` narrowed by `ArnLike`
# `aws:PrincipalArn` to the role itself (modules/iam-role-for-service-accounts-eks/main.tf
# @v5.60.0). Only the role can assume itself: not a public trust.
module "argocd_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.60.0"

  role_name              = "argocd-management"
  allow_self_assume_role = true

  oidc_providers = {
    main = {
      provider_arn               = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
      namespace_service_accounts = ["argocd:argocd-application-controller", "argocd:argocd-server"]
    }
  }
}
