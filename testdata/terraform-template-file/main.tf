# The hashicorp/template provider's data source, as older configurations render their
# trust policies (KaushalRai12/DevOps terraform/modules/aws/eks): the template is a file,
# its variables the provider's values.
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

data template_file cni_role_policy {
	template = file("${path.module}/templates/cni-role-policy.json.tpl")

	vars = {
		cluster_arn = aws_iam_openid_connect_provider.eks.arn
		cluster_url = trimprefix(aws_iam_openid_connect_provider.eks.url, "https://")
	}
}

resource aws_iam_role eks_cni {
	assume_role_policy = data.template_file.cni_role_policy.rendered
	name               = "AmazonEKSCNIRole_platform"
}

resource aws_iam_role_policy_attachment eks_cni_policy {
	policy_arn = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
	role       = aws_iam_role.eks_cni.name
}

# Correct: the same provider, `sub` and `aud` where they belong.
data template_file ebs_role_policy {
	template = file("${path.module}/templates/ebs-role-policy.json.tpl")

	vars = {
		cluster_arn = aws_iam_openid_connect_provider.eks.arn
		cluster_url = trimprefix(aws_iam_openid_connect_provider.eks.url, "https://")
	}
}

resource aws_iam_role ebs_csi {
	assume_role_policy = data.template_file.ebs_role_policy.rendered
	name               = "AmazonEKSEBSCSIRole_platform"
}
