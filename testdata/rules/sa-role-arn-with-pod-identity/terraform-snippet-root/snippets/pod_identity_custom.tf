# rainwnssystem/study@93927bb terraform/eks/cluster/pod_identity_custom.tf (trimmed): a
# directory of snippets to copy into a root. Its association's cluster is `module.eks` of
# this directory, which is another root than seoul_nation1/: whatever it would create, it is
# not seoul_nation1's cluster, whose wsi/dynamodb keeps its IRSA role.
module "dynamodb_pod_identity" {
  source = "terraform-aws-modules/eks-pod-identity/aws"

  name = "dynamodb"

  attach_custom_policy = true

  policy_statements = [
    {
      sid       = "Dynamodb"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem"]
      resources = ["*"]
    }
  ]

  association_defaults = {
    namespace       = "wsi"
    service_account = "dynamodb"
  }

  associations = {
    eks = {
      cluster_name = module.eks.cluster_name
    }
  }
}
