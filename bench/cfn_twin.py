#!/usr/bin/env python3
"""The CloudFormation content twin of a benchmark corpus's `tf/` (README, Performance: "HCL
per MB"): each Terraform root's IAM role, trust and inline policy written as the
CloudFormation YAML template that makes the same role (`!Sub` for the bucket, as templates
write it), in a directory of the same name, three files each (the template, a
parameters-only template, a file of parameter values). Where `bench/run.py`'s YAML twin has
the layout of `tf/` and the content of `k8s/`, this one has the content of `tf/`.

usage: bench/cfn_twin.py TF_DIR OUT_DIR   (e.g. the `tf/` of `gen_corpus.py --terraform 2`)
"""
import os, re, sys
src, out = sys.argv[1], sys.argv[2]
for d in sorted(os.listdir(src)):
    p = os.path.join(src, d)
    main = open(os.path.join(p, "main.tf")).read()
    tfvars = open(os.path.join(p, "terraform.tfvars")).read()
    ns = re.search(r'namespace = "([^"]+)"', tfvars).group(1)
    keep = "replace(" not in main
    issuer = ("https://" if keep else "") + "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    os.makedirs(os.path.join(out, d), exist_ok=True)
    tpl = f"""AWSTemplateFormatVersion: "2010-09-09"
Description: IRSA role for {d}
Parameters:
  Bucket:
    Type: String
    Default: example-{d}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: {d}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sts:AssumeRoleWithWebIdentity
            Principal:
              Federated: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
            Condition:
              StringEquals:
                "{issuer}:sub": system:serviceaccount:{ns}:{d}
                "{issuer}:aud": sts.amazonaws.com
      Tags:
        - Key: app
          Value: {d}
        - Key: namespace
          Value: {ns}
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - s3:GetObject
                  - s3:ListBucket
                Resource:
                  - !Sub "arn:aws:s3:::${{Bucket}}"
                  - !Sub "arn:aws:s3:::${{Bucket}}/*"
"""
    params = f"""AWSTemplateFormatVersion: "2010-09-09"
Description: Parameters of the {d} role's stack
Parameters:
  Namespace:
    Description: Namespace of the {d} ServiceAccount
    Type: String
    Default: {ns}
  ServiceAccount:
    Type: String
    Default: {d}
Resources: {{}}
"""
    values = f"""Namespace: {ns}
Bucket: example-{d}
"""
    open(os.path.join(out, d, "main.yaml"), "w").write(tpl)
    open(os.path.join(out, d, "variables.yaml"), "w").write(params)
    open(os.path.join(out, d, "terraform.yaml"), "w").write(values)
