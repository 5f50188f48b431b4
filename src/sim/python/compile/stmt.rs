//! Compiling statements: control flow, `break`/`continue`/`return` through
//! loops, `try` and `with`, assignment, `del` and augmented assignment.

use super::*;

impl<'a> Compiler<'a> {
    // ------------------------------------------------------------ statements

    pub(super) fn body(&mut self, body: &'a [Stmt]) -> CR<()> {
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
                self.load_const(Value::Type(super::super::value::Ty::AssertionError));
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

    pub(super) fn assign(&mut self, t: &'a Expr) -> CR<()> {
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
}
