# yevgenis-shapiro/aws-n8n-workflow-orchestration@fdaaeec (trimmed): a local module renders
# its role's trust with templatefile() from a plain `.tpl` (no `.json` before it), with
# only a `sub` condition. The issuer is named by the caller's expression.
resource "aws_eks_cluster" "k8s-cluster" {
  name     = "itom-eks"
  role_arn = "arn:aws:iam::111122223333:role/itom-eks-cluster"

  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  }
}

resource "aws_iam_openid_connect_provider" "eks" {
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
  url             = aws_eks_cluster.k8s-cluster.identity[0].oidc[0].issuer
}

module "ebs-csi-driver" {
  source = "./modules/ebs-csi"

  environment-prefix = "itom"
  eks-oidc-issuer    = aws_eks_cluster.k8s-cluster.identity[0].oidc[0].issuer
  oidc-provider      = aws_iam_openid_connect_provider.eks.arn
}
