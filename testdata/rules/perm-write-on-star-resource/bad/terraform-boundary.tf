# A boundary that caps SQS to one queue but allows SNS everywhere: the SNS write on `*`
# stays, the SQS one is left out of the finding.
resource "aws_iam_policy" "queue_boundary" {
  name   = "queue-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sqs:*"
      Resource = "arn:aws:sqs:eu-west-1:111122223333:jobs"
    }, {
      Effect   = "Allow"
      Action   = "sns:*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_role" "queue" {
  name                 = "queue"
  permissions_boundary = aws_iam_policy.queue_boundary.arn
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:queue:queue"
          "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "queue" {
  name   = "queue"
  role   = aws_iam_role.queue.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:SendMessage", "sns:Publish"]
      Resource = "*"
    }]
  })
}
