variable cluster_fqn {
	type = string
}

variable cluster_arn {
	type = string
}

variable cluster_url {
	type = string
}

locals {
	namespace = "kube-system"
	service_account_name = "ebs-csi-driver"
}
