# The root passes the local module's output to iam-assumable-role-with-oidc, which writes no
# `aud` condition unless oidc_fully_qualified_audiences is given: the finding belongs here,
# at the argument, not at the output's expression in eks/main.tf
# (aws-containers/retail-store-sample-app terraform/eks/default/iam.tf@1a28474f).
module "retail_app_eks" {
  source = "./eks"
}

module "iam_assumable_role_carts" {
  source                        = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version                       = "~> 5.58.0"
  create_role                   = true
  role_name                     = "retail-carts-dynamo"
  provider_url                  = module.retail_app_eks.eks_oidc_issuer_url
  oidc_fully_qualified_subjects = ["system:serviceaccount:carts:carts"]
}
