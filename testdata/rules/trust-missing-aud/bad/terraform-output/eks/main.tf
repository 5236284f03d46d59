# A local module that makes the cluster and gives its issuer as an output (the shape of
# aws-containers/retail-store-sample-app terraform/lib/eks/outputs.tf@1a28474f).
resource "aws_eks_cluster" "this" {
  name     = "retail"
  role_arn = "arn:aws:iam::111122223333:role/retail-cluster"
  vpc_config {
    subnet_ids = ["subnet-0abc"]
  }
}

output "eks_oidc_issuer_url" {
  value = aws_eks_cluster.this.identity[0].oidc[0].issuer
}
