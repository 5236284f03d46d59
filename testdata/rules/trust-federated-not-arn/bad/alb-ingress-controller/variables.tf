# A module's inputs (DeyoPP/int-tf-modules alb-ingress-controller@29e4782, trimmed): the
# provider ARN and issuer default to "", which a caller that does not set them keeps.
variable "cluster_name" {
  type = string
}

variable "oidc_provider" {
  description = "The OIDC provider ARN for the EKS cluster"
  type        = string
  default     = ""
}

variable "oidc_url" {
  description = "The OIDC provider URL for the EKS cluster"
  type        = string
  default     = ""
}
