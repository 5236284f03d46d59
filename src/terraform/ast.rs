//! Our own tree of Terraform's native syntax: exactly what evaluation (`hcl.rs`) reads, every
//! node with the byte range hcl-edit's `span()` gives it.
//!
//! Why not hcl-edit's tree: its span setters are crate-private, so only hcl-edit's parser can
//! build one, and a faster reader of the common subset (`fast.rs`) needs a tree it can build.
//! The shapes and accessor names follow hcl-edit's (`Expression::Traversal(t)`,
//! `t.operators`, `b.ident.as_str()`, `x.span()`), so the evaluator reads both alike; what
//! evaluation never reads (decor, comments, strip markers, heredoc delimiters) is left out,
//! which also makes the tree a fraction of hcl-edit's size. [`from_body`] converts hcl-edit's
//! tree: the fallback for whatever the fast reader does not take, and its oracle in tests.
//!
//! The tree owns no memory: its nodes and lists are in an [`Arena`] (one per module directory
//! being evaluated), identifiers and escape-free strings are borrowed from the file's text,
//! decoded strings are in the arena. Building a node is a bump, and a directory's trees are
//! freed at once (a heap allocation per list, boxed node and decoded string, and the walk
//! that freed each, were a tenth of reading a configuration). Nothing in the arena owns heap
//! memory (the arena runs no destructors).

use std::ops::Range;

pub use hcl_edit::expr::{BinaryOperator, UnaryOperator};
pub use hcl_edit::Number;
use hcl_edit::Span as _;

/// Where a module directory's trees live (see the module's documentation).
pub type Arena = bumpalo::Bump;

/// A byte range, or none (a node built by evaluation, as hcl-edit's `Traversal::new`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sp {
    start: u32,
    end: u32,
}

impl Sp {
    pub const NONE: Sp = Sp {
        start: u32::MAX,
        end: u32::MAX,
    };

    pub fn new(start: usize, end: usize) -> Sp {
        // Inputs are far below 4 GiB (the loader's size limit); a larger offset has no span.
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(s), Ok(e)) if s != u32::MAX => Sp { start: s, end: e },
            _ => Sp::NONE,
        }
    }

    /// [`Sp::new`] of offsets below `u32::MAX - 1` (the fast reader's, which reads only
    /// texts shorter than that): the same span without the checks (a dozen instructions
    /// for every node it builds).
    pub fn small(start: usize, end: usize) -> Sp {
        debug_assert!(start < u32::MAX as usize - 1 && end < u32::MAX as usize - 1);
        Sp {
            start: start as u32,
            end: end as u32,
        }
    }

    /// hcl-edit's span of a text that starts at byte `base` of the file.
    fn at(base: usize, r: Option<Range<usize>>) -> Sp {
        r.map_or(Sp::NONE, |r| Sp::new(base + r.start, base + r.end))
    }

    #[inline]
    pub fn range(self) -> Option<Range<usize>> {
        (self.start != u32::MAX).then_some(self.start as usize..self.end as usize)
    }
}

/// A value with its span (hcl-edit's `Decorated<T>`/`Spanned<T>`, without the decor).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub sp: Sp,
}

impl<T> Spanned<T> {
    pub fn new(value: T, sp: Sp) -> Self {
        Spanned { value, sp }
    }
    pub fn value(&self) -> &T {
        &self.value
    }
    pub fn span(&self) -> Option<Range<usize>> {
        self.sp.range()
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// An identifier, a block label or a literal piece of text, with its span: borrowed from the
/// file's text, or (decoded, or from hcl-edit's tree) in the arena.
pub type Ident<'a> = Spanned<&'a str>;

impl<'a> Spanned<&'a str> {
    pub fn as_str(&self) -> &'a str {
        self.value
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Body<'a> {
    pub attributes: &'a [Attribute<'a>],
    pub blocks: &'a [Block<'a>],
}

impl<'a> Body<'a> {
    pub fn attributes(&self) -> std::slice::Iter<'a, Attribute<'a>> {
        self.attributes.iter()
    }
    pub fn blocks(&self) -> std::slice::Iter<'a, Block<'a>> {
        self.blocks.iter()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attribute<'a> {
    pub key: Ident<'a>,
    pub value: Expression<'a>,
    pub sp: Sp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Block<'a> {
    pub ident: Ident<'a>,
    /// Identifier and quoted-string labels alike (evaluation reads only their text).
    pub labels: Labels<'a>,
    pub body: Body<'a>,
    pub sp: Sp,
}

impl Block<'_> {
    pub fn span(&self) -> Option<Range<usize>> {
        self.sp.range()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expression<'a> {
    Null(Sp),
    Bool(Spanned<bool>),
    Number(Spanned<Number>),
    /// A quoted string without interpolation, decoded.
    String(Spanned<&'a str>),
    Array(Spanned<&'a [Expression<'a>]>),
    Object(Spanned<&'a [(ObjectKey<'a>, Expression<'a>)]>),
    StringTemplate(Spanned<Template<'a>>),
    HeredocTemplate(&'a Spanned<HeredocTemplate<'a>>),
    Parenthesis(&'a Spanned<Expression<'a>>),
    Variable(Ident<'a>),
    Conditional(&'a Conditional<'a>),
    FuncCall(&'a FuncCall<'a>),
    Traversal(&'a Traversal<'a>),
    UnaryOp(&'a UnaryOp<'a>),
    BinaryOp(&'a BinaryOp<'a>),
    ForExpr(&'a ForExpr<'a>),
}

impl<'a> Expression<'a> {
    #[inline(always)]
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            Expression::Null(s) => s.range(),
            Expression::Bool(x) => x.span(),
            Expression::Number(x) => x.span(),
            Expression::String(x) => x.span(),
            Expression::Array(x) => x.span(),
            Expression::Object(x) => x.span(),
            Expression::StringTemplate(x) => x.span(),
            Expression::HeredocTemplate(x) => x.span(),
            Expression::Parenthesis(x) => x.span(),
            Expression::Variable(x) => x.span(),
            Expression::Conditional(x) => x.sp.range(),
            Expression::FuncCall(x) => x.sp.range(),
            Expression::Traversal(x) => x.sp.range(),
            Expression::UnaryOp(x) => x.sp.range(),
            Expression::BinaryOp(x) => x.sp.range(),
            Expression::ForExpr(x) => x.sp.range(),
        }
    }

    pub fn as_variable(&self) -> Option<&Ident<'a>> {
        match self {
            Expression::Variable(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ObjectKey<'a> {
    Ident(Ident<'a>),
    Expression(Expression<'a>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeredocTemplate<'a> {
    pub template: Template<'a>,
}

impl<'a> Spanned<Expression<'a>> {
    /// A parenthesis' inner expression.
    pub fn inner(&self) -> &Expression<'a> {
        &self.value
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conditional<'a> {
    pub cond_expr: Expression<'a>,
    pub true_expr: Expression<'a>,
    pub false_expr: Expression<'a>,
    pub sp: Sp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FuncName<'a> {
    pub namespace: &'a [Ident<'a>],
    pub name: Ident<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FuncArgs<'a> {
    pub args: &'a [Expression<'a>],
    pub expand_final: bool,
}

impl<'a> FuncArgs<'a> {
    pub fn iter(&self) -> std::slice::Iter<'a, Expression<'a>> {
        self.args.iter()
    }
    pub fn expand_final(&self) -> bool {
        self.expand_final
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FuncCall<'a> {
    pub name: FuncName<'a>,
    pub args: FuncArgs<'a>,
    pub sp: Sp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traversal<'a> {
    pub expr: Expression<'a>,
    pub operators: Operators<'a>,
    pub sp: Sp,
}

/// A traversal's steps.
pub type Operators<'a> = &'a [Spanned<TraversalOperator<'a>>];

/// A block's labels.
pub type Labels<'a> = &'a [Ident<'a>];

impl<'a> Traversal<'a> {
    /// A traversal built by evaluation: no span, as hcl-edit's `Traversal::new`.
    pub fn new(expr: Expression<'a>, operators: Operators<'a>) -> Traversal<'a> {
        Traversal {
            expr,
            operators,
            sp: Sp::NONE,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TraversalOperator<'a> {
    AttrSplat,
    FullSplat,
    GetAttr(Ident<'a>),
    Index(Expression<'a>),
    LegacyIndex(Spanned<u64>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnaryOp<'a> {
    pub operator: Spanned<UnaryOperator>,
    pub expr: Expression<'a>,
    pub sp: Sp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinaryOp<'a> {
    pub lhs_expr: Expression<'a>,
    pub operator: Spanned<BinaryOperator>,
    pub rhs_expr: Expression<'a>,
    pub sp: Sp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForIntro<'a> {
    pub key_var: Option<Ident<'a>>,
    pub value_var: Ident<'a>,
    pub collection_expr: Expression<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForCond<'a> {
    pub expr: Expression<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForExpr<'a> {
    pub intro: ForIntro<'a>,
    pub key_expr: Option<Expression<'a>>,
    pub value_expr: Expression<'a>,
    pub grouping: bool,
    pub cond: Option<ForCond<'a>>,
    pub sp: Sp,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Template<'a> {
    pub elements: &'a [Element<'a>],
}

impl<'a> Template<'a> {
    pub fn iter(&self) -> std::slice::Iter<'a, Element<'a>> {
        self.elements.iter()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Element<'a> {
    Literal(Spanned<&'a str>),
    Interpolation(Interpolation<'a>),
    Directive(&'a Directive<'a>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interpolation<'a> {
    pub expr: Expression<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Directive<'a> {
    If(IfDirective<'a>),
    For(ForDirective<'a>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IfDirective<'a> {
    pub if_expr: IfTemplateExpr<'a>,
    pub else_expr: Option<ElseTemplateExpr<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IfTemplateExpr<'a> {
    pub cond_expr: Expression<'a>,
    pub template: Template<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ElseTemplateExpr<'a> {
    pub template: Template<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForDirective<'a> {
    pub for_expr: ForTemplateExpr<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForTemplateExpr<'a> {
    pub key_var: Option<Ident<'a>>,
    pub value_var: Ident<'a>,
    pub collection_expr: Expression<'a>,
    pub template: Template<'a>,
}

// ---- Conversion from hcl-edit's tree ----

use hcl_edit::expr as he;
use hcl_edit::structure as hs;
use hcl_edit::template as ht;

/// Builds our tree from hcl-edit's in `arena`: its texts copied there (hcl-edit's tree owns
/// them), spans moved by `base`.
struct Conv<'a> {
    arena: &'a Arena,
    base: usize,
}

impl<'a> Conv<'a> {
    fn sp(&self, r: Option<Range<usize>>) -> Sp {
        Sp::at(self.base, r)
    }

    fn str(&self, s: &str) -> &'a str {
        self.arena.alloc_str(s)
    }

    fn ident(&self, i: &hcl_edit::Decorated<hcl_edit::Ident>) -> Ident<'a> {
        Spanned::new(self.str(i.as_str()), self.sp(i.span()))
    }

    fn slice<T, I: ExactSizeIterator<Item = T>>(&self, it: I) -> &'a [T] {
        self.arena.alloc_slice_fill_iter(it)
    }

    fn body(&self, b: &hs::Body) -> Body<'a> {
        let mut attributes = Vec::new();
        let mut blocks = Vec::new();
        for s in b.iter() {
            match s {
                hs::Structure::Attribute(a) => attributes.push(Attribute {
                    key: self.ident(&a.key),
                    value: self.expr(&a.value),
                    sp: self.sp(a.span()),
                }),
                hs::Structure::Block(k) => blocks.push(Block {
                    ident: self.ident(&k.ident),
                    labels: self.slice(
                        k.labels
                            .iter()
                            .map(|l| Spanned::new(self.str(l.as_str()), self.sp(l.span()))),
                    ),
                    body: self.body(&k.body),
                    sp: self.sp(k.span()),
                }),
            }
        }
        Body {
            attributes: self.arena.alloc_slice_copy(&attributes),
            blocks: self.arena.alloc_slice_copy(&blocks),
        }
    }

    fn exprs<'e>(&self, it: impl Iterator<Item = &'e he::Expression>) -> &'a [Expression<'a>] {
        let v: Vec<Expression<'a>> = it.map(|x| self.expr(x)).collect();
        self.arena.alloc_slice_copy(&v)
    }

    fn expr(&self, e: &he::Expression) -> Expression<'a> {
        let sp = self.sp(e.span());
        let a = self.arena;
        match e {
            he::Expression::Null(_) => Expression::Null(sp),
            he::Expression::Bool(b) => Expression::Bool(Spanned::new(*b.value(), sp)),
            he::Expression::Number(n) => Expression::Number(Spanned::new(*n.value(), sp)),
            he::Expression::String(s) => Expression::String(Spanned::new(self.str(s.value()), sp)),
            he::Expression::Array(x) => Expression::Array(Spanned::new(self.exprs(x.iter()), sp)),
            he::Expression::Object(o) => {
                let items: Vec<(ObjectKey<'a>, Expression<'a>)> = o
                    .iter()
                    .map(|(k, v)| {
                        let k = match k {
                            he::ObjectKey::Ident(i) => ObjectKey::Ident(self.ident(i)),
                            he::ObjectKey::Expression(x) => ObjectKey::Expression(self.expr(x)),
                        };
                        (k, self.expr(v.expr()))
                    })
                    .collect();
                Expression::Object(Spanned::new(a.alloc_slice_copy(&items), sp))
            }
            he::Expression::StringTemplate(t) => {
                Expression::StringTemplate(Spanned::new(self.template(t), sp))
            }
            he::Expression::HeredocTemplate(h) => {
                Expression::HeredocTemplate(a.alloc(Spanned::new(
                    HeredocTemplate {
                        template: self.template(&h.template),
                    },
                    sp,
                )))
            }
            he::Expression::Parenthesis(p) => {
                Expression::Parenthesis(a.alloc(Spanned::new(self.expr(p.inner()), sp)))
            }
            he::Expression::Variable(v) => Expression::Variable(self.ident(v)),
            he::Expression::Conditional(c) => Expression::Conditional(a.alloc(Conditional {
                cond_expr: self.expr(&c.cond_expr),
                true_expr: self.expr(&c.true_expr),
                false_expr: self.expr(&c.false_expr),
                sp,
            })),
            he::Expression::FuncCall(f) => Expression::FuncCall(a.alloc(FuncCall {
                name: FuncName {
                    namespace: self.slice(f.name.namespace.iter().map(|i| self.ident(i))),
                    name: self.ident(&f.name.name),
                },
                args: FuncArgs {
                    args: self.exprs(f.args.iter()),
                    expand_final: f.args.expand_final(),
                },
                sp,
            })),
            he::Expression::Traversal(t) => {
                let ops: Vec<Spanned<TraversalOperator<'a>>> = t
                    .operators
                    .iter()
                    .map(|o| {
                        let v = match o.value() {
                            he::TraversalOperator::AttrSplat(_) => TraversalOperator::AttrSplat,
                            he::TraversalOperator::FullSplat(_) => TraversalOperator::FullSplat,
                            he::TraversalOperator::GetAttr(i) => {
                                TraversalOperator::GetAttr(self.ident(i))
                            }
                            he::TraversalOperator::Index(x) => {
                                TraversalOperator::Index(self.expr(x))
                            }
                            he::TraversalOperator::LegacyIndex(i) => {
                                TraversalOperator::LegacyIndex(Spanned::new(
                                    *i.value(),
                                    self.sp(i.span()),
                                ))
                            }
                        };
                        Spanned::new(v, self.sp(o.span()))
                    })
                    .collect();
                Expression::Traversal(a.alloc(Traversal {
                    expr: self.expr(&t.expr),
                    operators: a.alloc_slice_copy(&ops),
                    sp,
                }))
            }
            he::Expression::UnaryOp(u) => Expression::UnaryOp(a.alloc(UnaryOp {
                operator: Spanned::new(*u.operator.value(), self.sp(u.operator.span())),
                expr: self.expr(&u.expr),
                sp,
            })),
            he::Expression::BinaryOp(b) => Expression::BinaryOp(a.alloc(BinaryOp {
                lhs_expr: self.expr(&b.lhs_expr),
                operator: Spanned::new(*b.operator.value(), self.sp(b.operator.span())),
                rhs_expr: self.expr(&b.rhs_expr),
                sp,
            })),
            he::Expression::ForExpr(f) => Expression::ForExpr(a.alloc(ForExpr {
                intro: ForIntro {
                    key_var: f.intro.key_var.as_ref().map(|i| self.ident(i)),
                    value_var: self.ident(&f.intro.value_var),
                    collection_expr: self.expr(&f.intro.collection_expr),
                },
                key_expr: f.key_expr.as_ref().map(|x| self.expr(x)),
                value_expr: self.expr(&f.value_expr),
                grouping: f.grouping,
                cond: f.cond.as_ref().map(|c| ForCond {
                    expr: self.expr(&c.expr),
                }),
                sp,
            })),
        }
    }

    fn template(&self, t: &ht::Template) -> Template<'a> {
        let a = self.arena;
        let elements: Vec<Element<'a>> = t
            .iter()
            .map(|el| match el {
                ht::Element::Literal(l) => {
                    Element::Literal(Spanned::new(self.str(l.value()), self.sp(l.span())))
                }
                ht::Element::Interpolation(i) => Element::Interpolation(Interpolation {
                    expr: self.expr(&i.expr),
                }),
                ht::Element::Directive(d) => Element::Directive(a.alloc(match &**d {
                    ht::Directive::If(i) => Directive::If(IfDirective {
                        if_expr: IfTemplateExpr {
                            cond_expr: self.expr(&i.if_expr.cond_expr),
                            template: self.template(&i.if_expr.template),
                        },
                        else_expr: i.else_expr.as_ref().map(|e| ElseTemplateExpr {
                            template: self.template(&e.template),
                        }),
                    }),
                    ht::Directive::For(f) => Directive::For(ForDirective {
                        for_expr: ForTemplateExpr {
                            key_var: f.for_expr.key_var.as_ref().map(|i| self.ident(i)),
                            value_var: self.ident(&f.for_expr.value_var),
                            collection_expr: self.expr(&f.for_expr.collection_expr),
                            template: self.template(&f.for_expr.template),
                        },
                    }),
                })),
            })
            .collect();
        Template {
            elements: a.alloc_slice_copy(&elements),
        }
    }
}

/// hcl-edit's body as our tree, in `arena`.
/// Every call of the function `name` (no namespace) in `body`, at any depth: in attributes,
/// nested blocks, and every kind of expression (templates and their directives included),
/// outermost first.
pub fn calls_of<'a>(body: &Body<'a>, name: &str) -> Vec<&'a FuncCall<'a>> {
    fn body_calls<'a>(b: &Body<'a>, name: &str, out: &mut Vec<&'a FuncCall<'a>>) {
        for a in b.attributes() {
            expr_calls(&a.value, name, out);
        }
        for blk in b.blocks() {
            body_calls(&blk.body, name, out);
        }
    }
    fn template_calls<'a>(t: &Template<'a>, name: &str, out: &mut Vec<&'a FuncCall<'a>>) {
        for el in t.iter() {
            match el {
                Element::Literal(_) => {}
                Element::Interpolation(i) => expr_calls(&i.expr, name, out),
                Element::Directive(Directive::If(d)) => {
                    expr_calls(&d.if_expr.cond_expr, name, out);
                    template_calls(&d.if_expr.template, name, out);
                    if let Some(e) = &d.else_expr {
                        template_calls(&e.template, name, out);
                    }
                }
                Element::Directive(Directive::For(d)) => {
                    expr_calls(&d.for_expr.collection_expr, name, out);
                    template_calls(&d.for_expr.template, name, out);
                }
            }
        }
    }
    fn expr_calls<'a>(e: &Expression<'a>, name: &str, out: &mut Vec<&'a FuncCall<'a>>) {
        match e {
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_)
            | Expression::Variable(_) => {}
            Expression::Array(items) => {
                for i in items.value().iter() {
                    expr_calls(i, name, out);
                }
            }
            Expression::Object(entries) => {
                for (k, v) in entries.value().iter() {
                    if let ObjectKey::Expression(k) = k {
                        expr_calls(k, name, out);
                    }
                    expr_calls(v, name, out);
                }
            }
            Expression::StringTemplate(t) => template_calls(t.value(), name, out),
            Expression::HeredocTemplate(h) => template_calls(&h.value().template, name, out),
            Expression::Parenthesis(p) => expr_calls(p.value(), name, out),
            Expression::Conditional(c) => {
                expr_calls(&c.cond_expr, name, out);
                expr_calls(&c.true_expr, name, out);
                expr_calls(&c.false_expr, name, out);
            }
            Expression::FuncCall(f) => {
                if f.name.namespace.is_empty() && f.name.name.as_str() == name {
                    out.push(f);
                }
                for a in f.args.iter() {
                    expr_calls(a, name, out);
                }
            }
            Expression::Traversal(t) => {
                expr_calls(&t.expr, name, out);
                for op in t.operators.iter() {
                    if let TraversalOperator::Index(i) = op.value() {
                        expr_calls(i, name, out);
                    }
                }
            }
            Expression::UnaryOp(u) => expr_calls(&u.expr, name, out),
            Expression::BinaryOp(b) => {
                expr_calls(&b.lhs_expr, name, out);
                expr_calls(&b.rhs_expr, name, out);
            }
            Expression::ForExpr(f) => {
                expr_calls(&f.intro.collection_expr, name, out);
                if let Some(k) = &f.key_expr {
                    expr_calls(k, name, out);
                }
                expr_calls(&f.value_expr, name, out);
                if let Some(c) = &f.cond {
                    expr_calls(&c.expr, name, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    body_calls(body, name, &mut out);
    out
}

pub fn from_body<'a>(arena: &'a Arena, b: &hs::Body) -> Body<'a> {
    body_at(arena, 0, b)
}

/// [`from_body`] of a text that starts at byte `base` of the file.
pub fn body_at<'a>(arena: &'a Arena, base: usize, b: &hs::Body) -> Body<'a> {
    Conv { arena, base }.body(b)
}

/// hcl-edit's template as our tree, in `arena`.
pub fn from_template<'a>(arena: &'a Arena, t: &ht::Template) -> Template<'a> {
    Conv { arena, base: 0 }.template(t)
}
