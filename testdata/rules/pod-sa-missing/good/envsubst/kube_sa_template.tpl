# Applied once per service by `envsubst < kube_sa_template.tpl | kubectl apply -f -`
# (trimmed from dominikcebula/aws-samples-spring-cloud-microservices-event-driven
# cicd/infra/eks/serviceaccount/kube_sa_template.tpl@1b0f997): `${SERVICE_ACCOUNT_NAME}-sa`
# becomes `orders-sa`, so the Deployment below names an account that will exist.
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${SERVICE_ACCOUNT_NAME}-sa
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::${AWS_ACCOUNT_ID}:role/${SERVICE_ACCOUNT_NAME}
