module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name    = "platform"
  cluster_version = "1.30"
}

data "aws_iam_policy_document" "efs_csi_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    effect  = "Allow"

    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider_arn}:sub" # expect: trust-key-is-provider-arn
      values   = ["system:serviceaccount:kube-system:efs-csi-controller-sa"]
    }
  }
}

resource "aws_iam_role" "efs_csi" {
  name               = "efs-csi-driver"
  assume_role_policy = data.aws_iam_policy_document.efs_csi_assume.json
}

resource "aws_iam_openid_connect_provider" "eks" {
  url            = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Condition = {
        StringEquals = {
          "${aws_iam_openid_connect_provider.eks.url}:sub" = "system:serviceaccount:app:app"
          "${aws_iam_openid_connect_provider.eks.arn}:aud" = "sts.amazonaws.com" # expect: trust-key-is-provider-arn
        }
      }
    }]
  })
}

data "aws_iam_openid_connect_provider" "shared" {
  url = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0000000000000000000000000"
}

resource "aws_iam_role" "reports" {
  name = "reports"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = data.aws_iam_openid_connect_provider.shared.arn }
      Condition = {
        StringEquals = {
          "${data.aws_iam_openid_connect_provider.shared.arn}:sub" = "system:serviceaccount:reports:reports" # expect: trust-key-is-provider-arn
          "${data.aws_iam_openid_connect_provider.shared.arn}:aud" = "sts.amazonaws.com" # expect: trust-key-is-provider-arn
        }
      }
    }]
  })
}
