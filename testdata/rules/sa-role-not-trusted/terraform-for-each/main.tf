# One role per application from a map: the trust documents are one
# `data "aws_iam_policy_document"` with `for_each`, each role takes its own by key
# (`data.aws_iam_policy_document.irsa[each.key].json`), and the ServiceAccounts are
# annotated with `aws_iam_role.irsa[each.key].arn` (the shape of many real roots).

locals {
  oidc_provider = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9"
  account_id    = "111122223333"

  irsa_roles = {
    external-dns = {
      namespace       = "external-dns"
      service_account = "external-dns"
    }
    ebs-csi = {
      namespace       = "kube-system"
      service_account = "ebs-csi-controller-sa"
    }
  }
}

data "aws_iam_policy_document" "irsa" {
  for_each = local.irsa_roles

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::${local.account_id}:oidc-provider/${local.oidc_provider}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:sub"
      values   = ["system:serviceaccount:${each.value.namespace}:${each.value.service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each = local.irsa_roles

  name               = "prod-irsa-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.irsa[each.key].json
}

# Trusted: each ServiceAccount is the one its role's document names.
resource "kubernetes_service_account_v1" "irsa" {
  for_each = local.irsa_roles

  metadata {
    name      = each.value.service_account
    namespace = each.value.namespace
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.irsa[each.key].arn
    }
  }
}

# Not trusted: external-dns's role, taken by key, in another namespace.
resource "kubernetes_service_account_v1" "external_dns_private" {
  metadata {
    name      = "external-dns"
    namespace = "external-dns-private"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.irsa["external-dns"].arn # expect: sa-role-not-trusted
    }
  }
}

# `count` selects one instance by index: `[0]`.
variable "enable_reports" {
  type    = bool
  default = true
}

data "aws_iam_policy_document" "reports" {
  count = var.enable_reports ? 1 : 0

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::${local.account_id}:oidc-provider/${local.oidc_provider}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:sub"
      values   = ["system:serviceaccount:reports:generator"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reports" {
  count = var.enable_reports ? 1 : 0

  name               = "prod-reports"
  assume_role_policy = data.aws_iam_policy_document.reports[0].json
}

resource "kubernetes_service_account_v1" "reports" {
  metadata {
    name      = "generator"
    namespace = "reporting"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.reports[0].arn # expect: sa-role-not-trusted
    }
  }
}

# Over the roles themselves (`for_each = aws_iam_role.irsa`): `each.value.arn`, which the
# provider computes, is that instance's ARN. A second ServiceAccount per application in a
# canary namespace is trusted by no role: one finding per instance, at the annotation.
resource "kubernetes_service_account_v1" "canary" {
  for_each = aws_iam_role.irsa

  metadata {
    name      = local.irsa_roles[each.key].service_account
    namespace = "canary"
    annotations = {
      "eks.amazonaws.com/role-arn" = each.value.arn # expect: sa-role-not-trusted
    }
  }
}

# The same roles by key through a `for` expression over them (a module's usual output),
# reused by a staging copy of external-dns: the role trusts only the production one. The
# finding is where the ARN is taken, as for every value a local passes on.
locals {
  irsa_role_arns = { for k, role in aws_iam_role.irsa : k => role.arn } # expect: sa-role-not-trusted
}

resource "kubernetes_service_account_v1" "external_dns_staging" {
  metadata {
    name      = "external-dns"
    namespace = "external-dns-staging"
    annotations = {
      "eks.amazonaws.com/role-arn" = local.irsa_role_arns["external-dns"]
    }
  }
}
