//! What the webhook's Go `encoding/json` does to a container: decode into the
//! `k8s.io/api/core/v1.Container` struct of k8s.io/api v0.36.0 (unknown fields dropped, keys
//! matched case-insensitively) and encode again (struct field order, `omitempty`, sorted map
//! keys, canonical quantities, Go string escaping). webhook-semantics.md §9.2–§9.3.

use serde_json::{Map, Value};

use super::quantity;

/// A Go type of the container subtree.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Str,
    Int,
    Bool,
    /// `resource.Quantity`: a struct, so never omitted; zero prints as `"0"`.
    Quantity,
    /// `intstr.IntOrString`: keeps its kind.
    IntOrStr,
    Struct(&'static [Field]),
    List(&'static Ty),
    /// `map[string]T`, keys sorted on output.
    Map(&'static Ty),
}

/// How a field is tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// No `omitempty` (or a non-pointer struct): always written, zero value when absent.
    Always,
    /// `omitempty` on a value: dropped when zero.
    OmitEmpty,
    /// A pointer with `omitempty`: written whenever set, even to a zero value.
    Ptr,
    /// A pointer without `omitempty`: `null` when unset.
    PtrAlways,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub tag: Tag,
}

const fn f(name: &'static str, ty: Ty, tag: Tag) -> Field {
    Field { name, ty, tag }
}

use Tag::{Always as A, OmitEmpty as O, Ptr as P, PtrAlways as PA};
use Ty::{Bool, Int, IntOrStr, Quantity, Str};

const STRS: Ty = Ty::List(&Str);
const INTS: Ty = Ty::List(&Int);

const LOCAL_OPT: &[Field] = &[f("name", Str, O), f("optional", Bool, P)];
const ENV_FROM: &[Field] = &[
    f("prefix", Str, O),
    f("configMapRef", Ty::Struct(LOCAL_OPT), P),
    f("secretRef", Ty::Struct(LOCAL_OPT), P),
];
const OBJECT_FIELD: &[Field] = &[f("apiVersion", Str, O), f("fieldPath", Str, A)];
const RESOURCE_FIELD: &[Field] = &[
    f("containerName", Str, O),
    f("resource", Str, A),
    f("divisor", Quantity, A),
];
const KEY_SELECTOR: &[Field] = &[f("name", Str, O), f("key", Str, A), f("optional", Bool, P)];
const FILE_KEY: &[Field] = &[
    f("volumeName", Str, A),
    f("path", Str, A),
    f("key", Str, A),
    f("optional", Bool, P),
];
const ENV_SOURCE: &[Field] = &[
    f("fieldRef", Ty::Struct(OBJECT_FIELD), P),
    f("resourceFieldRef", Ty::Struct(RESOURCE_FIELD), P),
    f("configMapKeyRef", Ty::Struct(KEY_SELECTOR), P),
    f("secretKeyRef", Ty::Struct(KEY_SELECTOR), P),
    f("fileKeyRef", Ty::Struct(FILE_KEY), P),
];
pub const ENV_VAR: &[Field] = &[
    f("name", Str, A),
    f("value", Str, O),
    f("valueFrom", Ty::Struct(ENV_SOURCE), P),
];
const PORT: &[Field] = &[
    f("name", Str, O),
    f("hostPort", Int, O),
    f("containerPort", Int, A),
    f("protocol", Str, O),
    f("hostIP", Str, O),
];
const CLAIM: &[Field] = &[f("name", Str, A), f("request", Str, O)];
const RESOURCES: &[Field] = &[
    f("limits", Ty::Map(&Quantity), O),
    f("requests", Ty::Map(&Quantity), O),
    f("claims", Ty::List(&Ty::Struct(CLAIM)), O),
];
const RESIZE: &[Field] = &[f("resourceName", Str, A), f("restartPolicy", Str, A)];
const ON_EXIT_CODES: &[Field] = &[f("operator", Str, O), f("values", INTS, O)];
const RESTART_RULE: &[Field] = &[
    f("action", Str, O),
    f("exitCodes", Ty::Struct(ON_EXIT_CODES), P),
];
pub const VOLUME_MOUNT: &[Field] = &[
    f("name", Str, A),
    f("readOnly", Bool, O),
    f("recursiveReadOnly", Str, P),
    f("mountPath", Str, A),
    f("subPath", Str, O),
    f("mountPropagation", Str, P),
    f("subPathExpr", Str, O),
];
const VOLUME_DEVICE: &[Field] = &[f("name", Str, A), f("devicePath", Str, A)];
const EXEC: &[Field] = &[f("command", STRS, O)];
const HEADER: &[Field] = &[f("name", Str, A), f("value", Str, A)];
const HTTP_GET: &[Field] = &[
    f("path", Str, O),
    f("port", IntOrStr, A),
    f("host", Str, O),
    f("scheme", Str, O),
    f("httpHeaders", Ty::List(&Ty::Struct(HEADER)), O),
];
const TCP: &[Field] = &[f("port", IntOrStr, A), f("host", Str, O)];
const GRPC: &[Field] = &[f("port", Int, A), f("service", Str, PA)];
const SLEEP: &[Field] = &[f("seconds", Int, A)];
const PROBE: &[Field] = &[
    f("exec", Ty::Struct(EXEC), P),
    f("httpGet", Ty::Struct(HTTP_GET), P),
    f("tcpSocket", Ty::Struct(TCP), P),
    f("grpc", Ty::Struct(GRPC), P),
    f("initialDelaySeconds", Int, O),
    f("timeoutSeconds", Int, O),
    f("periodSeconds", Int, O),
    f("successThreshold", Int, O),
    f("failureThreshold", Int, O),
    f("terminationGracePeriodSeconds", Int, P),
];
const HANDLER: &[Field] = &[
    f("exec", Ty::Struct(EXEC), P),
    f("httpGet", Ty::Struct(HTTP_GET), P),
    f("tcpSocket", Ty::Struct(TCP), P),
    f("sleep", Ty::Struct(SLEEP), P),
];
const LIFECYCLE: &[Field] = &[
    f("postStart", Ty::Struct(HANDLER), P),
    f("preStop", Ty::Struct(HANDLER), P),
    f("stopSignal", Str, P),
];
const CAPABILITIES: &[Field] = &[f("add", STRS, O), f("drop", STRS, O)];
const SELINUX: &[Field] = &[
    f("user", Str, O),
    f("role", Str, O),
    f("type", Str, O),
    f("level", Str, O),
];
const WINDOWS: &[Field] = &[
    f("gmsaCredentialSpecName", Str, P),
    f("gmsaCredentialSpec", Str, P),
    f("runAsUserName", Str, P),
    f("hostProcess", Bool, P),
];
const PROFILE: &[Field] = &[f("type", Str, A), f("localhostProfile", Str, P)];
const SECURITY: &[Field] = &[
    f("capabilities", Ty::Struct(CAPABILITIES), P),
    f("privileged", Bool, P),
    f("seLinuxOptions", Ty::Struct(SELINUX), P),
    f("windowsOptions", Ty::Struct(WINDOWS), P),
    f("runAsUser", Int, P),
    f("runAsGroup", Int, P),
    f("runAsNonRoot", Bool, P),
    f("readOnlyRootFilesystem", Bool, P),
    f("allowPrivilegeEscalation", Bool, P),
    f("procMount", Str, P),
    f("seccompProfile", Ty::Struct(PROFILE), P),
    f("appArmorProfile", Ty::Struct(PROFILE), P),
];

/// `core/v1.Container` of k8s.io/api v0.36.0, fields in declaration order.
pub const CONTAINER: &[Field] = &[
    f("name", Str, A),
    f("image", Str, O),
    f("command", STRS, O),
    f("args", STRS, O),
    f("workingDir", Str, O),
    f("ports", Ty::List(&Ty::Struct(PORT)), O),
    f("envFrom", Ty::List(&Ty::Struct(ENV_FROM)), O),
    f("env", Ty::List(&Ty::Struct(ENV_VAR)), O),
    f("resources", Ty::Struct(RESOURCES), A),
    f("resizePolicy", Ty::List(&Ty::Struct(RESIZE)), O),
    f("restartPolicy", Str, P),
    f("restartPolicyRules", Ty::List(&Ty::Struct(RESTART_RULE)), O),
    f("volumeMounts", Ty::List(&Ty::Struct(VOLUME_MOUNT)), O),
    f("volumeDevices", Ty::List(&Ty::Struct(VOLUME_DEVICE)), O),
    f("livenessProbe", Ty::Struct(PROBE), P),
    f("readinessProbe", Ty::Struct(PROBE), P),
    f("startupProbe", Ty::Struct(PROBE), P),
    f("lifecycle", Ty::Struct(LIFECYCLE), P),
    f("terminationMessagePath", Str, O),
    f("terminationMessagePolicy", Str, O),
    f("imagePullPolicy", Str, O),
    f("securityContext", Ty::Struct(SECURITY), P),
    f("stdin", Bool, O),
    f("stdinOnce", Bool, O),
    f("tty", Bool, O),
];

/// Looks a field up the way Go does: an exact key first, else one equal ignoring case.
fn lookup<'v>(m: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    m.get(name).or_else(|| {
        m.iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// Decodes `v` as Go type `ty` and returns what Go would encode again. `None` means the zero
/// value of a type whose zero Go would omit under `omitempty` (nil slice or map).
pub fn decode(v: Option<&Value>, ty: Ty) -> Value {
    let v = v.filter(|v| !v.is_null());
    match ty {
        Str => match v {
            Some(Value::String(s)) => Value::String(s.clone()),
            Some(Value::Number(n)) => Value::String(n.to_string()),
            Some(Value::Bool(b)) => Value::String(b.to_string()),
            _ => Value::String(String::new()),
        },
        Int => match v {
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .map(Value::from)
                .unwrap_or(Value::from(0)),
            _ => Value::from(0),
        },
        Bool => Value::Bool(matches!(v, Some(Value::Bool(true)))),
        Quantity => match v {
            Some(Value::String(s)) => Value::String(quantity::canonical(s)),
            Some(Value::Number(n)) => Value::String(quantity::canonical(&n.to_string())),
            _ => Value::String("0".into()),
        },
        IntOrStr => match v {
            Some(Value::String(s)) => Value::String(s.clone()),
            Some(Value::Number(n)) => Value::Number(n.clone()),
            _ => Value::from(0),
        },
        Ty::Struct(fields) => {
            let empty = Map::new();
            let m = match v {
                Some(Value::Object(m)) => m,
                _ => &empty,
            };
            Value::Object(decode_struct(m, fields))
        }
        Ty::List(item) => match v {
            Some(Value::Array(a)) => {
                Value::Array(a.iter().map(|x| decode(Some(x), *item)).collect())
            }
            _ => Value::Null,
        },
        Ty::Map(item) => match v {
            Some(Value::Object(m)) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                let mut out = Map::new();
                for k in keys {
                    out.insert(k.clone(), decode(m.get(k), *item));
                }
                Value::Object(out)
            }
            _ => Value::Null,
        },
    }
}

pub fn decode_struct(m: &Map<String, Value>, fields: &[Field]) -> Map<String, Value> {
    let mut out = Map::new();
    for fd in fields {
        let raw = lookup(m, fd.name);
        match fd.tag {
            Tag::Always => {
                out.insert(fd.name.into(), decode(raw, fd.ty));
            }
            Tag::OmitEmpty => {
                let v = decode(raw, fd.ty);
                if !is_empty(&v, fd.ty) {
                    out.insert(fd.name.into(), v);
                }
            }
            Tag::Ptr => {
                if raw.is_some_and(|r| !r.is_null()) {
                    out.insert(fd.name.into(), decode(raw, fd.ty));
                }
            }
            Tag::PtrAlways => {
                let v = if raw.is_some_and(|r| !r.is_null()) {
                    decode(raw, fd.ty)
                } else {
                    Value::Null
                };
                out.insert(fd.name.into(), v);
            }
        }
    }
    out
}

/// Go's `omitempty` test (structs are never empty).
fn is_empty(v: &Value, ty: Ty) -> bool {
    match (ty, v) {
        (Ty::Struct(_) | Quantity | IntOrStr, _) => false,
        (_, Value::Null) => true,
        (_, Value::String(s)) => s.is_empty(),
        (_, Value::Number(n)) => n.as_i64() == Some(0),
        (_, Value::Bool(b)) => !b,
        (_, Value::Array(a)) => a.is_empty(),
        (_, Value::Object(m)) => m.is_empty(),
    }
}

/// Writes `v` compactly as Go `encoding/json` does (map order as stored).
pub fn write(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_str(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(k, out);
                out.push(':');
                write(x, out);
            }
            out.push('}');
        }
    }
}

pub fn to_string(v: &Value) -> String {
    let mut s = String::new();
    write(v, &mut s);
    s
}

/// Go's string escaping with HTML-safe `<`, `>`, `&` (Go ≥ 1.22 short forms).
pub fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn container_in_struct_order_with_omitempty() {
        let c = json!({"readinessProbe": {"grpc": {"port": 5000}}, "name": "a", "image": "x",
            "unknown": 1, "stdin": false, "securityContext": {"privileged": false}});
        let got = to_string(&decode(Some(&c), Ty::Struct(CONTAINER)));
        assert_eq!(
            got,
            r#"{"name":"a","image":"x","resources":{},"readinessProbe":{"grpc":{"port":5000,"service":null}},"securityContext":{"privileged":false}}"#
        );
    }

    #[test]
    fn html_characters_are_escaped() {
        assert_eq!(
            to_string(&json!("a<b>&c\u{1}")),
            r#""a\u003cb\u003e\u0026c\u0001""#
        );
    }

    #[test]
    fn divisor_and_mount_path_are_always_written() {
        let env =
            json!({"name": "X", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}});
        assert_eq!(
            to_string(&decode(Some(&env), Ty::Struct(ENV_VAR))),
            r#"{"name":"X","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu","divisor":"0"}}}"#
        );
        let m = json!({"name": "v", "path": "/p"});
        assert_eq!(
            to_string(&decode(Some(&m), Ty::Struct(VOLUME_MOUNT))),
            r#"{"name":"v","mountPath":""}"#
        );
    }
}
