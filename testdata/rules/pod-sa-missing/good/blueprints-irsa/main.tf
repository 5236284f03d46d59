# awslabs/kubeflow-manifests deployments/rds-s3/terraform/rds-s3-components/main.tf (trimmed):
# eks-blueprints v4 modules/irsa creates the ServiceAccount (create_kubernetes_service_account)
# that the secrets-sync Deployment runs as.
resource "kubernetes_namespace" "kubeflow" {
  metadata {
    name = "kubeflow"
  }
}

module "kubeflow_secrets_manager_irsa" {
  source                            = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa?ref=v4.32.1"
  kubernetes_namespace              = kubernetes_namespace.kubeflow.metadata[0].name
  create_kubernetes_namespace       = false
  create_kubernetes_service_account = true
  kubernetes_service_account        = "kubeflow-secrets-manager-sa"
  irsa_iam_role_name                = format("%s-%s-%s-%s", "kf-secrets-manager", "irsa", var.cluster_name, var.region)
  irsa_iam_policies                 = ["arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"]
  eks_cluster_id                    = var.cluster_name
  eks_oidc_provider_arn             = var.oidc_provider_arn
}

module "kubeflow_pipeline_irsa" {
  source                            = "github.com/aws-ia/terraform-aws-eks-blueprints//modules/irsa?ref=v4.32.1"
  kubernetes_namespace              = kubernetes_namespace.kubeflow.metadata[0].name
  create_kubernetes_namespace       = false
  create_kubernetes_service_account = false
  kubernetes_service_account        = "ml-pipeline"
  irsa_iam_role_name                = format("%s-%s-%.22s-%.16s", "ml-pipeline", "irsa", var.cluster_name, var.region)
  irsa_iam_policies                 = ["arn:aws:iam::111122223333:policy/ml-pipeline-s3"]
  eks_cluster_id                    = var.cluster_name
  eks_oidc_provider_arn             = var.oidc_provider_arn
}

variable "cluster_name" {
  type = string
}

variable "region" {
  type = string
}

variable "oidc_provider_arn" {
  type = string
}
