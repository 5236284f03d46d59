resource aws_iam_role service_account {
	assume_role_policy = templatefile("${path.module}/templates/eks-iam-service-account-role-policy.json.tpl", {
		cluster_arn = var.cluster_arn
		cluster_url = var.cluster_url
		namespace = local.namespace
		service_account_name = local.service_account_name
	})
	name = "AmazonEbsCsiDriveRole_${var.cluster_fqn}"
}
