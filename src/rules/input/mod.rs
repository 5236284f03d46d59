//! Input rules: what went wrong reading the files themselves.

pub mod duplicate_key;
pub mod input_limit;
pub mod input_not_text;
pub mod internal_error;
pub mod invalid_suppression;
pub mod parse_error;
pub mod unresolved_include;
pub mod unsupported_template;
pub mod unused_suppression;
pub mod yaml_lenient_flow_indentation;

use crate::diagnostic::Diagnostic;
use crate::rules::RuleMeta;
use crate::source::ProblemKind;
use crate::world::World;

/// Reports every load problem of one kind as a finding of `meta`.
pub(crate) fn report_problems(
    world: &World<'_>,
    kind: ProblemKind,
    meta: &'static RuleMeta,
    out: &mut Vec<Diagnostic>,
) {
    for file in &world.inputs.files {
        for p in file.problems.iter().filter(|p| p.kind == kind) {
            out.push(meta.diagnostic(p.span, p.message.clone()));
        }
    }
}
