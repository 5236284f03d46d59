# One root per environment, each declaring the same role whose name is known only at apply
# time (gitops-bridge-dev/gitops-bridge's hub roots name theirs
# "${module.eks.cluster_name}-argocd-hub"): two roles, not one.
variable "cluster_name" {
  type = string
}

resource "aws_iam_role" "app" {
  name = "${var.cluster_name}-app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/PRODEXAMPLE" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/PRODEXAMPLE:sub" = "system:serviceaccount:app-prod:app"
          "oidc.eks.eu-west-1.amazonaws.com/id/PRODEXAMPLE:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "kubernetes_service_account_v1" "app" {
  metadata {
    name      = "app"
    namespace = "app-prod"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.app.arn
    }
  }
}
