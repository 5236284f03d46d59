# A role whose policy allows `*` on `*` under a permissions boundary that allows only S3 on
# one bucket: IAM grants the role's sessions what both allow, S3 on that bucket, which is no
# administrator access.
resource "aws_iam_policy" "reports_boundary" {
  name = "reports-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:*"]
      Resource = ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]
    }]
  })
}

resource "aws_iam_role" "reports" {
  name                 = "reports"
  permissions_boundary = aws_iam_policy.reports_boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:reports:reports"
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "reports_admin" {
  name = "admin"
  role = aws_iam_role.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

# The same under terraform-aws-modules/iam v5 `iam-role-for-service-accounts-eks`: its
# `role_permissions_boundary_arn` is the role's boundary, and the boundary denies what it
# does not allow: every action but S3's.
resource "aws_iam_policy" "irsa_boundary" {
  name = "irsa-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      NotAction = ["iam:*", "sts:*", "organizations:*"]
      Resource  = "*"
      }, {
      Effect   = "Deny"
      Action   = "*"
      Resource = "*"
      Condition = {
        StringNotEquals = { "aws:RequestedRegion" = "eu-west-1" }
      }
    }]
  })
}

resource "aws_iam_policy" "irsa_admin" {
  name = "irsa-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

module "irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.0"

  role_name                     = "irsa-app"
  role_permissions_boundary_arn = aws_iam_policy.irsa_boundary.arn
  role_policy_arns = {
    admin = aws_iam_policy.irsa_admin.arn
  }
  oidc_providers = {
    main = {
      provider_arn               = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
      namespace_service_accounts = ["apps:app"]
    }
  }
}
