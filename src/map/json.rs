//! `--format json`: one stable object, `"version": 1` like `lint`'s. Fields are added, never
//! renamed; every list is sorted (README "irsalint map").

use serde_json::{json, Value};

use super::{AccessMap, Loc, Verdict};

fn loc(l: &Loc) -> Value {
    json!({"file": l.file, "line": l.line, "column": l.column})
}

pub fn render(map: &AccessMap) -> String {
    let workloads: Vec<Value> = map
        .workloads
        .iter()
        .map(|w| {
            json!({
                "kind": w.kind, "namespace": w.namespace, "name": w.name,
                "service_account": w.sa_id(), "containers": w.containers,
                "location": loc(&w.location), "findings": w.findings,
            })
        })
        .collect();
    let sas: Vec<Value> = map
        .service_accounts
        .iter()
        .map(|s| {
            json!({
                "id": s.id(), "namespace": s.namespace, "name": s.name,
                "defined": s.defined, "location": s.location.as_ref().map(loc),
                "findings": s.findings,
            })
        })
        .collect();
    let roles: Vec<Value> = map
        .roles
        .iter()
        .map(|r| {
            let p = &r.permissions;
            json!({
                "id": r.id, "in_inputs": r.in_inputs,
                "locations": r.locations.iter().map(loc).collect::<Vec<_>>(),
                "issuers": r.issuers, "admits": r.admits,
                "patterns": r.patterns.iter().map(|p| json!({
                    "operator": p.operator, "value": p.value, "location": loc(&p.location),
                })).collect::<Vec<_>>(),
                "permissions": {
                    "all_actions": p.all_actions,
                    "services": p.services.iter().map(|s| json!({
                        "service": s.service, "levels": s.levels, "actions": s.actions,
                        "star_resource": s.star_resource,
                        "privilege_escalation": s.privilege_escalation,
                    })).collect::<Vec<_>>(),
                    "managed_policies": p.managed_policies,
                    "producer_policies": p.producer_policies,
                    "permissions_boundary": p.boundary,
                    "undecided_statements": p.undecided_statements,
                },
                "findings": r.findings,
            })
        })
        .collect();
    let edges: Vec<Value> = map
        .bindings
        .iter()
        .map(|b| {
            json!({
                "id": b.id(), "service_account": b.sa, "role": b.role,
                "mechanism": b.mechanism.as_str(), "verdict": b.verdict.as_str(),
                "reasons": b.reasons, "detail": b.detail, "via": b.via,
                "location": loc(&b.location),
            })
        })
        .collect();
    let v = json!({
        "version": 1,
        "tool": {"name": "irsalint", "version": env!("CARGO_PKG_VERSION")},
        "summary": {
            "files": map.files,
            "workloads": map.workloads.len(),
            "service_accounts": map.service_accounts.len(),
            "roles": map.roles.len(),
            "edges": map.bindings.len(),
            "assumable": map.count(Verdict::Assumable),
            "not_trusted": map.count(Verdict::NotTrusted),
            "unknown": map.count(Verdict::Unknown),
            "ignored": map.count(Verdict::Ignored),
            "findings": map.findings,
        },
        "workloads": workloads,
        "service_accounts": sas,
        "roles": roles,
        "edges": edges,
        "unreadable": map.input_problems.iter()
            .map(|(f, n)| json!({"file": f, "findings": n})).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
