# A role module of the repository (the shape of nclouds/terraform-aws-iam-role): its provider
# URLs cleaned by `compact(distinct(...))` as terraform-aws-modules' oidc module does, one trust
# statement per URL, `sub` pinned and no `aud`.
module "external_dns_role" {
  source                        = "./modules/iam-role"
  oidc_fully_qualified_subjects = ["system:serviceaccount:kube-system:external-dns"]
  iam_policies_to_attach = [
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
  ]
  provider_urls = ["https://oidc.eks.us-west-2.amazonaws.com/id/5C3D2A1B0F9E8D7C6B5A493827161504", ""]
  identifier    = "external-dns-oidc"
}
