//! Every input kind of DESIGN.md §1 loads into the typed model, with exact positions.

use std::path::Path;

use irsalint::config::Config;
use irsalint::load::{self, Inputs};
use irsalint::model::role::{PolicyKind, RoleSource};
use irsalint::source::file::Span;
use irsalint::source::Limits;
use irsalint::world::{Origin, World};

fn inputs() -> Inputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/world");
    load::load_paths(
        &[dir.to_string_lossy().into_owned()],
        &dir,
        &Limits::default(),
    )
    .unwrap()
}

/// `file:line:col` and the text of a span.
fn at(inputs: &Inputs, span: Span) -> (String, &str) {
    let f = inputs.sources.get(span.file);
    let (l, c) = f.line_col(span.start as usize);
    (format!("{}:{l}:{c}", f.path), f.slice(span))
}

#[test]
fn loads_every_file_without_problems() {
    let inputs = inputs();
    assert_eq!(inputs.files.len(), 9);
    for f in &inputs.files {
        assert!(
            f.problems.is_empty(),
            "{}: {:?}",
            inputs.sources.get(f.id).path,
            f.problems
        );
    }
}

#[test]
fn kubernetes_objects_lists_namespaces_and_every_pod_template_owner() {
    let inputs = inputs();
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let sa: Vec<_> = w.service_accounts.iter().map(|s| s.subject()).collect();
    assert_eq!(
        sa,
        ["system:serviceaccount:shop:cart"],
        "the List item takes the file's Namespace"
    );
    let pods: Vec<(String, &str)> = w
        .pods
        .iter()
        .map(|p| (p.display(), p.service_account_name()))
        .collect();
    let expected: Vec<(String, &str)> = vec![
        ("StatefulSet shop/db".into(), "cart"),
        ("DaemonSet ops/agent".into(), "default"),
        ("ReplicaSet shop/rs".into(), "default"),
        ("Job shop/job".into(), "default"),
        ("ReplicationController shop/rc".into(), "default"),
        ("CronJob shop/nightly".into(), "cart"),
        ("Pod shop/debug".into(), "default"),
        (
            "Deployment kube-system/pod-identity-webhook".into(),
            "default",
        ),
    ];
    for e in &expected {
        assert!(pods.contains(e), "{e:?} missing from {pods:?}");
    }
    assert_eq!(pods.len(), expected.len());

    let db = w.pods.iter().find(|p| p.owner.name_str() == "db").unwrap();
    assert_eq!(db.containers.len(), 2, "init container included");
    let env = db.containers[1].env_var("AWS_ROLE_ARN").unwrap();
    assert_eq!(
        at(&inputs, env.name_node.span),
        ("workloads.yaml:29:25".into(), "AWS_ROLE_ARN")
    );

    let debug = w
        .pods
        .iter()
        .find(|p| p.owner.name_str() == "debug")
        .unwrap();
    assert!(
        debug.containers.iter().any(|c| c.name_str() == "shell"),
        "ephemeral container included"
    );

    let nightly = w
        .pods
        .iter()
        .find(|p| p.owner.name_str() == "nightly")
        .unwrap();
    let token = &nightly.volumes[0].tokens[0];
    assert_eq!(
        at(&inputs, token.audience.unwrap().span),
        ("workloads.yaml:82:33".into(), "sts.amazonaws.com")
    );
}

#[test]
fn webhook_deployment_flags_configuration_and_configmap() {
    let inputs = inputs();
    let config = Config::default();
    let w = World::build(&inputs, &config);
    assert_eq!(w.webhook_deployments.len(), 1);
    let wh = &w.webhook_deployments[0];
    let prefix = wh.flag("annotation-prefix").unwrap();
    assert_eq!(
        prefix.value.as_deref(),
        Some("iam.example.com"),
        "`--flag value` form"
    );
    assert_eq!(
        wh.flag("token-audience").unwrap().value.as_deref(),
        Some("example-aud")
    );
    assert_eq!(
        wh.flag("watch-config-map").unwrap().value,
        None,
        "bare boolean flag"
    );
    assert_eq!(w.settings.annotation_prefix.value, "iam.example.com");
    assert!(matches!(
        w.settings.annotation_prefix.origin,
        Origin::Flag(_)
    ));
    assert_eq!(w.settings.token_audience.value, "example-aud");

    assert_eq!(w.webhook_configurations.len(), 1);
    let cm = &w.webhook_configmaps[0];
    assert_eq!(cm.entries.len(), 1);
    // JSON inside the `|` block: the key's position is the physical line of webhook.yaml.
    assert_eq!(
        at(&inputs, cm.entries[0].key.span),
        ("webhook.yaml:27:7".into(), "\"shop/cart\"")
    );
}

#[test]
fn secrets_with_aws_config_and_credentials_requests() {
    let inputs = inputs();
    let config = Config::default();
    let w = World::build(&inputs, &config);
    assert_eq!(w.aws_configs.len(), 2);
    let plain = w.aws_configs.iter().find(|c| !c.base64).unwrap();
    let role = plain.ini.sections[0]
        .entries
        .iter()
        .find(|e| e.key == "role_arn")
        .unwrap();
    assert_eq!(role.value, "arn:aws:iam::111122223333:role/shop-operator");
    assert_eq!(
        at(&inputs, role.key_span),
        ("openshift.yaml:8:5".into(), "role_arn")
    );
    let encoded = w.aws_configs.iter().find(|c| c.base64).unwrap();
    let role = &encoded.ini.sections[0].entries[0];
    assert_eq!(role.value, "arn:aws:iam::111122223333:role/encoded");
    assert_eq!(
        at(&inputs, role.value_span).0,
        "openshift.yaml:15:16",
        "base64 data: the value's position"
    );

    let cr = &w.credentials_requests[0];
    assert_eq!(cr.target_namespace(), Some("shop"));
    let names: Vec<_> = cr
        .service_accounts
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert_eq!(names, ["shop-operator", "shop-worker"]);
}

#[test]
fn roles_from_get_role_cloudformation_bare_files_and_crossplane() {
    let inputs = inputs();
    let config = Config::default();
    let w = World::build(&inputs, &config);
    let mut roles: Vec<(String, RoleSource)> = w
        .roles
        .iter()
        .map(|r| (r.name.as_ref().unwrap().value.to_string(), r.source))
        .collect();
    roles.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        roles,
        [
            ("cart".to_string(), RoleSource::GetRole),
            ("cp-role".to_string(), RoleSource::Kubernetes),
            ("shop-operator".to_string(), RoleSource::BareTrust),
            ("worker".to_string(), RoleSource::CloudFormation),
        ]
    );
    let (worker_idx, worker) = w.roles_named("worker").next().unwrap();
    assert_eq!(worker.path.as_ref().unwrap().value, "/apps/");
    let managed = &worker.managed_policy_arns[0];
    assert_eq!(
        managed.value,
        "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"
    );
    assert!(managed.unresolved);

    // The trust policy is a JSON string inside JSON: positions are those of stack.json.
    let trust = w
        .trust_of(worker_idx)
        .next()
        .expect("worker has a trust policy");
    let stmt = &trust.policy.statements[0];
    let key = &stmt.condition.as_ref().unwrap().blocks[0].keys[0];
    let (pos, text) = at(&inputs, key.name.span);
    assert_eq!(text, "\\\"oidc.example.com/id/ABC:sub\\\"");
    assert_eq!(pos, "stack.json:9:291");

    // AWS::IAM::Policy attached through `Roles: [{Ref: WorkerRole}]`.
    let attached: Vec<_> = w
        .policies
        .iter()
        .filter(|p| p.source.role == Some(worker_idx) && p.kind == PolicyKind::Identity)
        .collect();
    assert_eq!(attached.len(), 1);
    assert_eq!(w.cfn_oidc_providers.len(), 1);

    let cp = w
        .roles
        .iter()
        .position(|r| r.source == RoleSource::Kubernetes)
        .unwrap();
    let cp_trust = w
        .trust_of(cp)
        .next()
        .expect("Crossplane trust parsed from the block string");
    assert_eq!(
        at(&inputs, cp_trust.policy.statements[0].node.span).0,
        "crossplane-role.yaml:10:23"
    );
}

#[test]
fn oidc_discovery_documents_and_jwks() {
    let inputs = inputs();
    let config = Config::default();
    let w = World::build(&inputs, &config);
    assert_eq!(w.discovery_documents.len(), 1);
    assert_eq!(
        w.discovery_documents[0].issuer_key().as_deref(),
        Some("oidc.example.com/id/ABC")
    );
    assert_eq!(w.jwks.len(), 1);
    assert_eq!(w.jwks[0].keys.len(), 1);
}
