//! What a kustomization's inline patch does to a ServiceAccount's annotations, as a
//! `metadata` node whose annotations keep the spans of the patch text they come from.
//!
//! Overlays often give a base's ServiceAccount its role in a patch written inside the
//! kustomization (`patches: [{target: {kind: ServiceAccount, name: x}, patch: |- ...}]`),
//! as JSON 6902 operations (`op: add`, `path: /metadata/annotations/eks.amazonaws.com~1role-arn`)
//! or as a strategic-merge document. The load stage parses such a patch's text (YAML inside
//! a string, positions mapped back to the file) and keeps the `metadata` it gives; the
//! kustomize model then gives that ServiceAccount, in that overlay's namespace, these
//! annotations instead of the base's.

use crate::source::file::Span;
use crate::source::node::{Entry, Node, ScalarStyle, Value};

/// The inline patch texts of a kustomization document: each `patches[].patch` and
/// `patchesJson6902[].patch`, and each `patchesStrategicMerge[]` entry that is a patch
/// (kustomize v3: several lines) rather than a path.
pub fn inline_patches(root: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    for key in ["patches", "patchesJson6902"] {
        for entry in root.get(key).map(Node::items).unwrap_or(&[]) {
            out.extend(entry.get("patch").filter(|p| p.as_str().is_some()));
        }
    }
    for entry in root
        .get("patchesStrategicMerge")
        .map(Node::items)
        .unwrap_or(&[])
    {
        if entry.as_str().is_some_and(|t| t.contains('\n')) {
            out.push(entry);
        }
    }
    out
}

/// Whether `root` is a JSON 6902 patch: a sequence of operations (`op` and `path`).
pub fn is_json6902(root: &Node) -> bool {
    root.as_seq().is_some_and(|ops| {
        !ops.is_empty()
            && ops
                .iter()
                .all(|o| o.get("op").is_some() && o.get("path").is_some())
    })
}

/// The `metadata` (with only `annotations`) that the parsed patch `patch` gives the
/// ServiceAccount it targets, when it sets annotations and nothing else it does to them is
/// left open: JSON 6902 `add`/`replace` of one annotation, of the whole `annotations` map
/// or of `metadata`, and `remove` of one annotation; or a strategic-merge document's
/// `metadata.annotations`. `None` when the patch does not touch the annotations, or touches
/// them in a way not read here (`move`, `copy`, a `remove` of the map, a value that is not
/// text): the model then keeps what it did before (the base's annotations are not the
/// overlay's, and the rules stay silent on that ServiceAccount).
pub fn patch_metadata(patch: &Node) -> Option<Node> {
    match &patch.value {
        Value::Seq(ops) => json6902_metadata(ops, patch.span),
        Value::Map(_) => {
            let metadata = patch.get("metadata")?;
            let annotations = metadata.get("annotations")?;
            annotations.as_map()?;
            Some(metadata_of(annotations.clone(), metadata.span))
        }
        _ => None,
    }
}

/// `{annotations: <annotations>}` at `span`.
fn metadata_of(annotations: Node, span: Span) -> Node {
    let key = Node::new(
        Value::Str("annotations".into()),
        Span::empty(span.file, span.start as usize),
    );
    Node::new(
        Value::Map(
            vec![Entry {
                key,
                value: annotations,
            }]
            .into(),
        ),
        span,
    )
}

fn json6902_metadata(ops: &[Node], span: Span) -> Option<Node> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut touched = false;
    for op in ops {
        let (Some(kind), Some(path_node)) = (
            op.get("op").and_then(Node::as_str),
            op.get("path").filter(|p| p.as_str().is_some()),
        ) else {
            return None;
        };
        let path = path_node.as_str().unwrap_or_default();
        if !(path == "/metadata" || path.starts_with("/metadata/")) {
            continue; // Not about the metadata: the annotations stay the base's.
        }
        // `None`: `/metadata` itself; `Some(None)`: the annotations map; `Some(Some(k))`:
        // annotation `k` (a JSON pointer: `/metadata/annotations/` names the key "", which
        // no one means, so it is not read).
        let target = match path.strip_prefix("/metadata/annotations") {
            _ if path == "/metadata" => None,
            Some("") => Some(None),
            Some(rest) => match rest.strip_prefix('/') {
                Some("") => return None,
                Some(key) => Some(Some(unescape(key))),
                None => continue, // `/metadata/annotationsX`
            },
            None => continue, // `/metadata/labels/...`, `/metadata/name`.
        };
        touched = true;
        let value = op.get("value");
        match (kind, target) {
            ("add" | "replace", Some(Some(key))) => {
                let value = value.filter(|v| v.as_str().is_some())?;
                entries.retain(|e| e.key.as_str() != Some(key.as_str()));
                entries.push(Entry {
                    key: key_at(&key, path_node),
                    value: value.clone(),
                });
            }
            ("add" | "replace", Some(None)) => {
                // The whole map: what it holds replaces everything before.
                entries = value?.as_map()?.to_vec();
            }
            ("add" | "replace", None) => {
                // `/metadata`: its annotations, or none.
                let value = value?;
                value.as_map()?;
                entries = match value.get("annotations") {
                    Some(a) => a.as_map()?.to_vec(),
                    None => Vec::new(),
                };
            }
            ("remove", Some(Some(key))) => {
                // What an earlier operation set goes; the base's own annotation is the
                // model's to drop (it keeps none of the base's that the patch leaves).
                entries.retain(|e| e.key.as_str() != Some(key.as_str()));
            }
            _ => return None,
        }
    }
    if !touched {
        return None;
    }
    Some(metadata_of(
        Node::new(Value::Map(entries.into()), span),
        span,
    ))
}

/// A JSON pointer segment decoded (`~1` is `/`, `~0` is `~`).
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// An annotation key named by a JSON pointer: its text, at the pointer's span.
fn key_at(name: &str, path: &Node) -> Node {
    let mut key = Node::new(Value::Str(name.into()), path.span);
    key.style = ScalarStyle::None;
    key
}

#[cfg(test)]
mod tests {
    use super::{inline_patches, patch_metadata};
    use crate::source::node::Node;

    fn yaml(text: &str) -> Node {
        let lines = crate::source::file::LineIndex::new(text);
        let limits = crate::source::Limits::default();
        let loaded = crate::source::yaml::load_yaml(0, text, &lines, &limits);
        loaded.documents.into_iter().next().unwrap().root
    }

    /// The annotations a patch gives, as `key=value` pairs, or `None`.
    fn given(patch: &str) -> Option<Vec<String>> {
        let m = patch_metadata(&yaml(patch))?;
        Some(
            m.get("annotations")?
                .as_map()?
                .iter()
                .map(|e| format!("{}={}", e.key.as_str().unwrap(), e.value.as_str().unwrap()))
                .collect(),
        )
    }

    #[test]
    fn json6902_operations_on_the_annotations() {
        let role = "eks.amazonaws.com/role-arn";
        // One annotation, added or replaced; the pointer's `~1` is a `/`.
        assert_eq!(
            given("- op: add\n  path: /metadata/annotations/eks.amazonaws.com~1role-arn\n  value: arn:r\n"),
            Some(vec![format!("{role}=arn:r")])
        );
        // The last operation on a key wins; a removal takes an earlier one away.
        assert_eq!(
            given("- {op: add, path: /metadata/annotations/a~1b, value: x}\n- {op: replace, path: /metadata/annotations/a~1b, value: y}\n- {op: add, path: /metadata/annotations/c, value: z}\n- {op: remove, path: /metadata/annotations/c}\n"),
            Some(vec!["a/b=y".to_string()])
        );
        // The whole map, or `metadata` with it, replaces what earlier operations set.
        assert_eq!(
            given(&format!("- {{op: add, path: /metadata/annotations/c, value: z}}\n- op: add\n  path: /metadata/annotations\n  value:\n    {role}: arn:m\n")),
            Some(vec![format!("{role}=arn:m")])
        );
        assert_eq!(
            given(&format!("- op: replace\n  path: /metadata\n  value:\n    name: x\n    annotations:\n      {role}: arn:md\n")),
            Some(vec![format!("{role}=arn:md")])
        );
        // Operations elsewhere leave the annotations alone; with nothing on them: none read.
        assert_eq!(
            given("- {op: add, path: /metadata/annotations/a, value: x}\n- {op: add, path: /metadata/labels/team, value: t}\n- {op: add, path: /spec/x, value: 1}\n"),
            Some(vec!["a=x".to_string()])
        );
        assert_eq!(
            given("- {op: add, path: /metadata/labels/team, value: t}\n"),
            None
        );
        // What is not read: other operations, values that are not text, malformed entries.
        for open in [
            "- {op: move, from: /metadata/annotations/a, path: /metadata/annotations/b}\n",
            "- {op: remove, path: /metadata/annotations}\n",
            "- {op: add, path: /metadata/annotations/a, value: {x: 1}}\n",
            "- {op: add, path: /metadata/annotations, value: [a]}\n",
            "- {op: add, path: /metadata/annotations/, value: x}\n",
            "- {op: remove, path: /metadata/annotations/}\n",
            "- {op: add, path: /metadata/annotationsX, value: t}\n",
            "- {path: /metadata/annotations/a, value: x}\n",
            "- just text\n",
        ] {
            assert_eq!(given(open), None, "{open}");
        }
    }

    #[test]
    fn json6902_files_are_sequences_of_operations() {
        use super::is_json6902;
        assert!(is_json6902(&yaml(
            "- {op: add, path: /a, value: 1}\n- {op: remove, path: /b}\n"
        )));
        assert!(!is_json6902(&yaml("- {op: add, path: /a}\n- name: x\n")));
        assert!(!is_json6902(&yaml("- {op: add}\n")));
        assert!(!is_json6902(&yaml("[]\n")));
        assert!(!is_json6902(&yaml("op: add\npath: /a\n")));
    }

    #[test]
    fn strategic_merge_documents() {
        assert_eq!(
            given("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  annotations:\n    eks.amazonaws.com/role-arn: arn:s\n"),
            Some(vec!["eks.amazonaws.com/role-arn=arn:s".to_string()])
        );
        assert_eq!(
            given("kind: ServiceAccount\nmetadata:\n  name: api\n"),
            None
        );
    }

    /// The texts read: inline patches under `patches` and `patchesJson6902`, and the
    /// `patchesStrategicMerge` entries that are patches, not paths.
    #[test]
    fn inline_patch_texts() {
        let root = yaml("patches:\n- path: p.yaml\n- patch: \"a\"\npatchesJson6902:\n- patch: \"b\"\n  target: {kind: X}\npatchesStrategicMerge:\n- sa.yaml\n- |\n  kind: ServiceAccount\n  metadata: {name: c}\n");
        let texts: Vec<&str> = inline_patches(&root)
            .into_iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(
            texts,
            ["a", "b", "kind: ServiceAccount\nmetadata: {name: c}\n"]
        );
    }
}
