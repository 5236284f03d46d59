//! `--format dot`: Graphviz. Left to right: workloads and ServiceAccounts in one cluster per
//! namespace, then roles with their permission summary. ServiceAccount → role edges are
//! green (assumable), bold red (not-trusted, labelled with the reason) or dashed orange
//! (unknown); nodes with findings say how many.

use std::fmt::Write;

use super::table::permission_lines;
use super::{AccessMap, Verdict};

/// A DOT string literal.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `\n⚠ N findings` under a node's label in the pictures (DOT and mermaid).
pub(super) fn findings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => "\n⚠ 1 finding".into(),
        n => format!("\n⚠ {n} findings"),
    }
}

/// Fill colour of a node with findings.
fn fill(n: usize, normal: &str) -> String {
    if n > 0 {
        "#fde2e1".into()
    } else {
        normal.into()
    }
}

pub fn render(map: &AccessMap) -> String {
    let mut s = String::from("digraph irsalint_map {\n");
    s.push_str("  rankdir=LR;\n  nodesep=0.3;\n  ranksep=0.9;\n");
    s.push_str(
        "  node [fontname=\"Helvetica\", fontsize=11, style=\"rounded,filled\", shape=box];\n",
    );
    s.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    let _ = writeln!(
        s,
        "  label={};\n  labelloc=t;\n  fontname=\"Helvetica\";",
        q(&format!(
            "{}\nedges: green = assumable, bold red = not-trusted (reason), dashed orange = unknown; pink = has findings",
            super::table::summary(map)
        ))
    );
    for (i, ns) in map.namespaces().iter().enumerate() {
        let _ = writeln!(s, "  subgraph cluster_{i} {{");
        let _ = writeln!(
            s,
            "    label={};\n    style=\"rounded,dashed\";\n    color=\"#999999\";",
            q(&AccessMap::namespace_heading(ns))
        );
        for w in map.workloads.iter().filter(|w| &w.namespace == ns) {
            let label = format!(
                "{}\n[{}]{}",
                w.label(),
                w.containers.join(", "),
                findings(w.findings)
            );
            let _ = writeln!(
                s,
                "    {} [label={}, fillcolor={}];",
                q(&format!("w:{}", w.id())),
                q(&label),
                q(&fill(w.findings, "#eef3fb"))
            );
        }
        for sa in map.service_accounts.iter().filter(|x| &x.namespace == ns) {
            let mut label = format!("ServiceAccount\n{}", sa.name);
            if !sa.defined {
                label.push_str("\n(not in the inputs)");
            }
            label.push_str(&findings(sa.findings));
            let _ = writeln!(
                s,
                "    {} [label={}, shape=ellipse, fillcolor={}{}];",
                q(&format!("sa:{}", sa.id())),
                q(&label),
                q(&fill(sa.findings, "#fff7d6")),
                if sa.defined {
                    ""
                } else {
                    ", style=\"dashed,filled\""
                }
            );
        }
        s.push_str("  }\n");
    }
    for r in &map.roles {
        let mut label = super::table::role_label_head(r);
        let lines = permission_lines(&r.permissions);
        if !lines.is_empty() {
            label.push_str("\n—\n");
            label.push_str(&lines.join("\n"));
        }
        label.push_str(&findings(r.findings));
        let _ = writeln!(
            s,
            "  {} [label={}, fillcolor={}, tooltip={}{}];",
            q(&format!("role:{}", r.id)),
            q(&label),
            q(&fill(
                r.findings,
                if r.in_inputs { "#e8f5e9" } else { "#eeeeee" }
            )),
            q(&r.id),
            if r.in_inputs {
                ""
            } else {
                ", style=\"dashed,filled\""
            }
        );
    }
    for w in &map.workloads {
        let _ = writeln!(
            s,
            "  {} -> {} [color=\"#777777\", arrowsize=0.7];",
            q(&format!("w:{}", w.id())),
            q(&format!("sa:{}", w.sa_id()))
        );
    }
    for b in &map.bindings {
        let (color, style) = match b.verdict {
            Verdict::Assumable => ("#2e7d32", "solid"),
            Verdict::NotTrusted => ("#c62828", "bold"),
            Verdict::Unknown => ("#ef6c00", "dashed"),
            Verdict::Ignored => ("#9e9e9e", "dotted"),
        };
        let mut label = format!("{}\n{}", b.mechanism.as_str(), b.verdict.as_str());
        if !b.reasons.is_empty() {
            label.push_str(&format!(": {}", b.reasons.join(", ")));
        }
        let _ = writeln!(
            s,
            "  {} -> {} [label={}, color={}, fontcolor={}, style={}{}];",
            q(&format!("sa:{}", b.sa)),
            q(&format!("role:{}", b.role)),
            q(&label),
            q(color),
            q(color),
            style,
            if b.verdict == Verdict::NotTrusted {
                ", penwidth=2"
            } else {
                ""
            }
        );
    }
    s.push_str("}\n");
    s
}

/// `arn:aws:iam::111122223333:role/payments` → `payments (111122223333)`: the account stays,
/// the rest of the ARN is noise in a picture.
pub fn short_role(id: &str) -> String {
    match crate::model::iam::arn::parse(id) {
        Some(a) => {
            let name = a.resource.strip_prefix("role").unwrap_or(a.resource);
            format!("{} ({})", name.trim_start_matches('/'), a.account)
        }
        None => id.to_string(),
    }
}
