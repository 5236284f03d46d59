# The EKS module's add-on given both an IRSA role and a Pod Identity association (the shape of
# aws-samples/karpenter-blueprints@529b88c cluster/terraform/main.tf, which gives only the
# association): one add-on, the association wins over the annotation EKS writes.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = "blueprints"
  kubernetes_version = "1.33"

  addons = {
    aws-ebs-csi-driver = {
      service_account_role_arn = "arn:aws:iam::111122223333:role/ebs-csi-irsa" # expect: sa-role-arn-with-pod-identity
      pod_identity_association = [{
        role_arn        = "arn:aws:iam::111122223333:role/ebs-csi-pod-identity"
        service_account = "ebs-csi-controller-sa"
      }]
    }
  }
}
