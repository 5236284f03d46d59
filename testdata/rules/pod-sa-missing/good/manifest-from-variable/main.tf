# A root that applies a manifest built from a variable (`kubernetes_manifest`, whose object
# only apply knows) beside an IRSA ServiceAccount and a Deployment naming another account:
# the manifest may be that account, no finding.
variable "worker_account" {
  type = string
}

resource "kubernetes_service_account_v1" "uploader" {
  metadata {
    name      = "uploader"
    namespace = "media"
    annotations = {
      "eks.amazonaws.com/role-arn" = "arn:aws:iam::111122223333:role/uploader"
    }
  }
}

resource "kubernetes_manifest" "worker_account" {
  manifest = yamldecode(var.worker_account)
}

resource "kubernetes_deployment_v1" "worker" {
  metadata {
    name      = "worker"
    namespace = "media"
  }
  spec {
    selector {
      match_labels = {
        app = "worker"
      }
    }
    template {
      metadata {
        labels = {
          app = "worker"
        }
      }
      spec {
        service_account_name = "worker"
        container {
          name  = "worker"
          image = "public.ecr.aws/docker/library/busybox:1.36"
        }
      }
    }
  }
}
