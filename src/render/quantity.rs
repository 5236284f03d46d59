//! `resource.Quantity` canonical form (what the webhook re-emits): `0.5` → `500m`,
//! `1000m` → `1`, `1024Mi` → `1Gi`, `1e3` stays `1e3`. Unparseable text is kept as is.

const BINARY: &[(&str, u32)] = &[
    ("Ki", 1),
    ("Mi", 2),
    ("Gi", 3),
    ("Ti", 4),
    ("Pi", 5),
    ("Ei", 6),
];
const DECIMAL: &[(&str, i32)] = &[
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

enum Format {
    Binary(u32),
    Decimal(i32),
    Exponent(i32),
}

pub fn canonical(s: &str) -> String {
    parse_canonical(s.trim()).unwrap_or_else(|| s.to_string())
}

fn parse_canonical(s: &str) -> Option<String> {
    let (neg, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let num_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (num, suffix) = rest.split_at(num_end);
    if num.is_empty() || num == "." || num.matches('.').count() > 1 {
        return None;
    }
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    let digits = format!("{int_part}{frac_part}");
    let mut mantissa: i128 = digits.trim_start_matches('0').parse().unwrap_or(0);
    if digits.len() > 30 {
        return None;
    }
    let mut exp: i32 = -(frac_part.len() as i32);
    let format = if let Some((_, k)) = BINARY.iter().find(|(n, _)| *n == suffix) {
        Format::Binary(*k)
    } else if let Some((_, e)) = DECIMAL.iter().find(|(n, _)| *n == suffix) {
        Format::Decimal(*e)
    } else if let Some(e) = suffix.strip_prefix(['e', 'E']) {
        Format::Exponent(e.parse().ok()?)
    } else {
        return None;
    };
    if neg {
        mantissa = -mantissa;
    }
    if mantissa == 0 {
        return Some("0".into());
    }
    match format {
        Format::Binary(k) => {
            // The value in bytes, when integral.
            let mut v = mantissa.checked_mul(1i128.checked_shl(10 * k)?)?;
            let mut e = exp;
            while e < 0 && v % 10 == 0 {
                v /= 10;
                e += 1;
            }
            if e == 0 && v.abs() >= 1024 {
                let mut k = 0;
                while k < 6 && v % 1024 == 0 {
                    v /= 1024;
                    k += 1;
                }
                let suffix = if k == 0 { "" } else { BINARY[k - 1].0 };
                return Some(format!("{v}{suffix}"));
            }
            // Small or fractional byte counts fall back to decimal SI.
            let mut m = mantissa.checked_mul(1i128.checked_shl(10 * k)?)?;
            let mut e = exp;
            normalise(&mut m, &mut e);
            decimal(m, e, false)
        }
        Format::Decimal(e) | Format::Exponent(e) => {
            exp += e;
            normalise(&mut mantissa, &mut exp);
            decimal(mantissa, exp, matches!(format, Format::Exponent(_)))
        }
    }
}

/// Rounds up to nano precision, makes the exponent a multiple of 3 and drops zero groups.
fn normalise(m: &mut i128, e: &mut i32) {
    while *e < -9 {
        let r = *m % 10;
        *m /= 10;
        if r > 0 {
            *m += 1;
        }
        *e += 1;
    }
    while e.rem_euclid(3) != 0 {
        *m *= 10;
        *e -= 1;
    }
    while *m != 0 && *m % 1000 == 0 && *e < 18 {
        *m /= 1000;
        *e += 3;
    }
}

fn decimal(m: i128, e: i32, exponent: bool) -> Option<String> {
    if m == 0 {
        return Some("0".into());
    }
    if exponent {
        return Some(if e == 0 {
            format!("{m}")
        } else {
            format!("{m}e{e}")
        });
    }
    let mut m = m;
    let mut e = e;
    while e > 18 {
        m = m.checked_mul(1000)?;
        e -= 3;
    }
    let suffix = DECIMAL.iter().find(|(_, x)| *x == e)?.0;
    Some(format!("{m}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn canonical_forms() {
        for (i, o) in [
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1024Mi", "1Gi"),
            ("1536Mi", "1536Mi"),
            ("100M", "100M"),
            ("1000", "1k"),
            ("128974848", "128974848"),
            ("1e3", "1e3"),
            ("0", "0"),
            ("0.5Ki", "512"),
            ("1.5Gi", "1536Mi"),
            ("250m", "250m"),
            ("2", "2"),
            ("x", "x"),
        ] {
            assert_eq!(canonical(i), o, "{i}");
        }
    }
}
