# Pinned to a release before v4.3.0, which has no oidc_fully_qualified_audiences: the help
# asks for the upgrade the input needs (ktg6/k8s-terraform-argocd-app
# terraform/env/k8s-sample-resource/irsa.tf, trimmed).
module "eks_irsa" {
  source                        = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version                       = "3.6.0"
  create_role                   = true
  role_name                     = "eks-irsa"
  provider_url                  = replace(module.eks.cluster_oidc_issuer_url, "https://", "")
  role_policy_arns              = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
  oidc_fully_qualified_subjects = ["system:serviceaccount:default:eks-irsa"]
}
