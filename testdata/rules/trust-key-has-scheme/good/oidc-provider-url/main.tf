# The provider's `url` attribute keys the conditions (wandb/terraform-aws-wandb
# modules/app_eks/iam-roles.tf, matihost/monorepo terraform/aws/aws-eks/module/irsa.tf):
# the provider is configured with the issuer URL and its `https://`, but the AWS provider
# stores what IAM's GetOpenIDConnectProvider returns, the URL without the scheme, so
# `"${aws_iam_openid_connect_provider.eks.url}:sub"` is the key IAM names. So is the
# Federated ARN built from it.

data "aws_caller_identity" "current" {}

resource "aws_iam_openid_connect_provider" "eks" {
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
  url             = module.eks.cluster_oidc_issuer_url
}

resource "aws_iam_role" "irsa" {
  name = "wandb-irsa-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Federated = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${aws_iam_openid_connect_provider.eks.url}"
        }
        Action = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "${aws_iam_openid_connect_provider.eks.url}:sub" = "system:serviceaccount:wandb:wandb-app"
            "${aws_iam_openid_connect_provider.eks.url}:aud" = "sts.amazonaws.com"
          }
        }
      }
    ]
  })
}

# A provider whose URL is written out: its `url` read back is `oidc.eks...` too.
resource "aws_iam_openid_connect_provider" "velero" {
  client_id_list = ["sts.amazonaws.com"]
  url            = "https://oidc.eks.us-east-1.amazonaws.com/id/5C2A9D8E1F0B7A6C3D4E5F60718293A4"
}

data "aws_iam_policy_document" "velero_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    effect  = "Allow"
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.velero.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${aws_iam_openid_connect_provider.velero.url}:sub"
      values   = ["system:serviceaccount:velero:velero"]
    }
    condition {
      test     = "StringEquals"
      variable = "${aws_iam_openid_connect_provider.velero.url}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "velero" {
  name               = "velero"
  assume_role_policy = data.aws_iam_policy_document.velero_trust.json
}
