# KaushalRai12/DevOps terraform/modules/aws/eks (trimmed): each add-on is a local module
# that renders its trust with templatefile() from the provider its caller passes in, with
# no `aud` condition. The issuer is named by the expression the caller wrote, not by the
# template's variable.
resource aws_eks_cluster eks {
	name     = "platform"
	role_arn = "arn:aws:iam::111122223333:role/platform-cluster"

	vpc_config {
		subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
	}
}

resource aws_iam_openid_connect_provider eks {
	client_id_list  = ["sts.amazonaws.com"]
	thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
	url             = aws_eks_cluster.eks.identity[0].oidc[0].issuer
}

module ebs_csi_driver {
	source = "./modules/ebs-csi"
	cluster_arn = aws_iam_openid_connect_provider.eks.arn
	cluster_fqn = "platform"
	cluster_url = trimprefix(aws_iam_openid_connect_provider.eks.url, "https://")
}
