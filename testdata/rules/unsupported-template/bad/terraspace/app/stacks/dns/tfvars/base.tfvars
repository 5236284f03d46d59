# A Terraspace stack's variables (elastic-ipfs/infrastructure
# terraspace/app/stacks/dns/tfvars/base.tfvars@cce465f, trimmed): Terraspace renders the file
# with ERB before Terraform reads it; unquoted, the tag is invalid HCL until then.
create_zone     = false
aws_domain_name = "ipfs-elastic-provider-aws.com"
subdomain       = "<%= expansion(':ENV.peer') %>"
cf_domain_name  = <%= output('dns-certificate.cf_domain_name', mock: '') %>
<% depends_on('peer-kubernetes-components') %>
