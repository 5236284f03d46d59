//! `irsalint render`: the pods the pod-identity webhook would produce (DESIGN.md §7,
//! webhook-semantics.md).
//!
//! [`webhook::mutate`] is the single model of the mutation; [`patch`] turns its answer into
//! the webhook's JSON Patch and [`apply`] into the rendered object.

pub mod admission;
pub mod gojson;
pub mod patch;
pub mod quantity;
pub mod webhook;
pub mod yaml;

use serde_json::{Map, Value};

use crate::load::Inputs;
use crate::model::cluster::ClusterConfig;
use crate::model::k8s::{pod_spec_path, PodTemplate};
use crate::source::node::{Node, Value as NV};
use crate::world::{self, World};
use webhook::{
    ConfigMapEntry, Jitter, Mutation, Origin, Outcome, ServiceAccountInfo, Settings, Sourced,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    Yaml,
    Json,
    Patch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RenderMode {
    Raw,
    #[default]
    Admission,
}

/// Command-line overrides of the webhook's settings (`None`: not given).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub annotation_prefix: Option<String>,
    pub token_audience: Option<String>,
    pub aws_default_region: Option<String>,
    pub sts_regional_endpoint: Option<bool>,
    pub token_expiration: Option<i64>,
    pub token_mount_path: Option<String>,
    pub cc_full_uri: Option<String>,
    pub cc_audience: Option<String>,
    pub cc_mount_path: Option<String>,
    pub cc_volume_name: Option<String>,
    pub cc_token_path: Option<String>,
    pub associations: Vec<(String, String)>,
    pub jitter: Jitter,
}

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub format: OutputFormat,
    pub mode: RenderMode,
    pub explain: bool,
    pub overrides: Overrides,
}

/// The result of one run: stdout and stderr text.
#[derive(Debug, Default)]
pub struct Rendered {
    pub stdout: String,
    pub stderr: String,
}

/// Converts a loaded node to JSON, map order kept (duplicate keys: last wins, in the
/// first one's place).
pub fn to_json(node: &Node) -> Value {
    match &node.value {
        NV::Null => Value::Null,
        NV::Bool(b) => Value::Bool(*b),
        NV::Int(i) => Value::from(*i),
        NV::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        NV::Str(s) => Value::String(s.to_string()),
        NV::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        NV::Map(entries) => {
            let mut m = Map::new();
            for e in entries {
                let k = e
                    .key
                    .scalar_text()
                    .map(|c| c.into_owned())
                    .unwrap_or_default();
                m.insert(k, to_json(&e.value));
            }
            Value::Object(m)
        }
    }
}

/// The webhook's settings: its defaults, then the world (irsalint.toml, the webhook
/// Deployment's flags, its ConfigMap), then the command line.
pub fn settings(world: &World<'_>, o: &Overrides) -> Settings {
    let mut s = Settings::default();
    let conv = |origin: &world::Origin| match origin {
        world::Origin::Default => Origin::Default,
        world::Origin::Config => Origin::Derived("irsalint.toml [cluster]".into()),
        world::Origin::Flag(span) => Origin::WebhookFlag(world.location(*span)),
    };
    s.annotation_prefix = Sourced::new(
        world.settings.annotation_prefix.value.clone(),
        conv(&world.settings.annotation_prefix.origin),
    );
    s.token_audience = Sourced::new(
        world.settings.token_audience.value.clone(),
        conv(&world.settings.token_audience.origin),
    );
    let mut watch_cm = None;
    let mut cm_namespace = "eks".to_string();
    if let [wh] = world.webhook_deployments.as_slice() {
        let text = |name: &str| {
            wh.flag(name).and_then(|f| {
                f.value
                    .clone()
                    .map(|v| (v, Origin::WebhookFlag(world.location(f.span))))
            })
        };
        let boolean = |name: &str| {
            wh.flag(name).and_then(|f| {
                let v = match &f.value {
                    None => Some(true),
                    Some(v) => webhook::parse_bool(v),
                };
                v.map(|b| (b, Origin::WebhookFlag(world.location(f.span))))
            })
        };
        for (field, name) in [
            (&mut s.token_mount_path, "token-mount-path"),
            (&mut s.aws_default_region, "aws-default-region"),
            (&mut s.cc_audience, "container-credentials-audience"),
            (
                &mut s.cc_mount_path,
                "container-credentials-token-mount-path",
            ),
            (
                &mut s.cc_volume_name,
                "container-credentials-token-volume-name",
            ),
            (&mut s.cc_token_path, "container-credentials-token-path"),
            (&mut s.cc_full_uri, "container-credentials-full-uri"),
        ] {
            if let Some((v, origin)) = text(name) {
                *field = Sourced::new(v, origin);
            }
        }
        if let Some((v, origin)) = text("token-expiration") {
            if let Ok(n) = v.parse::<i64>() {
                s.token_expiration = Sourced::new(n, origin);
            }
        }
        if let Some((b, origin)) = boolean("sts-regional-endpoint") {
            s.sts_regional_endpoint = Sourced::new(b, origin);
        }
        watch_cm = Some(boolean("watch-config-map").is_some_and(|(b, _)| b));
        if let Some((ns, _)) = text("namespace") {
            cm_namespace = ns;
        }
    }
    // Without a webhook Deployment in the inputs, a `pod-identity-webhook` ConfigMap is
    // taken as meant to be read.
    for cm in &world.webhook_configmaps {
        match watch_cm {
            Some(false) => continue,
            Some(true) if cm.obj.namespace != cm_namespace => continue,
            _ => {}
        }
        for e in &cm.entries {
            let Some(key) = e.key.as_str() else { continue };
            let mut parts = key.split('/');
            let (Some(ns), Some(name)) = (parts.next(), parts.next()) else {
                continue;
            };
            let field = |n: &str| e.value.entry_ignore_case(n).map(|x| &x.value);
            s.configmap.push(ConfigMapEntry {
                key: key.to_string(),
                namespace: ns.to_string(),
                name: name.to_string(),
                role_arn: field("RoleARN")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_string(),
                audience: field("Audience")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_string(),
                use_regional_sts: field("UseRegionalSTS")
                    .and_then(Node::as_bool)
                    .unwrap_or(false),
                token_expiration: field("TokenExpiration").and_then(Node::as_i64).unwrap_or(0),
            });
        }
    }
    let cli = |field: &mut Sourced<String>, v: &Option<String>| {
        if let Some(v) = v {
            *field = Sourced::new(v.clone(), Origin::Cli);
        }
    };
    cli(&mut s.annotation_prefix, &o.annotation_prefix);
    cli(&mut s.token_audience, &o.token_audience);
    cli(&mut s.aws_default_region, &o.aws_default_region);
    cli(&mut s.token_mount_path, &o.token_mount_path);
    cli(&mut s.cc_full_uri, &o.cc_full_uri);
    cli(&mut s.cc_audience, &o.cc_audience);
    cli(&mut s.cc_mount_path, &o.cc_mount_path);
    cli(&mut s.cc_volume_name, &o.cc_volume_name);
    cli(&mut s.cc_token_path, &o.cc_token_path);
    if let Some(b) = o.sts_regional_endpoint {
        s.sts_regional_endpoint = Sourced::new(b, Origin::Cli);
    }
    if let Some(n) = o.token_expiration {
        s.token_expiration = Sourced::new(n, Origin::Cli);
    }
    // EKS Pod Identity associations of the inputs (CloudFormation, eksctl, ACK, Crossplane)
    // are what the EKS webhook reads from its association file; the command line adds more.
    s.associations = world
        .pod_identity_associations
        .iter()
        .filter(|a| !a.namespace.unresolved && !a.service_account.unresolved)
        .map(|a| {
            (
                a.namespace.value.to_string(),
                a.service_account.value.to_string(),
            )
        })
        .chain(o.associations.iter().cloned())
        .collect();
    s.jitter = o.jitter;
    s
}

/// One pod (or pod template) of the inputs, as the webhook would see it.
pub struct PodView<'w, 'a> {
    pub template: &'w PodTemplate<'a>,
    /// `{metadata, spec}` of the pod (the template's for a workload).
    pub pod: Value,
    pub namespace: String,
}

impl PodView<'_, '_> {
    /// `Kind namespace/name`.
    pub fn display(&self) -> String {
        self.template.display()
    }
}

/// Builds the pod the webhook receives for a template.
pub fn pod_view<'w, 'a>(
    world: &World<'a>,
    t: &'w PodTemplate<'a>,
    mode: RenderMode,
) -> PodView<'w, 'a> {
    let mut pod = Map::new();
    pod.insert(
        "metadata".into(),
        t.metadata.map(to_json).unwrap_or(Value::Object(Map::new())),
    );
    pod.insert("spec".into(), to_json(t.spec));
    let mut pod = Value::Object(pod);
    let namespace = t.owner.namespace.clone();
    if mode == RenderMode::Admission {
        let sa_name = t.service_account_name();
        let sa_automount = world.service_account(&namespace, sa_name).and_then(|sa| {
            sa.obj
                .node
                .get("automountServiceAccountToken")
                .and_then(Node::as_bool)
        });
        let seed = format!("{}/{}/{}", t.owner.kind, namespace, t.owner.name_str());
        admission::admit(&mut pod, sa_automount, &seed);
    }
    PodView {
        template: t,
        pod,
        namespace: namespace.to_string(),
    }
}

/// The ServiceAccount as the webhook's cache would hold it.
pub fn sa_info(world: &World<'_>, ns: &str, name: &str) -> Option<ServiceAccountInfo> {
    let sa = world.service_account(ns, name)?;
    Some(ServiceAccountInfo {
        annotations: sa
            .obj
            .annotations()
            .iter()
            .filter_map(|e| {
                // A Terraform value known only at apply time shows as `${reference}`.
                let value = if crate::terraform::hcl::is_unknown(&e.value) {
                    crate::model::value::text(&e.value, crate::model::value::Substitutions::none())?
                        .value
                        .to_string()
                } else {
                    e.value.scalar_text()?.into_owned()
                };
                Some((e.key.scalar_text()?.into_owned(), value))
            })
            .collect(),
    })
}

/// The webhook's answer for a pod of the inputs, or why the pod never reaches it (`Err`).
/// What `render` prints, and what lint rules about the webhook's effect on a pod ask.
pub fn decide(
    world: &World<'_>,
    view: &PodView<'_, '_>,
    settings: &Settings,
) -> Result<Outcome, String> {
    if let Some(why) = not_sent(world, view) {
        return Err(why);
    }
    let sa_name = view
        .pod
        .pointer("/spec/serviceAccountName")
        .and_then(Value::as_str)
        .unwrap_or("");
    let sa = sa_info(world, &view.namespace, sa_name);
    Ok(webhook::mutate(
        &view.pod,
        &view.namespace,
        sa.as_ref(),
        settings,
    ))
}

/// Why a pod never reaches the webhook, if it does not.
fn not_sent(world: &World<'_>, view: &PodView<'_, '_>) -> Option<String> {
    let labels = view
        .pod
        .pointer("/metadata/labels")
        .and_then(Value::as_object);
    // hostNetwork, privileged and Windows pods are mutated all the same (§4).
    if world.webhook_configurations.is_empty() {
        // The webhook's own manifest and EKS's configuration skip labelled pods.
        let key = "eks.amazonaws.com/skip-pod-identity-webhook";
        if labels.is_some_and(|l| l.contains_key(key)) {
            return Some(format!(
                "label {key} is set: the webhook's objectSelector (DoesNotExist) skips the pod"
            ));
        }
        return None;
    }
    for cfg in &world.webhook_configurations {
        for wh in &cfg.webhooks {
            if let Some(sel) = wh.get("objectSelector") {
                if let Err(why) = selector_matches(&to_json(sel), labels) {
                    return Some(format!(
                        "the webhook selector would not match ({} at {}): {why}",
                        cfg.obj.display(),
                        world.location(sel.span)
                    ));
                }
            }
        }
    }
    None
}

/// A label selector against labels; `Err` says which requirement fails.
pub fn selector_matches(sel: &Value, labels: Option<&Map<String, Value>>) -> Result<(), String> {
    let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    if let Some(m) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in m {
            if get(k) != v.as_str() {
                return Err(format!("matchLabels {k}={}", v.as_str().unwrap_or("")));
            }
        }
    }
    for e in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let op = e.get("operator").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let have = get(key);
        let ok = match op {
            "In" => have.is_some_and(|v| values.contains(&v)),
            "NotIn" => !have.is_some_and(|v| values.contains(&v)),
            "Exists" => labels.is_some_and(|l| l.contains_key(key)),
            "DoesNotExist" => !labels.is_some_and(|l| l.contains_key(key)),
            _ => true,
        };
        if !ok {
            return Err(format!("label {key} {op} {}", values.join(","))
                .trim_end()
                .to_string());
        }
    }
    Ok(())
}

/// The mutated object: the owner with its pod spec (and template labels) replaced.
pub fn apply(t: &PodTemplate<'_>, view: &PodView<'_, '_>, m: Option<&Mutation>) -> Value {
    let mut pod = view.pod.clone();
    if let Some(m) = m {
        if let Some(nil) = m.label {
            let meta = obj_entry(&mut pod, "metadata");
            if nil || !meta.get("labels").is_some_and(Value::is_object) {
                meta.insert("labels".into(), Value::Object(Map::new()));
            }
            if let Some(Value::Object(l)) = meta.get_mut("labels") {
                l.insert(webhook::POD_IDENTITY_LABEL.into(), "enabled".into());
            }
        }
        let spec = obj_entry(&mut pod, "spec");
        if let Some((vol, _)) = &m.volume {
            match spec.get_mut("volumes") {
                Some(Value::Array(a)) => a.insert(0, vol.clone()),
                _ => {
                    spec.insert("volumes".into(), Value::Array(vec![vol.clone()]));
                }
            }
        }
        for (key, changes) in [
            ("initContainers", &m.init_containers),
            ("containers", &m.containers),
        ] {
            if let Some(Value::Array(cs)) = spec.get_mut(key) {
                for (c, ch) in cs.iter_mut().zip(changes.iter()) {
                    webhook::apply_change(c, ch, &m.injected, false);
                }
            }
        }
    }
    let mut owner = to_json(t.owner.node);
    let Some(path) = pod_spec_path(t.owner.kind) else {
        return owner;
    };
    if path.len() == 1 {
        // A Pod: metadata and spec are its own.
        if let (Some(o), Value::Object(p)) = (owner.as_object_mut(), pod) {
            for (k, v) in p {
                if k == "metadata"
                    && v.as_object().is_some_and(Map::is_empty)
                    && !o.contains_key("metadata")
                {
                    continue;
                }
                o.insert(k, v);
            }
        }
        return owner;
    }
    let mut parent = &mut owner;
    for k in &path[..path.len() - 1] {
        match parent.get_mut(*k) {
            Some(p) => parent = p,
            None => return owner,
        }
    }
    if let (Some(o), Value::Object(p)) = (parent.as_object_mut(), pod) {
        for (k, v) in p {
            if k == "metadata"
                && v.as_object().is_some_and(Map::is_empty)
                && !o.contains_key("metadata")
            {
                continue;
            }
            o.insert(k, v);
        }
    }
    owner
}

fn obj_entry<'v>(v: &'v mut Value, key: &str) -> &'v mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    let m = v.as_object_mut().expect("object");
    if !m.get(key).is_some_and(Value::is_object) {
        m.insert(key.into(), Value::Object(Map::new()));
    }
    m.get_mut(key)
        .and_then(Value::as_object_mut)
        .expect("object")
}

/// The webhook release `render` models.
pub const MODELLED_VERSION: crate::model::webhook::Version = (0, 6, 17);

/// A note on stderr for each webhook Deployment of the inputs whose image names another
/// release than the modelled one, with where behaviour is known to differ.
pub fn version_notes(world: &World<'_>) -> String {
    let (ma, mi, pa) = MODELLED_VERSION;
    let mut out = String::new();
    for wh in &world.webhook_deployments {
        let Some(v) = wh.version() else { continue };
        if v == MODELLED_VERSION {
            continue;
        }
        let image = wh.image().and_then(Node::as_str).unwrap_or("");
        let at = wh
            .image()
            .map(|n| world.location(n.span))
            .unwrap_or_default();
        let differs = if v < crate::model::webhook::FIRST_KEEPING_RESTART_POLICY {
            "it also strips `restartPolicy` from init containers (native sidecars), which the rendered pods do not show"
        } else if v > MODELLED_VERSION {
            "a newer release may mutate differently"
        } else {
            "no difference in the mutation is known"
        };
        out.push_str(&format!(
            "note: render models amazon-eks-pod-identity-webhook v{ma}.{mi}.{pa}; the inputs run `{image}` ({at}): {differs}\n"
        ));
    }
    out
}

/// Renders every pod and pod template of the inputs.
pub fn render(
    inputs: &Inputs,
    cluster: &impl AsRef<ClusterConfig>,
    opts: &RenderOptions,
) -> Rendered {
    let world = World::build(inputs, cluster);
    let settings = settings(&world, &opts.overrides);
    let mut out = Rendered::default();
    out.stderr.push_str(&version_notes(&world));
    let mut objects = Vec::new();
    for t in &world.pods {
        let view = pod_view(&world, t, opts.mode);
        let who = view.display();
        let outcome = match decide(&world, &view, &settings) {
            Ok(outcome) => outcome,
            Err(why) => {
                out.stderr.push_str(&format!("{who}: not mutated: {why}\n"));
                if opts.format != OutputFormat::Patch {
                    objects.push(apply(t, &view, None));
                }
                continue;
            }
        };
        let sa_name = view
            .pod
            .pointer("/spec/serviceAccountName")
            .and_then(Value::as_str)
            .unwrap_or("");
        match outcome {
            Outcome::NotMutated(why) => {
                let why = if sa_name.is_empty() {
                    "spec.serviceAccountName is not set: the webhook looks up an empty name (the API server sets `default` first: use --mode admission)".to_string()
                } else {
                    why.to_string()
                };
                out.stderr.push_str(&format!("{who}: not mutated: {why}\n"));
                if opts.format != OutputFormat::Patch {
                    objects.push(apply(t, &view, None));
                }
            }
            Outcome::Mutated(m) => {
                if opts.explain {
                    out.stderr.push_str(&explain(&who, &m));
                }
                match opts.format {
                    OutputFormat::Patch => {
                        out.stdout.push_str(&patch::render(&view.pod, &m));
                        out.stdout.push('\n');
                    }
                    _ => {
                        let mut m = m;
                        if opts.mode == RenderMode::Admission {
                            if let Some((vol, _)) = &mut m.volume {
                                admission::default_added_volume(vol);
                            }
                        }
                        objects.push(apply(t, &view, Some(&m)));
                    }
                }
            }
        }
    }
    match opts.format {
        OutputFormat::Patch => {}
        OutputFormat::Yaml => {
            for (i, o) in objects.iter().enumerate() {
                if i > 0 {
                    out.stdout.push_str("---\n");
                }
                out.stdout.push_str(&yaml::to_yaml(o));
            }
        }
        OutputFormat::Json => {
            let v = if objects.len() == 1 {
                objects.pop().unwrap_or(Value::Null)
            } else {
                serde_json::json!({"apiVersion": "v1", "kind": "List", "items": objects})
            };
            out.stdout
                .push_str(&serde_json::to_string_pretty(&v).unwrap_or_default());
            out.stdout.push('\n');
        }
    }
    out
}

/// `--explain`: where each injected value came from.
pub fn explain(who: &str, m: &Mutation) -> String {
    let i = &m.injected;
    let mut s = format!(
        "{who}: mutated ({})\n",
        match i.mode {
            webhook::Mode::WebIdentity => "IRSA web identity",
            webhook::Mode::PodIdentity => "EKS Pod Identity",
        }
    );
    let mut line = |name: &str, value: String, origin: &Origin| {
        s.push_str(&format!("  {name} = {value}  <- {origin}\n"));
    };
    if let Some(r) = &i.role_arn {
        line("role-arn", format!("{:?}", r.value), &r.origin);
    }
    if let Some(u) = &i.full_uri {
        line("full-uri", format!("{:?}", u.value), &u.origin);
    }
    line(
        "audience",
        format!("{:?}", i.audience.value),
        &i.audience.origin,
    );
    line(
        "expirationSeconds",
        i.expiration.value.to_string(),
        &i.expiration.origin,
    );
    line(
        "sts-regional-endpoints",
        i.regional_sts.value.to_string(),
        &i.regional_sts.origin,
    );
    line("region", format!("{:?}", i.region.value), &i.region.origin);
    line(
        "volume",
        format!("{:?}", i.volume_name.value),
        &i.volume_name.origin,
    );
    line(
        "mountPath",
        format!("{:?}", i.mount_path.value),
        &i.mount_path.origin,
    );
    line(
        "token file",
        format!("{:?}", i.token_file.value),
        &i.token_file.origin,
    );
    line(
        "token env",
        format!("{:?}", i.token_env.value),
        &i.token_env.origin,
    );
    s
}
