use crate::rules::prelude::*;
use crate::rules::rule_selector::did_you_mean;

declare_rule! {
    PodSaMissing,
    code: "K001",
    name: "pod-sa-missing",
    family: Pod,
    severity: Warning,
    summary: "a workload's serviceAccountName names no ServiceAccount in the inputs while IRSA is in use there",
}

impl Rule for PodSaMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let prefix = &world.settings.annotation_prefix.value;
        for (index, pod) in world.pods.iter().enumerate() {
            let Some(node) = pod.service_account else {
                continue;
            };
            let name = pod.service_account_name();
            let ns = pod.owner.namespace.as_str();
            if name == "default" || super::find_sa(world, ns, name).is_some() {
                continue;
            }
            // A name still to be substituted (`${APP}-sa`) says nothing yet; nor does a
            // ServiceAccount template that substitution can turn into this one (the
            // ServiceAccount comes from an envsubst template or a Flux post-build
            // substitution): whether it exists is unknown.
            if name.contains("${")
                || may_become(world, ns, name)
                || made_by_operator(world, ns, name)
                || root_applies_unread_manifests(world, pod.owner.file)
            {
                continue;
            }
            // IRSA is clearly in use: annotated SAs in the same namespace, or the pod's own
            // AWS variables or hand-projected token. Not an EKS add-on's account: EKS makes it
            // (an eksctl `addons` entry's `ebs-csi-controller-sa` in kube-system says nothing
            // of where the user's own kube-system accounts are written).
            let mut annotated: Vec<&str> = world
                .service_accounts
                .iter()
                .filter(|s| {
                    s.namespace() == ns
                        && s.annotation(prefix, "role-arn").is_some()
                        && !s.made_by_eks_addon()
                })
                .map(|s| s.name())
                .collect();
            // An add-on's account is the add-on's: never the one to point another workload at.
            let same_ns: Vec<&str> = world
                .service_accounts
                .iter()
                .filter(|s| s.namespace() == ns && !s.made_by_eks_addon())
                .map(|s| s.name())
                .collect();
            let typo = did_you_mean(name, same_ns.iter().copied());
            // A pod of a Helm release render (`helm template` output) whose release does not
            // create the account it names expects it to exist outside (the chart's
            // `serviceAccount.create=false` with a given name): the renders of other releases
            // beside it (a chart's test baselines, each a configuration of its own) are no
            // evidence that this one's account should be among the inputs. Only a name close
            // to one of the namespace's accounts still says it is a typo. (Asked only when
            // it may narrow the list: the text may have to be read again from disk.)
            if typo.is_none()
                && !annotated.is_empty()
                && crate::model::k8s::is_helm_render(
                    world.inputs.sources.get(pod.owner.file).text(),
                )
            {
                annotated = world
                    .service_accounts
                    .iter()
                    .filter(|s| {
                        s.obj.file == pod.owner.file
                            && s.namespace() == ns
                            && s.annotation(prefix, "role-arn").is_some()
                    })
                    .map(|s| s.name())
                    .collect();
            }
            // One ServiceAccount is often in the inputs several times (a base and the
            // rendered copies a repository keeps for its tests): name each once.
            let mut seen = std::collections::HashSet::new();
            annotated.retain(|n| seen.insert(*n));
            // Inline `env` or `envFrom` a ConfigMap/Secret in the inputs: either shows the
            // pod means to use a web identity.
            let own_irsa = pod.containers.iter().any(|c| {
                world.container_env(pod, c, "AWS_ROLE_ARN").is_some()
                    || world
                        .container_env(pod, c, "AWS_WEB_IDENTITY_TOKEN_FILE")
                        .is_some()
            });
            // A mounted AWS config whose profile assumes a role with a token file (the AWS
            // docs' web-identity profile, OpenShift's credentials Secret) is a web identity too.
            let profile_irsa = world.credentials_files.iter().find(|u| {
                u.pod == index
                    && world.credentials_profile(u).is_some_and(|p| {
                        p.get("role_arn").is_some() && p.get("web_identity_token_file").is_some()
                    })
            });
            let why = if !annotated.is_empty() {
                format!(
                    "namespace `{ns}` has IRSA ServiceAccounts ({})",
                    annotated
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else if own_irsa {
                "its containers set AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE".to_string()
            } else if let Some(u) = profile_irsa {
                format!(
                    "its container `{}` reads a web-identity profile (`role_arn` with `web_identity_token_file`) from `{}`",
                    pod.containers[u.container].name_str(),
                    u.path
                )
            } else {
                continue;
            };
            let mut d = META
                .diagnostic(
                    node.span,
                    format!(
                        "serviceAccountName `{name}` of {} names no ServiceAccount in the inputs, while {why}",
                        pod.display()
                    ),
                )
                .label("no such ServiceAccount");
            // A Pod Identity association for the missing account gives it its role: the
            // account is to be added bare, a role-arn annotation on it would be ignored
            // (rainwnssystem/study _practice/250309_24local1_try3@93927bb: the eks-pod-identity
            // module associates `skills/fluentbit`, which no input creates).
            let association = world
                .pod_identity_associations
                .iter()
                .find(|a| a.applies_to(ns, name));
            // The role comes from the annotation only when the namespace's ServiceAccounts
            // carry one; a pod with its own variables or profile needs the account to exist.
            let add = if let Some(a) = association {
                format!(
                    "add `{name}` without a role-arn annotation (its role comes from {})",
                    a.label
                )
            } else if annotated.is_empty() {
                format!("add the ServiceAccount `{name}` that the role's trust names")
            } else {
                format!("add `{name}` with its role-arn annotation")
            };
            if let Some(best) = typo {
                let target = if annotated.contains(&best) {
                    "the annotated ServiceAccount"
                } else {
                    "it"
                };
                d = d.help(format!(
                    "did you mean `{best}`? Point `serviceAccountName` at {target}, or {add}"
                ));
                if let Some(sa) = super::find_sa(world, ns, best) {
                    d = d.related(sa.obj.anchor(), format!("ServiceAccount `{ns}/{best}`"));
                }
            } else if let Some(a) = association {
                d = d.help(format!("add the ServiceAccount `{ns}/{name}` to the inputs, without a role-arn annotation: its role comes from {}; without the account the pod is not admitted", a.label));
            } else {
                d = d.help(format!("add the ServiceAccount `{ns}/{name}` (with its role-arn annotation) to the inputs, or point `serviceAccountName` at the one that carries the role; without it the pod is not admitted"));
            }
            if let Some(a) = association {
                d = d.related(
                    a.anchor,
                    format!("the Pod Identity association for `{ns}/{name}`"),
                );
            }
            // The namespace's templates were considered: show one, so the reader sees why
            // none of them makes this account.
            if let Some(t) = world
                .service_accounts
                .iter()
                .find(|s| s.namespace() == ns && s.name().contains("${"))
            {
                d = d.related(
                    t.obj.anchor(),
                    format!(
                        "ServiceAccount template `{}`: no substitution names it `{name}`",
                        t.name()
                    ),
                );
            }
            out.push(
                d.placed(world.placement_of(&pod.owner))
                    .path(format!("{}.spec.serviceAccountName", super::pod_path(pod))),
            );
        }
    }
}

/// Whether the Terraform root that writes `file` also applies Kubernetes manifests whose
/// content only apply knows: a `kubectl_manifest` for each document of a YAML file fetched
/// with `data "http"` (clowdhaus/eks-reference-architecture@d71a179 inferentia/add-ons.tf:
/// the Neuron scheduler's upstream manifests, its ServiceAccount among them, then the
/// Deployment patched in a heredoc), a `kubernetes_manifest` built from a variable. Any of
/// them may be the ServiceAccount: whether it exists is unknown.
fn root_applies_unread_manifests(world: &World<'_>, file: crate::source::file::FileId) -> bool {
    use crate::terraform::hcl::dir_of;
    let path = &world.inputs.sources.get(file).path;
    if !path.ends_with(".tf") && !path.ends_with(".tf.json") {
        return false;
    }
    let dir = dir_of(path);
    world.inputs.terraform.iter().any(|r| {
        let body = match r.kind.as_str() {
            crate::terraform::helm_values::KUBECTL_MANIFEST => r.body.get("yaml_body"),
            "kubernetes_manifest" => r.body.get("manifest"),
            _ => return false,
        };
        // What the configuration writes was decoded into the inputs' objects, and dropped
        // here (`terraform::resources::prune`); only a value apply knows is kept.
        body.is_some_and(|b| b.tag.as_deref() == Some(crate::terraform::UNKNOWN_TAG))
            && dir_of(&world.inputs.sources.get(r.file).path) == dir
    })
}

/// Whether a custom resource of the inputs that an operator turns into a ServiceAccount of its
/// own name has `ns/name`: a kind named for what it makes, `…ServiceAccount` in an API group
/// (VoodooTeam/irsa-operator's `IamRoleServiceAccount`, irsa.voodoo.io, creates the role and
/// the ServiceAccount `metadata.name` its pods run as). The account then exists without being
/// among the inputs.
fn made_by_operator(world: &World<'_>, ns: &str, name: &str) -> bool {
    world.objects.iter().any(|o| {
        o.kind != "ServiceAccount"
            && o.kind.ends_with("ServiceAccount")
            && o.api_version.contains('/')
            && o.api_version
                .split('/')
                .next()
                .is_some_and(|g| g.contains('.'))
            && o.namespace == ns
            && o.name_str() == name
    })
}

/// Whether a ServiceAccount of the inputs whose name or namespace holds `${VAR}` placeholders
/// can be `ns/name` once they are substituted (a placeholder may become any text).
fn may_become(world: &World<'_>, ns: &str, name: &str) -> bool {
    use crate::model::iam::glob::{match_tokens, placeholder_tokens};
    let could = |template: &str, text: &str| {
        if template.contains("${") {
            match_tokens(&placeholder_tokens(template, false), text)
        } else {
            template == text
        }
    };
    world.service_accounts.iter().any(|s| {
        (s.name().contains("${") || s.namespace().contains("${"))
            && could(s.name(), name)
            && could(s.namespace(), ns)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// aws-samples/aws-do-eks@f721602: the only IRSA account of kube-system is the one EKS
    /// makes for the EBS CSI add-on of an eksctl ClusterConfig; a kube-system Deployment whose
    /// account the repository's scripts create is not reported (its own world: `good/` has
    /// the user's kube-system accounts). `bad/eksctl-addon` adds one of the user's.
    #[test]
    fn an_add_on_account_is_no_evidence() {
        crate::testing::assert_world_expectations(&super::META, "eksctl-addon");
    }

    /// `bad/pod-identity-association` (rainwnssystem/study@93927bb): the missing account has
    /// a Pod Identity association, so it is to be added without a role-arn annotation (one
    /// would be ignored), and the association is shown; an account without one keeps the
    /// annotation advice.
    #[test]
    fn an_associated_account_is_added_without_an_annotation() {
        let report = crate::testing::lint_fixture_world(&super::META, "bad");
        let token = report
            .diagnostics
            .iter()
            .find(|d| d.message.contains("`fluentbit` of Deployment skills/token"))
            .expect("the finding on token.yaml");
        assert_eq!(
            token.help.as_deref(),
            Some("add the ServiceAccount `skills/fluentbit` to the inputs, without a role-arn annotation: its role comes from Terraform module.fluentbit_pod_identity.aws_eks_pod_identity_association.this[\"fargate\"]; without the account the pod is not admitted")
        );
        assert_eq!(token.related.len(), 1);
        assert_eq!(
            token.related[0].message,
            "the Pod Identity association for `skills/fluentbit`"
        );
        // `billing/ledger-sync` (staging-only.yaml) has no association.
        let ledger = report
            .diagnostics
            .iter()
            .find(|d| d.message.contains("`ledger-sync`"))
            .expect("the finding on staging-only.yaml");
        assert!(ledger.related.is_empty());
        assert!(
            ledger.help.as_deref().is_some_and(|h| h.starts_with(
                "add the ServiceAccount `billing/ledger-sync` (with its role-arn annotation)"
            )),
            "{:?}",
            ledger.help
        );
    }

    /// `bad/rendered-copy.yaml` repeats `billing/invoice-export` (as awslabs/kubeflow-manifests
    /// keeps rendered copies of its manifests beside them): the message names it once.
    #[test]
    fn names_each_annotated_service_account_once() {
        let report = crate::testing::lint_fixture_world(&super::META, "bad");
        let app = report
            .diagnostics
            .iter()
            .find(|d| d.message.contains("invoice-exporter"))
            .expect("the finding on app.yaml");
        assert!(
            app.message
                .ends_with("while namespace `billing` has IRSA ServiceAccounts (`invoice-export`)"),
            "{}",
            app.message
        );
    }
}
