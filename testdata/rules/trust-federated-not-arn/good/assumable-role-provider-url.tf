# jonahjon/k8s-clusters terraform/falco/iam.tf and rsaylor73/eks_cluster modules/csi: the
# oidc module takes the issuer URL and writes the provider ARN around it itself
# (`arn:${partition}:iam::${account}:oidc-provider/${url}`), so a URL here is right.
module "falco_role" {
  source                        = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version                       = "5.48.0"
  create_role                   = true
  role_name                     = "falco"
  provider_url                  = replace(module.eks.cluster_oidc_issuer_url, "https://", "")
  oidc_fully_qualified_subjects = ["system:serviceaccount:falco:falco"]
}

module "irsa_ebs_csi" {
  source                        = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
  version                       = "5.48.0"
  create_role                   = true
  role_name                     = "ebs-csi"
  provider_url                  = var.oidc_provider
  oidc_fully_qualified_subjects = ["system:serviceaccount:kube-system:ebs-csi-controller-sa"]
}

variable "oidc_provider" {}
