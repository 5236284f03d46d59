# The kubectl provider's manifest (gavinbunney/kubectl `kubectl_manifest`): the ServiceAccount is
# a YAML template Terraform renders with the role's ARN. The role's trust admits
# `kube-system:aws-lb-controller`, the manifest creates `kube-system:aws-load-balancer-controller`.
resource aws_iam_role role {
	name = "AmazonEKSLoadBalancerControllerRole"

	assume_role_policy = jsonencode({
		Version = "2012-10-17"
		Statement = [{
			Effect    = "Allow"
			Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
			Action    = "sts:AssumeRoleWithWebIdentity"
			Condition = {
				StringEquals = {
					"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:kube-system:aws-lb-controller"
					"oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
				}
			}
		}]
	})
}

resource kubectl_manifest service_account {
	yaml_body = templatefile("${path.module}/templates/service-account-manifest.yaml", { role_arn = aws_iam_role.role.arn })
}
