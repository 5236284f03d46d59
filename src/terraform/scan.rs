//! The top-level blocks of a `.tf` file, found without parsing them: where each starts and
//! ends, its type and labels. Real configurations are mostly blocks no model reads
//! (`aws_vpc`, `aws_s3_bucket`, `output`, `provider`, …), and hcl-edit's parse is most of
//! what loading HCL costs, so `hcl::parse` hands hcl-edit only the blocks evaluation reads
//! (the others blanked, offsets kept) and parses a skipped resource only when an expression
//! refers to it.
//!
//! The scanner lexes what can hide a brace: quoted strings with their escapes and nested
//! `${…}`/`%{…}` (`$${`, `%%{` are literal), heredocs, and the three comment forms. It is
//! strict: anything it does not recognise at the top level (an attribute, a stray token, a
//! bracket that does not match, an unterminated string, heredoc or comment, a block not
//! followed by a line end) makes it give up, and the whole file is parsed as before, so a
//! file with such an error still gets its `parse-error` where hcl-edit puts it.

use compact_str::CompactString;

/// A top-level block: `ident label… { … }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopBlock {
    /// From the first byte of its type to just after its closing `}`.
    pub start: usize,
    pub end: usize,
    /// The `{` opening its body.
    pub open: usize,
    pub ident: CompactString,
    /// The labels' values (quoted labels without their quotes; `None` for a label with an
    /// escape, which the scanner does not decode).
    pub labels: Vec<Option<CompactString>>,
}

fn is_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_id_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// The top-level blocks of `text`, in order, or `None` when the file is not a sequence of
/// blocks the scanner can delimit with certainty.
pub fn top_blocks(text: &str) -> Option<Vec<TopBlock>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        i = skip_trivia(b, i, true)?;
        if i >= b.len() {
            return Some(out);
        }
        if !is_id_start(b[i]) {
            return None;
        }
        let start = i;
        while i < b.len() && is_id_continue(b[i]) {
            i += 1;
        }
        let ident = CompactString::from(&text[start..i]);
        let (labels, open) = labels(text, i)?;
        i = open;
        i = block_end(b, i)?;
        // What follows a block on its line: blanks and a comment, then the line's end.
        let j = skip_blanks(b, i);
        let j = match b.get(j) {
            None | Some(b'\n') => j,
            Some(b'\r') if b.get(j + 1) == Some(&b'\n') => j,
            Some(b'#') => j,
            Some(b'/') if matches!(b.get(j + 1), Some(b'/')) => j,
            _ => return None,
        };
        out.push(TopBlock {
            start,
            end: i,
            open,
            ident,
            labels,
        });
        i = j;
    }
}

/// A block's labels from `i` (just after its type) and the offset of the `{` after them.
fn labels(text: &str, mut i: usize) -> Option<(Vec<Option<CompactString>>, usize)> {
    let b = text.as_bytes();
    let mut labels = Vec::new();
    loop {
        i = skip_blanks(b, i);
        match b.get(i)? {
            b'"' => {
                let s = i + 1;
                let mut j = s;
                let mut plain = true;
                loop {
                    match *b.get(j)? {
                        b'"' => break,
                        b'\\' => {
                            plain = false;
                            j += 2;
                        }
                        // A template or a line break in a label: an error; let hcl-edit
                        // say so.
                        b'\n' => return None,
                        b'$' | b'%' if b.get(j + 1) == Some(&b'{') => return None,
                        _ => j += 1,
                    }
                }
                labels.push(plain.then(|| CompactString::from(&text[s..j])));
                i = j + 1;
            }
            &c if is_id_start(c) => {
                let s = i;
                while i < b.len() && is_id_continue(b[i]) {
                    i += 1;
                }
                labels.push(Some(CompactString::from(&text[s..i])));
            }
            b'{' => return Some((labels, i)),
            // `=` (an attribute) or anything else.
            _ => return None,
        }
    }
}

/// An item of a block's body: an attribute (`name = expression`, from its name to the end
/// of its expression) or a nested block (from its type to its `}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: CompactString,
    pub attribute: bool,
    pub start: usize,
    pub end: usize,
}

/// The items of the body of `block` (found by [`top_blocks`] in `text`), or `None` when the
/// scanner cannot delimit them with certainty.
pub fn block_items(text: &str, block: &TopBlock) -> Option<Vec<Item>> {
    let b = text.as_bytes();
    let mut items = Vec::new();
    let mut i = block.open + 1;
    loop {
        i = skip_trivia(b, i, true)?;
        match *b.get(i)? {
            b'}' if i + 1 == block.end => return Some(items),
            c if is_id_start(c) => {
                let start = i;
                while i < b.len() && is_id_continue(b[i]) {
                    i += 1;
                }
                let name = CompactString::from(&text[start..i]);
                let j = skip_blanks(b, i);
                if b.get(j) == Some(&b'=') && b.get(j + 1) != Some(&b'=') {
                    i = scan(b, j + 1, Vec::new())?;
                    items.push(Item {
                        name,
                        attribute: true,
                        start,
                        end: i,
                    });
                } else {
                    let (_, open) = labels(text, i)?;
                    i = block_end(b, open)?;
                    items.push(Item {
                        name,
                        attribute: false,
                        start,
                        end: i,
                    });
                }
            }
            _ => return None,
        }
    }
}

/// Spaces and tabs.
fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// Whitespace (line breaks too when `lines`) and comments; `None` for an unterminated
/// `/*` comment.
fn skip_trivia(b: &[u8], mut i: usize, lines: bool) -> Option<usize> {
    loop {
        match b.get(i) {
            Some(b' ' | b'\t') => i += 1,
            Some(b'\n' | b'\r') if lines => i += 1,
            Some(b'#') => i = line_end(b, i),
            Some(b'/') if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            Some(b'/') if b.get(i + 1) == Some(&b'*') => i = comment_end(b, i)?,
            _ => return Some(i),
        }
    }
}

/// The offset of the line break ending the line `i` is on (or the text's end).
fn line_end(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p)
}

/// Just after the `*/` closing the comment at `i`.
fn comment_end(b: &[u8], i: usize) -> Option<usize> {
    memchr::memmem::find(&b[i + 2..], b"*/").map(|p| i + 2 + p + 2)
}

/// What the scanner is inside of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// `{`, `[` or `(` in an expression or body.
    Open(u8),
    /// `${` or `%{` inside a quoted string.
    Interp,
    /// A quoted string.
    Str,
}

/// The bytes `block_end` acts on in code and in a quoted string.
const IN_CODE: [bool; 256] = table(b"\"{}[]()#/<");
const IN_STRING: [bool; 256] = table(b"\\\"$%\n");
const IN_EXPRESSION: [bool; 256] = table(b"\"{}[]()#/<\n");

const fn table(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

/// Just after the `}` matching the `{` at `i`.
fn block_end(b: &[u8], i: usize) -> Option<usize> {
    scan(b, i + 1, vec![Ctx::Open(b'{')])
}

/// Scans from `i` inside `stack`: with something open, to just after where the outermost
/// closes; with nothing open (an attribute's expression), to the line break or the `}` that
/// ends it at its own level (not included).
fn scan(b: &[u8], mut i: usize, mut stack: Vec<Ctx>) -> Option<usize> {
    let expression = stack.is_empty();
    loop {
        let top = stack.last().copied();
        if top.is_none() && !expression {
            return Some(i);
        }
        // Most bytes are none of the ones that matter: skipped a run at a time.
        let table = match top {
            Some(Ctx::Str) => &IN_STRING,
            Some(_) => &IN_CODE,
            None => &IN_EXPRESSION,
        };
        while b.get(i).is_some_and(|&c| !table[c as usize]) {
            i += 1;
        }
        let c = *b.get(i)?;
        if top == Some(Ctx::Str) {
            match c {
                b'\\' if b.get(i + 1) == Some(&b'\n') => return None,
                b'\\' => i += 2,
                b'"' => {
                    stack.pop();
                    i += 1;
                }
                // `$${` and `%%{` are a literal `${`/`%{`.
                b'$' | b'%' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => i += 3,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(Ctx::Interp);
                    i += 2;
                }
                // A quoted string ends on its line.
                b'\n' => return None,
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'\n' | b'}' if top.is_none() => return Some(i),
            b'"' => stack.push(Ctx::Str),
            b'{' | b'[' | b'(' => stack.push(Ctx::Open(c)),
            b'}' | b']' | b')' => {
                let open = match c {
                    b'}' => b'{',
                    b']' => b'[',
                    _ => b'(',
                };
                match top {
                    Some(Ctx::Open(o)) if o == open => {}
                    Some(Ctx::Interp) if c == b'}' => {}
                    _ => return None,
                }
                stack.pop();
            }
            b'#' => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = comment_end(b, i)?;
                continue;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                i = heredoc_end(b, i)?;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Just after the closing delimiter of the heredoc whose `<<` is at `i`: `<<ID` or `<<-ID`,
/// the line's end, then lines up to one that starts with `ID` after spaces or tabs and does
/// not go on with an identifier character (hcl-edit's rule: `ID)` ends it too).
fn heredoc_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let id_start = j;
    if !b.get(j).copied().is_some_and(is_id_start) {
        return None;
    }
    while b.get(j).copied().is_some_and(is_id_continue) {
        j += 1;
    }
    let id = &b[id_start..j];
    if b.get(j) == Some(&b'\r') {
        j += 1;
    }
    if b.get(j) != Some(&b'\n') {
        return None;
    }
    let mut k = j + 1;
    while k < b.len() {
        let at = skip_blanks(b, k);
        let after = at + id.len();
        if b.get(at..after) == Some(id) && !b.get(after).copied().is_some_and(is_id_continue) {
            return Some(after);
        }
        k = line_end(b, k) + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    type Found<'t> = (String, Vec<Option<String>>, &'t str);

    fn blocks(text: &str) -> Option<Vec<Found<'_>>> {
        top_blocks(text).map(|bs| {
            bs.into_iter()
                .map(|b| {
                    let labels = b.labels.into_iter().map(|l| l.map(String::from));
                    (b.ident.into(), labels.collect(), &text[b.start..b.end])
                })
                .collect()
        })
    }

    #[test]
    fn blocks_are_delimited_past_braces_in_strings_templates_heredocs_and_comments() {
        let text = "# head {\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"}${var.x}{\"\n  tags = { a = \"%{ if true }}%{ endif }\" } // }\n  policy = <<-EOT\n    }}}\n    EOT\n  /* } */ x = \"$${\"\n}\n\nlocals {\n  a = [for k, v in { x = 1 } : \"${k}\"]\n}   # trailing }\n";
        let got = blocks(text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "resource");
        assert_eq!(
            got[0].1,
            [Some("aws_s3_bucket".to_string()), Some("b".to_string())]
        );
        assert!(got[0].2.starts_with("resource \"aws_s3_bucket\""));
        assert!(got[0].2.ends_with("x = \"$${\"\n}"));
        assert_eq!(got[1].0, "locals");
        assert!(got[1].2.ends_with(": \"${k}\"]\n}"));
    }

    #[test]
    fn a_heredoc_ends_at_its_delimiter_even_when_more_follows_on_that_line() {
        let text =
            "locals {\n  a = trimspace(<<EOT\n  EOTX }\n  EOT)\n  b = <<-EOT\n    x\n    EOT\n}\n";
        let got = blocks(text).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2, text.trim_end());
    }

    #[test]
    fn what_the_scanner_cannot_delimit_with_certainty_gives_up() {
        // A top-level attribute (a `.tfvars` shape), an unterminated string, heredoc and
        // comment, a mismatched bracket, a block followed by more on its line, a label
        // with a template.
        for text in [
            "a = 1\n",
            "resource \"x\" \"y\" {\n  a = \"open\n}\n",
            "resource \"x\" \"y\" {\n  a = <<EOT\n  text\n}\n",
            "resource \"x\" \"y\" {\n  /* open\n}\n",
            "resource \"x\" \"y\" {\n  a = [1, 2)\n}\n",
            "resource \"x\" \"y\" {\n} locals {}\n",
            "resource \"x${1}\" \"y\" {\n}\n",
            "resource \"x\" \"y\" {\n",
        ] {
            assert_eq!(top_blocks(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_blocks_items_are_its_attributes_to_the_end_of_their_expression_and_nested_blocks() {
        let text = "variable \"x\" {\n  description = <<-EOT\n    a } b\n  EOT\n  type = map(object({\n    a = string\n  }))\n  default = { a = \"}\" } # note\n  validation {\n    condition = true\n  }\n}\nvariable \"y\" { default = 1 }\n";
        let blocks = top_blocks(text).unwrap();
        let items = |b: &TopBlock| {
            block_items(text, b)
                .unwrap()
                .into_iter()
                .map(|i| (i.name, i.attribute, &text[i.start..i.end]))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            items(&blocks[0]),
            [
                (
                    "description".into(),
                    true,
                    "description = <<-EOT\n    a } b\n  EOT"
                ),
                (
                    "type".into(),
                    true,
                    "type = map(object({\n    a = string\n  }))"
                ),
                ("default".into(), true, "default = { a = \"}\" } # note"),
                (
                    "validation".into(),
                    false,
                    "validation {\n    condition = true\n  }"
                ),
            ]
        );
        assert_eq!(
            items(&blocks[1]),
            [("default".into(), true, "default = 1 ")]
        );
        // An item the scanner cannot delimit: no items.
        let bad = "variable \"z\" {\n  default = [1,\n}\n";
        assert_eq!(top_blocks(bad), None);
        let odd = "variable \"z\" {\n  = 1\n}\n";
        assert_eq!(block_items(odd, &top_blocks(odd).unwrap()[0]), None);
    }

    #[test]
    fn empty_files_and_one_line_blocks_with_escaped_labels() {
        assert_eq!(blocks("\n# only a comment\n"), Some(vec![]));
        let got = blocks("terraform {}\ndata \"a\\\"b\" c {}").unwrap();
        assert_eq!(got[0], ("terraform".to_string(), vec![], "terraform {}"));
        assert_eq!(
            got[1],
            (
                "data".to_string(),
                vec![None, Some("c".to_string())],
                "data \"a\\\"b\" c {}"
            )
        );
    }
}
