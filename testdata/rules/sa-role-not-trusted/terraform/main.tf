# IRSA written by hand in one root module: the roles reach the cluster through a
# kubernetes_service_account_v1, a helm_release `set` with escaped dots and an EKS
# add-on. The provider's issuer is a known local here, so the trust can be decided.

locals {
  oidc_provider = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9"
  account_id    = "111122223333"
}

data "aws_iam_policy_document" "payments" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    effect  = "Allow"

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::${local.account_id}:oidc-provider/${local.oidc_provider}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:sub"
      values   = ["system:serviceaccount:payments:api"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "payments" {
  name               = "payments-api"
  assume_role_policy = data.aws_iam_policy_document.payments.json
}

# Trusted: the namespace and name the trust names.
resource "kubernetes_service_account_v1" "payments" {
  metadata {
    name      = "api"
    namespace = "payments"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.payments.arn
    }
  }
}

# The same role in another namespace: not trusted.
resource "kubernetes_service_account_v1" "billing" {
  metadata {
    name      = "api"
    namespace = "billing"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.payments.arn # expect: sa-role-not-trusted
    }
  }
}

resource "aws_iam_role" "ebs_csi" {
  name = "ebs-csi"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::${local.account_id}:oidc-provider/${local.oidc_provider}" }
      Condition = {
        StringEquals = {
          "${local.oidc_provider}:sub" = "system:serviceaccount:kube-system:ebs-csi-node-sa"
          "${local.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

# The add-on runs as kube-system/ebs-csi-controller-sa, which the trust does not name.
resource "aws_eks_addon" "ebs_csi" {
  cluster_name             = module.eks.cluster_name
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = aws_iam_role.ebs_csi.arn # expect: sa-role-not-trusted
}

resource "aws_iam_role" "external_dns" {
  name = "external-dns"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::${local.account_id}:oidc-provider/${local.oidc_provider}" }
      Condition = {
        StringEquals = {
          "${local.oidc_provider}:sub" = "system:serviceaccount:external-dns:external-dns"
          "${local.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

# Trusted: helm 3 provider `set = [...]` with the escaped annotation key.
resource "helm_release" "external_dns" {
  name       = "external-dns"
  repository = "https://kubernetes-sigs.github.io/external-dns/"
  chart      = "external-dns"
  namespace  = "external-dns"

  set = [
    {
      name  = "serviceAccount.name"
      value = "external-dns"
    },
    {
      name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
      value = aws_iam_role.external_dns.arn
    },
  ]
}

# Not trusted: helm 2 provider `set {}` blocks naming another ServiceAccount.
resource "helm_release" "external_dns_private" {
  name      = "external-dns-private"
  chart     = "external-dns"
  namespace = "external-dns"

  set {
    name  = "serviceAccount.name"
    value = "external-dns-private"
  }

  set {
    name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = aws_iam_role.external_dns.arn # expect: sa-role-not-trusted
  }
}
