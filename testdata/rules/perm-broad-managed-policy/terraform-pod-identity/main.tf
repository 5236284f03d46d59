# Broad AWS-managed policies given to terraform-aws-modules/eks-pod-identity's
# additional_policy_arns reach the role the module creates. The crossplane role is
# darede-labs/reference-implementation-aws's (cluster/terraform/main.tf), its boundary
# reduced to the allow-all statement AWS boundaries start from.

resource "aws_iam_policy" "crossplane_boundary" {
  name = "crossplane-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}

module "crossplane_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 1.0"

  name = "crossplane-provider-aws"

  additional_policy_arns = {
    admin = "arn:aws:iam::aws:policy/AdministratorAccess" # expect: perm-broad-managed-policy
  }
  permissions_boundary_arn = aws_iam_policy.crossplane_boundary.arn

  associations = {
    crossplane = {
      cluster_name    = module.eks.cluster_name
      namespace       = "crossplane-system"
      service_account = "provider-aws"
    }
  }
}

# v2, the role named exactly: a narrow managed policy beside a broad one.
module "backup_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name            = "velero"
  use_name_prefix = false

  additional_policy_arns = {
    read  = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    write = "arn:aws:iam::aws:policy/AmazonS3FullAccess" # expect: perm-broad-managed-policy
  }

  associations = {
    velero = {
      cluster_name    = "prod"
      namespace       = "velero"
      service_account = "velero-server"
    }
  }
}

# The module's own policy (an attach_* switch) is not a managed policy: nothing here.
module "ebs_csi_driver_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 1.0"

  name                      = "ebs-csi-driver"
  attach_aws_ebs_csi_policy = true
  associations = {
    ebs = {
      cluster_name    = module.eks.cluster_name
      namespace       = "kube-system"
      service_account = "ebs-csi-controller-sa"
    }
  }
}
