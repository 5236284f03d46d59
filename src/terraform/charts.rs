//! The ServiceAccounts well-known Helm charts create when a `helm_release` does not name
//! them: the chart's default, often derived from the release name by the chart's `fullname`
//! template. Modelled from the charts' released templates (each entry cites its source);
//! a chart not listed here is never guessed at, its ServiceAccount is linked only when the
//! release's values name it.
//!
//! The values a release gives are read as Helm merges them: `set`/`set_sensitive` over the
//! `values` documents, a later document over an earlier one. When a value that decides the
//! name (`fullnameOverride`, `nameOverride`, `serviceAccount.create`, …) is unknown, or a
//! `values` document is not known text, the name is not known and nothing is linked.

use crate::source::node::{Node, Value};

/// How a chart names one of its ServiceAccounts when `<account>.name` is unset.
enum Default {
    /// A fixed name from the chart's `values.yaml`.
    Fixed(&'static str),
    /// The chart's `fullname` template, as `helm create` writes it: `fullnameOverride`, else
    /// the release name when it contains `nameOverride` (default: the chart name), else
    /// `<release>-<name>`; at most 63 characters, no trailing `-`.
    FullnameContains,
    /// cluster-autoscaler's `fullname`: the name is `nameOverride`, default
    /// `<cloudProvider>-cluster-autoscaler`, and the release name is used alone only when it
    /// equals it (`ne`, not `contains`).
    ClusterAutoscaler,
}

/// One ServiceAccount a chart creates: where its values are (`controller.serviceAccount` for
/// `controller.serviceAccount.*`), how it is named by default, and the switches that must
/// be on for the chart to create it (besides `<account>.create`).
struct Slot {
    account: &'static [&'static str],
    default: Default,
    also_requires: &'static [&'static [&'static str]],
}

struct Chart {
    name: &'static str,
    slots: &'static [Slot],
    /// A value that replaces the release namespace for the chart's objects.
    namespace_override: Option<&'static str>,
    /// The layouts of older releases, oldest first: a release pinned (`version`) below
    /// `below` has `slots` in `namespace` (`None`: the release's). A release without an
    /// exact version is read with the current layout, `slots`.
    earlier: &'static [Earlier],
}

/// A layout of a chart's older releases ([`Chart::earlier`]).
struct Earlier {
    below: [u64; 3],
    slots: &'static [Slot],
    namespace: Option<&'static str>,
}

const TOP: Slot = Slot {
    account: &["serviceAccount"],
    default: Default::FullnameContains,
    also_requires: &[],
};

/// aws-ebs-csi-driver's accounts before 2.0.0 (`serviceAccount.controller.*`,
/// `serviceAccount.node.*`).
const EBS_V1_CONTROLLER: Slot = Slot {
    account: &["serviceAccount", "controller"],
    default: Default::Fixed("ebs-csi-controller-sa"),
    also_requires: &[],
};
const EBS_V1_NODE: Slot = Slot {
    account: &["serviceAccount", "node"],
    default: Default::Fixed("ebs-csi-node-sa"),
    also_requires: &[],
};

/// An exact chart version as a release pins it (`1.2.3`, `v1.2.3`; a pre-release or build
/// suffix after `-`/`+` is ignored); `None` for a range (`~1.2`, `>=2.0.0`), a partial
/// version or a value only apply knows: Helm would pick a release the files do not say.
fn exact_version(release: &Node) -> Option<[u64; 3]> {
    let v = release
        .get("version")
        .filter(|v| !super::hcl::is_unknown(v))?;
    let text = v.as_str()?.trim();
    let text = text.strip_prefix('v').unwrap_or(text);
    let core = text.split(['-', '+']).next()?;
    let mut parts = core.split('.');
    let mut out = [0u64; 3];
    for slot in &mut out {
        // Digits only: `parse` refuses an empty part and any other character (a `+` sign
        // cannot be left, the build suffix was cut at it).
        *slot = parts.next()?.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// The accounts of the chart's release `release` and the namespace they are in when the
/// templates write it: the layout of its pinned version ([`Chart::earlier`]), else the
/// current one.
fn layout(chart: &Chart, release: &Node) -> (&'static [Slot], Option<&'static str>) {
    if let Some(v) = exact_version(release) {
        if let Some(e) = chart.earlier.iter().find(|e| v < e.below) {
            return (e.slots, e.namespace);
        }
    }
    (chart.slots, None)
}

/// The charts modelled, with the release of each whose templates were read.
const CHARTS: &[Chart] = &[
    // aws/eks-charts stable/aws-load-balancer-controller 3.5.0: templates/_helpers.tpl
    // `serviceAccountName` (default fullname when `serviceAccount.create`), serviceaccount.yaml
    // (namespace: the release's).
    Chart {
        name: "aws-load-balancer-controller",
        slots: &[TOP],
        namespace_override: None,
        earlier: &[],
    },
    // kubernetes-sigs/external-dns charts/external-dns 1.21.1: `external-dns.serviceAccountName`,
    // `external-dns.namespace` (`namespaceOverride`, else the release namespace).
    Chart {
        name: "external-dns",
        slots: &[TOP],
        namespace_override: Some("namespaceOverride"),
        earlier: &[],
    },
    // aws/karpenter-provider-aws charts/karpenter 1.14.1: `karpenter.serviceAccountName`.
    Chart {
        name: "karpenter",
        slots: &[TOP],
        namespace_override: None,
        earlier: &[],
    },
    // kubernetes/autoscaler charts/cluster-autoscaler (templates/_helpers.tpl@0c063699,
    // serviceaccount.yaml@8b5b27d7): `rbac.serviceAccount.*`, created when `rbac.create` and
    // `rbac.serviceAccount.create`; `cloudProvider` defaults to `aws`.
    Chart {
        name: "cluster-autoscaler",
        slots: &[Slot {
            account: &["rbac", "serviceAccount"],
            default: Default::ClusterAutoscaler,
            also_requires: &[&["rbac", "create"]],
        }],
        namespace_override: None,
        earlier: &[],
    },
    // kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver 2.64.0: values.yaml
    // `controller.serviceAccount.name: ebs-csi-controller-sa`, `node.serviceAccount.name:
    // ebs-csi-node-sa`, used as the names (serviceaccount-csi-controller.yaml), since 2.0.0
    // (tag helm-chart-aws-ebs-csi-driver-2.0.0, 69450f5). Before, the accounts' values were
    // `serviceAccount.controller.*` and `serviceAccount.node.*` (same default names): from
    // 0.9.12 (a3a0bc3) to 1.2.4 (ca95ddc) in the release's namespace; from 0.8.2 to 0.9.11
    // (5241bed) in `kube-system`, written in the templates, the node's account only from
    // 0.9.3 (049e1a1). 0.8.1 (0043b00) named its one account in the template, whatever the
    // values say: not modelled, nothing is linked. The snapshot controller's account
    // (`serviceAccount.snapshot`, before 2.0.0) calls no AWS API and is not modelled.
    Chart {
        name: "aws-ebs-csi-driver",
        slots: &[
            Slot {
                account: &["controller", "serviceAccount"],
                default: Default::Fixed("ebs-csi-controller-sa"),
                also_requires: &[],
            },
            Slot {
                account: &["node", "serviceAccount"],
                default: Default::Fixed("ebs-csi-node-sa"),
                also_requires: &[],
            },
        ],
        namespace_override: None,
        earlier: &[
            Earlier {
                below: [0, 8, 2],
                slots: &[],
                namespace: None,
            },
            Earlier {
                below: [0, 9, 3],
                slots: &[EBS_V1_CONTROLLER],
                namespace: Some("kube-system"),
            },
            Earlier {
                below: [0, 9, 12],
                slots: &[EBS_V1_CONTROLLER, EBS_V1_NODE],
                namespace: Some("kube-system"),
            },
            Earlier {
                below: [2, 0, 0],
                slots: &[EBS_V1_CONTROLLER, EBS_V1_NODE],
                namespace: None,
            },
        ],
    },
    // kubernetes-sigs/aws-efs-csi-driver charts/aws-efs-csi-driver (values.yaml@00a24b48):
    // `controller.serviceAccount.name: efs-csi-controller-sa`, `node…: efs-csi-node-sa`.
    Chart {
        name: "aws-efs-csi-driver",
        slots: &[
            Slot {
                account: &["controller", "serviceAccount"],
                default: Default::Fixed("efs-csi-controller-sa"),
                also_requires: &[],
            },
            Slot {
                account: &["node", "serviceAccount"],
                default: Default::Fixed("efs-csi-node-sa"),
                also_requires: &[],
            },
        ],
        namespace_override: None,
        earlier: &[],
    },
    // external-secrets/external-secrets deploy/charts/external-secrets 2.9.0
    // (templates/_helpers.tpl@9a953d90): `external-secrets.serviceAccountName` (helm create's
    // fullname when `serviceAccount.create`, true in values.yaml), `external-secrets.namespace`
    // (`namespaceOverride`, else the release's); the controller's account, the one that reads
    // AWS Secrets Manager or Parameter Store with a role.
    Chart {
        name: "external-secrets",
        slots: &[TOP],
        namespace_override: Some("namespaceOverride"),
        earlier: &[],
    },
    // cert-manager/cert-manager deploy/charts/cert-manager: templates/_helpers.tpl@043bbd28
    // `cert-manager.serviceAccountName` (`serviceAccount.name`, else `cert-manager.fullname`,
    // helm create's, when `serviceAccount.create`, true in values.yaml); the controller's
    // account, the one DNS01 with Route 53 gives a role. The releases with `crds.enabled` put
    // it in `cert-manager.namespace`: `namespace`, else the release's.
    Chart {
        name: "cert-manager",
        slots: &[TOP],
        namespace_override: Some("namespace"),
        earlier: &[],
    },
];

/// The chart's name as a release's `chart` gives it: `aws-load-balancer-controller`,
/// `eks/aws-load-balancer-controller` (a repository alias), `oci://…/karpenter`, or a
/// packaged chart's URL (`…/external-dns-1.14.3.tgz`).
pub fn chart_name(chart: &str) -> &str {
    let last = chart.rsplit('/').next().unwrap_or(chart);
    match last.strip_suffix(".tgz") {
        // `<name>-<version>.tgz`: the version starts at the last `-` followed by a digit.
        Some(pkg) => pkg
            .match_indices('-')
            .filter(|(i, _)| pkg[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
            .map(|(i, _)| &pkg[..i])
            .next()
            .unwrap_or(pkg),
        None => last,
    }
}

/// What the release's values say at one path.
#[derive(Debug)]
enum Lookup<'n> {
    /// Set to this value.
    Set(&'n Node),
    /// Not set anywhere: the chart's default applies.
    Unset,
    /// A source the files do not fix might set it.
    Unknown,
}

/// The release's values (`set`, `set_sensitive`, `values`) as Helm merges them.
struct Values<'n> {
    /// (path, value) of the `set`/`set_sensitive` entries, in order.
    sets: Vec<(Vec<String>, &'n Node)>,
    /// The `values` documents, in order; `None`: one is not known.
    docs: Option<Vec<&'n Node>>,
}

impl<'n> Values<'n> {
    fn of(release: &'n Node) -> Values<'n> {
        let mut sets = Vec::new();
        let mut docs = Some(Vec::new());
        for key in ["set", "set_sensitive"] {
            let Some(v) = release.get(key) else { continue };
            if super::hcl::is_unknown(v) {
                docs = None;
                continue;
            }
            for it in v.items() {
                match (it.get("name"), it.get("value")) {
                    (Some(n), Some(value)) if !super::hcl::is_unknown(n) => {
                        if let Some(path) = n.as_str() {
                            sets.push((super::resources::helm_path(path), value));
                        }
                    }
                    // A `set` whose path is unknown could set anything.
                    _ => docs = None,
                }
            }
        }
        if let Some(v) = release.get("values") {
            match (&mut docs, v.as_seq()) {
                (Some(d), Some(items)) if !super::hcl::is_unknown(v) => {
                    for it in items {
                        if it.as_map().is_some() && !super::hcl::is_unknown(it) {
                            d.push(it);
                        } else {
                            docs = None;
                            break;
                        }
                    }
                }
                _ => docs = None,
            }
        }
        Values { sets, docs }
    }

    fn get(&self, path: &[&str]) -> Lookup<'n> {
        if let Some((_, v)) = self
            .sets
            .iter()
            .rev()
            .find(|(p, _)| p.iter().map(String::as_str).eq(path.iter().copied()))
        {
            return Lookup::Set(v);
        }
        let Some(docs) = &self.docs else {
            return Lookup::Unknown;
        };
        for doc in docs.iter().rev() {
            let mut at: &Node = doc;
            let mut found = true;
            for k in path {
                // A map whose keys the files do not all fix could hold the key.
                if super::hcl::is_unknown(at)
                    || at.entries().iter().any(|e| super::hcl::is_unknown(&e.key))
                {
                    return Lookup::Unknown;
                }
                match at.get(k) {
                    Some(n) => at = n,
                    None => {
                        found = false;
                        break;
                    }
                }
            }
            if found {
                return Lookup::Set(at);
            }
        }
        Lookup::Unset
    }

    /// A string setting: `Ok(None)` when unset or empty (Helm's `default` treats both as
    /// unset), `Err` when it cannot be known.
    fn text(&self, path: &[&str]) -> Result<Option<String>, ()> {
        match self.get(path) {
            Lookup::Unset => Ok(None),
            Lookup::Unknown => Err(()),
            Lookup::Set(n) if super::hcl::is_unknown(n) => Err(()),
            Lookup::Set(n) if n.is_null() => Ok(None),
            Lookup::Set(n) => match n.scalar_text() {
                Some(s) if s.is_empty() => Ok(None),
                Some(s) => Ok(Some(s.into_owned())),
                None => Err(()),
            },
        }
    }

    /// A switch that defaults to on: `Some(false)` when set off (`false`, or the string
    /// `"false"` a provider `set` gives), `None` when it cannot be known.
    fn switch(&self, path: &[&str]) -> Option<bool> {
        match self.get(path) {
            Lookup::Unset => Some(true),
            Lookup::Unknown => None,
            Lookup::Set(n) if super::hcl::is_unknown(n) => None,
            Lookup::Set(n) => match (&n.value, n.as_str()) {
                (Value::Bool(b), _) => Some(*b),
                (_, Some("true")) => Some(true),
                (_, Some("false")) => Some(false),
                _ => None,
            },
        }
    }
}

/// A ServiceAccount a chart creates and annotates with a role.
#[derive(Debug)]
pub struct ChartAccount {
    /// The name: the value the release sets, or the chart's default as a string spanning
    /// what it derives from (the release's `name`, or the `chart`).
    pub name: Node,
    /// The namespace when not the release's (`namespaceOverride`); `None`: the release's.
    pub namespace: Option<Node>,
    pub role: Node,
}

/// `helm create`'s `trunc 63 | trimSuffix "-"`.
fn dns_name(s: &str) -> String {
    let cut: String = s.chars().take(63).collect();
    cut.strip_suffix('-').unwrap_or(&cut).to_string()
}

/// The role-annotated ServiceAccounts a release of a modelled chart creates; `None` when the
/// chart is not modelled (the caller then links only a ServiceAccount the values name).
pub fn accounts<'a>(release: &Node, role_key: &'a str) -> Option<Vec<ChartAccount>> {
    let chart_node = release.get("chart")?;
    if super::hcl::is_unknown(chart_node) {
        return None;
    }
    let wanted = chart_name(chart_node.as_str()?);
    let chart = CHARTS.iter().find(|c| c.name == wanted)?;
    let values = Values::of(release);
    let mut out = Vec::new();
    let (slots, fixed_namespace) = layout(chart, release);
    for slot in slots {
        let at = |rest: &[&'a str]| -> Vec<&'a str> {
            slot.account
                .iter()
                .copied()
                .chain(rest.iter().copied())
                .collect()
        };
        let role = match values.get(&at(&["annotations", role_key])) {
            Lookup::Set(r) => r.clone(),
            _ => continue,
        };
        // The chart creates (and annotates) the account only when its switches are on.
        let on = std::iter::once(at(&["create"]))
            .chain(slot.also_requires.iter().map(|p| p.to_vec()))
            .all(|p| values.switch(&p) == Some(true));
        if !on {
            continue;
        }
        let name = match values.text(&at(&["name"])) {
            Err(()) => continue,
            Ok(Some(_)) => match values.get(&at(&["name"])) {
                Lookup::Set(n) => n.clone(),
                _ => continue,
            },
            Ok(None) => match default_name(&slot.default, release, chart_node, &values) {
                Some(n) => n,
                None => continue,
            },
        };
        // Written in the templates of the release's version.
        if let Some(ns) = fixed_namespace {
            let at = release.get("version").map_or(chart_node.span, |v| v.span);
            out.push(ChartAccount {
                name,
                namespace: Some(Node::new(Value::Str(ns.into()), at)),
                role,
            });
            continue;
        }
        let namespace = match chart.namespace_override.map(|k| values.text(&[k])) {
            None | Some(Ok(None)) => None,
            Some(Err(())) => continue,
            Some(Ok(Some(_))) => match values.get(&[chart.namespace_override?]) {
                Lookup::Set(n) => Some(n.clone()),
                _ => continue,
            },
        };
        out.push(ChartAccount {
            name,
            namespace,
            role,
        });
    }
    Some(out)
}

/// The ServiceAccounts the release's pods run as that its values name (`serviceAccount.name`,
/// for a modelled chart at each of its slots, `rbac.serviceAccount.name` for
/// cluster-autoscaler), whether the chart creates them or not: with
/// `serviceAccount.create=false` the chart uses an account made elsewhere
/// (AJarombek/global-aws-infrastructure eks-v2/main.tf@a4ac319: a
/// `kubernetes_service_account` annotated with the role, and the aws-load-balancer-controller
/// release set to run as it). Only names the values fix are given.
pub fn accounts_used(release: &Node) -> Vec<Node> {
    let chart = release
        .get("chart")
        .filter(|c| !super::hcl::is_unknown(c))
        .and_then(Node::as_str)
        .map(chart_name)
        .and_then(|wanted| CHARTS.iter().find(|c| c.name == wanted));
    let accounts: Vec<&[&str]> = match chart {
        Some(c) => layout(c, release).0.iter().map(|s| s.account).collect(),
        None => vec![&["serviceAccount"]],
    };
    let values = Values::of(release);
    let mut out = Vec::new();
    for account in accounts {
        let path: Vec<&str> = account.iter().copied().chain(["name"]).collect();
        if let Lookup::Set(n) = values.get(&path) {
            if n.as_str().is_some_and(|s| !s.is_empty()) && !super::hcl::is_unknown(n) {
                out.push(n.clone());
            }
        }
    }
    out
}

/// The chart's default name for a slot, spanning the release's `name` when derived from it.
fn default_name(
    default: &Default,
    release: &Node,
    chart: &Node,
    values: &Values<'_>,
) -> Option<Node> {
    let at = |s: String, n: &Node| Node::new(Value::Str(s.into()), n.span);
    if let Default::Fixed(name) = default {
        return Some(at(name.to_string(), chart));
    }
    if let Some(full) = values.text(&["fullnameOverride"]).ok()? {
        return Some(at(dns_name(&full), chart));
    }
    let rel = release.get("name")?;
    let r = rel.as_str().filter(|_| !super::hcl::is_unknown(rel))?;
    let name = match (default, values.text(&["nameOverride"]).ok()?) {
        (_, Some(n)) => n,
        (Default::ClusterAutoscaler, None) => {
            let provider = values.text(&["cloudProvider"]).ok()?;
            format!(
                "{}-cluster-autoscaler",
                provider.as_deref().unwrap_or("aws")
            )
        }
        (_, None) => chart_name(chart.as_str()?).to_string(),
    };
    let full = match default {
        Default::ClusterAutoscaler if name == r => name,
        Default::FullnameContains if r.contains(name.as_str()) => r.to_string(),
        _ => format!("{r}-{name}"),
    };
    Some(at(dns_name(&full), rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The (namespace, name) of the accounts the one `helm_release` in `tf` creates, or
    /// `None` when its chart is not modelled.
    fn names(tf: &str) -> Option<Vec<(Option<String>, String)>> {
        use crate::source::file::SourceMap;
        use crate::source::Limits;
        let mut sources = SourceMap::new();
        let id = sources.add("m/main.tf", tf.to_string());
        let (rs, problems) =
            super::super::hcl::evaluate(vec![(id, None)], &sources, &Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        let r = rs.iter().find(|r| r.kind == "helm_release").unwrap();
        let out = accounts(&r.body, "eks.amazonaws.com/role-arn")?;
        Some(
            out.into_iter()
                .map(|a| {
                    (
                        a.namespace.and_then(|n| n.as_str().map(str::to_string)),
                        a.name.as_str().unwrap().to_string(),
                    )
                })
                .collect(),
        )
    }

    fn release(chart: &str, name: &str, rest: &str) -> String {
        format!(
            "variable \"ebs_version\" {{}}\nresource \"helm_release\" \"r\" {{\n  name = {name}\n  chart = \"{chart}\"\n  namespace = \"kube-system\"\n{rest}\n}}\n"
        )
    }

    const ROLE: &str = "  set {\n    name = \"serviceAccount.annotations.eks\\\\.amazonaws\\\\.com/role-arn\"\n    value = \"arn:aws:iam::111122223333:role/r\"\n  }\n";

    fn one(name: &str) -> Option<Vec<(Option<String>, String)>> {
        Some(vec![(None, name.to_string())])
    }

    #[test]
    fn fullname_follows_the_release_name_and_the_overrides() {
        let lbc = "aws-load-balancer-controller";
        assert_eq!(
            names(&release(lbc, "\"aws-load-balancer-controller\"", ROLE)),
            one(lbc)
        );
        // The release name contains the chart name: the release name alone.
        assert_eq!(
            names(&release(lbc, "\"prod-aws-load-balancer-controller\"", ROLE)),
            one("prod-aws-load-balancer-controller")
        );
        assert_eq!(
            names(&release(lbc, "\"lb\"", ROLE)),
            one("lb-aws-load-balancer-controller")
        );
        let with = |k: &str, v: &str| {
            format!("{ROLE}  set {{\n    name = \"{k}\"\n    value = \"{v}\"\n  }}\n")
        };
        assert_eq!(
            names(&release(lbc, "\"lb\"", &with("nameOverride", "alb"))),
            one("lb-alb")
        );
        assert_eq!(
            names(&release(lbc, "\"lb\"", &with("fullnameOverride", "alb-"))),
            one("alb")
        );
        assert_eq!(
            names(&release(
                lbc,
                "\"lb\"",
                &with("serviceAccount.name", "mine")
            )),
            one("mine")
        );
        // An empty name is Helm's `default`'s unset.
        assert_eq!(
            names(&release(lbc, "\"lb\"", &with("serviceAccount.name", ""))),
            one("lb-aws-load-balancer-controller")
        );
        // Not created, or not knowable: nothing.
        assert_eq!(
            names(&release(
                lbc,
                "\"lb\"",
                &with("serviceAccount.create", "false")
            )),
            Some(vec![])
        );
        assert_eq!(names(&release(lbc, "var.release", ROLE)), Some(vec![]));
        let unknown_values = format!("{ROLE}  values = [file(\"elsewhere.yaml\")]\n");
        assert_eq!(
            names(&release(lbc, "\"lb\"", &unknown_values)),
            Some(vec![])
        );
        // No role annotation: no account to link.
        assert_eq!(names(&release(lbc, "\"lb\"", "")), Some(vec![]));
    }

    /// What a release leaves unknown, or sets in ways Helm reads, decides the name.
    #[test]
    fn unknown_or_unusual_values_decide_nothing_or_what_helm_reads() {
        let lbc = "aws-load-balancer-controller";
        let with = |rest: &str| names(&release(lbc, "\"lb\"", &format!("{ROLE}{rest}")));
        let none = Some(vec![]);
        // A `set` whose path is unknown, `values` as a whole unknown, a values text not
        // decoded, a map with a key only apply knows, an unknown nameOverride.
        assert_eq!(
            with("  set {\n    name = var.path\n    value = \"x\"\n  }\n"),
            none
        );
        assert_eq!(with("  values = var.values\n"), none);
        assert_eq!(with("  values = [\"nameOverride: alb\\n\"]\n"), none);
        assert_eq!(
            with("  values = [yamlencode({ (var.key) = \"alb\" })]\n"),
            none
        );
        assert_eq!(
            with("  values = [yamlencode({ nameOverride = var.name })]\n"),
            none
        );
        // `null` is Helm's unset; `"true"` from a provider `set` is on.
        assert_eq!(
            with("  values = [yamlencode({ nameOverride = null })]\n"),
            one("lb-aws-load-balancer-controller")
        );
        assert_eq!(
            with("  set {\n    name = \"serviceAccount.create\"\n    value = \"true\"\n  }\n"),
            one("lb-aws-load-balancer-controller")
        );
    }

    /// aws-ebs-csi-driver's accounts moved from `serviceAccount.controller`/`.node` to
    /// `controller.serviceAccount`/`node.serviceAccount` in 2.0.0, and were in `kube-system`
    /// before 0.9.12: the pinned version decides which values the chart reads; an unpinned
    /// release is read as the current chart.
    #[test]
    fn ebs_csi_driver_accounts_follow_the_pinned_chart_version() {
        let ebs = |version: &str, values: &str| {
            let pin = match version {
                "" => String::new(),
                v => format!("  version = {v}\n"),
            };
            names(&release(
                "aws-ebs-csi-driver",
                "\"aws-ebs-csi-driver\"",
                &format!("{pin}  values = [yamlencode({values})]\n"),
            ))
        };
        let role = "{ annotations = { \"eks.amazonaws.com/role-arn\" = \"arn:aws:iam::111122223333:role/ebs\" } }";
        let v2 = format!("{{ controller = {{ serviceAccount = {role} }} }}");
        let v1 = format!("{{ serviceAccount = {{ controller = {role} }} }}");
        let v1_node = format!("{{ serviceAccount = {{ node = {role} }} }}");
        let controller = one("ebs-csi-controller-sa");
        let none = Some(vec![]);
        // 2.x reads `controller.serviceAccount`, and only that.
        assert_eq!(ebs("\"2.0.0\"", &v2), controller);
        assert_eq!(ebs("\"v2.30.0\"", &v2), controller);
        assert_eq!(ebs("\"2.0.0\"", &v1), none);
        // 1.x and 0.9.12+: `serviceAccount.controller`, in the release's namespace.
        assert_eq!(ebs("\"1.2.4\"", &v1), controller);
        assert_eq!(ebs("\"0.9.12\"", &v1), controller);
        assert_eq!(ebs("\"1.2.4\"", &v2), none);
        assert_eq!(ebs("\"1.2.4\"", &v1_node), one("ebs-csi-node-sa"));
        // Up to 0.9.11 the templates put them in kube-system; the node's from 0.9.3.
        let kube_system = |n: &str| Some(vec![(Some("kube-system".to_string()), n.to_string())]);
        assert_eq!(ebs("\"0.9.11\"", &v1), kube_system("ebs-csi-controller-sa"));
        assert_eq!(ebs("\"0.9.3\"", &v1_node), kube_system("ebs-csi-node-sa"));
        assert_eq!(ebs("\"0.9.2\"", &v1_node), none);
        assert_eq!(ebs("\"0.8.2\"", &v1), kube_system("ebs-csi-controller-sa"));
        // 0.8.1 names its account in the template: not modelled.
        assert_eq!(ebs("\"0.8.1\"", &v1), none);
        // No exact version: the current chart, as before.
        for unpinned in [
            "",
            "\"~1.2\"",
            "\">= 1.0.0\"",
            "\"1.2\"",
            "var.ebs_version",
            "\"1.+2.4\"",
            "\"1.2.4.1\"",
        ] {
            assert_eq!(ebs(unpinned, &v2), controller, "{unpinned}");
            assert_eq!(ebs(unpinned, &v1), none, "{unpinned}");
        }
        // A pre-release is its version.
        assert_eq!(ebs("\"1.2.4-rc.1\"", &v1), controller);
    }

    #[test]
    fn cluster_autoscaler_and_csi_drivers_and_namespace_overrides() {
        let ca_role = ROLE.replace("serviceAccount.", "rbac.serviceAccount.");
        assert_eq!(
            names(&release(
                "cluster-autoscaler",
                "\"cluster-autoscaler\"",
                &ca_role
            )),
            one("cluster-autoscaler-aws-cluster-autoscaler")
        );
        // `ne`, not `contains`: only the exact name stands alone.
        assert_eq!(
            names(&release(
                "cluster-autoscaler",
                "\"aws-cluster-autoscaler\"",
                &ca_role
            )),
            one("aws-cluster-autoscaler")
        );
        let no_rbac =
            format!("{ca_role}  set {{\n    name = \"rbac.create\"\n    value = false\n  }}\n");
        assert_eq!(
            names(&release("cluster-autoscaler", "\"ca\"", &no_rbac)),
            Some(vec![])
        );
        let ebs = "  values = [yamlencode({ node = { serviceAccount = { annotations = { \"eks.amazonaws.com/role-arn\" = \"arn:aws:iam::111122223333:role/r\" } } } })]\n";
        assert_eq!(
            names(&release("aws-ebs-csi-driver", "\"x\"", ebs)),
            one("ebs-csi-node-sa")
        );
        let ns = format!("{ROLE}  values = [yamlencode({{ namespaceOverride = \"dns\" }})]\n");
        assert_eq!(
            names(&release("external-dns", "\"external-dns\"", &ns)),
            Some(vec![(Some("dns".to_string()), "external-dns".to_string())])
        );
        // cert-manager: helm create's fullname, and its `namespace` value.
        assert_eq!(
            names(&release("cert-manager", "\"cert-manager\"", ROLE)),
            one("cert-manager")
        );
        assert_eq!(
            names(&release("cert-manager", "\"cm\"", ROLE)),
            one("cm-cert-manager")
        );
        let ns = format!("{ROLE}  values = [yamlencode({{ namespace = \"certs\" }})]\n");
        assert_eq!(
            names(&release("cert-manager", "\"cert-manager\"", &ns)),
            Some(vec![(
                Some("certs".to_string()),
                "cert-manager".to_string()
            )])
        );
        // external-secrets: helm create's fullname, and its `namespaceOverride`.
        assert_eq!(
            names(&release("external-secrets", "\"external-secrets\"", ROLE)),
            one("external-secrets")
        );
        assert_eq!(
            names(&release("external-secrets", "\"eso\"", ROLE)),
            one("eso-external-secrets")
        );
        let ns = format!("{ROLE}  values = [yamlencode({{ namespaceOverride = \"secrets\" }})]\n");
        assert_eq!(
            names(&release("external-secrets", "\"external-secrets\"", &ns)),
            Some(vec![(
                Some("secrets".to_string()),
                "external-secrets".to_string()
            )])
        );
        // Not modelled: left to the values.
        assert_eq!(names(&release("trust-manager", "\"tm\"", ROLE)), None);
    }

    #[test]
    fn chart_names_from_every_way_a_release_gives_them() {
        assert_eq!(chart_name("external-dns"), "external-dns");
        assert_eq!(
            chart_name("eks/aws-load-balancer-controller"),
            "aws-load-balancer-controller"
        );
        assert_eq!(
            chart_name("oci://public.ecr.aws/karpenter/karpenter"),
            "karpenter"
        );
        assert_eq!(
            chart_name("https://example.com/charts/external-dns-1.14.3.tgz"),
            "external-dns"
        );
        assert_eq!(
            chart_name("aws-ebs-csi-driver-2.30.0.tgz"),
            "aws-ebs-csi-driver"
        );
    }

    #[test]
    fn dns_names_are_cut_at_63_without_a_trailing_dash() {
        let long = format!("{}-x", "a".repeat(62));
        assert_eq!(dns_name(&long), "a".repeat(62));
        assert_eq!(dns_name("lb-aws"), "lb-aws");
    }
}
