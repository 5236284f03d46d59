# The operator comes from remote state: only apply knows it, so it is no typo (before, it was
# reported as `unknown condition operator data.terraform_remote_state...`).
data "terraform_remote_state" "platform" {
  backend = "s3"
  config = {
    bucket = "acme-terraform-state"
    key    = "platform/terraform.tfstate"
    region = "us-east-1"
  }
}

module "app_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.39.0"

  role_name                  = "app"
  assume_role_condition_test = data.terraform_remote_state.platform.outputs.irsa_condition_test

  oidc_providers = {
    main = {
      provider_arn               = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
      namespace_service_accounts = ["apps:app"]
    }
  }
}
