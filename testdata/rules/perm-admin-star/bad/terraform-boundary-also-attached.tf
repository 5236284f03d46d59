# The same policy given as a boundary and also attached: it grants `*` on `*`.
resource "aws_iam_policy" "also_attached" {
  name = "also-attached"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["*"]
      Resource = ["*"]
    }]
  })
}

resource "aws_iam_role" "attached_to" {
  name                 = "attached-to"
  permissions_boundary = aws_iam_policy.also_attached.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Principal = { Service = "pods.eks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "also_attached" {
  role       = aws_iam_role.attached_to.name
  policy_arn = aws_iam_policy.also_attached.arn
}
