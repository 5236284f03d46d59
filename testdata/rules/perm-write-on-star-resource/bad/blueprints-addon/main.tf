# aws-ia/eks-blueprints-addon for external-dns, its permissions passed the way
# eks-blueprints-addons passes them (`source_policy_documents` from a counted data source):
# record changes on every hosted zone instead of the cluster's zones.
data "aws_iam_policy_document" "external_dns" {
  count = 1

  source_policy_documents   = []
  override_policy_documents = []

  statement {
    actions   = ["route53:ChangeResourceRecordSets"]
    resources = ["*"]
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
  values    = ["provider: aws"]

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
