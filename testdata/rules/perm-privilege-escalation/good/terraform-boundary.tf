# A role allowed iam:PutRolePolicy and iam:AttachRolePolicy on `*` under a permissions boundary
# that allows every action but IAM's: IAM grants neither, so nothing escalates.
resource "aws_iam_policy" "deployer_boundary" {
  name   = "deployer-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      NotAction = ["iam:*"]
      Resource  = "*"
    }]
  })
}

resource "aws_iam_role" "deployer" {
  name                 = "deployer"
  permissions_boundary = aws_iam_policy.deployer_boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:deployer:deployer"
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "deployer" {
  name   = "deployer"
  role   = aws_iam_role.deployer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:PutRolePolicy", "iam:AttachRolePolicy", "s3:GetObject"]
      Resource = "*"
    }]
  })
}
