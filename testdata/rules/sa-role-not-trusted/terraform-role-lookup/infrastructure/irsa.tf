# external-secrets/external-secrets' e2e layout (terraform/aws): one root creates the IRSA
# role, another reads it back by name (data "aws_iam_role") to annotate the ServiceAccount.
# The provider's issuer is a known local here, so the trust can be decided.

locals {
  oidc_provider            = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9"
  serviceaccount_namespace = "external-secrets"
  serviceaccount_name      = "external-secrets-e2e"
}

data "aws_iam_policy_document" "assume-policy" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:sub"
      values = [
        "system:serviceaccount:${local.serviceaccount_namespace}:${local.serviceaccount_name}"
      ]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/${local.oidc_provider}"]
    }
  }
}

resource "aws_iam_role" "eso-e2e-irsa" {
  name               = "eso-e2e-irsa"
  path               = "/"
  assume_role_policy = data.aws_iam_policy_document.assume-policy.json
}

# Two roots both define a role named `shared-reader` (two accounts): a lookup of that name
# names neither.
resource "aws_iam_role" "shared" {
  name               = "shared-reader"
  assume_role_policy = data.aws_iam_policy_document.assume-policy.json
}
