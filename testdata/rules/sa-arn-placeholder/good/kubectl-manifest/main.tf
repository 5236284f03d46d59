# A ServiceAccount template a `kubectl_manifest` (gavinbunney/kubectl) renders with
# `templatefile()`: Terraform substitutes `${role_arn}` with the role's ARN before apply, so the
# template's placeholder is no unfilled placeholder.
resource aws_iam_role role {
	name = "AmazonEKSLoadBalancerControllerRole"

	assume_role_policy = templatefile("${path.module}/templates/assume-role-policy.json.tpl", {
		openid_arn = var.openid_arn, openid_url = trimprefix(var.openid_url, "https://")
	})
}

resource kubectl_manifest service_account {
	yaml_body = templatefile("${path.module}/templates/service-account-manifest.yaml", { role_arn = aws_iam_role.role.arn })
}
