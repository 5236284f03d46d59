resource "aws_iam_role" "broken" {
  name = "broken"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
  }
}
