module "eks_monitoring" {
  source = "../../modules/monitoring"

  eks_cluster_id = "otlp"
}
