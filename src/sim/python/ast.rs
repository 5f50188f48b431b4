//! The syntax tree. Every expression keeps its span (start and end line and
//! column), as CPython's AST does: tracebacks underline with it.

pub use super::lexer::Span;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: E,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    MatMul,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "** or pow()",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::BitAnd => "&",
            BinOp::MatMul => "@",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Pos,
    Invert,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Is,
    IsNot,
    In,
    NotIn,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Arg {
    Pos(Expr),
    Star(Expr),
    Kw(Rc<str>, Expr),
    DStar(Expr),
}

#[derive(Debug, Clone)]
pub struct Comp {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

#[derive(Debug, Clone)]
pub enum FPart {
    Lit(String),
    Expr {
        expr: Box<Expr>,
        conv: Option<char>,
        spec: Option<Vec<FPart>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompKind {
    List,
    Set,
    Dict,
    Gen,
}

#[derive(Debug, Clone)]
pub enum E {
    Name(Rc<str>),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    FStr(Vec<FPart>),
    True,
    False,
    None,
    Ellipsis,
    BinOp(Box<Expr>, BinOp, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    /// `and` (true) / `or` (false) over two or more operands.
    BoolOp(bool, Vec<Expr>),
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    Call(Box<Expr>, Vec<Arg>),
    Attr(Box<Expr>, Rc<str>),
    Subscript(Box<Expr>, Box<Expr>),
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    /// Keys are `None` for `**mapping`.
    Dict(Vec<(Option<Expr>, Expr)>),
    Starred(Box<Expr>),
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    Lambda(Rc<FuncDef>),
    /// element (for a dict: key), value (dict only), generators
    Comp(CompKind, Box<Expr>, Option<Box<Expr>>, Rc<Vec<Comp>>),
    Named(Rc<str>, Box<Expr>),
    /// `yield x` (the value of the expression is what `send()` sent)
    Yield(Option<Box<Expr>>),
    /// `yield from it`
    YieldFrom(Box<Expr>),
    /// A big integer literal: evaluating it raises OverflowError.
    BigInt,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: Rc<str>,
    pub default: Option<Expr>,
}

#[derive(Debug, Clone)]
pub struct FuncDef {
    pub name: Rc<str>,
    pub params: Vec<Param>,
    /// how many of `params` are positional (the rest are keyword-only)
    pub n_pos: usize,
    pub vararg: Option<Rc<str>>,
    pub kwarg: Option<Rc<str>>,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
    pub is_lambda: bool,
    pub line: u32,
    /// has a `yield`: calling it makes a generator
    pub is_generator: bool,
}

#[derive(Debug, Clone)]
pub struct Handler {
    pub typ: Option<Expr>,
    pub name: Option<Rc<str>>,
    pub body: Vec<Stmt>,
    pub line: u32,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Stmt {
    pub kind: S,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum S {
    Expr(Expr),
    Assign(Vec<Expr>, Expr),
    AugAssign(Expr, BinOp, Expr),
    AnnAssign(Expr, Option<Expr>),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    For(Expr, Expr, Vec<Stmt>, Vec<Stmt>),
    Break,
    Continue,
    Pass,
    Return(Option<Expr>),
    Raise(Option<Expr>, Option<Expr>),
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    With(Vec<(Expr, Option<Expr>)>, Vec<Stmt>),
    Def(Rc<FuncDef>),
    Class {
        name: Rc<str>,
        bases: Vec<Expr>,
        body: Vec<Stmt>,
        decorators: Vec<Expr>,
    },
    /// `import a.b as c`: (dotted name, alias)
    Import(Vec<(Rc<str>, Option<Rc<str>>)>),
    /// `from m import a as b, c`; an empty list means `*`.
    ImportFrom(Rc<str>, Vec<(Rc<str>, Option<Rc<str>>)>),
    Global(Vec<Rc<str>>),
    Nonlocal(Vec<Rc<str>>),
    Del(Vec<Expr>),
    Assert(Expr, Option<Expr>),
}
