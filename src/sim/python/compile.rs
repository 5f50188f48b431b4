//! From the syntax tree to bytecode: one [`Code`] per module, function,
//! lambda, class body and comprehension, as CPython compiles them.
//!
//! Scopes are resolved first (which names are local, global, captured by an
//! inner function — "cells" — or read from an enclosing one — "free"), the
//! way CPython's symtable does. Every instruction keeps the span of the
//! expression it evaluates, for tracebacks; every statement starts with an
//! [`Op::Stmt`], the boundary at which a step ends.

use super::ast::*;
use super::value::{Heap, Sym, Value};
use super::SyntaxErr;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// A statement starts here (its line).
    Stmt(u32),
    Const(u32),
    LoadFast(u32),
    StoreFast(u32),
    DelFast(u32),
    LoadDeref(u32),
    StoreDeref(u32),
    DelDeref(u32),
    LoadGlobal(Sym),
    StoreGlobal(Sym),
    DelGlobal(Sym),
    LoadName(Sym),
    StoreName(Sym),
    DelName(Sym),
    /// a class body reading a name it may also have from an enclosing function
    LoadClassDeref(Sym, u32),
    LoadAttr(Sym),
    StoreAttr(Sym),
    DelAttr(Sym),
    /// obj → (method, self) or (callable, NULL)
    LoadMethod(Sym),
    CallMethod(u32),
    /// argc, index of the keyword names in `Code::kwnames`
    CallMethodKw(u32, u32),
    Subscr,
    StoreSubscr,
    DelSubscr,
    Bin(BinOp),
    Inplace(BinOp),
    Unary(UnOp),
    Cmp(CmpOp),
    Pop,
    Dup,
    Dup2,
    Rot2,
    Rot3,
    BuildTuple(u32),
    BuildList(u32),
    BuildSet(u32),
    BuildMap(u32),
    BuildSlice(u32),
    BuildStr(u32),
    ListAppend(u32),
    SetAdd(u32),
    MapAdd(u32),
    ListExtend(u32),
    SetUpdate(u32),
    DictUpdate(u32),
    ListToTuple,
    /// conversion (0 none, 1 str, 2 repr, 3 ascii) + 4 if a spec is on the stack
    Format(u32),
    Jump(u32),
    JumpIfFalse(u32),
    JumpIfTrue(u32),
    JumpIfFalseOrPop(u32),
    JumpIfTrueOrPop(u32),
    GetIter,
    ForIter(u32),
    Unpack(u32),
    UnpackEx(u32, u32),
    Call(u32),
    CallKw(u32, u32),
    /// f, args tuple [, kwargs dict]
    CallEx(bool),
    /// `f(*x)`: extend the argument list (the callee is below it)
    CallStar,
    /// `f(**x)`: update the keyword dict (the callee is two below it)
    CallDStar,
    MakeFunction(u32),
    /// class body code, number of bases
    BuildClass(u32, u32),
    Return,
    Raise(u32),
    Reraise,
    SetupExcept(u32),
    SetupFinally(u32),
    SetupWith(u32),
    PopBlock,
    PopExcept,
    ExcMatch,
    BeforeWith,
    WithExitNormal,
    WithExcept,
    WithExceptCheck,
    ImportName(Sym),
    ImportFrom(Sym),
    ImportStar,
    /// raise OverflowError: an integer literal too big for 64 bits
    BigInt,
    /// a generator hands the value on top to whoever resumed it; when it
    /// is resumed, the sent value is pushed
    Yield,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    Module,
    Function,
    Class,
    Comprehension,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub filename: Rc<str>,
    pub kind: CodeKind,
    pub ops: Vec<Op>,
    pub spans: Vec<Span>,
    pub consts: Vec<Value>,
    pub codes: Vec<Rc<Code>>,
    pub kwnames: Vec<Vec<Sym>>,
    /// local variable names: positional params, keyword-only params,
    /// *args, **kwargs, then the other locals
    pub varnames: Vec<Sym>,
    pub n_pos: u32,
    pub n_kwonly: u32,
    pub vararg: bool,
    pub kwarg: bool,
    pub n_defaults: u32,
    pub kwdefault_names: Vec<Sym>,
    /// cell variables (captured by inner functions), then free variables
    pub cellvars: Vec<Sym>,
    pub freevars: Vec<Sym>,
    /// for each cell variable that is a parameter: (param index, cell index)
    pub cell_args: Vec<(u32, u32)>,
    /// for each free variable: its index in the enclosing frame's cells
    pub free_from: Vec<u32>,
    pub first_line: u32,
    /// calling it makes a generator
    pub generator: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Function,
    Class,
    Comp,
}

#[derive(Debug, Default, Clone)]
struct ScopeData {
    kind: Option<ScopeKind>,
    params: Vec<Rc<str>>,
    bound: Vec<Rc<str>>,
    used: Vec<Rc<str>>,
    globals: Vec<Rc<str>>,
    nonlocals: Vec<Rc<str>>,
    children: Vec<usize>,
    cells: Vec<Rc<str>>,
    frees: Vec<Rc<str>>,
    uses_super: bool,
}

fn add(v: &mut Vec<Rc<str>>, n: &Rc<str>) {
    if !v.contains(n) {
        v.push(n.clone());
    }
}

/// Scope analysis: walks the tree once, recording each scope by the address
/// of its node (a function's `Rc<FuncDef>`, a comprehension's generators, a
/// class body).
struct Symtable {
    scopes: Scopes,
    stack: Vec<usize>,
    errors: Vec<(String, Span)>,
}

/// Scope data by node address: a few dozen, searched in order (a `BTreeMap`
/// would bring its node code into the wasm bundle).
#[derive(Default)]
struct Scopes(Vec<(usize, ScopeData)>);

impl Scopes {
    fn get(&self, k: &usize) -> Option<&ScopeData> {
        self.0.iter().find(|(key, _)| key == k).map(|(_, s)| s)
    }
    fn get_mut(&mut self, k: &usize) -> Option<&mut ScopeData> {
        self.0.iter_mut().find(|(key, _)| key == k).map(|(_, s)| s)
    }
    fn entry(&mut self, k: usize) -> &mut ScopeData {
        let i = match self.0.iter().position(|(key, _)| *key == k) {
            Some(i) => i,
            None => {
                self.0.push((k, ScopeData::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }
}

impl Symtable {
    fn cur(&mut self) -> &mut ScopeData {
        let k = self.stack.last().copied().unwrap_or(0);
        self.scopes.entry(k)
    }
    fn bind(&mut self, n: &Rc<str>) {
        let s = self.cur();
        add(&mut s.bound, n);
    }
    fn use_name(&mut self, n: &Rc<str>) {
        let s = self.cur();
        add(&mut s.used, n);
        if &**n == "super" {
            s.uses_super = true;
        }
    }
    fn push(&mut self, key: usize, kind: ScopeKind) {
        if let Some(&parent) = self.stack.last() {
            self.scopes.entry(parent).children.push(key);
        }
        let s = self.scopes.entry(key);
        s.kind = Some(kind);
        self.stack.push(key);
    }
    fn pop(&mut self) {
        self.stack.pop();
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn target(&mut self, t: &Expr) {
        match &t.kind {
            E::Name(n) => self.bind(n),
            E::Tuple(items) | E::List(items) => {
                for i in items {
                    self.target(i);
                }
            }
            E::Starred(i) => self.target(i),
            _ => self.expr(t),
        }
    }

    fn func(&mut self, f: &Rc<FuncDef>) {
        for d in &f.decorators {
            self.expr(d);
        }
        for p in &f.params {
            if let Some(d) = &p.default {
                self.expr(d);
            }
        }
        let key = Rc::as_ptr(f) as usize;
        self.push(key, ScopeKind::Function);
        let mut params: Vec<Rc<str>> = f.params.iter().map(|p| p.name.clone()).collect();
        params.extend(f.vararg.iter().cloned());
        params.extend(f.kwarg.iter().cloned());
        for p in &params {
            self.bind(p);
        }
        self.cur().params = params;
        self.stmts(&f.body);
        self.pop();
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            S::Expr(e) => self.expr(e),
            S::Assign(ts, v) => {
                self.expr(v);
                for t in ts {
                    self.target(t);
                }
            }
            S::AugAssign(t, _, v) => {
                self.expr(v);
                if let E::Name(n) = &t.kind {
                    self.use_name(n);
                }
                self.target(t);
            }
            S::AnnAssign(t, v) => {
                if let Some(v) = v {
                    self.expr(v);
                    self.target(t);
                }
            }
            S::If(t, b, o) | S::While(t, b, o) => {
                self.expr(t);
                self.stmts(b);
                self.stmts(o);
            }
            S::For(t, it, b, o) => {
                self.expr(it);
                self.target(t);
                self.stmts(b);
                self.stmts(o);
            }
            S::Break | S::Continue | S::Pass => {}
            S::Return(v) => {
                if let Some(v) = v {
                    self.expr(v);
                }
            }
            S::Raise(a, b) => {
                if let Some(a) = a {
                    self.expr(a);
                }
                if let Some(b) = b {
                    self.expr(b);
                }
            }
            S::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.stmts(body);
                for h in handlers {
                    if let Some(t) = &h.typ {
                        self.expr(t);
                    }
                    if let Some(n) = &h.name {
                        self.bind(n);
                    }
                    self.stmts(&h.body);
                }
                self.stmts(orelse);
                self.stmts(finalbody);
            }
            S::With(items, body) => {
                for (e, t) in items {
                    self.expr(e);
                    if let Some(t) = t {
                        self.target(t);
                    }
                }
                self.stmts(body);
            }
            S::Def(f) => {
                self.func(f);
                self.bind(&f.name);
            }
            S::Class {
                name,
                bases,
                body,
                decorators,
            } => {
                for d in decorators {
                    self.expr(d);
                }
                for b in bases {
                    self.expr(b);
                }
                self.push(body.as_ptr() as usize, ScopeKind::Class);
                self.stmts(body);
                self.pop();
                self.bind(name);
            }
            S::Import(names) => {
                for (n, a) in names {
                    let b: Rc<str> = match a {
                        Some(a) => a.clone(),
                        None => n.split('.').next().unwrap_or("").into(),
                    };
                    self.bind(&b);
                }
            }
            S::ImportFrom(_, names) => {
                if names.is_empty() && self.cur().kind != Some(ScopeKind::Module) {
                    self.errors
                        .push(("import * only allowed at module level".into(), s.span));
                }
                for (n, a) in names {
                    self.bind(a.as_ref().unwrap_or(n));
                }
            }
            S::Global(names) => {
                for n in names {
                    let sc = self.cur();
                    if sc.kind != Some(ScopeKind::Module) {
                        add(&mut sc.globals, n);
                    }
                }
            }
            S::Nonlocal(names) => {
                let is_module = self.cur().kind == Some(ScopeKind::Module);
                if is_module {
                    self.errors.push((
                        "nonlocal declaration not allowed at module level".into(),
                        s.span,
                    ));
                }
                for n in names {
                    add(&mut self.cur().nonlocals, n);
                }
            }
            S::Del(ts) => {
                for t in ts {
                    self.target(t);
                }
            }
            S::Assert(t, m) => {
                self.expr(t);
                if let Some(m) = m {
                    self.expr(m);
                }
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            E::Name(n) => self.use_name(n),
            E::Int(_)
            | E::Float(_)
            | E::Str(_)
            | E::Bytes(_)
            | E::True
            | E::False
            | E::None
            | E::Ellipsis
            | E::BigInt => {}
            E::FStr(parts) => self.fparts(parts),
            E::BinOp(a, _, b) => {
                self.expr(a);
                self.expr(b);
            }
            E::Unary(_, a) | E::Starred(a) | E::Attr(a, _) => self.expr(a),
            E::BoolOp(_, items) | E::List(items) | E::Tuple(items) | E::Set(items) => {
                for i in items {
                    self.expr(i);
                }
            }
            E::Compare(a, rest) => {
                self.expr(a);
                for (_, b) in rest {
                    self.expr(b);
                }
            }
            E::Call(f, args) => {
                self.expr(f);
                for a in args {
                    match a {
                        Arg::Pos(e) | Arg::Star(e) | Arg::Kw(_, e) | Arg::DStar(e) => self.expr(e),
                    }
                }
            }
            E::Subscript(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            E::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.expr(x);
                }
            }
            E::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.expr(k);
                    }
                    self.expr(v);
                }
            }
            E::IfExp(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            E::Lambda(f) => self.func(f),
            E::Comp(_, elt, val, gens) => {
                if let Some(first) = gens.first() {
                    self.expr(&first.iter);
                }
                self.push(Rc::as_ptr(gens) as usize, ScopeKind::Comp);
                self.bind(&Rc::from(".0"));
                for (i, g) in gens.iter().enumerate() {
                    if i > 0 {
                        self.expr(&g.iter);
                    }
                    self.target(&g.target);
                    for c in &g.ifs {
                        self.expr(c);
                    }
                }
                self.expr(elt);
                if let Some(v) = val {
                    self.expr(v);
                }
                self.pop();
            }
            E::Yield(v) => {
                if let Some(v) = v {
                    self.expr(v);
                }
            }
            E::YieldFrom(v) => self.expr(v),
            E::Named(n, v) => {
                self.expr(v);
                // binds in the enclosing function (or module), not in a
                // comprehension
                let mut comps = Vec::new();
                let mut i = self.stack.len();
                while i > 0 {
                    i -= 1;
                    let key = self.stack.get(i).copied().unwrap_or(0);
                    let kind = self.scopes.get(&key).and_then(|s| s.kind);
                    if kind != Some(ScopeKind::Comp) {
                        if let Some(s) = self.scopes.get_mut(&key) {
                            add(&mut s.bound, n);
                        }
                        for c in comps {
                            if let Some(s) = self.scopes.get_mut(&c) {
                                if kind == Some(ScopeKind::Module) {
                                    add(&mut s.globals, n);
                                } else {
                                    add(&mut s.nonlocals, n);
                                }
                            }
                        }
                        break;
                    }
                    comps.push(key);
                }
            }
        }
    }

    fn fparts(&mut self, parts: &[FPart]) {
        for p in parts {
            if let FPart::Expr { expr, spec, .. } = p {
                self.expr(expr);
                if let Some(s) = spec {
                    self.fparts(s);
                }
            }
        }
    }

    /// Decides cells and free variables; returns the free names `key` needs.
    fn resolve(&mut self, key: usize, visible: &[Rc<str>]) -> Vec<Rc<str>> {
        let Some(s) = self.scopes.get(&key).cloned() else {
            return Vec::new();
        };
        let kind = s.kind.unwrap_or(ScopeKind::Module);
        let funclike = matches!(kind, ScopeKind::Function | ScopeKind::Comp);
        let locals: Vec<Rc<str>> = s
            .bound
            .iter()
            .filter(|n| !s.globals.contains(n) && !s.nonlocals.contains(n))
            .cloned()
            .collect();
        let mut child_visible: Vec<Rc<str>> = visible.to_vec();
        if funclike {
            for n in &locals {
                add(&mut child_visible, n);
            }
        }
        let mut needed = Vec::new();
        for c in &s.children {
            for n in self.resolve(*c, &child_visible) {
                add(&mut needed, &n);
            }
        }
        let mut cells = Vec::new();
        let mut frees = Vec::new();
        for n in &s.nonlocals {
            if visible.contains(n) {
                add(&mut frees, n);
            } else if kind != ScopeKind::Comp {
                self.errors.push((
                    format!("no binding for nonlocal '{n}' found"),
                    Span::default(),
                ));
            }
        }
        match kind {
            ScopeKind::Module => {}
            ScopeKind::Function | ScopeKind::Comp => {
                for n in &s.used {
                    if !locals.contains(n) && !s.globals.contains(n) && visible.contains(n) {
                        add(&mut frees, n);
                    }
                }
                for n in &needed {
                    if locals.contains(n) {
                        add(&mut cells, n);
                    } else if !s.globals.contains(n) {
                        add(&mut frees, n);
                    }
                }
            }
            ScopeKind::Class => {
                for n in &s.used {
                    if !s.bound.contains(n) && !s.globals.contains(n) && visible.contains(n) {
                        add(&mut frees, n);
                    }
                }
                for n in &needed {
                    add(&mut frees, n);
                }
            }
        }
        if let Some(sm) = self.scopes.get_mut(&key) {
            sm.cells = cells;
            sm.frees = frees.clone();
        }
        frees
    }
}

/// What a `break`/`continue`/`return` must undo on its way out.
#[derive(Debug, Clone, Copy)]
enum FBlock {
    /// a `for` loop: its iterator is on the stack
    For {
        head: usize,
    },
    While {
        head: usize,
    },
    /// inside `try:` of try/except: pop the handler block
    Try,
    /// inside `try:` of try/finally: pop the block, run the finally body
    Finally(usize),
    /// inside an except handler (or a finally run for an exception):
    /// pop the handler; `true` if the exception is still on the stack
    Handler(bool),
    /// inside `with`: pop the block, call __exit__
    With,
}

struct Unit {
    code: Code,
    kind: ScopeKind,
    scope: ScopeData,
    fblocks: Vec<FBlock>,
    /// loops: (index into fblocks, break jump sites)
    breaks: Vec<Vec<usize>>,
    span: Span,
}

pub struct Compiler<'a> {
    heap: &'a mut Heap,
    filename: Rc<str>,
    table: Symtable,
    units: Vec<Unit>,
    /// finally bodies by address, for inlining on `return`/`break`
    finally_bodies: Vec<&'a [Stmt]>,
    lines: Vec<String>,
    /// compile-time SyntaxWarnings: (line, message)
    pub warnings: Vec<(u32, String)>,
}

type CR<T> = Result<T, Box<SyntaxErr>>;

/// A compiled module and its compile-time SyntaxWarnings (line, message).
pub type Compiled = (Rc<Code>, Vec<(u32, String)>);

/// Compiles a module. `heap` interns the names.
pub fn compile_module<'a>(
    body: &'a [Stmt],
    heap: &'a mut Heap,
    filename: &str,
    source: &str,
) -> Result<Compiled, Box<SyntaxErr>> {
    let mut table = Symtable {
        scopes: Scopes::default(),
        stack: Vec::new(),
        errors: Vec::new(),
    };
    table.push(0, ScopeKind::Module);
    table.stmts(body);
    table.pop();
    table.resolve(0, &[]);
    let lines: Vec<String> = source
        .split('\n')
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect();
    if let Some((msg, span)) = table.errors.first().cloned() {
        return Err(Box::new(SyntaxErr::at(msg, filename, span, &lines)));
    }
    let scope = table.scopes.get(&0).cloned().unwrap_or_default();
    let mut c = Compiler {
        heap,
        filename: filename.into(),
        table,
        units: Vec::new(),
        finally_bodies: Vec::new(),
        lines,
        warnings: Vec::new(),
    };
    c.units.push(Unit {
        code: c.new_code("<module>".into(), "<module>".into(), CodeKind::Module, 1),
        kind: ScopeKind::Module,
        scope,
        fblocks: Vec::new(),
        breaks: Vec::new(),
        span: Span::default(),
    });
    c.body(body)?;
    c.emit(Op::Const(0));
    c.emit(Op::Return);
    let u = c.units.pop().map(|u| u.code);
    let warnings = std::mem::take(&mut c.warnings);
    Ok((Rc::new(u.unwrap_or_else(|| empty_code(filename))), warnings))
}

fn empty_code(filename: &str) -> Code {
    Code {
        name: "<module>".into(),
        qualname: "<module>".into(),
        filename: filename.into(),
        kind: CodeKind::Module,
        ops: vec![Op::Const(0), Op::Return],
        spans: vec![Span::default(); 2],
        consts: vec![Value::None],
        codes: Vec::new(),
        kwnames: Vec::new(),
        varnames: Vec::new(),
        n_pos: 0,
        n_kwonly: 0,
        vararg: false,
        kwarg: false,
        n_defaults: 0,
        kwdefault_names: Vec::new(),
        cellvars: Vec::new(),
        freevars: Vec::new(),
        cell_args: Vec::new(),
        free_from: Vec::new(),
        first_line: 1,
        generator: false,
    }
}

impl<'a> Compiler<'a> {
    fn new_code(&self, name: Rc<str>, qualname: Rc<str>, kind: CodeKind, line: u32) -> Code {
        let mut c = empty_code(&self.filename);
        c.name = name;
        c.qualname = qualname;
        c.kind = kind;
        c.ops.clear();
        c.spans.clear();
        c.first_line = line;
        c
    }

    fn unit(&mut self) -> &mut Unit {
        let n = self.units.len();
        // there is always a unit while compiling
        &mut self.units[n - 1]
    }
    fn code(&mut self) -> &mut Code {
        &mut self.unit().code
    }
    fn emit(&mut self, op: Op) -> usize {
        let span = self.unit().span;
        let c = self.code();
        c.ops.push(op);
        c.spans.push(span);
        c.ops.len() - 1
    }
    fn here(&mut self) -> usize {
        self.code().ops.len()
    }
    fn patch(&mut self, at: usize, target: usize) {
        let t = target as u32;
        if let Some(op) = self.code().ops.get_mut(at) {
            *op = match *op {
                Op::Jump(_) => Op::Jump(t),
                Op::JumpIfFalse(_) => Op::JumpIfFalse(t),
                Op::JumpIfTrue(_) => Op::JumpIfTrue(t),
                Op::JumpIfFalseOrPop(_) => Op::JumpIfFalseOrPop(t),
                Op::JumpIfTrueOrPop(_) => Op::JumpIfTrueOrPop(t),
                Op::ForIter(_) => Op::ForIter(t),
                Op::SetupExcept(_) => Op::SetupExcept(t),
                Op::SetupFinally(_) => Op::SetupFinally(t),
                Op::SetupWith(_) => Op::SetupWith(t),
                other => other,
            };
        }
    }
    fn set_span(&mut self, s: Span) -> Span {
        std::mem::replace(&mut self.unit().span, s)
    }
    fn constant(&mut self, v: Value) -> u32 {
        let c = self.code();
        if let Some(i) = c.consts.iter().position(|x| *x == v) {
            return i as u32;
        }
        c.consts.push(v);
        (c.consts.len() - 1) as u32
    }
    fn load_const(&mut self, v: Value) {
        let i = self.constant(v);
        self.emit(Op::Const(i));
    }
    fn sym(&mut self, s: &str) -> Sym {
        self.heap.intern(s)
    }
    fn error<T>(&self, msg: impl Into<String>, span: Span) -> CR<T> {
        Err(Box::new(SyntaxErr::at(
            msg.into(),
            &self.filename,
            span,
            &self.lines,
        )))
    }

    fn fast_index(&mut self, name: &str) -> u32 {
        let s = self.heap.intern(name);
        let c = &mut self.unit().code;
        if let Some(i) = c.varnames.iter().position(|x| *x == s) {
            return i as u32;
        }
        c.varnames.push(s);
        (c.varnames.len() - 1) as u32
    }

    fn cell_index(&mut self, name: &str) -> Option<u32> {
        let u = self.units.last()?;
        if let Some(i) = u.scope.cells.iter().position(|n| &**n == name) {
            return Some(i as u32);
        }
        let nc = u.scope.cells.len();
        u.scope
            .frees
            .iter()
            .position(|n| &**n == name)
            .map(|i| (nc + i) as u32)
    }

    fn load_name(&mut self, name: &Rc<str>) {
        let s = self.sym(name);
        let (kind, is_global, is_local) = {
            let u = self.unit();
            (
                u.kind,
                u.scope.globals.contains(name),
                u.scope.bound.contains(name),
            )
        };
        match kind {
            ScopeKind::Module => {
                self.emit(Op::LoadName(s));
            }
            ScopeKind::Class => {
                if let Some(ci) = self.cell_index(name) {
                    self.emit(Op::LoadClassDeref(s, ci));
                } else if is_global {
                    self.emit(Op::LoadGlobal(s));
                } else {
                    self.emit(Op::LoadName(s));
                }
            }
            ScopeKind::Function | ScopeKind::Comp => {
                if is_global {
                    self.emit(Op::LoadGlobal(s));
                } else if let Some(ci) = self.cell_index(name) {
                    self.emit(Op::LoadDeref(ci));
                } else if is_local {
                    let i = self.fast_index(name);
                    self.emit(Op::LoadFast(i));
                } else {
                    self.emit(Op::LoadGlobal(s));
                }
            }
        }
    }

    fn store_name(&mut self, name: &Rc<str>, del: bool) {
        let s = self.sym(name);
        let (kind, is_global) = {
            let u = self.unit();
            (u.kind, u.scope.globals.contains(name))
        };
        let op = match kind {
            ScopeKind::Module => {
                if del {
                    Op::DelName(s)
                } else {
                    Op::StoreName(s)
                }
            }
            ScopeKind::Class => {
                if is_global {
                    if del {
                        Op::DelGlobal(s)
                    } else {
                        Op::StoreGlobal(s)
                    }
                } else if del {
                    Op::DelName(s)
                } else {
                    Op::StoreName(s)
                }
            }
            ScopeKind::Function | ScopeKind::Comp => {
                if is_global {
                    if del {
                        Op::DelGlobal(s)
                    } else {
                        Op::StoreGlobal(s)
                    }
                } else if let Some(ci) = self.cell_index(name) {
                    if del {
                        Op::DelDeref(ci)
                    } else {
                        Op::StoreDeref(ci)
                    }
                } else {
                    let i = self.fast_index(name);
                    if del {
                        Op::DelFast(i)
                    } else {
                        Op::StoreFast(i)
                    }
                }
            }
        };
        self.emit(op);
    }

    // ------------------------------------------------------------ statements

    fn body(&mut self, body: &'a [Stmt]) -> CR<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> CR<()> {
        self.set_span(s.span);
        self.emit(Op::Stmt(s.span.line));
        match &s.kind {
            S::Expr(e) => {
                self.expr(e)?;
                self.set_span(s.span);
                self.emit(Op::Pop);
            }
            S::Assign(targets, value) => {
                self.expr(value)?;
                let n = targets.len();
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < n {
                        self.emit(Op::Dup);
                    }
                    self.assign(t)?;
                }
            }
            S::AnnAssign(t, v) => {
                if let Some(v) = v {
                    self.expr(v)?;
                    self.assign(t)?;
                }
            }
            S::AugAssign(t, op, v) => self.aug_assign(t, *op, v)?,
            S::If(test, body, orelse) => {
                self.expr(test)?;
                let j = self.emit(Op::JumpIfFalse(0));
                self.body(body)?;
                if orelse.is_empty() {
                    let h = self.here();
                    self.patch(j, h);
                } else {
                    let j2 = self.emit(Op::Jump(0));
                    let h = self.here();
                    self.patch(j, h);
                    self.body(orelse)?;
                    let h = self.here();
                    self.patch(j2, h);
                }
            }
            S::While(test, body, orelse) => {
                // the Stmt marker above is the loop head: each test is a step
                let head = self.here() - 1;
                self.expr(test)?;
                let j = self.emit(Op::JumpIfFalse(0));
                self.unit().fblocks.push(FBlock::While { head });
                self.unit().breaks.push(Vec::new());
                self.body(body)?;
                self.set_span(s.span);
                self.emit(Op::Jump(head as u32));
                self.unit().fblocks.pop();
                let breaks = self.unit().breaks.pop().unwrap_or_default();
                let h = self.here();
                self.patch(j, h);
                self.body(orelse)?;
                let end = self.here();
                for b in breaks {
                    self.patch(b, end);
                }
            }
            S::For(target, iter, body, orelse) => {
                self.expr(iter)?;
                // CPython locates GET_ITER/FOR_ITER at the whole statement
                self.set_span(s.span);
                self.emit(Op::GetIter);
                self.set_span(s.span);
                let skip = self.emit(Op::Jump(0));
                let head = self.emit(Op::Stmt(s.span.line));
                let h = self.here();
                self.patch(skip, h);
                let fi = self.emit(Op::ForIter(0));
                self.assign(target)?;
                self.unit().fblocks.push(FBlock::For { head });
                self.unit().breaks.push(Vec::new());
                self.body(body)?;
                self.set_span(s.span);
                self.emit(Op::Jump(head as u32));
                self.unit().fblocks.pop();
                let breaks = self.unit().breaks.pop().unwrap_or_default();
                let h = self.here();
                self.patch(fi, h);
                self.body(orelse)?;
                let end = self.here();
                for b in breaks {
                    self.patch(b, end);
                }
            }
            S::Break | S::Continue => {
                let is_break = matches!(s.kind, S::Break);
                // find the innermost loop
                let fbs = self.unit().fblocks.clone();
                let Some(li) = fbs
                    .iter()
                    .rposition(|f| matches!(f, FBlock::For { .. } | FBlock::While { .. }))
                else {
                    return self.error(
                        if is_break {
                            "'break' outside loop"
                        } else {
                            "'continue' not properly in loop"
                        },
                        s.span,
                    );
                };
                for i in (li + 1..fbs.len()).rev() {
                    self.unwind_fblock(fbs[i], false)?;
                }
                match fbs[li] {
                    FBlock::For { head } | FBlock::While { head } => {
                        if is_break {
                            if matches!(fbs[li], FBlock::For { .. }) {
                                self.emit(Op::Pop);
                            }
                            let j = self.emit(Op::Jump(0));
                            let nloops = fbs[..li]
                                .iter()
                                .filter(|f| matches!(f, FBlock::For { .. } | FBlock::While { .. }))
                                .count();
                            if let Some(b) = self.unit().breaks.get_mut(nloops) {
                                b.push(j);
                            }
                        } else {
                            self.emit(Op::Jump(head as u32));
                        }
                    }
                    _ => {}
                }
            }
            S::Pass => {}
            S::Return(v) => {
                if !matches!(self.unit().kind, ScopeKind::Function) {
                    return self.error("'return' outside function", s.span);
                }
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::None),
                }
                self.set_span(s.span);
                let fbs = self.unit().fblocks.clone();
                for f in fbs.iter().rev() {
                    self.unwind_fblock(*f, true)?;
                }
                self.emit(Op::Return);
            }
            S::Raise(exc, cause) => {
                let mut n = 0;
                if let Some(e) = exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.set_span(s.span);
                self.emit(Op::Raise(n));
            }
            S::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                if finalbody.is_empty() {
                    self.try_except(body, handlers, orelse)?;
                } else {
                    self.try_finally(s, body, handlers, orelse, finalbody)?;
                }
            }
            S::With(items, body) => self.with(items, body, s.span)?,
            S::Def(f) => {
                for d in &f.decorators {
                    self.expr(d)?;
                }
                self.set_span(s.span);
                self.function(f, s.span)?;
                for _ in &f.decorators {
                    self.emit(Op::Call(1));
                }
                self.store_name(&f.name, false);
            }
            S::Class {
                name,
                bases,
                body,
                decorators,
            } => {
                for d in decorators {
                    self.expr(d)?;
                }
                for b in bases {
                    self.expr(b)?;
                }
                self.set_span(s.span);
                let ci = self.class_body(name, body, s.span)?;
                self.emit(Op::BuildClass(ci, bases.len() as u32));
                for _ in decorators {
                    self.emit(Op::Call(1));
                }
                self.store_name(name, false);
            }
            S::Import(names) => {
                for (n, alias) in names {
                    let sym = self.sym(n);
                    self.emit(Op::ImportName(sym));
                    match alias {
                        Some(a) => {
                            // import a.b as c binds the submodule
                            for part in n.split('.').skip(1) {
                                let ps = self.sym(part);
                                self.emit(Op::LoadAttr(ps));
                            }
                            self.store_name(a, false);
                        }
                        None => {
                            let top: Rc<str> = n.split('.').next().unwrap_or("").into();
                            if *top != **n {
                                self.emit(Op::Pop);
                                let ts = self.sym(&top);
                                self.emit(Op::ImportName(ts));
                            }
                            self.store_name(&top, false);
                        }
                    }
                }
            }
            S::ImportFrom(module, names) => {
                let sym = self.sym(module);
                self.emit(Op::ImportName(sym));
                if names.is_empty() {
                    self.emit(Op::ImportStar);
                } else {
                    for (n, alias) in names {
                        let ns = self.sym(n);
                        self.emit(Op::ImportFrom(ns));
                        self.store_name(alias.as_ref().unwrap_or(n), false);
                    }
                    self.emit(Op::Pop);
                }
            }
            S::Global(_) | S::Nonlocal(_) => {}
            S::Del(targets) => {
                for t in targets {
                    self.delete(t)?;
                }
            }
            S::Assert(test, msg) => {
                self.expr(test)?;
                let j = self.emit(Op::JumpIfTrue(0));
                self.set_span(s.span);
                self.load_const(Value::Type(super::value::Ty::AssertionError));
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.set_span(s.span);
                    self.emit(Op::Call(1));
                }
                self.emit(Op::Raise(1));
                let h = self.here();
                self.patch(j, h);
            }
        }
        Ok(())
    }

    /// Emits what leaving `f` early needs. With `ret`, a return value is on
    /// top of the stack and must stay there.
    fn unwind_fblock(&mut self, f: FBlock, ret: bool) -> CR<()> {
        match f {
            FBlock::For { .. } => {
                if ret {
                    self.emit(Op::Rot2);
                }
                self.emit(Op::Pop);
            }
            FBlock::While { .. } => {}
            FBlock::Try => {
                self.emit(Op::PopBlock);
            }
            FBlock::Finally(idx) => {
                self.emit(Op::PopBlock);
                let Some(body) = self.finally_bodies.get(idx).copied() else {
                    return Ok(());
                };
                // the finally body runs outside its own fblock
                let saved = self.unit().fblocks.clone();
                if let Some(pos) = saved
                    .iter()
                    .rposition(|x| matches!(x, FBlock::Finally(i) if *i == idx))
                {
                    self.unit().fblocks.truncate(pos);
                }
                let r = self.body(body);
                self.unit().fblocks = saved;
                r?;
            }
            FBlock::Handler(exc_on_stack) => {
                if exc_on_stack {
                    if ret {
                        self.emit(Op::Rot2);
                    }
                    self.emit(Op::Pop);
                }
                self.emit(Op::PopExcept);
            }
            FBlock::With => {
                self.emit(Op::PopBlock);
                if ret {
                    self.emit(Op::Rot2);
                }
                self.emit(Op::WithExitNormal);
                self.emit(Op::Pop);
            }
        }
        Ok(())
    }

    fn try_except(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [Handler],
        orelse: &'a [Stmt],
    ) -> CR<()> {
        let setup = self.emit(Op::SetupExcept(0));
        self.unit().fblocks.push(FBlock::Try);
        self.body(body)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.body(orelse)?;
        let mut ends = vec![self.emit(Op::Jump(0))];
        let h = self.here();
        self.patch(setup, h);
        for (i, hd) in handlers.iter().enumerate() {
            self.set_span(hd.span);
            self.emit(Op::Stmt(hd.line));
            let mut next = None;
            if let Some(t) = &hd.typ {
                self.emit(Op::Dup);
                self.expr(t)?;
                self.set_span(hd.span);
                self.emit(Op::ExcMatch);
                next = Some(self.emit(Op::JumpIfFalse(0)));
            } else if i + 1 != handlers.len() {
                return self.error("default 'except:' must be last", hd.span);
            }
            match &hd.name {
                Some(n) => self.store_name(n, false),
                None => {
                    self.emit(Op::Pop);
                }
            }
            self.unit().fblocks.push(FBlock::Handler(false));
            self.body(&hd.body)?;
            self.unit().fblocks.pop();
            self.set_span(hd.span);
            self.emit(Op::PopExcept);
            if let Some(n) = &hd.name {
                self.load_const(Value::None);
                self.store_name(n, false);
                self.store_name(n, true);
            }
            ends.push(self.emit(Op::Jump(0)));
            if let Some(j) = next {
                let h = self.here();
                self.patch(j, h);
            }
        }
        self.emit(Op::Reraise);
        let end = self.here();
        for j in ends {
            self.patch(j, end);
        }
        Ok(())
    }

    fn try_finally(
        &mut self,
        s: &'a Stmt,
        body: &'a [Stmt],
        handlers: &'a [Handler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
    ) -> CR<()> {
        // kept for inlining the finally body on `return`/`break`/`continue`
        let idx = self.finally_bodies.len();
        self.finally_bodies.push(finalbody);
        let setup = self.emit(Op::SetupFinally(0));
        self.unit().fblocks.push(FBlock::Finally(idx));
        if handlers.is_empty() {
            self.body(body)?;
        } else {
            self.try_except(body, handlers, orelse)?;
        }
        self.unit().fblocks.pop();
        self.set_span(s.span);
        self.emit(Op::PopBlock);
        self.body(finalbody)?;
        let j = self.emit(Op::Jump(0));
        let h = self.here();
        self.patch(setup, h);
        self.unit().fblocks.push(FBlock::Handler(true));
        self.body(finalbody)?;
        self.unit().fblocks.pop();
        self.set_span(s.span);
        self.emit(Op::Reraise);
        let end = self.here();
        self.patch(j, end);
        Ok(())
    }

    fn with(&mut self, items: &'a [(Expr, Option<Expr>)], body: &'a [Stmt], span: Span) -> CR<()> {
        let Some(((e, target), rest)) = items.split_first() else {
            return self.body(body);
        };
        self.expr(e)?;
        self.set_span(e.span);
        self.emit(Op::BeforeWith);
        let setup = self.emit(Op::SetupWith(0));
        match target {
            Some(t) => self.assign(t)?,
            None => {
                self.emit(Op::Pop);
            }
        }
        self.unit().fblocks.push(FBlock::With);
        if rest.is_empty() {
            self.body(body)?;
        } else {
            self.with(rest, body, span)?;
        }
        self.unit().fblocks.pop();
        self.set_span(span);
        self.emit(Op::PopBlock);
        self.emit(Op::WithExitNormal);
        self.emit(Op::Pop);
        let j = self.emit(Op::Jump(0));
        let h = self.here();
        self.patch(setup, h);
        self.set_span(span);
        self.emit(Op::WithExcept);
        self.emit(Op::WithExceptCheck);
        let end = self.here();
        self.patch(j, end);
        Ok(())
    }

    fn assign(&mut self, t: &'a Expr) -> CR<()> {
        let saved = self.set_span(t.span);
        match &t.kind {
            E::Name(n) => self.store_name(n, false),
            E::Attr(obj, name) => {
                self.expr(obj)?;
                self.set_span(t.span);
                let s = self.sym(name);
                self.emit(Op::StoreAttr(s));
            }
            E::Subscript(obj, idx) => {
                self.expr(obj)?;
                self.expr(idx)?;
                self.set_span(t.span);
                self.emit(Op::StoreSubscr);
            }
            E::Tuple(items) | E::List(items) => {
                let star = items.iter().position(|i| matches!(i.kind, E::Starred(_)));
                match star {
                    Some(si) => {
                        self.emit(Op::UnpackEx(si as u32, (items.len() - si - 1) as u32));
                    }
                    None => {
                        self.emit(Op::Unpack(items.len() as u32));
                    }
                }
                for i in items {
                    match &i.kind {
                        E::Starred(inner) => self.assign(inner)?,
                        _ => self.assign(i)?,
                    }
                }
            }
            E::Starred(_) => {
                return self.error(
                    "starred assignment target must be in a list or tuple",
                    t.span,
                )
            }
            _ => return self.error("cannot assign to expression", t.span),
        }
        self.set_span(saved);
        Ok(())
    }

    fn delete(&mut self, t: &'a Expr) -> CR<()> {
        self.set_span(t.span);
        match &t.kind {
            E::Name(n) => self.store_name(n, true),
            E::Attr(obj, name) => {
                self.expr(obj)?;
                self.set_span(t.span);
                let s = self.sym(name);
                self.emit(Op::DelAttr(s));
            }
            E::Subscript(obj, idx) => {
                self.expr(obj)?;
                self.expr(idx)?;
                self.set_span(t.span);
                self.emit(Op::DelSubscr);
            }
            E::Tuple(items) | E::List(items) => {
                for i in items {
                    self.delete(i)?;
                }
            }
            _ => return self.error("cannot delete expression", t.span),
        }
        Ok(())
    }

    fn aug_assign(&mut self, t: &'a Expr, op: BinOp, v: &'a Expr) -> CR<()> {
        let stmt_span = self.unit().span;
        let op_span = stmt_span;
        match &t.kind {
            E::Name(n) => {
                self.set_span(t.span);
                self.load_name(n);
                self.expr(v)?;
                self.set_span(op_span);
                self.emit(Op::Inplace(op));
                self.set_span(t.span);
                self.store_name(n, false);
            }
            E::Attr(obj, name) => {
                self.expr(obj)?;
                self.set_span(t.span);
                self.emit(Op::Dup);
                let s = self.sym(name);
                self.emit(Op::LoadAttr(s));
                self.expr(v)?;
                self.set_span(op_span);
                self.emit(Op::Inplace(op));
                self.set_span(t.span);
                self.emit(Op::Rot2);
                self.emit(Op::StoreAttr(s));
            }
            E::Subscript(obj, idx) => {
                self.expr(obj)?;
                self.expr(idx)?;
                self.set_span(t.span);
                self.emit(Op::Dup2);
                self.emit(Op::Subscr);
                self.expr(v)?;
                self.set_span(op_span);
                self.emit(Op::Inplace(op));
                self.set_span(t.span);
                self.emit(Op::Rot3);
                self.emit(Op::StoreSubscr);
            }
            _ => return self.error("illegal expression for augmented assignment", t.span),
        }
        Ok(())
    }

    /// Compiles a function body into a new code object and emits
    /// MakeFunction (defaults are evaluated first, in the enclosing scope).
    fn function(&mut self, f: &'a FuncDef, span: Span) -> CR<()> {
        let mut n_defaults = 0;
        for p in f.params.iter().take(f.n_pos) {
            if let Some(d) = &p.default {
                self.expr(d)?;
                n_defaults += 1;
            }
        }
        let mut kwdefault_names = Vec::new();
        for p in f.params.iter().skip(f.n_pos) {
            if let Some(d) = &p.default {
                self.expr(d)?;
                let s = self.sym(&p.name);
                kwdefault_names.push(s);
            }
        }
        self.set_span(span);
        let key = f as *const FuncDef as usize;
        let scope = self.table.scopes.get(&key).cloned().unwrap_or_default();
        let qual = self.qualname(&f.name);
        let mut code = self.new_code(f.name.clone(), qual, CodeKind::Function, f.line);
        code.n_pos = f.n_pos as u32;
        code.n_kwonly = (f.params.len() - f.n_pos.min(f.params.len())) as u32;
        code.vararg = f.vararg.is_some();
        code.kwarg = f.kwarg.is_some();
        code.n_defaults = n_defaults;
        code.kwdefault_names = kwdefault_names;
        code.generator = f.is_generator;
        for p in &scope.params {
            let s = self.heap.intern(p);
            code.varnames.push(s);
        }
        self.finish_scope_code(&mut code, &scope);
        let fspan = if f.is_lambda {
            f.body.first().map(|s| s.span).unwrap_or(span)
        } else {
            span
        };
        self.units.push(Unit {
            code,
            kind: ScopeKind::Function,
            scope,
            fblocks: Vec::new(),
            breaks: Vec::new(),
            span: fspan,
        });
        let r = if f.is_lambda {
            // a lambda's body is one expression: no statement marker
            match f.body.first().map(|s| &s.kind) {
                Some(S::Return(Some(e))) => self.expr(e).map(|_| {
                    if f.is_generator {
                        self.emit(Op::Pop);
                        self.load_const(Value::None);
                    }
                    self.emit(Op::Return);
                }),
                _ => Ok(()),
            }
        } else {
            self.body(&f.body)
        };
        let mut u = match self.units.pop() {
            Some(u) => u,
            None => return Ok(()),
        };
        r?;
        u.code.consts.push(Value::None);
        let ni = (u.code.consts.len() - 1) as u32;
        u.code.ops.push(Op::Const(ni));
        u.code.ops.push(Op::Return);
        let end_span = u.span;
        u.code.spans.push(end_span);
        u.code.spans.push(end_span);
        let ci = self.add_code(u.code);
        self.emit(Op::MakeFunction(ci));
        Ok(())
    }

    fn qualname(&self, name: &str) -> Rc<str> {
        let mut parts: Vec<String> = Vec::new();
        for u in self.units.iter().skip(1) {
            match u.kind {
                ScopeKind::Function => {
                    parts.push(u.code.qualname.to_string());
                    parts.push("<locals>".into());
                }
                ScopeKind::Class => parts.push(u.code.qualname.to_string()),
                _ => {}
            }
        }
        // the innermost enclosing unit's qualname already includes its parents
        let prefix = match self.units.last() {
            Some(u) if u.kind == ScopeKind::Function => format!("{}.<locals>.", u.code.qualname),
            Some(u) if u.kind == ScopeKind::Class => format!("{}.", u.code.qualname),
            Some(u) if u.kind == ScopeKind::Comp => format!("{}.", u.code.qualname),
            _ => String::new(),
        };
        let _ = parts;
        format!("{prefix}{name}").into()
    }

    fn finish_scope_code(&mut self, code: &mut Code, scope: &ScopeData) {
        for n in &scope.cells {
            let s = self.heap.intern(n);
            code.cellvars.push(s);
        }
        for n in &scope.frees {
            let s = self.heap.intern(n);
            code.freevars.push(s);
        }
        for (ci, n) in scope.cells.iter().enumerate() {
            if let Some(pi) = scope.params.iter().position(|p| p == n) {
                code.cell_args.push((pi as u32, ci as u32));
            }
        }
        // where each free variable comes from in the enclosing frame
        for n in &scope.frees {
            let from = self.cell_index(n).unwrap_or(0);
            code.free_from.push(from);
        }
    }

    fn add_code(&mut self, code: Code) -> u32 {
        let c = self.code();
        c.codes.push(Rc::new(code));
        (c.codes.len() - 1) as u32
    }

    fn class_body(&mut self, name: &Rc<str>, body: &'a [Stmt], span: Span) -> CR<u32> {
        let key = body.as_ptr() as usize;
        let scope = self.table.scopes.get(&key).cloned().unwrap_or_default();
        let qual = self.qualname(name);
        let mut code = self.new_code(name.clone(), qual, CodeKind::Class, span.line);
        self.finish_scope_code(&mut code, &scope);
        self.units.push(Unit {
            code,
            kind: ScopeKind::Class,
            scope,
            fblocks: Vec::new(),
            breaks: Vec::new(),
            span,
        });
        let r = self.body(body);
        let mut u = match self.units.pop() {
            Some(u) => u,
            None => return Ok(0),
        };
        r?;
        u.code.consts.push(Value::None);
        let ni = (u.code.consts.len() - 1) as u32;
        u.code.ops.push(Op::Const(ni));
        u.code.ops.push(Op::Return);
        u.code.spans.push(span);
        u.code.spans.push(span);
        Ok(self.add_code(u.code))
    }

    // ------------------------------------------------------------ expressions

    fn expr(&mut self, e: &'a Expr) -> CR<()> {
        let saved = self.set_span(e.span);
        self.expr_inner(e)?;
        self.set_span(saved);
        Ok(())
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CR<()> {
        match &e.kind {
            E::Name(n) => self.load_name(n),
            E::Int(i) => self.load_const(Value::Int(*i)),
            E::Float(f) => self.load_const(Value::float(*f)),
            E::Str(s) => self.load_const(Value::Str(s.clone())),
            E::Bytes(b) => self.load_const(Value::Bytes(b.clone())),
            E::True => self.load_const(Value::Bool(true)),
            E::False => self.load_const(Value::Bool(false)),
            E::None => self.load_const(Value::None),
            E::Ellipsis => self.load_const(Value::Ellipsis),
            E::BigInt => {
                self.emit(Op::BigInt);
            }
            E::FStr(parts) => {
                let n = self.fparts(parts)?;
                if n != 1
                    || !matches!(
                        parts.first(),
                        Some(FPart::Expr { .. }) | Some(FPart::Lit(_))
                    )
                {
                    self.emit(Op::BuildStr(n));
                } else if let Some(FPart::Lit(_)) = parts.first() {
                    // a lone literal is already a str
                } else {
                    self.emit(Op::BuildStr(1));
                }
            }
            E::BinOp(a, op, b) => {
                self.expr(a)?;
                self.expr(b)?;
                self.emit(Op::Bin(*op));
            }
            E::Unary(op, a) => {
                self.expr(a)?;
                self.emit(Op::Unary(*op));
            }
            E::BoolOp(is_and, items) => {
                let mut jumps = Vec::new();
                let n = items.len();
                for (i, it) in items.iter().enumerate() {
                    self.expr(it)?;
                    if i + 1 < n {
                        jumps.push(self.emit(if *is_and {
                            Op::JumpIfFalseOrPop(0)
                        } else {
                            Op::JumpIfTrueOrPop(0)
                        }));
                    }
                }
                let end = self.here();
                for j in jumps {
                    self.patch(j, end);
                }
            }
            E::Compare(a, rest) => {
                let mut left: &Expr = a;
                for (op, right) in rest.iter() {
                    if matches!(op, CmpOp::Is | CmpOp::IsNot)
                        && (is_literal(left) || is_literal(right))
                    {
                        let msg = if *op == CmpOp::Is {
                            "\"is\" with a literal. Did you mean \"==\"?"
                        } else {
                            "\"is not\" with a literal. Did you mean \"!=\"?"
                        };
                        self.warnings.push((e.span.line, msg.into()));
                    }
                    left = right;
                }
                self.expr(a)?;
                if rest.len() == 1 {
                    if let Some((op, b)) = rest.first() {
                        self.expr(b)?;
                        self.emit(Op::Cmp(*op));
                    }
                } else {
                    let mut cleanup = Vec::new();
                    let n = rest.len();
                    for (i, (op, b)) in rest.iter().enumerate() {
                        self.expr(b)?;
                        if i + 1 < n {
                            self.emit(Op::Dup);
                            self.emit(Op::Rot3);
                            self.emit(Op::Cmp(*op));
                            cleanup.push(self.emit(Op::JumpIfFalseOrPop(0)));
                        } else {
                            self.emit(Op::Cmp(*op));
                        }
                    }
                    let j = self.emit(Op::Jump(0));
                    let c = self.here();
                    for x in cleanup {
                        self.patch(x, c);
                    }
                    self.emit(Op::Rot2);
                    self.emit(Op::Pop);
                    let end = self.here();
                    self.patch(j, end);
                }
            }
            E::Call(f, args) => self.call(e, f, args)?,
            E::Attr(obj, name) => {
                self.expr(obj)?;
                let s = self.sym(name);
                self.emit(Op::LoadAttr(s));
            }
            E::Subscript(obj, idx) => {
                self.check_subscript(obj, idx, e.span.line);
                self.expr(obj)?;
                self.expr(idx)?;
                self.emit(Op::Subscr);
            }
            E::Slice(a, b, c) => {
                for x in [a, b] {
                    match x {
                        Some(x) => self.expr(x)?,
                        None => self.load_const(Value::None),
                    }
                }
                match c {
                    Some(c) => {
                        self.expr(c)?;
                        self.emit(Op::BuildSlice(3));
                    }
                    None => {
                        self.emit(Op::BuildSlice(2));
                    }
                }
            }
            E::List(items) => self.sequence(items, 0)?,
            E::Tuple(items) => self.sequence(items, 1)?,
            E::Set(items) => self.sequence(items, 2)?,
            E::Dict(items) => {
                let simple = items.iter().all(|(k, _)| k.is_some());
                if simple {
                    for (k, v) in items {
                        if let Some(k) = k {
                            self.expr(k)?;
                        }
                        self.expr(v)?;
                    }
                    self.emit(Op::BuildMap(items.len() as u32));
                } else {
                    self.emit(Op::BuildMap(0));
                    for (k, v) in items {
                        match k {
                            Some(k) => {
                                self.expr(k)?;
                                self.expr(v)?;
                                self.emit(Op::MapAdd(1));
                            }
                            None => {
                                self.expr(v)?;
                                self.emit(Op::DictUpdate(1));
                            }
                        }
                    }
                }
            }
            E::Starred(_) => return self.error("can't use starred expression here", e.span),
            E::IfExp(test, body, orelse) => {
                self.expr(test)?;
                let j = self.emit(Op::JumpIfFalse(0));
                self.expr(body)?;
                let j2 = self.emit(Op::Jump(0));
                let h = self.here();
                self.patch(j, h);
                self.expr(orelse)?;
                let h = self.here();
                self.patch(j2, h);
            }
            E::Lambda(f) => self.function(f, e.span)?,
            E::Comp(kind, elt, val, gens) => {
                self.comprehension(e, *kind, elt, val.as_deref(), gens)?
            }
            E::Yield(v) => {
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::None),
                }
                self.emit(Op::Yield);
            }
            E::YieldFrom(v) => {
                self.expr(v)?;
                self.emit(Op::GetIter);
                let head = self.here();
                let fi = self.emit(Op::ForIter(0));
                self.emit(Op::Yield);
                self.emit(Op::Pop);
                self.emit(Op::Jump(head as u32));
                let end = self.here();
                self.patch(fi, end);
                self.load_const(Value::None);
            }
            E::Named(n, v) => {
                self.expr(v)?;
                self.emit(Op::Dup);
                // a walrus in a comprehension binds in the enclosing function
                self.store_name(n, false);
            }
        }
        Ok(())
    }

    fn fparts(&mut self, parts: &'a [FPart]) -> CR<u32> {
        let mut n = 0;
        for p in parts {
            match p {
                FPart::Lit(s) => {
                    self.load_const(Value::Str(s.as_str().into()));
                }
                FPart::Expr { expr, conv, spec } => {
                    self.expr(expr)?;
                    let mut flags = match conv {
                        Some('s') => 1,
                        Some('r') => 2,
                        Some('a') => 3,
                        _ => 0,
                    };
                    if let Some(spec) = spec {
                        let k = self.fparts(spec)?;
                        if k != 1 || !matches!(spec.first(), Some(FPart::Lit(_))) {
                            self.emit(Op::BuildStr(k));
                        }
                        flags |= 4;
                    }
                    self.emit(Op::Format(flags));
                }
            }
            n += 1;
        }
        if n == 0 {
            self.load_const(Value::str(""));
            n = 1;
        }
        Ok(n)
    }

    /// list (0), tuple (1) or set (2) display, with `*x` unpacking.
    fn sequence(&mut self, items: &'a [Expr], kind: u8) -> CR<()> {
        let has_star = items.iter().any(|i| matches!(i.kind, E::Starred(_)));
        if !has_star {
            for i in items {
                self.expr(i)?;
            }
            let n = items.len() as u32;
            self.emit(match kind {
                0 => Op::BuildList(n),
                1 => Op::BuildTuple(n),
                _ => Op::BuildSet(n),
            });
            return Ok(());
        }
        self.emit(if kind == 2 {
            Op::BuildSet(0)
        } else {
            Op::BuildList(0)
        });
        for i in items {
            match &i.kind {
                E::Starred(inner) => {
                    self.expr(inner)?;
                    self.emit(if kind == 2 {
                        Op::SetUpdate(1)
                    } else {
                        Op::ListExtend(1)
                    });
                }
                _ => {
                    self.expr(i)?;
                    self.emit(if kind == 2 {
                        Op::SetAdd(1)
                    } else {
                        Op::ListAppend(1)
                    });
                }
            }
        }
        if kind == 1 {
            self.emit(Op::ListToTuple);
        }
        Ok(())
    }

    fn call(&mut self, e: &'a Expr, f: &'a Expr, args: &'a [Arg]) -> CR<()> {
        if let Some(t) = literal_type(f) {
            if !matches!(
                f.kind,
                E::Lambda(_) | E::True | E::False | E::None | E::Ellipsis
            ) {
                self.warnings.push((
                    e.span.line,
                    format!("'{t}' object is not callable; perhaps you missed a comma?"),
                ));
            }
        }
        let simple = args.iter().all(|a| matches!(a, Arg::Pos(_) | Arg::Kw(..)));
        let call_span = e.span;
        if simple {
            let method = matches!(f.kind, E::Attr(..));
            if let E::Attr(obj, name) = &f.kind {
                self.expr(obj)?;
                self.set_span(f.span);
                let s = self.sym(name);
                self.emit(Op::LoadMethod(s));
            } else {
                self.expr(f)?;
            }
            let mut kw = Vec::new();
            let mut n = 0;
            for a in args {
                match a {
                    Arg::Pos(x) => {
                        self.expr(x)?;
                        n += 1;
                    }
                    Arg::Kw(k, x) => {
                        self.expr(x)?;
                        kw.push(self.heap.intern(k));
                        n += 1;
                    }
                    _ => {}
                }
            }
            self.set_span(call_span);
            if kw.is_empty() {
                self.emit(if method {
                    Op::CallMethod(n)
                } else {
                    Op::Call(n)
                });
            } else {
                let c = self.code();
                c.kwnames.push(kw);
                let ki = (c.kwnames.len() - 1) as u32;
                self.emit(if method {
                    Op::CallMethodKw(n, ki)
                } else {
                    Op::CallKw(n, ki)
                });
            }
            return Ok(());
        }
        // general form: f(*args, **kwargs)
        self.expr(f)?;
        self.emit(Op::BuildList(0));
        for a in args {
            match a {
                Arg::Pos(x) => {
                    self.expr(x)?;
                    self.emit(Op::ListAppend(1));
                }
                Arg::Star(x) => {
                    self.expr(x)?;
                    self.set_span(call_span);
                    self.emit(Op::CallStar);
                }
                _ => {}
            }
        }
        self.emit(Op::ListToTuple);
        let has_kw = args
            .iter()
            .any(|a| matches!(a, Arg::Kw(..) | Arg::DStar(_)));
        if has_kw {
            self.emit(Op::BuildMap(0));
            for a in args {
                match a {
                    Arg::Kw(k, x) => {
                        self.load_const(Value::Str(k.clone()));
                        self.expr(x)?;
                        self.emit(Op::MapAdd(1));
                    }
                    Arg::DStar(x) => {
                        self.expr(x)?;
                        self.set_span(call_span);
                        self.emit(Op::CallDStar);
                    }
                    _ => {}
                }
            }
        }
        self.set_span(call_span);
        self.emit(Op::CallEx(has_kw));
        Ok(())
    }

    fn comprehension(
        &mut self,
        e: &'a Expr,
        kind: CompKind,
        elt: &'a Expr,
        val: Option<&'a Expr>,
        gens: &'a Rc<Vec<Comp>>,
    ) -> CR<()> {
        let key = Rc::as_ptr(gens) as usize;
        let scope = self.table.scopes.get(&key).cloned().unwrap_or_default();
        let name: Rc<str> = match kind {
            CompKind::List => "<listcomp>",
            CompKind::Set => "<setcomp>",
            CompKind::Dict => "<dictcomp>",
            CompKind::Gen => "<genexpr>",
        }
        .into();
        let qual = self.qualname(&name);
        let mut code = self.new_code(name, qual, CodeKind::Comprehension, e.span.line);
        code.n_pos = 1;
        code.generator = kind == CompKind::Gen;
        let dot0 = self.heap.intern(".0");
        code.varnames.push(dot0);
        let mut sc = scope.clone();
        sc.params = vec![".0".into()];
        self.finish_scope_code(&mut code, &sc);
        self.units.push(Unit {
            code,
            kind: ScopeKind::Comp,
            scope: sc,
            fblocks: Vec::new(),
            breaks: Vec::new(),
            span: e.span,
        });
        let r = self.comp_body(e, kind, elt, val, gens);
        let u = match self.units.pop() {
            Some(u) => u,
            None => return Ok(()),
        };
        r?;
        let ci = self.add_code(u.code);
        self.set_span(e.span);
        self.emit(Op::MakeFunction(ci));
        if let Some(first) = gens.first() {
            self.expr(&first.iter)?;
            self.set_span(e.span);
            self.emit(Op::GetIter);
        }
        self.emit(Op::Call(1));
        Ok(())
    }

    fn comp_body(
        &mut self,
        e: &'a Expr,
        kind: CompKind,
        elt: &'a Expr,
        val: Option<&'a Expr>,
        gens: &'a [Comp],
    ) -> CR<()> {
        match kind {
            CompKind::Set => self.emit(Op::BuildSet(0)),
            CompKind::Dict => self.emit(Op::BuildMap(0)),
            CompKind::List => self.emit(Op::BuildList(0)),
            CompKind::Gen => 0,
        };
        let mut loops = Vec::new();
        for (i, g) in gens.iter().enumerate() {
            if i == 0 {
                self.emit(Op::LoadFast(0));
            } else {
                self.expr(&g.iter)?;
                self.set_span(e.span);
                self.emit(Op::GetIter);
            }
            let head = self.here();
            self.set_span(e.span);
            let fi = self.emit(Op::ForIter(0));
            self.assign(&g.target)?;
            for c in &g.ifs {
                self.expr(c)?;
                self.emit(Op::JumpIfFalse(head as u32));
            }
            loops.push((head, fi));
        }
        let depth = gens.len() as u32 + 1;
        match kind {
            CompKind::Dict => {
                self.expr(elt)?;
                if let Some(v) = val {
                    self.expr(v)?;
                }
                self.emit(Op::MapAdd(depth));
            }
            CompKind::Set => {
                self.expr(elt)?;
                self.emit(Op::SetAdd(depth));
            }
            CompKind::List => {
                self.expr(elt)?;
                self.emit(Op::ListAppend(depth));
            }
            CompKind::Gen => {
                self.expr(elt)?;
                self.emit(Op::Yield);
                self.emit(Op::Pop);
            }
        }
        self.set_span(e.span);
        for (head, fi) in loops.into_iter().rev() {
            self.emit(Op::Jump(head as u32));
            let h = self.here();
            self.patch(fi, h);
        }
        if kind == CompKind::Gen {
            self.load_const(Value::None);
        }
        self.emit(Op::Return);
        Ok(())
    }
}

/// Whether CPython's AST optimizer makes `e` a constant other than None,
/// True, False and `...` (then `x is e` gets a SyntaxWarning).
fn is_literal(e: &Expr) -> bool {
    match &e.kind {
        E::Int(_) | E::Float(_) | E::Str(_) | E::Bytes(_) | E::BigInt => true,
        E::Unary(UnOp::Neg | UnOp::Pos | UnOp::Invert, x) => {
            matches!(x.kind, E::Int(_) | E::Float(_))
        }
        E::Tuple(items) => items
            .iter()
            .all(|i| is_literal(i) || matches!(i.kind, E::True | E::False | E::None)),
        _ => false,
    }
}

/// The type of a literal display, for the "perhaps you missed a comma?" warnings.
fn literal_type(e: &Expr) -> Option<&'static str> {
    Some(match &e.kind {
        E::Int(_) | E::BigInt => "int",
        E::Float(_) => "float",
        E::Str(_) | E::FStr(_) => "str",
        E::Bytes(_) => "bytes",
        E::True | E::False => "bool",
        E::None => "NoneType",
        E::Ellipsis => "ellipsis",
        E::Tuple(_) => "tuple",
        E::List(_) | E::Comp(CompKind::List, ..) => "list",
        E::Dict(_) | E::Comp(CompKind::Dict, ..) => "dict",
        E::Set(_) | E::Comp(CompKind::Set, ..) => "set",
        E::Comp(CompKind::Gen, ..) => "generator",
        E::Lambda(_) => "function",
        _ => return None,
    })
}

impl Compiler<'_> {
    /// CPython's check_subscripter / check_index warnings.
    fn check_subscript(&mut self, obj: &Expr, idx: &Expr, line: u32) {
        let Some(t) = literal_type(obj) else {
            return;
        };
        let not_subscriptable = matches!(
            obj.kind,
            E::Int(_)
                | E::BigInt
                | E::Float(_)
                | E::None
                | E::Ellipsis
                | E::Set(_)
                | E::Comp(CompKind::Set | CompKind::Gen, ..)
                | E::Lambda(_)
        );
        if not_subscriptable {
            self.warnings.push((
                line,
                format!("'{t}' object is not subscriptable; perhaps you missed a comma?"),
            ));
            return;
        }
        if matches!(
            obj.kind,
            E::Str(_)
                | E::Bytes(_)
                | E::Tuple(_)
                | E::List(_)
                | E::Comp(CompKind::List, ..)
                | E::FStr(_)
        ) {
            let bad = match &idx.kind {
                E::Str(_) | E::FStr(_) => Some("str"),
                E::Bytes(_) => Some("bytes"),
                E::Float(_) => Some("float"),
                E::None => Some("NoneType"),
                E::Tuple(_) => Some("tuple"),
                E::List(_) | E::Comp(CompKind::List, ..) => Some("list"),
                E::Dict(_) => Some("dict"),
                E::Set(_) => Some("set"),
                _ => None,
            };
            if let Some(b) = bad {
                self.warnings.push((line, format!("{t} indices must be integers or slices, not {b}; perhaps you missed a comma?")));
            }
        }
    }
}
