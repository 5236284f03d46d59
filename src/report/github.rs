//! `--format github`: one GitHub Actions workflow command per finding, which GitHub shows
//! as an annotation on the pull request's diff.
//! `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=RULE::message`

use super::json::positions;
use super::Report;
use crate::diagnostic::Severity;
use crate::load::Inputs;

pub fn render(report: &Report, inputs: &Inputs) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let (line, col, end_line, end_col) = positions(d.primary, inputs);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let file = &inputs.sources.get(d.primary.file).path;
        out.push_str(&format!(
            "::{level} file={},line={line}",
            escape_property(file)
        ));
        // Workflow commands reject col/endColumn on multi-line ranges (ruff#22074).
        if line == end_line {
            out.push_str(&format!(",col={col}"));
        }
        out.push_str(&format!(",endLine={end_line}"));
        if line == end_line {
            out.push_str(&format!(",endColumn={end_col}"));
        }
        let title = format!("{} ({})", d.rule.name, d.rule.code);
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        out.push_str(&format!(
            ",title={}::{}\n",
            escape_property(&title),
            escape_data(&message)
        ));
    }
    out
}

/// The message part: `%`, CR and LF are escaped.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as data, plus `:` and `,` which separate properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use crate::load::{load, RawInput};
    use crate::rules::input::duplicate_key::META;
    use crate::source::file::Span;
    use crate::source::Limits;

    #[test]
    fn columns_only_on_single_line_ranges() {
        let inputs = load(
            vec![RawInput {
                display: "a, b:c.yaml".into(),
                bytes: b"key: 1\nother: 2\n".to_vec(),
                read_error: None,
            }],
            &Limits::default(),
        );
        let report = super::Report {
            diagnostics: vec![
                META.diagnostic(Span::new(0, 0, 3), "one line"),
                META.diagnostic(Span::new(0, 0, 10), "two lines 100%"),
            ],
            suppressed: 0,
        };
        assert_eq!(
            super::render(&report, &inputs),
            "::error file=a%2C b%3Ac.yaml,line=1,col=1,endLine=1,endColumn=4,title=duplicate-key (E002)::one line\n\
             ::error file=a%2C b%3Ac.yaml,line=1,endLine=2,title=duplicate-key (E002)::two lines 100%25\n"
        );
    }

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(super::escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(super::escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
