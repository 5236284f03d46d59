//! Detection of template markup in YAML text.
//!
//! A chart's unrendered templates are not YAML; linting them would report nonsense parse
//! errors, so the loader reports `unsupported-template` instead. The same holds for the YAML
//! files Terraform renders with `templatefile()` (helm values, manifests): their `%{ if … }`
//! directives are not YAML, and an interpolation such as `${cond ? "a" : "b"}` can make a
//! line invalid. The check is a per-line heuristic: `{{` or a `%{` directive counts when it is
//! outside a quoted scalar, a comment and a block scalar, since
//! `roleArn: "{{ .Values.roleArn }}"` or a `|` script mentioning `{{` are valid YAML strings.

/// The template language whose markup was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// `{{ … }}`: Helm charts, Go templates.
    Helm,
    /// `%{ if … }`, `%{ for … }`, …: Terraform's template directives (`templatefile()`).
    TerraformDirective,
    /// `{% raw %}`, `{% if … %}`, …: Jinja statements (mkdocs-macros documentation snippets,
    /// Ansible, cookiecutter).
    Jinja,
    /// `{{SPF_ECR_NAME}}`: an upper-case name alone between the braces, a placeholder a script
    /// substitutes (aws-samples/safeguarding-payments-fraud-detection-ai-ml-and-data-insights
    /// app/*/k8s/*.yml.tpl@3e2c0e9, filled by its bin/templater.sh). No Helm/Go action: Go
    /// templates read a bare name as a function call, and no such function exists.
    ScriptPlaceholder,
}

impl Markup {
    /// The loader's message for a file skipped because of this markup.
    pub fn message(self) -> &'static str {
        match self {
            Markup::Helm => "template markup `{{` outside a string: this is a Helm/Go template, not plain YAML, and was not linted",
            Markup::TerraformDirective => "template directive `%{` outside a string: this is a Terraform template (rendered by `templatefile()`), not plain YAML, and was not linted",
            Markup::Jinja => "template statement `{%` outside a string: this is a Jinja template (mkdocs-macros, Ansible, cookiecutter), not plain YAML, and was not linted",
            Markup::ScriptPlaceholder => "template placeholder `{{NAME}}` outside a string: this is a template a script fills in (an upper-case name alone between the braces is no Helm/Go action), not plain YAML, and was not linted",
        }
    }
}

/// Finds template markup (`{{ ... }}`, or a Terraform `%{ if/for/else/endif/endfor }`
/// directive) outside quoted strings and comments.
///
/// Returns the byte offset of the first such markup that is outside a YAML quoted scalar, a
/// `#` comment and a block scalar's content, and which language it is.
pub fn find_template(text: &str) -> Option<(usize, Markup)> {
    // Nearly every file has neither `{{` nor `%{`; a substring search is far cheaper than the
    // line-by-line scan below.
    use super::file::Needle;
    static HELM: Needle = Needle::new("{{");
    static TERRAFORM: Needle = Needle::new("%{");
    static JINJA: Needle = Needle::new("{%");
    if !HELM.in_text(text) && !TERRAFORM.in_text(text) && !JINJA.in_text(text) {
        return None;
    }
    // Column of the node that owns the block scalar being skipped; its content is every
    // following line that is blank or indented more than that.
    let mut block_parent: Option<isize> = None;
    let mut line_start = 0;
    for raw in text.split_inclusive('\n') {
        let start = line_start;
        line_start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let line = if start == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        let offset = start + (raw.len() - raw.trim_start_matches('\u{feff}').len());
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();

        if let Some(parent) = block_parent {
            let document_marker = line.starts_with("---") || line.starts_with("...");
            if blank || (indent as isize > parent && !document_marker) {
                continue;
            }
        }

        let scan = scan_line(line);
        if let Some((at, markup)) = scan.template {
            return Some((offset + at, markup));
        }
        block_parent = block_scalar_parent(&line[..scan.content_end]);
    }
    None
}

struct LineScan {
    /// Byte offset in the line of the first markup outside quotes and comments.
    template: Option<(usize, Markup)>,
    /// Where the line's content ends (its comment starts).
    content_end: usize,
}

/// Does a YAML node begin at `i`: at the line's content start, after `key: `, `- `, `? `,
/// or, inside a flow collection (`in_flow`), after `[`, `{` or `,`? Outside one, a `,` is
/// text of a plain scalar: `description: Receive {{$labels.job}} failed, {{$value}} of
/// attempts` (a Prometheus alert) is valid YAML.
fn node_start(bytes: &[u8], i: usize, in_flow: bool) -> bool {
    let Some(j) = bytes[..i].iter().rposition(|b| !matches!(b, b' ' | b'\t')) else {
        return true;
    };
    match bytes[j] {
        b'[' | b'{' | b',' => in_flow,
        b':' | b'?' => j + 1 < i,
        // A sequence indicator: only indentation or other indicators before it.
        b'-' => {
            j + 1 < i
                && bytes[..j]
                    .iter()
                    .all(|b| matches!(b, b' ' | b'\t' | b'-' | b':' | b'?'))
        }
        _ => false,
    }
}

fn scan_line(line: &str) -> LineScan {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    // Open flow collections on this line: one opens only where a node starts.
    let mut flow_depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(b'"') => match b {
                b'\\' => i += 1,
                b'"' => quote = None,
                _ => {}
            },
            Some(_) => {
                if b == b'\'' {
                    // `''` is an escaped quote inside a single-quoted scalar.
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        quote = None;
                    }
                }
            }
            None => {
                let token_start = i == 0
                    || matches!(
                        bytes[i - 1],
                        b' ' | b'\t' | b'[' | b'{' | b',' | b':' | b'-' | b'?'
                    );
                match b {
                    b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => {
                        return LineScan {
                            template: None,
                            content_end: i,
                        };
                    }
                    // A quote only opens a quoted scalar where a scalar can start: the `'` in
                    // `it's {{ x }}` is plain text.
                    b'"' | b'\'' if token_start => quote = Some(b),
                    // Only where a node starts: inside a plain scalar (`arn:aws:iam::{{ x }}:role/r`,
                    // `it's {{ x }}`) the braces are ordinary text and the YAML is valid.
                    b'{' if bytes.get(i + 1) == Some(&b'{')
                        && node_start(bytes, i, flow_depth > 0) =>
                    {
                        let markup = match is_script_placeholder(&line[i + 2..]) {
                            true => Markup::ScriptPlaceholder,
                            false => Markup::Helm,
                        };
                        return LineScan {
                            template: Some((i, markup)),
                            content_end: line.len(),
                        };
                    }
                    // `{%` where a node starts is never YAML (`%` cannot start a plain
                    // scalar), so a Jinja statement there is the template's.
                    b'{' if bytes.get(i + 1) == Some(&b'%')
                        && node_start(bytes, i, flow_depth > 0)
                        && is_jinja_statement(&line[i + 2..]) =>
                    {
                        return LineScan {
                            template: Some((i, Markup::Jinja)),
                            content_end: line.len(),
                        };
                    }
                    b'%' if bytes.get(i + 1) == Some(&b'{')
                        && node_start(bytes, i, flow_depth > 0)
                        && is_directive(&line[i + 2..]) =>
                    {
                        return LineScan {
                            template: Some((i, Markup::TerraformDirective)),
                            content_end: line.len(),
                        };
                    }
                    b'[' | b'{' if node_start(bytes, i, flow_depth > 0) => flow_depth += 1,
                    b']' | b'}' if flow_depth > 0 => flow_depth -= 1,
                    _ => {}
                }
            }
        }
        i += 1;
    }
    LineScan {
        template: None,
        content_end: line.len(),
    }
}

/// Does the text after `{{` hold an upper-case name alone up to `}}` (`SPF_ECR_NAME}}`): a
/// placeholder a script substitutes, not a Go template action (`.Values.x`, `- if`,
/// `include "x" .`, `$var`, or a lower-case function such as Jinja's `role_arn`).
fn is_script_placeholder(after: &str) -> bool {
    let Some(name) = after.split("}}").next().filter(|_| after.contains("}}")) else {
        return false;
    };
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Does the text after `%{` open a Terraform template directive (`%{ if x }`, `%{~ for a in
/// b ~}`, `%{ else }`, `%{ endif }`, `%{ endfor }`)? A `%{` followed by anything else is
/// plain text.
fn is_directive(after: &str) -> bool {
    let rest = after
        .trim_start_matches('~')
        .trim_start_matches([' ', '\t']);
    let word_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let boundary = rest[word_end..]
        .chars()
        .next()
        .is_none_or(|c| matches!(c, ' ' | '\t' | '~' | '}'));
    matches!(
        &rest[..word_end],
        "if" | "for" | "else" | "endif" | "endfor"
    ) && boundary
}

/// Does the text after `{%` open a Jinja statement closed on the same line (`{% raw %}`,
/// `{%- if x %}`, `{% endfor +%}`)?
fn is_jinja_statement(after: &str) -> bool {
    let rest = after
        .trim_start_matches(['-', '+'])
        .trim_start_matches([' ', '\t']);
    rest.starts_with(|c: char| c.is_ascii_alphabetic()) && rest.contains("%}")
}

/// Whether `text` holds a Terraform template interpolation or directive: `${` or `%{` that
/// is not an escape (`$${`, `%%{`).
pub fn has_template_syntax(text: &str) -> bool {
    let b = text.as_bytes();
    (1..b.len())
        .any(|i| b[i] == b'{' && matches!(b[i - 1], b'$' | b'%') && (i < 2 || b[i - 2] != b[i - 1]))
}

/// The first Terraform-template interpolation on `line` that cannot be a CloudFormation `!Sub`
/// variable or a shell-style placeholder: `${…}` holding an expression (a space, a quote, a
/// `?`, a parenthesis), as in `${enable_ipv6 ? "IPv6" : "IPv4"}`. Such a line is invalid YAML
/// until Terraform renders it; `${Name}`, `${AWS::Region}` and `${Res.Arn}` are not matched.
pub fn terraform_interpolation(line: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = line[from..].find("${") {
        let at = from + rel;
        let inner = &line[at + 2..];
        let end = inner.find('}').unwrap_or(inner.len());
        if inner[..end].contains([' ', '"', '?', '(']) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// An ERB tag (`<%= … %>`, `<% … %>`) outside a quoted string on the line of `at` (where an
/// HCL parser failed), else on the line before or after it (the parser may name either
/// end of the attribute): the offset of its `<%`. Terraspace renders every `.tf` and
/// `.tfvars` file of a stack with ERB before Terraform reads it
/// (`cf_domain_name = <%= output('dns.cf_domain_name') %>`,
/// elastic-ipfs/infrastructure terraspace/app/stacks/dns/tfvars/base.tfvars@cce465f), so
/// the file is invalid HCL until rendered: the error is the template's. A tag inside a
/// string (`"<%= expansion(':ENV') %>-bucket"`) is valid HCL and not matched.
pub fn erb_tag_near(text: &str, at: usize) -> Option<usize> {
    let at = at.min(text.len());
    if !text.is_char_boundary(at) {
        return None;
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let before = (start > 0).then(|| text[..start - 1].rfind('\n').map_or(0, |i| i + 1));
    let after = (end < text.len()).then_some(end + 1);
    let line_at = |from: usize| {
        let to = text[from..].find('\n').map_or(text.len(), |i| from + i);
        erb_tag_in_line(&text[from..to]).map(|i| from + i)
    };
    line_at(start)
        .or_else(|| before.and_then(line_at))
        .or_else(|| after.and_then(line_at))
}

/// The first `<%` of `line` outside a double-quoted string that a `%>` closes later on it.
fn erb_tag_in_line(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut quoted = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'#' if !quoted => return None,
            b'<' if !quoted && b.get(i + 1) == Some(&b'%') => {
                return line[i + 2..].contains("%>").then_some(i);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Does a placeholder start `rest`, the text where a JSON parser failed: `$NAME` or
/// `${NAME}` where a value belongs (`"logConfiguration": $LOG_CONFIGURATION,` in an ECS task
/// definition envsubst fills, aws/aws-for-fluent-bit load_tests/task_definitions@cd557e03)?
/// Unquoted, it is invalid JSON until substituted: the error is the template's.
pub fn json_placeholder(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.first() == Some(&b'$')
        && b.get(1)
            .is_some_and(|&c| c == b'{' || c == b'_' || c.is_ascii_alphabetic())
}

/// Where the template markup `{{` starts when a JSON parser failed at byte `at` of `text`
/// because of it: JSON reports a `{{` where a value or key belongs at its second brace (an
/// object's key expected), and one after a value at its first (a `,` expected). A Hugo or
/// Helm template that renders JSON (fluxcd/website layouts/index.searchindex.json
/// @6da0f383: `{{- $index := slice -}}`) is invalid JSON until rendered: the error is the
/// template's. In a string (`"{{ .Values.arn }}"`) the braces are valid JSON and never get
/// here.
pub fn json_template(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    [at.checked_sub(1), Some(at)]
        .into_iter()
        .flatten()
        .find(|&i| b.get(i) == Some(&b'{') && b.get(i + 1) == Some(&b'{'))
}

/// Where an action `{{ … }}` starts when a JSON or YAML parser failed at byte `at` of `text`
/// inside it: a Go template action with a quoted argument written inside a quoted string
/// (`"db_url": "{{ template "harbor.database.notarySigner" . }}"`, goharbor/harbor-helm
/// conf/notary-signer.json as a chart's `tpl` renders it; `name: "{{ include "x" . }}-test"`
/// in YAML) ends the string at the argument's quote, so the parser fails between an opening
/// `{{` and its `}}` on the same line. The error is the template's.
pub fn template_in_string(text: &str, at: usize) -> Option<usize> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let open = line_start + text[line_start..at].rfind("{{")?;
    // Still open at the error (no `}}` since), and closed later on the line.
    (!text[open..at].contains("}}") && text[at..line_end].contains("}}")).then_some(open)
}

/// The first `${…}` placeholder on `line` that sits inside a flow collection, outside quotes:
/// `availabilityZones: [${AWS_AZS}]`, `labels: {app: ${APP}}`. In flow context `{` ends a
/// plain scalar, so such a line is invalid YAML until envsubst (or `templatefile()`)
/// replaces the placeholder; the same `${AWS_AZS}` in block context is a valid plain scalar
/// and is not matched.
pub fn flow_placeholder(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t') => return None,
                b'"' | b'\'' if i == 0 || matches!(b[i - 1], b' ' | b'[' | b'{' | b',' | b':') => {
                    quote = Some(c)
                }
                b'$' if depth > 0 && b.get(i + 1) == Some(&b'{') => return Some(i),
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// The first `{NAME}` placeholder on `line` that begins a value and is glued to more text:
/// `name: {TENANT_ID}-basic`, `- {ENV}.example.com` (files a script fills in with `sed`, as
/// aws-samples/eks-saas-gitops' tier templates are). YAML reads `{TENANT_ID}` there as a flow
/// mapping, so the text after it is a syntax error until the placeholder is replaced; the
/// same placeholder inside a plain scalar (`tenant-{TENANT_ID}`) or alone is valid YAML and
/// is not matched. NAME is written as such placeholders are: upper case, digits and `_`.
pub fn glued_brace_placeholder(line: &str) -> Option<usize> {
    let content = line.trim_start_matches([' ', '\t']);
    let mut at = line.len() - content.len();
    let mut rest = content;
    // After the sequence dashes and the key, where a value begins.
    loop {
        if let Some(after) = rest
            .strip_prefix('-')
            .filter(|a| a.starts_with([' ', '\t']))
        {
            let trimmed = after.trim_start_matches([' ', '\t']);
            at += rest.len() - trimmed.len();
            rest = trimmed;
            continue;
        }
        break;
    }
    if !rest.starts_with('{') {
        let colon = rest.find(": ")?;
        let value = rest[colon + 2..].trim_start_matches([' ', '\t']);
        at += rest.len() - value.len();
        rest = value;
    }
    let inner = rest.strip_prefix('{')?;
    let close = inner.find('}')?;
    let name = &inner[..close];
    let placeholder = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    let glued = inner[close + 1..]
        .chars()
        .next()
        .is_some_and(|c| !matches!(c, ' ' | '\t' | ',' | ']' | '}' | '#'));
    (placeholder && glued).then_some(at)
}

/// If `content` (a line without its comment) ends with a block scalar header (`key: |`,
/// `- >-`, `--- |`), the column its content must be indented beyond.
fn block_scalar_parent(content: &str) -> Option<isize> {
    let trimmed = content.trim_end();
    let header_start = trimmed.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let header = &trimmed[header_start..];
    let mut chars = header.chars();
    if !matches!(chars.next(), Some('|' | '>'))
        || !chars.all(|c| matches!(c, '-' | '+' | '0'..='9'))
    {
        return None;
    }
    let before = trimmed[..header_start].trim_end();
    if before.starts_with("---") {
        // A top-level block scalar: everything up to the next document marker.
        return Some(-1);
    }
    if !(before.ends_with(':') || before.ends_with('-') || before.is_empty()) {
        // Tags and anchors before the header (`key: !Sub |`) are fine; anything else is
        // not a block scalar header.
        let last = before.rsplit([' ', '\t']).next().unwrap_or("");
        if !(last.starts_with('!') || last.starts_with('&')) {
            return None;
        }
    }
    // The owner is the key after any `- ` sequence indicators; a bare `- |` item is owned by
    // its dash.
    let mut col = content.len() - content.trim_start_matches(' ').len();
    let mut rest = &content[col..];
    let mut last_dash = None;
    while let Some(after) = rest.strip_prefix('-') {
        if !after.starts_with([' ', '\t']) {
            break;
        }
        last_dash = Some(col);
        let skipped = after.len() - after.trim_start_matches([' ', '\t']).len();
        col += 1 + skipped;
        rest = &after[skipped..];
    }
    if rest.starts_with(['|', '>']) {
        if let Some(dash) = last_dash {
            return Some(dash as isize);
        }
    }
    Some(col as isize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erb_tags_outside_strings_near_the_error() {
        let text =
            "a = \"<%= expansion(':ENV') %>-x\"\nb = <%= output('s.o', mock: \"\") %>\nc = 1\n";
        let b_line = text.find("b =").unwrap();
        let tag = text.find("<%= output").unwrap();
        // On the error's line, the one before and the one after.
        assert_eq!(erb_tag_near(text, b_line), Some(tag));
        assert_eq!(erb_tag_near(text, text.find("c =").unwrap()), Some(tag));
        assert_eq!(erb_tag_near(text, 0), Some(tag));
        // Inside a string, after a comment, without `%>`, or two lines away: not one.
        assert_eq!(erb_tag_near("a = \"<%= x %>\"\n", 0), None);
        assert_eq!(erb_tag_near("a = \"\\\"<%= x %>\"\n", 0), None);
        assert_eq!(erb_tag_near("a = 1 # <%= x %>\n", 0), None);
        assert_eq!(erb_tag_near("a = 1 <% 2\n", 0), None);
        let far = "a = <%= x %>\nb = 1\nc = 1\n";
        assert_eq!(erb_tag_near(far, far.find("c =").unwrap()), None);
        assert_eq!(erb_tag_near("é", 1), None);
        // A `<%` after a closed string is outside it, also after a `#` inside a string.
        assert_eq!(erb_tag_near("a = \"x\" <%= y %>", 0), Some(8));
        assert_eq!(erb_tag_near("a = \"team#1\" <%= y %>", 0), Some(13));
        // A backslash escapes only inside a string.
        assert_eq!(erb_tag_near("a = \\<%= y %>", 0), Some(5));
        // The `%>` must close the tag, after it.
        assert_eq!(erb_tag_near("a = %><% x", 0), None);
        // An error on the last line, without a final line break: no line after it.
        assert_eq!(erb_tag_near("a = 1\nb = 2", 8), None);
    }

    fn found(text: &str) -> Option<&str> {
        find_template(text).map(|(at, _)| &text[at..])
    }

    fn at(text: &str) -> Option<usize> {
        find_template(text).map(|(at, _)| at)
    }

    #[test]
    fn helm_markup_outside_strings_counts() {
        let text = "{{- if .Values.x }}\nkind: Pod\n{{- end }}\n";
        assert_eq!(at(text), Some(0));

        let text = "metadata:\n  name: {{ .Release.Name }}\n";
        assert_eq!(at(text), Some(text.find("{{").unwrap()));

        let text = "spec:\n  template:\n  {{- toYaml . | nindent 4 }}\n";
        assert_eq!(found(text), Some("{{- toYaml . | nindent 4 }}\n"));

        // Inside a plain scalar the braces are text: valid YAML, linted as it is.
        assert!(found("a: x-{{ .Values.suffix }}\n").is_none());
        assert!(found("description: it's {{ .Values.x }}\n").is_none());
        assert!(found("role: arn:aws:iam::{{ .Values.account }}:role/r\n").is_none());
        assert!(found("a:\n  - {{ .Values.item }}\n").is_some());
        assert!(found("- {{ .Values.item }}\n").is_some());
        assert!(found("a: [x, {{ .Values.y }}]\n").is_some());
        assert!(found("a: {x: 1, y: {{ .Values.y }}}\n").is_some());
        assert!(found("{{/* a Helm comment */}}\n").is_some());
        // A `,` inside a block plain scalar is text: a Prometheus alert's description
        // (thanos-io/thanos examples/alerts/alerts.yaml @e103a81b) is valid YAML.
        assert!(found("      description: Thanos Receive {{$labels.job}} is failing to refresh hashring file, {{$value | humanize}} of attempts failed.\n").is_none());
        assert!(found("a: x, [y], {{ z }}\n").is_none());
    }

    #[test]
    fn quoted_scalars_and_comments_do_not_count() {
        assert_eq!(at("roleArn: \"{{ .Values.roleArn }}\"\n"), None);
        assert_eq!(at("roleArn: '{{ .Values.roleArn }}'\n"), None);
        assert_eq!(at("a: 'it''s {{ x }}'\n"), None);
        assert_eq!(at("a: \"say \\\"{{ x }}\\\"\"\n"), None);
        assert_eq!(at("# {{ .Values.x }}\na: 1\n"), None);
        assert_eq!(at("a: 1 # set by {{ helm }}\n"), None);
        assert_eq!(at("args: [\"{{ x }}\", '{{ y }}']\n"), None);
        assert_eq!(at("a: x#{{ y }}\n"), None);
    }

    #[test]
    fn block_scalar_content_does_not_count() {
        let text = "data:\n  script: |\n    echo {{ .Values.x }}\n\n    done\n  other: 1\n";
        assert_eq!(at(text), None);

        // After the block scalar ends, markup counts again.
        let text = "data:\n  script: |-\n    echo {{ x }}\n  name: {{ .Release.Name }}\n";
        assert_eq!(found(text), Some("{{ .Release.Name }}\n"));

        // The key's column, not the dash's, bounds the content of `- key: |`.
        let text = "steps:\n  - run: >\n      {{ x }}\n    name: {{ y }}\n";
        assert_eq!(found(text), Some("{{ y }}\n"));

        // A bare `- |` item is owned by its dash.
        let text = "args:\n  - |\n    {{ x }}\n  - {{ y }}\n";
        assert_eq!(found(text), Some("{{ y }}\n"));

        let text = "a: !Sub |\n  ${X} {{ y }}\n";
        assert_eq!(at(text), None);

        let text = "--- |\n{{ not a template here }}\n---\nb: {{ x }}\n";
        assert_eq!(found(text), Some("{{ x }}\n"));

        // `|` inside a plain value is not a block header.
        assert!(found("a: x |\n  {{ y }}\n").is_some());
    }

    #[test]
    fn crlf_and_bom_offsets() {
        let text = "\u{feff}a: 1\r\nb: {{ x }}\r\n";
        assert_eq!(found(text), Some("{{ x }}\r\n"));
        let text = "\u{feff}{{ x }}\n";
        assert_eq!(at(text), Some(3));
        assert_eq!(at("a: \"{{ x }}\"\r\n"), None);
        assert_eq!(at(""), None);
    }

    #[test]
    fn json_placeholders() {
        assert!(json_placeholder("$LOG_CONFIGURATION,\n"));
        assert!(json_placeholder("${PORT}}"));
        assert!(json_placeholder("$_X"));
        assert!(!json_placeholder("$5"));
        assert!(!json_placeholder("$"));
        assert!(!json_placeholder("x$Y"));
        assert!(!json_placeholder(""));
    }

    #[test]
    fn json_templates() {
        // At the second brace (a key expected) and at the first (after a value).
        assert_eq!(json_template("{{- $index := slice -}}", 1), Some(0));
        assert_eq!(json_template("{\"a\": 1 {{ end }}}", 8), Some(8));
        assert_eq!(json_template("[\n  {{ range . }}", 5), Some(4));
        // A single brace, or braces apart from the error, is the user's JSON error.
        assert_eq!(json_template("{ {\"a\": 1}}", 2), None);
        assert_eq!(json_template("{\"a\": {{}}", 2), None);
        assert_eq!(json_template("{{", 0), Some(0));
        assert_eq!(json_template("{", 0), None);
        assert_eq!(json_template("", 0), None);
    }

    #[test]
    fn json_templates_with_quoted_arguments() {
        let text = "{\n  \"db_url\": \"{{ template \"harbor.db\" . }}\",\n  \"a\": 1 }";
        let err = text.find("harbor").unwrap();
        assert_eq!(
            template_in_string(text, err),
            Some(text.find("{{").unwrap())
        );
        // Closed before the error, or never closed on the line: the user's JSON error.
        let closed = "{\"a\": \"{{ .x }}\" \"b\"}";
        assert_eq!(
            template_in_string(closed, closed.find("\"b").unwrap()),
            None
        );
        let open = "{\"a\": \"{{ x \" y\n}}\"}";
        assert_eq!(template_in_string(open, open.find(" y").unwrap()), None);
        // A `{{` on an earlier line does not count.
        let earlier = "{\"a\": \"{{\",\n \"b\" x }}";
        assert_eq!(
            template_in_string(earlier, earlier.find(" x").unwrap()),
            None
        );
        assert_eq!(template_in_string("", 0), None);
    }

    /// external-secrets' documentation snippets (docs/snippets/aws-acm-external-secret.yaml
    /// @cc5bfbc2, trimmed) wrap their YAML in mkdocs-macros' `{% raw %}`: a Jinja template,
    /// not a broken YAML file. In quotes, comments and block scalars, after text, or not
    /// followed by a statement, `{%` is text (or a YAML error the parser reports).
    #[test]
    fn jinja_statements_count() {
        let text =
            "{% raw %}\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\n{% endraw %}\n";
        assert_eq!(find_template(text), Some((0, Markup::Jinja)));
        assert_eq!(
            found("a:\n  {%- if x %}\n  b: 1\n"),
            Some("{%- if x %}\n  b: 1\n")
        );
        assert_eq!(found("- {% for x in y %}\n"), Some("{% for x in y %}\n"));
        assert_eq!(at("a: \"{% raw %}\"\n"), None);
        assert_eq!(at("# {% raw %}\na: 1\n"), None);
        assert_eq!(at("a: |\n  {% raw %}\n"), None);
        assert_eq!(at("a: x {% raw %}\n"), None);
        assert_eq!(at("a: {% 1 %}\n"), None);
        assert_eq!(at("a: {% raw\n"), None);
    }

    /// aws-samples/safeguarding-payments-fraud-detection-ai-ml-and-data-insights@3e2c0e9
    /// app/minio/k8s/1-serviceaccount.yml.tpl: `{{SPF_ECR_NAME}}` placeholders its
    /// bin/templater.sh fills in, no Helm/Go actions.
    #[test]
    fn upper_case_names_alone_are_script_placeholders() {
        let kind = |text: &str| find_template(text).map(|(_, m)| m);
        assert_eq!(
            kind("metadata:\n  namespace: {{SPF_ECR_NAME}}\n"),
            Some(Markup::ScriptPlaceholder)
        );
        assert_eq!(
            kind("  annotations:\n    {{SPF_SERVICE_PRINCIPAL}}/role-arn: x\n"),
            Some(Markup::ScriptPlaceholder)
        );
        assert_eq!(kind("a: {{A1_B}}\n"), Some(Markup::ScriptPlaceholder));
        // Go template actions, Jinja expressions and unclosed braces stay Helm/Go markup.
        for text in [
            "a: {{ SPF_ECR_NAME }}\n",
            "a: {{ .Values.x }}\n",
            "a: {{.Values.x}}\n",
            "a: {{- if .Values.x }}\n",
            "a: {{ role_arn }}\n",
            "a: {{Role}}\n",
            "a: {{_X}}\n",
            "a: {{1X}}\n",
            "a: {{}}\n",
            "a: {{SPF\n",
            "a: {{$X}}\n",
        ] {
            assert_eq!(kind(text), Some(Markup::Helm), "{text}");
        }
        assert!(is_script_placeholder("X}}"));
        assert!(!is_script_placeholder("X"));
        assert!(!is_script_placeholder("X }}"));
    }

    /// A YAML file Terraform renders with `templatefile()` (data-on-eks' helm values):
    /// directives at line start or after a key are markup; inside quotes, comments or block
    /// scalars, or not followed by a directive keyword, `%{` is text.
    #[test]
    fn terraform_directives_count() {
        let text = "service:\n  parsersFiles: []\n%{ if enable_ipv6 ~}\n  extra: 1\n%{ endif ~}\n";
        assert_eq!(
            find_template(text),
            Some((text.find("%{").unwrap(), Markup::TerraformDirective))
        );
        assert_eq!(
            found("a: %{for x in xs}${x}%{endfor}\n"),
            Some("%{for x in xs}${x}%{endfor}\n")
        );
        assert_eq!(found("%{~ else ~}\n"), Some("%{~ else ~}\n"));
        assert_eq!(at("a: \"%{ if x }y%{ endif }\"\n"), None);
        assert_eq!(at("# %{ if x }\na: 1\n"), None);
        assert_eq!(at("a: |\n  %{ if x }\n"), None);
        assert_eq!(at("a: %{ifx}\n"), None);
        assert_eq!(at("a: 100%{x}\n"), None);
        assert_eq!(at("a: %{ iffy }\n"), None);
        assert_eq!(
            find_template("a: {{ x }}\n").map(|(_, m)| m),
            Some(Markup::Helm)
        );
    }

    /// envsubst templates (aws-samples/eks-workshop
    /// content/030_eksctl/launcheks.files/eksworkshop-kubeflow.yml.template @2f9d29ed):
    /// a placeholder inside a flow collection breaks YAML; in block context or quoted it
    /// does not.
    #[test]
    fn placeholders_inside_flow_collections_count() {
        assert_eq!(
            flow_placeholder("availabilityZones: [${AWS_AZS}]"),
            Some(20)
        );
        assert_eq!(
            flow_placeholder("  labels: {app: ${APP}, tier: web}"),
            Some(16)
        );
        assert_eq!(flow_placeholder("zones: [a, ${B}]"), Some(11));
        assert_eq!(flow_placeholder("name: ${NAME}"), None);
        assert_eq!(flow_placeholder("zones: [\"${A}\", '${B}']"), None);
        assert_eq!(flow_placeholder("zones: [a] # [${A}]"), None);
        assert_eq!(flow_placeholder("zones: [a], x: ${A}"), None);
    }

    /// aws-samples/eks-saas-gitops gitops/application-plane/production/tier-templates
    /// (@75b9139): `{TENANT_ID}` filled in by sed.
    #[test]
    fn brace_placeholders_glued_to_text_count() {
        assert_eq!(
            glued_brace_placeholder("  name: {TENANT_ID}-basic"),
            Some(8)
        );
        assert_eq!(
            glued_brace_placeholder("releaseName: {TENANT_ID}-basic"),
            Some(13)
        );
        assert_eq!(glued_brace_placeholder("    - {ENV}.example.com"), Some(6));
        assert_eq!(glued_brace_placeholder("{TENANT_ID}-values: x"), Some(0));
        assert_eq!(glued_brace_placeholder("  name: tenant-{TENANT_ID}"), None);
        assert_eq!(glued_brace_placeholder("  name: {TENANT_ID}"), None);
        assert_eq!(glued_brace_placeholder("  name: {TENANT_ID} # id"), None);
        assert_eq!(glued_brace_placeholder("  labels: {app: web}x"), None);
        assert_eq!(glued_brace_placeholder("  name: {tenant}-basic"), None);
        assert_eq!(glued_brace_placeholder("  name: {Tenant}-basic"), None);
        assert_eq!(glued_brace_placeholder("  - [a, {B}]"), None);
    }

    #[test]
    fn expression_interpolations_are_terraform_not_sub_variables() {
        let line = r#"  - ${enable_ipv6 ? "IPv6" : "IPv4"}"#;
        assert_eq!(terraform_interpolation(line), Some(4));
        assert_eq!(terraform_interpolation("a: ${lower(var.x)}"), Some(3));
        assert_eq!(terraform_interpolation("a: ${X} and ${ y }"), Some(12));
        assert_eq!(
            terraform_interpolation(
                "a: arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role.Arn}"
            ),
            None
        );
        assert_eq!(terraform_interpolation("a: ${fluent_bit_irsa_arn}"), None);
        assert_eq!(terraform_interpolation("a: ${unclosed"), None);
    }
}
