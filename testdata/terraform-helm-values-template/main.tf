# Trimmed from andreswebs/terraform-aws-eks-ebs-csi-driver modules/resources/main.tf and
# modules/iam@cf4fb8e: the chart's values are a `.yml.tpl` rendered by templatefile(); the
# role here trusts another service account than the one the values name.
resource "helm_release" "this" {
  name       = "aws-ebs-csi-driver"
  namespace  = "kube-system"
  repository = "https://kubernetes-sigs.github.io/aws-ebs-csi-driver"
  chart      = "aws-ebs-csi-driver"

  values = [
    templatefile("${path.module}/helm-values/aws-ebs-csi-driver.yml.tpl", {
      k8s_sa_name  = "ebs-csi-controller"
      iam_role_arn = aws_iam_role.this.arn
    })
  ]
}

resource "aws_iam_role" "this" {
  name = "ebs-csi-controller"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub" = "system:serviceaccount:kube-system:ebs-csi-controller-sa"
          "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}
