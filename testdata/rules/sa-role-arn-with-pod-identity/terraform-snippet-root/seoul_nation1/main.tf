# rainwnssystem/study@93927bb _practice/250213_seoul_nation1 (trimmed): a root that creates its
# cluster (module.eks) and gives wsi/dynamodb its role through IRSA; its own Pod Identity
# association for that account is commented out (as in the repository).
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name    = "wsi-eks-cluster"
  cluster_version = "1.32"
  vpc_id          = "vpc-0a1b2c3d"
  subnet_ids      = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

module "dynamodb_irsa" {
  source    = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version   = "5.60.0"
  role_name = "wsi-role-dynamodb"

  oidc_providers = {
    cluster-oidc-provider = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["wsi:dynamodb"]
    }
  }
}

resource "kubernetes_service_account" "dynamodb" {
  metadata {
    name      = "dynamodb"
    namespace = "wsi"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.dynamodb_irsa.iam_role_arn
    }
  }
}

# module "dynamodb_pod_identity" {
#   source = "terraform-aws-modules/eks-pod-identity/aws"
#   associations = { eks = { cluster_name = module.eks.cluster_name, namespace = "wsi", service_account = "dynamodb" } }
# }
