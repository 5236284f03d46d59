# eks-blueprints v4.32.1's kubernetes-addons as its examples call it (blue-green-upgrade,
# trimmed), with a broad AWS-managed policy given to external-dns's role through
# `external_dns_irsa_policies`. The module's own external-dns and load-balancer policies are
# its producer's, not judged here.
module "kubernetes_addons" {
  source = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref=v4.32.1"

  eks_cluster_id    = "blue"
  eks_oidc_provider = "oidc.eks.eu-west-1.amazonaws.com/id/ABC"

  enable_amazon_eks_aws_ebs_csi_driver = true
  enable_metrics_server                = true
  enable_aws_load_balancer_controller  = true
  aws_load_balancer_controller_helm_config = {
    service_account = "aws-lb-sa"
  }
  enable_karpenter           = true
  enable_external_dns        = true
  external_dns_irsa_policies = ["arn:aws:iam::aws:policy/AmazonRoute53FullAccess"]
}
