# The two ways public configurations keep the scheme in an IRSA condition key: a
# jsonencode'd trust and a data.aws_iam_policy_document condition, both on the EKS
# module's cluster_oidc_issuer_url without replace().

resource "aws_iam_role" "vpc_cni" {
  name_prefix = format("%s-vpc-cni-", var.environment)
  description = "The IAM role for VPC CNI addon"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action = "sts:AssumeRoleWithWebIdentity"
        Effect = "Allow"
        Principal = {
          Federated = module.eks.oidc_provider_arn
        }
        Condition = {
          StringEquals = {
            "${module.eks.cluster_oidc_issuer_url}:sub" : "system:serviceaccount:kube-system:aws-node", # expect: trust-key-has-scheme
            "${module.eks.cluster_oidc_issuer_url}:aud" : "sts.amazonaws.com" # expect: trust-key-has-scheme
          }
        }
      }
    ]
  })
}

data "aws_iam_policy_document" "external_dns_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    effect  = "Allow"

    condition {
      test     = "StringEquals"
      variable = "${data.aws_eks_cluster.this.identity[0].oidc[0].issuer}:sub" # expect: trust-key-has-scheme
      values   = ["system:serviceaccount:external-dns:external-dns"]
    }

    principals {
      identifiers = [aws_iam_openid_connect_provider.this.arn]
      type        = "Federated"
    }
  }
}

resource "aws_iam_role" "external_dns" {
  name               = "external-dns"
  assume_role_policy = data.aws_iam_policy_document.external_dns_assume.json
}

# The provider's URL has no trailing slash (Auth0 tenants' issuers do; this one is written
# without it), so the slash in the key is not the provider's.
resource "aws_iam_openid_connect_provider" "auth0" {
  url             = "https://example-tenant.eu.auth0.com"
  client_id_list  = ["https://reports.example.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

data "aws_iam_policy_document" "reports_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.auth0.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "example-tenant.eu.auth0.com/:aud" # expect: trust-key-has-scheme
      values   = ["https://reports.example.com"]
    }
  }
}

resource "aws_iam_role" "reports" {
  name               = "reports"
  assume_role_policy = data.aws_iam_policy_document.reports_assume.json
}
