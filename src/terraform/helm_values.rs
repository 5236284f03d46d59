//! `helm_release` values written as YAML text: a heredoc (`values = [<<-EOT ... EOT]`), a
//! values file (`values = [file("${path.module}/values.yaml")]`), a template of one
//! (`templatefile(...)`), or the rendered values string of a plan. The evaluator leaves them
//! strings (YAML is not decoded by guesswork); here, with the sources at hand, each is parsed
//! as YAML and every node mapped back to the file where its text is, so the ServiceAccount
//! a chart is told to create (`serviceAccount.name`, its `eks.amazonaws.com/role-arn`
//! annotation) points at what the user wrote.
//!
//! A part of the text only apply will know (`${module.irsa.iam_role_arn}` in a heredoc) is
//! an unknown scalar named by its expression, as everywhere in the Terraform reader.

use crate::source::embedded;
use crate::source::file::{FileId, LineIndex, SourceMap, Span};
use crate::source::node::{Node, ScalarStyle, Value};
use crate::source::{yaml, Limits};

use super::hcl::{is_unknown, PARTIAL_TAG};
use super::{Resource, UNKNOWN_TAG};

/// Replaces each YAML string of every `helm_release`'s `values`, and every
/// `kubectl_manifest`'s `yaml_body`, with its decoded mapping.
pub fn decode(resources: &mut [Resource], sources: &SourceMap) {
    for r in resources.iter_mut() {
        for it in yaml_strings(&r.kind, &mut r.body) {
            let partial = it.tag.as_deref() == Some(PARTIAL_TAG);
            if !matches!(it.value, Value::Str(_)) || (is_unknown(it) && !partial) {
                continue;
            }
            if let Some(doc) = yaml_of(it, sources) {
                *it = doc;
            }
        }
    }
}

/// The resource type of the kubectl providers (gavinbunney/kubectl, alekc/kubectl) whose
/// `yaml_body` is one Kubernetes object written as YAML text.
pub const KUBECTL_MANIFEST: &str = "kubectl_manifest";

/// The attributes of a resource of type `kind` that hold YAML text: each element of a
/// `helm_release`'s `values`, a `kubectl_manifest`'s `yaml_body`; none for other types.
pub fn yaml_strings<'a>(kind: &str, body: &'a mut Node) -> Vec<&'a mut Node> {
    let key = match kind {
        "helm_release" => "values",
        KUBECTL_MANIFEST => "yaml_body",
        _ => return Vec::new(),
    };
    let Value::Map(entries) = &mut body.value else {
        return Vec::new();
    };
    let Some(e) = entries.iter_mut().find(|e| e.key.as_str() == Some(key)) else {
        return Vec::new();
    };
    if key == "yaml_body" {
        return match e.value.value {
            Value::Str(_) => vec![&mut e.value],
            _ => Vec::new(),
        };
    }
    match &mut e.value.value {
        Value::Seq(items) => items.iter_mut().collect(),
        _ => Vec::new(),
    }
}

/// The YAML mapping a string node holds, positions in the file its text is in.
fn yaml_of(n: &Node, sources: &SourceMap) -> Option<Node> {
    let value = n.as_str()?;
    if !value.contains(':') {
        return None;
    }
    let file = sources.get(n.span.file);
    let table = if n.style == ScalarStyle::Json {
        // A plan's string: its escapes decoded again, byte by byte.
        let m = embedded::decode(file.text(), n)?;
        let mut t: Vec<u32> = (0..value.len()).map(|i| m.to_file(i) as u32).collect();
        t.push(m.to_file(value.len()) as u32);
        Some(t)
    } else {
        let raw = file
            .text()
            .get(n.span.start as usize..n.span.end as usize)
            .unwrap_or("");
        // A heredoc's text starts after its `<<EOT` line.
        let (raw, base) = match raw.strip_prefix("<<") {
            Some(_) => match raw.find('\n') {
                Some(i) => (&raw[i + 1..], n.span.start as usize + i + 1),
                None => (raw, n.span.start as usize),
            },
            None => (raw, n.span.start as usize),
        };
        positions(raw, value, base as u32)
    };
    mapping(n, value, table.as_deref())
}

/// `value`, the text of `n`, loaded as YAML when it is one mapping, its nodes moved to the
/// file positions `table` gives (each byte's, see `fix`).
fn mapping(n: &Node, value: &str, table: Option<&[u32]>) -> Option<Node> {
    let limits = Limits::default();
    let loaded = yaml::load_yaml(n.span.file, value, &LineIndex::new(value), &limits);
    if !loaded.problems.is_empty() {
        return None;
    }
    let mut root = loaded.documents.into_iter().next()?.root;
    root.as_map()?;
    let partial = n.tag.as_deref() == Some(PARTIAL_TAG);
    fix(&mut root, n.span.file, table, n.span, partial);
    Some(root)
}

/// The YAML mapping a `templatefile()` result holds, `table` giving each byte's position in
/// the template (the evaluator knows it; the text alone does not line up with the file when
/// a directive rendered it).
pub fn yaml_at(n: &Node, table: &[u32]) -> Option<Node> {
    let value = n.as_str()?;
    if !value.contains(':') || table.len() != value.len() + 1 {
        return None;
    }
    mapping(n, value, Some(table))
}

/// Spans from the value's offsets to the file's; scalars holding `${...}` of a template with
/// unknown parts become unknown (the whole scalar) or partly known (`!Sub`).
fn fix(n: &mut Node, file: FileId, table: Option<&[u32]>, host: Span, partial: bool) {
    n.span = match table {
        Some(t) => {
            let (s, e) = (n.span.start as usize, n.span.end as usize);
            match (t.get(s), t.get(e)) {
                (Some(&a), Some(&b)) if b >= a => Span::new(file, a as usize, b as usize),
                _ => host,
            }
        }
        None => host,
    };
    if partial {
        if let Value::Str(s) = &n.value {
            let t = s.trim();
            if let Some(name) = t
                .strip_prefix("${")
                .and_then(|x| x.strip_suffix('}'))
                .filter(|x| !x.starts_with('!') && !x.contains(['{', '}']))
            {
                n.value = Value::Str(name.into());
                n.tag = UNKNOWN_TAG.into();
            } else if t.contains("${") {
                n.tag = PARTIAL_TAG.into();
            }
        }
    }
    match &mut n.value {
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|i| fix(i, file, table, host, partial)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            fix(&mut e.key, file, table, host, partial);
            fix(&mut e.value, file, table, host, partial);
        }),
        _ => {}
    }
}

/// Where each byte of `value` is in `raw` (from `base`), one more entry for the end: `value`
/// is `raw` with a heredoc's indentation stripped and its `${...}` interpolations replaced by
/// what they gave (each such byte maps to the interpolation's start). `None` when the texts
/// do not line up.
fn positions(raw: &str, value: &str, base: u32) -> Option<Vec<u32>> {
    let (r, v) = (raw.as_bytes(), value.as_bytes());
    let mut table = Vec::with_capacity(v.len() + 1);
    let (mut i, mut j) = (0usize, 0usize);
    while j < v.len() {
        if i < r.len() && r[i] == v[j] {
            // A `${` of the raw text is an interpolation unless the value has the same
            // text (an unknown keeps its expression as written).
            if !starts_interpolation(r, i) || v[j..].starts_with(&r[i..close(r, i)?]) {
                table.push(base + i as u32);
                i += 1;
                j += 1;
                continue;
            }
        }
        if i < r.len() && starts_interpolation(r, i) {
            // What the interpolation gave: up to where the raw text after it resumes.
            let end = close(r, i)?;
            let next = &r[end..];
            let lit_len = next
                .iter()
                .position(|&c| c == b'\n' || c == b'$' || c == b'%')
                .unwrap_or(next.len())
                .min(16);
            let resume = if lit_len == 0 {
                if next.is_empty() {
                    v.len()
                } else {
                    v[j..].iter().position(|&c| c == next[0]).map(|p| j + p)?
                }
            } else {
                let lit = &next[..lit_len];
                v[j..]
                    .windows(lit.len())
                    .position(|w| w == lit)
                    .map(|p| j + p)?
            };
            table.extend(std::iter::repeat_n(base + i as u32, resume - j));
            j = resume;
            i = end;
            continue;
        }
        if i < r.len() && (r[i] == b' ' || r[i] == b'\t') {
            i += 1;
            continue;
        }
        return None;
    }
    table.push(base + i as u32);
    Some(table)
}

fn starts_interpolation(r: &[u8], i: usize) -> bool {
    matches!(r.get(i), Some(b'$' | b'%'))
        && r.get(i + 1) == Some(&b'{')
        && !(i > 0 && r[i - 1] == r[i])
}

/// The offset just past the `}` that closes the interpolation at `i`.
fn close(r: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut k = i + 1;
    while k < r.len() {
        match r[k] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            b'\n' => return None,
            _ => {}
        }
        k += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::positions;

    #[test]
    fn positions_follow_indentation_and_interpolations() {
        let raw = "    a: ${local.x}\n    b: 2\n";
        let value = "a: api\nb: 2\n";
        let t = positions(raw, value, 100).unwrap();
        // `a` at raw 4, `api` at the interpolation (raw 7), `b` at raw 22.
        assert_eq!(t[0], 104);
        assert_eq!(t[3], 107);
        assert_eq!(t[5], 107);
        assert_eq!(t[7], 122);
        // An unknown kept as written lines up byte by byte.
        let value = "a: ${local.x}\nb: 2\n";
        let t = positions(raw, value, 0).unwrap();
        assert_eq!(t[3], 7);
        assert_eq!(t[4], 8);
    }
}
