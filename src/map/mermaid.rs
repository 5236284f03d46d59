//! `--format mermaid`: a flowchart for GitHub Markdown and PR comments. Node ids are
//! generated (`w0`, `sa0`, `r0`): mermaid ids cannot hold `/` or `:`. Labels are quoted
//! with `"` written as `#quot;`; edge colours by verdict come from `linkStyle` by index.

use std::collections::HashMap;
use std::fmt::Write;

use super::{AccessMap, Verdict};

/// A label inside `["..."]` / `|"..."|`: mermaid's entity codes for the characters its
/// grammar gives a meaning.
pub fn label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(map: &AccessMap) -> String {
    let mut s = String::from("flowchart LR\n");
    let mut sa_ids: HashMap<String, String> = HashMap::new();
    let mut role_ids: HashMap<String, String> = HashMap::new();
    for (i, sa) in map.service_accounts.iter().enumerate() {
        sa_ids.insert(sa.id(), format!("sa{i}"));
    }
    for (i, r) in map.roles.iter().enumerate() {
        role_ids.insert(r.id.clone(), format!("r{i}"));
    }
    let mut warned = Vec::new();
    for (n, ns) in map.namespaces().iter().enumerate() {
        let _ = writeln!(
            s,
            "  subgraph ns{n}[\"{}\"]",
            label(&AccessMap::namespace_heading(ns))
        );
        for (i, w) in map.workloads.iter().enumerate() {
            if &w.namespace != ns {
                continue;
            }
            let text = format!(
                "{}\n[{}]{}",
                w.label(),
                w.containers.join(", "),
                super::dot::findings(w.findings)
            );
            let _ = writeln!(s, "    w{i}[\"{}\"]", label(&text));
            if w.findings > 0 {
                warned.push(format!("w{i}"));
            }
        }
        for sa in map.service_accounts.iter().filter(|x| &x.namespace == ns) {
            let mut text = format!("ServiceAccount {}", sa.name);
            if !sa.defined {
                text.push_str("\n(not in the inputs)");
            }
            text.push_str(&super::dot::findings(sa.findings));
            let id = &sa_ids[&sa.id()];
            let _ = writeln!(s, "    {id}([\"{}\"])", label(&text));
            if sa.findings > 0 {
                warned.push(id.clone());
            }
        }
        s.push_str("  end\n");
    }
    for r in &map.roles {
        let mut text = super::table::role_label_head(r);
        for line in super::table::permission_lines(&r.permissions) {
            text.push('\n');
            text.push_str(&line);
        }
        text.push_str(&super::dot::findings(r.findings));
        let id = &role_ids[&r.id];
        let _ = writeln!(s, "  {id}[\"{}\"]", label(&text));
        if r.findings > 0 {
            warned.push(id.clone());
        }
    }
    let mut link = 0usize;
    let mut styles = Vec::new();
    for (i, w) in map.workloads.iter().enumerate() {
        if let Some(sa) = sa_ids.get(&w.sa_id()) {
            let _ = writeln!(s, "  w{i} --> {sa}");
            styles.push((link, "stroke:#777777"));
            link += 1;
        }
    }
    for b in &map.bindings {
        let (Some(from), Some(to)) = (sa_ids.get(&b.sa), role_ids.get(&b.role)) else {
            continue;
        };
        let mut text = format!("{} {}", b.mechanism.as_str(), b.verdict.as_str());
        if !b.reasons.is_empty() {
            text.push_str(&format!(": {}", b.reasons.join(", ")));
        }
        let arrow = match b.verdict {
            Verdict::Assumable => "-->",
            Verdict::NotTrusted => "==>",
            Verdict::Unknown | Verdict::Ignored => "-.->",
        };
        let _ = writeln!(s, "  {from} {arrow}|\"{}\"| {to}", label(&text));
        styles.push((
            link,
            match b.verdict {
                Verdict::Assumable => "stroke:#2e7d32,color:#2e7d32",
                Verdict::NotTrusted => "stroke:#c62828,stroke-width:3px,color:#c62828",
                Verdict::Unknown => "stroke:#ef6c00,color:#ef6c00",
                Verdict::Ignored => "stroke:#9e9e9e,color:#9e9e9e",
            },
        ));
        link += 1;
    }
    for (i, style) in styles {
        let _ = writeln!(s, "  linkStyle {i} {style}");
    }
    if !warned.is_empty() {
        s.push_str("  classDef findings fill:#fde2e1,stroke:#c62828\n");
        let _ = writeln!(s, "  class {} findings", warned.join(","));
    }
    s
}
