# Another root applies fetched manifests: what it applies says nothing of neuron-scheduler/'s.
data "http" "neuron_scheduler" {
  url = "https://raw.githubusercontent.com/aws-neuron/aws-neuron-sdk/v2.19.1/src/k8/k8s-neuron-scheduler-eks.yml"
}

data "kubectl_file_documents" "neuron_scheduler" {
  content = data.http.neuron_scheduler.response_body
}

resource "kubectl_manifest" "neuron_scheduler" {
  for_each  = data.kubectl_file_documents.neuron_scheduler.manifests
  yaml_body = each.value
}
