# stevenshim/eks-hands-on terraform/eks/modules/iam@a886d363 (trimmed): an IRSA role's inline
# policy read with file() from a JSON file that is itself among the inputs.
resource "aws_iam_role" "sample" {
  name = "iam-service-account-sample"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = {
        "oidc.eks.ap-northeast-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:sub" = "system:serviceaccount:default:sample"
        "oidc.eks.ap-northeast-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:aud" = "sts.amazonaws.com"
      } }
    }]
  })
}

resource "aws_iam_role_policy" "sample" {
  name   = "iam-service-account-sample-policy"
  role   = aws_iam_role.sample.id
  policy = file("${path.module}/templates/sample-policy.json")
}
