# The shape of clowdhaus/eks-reference-architecture@d71a179 inferentia/add-ons.tf: the Neuron
# scheduler's upstream manifests (its ServiceAccount among them) fetched with `data "http"` and
# applied one document a `kubectl_manifest`, then its Deployment patched in a heredoc. What
# the fetched file holds only apply knows: the ServiceAccount may exist, no finding.
resource "helm_release" "alb_controller" {
  namespace  = "kube-system"
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"

  set = [
    {
      name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
      value = "arn:aws:iam::111122223333:role/alb-controller"
    },
  ]
}

data "http" "neuron_scheduler" {
  url = "https://raw.githubusercontent.com/aws-neuron/aws-neuron-sdk/v2.19.1/src/k8/k8s-neuron-scheduler-eks.yml"
}

data "kubectl_file_documents" "neuron_scheduler" {
  content = data.http.neuron_scheduler.response_body
}

resource "kubectl_manifest" "neuron_scheduler" {
  for_each = { for k, v in data.kubectl_file_documents.neuron_scheduler.manifests : k => v if k != "/apis/apps/v1/namespaces/kube-system/deployments/k8s-neuron-scheduler" }

  yaml_body = each.value
}

resource "kubectl_manifest" "neuron_scheduler_patch" {
  yaml_body = <<-EOT
    kind: Deployment
    apiVersion: apps/v1
    metadata:
      name: k8s-neuron-scheduler
      namespace: kube-system
    spec:
      selector:
        matchLabels:
          app: neuron-scheduler
      template:
        metadata:
          labels:
            app: neuron-scheduler
        spec:
          serviceAccount: k8s-neuron-scheduler
          containers:
            - name: neuron-scheduler
              image: public.ecr.aws/neuron/neuron-scheduler:2.19.16.0
  EOT
}
