# A module's trust whose provider ARN is an input and whose only condition is on `aud`
# (shaped like lablabs/terraform-aws-eks-universal-addon modules/addon-oidc/iam.tf@b380c1b,
# with its condition filled in): the issuer is not known, the provider is named.
variable "oidc_provider_arn" {
  type = string
}

resource "aws_iam_role" "provider_input" {
  name = "provider-input"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = [var.oidc_provider_arn] }
      Condition = {
        StringEquals = {
          "aws:RequestedRegion" = "eu-west-1"
        }
      }
    }]
  })
}
