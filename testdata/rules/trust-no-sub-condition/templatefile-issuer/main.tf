# The shape of ik-workshop/workshop-aws-kubernetes (modules/iamrole), without its `sub`
# condition: a trust policy template `templatefile()` fills with a provider only apply knows.
variable "oidc_provider" {}

resource "aws_iam_role" "pod_identity" {
  name = "pod-iam-identity"

  assume_role_policy = templatefile("${path.module}/web-identity-role.json", {
    account_id    = "111122223333"
    oidc_provider = var.oidc_provider
  })
}
