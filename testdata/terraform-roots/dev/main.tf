# Two roots (one per environment) that declare the same addresses, as environment copies
# do: each root's references name its own resources.
resource "aws_iam_role" "app" {
  name = "app-dev"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/DEVEXAMPLE" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/DEVEXAMPLE:sub" = "system:serviceaccount:app-dev:app"
          "oidc.eks.eu-west-1.amazonaws.com/id/DEVEXAMPLE:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::dev-reports/*" }]
  })
}

resource "kubernetes_service_account_v1" "app" {
  metadata {
    name      = "app"
    namespace = "app-dev"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.app.arn
    }
  }
}

resource "aws_iam_policy" "exports" {
  name = "app-dev-exports"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::dev-exports/*" }]
  })
}

resource "aws_iam_role_policy_attachment" "exports" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.exports.arn
}
