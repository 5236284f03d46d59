# aws-ia/terraform-aws-eks-blueprints-addons main.tf (external-dns, cert-manager), trimmed:
# each add-on is an aws-ia/eks-blueprints-addon call whose `set_irsa_names` path gets the
# role's ARN; the chart's ServiceAccount (named by the release's `set`, or the chart's
# default) is the one `oidc_providers` trusts, in the release's namespace.
variable "oidc_provider_arn" {
  type    = string
  default = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
}

variable "external_dns" {
  type    = any
  default = {}
}

variable "external_dns_route53_zone_arns" {
  type    = list(string)
  default = ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]
}

variable "cert_manager" {
  type    = any
  default = {}
}

locals {
  external_dns_service_account = try(var.external_dns.service_account_name, "external-dns-sa")
  external_dns_namespace       = try(var.external_dns.namespace, "external-dns")
  cert_manager_namespace       = try(var.cert_manager.namespace, "cert-manager")
}

data "aws_iam_policy_document" "external_dns" {
  count = length(var.external_dns_route53_zone_arns) > 0 ? 1 : 0

  source_policy_documents   = lookup(var.external_dns, "source_policy_documents", [])
  override_policy_documents = lookup(var.external_dns, "override_policy_documents", [])

  statement {
    actions   = ["route53:ChangeResourceRecordSets"]
    resources = var.external_dns_route53_zone_arns
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

  name             = try(var.external_dns.name, "external-dns")
  namespace        = local.external_dns_namespace
  create_namespace = try(var.external_dns.create_namespace, true)
  chart            = try(var.external_dns.chart, "external-dns")
  chart_version    = try(var.external_dns.chart_version, "1.14.3")
  repository       = try(var.external_dns.repository, "https://kubernetes-sigs.github.io/external-dns/")
  values           = try(var.external_dns.values, ["provider: aws"])

  set = concat([
    {
      name  = "serviceAccount.name"
      value = local.external_dns_service_account
    }],
    try(var.external_dns.set, [])
  )

  set_irsa_names       = ["serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"]
  create_role          = try(var.external_dns.create_role, true) && length(var.external_dns_route53_zone_arns) > 0
  role_name            = try(var.external_dns.role_name, "external-dns")
  role_name_use_prefix = try(var.external_dns.role_name_use_prefix, true)

  source_policy_documents = data.aws_iam_policy_document.external_dns[*].json
  policy_statements       = lookup(var.external_dns, "policy_statements", [])

  oidc_providers = {
    this = {
      provider_arn = var.oidc_provider_arn
      # namespace is inherited from chart
      service_account = local.external_dns_service_account
    }
  }
}

data "aws_iam_policy_document" "cert_manager" {
  statement {
    actions   = ["route53:GetChange"]
    resources = ["arn:aws:route53:::change/*"]
  }

  statement {
    actions = [
      "route53:ChangeResourceRecordSets",
      "route53:ListResourceRecordSets",
    ]
    resources = ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]
  }

  statement {
    actions   = ["route53:ListHostedZonesByName"]
    resources = ["*"]
  }
}

# The chart names its ServiceAccount after the release (`cert-manager.fullname`).
module "cert_manager" {
  source  = "aws-ia/eks-blueprints-addon/aws"
  version = "1.1.1"

  name             = try(var.cert_manager.name, "cert-manager")
  namespace        = local.cert_manager_namespace
  create_namespace = try(var.cert_manager.create_namespace, true)
  chart            = try(var.cert_manager.chart, "cert-manager")
  chart_version    = try(var.cert_manager.chart_version, "v1.14.3")
  repository       = try(var.cert_manager.repository, "https://charts.jetstack.io")
  values           = try(var.cert_manager.values, [])

  set = concat([
    {
      name  = "installCRDs"
      value = true
    }],
    try(var.cert_manager.set, [])
  )

  set_irsa_names = ["serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"]
  create_role    = try(var.cert_manager.create_role, true)
  role_name      = try(var.cert_manager.role_name, "cert-manager")

  source_policy_documents = [data.aws_iam_policy_document.cert_manager.json]

  oidc_providers = {
    this = {
      provider_arn = var.oidc_provider_arn
      # namespace is inherited from chart
      service_account = "cert-manager"
    }
  }
}
