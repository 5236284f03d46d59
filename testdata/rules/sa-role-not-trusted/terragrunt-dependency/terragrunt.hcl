# A unit at the top of the inputs whose ServiceAccount takes its role from a dependency's
# output (bee7ch7/eks-setups@58c28e96's shape): the role the unit at `config_path` makes,
# which trusts another namespace's account.
terraform {
  source = "./modules//sa"
}

dependency "role" {
  config_path = "iam/app"
}

inputs = {
  role_arn = dependency.role.outputs.iam_role_arn # expect: sa-role-not-trusted
}
