# Writes allowed on `*` under a permissions boundary that allows them on one bucket only:
# IAM grants them there, not on every resource.
resource "aws_iam_policy" "uploader_boundary" {
  name   = "uploader-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:*"
      Resource = ["arn:aws:s3:::uploads", "arn:aws:s3:::uploads/*"]
    }]
  })
}

resource "aws_iam_role" "uploader" {
  name                 = "uploader"
  permissions_boundary = aws_iam_policy.uploader_boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:uploader:uploader"
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "uploader" {
  name   = "uploader"
  role   = aws_iam_role.uploader.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:DeleteObject"]
      Resource = "*"
    }]
  })
}
