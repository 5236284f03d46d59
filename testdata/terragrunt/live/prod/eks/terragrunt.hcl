terraform {
  source = "git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.8.4"
}

inputs = {
  cluster_name    = "prod"
  cluster_version = "1.30"
  enable_irsa     = true
}
