data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "default" {
  count = length(var.oidc_fully_qualified_subjects) > 0 ? 0 : 1

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "oidc" {
  count = length(var.oidc_fully_qualified_subjects) > 0 ? 1 : 0

  dynamic "statement" {
    for_each = local.urls

    content {
      effect  = "Allow"
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${statement.value}"]
      }

      dynamic "condition" {
        for_each = length(var.oidc_fully_qualified_subjects) > 0 ? local.urls : []

        content {
          test     = "StringEquals"
          variable = "${statement.value}:sub"
          values   = var.oidc_fully_qualified_subjects
        }
      }
    }
  }
}

locals {
  urls = [
    for url in compact(distinct(var.provider_urls)) :
    replace(url, "https://", "")
  ]

  assume_role_policy = length(var.oidc_fully_qualified_subjects) > 0 ? data.aws_iam_policy_document.oidc[0].json : data.aws_iam_policy_document.default[0].json
}

resource "aws_iam_role" "role" {
  force_detach_policies = true
  assume_role_policy    = local.assume_role_policy
  name                  = var.identifier
}

resource "aws_iam_role_policy_attachment" "attach" {
  count = length(var.iam_policies_to_attach)

  policy_arn = element(var.iam_policies_to_attach, count.index)
  role       = aws_iam_role.role.name
}
