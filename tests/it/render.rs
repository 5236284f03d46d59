//! `irsalint render` end to end: exact bytes for the cases the upstream fixtures do not
//! cover (webhook-semantics.md §18), snapshots for the YAML output and admission mode.

use assert_cmd::Command;

fn render(args: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("irsalint")
        .unwrap()
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/render"))
        .arg("render")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn configmap_entries_exact_and_wildcard() {
    let (stdout, _) = render(&["--mode", "raw", "--format", "patch", "configmap"]);
    assert_eq!(
        stdout,
        r#"[{"op":"add","path":"/spec/volumes","value":[{"name":"aws-iam-token","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":300,"path":"token"}}]}}]},{"op":"add","path":"/spec/containers","value":[{"name":"c","image":"busybox","env":[{"name":"AWS_ROLE_ARN","value":"arn:aws:iam::111122223333:role/builder"},{"name":"AWS_WEB_IDENTITY_TOKEN_FILE","value":"/var/run/secrets/eks.amazonaws.com/serviceaccount/token"}],"resources":{},"volumeMounts":[{"name":"aws-iam-token","readOnly":true,"mountPath":"/var/run/secrets/eks.amazonaws.com/serviceaccount"}]}]}]
[{"op":"add","path":"/spec/volumes/0","value":{"name":"aws-iam-token","projected":{"sources":[{"serviceAccountToken":{"audience":"sts.amazonaws.com","expirationSeconds":86400,"path":"token"}}]}}},{"op":"add","path":"/spec/containers","value":[{"name":"c","image":"busybox","env":[{"name":"AWS_STS_REGIONAL_ENDPOINTS","value":"regional"},{"name":"AWS_ROLE_ARN","value":"arn:aws:iam::111122223333:role/reporter"},{"name":"AWS_WEB_IDENTITY_TOKEN_FILE","value":"/var/run/secrets/eks.amazonaws.com/serviceaccount/token"}],"resources":{},"volumeMounts":[{"name":"aws-iam-token","readOnly":true,"mountPath":"/var/run/secrets/eks.amazonaws.com/serviceaccount"}]}]}]
"#
    );
}

#[test]
fn pod_identity_existing_labels_windows_jitter_max() {
    let (stdout, _) = render(&[
        "--mode",
        "raw",
        "--format",
        "patch",
        "--pod-identity-association",
        "ops/agent",
        "--jitter",
        "max",
        "pod-identity",
    ]);
    assert_eq!(
        stdout,
        r#"[{"op":"add","path":"/metadata/labels/eks.amazonaws.com~1pod-identity","value":"enabled"},{"op":"add","path":"/spec/volumes","value":[{"name":"eks-pod-identity-token","projected":{"sources":[{"serviceAccountToken":{"audience":"pods.eks.amazonaws.com","expirationSeconds":86400,"path":"eks-pod-identity-token"}}]}}]},{"op":"add","path":"/spec/containers","value":[{"name":"agent","image":"agent:2","env":[{"name":"AWS_CONTAINER_CREDENTIALS_FULL_URI","value":"http://169.254.170.23/v1/credentials"},{"name":"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE","value":"C:\\var\\run\\secrets\\pods.eks.amazonaws.com\\serviceaccount\\eks-pod-identity-token"}],"resources":{},"volumeMounts":[{"name":"eks-pod-identity-token","readOnly":true,"mountPath":"/var/run/secrets/pods.eks.amazonaws.com/serviceaccount"}]}]}]
"#
    );
}

#[test]
fn token_mount_path_trailing_slash_windows_irsa() {
    let (stdout, _) = render(&[
        "--mode",
        "raw",
        "--format",
        "patch",
        "--token-mount-path",
        "/x/",
        "pod-identity",
    ]);
    assert_eq!(
        stdout,
        r#"[{"op":"add","path":"/spec/volumes","value":[{"name":"aws-iam-token","projected":{"sources":[{"serviceAccountToken":{"audience":"sts.amazonaws.com","expirationSeconds":86400,"path":"token"}}]}}]},{"op":"add","path":"/spec/containers","value":[{"name":"agent","image":"agent:2","env":[{"name":"AWS_ROLE_ARN","value":"arn:aws:iam::111122223333:role/ignored-by-pod-identity"},{"name":"AWS_WEB_IDENTITY_TOKEN_FILE","value":"C:\\x\\token"}],"resources":{},"volumeMounts":[{"name":"aws-iam-token","readOnly":true,"mountPath":"/x/"}]}]}]
"#
    );
}

#[test]
fn empty_audience_annotation() {
    let (stdout, _) = render(&["--mode", "raw", "--format", "patch", "empty-audience.yaml"]);
    assert_eq!(
        stdout,
        r#"[{"op":"add","path":"/spec/volumes","value":[{"name":"aws-iam-token","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":86400,"path":"token"}}]}}]},{"op":"add","path":"/spec/containers","value":[{"name":"c","env":[{"name":"AWS_ROLE_ARN","value":"arn:aws:iam::1:role/r"},{"name":"AWS_WEB_IDENTITY_TOKEN_FILE","value":"/var/run/secrets/eks.amazonaws.com/serviceaccount/token"}],"resources":{},"volumeMounts":[{"name":"aws-iam-token","readOnly":true,"mountPath":"/var/run/secrets/eks.amazonaws.com/serviceaccount"}]}]}]
"#
    );
}

#[test]
fn workloads_skip_containers_quantities_html_escaping() {
    let (stdout, _) = render(&[
        "--mode",
        "raw",
        "--format",
        "patch",
        "--aws-default-region",
        "eu-west-1",
        "workloads",
    ]);
    assert_eq!(
        stdout,
        r#"[{"op":"add","path":"/spec/volumes","value":[{"name":"aws-iam-token","projected":{"sources":[{"serviceAccountToken":{"audience":"sts.amazonaws.com","expirationSeconds":3600,"path":"token"}}]}}]},{"op":"add","path":"/spec/containers","value":[{"name":"web","image":"nginx:1.27","envFrom":[{"configMapRef":{"name":"web-env"}}],"env":[{"name":"GREETING","value":"\u003cb\u003ehi \u0026 bye\u003c/b\u003e"},{"name":"AWS_DEFAULT_REGION","value":"eu-west-1"},{"name":"AWS_REGION","value":"eu-west-1"},{"name":"AWS_ROLE_ARN","value":"arn:aws:iam::111122223333:role/app"},{"name":"AWS_WEB_IDENTITY_TOKEN_FILE","value":"/var/run/secrets/eks.amazonaws.com/serviceaccount/token"}],"resources":{"limits":{"cpu":"500m","memory":"1Gi"}},"volumeMounts":[{"name":"aws-iam-token","readOnly":true,"mountPath":"/var/run/secrets/eks.amazonaws.com/serviceaccount"}]},{"name":"side,car","image":"envoy","resources":{}}]},{"op":"add","path":"/spec/initContainers","value":[{"name":"init","image":"busybox:1.36","env":[{"name":"AWS_DEFAULT_REGION","value":"eu-west-1"},{"name":"AWS_REGION","value":"eu-west-1"},{"name":"AWS_ROLE_ARN","value":"arn:aws:iam::111122223333:role/app"},{"name":"AWS_WEB_IDENTITY_TOKEN_FILE","value":"/var/run/secrets/eks.amazonaws.com/serviceaccount/token"}],"resources":{},"volumeMounts":[{"name":"aws-iam-token","readOnly":true,"mountPath":"/var/run/secrets/eks.amazonaws.com/serviceaccount"}]}]}]
[{"op":"add","path":"/spec/volumes","value":[{"name":"aws-iam-token","projected":{"sources":[{"serviceAccountToken":{"audience":"sts.amazonaws.com","expirationSeconds":3600,"path":"token"}}]}}]},{"op":"add","path":"/spec/containers","value":[{"name":"job","image":"busybox","env":[{"name":"AWS_DEFAULT_REGION","value":"eu-west-1"},{"name":"AWS_REGION","value":"eu-west-1"},{"name":"AWS_ROLE_ARN","value":"arn:aws:iam::111122223333:role/app"},{"name":"AWS_WEB_IDENTITY_TOKEN_FILE","value":"/var/run/secrets/eks.amazonaws.com/serviceaccount/token"}],"resources":{},"volumeMounts":[{"name":"aws-iam-token","readOnly":true,"mountPath":"/var/run/secrets/eks.amazonaws.com/serviceaccount"}]}]}]
"#
    );
}

#[test]
fn unmutated_pods_get_a_reason_on_stderr() {
    let (stdout, stderr) = render(&["--mode", "raw", "--format", "patch", "workloads"]);
    assert_eq!(stdout.lines().count(), 2, "Deployment and CronJob only");
    assert_eq!(
        stderr,
        "Pod shop/skipped: not mutated: label eks.amazonaws.com/skip-pod-identity-webhook is set: the webhook's objectSelector (DoesNotExist) skips the pod\n\
         Pod shop/orphan: not mutated: ServiceAccount shop/missing not found in the inputs (the webhook would not find it in its cache) and no ConfigMap entry or Pod Identity association applies\n\
         Pod shop/no-role: not mutated: ServiceAccount shop/plain has no eks.amazonaws.com/role-arn annotation, no ConfigMap entry and no Pod Identity association\n"
    );
}

#[test]
fn explain_names_the_origin_of_each_value() {
    let (_, stderr) = render(&[
        "--mode",
        "raw",
        "--format",
        "patch",
        "--explain",
        "--sts-regional-endpoint=true",
        "configmap",
    ]);
    insta::assert_snapshot!("explain_configmap", stderr);
}

#[test]
fn yaml_output_keeps_owner_kind_and_field_order() {
    let (stdout, _) = render(&["--mode", "raw", "workloads"]);
    insta::assert_snapshot!("yaml_workloads_raw", stdout);
}

#[test]
fn admission_mode_adds_defaults_and_the_kube_api_access_volume() {
    let (stdout, _) = render(&[
        "--mode",
        "admission",
        "--format",
        "patch",
        "empty-audience.yaml",
    ]);
    insta::assert_snapshot!("patch_admission", stdout);
    let (yaml, _) = render(&["pod-identity", "--pod-identity-association", "ops/agent"]);
    insta::assert_snapshot!("yaml_admission_pod_identity", yaml);
    // The API server defaults the webhook's projected volume when it stores the pod (as it
    // does the kube-api-access volume); raw mode shows the webhook's volume as patched.
    assert_eq!(yaml.matches("defaultMode: 420").count(), 2, "{yaml}");
    let (raw, _) = render(&[
        "--mode",
        "raw",
        "pod-identity",
        "--pod-identity-association",
        "ops/agent",
    ]);
    assert!(!raw.contains("defaultMode"), "{raw}");
}

#[test]
fn json_output_is_the_rendered_object() {
    let (stdout, _) = render(&["--mode", "raw", "--format", "json", "empty-audience.yaml"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["kind"], "Pod");
    assert_eq!(v["spec"]["volumes"][0]["name"], "aws-iam-token");
}

#[test]
fn bad_flag_values_are_usage_errors() {
    // Each bad value: exit 2, nothing on stdout, and a message naming the flag and the value.
    for (args, message) in [
        (
            vec!["--sts-regional-endpoint=yes"],
            "invalid boolean value \"yes\" for --sts-regional-endpoint (use true or false)",
        ),
        (
            vec!["--token-expiration", "1h"],
            "invalid value \"1h\" for --token-expiration: expected a number of seconds",
        ),
        (
            vec!["--pod-identity-association", "billing"],
            "invalid --pod-identity-association \"billing\": expected NAMESPACE/SERVICEACCOUNT",
        ),
    ] {
        let out = Command::cargo_bin("irsalint")
            .unwrap()
            .arg("render")
            .args(&args)
            .arg(".")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn pod_identity_associations_of_the_inputs_apply_without_a_flag() {
    // An eksctl ClusterConfig association, no --pod-identity-association.
    let (stdout, stderr) = render(&["--mode", "raw", "--format", "patch", "pod-identity-eksctl"]);
    assert_eq!(stderr, "");
    assert_eq!(
        stdout,
        r#"[{"op":"add","path":"/metadata/labels","value":{"eks.amazonaws.com/pod-identity":"enabled"}},{"op":"add","path":"/spec/volumes","value":[{"name":"eks-pod-identity-token","projected":{"sources":[{"serviceAccountToken":{"audience":"pods.eks.amazonaws.com","expirationSeconds":79200,"path":"eks-pod-identity-token"}}]}}]},{"op":"add","path":"/spec/containers","value":[{"name":"agent","image":"agent:2","env":[{"name":"AWS_CONTAINER_CREDENTIALS_FULL_URI","value":"http://169.254.170.23/v1/credentials"},{"name":"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE","value":"/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"}],"resources":{},"volumeMounts":[{"name":"eks-pod-identity-token","readOnly":true,"mountPath":"/var/run/secrets/pods.eks.amazonaws.com/serviceaccount"}]}]}]
"#
    );
}

/// When the inputs run another webhook release than the modelled one, render says so on
/// stderr, with where the image is and what is known to differ.
#[test]
fn another_webhook_release_is_named() {
    let (_, stderr) = render(&["old-webhook"]);
    assert!(
        stderr.contains(
            "note: render models amazon-eks-pod-identity-webhook v0.6.17; the inputs run `amazon/amazon-eks-pod-identity-webhook:v0.5.2` (old-webhook/webhook.yaml:17): it also strips `restartPolicy` from init containers"
        ),
        "{stderr}"
    );
    let (_, stderr) = render(&["pod-identity"]);
    assert!(!stderr.contains("note: render models"), "{stderr}");
}

/// Inputs `render` cannot read whole are reported like `lint` reports them, and the run
/// exits 2 (it used to print nothing and exit 0); the readable inputs are still rendered.
#[test]
fn unreadable_inputs_are_reported_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("broken.yaml"), "kind: Pod\nmetadata: {name: x\n").unwrap();
    std::fs::write(d.join("huge.yaml"), "a: b\n".repeat(2_200_000)).unwrap();
    std::fs::write(
        d.join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\nspec:\n  containers:\n  - name: c\n    image: busybox\n",
    )
    .unwrap();
    let out = Command::cargo_bin("irsalint")
        .unwrap()
        .current_dir(d)
        .args(["render", "--mode", "raw", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        // The `{` left open, not the end of the file where the parser stopped.
        stderr.contains("broken.yaml:2:11: this `{` is never closed")
            && stderr.contains("(parse-error)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "huge.yaml:1:1: file is larger than the size limit of 10485760 bytes; not read (raise it with `--max-file-size` or `max-file-size` in irsalint.toml) (input-limit)"
        ),
        "{stderr}"
    );
    assert!(
        stderr
            .ends_with("irsalint: error: 2 input problems (above): their pods were not rendered\n"),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("name: ok"), "{stdout}");
}
