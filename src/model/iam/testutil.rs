//! Test-only: builds `Node` trees from `serde_json::Value`s, since the real loaders live
//! elsewhere. Every node gets its own span (a running counter), so tests can check that
//! models point at the right node. An object with one key starting with `!` (`{"!Sub": ..}`)
//! becomes a node with that YAML tag.

use serde_json::Value as J;

use crate::source::file::Span;
use crate::source::node::{Entry, Node, ScalarStyle, Value};

pub(crate) fn node(v: &J) -> Node {
    let mut next = 0;
    build(v, &mut next)
}

fn build(v: &J, next: &mut usize) -> Node {
    let start = *next;
    *next += 1;
    let value = match v {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or_default()),
        },
        J::String(s) => Value::Str(s.as_str().into()),
        J::Array(items) => Value::Seq(items.iter().map(|i| build(i, next)).collect()),
        J::Object(map) => {
            if map.len() == 1 {
                let (k, inner) = map.iter().next().expect("one entry");
                if k.starts_with('!') {
                    let mut n = build(inner, next);
                    n.tag = k.as_str().into();
                    return n;
                }
            }
            Value::Map(
                map.iter()
                    .map(|(k, v)| Entry {
                        key: build(&J::String(k.clone()), next),
                        value: build(v, next),
                    })
                    .collect(),
            )
        }
    };
    let mut n = Node::new(value, Span::new(0, start, *next));
    if matches!(v, J::String(_)) {
        n.style = ScalarStyle::Json;
    }
    n
}
