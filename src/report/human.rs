//! The default output: miette's graphical reports with the source snippet, a label on the
//! primary span and on each related span (those in other files as nested reports), then one
//! summary line. miette stays behind this module.

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::Counts;
use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Inputs;
use crate::source::file::{SourceFile, Span};

#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
    /// Add each rule's "How to fix" and the evidence chain.
    pub explain: bool,
}

/// A file as miette source code: the whole file, or an excerpt with long lines clipped.
enum FileSource<'a> {
    Whole(&'a SourceFile),
    Clipped(Excerpt<'a>),
    /// A copy of a file whose text or path holds control characters a terminal acts on,
    /// made safe to print ([`super::terminal_safe_source`]: same offsets).
    Cleaned(Box<SourceFile>),
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        match self {
            FileSource::Whole(f) => read_whole(f, span, before, after),
            FileSource::Clipped(e) => e.read_span(span, before, after),
            FileSource::Cleaned(f) => read_whole(f, span, before, after),
        }
    }
}

/// Reads only the lines around a span.
fn read_whole<'a>(
    f: &'a SourceFile,
    span: &SourceSpan,
    before: usize,
    after: usize,
) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
    let text = &f.text();
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
    let to_line = (last + after).min(f.lines().line_count());
    let start = f.lines().line_start(from_line);
    let end = if to_line >= f.lines().line_count() {
        text.len()
    } else {
        f.lines().line_start(to_line + 1)
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

/// Lines longer than this (in bytes) are clipped to windows around the labels on them.
const LONG_LINE: usize = 400;
/// Bytes shown on each side of a labelled position of a long line.
const WINDOW: usize = 60;
/// Windows kept per long line; labels beyond them are drawn at the nearest kept window's
/// edge. Bounds the width of a snippet whatever the number of labels.
const MAX_WINDOWS: usize = 6;
const ELLIPSIS: &str = "…";

/// The lines of a file that one report shows (each label's lines and one line of context
/// around them, as miette asks for), with long lines cut down to windows around the labels:
/// a 64 KB minified policy is not printed whole for every finding on it, and columns stay far
/// below what miette can lay out (it panics beyond 65,535). Offsets miette sees are offsets in
/// `text`; labels are mapped into it with [`Excerpt::map`].
struct Excerpt<'a> {
    file: &'a SourceFile,
    text: String,
    lines: Vec<ExcerptLine>,
}

struct ExcerptLine {
    /// 1-based line number in the file.
    number: usize,
    /// Where the line starts in the excerpt (its end is the next line's start).
    start: usize,
    /// Pieces of the file line kept: (file start, file end, excerpt start).
    pieces: Vec<(usize, usize, usize)>,
}

impl<'a> Excerpt<'a> {
    /// `None` when no line the report shows is long: the whole file is then read as is.
    fn new(file: &'a SourceFile, spans: &[Span]) -> Option<Excerpt<'a>> {
        let text = &file.text();
        let count = file.lines().line_count();
        let line_of = |offset: usize| file.line_col(offset.min(text.len())).0;
        let line_range = |n: usize| {
            let start = file.lines().line_start(n);
            let end = if n >= count {
                text.len()
            } else {
                file.lines().line_start(n + 1)
            };
            start..end
        };
        // The lines shown, as ranges of line numbers.
        let mut shown: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let first = line_of(s.start as usize);
                let last = line_of((s.end as usize).saturating_sub(1).max(s.start as usize));
                (first.saturating_sub(1).max(1), (last + 1).min(count))
            })
            .collect();
        shown.sort_unstable();
        let any_long = shown
            .iter()
            .any(|&(a, b)| (a..=b).any(|n| line_range(n).len() > LONG_LINE));
        if !any_long {
            return None;
        }
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in shown {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut out = Excerpt {
            file,
            text: String::new(),
            lines: Vec::new(),
        };
        for (a, b) in merged {
            for n in a..=b {
                let range = line_range(n);
                let start = out.text.len();
                if range.len() <= LONG_LINE {
                    out.text.push_str(&text[range.clone()]);
                    if !out.text.ends_with('\n') {
                        out.text.push('\n');
                    }
                    out.lines.push(ExcerptLine {
                        number: n,
                        start,
                        pieces: vec![(range.start, range.end, start)],
                    });
                    continue;
                }
                let content_end =
                    text[range.clone()].trim_end_matches(['\n', '\r']).len() + range.start;
                let mut points: Vec<usize> = spans
                    .iter()
                    .flat_map(|s| [s.start as usize, s.end as usize])
                    .filter(|p| (range.start..=content_end).contains(p))
                    .collect();
                points.sort_unstable();
                let mut windows: Vec<(usize, usize)> = Vec::new();
                for p in points {
                    let from = floor_boundary(text, p.saturating_sub(WINDOW).max(range.start));
                    let to = floor_boundary(text, (p + WINDOW).min(content_end));
                    let full = windows.len() >= MAX_WINDOWS;
                    match windows.last_mut() {
                        Some(last) if from <= last.1 => last.1 = last.1.max(to),
                        _ if !full => windows.push((from, to)),
                        _ => {}
                    }
                }
                if windows.is_empty() {
                    // A long context line with no label on it: its start.
                    windows.push((
                        range.start,
                        floor_boundary(text, (range.start + 2 * WINDOW).min(content_end)),
                    ));
                }
                let mut pieces = Vec::new();
                for (from, to) in windows {
                    if from > range.start {
                        out.text.push_str(ELLIPSIS);
                    }
                    pieces.push((from, to, out.text.len()));
                    out.text.push_str(&text[from..to]);
                    if to < content_end {
                        out.text.push_str(ELLIPSIS);
                    }
                }
                out.text.push('\n');
                out.lines.push(ExcerptLine {
                    number: n,
                    start,
                    pieces,
                });
            }
        }
        Some(out)
    }

    /// The excerpt offset of a file offset: inside a kept piece, or the nearest piece edge of
    /// its line (a line the excerpt does not show maps to the excerpt's start or end).
    fn map(&self, offset: usize) -> usize {
        let n = self.file.line_col(offset).0;
        let Some(line) = self.lines.iter().find(|l| l.number == n) else {
            let first = self.lines.first().map_or(0, |l| l.number);
            return if n < first { 0 } else { self.text.len() };
        };
        let mut best = line.pieces.first().map_or(line.start, |p| p.2);
        for &(from, to, at) in &line.pieces {
            if offset < from {
                break;
            }
            best = at + (offset.min(to) - from);
        }
        best
    }

    fn map_span(&self, span: Span) -> SourceSpan {
        let start = self.map(span.start as usize);
        let end = self.map(span.end as usize).max(start);
        SourceSpan::new(start.into(), end - start)
    }

    /// Index of the excerpt line holding excerpt offset `at`.
    fn line_at(&self, at: usize) -> usize {
        self.lines
            .partition_point(|l| l.start <= at)
            .saturating_sub(1)
    }

    fn line_end(&self, i: usize) -> usize {
        self.lines.get(i + 1).map_or(self.text.len(), |l| l.start)
    }

    fn read_span<'s>(
        &'s self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'s> + 's>, MietteError> {
        let end = span.offset() + span.len();
        if end > self.text.len() || self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_at(span.offset());
        let path = super::terminal_safe(&self.file.path).into_owned();
        if before == 0 && after == 0 {
            // The header's `file:line:column` is the label's place in the file.
            let line = &self.lines[first];
            let file_offset = line
                .pieces
                .iter()
                .rev()
                .find(|p| p.2 <= span.offset())
                .map_or(self.file.lines().line_start(line.number), |p| {
                    (p.0 + (span.offset() - p.2)).min(p.1)
                });
            let (l, c) = self.file.line_col(file_offset);
            return Ok(Box::new(MietteSpanContents::new_named(
                path,
                &self.text.as_bytes()[span.offset()..end],
                *span,
                l - 1,
                c - 1,
                1,
            )));
        }
        let last = self.line_at(end.saturating_sub(1).max(span.offset()));
        // Context lines only while the excerpt's lines are consecutive lines of the file.
        let mut from = first;
        while from > 0
            && first - from < before
            && self.lines[from - 1].number + 1 == self.lines[from].number
        {
            from -= 1;
        }
        let mut to = last;
        while to + 1 < self.lines.len()
            && to - last < after
            && self.lines[to].number + 1 == self.lines[to + 1].number
        {
            to += 1;
        }
        for i in first..last {
            if self.lines[i].number + 1 != self.lines[i + 1].number {
                return Err(MietteError::OutOfBounds);
            }
        }
        let start = self.lines[from].start;
        let stop = self.line_end(to);
        Ok(Box::new(MietteSpanContents::new_named(
            path,
            &self.text.as_bytes()[start..stop],
            SourceSpan::new(start.into(), stop - start),
            self.lines[from].number - 1,
            0,
            to - from + 1,
        )))
    }
}

/// The largest character boundary at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

/// The source of one report and its labels' spans as that source sees them.
fn source_for<'a>(file: &'a SourceFile, spans: &[Span]) -> (FileSource<'a>, Vec<SourceSpan>) {
    match Excerpt::new(file, spans) {
        Some(mut e) => {
            if let Some(clean) = super::terminal_safe_source(&e.text) {
                e.text = clean;
            }
            let mapped = spans.iter().map(|s| e.map_span(*s)).collect();
            (FileSource::Clipped(e), mapped)
        }
        None => {
            let mapped = spans.iter().map(|s| source_span(*s)).collect();
            let path = super::terminal_safe(&file.path);
            let text = super::terminal_safe_source(file.text());
            if text.is_none() && matches!(path, std::borrow::Cow::Borrowed(_)) {
                return (FileSource::Whole(file), mapped);
            }
            // Same offsets and line breaks: the spans and lines hold in the copy.
            let clean = SourceFile::new(
                file.id,
                path.into_owned(),
                text.unwrap_or_else(|| file.text().to_string()),
            );
            (FileSource::Cleaned(Box::new(clean)), mapped)
        }
    }
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
    let same_file: Vec<&crate::diagnostic::Related> = d
        .related
        .iter()
        .filter(|r| r.span.file == d.primary.file)
        .collect();
    let spans: Vec<Span> = std::iter::once(d.primary)
        .chain(same_file.iter().map(|r| r.span))
        .collect();
    let (source, mapped) = source_for(file, &spans);
    let safe = |s: &str| super::terminal_safe(s).into_owned();
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        d.label.as_deref().map(safe),
        mapped[0],
    )];
    for (r, span) in same_file.iter().zip(&mapped[1..]) {
        labels.push(LabeledSpan::new_with_span(Some(safe(&r.message)), *span));
    }
    let mut related = Vec::new();
    for r in d.related.iter().filter(|r| r.span.file != d.primary.file) {
        let (source, mapped) = source_for(inputs.sources.get(r.span.file), &[r.span]);
        related.push(Rendered {
            message: format!("related: {}", safe(&r.message)),
            code: String::new(),
            severity: Some(Severity::Info),
            source,
            labels: vec![LabeledSpan::new_primary_with_span(
                Some(safe(&r.message)),
                mapped[0],
            )],
            help: None,
            related: Vec::new(),
        });
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
        for edge in &d.map_edge {
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
        message: safe(&d.message),
        code: format!("{}({})", d.rule.name, d.rule.code),
        severity: Some(d.severity),
        source,
        labels,
        help: help.as_deref().map(safe),
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
        let mut one = String::new();
        // miette has panicked on layouts it cannot draw; a report that cannot be drawn still
        // gets its location and message, and the run its exit code.
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            handler.render_report(&mut one, &r).and_then(|()| {
                r.related
                    .iter()
                    .try_for_each(|rel| handler.render_report(&mut one, rel))
            })
        }));
        if let Ok(Ok(())) = rendered {
            out.push_str(&one);
        } else {
            // A span we cannot show still gets its location and message.
            let f = inputs.sources.get(d.primary.file);
            let (l, c) = f.line_col(d.primary.start as usize);
            out.push_str(&format!(
                "{}:{l}:{c}: {} [{}]\n",
                super::terminal_safe(&f.path),
                super::terminal_safe(&d.message),
                d.rule.name
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
        "{}, {}, {} in {} ({})",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.infos, "info"),
        plural(files, "file"),
        plural(inputs.document_count(), "document")
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

#[cfg(test)]
mod excerpt_tests {
    use super::*;
    use crate::load::{self, RawInput};
    use crate::source::Limits;

    fn render_one(text: &str, at: &str) -> String {
        let inputs = load::load(
            vec![RawInput {
                display: "f.yaml".into(),
                bytes: text.as_bytes().to_vec(),
                read_error: None,
            }],
            &Limits::default(),
        );
        let start = text.find(at).unwrap();
        let d = crate::rules::input::duplicate_key::META
            .diagnostic(Span::new(0, start, start + at.len()), "message")
            .label("here");
        let report = Report {
            diagnostics: vec![d],
            suppressed: 0,
        };
        let opts = HumanOptions {
            color: false,
            width: 100,
            explain: false,
        };
        render(&report, &inputs, &opts)
    }

    /// A label in the middle of a 2 KB line: 60 bytes each side of it, `…` for the rest, the
    /// exact position in the header, the short lines around it whole.
    #[test]
    fn long_lines_are_clipped_around_the_label() {
        let x = "x".repeat(1000);
        let y = "y".repeat(1000);
        let text = format!("a: 1\nk: {x}TARGET{y}\nb: 2\n");
        let out = render_one(&text, "TARGET");
        assert!(out.contains("[f.yaml:2:1004]"), "{out}");
        let window = format!(" 2 │ …{}TARGET{}…\n", "x".repeat(60), "y".repeat(60));
        assert!(out.contains(&window), "{out}");
        assert!(
            out.contains(" 1 │ a: 1\n") && out.contains(" 3 │ b: 2\n"),
            "{out}"
        );
        assert!(out.len() < 1200, "{out}");
    }

    /// Lines up to the threshold are shown whole, as before.
    #[test]
    fn short_lines_are_shown_whole() {
        let text = format!("k: {}TARGET\n", "x".repeat(300));
        let out = render_one(&text, "TARGET");
        assert!(
            out.contains(&format!(" 1 │ k: {}TARGET\n", "x".repeat(300))),
            "{out}"
        );
        assert!(!out.contains('…'), "{out}");
    }
}
