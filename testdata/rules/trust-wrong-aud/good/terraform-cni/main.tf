# The VPC CNI's role as AWS documents it, its trust a template `data "template_file"` renders:
# `aud` is the audience the cluster's tokens carry, `sub` names aws-node.
resource aws_eks_cluster eks {
	name     = var.cluster_fqn
	role_arn = var.cluster_role_arn

	vpc_config {
		subnet_ids = var.subnet_ids
	}
}

data tls_certificate eks {
	url = aws_eks_cluster.eks.identity[0].oidc[0].issuer
}

resource aws_iam_openid_connect_provider eks {
	client_id_list = ["sts.amazonaws.com"]
	thumbprint_list = [data.tls_certificate.eks.certificates[0].sha1_fingerprint]
	url = aws_eks_cluster.eks.identity[0].oidc[0].issuer
}

// =============== AWS CNI Role
data template_file cni_role_policy {
	template = file("${path.module}/templates/cni-role-policy.json.tpl")

	vars = {
		cluster_arn = aws_iam_openid_connect_provider.eks.arn
		cluster_url = trimprefix(aws_iam_openid_connect_provider.eks.url, "https://")
	}
}

resource aws_iam_role eks_cni {
	assume_role_policy = data.template_file.cni_role_policy.rendered
	name = "AmazonEKSCNIRole_${var.cluster_fqn}"
}

resource aws_iam_role_policy_attachment eks_cni_policy {
	policy_arn = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
	role = aws_iam_role.eks_cni.name
}
