# EKS access-entry changes under a boundary that allows only reads of EKS.
resource "aws_iam_policy" "clusterops_boundary" {
  name   = "clusterops-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["eks:Describe*", "eks:List*"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role" "clusterops" {
  name                 = "clusterops"
  permissions_boundary = aws_iam_policy.clusterops_boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:clusterops:clusterops"
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "clusterops" {
  name   = "clusterops"
  role   = aws_iam_role.clusterops.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["eks:CreateAccessEntry", "eks:AssociateAccessPolicy", "eks:DescribeCluster"]
      Resource = "*"
    }]
  })
}
