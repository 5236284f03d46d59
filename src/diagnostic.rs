//! What a rule reports: a primary span, a message, related spans in other files (the
//! evidence chain `--explain` prints), help, and a logical path baselines key on.

use crate::rules::RuleMeta;
use crate::source::file::Span;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Another place that is part of the finding's evidence (the trust statement a
/// ServiceAccount's annotation is checked against, the webhook flag that sets the prefix).
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// A text edit that fixes a finding (byte range in the primary file, replacement).
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<(Span, String)>,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub primary: Span,
    /// Lower-case, no final period, names the concrete value.
    pub message: String,
    /// Short text under the primary span in the human report.
    pub label: Option<String>,
    pub related: Vec<Related>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Where in the document the finding sits, independent of lines
    /// (`Statement[1].Condition.StringEquals.<issuer>:sub`); baselines fingerprint it.
    pub logical_path: Option<String>,
    /// The `irsalint map` edge the finding is about (`ns/sa -> role (irsa)`), for
    /// `--explain`.
    pub map_edge: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: &'static RuleMeta, primary: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.default_severity,
            primary,
            message: message.into(),
            label: None,
            related: Vec::new(),
            help: None,
            fix: None,
            logical_path: None,
            map_edge: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.logical_path = Some(path.into());
        self
    }

    pub fn map_edge(mut self, edge: impl Into<String>) -> Self {
        self.map_edge = Some(edge.into());
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}
