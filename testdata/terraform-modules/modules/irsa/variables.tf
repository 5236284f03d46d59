variable "name" {
  description = "Name of the IAM role"
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider"
  type        = string
}

variable "oidc_issuer" {
  description = "The cluster's OIDC issuer, without https://"
  type        = string
}

variable "namespace" {
  description = "Namespace of the ServiceAccount"
  type        = string
  default     = "default"
}

# Evaluated alone, with its defaults, this module would trust `system:serviceaccount:default:*`
# under StringEquals; every call passes a name, so that is not what any role trusts.
variable "service_account" {
  description = "Name of the ServiceAccount"
  type        = string
  default     = "*"
}

variable "policy_arns" {
  description = "Managed policies to attach"
  type        = list(string)
  default     = []
}
