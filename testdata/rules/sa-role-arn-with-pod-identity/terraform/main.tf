# A workload moved to EKS Pod Identity (the association as the AWS provider documents it)
# whose ServiceAccount still carries the IRSA annotation for the same role, both given by
# reference: the annotation is dead configuration.

data "aws_iam_policy_document" "assume_role" {
  statement {
    effect = "Allow"

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }

    actions = [
      "sts:AssumeRole",
      "sts:TagSession"
    ]
  }
}

resource "aws_iam_role" "example" {
  name               = "eks-pod-identity-example"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
}

resource "aws_eks_pod_identity_association" "example" {
  cluster_name    = aws_eks_cluster.example.name
  namespace       = "example"
  service_account = "example-sa"
  role_arn        = aws_iam_role.example.arn
}

resource "kubernetes_service_account_v1" "example" {
  metadata {
    name      = "example-sa"
    namespace = "example"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.example.arn # expect: sa-role-arn-with-pod-identity
    }
  }
}
