use crate::rules::prelude::*;
use crate::source::node::Node;

declare_rule! {
    SaRoleArnWithPodIdentity,
    code: "S012",
    name: "sa-role-arn-with-pod-identity",
    family: Sa,
    severity: Warning,
    summary: "a ServiceAccount has a role-arn annotation and an EKS Pod Identity association: the association wins and the annotation is ignored",
}

impl Rule for SaRoleArnWithPodIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        if world.pod_identity_associations.is_empty() {
            return;
        }
        for (sa, e) in super::annotated(world, "role-arn") {
            let Some(annotated) = e.value.as_str().map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            let Some(assoc) = world.pod_identity_association_of(sa) else {
                continue;
            };
            // Known ARNs, or Terraform references naming roles in the inputs (the same
            // role when both name the same ones).
            // Each reference is its own module's (the file that writes it).
            let by_address = |r: &str, from| world.roles_by_address(r, Some(from));
            let assoc_role = assoc.role_arn.as_ref().filter(|r| {
                !r.value.is_empty()
                    && (!r.unresolved || !by_address(&r.value, assoc.file).is_empty())
            });
            let same = |r: &crate::model::value::Text| {
                r.value == annotated
                    || (r.unresolved
                        && by_address(&r.value, assoc.file) == by_address(annotated, sa.obj.file))
            };
            let consequence = match assoc_role {
                Some(r) if same(r) => {
                    "the pods get the same role through the Pod Identity agent, and the annotation is dead configuration".to_string()
                }
                Some(r) => format!(
                    "the pods get the association's role `{}` through the Pod Identity agent, not `{annotated}`",
                    // A Terraform reference as written, not as a `${...}` string.
                    if r.unresolved {
                        r.value
                            .strip_prefix("${")
                            .and_then(|v| v.strip_suffix('}'))
                            .unwrap_or(&r.value)
                    } else {
                        &r.value
                    }
                ),
                None => "the pods get the association's role through the Pod Identity agent, not the annotated one".to_string(),
            };
            let mut d = META
                .diagnostic(
                    e.value.span,
                    format!(
                        "`{}` has both a role-arn annotation and a Pod Identity association ({}): the webhook injects container credentials and ignores the annotation, so {consequence}",
                        sa.subject(),
                        assoc.label
                    ),
                )
                .label("ignored: a Pod Identity association applies")
                .related(assoc.anchor, format!("{} for `{}/{}`", assoc.label, sa.namespace(), sa.name()));
            if let Some(r) = assoc_role {
                d = d.related(r.span, "the association's role");
            }
            // The annotation's IRSA edge, which the map shows `ignored` (named as
            // sa-role-not-trusted names the edges it reports).
            let edge_role = crate::rules::sa::sa_role_not_trusted::roles_for_arn(
                world,
                annotated,
                Some(sa.obj.file),
            )
            .first()
            .map_or_else(|| annotated.to_string(), |&i| world.roles[i].display());
            d = d.map_edge(crate::model::link::edge_id(
                &format!("{}/{}", sa.namespace(), sa.name()),
                &edge_role,
                crate::model::link::Mechanism::Irsa,
            ));
            // The annotation of an EKS add-on's account is the add-on's role setting.
            let annotation = match sa
                .obj
                .metadata
                .and_then(|m| m.get(crate::terraform::resources::CREATED_BY))
                .and_then(Node::as_str)
            {
                Some(by) if by.contains("AWS::EKS::Addon") => {
                    "the add-on's `ServiceAccountRoleArn`"
                }
                // Also one a module makes (the EKS module's `cluster_addons`/`addons`:
                // `module.eks.aws_eks_addon.this["vpc-cni"]`), set there as well.
                Some(by) if crate::model::k8s::is_terraform_addon_maker(by) => {
                    "the add-on's `service_account_role_arn`"
                }
                Some(by) if by.starts_with(crate::derived::eksctl::ADDON_MAKER) => {
                    "the add-on's IRSA settings (`serviceAccountRoleARN`, or the policies eksctl makes a role for)"
                }
                _ => "the role-arn annotation",
            };
            out.push(
                d.help(format!("keep one mechanism: remove {annotation} once the workload's SDKs support EKS Pod Identity (its role's trust must allow `pods.eks.amazonaws.com` with `sts:AssumeRole` and `sts:TagSession`), or delete the association to stay with IRSA"))
                    .path(super::annotations_path(sa)),
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

    /// One eksctl ClusterConfig per cluster: an association of one cluster says nothing
    /// about a ServiceAccount another cluster's config creates with the same name.
    #[test]
    fn associations_apply_within_their_cluster() {
        crate::testing::assert_world_expectations(&super::META, "eksctl-clusters");
    }

    /// Terraform: the association's `role_arn` and the annotation both `aws_iam_role.x.arn`,
    /// unknown ARNs naming the same role by address.
    #[test]
    fn terraform_references_name_the_same_role() {
        crate::testing::assert_world_expectations(&super::META, "terraform");
    }

    /// An EKS add-on's `pod_identity_association` block is an association in the add-on's
    /// namespace: with `service_account_role_arn` still set, the annotation EKS writes on
    /// the add-on's ServiceAccount is ignored.
    #[test]
    fn terraform_addon_association_and_role_arn() {
        crate::testing::assert_world_expectations(&super::META, "terraform-addon");
        // The add-on's setting to drop, named as the user wrote it.
        let report = crate::testing::lint_fixture_world(&super::META, "terraform-addon");
        assert!(!report.diagnostics.is_empty());
        for d in &report.diagnostics {
            let help = d.help.as_deref().unwrap_or("");
            assert!(
                help.starts_with(
                    "keep one mechanism: remove the add-on's `service_account_role_arn` once"
                ),
                "{help}"
            );
        }
    }

    /// rainwnssystem/study@93927bb: a root that creates its cluster (`module.eks`) and an IRSA
    /// account `wsi/dynamodb`, and a directory of snippets whose eks-pod-identity call
    /// associates `wsi/dynamodb` with `cluster_name = module.eks.cluster_name`, a `module.eks`
    /// the snippets directory does not declare. The association's cluster is that
    /// directory's own (a reference to a cluster of its own root), never another root's:
    /// no finding (it was one: the association's cluster was `None`, its root creating none,
    /// so it applied to every root's accounts).
    #[test]
    fn an_association_of_another_roots_cluster_reference() {
        crate::testing::assert_world_expectations(&super::META, "terraform-snippet-root");
    }

    /// Two Terraform roots of one repository, each creating its own cluster, each with an
    /// association for `kube-system/ebs-csi-controller-sa` whose role is
    /// `aws_iam_role.ebs_csi_driver` of its own directory: the add-on's annotation is judged
    /// against its own root's association (the same role), not the other root's.
    #[test]
    fn terraform_roots_with_their_own_clusters() {
        crate::testing::assert_world_expectations(&super::META, "terraform-two-roots");
        let report = crate::testing::lint_fixture_world(&super::META, "terraform-two-roots");
        let [d] = &report.diagnostics[..] else {
            panic!("{:#?}", report.diagnostics)
        };
        assert!(
            d.message.ends_with("so the pods get the same role through the Pod Identity agent, and the annotation is dead configuration"),
            "{}",
            d.message
        );
        // Each association is its own root's cluster's, named by what creates it.
        let inputs = crate::testing::fixture_world_inputs(&super::META, "terraform-two-roots");
        let config = crate::config::Config::default();
        let world = crate::world::World::build(&inputs, &config);
        let mut clusters: Vec<(String, String)> = world
            .pod_identity_associations
            .iter()
            .map(|a| {
                let path = &inputs.sources.get(a.file).path;
                (path.clone(), a.cluster.clone().unwrap_or_default())
            })
            .collect();
        clusters.sort();
        assert_eq!(
            clusters,
            [
                (
                    "terraform-module/main.tf".to_string(),
                    "module.eks of Terraform root terraform-module".to_string()
                ),
                (
                    "terraform-pure/main.tf".to_string(),
                    "aws_eks_cluster.eks_cluster of Terraform root terraform-pure".to_string()
                ),
            ]
        );
    }

    /// A root calling the EKS module and its Karpenter submodule creates one cluster, not
    /// two (the submodule adds to it): its ServiceAccounts are that cluster's, and another
    /// root's association for the same name does not apply (clowdhaus/eks-reference-architecture
    /// @d71a179 karpenter/ and inferentia/).
    #[test]
    fn an_eks_submodule_declares_no_cluster() {
        crate::testing::assert_world_expectations(&super::META, "terraform-karpenter-submodule");
    }

    /// Two Terraform add-on resources installing one add-on (an archived module with IRSA,
    /// the current one with Pod Identity) never share a cluster: the association of one says
    /// nothing of the other's ServiceAccount (aws-observability/
    /// terraform-aws-observability-accelerator@4c39cde modules/_archived_eks-container-insights
    /// and modules/eks-monitoring).
    #[test]
    fn another_add_on_s_association_does_not_apply() {
        crate::testing::assert_world_expectations(&super::META, "terraform-two-addons");
    }

    /// The EKS module's add-on with both: the association's label names the generated
    /// add-on with its instance key, the ServiceAccount's maker is the same add-on.
    #[test]
    fn an_eks_module_add_on_with_both() {
        crate::testing::assert_world_expectations(&super::META, "terraform-eks-module-addon");
        // The user wrote the add-on's `service_account_role_arn`, not an annotation.
        let report = crate::testing::lint_fixture_world(&super::META, "terraform-eks-module-addon");
        let help = report.diagnostics[0].help.as_deref().unwrap_or("");
        assert!(
            help.starts_with("keep one mechanism: remove the add-on's `service_account_role_arn`"),
            "{help}"
        );
    }

    /// An add-on a module of the repository installs (`module.x.aws_eks_addon.y`) adds to a
    /// cluster and creates none: another root's association applies to its ServiceAccount.
    #[test]
    fn an_add_on_a_module_installs_targets_any() {
        crate::testing::assert_world_expectations(&super::META, "terraform-addon-module");
    }

    /// A root that reads its cluster (`data "aws_eks_cluster"`) names no cluster of its own:
    /// its association applies to the add-on of the root that creates the cluster.
    #[test]
    fn a_root_reading_its_cluster_targets_any() {
        crate::testing::assert_world_expectations(&super::META, "terraform-data-cluster");
    }
}
