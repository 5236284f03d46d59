# An EKS cluster's root: the kubernetes provider targets the cluster it reads, and EKS runs
# the webhook with its default `eks.amazonaws.com` prefix; the kops webhook's flag is another
# cluster's.
data "aws_eks_cluster" "this" {
  name = "prod"
}

data "aws_eks_cluster_auth" "this" {
  name = "prod"
}

provider "kubernetes" {
  host                   = data.aws_eks_cluster.this.endpoint
  cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
  token                  = data.aws_eks_cluster_auth.this.token
}

resource "kubernetes_service_account_v1" "api" {
  metadata {
    name      = "api"
    namespace = "shop"
    annotations = {
      "eks.amazonaws.com/role-arn" = "arn:aws:iam::111122223333:role/prod-api"
    }
  }
}
