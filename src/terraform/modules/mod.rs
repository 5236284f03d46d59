//! What well-known Terraform modules generate from their inputs, modelled because the
//! module's source is not on disk in a fresh checkout or a pre-commit run. One file per
//! module, each following one released version of the module's code (cited there):
//!
//! - [`irsa_eks_v5`]: terraform-aws-modules/iam `modules/iam-role-for-service-accounts-eks` (v5);
//! - [`irsa_v6`]: terraform-aws-modules/iam `modules/iam-role-for-service-accounts` (v6);
//! - [`assumable_oidc_v5`]: terraform-aws-modules/iam `modules/iam-assumable-role-with-oidc` (v5);
//! - [`blueprints_addon`]: aws-ia/eks-blueprints-addon (v1);
//! - [`blueprints_irsa_v4`]: aws-ia/terraform-aws-eks-blueprints `modules/irsa` (v4, by
//!   the call's `?ref=`);
//! - [`blueprints_helm_addon_v4`]: aws-ia/terraform-aws-eks-blueprints `helm-addon` (v4,
//!   `modules/kubernetes-addons/helm-addon`, by the call's `?ref=`: its `helm_release` and
//!   the `modules/irsa` call it makes);
//! - [`blueprints_addons_v4`]: aws-ia/terraform-aws-eks-blueprints `kubernetes-addons` (v4,
//!   `modules/kubernetes-addons`, every v4 tag: the eight helm add-ons it follows, each through the
//!   helm-addon; the others enabled are listed as not read);
//! - [`eks_pod_identity`]: terraform-aws-modules/eks-pod-identity (v2, and v1 when pinned).
//!
//! # API for the HCL reader
//!
//! When it meets a `module` block, the HCL reader builds a [`ModuleCall`] (the block's
//! address, `source`, `version`, and its evaluated arguments as a mapping node in plan
//! JSON's shape: every node with the span of what the user wrote, values that cannot be
//! known as [`super::UNKNOWN_TAG`] nodes) and calls [`expand`]. `None`: not a module
//! modelled here. Otherwise the [`Expansion`] holds the generated [`Resource`]s (addresses
//! under the module's address, `Origin::Module`; the role's `assume_role_policy` is a
//! policy document node whose values point at the module inputs) and the inputs the module
//! silently ignores ([`IgnoredInput`], reported by `trust-module-input-ignored`).
//!
//! A gate of the module (`create`, `create_role`) that only apply knows is "maybe created"
//! ([`may_create`]): the resources are generated as if it were `true`, as the HCL reader
//! keeps a resource whose `count` is unknown. So is a policy switch (`create_policy`,
//! `attach_custom_policy`, `attach_*_policy`): the user's statements in the policy are
//! judged as written, and a policy of the module's own is marked [`MAYBE`] (`--explain` and
//! `map` say it may be attached).
//!
//! [`expand_all`] does this for every resource of kind `module` a configuration reader
//! produced (its body: `source`, `version` and the arguments).
//!
//! A reference to a module output (`module.irsa.iam_role_arn`) is resolved with
//! [`output_reference`]: the address of the generated resource and the attribute the
//! output returns, so a ServiceAccount annotation given as that output links to the role.
//! The module's own policies (`attach_*_policy`) are [`is_producer_owned`]: `perm-*`
//! findings on them are info.

pub mod assumable_oidc_v5;
pub mod blueprints_addon;
pub mod blueprints_addons_v4;
pub mod blueprints_helm_addon_v4;
pub mod blueprints_irsa_v4;
pub mod eks_addons;
pub mod eks_pod_identity;
pub mod iam_eks_role_v5;
pub mod irsa_eks_v5;
pub mod irsa_v6;
pub mod karpenter;

use super::{Mode, Origin, Resource, UNKNOWN_TAG};
use crate::source::file::{FileId, Span};
use crate::source::node::{Entry, Node, Value};

/// A `module` block, evaluated.
#[derive(Debug, Clone, Copy)]
pub struct ModuleCall<'a> {
    /// The module's address: `module.irsa`, `module.platform.module.irsa`,
    /// `module.irsa["app"]`.
    pub address: &'a str,
    /// `source` as written: a registry address
    /// (`terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks`) or a git
    /// URL (`git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/...?ref=v5.30.0`).
    pub source: &'a str,
    /// The `version` constraint, when given.
    pub version: Option<&'a str>,
    /// The arguments: a mapping from input name to value.
    pub args: &'a Node,
    /// The file of the `module` block and its header: the anchor of what it generates.
    pub file: FileId,
    pub anchor: Span,
    /// The local call instance the `module` block was evaluated in (see [`Resource::call`]).
    pub call: Option<Span>,
}

impl<'a> ModuleCall<'a> {
    /// The call a modelled module makes of another (eks-blueprints' add-ons calling
    /// `helm-addon` and `irsa`): its own address, source and arguments, no `version`, and the
    /// user's `module` block (file, anchor, call instance) as what it generates hangs on.
    pub fn nested<'b>(&self, address: &'b str, source: &'b str, args: &'b Node) -> ModuleCall<'b>
    where
        'a: 'b,
    {
        ModuleCall {
            address,
            source,
            version: None,
            args,
            ..*self
        }
    }
}

/// What a module call generates.
#[derive(Debug, Clone)]
pub struct Expansion {
    /// The module and version the model follows.
    pub model: String,
    pub resources: Vec<Resource>,
    pub ignored: Vec<IgnoredInput>,
}

impl Expansion {
    /// An empty expansion of `model` with the keys the module ignores inside each entry of
    /// its `oidc_providers` map (which holds only the keys `provider_keys`), and that map.
    fn with_providers<'a>(
        call: &ModuleCall<'a>,
        model: &str,
        provider_keys: &[&str],
    ) -> (Expansion, Option<&'a Node>) {
        let providers = arg(call, "oidc_providers");
        let ignored = providers
            .map(|p| p.entries())
            .unwrap_or(&[])
            .iter()
            .flat_map(|e| {
                let key = e.key.as_str().unwrap_or("");
                ignored_keys(key, &e.value, provider_keys, model)
            })
            .collect();
        let out = Expansion {
            model: model.into(),
            resources: Vec::new(),
            ignored,
        };
        (out, providers)
    }
}

/// An input the module drops without a word: a key it does not read inside a map it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredInput {
    /// The key as the user wrote it.
    pub span: Span,
    /// `oidc_providers.main.namespaces`.
    pub input: String,
    /// What the module reads instead, for the finding's help.
    pub expected: String,
    /// The module and version followed.
    pub model: String,
    /// The release the call asks for (its `version`, else its source's `?ref=`), when it is
    /// not the release `model` names: the finding says both.
    pub pinned: Option<String>,
    /// What the dropped key was meant to shape, which decides the rule that reports it.
    pub affects: Affects,
}

/// What a key a module drops was meant to shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affects {
    /// The role's trust policy (`oidc_providers`, `trust_policy_statements`):
    /// `trust-module-input-ignored`.
    Trust,
    /// A permission policy the module writes (`policy_statements`):
    /// `perm-module-input-ignored`.
    Policy,
    /// A Pod Identity association the module creates (`associations`,
    /// `association_defaults`): `sa-association-input-ignored`. When the key is `role_arn`,
    /// `role` is what the association gets instead (the module's own role's address) and
    /// `written` the value given (an ARN, or the reference as written).
    Association {
        role: Option<String>,
        written: Option<String>,
    },
    /// Nothing a rule reports: a part of the module call `call` that the model does not
    /// follow (eks-blueprints v4 `kubernetes-addons`' add-ons it does not model; `expected`
    /// says why), listed by `lint --explain` as not read.
    NotModelled { call: String },
}

impl IgnoredInput {
    /// The key at `span`, written as `input`, inside an object whose only keys the module
    /// reads are `known`; it was meant for the trust policy (see [`IgnoredInput::affecting`]).
    pub(crate) fn new(span: Span, input: String, known: &[&str], model: &str) -> IgnoredInput {
        IgnoredInput {
            span,
            input,
            expected: known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
            model: model.to_string(),
            pinned: None,
            affects: Affects::Trust,
        }
    }

    /// The same, meant for something other than the trust policy.
    pub(crate) fn affecting(mut self, affects: Affects) -> IgnoredInput {
        self.affects = affects;
        self
    }
}

/// Which modelled module a `source` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    IrsaEksV5,
    IrsaV6,
    AssumableOidcV5,
    IamEksRoleV5,
    BlueprintsAddon,
    BlueprintsIrsaV4,
    BlueprintsHelmAddonV4,
    BlueprintsAddonsV4,
    EksPodIdentity,
    Karpenter,
}

/// A module `source` reduced to what names its code: lower case, without `?ref=`, the
/// transport (`git::`, `https://`, `ssh://`, `git@`), the registry host
/// (`registry.terraform.io/`, `registry.opentofu.org/`), `github.com/`, `.git`, trailing
/// slashes: `terraform-aws-modules/iam/aws//modules/iam-eks-role`, whose repository and
/// subdirectory are either side of `//`. [`known`] and `eks_addons::is_eks` read sources so.
pub(crate) struct SourcePath {
    text: String,
    split: Option<usize>,
}

impl SourcePath {
    pub(crate) fn of(source: &str) -> SourcePath {
        let s = source.trim().to_ascii_lowercase();
        let s = s.split('?').next().unwrap_or("");
        // `trim_start_matches` with a `&str` builds a substring searcher each time: the same
        // trims by `strip_prefix` (this runs for every `module` block, and again where one is
        // referred to).
        let mut s = s;
        for p in [
            "git::",
            "https://",
            "ssh://",
            "git@",
            "registry.terraform.io/",
            "registry.opentofu.org/",
            "github.com/",
            "github.com:",
        ] {
            while let Some(rest) = s.strip_prefix(p) {
                s = rest;
            }
        }
        let mut text = s.replace(".git//", "//");
        while text.ends_with(".git") {
            text.truncate(text.len() - 4);
        }
        let end = text.trim_end_matches('/').len();
        text.truncate(end);
        let split = text.find("//");
        if let Some(i) = split {
            let sub = text[i + 2..].trim_end_matches('/').len();
            text.truncate(i + 2 + sub);
        }
        SourcePath { text, split }
    }

    pub(crate) fn repository(&self) -> &str {
        self.split.map_or(&self.text, |i| &self.text[..i])
    }

    pub(crate) fn subdirectory(&self) -> &str {
        self.split.map_or("", |i| &self.text[i + 2..])
    }
}

/// The modelled module `source` names, if any. Registry addresses and git URLs
/// (`git::`, `https://`, `github.com/…`, `.git`, `?ref=`) of the same code are the same.
pub fn known(source: &str) -> Option<Known> {
    let before_v4 = blueprints_irsa_v4::is_before_v4(&source.trim().to_ascii_lowercase());
    let path = SourcePath::of(source);
    let (repo, sub) = (path.repository(), path.subdirectory());
    let iam = matches!(
        repo,
        "terraform-aws-modules/iam/aws" | "terraform-aws-modules/terraform-aws-iam"
    );
    match (iam, sub) {
        (true, "modules/iam-role-for-service-accounts-eks") => Some(Known::IrsaEksV5),
        (true, "modules/iam-role-for-service-accounts") => Some(Known::IrsaV6),
        (true, "modules/iam-assumable-role-with-oidc") => Some(Known::AssumableOidcV5),
        (true, "modules/iam-eks-role") => Some(Known::IamEksRoleV5),
        (false, "")
            if matches!(
                repo,
                "aws-ia/eks-blueprints-addon/aws" | "aws-ia/terraform-aws-eks-blueprints-addon"
            ) =>
        {
            Some(Known::BlueprintsAddon)
        }
        (false, "modules/irsa") if repo == "aws-ia/terraform-aws-eks-blueprints" && !before_v4 => {
            Some(Known::BlueprintsIrsaV4)
        }
        (false, "modules/kubernetes-addons")
            if repo == "aws-ia/terraform-aws-eks-blueprints" && !before_v4 =>
        {
            Some(Known::BlueprintsAddonsV4)
        }
        (false, "modules/kubernetes-addons/helm-addon")
            if repo == "aws-ia/terraform-aws-eks-blueprints" && !before_v4 =>
        {
            Some(Known::BlueprintsHelmAddonV4)
        }
        (false, "")
            if matches!(
                repo,
                "terraform-aws-modules/eks-pod-identity/aws"
                    | "terraform-aws-modules/terraform-aws-eks-pod-identity"
            ) =>
        {
            Some(Known::EksPodIdentity)
        }
        (false, "modules/karpenter")
            if matches!(
                repo,
                "terraform-aws-modules/eks/aws" | "terraform-aws-modules/terraform-aws-eks"
            ) =>
        {
            Some(Known::Karpenter)
        }
        _ => None,
    }
}

/// The resources a modelled module generates from `call`'s inputs, and the inputs it
/// ignores; `None` for a module not modelled here.
pub fn expand(call: &ModuleCall<'_>) -> Option<Expansion> {
    let mut e = match known(call.source)? {
        Known::IrsaEksV5 => irsa_eks_v5::expand(call),
        Known::IrsaV6 => irsa_v6::expand(call),
        Known::AssumableOidcV5 => assumable_oidc_v5::expand(call),
        Known::IamEksRoleV5 => iam_eks_role_v5::expand(call),
        Known::BlueprintsAddon => blueprints_addon::expand(call),
        Known::BlueprintsIrsaV4 => blueprints_irsa_v4::expand(call),
        Known::BlueprintsHelmAddonV4 => blueprints_helm_addon_v4::expand(call),
        Known::BlueprintsAddonsV4 => blueprints_addons_v4::expand(call),
        Known::EksPodIdentity => eks_pod_identity::expand(call),
        Known::Karpenter => karpenter::expand(call),
    };
    // A finding on an ignored input cites the release modelled, and the user's pin beside it.
    for i in &mut e.ignored {
        i.pinned = pinned_release(call, &i.model);
    }
    Some(e)
}

/// The call's arguments, with each value that is unknown and was written in another file
/// than its argument (a local module's output, `module.app.issuer_url`, is the expression in
/// that module's `outputs.tf`) placed at the argument's name: what the module generates from
/// it is fixed at the call (aws-containers/retail-store-sample-app terraform/eks/default/iam.tf
/// @1a28474f: `provider_url = module.retail_app_eks.eks_oidc_issuer_url`, whose missing `aud`
/// was reported in lib/eks/outputs.tf).
fn at_call_site(body: &Node) -> std::borrow::Cow<'_, Node> {
    let foreign =
        |e: &Entry| super::hcl::is_unknown(&e.value) && e.value.span.file != e.key.span.file;
    if !body.entries().iter().any(foreign) {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut owned = body.clone();
    if let Value::Map(entries) = &mut owned.value {
        for e in entries.iter_mut().filter(|e| foreign(e)) {
            e.value.span = e.key.span;
        }
    }
    std::borrow::Cow::Owned(owned)
}

/// The expansion of every `module` call among `resources` (a configuration reader's
/// resources of kind `module`, whose body holds the block's `source`, `version` and
/// evaluated arguments): the resources modelled modules generate, to add beside them, and
/// the inputs they ignore (for `Inputs::terraform_ignored`).
pub fn expand_all(resources: &[Resource]) -> (Vec<Resource>, Vec<IgnoredInput>) {
    let mut generated = Vec::new();
    let mut ignored = Vec::new();
    for r in resources.iter().filter(|r| r.kind == "module") {
        let Some(source) = r.body.get("source").and_then(Node::as_str) else {
            continue;
        };
        let args = at_call_site(&r.body);
        let call = ModuleCall {
            address: &r.address,
            source,
            version: r.body.get("version").and_then(Node::as_str),
            args: args.as_ref(),
            file: r.file,
            anchor: r.anchor,
            call: r.call,
        };
        if let Some(e) = expand(&call) {
            generated.extend(e.resources);
            ignored.extend(e.ignored);
        } else {
            // terraform-aws-modules/eks: its add-ons only.
            generated.extend(eks_addons::expand(&call));
        }
    }
    (generated, ignored)
}

/// What the output `output` of the module at `module_address` (whose `source` is `source`)
/// returns: the address of the generated resource and its attribute
/// (`("module.irsa.aws_iam_role.this[0]", "arn")` for `module.irsa.iam_role_arn`).
pub fn output_reference(
    source: &str,
    module_address: &str,
    output: &str,
) -> Option<(String, &'static str)> {
    let role = format!("{module_address}.aws_iam_role.this[0]");
    let attr = match (known(source)?, output) {
        // v4 modules/irsa outputs.tf: `irsa_iam_role_arn`, `irsa_iam_role_name`.
        (Known::BlueprintsIrsaV4, "irsa_iam_role_arn" | "irsa_iam_role_name") => {
            let attr = if output.ends_with("arn") {
                "arn"
            } else {
                "name"
            };
            return Some((format!("{module_address}.aws_iam_role.irsa[0]"), attr));
        }
        (Known::BlueprintsIrsaV4, _) => return None,
        (Known::BlueprintsAddonsV4, _) => return None,
        (Known::BlueprintsHelmAddonV4, _) => {
            return blueprints_helm_addon_v4::output_reference(module_address, output)
        }
        (Known::Karpenter, _) => return karpenter::output_reference(module_address, output),
        (Known::IrsaV6, "arn") => "arn",
        (Known::IrsaV6, "name") => "name",
        (Known::IrsaV6, "path") => "path",
        (Known::IrsaV6, "unique_id") => "unique_id",
        (Known::IrsaV6, "iam_policy_arn") => {
            return Some((format!("{module_address}.aws_iam_policy.this[0]"), "arn"))
        }
        (Known::IrsaV6, _) => return None,
        (_, "iam_role_arn") => "arn",
        (_, "iam_role_name") => "name",
        (_, "iam_role_path") => "path",
        (_, "iam_role_unique_id") => "unique_id",
        _ => return None,
    };
    Some((role, attr))
}

/// The generated policy a modelled module's policy output names: `reference` is
/// `module.<call>.iam_policy_arn` (or `.iam_policy_name`, also as `${…}`), and the result
/// the address of the policy among `resources` that output returns: for eks-pod-identity
/// the first of [`eks_pod_identity::POLICY_OUTPUT`] the call creates, for v6
/// `iam-role-for-service-accounts` its one policy. `None` for any other reference, a call
/// modelled otherwise, or when the call creates none of them (the output is `null`).
pub fn policy_output<'r>(reference: &str, resources: &'r [Resource]) -> Option<&'r str> {
    let r = reference.trim();
    let r = r
        .strip_prefix("${")
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(r);
    let call = r
        .strip_suffix(".iam_policy_arn")
        .or_else(|| r.strip_suffix(".iam_policy_name"))
        .filter(|c| c.starts_with("module."))?;
    let generated = |name: &str| {
        let address = format!("{call}.aws_iam_policy.{name}[0]");
        resources.iter().find_map(|x| {
            (x.kind == "aws_iam_policy"
                && x.mode == Mode::Managed
                && matches!(&x.origin, Origin::Module { .. })
                && x.address == address)
                .then_some((x.address.as_str(), &x.origin))
        })
    };
    let model_of = |o: &Origin| match o {
        Origin::Module { model } => model.clone(),
        _ => String::new(),
    };
    if let Some((address, origin)) = generated("this") {
        return (model_of(origin) == irsa_v6::MODEL).then_some(address);
    }
    eks_pod_identity::POLICY_OUTPUT
        .iter()
        .filter_map(|name| generated(name))
        .find(|(_, o)| {
            let m = model_of(o);
            m == eks_pod_identity::MODEL_V2 || m == eks_pod_identity::MODEL_V1
        })
        .map(|(a, _)| a)
}

/// Whether a generated resource is a policy the module writes itself (an `attach_*_policy`
/// switch): the user chooses to attach it, not what it grants.
pub fn is_producer_owned(r: &Resource) -> bool {
    matches!(r.origin, Origin::Module { .. })
        && r.kind == "aws_iam_policy"
        && r.body
            .get(PRODUCER_OWNED)
            .and_then(Node::as_bool)
            .unwrap_or(false)
}

/// A policy a modelled module writes itself and attaches to the role it generates, because
/// the user set an `attach_*_policy` switch: its contents are the module's, not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerPolicy {
    /// The generated role's address (`module.irsa.aws_iam_role.this[0]`).
    pub role: String,
    /// The file of the root the role belongs to ([`Resource::file`]): an address names a
    /// role only within its root (two Terragrunt units are both `module.terragrunt`, two
    /// roots may each call a `module "irsa"`).
    pub root: crate::source::file::FileId,
    /// The switch as written (`attach_ebs_csi_policy`).
    pub switch: String,
    /// The module and version followed.
    pub model: String,
    /// Where the switch is set.
    pub span: Span,
    /// The switch is only known at apply: the module may write the policy.
    pub maybe: bool,
}

/// The producer-owned policies among `resources` (see [`is_producer_owned`]), each with the
/// role its module call generates.
pub fn producer_policies(resources: &[Resource]) -> Vec<ProducerPolicy> {
    let mut out = Vec::new();
    for r in resources.iter().filter(|r| is_producer_owned(r)) {
        let Origin::Module { model } = &r.origin else {
            continue;
        };
        let Some(policy) = r.body.get("policy") else {
            continue;
        };
        // The unknown's name says which switch (see `owned_policy`).
        let switch = policy
            .as_str()
            .and_then(|n| n.split('`').nth(1))
            .unwrap_or("attach_*_policy")
            .to_string();
        // The role of the same call, or of a call it makes (eks-blueprints v4
        // kubernetes-addons: the add-on's policy, the role of its helm-addon's irsa call),
        // in the same root: module paths repeat across roots.
        let role = resources.iter().find(|x| {
            x.kind == "aws_iam_role"
                && x.file == r.file
                && x.module
                    .strip_prefix(r.module.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(".module."))
                && matches!(x.origin, Origin::Module { .. })
        });
        if let Some(role) = role {
            out.push(ProducerPolicy {
                role: role.address.clone(),
                root: role.file,
                switch,
                model: model.clone(),
                span: policy.span,
                maybe: r.body.get(MAYBE).is_some(),
            });
        }
    }
    out
}

/// The input of `model` that the `aud` condition of its trust is written from, for a model
/// whose trust may have none: iam-assumable-role-with-oidc writes it only for
/// `oidc_fully_qualified_audiences`. The other models always write `aud` =
/// `sts.amazonaws.com` (or have no web-identity statement).
pub fn audience_input(model: &str) -> Option<&'static str> {
    (model == assumable_oidc_v5::MODEL || model == assumable_oidc_v5::MODEL_BEFORE_AUDIENCES)
        .then_some("oidc_fully_qualified_audiences")
}

/// The input of `model` whose OIDC providers its web-identity trust statements are written
/// from, one statement per provider: a trust of these models without any such statement was
/// given none (an empty `provider_url`, an empty `oidc_providers` map).
pub fn provider_input(model: &str) -> Option<&'static str> {
    if model == assumable_oidc_v5::MODEL || model == assumable_oidc_v5::MODEL_BEFORE_AUDIENCES {
        Some("`provider_url` / `provider_urls`")
    } else if model == irsa_eks_v5::MODEL
        || model == irsa_v6::MODEL
        || model == blueprints_addon::MODEL
    {
        Some("`oidc_providers` (each entry's `provider_arn`)")
    } else {
        None
    }
}

/// The release from which the module `model` follows has the input [`audience_input`]
/// names, when the call's `version` predates it (`Some("v4.3.0")`): setting the input asks
/// for an upgrade first.
pub fn audience_input_since(model: &str) -> Option<&'static str> {
    (model == assumable_oidc_v5::MODEL_BEFORE_AUDIENCES).then_some("v4.3.0")
}

/// How a modelled module writes its trust's `sub` condition, for help that names the
/// module's inputs rather than a trust policy the user never wrote (the operator rules,
/// trust-broad-stringlike, trust-malformed-sub).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubjectInputs {
    /// The input the subjects are written from, as the help names it.
    pub subjects: &'static str,
    /// The form of one element of that input.
    pub form: &'static str,
    /// What makes the module compare the subjects as patterns (`StringLike`), when the
    /// module does not always do.
    pub pattern: Option<&'static str>,
}

impl SubjectInputs {
    /// One element of [`SubjectInputs::subjects`] for the service account `name` of
    /// namespace `ns`, as written there.
    pub fn element(&self, ns: &str, name: &str) -> String {
        self.form.replace("<namespace>", ns).replace("<name>", name)
    }
}

pub fn subject_inputs(model: &str) -> Option<SubjectInputs> {
    let module_test = |input| SubjectInputs {
        subjects: "`namespace_service_accounts`",
        form: "<namespace>:<name>",
        pattern: Some(input),
    };
    if model == iam_eks_role_v5::MODEL {
        Some(SubjectInputs {
            subjects: "`cluster_service_accounts`",
            ..module_test("set `assume_role_condition_test = \"StringLike\"` on the module call")
        })
    } else if model == irsa_eks_v5::MODEL {
        Some(module_test(
            "set `assume_role_condition_test = \"StringLike\"` on the module call",
        ))
    } else if model == irsa_v6::MODEL {
        Some(module_test(
            "set `trust_condition_test = \"StringLike\"` on the module call",
        ))
    } else if model == blueprints_addon::MODEL {
        Some(SubjectInputs {
            subjects: "the `oidc_providers` entry's `service_account` (and `namespace`)",
            form: "<name>",
            pattern: Some("set `assume_role_condition_test = \"StringLike\"` on the module call"),
        })
    } else if model == assumable_oidc_v5::MODEL
        || model == assumable_oidc_v5::MODEL_BEFORE_AUDIENCES
    {
        Some(SubjectInputs {
            subjects: "`oidc_fully_qualified_subjects`",
            form: "system:serviceaccount:<namespace>:<name>",
            pattern: Some("list it in `oidc_subjects_with_wildcards` instead"),
        })
    } else {
        None
    }
}

/// The release a call asks for, as written (its `version` constraint, else its source's
/// `?ref=`), unless it is exactly the release `model` follows (`5.60.0`, `v5.60.0`, `=
/// 5.60.0` for `… v5.60.0`): a finding that cites the model then names the user's pin too.
pub(crate) fn pinned_release(call: &ModuleCall<'_>, model: &str) -> Option<String> {
    let written = call
        .version
        .or_else(|| call.source.split_once("?ref=").map(|(_, r)| r))?
        .trim();
    let bare = |v: &str| v.trim_start_matches(['=', ' ', 'v']).to_string();
    let followed = model
        .split_whitespace()
        .find(|t| t.starts_with('v') && t[1..].starts_with(|c: char| c.is_ascii_digit()))
        .map(bare);
    (!written.is_empty() && followed != Some(bare(written))).then(|| written.to_string())
}

/// Whether the call's `version` (or git `?ref=`) can only select a release before
/// `major.minor`: for (4, 3), `3.6.0`, `= 4.2.0`, `~> 3.0` (any 3.x), `~> 4.2.0` (any
/// 4.2.x). `~> 4.2` (any 4.x from 4.2), a lower bound or a range may select a newer one,
/// and no version selects the newest.
pub(crate) fn pins_before(call: &ModuleCall<'_>, (req_major, req_minor): (u64, u64)) -> bool {
    let pinned = |v: &str| {
        let v = v.trim();
        if v.starts_with(['>', '<', '!']) || v.contains(',') {
            return false;
        }
        let pessimistic = v.starts_with("~>");
        let v = v.trim_start_matches(['~', '>', '=', ' ', 'v']);
        let parts: Vec<u64> = v.split('.').map_while(|p| p.parse().ok()).collect();
        match (pessimistic, parts.as_slice()) {
            // `~> 3.0` or `~> 3`: any release of that major.
            (true, [major] | [major, _]) => *major < req_major,
            // `~> 4.2.0`: any patch of that minor; `4.2.0`, `= 4.2`: that release.
            (_, [major, minor, ..]) => (*major, *minor) < (req_major, req_minor),
            // `4`: exactly 4.0.0.
            (false, [major]) => (*major, 0) < (req_major, req_minor),
            _ => false,
        }
    };
    let by_ref = call
        .source
        .split_once("?ref=")
        .is_some_and(|(_, r)| pinned(r));
    by_ref || call.version.is_some_and(pinned)
}

// ---- helpers shared by the module models ----

/// Whether a node stands for a value that cannot be known.
pub fn is_unknown(n: &Node) -> bool {
    n.tag.as_deref() == Some(UNKNOWN_TAG)
}

pub(crate) use crate::source::node::{entry, map, seq, str_node};

pub(crate) fn unknown(what: impl Into<String>, span: Span) -> Node {
    let mut n = str_node(what, span);
    n.tag = UNKNOWN_TAG.into();
    n
}

/// An argument of the call, unless it is `null` (Terraform then uses the default).
pub(crate) fn arg<'a>(call: &ModuleCall<'a>, name: &str) -> Option<&'a Node> {
    call.args.get(name).filter(|n| !n.is_null())
}

/// A boolean input: `Some(value)` when known (the default when not given), `None` when
/// only apply will know.
pub(crate) fn flag(call: &ModuleCall<'_>, name: &str, default: bool) -> Option<bool> {
    match arg(call, name) {
        None => Some(default),
        Some(n) if is_unknown(n) => None,
        Some(n) => n.as_bool().or_else(|| match n.as_str() {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        }),
    }
}

/// Whether a gate of the module's resources (`create`, `create_role`: the module's
/// `count = var.create ? 1 : 0`) may let them be created: unless it is known to be `false`.
/// A gate only apply will know is read as "maybe created", as the HCL reader reads a
/// resource whose `count` is unknown (it keeps one template of the resource): what is wrong
/// with the role it would create is wrong with the configuration, whichever way apply
/// decides, so findings about it are reported as about any other resource.
pub(crate) fn may_create(call: &ModuleCall<'_>, name: &str, default: bool) -> bool {
    flag(call, name, default) != Some(false)
}

/// A string input as a node: the user's when given, else `default` at the module block.
pub(crate) fn string_or(call: &ModuleCall<'_>, name: &str, default: Option<&str>) -> Node {
    match arg(call, name) {
        Some(n) => n.clone(),
        None => match default {
            Some(d) => str_node(d, call.anchor),
            None => Node::new(Value::Null, call.anchor),
        },
    }
}

/// The issuer part of a provider ARN as the modules compute it
/// (`replace(provider_arn, "/^(.*provider/)/", "")`: everything after the last
/// `provider/`), or an unknown node when the ARN is unknown.
pub(crate) fn issuer_key(provider_arn: &Node, claim: &str) -> Node {
    match provider_arn.as_str().filter(|_| !is_unknown(provider_arn)) {
        Some(arn) => {
            let issuer = match arn.rfind("provider/") {
                Some(i) => &arn[i + "provider/".len()..],
                None => arn,
            };
            str_node(format!("{issuer}:{claim}"), provider_arn.span)
        }
        // The issuer is unknown, the claim is not: a `!Sub` template (`${issuer}:sub`), so
        // that the rules still see which claim the condition is on.
        None => {
            let name = provider_arn
                .as_str()
                .unwrap_or("the OIDC provider's issuer")
                .replace('}', "");
            let mut n = str_node(format!("${{{name}}}:{claim}"), provider_arn.span);
            n.tag = "!Sub".into();
            n
        }
    }
}

/// One condition of a statement: operator node, key node, values.
pub(crate) struct Cond {
    pub test: Node,
    pub key: Node,
    pub values: Vec<Node>,
}

/// The conditions of a module input written as the provider's `condition` blocks: a list
/// of `{test, variable, values}` objects (an incomplete one is not a condition).
pub(crate) fn conditions_of(list: Option<&Node>) -> Vec<Cond> {
    list.map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|c| {
            Some(Cond {
                test: c.get("test")?.clone(),
                key: c.get("variable")?.clone(),
                values: c.get("values")?.items().to_vec(),
            })
        })
        .collect()
}

/// The `Condition` element `aws_iam_policy_document` writes for `conds`: conditions with
/// the same operator share one block.
pub(crate) fn condition(conds: Vec<Cond>, span: Span) -> Node {
    let mut blocks: Vec<Entry> = Vec::new();
    for c in conds {
        let values = if c.values.len() == 1 {
            c.values
                .into_iter()
                .next()
                .unwrap_or_else(|| str_node("", span))
        } else {
            seq(c.values, c.key.span)
        };
        let same = blocks.iter_mut().find(|b| {
            !is_unknown(&b.key) && !is_unknown(&c.test) && b.key.as_str() == c.test.as_str()
        });
        let kv = Entry {
            key: c.key,
            value: values,
        };
        match same {
            Some(b) => {
                if let Value::Map(m) = &mut b.value.value {
                    crate::source::node::extend(m, [kv]);
                }
            }
            None => blocks.push(Entry {
                key: c.test.clone(),
                value: map(vec![kv], c.test.span),
            }),
        }
    }
    map(blocks, span)
}

/// A web-identity statement for one OIDC provider, as the modules write it.
pub(crate) fn web_identity_statement(
    provider_arn: &Node,
    actions: &[&str],
    conds: Vec<Cond>,
    span: Span,
) -> Node {
    let actions = actions.iter().map(|a| str_node(*a, span)).collect();
    let mut entries = vec![
        entry("Effect", str_node("Allow", span)),
        entry("Action", seq(actions, span)),
        entry(
            "Principal",
            map(
                vec![entry("Federated", provider_arn.clone())],
                provider_arn.span,
            ),
        ),
    ];
    if !conds.is_empty() {
        entries.push(entry("Condition", condition(conds, span)));
    }
    map(entries, span)
}

/// The trust statement `allow_self_assume_role` adds: the role may assume itself. Its ARN
/// has the partition and account the module reads from data sources; the role is matched by
/// its path and name, by its path and name prefix with `*` after it, or any role (`*`) when
/// neither is known. `None` unless the call sets `allow_self_assume_role = true`.
pub(crate) fn self_assume_statement(
    call: &ModuleCall<'_>,
    (name, prefix): (&Node, &Node),
    path: &Node,
) -> Option<Node> {
    if flag(call, "allow_self_assume_role", false) != Some(true) {
        return None;
    }
    let role = match (name.as_str(), prefix.as_str()) {
        (Some(n), _) => n.to_string(),
        (None, Some(p)) => format!("{p}*"),
        _ => "*".into(),
    };
    let path = path.as_str().unwrap_or("/");
    let at = arg(call, "allow_self_assume_role").map_or(call.anchor, |n| n.span);
    let value = unknown(
        format!("arn:${{partition}}:iam::${{account_id}}:role{path}{role}"),
        at,
    );
    Some(map(
        vec![
            entry("Sid", str_node("ExplicitSelfRoleAssumption", at)),
            entry("Effect", str_node("Allow", at)),
            entry("Action", seq(vec![str_node("sts:AssumeRole", at)], at)),
            entry("Principal", map(vec![entry("AWS", str_node("*", at))], at)),
            entry(
                "Condition",
                map(
                    vec![entry(
                        "ArnLike",
                        map(vec![entry("aws:PrincipalArn", value)], at),
                    )],
                    at,
                ),
            ),
        ],
        at,
    ))
}

/// A policy document node.
pub(crate) fn document(statements: Vec<Node>, span: Span) -> Node {
    map(
        vec![
            entry("Version", str_node("2012-10-17", span)),
            entry("Statement", seq(statements, span)),
        ],
        span,
    )
}

/// A generated resource of `call`.
pub(crate) fn resource(
    call: &ModuleCall<'_>,
    model: &str,
    kind: &str,
    name: &str,
    index: &str,
    body: Vec<Entry>,
) -> Resource {
    Resource {
        mode: Mode::Managed,
        kind: kind.to_string(),
        name: name.to_string(),
        address: format!("{}.{kind}.{name}{index}", call.address),
        module: call.address.to_string(),
        origin: Origin::Module {
            model: model.to_string(),
        },
        file: call.file,
        anchor: call.anchor,
        call: call.call,
        body: map(body, call.anchor),
    }
}

/// The `aws_iam_role.this[0]` every modelled module creates, with its name or name prefix,
/// path, trust policy and the permissions boundary given by the input `boundary` (its name
/// differs between the modules).
pub(crate) fn role_resource(
    call: &ModuleCall<'_>,
    model: &str,
    names: (Node, Node),
    path: Node,
    trust: Node,
    boundary: &str,
) -> Resource {
    named_role_resource(call, model, "this", names, path, trust, boundary)
}

/// [`role_resource`] for a module whose role is `aws_iam_role.<res>[0]` (terraform-aws-eks
/// `modules/karpenter`'s `irsa`/`controller`).
pub(crate) fn named_role_resource(
    call: &ModuleCall<'_>,
    model: &str,
    res: &str,
    (name, prefix): (Node, Node),
    path: Node,
    trust: Node,
    boundary: &str,
) -> Resource {
    resource(
        call,
        model,
        "aws_iam_role",
        res,
        "[0]",
        vec![
            entry("name", name),
            entry("name_prefix", prefix),
            entry("path", path),
            entry("assume_role_policy", trust),
            entry("permissions_boundary", string_or(call, boundary, None)),
        ],
    )
}

/// The role's `name` and `name_prefix` when the module takes a name and a switch `use_prefix`
/// (default true) that makes it the prefix `<name>-` (aws-ia `eks-blueprints-addon`'s
/// `role_name_use_prefix`, v6 `iam-role-for-service-accounts`'s `use_name_prefix`): one of
/// the two is null; an unknown switch leaves the name unknown.
pub(crate) fn name_or_prefix(call: &ModuleCall<'_>, base: Node, use_prefix: &str) -> (Node, Node) {
    let null = || Node::new(Value::Null, call.anchor);
    match flag(call, use_prefix, true) {
        Some(false) => (base, null()),
        Some(true) => {
            let prefix = match base.as_str().filter(|_| !is_unknown(&base)) {
                Some(n) => str_node(format!("{n}-"), base.span),
                None => unknown(format!("{}-", base.as_str().unwrap_or("")), base.span),
            };
            (null(), prefix)
        }
        None => (
            unknown(
                format!("{}.aws_iam_role.this[0].name", call.address),
                call.anchor,
            ),
            null(),
        ),
    }
}

/// The role's name as the attachments reference it: known when the name is.
pub(crate) fn role_name_ref(call: &ModuleCall<'_>, name: &Node) -> Node {
    if name.as_str().is_some() && !is_unknown(name) {
        name.clone()
    } else {
        unknown(
            format!("{}.aws_iam_role.this[0].name", call.address),
            call.anchor,
        )
    }
}

/// The statement the IRSA modules write for one `oidc_providers` entry: web identity for
/// `provider_arn`, `test` on its `sub` (`subjects`) and on its `aud` (`sts.amazonaws.com`,
/// placed at the entry's key `at`).
pub(crate) fn sub_and_aud_statement(
    provider_arn: &Node,
    test: &Node,
    subjects: Vec<Node>,
    at: Span,
) -> Node {
    let conds = vec![
        Cond {
            test: test.clone(),
            key: issuer_key(provider_arn, "sub"),
            values: subjects,
        },
        Cond {
            test: test.clone(),
            key: issuer_key(provider_arn, "aud"),
            values: vec![str_node("sts.amazonaws.com", at)],
        },
    ];
    web_identity_statement(provider_arn, &["sts:AssumeRoleWithWebIdentity"], conds, at)
}

/// The statements the terraform-aws-iam IRSA modules (v5 `-eks` and v6) write for their
/// `oidc_providers` map: one per entry with both `provider_arn` and
/// `namespace_service_accounts` (Terraform stops with an error on an entry without them).
pub(crate) fn namespace_service_account_statements(
    providers: Option<&Node>,
    test: &Node,
) -> Vec<Node> {
    let mut out = Vec::new();
    for e in providers.map(|p| p.entries()).unwrap_or(&[]) {
        let (Some(arn), Some(sas)) = (
            e.value.get("provider_arn"),
            e.value.get("namespace_service_accounts"),
        ) else {
            continue;
        };
        out.push(sub_and_aud_statement(arn, test, subjects(sas), e.key.span));
    }
    out
}

/// `aws_iam_role_policy_attachment.this[0]`: the module's own policy (created beside it as
/// `aws_iam_policy.this[0]`, ARN known only at apply time) attached to its role.
pub(crate) fn own_policy_attachment(
    call: &ModuleCall<'_>,
    model: &str,
    role_name: &Node,
) -> Resource {
    resource(
        call,
        model,
        "aws_iam_role_policy_attachment",
        "this",
        "[0]",
        vec![
            entry("role", role_name_ref(call, role_name)),
            entry(
                "policy_arn",
                unknown(
                    format!("{}.aws_iam_policy.this[0].arn", call.address),
                    call.anchor,
                ),
            ),
        ],
    )
}

/// `aws_iam_role_policy_attachment.<res>[key]` for every entry of a map input (or every
/// element of a list input, indexed by position).
pub(crate) fn attachments(
    call: &ModuleCall<'_>,
    model: &str,
    input: &str,
    res: &str,
    role: &Node,
) -> Vec<Resource> {
    let Some(n) = arg(call, input) else {
        return Vec::new();
    };
    let pairs: Vec<(String, &Node)> = match &n.value {
        Value::Map(m) => m
            .iter()
            .map(|e| (format!("[\"{}\"]", e.key.as_str().unwrap_or("")), &e.value))
            .collect(),
        Value::Seq(s) => s
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("[{i}]"), v))
            .collect(),
        _ => Vec::new(),
    };
    pairs
        .into_iter()
        .map(|(index, arn)| {
            resource(
                call,
                model,
                "aws_iam_role_policy_attachment",
                res,
                &index,
                vec![
                    entry("role", role_name_ref(call, role)),
                    entry("policy_arn", arn.clone()),
                ],
            )
        })
        .collect()
}

/// Keys of an `oidc_providers` entry the module does not read.
fn ignored_keys(
    provider_key: &str,
    provider: &Node,
    known: &[&str],
    model: &str,
) -> Vec<IgnoredInput> {
    provider
        .entries()
        .iter()
        .filter_map(|e| {
            let k = e.key.as_str()?;
            (!known.contains(&k)).then(|| {
                let input = format!("oidc_providers.{provider_key}.{k}");
                IgnoredInput::new(e.key.span, input, known, model)
            })
        })
        .collect()
}

/// The `sub` values of `namespace:name` strings: `system:serviceaccount:<ns>:<name>`,
/// pointing at each element.
pub(crate) fn subjects(list: &Node) -> Vec<Node> {
    list.items()
        .iter()
        .map(|sa| match sa.as_str().filter(|_| !is_unknown(sa)) {
            Some(s) => str_node(format!("system:serviceaccount:{s}"), sa.span),
            None => unknown(
                format!(
                    "system:serviceaccount:{}",
                    sa.as_str().unwrap_or("<unknown>")
                ),
                sa.span,
            ),
        })
        .collect()
}

/// The marker of a policy the module writes itself in a generated `aws_iam_policy`'s body
/// (a colon keeps it apart from every Terraform attribute name).
pub const PRODUCER_OWNED: &str = "irsalint:producer_owned";

/// The marker of a generated policy whose switch only apply knows: it may be created.
pub const MAYBE: &str = "irsalint:maybe";

/// A statement written in `aws_iam_policy_document`'s shape (`sid`, `effect`, `actions`,
/// `resources`, `principals = [{type, identifiers}]`, conditions as `[{test, variable,
/// values}]` under `cond_key`) as an IAM JSON statement whose nodes are the user's.
pub(crate) fn iam_statement(st: &Node, sid: Option<&Node>, cond_key: &str) -> Node {
    let at = st.span;
    let mut e = Vec::new();
    if let Some(s) = st.get("sid").filter(|n| !n.is_null()).or(sid) {
        e.push(entry("Sid", s.clone()));
    }
    e.push(entry(
        "Effect",
        st.get("effect")
            .filter(|n| !n.is_null())
            .cloned()
            .unwrap_or_else(|| str_node("Allow", at)),
    ));
    for (tf, iam) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = st.get(tf).filter(|n| !n.is_null()) {
            e.push(entry(iam, v.clone()));
        }
    }
    for (tf, iam) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let items = st.get(tf).map(Node::items).unwrap_or(&[]);
        if items.is_empty() {
            continue;
        }
        let entries = items
            .iter()
            .filter_map(|p| {
                Some(Entry {
                    key: p.get("type")?.clone(),
                    value: p.get("identifiers")?.clone(),
                })
            })
            .collect();
        e.push(entry(iam, map(entries, at)));
    }
    let conds = conditions_of(st.get(cond_key));
    if !conds.is_empty() {
        e.push(entry("Condition", condition(conds, at)));
    }
    map(e, at)
}

/// The body of a policy the module writes itself for `switch`: its `policy` unknown (named
/// by the model and the switch), marked [`PRODUCER_OWNED`], and [`MAYBE`] when `maybe` (it
/// may not be created), all at `at`.
pub(crate) fn owned_policy_body(model: &str, switch: &str, at: Span, maybe: bool) -> Vec<Entry> {
    let mut owned = Node::new(Value::Bool(true), at);
    owned.tag = crate::source::node::Tag::NONE;
    let mut body = vec![
        entry(
            "policy",
            unknown(format!("the policy {model} writes for `{switch}`"), at),
        ),
        entry(PRODUCER_OWNED, owned.clone()),
    ];
    if maybe {
        body.push(entry(MAYBE, owned));
    }
    body
}

/// The module's own policy for an `attach_*_policy` switch: its content is the module's
/// (not modelled: unknown), its attachment to the role.
pub(crate) fn owned_policy(
    call: &ModuleCall<'_>,
    model: &str,
    res: &str,
    switch: &str,
    role: &Node,
) -> Vec<Resource> {
    let at = arg(call, switch).map_or(call.anchor, |n| n.span);
    // A switch only apply knows: the policy may be attached (see `may_create`).
    let body = owned_policy_body(model, switch, at, flag(call, switch, false).is_none());
    vec![
        resource(call, model, "aws_iam_policy", res, "[0]", body),
        resource(
            call,
            model,
            "aws_iam_role_policy_attachment",
            res,
            "[0]",
            vec![
                entry("role", role_name_ref(call, role)),
                entry(
                    "policy_arn",
                    unknown(format!("{}.aws_iam_policy.{res}[0].arn", call.address), at),
                ),
            ],
        ),
    ]
}

/// The document a module's `data "aws_iam_policy_document" "<data>"` renders from the inputs
/// `source_policy_documents`, `policy_statements` and `override_policy_documents` (the
/// provider's merge: the sources' statements, then the statements, then the overrides', a
/// statement with the non-empty Sid of an earlier one replacing it; eks-pod-identity's
/// `base`, eks-blueprints-addon's `this`). `None` when the user gave it no statement; an
/// unknown node when a part of it cannot be known (a document only apply renders, whose
/// Sids might replace the statements seen).
pub(crate) fn merged_document(call: &ModuleCall<'_>, data: &str, cond_key: &str) -> Option<Node> {
    let sources = arg(call, "source_policy_documents");
    let statements = arg(call, "policy_statements");
    let overrides = arg(call, "override_policy_documents");
    let given = [sources, statements, overrides]
        .into_iter()
        .flatten()
        .filter(|n| is_unknown(n) || !n.items().is_empty())
        .collect::<Vec<_>>();
    let first = *given.first()?;
    let dont_know = || {
        Some(unknown(
            format!(
                "{}.data.aws_iam_policy_document.{data}[0].json",
                call.address
            ),
            first.span,
        ))
    };
    let mut out: Vec<Node> = Vec::new();
    for docs in [sources, overrides] {
        if docs.is_some_and(is_unknown) {
            return dont_know();
        }
    }
    for d in sources.map(Node::items).unwrap_or(&[]) {
        let Some(doc) = decoded(d) else {
            return dont_know();
        };
        out.extend(doc.get("Statement").map(statement_list).unwrap_or_default());
    }
    match statements {
        Some(s) if is_unknown(s) => return dont_know(),
        Some(s) => {
            for st in s.items() {
                merge(&mut out, iam_statement(st, None, cond_key));
            }
        }
        None => {}
    }
    for d in overrides.map(Node::items).unwrap_or(&[]) {
        let Some(doc) = decoded(d) else {
            return dont_know();
        };
        for st in doc.get("Statement").map(statement_list).unwrap_or_default() {
            merge(&mut out, st);
        }
    }
    Some(document(out, first.span))
}

/// A policy document given as JSON text or a tree, when all of it is known.
fn decoded(n: &Node) -> Option<Node> {
    if is_unknown(n) {
        return None;
    }
    let doc = crate::terraform::resources::document(n)?;
    (!is_unknown(&doc)).then_some(doc)
}

/// A document's `Statement`: a list, or one statement object.
fn statement_list(n: &Node) -> Vec<Node> {
    match &n.value {
        Value::Seq(s) => s.to_vec(),
        Value::Map(_) => vec![n.clone()],
        _ => Vec::new(),
    }
}

/// Adds `st` to `out`, replacing a statement with the same (non-empty) Sid, as
/// `aws_iam_policy_document` does for its own statements over its sources and for
/// override documents over everything.
fn merge(out: &mut Vec<Node>, st: Node) {
    let sid = st
        .get("Sid")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(sid) = sid {
        if let Some(slot) = out
            .iter_mut()
            .find(|o| o.get("Sid").and_then(Node::as_str) == Some(sid.as_str()))
        {
            *slot = st;
            return;
        }
    }
    out.push(st);
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::source::{yaml, Limits};

    /// Module arguments written as YAML (spans into `text`, file 0); `!Unknown "..."`
    /// stands for a value only apply knows.
    pub fn args(text: &str) -> Node {
        let lines = crate::source::file::LineIndex::new(text);
        let loaded = yaml::load_yaml(0, text, &lines, &Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        loaded.documents.into_iter().next().unwrap().root
    }

    pub fn call<'a>(source: &'a str, args: &'a Node) -> ModuleCall<'a> {
        ModuleCall {
            address: "module.irsa",
            source,
            version: None,
            args,
            file: 0,
            anchor: Span::new(0, 0, 0),
            call: None,
        }
    }

    /// The expansion of a call at `address` of the module `source` with the arguments
    /// `text` ([`args`]).
    pub fn expand_call(address: &str, source: &str, text: &str) -> Expansion {
        let a = args(text);
        expand(&ModuleCall {
            address,
            ..call(source, &a)
        })
        .expect("a modelled module")
    }

    /// The addresses of the resources an expansion generates.
    pub fn addresses(e: &Expansion) -> Vec<&str> {
        e.resources.iter().map(|r| r.address.as_str()).collect()
    }

    /// The body of the generated resource at `address`.
    pub fn body<'e>(e: &'e Expansion, address: &str) -> &'e Node {
        &e.resources
            .iter()
            .find(|r| r.address == address)
            .unwrap_or_else(|| panic!("no {address} in {:?}", addresses(e)))
            .body
    }

    /// `line:col` (1-based) of a span in `text`.
    pub fn at(text: &str, span: Span) -> String {
        let lines = crate::source::file::LineIndex::new(text);
        let (l, c) = lines.line_col(text, span.start as usize);
        format!("{l}:{c}")
    }

    /// The role's trust document.
    pub fn trust(e: &Expansion) -> &Node {
        e.resources
            .iter()
            .find(|r| r.kind == "aws_iam_role")
            .and_then(|r| r.body.get("assume_role_policy"))
            .expect("a role with a trust")
    }

    /// `(operator, key, value, line:col of the value)` of every condition of statement `i`.
    pub fn conditions(text: &str, trust: &Node, i: usize) -> Vec<(String, String, String, String)> {
        let st = &trust.get("Statement").unwrap().items()[i];
        let mut out = Vec::new();
        for b in st.get("Condition").map(Node::entries).unwrap_or(&[]) {
            for k in b.value.entries() {
                for v in k.value.items() {
                    out.push((
                        b.key.as_str().unwrap_or("").to_string(),
                        k.key.as_str().unwrap_or("").to_string(),
                        v.as_str().unwrap_or("").to_string(),
                        at(text, v.span),
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The provider input each model writes its web-identity statements from; the models
    /// whose trust always has one (or none: Pod Identity, iam-eks-role's cluster map) name none.
    #[test]
    fn provider_inputs_are_the_models_own() {
        let urls = Some("`provider_url` / `provider_urls`");
        let map = Some("`oidc_providers` (each entry's `provider_arn`)");
        assert_eq!(provider_input(assumable_oidc_v5::MODEL), urls);
        assert_eq!(
            provider_input(assumable_oidc_v5::MODEL_BEFORE_AUDIENCES),
            urls
        );
        assert_eq!(provider_input(irsa_eks_v5::MODEL), map);
        assert_eq!(provider_input(irsa_v6::MODEL), map);
        assert_eq!(provider_input(blueprints_addon::MODEL), map);
        for other in [
            blueprints_irsa_v4::MODEL,
            iam_eks_role_v5::MODEL,
            eks_addons::MODEL,
            "",
        ] {
            assert_eq!(provider_input(other), None, "{other}");
        }
    }

    /// The user's pin is named beside the release modelled unless it is that release.
    #[test]
    fn pinned_release_differs_from_the_model_only_when_written_otherwise() {
        let args = test_support::args("{}");
        let model =
            "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks v5.60.0";
        let pinned = |source: &str, version: Option<&str>| {
            let mut c = test_support::call(source, &args);
            c.version = version;
            pinned_release(&c, model)
        };
        let registry = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks";
        assert_eq!(pinned(registry, Some("5.34.0")), Some("5.34.0".into()));
        assert_eq!(pinned(registry, Some("~> 5.60")), Some("~> 5.60".into()));
        for same in ["5.60.0", "v5.60.0", "= 5.60.0", " 5.60.0 "] {
            assert_eq!(pinned(registry, Some(same)), None, "{same}");
        }
        // Nothing asked for: the newest, which the model names.
        assert_eq!(pinned(registry, None), None);
        assert_eq!(pinned(registry, Some("")), None);
        // A git source's `?ref=` when there is no `version`.
        let git = "git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-role-for-service-accounts-eks?ref=v5.30.0";
        assert_eq!(pinned(git, None), Some("v5.30.0".into()));
        assert_eq!(pinned(git, Some("5.60.0")), None);
        let git_same = "git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-role-for-service-accounts-eks?ref=v5.60.0";
        assert_eq!(pinned(git_same, None), None);
        // The release is the first word `v<digit>…`: not an earlier word starting with `v`.
        let c = {
            let mut c = test_support::call(registry, &args);
            c.version = Some("1.2.3");
            c
        };
        assert_eq!(pinned_release(&c, "vendor/vpc-module v1.2.3"), None);
        assert_eq!(
            pinned_release(&c, "vendor/vpc-module v1.3.0"),
            Some("1.2.3".into())
        );
        // A model whose name says more after its version.
        let c = {
            let mut c = test_support::call(registry, &args);
            c.version = Some("4.2.0");
            c
        };
        assert_eq!(
            pinned_release(&c, assumable_oidc_v5::MODEL_BEFORE_AUDIENCES),
            Some("4.2.0".into())
        );
    }

    #[test]
    fn sources_are_recognised_in_registry_and_git_forms() {
        for (s, k) in [
            ("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks", Some(Known::IrsaEksV5)),
            ("git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-role-for-service-accounts-eks?ref=v5.30.0", Some(Known::IrsaEksV5)),
            ("github.com/terraform-aws-modules/terraform-aws-iam//modules/iam-assumable-role-with-oidc", Some(Known::AssumableOidcV5)),
            ("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts", Some(Known::IrsaV6)),
            ("aws-ia/eks-blueprints-addon/aws", Some(Known::BlueprintsAddon)),
            ("git::https://github.com/aws-ia/terraform-aws-eks-blueprints-addon.git?ref=v1.1.1", Some(Known::BlueprintsAddon)),
            ("git::ssh://git@github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-assumable-role-with-oidc/?ref=v5.30.0", Some(Known::AssumableOidcV5)),
            ("github.com/aws-ia/terraform-aws-eks-blueprints-addon.git", Some(Known::BlueprintsAddon)),
            ("terraform-aws-modules/iam/aws//modules/iam-eks-role", Some(Known::IamEksRoleV5)),
            ("registry.opentofu.org/terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks", Some(Known::IrsaEksV5)),
            ("git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-eks-role?ref=v5.46.0", Some(Known::IamEksRoleV5)),
            ("terraform-aws-modules/iam/aws//modules/iam-role", None),
            ("./modules/irsa", None),
            ("aws-ia/eks-blueprints-addons/aws", None),
        ] {
            assert_eq!(known(s), k, "{s}");
        }
    }

    /// A gate only apply knows is "maybe created": the module's role is generated, as for a
    /// gate known `true`; a gate known `false` generates nothing. Each module and each of
    /// its gates (`create` and `create_role` for the add-on module, whose `create_role`
    /// defaults to `false`).
    #[test]
    fn an_unknown_create_gate_generates_the_role() {
        let arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
        let providers =
            format!("oidc_providers:\n  main:\n    provider_arn: {arn}\n    namespace_service_accounts: [\"a:b\"]\n");
        let addon = format!("oidc_providers:\n  main:\n    provider_arn: {arn}\n    service_account: b\n    namespace: a\n");
        let oidc = "provider_url: oidc.eks.eu-west-1.amazonaws.com/id/ABC\noidc_fully_qualified_subjects: [\"system:serviceaccount:a:b\"]\n".to_string();
        let pod = "name: x\nassociations:\n  a:\n    cluster_name: c\n    namespace: a\n    service_account: b\n".to_string();
        let cases: [(&str, &str, &str, &String); 6] = [
            (
                "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks",
                "create_role",
                "",
                &providers,
            ),
            (
                "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts",
                "create",
                "",
                &providers,
            ),
            (
                "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc",
                "create_role",
                "",
                &oidc,
            ),
            (
                "aws-ia/eks-blueprints-addon/aws",
                "create",
                "create_role: true\n",
                &addon,
            ),
            ("aws-ia/eks-blueprints-addon/aws", "create_role", "", &addon),
            (
                "terraform-aws-modules/eks-pod-identity/aws",
                "create",
                "",
                &pod,
            ),
        ];
        for (source, gate, other, rest) in cases {
            let roles = |value: &str| {
                let text = format!("{gate}: {value}\n{other}{rest}");
                let a = test_support::args(&text);
                let e = expand(&test_support::call(source, &a)).unwrap();
                e.resources
                    .iter()
                    .filter(|r| r.kind == "aws_iam_role")
                    .map(|r| r.address.clone())
                    .collect::<Vec<_>>()
            };
            let known = roles("true");
            assert_eq!(
                known,
                ["module.irsa.aws_iam_role.this[0]"],
                "{source} {gate}"
            );
            assert_eq!(roles("!Unknown var.create"), known, "{source} {gate}");
            assert!(roles("false").is_empty(), "{source} {gate}");
        }
    }

    /// A policy switch only apply knows (`create_policy`, `attach_custom_policy`, an
    /// `attach_*_policy`) is "maybe created", as a gate is: the policy and its attachment
    /// are generated as for `true`, the user's statements in it as written (so the perm
    /// rules read them), and a policy of the module's own is marked as maybe attached; a
    /// switch known `false` generates nothing. Each module's switches.
    #[test]
    fn an_unknown_policy_switch_may_create_the_policy() {
        let statements = "policy_statements:\n  - actions: [\"s3:*\"]\n    resources: [\"*\"]\n";
        let v6_permissions =
            "permissions:\n  s3:\n    actions: [\"s3:*\"]\n    resources: [\"*\"]\n";
        // (source, switch, the other inputs, the policy's address, the user's statements are
        // in it)
        let cases: [(&str, &str, &str, &str, bool); 6] = [
            (
                "aws-ia/eks-blueprints-addon/aws",
                "create_policy",
                statements,
                "module.irsa.aws_iam_policy.this[0]",
                true,
            ),
            (
                "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts",
                "create_policy",
                v6_permissions,
                "module.irsa.aws_iam_policy.this[0]",
                true,
            ),
            (
                "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts",
                "attach_external_dns_policy",
                "",
                "module.irsa.aws_iam_policy.this[0]",
                false,
            ),
            (
                "terraform-aws-modules/eks-pod-identity/aws",
                "attach_custom_policy",
                statements,
                "module.irsa.aws_iam_policy.custom[0]",
                true,
            ),
            (
                "terraform-aws-modules/eks-pod-identity/aws",
                "attach_aws_ebs_csi_policy",
                "",
                "module.irsa.aws_iam_policy.ebs_csi[0]",
                false,
            ),
            (
                "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks",
                "attach_ebs_csi_policy",
                "",
                "module.irsa.aws_iam_policy.ebs_csi[0]",
                false,
            ),
        ];
        for (source, switch, rest, address, users) in cases {
            // The gate of the role: on (the blueprints add-on's `create_role` defaults to
            // `false`).
            let gate = match source.starts_with("aws-ia") {
                true => "create_role: true\n",
                false => "",
            };
            let expand_with = |value: &str| {
                let text = format!("{gate}{switch}: {value}\n{rest}");
                let a = test_support::args(&text);
                expand(&test_support::call(source, &a)).unwrap().resources
            };
            let policy = |resources: &[Resource]| {
                let p = resources
                    .iter()
                    .find(|r| r.kind == "aws_iam_policy" && r.address == address)
                    .cloned();
                let attached = resources.iter().any(|r| {
                    r.kind == "aws_iam_role_policy_attachment"
                        && r.body
                            .get("policy_arn")
                            .and_then(Node::as_str)
                            .is_some_and(|a| a == format!("{address}.arn"))
                });
                (p, attached)
            };
            let (known, known_attached) = policy(&expand_with("true"));
            let known = known.unwrap_or_else(|| panic!("{source} {switch}: no policy"));
            assert!(known_attached, "{source} {switch}");
            let (maybe, maybe_attached) = policy(&expand_with("!Unknown var.switch"));
            let maybe = maybe.unwrap_or_else(|| panic!("{source} {switch}: no maybe policy"));
            assert!(maybe_attached, "{source} {switch}");
            // The user's statements are in it as written; the module's own is marked.
            let doc = maybe.body.get("policy").unwrap();
            let statements = doc.get("Statement").map_or(&[][..], Node::items);
            let user_action = statements
                .iter()
                .any(|st| st.get("Action").unwrap().items()[0].as_str() == Some("s3:*"));
            assert_eq!(user_action, users, "{source} {switch}");
            assert_eq!(
                is_producer_owned(&maybe),
                is_producer_owned(&known),
                "{source} {switch}"
            );
            assert!(known.body.get(MAYBE).is_none(), "{source} {switch}");
            if is_producer_owned(&maybe) {
                assert!(maybe.body.get(MAYBE).is_some(), "{source} {switch}");
                let p = producer_policies(&expand_with("!Unknown var.switch"));
                assert!(p.len() == 1 && p[0].maybe, "{source} {switch}");
                let p = producer_policies(&expand_with("true"));
                assert!(p.len() == 1 && !p[0].maybe, "{source} {switch}");
            }
            let (none, _) = policy(&expand_with("false"));
            assert!(none.is_none(), "{source} {switch}");
        }
    }

    #[test]
    fn a_name_becomes_a_known_prefix_only_when_it_is_known() {
        let text = "known: app\nlater: !Unknown var.name\nuse_prefix: true\nno_prefix: false\n";
        let a = test_support::args(text);
        let c = test_support::call("x", &a);
        let base = |k: &str| a.get(k).unwrap().clone();
        let (name, prefix) = name_or_prefix(&c, base("known"), "use_prefix");
        assert_eq!(name.value, Value::Null);
        assert_eq!(prefix.as_str(), Some("app-"));
        assert!(!is_unknown(&prefix));
        let (_, prefix) = name_or_prefix(&c, base("later"), "use_prefix");
        assert_eq!(prefix.as_str(), Some("var.name-"));
        assert!(is_unknown(&prefix));
        let (name, prefix) = name_or_prefix(&c, base("known"), "no_prefix");
        assert_eq!((name.as_str(), &prefix.value), (Some("app"), &Value::Null));
        // The default is a prefix.
        let (_, prefix) = name_or_prefix(&c, base("known"), "missing");
        assert_eq!(prefix.as_str(), Some("app-"));
    }

    #[test]
    fn module_blocks_among_resources_are_expanded() {
        let text = "source: aws-ia/eks-blueprints-addon/aws\nversion: \"~> 1.1\"\ncreate_role: true\noidc_providers:\n  this:\n    provider_arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC\n    service_account: dns\n    namespaces: dns\n";
        let body = test_support::args(text);
        let module = |source_body: Node, address: &str| Resource {
            mode: Mode::Managed,
            kind: "module".into(),
            name: "dns".into(),
            address: address.into(),
            module: String::new(),
            origin: Origin::Configuration,
            file: 0,
            anchor: Span::new(0, 0, 0),
            call: None,
            body: source_body,
        };
        let local = test_support::args("source: ./modules/dns\n");
        let (generated, ignored) =
            expand_all(&[module(body, "module.dns"), module(local, "module.local")]);
        let addrs: Vec<_> = generated.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "module.dns.aws_iam_role.this[0]",
                "module.dns.helm_release.this[0]"
            ]
        );
        assert_eq!(ignored.len(), 1);
        assert_eq!(ignored[0].input, "oidc_providers.this.namespaces");
    }

    #[test]
    fn outputs_name_the_generated_role() {
        let v5 = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks";
        assert_eq!(
            output_reference(v5, "module.ebs", "iam_role_arn"),
            Some(("module.ebs.aws_iam_role.this[0]".into(), "arn"))
        );
        assert_eq!(output_reference(v5, "module.ebs", "arn"), None);
        let v6 = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts";
        assert_eq!(
            output_reference(v6, "module.ebs", "arn"),
            Some(("module.ebs.aws_iam_role.this[0]".into(), "arn"))
        );
        assert_eq!(output_reference(v6, "module.ebs", "iam_role_arn"), None);
        assert_eq!(
            output_reference(
                "aws-ia/eks-blueprints-addon/aws",
                "module.lbc",
                "iam_role_name"
            ),
            Some(("module.lbc.aws_iam_role.this[0]".into(), "name"))
        );
        assert_eq!(
            output_reference("./local", "module.x", "iam_role_arn"),
            None
        );
    }

    #[test]
    fn issuer_keys_drop_everything_up_to_the_last_provider_slash() {
        let arn = str_node(
            "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
            Span::new(0, 3, 9),
        );
        let k = issuer_key(&arn, "sub");
        assert_eq!(
            k.as_str(),
            Some("oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub")
        );
        assert_eq!(k.span, Span::new(0, 3, 9));
        let u = issuer_key(
            &unknown("module.eks.oidc_provider_arn", Span::new(0, 1, 2)),
            "aud",
        );
        // The issuer is unknown, the claim known: a `!Sub` template.
        assert_eq!(u.tag.as_deref(), Some("!Sub"));
        assert_eq!(u.as_str(), Some("${module.eks.oidc_provider_arn}:aud"));
    }

    /// Two roots calling one module under one address (every Terragrunt unit is
    /// `module.terragrunt`: bee7ch7/eks-setups@58c28e96's iam/lb and iam/external-dns units):
    /// each module-written policy belongs to the role of its own root, not to the first role
    /// of that address.
    #[test]
    fn producer_policies_belong_to_the_role_of_their_own_root() {
        let source = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks";
        let mut resources = Vec::new();
        for (file, text) in [
            (
                3,
                "role_name: lb\nattach_load_balancer_controller_policy: true\n",
            ),
            (7, "role_name: dns\nattach_external_dns_policy: true\n"),
        ] {
            let a = test_support::args(text);
            let mut c = test_support::call(source, &a);
            c.address = "module.terragrunt";
            c.file = file;
            resources.extend(expand(&c).unwrap().resources);
        }
        let mut got: Vec<(String, String, FileId)> = producer_policies(&resources)
            .into_iter()
            .map(|p| (p.switch, p.role, p.root))
            .collect();
        got.sort();
        let role = "module.terragrunt.aws_iam_role.this[0]".to_string();
        assert_eq!(
            got,
            [
                ("attach_external_dns_policy".to_string(), role.clone(), 7),
                (
                    "attach_load_balancer_controller_policy".to_string(),
                    role,
                    3
                ),
            ]
        );
    }

    /// The call a model makes of another module (eks-blueprints v4's add-ons calling
    /// `helm-addon`): its own address, source and arguments, no `version` (the user's
    /// constraint is for the outer module), and the user's block as anchor.
    #[test]
    fn a_nested_call_has_its_own_source_and_no_version() {
        let outer_args = test_support::args("enable_karpenter: true\n");
        let mut outer = test_support::call(
            "aws-ia/eks-blueprints/aws//modules/kubernetes-addons",
            &outer_args,
        );
        outer.version = Some("4.32.1");
        outer.file = 5;
        outer.anchor = Span::new(5, 10, 20);
        let inner_args = test_support::args("{}");
        let inner = outer.nested("module.addons.module.helm", "../helm-addon", &inner_args);
        assert_eq!(inner.address, "module.addons.module.helm");
        assert_eq!(inner.source, "../helm-addon");
        assert_eq!(inner.version, None);
        assert!(std::ptr::eq(inner.args, &inner_args));
        assert_eq!((inner.file, inner.anchor), (5, Span::new(5, 10, 20)));
    }
}
