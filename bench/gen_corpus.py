#!/usr/bin/env python3
"""Writes a seeded synthetic IRSA monorepo for benchmarks.

N apps, each: one manifest file with a ServiceAccount (IRSA-annotated), a Deployment or a
CronJob, a ConfigMap and a Service. N/5 IAM files: bare trust policies, permission
policies, `aws iam get-role` outputs and CloudFormation templates. About 3% of apps carry
a realistic IRSA mistake (sub for another SA, a wildcard under StringEquals, no sub).

With --expect FILE it also writes the findings irsalint must report on the corpus, one
JSON object per line ({"file": path relative to OUT_DIR, "rule": name}): the planted
mistakes and nothing else, so that a check can prove both detection and zero false
positives on the correct apps (.ci/generated-corpus-check).

Usage: gen_corpus.py --apps 1000 --seed 42 [--expect FILE] OUT_DIR
"""
import argparse
import json
import os
import random

ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/5C3D2A1B0F9E8D7C6B5A493827161504"
PROVIDER = f"arn:aws:iam::111122223333:oidc-provider/{ISSUER}"


def manifest(rng, i, ns, app):
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
    return f"""apiVersion: v1
kind: ServiceAccount
metadata:
  name: {app}
  namespace: {ns}
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/{app}
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


def permissions(rng, app):
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
    ap.add_argument("out")
    a = ap.parse_args()
    expected = []
    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.out, "k8s"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "iam"), exist_ok=True)
    mistakes = ["other-sa", "wildcard", "no-sub"]
    for i in range(a.apps):
        ns = f"team-{i % 40}"
        app = f"app-{i:05d}"
        with open(os.path.join(a.out, "k8s", f"{app}.yaml"), "w") as f:
            f.write(manifest(rng, i, ns, app))
        if i % 5:
            continue
        mistake = mistakes[i % 3] if rng.random() < 0.15 else None
        form = (i // 5) % 4
        path = os.path.join(a.out, "iam", app)
        iam_file = "iam/" + app + ["-trust.json", "-permissions.json", "-role.json", "-stack.yaml"][form]
        if form != 1:  # a permissions file carries no trust, so no mistake
            expected.extend(expected_findings(mistake, f"k8s/{app}.yaml", iam_file))
        if form == 0:
            with open(path + "-trust.json", "w") as f:
                json.dump(trust(ns, app, mistake), f, indent=2)
        elif form == 1:
            with open(path + "-permissions.json", "w") as f:
                json.dump(permissions(rng, app), f, indent=2)
        elif form == 2:
            role = {
                "Role": {
                    "Path": "/",
                    "RoleName": app,
                    "Arn": f"arn:aws:iam::111122223333:role/{app}",
                    "AssumeRolePolicyDocument": trust(ns, app, mistake),
                }
            }
            with open(path + "-role.json", "w") as f:
                json.dump(role, f, indent=4)
        else:
            with open(path + "-stack.yaml", "w") as f:
                f.write(cfn(ns, app, mistake))

    if a.expect:
        with open(a.expect, "w") as f:
            for file, rule in expected:
                f.write(json.dumps({"file": file, "rule": rule}) + "\n")


def expected_findings(mistake, manifest_file, trust_file):
    """What irsalint must report for a planted mistake: the trust policy's own defect and,
    where the ServiceAccount's subject no longer matches, the broken link on the SA."""
    if mistake == "other-sa":
        return [(manifest_file, "sa-role-not-trusted")]
    if mistake == "wildcard":
        return [(trust_file, "trust-wildcard-in-stringequals"), (manifest_file, "sa-role-not-trusted")]
    if mistake == "no-sub":
        return [(trust_file, "trust-no-sub-condition")]
    return []


if __name__ == "__main__":
    main()
