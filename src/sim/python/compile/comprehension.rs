//! Compiling comprehensions and generator expressions: each is a code
//! object of its own, called with the first iterable.

use super::*;

impl<'a> Compiler<'a> {
    pub(super) fn comprehension(
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
