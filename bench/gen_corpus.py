#!/usr/bin/env python3
"""Writes a seeded synthetic IRSA monorepo for benchmarks.

N apps, each: one manifest file with a ServiceAccount (IRSA-annotated), a Deployment or a
CronJob, a ConfigMap and a Service. N/5 IAM files: bare trust policies, permission
policies, `aws iam get-role` outputs and CloudFormation templates. About 3% of the trust
policies carry a realistic IRSA mistake (sub for another SA, a wildcard under StringEquals,
no sub, a mistyped audience), about 3% of the permission policies grant `*` on `*`, and about
2% of the manifests one of: a mistyped role-arn annotation key, a token expiration that is not
a number, an sts-regional-endpoints value Go cannot parse, a mistyped SDK variable.

With --expect FILE it also writes the findings irsalint must report on the corpus, one
JSON object per line ({"file": path relative to OUT_DIR, "rule": name, "line": n}): the
planted mistakes and nothing else, so that a check can prove both detection (at the line)
and zero false positives on the correct apps (.ci/generated-corpus-check).

With --terraform K, one app in K (of those without an IAM file) also gets a Terraform root
`tf/<app>/` written as public configurations write IRSA by hand: `variables.tf`,
`terraform.tfvars` and a `main.tf` with a `data "aws_iam_policy_document"` trust on the EKS
module's outputs, the role and a `jsonencode`d inline policy. About one in five keeps the
`https://` of `cluster_oidc_issuer_url` in its condition keys (trust-key-has-scheme).
Without it the corpus is the same as before the option existed.

Usage: gen_corpus.py --apps 1000 --seed 42 [--terraform K] [--expect FILE] OUT_DIR
"""
import argparse
import json
import os
import random

ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/5C3D2A1B0F9E8D7C6B5A493827161504"
PROVIDER = f"arn:aws:iam::111122223333:oidc-provider/{ISSUER}"


def manifest(rng, i, ns, app, mistake=None):
    kind = "CronJob" if i % 4 == 0 else "Deployment"
    def container(indent):
        pad = " " * indent
        lines = [
            f"- name: {app}",
            f"  image: ghcr.io/example/{app}:1.{rng.randint(0, 40)}.{rng.randint(0, 9)}",
            "  ports:",
            "    - containerPort: 8080",
            "  env:",
        ]
        for k in range(4):
            lines.append(f"    - name: SETTING_{k}")
            lines.append(f'      value: "{rng.randint(0, 10**6)}"')
        if mistake == "env-typo":
            lines.append("    - name: AWS_ROLE_ARM")
            lines.append(f"      value: arn:aws:iam::111122223333:role/{app}")
        lines += ["  resources:", "    requests: {cpu: 100m, memory: 128Mi}", "    limits: {memory: 256Mi}"]
        return "\n".join(pad + line for line in lines)

    if kind == "Deployment":
        workload = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  namespace: {ns}
  labels: {{app: {app}, team: team-{i % 17}}}
spec:
  replicas: {rng.randint(1, 5)}
  selector:
    matchLabels: {{app: {app}}}
  template:
    metadata:
      labels: {{app: {app}}}
    spec:
      serviceAccountName: {app}
      containers:
{container(8)}"""
    else:
        workload = f"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: {app}
  namespace: {ns}
spec:
  schedule: "{rng.randint(0, 59)} {rng.randint(0, 23)} * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: {app}
          restartPolicy: OnFailure
          containers:
{container(12)}"""
    role_key = "eks.amazonaws.com/role_arn" if mistake == "annotation-typo" else "eks.amazonaws.com/role-arn"
    extra = {
        "token-expiration": '\n    eks.amazonaws.com/token-expiration: "1h"',
        "sts-regional": '\n    eks.amazonaws.com/sts-regional-endpoints: "yes"',
    }.get(mistake, "")
    return f"""apiVersion: v1
kind: ServiceAccount
metadata:
  name: {app}
  namespace: {ns}
  annotations:
    {role_key}: arn:aws:iam::111122223333:role/{app}{extra}
---
{workload}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-config
  namespace: {ns}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
  config.yaml: |
    server:
      port: 8080
      timeout: {rng.randint(1, 60)}s
---
apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: {ns}
spec:
  selector: {{app: {app}}}
  ports:
    - port: 80
      targetPort: 8080
"""


def trust(ns, app, mistake):
    sub = f"system:serviceaccount:{ns}:{app}"
    cond = {"StringEquals": {f"{ISSUER}:aud": "sts.amazonaws.com", f"{ISSUER}:sub": sub}}
    if mistake == "other-sa":
        cond["StringEquals"][f"{ISSUER}:sub"] = sub + "-old"
    elif mistake == "wildcard":
        cond["StringEquals"][f"{ISSUER}:sub"] = f"system:serviceaccount:{ns}:*"
    elif mistake == "no-sub":
        del cond["StringEquals"][f"{ISSUER}:sub"]
    elif mistake == "wrong-aud":
        cond["StringEquals"][f"{ISSUER}:aud"] = "sts.amazon.com"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": PROVIDER},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": cond,
            }
        ],
    }


def permissions(rng, app, mistake=None):
    if mistake == "admin-star":
        return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadBucket",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::example-{app}", f"arn:aws:s3:::example-{app}/*"],
            },
            {
                "Sid": "Queue",
                "Effect": "Allow",
                "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
                "Resource": f"arn:aws:sqs:eu-west-1:111122223333:{app}-{rng.randint(0, 99)}",
            },
        ],
    }


def cfn(ns, app, mistake):
    doc = json.dumps(trust(ns, app, mistake), indent=2).replace("\n", "\n        ")
    return f"""AWSTemplateFormatVersion: "2010-09-09"
Description: IRSA role for {app}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: {app}
      AssumeRolePolicyDocument: !Sub |
        {doc}
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub arn:${{AWS::Partition}}:s3:::example-{app}/*
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--apps", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--expect", help="write the expected findings (JSON lines) here")
    ap.add_argument("--terraform", type=int, default=0, help="a Terraform root for one app in K")
    ap.add_argument("out")
    a = ap.parse_args()
    expected = []
    rng = random.Random(a.seed)
    # Manifest mistakes draw from their own stream, so the rest of the corpus does not move.
    planted = random.Random(a.seed + 1)
    os.makedirs(os.path.join(a.out, "k8s"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "iam"), exist_ok=True)
    mistakes = ["other-sa", "wildcard", "no-sub", "wrong-aud"]
    manifest_mistakes = ["annotation-typo", "token-expiration", "sts-regional", "env-typo"]

    def write(rel, text):
        with open(os.path.join(a.out, rel), "w") as f:
            f.write(text)
        return text

    for i in range(a.apps):
        ns = f"team-{i % 40}"
        app = f"app-{i:05d}"
        # An app with a manifest mistake gets no IAM file (its trust is not the point).
        m_mistake = manifest_mistakes[i % 4] if planted.random() < 0.02 and i % 5 else None
        k8s_file = f"k8s/{app}.yaml"
        text = write(k8s_file, manifest(rng, i, ns, app, m_mistake))
        expected.extend(manifest_findings(m_mistake, k8s_file, text))
        if i % 5:
            # Only apps without an IAM file, so that one role has one definition.
            if a.terraform and i % a.terraform == 1 and not m_mistake:
                root = f"tf/{app}"
                os.makedirs(os.path.join(a.out, root), exist_ok=True)
                scheme_kept = (i // a.terraform) % 5 == 2
                variables, tfvars, main_tf = terraform_root(ns, app, scheme_kept)
                write(f"{root}/variables.tf", variables)
                write(f"{root}/terraform.tfvars", tfvars)
                write(f"{root}/main.tf", main_tf)
                if scheme_kept:
                    for claim in ("sub", "aud"):
                        expected.append(
                            (
                                f"{root}/main.tf",
                                "trust-key-has-scheme",
                                line_of(main_tf, f'variable = "${{local.oidc_issuer}}:{claim}"'),
                            )
                        )
            continue
        mistake = mistakes[(i // 20) % 4] if rng.random() < 0.15 else None
        form = (i // 5) % 4
        iam_file = "iam/" + app + ["-trust.json", "-permissions.json", "-role.json", "-stack.yaml"][form]
        if form == 0:
            text = write(iam_file, json.dumps(trust(ns, app, mistake), indent=2))
        elif form == 1:
            # A permissions file carries no trust: its mistake is a permission one.
            mistake = "admin-star" if mistake else None
            text = write(iam_file, json.dumps(permissions(rng, app, mistake), indent=2))
        elif form == 2:
            role = {
                "Role": {
                    "Path": "/",
                    "RoleName": app,
                    "Arn": f"arn:aws:iam::111122223333:role/{app}",
                    "AssumeRolePolicyDocument": trust(ns, app, mistake),
                }
            }
            text = write(iam_file, json.dumps(role, indent=4))
        else:
            text = write(iam_file, cfn(ns, app, mistake))
        expected.extend(expected_findings(mistake, k8s_file, iam_file, text, ns, app))

    if a.expect:
        with open(a.expect, "w") as f:
            for file, rule, line in expected:
                f.write(json.dumps({"file": file, "rule": rule, "line": line}) + "\n")


def terraform_root(ns, app, scheme_kept):
    """A Terraform root for `app`: (variables.tf, terraform.tfvars, main.tf)."""
    issuer = (
        "module.eks.cluster_oidc_issuer_url"
        if scheme_kept
        else 'replace(module.eks.cluster_oidc_issuer_url, "https://", "")'
    )
    variables = f"""variable "namespace" {{
  description = "Namespace of the {app} ServiceAccount"
  type        = string
  default     = "default"
}}

variable "service_account" {{
  type    = string
  default = "{app}"
}}

variable "bucket" {{
  type = string
}}
"""
    tfvars = f"""namespace = "{ns}"
bucket    = "example-{app}"
"""
    main = f"""locals {{
  oidc_issuer = {issuer}
  tags = {{
    app       = "{app}"
    namespace = var.namespace
  }}
}}

data "aws_iam_policy_document" "assume" {{
  statement {{
    actions = ["sts:AssumeRoleWithWebIdentity"]
    effect  = "Allow"

    principals {{
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }}

    condition {{
      test     = "StringEquals"
      variable = "${{local.oidc_issuer}}:sub"
      values   = ["system:serviceaccount:${{var.namespace}}:${{var.service_account}}"]
    }}

    condition {{
      test     = "StringEquals"
      variable = "${{local.oidc_issuer}}:aud"
      values   = ["sts.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "this" {{
  name               = "{app}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}}

resource "aws_iam_role_policy" "read" {{
  name = "read"
  role = aws_iam_role.this.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::${{var.bucket}}", "arn:aws:s3:::${{var.bucket}}/*"]
      }}
    ]
  }})
}}
"""
    return variables, tfvars, main


def line_of(text, needle):
    """The 1-based line of the first occurrence of `needle` in `text`."""
    at = text.index(needle)
    return text.count("\n", 0, at) + 1


def manifest_findings(mistake, file, text):
    """What irsalint must report for a mistake planted in a manifest, at its line."""
    if mistake == "annotation-typo":
        return [(file, "sa-annotation-key-typo", line_of(text, "eks.amazonaws.com/role_arn"))]
    if mistake == "token-expiration":
        return [(file, "token-expiration-out-of-range", line_of(text, "token-expiration:"))]
    if mistake == "sts-regional":
        return [(file, "sa-sts-regional-endpoints-invalid", line_of(text, "sts-regional-endpoints:"))]
    if mistake == "env-typo":
        return [(file, "pod-env-typo", line_of(text, "AWS_ROLE_ARM"))]
    return []


def expected_findings(mistake, manifest_file, trust_file, text, ns, app):
    """What irsalint must report for a planted IAM mistake, at its line: the policy's own
    defect and, where the ServiceAccount's subject no longer matches, the broken link on the
    ServiceAccount's role-arn annotation (line 7 of every manifest)."""
    if mistake == "other-sa":
        return [(manifest_file, "sa-role-not-trusted", 7)]
    if mistake == "wildcard":
        return [
            (trust_file, "trust-wildcard-in-stringequals", line_of(text, f"system:serviceaccount:{ns}:*")),
            (manifest_file, "sa-role-not-trusted", 7),
        ]
    if mistake == "no-sub":
        return [(trust_file, "trust-no-sub-condition", line_of(text, '"Condition"'))]
    if mistake == "wrong-aud":
        return [(trust_file, "trust-wrong-aud", line_of(text, '"sts.amazon.com"'))]
    if mistake == "admin-star":
        return [(trust_file, "perm-admin-star", line_of(text, '"Action": "*"'))]
    return []


if __name__ == "__main__":
    main()
