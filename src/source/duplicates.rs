//! Duplicate mapping keys (what the `duplicate-key` rule reports), found in one tree. Here,
//! below the load stage, because the load stage looks for them in the documents it drops
//! before any rule runs (`load::drop_unread`).

use std::borrow::Cow;
use std::collections::HashMap;

use super::node::{Entry, Node, Value};

/// Mappings up to this size are checked pairwise.
const SMALL: usize = 16;

/// Calls `found(key, first, again)` for every key of every mapping of `root` that an earlier
/// key of the same mapping repeats (`first` is that earlier key), in tree order.
pub fn each<'a>(root: &'a Node, found: &mut impl FnMut(&str, &'a Node, &'a Node)) {
    root.walk(&mut |node| {
        if let Value::Map(entries) = &node.value {
            in_map(entries, found);
        }
    });
}

/// [`each`] for the keys of one mapping (not those of the mappings inside it).
pub fn in_map<'a>(entries: &'a [Entry], found: &mut impl FnMut(&str, &'a Node, &'a Node)) {
    // Most mappings are small: compare pairwise without allocating (each key's text
    // taken once); index large ones.
    if entries.len() <= SMALL && entries.iter().all(|e| e.key.as_str().is_some()) {
        // String keys (nearly all): compared as they are, no key text to build.
        for (i, e) in entries.iter().enumerate().skip(1) {
            let Some(k) = e.key.as_str().filter(|k| *k != "<<") else {
                continue;
            };
            if let Some(first) = entries[..i].iter().find(|f| f.key.as_str() == Some(k)) {
                found(k, &first.key, &e.key);
            }
        }
    } else if entries.len() <= SMALL {
        let mut keys: [Option<Cow<'_, str>>; SMALL] = Default::default();
        for (i, e) in entries.iter().enumerate() {
            let Some(k) = key_text(&e.key) else { continue };
            if let Some(first) = keys[..i].iter().position(|f| f.as_deref() == Some(&*k)) {
                found(&k, &entries[first].key, &e.key);
            }
            keys[i] = Some(k);
        }
    } else {
        let mut seen: HashMap<Cow<'_, str>, &Node> = HashMap::with_capacity(entries.len());
        for e in entries {
            let Some(k) = key_text(&e.key) else { continue };
            if let Some(first) = seen.insert(k.clone(), &e.key) {
                found(&k, first, &e.key);
            }
        }
    }
}

/// The key as text; YAML merge keys (`<<`) are expanded by the loader, not duplicates.
fn key_text(key: &Node) -> Option<Cow<'_, str>> {
    key.scalar_text().filter(|k| k != "<<")
}
