# A Kubeflow profile namespace's role through eks-blueprints v4 modules/irsa, meant for
# every notebook of the namespace: the module writes `StringLike` on
# `system:serviceaccount:<kubernetes_namespace>:<kubernetes_service_account>`, so `*` lets
# any ServiceAccount of kubeflow-user-example-com assume the role.
module "user_namespace_irsa" {
  source                            = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa?ref=v4.32.1"
  kubernetes_namespace              = "kubeflow-user-example-com"
  create_kubernetes_namespace       = false
  create_kubernetes_service_account = false
  kubernetes_service_account        = "*"
  irsa_iam_role_name                = "user-namespace-irsa"
  irsa_iam_policies                 = ["arn:aws:iam::111122223333:policy/user-namespace-s3"]
  eks_cluster_id                    = "kubeflow"
  eks_oidc_provider_arn             = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
}
