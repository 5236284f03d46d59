variable "name" {
  type = string
}

variable "provider_arn" {
  type = string
}

variable "subject" {
  type = string
}

data "template_file" "trust" {
  template = file("${path.module}/templates/trust.json.tpl")

  vars = {
    provider_arn = var.provider_arn
    subject      = var.subject
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.template_file.trust.rendered
}
