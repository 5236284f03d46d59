//! `--format table`: grouped by namespace, one ServiceAccount per block with its workloads
//! and roles, then one block per role (who it admits, who it turns away, what it may do).

use std::fmt::Write;

use super::{AccessMap, Binding, Permissions, RoleNode, Verdict};

pub fn render(map: &AccessMap) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", summary(map));
    for ns in map.namespaces() {
        let _ = writeln!(s, "\n{}", AccessMap::namespace_heading(&ns));
        for sa in map.service_accounts.iter().filter(|x| x.namespace == ns) {
            let id = sa.id();
            let mut head = format!("  ServiceAccount {}", sa.name);
            if !sa.defined {
                head.push_str(" (not in the inputs)");
            }
            head.push_str(&findings(sa.findings));
            let _ = writeln!(s, "{head}");
            for w in map.workloads.iter().filter(|w| w.sa_id() == id) {
                let _ = writeln!(
                    s,
                    "    used by {} [{}]{}",
                    w.label(),
                    w.containers.join(", "),
                    findings(w.findings)
                );
            }
            for b in map.bindings.iter().filter(|b| b.sa == id) {
                let _ = writeln!(s, "    {} -> {}", b.mechanism.as_str(), b.role);
                let _ = writeln!(s, "       {}", verdict_line(b));
            }
        }
    }
    if !map.roles.is_empty() {
        let _ = writeln!(s, "\nroles");
        for r in &map.roles {
            role(&mut s, map, r);
        }
    }
    if !map.input_problems.is_empty() {
        let _ = writeln!(
            s,
            "\nnot read (the map leaves them out; run `irsalint lint`):"
        );
        for (path, n) in &map.input_problems {
            let _ = writeln!(s, "  {path}{}", findings(*n));
        }
    }
    s
}

/// Two lines: what was read, then the links by verdict (`ignored` ones only when there are
/// some).
pub fn summary(map: &AccessMap) -> String {
    let ignored = match map.count(Verdict::Ignored) {
        0 => String::new(),
        n => format!(", {n} ignored"),
    };
    format!(
        "irsalint map: {} files, {} workloads, {} ServiceAccounts, {} roles, {} findings\nlinks: {} ({} assumable, {} not-trusted, {} unknown{ignored})",
        map.files,
        map.workloads.len(),
        map.service_accounts.len(),
        map.roles.len(),
        map.findings,
        map.bindings.len(),
        map.count(Verdict::Assumable),
        map.count(Verdict::NotTrusted),
        map.count(Verdict::Unknown),
    )
}

fn findings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " (1 finding)".into(),
        n => format!(" ({n} findings)"),
    }
}

fn verdict_line(b: &Binding) -> String {
    let mark = match b.verdict {
        Verdict::Assumable => "ok",
        Verdict::NotTrusted => "NO",
        Verdict::Unknown => "??",
        Verdict::Ignored => "--",
    };
    let mut s = format!("{mark} {}", b.verdict.as_str());
    if !b.reasons.is_empty() {
        s.push_str(&format!(" ({})", b.reasons.join(", ")));
    }
    if let Some(via) = &b.via {
        s.push_str(&format!(" via {via}"));
    }
    s.push_str(&format!(" at {}", b.location));
    if matches!(b.verdict, Verdict::NotTrusted | Verdict::Ignored) && !b.detail.is_empty() {
        for line in wrap(&b.detail, WIDTH - 7) {
            s.push_str(&format!("\n       {line}"));
        }
    }
    s
}

fn role(s: &mut String, map: &AccessMap, r: &RoleNode) {
    let mut head = format!("  {}", r.id);
    if !r.in_inputs {
        head.push_str(" (not in the inputs)");
    }
    head.push_str(&findings(r.findings));
    let _ = writeln!(s, "{head}");
    if let Some(l) = r.locations.first() {
        let _ = writeln!(s, "    defined   {l}");
    }
    for i in &r.issuers {
        let _ = writeln!(s, "    issuer    {i}");
    }
    if !r.admits.is_empty() {
        let _ = writeln!(s, "    admits    {}", r.admits.join(", "));
    }
    for p in &r.patterns {
        let what = if p.operator == "-" {
            "any ServiceAccount (no `sub` condition)".to_string()
        } else if p.value.starts_with("system:serviceaccount:") {
            format!("any ServiceAccount matching `{}` ({})", p.value, p.operator)
        } else {
            // Another identity provider's subject (GitHub Actions' `repo:org/repo:*`): the
            // tokens are not service accounts'.
            format!(
                "any token whose `sub` matches `{}` ({})",
                p.value, p.operator
            )
        };
        let _ = writeln!(s, "    and       {what} at {}", p.location);
    }
    for b in map
        .bindings
        .iter()
        .filter(|b| b.role == r.id && b.verdict == Verdict::NotTrusted)
    {
        let _ = writeln!(
            s,
            "    denies    {} ({}: {})",
            b.sa,
            b.mechanism.as_str(),
            b.reasons.join(", ")
        );
    }
    for line in permission_lines(&r.permissions) {
        let _ = writeln!(s, "    access    {line}");
    }
}

/// `s3: Write, Read, List (12 actions, *-resource)`, one line per service.
pub fn permission_lines(p: &Permissions) -> Vec<String> {
    let mut out = Vec::new();
    if p.all_actions {
        out.push("*: every action of every service".to_string());
    }
    for svc in &p.services {
        let mut flags = vec![format!(
            "{} action{}",
            svc.actions,
            if svc.actions == 1 { "" } else { "s" }
        )];
        if svc.star_resource {
            flags.push("*-resource".into());
        }
        if svc.privilege_escalation {
            flags.push("privilege-escalation".into());
        }
        out.push(format!(
            "{}: {} ({})",
            svc.service,
            svc.levels.join(", "),
            flags.join(", ")
        ));
    }
    for m in &p.managed_policies {
        out.push(format!("managed policy {m}"));
    }
    for m in &p.producer_policies {
        out.push(format!("module policy {m}"));
    }
    if let Some(b) = &p.boundary {
        out.push(format!("permissions boundary {b}"));
    }
    if p.undecided_statements > 0 {
        out.push(format!(
            "{} statement(s) the catalogue cannot decide (NotAction, unknown or unresolved actions)",
            p.undecided_statements
        ));
    }
    out
}

/// The head of a role's label in the pictures (DOT and mermaid): its short name, whether it
/// is in the inputs, the ServiceAccounts and patterns its trust admits. One text for both,
/// so the two pictures say the same.
pub(super) fn role_label_head(r: &super::RoleNode) -> String {
    let mut label = format!("role {}", super::dot::short_role(&r.id));
    if !r.in_inputs {
        label.push_str("\n(not in the inputs)");
    }
    label.push_str(&admits_line(r));
    for p in &r.patterns {
        if p.operator == "-" {
            label.push_str("\nalso: any ServiceAccount (no sub condition)");
        } else {
            label.push_str(&format!("\nalso: any {}", p.value));
        }
    }
    label
}

/// `\nadmits: a/b, c/d` for the pictures (at most three names, then a count).
pub fn admits_line(r: &RoleNode) -> String {
    match r.admits.len() {
        0 => String::new(),
        n if n <= 3 => format!("\nadmits: {}", r.admits.join(", ")),
        n => format!("\nadmits: {}, and {} more", r.admits[..3].join(", "), n - 3),
    }
}

/// Messages are wrapped to this many columns (ARNs and other single words are not broken).
const WIDTH: usize = 100;

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}
