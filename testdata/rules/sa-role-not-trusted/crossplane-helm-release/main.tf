# Crossplane installed by Terraform (the shape of a public root: a helm_release of the
# crossplane chart from charts.crossplane.io with a written namespace): the
# DeploymentRuntimeConfig's ServiceAccount is created in crossplane-system, which the role
# trusts.
resource "helm_release" "crossplane" {
  name       = "crossplane"
  repository = "https://charts.crossplane.io/stable"

  chart            = "crossplane"
  version          = "1.14.0"
  namespace        = "crossplane-system"
  create_namespace = true

  set {
    name  = "args"
    value = "{--enable-composition-revisions}"
  }
}
