//! Compiling `def` and `class`: a new code object per function and class
//! body, qualified names, cells and free variables.

use super::*;

impl<'a> Compiler<'a> {
    /// Compiles a function body into a new code object and emits
    /// MakeFunction (defaults are evaluated first, in the enclosing scope).
    pub(super) fn function(&mut self, f: &'a FuncDef, span: Span) -> CR<()> {
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

    pub(super) fn qualname(&self, name: &str) -> Rc<str> {
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

    pub(super) fn finish_scope_code(&mut self, code: &mut Code, scope: &ScopeData) {
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

    pub(super) fn add_code(&mut self, code: Code) -> u32 {
        let c = self.code();
        c.codes.push(Rc::new(code));
        (c.codes.len() - 1) as u32
    }

    pub(super) fn class_body(&mut self, name: &Rc<str>, body: &'a [Stmt], span: Span) -> CR<u32> {
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
}
