# A permissions boundary the inputs do not show (a variable's ARN): it may limit the role's
# `*` on `*`, or not; the finding stays and says so.
variable "boundary_arn" {
  type = string
}

resource "aws_iam_role" "ops" {
  name                 = "ops"
  permissions_boundary = var.boundary_arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Principal = { Service = "pods.eks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "ops_admin" {
  name = "admin"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
