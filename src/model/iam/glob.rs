//! IAM wildcard matching, as used by `StringLike`, `ArnLike`, `Action` and `Resource`.
//!
//! `*` matches any run of characters (empty included, `/` and `:` included), `?` exactly one
//! character. There are no character classes and no escapes: `[`, `]` and `\` are literal.

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    Lit(char),
    /// `*`, or an unresolved `${...}` placeholder (see [`placeholder_tokens`]).
    Any,
    One,
}

/// Whether `text` matches the IAM wildcard `pattern`.
pub fn glob_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // Rules call this for every action × known action: spare the allocations in the common
    // cases, a plain pattern and ASCII text.
    if pattern.is_ascii() && text.is_ascii() {
        let (p, t) = (pattern.as_bytes(), text.as_bytes());
        if !has_wildcard(pattern) {
            return if ignore_case {
                p.eq_ignore_ascii_case(t)
            } else {
                p == t
            };
        }
        return match_with(
            t,
            p,
            |b| match b {
                b'*' => Tok::Any,
                b'?' => Tok::One,
                b => Tok::Lit(b as char),
            },
            |b, lit| {
                if ignore_case {
                    b.eq_ignore_ascii_case(&(lit as u8))
                } else {
                    b == lit as u8
                }
            },
        );
    }
    if ignore_case {
        let (p, t) = (pattern.to_lowercase(), text.to_lowercase());
        match_tokens(&tokens(&p), &t)
    } else {
        match_tokens(&tokens(pattern), text)
    }
}

/// Whether `s` contains an IAM wildcard character.
pub fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Whether `s` has an IAM wildcard outside its unresolved `${...}` placeholders: the text
/// of an expression the inputs leave open (Terraform's `${try(v.name, k, "*")}`) stands for a
/// value not known yet, and its characters are no part of it.
pub fn has_wildcard_outside_placeholders(s: &str) -> bool {
    wildcard_outside_placeholders(s).is_some()
}

/// The byte offset of the first IAM wildcard of `s` outside its unresolved `${...}`
/// placeholders (see [`has_wildcard_outside_placeholders`]).
pub fn wildcard_outside_placeholders(s: &str) -> Option<usize> {
    let first = |t: &str| t.find(['*', '?']);
    let mut at = 0;
    let mut rest = s;
    while let Some(open) = rest.find("${") {
        if let Some(i) = first(&rest[..open]) {
            return Some(at + i);
        }
        // As `placeholder_tokens` reads them: up to the first `}`.
        match rest[open + 2..].find('}') {
            Some(close) => {
                at += open + 2 + close + 1;
                rest = &rest[open + 2 + close + 1..];
            }
            None => return first(&rest[open..]).map(|i| at + open + i),
        }
    }
    first(rest).map(|i| at + i)
}

pub(crate) fn tokens(pattern: &str) -> Vec<Tok> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => Tok::Any,
            '?' => Tok::One,
            c => Tok::Lit(c),
        })
        .collect()
}

/// Tokens for a value with unresolved `${...}` placeholders: each placeholder becomes `Any`,
/// because its eventual value could be any text. `wildcards` says whether `*`/`?` in the
/// rest are wildcards (`StringLike`) or literal (`StringEquals`). Matching against these
/// tokens over-approximates every possible substitution, so "no match" is a sure answer.
pub(crate) fn placeholder_tokens(value: &str, wildcards: bool) -> Vec<Tok> {
    let mut out = Vec::with_capacity(value.len());
    let mut rest = value;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${") {
            if let Some(close) = after.find('}') {
                out.push(Tok::Any);
                rest = &after[close + 1..];
                continue;
            }
        }
        let c = rest.chars().next().expect("non-empty");
        out.push(match c {
            '*' if wildcards => Tok::Any,
            '?' if wildcards => Tok::One,
            c => Tok::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Greedy matching that, on a mismatch, backtracks only to the most recent `*`. Each `*`
/// is retried at most once per text position, so the cost is O(pattern × text) at worst,
/// never exponential (`*a*a*a*b` against a long run of `a`s).
pub(crate) fn match_tokens(pat: &[Tok], text: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    match_with(&t, pat, |tok| tok, |c, lit| c == lit)
}

/// The matcher over any text and pattern elements: `kind` classifies a pattern element,
/// `same(text element, literal)` compares a text element with a literal.
fn match_with<T: Copy, P: Copy>(
    t: &[T],
    pat: &[P],
    kind: impl Fn(P) -> Tok,
    same: impl Fn(T, char) -> bool,
) -> bool {
    let (mut p, mut i) = (0, 0);
    // (pattern index of the last `*`, text index it currently stops at)
    let mut star: Option<(usize, usize)> = None;
    while i < t.len() {
        match pat.get(p).map(|&x| kind(x)) {
            Some(Tok::Any) => {
                star = Some((p, i));
                p += 1;
                continue;
            }
            Some(Tok::One) => {
                p += 1;
                i += 1;
                continue;
            }
            Some(Tok::Lit(c)) if same(t[i], c) => {
                p += 1;
                i += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, si)) => {
                // Let the last `*` swallow one more character and retry after it.
                p = sp + 1;
                i = si + 1;
                star = Some((sp, si + 1));
            }
            None => return false,
        }
    }
    pat[p..].iter().all(|&tok| kind(tok) == Tok::Any)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_table() {
        // (pattern, text, ignore_case, expected)
        let cases = [
            ("", "", false, true),
            ("", "a", false, false),
            ("*", "", false, true),
            ("*", "anything/at:all", false, true),
            ("a*", "a", false, true),
            ("*a", "ba", false, true),
            ("*a", "ab", false, false),
            ("?", "", false, false),
            ("?", "é", false, true),
            ("??", "é", false, false),
            ("a?c", "abc", false, true),
            ("a?c", "ac", false, false),
            ("s3:Get*", "s3:GetObject", false, true),
            ("s3:Get*", "s3:getobject", false, false),
            ("s3:Get*", "S3:GETOBJECT", true, true),
            (
                "system:serviceaccount:team:*",
                "system:serviceaccount:team:app",
                false,
                true,
            ),
            (
                "system:serviceaccount:team:*",
                "system:serviceaccount:team:",
                false,
                true,
            ),
            (
                "system:serviceaccount:team:*",
                "system:serviceaccount:other:app",
                false,
                false,
            ),
            (
                "system:serviceaccount:*:app",
                "system:serviceaccount:a:b:app",
                false,
                true,
            ),
            (
                "arn:aws:iam::*:role/*",
                "arn:aws:iam::123456789012:role/a/b",
                false,
                true,
            ),
            ("[ab]", "a", false, false),
            ("[ab]", "[ab]", false, true),
            ("a\\*", "a\\xyz", false, true),
            ("*a*a*a*a*b", &"a".repeat(40), false, false),
            ("*a*a*a*a*b", &format!("{}b", "a".repeat(40)), false, true),
            ("a*b*c", "aXbYbZc", false, true),
            ("a*b*c", "aXbYbZ", false, false),
            ("**", "x", false, true),
            ("*?", "", false, false),
            ("*?", "x", false, true),
        ];
        for (p, t, ic, want) in cases {
            assert_eq!(glob_match(p, t, ic), want, "glob_match({p:?}, {t:?}, {ic})");
        }
    }

    #[test]
    fn long_inputs_stay_fast() {
        let text = "a".repeat(20_000);
        let pattern = "*a".repeat(50) + "b";
        assert!(!glob_match(&pattern, &text, false));
    }

    #[test]
    fn wildcard_detection() {
        assert!(has_wildcard("a*"));
        assert!(has_wildcard("a?"));
        assert!(!has_wildcard("system:serviceaccount:ns:sa"));
    }

    #[test]
    fn wildcards_inside_placeholders_are_not_the_values() {
        let w = super::has_wildcard_outside_placeholders;
        assert!(!w(
            "system:serviceaccount:${try(v.name, k, \"*\")}:${var.sa}"
        ));
        assert!(w("system:serviceaccount:${var.ns}:*"));
        assert!(w("*:${var.ns}"));
        assert!(w("system:serviceaccount:${var.ns}:app-?"));
        assert!(w("a*"));
        assert!(!w("system:serviceaccount:${var.ns}:app"));
        // An unclosed placeholder is text.
        assert!(w("${var.x*"));
        // Where the first one is (rules report the piece of the value it is in).
        let at = super::wildcard_outside_placeholders;
        assert_eq!(at("system:serviceaccount:${var.ns}:*"), Some(32));
        assert_eq!(at("${a}${bb}x?y*"), Some(10));
        assert_eq!(at("${a}:${try(v, \"*\")}:ab*"), Some(22));
        assert_eq!(at("a?${b}*"), Some(1));
        assert_eq!(at("${a}:${var.x*"), Some(12));
        assert_eq!(at("${a}b${c}"), None);
    }

    #[test]
    fn placeholders_match_anything_and_literals_stay_literal() {
        let toks = placeholder_tokens("system:serviceaccount:${Ns}:app", false);
        assert!(match_tokens(&toks, "system:serviceaccount:billing:app"));
        assert!(!match_tokens(&toks, "system:serviceaccount:billing:web"));
        let literal = placeholder_tokens("a*${X}", false);
        assert!(match_tokens(&literal, "a*zz"));
        assert!(!match_tokens(&literal, "abzz"));
        let like = placeholder_tokens("a*${X}", true);
        assert!(match_tokens(&like, "abzz"));
        // An unclosed `${` is plain text.
        assert!(match_tokens(&placeholder_tokens("${x", false), "${x"));
    }
}
