# ServiceAccounts written as `kubernetes_manifest` objects (the provider's own resource for any
# manifest, hashicorp/terraform-provider-kubernetes docs/resources/manifest.md): the account the
# role trusts carries it.
resource "aws_iam_role" "thumbnailer" {
  name = "thumbnailer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:gallery:thumbnailer"
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "kubernetes_manifest" "thumbnailer" {
  manifest = {
    apiVersion = "v1"
    kind       = "ServiceAccount"
    metadata = {
      name      = "thumbnailer"
      namespace = "gallery"
      annotations = {
        "eks.amazonaws.com/role-arn" = aws_iam_role.thumbnailer.arn
      }
    }
  }
}
