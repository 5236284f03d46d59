# chronno4/exemplo-addon-eks@8784f4d external-secrets.tf (trimmed): the ServiceAccount
# manifest is a template that Terraform renders with templatefile() into a local_file (then
# applied by kubectl_manifest): its `${role_arn}` is the role's ARN, substituted by
# Terraform, not a placeholder left for the user.
variable "external_secrets_namespace" {
  type    = string
  default = "external-secrets"
}

resource "aws_iam_role" "external_secrets_role" {
  name = "EKSExternalSecretsCtrlRole"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E:aud" = "sts.amazonaws.com"
          "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E:sub" = "system:serviceaccount:external-secrets:external-secrets-sa"
        }
      }
    }]
  })
}

resource "local_file" "service_account" {
  content = templatefile("${path.module}/templates/service_account.yaml.tpl", {
    namespace = var.external_secrets_namespace,
    role_arn  = aws_iam_role.external_secrets_role.arn
  })
  filename = "${path.module}/manifests/service_account.yaml"
}
