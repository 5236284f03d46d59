# A v1-style statement (`conditions`) given to eks-pod-identity v2, which reads `condition`:
# the role may read every object of the bucket, not only the team's.
module "reports_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name                 = "reports"
  attach_custom_policy = true
  policy_statements = [
    {
      sid       = "ReadReports"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::reports/*"]
      conditions = [
        {
          test     = "StringEquals"
          variable = "s3:ExistingObjectTag/team"
          values   = ["reports"]
        }
      ]
    },
    {
      sid      = "ListReports"
      action   = ["s3:ListBucket"]
      resource = ["arn:aws:s3:::reports"]
    }
  ]

  associations = {
    reports = {
      cluster_name    = "prod"
      namespace       = "reports"
      service_account = "reports"
    }
  }
}

# And the other way round: v2's `condition` under v1.
module "velero_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 1.0"

  name                 = "velero"
  attach_custom_policy = true
  policy_statements = [
    {
      actions   = ["s3:PutObject"]
      resources = ["arn:aws:s3:::velero-backups/*"]
      condition = [
        {
          test     = "StringEquals"
          variable = "aws:ResourceTag/backup"
          values   = ["velero"]
        }
      ]
    }
  ]
}
