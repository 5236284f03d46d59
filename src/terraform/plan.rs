//! `terraform show -json` output (plans, and states shown the same way), recognised by
//! content, turned into [`Resource`]s.
//!
//! The format is documented at <https://developer.hashicorp.com/terraform/internals/json-format>:
//! a plan has `planned_values` (the values every resource will have, unknown ones omitted),
//! `resource_changes` (per resource `change.after`, with `after_unknown` mirroring its shape
//! and `true` wherever a value is known only after apply) and `prior_state` (the state the
//! plan started from, where data sources read during planning are); a state shown with
//! `terraform show -json` has `values` in the same shape as `planned_values`.
//!
//! A resource's body is its `after` (or `values`), with every value `after_unknown` marks
//! replaced or added as a node tagged [`UNKNOWN_TAG`]: a rule whose verdict depends on it
//! stays silent. Terraform writes an unknown element of a known list as `null` (a principal
//! whose ARN comes from a resource not yet created is `[null]`); such nulls are unknown too.
//! Values keep their spans in the plan file, and JSON policies inside string values are
//! parsed by the load stage (`InputFile::embedded_json`), so findings inside a policy point
//! at the exact place in the plan.

use std::collections::{HashMap, HashSet};

use super::{Mode, Origin, Resource, UNKNOWN_TAG};
use crate::source::file::{FileId, Span};
use crate::source::node::{Entry, Node, NodesAt, Value};

/// Whether a document is `terraform show -json` output: an object with `format_version`
/// and at least one of the sections a plan or a state has.
pub fn is_plan(root: &Node) -> bool {
    root.get("format_version")
        .is_some_and(|v| v.as_str().is_some())
        && [
            "planned_values",
            "resource_changes",
            "prior_state",
            "values",
        ]
        .iter()
        .any(|k| {
            root.get(k)
                .is_some_and(|n| n.as_map().is_some() || n.as_seq().is_some())
        })
}

/// The resources of every plan document among `documents` (a JSON file has one).
pub fn from_documents<'a>(
    file: FileId,
    documents: impl IntoIterator<Item = &'a Node>,
) -> Vec<Resource> {
    documents
        .into_iter()
        .filter(|r| is_plan(r))
        .flat_map(|r| resources(file, r))
        .collect()
}

/// Gives each string attribute of `resources` that holds a JSON object (a trust policy in
/// `assume_role_policy`, a `policy`) the tree the load stage parsed from it, whose spans are
/// the exact positions inside the escaped string (`embedded`: by the string's start offset,
/// see `load::InputFile::embedded`), instead of decoding the text again with every value at
/// the string's start.
pub fn use_embedded(resources: &mut [Resource], embedded: &NodesAt) {
    fn walk(n: &mut Node, file: FileId, embedded: &NodesAt) {
        match &mut n.value {
            Value::Str(_) if n.span.file == file && n.tag.is_none() => {
                if let Some(doc) = embedded.get(&n.span.start).filter(|d| d.as_map().is_some()) {
                    *n = doc.clone();
                }
            }
            Value::Seq(items) => items.iter_mut().for_each(|i| walk(i, file, embedded)),
            Value::Map(entries) => entries
                .iter_mut()
                .for_each(|e| walk(&mut e.value, file, embedded)),
            _ => {}
        }
    }
    if embedded.is_empty() {
        return;
    }
    for r in resources {
        walk(&mut r.body, r.file, embedded);
    }
}

/// The module inputs modelled modules never read, from the plan's `configuration`: each
/// `module_calls` entry (nested ones too) whose `source` is a modelled module, with its
/// arguments' `constant_value`s (an argument built from references has none and is
/// unknown). The resources the modules generated are in the plan's values already.
pub fn ignored_inputs<'a>(
    file: FileId,
    documents: impl IntoIterator<Item = &'a Node>,
) -> Vec<super::modules::IgnoredInput> {
    let mut out = Vec::new();
    for root in documents.into_iter().filter(|r| is_plan(r)) {
        let Some(m) = root.path(&["configuration", "root_module"]) else {
            continue;
        };
        let mut stack = vec![(m, String::new())];
        while let Some((m, parent)) = stack.pop() {
            for call in m.get("module_calls").map(Node::entries).unwrap_or(&[]) {
                let Some(name) = call.key.as_str() else {
                    continue;
                };
                let address = format!("{parent}module.{name}");
                let Some(source) = call.value.get("source").and_then(Node::as_str) else {
                    continue;
                };
                if super::modules::known(source).is_some() {
                    let args = module_args(&call.value);
                    let mc = super::modules::ModuleCall {
                        address: &address,
                        source,
                        version: call.value.get("version_constraint").and_then(Node::as_str),
                        args: &args,
                        file,
                        anchor: call.key.span,
                        call: None,
                    };
                    if let Some(e) = super::modules::expand(&mc) {
                        out.extend(e.ignored);
                    }
                }
                if let Some(inner) = call.value.get("module") {
                    stack.push((inner, format!("{address}.")));
                }
            }
        }
    }
    out
}

/// A module call's arguments from its `expressions`: `constant_value` when the argument is
/// a literal, else unknown (it refers to something).
fn module_args(call: &Node) -> Node {
    let entries = call
        .get("expressions")
        .map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .map(|e| Entry {
            key: e.key.clone(),
            value: match e.value.get("constant_value") {
                Some(v) => v.clone(),
                None => unknown(
                    format!("module input {}", e.key.as_str().unwrap_or("")),
                    e.value.span,
                ),
            },
        })
        .collect();
    Node::new(Value::Map(entries), call.span)
}

/// The resources and data sources of one plan (or state) document, in the order the file
/// gives them: planned values first, then changes without planned values, then the data
/// sources of the prior state.
pub fn resources(file: FileId, root: &Node) -> Vec<Resource> {
    let mut changes: HashMap<&str, &Node> = HashMap::new();
    for rc in current_changes(root) {
        if let Some(addr) = rc.get("address").and_then(Node::as_str) {
            changes.insert(addr, rc);
        }
    }
    let config = config_expressions(root);
    let cfg = |address: &str| config.get(config_key(address).as_str()).copied();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    let mut push = |r: Resource, out: &mut Vec<Resource>| {
        if seen.insert(r.address.clone()) {
            out.push(r);
        }
    };
    if let Some(m) = root.path(&["planned_values", "root_module"]) {
        for (r, module) in module_resources(m) {
            let res = match r
                .get("address")
                .and_then(Node::as_str)
                .and_then(|a| changes.get(a))
            {
                Some(rc) => from_change(file, rc, module, cfg),
                None => from_values(file, r, module, cfg),
            };
            if let Some(res) = res {
                push(res, &mut out);
            }
        }
    }
    for rc in current_changes(root) {
        let module = rc
            .get("module_address")
            .and_then(Node::as_str)
            .unwrap_or("");
        if let Some(res) = from_change(file, rc, module, cfg) {
            push(res, &mut out);
        }
    }
    // A plan's prior state holds the data sources read while planning; its managed
    // resources are what the plan replaces, so they are not read from there.
    if let Some(m) = root.path(&["prior_state", "values", "root_module"]) {
        for (r, module) in module_resources(m) {
            if r.get("mode").and_then(Node::as_str) != Some("data") {
                continue;
            }
            if let Some(res) = from_values(file, r, module, cfg) {
                push(res, &mut out);
            }
        }
    }
    // `terraform show -json` of a state: everything it holds is what exists.
    if let Some(m) = root.path(&["values", "root_module"]) {
        for (r, module) in module_resources(m) {
            if let Some(res) = from_values(file, r, module, cfg) {
                push(res, &mut out);
            }
        }
    }
    out
}

/// The `resource_changes` of current objects: a deposed object (`deposed`, the old object
/// of a create-before-destroy replacement) shares its address with the new one and is left
/// out.
fn current_changes(root: &Node) -> impl Iterator<Item = &Node> {
    root.get("resource_changes")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter(|rc| rc.get("deposed").is_none())
}

/// The resources of a module value (`root_module`) and of its `child_modules`,
/// recursively, each with the address of the module it is in.
fn module_resources(m: &Node) -> Vec<(&Node, &str)> {
    let mut out = Vec::new();
    let mut stack = vec![m];
    // Depth is bounded by the loader's nesting limit; a stack avoids recursion anyway.
    while let Some(m) = stack.pop() {
        let addr = m.get("address").and_then(Node::as_str).unwrap_or("");
        for r in m.get("resources").map(Node::items).unwrap_or(&[]) {
            out.push((r, addr));
        }
        // Children in file order after this module's own resources.
        let children = m.get("child_modules").map(Node::items).unwrap_or(&[]);
        stack.extend(children.iter().rev());
    }
    out
}

fn mode_of(r: &Node) -> Option<Mode> {
    match r.get("mode").and_then(Node::as_str) {
        Some("managed") | None => Some(Mode::Managed),
        Some("data") => Some(Mode::Data),
        Some(_) => None,
    }
}

fn header(file: FileId, r: &Node, module: &str, body: Node) -> Option<Resource> {
    let address = r.get("address").and_then(Node::as_str)?;
    let kind = r.get("type").and_then(Node::as_str)?;
    let name = r.get("name").and_then(Node::as_str)?;
    Some(Resource {
        mode: mode_of(r)?,
        kind: kind.to_string(),
        name: name.to_string(),
        address: address.to_string(),
        module: module.to_string(),
        origin: Origin::Plan,
        file,
        anchor: r.get("address").map_or(r.span, |a| a.span),
        call: None,
        body,
    })
}

/// A resource from `planned_values` or a state: its `values`, `null` list elements unknown.
fn from_values<'c>(
    file: FileId,
    r: &Node,
    module: &str,
    cfg: impl Fn(&str) -> Option<&'c Node>,
) -> Option<Resource> {
    let values = r.get("values").filter(|v| v.as_map().is_some())?;
    let address = r.get("address").and_then(Node::as_str)?;
    let at = Names {
        path: address.to_string(),
        named: None,
        module,
    };
    let body = merge(Some(values), None, &at, cfg(address))?;
    header(file, r, module, body)
}

/// A resource from `resource_changes`: `change.after` with `after_unknown` applied. A
/// resource the plan deletes has no `after` and is left out.
fn from_change<'c>(
    file: FileId,
    rc: &Node,
    module: &str,
    cfg: impl Fn(&str) -> Option<&'c Node>,
) -> Option<Resource> {
    let change = rc.get("change")?;
    let after = change.get("after").filter(|a| a.as_map().is_some());
    let unknown = change.get("after_unknown");
    if after.is_none() && !unknown.is_some_and(has_unknown) {
        return None;
    }
    let address = rc.get("address").and_then(Node::as_str)?;
    let fallback = change.get("after").map_or(change.span, |a| a.span);
    let at = Names {
        path: address.to_string(),
        named: None,
        module,
    };
    let mut body = merge(after, unknown, &at, cfg(address))?;
    if body.as_map().is_none() {
        // `after_unknown: true` for the whole object: every attribute is unknown.
        body = Node::new(Value::Map(Vec::new().into()), fallback);
    }
    header(file, rc, module, body)
}

fn has_unknown(n: &Node) -> bool {
    match &n.value {
        Value::Bool(b) => *b,
        Value::Map(m) => m.iter().any(|e| has_unknown(&e.value)),
        Value::Seq(s) => s.iter().any(has_unknown),
        _ => false,
    }
}

/// A node standing for a value known only after apply; `what` names it.
pub fn unknown(what: String, span: Span) -> Node {
    let mut n = Node::new(Value::Str(what.into()), span);
    n.tag = UNKNOWN_TAG.into();
    n
}

/// How an unknown value is named: by the one resource attribute (or module output) the
/// configuration's expression for it refers to, so that a link by reference works in a
/// plan too (`aws_iam_role.app.arn`, `module.irsa.iam_role_arn`); else by its path in the
/// resource (`kubernetes_service_account_v1.app.metadata[0].annotations.…`).
struct Names<'m> {
    path: String,
    named: Option<String>,
    /// The module the resource is in: references in its configuration are relative to it.
    module: &'m str,
}

impl Names<'_> {
    fn text(&self) -> String {
        self.named.clone().unwrap_or_else(|| self.path.clone())
    }

    /// The names of a child value, `cfg` being the configuration at this level (the
    /// resource's or a block's expressions, by attribute name; `None` inside an
    /// attribute's expression, which covers everything below it).
    fn child<'c>(
        &self,
        suffix: &str,
        key: Option<&str>,
        cfg: Option<&'c Node>,
    ) -> (Self, Option<&'c Node>) {
        let path = format!("{}{suffix}", self.path);
        let child_cfg = key.and_then(|k| cfg.and_then(|c| c.get(k)));
        let (named, below) = match child_cfg {
            // An attribute's expression.
            Some(e) if e.as_map().is_some() => (
                single_reference(e, self.module).or_else(|| self.named.clone()),
                None,
            ),
            // Nested blocks: their expressions, one per block.
            Some(b) => (self.named.clone(), Some(b)),
            None => (self.named.clone(), None),
        };
        (
            Names {
                path,
                named,
                module: self.module,
            },
            below,
        )
    }
}

/// The one resource attribute or module output an expression refers to (Terraform lists
/// `aws_iam_role.app.arn` and then `aws_iam_role.app`), relative to the root module.
fn single_reference(expr: &Node, module: &str) -> Option<String> {
    let refs: Vec<&str> = expr
        .get("references")?
        .items()
        .iter()
        .filter_map(Node::as_str)
        .filter(|r| {
            !r.starts_with("var.")
                && !r.starts_with("local.")
                && !r.starts_with("each.")
                && !r.starts_with("count.")
        })
        .collect();
    let specific: Vec<&str> = refs
        .iter()
        .copied()
        .filter(|r| {
            !refs.iter().any(|o| {
                o.len() > r.len()
                    && o.starts_with(r)
                    && matches!(o.as_bytes()[r.len()], b'.' | b'[')
            })
        })
        .collect();
    match specific.as_slice() {
        [one] if module.is_empty() => Some(one.to_string()),
        [one] => Some(format!("{module}.{one}")),
        _ => None,
    }
}

/// The `expressions` of every resource in the plan's `configuration`, by address without
/// instance keys (`module.irsa.aws_iam_role.this`).
fn config_expressions(root: &Node) -> HashMap<String, &Node> {
    let mut out = HashMap::new();
    let Some(m) = root.path(&["configuration", "root_module"]) else {
        return out;
    };
    let mut stack = vec![(m, String::new())];
    while let Some((m, prefix)) = stack.pop() {
        for r in m.get("resources").map(Node::items).unwrap_or(&[]) {
            if let (Some(a), Some(e)) = (
                r.get("address").and_then(Node::as_str),
                r.get("expressions"),
            ) {
                out.insert(format!("{prefix}{a}"), e);
            }
        }
        for call in m.get("module_calls").map(Node::entries).unwrap_or(&[]) {
            if let (Some(name), Some(inner)) = (call.key.as_str(), call.value.get("module")) {
                stack.push((inner, format!("{prefix}module.{name}.")));
            }
        }
    }
    out
}

/// A resource address without its instance keys (`[0]`, `["a.b"]`), as the configuration
/// names it.
fn config_key(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    let mut quoted = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth > 0 {
            if quoted {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    quoted = false;
                }
            } else if c == '"' {
                quoted = true;
            } else if c == ']' {
                depth -= 1;
            }
            continue;
        }
        if c == '[' {
            depth += 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// `after` with the unknown values `unknown` marks (`after_unknown`'s shape mirrors
/// `after`'s; `true` marks an unknown value); `names` names the unknown nodes, `cfg` is the
/// configuration at this level.
fn merge(
    after: Option<&Node>,
    unknown_mark: Option<&Node>,
    names: &Names<'_>,
    cfg: Option<&Node>,
) -> Option<Node> {
    if let Some(u) = unknown_mark {
        if u.as_bool() == Some(true) {
            return Some(unknown(names.text(), after.map_or(u.span, |a| a.span)));
        }
    }
    let u_map = unknown_mark.and_then(Node::as_map).unwrap_or(&[]);
    let u_seq = unknown_mark.and_then(Node::as_seq).unwrap_or(&[]);
    match after {
        Some(a) => match &a.value {
            Value::Map(entries) => {
                let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
                for e in entries {
                    let k = e.key.as_str().unwrap_or("");
                    let (sub, c) = names.child(&format!(".{k}"), Some(k), cfg);
                    let u = unknown_mark.and_then(|u| u.get(k));
                    if let Some(v) = merge(Some(&e.value), u, &sub, c) {
                        out.push(Entry {
                            key: e.key.clone(),
                            value: v,
                        });
                    }
                }
                // Attributes `after` leaves out because only apply will know them.
                for ue in u_map {
                    let Some(k) = ue.key.as_str() else { continue };
                    if a.get(k).is_some() || !has_unknown(&ue.value) {
                        continue;
                    }
                    let (sub, c) = names.child(&format!(".{k}"), Some(k), cfg);
                    if let Some(v) = merge(None, Some(&ue.value), &sub, c) {
                        out.push(Entry {
                            key: ue.key.clone(),
                            value: v,
                        });
                    }
                }
                Some(Node {
                    value: Value::Map(out.into()),
                    ..a.clone_shallow()
                })
            }
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len().max(u_seq.len()));
                for (i, item) in items.iter().enumerate() {
                    let (sub, c) = names.child(&format!("[{i}]"), None, None);
                    let c = block(cfg, i).or(c);
                    // Terraform writes an unknown element of a known list as null.
                    let v = if item.is_null() {
                        Some(unknown(sub.text(), item.span))
                    } else {
                        merge(Some(item), u_seq.get(i), &sub, c)
                    };
                    out.extend(v);
                }
                for (i, u) in u_seq.iter().enumerate().skip(items.len()) {
                    if has_unknown(u) {
                        let (sub, _) = names.child(&format!("[{i}]"), None, None);
                        out.extend(merge(None, Some(u), &sub, block(cfg, i)));
                    }
                }
                Some(Node {
                    value: Value::Seq(out.into()),
                    ..a.clone_shallow()
                })
            }
            _ => Some(a.clone()),
        },
        None => {
            let u = unknown_mark?;
            match &u.value {
                Value::Map(m) => {
                    let entries = m
                        .iter()
                        .filter(|e| has_unknown(&e.value))
                        .filter_map(|e| {
                            let k = e.key.as_str()?;
                            let (sub, c) = names.child(&format!(".{k}"), Some(k), cfg);
                            Some(Entry {
                                key: e.key.clone(),
                                value: merge(None, Some(&e.value), &sub, c)?,
                            })
                        })
                        .collect();
                    Some(Node::new(Value::Map(entries), u.span))
                }
                Value::Seq(s) => Some(Node::new(
                    Value::Seq(
                        s.iter()
                            .enumerate()
                            .filter_map(|(i, e)| {
                                let (sub, _) = names.child(&format!("[{i}]"), None, None);
                                merge(None, Some(e), &sub, block(cfg, i))
                            })
                            .collect(),
                    ),
                    u.span,
                )),
                _ => None,
            }
        }
    }
}

/// The configuration of the `i`th of a list of nested blocks.
fn block(cfg: Option<&Node>, i: usize) -> Option<&Node> {
    cfg.and_then(Node::as_seq).and_then(|s| s.get(i))
}

trait CloneShallow {
    fn clone_shallow(&self) -> Node;
}

impl CloneShallow for Node {
    /// The node's span, tag and style without its children (they are rebuilt).
    fn clone_shallow(&self) -> Node {
        Node {
            value: Value::Null,
            span: self.span,
            tag: self.tag,
            style: self.style,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_unpruned, Inputs, RawInput};
    use crate::source::Limits;

    const PLAN: &str = include_str!("../../testdata/terraform/plan/irsa.plan.json");

    fn inputs(display: &str, text: &str) -> Inputs {
        load_unpruned(
            vec![RawInput {
                display: display.into(),
                bytes: text.as_bytes().to_vec(),
                read_error: None,
            }],
            &Limits::default(),
        )
    }

    fn find<'a>(i: &'a Inputs, address: &str) -> &'a Resource {
        i.terraform
            .iter()
            .find(|r| r.address == address)
            .unwrap_or_else(|| panic!("no {address} among {:?}", addresses(i)))
    }

    fn addresses(i: &Inputs) -> Vec<&str> {
        i.terraform.iter().map(|r| r.address.as_str()).collect()
    }

    /// 1-based line and column of a span's start in file 0.
    fn at(i: &Inputs, span: Span) -> (usize, usize) {
        i.sources.get(0).line_col(span.start as usize)
    }

    fn is_unknown(n: &Node) -> bool {
        n.tag.as_deref() == Some(UNKNOWN_TAG)
    }

    #[test]
    fn every_resource_and_data_source_once_with_its_module() {
        let i = inputs("plan.json", PLAN);
        assert_eq!(
            addresses(&i),
            [
                "aws_iam_role.app",
                "aws_iam_role.worker",
                "helm_release.ebs_csi",
                "kubernetes_service_account_v1.app",
                "module.ebs_csi_irsa.aws_iam_role.this[0]",
                "module.ebs_csi_irsa.aws_iam_role_policy_attachment.this[\"policy\"]",
                "data.aws_iam_policy_document.worker_assume",
                "module.ebs_csi_irsa.data.aws_iam_policy_document.this[0]",
            ]
        );
        let role = find(&i, "module.ebs_csi_irsa.aws_iam_role.this[0]");
        assert_eq!(
            (role.kind.as_str(), role.name.as_str(), role.module.as_str()),
            ("aws_iam_role", "this", "module.ebs_csi_irsa")
        );
        assert_eq!(role.mode, Mode::Managed);
        assert_eq!(role.origin, Origin::Plan);
        let doc = find(
            &i,
            "module.ebs_csi_irsa.data.aws_iam_policy_document.this[0]",
        );
        assert_eq!(
            (doc.mode, doc.module.as_str()),
            (Mode::Data, "module.ebs_csi_irsa")
        );
        assert_eq!(find(&i, "aws_iam_role.app").module, "");
        // The anchor is the resource's address in `resource_changes` (line 190).
        assert_eq!(at(&i, find(&i, "aws_iam_role.app").anchor), (190, 18));
    }

    #[test]
    fn the_trust_policy_string_is_parsed_in_place() {
        let i = inputs("plan.json", PLAN);
        let role = find(&i, "aws_iam_role.app");
        // The attribute holds the tree the load stage parsed from the string (use_embedded).
        let doc = role.body.get("assume_role_policy").unwrap();
        assert!(doc.as_map().is_some(), "{doc:?}");
        let sub = doc
            .path(&["Statement"])
            .and_then(|s| s.items().first())
            .and_then(|s| s.path(&["Condition", "StringEquals"]))
            .and_then(|c| c.entries().first())
            .unwrap();
        assert_eq!(sub.value.as_str(), Some("system:serviceaccount:shop:app"));
        // Line 201 of the file, inside the escaped JSON string: the value's opening `\"`.
        let (line, col) = at(&i, sub.value.span);
        assert_eq!(line, 201);
        let text = &i.sources.get(0).text();
        assert!(text[sub.value.span.start as usize..]
            .starts_with("\\\"system:serviceaccount:shop:app\\\""));
        assert!(col > 40);
    }

    #[test]
    fn after_unknown_makes_missing_and_present_values_unknown() {
        let i = inputs("plan.json", PLAN);
        let worker = find(&i, "aws_iam_role.worker");
        let trust = worker
            .body
            .get("assume_role_policy")
            .expect("added from after_unknown");
        assert!(is_unknown(trust));
        // Named by what the configuration's expression refers to.
        assert_eq!(
            trust.as_str(),
            Some("data.aws_iam_policy_document.worker_assume.json")
        );
        // Known values stay as they are.
        assert_eq!(
            worker.body.get("name").and_then(Node::as_str),
            Some("worker")
        );
        assert!(is_unknown(worker.body.get("arn").unwrap()));

        let sa = find(&i, "kubernetes_service_account_v1.app");
        let ann = sa.body.get("metadata").unwrap().items()[0]
            .get("annotations")
            .unwrap();
        let arn = ann
            .get("eks.amazonaws.com/role-arn")
            .expect("unknown annotation added");
        assert!(is_unknown(arn));
        // Named by the one attribute the configuration's expression refers to.
        assert_eq!(arn.as_str(), Some("aws_iam_role.app.arn"));
        // Without a configuration the unknown names its path.
        let bare = {
            let mut v: serde_json::Value = serde_json::from_str(PLAN).unwrap();
            v.as_object_mut().unwrap().remove("configuration");
            serde_json::to_string(&v).unwrap()
        };
        let j = inputs("plan.json", &bare);
        let sa = find(&j, "kubernetes_service_account_v1.app");
        let meta = &sa.body.get("metadata").unwrap().items()[0];
        assert_eq!(
            meta.path(&["annotations", "eks.amazonaws.com/role-arn"]).and_then(Node::as_str),
            Some("kubernetes_service_account_v1.app.metadata[0].annotations.eks.amazonaws.com/role-arn")
        );
        let meta = &sa.body.get("metadata").unwrap().items()[0];
        assert_eq!(meta.get("namespace").and_then(Node::as_str), Some("shop"));
    }

    #[test]
    fn unknowns_inside_blocks_and_module_resources_name_their_reference() {
        let i = inputs("plan.json", PLAN);
        let doc = find(&i, "data.aws_iam_policy_document.worker_assume");
        let st = &doc.body.get("statement").unwrap().items()[0];
        let id = &st.get("principals").unwrap().items()[0]
            .get("identifiers")
            .unwrap()
            .items()[0];
        assert_eq!(
            id.as_str(),
            Some("aws_iam_openid_connect_provider.jobs.arn")
        );
        let worker = find(&i, "aws_iam_role.worker");
        assert_eq!(
            worker.body.get("assume_role_policy").and_then(Node::as_str),
            Some("data.aws_iam_policy_document.worker_assume.json")
        );
        // An unknown the configuration says nothing about keeps its path.
        assert_eq!(
            worker.body.get("arn").and_then(Node::as_str),
            Some("aws_iam_role.worker.arn")
        );
    }

    #[test]
    fn config_keys_drop_instance_keys() {
        assert_eq!(
            config_key("module.a[\"x.y\"].aws_iam_role.this[0]"),
            "module.a.aws_iam_role.this"
        );
        assert_eq!(
            config_key("data.aws_iam_policy_document.d[\"a]\\\"b\"]"),
            "data.aws_iam_policy_document.d"
        );
        assert_eq!(config_key("aws_iam_role.r"), "aws_iam_role.r");
    }

    #[test]
    fn single_references_are_the_most_specific_and_relative_to_the_module() {
        let expr = |refs: &str| {
            let lines = crate::source::file::LineIndex::new(refs);
            crate::source::json::load_json(0, refs, &lines, &crate::source::Limits::default())
                .documents
                .remove(0)
                .root
        };
        let e = expr(
            r#"{"references": ["aws_iam_role.this[0].arn", "aws_iam_role.this[0]", "aws_iam_role.this"]}"#,
        );
        assert_eq!(
            single_reference(&e, ""),
            Some("aws_iam_role.this[0].arn".into())
        );
        assert_eq!(
            single_reference(&e, "module.irsa"),
            Some("module.irsa.aws_iam_role.this[0].arn".into())
        );
        let two = expr(
            r#"{"references": ["aws_iam_role.a.arn", "aws_iam_role.a", "aws_iam_role.b.arn", "aws_iam_role.b"]}"#,
        );
        assert_eq!(single_reference(&two, ""), None);
        let var = expr(r#"{"references": ["var.role_arn"]}"#);
        assert_eq!(single_reference(&var, ""), None);
    }

    #[test]
    fn null_principals_of_a_deferred_data_source_are_unknown() {
        let i = inputs("plan.json", PLAN);
        let doc = find(&i, "data.aws_iam_policy_document.worker_assume");
        assert_eq!(doc.mode, Mode::Data);
        let st = &doc.body.get("statement").unwrap().items()[0];
        let ids = st.get("principals").unwrap().items()[0]
            .get("identifiers")
            .unwrap();
        assert_eq!(ids.items().len(), 1);
        assert!(is_unknown(&ids.items()[0]));
        assert!(is_unknown(doc.body.get("json").unwrap()));
        // Condition values are known.
        let values = st.get("condition").unwrap().items()[0]
            .get("values")
            .unwrap();
        assert_eq!(
            values.items()[0].as_str(),
            Some("system:serviceaccount:jobs:worker")
        );
    }

    #[test]
    fn helm_set_keeps_the_escaped_dots() {
        let i = inputs("plan.json", PLAN);
        let helm = find(&i, "helm_release.ebs_csi");
        let set = helm.body.get("set").unwrap().items();
        assert_eq!(
            set[0].get("name").and_then(Node::as_str),
            Some("controller.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn")
        );
        assert_eq!(
            set[0].get("value").and_then(Node::as_str),
            Some("arn:aws:iam::111122223333:role/ebs-csi")
        );
    }

    #[test]
    fn one_line_plans_on_stdin_are_recognised() {
        let v: serde_json::Value = serde_json::from_str(PLAN).unwrap();
        let line = serde_json::to_string(&v).unwrap();
        assert!(!line.contains('\n'));
        let i = inputs("<stdin>", &line);
        assert_eq!(i.terraform.len(), 8);
        // The `.json` name is not what decides: the content is.
        let i = inputs("plan.out.txt", &line);
        assert_eq!(i.terraform.len(), 8);
    }

    #[test]
    fn a_state_shown_as_json_gives_its_resources() {
        let state = r#"{"format_version":"1.0","terraform_version":"1.9.8","values":{"root_module":{"resources":[{"address":"aws_iam_role.a","mode":"managed","type":"aws_iam_role","name":"a","values":{"name":"a","arn":"arn:aws:iam::111122223333:role/a"}}]}}}"#;
        let i = inputs("state.json", state);
        assert_eq!(addresses(&i), ["aws_iam_role.a"]);
    }

    #[test]
    fn other_json_with_similar_keys_is_not_a_plan() {
        for text in [
            r#"{"planned_values":{"root_module":{"resources":[{"address":"a.b","type":"a","name":"b","values":{}}]}}}"#,
            r#"{"format_version":"1.0","provider_schemas":{}}"#,
            r#"{"format_version":1,"values":{}}"#,
        ] {
            assert!(inputs("x.json", text).terraform.is_empty(), "{text}");
        }
    }

    #[test]
    fn after_unknown_of_another_shape_than_after_never_panics() {
        // Hostile or hand-edited plans: marks that do not mirror `after`.
        let text = r#"{"format_version":"1.2","resource_changes":[
            {"address":"a.x","mode":"managed","type":"a","name":"x","change":{"after":{"m":{"k":"v"},"l":["a",null],"s":"t"},
             "after_unknown":{"m":[true,{"z":true}],"l":{"0":true},"s":{"deep":[true]},"n":[[true],{"q":[false,true]}],"f":false,"g":{}}}},
            {"address":"a.y","mode":"managed","type":"a","name":"y","change":{"after":{"k":[1,2]},"after_unknown":{"k":[false,false,true,{"w":true}]}}},
            {"address":"a.z","mode":"managed","type":"a","name":"z","change":{"after":{},"after_unknown":[true]}}
        ]}"#;
        let i = inputs("plan.json", text);
        assert_eq!(addresses(&i), ["a.x", "a.y", "a.z"]);
        let x = &find(&i, "a.x").body;
        // A map marked with a list keeps its known values; the null element is unknown.
        assert_eq!(x.path(&["m", "k"]).and_then(Node::as_str), Some("v"));
        assert!(is_unknown(&x.get("l").unwrap().items()[1]));
        assert_eq!(x.get("s").and_then(Node::as_str), Some("t"));
        // A key only `after_unknown` has, marked deep inside: built from the marks.
        let n = x.get("n").unwrap().items();
        assert!(is_unknown(&n[0].items()[0]));
        assert_eq!(n[1].get("q").unwrap().items().len(), 1);
        assert!(x.get("f").is_none() && x.get("g").is_none());
        // Extra marked elements past the end of a known list are unknown elements.
        let k = find(&i, "a.y").body.get("k").unwrap().items().to_vec();
        assert_eq!(k.len(), 4);
        assert!(is_unknown(&k[2]));
        assert!(is_unknown(k[3].get("w").unwrap()));
    }

    #[test]
    fn a_deposed_object_does_not_stand_for_its_replacement() {
        let text = r#"{"format_version":"1.2",
          "planned_values":{"root_module":{"resources":[{"address":"aws_iam_role.w","mode":"managed","type":"aws_iam_role","name":"w","values":{"name":"w"}}]}},
          "resource_changes":[
            {"address":"aws_iam_role.w","mode":"managed","type":"aws_iam_role","name":"w","change":{"actions":["create"],"after":{"name":"w"},"after_unknown":{"arn":true}}},
            {"address":"aws_iam_role.w","deposed":"00000001","mode":"managed","type":"aws_iam_role","name":"w","change":{"actions":["delete"],"before":{"name":"old"},"after":{"name":"old"},"after_unknown":{}}}
          ]}"#;
        let i = inputs("plan.json", text);
        assert_eq!(addresses(&i), ["aws_iam_role.w"]);
        let w = &i.terraform[0].body;
        assert_eq!(w.get("name").and_then(Node::as_str), Some("w"));
        assert!(is_unknown(w.get("arn").unwrap()));
    }

    #[test]
    fn deleted_resources_and_broken_entries_are_left_out() {
        let text = r#"{"format_version":"1.2","resource_changes":[
            {"address":"aws_iam_role.gone","mode":"managed","type":"aws_iam_role","name":"gone","change":{"actions":["delete"],"before":{"name":"gone"},"after":null,"after_unknown":{}}},
            {"address":"aws_iam_role.x","mode":"managed","change":{"actions":["create"],"after":{}}},
            {"mode":"managed","type":"aws_iam_role","name":"y","change":{"actions":["create"],"after":{}}},
            {"address":"aws_iam_role.z","mode":"managed","type":"aws_iam_role","name":"z","change":{"actions":["create"],"after":{"name":"z"},"after_unknown":true}},
            {"address":"aws_iam_role.z","deposed":"00000001","mode":"managed","type":"aws_iam_role","name":"z","change":{"actions":["delete"],"before":{"name":"old"},"after":{"name":"old"}}},
            "not an object", 7
        ]}"#;
        let i = inputs("plan.json", text);
        assert_eq!(addresses(&i), ["aws_iam_role.z"]);
        // `after_unknown: true` for the whole object: nothing can be known of it.
        assert_eq!(i.terraform[0].body.entries().len(), 0);
    }
}
