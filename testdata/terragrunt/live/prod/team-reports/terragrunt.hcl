# A unit named by its directory, as linhng98/mess-around's IAM roles are
# (external/aws/homelab/iam/role/<role>/terragrunt.hcl): the role is `team-reports`.
terraform {
  source = "git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-assumable-role-with-oidc?ref=v5.60.0"
}

inputs = {
  create_role                    = true
  role_name                      = "${basename(get_terragrunt_dir())}"
  provider_url                   = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  oidc_fully_qualified_subjects  = ["system:serviceaccount:reports:reports"]
  oidc_fully_qualified_audiences = ["sts.amazonaws.com"]
}
