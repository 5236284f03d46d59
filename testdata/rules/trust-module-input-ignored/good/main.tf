# Each major of eks-pod-identity with the condition key it reads.
module "deployer_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name = "deployer"

  trust_policy_statements = [
    {
      sid     = "CiAssume"
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals = [
        {
          type        = "AWS"
          identifiers = ["arn:aws:iam::111122223333:role/ci"]
        }
      ]
      condition = [
        {
          test     = "StringEquals"
          variable = "aws:PrincipalTag/team"
          values   = ["platform"]
        }
      ]
    }
  ]
}

module "legacy_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 1.4"

  name = "legacy"

  trust_policy_statements = [
    {
      sid     = "CiAssume"
      actions = ["sts:AssumeRole", "sts:TagSession"]
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
