# eks-blueprints v4.0.2's kubernetes-addons with the EKS add-on aws-ebs-csi-driver and the
# module's default `addon_config` copied into the call (as users did), the account renamed:
# v4.0.0-v4.0.4 write the role's trust from `addon_config.service_account`, but EKS runs the
# add-on as kube-system/ebs-csi-controller-sa and annotates that account with the role.
module "eks_blueprints_kubernetes_addons" {
  source = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/kubernetes-addons?ref=v4.0.2"

  eks_cluster_id = module.eks_blueprints.eks_cluster_id

  enable_amazon_eks_aws_ebs_csi_driver = true
  amazon_eks_aws_ebs_csi_driver_config = {
    addon_name               = "aws-ebs-csi-driver"
    addon_version            = "v1.4.0-eksbuild.preview"
    service_account          = "ebs-csi-sa"
    resolve_conflicts        = "OVERWRITE"
    namespace                = "kube-system"
    additional_iam_policies  = []
    service_account_role_arn = ""
    tags                     = {}
  }
}
