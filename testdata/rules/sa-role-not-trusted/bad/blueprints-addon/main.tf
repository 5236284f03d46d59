# aws-ia/eks-blueprints-addon called as eks-blueprints-addons calls it for external-dns, with
# the release's ServiceAccount renamed in `set` but not in `oidc_providers`: the chart's
# account `external-dns/external-dns` gets the role's ARN (`set_irsa_names`), and the trust
# admits only `external-dns/external-dns-sa`.
data "aws_iam_policy_document" "external_dns" {
  count = 1

  statement {
    actions   = ["route53:ChangeResourceRecordSets"]
    resources = ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]
  }
}

module "external_dns" {
  source  = "aws-ia/eks-blueprints-addon/aws"
  version = "1.1.1"

  name       = "external-dns"
  namespace  = "external-dns"
  chart      = "external-dns"
  repository = "https://kubernetes-sigs.github.io/external-dns/"
  values     = ["provider: aws"]

  set = [
    {
      name  = "serviceAccount.name"
      value = "external-dns"
    }
  ]

  set_irsa_names = ["serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"]
  create_role    = true
  role_name      = "external-dns"

  source_policy_documents = data.aws_iam_policy_document.external_dns[*].json

  oidc_providers = {
    this = {
      provider_arn    = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
      service_account = "external-dns-sa"
    }
  }
}
