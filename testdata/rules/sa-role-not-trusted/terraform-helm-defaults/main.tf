# Charts installed with `helm_release` that annotate their ServiceAccount without naming it:
# the chart names it (its `fullname` template from the release name, or a fixed default).

locals {
  oidc_provider = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9"
  account_id    = "111122223333"

  controllers = toset([
    "aws-load-balancer-controller",
    "ebs-csi-controller-sa",
    "cluster-autoscaler",
    "karpenter",
    "cert-manager",
  ])
}

# One trust per controller, admitting kube-system/<name>.
data "aws_iam_policy_document" "irsa" {
  for_each = local.controllers

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::${local.account_id}:oidc-provider/${local.oidc_provider}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:sub"
      values   = ["system:serviceaccount:kube-system:${each.key}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each = local.controllers

  name               = each.key
  assume_role_policy = data.aws_iam_policy_document.irsa[each.key].json
}

# Trusted: release named as the chart, so the ServiceAccount is the release name.
resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  namespace  = "kube-system"

  set {
    name  = "clusterName"
    value = "prod"
  }

  set {
    name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = aws_iam_role.irsa["aws-load-balancer-controller"].arn
  }
}

# Not trusted: the release was renamed, so the chart creates lb-aws-load-balancer-controller.
resource "helm_release" "lb" {
  name       = "lb"
  repository = "https://aws.github.io/eks-charts"
  chart      = "eks/aws-load-balancer-controller"
  namespace  = "kube-system"

  set = [
    {
      name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
      value = aws_iam_role.irsa["aws-load-balancer-controller"].arn # expect: sa-role-not-trusted
    },
  ]
}

# Trusted: the EBS CSI controller's fixed default name.
resource "helm_release" "ebs_csi" {
  name       = "aws-ebs-csi-driver"
  repository = "https://kubernetes-sigs.github.io/aws-ebs-csi-driver"
  chart      = "aws-ebs-csi-driver"
  namespace  = "kube-system"

  values = [yamlencode({
    controller = {
      serviceAccount = {
        annotations = {
          "eks.amazonaws.com/role-arn" = aws_iam_role.irsa["ebs-csi-controller-sa"].arn
        }
      }
    }
  })]
}

# Not trusted: cluster-autoscaler's account is <release>-aws-cluster-autoscaler.
resource "helm_release" "cluster_autoscaler" {
  name       = "cluster-autoscaler"
  repository = "https://kubernetes.github.io/autoscaler"
  chart      = "cluster-autoscaler"
  namespace  = "kube-system"

  set {
    name  = "autoDiscovery.clusterName"
    value = "prod"
  }

  set {
    name  = "rbac.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = aws_iam_role.irsa["cluster-autoscaler"].arn # expect: sa-role-not-trusted
  }
}

# Trusted: Karpenter's values in a heredoc; the release name contains the chart name.
resource "helm_release" "karpenter" {
  name       = "karpenter"
  namespace  = "kube-system"
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"
  version    = "1.0.2"

  values = [
    <<-EOT
    settings:
      clusterName: prod
    serviceAccount:
      annotations:
        eks.amazonaws.com/role-arn: ${aws_iam_role.irsa["karpenter"].arn}
    EOT
  ]
}

# Not linked: the chart creates no ServiceAccount when told not to.
resource "helm_release" "karpenter_byo" {
  name       = "karpenter-byo"
  namespace  = "karpenter"
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"

  set {
    name  = "serviceAccount.create"
    value = "false"
  }

  set {
    name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = aws_iam_role.irsa["karpenter"].arn
  }
}

# Not trusted: cert-manager's chart names its controller's account after the release
# (cert-manager) in the release's namespace, cert-manager, not kube-system.
resource "helm_release" "cert_manager" {
  name       = "cert-manager"
  repository = "https://charts.jetstack.io"
  chart      = "cert-manager"
  namespace  = "cert-manager"

  set {
    name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = aws_iam_role.irsa["cert-manager"].arn # expect: sa-role-not-trusted
  }
}

# Not linked: a chart irsalint does not model names its account in its own way.
resource "helm_release" "trust_manager" {
  name       = "trust-manager"
  repository = "https://charts.jetstack.io"
  chart      = "trust-manager"
  namespace  = "cert-manager"

  set {
    name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = aws_iam_role.irsa["cert-manager"].arn
  }
}
