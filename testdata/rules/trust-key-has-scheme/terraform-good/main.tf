# Correct keys: replace() strips the scheme, the EKS module's oidc_provider output has
# none, and a local that strips it is followed.

locals {
  oidc_issuer_host = replace(module.eks.cluster_oidc_issuer_url, "https://", "")
}

resource "aws_iam_role" "vpc_cni" {
  name_prefix = format("%s-vpc-cni-", var.environment)

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action = "sts:AssumeRoleWithWebIdentity"
        Effect = "Allow"
        Principal = {
          Federated = module.eks.oidc_provider_arn
        }
        Condition = {
          StringEquals = {
            "${replace(module.eks.cluster_oidc_issuer_url, "https://", "")}:sub" : "system:serviceaccount:kube-system:aws-node",
            "${replace(module.eks.cluster_oidc_issuer_url, "https://", "")}:aud" : "sts.amazonaws.com"
          }
        }
      }
    ]
  })
}

data "aws_iam_policy_document" "lbc" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider}:sub"
      values   = ["system:serviceaccount:kube-system:aws-load-balancer-controller"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lbc" {
  name               = "aws-load-balancer-controller"
  assume_role_policy = data.aws_iam_policy_document.lbc.json
}

# Remote state: nothing is known about the issuer.
data "terraform_remote_state" "eks" {
  backend = "s3"
  config = {
    bucket = "tf-state"
    key    = "eks.tfstate"
    region = "eu-west-1"
  }
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "${data.terraform_remote_state.eks.outputs.oidc_provider_arn}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
          "${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub": "system:serviceaccount:app:app",
          "${data.terraform_remote_state.eks.outputs.oidc_issuer}:aud": "sts.amazonaws.com"
        }}
      }]
    }
  EOF
}
