# lablabs/terraform-aws-eks-universal-addon modules/addon-oidc/iam.tf@b380c1b (trimmed): the
# condition's operator and key are inputs. A key only apply knows may be `<issuer>:sub`, and
# the key's default `""` is a placeholder, not a trust without `sub`: undecided.
variable "oidc_custom_provider_arn" {
  type    = string
  default = ""
}

variable "oidc_assume_role_policy_condition_test" {
  type    = string
  default = "StringLike"
}

variable "oidc_assume_role_policy_condition_variable" {
  type    = string
  default = ""
}

variable "oidc_assume_role_policy_condition_values" {
  type    = list(string)
  default = []
}

variable "other_condition_variable" {
  type = string
}

resource "aws_iam_openid_connect_provider" "this" {
  url            = "https://token.example.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "addon_oidc" {
  name = "addon-oidc"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = [coalesce(var.oidc_custom_provider_arn, one(aws_iam_openid_connect_provider.this[*].arn))] }
      Condition = {
        (var.oidc_assume_role_policy_condition_test) = {
          (var.oidc_assume_role_policy_condition_variable) = var.oidc_assume_role_policy_condition_values
        }
      }
    }]
  })
}

resource "aws_iam_role" "key_input" {
  name = "key-input"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }
      Condition = {
        StringEquals = {
          (var.other_condition_variable) = "system:serviceaccount:team:app"
        }
      }
    }]
  })
}
