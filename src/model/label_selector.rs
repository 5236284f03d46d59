//! Kubernetes label selectors (`matchLabels`, `matchExpressions`), evaluated three-valued:
//! the inputs often hold only some of the labels a selector asks about (a namespace's labels
//! are unknown without its `Namespace` object), and a lint must not guess.

use crate::source::node::Node;

/// What the inputs say about one label: `None` unknown, `Some(None)` known to be absent,
/// `Some(Some(value))` present.
pub type Known<'v> = Option<Option<&'v str>>;

/// Why a selector does not match: the requirement that fails, as written.
#[derive(Debug, Clone)]
pub struct Mismatch<'n> {
    /// The `matchLabels` entry or `matchExpressions` item that fails.
    pub node: &'n Node,
    /// `app=web`, `team In [a, b]`, `eks.amazonaws.com/skip DoesNotExist`.
    pub requirement: String,
}

/// `Ok(Some(()))`: matches; `Err(m)`: a requirement surely fails; `Ok(None)`: undecided.
/// Requirements are ANDed; an empty selector matches everything. An operator Kubernetes
/// does not know (the API server rejects it) leaves the answer undecided.
pub fn evaluate<'n, 'v>(
    sel: &'n Node,
    label: impl Fn(&str) -> Known<'v>,
) -> Result<Option<()>, Mismatch<'n>> {
    let mut undecided = false;
    for e in sel.get("matchLabels").map(Node::entries).unwrap_or(&[]) {
        let (Some(k), Some(v)) = (e.key.as_str(), e.value.scalar_text()) else {
            undecided = true;
            continue;
        };
        match label(k) {
            None => undecided = true,
            Some(got) if got == Some(&*v) => {}
            Some(_) => {
                return Err(Mismatch {
                    node: &e.value,
                    requirement: format!("{k}={v}"),
                })
            }
        }
    }
    for req in sel.get("matchExpressions").map(Node::items).unwrap_or(&[]) {
        let key = req.get("key").and_then(Node::as_str);
        let op = req.get("operator").and_then(Node::as_str);
        let values: Vec<String> = req
            .get("values")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|v| v.scalar_text().map(|t| t.into_owned()))
            .collect();
        let (Some(key), Some(op)) = (key, op) else {
            undecided = true;
            continue;
        };
        let Some(got) = label(key) else {
            undecided = true;
            continue;
        };
        let holds = match op {
            "In" => got.is_some_and(|v| values.iter().any(|x| x == v)),
            "NotIn" => got.is_none_or(|v| values.iter().all(|x| x != v)),
            "Exists" => got.is_some(),
            "DoesNotExist" => got.is_none(),
            _ => {
                undecided = true;
                continue;
            }
        };
        if !holds {
            let requirement = match op {
                "In" | "NotIn" => format!("{key} {op} [{}]", values.join(", ")),
                _ => format!("{key} {op}"),
            };
            return Err(Mismatch {
                node: req,
                requirement,
            });
        }
    }
    Ok((!undecided).then_some(()))
}

/// The keys a selector asks about.
pub fn keys(sel: &Node) -> Vec<&str> {
    let mut out: Vec<&str> = sel
        .get("matchLabels")
        .map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| e.key.as_str())
        .collect();
    out.extend(
        sel.get("matchExpressions")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|r| r.get("key").and_then(Node::as_str)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::file::LineIndex;
    use crate::source::Limits;

    fn parse(text: &str) -> Node {
        let lines = LineIndex::new(text);
        let mut loaded = crate::source::yaml::load_yaml(0, text, &lines, &Limits::default());
        loaded.documents.remove(0).root
    }

    fn eval(sel: &str, labels: &[(&str, &str)], known: bool) -> Option<bool> {
        let node = parse(sel);
        let label = |k: &str| -> Known<'_> {
            match labels.iter().find(|(l, _)| *l == k) {
                Some((_, v)) => Some(Some(v)),
                None if known => Some(None),
                None => None,
            }
        };
        match evaluate(&node, label) {
            Ok(Some(())) => Some(true),
            Ok(None) => None,
            Err(_) => Some(false),
        }
    }

    #[test]
    fn kubernetes_semantics() {
        let all = [("team", "a"), ("env", "prod")];
        assert_eq!(eval("{}", &[], true), Some(true));
        assert_eq!(eval("matchLabels: {team: a}", &all, true), Some(true));
        assert_eq!(eval("matchLabels: {team: b}", &all, true), Some(false));
        let expr = |op: &str, vals: &str| {
            format!("matchExpressions: [{{key: team, operator: {op}{vals}}}]")
        };
        assert_eq!(
            eval(&expr("In", ", values: [a, b]"), &all, true),
            Some(true)
        );
        assert_eq!(eval(&expr("In", ", values: [b]"), &all, true), Some(false));
        assert_eq!(eval(&expr("In", ", values: [a]"), &[], true), Some(false));
        assert_eq!(
            eval(&expr("NotIn", ", values: [b]"), &all, true),
            Some(true)
        );
        assert_eq!(
            eval(&expr("NotIn", ", values: [a]"), &all, true),
            Some(false)
        );
        assert_eq!(eval(&expr("NotIn", ", values: [a]"), &[], true), Some(true));
        assert_eq!(eval(&expr("Exists", ""), &all, true), Some(true));
        assert_eq!(eval(&expr("Exists", ""), &[], true), Some(false));
        assert_eq!(eval(&expr("DoesNotExist", ""), &all, true), Some(false));
        assert_eq!(eval(&expr("DoesNotExist", ""), &[], true), Some(true));
        // Unknown labels leave the answer open, unless another requirement fails for sure.
        assert_eq!(eval("matchLabels: {team: a}", &[], false), None);
        assert_eq!(
            eval(
                "matchLabels: {team: a, env: dev}",
                &[("env", "prod")],
                false
            ),
            Some(false)
        );
        assert_eq!(eval(&expr("Matches", ", values: [a]"), &all, true), None);
    }
}
