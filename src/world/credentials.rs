//! Which containers read an AWS shared config file of the inputs. The file is a key of a
//! Secret or ConfigMap (`World::aws_configs`) that a `secret`, `configMap` or `projected`
//! volume puts into the container (with its `items` and the mount's `subPath`); the SDK reads
//! it when `AWS_CONFIG_FILE` or `AWS_SHARED_CREDENTIALS_FILE` names that path, and a mounted
//! credentials file no variable points away from is taken as read too (OpenShift's operators
//! and the AWS docs' web-identity profile mount it for that purpose).
//!
//! One model for both ways a credentials file meets a token: the CredentialsRequest whose
//! Secret it is (`World::credentials_request_of`) and the containers that mount it (here).

use super::World;
use crate::model::k8s::{EnvVar, PodTemplate};
use crate::model::openshift::CredentialsRequest;
use crate::source::ini::IniSection;
use crate::source::node::Node;

/// A container that reads `World::aws_configs[config]`.
#[derive(Debug, Clone)]
pub struct CredentialsFileUse<'a> {
    /// Index into `World::aws_configs`.
    pub config: usize,
    /// Index into `World::pods`.
    pub pod: usize,
    /// Index into that pod's `containers`.
    pub container: usize,
    /// Where the container sees the file.
    pub path: String,
    /// The volume's reference to the Secret or ConfigMap (`secretName`, `name`).
    pub reference: &'a Node,
    /// The container's `volumeMounts` entry that puts the file there.
    pub mount: &'a Node,
    pub via: CredentialsVia<'a>,
    /// `AWS_PROFILE` when the container sets it (a literal): the profile the SDK selects.
    pub profile: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub enum CredentialsVia<'a> {
    /// `AWS_CONFIG_FILE` or `AWS_SHARED_CREDENTIALS_FILE` names the file's path.
    Env(EnvVar<'a>),
    /// Mounted, and no such variable points elsewhere.
    Mount,
}

const FILE_VARS: [&str; 2] = ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"];

/// A literal value (a ConfigMap's or inline `value`), `Err` when the variable is set in a way
/// the inputs do not show (`valueFrom`, a Secret's base64 `data`), `Ok(None)` when unset.
fn literal<'a>(e: Option<EnvVar<'a>>) -> Result<Option<&'a str>, ()> {
    // A `valueFrom` entry (or a Secret's base64 `data` through `envFrom`) has no `value`.
    match e {
        None => Ok(None),
        Some(e) => e.value.and_then(Node::as_str).map(Some).ok_or(()),
    }
}

/// The Secret or ConfigMap sources of a volume: (kind, the name node, `items`).
fn sources(vol: &Node) -> Vec<(&'static str, &Node, Option<&Node>)> {
    let mut out = Vec::new();
    fn push<'n>(
        out: &mut Vec<(&'static str, &'n Node, Option<&'n Node>)>,
        kind: &'static str,
        src: &'n Node,
        name_key: &str,
    ) {
        if let Some(n) = src.get(name_key) {
            out.push((kind, n, src.get("items")));
        }
    }
    if let Some(s) = vol.get("secret") {
        push(&mut out, "Secret", s, "secretName");
    }
    if let Some(s) = vol.get("configMap") {
        push(&mut out, "ConfigMap", s, "name");
    }
    for s in vol
        .path(&["projected", "sources"])
        .map(Node::items)
        .unwrap_or(&[])
    {
        if let Some(s) = s.get("secret") {
            push(&mut out, "Secret", s, "name");
        }
        if let Some(s) = s.get("configMap") {
            push(&mut out, "ConfigMap", s, "name");
        }
    }
    out
}

/// Where key `key` lands in the volume: its `items` entry's `path` when `items` lists keys
/// (unlisted keys are not projected), else the key itself.
fn relative_path<'a>(items: Option<&'a Node>, key: &'a str) -> Option<&'a str> {
    match items.and_then(Node::as_seq) {
        None => Some(key),
        Some(items) => items
            .iter()
            .find(|i| i.get("key").and_then(Node::as_str) == Some(key))
            .and_then(|i| i.get("path"))
            .and_then(Node::as_str),
    }
}

/// Where a file at `rel` inside the volume appears through `mount`, if it does.
fn mounted_at(mount: &Node, rel: &str) -> Option<String> {
    let mp = mount.get("mountPath").and_then(Node::as_str)?;
    let mp = mp.trim_end_matches('/');
    if mount.get("subPathExpr").is_some() {
        return None;
    }
    let rel = rel.trim_matches('/');
    match mount.get("subPath").and_then(Node::as_str) {
        None | Some("") => Some(format!("{mp}/{rel}")),
        Some(sp) => {
            let sp = sp.trim_matches('/');
            if rel == sp {
                Some(mp.to_string())
            } else {
                rel.strip_prefix(sp)
                    .and_then(|r| r.strip_prefix('/'))
                    .map(|r| format!("{mp}/{r}"))
            }
        }
    }
}

/// Of the configs several Secrets (or ConfigMaps) of one namespace and name hold, the ones
/// in the pod's own directory when there are such: copies of one object side by side in
/// several directories (a test fixture per platform, a directory per cluster) are each read
/// by the pod beside them, not by every pod of that namespace in the repository.
fn same_directory_first(world: &World<'_>, pod: &PodTemplate<'_>, named: Vec<usize>) -> Vec<usize> {
    if named.len() < 2 {
        return named;
    }
    let dir = |span| {
        let p = world.path_of(span);
        p.rsplit_once('/').map_or("", |(d, _)| d)
    };
    let here = dir(pod.owner.anchor());
    let beside: Vec<usize> = named
        .iter()
        .copied()
        .filter(|&i| {
            world.aws_configs[i]
                .secret
                .as_ref()
                .is_some_and(|o| dir(o.anchor()) == here)
        })
        .collect();
    if beside.is_empty() {
        named
    } else {
        beside
    }
}

pub(super) fn uses<'a>(world: &World<'a>) -> Vec<CredentialsFileUse<'a>> {
    let mut out = Vec::new();
    if world.aws_configs.is_empty() {
        return out;
    }
    for (pi, pod) in world.pods.iter().enumerate() {
        for (ci, c) in pod.containers.iter().enumerate() {
            let Ok(vars) = FILE_VARS
                .iter()
                .map(|v| {
                    let e = world.container_env(pod, c, v);
                    literal(e.clone()).map(|l| l.map(|l| (l, e)))
                })
                .collect::<Result<Vec<_>, ()>>()
            else {
                // A variable whose value the inputs do not show may point anywhere.
                continue;
            };
            let Ok(profile) = literal(world.container_env(pod, c, "AWS_PROFILE")) else {
                continue;
            };
            for m in &c.volume_mounts {
                let vname = m.get("name").and_then(Node::as_str);
                let Some(vol) = pod
                    .volumes
                    .iter()
                    .find(|v| v.name.and_then(Node::as_str) == vname && vname.is_some())
                else {
                    continue;
                };
                for (kind, name, items) in sources(vol.node) {
                    let named: Vec<usize> = world
                        .aws_configs
                        .iter()
                        .enumerate()
                        .filter(|(_, cfg)| {
                            cfg.secret.as_ref().is_some_and(|obj| {
                                obj.kind == kind
                                    && Some(obj.name_str()) == name.as_str()
                                    && obj.namespace == pod.owner.namespace
                            })
                        })
                        .map(|(i, _)| i)
                        .collect();
                    for i in same_directory_first(world, pod, named) {
                        let cfg = &world.aws_configs[i];
                        let (Some(_), Some(key)) = (&cfg.secret, cfg.key.and_then(Node::as_str))
                        else {
                            continue;
                        };
                        let Some(path) = relative_path(items, key).and_then(|r| mounted_at(m, r))
                        else {
                            continue;
                        };
                        let via = match vars.iter().flatten().find(|(v, _)| *v == path) {
                            Some((_, Some(e))) => CredentialsVia::Env(e.clone()),
                            Some((_, None)) => continue,
                            // A variable names another file: the SDK reads that one.
                            None if vars.iter().any(Option::is_some) => continue,
                            None => CredentialsVia::Mount,
                        };
                        out.push(CredentialsFileUse {
                            config: i,
                            pod: pi,
                            container: ci,
                            path,
                            reference: name,
                            mount: m,
                            via,
                            profile,
                        });
                    }
                }
            }
        }
    }
    out
}

impl<'a> World<'a> {
    /// The CredentialsRequest whose `secretRef` names the Secret holding
    /// `aws_configs[config]` (an AWS one or not).
    pub fn credentials_request_of(&self, config: usize) -> Option<&CredentialsRequest<'a>> {
        let secret = self.aws_configs.get(config)?.in_secret()?;
        crate::model::openshift::for_secret(
            &self.credentials_requests,
            &secret.namespace,
            secret.name_str(),
        )
    }

    /// The profile of its file that a container reads: `AWS_PROFILE`'s (`[name]` in a
    /// credentials file, `[profile name]` in a config file), else the default profile.
    pub fn credentials_profile(&self, u: &CredentialsFileUse<'_>) -> Option<&IniSection> {
        let cfg = self.aws_configs.get(u.config)?;
        match u.profile {
            None => cfg.default_profile(),
            Some(p) => cfg
                .ini
                .section(p)
                .or_else(|| cfg.ini.section(&format!("profile {p}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::iam::testutil::node;
    use serde_json::json;

    #[test]
    fn items_select_and_rename_keys() {
        let items = node(&json!([{"key": "credentials", "path": "aws/creds"}]));
        assert_eq!(
            relative_path(Some(&items), "credentials"),
            Some("aws/creds")
        );
        assert_eq!(relative_path(Some(&items), "config"), None);
        assert_eq!(relative_path(None, "config"), Some("config"));
    }

    #[test]
    fn sub_path_mounts_one_file() {
        let m =
            node(&json!({"name": "aws", "mountPath": "/root/.aws/config", "subPath": "config"}));
        assert_eq!(
            mounted_at(&m, "config").as_deref(),
            Some("/root/.aws/config")
        );
        assert_eq!(mounted_at(&m, "credentials"), None);
        let dir = node(&json!({"name": "aws", "mountPath": "/etc/aws/"}));
        assert_eq!(
            mounted_at(&dir, "credentials").as_deref(),
            Some("/etc/aws/credentials")
        );
        let nested = node(&json!({"name": "aws", "mountPath": "/etc/aws", "subPath": "a"}));
        assert_eq!(
            mounted_at(&nested, "a/config").as_deref(),
            Some("/etc/aws/config")
        );
        assert_eq!(mounted_at(&nested, "ab/config"), None);
        let expr = node(&json!({"name": "aws", "mountPath": "/etc/aws", "subPathExpr": "$(POD)"}));
        assert_eq!(mounted_at(&expr, "config"), None);
    }
}
