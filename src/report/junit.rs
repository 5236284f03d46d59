//! `--format junit`: JUnit XML for CI systems that show test reports (GitLab, Jenkins,
//! Azure). One test suite per file, one failed test case per finding; a run without
//! findings is one passing test case.

use super::json::positions;
use super::Report;
use crate::load::Inputs;

pub fn render(report: &Report, inputs: &Inputs) -> String {
    let n = report.diagnostics.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"irsalint\" tests=\"{}\" failures=\"{n}\" errors=\"0\">\n",
        n.max(1)
    ));
    if n == 0 {
        out.push_str("  <testsuite name=\"irsalint\" tests=\"1\" failures=\"0\" errors=\"0\">\n");
        out.push_str("    <testcase name=\"no findings\" classname=\"irsalint\"/>\n");
        out.push_str("  </testsuite>\n");
    }
    // Findings are sorted by file, so each file's findings are contiguous.
    let mut i = 0;
    while i < n {
        let file_id = report.diagnostics[i].primary.file;
        let group: Vec<_> = report.diagnostics[i..]
            .iter()
            .take_while(|d| d.primary.file == file_id)
            .collect();
        i += group.len();
        let path = xml(&inputs.sources.get(file_id).path);
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{0}\" failures=\"{0}\" errors=\"0\">\n",
            group.len()
        ));
        for d in group {
            let (line, col, _, _) = positions(d.primary, inputs);
            out.push_str(&format!(
                "    <testcase name=\"{} at {line}:{col}\" classname=\"{path}\" file=\"{path}\" line=\"{line}\">\n",
                d.rule.name
            ));
            let mut body = format!(
                "{path}:{line}:{col}: {} {} [{}]: {}",
                d.severity.as_str(),
                d.rule.code,
                d.rule.name,
                xml(&d.message)
            );
            if let Some(h) = &d.help {
                body.push_str(&format!("\nhelp: {}", xml(h)));
            }
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{body}</failure>\n",
                d.severity.as_str(),
                xml(&d.message)
            ));
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => o.push(c),
        }
    }
    o
}
