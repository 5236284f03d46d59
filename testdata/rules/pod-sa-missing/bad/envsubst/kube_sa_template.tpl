# An envsubst template of the accounts of namespace `fulfilment` (the shape of
# dominikcebula/aws-samples-spring-cloud-microservices-event-driven
# cicd/infra/eks/serviceaccount/kube_sa_template.tpl@1b0f997): every account it makes ends
# in `-sa`.
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${SERVICE_ACCOUNT_NAME}-sa
  namespace: fulfilment
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::${AWS_ACCOUNT_ID}:role/${SERVICE_ACCOUNT_NAME}
