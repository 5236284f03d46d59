//! What IAM accepts as a web-identity trust's `Federated` principal: an IAM OIDC (or SAML)
//! provider ARN, or one of the shared providers IAM names by host. The trust rules report
//! the rest (`trust-federated-not-arn`), and the trust evaluation treats such a principal as
//! admitting no token, because IAM rejects the policy that holds it.

use super::arn;
use crate::model::value::Text;

/// Web-identity providers that are not OIDC providers of a cluster: their tokens' `sub`
/// means something else, and other rules judge them.
pub const SHARED_IDENTITY_PROVIDERS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
    "accounts.google.com",
];

/// Whether `issuer` is an EKS cluster's: `oidc.eks.<region>.amazonaws.com/id/<id>`, or, known
/// only at apply time, what Terraform names the EKS issuer (the same outputs the Terraform
/// reader knows carry `https://`: terraform-aws-modules/eks `cluster_oidc_issuer_url`, the
/// cluster's `identity[0].oidc[0].issuer`, and the module's `oidc_provider`, without it),
/// written whole (`${aws_eks_cluster.this.identity[0].oidc[0].issuer}`), with its scheme or
/// without it (`${replace(module.eks.cluster_oidc_issuer_url, "https://", "")}`,
/// `trimprefix(…, "https://")`: the unknown a trimmed URL is, named by the call).
pub fn eks_issuer(issuer: &str) -> bool {
    if issuer.starts_with("oidc.eks.") {
        return true;
    }
    let rest = issuer.strip_prefix("https://").unwrap_or(issuer);
    let Some(expr) = rest.strip_prefix("${").and_then(|r| r.strip_suffix('}')) else {
        return false;
    };
    // A variable or local may hold any issuer; only the cluster's own outputs are EKS's.
    let compact: String = expr.chars().filter(|c| !c.is_whitespace()).collect();
    // The URL with its scheme taken away, named by the call that trims it.
    // The issuer from the EKS module's provider ARN, everything up to its last `provider/`
    // dropped (aws-ia/terraform-aws-eks-blueprints modules/irsa/main.tf@v4.32.1).
    if let Some(arn) = compact
        .strip_prefix("replace(")
        .and_then(|r| r.strip_suffix(",\"/^(.*provider/)/\",\"\")"))
    {
        return arn.starts_with("module.")
            && arn.ends_with(".oidc_provider_arn")
            && !arn.contains(['{', '}', '(', '?']);
    }
    let compact = compact
        .strip_prefix("replace(")
        .and_then(|r| r.strip_suffix(",\"https://\",\"\")"))
        .or_else(|| {
            compact
                .strip_prefix("trimprefix(")
                .and_then(|r| r.strip_suffix(",\"https://\")"))
        })
        .unwrap_or(&compact);
    !compact.contains(['{', '}', '(', '?'])
        && !compact.starts_with("var.")
        && !compact.starts_with("local.")
        && (compact.ends_with(".cluster_oidc_issuer_url")
            || compact.ends_with("identity[0].oidc[0].issuer")
            || compact.ends_with("identity.0.oidc.0.issuer")
            || (compact.starts_with("module.") && compact.ends_with(".oidc_provider")))
}

/// Why `value` cannot be a `Federated` web-identity principal, or `None` when it is one (an
/// `oidc-provider/` or `saml-provider/` ARN of IAM, one of the shared providers IAM names by
/// host) or when the files do not decide (a placeholder, a value only apply will know).
pub fn not_a_provider(t: &Text) -> Option<&'static str> {
    let v = t.value.as_str();
    let lower = v.to_ascii_lowercase();
    // The scheme is known even when the rest is not: no ARN starts so.
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some("an issuer URL");
    }
    // `oidc.eks.<region>…`, or what Terraform names an EKS cluster's issuer
    // (`module.eks.oidc_provider`): an issuer, whatever its unknown parts are.
    if eks_issuer(v) {
        return Some("an EKS cluster's OIDC issuer, not its provider ARN");
    }
    if t.unresolved || arn::is_placeholder(v) {
        return None;
    }
    // Cognito's host in every partition (`cognito-identity.amazonaws.com.cn`).
    if SHARED_IDENTITY_PROVIDERS.contains(&v) || lower.starts_with("cognito-identity.") {
        return None;
    }
    let Some(a) = arn::parse(v) else {
        return Some(if v.trim().is_empty() {
            // A module input's `default = ""`, left for a caller to set.
            "an empty string, not an ARN"
        } else if v.contains('.') {
            "an issuer host, not an ARN"
        } else {
            "not an ARN"
        });
    };
    let provider = ["oidc-provider/", "saml-provider/"]
        .iter()
        .any(|p| a.resource.len() > p.len() && a.resource.starts_with(p));
    if a.service == "iam" && provider {
        return None;
    }
    Some("an ARN, but not of an IAM OIDC provider")
}

#[cfg(test)]
mod tests {
    use super::not_a_provider;
    use crate::model::value::Text;

    fn text(value: &str, unresolved: bool) -> Text {
        Text {
            value: value.into(),
            span: Default::default(),
            unresolved,
        }
    }

    /// What IAM accepts as a web-identity `Federated` principal is silent; hosts, URLs and
    /// other ARNs are not; undecided values are silent unless their known part decides.
    #[test]
    fn federated_values() {
        for ok in [
            "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
            "arn:aws-cn:iam::111122223333:oidc-provider/oidc.example.com",
            "arn:aws:iam::111122223333:saml-provider/okta",
            "cognito-identity.amazonaws.com",
            "cognito-identity.amazonaws.com.cn",
            "accounts.google.com",
            "graph.facebook.com",
            "www.amazon.com",
            "arn:aws:iam::<ACCOUNT_ID>:oidc-provider/<OIDC_PROVIDER>",
            "{{ .Values.providerHost }}",
        ] {
            assert_eq!(not_a_provider(&text(ok, false)), None, "{ok}");
        }
        for (unresolved, undecided) in [
            (true, "${var.oidc_provider_arn}"),
            (true, "${ProviderArn}"),
            (true, "${data.aws_iam_openid_connect_provider.this.url}"),
            (true, "arn:aws:iam::${AWS::AccountId}:role/${Name}"),
        ] {
            assert_eq!(
                not_a_provider(&text(undecided, unresolved)),
                None,
                "{undecided}"
            );
        }
        let issuer = "an EKS cluster's OIDC issuer, not its provider ARN";
        let other_arn = "an ARN, but not of an IAM OIDC provider";
        for (value, unresolved, what) in [
            (
                "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
                false,
                "an issuer URL",
            ),
            ("HTTP://token.example.com", false, "an issuer URL"),
            ("https://${var.issuer}", true, "an issuer URL"),
            ("oidc.eks.eu-west-1.amazonaws.com/id/ABC", false, issuer),
            (
                "oidc.eks.${AWS::Region}.amazonaws.com/id/${Id}",
                true,
                issuer,
            ),
            ("${module.eks.oidc_provider}", true, issuer),
            (
                "token.actions.githubusercontent.com",
                false,
                "an issuer host, not an ARN",
            ),
            ("my-provider", false, "not an ARN"),
            ("arn:aws:iam::111122223333:role/eks-oidc", false, other_arn),
            (
                "arn:aws:sts::111122223333:oidc-provider/oidc.example.com",
                false,
                other_arn,
            ),
            ("arn:aws:iam::111122223333:oidc-provider/", false, other_arn),
            ("arn:aws:iam::111122223333:saml-provider/", false, other_arn),
        ] {
            assert_eq!(
                not_a_provider(&text(value, unresolved)),
                Some(what),
                "{value}"
            );
        }
    }
}
