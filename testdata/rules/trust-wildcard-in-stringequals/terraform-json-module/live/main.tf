# The pattern and the URL with its scheme are the caller's: the findings are at its strings,
# not in the module's JSON.
module "external_dns_irsa" {
  source = "../modules/irsa"

  name              = "external-dns"
  oidc_issuer       = "https://oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C7A9E0B1D3F"
  namespace         = "external-dns"
  service_account   = "external-dns-*"
}
