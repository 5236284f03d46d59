# The VPC CNI shape (ministryofjustice/cloud-platform-terraform-eks-add-ons vpc-cni.tf@087726e)
# with a condition on the token's `azp` claim: STS keeps no claim but `amr`, `aud`, `sub` and
# `id` in the session, so no request made with the role's credentials carries the key, and
# under `StringEquals` the statement never applies: it grants no `sts:AssumeRole` at all
# (perm-unsupported-condition-key reports the condition).
resource "aws_iam_policy" "vpc_cni" {
  name   = "cluster-vpc-cni"
  policy = data.aws_iam_policy_document.vpc_cni.json
}

data "aws_iam_policy_document" "vpc_cni" {
  statement {
    actions = [
      "sts:AssumeRoleWithWebIdentity",
      "sts:AssumeRole"
    ]
    effect = "Allow"

    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-2.amazonaws.com/id/5C9F2A8E1B7D4E6F:azp"
      values   = ["system:serviceaccount:kube-system:aws-node"]
    }
    resources = ["*"]
  }
}
