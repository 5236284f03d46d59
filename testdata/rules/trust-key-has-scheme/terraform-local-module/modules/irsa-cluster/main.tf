# A module that reads the cluster itself and keys the condition on the cluster's issuer URL
# without replace(): the scheme is the module's mistake, whatever the caller passes.
variable "cluster_name" {
  type = string
}

variable "namespace" {
  type = string
}

variable "service_account" {
  type = string
}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

data "aws_iam_openid_connect_provider" "this" {
  url = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    effect  = "Allow"

    condition {
      test     = "StringEquals"
      variable = format("%s:sub", data.aws_eks_cluster.this.identity[0].oidc[0].issuer)
      values   = [format("system:serviceaccount:%s:%s", var.namespace, var.service_account)]
    }

    principals {
      identifiers = [data.aws_iam_openid_connect_provider.this.arn]
      type        = "Federated"
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.cluster_name}-${var.service_account}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
