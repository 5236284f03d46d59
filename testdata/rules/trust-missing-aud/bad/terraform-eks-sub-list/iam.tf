# liatrio/lead-terraform@46fc7166 stages/cloud-provider/aws/lead/iam.tf (trimmed): an EKS
# cluster's role trusting two ServiceAccounts with a `sub` list and no `aud`. The list alone
# is not ccoctl's shape here: the issuer is the EKS module's OIDC provider.
module "eks" {
  source = "../../../../modules/environment/aws/eks"
}

resource "aws_iam_role" "operator_slack_service_account" {
  name = "operator-slack-service-account"

  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "${module.eks.aws_iam_openid_connect_provider_arn}"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "${replace(module.eks.aws_iam_openid_connect_provider_url, "https://", "")}:sub": [
            "system:serviceaccount:toolchain:operator-slack",
            "system:serviceaccount:toolchain:sparky"
          ]
        }
      }
    }
  ]
}
EOF
}
