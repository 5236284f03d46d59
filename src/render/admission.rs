//! `--mode admission`: what the API server does to a pod before the webhook sees it
//! (webhook-semantics.md §10): defaulting, empty lists/maps dropped, and the ServiceAccount
//! admission plugin's `kube-api-access-*` projected volume and mounts.

use serde_json::{json, Map, Value};

pub const SA_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// Applies API-server defaulting and ServiceAccount admission to `{metadata, spec}`.
/// `sa_automount` is the ServiceAccount's `automountServiceAccountToken`; `seed` makes the
/// otherwise random volume-name suffix deterministic.
pub fn admit(pod: &mut Value, sa_automount: Option<bool>, seed: &str) {
    let Some(p) = pod.as_object_mut() else { return };
    if let Some(Value::Object(meta)) = p.get_mut("metadata") {
        for k in ["labels", "annotations"] {
            if meta
                .get(k)
                .is_some_and(|v| v.is_null() || v.as_object().is_some_and(Map::is_empty))
            {
                meta.remove(k);
            }
        }
    }
    let Some(Value::Object(spec)) = p.get_mut("spec") else {
        return;
    };
    drop_empty(spec, "volumes");
    drop_empty(spec, "initContainers");
    drop_empty(spec, "nodeSelector");
    if spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        let sa = spec
            .get("serviceAccount")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("default")
            .to_string();
        spec.insert("serviceAccountName".into(), Value::from(sa));
    }
    for (k, v) in [
        ("restartPolicy", json!("Always")),
        ("terminationGracePeriodSeconds", json!(30)),
        ("dnsPolicy", json!("ClusterFirst")),
        ("securityContext", json!({})),
        ("schedulerName", json!("default-scheduler")),
        ("enableServiceLinks", json!(true)),
    ] {
        if !spec.contains_key(k) {
            spec.insert(k.into(), v);
        }
    }
    for key in ["initContainers", "containers"] {
        if let Some(Value::Array(cs)) = spec.get_mut(key) {
            for c in cs.iter_mut() {
                default_container(c);
            }
        }
    }
    let automount = spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        .or(sa_automount)
        .unwrap_or(true);
    if !automount {
        return;
    }
    let has_mount = |c: &Value| {
        c.get("volumeMounts")
            .and_then(Value::as_array)
            .is_some_and(|ms| {
                ms.iter()
                    .any(|m| m.get("mountPath").and_then(Value::as_str) == Some(SA_MOUNT_PATH))
            })
    };
    let all: Vec<&Value> = ["initContainers", "containers"]
        .iter()
        .filter_map(|k| spec.get(*k).and_then(Value::as_array))
        .flatten()
        .collect();
    if all.iter().any(|c| has_mount(c)) {
        // The plugin adds nothing when a container already mounts that path.
        return;
    }
    let name = format!("kube-api-access-{}", suffix(seed));
    let volume = json!({
        "name": name,
        "projected": {
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}
            ],
            "defaultMode": 420
        }
    });
    match spec.get_mut("volumes") {
        Some(Value::Array(a)) => a.push(volume),
        _ => {
            spec.insert("volumes".into(), Value::Array(vec![volume]));
        }
    }
    for key in ["initContainers", "containers"] {
        if let Some(Value::Array(cs)) = spec.get_mut(key) {
            for c in cs.iter_mut() {
                let Some(cm) = c.as_object_mut() else {
                    continue;
                };
                let mount = json!({"name": name, "readOnly": true, "mountPath": SA_MOUNT_PATH});
                match cm.get_mut("volumeMounts") {
                    Some(Value::Array(a)) => a.push(mount),
                    _ => {
                        cm.insert("volumeMounts".into(), Value::Array(vec![mount]));
                    }
                }
            }
        }
    }
}

/// What the API server defaults in the webhook's additions when it stores the pod: the
/// projected token volume gets `defaultMode: 420` (0644), as a stored pod shows. The patch
/// itself (`--format patch`) is the webhook's and stays as it is.
pub fn default_added_volume(volume: &mut Value) {
    if let Some(Value::Object(p)) = volume.get_mut("projected") {
        p.entry("defaultMode").or_insert(json!(420));
    }
}

fn drop_empty(m: &mut Map<String, Value>, key: &str) {
    let empty = match m.get(key) {
        Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    };
    if empty {
        m.remove(key);
    }
}

fn default_container(c: &mut Value) {
    let Some(m) = c.as_object_mut() else { return };
    for k in ["env", "envFrom", "volumeMounts", "ports", "command", "args"] {
        drop_empty(m, k);
    }
    if !m.contains_key("terminationMessagePath") {
        m.insert(
            "terminationMessagePath".into(),
            Value::from("/dev/termination-log"),
        );
    }
    if !m.contains_key("terminationMessagePolicy") {
        m.insert("terminationMessagePolicy".into(), Value::from("File"));
    }
    if !m.contains_key("imagePullPolicy") {
        let image = m.get("image").and_then(Value::as_str).unwrap_or("");
        m.insert("imagePullPolicy".into(), Value::from(pull_policy(image)));
    }
    if !m.contains_key("resources") {
        m.insert("resources".into(), json!({}));
    }
    if let Some(Value::Array(ports)) = m.get_mut("ports") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            if !p.contains_key("protocol") {
                p.insert("protocol".into(), Value::from("TCP"));
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(Value::Object(p)) = m.get_mut(probe) {
            for (k, v) in [
                ("timeoutSeconds", 1),
                ("periodSeconds", 10),
                ("successThreshold", 1),
                ("failureThreshold", 3),
            ] {
                if !p.contains_key(k) {
                    p.insert(k.into(), Value::from(v));
                }
            }
            if let Some(Value::Object(h)) = p.get_mut("httpGet") {
                if !h.contains_key("scheme") {
                    h.insert("scheme".into(), Value::from("HTTP"));
                }
                if !h.contains_key("path") {
                    h.insert("path".into(), Value::from("/"));
                }
            }
        }
    }
}

/// `Always` for `:latest` or untagged images, else `IfNotPresent`.
pub fn pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

/// Five characters from the API server's random-suffix alphabet, derived from `seed`.
fn suffix(seed: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h: u64 = 0xcbf29ce484222325;
    for b in seed.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    (0..5)
        .map(|i| ALPHABET[((h >> (i * 8)) % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policies() {
        assert_eq!(pull_policy("nginx"), "Always");
        assert_eq!(pull_policy("nginx:latest"), "Always");
        assert_eq!(pull_policy("nginx:1.27"), "IfNotPresent");
        assert_eq!(pull_policy("localhost:5000/nginx"), "Always");
        assert_eq!(pull_policy("nginx@sha256:abc"), "IfNotPresent");
    }

    #[test]
    fn sa_volume_and_defaults() {
        let mut pod = json!({"metadata": {"labels": {}}, "spec": {"volumes": [], "containers": [{"name": "a", "image": "x:1"}]}});
        admit(&mut pod, None, "seed");
        assert!(pod.pointer("/metadata/labels").is_none());
        assert_eq!(
            pod.pointer("/spec/serviceAccountName"),
            Some(&json!("default"))
        );
        let vols = pod
            .pointer("/spec/volumes")
            .and_then(Value::as_array)
            .unwrap();
        assert_eq!(vols.len(), 1);
        // Written out, not SA_MOUNT_PATH: the test must fail if the constant is wrong.
        assert_eq!(
            pod.pointer("/spec/containers/0/volumeMounts/0/mountPath"),
            Some(&json!("/var/run/secrets/kubernetes.io/serviceaccount"))
        );
        let name = vols[0]["name"].as_str().unwrap();
        assert!(name.starts_with("kube-api-access-"), "{name}");
        assert_eq!(
            pod.pointer("/spec/containers/0/volumeMounts/0/name"),
            Some(&json!(name))
        );
        assert_eq!(
            pod.pointer("/spec/containers/0/volumeMounts/0/readOnly"),
            Some(&json!(true))
        );
        let mut off = json!({"spec": {"containers": [{"name": "a"}]}});
        admit(&mut off, Some(false), "seed");
        assert!(off.pointer("/spec/volumes").is_none());
    }
}
