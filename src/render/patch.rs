//! The webhook's RFC 6902 JSON Patch, byte for byte (webhook-semantics.md §9).

use serde_json::Value;

use super::gojson;
use super::webhook::{go_container, ContainerChange, Mutation, POD_IDENTITY_LABEL};

/// The patch ops in the webhook's order (op, path, value; `value` absent when nil).
pub fn ops(pod: &Value, m: &Mutation) -> Vec<(String, Option<Value>)> {
    let mut ops = Vec::new();
    match m.label {
        Some(true) => ops.push((
            "/metadata/labels".to_string(),
            Some(serde_json::json!({ POD_IDENTITY_LABEL: "enabled" })),
        )),
        Some(false) => ops.push((
            format!("/metadata/labels/{}", escape_pointer(POD_IDENTITY_LABEL)),
            Some(Value::from("enabled")),
        )),
        None => {}
    }
    if let Some((volume, nil)) = &m.volume {
        if *nil {
            ops.push((
                "/spec/volumes".into(),
                Some(Value::Array(vec![volume.clone()])),
            ));
        } else {
            ops.push(("/spec/volumes/0".into(), Some(volume.clone())));
        }
    }
    let spec = pod.get("spec");
    let list = |key: &str, changes: &[ContainerChange]| -> Option<Value> {
        let cs = spec.and_then(|s| s.get(key)).and_then(Value::as_array)?;
        Some(Value::Array(
            cs.iter()
                .zip(changes)
                .map(|(c, ch)| go_container(c, ch, &m.injected))
                .collect(),
        ))
    };
    ops.push(("/spec/containers".into(), list("containers", &m.containers)));
    if !m.init_containers.is_empty() {
        ops.push((
            "/spec/initContainers".into(),
            list("initContainers", &m.init_containers),
        ));
    }
    ops
}

/// The patch as the webhook writes it: compact Go JSON, no trailing newline.
pub fn render(pod: &Value, m: &Mutation) -> String {
    let mut out = String::from("[");
    for (i, (path, value)) in ops(pod, m).into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"op\":\"add\",\"path\":");
        gojson::write_str(&path, &mut out);
        if let Some(v) = value {
            out.push_str(",\"value\":");
            gojson::write(&v, &mut out);
        }
        out.push('}');
    }
    out.push(']');
    out
}

/// RFC 6901: `~` → `~0`, `/` → `~1`.
pub fn escape_pointer(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}
