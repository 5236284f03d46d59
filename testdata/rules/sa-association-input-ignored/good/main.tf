# Every key each major reads; a role_arn set to null is left out.
module "karpenter_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.8"

  name = "karpenter"

  association_defaults = {
    cluster_name = "prod"
    tags         = { team = "platform" }
  }
  associations = {
    controller = {
      namespace            = "kube-system"
      service_account      = "karpenter"
      target_role_arn      = "arn:aws:iam::444455556666:role/karpenter-target"
      disable_session_tags = true
      role_arn             = null
      tags                 = { app = "karpenter" }
    }
  }
}

module "ebs_csi_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "1.12.1"

  name                      = "aws-ebs-csi"
  attach_aws_ebs_csi_policy = true

  associations = {
    this = {
      cluster_name    = "prod"
      namespace       = "kube-system"
      service_account = "ebs-csi-controller-sa"
      tags            = { app = "ebs" }
    }
  }
}

# The same keys on the provider's own resource are read.
resource "aws_eks_pod_identity_association" "argocd" {
  cluster_name    = "prod"
  namespace       = "argocd"
  service_account = "argocd-server"
  role_arn        = "arn:aws:iam::111122223333:role/argocd-hub"
}
