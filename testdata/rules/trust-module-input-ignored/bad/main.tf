# A trust statement written with v1's `conditions` for eks-pod-identity v2, which reads
# `condition`: the role trusts the whole CI account's role without the tag condition.
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
      conditions = [
        {
          test     = "StringEquals"
          variable = "aws:PrincipalTag/team"
          values   = ["platform"]
        }
      ]
    }
  ]

  associations = {
    deployer = {
      cluster_name    = "prod"
      namespace       = "deploy"
      service_account = "deployer"
    }
  }
}
