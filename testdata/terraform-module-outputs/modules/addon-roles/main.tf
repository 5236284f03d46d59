# One local module creating several add-on roles, each behind a switch, with its outputs
# written the three ways real modules write them: `one()` over a splat (current style),
# `try(...[0].arn, "")` (terraform-aws-modules v5/v6, eks-blueprints-addon) and
# `element(concat(...[*].arn, [""]), 0)` (terraform-aws-modules iam v4). With several roles
# in the module, each output must name its own role for the annotations to link.
variable "oidc_provider" {
  type = string
}

variable "oidc_provider_arn" {
  type = string
}

variable "enable_vpc_cni" {
  type    = bool
  default = true
}

variable "enable_ebs_csi" {
  type    = bool
  default = true
}

variable "enable_load_balancer_controller" {
  type    = bool
  default = false
}

resource "aws_iam_role" "vpc_cni" {
  count = var.enable_vpc_cni ? 1 : 0
  name  = "vpc-cni"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = var.oidc_provider_arn }
      Condition = {
        StringEquals = {
          "${var.oidc_provider}:sub" = "system:serviceaccount:kube-system:aws-node"
          "${var.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role" "ebs_csi" {
  count = var.enable_ebs_csi ? 1 : 0
  name  = "ebs-csi"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = var.oidc_provider_arn }
      Condition = {
        StringEquals = {
          "${var.oidc_provider}:sub" = "system:serviceaccount:kube-system:ebs-csi-controller"
          "${var.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role" "load_balancer_controller" {
  count = var.enable_load_balancer_controller ? 1 : 0
  name  = "aws-load-balancer-controller"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = var.oidc_provider_arn }
      Condition = {
        StringEquals = {
          "${var.oidc_provider}:sub" = "system:serviceaccount:kube-system:aws-load-balancer-controller"
          "${var.oidc_provider}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

output "vpc_cni_role_arn" {
  value = one(aws_iam_role.vpc_cni[*].arn)
}

output "ebs_csi_role_arn" {
  value = try(aws_iam_role.ebs_csi[0].arn, "")
}

output "load_balancer_controller_role_arn" {
  value = element(concat(aws_iam_role.load_balancer_controller[*].arn, [""]), 0)
}
