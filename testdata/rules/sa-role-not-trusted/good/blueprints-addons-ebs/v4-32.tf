# eks-blueprints v4.32.1's kubernetes-addons as a user calls it (the EBS CSI driver's
# add-on page's shape): from v4.0.5 the role trusts kube-system/ebs-csi-controller-sa
# whatever `addon_config` says, the account EKS runs the add-on as.
module "kubernetes_addons" {
  source         = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref=v4.32.1"
  eks_cluster_id = module.cluster.cluster_id

  enable_amazon_eks_aws_ebs_csi_driver = true
  amazon_eks_aws_ebs_csi_driver_config = {
    addon_name      = "aws-ebs-csi-driver"
    addon_version   = "v1.17.0-eksbuild.1"
    service_account = "ebs-csi-sa"
  }
}
