# A SAML federation trust as terraform-aws-modules/iam v6 `iam-role` writes it
# (modules/iam-role/main.tf): its actions and provider are only known at apply, its one
# condition is on `SAML:aud`. Not an OIDC trust: no `sub` to ask for.
resource "aws_iam_saml_provider" "this" {
  name                   = "idp"
  saml_metadata_document = file("saml-metadata.xml")
}

data "aws_iam_policy_document" "saml" {
  statement {
    effect = "Allow"
    actions = compact(distinct(concat(
      [
        "sts:TagSession",
        "sts:AssumeRoleWithSAML",
      ],
    var.saml_trust_actions)))

    principals {
      type        = "Federated"
      identifiers = [aws_iam_saml_provider.this.id]
    }

    condition {
      test     = "StringEquals"
      variable = "SAML:aud"
      values   = ["https://signin.aws.amazon.com/saml"]
    }
  }
}

variable "saml_trust_actions" {
  type    = list(string)
  default = []
}

resource "aws_iam_role" "saml" {
  name               = "saml"
  assume_role_policy = data.aws_iam_policy_document.saml.json
}
