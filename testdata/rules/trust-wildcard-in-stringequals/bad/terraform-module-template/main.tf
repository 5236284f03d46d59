# A local module that renders its trust from a template file (the hashicorp/template
# provider's `data "template_file"`, as KaushalRai12/DevOps terraform/modules/aws/eks/modules/*
# do) or a heredoc, with the subject its caller passes in: the wildcard is written here, so
# the finding is here, not at the module's `${subject}`.
locals {
  ebs_subject = "system:serviceaccount:kube-system:ebs-csi-*"
}

resource "aws_iam_openid_connect_provider" "eks" {
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
  url             = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789"
}

module "ebs_csi" {
  source       = "./modules/irsa"
  name         = "ebs-csi"
  provider_arn = aws_iam_openid_connect_provider.eks.arn
  subject      = local.ebs_subject
}

module "autoscaler" {
  source       = "./modules/irsa-heredoc"
  name         = "cluster-autoscaler"
  provider_arn = aws_iam_openid_connect_provider.eks.arn
  subject      = "system:serviceaccount:kube-system:*"
}
