# Correct terraform-aws-modules/eks-pod-identity setups, as public repositories write them
# (darede-labs/reference-implementation-aws, a docuseal stack, a Coder platform): every
# rule stays silent; the attach_* switches are the module's own policies (infos in
# `lint --explain` and `map`).

module "external_dns_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 1.0"

  name                          = "external-dns"
  attach_external_dns_policy    = true
  external_dns_hosted_zone_arns = ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]
  associations = {
    external_dns = {
      cluster_name    = module.eks.cluster_name
      namespace       = "external-dns"
      service_account = "external-dns"
    }
  }
}

data "aws_iam_policy_document" "s3_access" {
  statement {
    sid       = "Documents"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:aws:s3:::docuseal-documents/*"]
  }
}

module "backend_pod_identity" {
  source = "terraform-aws-modules/eks-pod-identity/aws"

  use_name_prefix = false
  name            = "prod-docuseal-pod-identity"

  association_defaults = {
    cluster_name = "prod"
    namespace    = "apps"
  }
  associations = {
    docuseal = {
      service_account = "docuseal"
    }
  }

  attach_custom_policy = true
  source_policy_documents = [
    data.aws_iam_policy_document.s3_access.json
  ]
}

resource "aws_iam_policy" "coder_s3" {
  name_prefix = "coder-s3-"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::coder-workspaces", "arn:aws:s3:::coder-workspaces/*"]
      },
    ]
  })
}

module "coder_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name = "coder"

  additional_policy_arns = {
    s3 = aws_iam_policy.coder_s3.arn
  }

  associations = {
    coder = {
      cluster_name    = module.eks.cluster_name
      namespace       = "coder"
      service_account = "coder"
    }
  }
}

# Another role given the docuseal policy through the module's `iam_policy_arn` output (the
# custom policy, the only one that call creates): the worker's role holds its permissions.
module "worker_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name            = "prod-docuseal-worker"
  use_name_prefix = false

  additional_policy_arns = {
    documents = module.backend_pod_identity.iam_policy_arn
  }

  associations = {
    worker = {
      cluster_name    = "prod"
      namespace       = "apps"
      service_account = "docuseal-worker"
    }
  }
}
