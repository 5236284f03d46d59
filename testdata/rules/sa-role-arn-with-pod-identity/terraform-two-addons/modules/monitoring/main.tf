variable "eks_cluster_id" {
  type = string
}

resource "aws_iam_role" "cw_agent" {
  count = 1
  name  = "cw-agent"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
}

resource "aws_eks_addon" "cloudwatch_agent" {
  count = 1

  cluster_name = var.eks_cluster_id
  addon_name   = "amazon-cloudwatch-observability"

  pod_identity_association {
    role_arn        = aws_iam_role.cw_agent[0].arn
    service_account = "cloudwatch-agent"
  }
}
