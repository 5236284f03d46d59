# Helm values rendered by templatefile() from a values file with `%{ if }` and `%{ for }`
# directives (the shape of data-on-eks' helm-values/*.yaml): the finding points at the
# annotation in the values file, although the directives make the rendered text differ
# from the file's.

locals {
  oidc_provider = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9"
}

resource "aws_iam_role" "external_dns" {
  name = "external-dns"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/${local.oidc_provider}" }
      Condition = {
        StringEquals = {
          "${local.oidc_provider}:sub" = "system:serviceaccount:external-dns:external-dns"
          "${local.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "helm_release" "external_dns" {
  name       = "external-dns"
  repository = "https://kubernetes-sigs.github.io/external-dns/"
  chart      = "external-dns"
  namespace  = "external-dns"

  values = [templatefile("${path.module}/helm-values/external-dns.yaml", {
    enable_ipv6     = false
    domain_filters  = ["example.com", "example.org"]
    service_account = "external-dns-sa"
    role_arn        = aws_iam_role.external_dns.arn
  })]
}
