//! The fast path: the common subset of Terraform's native syntax read byte by byte straight
//! into our tree ([`super::ast`]), for a whole file, or block by block ([`parse`]).
//!
//! Configurations are mostly blocks of attributes whose values are strings, numbers, lists,
//! objects, references, function calls and a few operators. hcl-edit parses them with
//! parser combinators that keep every blank and comment as decor and backtrack at each term
//! to look for operators, and builds a tree we then convert; this reader makes each node of
//! our tree once, from the bytes. It reads only what it is sure of and *bails* (the file or
//! block is then parsed by hcl-edit and converted, as if the fast path did not exist) on
//! anything else: CR, non-ASCII outside strings and comments, template directives (`%{`),
//! strip markers (`~`), `...`, namespaced functions, blanks before a traversal step or a
//! call's `(`, a line break or comment around a binary operator, `?` or `:` (whether
//! hcl-edit reads past it depends on the context), keywords as object keys, keys hcl-edit may
//! hold equal (`key_name`) and attributes written twice (hcl-edit refuses those:
//! `hcl::parse_checked` renames them), an empty heredoc, nesting deeper than [`MAX_DEPTH`],
//! long operator chains, and any text hcl-edit would reject. It never reports a problem
//! itself: errors are hcl-edit's.
//!
//! What it gives is exactly what `ast::from_body` gives of hcl-edit's tree for the same text,
//! spans included: binary operators grouped by hcl-edit's precedence, left to right, each node
//! spanning its operands; conditionals nesting to the right. After every expression it looks
//! past the blanks and comments that follow for anything that could continue it (an
//! operator, `?`, a traversal step, a call) and bails if it finds one, so where an expression
//! ends is never in doubt. `fast_tests` holds it to hcl-edit on every `.tf`/`.tfvars` of the
//! repository (and the real corpus when present) and on property-generated HCL.

use super::ast::{
    Arena, Attribute, BinaryOp, BinaryOperator, Block, Body, Conditional, Element, Expression,
    ForCond, ForExpr, ForIntro, FuncArgs, FuncCall, FuncName, HeredocTemplate, Ident,
    Interpolation, Labels, Number, ObjectKey, Sp, Spanned, Template, Traversal, TraversalOperator,
    UnaryOp, UnaryOperator,
};

/// A list being built in the arena (its growth left there, freed with the rest). Each is
/// made with room for most lists of its kind: grown from nothing, one doubled 1, 2, 4, 8,
/// each growth a copy (a few unused slots cost only arena space).
type BVec<'a, T> = bumpalo::collections::Vec<'a, T>;

/// The names of a body's attributes or an object's keys past the 16th, for the test of a
/// name written twice: a search of the names before each was quadratic (a generated `locals`
/// of 60,000 attributes took 4.7 s, an object of 60,000 keys 3.6 s).
type NameSet<'a> = std::collections::HashSet<&'a str, foldhash::fast::RandomState>;

/// The file is left to hcl-edit.
#[derive(Debug)]
pub struct Bail;

type R<T> = Result<T, Bail>;

/// Longest chain of binary operators read here (hcl-edit refuses 128 levels in all).
const MAX_OPERATORS: usize = 16;

/// Deepest nesting read here (hcl-edit refuses 64 levels; this stays well below that and
/// the Rust stack's reach).
const MAX_DEPTH: usize = 24;

/// The file `text` as hcl-edit's `parse_body` would give it, converted, and how many of its
/// bytes hcl-edit read; `None` when hcl-edit is to parse it whole.
///
/// A file outside the subset is read block by block when `scan::top_blocks` delimits its
/// top-level blocks: each block in the subset by the fast path, each other block by hcl-edit
/// alone (its text parsed on its own, spans moved to the file's offsets). A block's parse
/// never looks past its closing `}`, and what lies between blocks (blanks, comments, line
/// ends) is what the scanner checked, so this is hcl-edit's parse of the file. When hcl-edit
/// rejects a block, the whole file goes to hcl-edit, which reports the error where it is.
pub fn parse<'a>(arena: &'a Arena, text: &'a str) -> Option<(Body<'a>, usize)> {
    if text.len() >= u32::MAX as usize - 1 || memchr::memchr(b'\r', text.as_bytes()).is_some() {
        return None;
    }
    if let Some(body) = parse_body(arena, text) {
        return Some((body, 0));
    }
    // hcl-edit reads an empty heredoc on to a later closing line (see `empty_heredoc`),
    // where the scanner ends it at once: their blocks may differ.
    if empty_heredoc(text) {
        return None;
    }
    let top = super::scan::top_blocks(text)?;
    let mut blocks = BVec::with_capacity_in(top.len(), arena);
    let mut slow = 0;
    for tb in top {
        let mut p = Fast::new(arena, text, tb.start);
        match p.top_block() {
            Ok(b) if p.i == tb.end => blocks.push(b),
            _ => {
                let one = hcl_edit::parser::parse_body(&text[tb.start..tb.end]).ok()?;
                let one = super::ast::body_at(arena, tb.start, &one);
                if one.blocks.len() != 1 || !one.attributes.is_empty() {
                    return None;
                }
                blocks.extend_from_slice(one.blocks);
                slow += tb.end - tb.start;
            }
        }
    }
    Some((
        Body {
            attributes: &[],
            blocks: blocks.into_bump_slice(),
        },
        slow,
    ))
}

/// Whether `text` may hold an empty heredoc (`<<EOF` then `EOF` on the next line): hcl-edit
/// reads its content on to the next line break followed by the delimiter, if there is one
/// further down the file, and ends it empty only when there is none. Anywhere in the text
/// (a comment or string too): a false alarm costs only the block-by-block reading.
fn empty_heredoc(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, b"<<").any(|at| {
        let mut i = at + 2;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let s = i;
        while b.get(i).is_some_and(|&c| id_continue(c) || c >= 0x80) {
            i += 1;
        }
        if i == s || b.get(i) != Some(&b'\n') {
            return false;
        }
        let mut j = i + 1;
        while matches!(b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        b[j..].starts_with(&b[s..i])
    })
}

/// The whole file `text` read by the fast path; `None` when it is outside the subset.
pub fn parse_body<'a>(arena: &'a Arena, text: &'a str) -> Option<Body<'a>> {
    if text.len() >= u32::MAX as usize - 1 || memchr::memchr(b'\r', text.as_bytes()).is_some() {
        return None;
    }
    let mut p = Fast::new(arena, text, 0);
    let body = p.body(true).ok()?;
    (p.i == p.b.len()).then_some(body)
}

struct Fast<'a> {
    t: &'a str,
    b: &'a [u8],
    /// Where the tree is built.
    arena: &'a Arena,
    i: usize,
    depth: usize,
    /// The last run of blanks and comments [`Fast::nothing_follows`] looked past: from, to.
    /// Reading on from any token boundary inside it ends where it ends, so [`Fast::ws`]
    /// jumps there instead of lexing it again.
    blanks: (usize, usize),
    /// The keys of the objects being read (a nested object's above its parent's), to bail
    /// on one written twice: one list for the file, where a list per object was allocated
    /// and freed.
    names: Vec<&'a str>,
}

fn id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

/// `[A-Za-z0-9_-]` by byte: one load per byte of every identifier.
static ID_CONTINUE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        c += 1;
    }
    t
};

fn id_continue(c: u8) -> bool {
    ID_CONTINUE[c as usize]
}

/// The bytes that end a run of plain text in a quoted string: `"`, `\\`, `$`, `%`.
static QUOTED_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'$' as usize] = true;
    t[b'%' as usize] = true;
    t
};

/// Where the run of plain text of a quoted string at `j` ends: at its first `"`, `\\`, `$`
/// or `%`, or the end of `b`. Eight bytes at a time (a byte at a time was a sixth of reading
/// a string): a byte of a word equal to one of them is flagged by the zero-byte test on the
/// word XOR that byte repeated, which flags the first such byte exactly (a false flag can
/// only come above a true one).
fn quoted_run_end(b: &[u8], mut j: usize) -> usize {
    const LO: u64 = u64::from_le_bytes([1; 8]);
    const HI: u64 = u64::from_le_bytes([0x80; 8]);
    let zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    while let Some(w) = b.get(j..j + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let v = u64::from_le_bytes(w);
        let m = zero(v ^ (LO * u64::from(b'"')))
            | zero(v ^ (LO * u64::from(b'\\')))
            | zero(v ^ (LO * u64::from(b'$')))
            | zero(v ^ (LO * u64::from(b'%')));
        if m != 0 {
            return j + (m.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while j < b.len() && !QUOTED_SPECIAL[b[j] as usize] {
        j += 1;
    }
    j
}

impl<'a> Fast<'a> {
    fn new(arena: &'a Arena, text: &'a str, i: usize) -> Fast<'a> {
        Fast {
            t: text,
            b: text.as_bytes(),
            arena,
            i,
            depth: 0,
            blanks: (usize::MAX, 0),
            names: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn at(&self, j: usize) -> u8 {
        self.b.get(j).copied().unwrap_or(0)
    }

    fn sp(&self, j: usize) -> Sp {
        Sp::small(j, self.i)
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Bail);
        }
        Ok(())
    }

    /// Spaces, tabs and `/* */` comments (hcl-edit's `sp`) from `j`: where they end.
    fn skip_sp(&self, mut j: usize) -> R<usize> {
        loop {
            match self.at(j) {
                b' ' | b'\t' => j += 1,
                b'/' if self.at(j + 1) == b'*' => j = self.block_comment_end(j)?,
                _ => return Ok(j),
            }
        }
    }

    /// Blanks, line breaks and comments of every kind (hcl-edit's `ws`) from `j`.
    #[inline]
    fn skip_ws(&self, j: usize) -> R<usize> {
        // Most calls stand on a token already: they cost no call.
        match self.at(j) {
            b' ' | b'\t' | b'\n' | b'#' | b'/' => self.skip_ws_from(j),
            _ => Ok(j),
        }
    }

    /// [`Fast::skip_ws`] past what it saw to start at `j`.
    fn skip_ws_from(&self, mut j: usize) -> R<usize> {
        loop {
            match self.at(j) {
                b' ' => j = self.spaces_end(j + 1),
                b'\t' | b'\n' => j += 1,
                b'#' => j = self.line_end(j),
                b'/' if self.at(j + 1) == b'/' => j = self.line_end(j),
                b'/' if self.at(j + 1) == b'*' => j = self.block_comment_end(j)?,
                _ => return Ok(j),
            }
        }
    }

    /// Where the run of spaces at `j` ends: eight bytes at a time first (indentation, and
    /// the blanked-out blocks of a file read the scanner's way, are long runs of them).
    fn spaces_end(&self, mut j: usize) -> usize {
        while let Some(w) = self
            .b
            .get(j..j + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            // The word's first byte that is not a space ends the run (most runs are shorter
            // than a word: no byte loop for them).
            let x = u64::from_le_bytes(w) ^ u64::from_le_bytes([b' '; 8]);
            if x != 0 {
                return j + (x.trailing_zeros() / 8) as usize;
            }
            j += 8;
        }
        while self.at(j) == b' ' {
            j += 1;
        }
        j
    }

    /// Where the line holding `j` ends (at its `\n`, or the end of the text).
    fn line_end(&self, j: usize) -> usize {
        memchr::memchr(b'\n', &self.b[j..]).map_or(self.b.len(), |n| j + n)
    }

    fn block_comment_end(&self, j: usize) -> R<usize> {
        memchr::memmem::find(&self.b[j + 2..], b"*/")
            .map(|n| j + 2 + n + 2)
            .ok_or(Bail)
    }

    fn ws(&mut self) -> R<()> {
        // Every caller stands on a token boundary (ws and sp consume whole comments).
        self.i = if (self.blanks.0..=self.blanks.1).contains(&self.i) {
            self.blanks.1
        } else {
            self.skip_ws(self.i)?
        };
        Ok(())
    }

    fn spaces(&mut self) -> R<()> {
        self.i = self.skip_sp(self.i)?;
        Ok(())
    }

    fn expect(&mut self, c: u8) -> R<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// An ASCII identifier at `i`.
    fn ident(&mut self) -> R<Ident<'a>> {
        let start = self.i;
        let b = self.b;
        if !b.get(start).is_some_and(|&c| id_start(c)) {
            return Err(Bail);
        }
        let mut j = start + 1;
        while j < b.len() && id_continue(b[j]) {
            j += 1;
        }
        // A non-ASCII letter may continue it.
        if j < b.len() && b[j] >= 0x80 {
            return Err(Bail);
        }
        self.i = j;
        // ASCII bytes: the text's own characters, borrowed.
        let name = self.t.get(start..j).ok_or(Bail)?;
        Ok(Spanned::new(name, Sp::small(start, j)))
    }

    /// A body: the whole file (`top`), or a block's up to its `}` (not consumed).
    fn body(&mut self, top: bool) -> R<Body<'a>> {
        // (Sized for most lists, see `BVec`.)
        let mut attributes = BVec::with_capacity_in(8, self.arena);
        let mut blocks = BVec::with_capacity_in(4, self.arena);
        // Past 16 attributes, their names (see `NameSet`).
        let mut names: Option<NameSet<'a>> = None;
        loop {
            self.ws()?;
            match self.peek() {
                None if top => break,
                Some(b'}') if !top => break,
                Some(c) if id_start(c) => {}
                _ => return Err(Bail),
            }
            let start = self.i;
            let ident = self.ident()?;
            self.spaces()?;
            match self.peek() {
                Some(b'=') => {
                    let a = self.attribute(ident, start)?;
                    let written_twice = match &mut names {
                        Some(names) => !names.insert(a.key.value),
                        None => {
                            let twice = attributes
                                .iter()
                                .any(|x: &Attribute| x.key.value == a.key.value);
                            if !twice && attributes.len() >= 16 {
                                names = Some(
                                    attributes
                                        .iter()
                                        .map(|x: &Attribute| x.key.value)
                                        .chain([a.key.value])
                                        .collect(),
                                );
                            }
                            twice
                        }
                    };
                    if written_twice {
                        return Err(Bail);
                    }
                    attributes.push(a);
                }
                Some(b'{') => blocks.push(self.block(ident, &[], start)?),
                Some(c) if c == b'"' || id_start(c) => {
                    let labels = self.labels()?;
                    blocks.push(self.block(ident, labels, start)?);
                }
                _ => return Err(Bail),
            }
            // After a structure: blanks, a line comment, then a line break or the end.
            self.spaces()?;
            if matches!(self.peek(), Some(b'#'))
                || (self.peek() == Some(b'/') && self.at(self.i + 1) == b'/')
            {
                self.i = self.line_end(self.i);
            }
            match self.peek() {
                Some(b'\n') => self.i += 1,
                None => {}
                _ => return Err(Bail),
            }
        }
        Ok(Body {
            attributes: attributes.into_bump_slice(),
            blocks: blocks.into_bump_slice(),
        })
    }

    /// A top-level block `ident label… { … }` at `i`.
    fn top_block(&mut self) -> R<Block<'a>> {
        let start = self.i;
        let ident = self.ident()?;
        self.spaces()?;
        let labels = self.labels()?;
        self.block(ident, labels, start)
    }

    /// A block's labels, up to its `{` (not consumed).
    fn labels(&mut self) -> R<Labels<'a>> {
        let mut labels = BVec::with_capacity_in(2, self.arena);
        while self.peek() != Some(b'{') {
            labels.push(self.label()?);
            self.spaces()?;
        }
        Ok(labels.into_bump_slice())
    }

    /// `= value` after the key `ident` (which started at `start`).
    fn attribute(&mut self, key: Ident<'a>, start: usize) -> R<Attribute<'a>> {
        self.expect(b'=')?;
        if self.peek() == Some(b'=') {
            return Err(Bail);
        }
        self.spaces()?;
        let value = self.expr()?;
        Ok(Attribute {
            key,
            value,
            sp: self.sp(start),
        })
    }

    fn label(&mut self) -> R<Ident<'a>> {
        if self.peek() == Some(b'"') {
            let start = self.i;
            match self.quoted()? {
                Quoted::Plain(s) => Ok(Spanned::new(s, self.sp(start))),
                Quoted::Template(_) => Err(Bail),
            }
        } else {
            self.ident()
        }
    }

    /// `{ … }` of a block.
    fn block(&mut self, ident: Ident<'a>, labels: Labels<'a>, start: usize) -> R<Block<'a>> {
        self.enter()?;
        self.expect(b'{')?;
        let open = self.i;
        // A multi-line body: the rest of the line blank or a comment.
        self.spaces()?;
        if matches!(self.peek(), Some(b'#'))
            || (self.peek() == Some(b'/') && self.at(self.i + 1) == b'/')
        {
            self.i = self.line_end(self.i);
        }
        let body = if self.peek() == Some(b'\n') {
            self.i += 1;
            let body = self.body(false)?;
            self.ws()?;
            body
        } else {
            // A one-line body: nothing, or one attribute.
            self.i = open;
            self.spaces()?;
            let mut body = Body::default();
            if self.peek() != Some(b'}') {
                let s = self.i;
                let key = self.ident()?;
                self.spaces()?;
                let a = self.attribute(key, s)?;
                body.attributes = std::slice::from_ref(self.arena.alloc(a));
                self.spaces()?;
            }
            body
        };
        self.expect(b'}')?;
        self.depth -= 1;
        Ok(Block {
            ident,
            labels,
            body,
            sp: self.sp(start),
        })
    }

    /// An expression: a term, its traversal, and nothing that could continue it.
    fn expr(&mut self) -> R<Expression<'a>> {
        self.enter()?;
        let start = self.i;
        let mut e = self.operand()?;
        // A chain of binary operators, grouped by precedence, all left-associative
        // (hcl-edit's Pratt parser), each node spanning its operands.
        if let Some(first) = self.operator()? {
            let mut out = vec![e];
            let mut ops: Vec<Spanned<BinaryOperator>> = Vec::new();
            let mut next = Some(first);
            // Operators of one precedence are reduced as they come, so `out` stays short:
            // the chain's length is what hcl-edit bounds, and what makes the tree deep.
            let mut chained = 0;
            while let Some(op) = next {
                chained += 1;
                if chained > MAX_OPERATORS {
                    return Err(Bail);
                }
                while ops
                    .last()
                    .is_some_and(|o| o.value.precedence() >= op.value.precedence())
                {
                    reduce(self.arena, &mut out, &mut ops)?;
                }
                ops.push(op);
                self.blanks_on_line()?;
                out.push(self.operand()?);
                next = self.operator()?;
            }
            while !ops.is_empty() {
                reduce(self.arena, &mut out, &mut ops)?;
            }
            e = out.pop().ok_or(Bail)?;
        }
        // `cond ? a : b`: each branch a whole expression.
        let mut j = self.i;
        while matches!(self.at(j), b' ' | b'\t') {
            j += 1;
        }
        // (A `?` past a line break or comment makes `nothing_follows` bail.)
        if self.at(j) == b'?' {
            self.i = j + 1;
            self.blanks_on_line()?;
            let true_expr = self.expr()?;
            self.i = self.inline_blanks(self.i)?;
            if self.peek() != Some(b':') || self.at(self.i + 1) == b':' {
                return Err(Bail);
            }
            self.i += 1;
            self.blanks_on_line()?;
            let false_expr = self.expr()?;
            e = Expression::Conditional(self.arena.alloc(Conditional {
                cond_expr: e,
                true_expr,
                false_expr,
                sp: self.sp(start),
            }));
        }
        self.nothing_follows()?;
        self.depth -= 1;
        Ok(e)
    }

    /// Spaces and tabs from `j`: where they end. A comment or line break there bails (whether
    /// hcl-edit looks past it depends on the context).
    fn inline_blanks(&self, mut j: usize) -> R<usize> {
        while matches!(self.at(j), b' ' | b'\t') {
            j += 1;
        }
        match self.at(j) {
            b'#' | b'\n' => Err(Bail),
            b'/' if matches!(self.at(j + 1), b'/' | b'*') => Err(Bail),
            _ => Ok(j),
        }
    }

    /// Past the spaces and tabs between an operator and its operand.
    fn blanks_on_line(&mut self) -> R<()> {
        self.i = self.inline_blanks(self.i)?;
        Ok(())
    }

    /// The binary operator after the operand just read (past spaces and tabs), consumed;
    /// `None` when none follows on the line.
    fn operator(&mut self) -> R<Option<Spanned<BinaryOperator>>> {
        let mut j = self.i;
        while matches!(self.at(j), b' ' | b'\t') {
            j += 1;
        }
        let (op, len) = match (self.at(j), self.at(j + 1)) {
            (b'=', b'=') => (BinaryOperator::Eq, 2),
            (b'!', b'=') => (BinaryOperator::NotEq, 2),
            (b'<', b'=') => (BinaryOperator::LessEq, 2),
            (b'>', b'=') => (BinaryOperator::GreaterEq, 2),
            (b'&', b'&') => (BinaryOperator::And, 2),
            (b'|', b'|') => (BinaryOperator::Or, 2),
            // `a <<EOF`, `a < <<EOF`: left to hcl-edit.
            (b'<', b'<') => return Err(Bail),
            (b'<', _) => (BinaryOperator::Less, 1),
            (b'>', _) => (BinaryOperator::Greater, 1),
            (b'+', _) => (BinaryOperator::Plus, 1),
            (b'-', _) => (BinaryOperator::Minus, 1),
            (b'*', _) => (BinaryOperator::Mul, 1),
            (b'%', _) => (BinaryOperator::Mod, 1),
            (b'/', b'/' | b'*') => return Ok(None),
            (b'/', _) => (BinaryOperator::Div, 1),
            _ => return Ok(None),
        };
        self.i = j + len;
        Ok(Some(Spanned::new(op, Sp::small(j, j + len))))
    }

    /// A term and the traversal written right after it.
    fn operand(&mut self) -> R<Expression<'a>> {
        let start = self.i;
        let term = self.term()?;
        match self.peek() {
            Some(b'.') if self.at(self.i + 1) != b'.' => self.traversal(term, start),
            Some(b'[') => self.traversal(term, start),
            _ => Ok(term),
        }
    }

    /// Bails when what follows the expression just read (past any blanks, line breaks and
    /// comments) could continue it: an operator, `?`, a traversal step, a call, `::`.
    fn nothing_follows(&mut self) -> R<()> {
        let j = self.skip_ws(self.i)?;
        self.blanks = (self.i, j);
        match self.at(j) {
            b'.' | b'[' | b'?' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'%' | b'&' | b'|'
            | b'/' | b'(' | b'~' => Err(Bail),
            b'=' if self.at(j + 1) == b'=' => Err(Bail),
            b':' if self.at(j + 1) == b':' => Err(Bail),
            _ => Ok(()),
        }
    }

    fn traversal(&mut self, expr: Expression<'a>, start: usize) -> R<Expression<'a>> {
        let mut operators = BVec::with_capacity_in(4, self.arena);
        loop {
            let s = self.i;
            let op = match self.peek() {
                Some(b'.') if self.at(s + 1) != b'.' => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'*') => {
                            self.i += 1;
                            TraversalOperator::AttrSplat
                        }
                        Some(c) if c.is_ascii_digit() => {
                            let d = self.i;
                            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                                self.i += 1;
                            }
                            let n: u64 = self.t[d..self.i].parse().map_err(|_| Bail)?;
                            TraversalOperator::LegacyIndex(Spanned::new(n, self.sp(d)))
                        }
                        Some(c) if id_start(c) => TraversalOperator::GetAttr(self.ident()?),
                        _ => return Err(Bail),
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    self.ws()?;
                    let op = if self.peek() == Some(b'*') {
                        self.i += 1;
                        TraversalOperator::FullSplat
                    } else {
                        TraversalOperator::Index(self.expr()?)
                    };
                    self.ws()?;
                    self.expect(b']')?;
                    op
                }
                _ => break,
            };
            operators.push(Spanned::new(op, self.sp(s)));
        }
        Ok(Expression::Traversal(self.arena.alloc(Traversal {
            expr,
            operators: operators.into_bump_slice(),
            sp: self.sp(start),
        })))
    }

    fn term(&mut self) -> R<Expression<'a>> {
        let start = self.i;
        match self.peek().ok_or(Bail)? {
            b'"' => Ok(match self.quoted()? {
                Quoted::Plain(s) => Expression::String(Spanned::new(s, self.sp(start))),
                Quoted::Template(t) => Expression::StringTemplate(Spanned::new(t, self.sp(start))),
            }),
            b'[' => self.array(),
            b'{' => self.object(),
            b'0'..=b'9' => self.number(),
            b'<' if self.at(start + 1) == b'<' => self.heredoc(),
            b'-' if self.at(start + 1).is_ascii_digit() => {
                self.i += 1;
                let Expression::Number(n) = self.number()? else {
                    return Err(Bail);
                };
                Ok(Expression::Number(Spanned::new(-n.value, self.sp(start))))
            }
            b'-' | b'!' => {
                let operator = if self.at(start) == b'-' {
                    UnaryOperator::Neg
                } else {
                    UnaryOperator::Not
                };
                self.i += 1;
                // `- 1` would be a negative number, `- /* c */ x` an operand after a comment.
                if !self
                    .peek()
                    .is_some_and(|c| id_start(c) || matches!(c, b'"' | b'(' | b'[' | b'{'))
                {
                    return Err(Bail);
                }
                self.enter()?;
                let expr = self.operand()?;
                self.depth -= 1;
                Ok(Expression::UnaryOp(self.arena.alloc(UnaryOp {
                    operator: Spanned::new(operator, Sp::small(start, start + 1)),
                    expr,
                    sp: self.sp(start),
                })))
            }
            b'(' => {
                self.i += 1;
                self.ws()?;
                let inner = self.expr()?;
                self.ws()?;
                self.expect(b')')?;
                Ok(Expression::Parenthesis(
                    self.arena.alloc(Spanned::new(inner, self.sp(start))),
                ))
            }
            c if id_start(c) => {
                let name = self.ident()?;
                if self.peek() == Some(b'(') {
                    return self.call(name, start);
                }
                Ok(match name.as_str() {
                    "null" => Expression::Null(name.sp),
                    "true" => Expression::Bool(Spanned::new(true, name.sp)),
                    "false" => Expression::Bool(Spanned::new(false, name.sp)),
                    _ => Expression::Variable(name),
                })
            }
            _ => Err(Bail),
        }
    }

    /// Whether a `for` expression starts at `i` (past blanks), as hcl-edit decides it.
    fn for_follows(&self) -> R<bool> {
        let j = self.skip_ws(self.i)?;
        Ok(self.b[j..].starts_with(b"for")
            && matches!(self.at(j + 3), b' ' | b'\t' | b'#' | b'/' | b'\n'))
    }

    /// `[for v in coll : value if cond]` or `{for k, v in coll : key => value if cond}`; `i`
    /// just after the bracket, which started at `start`.
    fn for_expr(&mut self, start: usize, object: bool) -> R<Expression<'a>> {
        self.ws()?;
        self.i += 3; // `for`
        self.ws()?;
        let first = self.ident()?;
        self.ws()?;
        let (key_var, value_var) = if self.peek() == Some(b',') {
            self.i += 1;
            self.ws()?;
            let second = self.ident()?;
            self.ws()?;
            (Some(first), second)
        } else {
            (None, first)
        };
        if !self.b[self.i..].starts_with(b"in") || id_continue(self.at(self.i + 2)) {
            return Err(Bail);
        }
        self.i += 2;
        self.ws()?;
        let collection_expr = self.expr()?;
        self.ws()?;
        self.expect(b':')?;
        self.ws()?;
        let first = self.expr()?;
        self.ws()?;
        let (key_expr, value_expr) = if object {
            if !self.b[self.i..].starts_with(b"=>") {
                return Err(Bail);
            }
            self.i += 2;
            self.ws()?;
            let value = self.expr()?;
            self.ws()?;
            (Some(first), value)
        } else {
            (None, first)
        };
        let cond = if self.b[self.i..].starts_with(b"if") && !id_continue(self.at(self.i + 2)) {
            self.i += 2;
            self.ws()?;
            let expr = self.expr()?;
            self.ws()?;
            Some(ForCond { expr })
        } else {
            None
        };
        self.expect(if object { b'}' } else { b']' })?;
        Ok(Expression::ForExpr(self.arena.alloc(ForExpr {
            intro: ForIntro {
                key_var,
                value_var,
                collection_expr,
            },
            key_expr,
            value_expr,
            grouping: false,
            cond,
            sp: self.sp(start),
        })))
    }

    fn array(&mut self) -> R<Expression<'a>> {
        let start = self.i;
        self.i += 1;
        if self.for_follows()? {
            return self.for_expr(start, false);
        }
        let mut items = BVec::with_capacity_in(8, self.arena);
        loop {
            self.ws()?;
            if self.peek() == Some(b']') {
                break;
            }
            items.push(self.expr()?);
            self.ws()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => break,
                _ => return Err(Bail),
            }
        }
        self.i += 1;
        Ok(Expression::Array(Spanned::new(
            items.into_bump_slice(),
            self.sp(start),
        )))
    }

    fn object(&mut self) -> R<Expression<'a>> {
        let start = self.i;
        self.i += 1;
        if self.for_follows()? {
            return self.for_expr(start, true);
        }
        let mut items = BVec::with_capacity_in(8, self.arena);
        // The keys' names, to bail on one written twice (most borrowed from the text): on the
        // reader's stack up to 16, in a set of this object's past that (as a body's names).
        let n0 = self.names.len();
        let mut set: Option<NameSet<'a>> = None;
        loop {
            self.ws()?;
            if self.peek() == Some(b'}') {
                break;
            }
            let ks = self.i;
            // Any expression, as hcl-edit reads a key; a lone variable is an identifier key.
            let (key, name) = match self.expr()? {
                Expression::Variable(id) => (ObjectKey::Ident(id), id.value),
                Expression::Null(_) | Expression::Bool(_) => return Err(Bail),
                e => {
                    let name = key_name(self.arena, &e, &self.t[ks..self.i])?;
                    (ObjectKey::Expression(e), name)
                }
            };
            let written_twice = match &mut set {
                Some(set) => !set.insert(name),
                None => {
                    let twice = self.names[n0..].contains(&name);
                    if !twice && self.names.len() - n0 >= 16 {
                        set = Some(self.names[n0..].iter().copied().chain([name]).collect());
                    } else {
                        self.names.push(name);
                    }
                    twice
                }
            };
            if written_twice {
                return Err(Bail);
            }
            self.spaces()?;
            match self.peek() {
                Some(b'=') if self.at(self.i + 1) != b'=' => self.i += 1,
                Some(b':') if self.at(self.i + 1) != b':' => self.i += 1,
                _ => return Err(Bail),
            }
            self.spaces()?;
            let value = self.expr()?;
            items.push((key, value));
            self.spaces()?;
            match self.peek() {
                Some(b'}') => break,
                Some(b'\n') | Some(b',') => self.i += 1,
                Some(b'#') => {
                    self.i = self.line_end(self.i);
                    self.expect(b'\n')?;
                }
                Some(b'/') if self.at(self.i + 1) == b'/' => {
                    self.i = self.line_end(self.i);
                    self.expect(b'\n')?;
                }
                _ => return Err(Bail),
            }
        }
        self.i += 1;
        self.names.truncate(n0);
        Ok(Expression::Object(Spanned::new(
            items.into_bump_slice(),
            self.sp(start),
        )))
    }

    fn number(&mut self) -> R<Expression<'a>> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.i += 1;
            }
            p.i > s
        };
        digits(self);
        let mut float = false;
        if self.peek() == Some(b'.') && self.at(self.i + 1).is_ascii_digit() {
            self.i += 1;
            digits(self);
            float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return Err(Bail);
            }
            float = true;
        }
        // `1.`, `1x`, `1.5.x`: left to hcl-edit.
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
        {
            return Err(Bail);
        }
        let s = &self.t[start..self.i];
        let n = if float {
            Number::from_f64(s.parse::<f64>().map_err(|_| Bail)?).ok_or(Bail)?
        } else {
            match s.parse::<u64>() {
                Ok(n) => Number::from(n),
                Err(_) => Number::from_f64(s.parse::<f64>().map_err(|_| Bail)?).ok_or(Bail)?,
            }
        };
        Ok(Expression::Number(Spanned::new(n, self.sp(start))))
    }

    /// `name(args)`; `i` at the `(`.
    fn call(&mut self, name: Ident<'a>, start: usize) -> R<Expression<'a>> {
        self.i += 1;
        let mut args = BVec::with_capacity_in(4, self.arena);
        loop {
            self.ws()?;
            if self.peek() == Some(b')') {
                break;
            }
            args.push(self.expr()?);
            self.ws()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b')') => break,
                _ => return Err(Bail),
            }
        }
        self.i += 1;
        Ok(Expression::FuncCall(self.arena.alloc(FuncCall {
            name: FuncName {
                namespace: &[],
                name,
            },
            args: FuncArgs {
                args: args.into_bump_slice(),
                expand_final: false,
            },
            sp: self.sp(start),
        })))
    }

    /// `${ expr }`; `i` at the `$`.
    fn interpolation(&mut self) -> R<Element<'a>> {
        self.i += 2;
        if self.peek() == Some(b'~') {
            return Err(Bail);
        }
        self.ws()?;
        let expr = self.expr()?;
        self.ws()?;
        self.expect(b'}')?;
        Ok(Element::Interpolation(Interpolation { expr }))
    }

    /// Template syntax at `c` (the byte at `i`) inside a quoted string or a heredoc, consumed:
    /// `$${`/`%%{` escapes go to the literal, `${` ends it and reads an interpolation, `%{`
    /// (a directive) bails. `false` when `c` starts none of them.
    fn template_marker(
        &mut self,
        c: u8,
        lit: &mut Lit,
        elements: &mut BVec<'a, Element<'a>>,
    ) -> R<bool> {
        let next = self.at(self.i + 1);
        if !matches!(c, b'$' | b'%') || (next != b'{' && next != c) {
            return Ok(false);
        }
        if next == c {
            if self.at(self.i + 2) != b'{' {
                return Ok(false);
            }
            lit.decoded(self.t, self.i).extend([c as char, '{']);
            self.i += 3;
            return Ok(true);
        }
        if c == b'%' {
            return Err(Bail);
        }
        if self.i > lit.start {
            elements.push(Element::Literal(Spanned::new(
                lit.take(self.arena, self.t, self.i),
                Sp::small(lit.start, self.i),
            )));
        }
        elements.push(self.interpolation()?);
        lit.start = self.i;
        Ok(true)
    }

    /// A quoted string: plain (no interpolation) or a template; `i` at the opening quote.
    fn quoted(&mut self) -> R<Quoted<'a>> {
        self.i += 1;
        let mut elements = BVec::with_capacity_in(4, self.arena);
        let mut lit = Lit::at(self.i);
        loop {
            let c = self.peek().ok_or(Bail)?;
            // (Only `$` and `%` start template syntax: no call for the other bytes.)
            if matches!(c, b'$' | b'%') && self.template_marker(c, &mut lit, &mut elements)? {
                continue;
            }
            match c {
                b'"' => break,
                b'\\' => {
                    let at = self.i;
                    self.i += 1;
                    let e = self.peek().ok_or(Bail)?;
                    self.i += 1;
                    let decoded = match e {
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'\\' => '\\',
                        b'"' => '"',
                        b'u' | b'U' => {
                            let n = if e == b'u' { 4 } else { 8 };
                            let hex = self.t.get(self.i..self.i + n).ok_or(Bail)?;
                            if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                                return Err(Bail);
                            }
                            let v = u32::from_str_radix(hex, 16).map_err(|_| Bail)?;
                            self.i += n;
                            char::from_u32(v).ok_or(Bail)?
                        }
                        _ => return Err(Bail),
                    };
                    lit.decoded(self.t, at).push(decoded);
                }
                _ => {
                    // A run of bytes with nothing special (UTF-8 sequences whole).
                    let s = self.i;
                    let j = quoted_run_end(self.b, s + 1);
                    let run = self.t.get(s..j).ok_or(Bail)?;
                    // A string of one run (most): borrowed at once.
                    if lit.start == s && elements.is_empty() && self.b.get(j) == Some(&b'"') {
                        self.i = j + 1;
                        return Ok(Quoted::Plain(run));
                    }
                    lit.run(run);
                    self.i = j;
                }
            }
        }
        let end = self.i;
        self.i += 1;
        if elements.is_empty() {
            return Ok(Quoted::Plain(lit.take(self.arena, self.t, end)));
        }
        if end > lit.start {
            elements.push(Element::Literal(Spanned::new(
                lit.take(self.arena, self.t, end),
                Sp::small(lit.start, end),
            )));
        }
        Ok(Quoted::Template(Template {
            elements: elements.into_bump_slice(),
        }))
    }

    /// Whether the heredoc's closing line (blanks, `delim`, no identifier character after)
    /// starts at `j`.
    fn closes(&self, j: usize, delim: &[u8]) -> bool {
        let mut k = j;
        while matches!(self.at(k), b' ' | b'\t') {
            k += 1;
        }
        self.b[k..].starts_with(delim) && {
            let after = self.at(k + delim.len());
            !id_continue(after) && after < 0x80
        }
    }

    /// `<<EOF`/`<<-EOF` … `EOF`; `i` at the first `<`.
    fn heredoc(&mut self) -> R<Expression<'a>> {
        let start = self.i;
        self.i += 2;
        let indented = self.peek() == Some(b'-');
        if indented {
            self.i += 1;
        }
        let delim = self.ident()?;
        self.expect(b'\n')?;
        let d = delim.as_str().as_bytes();
        // An empty heredoc: what hcl-edit makes of it depends on the rest of the file.
        if self.closes(self.i, d) {
            return Err(Bail);
        }
        let mut elements = BVec::with_capacity_in(4, self.arena);
        let mut lit = Lit::at(self.i);
        loop {
            let c = self.peek().ok_or(Bail)?;
            // (Only `$` and `%` start template syntax: no call for the other bytes.)
            if matches!(c, b'$' | b'%') && self.template_marker(c, &mut lit, &mut elements)? {
                continue;
            }
            match c {
                b'\n' if self.closes(self.i + 1, d) => break,
                _ => {
                    let s = self.i;
                    let mut j = s + 1;
                    while j < self.b.len() && !matches!(self.b[j], b'\n' | b'$' | b'%') {
                        j += 1;
                    }
                    lit.run(self.t.get(s..j).ok_or(Bail)?);
                    self.i = j;
                }
            }
        }
        // The line break before the closing line belongs to the last literal.
        self.i += 1;
        lit.run("\n");
        elements.push(Element::Literal(Spanned::new(
            lit.take(self.arena, self.t, self.i),
            Sp::small(lit.start, self.i),
        )));
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        self.i += d.len();
        if indented {
            dedent(self.arena, &mut elements);
        }
        Ok(Expression::HeredocTemplate(self.arena.alloc(Spanned::new(
            HeredocTemplate {
                template: Template {
                    elements: elements.into_bump_slice(),
                },
            },
            self.sp(start),
        ))))
    }
}

/// The literal piece of a template being read, from `start`: while no escape was met, the
/// text itself up to where the reader stands (borrowed when done, nothing copied); from the
/// first escape on, decoded into `buf`.
struct Lit {
    start: usize,
    copied: bool,
    buf: String,
}

impl Lit {
    fn at(start: usize) -> Lit {
        Lit {
            start,
            copied: false,
            buf: String::new(),
        }
    }

    /// The decoded text so far, the text up to `at` (where an escape starts) copied in first
    /// if this is the first escape.
    fn decoded(&mut self, t: &str, at: usize) -> &mut String {
        if !self.copied {
            self.buf.clear();
            self.buf.push_str(&t[self.start..at]);
            self.copied = true;
        }
        &mut self.buf
    }

    /// A run of plain text read (the reader stands past it).
    fn run(&mut self, run: &str) {
        if self.copied {
            self.buf.push_str(run);
        }
    }

    /// The literal, which ends at `end`: borrowed from `t` or decoded into `arena`. The next
    /// one starts afresh (its `start` set by the caller).
    fn take<'a>(&mut self, arena: &'a Arena, t: &'a str, end: usize) -> &'a str {
        if std::mem::take(&mut self.copied) {
            arena.alloc_str(&self.buf)
        } else {
            &t[self.start..end]
        }
    }
}

/// A name for the key `e` (written `raw`) such that keys hcl-edit holds equal (and refuses
/// as written twice) get the same name: a string's value; a template's literal pieces with a
/// mark for each interpolation; any other expression its text without blanks, and no name
/// (bail) when the text holds a comment, which hcl-edit's equality ignores.
fn key_name<'a>(arena: &'a Arena, e: &Expression<'a>, raw: &str) -> R<&'a str> {
    Ok(match e {
        Expression::String(s) => s.value,
        Expression::StringTemplate(t) => {
            let mut name = String::from("\u{1}T");
            for el in t.iter() {
                match el {
                    Element::Literal(l) => name.push_str(l.value),
                    _ => name.push('\u{0}'),
                }
            }
            arena.alloc_str(&name)
        }
        _ => {
            if raw.contains(['/', '#']) {
                return Err(Bail);
            }
            let mut name = String::from("\u{1}E");
            name.extend(raw.chars().filter(|c| !c.is_whitespace()));
            arena.alloc_str(&name)
        }
    })
}

/// The last operator of `ops` applied to the last two operands of `out`.
fn reduce<'a>(
    arena: &'a Arena,
    out: &mut Vec<Expression<'a>>,
    ops: &mut Vec<Spanned<BinaryOperator>>,
) -> R<()> {
    let (Some(operator), Some(rhs_expr), Some(lhs_expr)) = (ops.pop(), out.pop(), out.pop()) else {
        return Err(Bail);
    };
    let (Some(l), Some(r)) = (lhs_expr.span(), rhs_expr.span()) else {
        return Err(Bail);
    };
    out.push(Expression::BinaryOp(arena.alloc(BinaryOp {
        lhs_expr,
        operator,
        rhs_expr,
        sp: Sp::small(l.start, r.end),
    })));
    Ok(())
}

enum Quoted<'a> {
    Plain(&'a str),
    Template(Template<'a>),
}

// hcl-edit 0.10.0's `Template::dedent` and its helpers (`template/mod.rs`, `util.rs`),
// verbatim but for types: a `<<-` heredoc's literals lose the least indentation of their
// lines, their spans unchanged.
fn dedent<'a>(arena: &'a Arena, elements: &mut [Element<'a>]) {
    let mut indent: Option<usize> = None;
    let mut skip_first_line = false;
    for element in elements.iter() {
        if let Element::Literal(literal) = element {
            if let Some(leading_ws) = min_leading_whitespace(literal, skip_first_line) {
                indent = Some(indent.map_or(leading_ws, |indent| indent.min(leading_ws)));
            }
            skip_first_line = !literal.ends_with('\n');
        } else if !skip_first_line {
            return;
        }
    }
    if let Some(indent) = indent {
        skip_first_line = false;
        for element in elements.iter_mut() {
            if let Element::Literal(literal) = element {
                let dedented = dedent_by(literal, indent, skip_first_line);
                literal.value = arena.alloc_str(&dedented);
                skip_first_line = !literal.ends_with('\n');
            } else if !skip_first_line {
                skip_first_line = true;
            }
        }
    }
}

fn dedent_by(s: &str, n: usize, skip_first: bool) -> String {
    let mut dedented = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i == 0 && skip_first {
            dedented.push_str(line);
        } else if !line.is_empty() {
            dedented.extend(line.chars().skip(n));
        }
        dedented.push('\n');
    }
    if dedented.ends_with('\n') && !s.ends_with('\n') {
        dedented.truncate(dedented.len() - 1);
    }
    dedented
}

fn min_leading_whitespace(s: &str, skip_first: bool) -> Option<usize> {
    if s.is_empty() {
        return None;
    }
    let mut leading_ws: Option<usize> = None;
    for (i, line) in s.lines().enumerate() {
        if (i == 0 && skip_first) || line.is_empty() {
            continue;
        }
        let line_leading_ws = line.chars().take_while(|ch| ch.is_whitespace()).count();
        if line_leading_ws == 0 {
            return None;
        }
        leading_ws = Some(leading_ws.map_or(line_leading_ws, |l| l.min(line_leading_ws)));
    }
    leading_ws
}

#[cfg(test)]
mod tests {
    use super::{quoted_run_end, QUOTED_SPECIAL};

    /// The word-at-a-time search ends where the byte-at-a-time one does: at every offset of
    /// texts with the four bytes at every place in a word, next to bytes ≥ 0x80 (which the
    /// zero-byte test must not take for them) and at the end.
    #[test]
    fn quoted_runs_end_at_the_first_special_byte() {
        let bytewise = |b: &[u8], mut j: usize| {
            while j < b.len() && !QUOTED_SPECIAL[b[j] as usize] {
                j += 1;
            }
            j
        };
        let fillers: [&[u8]; 3] = [
            b"abcdefghijklmnopqrstu",
            "é€ü\u{80}ÿ#{}".as_bytes(),
            &[
                0x7f,
                0x80,
                0x81,
                0xa2,
                0xdc,
                0xa4,
                0xa5,
                0xe4,
                0xff,
                0x00,
                0x01,
                0x21,
                0x23,
                0x24 ^ 0x80,
                0x25 ^ 0x80,
            ],
        ];
        let mut checked = 0;
        for filler in fillers {
            for special in [b'"', b'\\', b'$', b'%', b'x'] {
                for len in 0..filler.len() {
                    for at in 0..=len {
                        let mut t = filler[..len].to_vec();
                        t.insert(at, special);
                        for j in 0..=t.len() {
                            assert_eq!(quoted_run_end(&t, j), bytewise(&t, j), "{t:?} from {j}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 5000);
    }
}
