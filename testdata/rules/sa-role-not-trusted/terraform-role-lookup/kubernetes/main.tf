# must match IAM Role in infrastructure/irsa.tf
data "aws_iam_role" "eso-e2e-irsa" {
  name = "eso-e2e-irsa"
}

# Trusted: the namespace and name the trust names.
resource "kubernetes_service_account" "this" {
  metadata {
    name      = "external-secrets-e2e"
    namespace = "external-secrets"
    annotations = {
      "eks.amazonaws.com/role-arn" = data.aws_iam_role.eso-e2e-irsa.arn
    }
  }
}

# Another namespace: the role found by name does not trust it.
resource "kubernetes_service_account" "staging" {
  metadata {
    name      = "external-secrets-e2e"
    namespace = "external-secrets-staging"
    annotations = {
      "eks.amazonaws.com/role-arn" = data.aws_iam_role.eso-e2e-irsa.arn # expect: sa-role-not-trusted
    }
  }
}

# Two roles of the inputs have this name: not linked, nothing decided.
data "aws_iam_role" "shared" {
  name = "shared-reader"
}

resource "kubernetes_service_account" "shared" {
  metadata {
    name      = "other"
    namespace = "other"
    annotations = {
      "eks.amazonaws.com/role-arn" = data.aws_iam_role.shared.arn
    }
  }
}

# A name only apply knows, and a name no role of the inputs has: not linked.
variable "role_name" {
  type = string
}

data "aws_iam_role" "by_variable" {
  name = var.role_name
}

data "aws_iam_role" "outside" {
  name = "created-by-hand"
}

resource "kubernetes_service_account" "by_variable" {
  metadata {
    name      = "other"
    namespace = "elsewhere"
    annotations = {
      "eks.amazonaws.com/role-arn" = data.aws_iam_role.by_variable.arn
    }
  }
}

resource "kubernetes_service_account" "outside" {
  metadata {
    name      = "other"
    namespace = "outside"
    annotations = {
      "eks.amazonaws.com/role-arn" = data.aws_iam_role.outside.arn
    }
  }
}

# The only role of that name is CloudFormation's: not an aws_iam_role, not linked.
data "aws_iam_role" "reports" {
  name = "reports-reader"
}

resource "kubernetes_service_account" "reports" {
  metadata {
    name      = "reader"
    namespace = "reports-staging"
    annotations = {
      "eks.amazonaws.com/role-arn" = data.aws_iam_role.reports.arn
    }
  }
}
