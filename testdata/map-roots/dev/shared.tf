# A role whose name is known, declared in both roots: one role, defined twice.
resource "aws_iam_role" "logs" {
  name = "log-reader"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
