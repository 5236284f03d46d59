# Role ARNs chosen by a conditional. The first shape is dex4er/terraform-eks-flux-demo's
# (eks_pod_identity.tf and eks_pod_identity_aws_lb_controller.tf @2a2c033, trimmed): an
# entry that names its own role takes it, the others get a role of their own from
# module.iam_role_eks_pod_identity, whose for_each keeps only the entries with a policy. The
# condition is unknown here (the entry's role_arn is a module output), but the other branch
# selects an instance the module does not have, which Terraform reports only for the branch
# it takes: a configuration that applies takes the entry's own role.

variable "cluster_name" {
  type    = string
  default = "demo"
}

variable "use_shared_role" {
  type = bool
}

locals {
  eks_pod_identity = {
    aws-lb-controller = {
      namespace       = "kube-system"
      service_account = "aws-load-balancer-controller"
      role_arn        = module.eks_pod_identity_aws_lb_controller.iam_role_arn
    }
  }
}

module "eks_pod_identity_aws_lb_controller" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 1.2"

  use_name_prefix = false
  name            = "${var.cluster_name}-pod-aws-lb-controller"
  path            = "/"
  description     = "AWS Load Balancer Controller IAM role"

  attach_aws_lb_controller_policy = true
}

module "iam_role_eks_pod_identity" {
  for_each = { for k, v in local.eks_pod_identity : k => v if lookup(v, "policy", null) != null || lookup(v, "additional_policy_arns", null) != null }

  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 1.2"

  use_name_prefix = false
  name            = "${var.cluster_name}-pod-${each.key}"
  path            = "/"

  attach_custom_policy    = lookup(each.value, "policy", null) != null
  source_policy_documents = lookup(each.value, "policy", null)
  additional_policy_arns  = lookup(each.value, "additional_policy_arns", null)
}

resource "aws_eks_pod_identity_association" "eks_pod_identity" {
  for_each = local.eks_pod_identity

  cluster_name    = var.cluster_name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = lookup(each.value, "role_arn", null) != null ? each.value.role_arn : module.iam_role_eks_pod_identity[each.key].iam_role_arn
}

# Which role the reports pods get is the caller's choice at apply time: undecided, and
# --explain names the condition.
resource "aws_iam_role" "shared" {
  name = "${var.cluster_name}-shared"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
}

resource "aws_iam_role" "reports" {
  name = "${var.cluster_name}-reports"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })
}

resource "aws_eks_pod_identity_association" "reports" {
  cluster_name    = var.cluster_name
  namespace       = "reports"
  service_account = "reports"
  role_arn        = var.use_shared_role ? aws_iam_role.shared.arn : aws_iam_role.reports.arn
}

# Both branches the same role: that role, whatever the condition.
resource "aws_eks_pod_identity_association" "billing" {
  cluster_name    = var.cluster_name
  namespace       = "billing"
  service_account = "billing"
  role_arn        = var.use_shared_role ? aws_iam_role.shared.arn : aws_iam_role.shared.arn
}

# A condition the inputs decide: its branch.
resource "aws_eks_pod_identity_association" "audit" {
  cluster_name    = var.cluster_name
  namespace       = "audit"
  service_account = "audit"
  role_arn        = var.cluster_name == "demo" ? aws_iam_role.reports.arn : aws_iam_role.shared.arn
}
