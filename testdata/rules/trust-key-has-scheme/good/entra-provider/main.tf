# Microsoft Entra ID (v1 tokens) as the identity provider of a Microsoft Fabric S3
# connector (ministryofjustice/analytical-platform, opg-fabric-connector): the issuer
# `https://sts.windows.net/<tenant>/` ends in a slash, so the IAM provider's URL does, and
# its keys are `sts.windows.net/<tenant>/:aud`. The provider ARN is the resource's, known
# at apply only.

data "aws_secretsmanager_secret_version" "tenant_id_secret" {
  secret_id = "opg-fabric-tenant-id"
}

locals {
  tenant_id = data.aws_secretsmanager_secret_version.tenant_id_secret.secret_string
}

resource "aws_iam_openid_connect_provider" "opg_fabric_connector" {
  url             = "https://sts.windows.net/${local.tenant_id}/"
  client_id_list  = ["https://analysis.windows.net/powerbi/connector/AmazonS3"]
  thumbprint_list = ["626d44e704d1ceabe3bf0d53397464ac8080142c"]
}

data "aws_iam_policy_document" "opg_fabric_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.opg_fabric_connector.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "sts.windows.net/${local.tenant_id}/:aud"
      values   = ["https://analysis.windows.net/powerbi/connector/AmazonS3"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts.windows.net/${local.tenant_id}/:sub"
      values   = ["5f2c8e4a-1b3d-4c6e-9f70-2a4b6c8d0e1f"]
    }
  }
}

resource "aws_iam_role" "opg_fabric_connector" {
  name               = "opg-fabric-connector"
  assume_role_policy = data.aws_iam_policy_document.opg_fabric_trust.json
}
