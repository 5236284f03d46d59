//! What a rule reports (a primary span, a message, related spans in other files: the evidence
//! chain `--explain` prints, help, and a logical path baselines key on) and which rule reports
//! it (`RuleMeta`, `Family`). The layer below the rules: it knows no rule.

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

/// The Terraform local module call instance whose evaluation of the module's code gave a
/// finding. A module's code is judged once per call instance, with that instance's
/// arguments: the same place in it can then be reported by several instances, and `lint`
/// reports such findings once, naming the calls (`lib.rs`, `collapse_instances`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// `module.vault.module.irsa`, `module.apps["web"]`.
    pub address: String,
    /// The label of the `module` block that calls it, in the caller's file.
    pub call: Span,
}

/// A text edit that fixes a finding (byte range in the primary file, replacement).
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<(Span, String)>,
}

/// Findings of one rule reported per file; beyond it one summary finding says how many more
/// there are. A file that repeats a mistake thousands of times (a generated policy, 300,000
/// duplicate keys) then gives a report of bounded size rather than gigabytes of output.
pub const MAX_FINDINGS_PER_RULE_PER_FILE: usize = 100;

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
    /// The `irsalint map` edges the finding is about (`ns/sa -> role (irsa)`), for
    /// `--explain`: one, or one per instance of a kustomize base it holds for.
    pub map_edge: Vec<String>,
    /// The local module call instance that judged the module's code this finding is about
    /// (see [`Instance`]); `None` for everything else.
    pub instance: Option<Instance>,
    /// Where in `message` the calls of a finding that several call instances made begin
    /// (`… (in 2 calls: module.a, module.b)`): baselines fingerprint the text before it, so
    /// that adding a call of the module or moving one does not make the finding new.
    pub calls_at: Option<usize>,
    /// The namespace a kustomize base's object is judged in, when the kustomizations build
    /// its file into several (one view per namespace): `lint` reports one finding per place
    /// and problem, naming the namespaces it holds for (`lib.rs`, `collapse_placements`).
    pub placed: Option<String>,
    /// How many findings of its rule in its file this one stands for: 1, or more when the
    /// rule stopped early in a file that repeats one mistake hundreds of thousands of times
    /// and whose findings past the per-file cap would all be dropped anyway
    /// (`cap_per_rule_per_file` in `lib.rs` counts them).
    pub stands_for: usize,
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
            map_edge: Vec::new(),
            instance: None,
            calls_at: None,
            placed: None,
            stands_for: 1,
        }
    }

    /// The message without the calls a merged finding names (see [`Diagnostic::calls_at`]).
    pub fn message_without_calls(&self) -> &str {
        match self.calls_at {
            Some(i) => self.message.get(..i).unwrap_or(&self.message),
            None => &self.message,
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
        self.map_edge = vec![edge.into()];
        self
    }

    /// Names the kustomize namespace of the object instance the finding is about
    /// ([`Diagnostic::placed`]; `None` for an object that exists once).
    pub fn placed(mut self, namespace: Option<String>) -> Self {
        self.placed = namespace;
        self
    }

    /// Names the call instance that judged the module code the finding is about.
    pub fn instance(mut self, instance: Option<Instance>) -> Self {
        self.instance = instance;
        self
    }

    /// Makes this finding stand for `n` findings of its rule in its file (see
    /// [`Diagnostic::stands_for`]).
    pub fn stands_for(mut self, n: usize) -> Self {
        self.stands_for = n;
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

/// Rule families; the letter starts every code of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Input,
    Policy,
    Trust,
    Perm,
    Sa,
    Pod,
    Webhook,
    Credentials,
    Oidc,
}

impl Family {
    pub const ALL: [Family; 9] = [
        Family::Input,
        Family::Policy,
        Family::Trust,
        Family::Perm,
        Family::Sa,
        Family::Pod,
        Family::Webhook,
        Family::Credentials,
        Family::Oidc,
    ];

    pub fn letter(self) -> char {
        match self {
            Family::Input => 'E',
            Family::Policy => 'G',
            Family::Trust => 'T',
            Family::Perm => 'P',
            Family::Sa => 'S',
            Family::Pod => 'K',
            Family::Webhook => 'W',
            Family::Credentials => 'C',
            Family::Oidc => 'O',
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Input => "input",
            Family::Policy => "policy",
            Family::Trust => "trust",
            Family::Perm => "perm",
            Family::Sa => "sa",
            Family::Pod => "pod",
            Family::Webhook => "webhook",
            Family::Credentials => "credentials",
            Family::Oidc => "oidc",
        }
    }
}

/// Everything about a rule that does not depend on the inputs.
#[derive(Debug)]
pub struct RuleMeta {
    /// Family letter and three digits, e.g. `T005`. Never changes once released.
    pub code: &'static str,
    /// Kebab-case stable identifier, e.g. `trust-wildcard-in-stringequals`.
    pub name: &'static str,
    pub family: Family,
    pub default_severity: Severity,
    /// One line, shown by `rules` and as SARIF `shortDescription`.
    pub summary: &'static str,
    /// The whole of `rules/<name>.md`.
    pub doc: &'static str,
    /// `file#Lline` of the declaration.
    pub source: &'static str,
}

impl RuleMeta {
    /// Starts a finding of this rule at `span`.
    pub fn diagnostic(&'static self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self, span, message)
    }

    /// Where the rule's documentation is published (the `rules/<name>.md` this binary embeds).
    pub fn doc_url(&self) -> String {
        format!("{DOCS_URI}/blob/main/rules/{}.md", self.name)
    }

    /// The text of one `## Heading` section of the rule's doc, without the heading.
    pub fn doc_section(&self, heading: &str) -> Option<&'static str> {
        doc_section(self.doc, heading)
    }
}

/// The project's home; rule docs live under `rules/` there.
pub const DOCS_URI: &str = "https://github.com/irsalint/irsalint";

pub(crate) fn doc_section<'d>(doc: &'d str, heading: &str) -> Option<&'d str> {
    let marker = format!("\n## {heading}\n");
    let start = doc.find(&marker)? + marker.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

#[cfg(test)]
mod doc_section_tests {
    /// `explain`, SARIF `fullDescription` and the human report's fix hint read one section of
    /// a rule doc: its text without the heading, up to the next `## `, trimmed.
    #[test]
    fn a_section_is_the_text_under_its_heading() {
        let doc =
            "# r (E000)\n\n## What it does\n\nReports x.\n\n## How to fix\n\nDo y.\nThen z.\n";
        assert_eq!(super::doc_section(doc, "What it does"), Some("Reports x."));
        assert_eq!(
            super::doc_section(doc, "How to fix"),
            Some("Do y.\nThen z.")
        );
        assert_eq!(super::doc_section(doc, "Why it matters"), None);
        // A heading must be a whole line: a prefix of a heading is not one.
        assert_eq!(super::doc_section(doc, "How to"), None);
        // A rule's own doc, through its meta.
        let meta = &crate::rules::sa::sa_role_on_default_sa::META;
        let what = meta.doc_section("What it does").unwrap_or_default();
        assert!(
            what.starts_with("Reports a non-empty role-arn annotation") && !what.contains("## "),
            "{what}"
        );
    }
}
