//! The ServiceAccount an EKS add-on of a CloudFormation template runs as, annotated with the
//! role the template gives the add-on: `AWS::EKS::Addon`'s `ServiceAccountRoleArn` is what
//! EKS writes on the add-on's own ServiceAccount as its `eks.amazonaws.com/role-arn`
//! (CloudFormation resource reference, AWS::EKS::Addon: "The Amazon Resource Name (ARN) of
//! an existing IAM role to bind to the add-on's service account"), the same reading as a
//! Terraform `aws_eks_addon`'s `service_account_role_arn` and eksctl's
//! `addons[].serviceAccountRoleARN` (`derived::eks_addons` names each add-on's account).
//!
//! The account is in the add-on's `NamespaceConfig.Namespace` when the template writes one,
//! else the namespace the add-on is known to install into. The role is read as written: an
//! ARN, a `!Sub`/`Fn::Sub` template, or `!GetAtt Role.Arn`/`Fn::GetAtt: [Role, Arn]`, which
//! names the template's role `Role` as a `!Sub` manifest's `${Role.Arn}` does
//! (`World::cloudformation_roles`). Anything else (`!Ref` of a parameter, `!ImportValue`,
//! `!If`) is a value only the stack knows, and nothing is derived.

use crate::source::node::{entry, map, str_node, Node, Value};

/// The resource type read.
pub const RESOURCE_TYPE: &str = "AWS::EKS::Addon";

const ROLE_ARN: &str = "eks.amazonaws.com/role-arn";

/// The add-on resources of a template: (logical id, `Properties`).
pub fn addons(root: &Node) -> impl Iterator<Item = (&Node, &Node)> {
    root.get("Resources")
        .map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter(|e| e.value.get("Type").and_then(Node::as_str) == Some(RESOURCE_TYPE))
        .filter_map(|e| Some((&e.key, e.value.get("Properties")?)))
}

/// The add-on's name as written (a plain string), with its node.
pub fn addon_name(properties: &Node) -> Option<&Node> {
    properties
        .get("AddonName")
        .filter(|n| n.tag.is_none() && n.as_str().is_some_and(|s| !s.is_empty()))
}

/// The namespace the add-on installs into: `NamespaceConfig.Namespace` when written (`None`
/// when it is not a plain string), else the add-on's known one; with the node to point at.
pub fn namespace<'a>(properties: &'a Node, name: &'a Node) -> Option<(String, &'a Node)> {
    if let Some(ns) = properties.path(&["NamespaceConfig", "Namespace"]) {
        return match ns.as_str() {
            Some(s) if ns.tag.is_none() && !s.is_empty() => Some((s.to_string(), ns)),
            _ => None,
        };
    }
    let (ns, _) = super::eks_addons::service_account(name.as_str()?)?;
    Some((ns.to_string(), name))
}

/// The role as a ServiceAccount annotation reads it, at the node written; `None` when only
/// the stack knows it.
fn role_value(role: &Node) -> Option<Node> {
    let sub = |s: String| {
        let mut n = str_node(s, role.span);
        n.tag = "!Sub".into();
        n
    };
    if let Some((logical, attribute)) = super::cfn_get_att(role) {
        return (attribute == "Arn" && !logical.is_empty() && !logical.contains('.'))
            .then(|| sub(format!("${{{logical}.Arn}}")));
    }
    match (&role.value, role.tag.as_deref()) {
        (Value::Str(s), None) if !s.is_empty() => Some(role.clone()),
        (Value::Str(_), Some("!Sub")) => Some(role.clone()),
        (Value::Map(entries), None) if entries.len() == 1 => {
            let e = &entries[0];
            match e.key.as_str()? {
                "Fn::Sub" if e.value.tag.is_none() => e.value.as_str().map(|s| sub(s.into())),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The annotated ServiceAccount of each add-on of `root` that has a `ServiceAccountRoleArn`
/// and a known account, keyed by where that property's value starts (the key
/// `model::k8s::cloudformation_objects` reads it back by).
pub fn service_accounts(root: &Node) -> Vec<(u32, Node)> {
    let mut out = Vec::new();
    for (logical, props) in addons(root) {
        let (Some(role), Some(name)) = (props.get("ServiceAccountRoleArn"), addon_name(props))
        else {
            continue;
        };
        let Some((_, sa)) = super::eks_addons::service_account(name.as_str().unwrap_or("")) else {
            continue;
        };
        let (Some(arn), Some((ns, ns_node))) = (role_value(role), namespace(props, name)) else {
            continue;
        };
        let at = props.span;
        let by = format!(
            "CloudFormation {RESOURCE_TYPE} {}",
            logical.as_str().unwrap_or("?")
        );
        let metadata = map(
            vec![
                entry("name", str_node(sa, name.span)),
                entry("namespace", str_node(ns, ns_node.span)),
                // An add-on's workloads are EKS's: `sa-irsa-unused` leaves its account alone.
                entry(crate::terraform::resources::CREATED_BY, str_node(by, at)),
                entry("annotations", map(vec![entry(ROLE_ARN, arn)], role.span)),
            ],
            at,
        );
        out.push((
            role.span.start,
            super::eksctl::service_account_object(at, name.span, metadata),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::source::file::LineIndex;
    use crate::source::Limits;

    fn derived(template: &str) -> Vec<(String, String, String, Option<String>, String)> {
        let lines = LineIndex::new(template);
        let loaded = crate::source::yaml::load_yaml(0, template, &lines, &Limits::default());
        super::service_accounts(&loaded.documents[0].root)
            .into_iter()
            .map(|(at, sa)| {
                let meta = sa.get("metadata").unwrap();
                let s = |k| meta.get(k).and_then(|n| n.as_str()).unwrap().to_string();
                let role = meta.path(&["annotations", super::ROLE_ARN]).unwrap();
                (
                    s("name"),
                    s("namespace"),
                    role.as_str().unwrap().to_string(),
                    role.tag.as_deref().map(str::to_string),
                    format!(
                        "{}|{}",
                        &template[at as usize..role.span.end as usize],
                        &template[meta.get("name").unwrap().span.range()]
                    ),
                )
            })
            .collect()
    }

    #[test]
    fn each_role_form_written_in_templates() {
        let template = "Resources:
  Ebs:
    Type: AWS::EKS::Addon
    Properties:
      AddonName: aws-ebs-csi-driver
      ClusterName: !Ref EksCluster
      ServiceAccountRoleArn: !GetAtt EbsCsiDriverRole.Arn
  Efs:
    Type: AWS::EKS::Addon
    Properties:
      AddonName: aws-efs-csi-driver
      ServiceAccountRoleArn: {'Fn::GetAtt': [EfsRole, Arn]}
  Cni:
    Type: AWS::EKS::Addon
    Properties:
      AddonName: vpc-cni
      ServiceAccountRoleArn: arn:aws:iam::111122223333:role/cni
  Cw:
    Type: AWS::EKS::Addon
    Properties:
      AddonName: amazon-cloudwatch-observability
      NamespaceConfig: {Namespace: observability}
      ServiceAccountRoleArn: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${CwRole}'
  S3:
    Type: AWS::EKS::Addon
    Properties:
      AddonName: aws-mountpoint-s3-csi-driver
      ServiceAccountRoleArn: {'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:role/s3-csi'}
";
        let got = derived(template);
        assert_eq!(
            got,
            [
                (
                    "ebs-csi-controller-sa".into(),
                    "kube-system".into(),
                    "${EbsCsiDriverRole.Arn}".into(),
                    Some("!Sub".into()),
                    // A tagged scalar's span is its text, the tag before it.
                    "EbsCsiDriverRole.Arn|aws-ebs-csi-driver".into()
                ),
                (
                    "efs-csi-controller-sa".into(),
                    "kube-system".into(),
                    "${EfsRole.Arn}".into(),
                    Some("!Sub".into()),
                    "{'Fn::GetAtt': [EfsRole, Arn]}|aws-efs-csi-driver".into()
                ),
                (
                    "aws-node".into(),
                    "kube-system".into(),
                    "arn:aws:iam::111122223333:role/cni".into(),
                    None,
                    "arn:aws:iam::111122223333:role/cni|vpc-cni".into()
                ),
                (
                    "cloudwatch-agent".into(),
                    "observability".into(),
                    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${CwRole}".into(),
                    Some("!Sub".into()),
                    "'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${CwRole}'|amazon-cloudwatch-observability".into()
                ),
                (
                    "s3-csi-driver-sa".into(),
                    "kube-system".into(),
                    "arn:aws:iam::${AWS::AccountId}:role/s3-csi".into(),
                    Some("!Sub".into()),
                    "{'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:role/s3-csi'}|aws-mountpoint-s3-csi-driver".into()
                ),
            ]
        );
    }

    #[test]
    fn nothing_the_stack_alone_knows() {
        let template = "Resources:
  NoRole:
    Type: AWS::EKS::Addon
    Properties: {AddonName: aws-ebs-csi-driver}
  Param:
    Type: AWS::EKS::Addon
    Properties: {AddonName: aws-ebs-csi-driver, ServiceAccountRoleArn: !Ref RoleArn}
  Import:
    Type: AWS::EKS::Addon
    Properties: {AddonName: aws-ebs-csi-driver, ServiceAccountRoleArn: !ImportValue role}
  NotArn:
    Type: AWS::EKS::Addon
    Properties: {AddonName: aws-ebs-csi-driver, ServiceAccountRoleArn: !GetAtt R.RoleId}
  NotArnLong:
    Type: AWS::EKS::Addon
    Properties: {AddonName: aws-ebs-csi-driver, ServiceAccountRoleArn: {'Fn::GetAtt': [R, RoleId]}}
  NestedStack:
    Type: AWS::EKS::Addon
    Properties: {AddonName: aws-ebs-csi-driver, ServiceAccountRoleArn: !GetAtt Roles.Outputs.Arn}
  Empty:
    Type: AWS::EKS::Addon
    Properties: {AddonName: aws-ebs-csi-driver, ServiceAccountRoleArn: ''}
  TwoKeys:
    Type: AWS::EKS::Addon
    Properties:
      AddonName: aws-ebs-csi-driver
      ServiceAccountRoleArn: {'Fn::GetAtt': [R, Arn], 'Fn::Sub': x}
  SubOfIntrinsic:
    Type: AWS::EKS::Addon
    Properties: {AddonName: aws-ebs-csi-driver, ServiceAccountRoleArn: {'Fn::Sub': !Ref RoleArn}}
  Unknown:
    Type: AWS::EKS::Addon
    Properties: {AddonName: coredns, ServiceAccountRoleArn: arn:aws:iam::1:role/x}
  NameParam:
    Type: AWS::EKS::Addon
    Properties: {AddonName: !Ref Addon, ServiceAccountRoleArn: arn:aws:iam::1:role/x}
  NsParam:
    Type: AWS::EKS::Addon
    Properties:
      AddonName: aws-ebs-csi-driver
      NamespaceConfig: {Namespace: !Ref Ns}
      ServiceAccountRoleArn: arn:aws:iam::1:role/x
  Other:
    Type: AWS::IAM::Role
    Properties: {AddonName: aws-ebs-csi-driver, ServiceAccountRoleArn: arn:aws:iam::1:role/x}
";
        assert_eq!(derived(template), []);
    }
}
