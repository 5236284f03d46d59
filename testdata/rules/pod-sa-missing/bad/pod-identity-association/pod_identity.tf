# rainwnssystem/study _practice/250309_24local1_try3@93927bb (trimmed): the eks-pod-identity
# module associates `skills/fluentbit` with its role, an IRSA module serves the namespace's
# other accounts, and the Deployment below names `fluentbit`, which no input creates.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name    = "skills-eks-cluster"
  cluster_version = "1.31"
  vpc_id          = "vpc-0a1b2c3d"
  subnet_ids      = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

module "fluentbit_pod_identity" {
  source = "terraform-aws-modules/eks-pod-identity/aws"

  name = "fluentbit"

  attach_custom_policy = true

  policy_statements = [
    {
      sid       = "CloudWatch"
      actions   = ["logs:DescribeLogGroups", "logs:DescribeLogStreams"]
      resources = ["*"]
    }
  ]

  associations = {
    fargate = {
      cluster_name    = module.eks.cluster_name
      namespace       = "skills"
      service_account = "fluentbit"
    }
  }
}

module "secrets_irsa" {
  source = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"

  role_name = "skills-role-secrets"

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["skills:secrets"]
    }
  }
}

resource "kubernetes_service_account" "secrets" {
  metadata {
    name      = "secrets"
    namespace = "skills"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.secrets_irsa.iam_role_arn
    }
  }
}
