//! Merge keys (`<<`).

use std::collections::HashSet;

use super::super::node::{Entry, Node, ScalarStyle, Value};

/// `<<: *base` / `<<: [*a, *b]` / `<<: {..}`: the merged mappings' entries whose keys the
/// mapping does not define itself are inserted where the merge key was (earlier sources win
/// over later ones), as Kubernetes' YAML library does. A `<<` whose value is not a mapping or
/// a list of mappings stays an ordinary entry.
pub(super) fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries.iter().any(is_merge) {
        return entries;
    }
    let mut defined: HashSet<(u8, String)> = entries
        .iter()
        .filter(|e| !is_merge(e))
        .filter_map(|e| key_identity(&e.key))
        .collect();
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        if !is_merge(&entry) {
            out.push(entry);
            continue;
        }
        let sources: Vec<Vec<Entry>> = match entry.value.value {
            Value::Map(m) => vec![m.into_vec()],
            Value::Seq(items) => items
                .into_vec()
                .into_iter()
                .filter_map(|n| match n.value {
                    Value::Map(m) => Some(m.into_vec()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for source in sources {
            let mut from_this = Vec::new();
            for e in source {
                match key_identity(&e.key) {
                    Some(id) if defined.contains(&id) => {}
                    Some(id) => {
                        from_this.push(id);
                        out.push(e);
                    }
                    None => out.push(e),
                }
            }
            defined.extend(from_this);
        }
    }
    out
}

fn is_merge(entry: &Entry) -> bool {
    let key = &entry.key;
    key.style == ScalarStyle::Plain
        && key.as_str() == Some("<<")
        && key.tag.as_deref().is_none_or(|t| t == "!!merge")
        && match &entry.value.value {
            Value::Map(_) => true,
            Value::Seq(items) => items.iter().all(|n| n.as_map().is_some()),
            _ => false,
        }
}

/// A scalar key's type and text, to compare keys; collection keys are never equal.
fn key_identity(key: &Node) -> Option<(u8, String)> {
    let kind = match key.value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Int(_) => 2,
        Value::Float(_) => 3,
        Value::Str(_) => 4,
        Value::Seq(_) | Value::Map(_) => return None,
    };
    Some((kind, key.scalar_text()?.into_owned()))
}
