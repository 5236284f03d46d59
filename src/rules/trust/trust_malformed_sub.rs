use super::sub_pattern::{sub_values, PREFIX};
use crate::rules::prelude::*;

declare_rule! {
    TrustMalformedSub,
    code: "T016",
    name: "trust-malformed-sub",
    family: Trust,
    severity: Error,
    summary: "a `sub` value is not `system:serviceaccount:<namespace>:<name>` with valid Kubernetes names, so no token ever matches it",
}

/// Characters of namespace and service-account names (DNS-1123), plus IAM wildcards.
fn name_problem(part: &str, what: &str) -> Option<String> {
    if part.is_empty() {
        return Some(format!("the {what} is empty"));
    }
    if let Some(c) = part.chars().find(|c| {
        !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '*' | '?'))
    }) {
        return Some(format!(
            "the {what} `{part}` contains {c:?}, which Kubernetes names never do"
        ));
    }
    None
}

fn problem(v: &str, eks: bool) -> Option<String> {
    let Some(rest) = v.strip_prefix(PREFIX) else {
        if v.to_ascii_lowercase().starts_with(PREFIX) {
            return Some("the `system:serviceaccount:` prefix has the wrong letter case".into());
        }
        if v.contains("serviceaccount") || v.starts_with("system:") {
            return Some("it does not start with `system:serviceaccount:`".into());
        }
        // Other issuers (CI systems, IdPs) have their own subjects; an EKS issuer only
        // mints service-account tokens.
        return eks.then(|| {
            "an EKS issuer's tokens carry `system:serviceaccount:<namespace>:<name>`".into()
        });
    };
    if rest == "*" {
        return None;
    }
    if rest.starts_with(PREFIX) {
        return Some("`system:serviceaccount:` is written twice".into());
    }
    let parts: Vec<&str> = rest.split(':').collect();
    if parts.len() != 2 {
        let wildcard_spans = parts.len() < 2 && rest.contains('*');
        return (!wildcard_spans).then(|| {
            format!(
                "it has {} colon-separated parts after the prefix, expected `<namespace>:<name>`",
                parts.len()
            )
        });
    }
    name_problem(parts[0], "namespace").or_else(|| name_problem(parts[1], "service account name"))
}

/// Which of the two names `problem` found at fault (`Some(true)`: the service account's),
/// `None` when the fault is the value's shape: a local module's value points at the name the
/// caller passed in (see [`super::sub_pattern::SubValue::part_span`]).
fn faulty_name(v: &str) -> Option<bool> {
    let (ns, name) = v.strip_prefix(PREFIX)?.split_once(':')?;
    if name.contains(':') {
        return None;
    }
    match name_problem(ns, "namespace") {
        Some(_) => Some(false),
        None => name_problem(name, "service account name").map(|_| true),
    }
}

/// Whether the `sub` value's prefix is not in the text it points at (`"default"` for
/// `system:serviceaccount:default`): a module or tool generated it from that input.
fn generated_prefix(written: &str, value: &str) -> bool {
    // More prefixes in the value than in the text (`system:serviceaccount:` written in a
    // module input that adds its own): the generator added one.
    value.starts_with(PREFIX) && value.matches(PREFIX).count() > written.matches(PREFIX).count()
}

impl Rule for TrustMalformedSub {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for s in sub_values(world) {
            let eks = s.issuer.starts_with("oidc.eks.");
            let Some(why) = problem(&s.value.value, eks) else {
                continue;
            };
            let written = super::written(world, s.value);
            let two_names = s
                .value
                .value
                .strip_prefix(PREFIX)
                .is_some_and(|rest| rest.split(':').count() == 2);
            let span = match faulty_name(&s.value.value) {
                Some(name) => s.part_span(world, name),
                None => s.value.span,
            };
            out.push(
                META.diagnostic(
                    span,
                    format!("`sub` value `{}` never matches a service-account token: {why}", s.value.value),
                )
                .label("malformed service-account subject")
                .related(s.provider.span, "the OIDC provider this statement trusts")
                .help(
                    // A generator's input (terraform-aws-modules' `namespace_service_accounts`,
                    // eksctl) is written without the prefix it adds: say what to write there.
                    if generated_prefix(&written, &s.value.value) && !written.contains(':') && two_names {
                        // One name of the two (eksctl's `metadata.name`, a module's
                        // `service_account_name`) with a character Kubernetes names never
                        // have: the generator builds the subject from it. (A `"default"` where a
                        // module wants `<namespace>:<name>` has the wrong shape: next arm.)
                        "use lower-case Kubernetes names for the service account and its namespace (letters, digits, `-`, `.`): the trust's `system:serviceaccount:<namespace>:<name>` is generated from them"
                    } else if generated_prefix(&written, &s.value.value) && written.contains(PREFIX) {
                        "drop `system:serviceaccount:` from what is written here and write `<namespace>:<name>`: the prefix is added to it"
                    } else if generated_prefix(&written, &s.value.value) {
                        "write `<namespace>:<name>` with the lower-case names of the namespace and the service account (`system:serviceaccount:` is added to what is written here)"
                    } else {
                        "write `system:serviceaccount:<namespace>:<name>` with the lower-case names of the namespace and the service account"
                    },
                )
                .path(format!("Statement[{}].Condition.{}.{}", s.stmt.index, s.block.raw, s.key.name.value))
                .instance(s.instance.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A subject a local module formats from its caller's namespace and name: the finding
    /// is at the name the caller wrote when that name is at fault, at the module's text
    /// when the module's format is.
    #[test]
    fn terraform_local_module_caller_input() {
        crate::testing::assert_world_expectations(&super::META, "terraform-local-module");
    }

    /// A module input written without the prefix the module adds gets help about the input
    /// (JeremyArc/terraform-terragrunt-aws-modules-test modules/irsa/main.tf@99acbd7c,
    /// trimmed: `namespace_service_accounts = ["default"]`); a trust written out keeps the
    /// full form.
    #[test]
    fn help_names_what_to_write_where_the_value_is_written() {
        let help = |path: &str, text: &str| crate::testing::only_help(path, text, &super::META);
        let module = "module \"iam_eks_role\" {\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\n  version = \"5.39.1\"\n  role_name = \"s3-readonly-irsa\"\n  oidc_providers = {\n    one = {\n      provider_arn               = var.eks_oidc_provider_arn\n      namespace_service_accounts = [\"default\"]\n    }\n  }\n}\n";
        assert!(
            help("main.tf", module).starts_with("write `<namespace>:<name>`"),
            "{}",
            help("main.tf", module)
        );
        let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:default"}}}]}"#;
        assert!(help("trust.json", trust).starts_with("write `system:serviceaccount:"));
        // The prefix written in the module input that adds its own (a public crossplane
        // call's shape): the value has it twice, and the help says to drop it there.
        let doubled = module.replace(
            "[\"default\"]",
            "[\"system:serviceaccount:crossplane-system:crossplane*\"]",
        );
        assert!(
            help("main.tf", &doubled)
                .starts_with("drop `system:serviceaccount:` from what is written here"),
            "{}",
            help("main.tf", &doubled)
        );
        // eksctl builds the subject from `metadata.name` (oslokommune/okctl
        // pkg/clusterconfig/testdata/serviceAccount.golden@dfe5cbd4, trimmed): the help names
        // the names, not a `<namespace>:<name>` nobody writes there.
        let eksctl = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: test\n  region: eu-west-1\niam:\n  withOIDC: true\n  serviceAccounts:\n  - metadata:\n      name: someName\n      namespace: kube-system\n    attachPolicyARNs:\n    - arn:aws:iam::123456789012:policy/somePolicy\n";
        assert!(
            help("cluster.yaml", eksctl).starts_with("use lower-case Kubernetes names"),
            "{}",
            help("cluster.yaml", eksctl)
        );
    }

    /// Only the plain `StringEquals`/`StringLike` values are read as subjects: under a
    /// `ForAnyValue:` qualifier or another operator, trust-for-any-value-misuse and the
    /// operator rules speak, not this one.
    #[test]
    fn qualified_and_other_operators_are_not_read() {
        let count = |operator: &str| {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
  "Principal": {{"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/ABC"}},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {{"{operator}": {{"oidc.example.com/id/ABC:sub": "system:serviceaccount:Team:app"}}}}}}]}}"#
            );
            crate::testing::lint_text("trust.json", &text, &super::META)
                .diagnostics
                .len()
        };
        // An upper-case namespace never matches: reported under the plain operators.
        assert_eq!(count("StringEquals"), 1);
        assert_eq!(count("StringLike"), 1);
        assert_eq!(count("ForAnyValue:StringEquals"), 0);
        assert_eq!(count("ForAllValues:StringLike"), 0);
        assert_eq!(count("StringNotEquals"), 0);
    }
}
