# Read by `include` (find_in_parent_folders("root.hcl")): not an input of irsalint.
locals {
  account_id = "111122223333"
}

remote_state {
  backend = "s3"
  config = {
    bucket = "acme-terragrunt-state"
    key    = "${path_relative_to_include()}/terraform.tfstate"
    region = "us-east-1"
  }
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
}

inputs = {
  account_id = local.account_id
}
