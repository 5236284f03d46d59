variable "aws_domain_name" {
  type = string
}

variable "cf_domain_name" {
  type    = string
  default = ""
}
