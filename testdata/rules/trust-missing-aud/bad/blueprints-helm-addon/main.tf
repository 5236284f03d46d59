# eks-blueprints v4.2.1's kubernetes-addons/crossplane, as a user calls its helm-addon: with
# `irsa_config` the helm-addon calls modules/irsa of its own tag, which before v4.3.0 writes
# `StringLike` on `sub` and no `aud` condition. Found at the module block.
module "crossplane" {
  source = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons/helm-addon?ref=v4.2.1"

  helm_config = {
    name       = "crossplane"
    chart      = "crossplane"
    repository = "https://charts.crossplane.io/stable/"
    version    = "1.6.2"
    namespace  = "crossplane-system"
  }

  irsa_config = {
    kubernetes_namespace              = "crossplane-system"
    create_kubernetes_namespace       = false
    kubernetes_service_account        = "provider-aws"
    create_kubernetes_service_account = true
    irsa_iam_policies                 = ["arn:aws:iam::111122223333:policy/crossplane-aws-provider"]
  }

  addon_context = {
    aws_caller_identity_account_id = "111122223333"
    aws_caller_identity_arn        = "arn:aws:iam::111122223333:role/platform"
    aws_eks_cluster_endpoint       = "https://ABC.gr7.eu-west-1.eks.amazonaws.com"
    aws_partition_id               = "aws"
    aws_region_name                = "eu-west-1"
    eks_cluster_id                 = "platform"
    eks_oidc_issuer_url            = "oidc.eks.eu-west-1.amazonaws.com/id/ABC"
    eks_oidc_provider_arn          = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
    tags                           = {}
    irsa_iam_role_path             = "/"
    irsa_iam_permissions_boundary  = ""
  }
}
