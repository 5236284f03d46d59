# The boundary given by its known ARN (as a plan shows it, or as written), which names the
# one `aws_iam_policy` of the inputs with that name and path: S3 on one bucket, no
# administrator access.
resource "aws_iam_policy" "by_arn_boundary" {
  name   = "by-arn-boundary"
  path   = "/boundaries/"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:*"
      Resource = ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]
    }]
  })
}

resource "aws_iam_role" "by_arn" {
  name                 = "by_arn"
  permissions_boundary = "arn:aws:iam::111122223333:policy/boundaries/by-arn-boundary"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:by_arn:by_arn"
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "by_arn" {
  name   = "by_arn"
  role   = aws_iam_role.by_arn.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
