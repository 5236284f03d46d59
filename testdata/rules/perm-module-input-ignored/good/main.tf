# Each major with its own condition key and every other key it reads.
module "reports_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name                 = "reports"
  attach_custom_policy = true
  policy_statements = [
    {
      sid       = "ReadReports"
      effect    = "Allow"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::reports/*"]
      condition = [
        {
          test     = "StringEquals"
          variable = "s3:ExistingObjectTag/team"
          values   = ["reports"]
        }
      ]
    },
    {
      sid           = "OnlyReports"
      effect        = "Deny"
      not_actions   = ["s3:GetObject", "s3:ListBucket"]
      not_resources = ["arn:aws:s3:::reports/*"]
    }
  ]
}

module "velero_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "1.12.1"

  name                 = "velero"
  attach_custom_policy = true
  policy_statements = [
    {
      actions   = ["s3:PutObject"]
      resources = ["arn:aws:s3:::velero-backups/*"]
      conditions = [
        {
          test     = "StringEquals"
          variable = "aws:ResourceTag/backup"
          values   = ["velero"]
        }
      ]
    }
  ]
}

# A trust statement's keys are trust-module-input-ignored's, not this rule's.
module "deployer_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name = "deployer"
  trust_policy_statements = [
    {
      actions = ["sts:AssumeRole"]
      principals = [
        {
          type        = "AWS"
          identifiers = ["arn:aws:iam::111122223333:role/ci"]
        }
      ]
      conditions = [
        {
          test     = "StringEquals"
          variable = "aws:PrincipalTag/team"
          values   = ["platform"]
        }
      ]
    }
  ]
}

# Statements no policy uses (neither `attach_custom_policy` nor a switch): Terraform drops
# the key, but nothing is granted either way.
module "unused_statements_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name = "unused"
  policy_statements = [
    {
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::reports/*"]
      conditions = [
        {
          test     = "StringEquals"
          variable = "s3:ExistingObjectTag/team"
          values   = ["reports"]
        }
      ]
    }
  ]
}
