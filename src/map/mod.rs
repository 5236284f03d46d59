//! `irsalint map`: the access map of a world. Which workload runs as which ServiceAccount,
//! which role that ServiceAccount ends up with (and through which mechanism), whether the
//! role's trust policy lets it in, and what the role may do.
//!
//! Nothing here judges IAM on its own: verdicts come from the helpers `sa-role-not-trusted`
//! and `credreq-role-not-trusted` call ([`crate::rules::sa::sa_role_not_trusted::trust_checks`]),
//! permission summaries from the facts the `perm-*` rules use, and finding counts from a
//! normal lint of the same world.

mod build;
pub mod dot;
pub mod json;
pub mod mermaid;
mod perms;
mod reason;
pub mod table;

pub use build::build;
// How a ServiceAccount gets a role is part of the model: the rules name the map's edges too.
pub use crate::model::link::{edge_id, Mechanism};

/// A place in the inputs: display path, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// The trust policy admits the token for certain.
    Assumable,
    /// The trust policy turns it away for certain (the rules report these).
    NotTrusted,
    /// The inputs do not decide: role not in the inputs, placeholder ARN, open conditions.
    Unknown,
    /// The link is never used: a role-arn annotation beside an EKS Pod Identity association
    /// for the same ServiceAccount, which wins (sa-role-arn-with-pod-identity reports it).
    Ignored,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Assumable => "assumable",
            Verdict::NotTrusted => "not-trusted",
            Verdict::Unknown => "unknown",
            Verdict::Ignored => "ignored",
        }
    }
}

/// A pod template (Pod, Deployment, CronJob, ...).
#[derive(Debug, Clone)]
pub struct Workload {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub service_account: String,
    /// Containers the webhook gives credentials (init and regular, minus skip-containers).
    pub containers: Vec<String>,
    pub location: Loc,
    pub findings: usize,
}

impl Workload {
    /// `Deployment/payments-api` (the namespace is the group's).
    pub fn label(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    pub fn id(&self) -> String {
        format!("{}/{}/{}", self.namespace, self.kind, self.name)
    }

    /// `namespace/name` of its ServiceAccount.
    pub fn sa_id(&self) -> String {
        format!("{}/{}", self.namespace, self.service_account)
    }
}

#[derive(Debug, Clone)]
pub struct SaNode {
    pub namespace: String,
    pub name: String,
    /// Defined in the inputs (else only referenced by a pod or a CredentialsRequest).
    pub defined: bool,
    pub location: Option<Loc>,
    pub findings: usize,
}

impl SaNode {
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// A trust `sub` condition that admits ServiceAccounts by pattern: more than exist today.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pattern {
    /// `StringLike`, or `-` for a web-identity statement with no `sub` condition at all.
    pub operator: String,
    /// The `sub` pattern, `*` when there is no `sub` condition.
    pub value: String,
    pub location: Loc,
}

/// What a role's permission policies grant on one service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceAccess {
    pub service: String,
    /// Access levels in catalogue order (Permissions management, Write, Tagging, Read, List).
    pub levels: Vec<&'static str>,
    pub actions: usize,
    /// A Write or Permissions-management action on `Resource: "*"`.
    pub star_resource: bool,
    /// An IAM privilege-escalation primitive (perm-privilege-escalation's list).
    pub privilege_escalation: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Permissions {
    pub services: Vec<ServiceAccess>,
    /// `Action: "*"` (every action of every service).
    pub all_actions: bool,
    /// Allow statements whose actions the catalogue cannot decide (`NotAction`, unknown or
    /// unresolved actions).
    pub undecided_statements: usize,
    /// Managed policies attached by ARN (their documents are not in the inputs).
    pub managed_policies: Vec<String>,
    /// Policies a modelled Terraform module writes itself for an `attach_*_policy` switch
    /// (producer-owned; their contents are not read): `` `attach_ebs_csi_policy` (<module>) ``.
    pub producer_policies: Vec<String>,
    /// The role's permissions boundary (its ARN or the expression standing for it), with
    /// `(not in the inputs)` when its document is not among them; the summary above is
    /// already what both its policies and a boundary the inputs show allow.
    pub boundary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RoleNode {
    /// The role's ARN when the inputs know it, else its name; for roles not in the inputs,
    /// the ARN as written where it is used.
    pub id: String,
    pub in_inputs: bool,
    pub locations: Vec<Loc>,
    /// Issuers of the OIDC providers its trust policy names.
    pub issuers: Vec<String>,
    /// Existing ServiceAccounts (`namespace/name`) the trust policy admits for certain.
    pub admits: Vec<String>,
    pub patterns: Vec<Pattern>,
    pub permissions: Permissions,
    pub findings: usize,
}

/// ServiceAccount → role.
#[derive(Debug, Clone)]
pub struct Binding {
    /// `namespace/name` of the ServiceAccount.
    pub sa: String,
    /// [`RoleNode::id`].
    pub role: String,
    pub mechanism: Mechanism,
    pub verdict: Verdict,
    /// For `not-trusted`: `sub`, `aud`, `issuer`, `operator`, `principal`, `deny`,
    /// `condition`; for `unknown`: `not-in-inputs`, `placeholder`, `malformed-arn`,
    /// `no-trust-policy`, `undecided`.
    pub reasons: Vec<&'static str>,
    /// One sentence: the rule's message for `not-trusted`, what is missing for `unknown`.
    pub detail: String,
    /// Where the role is named (annotation, association, credentials file, env var).
    pub location: Loc,
    /// The workload (env) or CredentialsRequest (credentials file) the link comes from.
    pub via: Option<String>,
}

impl Binding {
    /// `payments/payments-api -> arn:aws:iam::111122223333:role/payments (irsa)`, the name
    /// `lint --explain` gives the edge.
    pub fn id(&self) -> String {
        edge_id(&self.sa, &self.role, self.mechanism)
    }
}

/// The whole map, every list sorted.
#[derive(Debug, Clone, Default)]
pub struct AccessMap {
    pub workloads: Vec<Workload>,
    pub service_accounts: Vec<SaNode>,
    pub roles: Vec<RoleNode>,
    pub bindings: Vec<Binding>,
    pub files: usize,
    /// All findings of a lint of the same world (after config and suppressions).
    pub findings: usize,
    /// Inputs that could not be read whole (parse errors, not text, over a limit), with
    /// their number of such findings: the map shows the rest.
    pub input_problems: Vec<(String, usize)>,
}

/// `--role`, `--sa`, `--namespace`, `--only-broken`.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub role: Option<String>,
    pub sa: Option<String>,
    pub namespace: Option<String>,
    pub only_broken: bool,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.role.is_none() && self.sa.is_none() && self.namespace.is_none() && !self.only_broken
    }
}

impl RoleNode {
    /// `--role` matches the full id, the ARN's last path segment, or a name.
    pub fn matches(&self, q: &str) -> bool {
        self.id == q || self.id.rsplit('/').next() == Some(q)
    }
}

impl Binding {
    /// What `--only-broken` keeps: turned away, or naming a role that cannot exist.
    pub fn is_broken(&self) -> bool {
        self.verdict == Verdict::NotTrusted
            || self
                .reasons
                .iter()
                .any(|r| matches!(*r, "placeholder" | "malformed-arn"))
    }
}

impl AccessMap {
    /// Keeps what a query asks about: the bindings it selects, their ServiceAccounts, roles
    /// and workloads (and, for `--role`/`--sa`/`--namespace`, the matching nodes even without
    /// a binding).
    pub fn filter(&mut self, q: &Query) {
        if q.is_empty() {
            return;
        }
        let sa_ns = |sa: &str| sa.split('/').next().unwrap_or("").to_string();
        self.bindings.retain(|b| {
            q.role
                .as_ref()
                .is_none_or(|r| b.role == *r || b.role.rsplit('/').next() == Some(r.as_str()))
                && q.sa.as_ref().is_none_or(|s| b.sa == *s)
                && q.namespace.as_ref().is_none_or(|n| sa_ns(&b.sa) == *n)
                && (!q.only_broken || b.is_broken())
        });
        let bound_sas: std::collections::BTreeSet<String> =
            self.bindings.iter().map(|b| b.sa.clone()).collect();
        let bound_roles: std::collections::BTreeSet<String> =
            self.bindings.iter().map(|b| b.role.clone()).collect();
        let selects_sa = |id: &str, ns: &str| {
            !q.only_broken
                && q.role.is_none()
                && q.sa.as_ref().is_none_or(|s| s == id)
                && q.namespace.as_ref().is_none_or(|n| n == ns)
        };
        self.service_accounts
            .retain(|s| bound_sas.contains(&s.id()) || selects_sa(&s.id(), &s.namespace));
        let kept_sas: std::collections::BTreeSet<String> =
            self.service_accounts.iter().map(SaNode::id).collect();
        self.workloads.retain(|w| kept_sas.contains(&w.sa_id()));
        self.roles.retain(|r| {
            bound_roles.contains(&r.id)
                || (!q.only_broken
                    && q.sa.is_none()
                    && q.namespace.is_none()
                    && q.role.as_ref().is_some_and(|x| r.matches(x)))
        });
    }

    pub fn count(&self, v: Verdict) -> usize {
        self.bindings.iter().filter(|b| b.verdict == v).count()
    }

    /// Namespaces of the workloads and ServiceAccounts, sorted.
    /// The heading of a namespace's group: an expression the files do not resolve
    /// (Spinnaker's `${ parameters.namespace }`) is marked unresolved, as a role ARN is.
    pub fn namespace_heading(ns: &str) -> String {
        if crate::derived::crossplane::is_unresolved_name(ns) {
            format!("namespace {ns} (unresolved)")
        } else {
            format!("namespace {ns}")
        }
    }

    pub fn namespaces(&self) -> Vec<String> {
        let mut ns: Vec<String> = self
            .service_accounts
            .iter()
            .map(|s| s.namespace.clone())
            .chain(self.workloads.iter().map(|w| w.namespace.clone()))
            .collect();
        ns.sort();
        ns.dedup();
        ns
    }
}

#[cfg(test)]
mod tests;
