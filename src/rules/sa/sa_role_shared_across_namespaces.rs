use std::collections::BTreeMap;

use crate::model::iam::arn;
use crate::model::k8s::ServiceAccount;
use crate::rules::prelude::*;
use crate::source::node::Entry;

declare_rule! {
    SaRoleSharedAcrossNamespaces,
    code: "S010",
    name: "sa-role-shared-across-namespaces",
    family: Sa,
    severity: Info,
    summary: "the same role-arn is annotated on ServiceAccounts of several namespaces: one role serves several applications or environments",
}

impl Rule for SaRoleSharedAcrossNamespaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        // Sorted by ARN so the findings come out in a stable order.
        let mut by_role: BTreeMap<&str, Vec<(&ServiceAccount<'_>, &Entry)>> = BTreeMap::new();
        for (sa, e) in super::annotated(world, "role-arn") {
            // A ServiceAccount without a namespace gets one at apply time (`-n`, kustomize):
            // kustomize bases would otherwise all land in `default`.
            if sa.obj.namespace_node.is_none() && sa.namespace() == "default" {
                continue;
            }
            // Crossplane's namespace is not in the files (it may be the other's).
            if !sa.namespace_known() {
                continue;
            }
            let Some(v) = e.value.as_str().map(str::trim) else {
                continue;
            };
            if arn::is_placeholder(v) || arn::role_arn_problem(v).is_some() {
                continue;
            }
            by_role.entry(v).or_default().push((sa, e));
        }
        for (role, users) in by_role {
            out.extend(finding(role, &users));
        }
    }
}

/// Namespaces named in the message, and annotations listed as related locations: a role
/// shared by thousands of ServiceAccounts gives one finding of bounded size.
const MAX_NAMESPACES_NAMED: usize = 10;
const MAX_RELATED: usize = 20;

/// One finding per shared role, at its first annotation; the others are related locations.
fn finding(role: &str, users: &[(&ServiceAccount<'_>, &Entry)]) -> Option<Diagnostic> {
    let (first, first_entry) = *users.first()?;
    let mut namespaces: Vec<&str> = users.iter().map(|(sa, _)| sa.namespace()).collect();
    namespaces.sort_unstable();
    namespaces.dedup();
    if namespaces.len() < 2 {
        return None;
    }
    let others: Vec<&str> = namespaces
        .into_iter()
        .filter(|ns| *ns != first.namespace())
        .collect();
    let mut named: Vec<String> = others
        .iter()
        .take(MAX_NAMESPACES_NAMED)
        .map(|ns| format!("`{ns}`"))
        .collect();
    if others.len() > MAX_NAMESPACES_NAMED {
        named.push(format!("{} more", others.len() - MAX_NAMESPACES_NAMED));
    }
    // The same annotation built into other namespaces (a kustomize base under several
    // overlays, a `for_each` over namespaces) is one place to change, not another one.
    let same_place = |e: &Entry| e.value.span == first_entry.value.span;
    let elsewhere: Vec<_> = users
        .iter()
        .filter(|(sa, e)| sa.namespace() != first.namespace() && !same_place(e))
        .collect();
    let mut message = if elsewhere.is_empty() {
        format!(
            "role `{role}` of ServiceAccount `{}` is one annotation built into namespaces `{}` and {}: the workloads of all these namespaces share one set of AWS permissions",
            first.name(),
            first.namespace(),
            join_names(&named),
        )
    } else {
        format!(
            "role `{role}` of `{}` is also annotated on ServiceAccounts of namespace{} {}: the workloads of all these namespaces share one set of AWS permissions",
            first.subject(),
            if others.len() == 1 { "" } else { "s" },
            join_names(&named),
        )
    };
    if elsewhere.len() > MAX_RELATED {
        message.push_str(&format!(
            " ({} annotations of other namespaces; the first {MAX_RELATED} are listed)",
            elsewhere.len()
        ));
    }
    let mut d = META
        .diagnostic(first_entry.value.span, message)
        .label("role shared across namespaces");
    for (other, oe) in elsewhere.into_iter().take(MAX_RELATED) {
        d = d.related(
            oe.value.span,
            format!("also annotated on `{}/{}`", other.namespace(), other.name()),
        );
    }
    let help = if users.iter().all(|(_, e)| same_place(e)) {
        "give each environment its own role (set the annotation in each overlay or instance that builds this ServiceAccount), trusted by its own ServiceAccount only; if the sharing is intended, suppress this finding with the reason"
    } else {
        "give each application and environment its own role, trusted by its own ServiceAccount only; if the sharing is intended, suppress this finding with the reason"
    };
    Some(d.help(help).path(super::annotations_path(first)))
}

/// `a`, `a and b`, `a, b and c`.
fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A ServiceAccount Crossplane creates is in Crossplane's namespace, which the files do
    /// not say: it is not counted as another namespace than crossplane-system's.
    #[test]
    fn crossplanes_namespace_is_not_another_namespace() {
        crate::testing::assert_world_expectations(&super::META, "crossplane");
    }

    /// One annotation a kustomize base gives the ServiceAccount each overlay builds is one
    /// place to change: the finding says it is built into those namespaces, lists no related
    /// place (it would be the same one) and its help is per overlay; two annotations written
    /// in two namespaces keep the wording that names the other namespace and its place.
    #[test]
    fn one_annotation_built_into_several_namespaces() {
        crate::testing::assert_world_expectations(&super::META, "kustomize");
        let report = crate::testing::lint_fixture_world(&super::META, "kustomize");
        let [built, written] = &report.diagnostics[..] else {
            panic!("{:#?}", report.diagnostics);
        };
        assert_eq!(
            built.message,
            "role `arn:aws:iam::111122223333:role/billing-api` of ServiceAccount `api` is one annotation built into namespaces `billing-dev` and `billing-prod`: the workloads of all these namespaces share one set of AWS permissions"
        );
        assert!(built.related.is_empty(), "{:?}", built.related);
        assert!(built
            .help
            .as_deref()
            .is_some_and(|h| h.contains("in each overlay or instance")));
        assert!(
            written.message.contains("of `system:serviceaccount:reports-dev:reports` is also annotated on ServiceAccounts of namespace `reports-prod`"),
            "{}",
            written.message
        );
        assert_eq!(written.related.len(), 1);
        assert!(written
            .help
            .as_deref()
            .is_some_and(|h| h.starts_with("give each application and environment")));
    }

    /// Ten other namespaces are named; from eleven on, the rest are counted.
    #[test]
    fn ten_other_namespaces_are_named_then_a_count() {
        let message = |n: usize| {
            let text: String = (0..n)
                .map(|i| format!("---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: ns-{i:02}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shared\n"))
                .collect();
            let report = crate::testing::lint_text("sa.yaml", &text, &super::META);
            assert_eq!(report.diagnostics.len(), 1);
            report.diagnostics[0].message.clone()
        };
        let eleven = message(11);
        assert!(eleven.contains("`ns-09` and `ns-10`: "), "{eleven}");
        assert!(!eleven.contains(" more"), "{eleven}");
        let twelve = message(12);
        assert!(twelve.contains("`ns-10` and 1 more: "), "{twelve}");
        // Twenty other annotations are listed as related places; from 21 on, it says so.
        assert!(!message(21).contains("are listed"));
        assert!(
            message(22).ends_with(" (21 annotations of other namespaces; the first 20 are listed)")
        );
    }

    /// A malformed or placeholder ARN shared across namespaces is not a role they share
    /// (sa-arn-malformed and sa-arn-placeholder say what is wrong with it).
    #[test]
    fn malformed_and_placeholder_arns_are_not_shared_roles() {
        for arn in [
            "arn:aws:iam::12:role/shared",
            "arn:aws:iam::111122223333:role/REPLACE_ME",
            "${SHARED_ROLE_ARN}",
        ] {
            let text: String = ["a", "b"]
                .iter()
                .map(|ns| format!("---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: {ns}\n  annotations:\n    eks.amazonaws.com/role-arn: {arn}\n"))
                .collect();
            let report = crate::testing::lint_text("sa.yaml", &text, &super::META);
            assert!(report.diagnostics.is_empty(), "{arn}");
        }
        // The same with a real ARN is a finding.
        let text: String = ["a", "b"]
            .iter()
            .map(|ns| format!("---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: {ns}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shared\n"))
            .collect();
        let report = crate::testing::lint_text("sa.yaml", &text, &super::META);
        assert_eq!(report.diagnostics.len(), 1);
    }

    /// 4,000 ServiceAccounts of 4,000 namespaces sharing one role: one finding of bounded
    /// size (this used to list every other annotation on every annotation: quadratic).
    #[test]
    fn a_role_shared_by_thousands_gives_one_bounded_finding() {
        let text: String = (0..4000)
            .map(|i| {
                format!(
                    "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: ns-{i:04}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shared\n"
                )
            })
            .collect();
        let report = crate::testing::lint_text("sa.yaml", &text, &super::META);
        assert_eq!(report.diagnostics.len(), 1);
        let d = &report.diagnostics[0];
        assert_eq!(d.related.len(), 20);
        assert!(
            d.message.starts_with(
                "role `arn:aws:iam::111122223333:role/shared` of `system:serviceaccount:ns-0000:app` is also annotated on ServiceAccounts of namespaces `ns-0001`, `ns-0002`, `ns-0003`, `ns-0004`, `ns-0005`, `ns-0006`, `ns-0007`, `ns-0008`, `ns-0009`, `ns-0010` and 3989 more: "
            ),
            "{}",
            d.message
        );
        assert!(
            d.message
                .ends_with(" (3999 annotations of other namespaces; the first 20 are listed)"),
            "{}",
            d.message
        );
        assert_eq!(d.related[0].message, "also annotated on `ns-0001/app`");
        assert_eq!(d.related[19].message, "also annotated on `ns-0020/app`");
    }
}
