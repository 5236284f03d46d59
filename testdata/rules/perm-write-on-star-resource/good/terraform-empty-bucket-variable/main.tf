# ManagedKube/kubernetes-ops@9de00817 terraform-modules/aws/ssm/ec2-role (trimmed): applied as
# a root with its defaults, the bucket name and prefix are empty, so the resources are
# `arn:aws:s3:::/` and `arn:aws:s3::://*`. IAM matches the text outside a `*` literally: no
# bucket is named ``, so these name no object, let alone every object.
variable "s3_bucket_name" {
  description = "S3 bucket for the SSM interactive session logs"
  default     = ""
}

variable "s3_bucket_prefix" {
  description = "S3 bucket prefix for the SSM interactive session logs"
  default     = ""
}

resource "aws_iam_policy" "ssm_policy_s3" {
  name        = "OpsEC2S3Access"
  description = "A policy for an instance with permissions to the S3 session logs bucket"

  policy = <<EOF
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "s3:PutObject"
            ],
            "Resource": [
                "arn:aws:s3:::${var.s3_bucket_name}/${var.s3_bucket_prefix}",
                "arn:aws:s3:::${var.s3_bucket_name}/${var.s3_bucket_prefix}/*"
            ]
        }
    ]
}
EOF
}
