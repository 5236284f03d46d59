# Not rendered by any templatefile() of the inputs (external-secrets.tf renders
# service_account.yaml.tpl only): its placeholder is still reported.
apiVersion: v1
kind: ServiceAccount
metadata:
  name: secret-store-reader
  namespace: external-secrets
  annotations:
    eks.amazonaws.com/role-arn: ${role_arn} # expect: sa-arn-placeholder
