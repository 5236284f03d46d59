# A boundary that denies KMS but not S3: the `s3:GetObject` on `*` stays.
resource "aws_iam_policy" "backup_boundary" {
  name   = "backup-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }, {
      Effect   = "Deny"
      Action   = "kms:*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_role" "backup" {
  name                 = "backup"
  permissions_boundary = aws_iam_policy.backup_boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:backup:backup"
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "backup" {
  name   = "backup"
  role   = aws_iam_role.backup.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "kms:Decrypt"]
      Resource = "*"
    }]
  })
}
