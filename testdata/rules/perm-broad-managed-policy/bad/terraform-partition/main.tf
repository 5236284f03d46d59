# ruzickap/k8s-tf-eks-gitops terraform/aws-mgmt/eks.tf: the Crossplane provider's IRSA role gets
# AdministratorAccess through an ARN whose partition a data source gives.
data "aws_partition" "current" {}

resource "aws_iam_role" "crossplane_provider_aws" {
  name = "mgmt01-irsa-crossplane-provider-aws"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9:aud" = "sts.amazonaws.com" }
        StringLike   = { "oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9:sub" = "system:serviceaccount:crossplane-system:provider-aws-*" }
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "crossplane_admin" {
  role       = aws_iam_role.crossplane_provider_aws.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_policy" "crossplane_extra" {
  name   = "crossplane-extra"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::mgmt01-state/*" }] })
}

# Known only as a whole: not an AWS-managed policy, and not reported.
resource "aws_iam_role_policy_attachment" "crossplane_extra" {
  role       = aws_iam_role.crossplane_provider_aws.name
  policy_arn = aws_iam_policy.crossplane_extra.arn
}
