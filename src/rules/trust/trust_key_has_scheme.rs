use crate::model::iam::policy::split_issuer_key;
use crate::rules::prelude::*;

declare_rule! {
    TrustKeyHasScheme,
    code: "T007",
    name: "trust-key-has-scheme",
    family: Trust,
    severity: Error,
    summary: "a condition key is written with `https://`, or with a trailing slash the `Federated` provider ARN does not have; IAM keys use the provider URL without scheme",
}

impl Rule for TrustKeyHasScheme {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in world.trust_policies() {
            for stmt in &doc.policy.statements {
                let Some(conds) = &stmt.condition else {
                    continue;
                };
                for (block, key) in conds.keys() {
                    let Some((issuer, claim)) = split_issuer_key(&key.name.value) else {
                        continue;
                    };
                    let lower = issuer.to_ascii_lowercase();
                    let scheme = ["https://", "http://"]
                        .into_iter()
                        .find(|s| lower.starts_with(s));
                    let no_scheme = &issuer[scheme.map_or(0, str::len)..];
                    // When the IAM provider's URL itself ends in `/` (its ARN does), the key
                    // with the slash is the one IAM sets.
                    // A provider ARN only apply knows (`aws_iam_openid_connect_provider.x.arn`)
                    // is that of a provider among the inputs whose URL is the key's issuer
                    // with its slash (`https://sts.windows.net/${tenant}/`), when there is one.
                    let provider_has_slash = stmt.principal.as_ref().is_some_and(|p| {
                        p.federated()
                            .any(|f| match f.value.split_once(":oidc-provider/") {
                                Some((_, url)) => url.ends_with('/') && url == no_scheme,
                                None => {
                                    f.unresolved
                                        && f.value.starts_with("${")
                                        && no_scheme.ends_with('/')
                                        && world.iam_oidc_providers.iter().any(|o| {
                                            o.url.as_str().is_some_and(|u| {
                                                let l = u.to_ascii_lowercase();
                                                let s = ["https://", "http://"]
                                                    .into_iter()
                                                    .find(|s| l.starts_with(s))
                                                    .map_or(0, str::len);
                                                &u[s..] == no_scheme
                                            })
                                        })
                                }
                            })
                    });
                    let trailing = issuer.ends_with('/') && !provider_has_slash;
                    if scheme.is_none() && !trailing {
                        continue;
                    }
                    let bare = if provider_has_slash {
                        no_scheme
                    } else {
                        no_scheme.trim_end_matches('/')
                    };
                    let what = match (scheme, trailing) {
                        (Some(s), true) => format!("the scheme `{s}` and a trailing slash"),
                        (Some(s), false) => format!("the scheme `{s}`"),
                        _ => "a trailing slash".to_string(),
                    };
                    // A key only apply will know (Terraform): shown as written, and the key
                    // IAM sets as the template that gives it.
                    let (message, help) = if key.name.unresolved && issuer.contains("${") {
                        let w = super::written(world, &key.name);
                        let wrote_scheme =
                            scheme.is_some_and(|s| w.to_ascii_lowercase().starts_with(s));
                        match (scheme, super::expression_shown(issuer)) {
                            // `"${module.eks.cluster_oidc_issuer_url}:sub"`: the scheme is in the
                            // expression's value.
                            (Some(s), e) if !wrote_scheme && !e.starts_with('"') => (
                                format!("condition key `\"{w}\"` has {what}: `{e}` is a URL that starts with `{s}`, no request carries this key, and IAM names it without the scheme"),
                                format!("write the key as `\"${{replace({e}, \"{s}\", \"\")}}:{claim}\"`"),
                            ),
                            _ => {
                                // The key as the user writes it, when what is wrong is in the
                                // text they wrote (`"sts.windows.net/${local.tenant}/:aud"`),
                                // not in a value it refers to; else the evaluated template.
                                let fixed = w.rsplit_once(':').and_then(|(iw, c)| {
                                    let lower = iw.to_ascii_lowercase();
                                    let iw = match scheme {
                                        Some(s) => iw.get(s.len()..).filter(|_| lower.starts_with(s))?,
                                        None => iw,
                                    };
                                    let iw = match trailing {
                                        true => iw.strip_suffix('/')?,
                                        false => iw,
                                    };
                                    (c == claim).then(|| format!("{iw}:{claim}"))
                                });
                                let fixed = fixed.unwrap_or_else(|| format!("{bare}:{claim}"));
                                (
                                    format!("condition key `\"{w}\"` has {what}: no request carries this key, IAM names it `\"{fixed}\"`"),
                                    format!("write the key as `\"{fixed}\"`"),
                                )
                            }
                        }
                    } else {
                        (
                            format!(
                                "condition key `{}` has {what}: no request carries this key, IAM names it `{bare}:{claim}`",
                                key.name.value
                            ),
                            format!("write the key as `{bare}:{claim}`"),
                        )
                    };
                    // A key a local module composed: at the caller's text when the caller
                    // wrote the faulty part (the issuer it passed in), else the module's.
                    let faulty = match scheme {
                        Some(s) => 0..s.len(),
                        None => issuer.len() - 1..issuer.len(),
                    };
                    let span = world.inputs.terraform_origins.span_at(
                        doc.source.instance.as_ref().map(|i| i.call),
                        key.entry.key.span,
                        &key.name.value,
                        faulty,
                    );
                    push_about(
                        out,
                        doc,
                        META.diagnostic(span, message)
                            .label("not the key IAM sets")
                            .help(help)
                            .path(format!(
                                "Statement[{}].Condition.{}.{}",
                                stmt.index, block.raw, key.name.value
                            )),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Terraform keeps the scheme of `cluster_oidc_issuer_url` and of the cluster's
    /// `identity[0].oidc[0].issuer` unless `replace()` strips it (issue #13).
    #[test]
    fn terraform_keys() {
        crate::testing::assert_world_expectations(&super::META, "terraform");
        crate::testing::assert_world_expectations(&super::META, "terraform-good");
        // The same mistakes in a `.tf.json` configuration, at the JSON text.
        crate::testing::assert_world_expectations(&super::META, "terraform-json");
    }

    /// A key a local module joins from the issuer its caller passes: at the caller's
    /// argument when the scheme came with it, at the module's text when the module wrote it.
    #[test]
    fn terraform_local_module_caller_input() {
        crate::testing::assert_world_expectations(&super::META, "terraform-local-module");
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }

    /// A key only apply knows, wrong in the text the user wrote: the help gives that text
    /// fixed (`${local.tenant}` kept), not the evaluated template
    /// (`${data.aws_secretsmanager_secret_version.tenant.secret_string}`). A slash that comes
    /// from a local's value is not in the written text: the evaluated key is given.
    #[test]
    fn the_help_fixes_the_key_as_written() {
        let tf = r#"data "aws_secretsmanager_secret_version" "tenant" {
  secret_id = "auth0-tenant"
}

locals {
  tenant = data.aws_secretsmanager_secret_version.tenant.secret_string
  issuer = "${local.tenant}.eu.auth0.com/"
}

resource "aws_iam_openid_connect_provider" "auth0" {
  url            = "https://${local.tenant}.eu.auth0.com"
  client_id_list = ["https://reports.example.com"]
}

data "aws_iam_policy_document" "reports" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.auth0.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "https://${local.tenant}.eu.auth0.com/:aud"
      values   = ["https://reports.example.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = ["auth0|reports"]
    }
  }
}

resource "aws_iam_role" "reports" {
  name               = "reports"
  assume_role_policy = data.aws_iam_policy_document.reports.json
}
"#;
        let report = crate::testing::lint_text("main.tf", tf, &super::META);
        let helps: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| d.help.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            helps,
            [
                "write the key as `\"${local.tenant}.eu.auth0.com:aud\"`",
                "write the key as `\"${data.aws_secretsmanager_secret_version.tenant.secret_string}.eu.auth0.com:sub\"`",
            ],
            "{:#?}",
            report.diagnostics
        );
    }

    /// The messages for one statement trusting `provider` with the condition key `key`.
    fn messages(provider: &str, key: &str) -> Vec<String> {
        let doc = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Federated": format!("arn:aws:iam::111122223333:oidc-provider/{provider}")},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {key: "sts.amazonaws.com"}},
            }],
        });
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("trust.json"), doc.to_string()).unwrap();
        let (_, report) = crate::testing::lint_only(dir.path(), &super::META);
        report.diagnostics.into_iter().map(|d| d.message).collect()
    }

    /// A provider with a trailing slash excuses the slash only on its own issuer's keys.
    #[test]
    fn another_providers_slash_does_not_excuse_the_key() {
        let m = messages(
            "oidc.example.com/tenant-b/",
            "oidc.example.com/tenant-a/:aud",
        );
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("has a trailing slash"), "{m:?}");
        assert!(messages(
            "oidc.example.com/tenant-a/",
            "oidc.example.com/tenant-a/:aud"
        )
        .is_empty());
    }

    #[test]
    fn scheme_and_slash_together() {
        let m = messages(
            "oidc.example.com/tenant-a",
            "https://oidc.example.com/tenant-a/:aud",
        );
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("has the scheme `https://` and a trailing slash")
                && m[0].contains("IAM names it `oidc.example.com/tenant-a:aud`"),
            "{m:?}"
        );
    }
}
