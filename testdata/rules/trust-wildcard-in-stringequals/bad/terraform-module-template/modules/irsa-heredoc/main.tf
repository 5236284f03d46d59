variable "name" {
  type = string
}

variable "provider_arn" {
  type = string
}

variable "subject" {
  type = string
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "${var.provider_arn}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789:sub": "${var.subject}",
          "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
EOT
}
