locals {
  oidc_provider = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A2B3D4E5F60718293A4B5C6D7E8F9"
  sa_name       = "orders-api"
}

resource "aws_iam_role" "orders" {
  name = "orders-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::${var.account_id}:oidc-provider/${local.oidc_provider}" }
      Condition = {
        StringEquals = {
          "${local.oidc_provider}:sub" = "system:serviceaccount:${var.namespace}:${local.sa_name}"
          "${local.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "orders" {
  name = "orders-s3"
  role = aws_iam_role.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:*"]
      Resource = "*"
    }]
  })
}

resource "kubernetes_service_account_v1" "orders" {
  metadata {
    name      = local.sa_name
    namespace = var.namespace
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.orders.arn
    }
  }
}

resource "kubernetes_deployment_v1" "orders" {
  metadata {
    name      = "orders-api"
    namespace = var.namespace
  }
  spec {
    template {
      metadata {
        labels = { app = "orders-api" }
      }
      spec {
        service_account_name = kubernetes_service_account_v1.orders.metadata[0].name
        container {
          name  = "api"
          image = "example.com/orders:1.4.2"
        }
      }
    }
  }
}

resource "aws_iam_openid_connect_provider" "eks" {
  url             = "https://${local.oidc_provider}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

resource "aws_eks_pod_identity_association" "reports" {
  cluster_name    = "prod"
  namespace       = var.namespace
  service_account = "orders-reports"
  role_arn        = aws_iam_role.orders.arn
}

# The chart's ServiceAccount is named in its values: the role does not trust it.
resource "helm_release" "reports" {
  name      = "reports"
  chart     = "reports"
  namespace = var.namespace
  values = [
    yamlencode({
      serviceAccount = {
        name = "orders-reports-irsa"
        annotations = {
          "eks.amazonaws.com/role-arn" = aws_iam_role.orders.arn
        }
      }
    })
  ]
}
