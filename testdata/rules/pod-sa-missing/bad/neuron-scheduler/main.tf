# Near the shape of clowdhaus/eks-reference-architecture@d71a179 inferentia/add-ons.tf, with
# every manifest this root applies written out: the Deployment names a ServiceAccount none of
# them is, while the namespace has an IRSA ServiceAccount.
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

resource "kubectl_manifest" "neuron_scheduler_account" {
  yaml_body = <<-EOT
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: neuron-scheduler
      namespace: kube-system
  EOT
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
