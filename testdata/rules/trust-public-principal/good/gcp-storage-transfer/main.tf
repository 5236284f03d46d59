# Google Cloud Storage Transfer Service reads an S3 bucket through a role that trusts the
# transfer service account's Google subject id (alphagov/govuk-infrastructure,
# govuk_mirror_sync.tf; the shape Google's transfer docs give): `sub` is that one Google
# account wherever its token was issued, so no `aud` is needed.

data "google_storage_transfer_project_service_account" "default" {
}

data "aws_iam_policy_document" "google_federated" {
  statement {
    effect = "Allow"

    principals {
      type        = "Federated"
      identifiers = ["accounts.google.com"]
    }

    actions = ["sts:AssumeRoleWithWebIdentity"]

    condition {
      test     = "StringEquals"
      variable = "accounts.google.com:sub"

      values = [data.google_storage_transfer_project_service_account.default.subject_id]
    }
  }
}

resource "aws_iam_role" "govuk_mirror_gcp_storage_transfer" {
  name               = "govuk-mirror-gcp-storage-transfer"
  assume_role_policy = data.aws_iam_policy_document.google_federated.json
}
