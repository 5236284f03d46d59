//! `--statistics`: how many findings each rule has, most frequent first (as ruff prints
//! them), instead of the findings; `[*]` marks rules with findings `--fix` can fix.

use serde_json::json;

use super::Report;

struct Row {
    code: &'static str,
    name: &'static str,
    count: usize,
    fixable: usize,
}

fn rows(report: &Report) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for d in &report.diagnostics {
        let i = match rows.iter().position(|r| r.name == d.rule.name) {
            Some(i) => i,
            None => {
                rows.push(Row {
                    code: d.rule.code,
                    name: d.rule.name,
                    count: 0,
                    fixable: 0,
                });
                rows.len() - 1
            }
        };
        rows[i].count += 1;
        rows[i].fixable += usize::from(d.fix.is_some());
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

pub fn text(report: &Report) -> String {
    let rows = rows(report);
    let width = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for r in rows {
        let mark = if r.fixable > 0 { "[*] " } else { "" };
        out.push_str(&format!(
            "{:>width$}\t{}\t{mark}{}\n",
            r.count, r.code, r.name
        ));
    }
    out
}

pub fn json(report: &Report) -> String {
    let rows: Vec<serde_json::Value> = rows(report)
        .into_iter()
        .map(|r| json!({"code": r.code, "name": r.name, "count": r.count, "fixable": r.fixable}))
        .collect();
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_default();
    s.push('\n');
    s
}
