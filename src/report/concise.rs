//! `--format concise`: one line per finding, `path:line:col: CODE name message`, as ruff's
//! concise output and compilers print them (editors and `grep` read them), then the summary.

use super::json::positions;
use super::Report;
use crate::load::Inputs;

pub fn render(report: &Report, inputs: &Inputs, summary: bool) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let (line, col, _, _) = positions(d.primary, inputs);
        let file = super::terminal_safe(&inputs.sources.get(d.primary.file).path);
        // One finding, one line: a message never spans lines here; nothing a terminal acts
        // on (the message quotes the input's values).
        let message = super::terminal_safe(&d.message.replace('\n', " ")).into_owned();
        out.push_str(&format!(
            "{file}:{line}:{col}: {} {} {message}\n",
            d.rule.code, d.rule.name
        ));
    }
    if summary {
        out.push_str(&super::human::summary_line(report, inputs));
        out.push('\n');
    }
    out
}
