use crate::rules::prelude::*;
use crate::source::node::Value;

declare_rule! {
    PolicyEmptyElement,
    code: "G007",
    name: "policy-empty-element",
    family: Policy,
    severity: Info,
    summary: "an empty list or mapping in a policy (`\"Action\": []`, `\"Condition\": {}`, an empty operator block) constrains nothing",
}

fn empty(v: &Value) -> bool {
    match v {
        Value::Seq(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        _ => false,
    }
}

impl Rule for PolicyEmptyElement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, world: &World<'_>, out: &mut Vec<Diagnostic>) {
        for doc in &world.policies {
            for stmt in &doc.policy.statements {
                for e in stmt.node.entries() {
                    let Some(k) = e.key.as_str() else { continue };
                    if e.value.tag.is_some() || !empty(&e.value.value) {
                        continue;
                    }
                    let consequence = if k == "Condition" {
                        "the statement applies without any condition"
                    } else {
                        "IAM rejects or ignores it"
                    };
                    push_about(out, doc,
                        META.diagnostic(e.key.span, format!("`{k}` is empty: {consequence}"))
                            .label(format!("empty `{k}`"))
                            .help(if k == "Condition" {
                                "add the conditions meant to be there (for a role trusted by another account, e.g. `sts:ExternalId` or `aws:PrincipalArn`), or remove the empty element".to_string()
                            } else {
                                format!("list the values of `{k}`, or remove it")
                            })
                            .path(format!("Statement[{}].{k}", stmt.index)),
                    );
                }
                for block in stmt.condition.iter().flat_map(|c| &c.blocks) {
                    if block.entry.value.tag.is_none() && empty(&block.entry.value.value) {
                        push_about(
                            out,
                            doc,
                            META.diagnostic(
                                block.entry.key.span,
                                format!(
                                    "condition block `{}` is empty: it constrains nothing",
                                    block.raw
                                ),
                            )
                            .label("empty operator block")
                            .help("add the condition keys meant to be there, or remove the block")
                            .path(format!("Statement[{}].Condition.{}", stmt.index, block.raw)),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixtures() {
        crate::testing::assert_rule_fixtures(&super::META);
    }
}
