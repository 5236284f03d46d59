//! Which Terraform managed policies the configuration uses only as permissions boundaries.
//!
//! A boundary caps what a role's policies grant and grants nothing itself; AWS's examples
//! write it as `Allow` of everything followed by the denials that matter
//! (darede-labs/reference-implementation-aws cluster/iam-policies/
//! crossplane-permissions-boundry.json@9674fbf, passed as `permissions_boundary_arn` of a
//! pod-identity module call). Judged as a permission policy, that `Allow *` read as full
//! administrator access. Which argument a policy's ARN is given to is in the text of its
//! module's files, whatever resource or module call has the argument, so it is read there:
//! every reference to `aws_iam_policy.<name>` must sit on a line whose argument is a
//! `permissions_boundary*` one (`permissions_boundary`, `permissions_boundary_arn`,
//! `role_permissions_boundary_arn`); a reference anywhere else (an attachment, a list, a
//! `locals` value) may grant it, and the policy stays a permission policy.
//!
//! Decided by the load stage while it has the texts (`Inputs::terraform_boundaries`): `lint`
//! lets them go before the World is built.

use std::collections::HashMap;

use crate::source::file::{FileId, SourceMap};
use crate::terraform::{Mode, Resource};

pub struct Boundaries<'s> {
    sources: &'s SourceMap,
    /// The `.tf` and `.tf.json` files of each directory, built on first use.
    by_dir: Option<HashMap<&'s str, Vec<FileId>>>,
}

impl<'s> Boundaries<'s> {
    pub fn new(sources: &'s SourceMap) -> Self {
        Boundaries {
            sources,
            by_dir: None,
        }
    }

    /// Whether `res`, an `aws_iam_policy` of the configuration, is referenced in its module's
    /// files, and only as a permissions boundary.
    pub fn only_boundary(&mut self, res: &Resource) -> bool {
        if res.kind != "aws_iam_policy" || res.mode != Mode::Managed {
            return false;
        }
        let sources = self.sources;
        let by_dir = self.by_dir.get_or_insert_with(|| {
            let mut m: HashMap<&str, Vec<FileId>> = HashMap::new();
            for f in sources.files() {
                if f.path.ends_with(".tf") || f.path.ends_with(".tf.json") {
                    m.entry(crate::terraform::hcl::dir_of(&f.path))
                        .or_default()
                        .push(f.id);
                }
            }
            m
        });
        let dir = crate::terraform::hcl::dir_of(&sources.get(res.anchor.file).path);
        let texts = by_dir
            .get(dir)
            .into_iter()
            .flatten()
            .map(|&f| sources.get(f).text());
        only_boundary_uses(texts, &res.name)
    }
}

/// Whether the texts reference `aws_iam_policy.<name>` at least once, each time as the value
/// of a `permissions_boundary*` argument. Comment lines are neither.
fn only_boundary_uses<'t>(texts: impl Iterator<Item = &'t str>, name: &str) -> bool {
    let needle = format!("aws_iam_policy.{name}");
    let mut boundary = false;
    for text in texts {
        for (at, _) in text.match_indices(&needle) {
            let before = text[..at].chars().next_back();
            let after = text[at + needle.len()..].chars().next();
            // `data.aws_iam_policy.x` is another object; `aws_iam_policy.x2` another name.
            if before.is_some_and(|c| c == '.' || c == '_' || c.is_alphanumeric())
                || after.is_some_and(|c| c == '_' || c == '-' || c.is_alphanumeric())
            {
                continue;
            }
            let line = &text[text[..at].rfind('\n').map_or(0, |i| i + 1)..at];
            let trimmed = line.trim_start();
            if trimmed.starts_with('#') || trimmed.starts_with("//") {
                continue;
            }
            // The argument the reference is the value of: the line's text before its first
            // `=` (HCL; the value may hold `? :`), or the last `"key":` before it (JSON, where
            // a line may hold a whole object).
            let hcl = line.split(['=', ':']).next().unwrap_or("");
            let json = line
                .rsplit_once("\":")
                .and_then(|(k, _)| k.rsplit('"').next())
                .unwrap_or("");
            if hcl.contains("permissions_boundary") || json.contains("permissions_boundary") {
                boundary = true;
            } else {
                return false;
            }
        }
    }
    boundary
}

#[cfg(test)]
mod tests {
    use super::only_boundary_uses;

    fn only(texts: &[&str]) -> bool {
        only_boundary_uses(texts.iter().copied(), "boundary")
    }

    #[test]
    fn a_policy_only_given_as_a_boundary_is_one() {
        // darede-labs/reference-implementation-aws cluster/terraform/main.tf@9674fbf
        // (trimmed): the module call's argument.
        assert!(only(&[
            "module \"crossplane_pod_identity\" {\n  permissions_boundary_arn = aws_iam_policy.boundary.arn\n}\n"
        ]));
        assert!(only(&[
            "resource \"aws_iam_role\" \"r\" {\n  permissions_boundary = var.on ? aws_iam_policy.boundary[0].arn : null\n}\n",
            "{\"resource\": {\"aws_iam_role\": {\"j\": {\"permissions_boundary\": \"${aws_iam_policy.boundary.arn}\"}}}}",
        ]));
    }

    #[test]
    fn any_other_use_or_none_keeps_it_a_permission_policy() {
        let boundary = "  permissions_boundary = aws_iam_policy.boundary.arn\n";
        // Also attached: it grants.
        assert!(!only(&[
            boundary,
            "resource \"aws_iam_role_policy_attachment\" \"a\" {\n  policy_arn = aws_iam_policy.boundary.arn\n}\n"
        ]));
        // In a list on a line of its own: whose argument is not on the line.
        assert!(!only(&[
            boundary,
            "  role_policy_arns = [\n    aws_iam_policy.boundary.arn,\n  ]\n"
        ]));
        // Never referenced: nothing says it is a boundary.
        assert!(!only(&["resource \"aws_iam_policy\" \"boundary\" {}\n"]));
        // A commented-out boundary is no use; other names are not this policy.
        assert!(!only(&[
            "# permissions_boundary = aws_iam_policy.boundary.arn\n"
        ]));
        assert!(!only(&[
            "  permissions_boundary = aws_iam_policy.boundary_v2.arn\n  permissions_boundary = data.aws_iam_policy.boundary.arn\n"
        ]));
    }
}
