# The Argo CD hub role of aws-ia/terraform-aws-eks-blueprints' multi-cluster pattern, given
# to eks-pod-identity's associations: the module associates its own role instead.
resource "aws_iam_role" "argocd_hub" {
  name = "argocd-hub"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Principal = { Service = "pods.eks.amazonaws.com" }
    }]
  })
}

module "argocd_hub_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name = "argocd"

  association_defaults = {
    namespace = "argocd"
    role_arn  = "arn:aws:iam::111122223333:role/argocd-hub"
  }
  associations = {
    controller = {
      cluster_name    = "hub"
      service_account = "argocd-application-controller"
      role_arn        = aws_iam_role.argocd_hub.arn
    }
    server = {
      cluster_name   = "hub"
      serviceaccount = "argocd-server"
    }
  }
}

# v1 reads neither target_role_arn nor disable_session_tags.
module "external_secrets_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 1.4"

  name = "external-secrets"

  associations = {
    this = {
      cluster_name    = "hub"
      namespace       = "external-secrets"
      service_account = "external-secrets"
      target_role_arn = "arn:aws:iam::444455556666:role/secrets-reader"
    }
  }
}
