variable "openid_arn" {}
variable "openid_url" {}

resource "aws_iam_role" "role" {
  name = "AmazonEKSLoadBalancerControllerRole"

  assume_role_policy = templatefile("${path.module}/templates/assume-role-policy.json.tpl", {
    openid_arn = var.openid_arn, openid_url = trimprefix(var.openid_url, "https://")
  })
}
