//! How a workload gets a role's credentials, and the name of that link: `irsalint map` draws
//! it as an edge and `lint --explain` names the same edge, so both read it from here.

/// How a ServiceAccount (or a pod running as it) gets a role's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mechanism {
    /// The `<prefix>/role-arn` annotation, injected by the pod-identity webhook.
    Irsa,
    /// An EKS Pod Identity association for the ServiceAccount.
    PodIdentity,
    /// A credentials file (`role_arn` + `web_identity_token_file`): the Secret written for an
    /// OpenShift CredentialsRequest, or a Secret or ConfigMap a pod mounts.
    CredentialsFile,
    /// `AWS_ROLE_ARN` set by hand in a container's env.
    Env,
}

impl Mechanism {
    pub fn as_str(self) -> &'static str {
        match self {
            Mechanism::Irsa => "irsa",
            Mechanism::PodIdentity => "pod-identity",
            Mechanism::CredentialsFile => "credentials-file",
            Mechanism::Env => "env",
        }
    }
}

/// `payments/payments-api -> arn:aws:iam::111122223333:role/payments (irsa)`.
pub fn edge_id(sa: &str, role: &str, mechanism: Mechanism) -> String {
    format!("{sa} -> {role} ({})", mechanism.as_str())
}

/// What the inputs say about a bare web-identity trust policy whose file names no role
/// (`trust-policy.json`): the role ARNs referenced (ServiceAccount annotations, credentials
/// files, `AWS_ROLE_ARN`, Pod Identity associations, the webhook ConfigMap) but defined by no
/// role of the inputs, in the nearest directory that holds both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustScope {
    /// Index of the trust policy in the list given to [`infer_trust_links`].
    pub trust: usize,
    /// The nearest directory (of the trust policy's file, or an ancestor) under which some
    /// such role ARN is referenced: `/`-separated, `""` for the inputs' common top.
    pub scope: String,
    /// The distinct role ARNs referenced under `scope` and defined nowhere, sorted.
    pub arns: Vec<String>,
    /// Trust policies of the list under `scope` (this one included).
    pub trusts: usize,
}

impl TrustScope {
    /// The role the trust policy belongs to when the inputs leave one choice: the only such
    /// trust policy and the only such ARN under its scope.
    pub fn linked(&self) -> Option<&str> {
        match self.arns.as_slice() {
            [arn] if self.trusts == 1 => Some(arn),
            _ => None,
        }
    }
}

/// The directory components of a display path (`apps/pay/trust.json` → `[apps, pay]`).
fn dir_of(path: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    parts.pop();
    parts
}

/// For each trust policy (by its file's display path, lexically normalized), its
/// [`TrustScope`]: walking up from the trust policy's directory, the first directory under
/// which one of `references` (role ARN, display path of the file naming it) lies. A trust
/// policy with no reference anywhere gets none. An ARN that two trust policies would each
/// link to (referenced beside both) links to neither: both count the other in `trusts`.
pub fn infer_trust_links(trusts: &[&str], references: &[(&str, &str)]) -> Vec<TrustScope> {
    let trust_dirs: Vec<Vec<&str>> = trusts.iter().map(|p| dir_of(p)).collect();
    let ref_dirs: Vec<(&str, Vec<&str>)> = references
        .iter()
        .map(|(arn, p)| (*arn, dir_of(p)))
        .collect();
    let mut out = Vec::new();
    for (i, dir) in trust_dirs.iter().enumerate() {
        for k in (0..=dir.len()).rev() {
            let scope = &dir[..k];
            let mut arns: Vec<String> = ref_dirs
                .iter()
                .filter(|(_, d)| d.starts_with(scope))
                .map(|(a, _)| a.to_string())
                .collect();
            if arns.is_empty() {
                continue;
            }
            arns.sort();
            arns.dedup();
            let trusts = trust_dirs.iter().filter(|d| d.starts_with(scope)).count();
            out.push(TrustScope {
                trust: i,
                scope: scope.join("/"),
                arns,
                trusts,
            });
            break;
        }
    }
    let claims =
        |arn: &str, out: &[TrustScope]| out.iter().filter(|s| s.linked() == Some(arn)).count();
    let contested: Vec<(usize, usize)> = out
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.linked().map(|a| (i, claims(a, &out))))
        .filter(|&(_, n)| n > 1)
        .collect();
    for (i, n) in contested {
        out[i].trusts = n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "arn:aws:iam::111122223333:role/a";
    const B: &str = "arn:aws:iam::111122223333:role/b";

    #[test]
    fn one_trust_and_one_arn_in_the_nearest_shared_directory_link() {
        // iam/ and k8s/ side by side: their parent is the scope.
        let s = infer_trust_links(
            &["app/iam/trust-policy.json"],
            &[(A, "app/k8s/sa.yaml"), (A, "app/k8s/deploy.yaml")],
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].scope, "app");
        assert_eq!(s[0].linked(), Some(A));
        // Two apps, each with its trust policy and its ServiceAccount: each links to its own.
        let s = infer_trust_links(
            &["a/trust.json", "b/trust.json"],
            &[(A, "a/sa.yaml"), (B, "b/k8s/sa.yaml")],
        );
        assert_eq!(s[0].linked(), Some(A));
        assert_eq!((s[1].scope.as_str(), s[1].linked()), ("b", Some(B)));
    }

    #[test]
    fn two_candidates_or_two_trusts_are_ambiguous() {
        let s = infer_trust_links(&["iam/trust.json"], &[(A, "k8s/a.yaml"), (B, "k8s/b.yaml")]);
        assert_eq!(s[0].scope, "");
        assert_eq!(s[0].arns, [A, B]);
        assert_eq!(s[0].linked(), None);
        let s = infer_trust_links(
            &["iam/trust.json", "iam/other/trust.json"],
            &[(A, "k8s/a.yaml")],
        );
        assert_eq!((s[0].trusts, s[0].linked()), (2, None));
        assert_eq!((s[1].trusts, s[1].linked()), (2, None));
        // One ARN referenced beside two trust policies in separate directories: neither.
        let s = infer_trust_links(
            &["a/trust.json", "b/trust.json"],
            &[(A, "a/sa.yaml"), (A, "b/sa.yaml")],
        );
        assert_eq!((s[0].trusts, s[0].linked()), (2, None));
        assert_eq!((s[1].trusts, s[1].linked()), (2, None));
        // Nothing referenced: no scope, nothing to say.
        assert!(infer_trust_links(&["iam/trust.json"], &[]).is_empty());
    }

    #[test]
    fn the_nearest_directory_with_a_reference_decides() {
        // A reference beside the trust policy wins over two further up.
        let s = infer_trust_links(
            &["apps/pay/trust.json"],
            &[
                (A, "apps/pay/sa.yaml"),
                (B, "apps/other/sa.yaml"),
                (B, "sa.yaml"),
            ],
        );
        assert_eq!((s[0].scope.as_str(), s[0].linked()), ("apps/pay", Some(A)));
        // `./` and doubled separators name the same directories.
        let s = infer_trust_links(&["./apps//pay/trust.json"], &[(A, "apps/pay/sa.yaml")]);
        assert_eq!(s[0].scope, "apps/pay");
    }
}
