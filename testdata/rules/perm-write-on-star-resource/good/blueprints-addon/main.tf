# aws-ia/eks-blueprints-addon for external-dns, its record changes scoped to the cluster's
# zone; a second add-on whose document only apply renders (an unknown `count`) is not judged.
variable "enable_extra" {
  type = bool
}

data "aws_iam_policy_document" "external_dns" {
  count = 1

  source_policy_documents   = []
  override_policy_documents = []

  statement {
    actions   = ["route53:ChangeResourceRecordSets"]
    resources = ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]
  }

  statement {
    actions = [
      "route53:ListHostedZones",
      "route53:ListResourceRecordSets",
    ]
    resources = ["*"]
  }
}

module "external_dns" {
  source  = "aws-ia/eks-blueprints-addon/aws"
  version = "1.1.1"

  name      = "external-dns"
  namespace = "external-dns"
  chart     = "external-dns"

  set_irsa_names = ["serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"]
  create_role    = true
  role_name      = "external-dns"

  source_policy_documents = data.aws_iam_policy_document.external_dns[*].json

  oidc_providers = {
    this = {
      provider_arn    = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
      service_account = "external-dns"
    }
  }
}

data "aws_iam_policy_document" "extra" {
  count = var.enable_extra ? 1 : 0

  statement {
    actions   = ["route53:ChangeResourceRecordSets"]
    resources = ["*"]
  }
}

module "extra" {
  source = "aws-ia/eks-blueprints-addon/aws"

  chart       = "external-dns"
  create_role = true
  role_name   = "extra"

  source_policy_documents = data.aws_iam_policy_document.extra[*].json
  policy_statements = [
    {
      actions   = ["route53:ListHostedZones"]
      resources = ["*"]
    }
  ]
}
