# A GitHub Actions role module with terraform-aws-modules/iam's v6 `iam-role` trust shape
# (modules/iam-role/main.tf): `ForAllValues:StringEquals` on the single-valued `aud` and
# `sub` claims. Called once per repository; each key is its own problem, each reported once
# for both calls.
variable "name" {
  type = string
}

variable "repository" {
  type = string
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        "ForAllValues:StringEquals" = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:${var.repository}:ref:refs/heads/main"
        }
      }
    }]
  })
}
