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

mod comprehension;
mod defs;
mod expr;
mod scope;
mod stmt;
mod warnings;

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
}
