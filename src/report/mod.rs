//! Output formats. Rules produce spans; line and column are computed here only.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Inputs;
use crate::Report;

/// Counts for the summary line and the JSON `summary`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(report: &Report) -> Counts {
        let mut c = Counts::default();
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

/// A line-independent identity of a finding: rule, file, logical path and message, hashed
/// (FNV-1a, 64 bits, hex). Used by SARIF `partialFingerprints` and by baselines, so moving
/// lines around neither creates new alerts nor revives baselined findings.
pub fn fingerprint(d: &Diagnostic, inputs: &Inputs) -> String {
    let file = &inputs.sources.get(d.primary.file).path;
    fingerprint_of(
        d.rule.name,
        file,
        d.logical_path.as_deref().unwrap_or(""),
        &d.message,
    )
}

pub fn fingerprint_of(rule: &str, file: &str, logical_path: &str, message: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule, file, logical_path, message] {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprints_are_stable_and_separate_their_parts() {
        let a = super::fingerprint_of("r", "f.yaml", "a.b", "msg");
        assert_eq!(a, super::fingerprint_of("r", "f.yaml", "a.b", "msg"));
        assert_ne!(a, super::fingerprint_of("r", "f.yam", "la.b", "msg"));
        assert_eq!(a.len(), 16);
    }
}
