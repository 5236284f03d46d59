//! The pod-identity webhook's mutation (v0.6.17), as a pure function: which mode, which
//! values, which changes. webhook-semantics.md §3–§8. The JSON Patch and the rendered
//! object are both derived from the [`Mutation`] this returns.

use std::fmt;

use serde_json::{Map, Value};

use super::gojson;

/// Where an effective value came from, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The webhook's built-in default.
    Default,
    /// A command-line flag of `irsalint render`.
    Cli,
    /// A flag of the webhook Deployment in the inputs (`file:line`).
    WebhookFlag(String),
    /// The ServiceAccount annotation `key`.
    SaAnnotation(String),
    /// The Pod annotation `key`.
    PodAnnotation(String),
    /// The `pod-identity-webhook` ConfigMap entry `key`.
    ConfigMap(String),
    /// Computed (jitter, clamp, path join).
    Derived(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "webhook default"),
            Origin::Cli => write!(f, "command-line flag"),
            Origin::WebhookFlag(at) => write!(f, "webhook flag at {at}"),
            Origin::SaAnnotation(k) => write!(f, "ServiceAccount annotation {k}"),
            Origin::PodAnnotation(k) => write!(f, "Pod annotation {k}"),
            Origin::ConfigMap(k) => write!(f, "ConfigMap pod-identity-webhook entry {k:?}"),
            Origin::Derived(why) => write!(f, "{why}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Sourced<T> {
    pub fn new(value: T, origin: Origin) -> Self {
        Sourced { value, origin }
    }
    pub fn default(value: T) -> Self {
        Sourced {
            value,
            origin: Origin::Default,
        }
    }
}

/// One `pod-identity-webhook` ConfigMap entry (§3.3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigMapEntry {
    /// The key as written, `namespace/name`.
    pub key: String,
    pub namespace: String,
    pub name: String,
    pub role_arn: String,
    pub audience: String,
    pub use_regional_sts: bool,
    pub token_expiration: i64,
}

/// Which random draw Pod Identity's expiration jitter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Jitter {
    #[default]
    Min,
    Max,
}

/// The webhook's settings (its flags, ConfigMap and association file).
#[derive(Debug, Clone)]
pub struct Settings {
    pub annotation_prefix: Sourced<String>,
    pub token_audience: Sourced<String>,
    pub token_mount_path: Sourced<String>,
    /// As given; clamped to ≥ 600 when used.
    pub token_expiration: Sourced<i64>,
    pub aws_default_region: Sourced<String>,
    pub sts_regional_endpoint: Sourced<bool>,
    pub cc_audience: Sourced<String>,
    pub cc_mount_path: Sourced<String>,
    pub cc_volume_name: Sourced<String>,
    pub cc_token_path: Sourced<String>,
    pub cc_full_uri: Sourced<String>,
    /// `(namespace, service account)` pairs with a Pod Identity association.
    pub associations: Vec<(String, String)>,
    pub configmap: Vec<ConfigMapEntry>,
    pub jitter: Jitter,
}

impl Default for Settings {
    fn default() -> Self {
        let s = |v: &str| Sourced::default(v.to_string());
        Settings {
            annotation_prefix: s("eks.amazonaws.com"),
            token_audience: s("sts.amazonaws.com"),
            token_mount_path: s("/var/run/secrets/eks.amazonaws.com/serviceaccount"),
            token_expiration: Sourced::default(86400),
            aws_default_region: s(""),
            sts_regional_endpoint: Sourced::default(false),
            cc_audience: s("pods.eks.amazonaws.com"),
            cc_mount_path: s("/var/run/secrets/pods.eks.amazonaws.com/serviceaccount"),
            cc_volume_name: s("eks-pod-identity-token"),
            cc_token_path: s("eks-pod-identity-token"),
            cc_full_uri: s("http://169.254.170.23/v1/credentials"),
            associations: Vec::new(),
            configmap: Vec::new(),
            jitter: Jitter::Min,
        }
    }
}

/// The ServiceAccount as the webhook's cache holds it: its annotations (string values).
#[derive(Debug, Clone, Default)]
pub struct ServiceAccountInfo {
    pub annotations: Vec<(String, String)>,
}

impl ServiceAccountInfo {
    fn get(&self, key: &str) -> Option<&str> {
        self.annotations
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// IRSA: `AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`.
    WebIdentity,
    /// EKS Pod Identity: `AWS_CONTAINER_CREDENTIALS_FULL_URI` + token file.
    PodIdentity,
}

/// Why the webhook leaves a pod alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotMutated {
    /// No association, no role annotation under the prefix, no ConfigMap entry.
    NoRole { sa: String, prefix: String },
    /// The ServiceAccount is not among the inputs (the webhook's cache misses it) and no
    /// ConfigMap entry or association applies.
    ServiceAccountNotFound { sa: String },
}

impl fmt::Display for NotMutated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotMutated::NoRole { sa, prefix } => write!(
                f,
                "ServiceAccount {sa} has no {prefix}/role-arn annotation, no ConfigMap entry and no Pod Identity association"
            ),
            NotMutated::ServiceAccountNotFound { sa } => write!(
                f,
                "ServiceAccount {sa} not found in the inputs (the webhook would not find it in its cache) and no ConfigMap entry or Pod Identity association applies"
            ),
        }
    }
}

/// The values the webhook injects, with their origins.
#[derive(Debug, Clone)]
pub struct Injected {
    pub mode: Mode,
    pub role_arn: Option<Sourced<String>>,
    pub audience: Sourced<String>,
    pub expiration: Sourced<i64>,
    pub regional_sts: Sourced<bool>,
    pub region: Sourced<String>,
    pub volume_name: Sourced<String>,
    pub mount_path: Sourced<String>,
    pub token_file: Sourced<String>,
    /// The env value pointing at the token (Windows-converted when needed).
    pub token_env: Sourced<String>,
    pub full_uri: Option<Sourced<String>>,
}

/// What happens to one container (or init container).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerChange {
    /// Env entries appended, in order.
    pub env: Vec<(String, String)>,
    /// Whether the token volumeMount is appended.
    pub mount: bool,
    /// Left alone: named in skip-containers.
    pub skipped: bool,
}

/// The webhook's answer for one pod.
#[derive(Debug, Clone)]
pub struct Mutation {
    pub injected: Injected,
    /// Pod Identity's label op: `Some(true)` when the pod has no labels map.
    pub label: Option<bool>,
    /// The projected volume to add, when no volume of that name exists; with whether
    /// `spec.volumes` is nil (`/spec/volumes`) or not (`/spec/volumes/0`).
    pub volume: Option<(Value, bool)>,
    pub init_containers: Vec<ContainerChange>,
    pub containers: Vec<ContainerChange>,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Mutated(Box<Mutation>),
    NotMutated(NotMutated),
}

pub const POD_IDENTITY_LABEL: &str = "eks.amazonaws.com/pod-identity";

/// The webhook's decision for `pod` (an object with `metadata` and `spec`, JSON as the API
/// server would send it) in `namespace`, with `sa` the pod's ServiceAccount as the cache
/// holds it (`None`: not cached).
pub fn mutate(
    pod: &Value,
    namespace: &str,
    sa: Option<&ServiceAccountInfo>,
    settings: &Settings,
) -> Outcome {
    let spec = pod.get("spec");
    let sa_name = spec
        .and_then(|s| s.get("serviceAccountName"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let prefix = settings.annotation_prefix.value.as_str();
    let key = |suffix: &str| format!("{prefix}/{suffix}");
    let pod_annotations = pod
        .pointer("/metadata/annotations")
        .and_then(Value::as_object);
    let pod_ann = |suffix: &str| {
        let k = key(suffix);
        pod_annotations
            .and_then(|m| m.get(&k))
            .and_then(Value::as_str)
            .map(|v| (k, v.to_string()))
    };
    let flag_expiration = Sourced::new(
        settings.token_expiration.value.max(600),
        settings.token_expiration.origin.clone(),
    );
    let cm_exact = settings
        .configmap
        .iter()
        .rev()
        .find(|e| e.namespace == namespace && e.name == sa_name);
    let cm_any = cm_exact.or_else(|| {
        settings
            .configmap
            .iter()
            .rev()
            .find(|e| e.namespace == "*" && e.name == sa_name)
    });
    let sa_bool = |sa: &ServiceAccountInfo| {
        let k = key("sts-regional-endpoints");
        sa.get(&k)
            .and_then(parse_bool)
            .map(|b| Sourced::new(b, Origin::SaAnnotation(k)))
    };
    let sa_expiration = |sa: &ServiceAccountInfo| {
        let k = key("token-expiration");
        sa.get(&k)
            .and_then(parse_int)
            .map(|v| Sourced::new(v.max(600), Origin::SaAnnotation(k)))
    };

    let pod_identity = settings
        .associations
        .iter()
        .any(|(n, s)| n == namespace && s == sa_name);
    let (mode, role_arn, audience, mut expiration, regional_sts) = if pod_identity {
        let regional = match sa {
            Some(sa) => sa_bool(sa).unwrap_or_else(|| settings.sts_regional_endpoint.clone()),
            None => match cm_exact {
                Some(e) => Sourced::new(e.use_regional_sts, Origin::ConfigMap(e.key.clone())),
                None => Sourced::new(false, Origin::Derived("ServiceAccount not cached".into())),
            },
        };
        let expiration = match sa {
            Some(sa) => sa_expiration(sa).unwrap_or_else(|| flag_expiration.clone()),
            None => match cm_exact.filter(|e| e.token_expiration != 0) {
                Some(e) => Sourced::new(e.token_expiration, Origin::ConfigMap(e.key.clone())),
                None => Sourced::new(86400, Origin::Derived("ServiceAccount not cached".into())),
            },
        };
        (
            Mode::PodIdentity,
            None,
            settings.cc_audience.clone(),
            expiration,
            regional,
        )
    } else if let Some((sa, role)) = sa.and_then(|sa| {
        let k = key("role-arn");
        sa.get(&k)
            .filter(|v| !v.is_empty())
            .map(|v| (sa, Sourced::new(v.to_string(), Origin::SaAnnotation(k))))
    }) {
        let ka = key("audience");
        let audience = match sa.get(&ka) {
            Some(a) => Sourced::new(a.to_string(), Origin::SaAnnotation(ka)),
            None => settings.token_audience.clone(),
        };
        (
            Mode::WebIdentity,
            Some(role),
            audience,
            sa_expiration(sa).unwrap_or_else(|| flag_expiration.clone()),
            sa_bool(sa).unwrap_or_else(|| settings.sts_regional_endpoint.clone()),
        )
    } else if let Some(e) = cm_any.filter(|e| !e.role_arn.is_empty()) {
        let o = || Origin::ConfigMap(e.key.clone());
        (
            Mode::WebIdentity,
            Some(Sourced::new(e.role_arn.clone(), o())),
            Sourced::new(e.audience.clone(), o()),
            if e.token_expiration == 0 {
                flag_expiration.clone()
            } else {
                Sourced::new(e.token_expiration, o())
            },
            Sourced::new(e.use_regional_sts, o()),
        )
    } else {
        let sa_display = format!("{namespace}/{sa_name}");
        return Outcome::NotMutated(match sa {
            Some(_) => NotMutated::NoRole {
                sa: sa_display,
                prefix: prefix.to_string(),
            },
            None => NotMutated::ServiceAccountNotFound { sa: sa_display },
        });
    };
    if let Some((k, v)) = pod_ann("token-expiration") {
        if let Some(n) = parse_int(&v) {
            expiration = Sourced::new(n.max(600), Origin::PodAnnotation(k));
        }
    }
    if mode == Mode::PodIdentity && expiration.value == 86400 {
        let v = match settings.jitter {
            Jitter::Min => 79200,
            Jitter::Max => 86400,
        };
        expiration = Sourced::new(
            v,
            Origin::Derived(format!(
                "jitter of 86400 ({}, --jitter {}; the webhook draws from [79200, 86400])",
                expiration.origin,
                if settings.jitter == Jitter::Min {
                    "min"
                } else {
                    "max"
                }
            )),
        );
    }

    let (volume_name, mount_path, token_file) = match mode {
        Mode::WebIdentity => (
            Sourced::new("aws-iam-token".to_string(), Origin::Default),
            settings.token_mount_path.clone(),
            Sourced::new("token".to_string(), Origin::Default),
        ),
        Mode::PodIdentity => (
            settings.cc_volume_name.clone(),
            settings.cc_mount_path.clone(),
            settings.cc_token_path.clone(),
        ),
    };
    let node_selector = spec
        .and_then(|s| s.get("nodeSelector"))
        .and_then(Value::as_object);
    let windows = node_selector.is_some_and(|m| {
        ["kubernetes.io/os", "beta.kubernetes.io/os"]
            .iter()
            .any(|k| m.get(*k).and_then(Value::as_str) == Some("windows"))
    });
    let mut path = go_path_join(&mount_path.value, &token_file.value);
    if windows {
        path = format!("C:{}", path.replace('/', "\\"));
    }
    let token_env = Sourced::new(
        path,
        Origin::Derived(if windows {
            "mount path + token file, Windows form (nodeSelector os: windows)".into()
        } else {
            "mount path + token file".into()
        }),
    );
    let injected = Injected {
        mode,
        role_arn,
        audience,
        expiration,
        regional_sts,
        region: settings.aws_default_region.clone(),
        volume_name,
        mount_path,
        token_file,
        token_env,
        full_uri: (mode == Mode::PodIdentity).then(|| settings.cc_full_uri.clone()),
    };

    let label = (mode == Mode::PodIdentity).then(|| {
        !pod.pointer("/metadata/labels")
            .is_some_and(|l| l.is_object())
    });
    let volumes = spec.and_then(|s| s.get("volumes"));
    let has_volume = volumes.and_then(Value::as_array).is_some_and(|vs| {
        vs.iter().any(|v| {
            v.get("name").and_then(Value::as_str) == Some(injected.volume_name.value.as_str())
        })
    });
    let volume = (!has_volume).then(|| {
        (
            volume_json(&injected),
            !volumes.is_some_and(|v| v.is_array()),
        )
    });

    let skip = pod_ann("skip-containers")
        .map(|(_, v)| parse_csv_first_record(&v))
        .unwrap_or_default();
    let change_all = |key: &str| -> Vec<ContainerChange> {
        spec.and_then(|s| s.get(key))
            .and_then(Value::as_array)
            .map(|cs| {
                cs.iter()
                    .map(|c| container_change(c, &injected, &skip))
                    .collect()
            })
            .unwrap_or_default()
    };
    Outcome::Mutated(Box::new(Mutation {
        init_containers: change_all("initContainers"),
        containers: change_all("containers"),
        injected,
        label,
        volume,
    }))
}

fn container_change(c: &Value, inj: &Injected, skip: &[String]) -> ContainerChange {
    let name = c.get("name").and_then(Value::as_str).unwrap_or("");
    if skip.iter().any(|s| s == name) {
        return ContainerChange {
            skipped: true,
            ..ContainerChange::default()
        };
    }
    let names: Vec<&str> = c
        .get("env")
        .and_then(Value::as_array)
        .map(|e| {
            e.iter()
                .map(|v| v.get("name").and_then(Value::as_str).unwrap_or(""))
                .collect()
        })
        .unwrap_or_default();
    let has = |n: &str| names.contains(&n);
    let (k1, k2) = match inj.mode {
        Mode::WebIdentity => ("AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"),
        Mode::PodIdentity => (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        ),
    };
    let cred = has(k1) || has(k2);
    let region = has("AWS_REGION") || has("AWS_DEFAULT_REGION");
    let sts = has("AWS_STS_REGIONAL_ENDPOINTS");
    if cred && region && sts {
        return ContainerChange::default();
    }
    let mut env = Vec::new();
    if !sts && inj.regional_sts.value {
        env.push(("AWS_STS_REGIONAL_ENDPOINTS".into(), "regional".into()));
    }
    if !region && !inj.region.value.is_empty() {
        env.push(("AWS_DEFAULT_REGION".into(), inj.region.value.clone()));
        env.push(("AWS_REGION".into(), inj.region.value.clone()));
    }
    if !cred {
        let first = match inj.mode {
            Mode::WebIdentity => inj.role_arn.as_ref().map(|r| r.value.clone()),
            Mode::PodIdentity => inj.full_uri.as_ref().map(|u| u.value.clone()),
        }
        .unwrap_or_default();
        env.push((k1.into(), first));
        env.push((k2.into(), inj.token_env.value.clone()));
    }
    let mount = !c
        .get("volumeMounts")
        .and_then(Value::as_array)
        .is_some_and(|ms| {
            ms.iter().any(|m| {
                m.get("name").and_then(Value::as_str) == Some(inj.volume_name.value.as_str())
            })
        });
    ContainerChange {
        env,
        mount,
        skipped: false,
    }
}

/// The projected token volume in Go struct order.
pub fn volume_json(inj: &Injected) -> Value {
    let mut token = Map::new();
    if !inj.audience.value.is_empty() {
        token.insert("audience".into(), Value::from(inj.audience.value.clone()));
    }
    token.insert(
        "expirationSeconds".into(),
        Value::from(inj.expiration.value),
    );
    token.insert("path".into(), Value::from(inj.token_file.value.clone()));
    serde_json::json!({
        "name": inj.volume_name.value,
        "projected": {"sources": [{"serviceAccountToken": Value::Object(token)}]}
    })
}

/// The volumeMount the webhook appends (`name`, `readOnly`, `mountPath`).
pub fn mount_json(inj: &Injected) -> Value {
    serde_json::json!({
        "name": inj.volume_name.value,
        "readOnly": true,
        "mountPath": inj.mount_path.value,
    })
}

/// Applies a change to a container as Go re-encodes it (struct order).
pub fn go_container(c: &Value, change: &ContainerChange, inj: &Injected) -> Value {
    let mut v = gojson::decode(Some(c), gojson::Ty::Struct(gojson::CONTAINER));
    apply_change(&mut v, change, inj, true);
    v
}

/// Appends the change's env entries and mount to a container object. With `go_order`, a
/// new `env`/`volumeMounts` key is inserted where the Go struct declares it.
pub fn apply_change(c: &mut Value, change: &ContainerChange, inj: &Injected, go_order: bool) {
    let Some(m) = c.as_object_mut() else { return };
    if !change.env.is_empty() {
        let entries = change
            .env
            .iter()
            .map(|(n, v)| serde_json::json!({"name": n, "value": v}));
        append(m, "env", entries.collect(), go_order);
    }
    if change.mount {
        append(m, "volumeMounts", vec![mount_json(inj)], go_order);
    }
}

fn append(m: &mut Map<String, Value>, key: &str, items: Vec<Value>, go_order: bool) {
    if let Some(Value::Array(a)) = m.get_mut(key) {
        a.extend(items);
        return;
    }
    if !go_order {
        m.insert(key.into(), Value::Array(items));
        return;
    }
    // Rebuild the map with the key at its struct position.
    let pos = gojson::CONTAINER
        .iter()
        .position(|f| f.name == key)
        .unwrap_or(0);
    let old = std::mem::take(m);
    let mut inserted = false;
    for (k, v) in old {
        let kpos = gojson::CONTAINER
            .iter()
            .position(|f| f.name == k)
            .unwrap_or(usize::MAX);
        if !inserted && kpos > pos {
            m.insert(key.into(), Value::Array(items.clone()));
            inserted = true;
        }
        if k != key {
            m.insert(k, v);
        }
    }
    if !inserted {
        m.insert(key.into(), Value::Array(items));
    }
}

/// Go `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go `strconv.ParseInt(s, 10, 64)`.
pub fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go `filepath.Join(a, b)` on Linux: join the non-empty elements with `/`, then `Clean`.
pub fn go_path_join(a: &str, b: &str) -> String {
    let parts: Vec<&str> = [a, b].into_iter().filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return String::new();
    }
    go_clean(&parts.join("/"))
}

/// Go `path.Clean`.
pub fn go_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|s| *s != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// The first record of Go's `encoding/csv` reader (comma separator, no trimming, quotes
/// honoured, leading empty lines skipped); a parse error or no record gives nothing.
pub fn parse_csv_first_record(s: &str) -> Vec<String> {
    let mut rest = s;
    while let Some(r) = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
    {
        rest = r;
    }
    if rest.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = rest.chars().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let mut field = String::new();
        if chars.get(i) == Some(&'"') {
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Vec::new(),
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        field.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some('\r') if chars.get(i + 1) == Some(&'\n') => {
                        field.push('\n');
                        i += 2;
                    }
                    Some(c) => {
                        field.push(*c);
                        i += 1;
                    }
                }
            }
            match chars.get(i) {
                Some(',') => {
                    fields.push(field);
                    i += 1;
                    continue;
                }
                None | Some('\n') => {
                    fields.push(field);
                    return fields;
                }
                Some('\r') if matches!(chars.get(i + 1), None | Some('\n')) => {
                    fields.push(field);
                    return fields;
                }
                _ => return Vec::new(),
            }
        }
        loop {
            match chars.get(i) {
                None | Some('\n') => {
                    if field.ends_with('\r') {
                        field.pop();
                    }
                    fields.push(field);
                    return fields;
                }
                Some(',') => {
                    fields.push(field);
                    i += 1;
                    break;
                }
                Some('"') => return Vec::new(),
                Some(c) => {
                    field.push(*c);
                    i += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_first_record() {
        assert_eq!(parse_csv_first_record("a, b"), vec!["a", " b"]);
        assert_eq!(parse_csv_first_record("\n\"a,b\",c\nd"), vec!["a,b", "c"]);
        assert!(parse_csv_first_record("a\"b").is_empty());
        assert!(parse_csv_first_record("").is_empty());
        assert_eq!(parse_csv_first_record("\"x\ny\""), vec!["x\ny"]);
    }

    #[test]
    fn go_paths() {
        assert_eq!(go_path_join("/x/", "token"), "/x/token");
        assert_eq!(go_path_join("/a//b/../c", "t"), "/a/c/t");
        assert_eq!(go_path_join("", "t"), "t");
        assert_eq!(go_path_join("rel", "../t"), "t");
    }

    #[test]
    fn go_parse() {
        assert_eq!(parse_int("+600"), Some(600));
        assert_eq!(parse_int(" 600"), None);
        assert_eq!(parse_int("1e3"), None);
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(parse_bool("T"), Some(true));
    }

    #[test]
    fn pod_identity_wins_over_role_arn_and_irsa_needs_a_cached_sa() {
        let pod = serde_json::json!({"metadata": {}, "spec": {"serviceAccountName": "app",
            "containers": [{"name": "c", "env": [{"name": "AWS_REGION", "value": "x"}]}]}});
        let sa = ServiceAccountInfo {
            annotations: vec![(
                "eks.amazonaws.com/role-arn".into(),
                "arn:aws:iam::1:role/r".into(),
            )],
        };
        let mut settings = Settings::default();
        match mutate(&pod, "ns", Some(&sa), &settings) {
            Outcome::Mutated(m) => {
                assert_eq!(m.injected.mode, Mode::WebIdentity);
                assert_eq!(m.injected.expiration.value, 86400, "IRSA never jitters");
                assert_eq!(m.containers[0].env[0].0, "AWS_ROLE_ARN");
                assert!(m.containers[0].mount);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            mutate(&pod, "ns", None, &settings),
            Outcome::NotMutated(NotMutated::ServiceAccountNotFound { .. })
        ));
        settings.associations.push(("ns".into(), "app".into()));
        match mutate(&pod, "ns", None, &settings) {
            Outcome::Mutated(m) => {
                assert_eq!(m.injected.mode, Mode::PodIdentity);
                assert_eq!(m.injected.expiration.value, 79200);
                assert_eq!(m.label, Some(true));
            }
            other => panic!("{other:?}"),
        }
    }
}
