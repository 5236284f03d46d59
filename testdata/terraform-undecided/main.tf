# The trusted provider is the EKS module's output: whether the role admits the
# ServiceAccount is decided only at apply time. lint stays silent; --explain says why.

data "aws_iam_policy_document" "api" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider}:sub"
      values   = ["system:serviceaccount:shop:api"]
    }
    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "api" {
  name               = "shop-api"
  assume_role_policy = data.aws_iam_policy_document.api.json
}

resource "kubernetes_service_account_v1" "api" {
  metadata {
    name      = "api"
    namespace = "shop"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.api.arn
    }
  }
}

# A module output the inputs cannot resolve.
resource "kubernetes_service_account_v1" "worker" {
  metadata {
    name      = "worker"
    namespace = "shop"
    annotations = {
      "eks.amazonaws.com/role-arn" = module.worker_irsa.iam_role_arn
    }
  }
}
