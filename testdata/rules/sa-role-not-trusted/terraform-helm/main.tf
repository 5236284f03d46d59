# Charts told which ServiceAccount to create and which role to annotate it with through
# YAML values: a heredoc (as aws-ia/terraform-aws-eks-blueprints' karpenter pattern writes
# it), a values file read with file(), and a values template rendered with templatefile()
# (its kubecost pattern). Each role trusts one ServiceAccount; the charts name others.

locals {
  oidc_provider = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9"
}

data "aws_iam_policy_document" "irsa" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/${local.oidc_provider}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:sub"
      values   = ["system:serviceaccount:platform:controller"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "karpenter" {
  name               = "karpenter"
  assume_role_policy = data.aws_iam_policy_document.irsa.json
}

resource "aws_iam_role" "external_dns" {
  name               = "external-dns"
  assume_role_policy = data.aws_iam_policy_document.irsa.json
}

resource "aws_iam_role" "kubecost" {
  name               = "kubecost"
  assume_role_policy = data.aws_iam_policy_document.irsa.json
}

resource "helm_release" "karpenter" {
  name             = "karpenter"
  namespace        = "karpenter"
  create_namespace = true
  repository       = "oci://public.ecr.aws/karpenter"
  chart            = "karpenter"
  version          = "1.0.2"

  values = [
    <<-EOT
    dnsPolicy: Default
    settings:
      clusterName: ${module.eks.cluster_name}
    serviceAccount:
      name: karpenter
      annotations:
        eks.amazonaws.com/role-arn: ${aws_iam_role.karpenter.arn} # expect: sa-role-not-trusted
    EOT
  ]
}

resource "helm_release" "external_dns" {
  name       = "external-dns"
  namespace  = "external-dns"
  repository = "https://kubernetes-sigs.github.io/external-dns/"
  chart      = "external-dns"
  values     = [file("${path.module}/external-dns-values.yaml")]

  set {
    name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = aws_iam_role.external_dns.arn # expect: sa-role-not-trusted
  }
}

resource "helm_release" "kubecost" {
  name       = "kubecost"
  namespace  = "kubecost"
  repository = "https://kubecost.github.io/cost-analyzer/"
  chart      = "cost-analyzer"

  values = [templatefile("kubecost-values.yaml", {
    service-account = "kubecost-cost-analyzer"
    iam-role-arn    = aws_iam_role.kubecost.arn
    projectID       = data.aws_caller_identity.current.account_id
  })]
}
