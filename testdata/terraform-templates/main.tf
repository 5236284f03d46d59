# Policies kept as JSON files and rendered with templatefile(), as many roots do: the files
# are Terraform templates (`${bucket}`, a `%{ for }` list), not JSON documents of their own.
# irsalint checks what they render to, at their positions in the template.

variable "bucket" {
  type    = string
  default = "orders-archive"
}

variable "prefixes" {
  type    = list(string)
  default = ["daily", "weekly"]
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"
}

resource "aws_iam_policy" "archive_writer" {
  name = "archive-writer"
  policy = templatefile("${path.module}/policies/archive-writer.json", {
    bucket   = var.bucket
    prefixes = var.prefixes
  })
}

resource "aws_iam_role" "archiver" {
  name = "archiver"
  assume_role_policy = templatefile("${path.module}/policies/archiver-trust.json", {
    account_id  = "111122223333"
    oidc_issuer = module.eks.cluster_oidc_issuer_url
    namespace   = "archive"
  })
}

resource "aws_iam_role_policy_attachment" "archiver" {
  role       = aws_iam_role.archiver.name
  policy_arn = aws_iam_policy.archive_writer.arn
}
