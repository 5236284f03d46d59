use crate::model::iam::catalog::catalog;
use crate::model::iam::glob::has_wildcard;
use crate::rules::prelude::*;

declare_rule! {
    PermUnknownAction,
    code: "P007",
    name: "perm-unknown-action",
    family: Perm,
    severity: Warning,
    summary: "an identity policy names an action or service prefix that AWS does not have, or writes a known action in the wrong case",
}

/// S3 API operations without an IAM action of their own, written as if they had one, and
/// the action that authorizes them (Service Authorization Reference, "API operations defined
/// by Amazon S3"; S3 User Guide, "Required permissions for Amazon S3 API operations").
/// gmo-media/infra-template dev/eks_victoria_logs.tf@17be686 lists `s3:HeadObject`,
/// `s3:CreateMultipartUpload` and `s3:UploadPart` beside `s3:GetObject` and `s3:PutObject`.
/// Operations that need two actions (`CopyObject`: `s3:PutObject` and `s3:GetObject` on the
/// source) are left to the generic help.
const S3_OPERATIONS: &[(&str, &str)] = &[
    ("HeadBucket", "s3:ListBucket"),
    ("HeadObject", "s3:GetObject"),
    ("CreateMultipartUpload", "s3:PutObject"),
    ("UploadPart", "s3:PutObject"),
    ("CompleteMultipartUpload", "s3:PutObject"),
    ("DeleteObjects", "s3:DeleteObject"),
    ("ListObjects", "s3:ListBucket"),
    ("ListObjectsV2", "s3:ListBucket"),
    ("ListObjectVersions", "s3:ListBucketVersions"),
    ("ListParts", "s3:ListMultipartUploadParts"),
    ("ListMultipartUploads", "s3:ListBucketMultipartUploads"),
    (
        "GetBucketNotificationConfiguration",
        "s3:GetBucketNotification",
    ),
    (
        "PutBucketNotificationConfiguration",
        "s3:PutBucketNotification",
    ),
    (
        "GetBucketLifecycleConfiguration",
        "s3:GetLifecycleConfiguration",
    ),
    (
        "PutBucketLifecycleConfiguration",
        "s3:PutLifecycleConfiguration",
    ),
];

/// The action that authorizes an S3 API operation written as an action (`s3:HeadObject`).
fn s3_operation_action(value: &str) -> Option<&'static str> {
    let (svc, op) = value.split_once(':')?;
    if !svc.eq_ignore_ascii_case("s3") {
        return None;
    }
    S3_OPERATIONS
        .iter()
        .find(|(o, _)| o.eq_ignore_ascii_case(op))
        .map(|&(_, a)| a)
}

impl Rule for PermUnknownAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        let cat = catalog();
        for (doc, stmt) in super::identity_statements(world) {
            for (element, v) in super::action_and_not_action(stmt) {
                if v.unresolved || has_wildcard(&v.value) {
                    continue;
                }
                let Some((svc, _)) = v.value.split_once(':') else {
                    push_about(
                        out,
                        doc,
                        META.diagnostic(
                            v.span,
                            format!(
                                "`{}` is not an action: IAM actions are `service:Action`",
                                v.value
                            ),
                        )
                        .label("no service prefix")
                        .help("write the action as `<service>:<Action>`, e.g. `s3:GetObject`")
                        .path(format!("Statement[{}].{element}", stmt.index)),
                    );
                    continue;
                };
                let d = match cat.action(&v.value) {
                    Some(a) => {
                        let canonical = a.full_name();
                        if canonical == v.value {
                            continue;
                        }
                        META.diagnostic(v.span, format!("`{}` is written `{canonical}` by AWS", v.value))
                                    .label("wrong case")
                                    .help(format!("IAM matches actions case-insensitively, but write `{canonical}` so that reviewers and tools recognise it"))
                                    .severity(Severity::Info)
                    }
                    None => {
                        let what = if cat.service(svc).is_some() {
                            format!(
                                "`{}` is not an action of service `{}`",
                                v.value,
                                svc.to_ascii_lowercase()
                            )
                        } else {
                            format!(
                                "`{svc}` is not a service prefix of the AWS action catalogue ({}), so `{}` matches no action",
                                cat.date,
                                v.value
                            )
                        };
                        let mut d = META.diagnostic(v.span, what).label("unknown action");
                        // `sqs:SendMessageBatch`: the batch API call is authorized by the
                        // single-item action; IAM has no action of the batch's name.
                        let single = v
                            .value
                            .len()
                            .checked_sub("Batch".len())
                            .filter(|&at| {
                                v.value.is_char_boundary(at)
                                    && v.value[at..].eq_ignore_ascii_case("Batch")
                            })
                            .and_then(|at| cat.action(&v.value[..at]));
                        let authorizing = single
                            .map(|a| a.full_name())
                            .or_else(|| s3_operation_action(&v.value).map(str::to_string));
                        d = match (authorizing, cat.suggest(&v.value)) {
                                    (Some(a), _) => d.help(format!("the `{}` API call is authorized by `{a}`: IAM has no separate action for it, so this entry grants nothing; keep `{a}` (or add it) and remove this one", &v.value[v.value.find(':').map_or(0, |i| i + 1)..])),
                                    (None, Some(s)) => d.help(format!("did you mean `{s}`?")),
                                    (None, None) => d.help("check the action against the AWS Service Authorization Reference; the statement has no effect for it (a service retired before the catalogue's date, such as elastic-inference, or launched after it is not in the catalogue)"),
                                };
                        d
                    }
                };
                push_about(
                    out,
                    doc,
                    d.path(format!("Statement[{}].{element}", stmt.index)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// The table stays true to the catalogue: each operation is no action, each action is one.
    #[test]
    fn s3_operations_are_no_actions_and_their_actions_are() {
        let cat = crate::model::iam::catalog::catalog();
        for (op, action) in super::S3_OPERATIONS {
            assert!(cat.action(&format!("s3:{op}")).is_none(), "s3:{op}");
            assert!(cat.action(action).is_some(), "{action}");
        }
        assert_eq!(
            super::s3_operation_action("S3:headobject"),
            Some("s3:GetObject")
        );
        assert_eq!(super::s3_operation_action("sqs:HeadObject"), None);
    }
}
