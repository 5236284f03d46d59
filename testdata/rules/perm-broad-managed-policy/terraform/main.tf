# Broad AWS-managed policies reach IRSA roles through the plural aws_iam_policy_attachment
# (its roles list) and aws_iam_role_policy_attachments_exclusive (its policy_arns list),
# written as the AWS provider's documentation shows them.

data "aws_iam_policy_document" "irsa" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${module.eks.oidc_provider}:sub"
      values   = ["system:serviceaccount:ops:deployer"]
    }
  }
}

resource "aws_iam_role" "deployer" {
  name               = "deployer"
  assume_role_policy = data.aws_iam_policy_document.irsa.json
}

resource "aws_iam_role" "auditor" {
  name_prefix        = "auditor-"
  assume_role_policy = data.aws_iam_policy_document.irsa.json
}

resource "aws_iam_policy_attachment" "admins" {
  name       = "admins"
  users      = [aws_iam_user.breakglass.name]
  roles      = [aws_iam_role.deployer.name, aws_iam_role.auditor.name]
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # expect: perm-broad-managed-policy
}

resource "aws_iam_role_policy_attachments_exclusive" "auditor" {
  role_name = aws_iam_role.auditor.name
  policy_arns = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/IAMFullAccess", # expect: perm-broad-managed-policy
  ]
}
