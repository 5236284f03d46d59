//! Unified diffs for `--diff`: of a set of edits, or of a whole file before and after
//! every round of fixes. Lines are compared whole (line endings included), so a diff of a
//! CRLF file shows exactly what changes.

use std::ops::Range;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Above this many cells the line matrix is not built: the changed middle is shown as one
/// replaced block (still a correct diff, only a coarser one).
const MAX_CELLS: usize = 4_000_000;

/// A unified diff of the edits, `--- a/path` / `+++ b/path`.
pub fn unified_diff(path: &str, text: &str, edits: &[(Range<usize>, String)]) -> String {
    diff_texts(path, text, &super::apply(text, edits))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Del,
    Add,
}

/// A unified diff of two versions of a file; empty when they are equal.
pub fn diff_texts(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = line_ops(&a, &b);
    // Group the changes whose context windows touch into hunks.
    let changed: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].0 != Op::Same).collect();
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut k = 0;
    while k < changed.len() {
        let first = changed[k];
        let mut last = first;
        while k + 1 < changed.len() && changed[k + 1] <= last + 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        k += 1;
        let from = first.saturating_sub(CONTEXT);
        let to = (last + CONTEXT + 1).min(ops.len());
        // Line numbers (1-based) of the hunk's first old and new lines.
        let old_start = ops[..from].iter().filter(|o| o.0 != Op::Add).count() + 1;
        let new_start = ops[..from].iter().filter(|o| o.0 != Op::Del).count() + 1;
        let hunk = &ops[from..to];
        let old_len = hunk.iter().filter(|o| o.0 != Op::Add).count();
        let new_len = hunk.iter().filter(|o| o.0 != Op::Del).count();
        out.push_str(&format!(
            "@@ -{},{old_len} +{},{new_len} @@\n",
            if old_len == 0 {
                old_start - 1
            } else {
                old_start
            },
            if new_len == 0 {
                new_start - 1
            } else {
                new_start
            },
        ));
        for &(op, line) in hunk {
            out.push(match op {
                Op::Same => ' ',
                Op::Del => '-',
                Op::Add => '+',
            });
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// The edit script from `a` to `b`: common head and tail, and a longest common subsequence
/// of the lines in between. Deletions come before additions in each changed block.
fn line_ops<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<(Op, &'t str)> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops: Vec<(Op, &str)> = a[..head].iter().map(|l| (Op::Same, *l)).collect();
    if ma.len().saturating_mul(mb.len()) > MAX_CELLS {
        ops.extend(ma.iter().map(|l| (Op::Del, *l)));
        ops.extend(mb.iter().map(|l| (Op::Add, *l)));
    } else {
        // lcs[i][j]: length of the LCS of ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut lcs = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        let mut adds = Vec::new();
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                ops.append(&mut adds);
                ops.push((Op::Same, ma[i]));
                i += 1;
                j += 1;
            } else if j < mb.len() && (i == ma.len() || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])
            {
                adds.push((Op::Add, mb[j]));
                j += 1;
            } else {
                ops.push((Op::Del, ma[i]));
                i += 1;
            }
        }
        ops.append(&mut adds);
    }
    ops.extend(a[a.len() - tail..].iter().map(|l| (Op::Same, *l)));
    ops
}

#[cfg(test)]
mod tests {
    use super::diff_texts;

    #[test]
    fn equal_texts_have_no_diff_and_crlf_lines_stay_whole() {
        assert_eq!(diff_texts("f", "a\n", "a\n"), "");
        assert_eq!(
            diff_texts("f", "a\r\nb\r\n", "a\r\nv\r\nb\r\n"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\r\n+v\r\n b\r\n"
        );
    }

    #[test]
    fn a_line_added_at_the_end_without_newline() {
        assert_eq!(
            diff_texts("f", "a\n", "a\nb"),
            "--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n"
        );
        assert_eq!(
            diff_texts("f", "", "x\n"),
            "--- a/f\n+++ b/f\n@@ -0,0 +1,1 @@\n+x\n"
        );
    }
}
