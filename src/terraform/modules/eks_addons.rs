//! The EKS add-ons a terraform-aws-modules/eks call creates, and only those: the rest of
//! the module (cluster, node groups, its own IAM roles) is not modelled, so `lint
//! --explain` still lists the call as not read (`load::unmodelled_calls`).
//!
//! Each entry of `cluster_addons` (v19, v20) or `addons` (v21) is an `aws_eks_addon`
//! (`aws_eks_addon.this[key]`, or `.before_compute[key]` with `before_compute = true`),
//! main.tf@v19.21.0 and @v20.37.0 (`for k, v in var.cluster_addons`, `addon_name =
//! try(each.value.name, each.key)`, `service_account_role_arn =
//! try(each.value.service_account_role_arn, null)`) and @v21.0.0 (`for k, v in var.addons`,
//! `addon_name = coalesce(each.value.name, each.key)`, the same `service_account_role_arn`,
//! and each `pod_identity_association` entry as the resource's block of that name, which v20
//! reads from v20.29.0 on). So a
//! role given to an add-on annotates that add-on's ServiceAccount, as for an
//! `aws_eks_addon` the user writes (`terraform::resources::derive`). `pod_identity_association`
//! is read under `addons`, and under `cluster_addons` unless the call's `version` or `?ref=`
//! pins a release before v20.29.0 (`~> 20.0` selects the newest v20, which reads it: the
//! user who writes it means the association). Nothing is generated when `create` is known `false` (the module's
//! `local.create`) or an `outpost_config` is given (its add-ons are `local.create_outposts_local_cluster`'s
//! exception), nor for an entry only apply knows.

use super::{arg, entry, flag, is_unknown, resource, ModuleCall};
use crate::source::node::Node;
use crate::terraform::Resource;

pub const MODEL: &str = "terraform-aws-modules/eks/aws v19.21.0, v20.37.0, v21.0.0 (add-ons only)";

/// Whether `source` is terraform-aws-modules/eks's root module (not one of its submodules,
/// `//modules/karpenter`), from the registry or GitHub.
pub fn is_eks(source: &str) -> bool {
    let path = super::SourcePath::of(source);
    path.subdirectory().is_empty()
        && matches!(
            path.repository(),
            "terraform-aws-modules/eks/aws" | "terraform-aws-modules/terraform-aws-eks"
        )
}

/// The `aws_eks_addon`s the call creates (empty for another module).
pub fn expand(call: &ModuleCall<'_>) -> Vec<Resource> {
    if !is_eks(call.source) || flag(call, "create", true) == Some(false) {
        return Vec::new();
    }
    let outposts =
        arg(call, "outpost_config").is_some_and(|o| is_unknown(o) || !o.entries().is_empty());
    if outposts {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (input, v21) in [("cluster_addons", false), ("addons", true)] {
        let Some(addons) = arg(call, input).filter(|a| !is_unknown(a)) else {
            continue;
        };
        for e in addons.entries() {
            let Some(key) = e.key.as_str() else { continue };
            let v = &e.value;
            if is_unknown(v) {
                continue;
            }
            let name = v
                .get("name")
                .filter(|n| !n.is_null())
                .cloned()
                .unwrap_or_else(|| e.key.clone());
            let mut body = vec![entry("addon_name", name)];
            if let Some(role) = v.get("service_account_role_arn").filter(|r| !r.is_null()) {
                body.push(entry("service_account_role_arn", role.clone()));
            }
            // v20 reads it from v20.29.0 (main.tf@v20.29.0 `dynamic "pod_identity_association"`,
            // absent at v20.28.0): unless the call pins an earlier release, `~> 20.0` selects
            // one that does.
            if v21 || !super::pins_before(call, (20, 29)) {
                if let Some(p) = v.get("pod_identity_association").filter(|p| !p.is_null()) {
                    body.push(entry("pod_identity_association", p.clone()));
                }
            }
            let before = v.get("before_compute").and_then(Node::as_bool) == Some(true);
            let name = if before { "before_compute" } else { "this" };
            let mut r = resource(
                call,
                MODEL,
                "aws_eks_addon",
                name,
                &format!("[\"{key}\"]"),
                body,
            );
            // At the entry the user wrote, not at the module block.
            r.anchor = e.key.span;
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{args, call};
    use super::*;

    fn addons(text: &str) -> Vec<(String, String, Option<String>, Option<String>)> {
        let a = args(text);
        expand(&ModuleCall {
            address: "module.eks",
            ..call("terraform-aws-modules/eks/aws", &a)
        })
        .into_iter()
        .map(|r| {
            let get = |k: &str| r.body.get(k).and_then(Node::as_str).map(str::to_string);
            let pia = r
                .body
                .get("pod_identity_association")
                .and_then(Node::as_seq)
                .and_then(|s| s.first())
                .and_then(|p| p.get("service_account"))
                .and_then(Node::as_str)
                .map(str::to_string);
            (
                r.address.clone(),
                get("addon_name").unwrap(),
                get("service_account_role_arn"),
                pia,
            )
        })
        .collect()
    }

    #[test]
    fn the_root_module_from_the_registry_or_github_and_no_submodule() {
        for s in [
            "terraform-aws-modules/eks/aws",
            "registry.terraform.io/terraform-aws-modules/eks/aws",
            "registry.opentofu.org/terraform-aws-modules/eks/aws",
            "git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.8.5",
            "github.com/terraform-aws-modules/terraform-aws-eks",
        ] {
            assert!(is_eks(s), "{s}");
        }
        for s in [
            "terraform-aws-modules/eks/aws//modules/karpenter",
            "terraform-aws-modules/eks-pod-identity/aws",
            "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks",
            "./modules/eks",
        ] {
            assert!(!is_eks(s), "{s}");
        }
    }

    /// v20's `cluster_addons` and v21's `addons`: one add-on per entry, named by `name` or
    /// the key, `before_compute` ones under their own resource; the role as written.
    #[test]
    fn each_entry_is_an_add_on_with_its_role() {
        let text = "cluster_addons:\n  coredns: {}\n  ebs:\n    name: aws-ebs-csi-driver\n    service_account_role_arn: !Unknown module.ebs.iam_role_arn\n  vpc-cni:\n    before_compute: true\n    service_account_role_arn: arn:aws:iam::111122223333:role/cni\n";
        assert_eq!(
            addons(text),
            [
                (
                    "module.eks.aws_eks_addon.this[\"coredns\"]".into(),
                    "coredns".into(),
                    None,
                    None
                ),
                (
                    "module.eks.aws_eks_addon.this[\"ebs\"]".into(),
                    "aws-ebs-csi-driver".into(),
                    Some("module.ebs.iam_role_arn".into()),
                    None
                ),
                (
                    "module.eks.aws_eks_addon.before_compute[\"vpc-cni\"]".into(),
                    "vpc-cni".into(),
                    Some("arn:aws:iam::111122223333:role/cni".into()),
                    None
                ),
            ]
        );
        // `pod_identity_association` is read under v21's `addons`, and under v20's
        // `cluster_addons` unless the version pins a release before v20.29.0.
        let v21 = "addons:\n  aws-ebs-csi-driver:\n    pod_identity_association:\n      - role_arn: arn:aws:iam::111122223333:role/ebs\n        service_account: ebs-csi-controller-sa\n";
        assert_eq!(addons(v21)[0].3.as_deref(), Some("ebs-csi-controller-sa"));
        let v20 = v21.replace("addons:", "cluster_addons:");
        assert_eq!(addons(&v20)[0].3.as_deref(), Some("ebs-csi-controller-sa"));
        assert_eq!(addons(&v20)[0].1, "aws-ebs-csi-driver");
        let pinned = |version: &str| {
            let a = args(&v20);
            expand(&ModuleCall {
                address: "module.eks",
                version: Some(version),
                ..call("terraform-aws-modules/eks/aws", &a)
            })[0]
                .body
                .get("pod_identity_association")
                .is_some()
        };
        assert!(pinned("~> 20.0"));
        assert!(pinned("20.29.0"));
        assert!(!pinned("20.28.0"));
        assert!(!pinned("~> 20.8.0"));
        assert!(!pinned("~> 19.0"));
    }

    #[test]
    fn nothing_when_the_module_creates_no_add_on() {
        let entry = "  ebs:\n    service_account_role_arn: arn:aws:iam::111122223333:role/ebs\n";
        assert_eq!(addons(&format!("create: false\naddons:\n{entry}")), []);
        assert_eq!(
            addons(&format!("create: !Unknown var.create\naddons:\n{entry}")).len(),
            1
        );
        assert_eq!(addons(&format!("create: true\naddons:\n{entry}")).len(), 1);
        assert_eq!(
            addons(&format!(
                "outpost_config:\n  outpost_arns: [x]\naddons:\n{entry}"
            )),
            []
        );
        assert_eq!(
            addons(&format!("outpost_config: {{}}\naddons:\n{entry}")).len(),
            1
        );
        assert_eq!(addons("addons: !Unknown var.addons\n"), []);
        assert_eq!(addons("addons:\n  ebs: !Unknown var.ebs\n"), []);
        // Another module's arguments of the same names are not read.
        let a = args(&format!("addons:\n{entry}"));
        assert!(expand(&call(
            "terraform-aws-modules/eks/aws//modules/karpenter",
            &a
        ))
        .is_empty());
    }
}
