use std::net::IpAddr;

use crate::model::iam::operator::Family as OpFamily;
use crate::rules::prelude::*;

declare_rule! {
    PolicyTypeMismatch,
    code: "G008",
    name: "policy-type-mismatch",
    family: Policy,
    severity: Warning,
    summary: "a condition value does not fit its operator's type (a number for `Numeric*`, a date for `Date*`, `true`/`false` for `Bool` and `Null`, an IP range for `IpAddress`)",
}

/// Whether `v` is a value of the operator family's type, as IAM parses it.
fn fits(family: OpFamily, v: &str) -> Option<bool> {
    let ok = match family {
        OpFamily::Numeric => {
            let d = v.strip_prefix('-').unwrap_or(v);
            let (int, frac) = d.split_once('.').unwrap_or((d, "0"));
            !int.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && !frac.is_empty()
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        OpFamily::Date => is_date(v),
        OpFamily::Bool | OpFamily::Null => {
            v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false")
        }
        OpFamily::Ip => {
            let (addr, prefix) = v.split_once('/').unwrap_or((v, ""));
            match addr.parse::<IpAddr>() {
                Ok(ip) => {
                    let max = if ip.is_ipv4() { 32 } else { 128 };
                    prefix.is_empty() || prefix.parse::<u8>().is_ok_and(|p| p <= max)
                }
                Err(_) => false,
            }
        }
        _ => return None,
    };
    Some(ok)
}

/// ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`, with offset or fraction) or epoch seconds.
fn is_date(v: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"^(\d+|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)$",
        )
        .unwrap()
    });
    re.is_match(v)
}

fn expected(family: OpFamily) -> &'static str {
    match family {
        OpFamily::Numeric => "a number",
        OpFamily::Date => "an ISO 8601 date or epoch seconds",
        OpFamily::Bool | OpFamily::Null => "`true` or `false`",
        OpFamily::Ip => "an IPv4 or IPv6 address or CIDR range",
        _ => "a value of its type",
    }
}

impl Rule for PolicyTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in &world.policies {
            for stmt in &doc.policy.statements {
                for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
                    let Ok(op) = &block.operator else { continue };
                    let family = op.base.family();
                    for key in &block.keys {
                        // Policy variables and unresolved template values are decided at run time.
                        for v in key
                            .values
                            .iter()
                            .filter(|v| !v.unresolved && !v.value.contains("${"))
                        {
                            if fits(family, v.value.trim()) != Some(false) {
                                continue;
                            }
                            push_about(out, doc,
                                META.diagnostic(
                                    v.span,
                                    format!(
                                        "`{}` under `{}` is not {}: IAM cannot compare the request against it",
                                        v.value,
                                        block.raw,
                                        expected(family)
                                    ),
                                )
                                .label(format!("not {}", expected(family)))
                                .related(block.entry.key.span, "operator that sets the type")
                                .help(format!(
                                    "write {} here, or use the operator family that fits the value (`String*` for text)",
                                    expected(family)
                                ))
                                .path(format!("Statement[{}].Condition.{}.{}", stmt.index, block.raw, key.name.value)),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_by_type() {
        assert_eq!(fits(OpFamily::Numeric, "3600"), Some(true));
        assert_eq!(fits(OpFamily::Numeric, "-1.5"), Some(true));
        assert_eq!(fits(OpFamily::Numeric, "1h"), Some(false));
        assert_eq!(fits(OpFamily::Date, "2026-01-31T12:00:00Z"), Some(true));
        assert_eq!(fits(OpFamily::Date, "1767225600"), Some(true));
        assert_eq!(fits(OpFamily::Date, "31/01/2026"), Some(false));
        assert_eq!(fits(OpFamily::Bool, "True"), Some(true));
        assert_eq!(fits(OpFamily::Bool, "yes"), Some(false));
        assert_eq!(fits(OpFamily::Ip, "10.0.0.0/8"), Some(true));
        assert_eq!(fits(OpFamily::Ip, "2001:db8::/32"), Some(true));
        assert_eq!(fits(OpFamily::Ip, "10.0.0.0/33"), Some(false));
        assert_eq!(fits(OpFamily::Ip, "vpc-1234"), Some(false));
        assert_eq!(fits(OpFamily::String, "anything"), None);
    }

    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
