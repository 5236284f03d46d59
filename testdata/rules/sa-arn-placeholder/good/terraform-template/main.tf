# The shape of sz9751210/terraform@c4cac4a aws/asg/modules: the cluster-autoscaler manifest is
# a Terraform template (`*.tftpl`), rendered by templatefile() into a file kubectl applies. Its
# `${account_id}` and `${cluster_name}` are filled before apply: no finding.
data "aws_caller_identity" "current" {}

variable "cluster_name" {
  type = string
}

resource "local_file" "k8s_config" {
  filename = "${path.module}/files/asg.yaml"
  content = templatefile("${path.module}/files/asg.yaml.tftpl", {
    account_id   = data.aws_caller_identity.current.account_id
    cluster_name = var.cluster_name
  })
}
