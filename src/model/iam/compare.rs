//! One policy value against one request value, per operator family. Negation, qualifiers,
//! absent keys and `IfExists` are handled by the caller ([`super::eval`]); here the operator
//! is always the positive form.
//!
//! A malformed policy value (a date or address IAM cannot read) never matches: IAM would
//! reject the policy or the comparison, and the type-mismatch rule reports it.

use std::net::IpAddr;

use crate::model::value::Text;

use super::arn;
use super::glob::{self, glob_match};
use super::operator::{BaseOp, Family};
use super::tri::Tri;

/// Whether the request value `actual` matches the policy value under the positive
/// operator `op`.
pub(crate) fn compare(op: BaseOp, policy: &Text, actual: &str) -> Tri {
    let p = policy.value.as_str();
    let placeholder = policy.unresolved || p.contains("${");
    match op.family() {
        // `${...}` in a string or ARN is an unresolved CloudFormation parameter or a policy
        // variable (`${aws:username}`): it could be any text, so only a mismatch of the
        // literal parts around it is a sure answer.
        Family::String | Family::Arn if placeholder => {
            let (p, a) = if op.ignores_case() {
                (p.to_lowercase(), actual.to_lowercase())
            } else {
                (p.to_string(), actual.to_string())
            };
            let toks = glob::placeholder_tokens(&p, op.uses_wildcards());
            if glob::match_tokens(&toks, &a) {
                Tri::Unknown
            } else {
                Tri::False
            }
        }
        _ if policy.unresolved => Tri::Unknown,
        Family::String => match op {
            BaseOp::StringLike => glob_match(p, actual, false),
            BaseOp::StringEqualsIgnoreCase => p.to_lowercase() == actual.to_lowercase(),
            _ => p == actual,
        }
        .into(),
        Family::Arn => arn_match(p, actual).into(),
        Family::Numeric => match (num(p), num(actual)) {
            (Some(p), Some(a)) => ordered(op, a.partial_cmp(&p)).into(),
            _ => Tri::False,
        },
        Family::Date => match (date_millis(p), date_millis(actual)) {
            (Some(p), Some(a)) => ordered(op, Some(a.cmp(&p))).into(),
            _ => Tri::False,
        },
        Family::Bool => {
            let p = p.to_ascii_lowercase();
            ((p == "true" || p == "false") && p == actual.to_ascii_lowercase()).into()
        }
        Family::Binary => (p == actual).into(),
        Family::Ip => match (cidr(p), actual.trim().parse::<IpAddr>()) {
            (Some(net), Ok(addr)) => in_cidr(addr, net).into(),
            _ => Tri::False,
        },
        // `Null` is decided by presence alone, in eval.
        Family::Null => Tri::Unknown,
    }
}

/// `actual <op> policy` for the ordered families.
fn ordered(op: BaseOp, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    let Some(ord) = ord else { return false };
    match op {
        BaseOp::NumericEquals | BaseOp::DateEquals => ord == Equal,
        BaseOp::NumericLessThan | BaseOp::DateLessThan => ord == Less,
        BaseOp::NumericLessThanEquals | BaseOp::DateLessThanEquals => ord != Greater,
        BaseOp::NumericGreaterThan | BaseOp::DateGreaterThan => ord == Greater,
        BaseOp::NumericGreaterThanEquals | BaseOp::DateGreaterThanEquals => ord != Less,
        _ => false,
    }
}

fn num(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `ArnEquals`/`ArnLike`: each of the six components is matched on its own, so a `*` in the
/// region cannot swallow the account. A policy ARN with fewer than six parts
/// (`arn:aws:iam::*`) matches nothing, as in IAM; a value that is not an ARN at all (`*`)
/// is matched as a whole string.
fn arn_match(policy: &str, actual: &str) -> bool {
    match (arn::parse(policy), arn::parse(actual)) {
        (Some(p), Some(a)) => [
            (p.partition, a.partition),
            (p.service, a.service),
            (p.region, a.region),
            (p.account, a.account),
            (p.resource, a.resource),
        ]
        .iter()
        .all(|(p, a)| glob_match(p, a, false)),
        (Some(_), None) => false,
        (None, _) if policy.starts_with("arn:") => false,
        (None, _) => glob_match(policy, actual, false),
    }
}

fn cidr(s: &str) -> Option<(IpAddr, u8)> {
    let s = s.trim();
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a.parse::<IpAddr>().ok()?, Some(l.parse::<u8>().ok()?)),
        None => (s.parse::<IpAddr>().ok()?, None),
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let len = len.unwrap_or(max);
    (len <= max).then_some((addr, len))
}

fn in_cidr(addr: IpAddr, (net, len): (IpAddr, u8)) -> bool {
    let mask = |bits: u32, len: u8| -> u128 {
        if len == 0 {
            0
        } else {
            (u128::MAX << (128 - u32::from(len))) >> (128 - bits)
        }
    };
    match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let m = mask(32, len) as u32;
            u32::from(a) & m == u32::from(n) & m
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let m = mask(128, len);
            u128::from(a) & m == u128::from(n) & m
        }
        _ => false,
    }
}

/// Milliseconds since the epoch of an ISO 8601 date or date-time (`2024-01-31`,
/// `2024-01-31T12:00:00Z`, `...T12:00:00.5+02:00`) or of epoch seconds (`1706702400`).
fn date_millis(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<i64>() {
        return secs.checked_mul(1000);
    }
    let (date, time) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut d = date.splitn(3, '-');
    let year: i64 = digits(d.next()?, 4)?;
    let month: i64 = digits(d.next()?, 2)?;
    let day: i64 = digits(d.next()?, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) * 86_400_000;
    if let Some(time) = time {
        let (clock, offset) = split_zone(time)?;
        let mut parts = clock.splitn(3, ':');
        let h: i64 = digits(parts.next()?, 2)?;
        let m: i64 = digits(parts.next()?, 2)?;
        let (sec, frac) = match parts.next() {
            Some(sec) => match sec.split_once('.') {
                Some((s, f)) => (digits(s, 2)?, frac_millis(f)?),
                None => (digits(sec, 2)?, 0),
            },
            None => (0, 0),
        };
        if h > 23 || m > 59 || sec > 60 {
            return None;
        }
        millis += ((h * 60 + m) * 60 + sec) * 1000 + frac - offset * 60_000;
    }
    Some(millis)
}

/// Splits `12:00:00+02:00` into the clock and the offset in minutes east of UTC.
fn split_zone(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match time.rfind(['+', '-']) {
        Some(i) => {
            let zone = time[i + 1..].replace(':', "");
            let sign = if time.as_bytes()[i] == b'-' { -1 } else { 1 };
            let h: i64 = digits(zone.get(..2)?, 2)?;
            let m: i64 = digits(zone.get(2..)?, 2)?;
            Some((&time[..i], sign * (h * 60 + m)))
        }
        None => Some((time, 0)),
    }
}

fn digits(s: &str, n: usize) -> Option<i64> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn frac_millis(f: &str) -> Option<i64> {
    if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut padded: String = f.chars().take(3).collect();
    while padded.len() < 3 {
        padded.push('0');
    }
    padded.parse().ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let cases = [
            ("1970-01-01", Some(0)),
            ("1970-01-02T00:00:00Z", Some(86_400_000)),
            ("2024-02-29T12:30:00Z", Some(1_709_209_800_000)),
            ("2024-02-29T14:30:00+02:00", Some(1_709_209_800_000)),
            ("2024-02-29T12:30:00.250Z", Some(1_709_209_800_250)),
            // Fewer than three digits are tenths and hundredths, more are cut to millis.
            ("2024-02-29T12:30:00.5Z", Some(1_709_209_800_500)),
            ("2024-02-29T12:30:00.05Z", Some(1_709_209_800_050)),
            ("2024-02-29T12:30:00.123456Z", Some(1_709_209_800_123)),
            ("1709209800", Some(1_709_209_800_000)),
            ("2024-13-01", None),
            ("yesterday", None),
            ("2024-1-1", None),
        ];
        for (s, want) in cases {
            assert_eq!(date_millis(s), want, "{s}");
        }
    }

    #[test]
    fn cidrs() {
        let cases = [
            ("203.0.113.0/24", "203.0.113.7", true),
            ("203.0.113.0/24", "203.0.114.7", false),
            ("203.0.113.7", "203.0.113.7", true),
            ("0.0.0.0/0", "8.8.8.8", true),
            ("2001:db8::/32", "2001:db8:1::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("203.0.113.0/24", "2001:db8::1", false),
        ];
        for (net, addr, want) in cases {
            let net = cidr(net).unwrap();
            assert_eq!(
                in_cidr(addr.parse().unwrap(), net),
                want,
                "{addr} in {net:?}"
            );
        }
        assert!(cidr("10.0.0.0/33").is_none());
        assert!(cidr("10.0.0/8").is_none());
    }

    #[test]
    fn arns_match_per_component() {
        let cases = [
            (
                "arn:aws:iam::*:role/app",
                "arn:aws:iam::123456789012:role/app",
                true,
            ),
            (
                "arn:aws:iam::*:role/*",
                "arn:aws:iam::123456789012:role/a/b",
                true,
            ),
            ("arn:aws:*:*:*:*", "arn:aws:s3:::bucket", true),
            // `*` in the region cannot take in the account as a whole-string glob would.
            (
                "arn:aws:iam:*:role/app",
                "arn:aws:iam::123456789012:role/app",
                false,
            ),
            (
                "arn:aws:iam::123456789012:role/App",
                "arn:aws:iam::123456789012:role/app",
                false,
            ),
            ("*", "arn:aws:iam::123456789012:role/app", true),
            (
                "arn:aws:iam::*",
                "arn:aws:iam::123456789012:role/app",
                false,
            ),
            ("arn:aws:iam::123456789012:role/app", "not-an-arn", false),
        ];
        for (p, a, want) in cases {
            assert_eq!(arn_match(p, a), want, "{p} vs {a}");
        }
    }
}
