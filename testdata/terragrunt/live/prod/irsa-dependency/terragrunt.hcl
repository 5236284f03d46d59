dependency "eks" {
  config_path = "../eks"
  # Placeholders for `plan` before the cluster exists: not the values apply uses.
  mock_outputs = {
    oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/MOCKED"
  }
}

terraform {
  source = "tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.39.0"
}

inputs = {
  role_name = "shop-api"
  oidc_providers = {
    main = {
      provider_arn               = dependency.eks.outputs.oidc_provider_arn
      namespace_service_accounts = ["shop:api"]
    }
  }
}
