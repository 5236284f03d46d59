# A `sub` pinned beside a key only apply knows (an input, as lablabs/
# terraform-aws-eks-universal-addon modules/addon-oidc/iam.tf@b380c1b writes its keys): that
# key may be `<issuer>:aud`, undecided.
variable "audience_condition_variable" {
  type = string
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
          "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub" = "system:serviceaccount:team:app"
          (var.audience_condition_variable)                 = "sts.amazonaws.com"
        }
      }
    }]
  })
}
