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

use std::ops::Range;

pub use hcl_edit::expr::{BinaryOperator, UnaryOperator};
pub use hcl_edit::Number;
use hcl_edit::Span as _;

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
#[derive(Debug, Clone, PartialEq)]
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

/// An identifier, a block label or a literal piece of text, with its span. Inline up to 24
/// bytes (most names): reading a file made an allocation per identifier.
pub type Ident = Spanned<compact_str::CompactString>;

impl Spanned<compact_str::CompactString> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attributes(&self) -> std::slice::Iter<'_, Attribute> {
        self.attributes.iter()
    }
    pub fn blocks(&self) -> std::slice::Iter<'_, Block> {
        self.blocks.iter()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: Ident,
    pub value: Expression,
    pub sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub ident: Ident,
    /// Identifier and quoted-string labels alike (evaluation reads only their text).
    pub labels: Labels,
    pub body: Body,
    pub sp: Sp,
}

impl Block {
    pub fn span(&self) -> Option<Range<usize>> {
        self.sp.range()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    Null(Sp),
    Bool(Spanned<bool>),
    Number(Spanned<Number>),
    /// A quoted string without interpolation, decoded: inline up to 24 bytes (most are
    /// shorter; evaluation copies it into a node's string of the same kind).
    String(Spanned<compact_str::CompactString>),
    Array(Spanned<Vec<Expression>>),
    Object(Spanned<Vec<(ObjectKey, Expression)>>),
    StringTemplate(Spanned<Template>),
    HeredocTemplate(Box<Spanned<HeredocTemplate>>),
    Parenthesis(Box<Spanned<Expression>>),
    Variable(Ident),
    Conditional(Box<Conditional>),
    FuncCall(Box<FuncCall>),
    Traversal(Box<Traversal>),
    UnaryOp(Box<UnaryOp>),
    BinaryOp(Box<BinaryOp>),
    ForExpr(Box<ForExpr>),
}

impl Expression {
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

    pub fn as_variable(&self) -> Option<&Ident> {
        match self {
            Expression::Variable(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectKey {
    Ident(Ident),
    Expression(Expression),
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeredocTemplate {
    pub template: Template,
}

impl Spanned<Expression> {
    /// A parenthesis' inner expression.
    pub fn inner(&self) -> &Expression {
        &self.value
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    pub cond_expr: Expression,
    pub true_expr: Expression,
    pub false_expr: Expression,
    pub sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncName {
    pub namespace: Vec<Ident>,
    pub name: Ident,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncArgs {
    pub args: Vec<Expression>,
    pub expand_final: bool,
}

impl FuncArgs {
    pub fn iter(&self) -> std::slice::Iter<'_, Expression> {
        self.args.iter()
    }
    pub fn expand_final(&self) -> bool {
        self.expand_final
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncCall {
    pub name: FuncName,
    pub args: FuncArgs,
    pub sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Traversal {
    pub expr: Expression,
    pub operators: Operators,
    pub sp: Sp,
}

/// A traversal's steps: inline up to three (`var.x`, `aws_iam_role.r.arn`,
/// `data.aws_iam_policy_document.d.json`: most references), a list of their own past that.
/// Reading a file allocated a list for every traversal, and freeing its tree freed each.
pub type Operators = smallvec::SmallVec<[Spanned<TraversalOperator>; 3]>;

/// A block's labels: inline up to two (no block Terraform defines has more).
pub type Labels = smallvec::SmallVec<[Ident; 2]>;

impl Traversal {
    /// A traversal built by evaluation: no span, as hcl-edit's `Traversal::new`.
    pub fn new(expr: Expression, operators: Vec<Spanned<TraversalOperator>>) -> Traversal {
        Traversal {
            expr,
            operators: operators.into(),
            sp: Sp::NONE,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TraversalOperator {
    AttrSplat,
    FullSplat,
    GetAttr(Ident),
    Index(Expression),
    LegacyIndex(Spanned<u64>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnaryOp {
    pub operator: Spanned<UnaryOperator>,
    pub expr: Expression,
    pub sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BinaryOp {
    pub lhs_expr: Expression,
    pub operator: Spanned<BinaryOperator>,
    pub rhs_expr: Expression,
    pub sp: Sp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForIntro {
    pub key_var: Option<Ident>,
    pub value_var: Ident,
    pub collection_expr: Expression,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForCond {
    pub expr: Expression,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    pub intro: ForIntro,
    pub key_expr: Option<Expression>,
    pub value_expr: Expression,
    pub grouping: bool,
    pub cond: Option<ForCond>,
    pub sp: Sp,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    pub elements: Vec<Element>,
}

impl Template {
    pub fn iter(&self) -> std::slice::Iter<'_, Element> {
        self.elements.iter()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    Literal(Spanned<String>),
    Interpolation(Interpolation),
    Directive(Box<Directive>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interpolation {
    pub expr: Expression,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Directive {
    If(IfDirective),
    For(ForDirective),
}

#[derive(Debug, Clone, PartialEq)]
pub struct IfDirective {
    pub if_expr: IfTemplateExpr,
    pub else_expr: Option<ElseTemplateExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IfTemplateExpr {
    pub cond_expr: Expression,
    pub template: Template,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ElseTemplateExpr {
    pub template: Template,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForDirective {
    pub for_expr: ForTemplateExpr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForTemplateExpr {
    pub key_var: Option<Ident>,
    pub value_var: Ident,
    pub collection_expr: Expression,
    pub template: Template,
}

// ---- Conversion from hcl-edit's tree ----

use hcl_edit::expr as he;
use hcl_edit::structure as hs;
use hcl_edit::template as ht;

fn ident(base: usize, i: &hcl_edit::Decorated<hcl_edit::Ident>) -> Ident {
    Spanned::new(i.as_str().into(), Sp::at(base, i.span()))
}

/// hcl-edit's body as our tree.
pub fn from_body(b: &hs::Body) -> Body {
    body_at(0, b)
}

/// [`from_body`] of a text that starts at byte `base` of the file.
pub fn body_at(base: usize, b: &hs::Body) -> Body {
    let mut out = Body::default();
    for s in b.iter() {
        match s {
            hs::Structure::Attribute(a) => out.attributes.push(Attribute {
                key: ident(base, &a.key),
                value: from_expr(base, &a.value),
                sp: Sp::at(base, a.span()),
            }),
            hs::Structure::Block(k) => out.blocks.push(Block {
                ident: ident(base, &k.ident),
                labels: k
                    .labels
                    .iter()
                    .map(|l| Spanned::new(l.as_str().into(), Sp::at(base, l.span())))
                    .collect(),
                body: body_at(base, &k.body),
                sp: Sp::at(base, k.span()),
            }),
        }
    }
    out
}

fn from_expr(base: usize, e: &he::Expression) -> Expression {
    let sp = Sp::at(base, e.span());
    match e {
        he::Expression::Null(_) => Expression::Null(sp),
        he::Expression::Bool(b) => Expression::Bool(Spanned::new(*b.value(), sp)),
        he::Expression::Number(n) => Expression::Number(Spanned::new(*n.value(), sp)),
        he::Expression::String(s) => {
            Expression::String(Spanned::new(s.value().as_str().into(), sp))
        }
        he::Expression::Array(a) => Expression::Array(Spanned::new(
            a.iter().map(|x| from_expr(base, x)).collect(),
            sp,
        )),
        he::Expression::Object(o) => Expression::Object(Spanned::new(
            o.iter()
                .map(|(k, v)| {
                    let k = match k {
                        he::ObjectKey::Ident(i) => ObjectKey::Ident(ident(base, i)),
                        he::ObjectKey::Expression(x) => ObjectKey::Expression(from_expr(base, x)),
                    };
                    (k, from_expr(base, v.expr()))
                })
                .collect(),
            sp,
        )),
        he::Expression::StringTemplate(t) => {
            Expression::StringTemplate(Spanned::new(template_at(base, t), sp))
        }
        he::Expression::HeredocTemplate(h) => Expression::HeredocTemplate(Box::new(Spanned::new(
            HeredocTemplate {
                template: template_at(base, &h.template),
            },
            sp,
        ))),
        he::Expression::Parenthesis(p) => {
            Expression::Parenthesis(Box::new(Spanned::new(from_expr(base, p.inner()), sp)))
        }
        he::Expression::Variable(v) => Expression::Variable(ident(base, v)),
        he::Expression::Conditional(c) => Expression::Conditional(Box::new(Conditional {
            cond_expr: from_expr(base, &c.cond_expr),
            true_expr: from_expr(base, &c.true_expr),
            false_expr: from_expr(base, &c.false_expr),
            sp,
        })),
        he::Expression::FuncCall(f) => Expression::FuncCall(Box::new(FuncCall {
            name: FuncName {
                namespace: f.name.namespace.iter().map(|i| ident(base, i)).collect(),
                name: ident(base, &f.name.name),
            },
            args: FuncArgs {
                args: f.args.iter().map(|x| from_expr(base, x)).collect(),
                expand_final: f.args.expand_final(),
            },
            sp,
        })),
        he::Expression::Traversal(t) => Expression::Traversal(Box::new(Traversal {
            expr: from_expr(base, &t.expr),
            operators: t
                .operators
                .iter()
                .map(|o| {
                    let v = match o.value() {
                        he::TraversalOperator::AttrSplat(_) => TraversalOperator::AttrSplat,
                        he::TraversalOperator::FullSplat(_) => TraversalOperator::FullSplat,
                        he::TraversalOperator::GetAttr(i) => {
                            TraversalOperator::GetAttr(ident(base, i))
                        }
                        he::TraversalOperator::Index(x) => {
                            TraversalOperator::Index(from_expr(base, x))
                        }
                        he::TraversalOperator::LegacyIndex(i) => TraversalOperator::LegacyIndex(
                            Spanned::new(*i.value(), Sp::at(base, i.span())),
                        ),
                    };
                    Spanned::new(v, Sp::at(base, o.span()))
                })
                .collect(),
            sp,
        })),
        he::Expression::UnaryOp(u) => Expression::UnaryOp(Box::new(UnaryOp {
            operator: Spanned::new(*u.operator.value(), Sp::at(base, u.operator.span())),
            expr: from_expr(base, &u.expr),
            sp,
        })),
        he::Expression::BinaryOp(b) => Expression::BinaryOp(Box::new(BinaryOp {
            lhs_expr: from_expr(base, &b.lhs_expr),
            operator: Spanned::new(*b.operator.value(), Sp::at(base, b.operator.span())),
            rhs_expr: from_expr(base, &b.rhs_expr),
            sp,
        })),
        he::Expression::ForExpr(f) => Expression::ForExpr(Box::new(ForExpr {
            intro: ForIntro {
                key_var: f.intro.key_var.as_ref().map(|i| ident(base, i)),
                value_var: ident(base, &f.intro.value_var),
                collection_expr: from_expr(base, &f.intro.collection_expr),
            },
            key_expr: f.key_expr.as_ref().map(|x| from_expr(base, x)),
            value_expr: from_expr(base, &f.value_expr),
            grouping: f.grouping,
            cond: f.cond.as_ref().map(|c| ForCond {
                expr: from_expr(base, &c.expr),
            }),
            sp,
        })),
    }
}

pub fn from_template(t: &ht::Template) -> Template {
    template_at(0, t)
}

fn template_at(base: usize, t: &ht::Template) -> Template {
    Template {
        elements: t
            .iter()
            .map(|el| match el {
                ht::Element::Literal(l) => {
                    Element::Literal(Spanned::new(l.value().clone(), Sp::at(base, l.span())))
                }
                ht::Element::Interpolation(i) => Element::Interpolation(Interpolation {
                    expr: from_expr(base, &i.expr),
                }),
                ht::Element::Directive(d) => Element::Directive(Box::new(match &**d {
                    ht::Directive::If(i) => Directive::If(IfDirective {
                        if_expr: IfTemplateExpr {
                            cond_expr: from_expr(base, &i.if_expr.cond_expr),
                            template: template_at(base, &i.if_expr.template),
                        },
                        else_expr: i.else_expr.as_ref().map(|e| ElseTemplateExpr {
                            template: template_at(base, &e.template),
                        }),
                    }),
                    ht::Directive::For(f) => Directive::For(ForDirective {
                        for_expr: ForTemplateExpr {
                            key_var: f.for_expr.key_var.as_ref().map(|i| ident(base, i)),
                            value_var: ident(base, &f.for_expr.value_var),
                            collection_expr: from_expr(base, &f.for_expr.collection_expr),
                            template: template_at(base, &f.for_expr.template),
                        },
                    }),
                })),
            })
            .collect(),
    }
}
