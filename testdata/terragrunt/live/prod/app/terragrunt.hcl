dependency "eks" {
  config_path = "../eks"
}

# Automatically find the root configuration and inherit it
include {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "${get_terragrunt_dir()}/../../../modules//irsa"
}

inputs = {
  name              = "payments-app"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  oidc_issuer       = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  namespace         = "payments"
  service_account   = "*"
  cluster_name      = dependency.eks.outputs.cluster_name
}
