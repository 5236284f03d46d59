terraform {
  source = "tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.39.0"
}

locals {
  common = read_terragrunt_config(find_in_parent_folders("env.hcl"))
}

inputs = merge(local.common.inputs, {
  role_name = "merged"
})
