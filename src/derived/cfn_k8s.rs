//! The Kubernetes objects a CloudFormation template creates with the AWS Quick Start
//! registry type `AWSQS::Kubernetes::Resource`: its `Manifest` property is YAML inside a
//! string, usually a `!Sub` template (`eks.amazonaws.com/role-arn: ${Role.Arn}`) next to the
//! template's `AWS::IAM::Role`. The load stage parses that text (every document of it, with
//! positions mapped back to the template) and stores the documents as one sequence node,
//! keyed by the `Manifest` value; `World::build` reads them as a manifest's objects, in the
//! namespace the resource's `Namespace` property gives (the provider runs
//! `kubectl create -f <manifest> -n <Namespace>`), with `model::k8s::cloudformation_objects`.
//!
//! In a `!Sub` manifest, CloudFormation substitutes every `${...}` before the provider sees
//! the text: each string scalar of it that holds one is tagged `!Sub`, as a CloudFormation
//! `!Sub` value written in the template would be, so the model reads it as a template whose
//! placeholders the stack fills, not as text left unfilled. The `Url` form (the manifest is
//! fetched at deploy time) is not read.

use crate::source::embedded;
use crate::source::file::FileId;
use crate::source::node::{Node, Value};

/// The registry type whose `Manifest` is read.
pub const RESOURCE_TYPE: &str = "AWSQS::Kubernetes::Resource";

/// The tag CloudFormation's short form of `Fn::Sub` gives a value (and the one
/// `model::value::text` reads as a substitution template).
const SUB: &str = "!Sub";

/// One `AWSQS::Kubernetes::Resource` of a template whose `Manifest` holds text to read.
#[derive(Debug, Clone, Copy)]
pub struct Manifest<'a> {
    /// The resource's `Properties` (`Namespace`, `ClusterName`).
    pub properties: &'a Node,
    /// The string holding the manifest: the derived documents are keyed by its start.
    pub text: &'a Node,
    /// A `!Sub` template: CloudFormation substitutes its `${...}` before the provider reads it.
    pub substituted: bool,
}

/// The manifests of a template's `AWSQS::Kubernetes::Resource` resources that hold text to
/// read: a string, a `!Sub` string or `{"Fn::Sub": string}`. Other forms (a `!Sub` with a
/// variable map, `!Join`, a mapping, `Url`) are left alone.
pub fn manifests(root: &Node) -> Vec<Manifest<'_>> {
    let mut out = Vec::new();
    for e in root.get("Resources").map(Node::entries).unwrap_or(&[]) {
        if e.value.get("Type").and_then(Node::as_str) != Some(RESOURCE_TYPE) {
            continue;
        }
        let Some(properties) = e.value.get("Properties") else {
            continue;
        };
        let Some(manifest) = properties.get("Manifest") else {
            continue;
        };
        let (text, substituted) = match (&manifest.value, manifest.tag.as_deref()) {
            (Value::Str(_), None) => (manifest, false),
            (Value::Str(_), Some(SUB)) => (manifest, true),
            (Value::Map(entries), None)
                if entries.len() == 1
                    && entries[0].key.as_str() == Some("Fn::Sub")
                    && entries[0].value.tag.is_none()
                    && entries[0].value.as_str().is_some() =>
            {
                (&entries[0].value, true)
            }
            _ => continue,
        };
        out.push(Manifest {
            properties,
            text,
            substituted,
        });
    }
    out
}

/// The documents of the manifest text in the string node `host`, as one sequence node at
/// `host`'s span whose items are the documents' roots, every span a position in the
/// template. `substituted`: a `!Sub` manifest, whose strings holding `${` are tagged `!Sub`.
/// `None` when the scalar cannot be re-decoded exactly (positions would be guesses) or its
/// text is not YAML without problems.
pub fn parse_manifest(
    file: FileId,
    file_text: &str,
    host: &Node,
    substituted: bool,
) -> Option<Node> {
    let mut docs = embedded::parse_embedded_yaml_documents(file, file_text, host)?;
    if substituted {
        docs.iter_mut().for_each(tag_templates);
    }
    Some(Node::new(Value::Seq(docs.into()), host.span))
}

/// Tags every string scalar (key or value) that holds a `${` as a `!Sub` template.
fn tag_templates(node: &mut Node) {
    match &mut node.value {
        Value::Str(s) if node.tag.is_none() && s.contains("${") => node.tag = SUB.into(),
        Value::Seq(items) => items.iter_mut().for_each(tag_templates),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            tag_templates(&mut e.key);
            tag_templates(&mut e.value);
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::source::file::LineIndex;
    use crate::source::Limits;

    fn load(text: &str) -> crate::source::node::Node {
        let lines = LineIndex::new(text);
        let loaded = crate::source::yaml::load_yaml(0, text, &lines, &Limits::default());
        assert!(loaded.problems.is_empty());
        loaded.documents.into_iter().next().unwrap().root
    }

    const TEMPLATE: &str = "Resources:
  Role:
    Type: AWS::IAM::Role
  Sa:
    Type: AWSQS::Kubernetes::Resource
    Properties:
      Namespace: kube-system
      Manifest: !Sub |
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: lbc
          annotations:
            eks.amazonaws.com/role-arn: ${Role.Arn}
            other: $literal
        ---
        apiVersion: v1
        kind: ConfigMap
        args:
        - ${Role.Arn}
  Plain:
    Type: AWSQS::Kubernetes::Resource
    Properties:
      Manifest: 'kind: ServiceAccount'
  Long:
    Type: AWSQS::Kubernetes::Resource
    Properties:
      Manifest: {Fn::Sub: 'a: ${X}'}
  Fetched:
    Type: AWSQS::Kubernetes::Resource
    Properties:
      Url: https://example.com/m.yaml
  WithVars:
    Type: AWSQS::Kubernetes::Resource
    Properties:
      Manifest: !Sub ['a: ${X}', {X: 1}]
  ListForm:
    Type: AWSQS::Kubernetes::Resource
    Properties:
      Manifest: {Fn::Sub: ['a: ${X}', {X: 1}]}
  Parameter:
    Type: AWSQS::Kubernetes::Resource
    Properties:
      Manifest: {Ref: ManifestText}
  TwoKeys:
    Type: AWSQS::Kubernetes::Resource
    Properties:
      Manifest: {Fn::Sub: 'a: ${X}', b: c}
  Other:
    Type: Custom::KubeManifest
    Properties:
      Manifest: 'kind: ServiceAccount'
";

    #[test]
    /// Of the resource type only, and only the forms whose text is read: not a `Url`, a
    /// `!Sub`/`Fn::Sub` with variables, a `Ref`, a mapping of two keys.
    fn the_manifests_of_the_resource_type_only() {
        let root = load(TEMPLATE);
        let found: Vec<(String, bool)> = super::manifests(&root)
            .into_iter()
            .map(|m| (m.text.as_str().unwrap().to_string(), m.substituted))
            .collect();
        assert_eq!(found.len(), 3);
        assert!(found[0].0.starts_with("apiVersion: v1\n") && found[0].1);
        assert_eq!(found[1], ("kind: ServiceAccount".to_string(), false));
        assert_eq!(found[2], ("a: ${X}".to_string(), true));
    }

    #[test]
    fn every_document_with_positions_in_the_template() {
        let root = load(TEMPLATE);
        let m = super::manifests(&root)[0];
        let host = m.text;
        assert_eq!(
            &TEMPLATE[m.properties.get("Namespace").unwrap().span.range()],
            "kube-system"
        );
        let docs = super::parse_manifest(0, TEMPLATE, host, m.substituted).unwrap();
        assert_eq!(docs.span, host.span);
        let [sa, cm] = docs.items() else {
            panic!("two documents: {docs:?}")
        };
        assert_eq!(cm.get("kind").and_then(|k| k.as_str()), Some("ConfigMap"));
        // Inside sequences too.
        let item = &cm.get("args").unwrap().items()[0];
        assert_eq!(&TEMPLATE[item.span.range()], "${Role.Arn}");
        assert_eq!(item.tag.as_deref(), Some("!Sub"));
        let name = sa.path(&["metadata", "name"]).unwrap();
        assert_eq!(&TEMPLATE[name.span.range()], "lbc");
        let annotations = sa.path(&["metadata", "annotations"]).unwrap();
        let arn = annotations.get("eks.amazonaws.com/role-arn").unwrap();
        assert_eq!(&TEMPLATE[arn.span.range()], "${Role.Arn}");
        assert_eq!(arn.tag.as_deref(), Some("!Sub"));
        // Only the strings with a placeholder are templates.
        assert_eq!(annotations.get("other").unwrap().tag.as_deref(), None);
        assert_eq!(name.tag.as_deref(), None);
        // Not substituted: the text is the text.
        let plain = super::parse_manifest(0, TEMPLATE, host, false).unwrap();
        let arn = plain.items()[0]
            .path(&["metadata", "annotations", "eks.amazonaws.com/role-arn"])
            .unwrap();
        assert_eq!(arn.tag.as_deref(), None);
    }

    #[test]
    fn text_that_is_not_yaml_is_not_read() {
        let text = "Resources:\n  S:\n    Type: AWSQS::Kubernetes::Resource\n    Properties:\n      Manifest: \"a: [\"\n";
        let root = load(text);
        let m = super::manifests(&root)[0];
        assert!(super::parse_manifest(0, text, m.text, m.substituted).is_none());
    }
}
