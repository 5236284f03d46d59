//! Rule selection for `--select`/`--ignore` and `irsalint.toml`: `all`, a family (name or
//! letter), a code (`T005`) or a name (`trust-wildcard-in-stringequals`); and `Selection`,
//! which rules run and how severe their findings are.

use std::collections::HashMap;

use super::{Family, RuleMeta, RULES};
use crate::diagnostic::Severity;

#[derive(Debug, Clone, Copy)]
pub enum Selector {
    All,
    Family(Family),
    Rule(&'static RuleMeta),
}

impl PartialEq for Selector {
    fn eq(&self, other: &Selector) -> bool {
        match (self, other) {
            (Selector::All, Selector::All) => true,
            (Selector::Family(a), Selector::Family(b)) => a == b,
            (Selector::Rule(a), Selector::Rule(b)) => std::ptr::eq(*a, *b),
            _ => false,
        }
    }
}

impl Selector {
    pub fn matches(&self, meta: &RuleMeta) -> bool {
        match self {
            Selector::All => true,
            Selector::Family(f) => meta.family == *f,
            Selector::Rule(m) => std::ptr::eq(*m, meta),
        }
    }
}

/// The rule with this code or name (codes case-insensitive).
pub fn find_rule(s: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta())
        .find(|m| m.name == s || m.code.eq_ignore_ascii_case(s))
}

pub fn parse(s: &str) -> Result<Selector, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok(Selector::All);
    }
    if let Some(m) = find_rule(s) {
        return Ok(Selector::Rule(m));
    }
    for f in Family::ALL {
        if f.name().eq_ignore_ascii_case(s)
            || (s.len() == 1 && s.eq_ignore_ascii_case(&f.letter().to_string()))
        {
            return Ok(Selector::Family(f));
        }
    }
    Err(unknown_rule_message(s))
}

/// `unknown rule "trust-mising-aud" (did you mean "trust-missing-aud"?)`
pub fn unknown_rule_message(s: &str) -> String {
    let candidates = RULES
        .iter()
        .map(|r| r.meta().name)
        .chain(Family::ALL.iter().map(|f| f.name()))
        .chain(std::iter::once("all"));
    match did_you_mean(s, candidates) {
        Some(best) => format!("unknown rule \"{s}\" (did you mean \"{best}\"?)"),
        None => format!("unknown rule \"{s}\" (see `irsalint rules`)"),
    }
}

/// The closest candidate, if it is close enough to be a plausible typo.
pub fn did_you_mean<'c>(s: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&s.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_by_code_name_family_and_suggests() {
        assert_eq!(
            parse("E001").unwrap(),
            Selector::Rule(find_rule("parse-error").unwrap())
        );
        assert_eq!(
            parse("e001").unwrap(),
            Selector::Rule(find_rule("parse-error").unwrap())
        );
        assert_eq!(parse("trust").unwrap(), Selector::Family(Family::Trust));
        assert_eq!(parse("T").unwrap(), Selector::Family(Family::Trust));
        assert_eq!(parse("ALL").unwrap(), Selector::All);
        let err = parse("trust-no-sub-conditon").unwrap_err();
        assert_eq!(
            err,
            "unknown rule \"trust-no-sub-conditon\" (did you mean \"trust-no-sub-condition\"?)"
        );
        assert!(parse("zzz").unwrap_err().contains("see `irsalint rules`"));
    }
}

/// Which rules run and how severe their findings are.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    /// Empty means all rules.
    pub select: Vec<Selector>,
    pub ignore: Vec<Selector>,
    pub severity: HashMap<&'static str, Severity>,
}

impl Selection {
    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s.matches(meta)))
            && !self.ignore.iter().any(|s| s.matches(meta))
    }
}
