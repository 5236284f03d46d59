//! Terragrunt's `terragrunt.hcl` (<https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/>):
//! one call of a module, `terraform { source = … }`, with `inputs = { … }` as its
//! arguments. Read by rewriting it as the equivalent Terraform text, a root module holding
//! one `module "terragrunt"` block, and evaluating that with the one evaluator
//! (`terraform::hcl`), through the byte map `.tf.json` files use (`json_config::Virtual`):
//! every span is the `terragrunt.hcl` text the user wrote.
//!
//! What is rewritten, and how Terragrunt's own parts are read:
//! - `locals` blocks are copied as written: evaluated as Terraform's are.
//! - `terraform.source`: a registry address `tfr:///ns/name/provider//sub?version=V` becomes
//!   `source = "ns/name/provider//sub"` with `version = "V"`; a `git::…//sub?ref=` or plain
//!   GitHub URL is kept (the models read `?ref=`); a local path (`../../modules//irsa`,
//!   `${get_terragrunt_dir()}/../modules/irsa`) is the directory it names relative to the
//!   file (Terragrunt's `//` is one separator), called as a local module. Any other
//!   expression is copied and evaluated (a source a `local` composes; unknown otherwise).
//! - `inputs`, an object written in the file: each entry is the call's argument of that
//!   name, at its own position. `inputs` written otherwise (`merge(…)`, a `local`) gives no
//!   call: its arguments cannot be known one by one ([`Read::Unread`]).
//! - `dependency.x.outputs.y`, `include.x.…` and every Terragrunt function
//!   (`find_in_parent_folders`, `read_terragrunt_config`, `get_env`,
//!   `path_relative_to_include`, …) are unknown: the evaluator knows neither the roots
//!   `dependency`/`include` nor these functions, and names the unknowns by the expression;
//!   `get_terragrunt_dir()` alone is known to it, in a `terragrunt.hcl`: the file's directory.
//!   A role ARN read from `dependency.x.outputs.y` still links by reference, to the role the
//!   unit at the dependency's `config_path` makes (`World::dependency_roles`, with
//!   [`dependency_output`] and [`dependency_path`]). A dependency's `mock_outputs` are not values (they are
//!   placeholders for `plan` without the dependency applied). The inputs an `include`d
//!   configuration merges in are not read: the call has the arguments this file writes.
//! - `generate`, `remote_state`, `dependencies`, `include` and every other block are not
//!   rewritten.
//!
//! A file without `terraform.source` (or with `.`) configures the `.tf` files of its own
//! directory: its inputs are rewritten as that directory's variables file (`name = value`,
//! [`Read::Vars`], which `hcl.rs` takes as a `.tfvars`: [`is_variables`]); a value reading a
//! Terragrunt `local` is unknown there (the module's own `locals` are others).

use crate::source::file::{FileId, SourceMap, Span};
use crate::source::node::Node;
use crate::source::{Limits, LoadProblem};

use super::ast::{Body, Expression, ObjectKey};
use super::hcl::Pending;
use super::json_config::Virtual;
use super::Resource;

/// The label of the `module` block a `terragrunt.hcl` becomes (`module.terragrunt`).
pub const CALL: &str = "terragrunt";

/// Whether a display path names a Terragrunt configuration (`terragrunt.hcl`; other `.hcl`
/// files, which it may `include` or `read_terragrunt_config`, are not read).
pub fn is_terragrunt(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == "terragrunt.hcl"
}

/// What a `terragrunt.hcl` gives.
#[derive(Debug)]
pub enum Read {
    /// The Terraform text of its module call (and `locals`).
    Call(Virtual),
    /// Its module is not read: why, and where (`terraform.source`, or `inputs`).
    Unread(String, Span),
    /// The inputs of a file whose module is its own directory's `.tf` files (no
    /// `terraform.source`, or `.`), as that directory's variables file.
    Vars(Virtual),
    /// Nothing to read (no module call, and no inputs).
    Nothing,
}

/// Reads the Terragrunt configuration `text` of `file`. A syntax error is a `parse-error`
/// at its position.
pub fn read(file: FileId, text: &str, limits: &Limits) -> Result<Read, LoadProblem> {
    let arena = super::ast::Arena::new();
    let parsed = super::hcl::parse(&arena, file, text, limits)?;
    Ok(rewrite(file, text, &parsed.body))
}

/// Whether a parsed file is a `terragrunt.hcl`'s inputs read as its directory's variables
/// file ([`Read::Vars`], which has no block; a call has its `module` block).
pub fn is_variables(path: &str, body: &Body) -> bool {
    is_terragrunt(path) && body.blocks().next().is_none()
}

/// What the load stage keeps of a `terragrunt.hcl` until the configurations are evaluated:
/// its call rewritten (and parsed, to report its errors now, as a JSON configuration's is),
/// or why its module is not read, or nothing. A syntax error is a `parse-error` at its
/// position.
pub fn pending(file: FileId, text: &str, limits: &Limits) -> Result<Option<Pending>, LoadProblem> {
    Ok(match read(file, text, limits)? {
        Read::Call(v) | Read::Vars(v) => {
            match super::hcl::parse(&super::ast::Arena::new(), file, &v.text, limits) {
                Ok(_) => Some(Pending::Rewritten(Box::new(v))),
                Err(mut p) => {
                    p.span = v.span(p.span);
                    return Err(p);
                }
            }
        }
        Read::Unread(why, _) => Some(Pending::Unread(why)),
        Read::Nothing => None,
    })
}

/// The dependency and output a reference to a Terragrunt dependency's output names:
/// `("role", "iam_role_arn")` for `dependency.role.outputs.iam_role_arn` (or `${…}` of it).
pub fn dependency_output(reference: &str) -> Option<(&str, &str)> {
    let r = reference.trim();
    let r = r
        .strip_prefix("${")
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(r);
    let (name, output) = r.strip_prefix("dependency.")?.split_once(".outputs.")?;
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    (ident(name) && ident(output)).then_some((name, output))
}

/// The `config_path` of the block `dependency "<name>"` of a `terragrunt.hcl` (`file`, its
/// `text`), when written as a string: the directory, relative to the file's, of the unit
/// whose outputs `dependency.<name>.outputs.…` reads.
pub fn dependency_path(file: FileId, text: &str, name: &str) -> Option<String> {
    let arena = super::ast::Arena::new();
    let parsed = super::hcl::parse(&arena, file, text, &Limits::default()).ok()?;
    let block = parsed.body.blocks().find(|b| {
        b.ident.as_str() == "dependency" && b.labels.first().map(|l| l.as_str()) == Some(name)
    })?;
    let path = block
        .body
        .attributes()
        .find(|a| a.key.as_str() == "config_path")?;
    literal(&path.value)
}

/// A string expression's text when it is a literal (no interpolation).
fn literal(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.value().to_string()),
        Expression::StringTemplate(t) => t
            .value()
            .iter()
            .map(|el| match el {
                super::ast::Element::Literal(l) => Some(l.value().to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The `terragrunt.hcl` calls among the evaluated `resources` whose module is neither
/// modelled nor local (a local one whose directory is not among the inputs is in
/// `Evaluated::unread_modules`), each with why it is not read.
pub fn unread_calls(resources: &[Resource], sources: &SourceMap) -> Vec<(FileId, String)> {
    resources
        .iter()
        .filter(|r| r.kind == "module" && r.name == CALL && r.call.is_none())
        .filter(|r| is_terragrunt(&sources.get(r.file).path))
        .filter_map(|r| {
            let source = r.body.get("source").filter(|s| !super::hcl::is_unknown(s));
            let why = match source.and_then(Node::as_str) {
                Some(s) if super::modules::known(s).is_some() || super::hcl::is_local(s) => {
                    return None
                }
                Some(s) => format!("module source `{s}` is not one irsalint models"),
                None => "module source unknown (written with values only Terragrunt knows)".into(),
            };
            Some((r.file, why))
        })
        .collect()
}

fn span(file: FileId, r: Option<std::ops::Range<usize>>) -> Span {
    r.map_or(Span::empty(file, 0), |r| Span::new(file, r.start, r.end))
}

fn rewrite(file: FileId, text: &str, body: &Body) -> Read {
    let source = body
        .blocks()
        .filter(|b| b.ident.as_str() == "terraform")
        .flat_map(|b| b.body.attributes())
        .find(|a| a.key.as_str() == "source");
    let inputs = body.attributes().find(|a| a.key.as_str() == "inputs");
    let items: &[(ObjectKey, Expression)] = match inputs.map(|a| &a.value) {
        None => &[],
        Some(Expression::Object(o)) => o.value(),
        Some(other) => return Read::Unread(
            "`inputs` is not an object written in the file, so the module's arguments are unknown"
                .into(),
            span(file, other.span()),
        ),
    };
    let source = match source {
        Some(s) if !is_own_dir(text, &s.value) => s,
        // The `.tf` files of the file's own directory are the module: the inputs are its
        // variables (Terragrunt passes them as `TF_VAR_` variables).
        _ if items.is_empty() => return Read::Nothing,
        _ => return Read::Vars(variables(file, text, items)),
    };
    let source_span = span(file, source.value.span());
    let mut e = Emitter {
        text,
        out: String::new(),
        map: Vec::new(),
    };
    for b in body.blocks().filter(|b| b.ident.as_str() == "locals") {
        if let Some(r) = b.span() {
            e.copy(r);
            e.synth("\n", source_span);
        }
    }
    // The block's label stands at the source: what the call generates is anchored there.
    e.synth("module \"", source_span);
    e.synth(CALL, source_span);
    e.synth("\" {\n", source_span);
    e.synth("source = ", source_span);
    match &source.value {
        Expression::String(s) => {
            let (src, version) = normalize(s.value());
            e.synth(&quote(&src), source_span);
            e.synth("\n", source_span);
            if let Some(v) = version {
                e.synth("version = ", source_span);
                e.synth(&quote(&v), source_span);
                e.synth("\n", source_span);
            }
        }
        other => match local_in_dir(text, other) {
            Some(path) => {
                e.synth(&quote(&path), source_span);
                e.synth("\n", source_span);
            }
            None => {
                if let Some(r) = other.span() {
                    e.copy(r);
                }
                e.synth("\n", source_span);
            }
        },
    }
    e.arguments(file, items, false);
    e.synth("}\n", source_span);
    Read::Call(Virtual {
        text: e.out,
        map: e.map,
    })
}

/// Whether a source names the file's own directory (`.`, `${get_terragrunt_dir()}`).
fn is_own_dir(text: &str, e: &Expression) -> bool {
    match e {
        Expression::String(s) => matches!(s.value().trim(), "." | "./"),
        _ => e.span().and_then(|r| text.get(r)).is_some_and(|t| {
            matches!(
                t,
                "\"${get_terragrunt_dir()}\""
                    | "\"${get_terragrunt_dir()}/\""
                    | "\"${get_terragrunt_dir()}/.\""
            )
        }),
    }
}

/// The inputs as a variables file of the file's own directory: `name = value`, each at its
/// place. A value that reads a Terragrunt `local` is unknown (a variables file cannot see
/// them; the module's own `locals` are others), named `terragrunt.inputs.<name>`.
fn variables(file: FileId, text: &str, items: &[(ObjectKey, Expression)]) -> Virtual {
    let mut e = Emitter {
        text,
        out: String::new(),
        map: Vec::new(),
    };
    e.arguments(file, items, true);
    Virtual {
        text: e.out,
        map: e.map,
    }
}

/// A source as a module block's: a registry address without Terragrunt's `tfr://` scheme,
/// with its `?version=` as the `version`; a local path with Terragrunt's `//` (the root of
/// what it copies) read as one separator.
fn normalize(source: &str) -> (String, Option<String>) {
    let s = source.trim();
    if let Some(rest) = s.strip_prefix("tfr://") {
        // `tfr:///ns/name/provider` is the public registry's, `tfr://host/ns/…` another's.
        let rest = rest.strip_prefix("registry.terraform.io/").unwrap_or(rest);
        let rest = rest.trim_start_matches('/');
        let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
        let version = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("version="))
            .map(str::to_string);
        return (address.to_string(), version);
    }
    if super::hcl::is_local(s) {
        return (local_path(s), None);
    }
    (s.to_string(), None)
}

/// A local path with `//` read as `/`, kept relative (`./` when it was written so).
fn local_path(s: &str) -> String {
    let mut out = s.to_string();
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    out
}

/// A source written `"${get_terragrunt_dir()}/<relative path>"` (the directory of the file):
/// the relative path, as a local source.
fn local_in_dir(text: &str, e: &Expression) -> Option<String> {
    let Expression::StringTemplate(_) = e else {
        return None;
    };
    let raw = text.get(e.span()?)?;
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let rest = inner.strip_prefix("${get_terragrunt_dir()}/")?;
    if rest.contains(['$', '%', '\\', '"']) {
        return None;
    }
    let path = format!("./{rest}");
    super::hcl::is_local(&path).then(|| local_path(&path))
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A string literal of `s` in Terraform's syntax.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    // `${` and `%{` start templates: written `$${`, `%%{`.
    let out = out.replace("${", "$${").replace("%{", "%%{");
    out + "\""
}

struct Emitter<'t> {
    text: &'t str,
    out: String,
    map: Vec<(u32, u32)>,
}

impl Emitter<'_> {
    /// Each input `name = value` on a line of its own, at its place; with `own_locals` (a
    /// variables file), a value that reads `local.` is the unknown `terragrunt.inputs.<name>`.
    fn arguments(&mut self, file: FileId, items: &[(ObjectKey, Expression)], own_locals: bool) {
        // `inputs` is an object constructor, where a key written twice is no error: the
        // later value wins (hashicorp/terraform#28727; HCL's ObjectConsExpr). As arguments
        // of a block the two would be a redefined attribute, a parse error the user's file
        // does not have (vieer-dwivedi/Secure-Infra-AWS-K8s's vpc unit): only the last is
        // written. Names are read from the text: the parse gave a later duplicate a
        // stand-in name (`hcl::Parsed::renamed`).
        let text = self.text;
        let written = |key: &ObjectKey| {
            let r = match key {
                ObjectKey::Ident(k) => k.span(),
                ObjectKey::Expression(Expression::String(s)) => s.span(),
                ObjectKey::Expression(_) => None,
            }?;
            let t = text.get(r)?;
            Some(
                t.strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    .unwrap_or(t)
                    .to_string(),
            )
        };
        let names: Vec<Option<String>> = items.iter().map(|(k, _)| written(k)).collect();
        for (i, (key, value)) in items.iter().enumerate() {
            if names[i].is_some() && names[i + 1..].contains(&names[i]) {
                continue;
            }
            let Some(v) = value.span() else { continue };
            let at = span(file, Some(v.clone()));
            let name = match (key, &names[i]) {
                (ObjectKey::Ident(k), Some(n)) => match k.span() {
                    Some(r) => {
                        self.copy(r);
                        n.clone()
                    }
                    None => continue,
                },
                (ObjectKey::Expression(Expression::String(s)), Some(n)) if is_ident(n) => {
                    self.synth(n, span(file, s.span()));
                    n.clone()
                }
                // A computed key (`(local.k) = …`) names no argument Terraform would take.
                _ => continue,
            };
            self.synth(" = ", at);
            let reads_local = self
                .text
                .get(v.clone())
                .is_some_and(|t| t.contains("local."));
            if own_locals && reads_local {
                self.synth(&format!("terragrunt.inputs.{name}"), at);
            } else {
                self.copy(v);
            }
            self.synth("\n", at);
        }
    }

    /// Bytes `r` of the file, each standing for itself.
    fn copy(&mut self, r: std::ops::Range<usize>) {
        let Some(s) = self.text.get(r.clone()) else {
            return;
        };
        self.out.push_str(s);
        self.map.extend(r.map(|i| (i as u32, i as u32 + 1)));
    }

    /// Text of our own, every byte standing for `at`.
    fn synth(&mut self, s: &str, at: Span) {
        self.out.push_str(s);
        self.map
            .extend(std::iter::repeat_n((at.start, at.end), s.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dependency's output reference splits into the dependency and the output, written
    /// bare or as the `${…}` an unknown is shown as; anything else is none.
    #[test]
    fn dependency_outputs_are_split() {
        for r in [
            "dependency.role.outputs.iam_role_arn",
            "${dependency.role.outputs.iam_role_arn}",
            " dependency.role.outputs.iam_role_arn ",
        ] {
            assert_eq!(dependency_output(r), Some(("role", "iam_role_arn")), "{r}");
        }
        assert_eq!(
            dependency_output("dependency.my-unit.outputs.arn"),
            Some(("my-unit", "arn"))
        );
        for r in [
            "module.role.iam_role_arn",
            "dependency.role.iam_role_arn",
            "dependency.role.outputs.",
            "dependency..outputs.arn",
            "dependency.role.outputs.a.b",
            "dependency.role.outputs.arn[0]",
        ] {
            assert_eq!(dependency_output(r), None, "{r}");
        }
    }

    /// The `config_path` of the named `dependency` block, written as a literal (quoted, or a
    /// template of literal text only); another block's, an interpolated path or none, nothing.
    #[test]
    fn a_dependency_s_config_path_is_read_from_its_block() {
        let text = "dependency \"eks\" {\n  config_path = \"../../eks\"\n}\ndependency \"role\" {\n  config_path = \"../iam/external-dns\"\n  mock_outputs = { iam_role_arn = \"x\" }\n}\ndependency \"computed\" {\n  config_path = \"${get_terragrunt_dir()}/../x\"\n}\ndependency \"none\" {}\n";
        assert_eq!(
            dependency_path(0, text, "role").as_deref(),
            Some("../iam/external-dns")
        );
        assert_eq!(
            dependency_path(0, text, "eks").as_deref(),
            Some("../../eks")
        );
        assert_eq!(dependency_path(0, text, "computed"), None);
        assert_eq!(dependency_path(0, text, "none"), None);
        assert_eq!(dependency_path(0, text, "missing"), None);
        assert_eq!(dependency_path(0, "dependency {", "role"), None);
    }

    fn virt(text: &str) -> Read {
        read(0, text, &Limits::default()).unwrap()
    }

    fn call_text(text: &str) -> String {
        match virt(text) {
            Read::Call(v) => v.text,
            other => panic!("{other:?}"),
        }
    }

    /// A key `inputs` writes twice (quoted or not) is one argument, the later value.
    #[test]
    fn a_key_written_twice_is_one_argument_with_the_later_value() {
        let text = "terraform {\n  source = \"tfr:///x/y/aws?version=1.0.0\"\n}\ninputs = {\n  a = 1\n  b = 2\n  \"a\" = 3\n  b = 4\n  c = 5\n}\n";
        assert_eq!(
            call_text(text),
            "module \"terragrunt\" {\nsource = \"x/y/aws\"\nversion = \"1.0.0\"\na = 3\nb = 4\nc = 5\n}\n"
        );
        // The same for the inputs of a unit that configures its own directory.
        let own = "inputs = {\n  a = 1\n  a = 2\n}\n";
        match virt(own) {
            Read::Vars(v) => assert_eq!(v.text, "a = 2\n"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn registry_sources_lose_the_scheme_and_give_their_version() {
        assert_eq!(
            normalize("tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.39.0"),
            (
                "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks".into(),
                Some("5.39.0".into())
            )
        );
        assert_eq!(
            normalize("tfr://registry.terraform.io/terraform-aws-modules/iam/aws//modules/x?version=5.1.0"),
            ("terraform-aws-modules/iam/aws//modules/x".into(), Some("5.1.0".into()))
        );
        assert_eq!(
            normalize("git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-assumable-role-with-oidc?ref=v5.60.0"),
            ("git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-assumable-role-with-oidc?ref=v5.60.0".into(), None)
        );
        assert_eq!(
            normalize("../../modules//irsa"),
            ("../../modules/irsa".into(), None)
        );
        assert_eq!(normalize("./m"), ("./m".into(), None));
    }

    #[test]
    fn the_call_holds_the_source_the_inputs_and_the_locals() {
        let text = "locals {\n  ns = \"team\"\n}\ninclude \"root\" {\n  path = find_in_parent_folders()\n}\nterraform {\n  source = \"tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.39.0\"\n}\ninputs = {\n  role_name = \"app\", \"oidc_providers\": {}\n  (local.ns) = 1\n}\n";
        assert_eq!(
            call_text(text),
            "locals {\n  ns = \"team\"\n}\nmodule \"terragrunt\" {\nsource = \"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks\"\nversion = \"5.39.0\"\nrole_name = \"app\"\noidc_providers = {}\n}\n"
        );
    }

    #[test]
    fn every_byte_maps_to_what_the_user_wrote() {
        let text = "terraform {\n  source = \"../m\"\n}\ninputs = {\n  role_name = \"app\"\n}\n";
        let Read::Call(v) = virt(text) else { panic!() };
        let at = v.text.find("\"app\"").unwrap();
        let s = v.span(Span::new(0, at, at + 5));
        assert_eq!(&text[s.start as usize..s.end as usize], "\"app\"");
        let at = v.text.find("role_name").unwrap();
        let s = v.span(Span::new(0, at, at + 9));
        assert_eq!(&text[s.start as usize..s.end as usize], "role_name");
        let at = v.text.find("terragrunt").unwrap();
        let s = v.span(Span::new(0, at, at + 10));
        assert_eq!(&text[s.start as usize..s.end as usize], "\"../m\"");
        assert_eq!(v.map.len(), v.text.len());
    }

    #[test]
    fn a_terragrunt_dir_source_is_local_and_other_sources_are_copied() {
        let t =
            call_text("terraform {\n  source = \"${get_terragrunt_dir()}/../modules//irsa\"\n}\n");
        assert!(t.contains("source = \"./../modules/irsa\"\n"), "{t}");
        let t = call_text("terraform {\n  source = \"${local.base}?ref=v1\"\n}\n");
        assert!(t.contains("source = \"${local.base}?ref=v1\"\n"), "{t}");
    }

    #[test]
    fn inputs_of_the_own_directory_are_its_variables() {
        let vars = |text: &str| match virt(text) {
            Read::Vars(v) => v.text,
            other => panic!("{other:?}"),
        };
        let inputs = "inputs = {\n  a = \"x\"\n  b = local.b\n  c = \"${local.c}-d\"\n  e = dependency.x.outputs.e\n}\n";
        let want = "a = \"x\"\nb = terragrunt.inputs.b\nc = terragrunt.inputs.c\ne = dependency.x.outputs.e\n";
        assert_eq!(vars(inputs), want);
        for source in [
            "\".\"",
            "\"./\"",
            "\"${get_terragrunt_dir()}\"",
            "\"${get_terragrunt_dir()}/\"",
        ] {
            let text = format!("terraform {{\n  source = {source}\n}}\n{inputs}");
            assert_eq!(vars(&text), want, "{source}");
        }
        // Not the own directory: a call.
        for source in ["\"./m\"", "\"${get_terragrunt_dir()}/m\"", "\"..\""] {
            let text = format!("terraform {{\n  source = {source}\n}}\n{inputs}");
            assert!(matches!(virt(&text), Read::Call(_)), "{source}");
        }
        // The unknown stands at the value written.
        let Read::Vars(v) = virt(inputs) else {
            panic!()
        };
        let at = v.text.find("terragrunt.inputs.b").unwrap();
        let s = v.span(Span::new(0, at, at + "terragrunt.inputs.b".len()));
        assert_eq!(&inputs[s.start as usize..s.end as usize], "local.b");
        let arena = crate::terraform::ast::Arena::new();
        let parsed = super::super::hcl::parse(&arena, 0, &v.text, &Limits::default()).unwrap();
        assert!(is_variables("live/a/terragrunt.hcl", &parsed.body));
        assert!(!is_variables("live/a/x.tf", &parsed.body));
        let Read::Call(c) = virt("terraform {\n  source = \"./m\"\n}\n") else {
            panic!()
        };
        let parsed = super::super::hcl::parse(&arena, 0, &c.text, &Limits::default()).unwrap();
        assert!(!is_variables("live/a/terragrunt.hcl", &parsed.body));
    }

    #[test]
    fn no_source_is_nothing_and_inputs_not_written_as_an_object_are_unread() {
        assert!(matches!(virt("locals {\n  a = 1\n}\n"), Read::Nothing));
        assert!(matches!(
            virt("terraform {\n  source = \".\"\n}\n"),
            Read::Nothing
        ));
        let text = "terraform {\n  source = \"../m\"\n}\ninputs = merge(local.a, { b = 1 })\n";
        let Read::Unread(why, at) = virt(text) else {
            panic!()
        };
        assert!(why.contains("`inputs`"));
        assert!(text[at.start as usize..].starts_with("merge("));
    }

    #[test]
    fn bad_syntax_is_a_parse_problem_at_its_position() {
        let text = "terraform {\n  source = \"../m\"\n}\ninputs = {\n  a = \n}\n";
        let p = read(0, text, &Limits::default()).unwrap_err();
        assert!(p.span.start as usize >= text.find("a =").unwrap(), "{p:?}");
    }

    /// `testdata/terragrunt` loaded as `lint` loads it.
    fn world() -> crate::load::Inputs {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let dir = root.join("terragrunt");
        let limits = Limits::default();
        let raw = crate::load::read_paths(
            &[dir.to_string_lossy().into_owned()],
            &root,
            Default::default(),
            &limits,
        )
        .unwrap();
        // The bodies whole, as the reader gives them.
        crate::load::load_unpruned(raw.raws, &limits)
    }

    #[test]
    fn a_tree_gives_each_call_with_its_arguments_where_they_are_written() {
        let inputs = world();
        let at = |s: Span| {
            let f = inputs.sources.get(s.file);
            let (l, c) = f.line_col(s.start as usize);
            format!("{}:{l}:{c} {}", f.path, f.slice(s))
        };
        let calls: Vec<String> = inputs
            .terraform
            .iter()
            .filter(|r| r.kind == "module")
            .map(|r| {
                let source = r.body.get("source").map(|s| at(s.span)).unwrap_or_default();
                let version = r.body.get("version").and_then(Node::as_str).unwrap_or("-");
                format!("{} {} [{source}] {version}", r.address, at(r.anchor))
            })
            .collect();
        let tgr = "\"tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.39.0\"";
        assert_eq!(
            calls,
            [
                // The local call: its instance's arguments.
                "module.terragrunt terragrunt/live/prod/app/terragrunt.hcl:11:12 \"${get_terragrunt_dir()}/../../../modules//irsa\" [terragrunt/live/prod/app/terragrunt.hcl:11:12 \"${get_terragrunt_dir()}/../../../modules//irsa\"] -".to_string(),
                "module.terragrunt terragrunt/live/prod/eks/terragrunt.hcl:2:12 \"git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.8.4\" [terragrunt/live/prod/eks/terragrunt.hcl:2:12 \"git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.8.4\"] -".to_string(),
                format!("module.terragrunt terragrunt/live/prod/irsa-dependency/terragrunt.hcl:10:12 {tgr} [terragrunt/live/prod/irsa-dependency/terragrunt.hcl:10:12 {tgr}] 5.39.0"),
                "module.terragrunt terragrunt/live/prod/irsa-ok/terragrunt.hcl:6:12 \"git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-role-for-service-accounts-eks?ref=v5.39.0\" [terragrunt/live/prod/irsa-ok/terragrunt.hcl:6:12 \"git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-role-for-service-accounts-eks?ref=v5.39.0\"] -".to_string(),
                format!("module.terragrunt terragrunt/live/prod/irsa-wildcard/terragrunt.hcl:7:12 {tgr} [terragrunt/live/prod/irsa-wildcard/terragrunt.hcl:7:12 {tgr}] 5.39.0"),
                "module.terragrunt terragrunt/live/prod/team-reports/terragrunt.hcl:4:12 \"git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-assumable-role-with-oidc?ref=v5.60.0\" [terragrunt/live/prod/team-reports/terragrunt.hcl:4:12 \"git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-assumable-role-with-oidc?ref=v5.60.0\"] -".to_string(),
            ]
        );
        // The source of a modelled call is the registry address without `tfr://`.
        let wildcard = inputs
            .terraform
            .iter()
            .find(|r| {
                r.kind == "module" && inputs.sources.get(r.file).path.contains("irsa-wildcard")
            })
            .unwrap();
        assert_eq!(
            wildcard.body.get("source").and_then(Node::as_str),
            Some("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks")
        );
        // Each argument at its own position, a `local` evaluated, an include's unknown.
        let providers = wildcard.body.get("oidc_providers").unwrap();
        assert_eq!(at(providers.span), "terragrunt/live/prod/irsa-wildcard/terragrunt.hcl:19:20 {\n    main = {\n      provider_arn               = \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"\n      namespace_service_accounts = [\"team:*\"]\n    }\n  }");
        let env = wildcard
            .body
            .get("tags")
            .and_then(|t| t.get("Environment"))
            .unwrap();
        assert!(super::super::hcl::is_unknown(env), "{env:?}");
        // The local call's module made its role under the call.
        assert!(inputs
            .terraform
            .iter()
            .any(|r| r.address == "module.terragrunt.aws_iam_role.this"
                && inputs.sources.get(r.file).path == "terragrunt/live/prod/app/terragrunt.hcl"));
        // A unit whose module is its own directory: the inputs are its variables.
        let worker = inputs
            .terraform
            .iter()
            .find(|r| r.address == "aws_iam_role.worker")
            .unwrap();
        let trust = format!("{:?}", worker.body);
        assert!(
            trust.contains("system:serviceaccount:jobs:worker"),
            "{trust}"
        );
        assert!(!trust.contains("system:serviceaccount:jobs:*"), "{trust}");
        // Why the others are not read, by file.
        let unread: Vec<(&str, &str)> = inputs
            .terragrunt_unread
            .iter()
            .map(|(f, why)| (inputs.sources.get(*f).path.as_str(), why.as_str()))
            .collect();
        assert_eq!(
            unread,
            [
                ("terragrunt/live/prod/eks/terragrunt.hcl", "module source `git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.8.4` is not one irsalint models"),
                ("terragrunt/live/prod/merged/terragrunt.hcl", "`inputs` is not an object written in the file, so the module's arguments are unknown"),
            ]
        );
    }

    #[test]
    fn an_unknown_source_is_unread_and_a_modelled_or_local_one_is_not() {
        let mut sources = SourceMap::default();
        let tg = sources.add("live/a/terragrunt.hcl", String::new());
        let tf = sources.add("live/a/main.tf", String::new());
        let call = |file, source: Node| Resource {
            mode: super::super::Mode::Managed,
            kind: "module".into(),
            name: CALL.into(),
            address: "module.terragrunt".into(),
            module: String::new(),
            origin: super::super::Origin::Configuration,
            file,
            anchor: Span::empty(file, 0),
            call: None,
            body: Node::new(
                crate::source::node::Value::Map(
                    vec![crate::source::node::Entry {
                        key: Node::new(
                            crate::source::node::Value::Str("source".into()),
                            Span::empty(file, 0),
                        ),
                        value: source,
                    }]
                    .into(),
                ),
                Span::empty(file, 0),
            ),
        };
        let s = |t: &str| {
            Node::new(
                crate::source::node::Value::Str(t.into()),
                Span::empty(tg, 0),
            )
        };
        let rs = [
            call(
                tg,
                s("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"),
            ),
            call(tg, s("../modules/irsa")),
            call(tg, s("git::https://example.com/x.git")),
            call(
                tg,
                super::super::hcl::unknown("local.base", Span::empty(tg, 0)),
            ),
            // Not a terragrunt.hcl: a `.tf` call is not Terragrunt's to list.
            call(tf, s("git::https://example.com/x.git")),
            // What the call's local module declares belongs to the terragrunt.hcl too: a
            // module it calls (`call` set) is not the file's own call, and a resource is no
            // call at all.
            Resource {
                name: "inner".into(),
                address: "module.terragrunt.module.inner".into(),
                call: Some(Span::empty(tg, 0)),
                ..call(tg, s("git::https://example.com/inner.git"))
            },
            Resource {
                kind: "aws_iam_role".into(),
                address: "aws_iam_role.x".into(),
                ..call(tg, s("git::https://example.com/x.git"))
            },
        ];
        let unread = unread_calls(&rs, &sources);
        assert_eq!(
            unread,
            [
                (
                    tg,
                    "module source `git::https://example.com/x.git` is not one irsalint models"
                        .to_string()
                ),
                (
                    tg,
                    "module source unknown (written with values only Terragrunt knows)".to_string()
                ),
            ]
        );
    }

    #[test]
    fn quoted_input_names_are_arguments_only_when_they_are_identifiers() {
        let t = call_text("terraform {\n  source = \"./m\"\n}\ninputs = {\n  \"_x\" = 1\n  \"a b\" = 2\n  \"9lives\" = 3\n  \"a-b\" = 4\n  \"\" = 5\n  \"a_b\" = 6\n}\n");
        assert_eq!(
            t,
            "module \"terragrunt\" {\nsource = \"./m\"\n_x = 1\na-b = 4\na_b = 6\n}\n"
        );
    }

    #[test]
    fn only_terragrunt_hcl_is_terragrunt() {
        assert!(is_terragrunt("live/prod/irsa/terragrunt.hcl"));
        assert!(is_terragrunt("terragrunt.hcl"));
        assert!(!is_terragrunt("live/root.hcl"));
        assert!(!is_terragrunt("live/terragrunt.hcl.bak"));
        assert!(!is_terragrunt("live/xterragrunt.hcl"));
    }
}
