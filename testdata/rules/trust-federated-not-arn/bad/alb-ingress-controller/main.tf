resource "aws_iam_role" "alb_ingress_controller" {
  name = "${var.cluster_name}-alb-ingress-controller"

  assume_role_policy = jsonencode({
    "Version" : "2012-10-17",
    "Statement" : [
      {
        "Effect" : "Allow",
        "Principal" : {
          "Federated" : "${var.oidc_provider}"
        },
        "Action" : "sts:AssumeRoleWithWebIdentity",
        "Condition" : {
          "StringEquals" : {
            "${var.oidc_url}:sub" : "system:serviceaccount:kube-system:alb-ingress-controller",
            "${var.oidc_url}:aud" : "sts.amazonaws.com"
          }
        }
      }
    ]
  })
}
