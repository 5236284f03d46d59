variable "namespace" {
  type    = string
  default = "default"
}

variable "account_id" {
  type = string
}
