//! Scope analysis (as CPython's symtable): which names are local, global,
//! captured by an inner function (cells) or free.

use super::*;

impl Scopes {
    pub(super) fn get(&self, k: &usize) -> Option<&ScopeData> {
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
    pub(super) fn push(&mut self, key: usize, kind: ScopeKind) {
        if let Some(&parent) = self.stack.last() {
            self.scopes.entry(parent).children.push(key);
        }
        let s = self.scopes.entry(key);
        s.kind = Some(kind);
        self.stack.push(key);
    }
    pub(super) fn pop(&mut self) {
        self.stack.pop();
    }

    pub(super) fn stmts(&mut self, body: &[Stmt]) {
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
    pub(super) fn resolve(&mut self, key: usize, visible: &[Rc<str>]) -> Vec<Rc<str>> {
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
