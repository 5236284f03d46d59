variable "environment-prefix" {
  type    = string
  default = "itom"
}

variable "eks-oidc-issuer" {
  type = string
}

variable "oidc-provider" {
  type = string
}

resource "aws_iam_role" "eks-ebs-csi-driver-role" {
  name = "${var.environment-prefix}-AmazonEKS_EBS_CSI_DriverRole"
  assume_role_policy = templatefile("${path.module}/trust-policy.tpl",
    {
      oidc-provider   = var.oidc-provider,
      eks-oidc-issuer = replace(var.eks-oidc-issuer, "https://", "")
    }
  )
}

resource "aws_iam_role_policy_attachment" "eks-ebs-csi-driver-role-policy-attach" {
  role       = aws_iam_role.eks-ebs-csi-driver-role.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}
