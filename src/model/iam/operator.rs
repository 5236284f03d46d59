//! Condition operator names: `[ForAllValues:|ForAnyValue:]<Base>[IfExists]`.
//!
//! Names are matched exactly. A name that differs only in case, or is a near miss
//! (`StringEqual`, `StringEqualsIfExist`, `ForAllValue:StringEquals`), is an error that
//! carries the intended name, so the grammar rule can say "did you mean".

use std::fmt;

/// Set qualifiers for multi-valued keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    ForAllValues,
    ForAnyValue,
}

impl Qualifier {
    pub const ALL: [Qualifier; 2] = [Qualifier::ForAllValues, Qualifier::ForAnyValue];

    pub fn name(self) -> &'static str {
        match self {
            Qualifier::ForAllValues => "ForAllValues",
            Qualifier::ForAnyValue => "ForAnyValue",
        }
    }
}

/// The operator families, which decide how a value is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

macro_rules! base_ops {
    ($($op:ident => $family:ident, $negated:literal;)*) => {
        /// The operator without qualifier and `IfExists`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum BaseOp { $($op),* }

        impl BaseOp {
            pub const ALL: &'static [BaseOp] = &[$(BaseOp::$op),*];

            pub fn name(self) -> &'static str {
                match self { $(BaseOp::$op => stringify!($op)),* }
            }

            pub fn family(self) -> Family {
                match self { $(BaseOp::$op => Family::$family),* }
            }

            /// Negated operators (`StringNotEquals`, `NotIpAddress`, ...) are true when the
            /// value matches none of the listed values, and true when the key is absent.
            pub fn is_negated(self) -> bool {
                match self { $(BaseOp::$op => $negated),* }
            }
        }
    };
}

base_ops! {
    StringEquals => String, false;
    StringNotEquals => String, true;
    StringEqualsIgnoreCase => String, false;
    StringNotEqualsIgnoreCase => String, true;
    StringLike => String, false;
    StringNotLike => String, true;
    NumericEquals => Numeric, false;
    NumericNotEquals => Numeric, true;
    NumericLessThan => Numeric, false;
    NumericLessThanEquals => Numeric, false;
    NumericGreaterThan => Numeric, false;
    NumericGreaterThanEquals => Numeric, false;
    DateEquals => Date, false;
    DateNotEquals => Date, true;
    DateLessThan => Date, false;
    DateLessThanEquals => Date, false;
    DateGreaterThan => Date, false;
    DateGreaterThanEquals => Date, false;
    Bool => Bool, false;
    BinaryEquals => Binary, false;
    IpAddress => Ip, false;
    NotIpAddress => Ip, true;
    ArnEquals => Arn, false;
    ArnLike => Arn, false;
    ArnNotEquals => Arn, true;
    ArnNotLike => Arn, true;
    Null => Null, false;
}

impl BaseOp {
    /// The positive counterpart of a negated operator (`StringNotLike` → `StringLike`);
    /// other operators are returned unchanged.
    pub fn positive(self) -> BaseOp {
        match self {
            BaseOp::StringNotEquals => BaseOp::StringEquals,
            BaseOp::StringNotEqualsIgnoreCase => BaseOp::StringEqualsIgnoreCase,
            BaseOp::StringNotLike => BaseOp::StringLike,
            BaseOp::NumericNotEquals => BaseOp::NumericEquals,
            BaseOp::DateNotEquals => BaseOp::DateEquals,
            BaseOp::NotIpAddress => BaseOp::IpAddress,
            BaseOp::ArnNotEquals => BaseOp::ArnEquals,
            BaseOp::ArnNotLike => BaseOp::ArnLike,
            op => op,
        }
    }

    /// Whether `*` and `?` in policy values are wildcards. `ArnEquals` matches like
    /// `ArnLike` in IAM (each ARN component may hold wildcards); the grammar rule may still
    /// prefer `ArnLike` for clarity.
    pub fn uses_wildcards(self) -> bool {
        matches!(self.positive(), BaseOp::StringLike) || self.family() == Family::Arn
    }

    pub fn ignores_case(self) -> bool {
        matches!(self.positive(), BaseOp::StringEqualsIgnoreCase)
    }
}

/// A parsed condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    pub qualifier: Option<Qualifier>,
    pub base: BaseOp,
    /// `...IfExists`: true when the key is absent. Parsed for `Null` too (`NullIfExists`),
    /// which IAM documents as meaningless; the grammar rule reports that combination.
    pub if_exists: bool,
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.qualifier {
            write!(f, "{}:", q.name())?;
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// An operator name IAM would reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorError {
    pub raw: String,
    /// Lower-case description, e.g. "unknown condition operator `StringEqual`".
    pub message: String,
    /// The operator probably meant, spelled correctly.
    pub suggestion: Option<String>,
    /// True when the name differs from a valid one only in letter case.
    pub case_only: bool,
}

impl fmt::Display for OperatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

/// Parses an operator name such as `ForAnyValue:StringLikeIfExists`.
pub fn parse_operator(s: &str) -> Result<Operator, OperatorError> {
    let (qual_raw, body_raw) = match s.split_once(':') {
        Some((q, b)) => (Some(q), b),
        None => (None, s),
    };
    let qualifier = qual_raw.map(|q| {
        Qualifier::ALL
            .iter()
            .copied()
            .find(|c| c.name() == q)
            .ok_or_else(|| closest(q, Qualifier::ALL.iter().map(|c| (c.name().to_string(), *c))))
    });
    let body = exact_body(body_raw).ok_or_else(|| closest(body_raw, bodies()));
    match (qualifier, body) {
        (None, Ok((base, if_exists))) => Ok(Operator {
            qualifier: None,
            base,
            if_exists,
        }),
        (Some(Ok(q)), Ok((base, if_exists))) => Ok(Operator {
            qualifier: Some(q),
            base,
            if_exists,
        }),
        (qualifier, body) => {
            let q_fix = qualifier.map(|q| q.map(|q| q.name().to_string()));
            Err(error(s, qual_raw, q_fix, body))
        }
    }
}

type Guess<T> = Option<(String, T, bool)>; // (name, value, case-only difference)

fn error(
    raw: &str,
    qual_raw: Option<&str>,
    qualifier: Option<Result<String, Guess<Qualifier>>>,
    body: Result<(BaseOp, bool), Guess<(BaseOp, bool)>>,
) -> OperatorError {
    let qual_bad = matches!(qualifier, Some(Err(_)));
    let (q_name, q_case) = match &qualifier {
        None => (Some(String::new()), true),
        Some(Ok(n)) => (Some(format!("{n}:")), true),
        Some(Err(Some((n, _, case)))) => (Some(format!("{n}:")), *case),
        Some(Err(None)) => (None, false),
    };
    let (b_name, b_case) = match &body {
        Ok((base, if_exists)) => (Some(body_name(*base, *if_exists)), true),
        Err(Some((n, _, case))) => (Some(n.clone()), *case),
        Err(None) => (None, false),
    };
    let suggestion = q_name.zip(b_name).map(|(q, b)| q + &b);
    let case_only = suggestion.is_some() && q_case && b_case;
    let message = if case_only {
        format!("condition operator `{raw}` has the wrong letter case")
    } else if qual_bad {
        format!(
            "unknown condition qualifier `{}` in `{raw}`",
            qual_raw.unwrap_or_default()
        )
    } else {
        format!("unknown condition operator `{raw}`")
    };
    OperatorError {
        raw: raw.to_string(),
        message,
        suggestion,
        case_only,
    }
}

fn body_name(base: BaseOp, if_exists: bool) -> String {
    let mut s = base.name().to_string();
    if if_exists {
        s.push_str("IfExists");
    }
    s
}

fn exact_body(s: &str) -> Option<(BaseOp, bool)> {
    let (name, if_exists) = match s.strip_suffix("IfExists") {
        Some(n) => (n, true),
        None => (s, false),
    };
    BaseOp::ALL
        .iter()
        .find(|op| op.name() == name)
        .map(|op| (*op, if_exists))
}

fn bodies() -> impl Iterator<Item = (String, (BaseOp, bool))> {
    BaseOp::ALL.iter().flat_map(|op| {
        [
            (op.name().to_string(), (*op, false)),
            (body_name(*op, true), (*op, true)),
        ]
    })
}

/// The candidate nearest to `s`: equal ignoring case, or within a small edit distance.
fn closest<T: Copy>(s: &str, candidates: impl Iterator<Item = (String, T)>) -> Guess<T> {
    let lower = s.to_lowercase();
    let mut best: Option<(usize, String, T)> = None;
    for (name, value) in candidates {
        let d = edit_distance(&lower, &name.to_lowercase());
        if best.as_ref().is_none_or(|(bd, _, _)| d < *bd) {
            best = Some((d, name, value));
        }
    }
    let (d, name, value) = best?;
    // Small enough that the intent is clear: a letter or two, or a quarter of the name.
    let limit = (name.chars().count() / 4).max(1);
    (d <= limit).then_some((name, value, d == 0))
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_operators() {
        use BaseOp::*;
        use Qualifier::*;
        let cases = [
            ("StringEquals", None, StringEquals, false),
            ("StringLikeIfExists", None, StringLike, true),
            (
                "ForAnyValue:StringLike",
                Some(ForAnyValue),
                StringLike,
                false,
            ),
            (
                "ForAllValues:StringEqualsIgnoreCaseIfExists",
                Some(ForAllValues),
                StringEqualsIgnoreCase,
                true,
            ),
            ("NotIpAddress", None, NotIpAddress, false),
            ("ArnNotLikeIfExists", None, ArnNotLike, true),
            ("Null", None, Null, false),
            ("NullIfExists", None, Null, true),
            (
                "NumericGreaterThanEquals",
                None,
                NumericGreaterThanEquals,
                false,
            ),
            ("DateLessThan", None, DateLessThan, false),
            ("Bool", None, Bool, false),
            ("BinaryEquals", None, BinaryEquals, false),
        ];
        for (s, q, base, ie) in cases {
            let op = parse_operator(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!((op.qualifier, op.base, op.if_exists), (q, base, ie), "{s}");
            assert_eq!(op.to_string(), s);
        }
        assert_eq!(BaseOp::ALL.len(), 27);
    }

    #[test]
    fn typos_get_suggestions() {
        // (input, suggestion, case_only)
        let cases = [
            ("StringEqual", Some("StringEquals"), false),
            ("StringEqualsIfExist", Some("StringEqualsIfExists"), false),
            (
                "ForAllValue:StringEquals",
                Some("ForAllValues:StringEquals"),
                false,
            ),
            (
                "StringEqualsIgnorecase",
                Some("StringEqualsIgnoreCase"),
                true,
            ),
            ("stringequals", Some("StringEquals"), true),
            (
                "forAnyValue:StringLike",
                Some("ForAnyValue:StringLike"),
                true,
            ),
            (
                "ForAnyValues:StringLke",
                Some("ForAnyValue:StringLike"),
                false,
            ),
            ("IpAdress", Some("IpAddress"), false),
            ("Foo", None, false),
            ("ForSomeValues:StringEquals", None, false),
            ("", None, false),
            ("ForAllValues:", None, false),
        ];
        for (s, want, case_only) in cases {
            let e = parse_operator(s).expect_err(s);
            assert_eq!(e.suggestion.as_deref(), want, "{s}");
            assert_eq!(e.case_only, case_only, "{s}");
            assert_eq!(e.raw, s);
            assert!(
                e.message.starts_with(char::is_lowercase),
                "{s}: {}",
                e.message
            );
        }
        let e = parse_operator("ForAllValue:StringEquals").unwrap_err();
        assert!(e.message.contains("qualifier"), "{}", e.message);
        assert_eq!(
            e.to_string(),
            "unknown condition qualifier `ForAllValue` in `ForAllValue:StringEquals` (did you mean `ForAllValues:StringEquals`?)"
        );
    }

    #[test]
    fn operator_properties() {
        assert!(BaseOp::StringNotLike.is_negated());
        assert_eq!(BaseOp::StringNotLike.positive(), BaseOp::StringLike);
        assert!(BaseOp::NotIpAddress.is_negated());
        assert!(!BaseOp::NumericLessThan.is_negated());
        assert!(BaseOp::ArnEquals.uses_wildcards());
        assert!(!BaseOp::StringEquals.uses_wildcards());
        assert!(BaseOp::StringNotEqualsIgnoreCase.ignores_case());
        assert_eq!(BaseOp::DateGreaterThan.family(), Family::Date);
    }
}
