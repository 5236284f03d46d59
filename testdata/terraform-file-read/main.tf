# A permissions policy kept in its own JSON file and read with file(), as
# aws-samples/eks-workshop-v2 (manifests/modules/troubleshooting/alb/.workshop/terraform)
# does: the document is linted once, as the policy of the resource that reads it.
resource "aws_iam_role" "reports" {
  name = "reports"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub" = "system:serviceaccount:reports:reports"
          "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_policy" "exports" {
  name   = "reports-exports"
  policy = file("${path.module}/policies/exports.json")
}

resource "aws_iam_role_policy_attachment" "exports" {
  role       = aws_iam_role.reports.name
  policy_arn = aws_iam_policy.exports.arn
}
