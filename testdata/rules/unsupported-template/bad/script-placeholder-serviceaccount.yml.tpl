# aws-samples/safeguarding-payments-fraud-detection-ai-ml-and-data-insights@3e2c0e9
# app/minio/k8s/1-serviceaccount.yml.tpl (trimmed): `{{NAME}}` placeholders its
# bin/templater.sh fills in, not Helm/Go actions.
apiVersion: v1
kind: ServiceAccount
metadata:
  namespace: {{SPF_ECR_NAME}}
  name: service-account
  annotations:
    {{SPF_SERVICE_PRINCIPAL}}/role-arn: {{SPF_SERVICE_ROLE}}
