# darede-labs/reference-implementation-aws cluster/terraform/main.tf and
# cluster/iam-policies/crossplane-permissions-boundry.json@9674fbf (trimmed): the policy is
# only ever given as a permissions boundary, which caps the role's permissions and grants
# nothing; its `Allow *` under the denials is how AWS writes boundaries.
resource "aws_iam_policy" "crossplane_boundary" {
  name = "crossplane-permissions-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Deny"
        Action   = ["iam:CreateUser", "iam:CreateAccessKey"]
        Resource = ["*"]
      },
      {
        Effect   = "Allow"
        Action   = ["*"]
        Resource = ["*"]
      }
    ]
  })
}

module "crossplane_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 1.0"

  name                     = "crossplane-provider-aws"
  permissions_boundary_arn = aws_iam_policy.crossplane_boundary.arn
}

resource "aws_iam_role" "boundary_user" {
  name                 = "boundary-user"
  permissions_boundary = aws_iam_policy.crossplane_boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Principal = { Service = "pods.eks.amazonaws.com" }
    }]
  })
}
