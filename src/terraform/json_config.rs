//! Terraform's JSON configuration syntax (`*.tf.json`, `*.tfvars.json`;
//! <https://developer.hashicorp.com/terraform/language/syntax/json>), read by rewriting the
//! loaded JSON tree as the equivalent native-syntax text and evaluating that with the one
//! evaluator (`terraform::hcl`), so both syntaxes mean the same thing.
//!
//! The rewritten text is never shown: every byte of it records the bytes of the JSON file
//! it comes from ([`Virtual::map`]), and every span the evaluator produces is mapped back
//! through it ([`remap`]) before anything leaves the Terraform stage. A JSON string in an
//! expression position is a template (`"${aws_iam_role.x.arn}"`, `"${replace(...)}:sub"`),
//! as Terraform reads it; a `variable` default and a `.tfvars.json` value are literal.
//!
//! Which properties of a resource are nested blocks is in the provider's schema, which the
//! JSON does not carry (Terraform's JSON syntax: a block type's property holds an object or
//! an array of objects, one per block): the nested blocks the model reads, of the resource
//! types it reads, are listed here ([`BLOCKS`]) and read as blocks. Any other property is
//! read as an attribute: the values are the same either way (a block written as an array of
//! objects and an attribute holding a list of objects give the same plan shape, and strings
//! are templates in both), except where a block body has a `"//"` comment or a `"dynamic"`
//! block, which an object reads as keys: such a property's value is unknown.

use std::collections::HashMap;

use crate::source::embedded;
use crate::source::file::{FileId, Span};
use crate::source::node::{Node, Value};

/// The native-syntax text of a JSON configuration and where each of its bytes comes from.
#[derive(Debug)]
pub struct Virtual {
    pub text: String,
    /// For each byte of `text`: the start and end of the JSON text it stands for.
    pub map: Vec<(u32, u32)>,
}

impl Virtual {
    /// A span of `text` as a span of the JSON file.
    pub fn span(&self, s: Span) -> Span {
        let (a, b) = (s.start as usize, s.end as usize);
        let at = |i: usize| {
            self.map
                .get(i.min(self.map.len().saturating_sub(1)))
                .copied()
                .unwrap_or((0, 0))
        };
        let start = at(a).0;
        let end = if b > a { at(b - 1).1 } else { start };
        Span::new(s.file, start as usize, end.max(start) as usize)
    }
}

/// Whether a display path names a JSON configuration or variables file.
pub fn is_json_config(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tf.json") || lower.ends_with(".tfvars.json")
}

/// Whether a display path names a variables file (`.tfvars`, `.tfvars.json`).
pub fn is_tfvars(path: &str) -> bool {
    // Asked for every file of every module directory: no lowercase copy of the path.
    let ends = |suffix: &str| {
        path.len() >= suffix.len()
            && path.as_bytes()[path.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    ends(".tfvars") || ends(".tfvars.json")
}

/// Root properties of a configuration file (one is enough to tell it from other JSON).
const ROOT_KEYS: &[&str] = &[
    "resource",
    "data",
    "variable",
    "locals",
    "module",
    "output",
    "provider",
    "terraform",
];

/// Nested block types of the resources irsalint reads (see the module doc).
const BLOCKS: &[&str] = &[
    // aws_iam_role, data aws_iam_policy_document
    "inline_policy",
    "statement",
    "principals",
    "not_principals",
    "condition",
    // kubernetes_*
    "metadata",
    "spec",
    "template",
    "job_template",
    "container",
    "init_container",
    "env",
    "env_from",
    "value_from",
    "config_map_ref",
    "secret_ref",
    "config_map_key_ref",
    "secret_key_ref",
    "field_ref",
    "volume",
    "volume_mount",
    "security_context",
    "selector",
    "port",
    "resources",
    // helm_release (provider 2 blocks; provider 3 attributes, same shape)
    "set",
    "set_sensitive",
    "set_list",
    "postrender",
    "timeouts",
];

/// Properties Terraform reads as meta-arguments or does not evaluate; the evaluator skips
/// them too, so they are not rewritten (`depends_on` and `provider` hold bare references).
const SKIPPED: &[&str] = &[
    "//",
    "depends_on",
    "provider",
    "providers",
    "lifecycle",
    "provisioner",
    "connection",
];

/// The native-syntax text of `root`, the JSON tree of the file `file_text`, or `None` when
/// it is not a configuration (a plan, a policy or any other JSON named `.tf.json`).
pub fn convert(path: &str, file_text: &str, root: &Node) -> Option<Virtual> {
    let entries = root.as_map()?;
    let mut e = Emitter {
        file_text,
        out: String::new(),
        map: Vec::new(),
    };
    if is_tfvars(path) {
        for en in entries {
            let Some(k) = ident(&en.key) else { continue };
            e.name(&en.key, k);
            e.gen(" = ", en.key.span);
            e.expr(&en.value, true);
            e.gen("\n", en.key.span);
        }
    } else {
        if root.get("format_version").is_some()
            || !entries
                .iter()
                .any(|en| en.key.as_str().is_some_and(|k| ROOT_KEYS.contains(&k)))
        {
            return None;
        }
        for en in entries {
            match en.key.as_str() {
                Some(kind @ ("resource" | "data")) => {
                    for types in objects(&en.value) {
                        for t in types.entries() {
                            for named in objects(&t.value) {
                                for n in named.entries() {
                                    for body in objects(&n.value) {
                                        e.gen(kind, en.key.span);
                                        e.gen(" ", en.key.span);
                                        e.label(&t.key);
                                        e.gen(" ", t.key.span);
                                        e.label(&n.key);
                                        e.body(body, false);
                                    }
                                }
                            }
                        }
                    }
                }
                Some("module") => {
                    for named in objects(&en.value) {
                        for n in named.entries() {
                            for body in objects(&n.value) {
                                e.gen("module ", en.key.span);
                                e.label(&n.key);
                                e.body(body, true);
                            }
                        }
                    }
                }
                Some("variable") => {
                    for named in objects(&en.value) {
                        for n in named.entries() {
                            let Some(d) = objects(&n.value)
                                .into_iter()
                                .find_map(|v| v.entry("default"))
                            else {
                                continue;
                            };
                            e.gen("variable ", en.key.span);
                            e.label(&n.key);
                            e.gen(" {\n", n.value.span);
                            e.name(&d.key, "default");
                            e.gen(" = ", d.key.span);
                            e.expr(&d.value, true);
                            e.gen("\n}\n", n.value.span);
                        }
                    }
                }
                // A local module's outputs, which its callers read (`module.x.name`).
                Some("output") => {
                    for named in objects(&en.value) {
                        for n in named.entries() {
                            let Some(v) =
                                objects(&n.value).into_iter().find_map(|v| v.entry("value"))
                            else {
                                continue;
                            };
                            e.gen("output ", en.key.span);
                            e.label(&n.key);
                            e.gen(" {\n", n.value.span);
                            e.name(&v.key, "value");
                            e.gen(" = ", v.key.span);
                            e.expr(&v.value, false);
                            e.gen("\n}\n", n.value.span);
                        }
                    }
                }
                Some("locals") => {
                    for locals in objects(&en.value) {
                        e.gen("locals {\n", en.key.span);
                        for l in locals.entries() {
                            let Some(k) = ident(&l.key) else { continue };
                            e.name(&l.key, k);
                            e.gen(" = ", l.key.span);
                            e.expr(&l.value, false);
                            e.gen("\n", l.key.span);
                        }
                        e.gen("}\n", locals.span);
                    }
                }
                _ => {}
            }
        }
    }
    let end = root.span.end;
    e.map.push((end, end));
    Some(Virtual {
        text: e.out,
        map: e.map,
    })
}

/// Maps every span of `n` that points into a rewritten file back to the JSON text.
pub fn remap(n: &mut Node, files: &HashMap<FileId, &Virtual>) {
    if let Some(v) = files.get(&n.span.file) {
        n.span = v.span(n.span);
    }
    match &mut n.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| remap(i, files)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            remap(&mut e.key, files);
            remap(&mut e.value, files);
        }),
        _ => {}
    }
}

/// The objects a property holds: itself, or the elements of an array of them (JSON writes
/// repeated blocks and labels as arrays).
fn objects(n: &Node) -> Vec<&Node> {
    match &n.value {
        Value::Map(_) => vec![n],
        Value::Seq(items) => items.iter().filter(|i| i.as_map().is_some()).collect(),
        _ => Vec::new(),
    }
}

/// A property name usable as an HCL identifier.
fn ident(key: &Node) -> Option<&str> {
    let k = key.as_str()?;
    let mut chars = k.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    .then_some(k)
}

struct Emitter<'t> {
    file_text: &'t str,
    out: String,
    map: Vec<(u32, u32)>,
}

impl Emitter<'_> {
    /// Generated text standing for `at`.
    fn gen(&mut self, s: &str, at: Span) {
        self.out.push_str(s);
        self.map
            .extend(std::iter::repeat_n((at.start, at.end), s.len()));
    }

    /// Text standing for the bytes `from..to` of the file.
    fn piece(&mut self, s: &str, from: u32, to: u32) {
        self.out.push_str(s);
        self.map.extend(std::iter::repeat_n((from, to), s.len()));
    }

    /// A string node's characters with the file range each comes from (the whole string's
    /// span when its text cannot be re-decoded).
    fn chars(&self, n: &Node) -> Vec<(char, u32, u32)> {
        let value = n.as_str().unwrap_or("");
        match embedded::decode(self.file_text, n) {
            Some(m) => value
                .char_indices()
                .map(|(i, c)| {
                    let s = m.span(n.span.file, i..i + c.len_utf8());
                    (c, s.start, s.end)
                })
                .collect(),
            None => value
                .chars()
                .map(|c| (c, n.span.start, n.span.end))
                .collect(),
        }
    }

    /// An identifier, its characters at the key's characters.
    fn name(&mut self, key: &Node, name: &str) {
        let cs = self.chars(key);
        if cs.len() == name.chars().count() {
            for (c, a, b) in cs {
                let mut buf = [0u8; 4];
                self.piece(c.encode_utf8(&mut buf), a, b);
            }
        } else {
            self.gen(name, key.span);
        }
    }

    /// A block label: a literal quoted string.
    fn label(&mut self, key: &Node) {
        self.quoted(key, true);
    }

    /// A JSON string as a quoted HCL string: a template, or (`literal`) its text exactly.
    fn quoted(&mut self, n: &Node, literal: bool) {
        let (s, e) = (n.span.start, n.span.end);
        self.piece("\"", s, (s + 1).min(e));
        let cs = self.chars(n);
        // Inside `${...}`/`%{...}` the text is HCL source and is copied as is; outside, the
        // characters a quoted HCL string escapes are escaped.
        let mut depth = 0usize; // open braces of interpolations and nested objects
        let mut strings: Vec<usize> = Vec::new(); // depths where a nested string opened
        let mut i = 0;
        while i < cs.len() {
            let (c, a, b) = cs[i];
            let next = cs.get(i + 1).map(|x| x.0);
            let in_string = strings.last().is_some_and(|&d| d == depth);
            if depth == 0 || in_string {
                let escaped_marker = matches!((c, next), ('$', Some('$')) | ('%', Some('%')))
                    && cs.get(i + 2).map(|x| x.0) == Some('{');
                if escaped_marker {
                    let (_, _, b2) = cs[i + 1];
                    if literal {
                        self.piece(&format!("{c}{c}{c}"), a, b2);
                    } else {
                        self.piece(&format!("{c}{c}"), a, b2);
                    }
                    i += 2;
                    continue;
                }
                if matches!((c, next), ('$', Some('{')) | ('%', Some('{'))) {
                    if literal {
                        self.piece(&format!("{c}{c}"), a, b);
                        i += 1;
                        continue;
                    }
                    let (_, _, b2) = cs[i + 1];
                    self.piece(&format!("{c}{{"), a, b2);
                    depth += 1;
                    i += 2;
                    continue;
                }
                if in_string && c == '"' {
                    strings.pop();
                    self.piece("\"", a, b);
                    i += 1;
                    continue;
                }
                if in_string {
                    // Nested string source inside an interpolation: copied.
                    let mut buf = [0u8; 4];
                    self.piece(c.encode_utf8(&mut buf), a, b);
                    if c == '\\' {
                        if let Some(&(c2, a2, b2)) = cs.get(i + 1) {
                            self.piece(c2.encode_utf8(&mut buf), a2, b2);
                            i += 1;
                        }
                    }
                    i += 1;
                    continue;
                }
                let esc = match c {
                    '"' => "\\\"".to_string(),
                    '\\' => "\\\\".to_string(),
                    '\n' => "\\n".to_string(),
                    '\r' => "\\r".to_string(),
                    '\t' => "\\t".to_string(),
                    c if c.is_control() => format!("\\u{:04x}", c as u32),
                    c => c.to_string(),
                };
                self.piece(&esc, a, b);
                i += 1;
                continue;
            }
            // Inside an interpolation.
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                '"' => strings.push(depth),
                _ => {}
            }
            let mut buf = [0u8; 4];
            self.piece(c.encode_utf8(&mut buf), a, b);
            i += 1;
        }
        self.piece("\"", e.saturating_sub(1).max(s), e);
    }

    /// A value: `literal` for a variable default or a `.tfvars.json` value (strings are not
    /// templates there).
    fn expr(&mut self, n: &Node, literal: bool) {
        let span = n.span;
        match &n.value {
            Value::Str(_) => self.quoted(n, literal),
            Value::Seq(items) => {
                self.gen("[", span);
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        self.gen(", ", span);
                    }
                    self.expr(it, literal);
                }
                self.gen("]", span);
            }
            Value::Map(entries) => {
                self.gen("{\n", span);
                // (`"//"` is a comment in block bodies only: here it is a key.)
                for en in entries {
                    self.quoted(&en.key, literal);
                    self.gen(" = ", en.key.span);
                    self.expr(&en.value, literal);
                    self.gen("\n", span);
                }
                self.gen("}", span);
            }
            Value::Null => self.gen("null", span),
            Value::Bool(b) => self.gen(if *b { "true" } else { "false" }, span),
            Value::Int(_) | Value::Float(_) => {
                let raw = self
                    .file_text
                    .get(span.start as usize..span.end as usize)
                    .unwrap_or("0")
                    .to_string();
                self.piece(&raw, span.start, span.end);
            }
        }
    }

    /// A block body `{ ... }`: nested blocks by [`BLOCKS`], `dynamic` blocks, attributes.
    /// `module`: a module call, whose `source` and `version` are literal.
    fn body(&mut self, n: &Node, module: bool) {
        self.gen(" {\n", n.span);
        for en in n.entries() {
            let Some(k) = en.key.as_str() else { continue };
            if SKIPPED.contains(&k) {
                continue;
            }
            if k == "dynamic" && !module {
                for named in objects(&en.value) {
                    for d in named.entries() {
                        for spec in objects(&d.value) {
                            self.dynamic(&en.key, &d.key, spec);
                        }
                    }
                }
                continue;
            }
            let Some(name) = ident(&en.key) else { continue };
            let blocks = objects(&en.value);
            let all_objects = matches!(&en.value.value, Value::Map(_))
                || matches!(&en.value.value, Value::Seq(s) if !s.is_empty() && s.len() == blocks.len());
            if !module && BLOCKS.contains(&k) && all_objects {
                for b in blocks {
                    self.name(&en.key, name);
                    self.body(b, false);
                }
                continue;
            }
            // A property not listed holding objects is a nested block or an attribute of
            // object type, as the provider's schema says. Both readings give the same values
            // except for a `"//"` or `"dynamic"` property, a comment and a dynamic block in a
            // block body but keys in an object: the files do not decide which, so the value
            // is unknown rather than one reading's.
            if !module
                && all_objects
                && blocks
                    .iter()
                    .any(|b| b.get("//").is_some() || b.get("dynamic").is_some())
            {
                self.name(&en.key, name);
                self.gen(" = ", en.key.span);
                self.gen(&format!("block_or_attribute(\"{name}\")"), en.value.span);
                self.gen("\n", en.key.span);
                continue;
            }
            self.name(&en.key, name);
            self.gen(" = ", en.key.span);
            self.expr(&en.value, module && matches!(k, "source" | "version"));
            self.gen("\n", en.key.span);
        }
        self.gen("}\n", n.span);
    }

    /// `"dynamic": {"<label>": {"for_each": ..., "iterator": ..., "content": {...}}}`.
    fn dynamic(&mut self, kw: &Node, label: &Node, spec: &Node) {
        self.gen("dynamic ", kw.span);
        self.label(label);
        self.gen(" {\n", spec.span);
        for en in spec.entries() {
            match en.key.as_str() {
                Some("for_each") => {
                    self.name(&en.key, "for_each");
                    self.gen(" = ", en.key.span);
                    self.expr(&en.value, false);
                    self.gen("\n", en.key.span);
                }
                // The iterator is a bare name.
                Some("iterator") => {
                    if let Some(it) = ident(&en.value) {
                        self.name(&en.key, "iterator");
                        self.gen(" = ", en.key.span);
                        self.name(&en.value, it);
                        self.gen("\n", en.key.span);
                    }
                }
                Some("content") => {
                    for c in objects(&en.value) {
                        self.name(&en.key, "content");
                        self.body(c, false);
                    }
                }
                _ => {}
            }
        }
        self.gen("}\n", spec.span);
    }
}

#[cfg(test)]
mod tests {
    use crate::load::{load_unpruned, Inputs, RawInput};
    use crate::source::node::Node;

    #[test]
    fn variable_files_are_told_by_their_suffix_in_any_case() {
        for (path, tfvars) in [
            ("terraform.tfvars", true),
            ("env/PROD.TFVARS", true),
            ("x.auto.tfvars", true),
            ("x.tfvars.json", true),
            ("x.TfVars.Json", true),
            (".tfvars", true),
            ("é/ü.tfvars", true),
            ("tfvars", false),
            ("x.tf", false),
            ("x.tf.json", false),
            ("x.tfvars.json.bak", false),
            ("x.tfvarsjson", false),
            ("", false),
        ] {
            assert_eq!(super::is_tfvars(path), tfvars, "{path}");
        }
    }
    use crate::source::Limits;

    fn inputs(files: &[(&str, &str)]) -> Inputs {
        load_unpruned(
            files
                .iter()
                .map(|(p, t)| RawInput {
                    display: p.to_string(),
                    bytes: t.as_bytes().to_vec(),
                    read_error: None,
                })
                .collect(),
            &Limits::default(),
        )
    }

    fn slice(i: &Inputs, n: &Node) -> String {
        i.sources.get(n.span.file).slice(n.span).to_string()
    }

    #[test]
    fn a_local_module_in_json_is_read_at_its_json_text_and_the_callers() {
        // CDK for Terraform writes both the call and the module as `.tf.json`.
        let root = r#"{"module": {"irsa": {"source": "./irsa", "sa": "api"}},
  "resource": {"aws_iam_role_policy": {"p": {"role": "${module.irsa.name}", "policy": "{}"}}}}"#;
        let module = r#"{"variable": {"sa": {}},
  "resource": {"aws_iam_role": {"this": {"name": "${var.sa}-role", "description": "${var.sa}"}}},
  "output": {"name": {"value": "${aws_iam_role.this.name}"}}}"#;
        let i = inputs(&[("r/main.tf.json", root), ("r/irsa/main.tf.json", module)]);
        assert!(i.files.iter().all(|f| f.problems.is_empty()));
        let role = i
            .terraform
            .iter()
            .find(|r| r.address == "module.irsa.aws_iam_role.this")
            .unwrap();
        assert_eq!(
            slice(
                &i,
                &Node::new(crate::source::node::Value::Null, role.anchor)
            ),
            "\"this\""
        );
        let name = role.body.get("name").unwrap();
        assert_eq!(name.as_str(), Some("api-role"));
        assert_eq!(slice(&i, name), "\"${var.sa}-role\"");
        // The caller's value, at the caller's JSON text.
        let d = role.body.get("description").unwrap();
        assert_eq!(slice(&i, d), "\"api\"");
        assert_eq!(i.sources.get(d.span.file).path, "r/main.tf.json");
        let p = i
            .terraform
            .iter()
            .find(|r| r.address == "aws_iam_role_policy.p")
            .unwrap();
        let r = p.body.get("role").unwrap();
        assert_eq!(r.as_str(), Some("api-role"));
        assert_eq!(slice(&i, r), "\"${var.sa}-role\"");
    }

    #[test]
    fn resources_variables_and_tfvars_are_read_at_their_json_text() {
        let tf = r#"{
  "variable": {"namespace": {"default": "default", "type": "string"}},
  "locals": {"sa": "api-${var.namespace}"},
  "resource": {
    "kubernetes_service_account_v1": {
      "api": {
        "metadata": {
          "name": "${local.sa}",
          "namespace": "${var.namespace}",
          "annotations": {"eks.amazonaws.com/role-arn": "${aws_iam_role.api.arn}"}
        }
      }
    },
    "aws_iam_role": {"api": [{"name": "api", "assume_role_policy": "{\"Statement\": [{\"Action\": \"sts:AssumeRole\"}]}"}]}
  }
}"#;
        let i = inputs(&[
            ("m/main.tf.json", tf),
            ("m/prod.tfvars.json", "{\"namespace\": \"shop\"}"),
        ]);
        assert!(i.files.iter().all(|f| f.problems.is_empty()));
        // Read as Terraform, not as plain JSON documents.
        assert!(i.files.iter().all(|f| f.documents.is_empty()));
        let sa = i
            .terraform
            .iter()
            .find(|r| r.address == "kubernetes_service_account_v1.api")
            .unwrap();
        // As in a `.tf` file, the anchor is the name label with its quotes.
        assert_eq!(
            slice(&i, &Node::new(crate::source::node::Value::Null, sa.anchor)),
            "\"api\""
        );
        let meta = &sa.body.get("metadata").unwrap().items()[0];
        let ns = meta.get("namespace").unwrap();
        assert_eq!(ns.as_str(), Some("shop"));
        assert_eq!(slice(&i, ns), "\"shop\"");
        let name = meta.get("name").unwrap();
        assert_eq!(name.as_str(), Some("api-shop"));
        assert_eq!(slice(&i, name), "\"api-${var.namespace}\"");
        let arn = meta
            .get("annotations")
            .and_then(|a| a.get("eks.amazonaws.com/role-arn"))
            .unwrap();
        assert!(crate::terraform::hcl::is_unknown(arn));
        assert_eq!(arn.as_str(), Some("aws_iam_role.api.arn"));
        assert_eq!(slice(&i, arn), "aws_iam_role.api.arn");
        // A JSON document written as a string: each value at its escaped text.
        let role = i
            .terraform
            .iter()
            .find(|r| r.address == "aws_iam_role.api")
            .unwrap();
        let doc = role.body.get("assume_role_policy").unwrap();
        let action = doc.get("Statement").unwrap().items()[0]
            .get("Action")
            .unwrap();
        assert_eq!(action.as_str(), Some("sts:AssumeRole"));
        assert_eq!(slice(&i, action), "\\\"sts:AssumeRole\\\"");
    }

    /// A property the list does not name: an attribute's value, unless its objects have a
    /// `"//"` or `"dynamic"` property, where the two readings differ and the value is unknown
    /// (`pod_identity_association` is a block of `aws_eks_addon`; a `"//"` key in a map
    /// attribute is as ambiguous to a reader without the schema).
    #[test]
    fn an_unlisted_property_is_an_attribute_unless_the_readings_differ() {
        let tf = r#"{
  "resource": {
    "aws_eks_addon": {
      "ebs": {
        "addon_name": "aws-ebs-csi-driver",
        "tags": {"team": "storage"},
        "tags_all": {"team": "storage", "//": "set by the provider"},
        "pod_identity_association": {"//": "EKS Pod Identity", "role_arn": "x", "service_account": "ebs-csi-controller-sa"},
        "timeouts_extra": [{"dynamic": {"x": {"for_each": [], "content": {}}}}]
      }
    }
  }
}"#;
        let i = inputs(&[("m/main.tf.json", tf)]);
        assert!(i.files.iter().all(|f| f.problems.is_empty()));
        let addon = i
            .terraform
            .iter()
            .find(|r| r.address == "aws_eks_addon.ebs")
            .unwrap();
        let tags = addon.body.get("tags").unwrap();
        assert_eq!(tags.get("team").and_then(Node::as_str), Some("storage"));
        for k in ["tags_all", "pod_identity_association", "timeouts_extra"] {
            let v = addon.body.get(k).unwrap();
            assert!(crate::terraform::hcl::is_unknown(v), "{k}: {v:?}");
            assert_eq!(
                v.as_str(),
                Some(format!("block_or_attribute(\"{k}\")").as_str())
            );
            // At the JSON value.
            assert!(slice(&i, v).starts_with(['{', '[']), "{}", slice(&i, v));
        }
    }

    #[test]
    fn variable_defaults_are_literal_and_blocks_nest() {
        let tf = r#"{
  "variable": {"arn": {"default": "${not.a.template}"}},
  "data": {"aws_iam_policy_document": {"d": {
    "statement": [{"actions": ["s3:GetObject"], "resources": ["${var.arn}"]}],
    "dynamic": {"condition": {"for_each": ["a", "b"], "content": {"test": "StringEquals", "variable": "k", "values": ["${condition.value}"]}}}
  }}}
}"#;
        let i = inputs(&[("main.tf.json", tf)]);
        let d = &i.terraform[0];
        let st = &d.body.get("statement").unwrap().items()[0];
        let res = &st.get("resources").unwrap().items()[0];
        assert_eq!(res.as_str(), Some("${not.a.template}"));
        assert!(!crate::terraform::hcl::is_unknown(res));
        let conds = d.body.get("condition").unwrap().items();
        let values: Vec<_> = conds
            .iter()
            .map(|c| c.get("values").unwrap().items()[0].as_str().unwrap())
            .collect();
        assert_eq!(values, ["a", "b"]);
    }

    #[test]
    fn plans_policies_and_other_json_are_not_configurations() {
        let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {}}}"#;
        let policy = r#"{"Version": "2012-10-17", "Statement": []}"#;
        let i = inputs(&[("plan.tf.json", plan), ("policy.tf.json", policy)]);
        for f in &i.files {
            assert!(f.hcl.is_none());
            assert_eq!(f.documents.len(), 1);
        }
        // A configuration that is not named as one is plain JSON.
        let i = inputs(&[(
            "main.json",
            r#"{"resource": {"aws_iam_role": {"r": {"name": "r"}}}}"#,
        )]);
        assert!(i.terraform.is_empty());
        assert_eq!(i.files[0].documents.len(), 1);
    }

    #[test]
    fn bad_json_is_a_parse_error_and_a_bad_expression_points_into_the_json() {
        let i = inputs(&[(
            "main.tf.json",
            "{\"resource\": {\"aws_iam_role\": {\"r\": {\"name\": \"${(}\"}}}}",
        )]);
        let p = &i.files[0].problems[0];
        assert_eq!(p.kind, crate::source::ProblemKind::Parse);
        let text = &i.sources.get(0).text();
        assert!(p.span.start as usize >= text.find("${(").unwrap(), "{p:?}");
        assert!((p.span.start as usize) < text.len());
    }

    /// A module call written in JSON is expanded like one in `.tf`: the role it generates
    /// trusts the ServiceAccount named in the JSON, at its JSON text.
    #[test]
    fn a_module_call_expands_with_positions_in_the_json() {
        let tf = r#"{
  "module": {
    "ebs_csi_irsa": {
      "source": "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks",
      "version": "5.60.0",
      "role_name": "ebs-csi",
      "oidc_providers": {
        "main": {
          "provider_arn": "${module.eks.oidc_provider_arn}",
          "namespace_service_accounts": ["kube-system:ebs-csi-controller-sa"]
        }
      }
    }
  }
}"#;
        let i = inputs(&[("main.tf.json", tf)]);
        let role = i
            .terraform
            .iter()
            .find(|r| r.address == "module.ebs_csi_irsa.aws_iam_role.this[0]")
            .expect("the generated role");
        let mut subs = Vec::new();
        role.body.walk(&mut |n| {
            if n.as_str() == Some("system:serviceaccount:kube-system:ebs-csi-controller-sa") {
                subs.push(n.span);
            }
        });
        assert!(!subs.is_empty());
        for s in subs {
            assert_eq!(
                i.sources.get(s.file).slice(s),
                "\"kube-system:ebs-csi-controller-sa\""
            );
        }
    }
}
