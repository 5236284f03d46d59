# Two roots (one per environment) that declare the same addresses, as environment copies
# do: each root's references name its own resources. prod's trust has a typo (app-prd).
resource "aws_iam_role" "app" {
  name = "app-prod"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/PRODEXAMPLE" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/PRODEXAMPLE:sub" = "system:serviceaccount:app-prd:app"
          "oidc.eks.eu-west-1.amazonaws.com/id/PRODEXAMPLE:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::prod-reports/*" }]
  })
}

resource "kubernetes_service_account_v1" "app" {
  metadata {
    name      = "app"
    namespace = "app-prod"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.app.arn
    }
  }
}

resource "aws_iam_policy" "exports" {
  name = "app-prod-exports"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::prod-exports/*" }]
  })
}

resource "aws_iam_role_policy_attachment" "exports" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.exports.arn
}
