variable "identifier" {
  type = string
}

variable "provider_urls" {
  type    = list(string)
  default = []
}

variable "oidc_fully_qualified_subjects" {
  type    = list(string)
  default = []
}

variable "iam_policies_to_attach" {
  type    = list(string)
  default = []
}
