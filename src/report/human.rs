//! The default output: miette's graphical reports with the source snippet, a label on the
//! primary span and on each related span (those in other files as nested reports), then one
//! summary line. miette stays behind this module.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::Counts;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Inputs;
use crate::source::file::{SourceFile, Span};
use crate::Report;

#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
    /// Add each rule's "How to fix" and the evidence chain.
    pub explain: bool,
}

/// A file as miette source code; reads only the lines around a span.
struct FileSource<'a>(&'a SourceFile);

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let f = self.0;
        let text = &f.text;
        if span.offset() + span.len() > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let (first, first_col) = f.line_col(span.offset());
        // With no context miette wants the span itself, to print `file:line:column`.
        if before == 0 && after == 0 {
            let end = span.offset() + span.len();
            return Ok(Box::new(MietteSpanContents::new_named(
                f.path.clone(),
                &text.as_bytes()[span.offset()..end],
                *span,
                first - 1,
                first_col - 1,
                first,
            )));
        }
        let (last, _) = f.line_col(
            (span.offset() + span.len())
                .saturating_sub(1)
                .max(span.offset()),
        );
        let from_line = first.saturating_sub(before).max(1);
        let to_line = (last + after).min(f.lines.line_count());
        let start = f.lines.line_start(from_line);
        let end = if to_line >= f.lines.line_count() {
            text.len()
        } else {
            f.lines.line_start(to_line + 1)
        };
        Ok(Box::new(MietteSpanContents::new_named(
            f.path.clone(),
            &text.as_bytes()[start..end],
            SourceSpan::new(start.into(), end - start),
            from_line - 1,
            0,
            to_line,
        )))
    }
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

/// One report as miette sees it.
struct Rendered<'a> {
    message: String,
    code: String,
    /// `None` for a related location: miette then prints no severity heading.
    severity: Option<Severity>,
    source: FileSource<'a>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    /// Places in other files, rendered after the report as their own snippets (miette's
    /// related reports carry an "Advice:" heading that reads as noise here).
    related: Vec<Rendered<'a>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.severity.map(|s| match s {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn build<'a>(d: &Diagnostic, inputs: &'a Inputs, explain: bool) -> Rendered<'a> {
    let file = inputs.sources.get(d.primary.file);
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        d.label.clone(),
        source_span(d.primary),
    )];
    let mut related = Vec::new();
    for r in &d.related {
        if r.span.file == d.primary.file {
            labels.push(LabeledSpan::new_with_span(
                Some(r.message.clone()),
                source_span(r.span),
            ));
        } else {
            related.push(Rendered {
                message: format!("related: {}", r.message),
                code: String::new(),
                severity: Some(Severity::Info),
                source: FileSource(inputs.sources.get(r.span.file)),
                labels: vec![LabeledSpan::new_primary_with_span(
                    Some(r.message.clone()),
                    source_span(r.span),
                )],
                help: None,
                related: Vec::new(),
            });
        }
    }
    let mut help = d.help.clone();
    if let Some(fix) = &d.fix {
        let note = format!("fix available: {} (run with --fix)", fix.description);
        help = Some(match help {
            Some(h) => format!("{h}\n{note}"),
            None => note,
        });
    }
    if explain {
        let mut text = help.map(|h| format!("{h}\n")).unwrap_or_default();
        text.push_str(&evidence_chain(d, inputs));
        if let Some(edge) = &d.map_edge {
            let sa = edge.split(" -> ").next().unwrap_or(edge);
            text.push_str(&format!("\nmap edge: {edge} (`irsalint map --sa {sa}`)"));
        }
        if let Some(fix) = d.rule.doc_section("How to fix") {
            text.push_str("\nhow to fix (from `irsalint explain ");
            text.push_str(d.rule.name);
            text.push_str("`):\n");
            text.push_str(&unwrap_paragraphs(fix));
        }
        help = Some(text);
    }
    Rendered {
        message: d.message.clone(),
        code: format!("{}({})", d.rule.name, d.rule.code),
        severity: Some(d.severity),
        source: FileSource(file),
        labels,
        help,
        related,
    }
}

/// Joins the hard-wrapped lines of Markdown paragraphs, so that the report wraps them to the
/// terminal once; code blocks, list items and tables keep their lines.
fn unwrap_paragraphs(md: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut joinable = false;
    for line in md.lines() {
        let fence = line.trim_start().starts_with("```");
        let starts_block = line.trim().is_empty()
            || line.starts_with(['-', '*', '|', '#'])
            || line
                .split_once(". ")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
        if !in_code && !fence && joinable && !starts_block {
            out.push(' ');
            out.push_str(line.trim());
        } else {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(line);
        }
        if fence {
            in_code = !in_code;
        }
        joinable = !in_code && !fence && !line.trim().is_empty() && !line.starts_with('|');
    }
    out
}

/// `evidence: k8s/sa.yaml:7:5 → iam/role.json:14:11 (trust statement) → ...`
pub fn evidence_chain(d: &Diagnostic, inputs: &Inputs) -> String {
    let at = |s: Span| {
        let f = inputs.sources.get(s.file);
        let (l, c) = f.line_col(s.start as usize);
        format!("{}:{l}:{c}", f.path)
    };
    // `Statement[1].Condition...` → "statement 2", as people count statements.
    let statement = d
        .logical_path
        .as_deref()
        .and_then(|p| p.split_once("Statement[")?.1.split_once(']'))
        .and_then(|(n, _)| n.parse::<usize>().ok())
        .map(|n| format!(" (statement {})", n + 1))
        .unwrap_or_default();
    let mut out = format!(
        "evidence:\n  1. {} — {}{statement}",
        at(d.primary),
        d.label.as_deref().unwrap_or("finding")
    );
    for (i, r) in d.related.iter().enumerate() {
        out.push_str(&format!("\n  {}. {} — {}", i + 2, at(r.span), r.message));
    }
    out
}

/// Renders every finding and the summary line.
pub fn render(report: &Report, inputs: &Inputs, opts: &HumanOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_context_lines(1)
        // Identifiers (issuers, ARNs, condition keys) must not be split at `-` or `/`.
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
    let mut out = String::new();
    for d in &report.diagnostics {
        let r = build(d, inputs, opts.explain);
        let rendered = handler.render_report(&mut out, &r).and_then(|()| {
            r.related
                .iter()
                .try_for_each(|rel| handler.render_report(&mut out, rel))
        });
        if rendered.is_err() {
            // A span we cannot show still gets its location and message.
            let f = inputs.sources.get(d.primary.file);
            let (l, c) = f.line_col(d.primary.start as usize);
            out.push_str(&format!(
                "{}:{l}:{c}: {} [{}]\n",
                f.path, d.message, d.rule.name
            ));
        }
        out.push('\n');
    }
    out.push_str(&summary_line(report, inputs));
    out.push('\n');
    out
}

pub fn summary_line(report: &Report, inputs: &Inputs) -> String {
    let c = Counts::of(report);
    let files = inputs.files.len();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut s = format!(
        "{}, {}, {} in {} ({} documents)",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.infos, "info"),
        plural(files, "file"),
        inputs.document_count()
    );
    if report.suppressed > 0 {
        s.push_str(&format!(", {} suppressed", report.suppressed));
    }
    if let Some(skipped) = super::skipped_summary(inputs) {
        s.push_str(&format!(", {skipped}"));
    }
    let fixable = report
        .diagnostics
        .iter()
        .filter(|d| d.fix.is_some())
        .count();
    if fixable > 0 {
        s.push_str(&format!(", {fixable} fixable with --fix"));
    }
    s
}

#[cfg(test)]
mod unwrap_tests {
    #[test]
    fn paragraphs_join_code_and_lists_stay() {
        let md = "Label the namespaces, or drop\nthe selector.\n\n- one\n- two\n  more\n\n```yaml\na: 1\nb: 2\n```\nAfter.";
        assert_eq!(
            super::unwrap_paragraphs(md),
            "Label the namespaces, or drop the selector.\n\n- one\n- two more\n\n```yaml\na: 1\nb: 2\n```\nAfter."
        );
    }
}
